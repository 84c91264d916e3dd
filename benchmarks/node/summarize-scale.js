#!/usr/bin/env node
// Prints scale-100k.sh's result.json as markdown: memory per node and per station, Redis load, the node kill.
'use strict';
const r = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');
console.log(`\n${fmt(r.stations)} stations on ${r.nodes} nodes (${r.fleets} load processes), every one booted in ${fmt(r.bootMs / 1000, 1)} s; Heartbeat + MeterValues every ${r.interval} s each\n`);
console.log('| node | stations | RSS (MiB) | GC heap (MiB) | RSS per station (KiB) | GC heap per station (KiB) | boots / heartbeats / meter values handled |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
let rss = 0, heap = 0, n = 0;
for (const node of r.nodeList) {
    const s = node.stats || {};
    rss += node.rssKiB; heap += (s.gcHeapBytes || 0) / 1024; n += s.connections || 0;
    console.log(`| ${node.node} | ${fmt(s.connections)} | ${fmt(node.rssKiB / 1024, 1)} | ${fmt((s.gcHeapBytes || 0) / 1048576, 1)} | ${fmt(node.rssKiB / s.connections, 1)} | ${fmt((s.gcHeapBytes || 0) / 1024 / s.connections, 1)} | ${fmt(s.boots)} / ${fmt(s.heartbeats)} / ${fmt(s.meterValues)} |`);
}
console.log(`| all | ${fmt(n)} | ${fmt(rss / 1024, 1)} | ${fmt(heap / 1024, 1)} | ${fmt(rss / n, 1)} | ${fmt(heap / n, 1)} | |`);
console.log(`\nRedis: ${fmt(r.redis.opsPerSec)} ops/s (instantaneous_ops_per_sec; ${fmt(r.redis.avgOpsPerSec)} on average over the steady phase from total_commands_processed), used_memory ${fmt(r.redis.usedMemoryBytes / 1048576, 1)} MiB (${fmt(r.redis.usedMemoryBytes / r.stations)} B per station), RSS ${fmt(r.redis.rssKiB / 1024, 1)} MiB, ${fmt(r.redis.keys)} keys. Load processes: ${fmt(r.fleetRssKiB / 1024, 1)} MiB RSS in all.`);
const k = r.kill;
console.log(`\nSIGKILL of node ${k.node} holding ${fmt(k.stations)} stations: ${k.recovered ? `all connected to other nodes after **${fmt(k.recoverMs / 1000, 2)} s** (last reconnect)` : '**not all reconnected within the limit**'}; survivors then held ${fmt(k.connectedOnSurvivors)} of ${fmt(r.stations)}.`);
const lost = r.calls.accepted - r.calls.answered;
console.log(`Calls accepted by the fleet ${fmt(r.calls.accepted)}, answered ${fmt(r.calls.answered)}: ${lost === 0 ? '**none lost**' : `**${fmt(lost)} lost**`}.`);
