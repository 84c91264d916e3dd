#!/usr/bin/env node
// Turns tls-storm.sh's results.jsonl into a markdown table, with issue 17's targets: ours TLS handshakes/s >= 2x
// ocpp-rpc's (same certificate); ours idle TLS connection <= 1.5x ours idle plain one.
'use strict';
const fs = require('fs');
const [file, stations, parallel, rounds] = process.argv.slice(2);
const rows = Object.fromEntries(fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((r) => [r.label, r]));
const median = (xs) => { const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
// The storm passes after the first (which warms the server); with a single pass, that one.
const rate = (label) => { const p = rows[label]?.passes ?? []; return median((p.length > 1 ? p.slice(1) : p).map((x) => x.handshakesPerSec)); };
const failed = (label) => (rows[label]?.passes ?? []).reduce((a, p) => a + p.failed, 0);
const perConnection = (label, key) => { const r = rows[label]; return r ? (r.after[key] - r.before[key]) / Number(stations) / 1024 : NaN; };
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
const ok = (b) => (b ? '**met**' : 'not met');

console.log(`\nTLS reconnect storm: ${stations} stations, ${parallel} handshakes in flight, ${rounds} passes (first one warms up), Basic auth; load average ${require('os').loadavg()[0].toFixed(1)}\n`);
console.log('| server | ours handshakes/s | ocpp-rpc handshakes/s | ratio | target | ours idle KiB/conn (working set / GC heap) | ocpp-rpc idle KiB/conn (RSS / JS heap) | failed (ours / ocpp-rpc) |');
console.log('| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |');
for (const kind of ['plain', 'rsa', 'ecdsa']) {
    const o = rate(`ours-${kind}`), n = rate(`node-${kind}`);
    const name = { plain: 'plain ws (profile 1)', rsa: 'TLS, RSA 2048', ecdsa: 'TLS, ECDSA P-256' }[kind];
    console.log(`| ${name} | ${fmt(o)} | ${fmt(n)} | ${fmt(o / n, 2)}x | ${kind === 'plain' ? '' : '>= 2x: ' + ok(o / n >= 2)} | `
        + `${fmt(perConnection(`ours-${kind}`, 'workingSetBytes'), 1)} / ${fmt(perConnection(`ours-${kind}`, 'gcHeapBytes'), 1)} | `
        + `${fmt(perConnection(`node-${kind}`, 'workingSetBytes'), 1)} / ${fmt(perConnection(`node-${kind}`, 'gcHeapBytes'), 1)} | ${failed(`ours-${kind}`)} / ${failed(`node-${kind}`)} |`);
}
// Server CPU per full handshake over all passes (the server's own cost, without the client's share of the two cores).
const handshakes = Number(stations) * Number(rounds);
const cpuMs = (label) => (rows[label]?.serverCpuSeconds ?? NaN) * 1000 / handshakes;
console.log('\n| server | ours server CPU ms per handshake | ocpp-rpc server CPU ms per handshake | handshakes per server CPU second, ours / ocpp-rpc | ratio |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const kind of ['plain', 'rsa', 'ecdsa']) {
    const o = cpuMs(`ours-${kind}`), n = cpuMs(`node-${kind}`);
    console.log(`| ${kind} | ${fmt(o, 3)} | ${fmt(n, 3)} | ${fmt(1000 / o)} / ${fmt(1000 / n)} | ${fmt(n / o, 2)}x |`);
}
const plain = perConnection('ours-plain', 'workingSetBytes');
console.log('\n| idle TLS / idle plain (ours, working set) | ratio | target | result |');
console.log('| --- | ---: | --- | --- |');
for (const kind of ['rsa', 'ecdsa']) {
    const r = perConnection(`ours-${kind}`, 'workingSetBytes') / plain;
    console.log(`| ${kind} | ${fmt(r, 2)}x | <= 1.5x | ${ok(r <= 1.5)} |`);
}
const nodePlain = perConnection('node-plain', 'workingSetBytes');
console.log(`\nocpp-rpc for reference: idle TLS / idle plain ${fmt(perConnection('node-rsa', 'workingSetBytes') / nodePlain, 2)}x (RSA), ${fmt(perConnection('node-ecdsa', 'workingSetBytes') / nodePlain, 2)}x (ECDSA).`);
const errors = Object.values(rows).flatMap((r) => (r.passes || []).filter((p) => p.firstError).map((p) => `${r.label} pass ${p.round}: ${p.firstError}`));
if (errors.length) console.log(`\nFirst errors:\n${errors.map((e) => `- ${e}`).join('\n')}`);
