#!/usr/bin/env bash
# Side-by-side, interleaved comparison of Ocpp.Rpc and ocpp-rpc@2.2.1 on this machine (loopback, server and clients
# sharing the CPU). Prints a markdown table of medians over ROUNDS rounds. Bounded: about 12 minutes by default.
#
#   benchmarks/run-comparison.sh                    # ROUNDS=3 DURATION=5 CLIENTS=8 WINDOW=16 IDLE=10000
#   ROUNDS=5 DURATION=10 benchmarks/run-comparison.sh
#   LAT_ROUNDS=15 LAT_DURATION=2                    # the 1 x 1 latency phase (d), after the throughput rounds
#   PIN_ROUNDS=10 PIN_CPU=1                         # then (d) again with the latency servers and client on one core
#
# Needs: dotnet 10, node 20, `npm ci` in tests/interop (ocpp-rpc@2.2.1), ulimit -n above 2*IDLE+100.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
CLIENTS=${CLIENTS:-8}
WINDOW=${WINDOW:-16}
IDLE=${IDLE:-10000}
LAT_ROUNDS=${LAT_ROUNDS:-15}
LAT_DURATION=${LAT_DURATION:-2}
PIN_ROUNDS=${PIN_ROUNDS:-10}
PIN_CPU=${PIN_CPU:-1}
BASE_PORT=${BASE_PORT:-9400}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"

P_OURS=$((BASE_PORT + 1)); P_STRICT=$((BASE_PORT + 2)); P_NODE=$((BASE_PORT + 3)); P_ECHO=$((BASE_PORT + 4))
P_IDLE_OURS=$((BASE_PORT + 5)); P_IDLE_NODE=$((BASE_PORT + 6)); P_LATENCY=$((BASE_PORT + 7)); P_INLINE=$((BASE_PORT + 8))

[ -d tests/interop/node_modules/ocpp-rpc ] || (cd tests/interop && npm ci --silent)
dotnet build -c Release benchmarks/Ocpp.Rpc.LoadTool -v q -nologo -o "$OUT/loadtool" > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
LT=$OUT/loadtool/Ocpp.Rpc.LoadTool
: > "$OUT/results.jsonl" # an OUT folder reused from an earlier run must not mix its rounds into this table

PIDS=()
declare -A SERVER_PID
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

start() { # name command...
    local name=$1; shift
    "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" &
    PIDS+=($!)
    SERVER_PID[$name]=$!
    for _ in $(seq 1 100); do grep -q listening "$OUT/$name.out" 2>/dev/null && return 0; sleep 0.1; done
    echo "$name did not start:" >&2; cat "$OUT/$name.err" >&2; exit 1
}

run() { # label round command...
    local label=$1 round=$2; shift 2
    local line
    line=$("$@" 2>>"$OUT/clients.err" | tail -1)
    echo "{\"label\":\"$label\",\"round\":$round,\"result\":$line}" >> "$OUT/results.jsonl"
    echo "  $label: $line" >&2
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
start ours   "$LT" server --port $P_OURS
start strict "$LT" server --port $P_STRICT --strict
start node   node benchmarks/node/ocpp-rpc-server.js --port $P_NODE
start echo   "$LT" echo --port $P_ECHO
# A server of ours used for the latency scenario only, so that like the echo it has not just been driven by the
# throughput scenarios (a bigger thread pool and heap would make the comparison unfair in either direction).
start latency "$LT" server --port $P_LATENCY
# (d') the same with OcppServerOptions.PreferInlineScheduling (the low-latency trade-off; not the default).
start inline "$LT" server --port $P_INLINE --inline

C="--clients $CLIENTS --window $WINDOW --duration $DURATION --warmup $WARMUP"
L="--clients 1 --window 1 --duration $LAT_DURATION --warmup 1"
# The latency servers serve nothing but the 1 x 1 runs: give each the same 10 s of that load first, so that the
# rounds measure steady state rather than tiered compilation (ours compiles about 5,000 methods, the echo 3,700).
for port in $P_LATENCY $P_INLINE $P_ECHO; do
    "$LT" client --url ws://127.0.0.1:$port/ocpp --clients 1 --window 1 --duration 10 --warmup 0 --light > /dev/null 2>>"$OUT/clients.err"
done
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
    run light-ours        "$round" "$LT" client --url ws://127.0.0.1:$P_OURS/ocpp $C --light
    run light-node        "$round" "$LT" client --url ws://127.0.0.1:$P_NODE/ocpp $C --light
    run light-strict      "$round" "$LT" client --url ws://127.0.0.1:$P_STRICT/ocpp $C --light
    run full-ours         "$round" "$LT" client --url ws://127.0.0.1:$P_OURS/ocpp $C
    run full-node         "$round" node benchmarks/node/ocpp-rpc-client.js --url ws://127.0.0.1:$P_NODE/ocpp $C
done
# (d) in a phase of its own, after the throughput scenarios: single 1 x 1 rounds are bimodal on two shared cores
# (about 25-35 or 40-60 us, for every server, depending on where the scheduler puts the threads), so this phase runs
# more, shorter rounds than the others and alternates which server goes first.
latency_round() { # label-prefix round client-command... (the URL is appended)
    local prefix=$1 round=$2; shift 2
    local order="ours inline echo"
    [ $((round % 2)) -eq 1 ] || order="echo inline ours"
    for server in $order node; do
        local port
        case $server in ours) port=$P_LATENCY ;; inline) port=$P_INLINE ;; echo) port=$P_ECHO ;; node) port=$P_NODE ;; esac
        run "$prefix-$server" "$round" "$@" --url ws://127.0.0.1:$port/ocpp
    done
}
for round in $(seq 1 "$LAT_ROUNDS"); do
    echo "latency round $round/$LAT_ROUNDS (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
    latency_round latency "$round" "$LT" client $L --light
