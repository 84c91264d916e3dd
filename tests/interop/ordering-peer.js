#!/usr/bin/env node
// A bare `ws` CSMS for the ordering test (issue 21): every StartTransaction CALL is answered with a CALLRESULT and,
// in the same tick, followed by a RemoteStopTransaction CALL for that transaction: two frames back to back on one
// ordered socket. It counts how the station answers the stops.
// Usage: node ordering-peer.js <rounds>
// stdout (JSON lines): listening {port} | done {accepted, rejected, other} after <rounds> stops were answered.
'use strict';
const { WebSocketServer } = require('ws');
const { emit, commands, limit } = require('./lib/lines');

const rounds = Number(process.argv[2] || 1000);
limit(60000);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('ocpp1.6') ? 'ocpp1.6' : false) });
let next = 1;
const counts = { accepted: 0, rejected: 0, other: 0 };

wss.on('connection', (ws) => {
    ws.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message[0] === 2 && message[2] === 'StartTransaction') {
            const transactionId = next++;
            ws.send(JSON.stringify([3, message[1], { transactionId, idTagInfo: { status: 'Accepted' } }]));
            ws.send(JSON.stringify([2, `stop-${transactionId}`, 'RemoteStopTransaction', { transactionId }]));
        } else if (message[0] === 3 && String(message[1]).startsWith('stop-')) {
            const status = message[2] && message[2].status;
            if (status === 'Accepted') counts.accepted++;
            else if (status === 'Rejected') counts.rejected++;
            else counts.other++;
            if (counts.accepted + counts.rejected + counts.other === rounds) emit('done', counts);
        } else {
            counts.other++;
        }
    });
});
wss.on('listening', () => emit('listening', { port: wss.address().port }));
commands(async () => {}, async () => { wss.close(); });
