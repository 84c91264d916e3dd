#!/usr/bin/env bash
# Light-load latency A/B: one station, one call in flight, against servers that are already listening; ROUNDS
# interleaved rounds of DURATION seconds after a WARMUP-second run against each. Prints each round's p50 and the
# medians. Servers come from the load tool (`server`, `echo`) or anything speaking OCPP-J Heartbeat.
#
#   LT=path/to/Ocpp.Rpc.LoadTool benchmarks/latency-ab.sh ours:9401 echo:9404
#   ROUNDS=15 DURATION=3 WARMUP=10 PIN="taskset -c 1" ...    # PIN prefixes the client (pin the servers yourself)
set -euo pipefail
ROUNDS=${ROUNDS:-15}; DURATION=${DURATION:-3}; WARMUP=${WARMUP:-10}; PIN=${PIN:-}
LT=${LT:?set LT to the load tool executable}
[ $# -ge 2 ] || { echo "usage: latency-ab.sh name:port name:port [...]" >&2; exit 2; }

p50() { $PIN "$LT" client --url "ws://127.0.0.1:$1/ocpp" --clients 1 --window 1 --duration "$2" --warmup 1 --light \
        | tail -1 | sed 's/.*"p50Ms":\([0-9.]*\).*/\1/'; }
for spec in "$@"; do p50 "${spec##*:}" "$WARMUP" > /dev/null; done
results=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
    line="round $round:"
    for spec in "$@"; do line="$line ${spec%%:*}=$(p50 "${spec##*:}" "$DURATION")"; done
    echo "$line" | tee -a "$results"
done
python3 - "$results" "$@" <<'PY'
import statistics, sys
rows = [dict(p.split('=') for p in l.split(':', 1)[1].split()) for l in open(sys.argv[1])]
names = [s.split(':')[0] for s in sys.argv[2:]]
base = names[-1]
for n in names:
    xs = [float(r[n]) for r in rows]
    ratio = statistics.median(float(r[n]) / float(r[base]) for r in rows)
    print(f"{n}: median p50 {statistics.median(xs) * 1000:.1f} us; vs {base}: {100 * (statistics.median(xs) / statistics.median(float(r[base]) for r in rows) - 1):+.1f} % (median of per-round ratios {100 * (ratio - 1):+.1f} %)")
PY
rm -f "$results"
