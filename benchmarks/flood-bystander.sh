#!/usr/bin/env bash
# Issue 16's target: a flooding station must not raise a bystander's p99 latency by more than 20 % when the per-station
# call rate limit is on. Starts two servers of the load tool, one with `--call-rate RATE` (back-pressure, the default)
# and one without, then runs ROUNDS interleaved rounds of DURATION seconds, each with:
#   alone    the bystander (1 light station, 1 call in flight, PACE_MS between calls: well within RATE) on the
#            limited server, nothing else
#   limited  the bystander while FLOODERS light stations keep FLOOD_WINDOW calls each in flight on the limited server
#   open     the same flood on the server without a limit (what the limit protects against)
# and prints the medians of the bystander's p99 and the flood's accepted rate, and limited vs alone.
#
#   benchmarks/flood-bystander.sh   # ROUNDS=5 DURATION=20 WARMUP=2 RATE=100 PACE_MS=20 FLOODERS=1 FLOOD_WINDOW=64 (1,000 bystander calls a round)
#   ROUNDS=1 DURATION=1 WARMUP=0.5 benchmarks/flood-bystander.sh   # smoke run
set -euo pipefail
ROUNDS=${ROUNDS:-5}; DURATION=${DURATION:-20}; WARMUP=${WARMUP:-2}; RATE=${RATE:-100}; PACE_MS=${PACE_MS:-20}
FLOODERS=${FLOODERS:-1}; FLOOD_WINDOW=${FLOOD_WINDOW:-64}
LIMITED_PORT=${LIMITED_PORT:-9461}; OPEN_PORT=${OPEN_PORT:-9462}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/benchmarks/lib/load-tool.sh"
lt_build
lt_start server "$LIMITED_PORT" --raw --call-rate "$RATE"
lt_start server "$OPEN_PORT" --raw

run() { # port, flooders
    "$LT" client --url "ws://127.0.0.1:$1/ocpp" --clients 1 --window 1 --light --pace "$PACE_MS" --duration "$DURATION" --warmup "$WARMUP" \
        --flood-clients "$2" --flood-window "$FLOOD_WINDOW" | tail -1
}
results="$OUT/rounds.jsonl"
for round in $(seq 1 "$ROUNDS"); do
    for scenario in alone limited open; do
        case $scenario in
            alone) line=$(run "$LIMITED_PORT" 0) ;;
            limited) line=$(run "$LIMITED_PORT" "$FLOODERS") ;;
            open) line=$(run "$OPEN_PORT" "$FLOODERS") ;;
        esac
        echo "{\"round\":$round,\"scenario\":\"$scenario\",\"result\":$line}" | tee -a "$results"
    done
done
python3 - "$results" "$RATE" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(s, key): return statistics.median(r["result"][key] for r in rows if r["scenario"] == s)
alone, limited, opened = med("alone", "p99Ms"), med("limited", "p99Ms"), med("open", "p99Ms")
print(f"bystander p99, median of rounds: alone {alone:.3f} ms; with flood, rate limit {sys.argv[2]}/s: {limited:.3f} ms ({100 * (limited / alone - 1):+.1f} %); with flood, no limit: {opened:.3f} ms ({100 * (opened / alone - 1):+.1f} %)")
def per_round(s):
    by = {(r["round"], r["scenario"]): r["result"]["p99Ms"] for r in rows}
    return statistics.median(by[(n, s)] / by[(n, "alone")] for n in sorted({r["round"] for r in rows}))
print(f"median of per-round ratios to alone: limited {100 * (per_round('limited') - 1):+.1f} %, no limit {100 * (per_round('open') - 1):+.1f} %")
print(f"flood accepted: limited {med('limited', 'floodCallsPerSec'):.0f} calls/s, no limit {med('open', 'floodCallsPerSec'):.0f} calls/s; target: limited within +20 % of alone -> {'met' if limited <= 1.2 * alone else 'NOT met'}")
PY
