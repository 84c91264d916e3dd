'use strict';
// A no-op stand-in for the voltlog-io logger that ocpp-ws-io 2.3.2 requires (see package.json): loggers accept
// every level and child() and write nothing, so the peer's stdout carries only the test script's JSON lines.

const noop = () => {};

function createLogger() {
    const logger = {
        trace: noop,
        debug: noop,
        info: noop,
        warn: noop,
        error: noop,
        fatal: noop,
        log: noop,
        flush: noop,
        close: noop,
        child: () => logger,
        isLevelEnabled: () => false,
    };
    return logger;
}

const transport = (name) => () => ({ name, write: noop, flush: noop, close: noop });

module.exports = {
    createLogger,
    consoleTransport: transport('console'),
    prettyTransport: transport('pretty'),
};
