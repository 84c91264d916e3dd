#!/usr/bin/env node
// A real OCPP 1.6J station built on ocpp-task-manager 1.1.3, which is transport-agnostic: here its sender and
// receiver are a `ws` WebSocket (subprotocol ocpp1.6, Basic auth as a header). The transport wiring below also
// reconnects 100 ms after the link drops, as a station would; the OCPP-J handling is the package's own.
// Usage: node ocpp-task-manager-client.js <url-without-identity> <identity> [password|-]
// stdout (JSON lines): connected | disconnected {code, reason} | connectFailed {status, message}
//   | result {id, method, response} | error {id, method, code, message, details} | handled {method, params}
// stdin (JSON lines): {"cmd":"call","id":..,"method":..,"params":{..}}; closing stdin exits.
// Handlers: Reset Accepted, GetConfiguration HeartbeatInterval = 300; other actions get the package's
// catch-all NotImplemented.
'use strict';
const WebSocket = require('ws');
const OCPPTaskManager = require('ocpp-task-manager');
const { emit, commands, limit } = require('./lib/lines');

const [url, identity, password] = process.argv.slice(2);
if (!url || !identity) {
    console.error('usage: node ocpp-task-manager-client.js <url> <identity> [password|-]');
    process.exit(2);
}

limit(60000);
const VERSION = '1.6j'; // ocpp-task-manager picks JSON framing from a version string ending in "j"
let ws = null;
let stopping = false;
let everConnected = false;

const device = OCPPTaskManager({
    sender: (message) => ws.send(message),
    callHandlers: {
        Reset: (params, { callResult }) => {
            emit('handled', { method: 'Reset', params });
            callResult({ status: 'Accepted' });
        },
        GetConfiguration: (params, { callResult }) => {
            emit('handled', { method: 'GetConfiguration', params });
            callResult({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: [] });
        },
    },
});

function connect() {
    const headers = password && password !== '-'
        ? { Authorization: 'Basic ' + Buffer.from(`${identity}:${password}`).toString('base64') }
        : {};
    const socket = new WebSocket(url + '/' + encodeURIComponent(identity), ['ocpp1.6'], { headers, perMessageDeflate: false });
    ws = socket;
    socket.on('open', () => {
        everConnected = true;
        device.connected(VERSION);
        emit('connected', { protocol: socket.protocol });
    });
    socket.on('message', (data) => device.received(data.toString()));
    socket.on('unexpected-response', (req, res) => {
        emit('connectFailed', { status: res.statusCode, message: res.statusMessage });
        if (!everConnected) process.exit(1);
    });
    socket.on('error', () => {}); // the close that follows reports it
    socket.on('close', (code, reason) => {
        if (socket.readyState !== WebSocket.CLOSED || ws !== socket) return;
        device.disconnected();
        if (everConnected) emit('disconnected', { code, reason: String(reason || '') });
        if (!stopping && everConnected) setTimeout(connect, 100);
    });
}

commands(async (command) => {
    if (command.cmd === 'call') {
        try {
            const { ok, payload } = await device.sendCall(command.method, command.params || {});
            if (ok) {
                emit('result', { id: command.id, method: command.method, response: payload });
            } else {
                emit('error', { id: command.id, method: command.method, code: payload.errorCode, message: payload.errorDescription, details: payload.errorDetails });
            }
        } catch (err) {
            emit('error', { id: command.id, method: command.method, code: 'SendFailed', message: String(err && err.message || err), details: {} });
        }
    }
}, async () => {
    stopping = true;
    if (ws) ws.close(1000);
});

connect();
