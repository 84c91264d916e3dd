# Shared by the load-tool benchmark scripts (source it; needs `set -euo pipefail` and ROOT set to the repository):
#   lt_build                      builds the load tool into a temporary folder ($OUT, removed on exit) and sets $LT
#   lt_start COMMAND PORT ARGS…   starts `LoadTool COMMAND --port PORT ARGS…` in the background, waits until it listens
#   ab_rounds OFF_PORT ON_PORT OFF_LABEL ON_LABEL TARGET_PCT
#                                 ROUNDS interleaved rounds of the light client (CLIENTS x WINDOW calls in flight,
#                                 DURATION s after WARMUP s) against both servers, alternating which goes first; prints
#                                 the medians, the median of the per-round ratios and whether ON is within TARGET_PCT %
OUT=$(mktemp -d)
lt_pids=()
lt_cleanup() { for p in "${lt_pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$OUT"; }
trap lt_cleanup EXIT

lt_build() {
    dotnet build -c Release "$ROOT/benchmarks/Ocpp.Rpc.LoadTool" -o "$OUT/lt" > "$OUT/build.log" || { cat "$OUT/build.log"; exit 1; }
    LT="$OUT/lt/Ocpp.Rpc.LoadTool"
}

lt_start() {
    local command=$1 port=$2; shift 2
    "$LT" "$command" --port "$port" "$@" > "$OUT/server-$port.log" 2>&1 &
    lt_pids+=($!)
    for _ in $(seq 1 100); do grep -q listening "$OUT/server-$port.log" 2>/dev/null && return; sleep 0.1; done
    echo "server on $port did not start" >&2; cat "$OUT/server-$port.log" >&2; exit 1
}

ab_rounds() {
    local off_port=$1 on_port=$2 off_label=$3 on_label=$4 target=$5 results="$OUT/rounds.txt" off on
    rate() { "$LT" client --url "ws://127.0.0.1:$1/ocpp" --clients "$CLIENTS" --window "$WINDOW" --light --duration "$DURATION" --warmup "$WARMUP" \
             | tail -1 | sed 's/.*"callsPerSec":\([0-9.]*\).*/\1/'; }
    for round in $(seq 1 "$ROUNDS"); do
        # Alternate which goes first, so a drift of the machine's load does not favour one.
        if (( round % 2 )); then off=$(rate "$off_port"); on=$(rate "$on_port"); else on=$(rate "$on_port"); off=$(rate "$off_port"); fi
        echo "round $round: off=$off on=$on" | tee -a "$results"
    done
    python3 - "$results" "$off_label" "$on_label" "$target" <<'PY'
import statistics, sys
rows = [dict(p.split('=') for p in l.split(':', 1)[1].split()) for l in open(sys.argv[1])]
off_label, on_label, target = sys.argv[2], sys.argv[3], float(sys.argv[4])
off = statistics.median(float(r["off"]) for r in rows); on = statistics.median(float(r["on"]) for r in rows)
ratio = statistics.median(float(r["on"]) / float(r["off"]) for r in rows)
print(f"calls/s, median of rounds: {off_label} {off:.0f}, {on_label} {on:.0f}: {100 * (on / off - 1):+.1f} % (median of per-round ratios {100 * (ratio - 1):+.1f} %); target within {target:g} % -> {'met' if ratio >= 1 - target / 100 else 'NOT met'}")
PY
}
