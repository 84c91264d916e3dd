#!/usr/bin/env bash
# Issue 14's target: a DI-scoped typed handler class behind two empty call filters costs at most 10 % of the server
# throughput of a plain typed delegate. Starts the load tool's `hosted` server (AddOcppServer + MapOcpp on a real
# WebApplication) twice, the second with `--di`, and runs ROUNDS interleaved rounds of the light client (CLIENTS x
# WINDOW calls in flight, DURATION seconds) against each; prints the medians and the median of the per-round ratios.
#
#   benchmarks/hosted-di-cost.sh                         # ROUNDS=7 DURATION=5 WARMUP=2 CLIENTS=8 WINDOW=16
#   ROUNDS=1 DURATION=1 WARMUP=0.5 benchmarks/hosted-di-cost.sh   # smoke run
set -euo pipefail
ROUNDS=${ROUNDS:-7}; DURATION=${DURATION:-5}; WARMUP=${WARMUP:-2}; CLIENTS=${CLIENTS:-8}; WINDOW=${WINDOW:-16}
OFF_PORT=${OFF_PORT:-9481}; ON_PORT=${ON_PORT:-9482}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mktemp -d)
dotnet build -c Release "$ROOT/benchmarks/Ocpp.Rpc.LoadTool" -o "$OUT/lt" > "$OUT/build.log" || { cat "$OUT/build.log"; exit 1; }
LT="$OUT/lt/Ocpp.Rpc.LoadTool"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$OUT"; }
trap cleanup EXIT
start() {
    local port=$1; shift
    "$LT" hosted --port "$port" "$@" > "$OUT/server-$port.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do grep -q listening "$OUT/server-$port.log" 2>/dev/null && return; sleep 0.1; done
    echo "server on $port did not start" >&2; cat "$OUT/server-$port.log" >&2; exit 1
}
start "$OFF_PORT"
start "$ON_PORT" --di

rate() { "$LT" client --url "ws://127.0.0.1:$1/ocpp" --clients "$CLIENTS" --window "$WINDOW" --light --duration "$DURATION" --warmup "$WARMUP" \
         | tail -1 | sed 's/.*"callsPerSec":\([0-9.]*\).*/\1/'; }
results="$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
    # Alternate which goes first, so a drift of the machine's load does not favour one.
    if (( round % 2 )); then off=$(rate "$OFF_PORT"); on=$(rate "$ON_PORT"); else on=$(rate "$ON_PORT"); off=$(rate "$OFF_PORT"); fi
    echo "round $round: off=$off on=$on" | tee -a "$results"
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [dict(p.split('=') for p in l.split(':', 1)[1].split()) for l in open(sys.argv[1])]
off = statistics.median(float(r["off"]) for r in rows); on = statistics.median(float(r["on"]) for r in rows)
ratio = statistics.median(float(r["on"]) / float(r["off"]) for r in rows)
print(f"calls/s, median of rounds: plain delegate {off:.0f}, DI-scoped class + two filters {on:.0f}: {100 * (on / off - 1):+.1f} % (median of per-round ratios {100 * (ratio - 1):+.1f} %); target within 10 % -> {'met' if ratio >= 0.90 else 'NOT met'}")
PY
