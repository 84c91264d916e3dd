#!/usr/bin/env node
// Turns routed-call.sh's results.jsonl into a markdown table of medians, with issue 17's targets:
// ours routed >= 5x ocpp-ws-io routed (calls/s), ours routed p50 <= 3x ours local p50; and the servers' CPU per call
// (caller node + owner node + Redis, from the script's /proc readings, over every call of the command).
'use strict';
const fs = require('fs');
const [file, rounds, duration, windowList, concurrency] = process.argv.slice(2);
const rows = fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const windows = (windowList || '1 64').split(/\s+/).filter(Boolean).map(Number);
const median = (xs) => {
    const s = xs.filter((x) => x !== null && x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const pick = (label, w) => rows.filter((r) => r.label === label && r.window === w);
const of = (label, w, key) => median(pick(label, w).map((r) => r.result[key]));
// Server CPU per call in microseconds, per row (NaN when the row has no reading).
const cpuUs = (r) => (r.serverCpuMs !== undefined && r.result.allCalls ? (r.serverCpuMs * 1000) / r.result.allCalls : NaN);
const cpuOf = (label, w) => median(pick(label, w).map(cpuUs));
const errs = (label, w) => pick(label, w).reduce((a, r) => a + (r.result.errors || 0), 0);
// Median of the per-round ratios: robust when the machine's load changes between rounds.
const perRoundBy = (a, b, w, value) => median(pick(a, w).map((r) => {
    const other = pick(b, w).find((o) => o.round === r.round);
    return other ? value(r) / value(other) : NaN;
}));
const perRound = (a, b, w, key) => perRoundBy(a, b, w, (r) => r.result[key]);
const fmt = (x, d = 0) => (Number.isNaN(x) ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const ok = (b) => (b ? '**met**' : 'not met');

const scenarios = [
    ['ours-linked', 'ours routed, node link'],
    ['ours-routed', 'ours routed, Redis'],
    ['ours-local', 'ours local'],
    ['wsio-routed', 'ocpp-ws-io routed'],
    ['wsio-local', 'ocpp-ws-io local'],
].filter(([label]) => rows.some((r) => r.label === label));
console.log(`\nRouted calls (1.6 DataTransfer, CSMS to station), ${rounds} rounds of ${duration} s, medians; call concurrency per station ${concurrency || 'n/a'}; load average ${require('os').loadavg()[0].toFixed(1)}\n`);
console.log(`| in flight | ${scenarios.map(([, name]) => `${name} calls/s`).join(' | ')} | ${scenarios.map(([, name]) => `${name} p50 / p99 (ms)`).join(' | ')} | errors |`);
console.log(`| ---: | ${scenarios.map(() => '---:').join(' | ')} | ${scenarios.map(() => '---:').join(' | ')} | ---: |`);
for (const w of windows) {
    console.log(`| ${w} | ${scenarios.map(([label]) => fmt(of(label, w, 'callsPerSec'))).join(' | ')} | `
        + `${scenarios.map(([label]) => `${fmt(of(label, w, 'p50Ms'), 3)} / ${fmt(of(label, w, 'p99Ms'), 3)}`).join(' | ')} | `
        + `${scenarios.map(([label]) => errs(label, w)).reduce((a, b) => a + b, 0)} |`);
}
console.log(`\nServer CPU per call (us; caller node + owner node + Redis):\n`);
console.log(`| in flight | ${scenarios.map(([, name]) => name).join(' | ')} |`);
console.log(`| ---: | ${scenarios.map(() => '---:').join(' | ')} |`);
for (const w of windows) {
    console.log(`| ${w} | ${scenarios.map(([label]) => fmt(cpuOf(label, w), 1)).join(' | ')} |`);
}
console.log('\n| ratio | in flight | medians | per-round | target | result |');
console.log('| --- | ---: | ---: | ---: | --- | --- |');
for (const [label, name] of scenarios.filter(([l]) => l === 'ours-linked' || l === 'ours-routed')) {
    for (const w of windows) {
        const t = of(label, w, 'callsPerSec') / of('wsio-routed', w, 'callsPerSec');
        console.log(`| ${name} / ocpp-ws-io routed, calls/s | ${w} | ${fmt(t, 2)}x | ${fmt(perRound(label, 'wsio-routed', w, 'callsPerSec'), 2)}x | >= 5x | ${ok(t >= 5)} |`);
    }
    for (const w of windows) {
        const c = cpuOf('wsio-routed', w) / cpuOf(label, w);
        console.log(`| ocpp-ws-io routed / ${name}, server CPU per call | ${w} | ${fmt(c, 2)}x | ${fmt(perRoundBy('wsio-routed', label, w, cpuUs), 2)}x | (for reference) | |`);
    }
    for (const w of windows) {
        const l = of(label, w, 'p50Ms') / of('ours-local', w, 'p50Ms');
        console.log(`| ${name} p50 / ours local p50 | ${w} | ${fmt(l, 2)}x | ${fmt(perRound(label, 'ours-local', w, 'p50Ms'), 2)}x | <= 3x | ${ok(l <= 3)} |`);
    }
}
const firstErrors = rows.filter((r) => r.result.firstError).map((r) => `${r.label} x${r.window} round ${r.round}: ${r.result.firstError}`);
if (firstErrors.length) console.log(`\nFirst errors:\n${firstErrors.map((e) => `- ${e}`).join('\n')}`);