done
# (d) pinned: every thread of the latency servers, and the client, on one core. This takes the scheduler's placement
# out of the figure (the bimodality above), leaving what each server costs per call; server and client still share
# the machine, now one core of it.
if [ "$PIN_ROUNDS" -gt 0 ]; then
    for name in latency inline echo node; do taskset -a -p -c "$PIN_CPU" "${SERVER_PID[$name]}" > /dev/null; done
    for port in $P_LATENCY $P_INLINE $P_ECHO; do
        taskset -c "$PIN_CPU" "$LT" client --url ws://127.0.0.1:$port/ocpp --clients 1 --window 1 --duration 3 --warmup 0 --light > /dev/null 2>>"$OUT/clients.err"
    done
fi
for round in $(seq 1 "$PIN_ROUNDS"); do
    echo "pinned latency round $round/$PIN_ROUNDS (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
    latency_round pinned "$round" taskset -c "$PIN_CPU" "$LT" client $L --light
done
cleanup; PIDS=()

# Idle memory: a fresh server reports its memory every 2 s (after a full GC); N idle stations connect; the figure
# is (memory at N - memory at 0) / N, from the second report after all are connected. "Memory at 0" is taken twice:
# cold (nothing has connected yet) and warm (after 200 stations connected and left), so that the one-time cost of
# loading and compiling the connection code (about 25 MB of working set for ours, almost no heap) is not charged to
# the connections; both figures are printed.
idle() { # label port server-command...
    local label=$1 port=$2; shift 2
    start "$label" "$@" --port "$port" --report-memory 2
    sleep 3
    local cold; cold=$(grep '"memory"' "$OUT/$label.out" | tail -1)
    "$LT" idle --url ws://127.0.0.1:$port/ocpp --clients 200 --hold 2 > "$OUT/$label-warmup.out" 2>>"$OUT/clients.err"
    sleep 5
    local before; before=$(grep '"memory"' "$OUT/$label.out" | tail -1)
    "$LT" idle --url ws://127.0.0.1:$port/ocpp --clients "$IDLE" --hold 600 > "$OUT/$label-idle.out" 2>>"$OUT/clients.err" &
    local idle_pid=$!; PIDS+=($idle_pid)
    for _ in $(seq 1 180); do grep -q '"idle"' "$OUT/$label-idle.out" 2>/dev/null && break; sleep 1; done
    sleep 5
    local after; after=$(grep '"memory"' "$OUT/$label.out" | tail -1)
    echo "{\"label\":\"$label\",\"round\":1,\"cold\":$cold,\"before\":$before,\"after\":$after,\"idle\":$(cat "$OUT/$label-idle.out" | tail -1)}" >> "$OUT/results.jsonl"
    echo "  $label: $cold (cold) / $before (warm) -> $after" >&2
    cleanup; PIDS=()
    sleep 2
}
idle idle-ours $P_IDLE_OURS "$LT" server
idle idle-node $P_IDLE_NODE node --expose-gc benchmarks/node/ocpp-rpc-server.js

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
node benchmarks/node/summarize.js "$OUT/results.jsonl" "$ROUNDS" "$DURATION" "$CLIENTS" "$WINDOW" "$IDLE" "$LAT_ROUNDS" "$LAT_DURATION" "$PIN_ROUNDS"
echo "raw results: $OUT/results.jsonl" >&2
