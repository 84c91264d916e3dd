#!/usr/bin/env node
// Turns run-comparison.sh's results.jsonl into a markdown table of medians, with the issue's targets.
'use strict';
const fs = require('fs');
const [file, rounds, duration, clients, window, idleN, latRounds, latDuration, pinRounds] = process.argv.slice(2);
const rows = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const median = (xs) => { const s = xs.filter((x) => x !== null && !Number.isNaN(x)).sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
const of = (label, key) => median(rows.filter((r) => r.label === label).map((r) => r.result[key]));
const errs = (label) => rows.filter((r) => r.label === label).reduce((a, r) => a + (r.result.errors || 0), 0);
const fmt = (x, d = 0) => Number.isNaN(x) ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const ok = (b) => (b ? '**met**' : 'not met');
const signed = (x, d = 1) => (x >= 0 ? '+' : '') + fmt(x, d);

const lo = of('light-ours', 'callsPerSec'), ln = of('light-node', 'callsPerSec'), ls = of('light-strict', 'callsPerSec');
const fo = of('full-ours', 'callsPerSec'), fn = of('full-node', 'callsPerSec');
const po = of('latency-ours', 'p50Ms'), pe = of('latency-echo', 'p50Ms'), pn = of('latency-node', 'p50Ms'), pi = of('latency-inline', 'p50Ms');
const qo = of('pinned-ours', 'p50Ms'), qe = of('pinned-echo', 'p50Ms'), qn = of('pinned-node', 'p50Ms'), qi = of('pinned-inline', 'p50Ms');
// Unpinned 1 x 1 rounds fall into two scheduling modes (about 25 or 40 us on this machine, whichever server): split the
// pooled p50s of ours and the echo at the threshold that best separates them (1-D two-means), then compare within each.
const p50s = (label) => rows.filter((r) => r.label === label).map((r) => r.result.p50Ms);
const modes = (() => {
    const all = [...p50s('latency-ours'), ...p50s('latency-echo')].sort((a, b) => a - b);
    let best = { cost: Infinity, at: NaN };
    for (let i = 1; i < all.length; i++) {
        const below = all.slice(0, i), above = all.slice(i);
        const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;
        const cost = [below, above].reduce((c, xs) => { const m = mean(xs); return c + xs.reduce((a, x) => a + (x - m) ** 2, 0); }, 0);
        if (cost < best.cost) { best = { cost, at: (all[i - 1] + all[i]) / 2 }; }
    }
    const split = (label) => ({ fast: p50s(label).filter((x) => x < best.at), slow: p50s(label).filter((x) => x >= best.at) });
    return { at: best.at, ours: split('latency-ours'), echo: split('latency-echo') };
})();
const idle = (label) => {
    const r = rows.find((x) => x.label === label);
    if (!r) { return { ws: NaN, heap: NaN, coldWs: NaN, coldHeap: NaN, n: 0 }; }
    const n = r.after.connections - r.before.connections;
    const per = (base, key) => (base ? (r.after[key] - base[key]) / n / 1024 : NaN);
    return { ws: per(r.before, 'workingSetBytes'), heap: per(r.before, 'gcHeapBytes'), coldWs: per(r.cold, 'workingSetBytes'), coldHeap: per(r.cold, 'gcHeapBytes'), n };
};
const io = idle('idle-ours'), inode = idle('idle-node');
// Median of the per-round ratios: each pair ran back to back, so this filters load that changed between rounds.
const paired = (a, b, key) => median(rows.filter((r) => r.label === a).map((r) => {
    const other = rows.find((x) => x.label === b && x.round === r.round);
    return other ? r.result[key] / other.result[key] : null;
}));

console.log(`Medians of ${rounds} interleaved rounds, ${duration} s each after warm-up; throughput runs: ${clients} stations x ${window} calls in flight; latency (d): ${latRounds} rounds of ${latDuration} s; Heartbeat (ocpp1.6), loopback.\n`);
console.log('| scenario | Ocpp.Rpc | reference | ratio | target | result |');
console.log('| --- | ---: | ---: | ---: | --- | --- |');
console.log(`| (a) server, light client (calls/s) | ${fmt(lo)} | ocpp-rpc server ${fmt(ln)} | ${fmt(lo / ln, 2)}x | >= 2x | ${ok(lo / ln >= 2)} |`);
console.log(`| (b) client + server (calls/s) | ${fmt(fo)} | ocpp-rpc client + server ${fmt(fn)} | ${fmt(fo / fn, 2)}x | >= 5x | ${ok(fo / fn >= 5)} |`);
console.log(`| (c) strict mode, light client (calls/s) | ${fmt(ls)} | not strict ${fmt(lo)} | cost ${fmt(100 * (1 - ls / lo), 1)} % | <= 15 % | ${ok(1 - ls / lo <= 0.15)} |`);
console.log(`| (d) light-load p50 latency, 1 x 1 (ms) | ${fmt(po, 4)} | Kestrel echo ${fmt(pe, 4)} (ocpp-rpc ${fmt(pn, 4)}) | ${signed(100 * (po / pe - 1))} % | <= +10 % | ${ok(po <= pe * 1.1)} |`);
if (!Number.isNaN(qo)) console.log(`| (d) the same, latency servers and client pinned to one core | ${fmt(qo, 4)} | Kestrel echo ${fmt(qe, 4)} (ocpp-rpc ${fmt(qn, 4)}) | ${signed(100 * (qo / qe - 1))} % | <= +10 % | ${ok(qo <= qe * 1.1)} |`);
console.log(`| (d') the same with PreferInlineScheduling (not the default) | ${fmt(pi, 4)} | Kestrel echo ${fmt(pe, 4)} | ${signed(100 * (pi / pe - 1))} % | <= +10 % | ${ok(pi <= pe * 1.1)} |`);
if (!Number.isNaN(qi)) console.log(`| (d') the same, pinned | ${fmt(qi, 4)} | Kestrel echo ${fmt(qe, 4)} | ${signed(100 * (qi / qe - 1))} % | <= +10 % | ${ok(qi <= qe * 1.1)} |`);
console.log(`| (e) memory per idle connection at ${idleN} (KiB, working set; warm baseline) | ${fmt(io.ws, 1)} (GC heap ${fmt(io.heap, 1)}) | ocpp-rpc ${fmt(inode.ws, 1)} (JS heap ${fmt(inode.heap, 1)}) | | <= 16 KiB | ${ok(io.ws <= 16)} |`);
console.log(`| (e') the same from a cold baseline (code loading charged to the connections) | ${fmt(io.coldWs, 1)} (GC heap ${fmt(io.coldHeap, 1)}) | ocpp-rpc ${fmt(inode.coldWs, 1)} (JS heap ${fmt(inode.coldHeap, 1)}) | | <= 16 KiB | ${ok(io.coldWs <= 16)} |`);
console.log('');
console.log(`p99 latency (ms): light/ours ${fmt(of('light-ours', 'p99Ms'), 2)}, light/ocpp-rpc ${fmt(of('light-node', 'p99Ms'), 2)}, full/ours ${fmt(of('full-ours', 'p99Ms'), 2)}, full/ocpp-rpc ${fmt(of('full-node', 'p99Ms'), 2)}, 1x1 ours ${fmt(of('latency-ours', 'p99Ms'), 3)}, 1x1 inline ${fmt(of('latency-inline', 'p99Ms'), 3)}, 1x1 echo ${fmt(of('latency-echo', 'p99Ms'), 3)}.`);
console.log(`Median of per-round ratios: (a) ${fmt(paired('light-ours', 'light-node', 'callsPerSec'), 2)}x, (b) ${fmt(paired('full-ours', 'full-node', 'callsPerSec'), 2)}x, (c) strict cost ${fmt(100 * (1 - paired('light-strict', 'light-ours', 'callsPerSec')), 1)} %, (d) p50 vs echo ${signed(100 * (paired('latency-ours', 'latency-echo', 'p50Ms') - 1))} %, (d') ${signed(100 * (paired('latency-inline', 'latency-echo', 'p50Ms') - 1))} %.`);
const mode = (name) => `${fmt(1000 * median(modes.ours[name]), 1)} us (${modes.ours[name].length} rounds) vs echo ${fmt(1000 * median(modes.echo[name]), 1)} us (${modes.echo[name].length}), ${signed(100 * (median(modes.ours[name]) / median(modes.echo[name]) - 1))} %`;
console.log(`Unpinned (d) by scheduling mode (split at ${fmt(1000 * modes.at, 1)} us): fast ${mode('fast')}; slow ${mode('slow')}. Pinned rounds: ${pinRounds}; pinned p99 ours ${fmt(of('pinned-ours', 'p99Ms'), 3)}, echo ${fmt(of('pinned-echo', 'p99Ms'), 3)}; median of per-round ratios pinned ${signed(100 * (paired('pinned-ours', 'pinned-echo', 'p50Ms') - 1))} %.`);
console.log(`Errors: ${['light-ours', 'light-node', 'light-strict', 'full-ours', 'full-node', 'latency-ours', 'latency-inline', 'latency-node', 'pinned-ours', 'pinned-inline', 'pinned-echo', 'pinned-node'].map((l) => `${l} ${errs(l)}`).join(', ')}; idle connected: ours ${io.n}, ocpp-rpc ${inode.n}.`);
