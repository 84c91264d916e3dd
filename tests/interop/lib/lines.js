'use strict';
// Shared plumbing for the interop peer scripts: one JSON object per stdout line ({"event": ...}), one JSON command
// per stdin line, a hard time limit so a test run never hangs, and an error's code/message/details in one shape.
const readline = require('readline');

function emit(event, data = {}) {
    process.stdout.write(JSON.stringify({ event, ...data }) + '\n');
}

// Reads commands from stdin; calls onCommand(command) for each and onEnd() when the test closes stdin.
function commands(onCommand, onEnd) {
    readline.createInterface({ input: process.stdin })
        .on('line', async (line) => {
            if (!line.trim()) return;
            try {
                await onCommand(JSON.parse(line));
            } catch (err) {
                emit('commandFailed', { line, message: String(err && err.stack || err) });
            }
        })
        .on('close', async () => {
            try {
                await onEnd();
            } finally {
                process.exit(0);
            }
        });
}

function limit(ms) {
    setTimeout(() => { emit('timeout', { ms }); process.exit(3); }, ms).unref();
}

function errorShape(err) {
    return {
        code: err && (err.rpcErrorCode || err.code || err.name) || null,
        message: String(err && err.message || err),
        details: err && err.details || {},
    };
}

module.exports = { emit, commands, limit, errorShape };
