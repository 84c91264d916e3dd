#!/usr/bin/env node
// A bare `ws` CSMS that sends exactly the frames the test gives it, for pinning what a station library answers.
// Usage: node raw-csms.js
// stdout (JSON lines): listening {port} | connected {identity, protocol} | received {message} (every frame, as text)
// stdin (JSON lines): {"cmd":"send","message":".."}; closing stdin exits.
'use strict';
const { WebSocketServer } = require('ws');
const { emit, commands, limit } = require('./lib/lines');

limit(60000);
let socket = null;
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('ocpp1.6') ? 'ocpp1.6' : false) });
wss.on('connection', (ws, req) => {
    socket = ws;
    emit('connected', { identity: decodeURIComponent(req.url.split('/').pop()), protocol: ws.protocol });
    ws.on('message', (data) => emit('received', { message: data.toString() }));
});
wss.on('listening', () => emit('listening', { port: wss.address().port }));
commands(async (command) => {
    if (command.cmd === 'send') socket.send(command.message);
}, async () => { wss.close(); });
