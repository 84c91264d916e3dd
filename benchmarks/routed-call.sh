#!/usr/bin/env bash
# Routed CSMS-to-station calls across two server processes on one redis-server (issue 17), side by side:
#   ours routed      station on node B, caller on node A (load tool `cluster-node`, RedisOcppCluster)
#   ours linked      station on node B, caller on node L, both with node links (RedisClusterOptions.NodeLinks):
#                    presence through Redis, the call and its reply over the nodes' link (plain TCP, the
#                    library's default; LINK_TLS=1 for Encrypt = true)
#   ours local       the same station called from node B itself, in the same run
#   ocpp-ws-io       two Node processes with its RedisAdapter (ioredis), server.sendToClient from node A' to a
#                    station on node B' (routed), and from B' (local, for reference)
# The station is the same raw answering station for every server (load tool `station`), so the figures are the
# servers' and their backplanes'. Calls/s, p50 and p99 at 1 and 64 in flight; ROUNDS interleaved rounds, medians.
# "W in flight" means W calls on the station's socket at once, as in run-comparison.sh: every server runs its station
# connections with a call concurrency of CALL_CONCURRENCY (default: the largest window; both libraries default to 1,
# one call on the wire per station and the rest queued on the owner, which CALL_CONCURRENCY=1 measures).
# Server CPU per call: the CPU time (utime + stime from /proc) of the caller's node, the owner's node and the Redis
# server (when the script started it) over the whole command, divided by every call answered in it (warm-up included);
# the station, the load generator, is left out.
#
#   benchmarks/routed-call.sh            # ROUNDS=3 DURATION=5 WARMUP=1 WINDOWS="1 64"; about 7 minutes
#   ROUNDS=1 DURATION=1 WARMUP=0.5 benchmarks/routed-call.sh   # smoke run, about 40 s
#   REDIS=127.0.0.1:6379 benchmarks/routed-call.sh             # an existing Redis (nothing is started; keys are prefixed)
#   LINK_TLS=1 benchmarks/routed-call.sh                       # node links over TLS
#   CALL_CONCURRENCY=1 benchmarks/routed-call.sh               # one call at a time on the station's socket
#
# Needs: dotnet 10, node 20, redis-server (unless REDIS is given), `npm ci` in tests/interop (ocpp-ws-io, ioredis).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
WINDOWS=${WINDOWS:-"1 64"}
CALL_CONCURRENCY=${CALL_CONCURRENCY:-$(printf '%s\n' $WINDOWS | sort -n | tail -1)}
BASE_PORT=${BASE_PORT:-9700}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
P_REDIS=$((BASE_PORT)); P_A=$((BASE_PORT + 1)); P_B=$((BASE_PORT + 2)); P_WA=$((BASE_PORT + 3)); P_WB=$((BASE_PORT + 4)); P_L=$((BASE_PORT + 5))
LINK_KEY=routed-call-bench-$RANDOM-$RANDOM
LINK_FLAGS=(--link-key "$LINK_KEY"); [ "${LINK_TLS:-0}" = 1 ] && LINK_FLAGS+=(--link-tls)

[ -d tests/interop/node_modules/ioredis ] || (cd tests/interop && npm ci --silent)
dotnet build -c Release benchmarks/Ocpp.Rpc.LoadTool -v q -nologo -o "$OUT/loadtool" > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
LT=$OUT/loadtool/Ocpp.Rpc.LoadTool
: > "$OUT/results.jsonl"

PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

wait_for() { # file pattern what
    for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "$3 did not start:" >&2; cat "${1%.out}.err" >&2 2>/dev/null || true; exit 1
}

# A node reads commands on a FIFO held open by this script (fd in NODE_FD[name]) and answers each with one line.
declare -A NODE_FD NODE_PID
start_node() { # name command...
    local name=$1; shift
    mkfifo "$OUT/$name.in"
    "$@" < "$OUT/$name.in" > "$OUT/$name.out" 2> "$OUT/$name.err" &
    PIDS+=($!)
    NODE_PID[$name]=$!
    exec {fd}> "$OUT/$name.in"
    NODE_FD[$name]=$fd
    wait_for "$OUT/$name.out" listening "$name"
}
ask() { # name command -> prints the node's answer
    local name=$1 command=$2 before
    before=$(wc -l < "$OUT/$name.out")
    echo "$command" >&"${NODE_FD[$name]}"
    for _ in $(seq 1 $(( (${DURATION%.*} + ${WARMUP%.*} + 60) * 10 ))); do
        [ "$(wc -l < "$OUT/$name.out")" -gt "$before" ] && { tail -1 "$OUT/$name.out"; return 0; }
        sleep 0.1
    done
    echo "$name did not answer '$command'" >&2; exit 1
}
ticks() { # pid... -> their CPU time (utime + stime) in clock ticks, summed
    local total=0 pid
    # Fields 14 and 15 of /proc/PID/stat, counted after the command name's closing parenthesis (it may hold spaces).
    for pid in "$@"; do total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}'))); done
    echo "$total"
}
HZ=$(getconf CLK_TCK)
measure() { # label node identity window round owner-node
    local line pids before cpu_ms
    pids=("${NODE_PID[$2]}")
    [ "$6" != "$2" ] && pids+=("${NODE_PID[$6]}")
    [ -n "${REDIS_PID:-}" ] && pids+=("$REDIS_PID")
    before=$(ticks "${pids[@]}")
    line=$(ask "$2" "call $3 $4 $DURATION $WARMUP")
    cpu_ms=$(( ($(ticks "${pids[@]}") - before) * 1000 / HZ ))
    echo "{\"label\":\"$1\",\"window\":$4,\"round\":$5,\"serverCpuMs\":$cpu_ms,\"result\":$line}" >> "$OUT/results.jsonl"
    echo "  $1 x$4: $line (server CPU ${cpu_ms} ms)" >&2
}

if [ -n "${REDIS:-}" ]; then
    REDIS_ADDR=$REDIS
else
    redis-server --port "$P_REDIS" --bind 127.0.0.1 --save '' --appendonly no --dir "$OUT" > "$OUT/redis.out" 2>&1 &
    PIDS+=($!)
    REDIS_PID=$!
    wait_for "$OUT/redis.out" "Ready to accept" redis-server
    REDIS_ADDR=127.0.0.1:$P_REDIS
fi
PREFIX="bench-$$:"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
CC_FLAGS=(--call-concurrency "$CALL_CONCURRENCY")
echo "call concurrency per station connection: $CALL_CONCURRENCY" >&2
start_node ours-a "$LT" cluster-node --port $P_A --redis "$REDIS_ADDR" --node-id A --key-prefix "$PREFIX" "${CC_FLAGS[@]}"
start_node ours-b "$LT" cluster-node --port $P_B --redis "$REDIS_ADDR" --node-id B --key-prefix "$PREFIX" "${LINK_FLAGS[@]}" "${CC_FLAGS[@]}"
start_node ours-l "$LT" cluster-node --port $P_L --redis "$REDIS_ADDR" --node-id L --key-prefix "$PREFIX" "${LINK_FLAGS[@]}" "${CC_FLAGS[@]}"
start_node wsio-a node benchmarks/node/ocpp-ws-io-node.js --port $P_WA --redis "redis://$REDIS_ADDR" --node-id wsio-A "${CC_FLAGS[@]}"
start_node wsio-b node benchmarks/node/ocpp-ws-io-node.js --port $P_WB --redis "redis://$REDIS_ADDR" --node-id wsio-B "${CC_FLAGS[@]}"

"$LT" station --url ws://127.0.0.1:$P_B/ocpp --identity CP-OURS > "$OUT/station-ours.out" 2> "$OUT/station-ours.err" &
PIDS+=($!)
"$LT" station --url ws://127.0.0.1:$P_WB/ocpp --identity CP-WSIO > "$OUT/station-wsio.out" 2> "$OUT/station-wsio.err" &
PIDS+=($!)
wait_for "$OUT/station-ours.out" connected "station on ours-b"
wait_for "$OUT/station-wsio.out" connected "station on wsio-b"
for pair in "ours-a CP-OURS" "ours-l CP-OURS" "ours-b CP-OURS" "wsio-a CP-WSIO" "wsio-b CP-WSIO"; do
    set -- $pair
    line=$(ask "$1" "wait $2 30")
    echo "  $1 sees $2: $line" >&2
    echo "$line" | grep -q '"found":true' || { echo "$1 cannot reach $2" >&2; exit 1; }
done

# A short unmeasured run per scenario first (JIT, connection pools, Redis script cache, L's link to B).
for pair in "ours-a CP-OURS" "ours-l CP-OURS" "ours-b CP-OURS" "wsio-a CP-WSIO" "wsio-b CP-WSIO"; do
    set -- $pair
    ask "$1" "call $2 16 1 0" > /dev/null
done

for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
    for window in $WINDOWS; do
        # Alternate the order so that no scenario always runs right after the same other one.
        if [ $((round % 2)) -eq 1 ]; then order="ours-routed ours-linked ours-local wsio-routed wsio-local"; else order="wsio-routed wsio-local ours-local ours-linked ours-routed"; fi
        for scenario in $order; do
            case $scenario in
                ours-routed) measure ours-routed ours-a CP-OURS "$window" "$round" ours-b ;;
                ours-linked) measure ours-linked ours-l CP-OURS "$window" "$round" ours-b ;;
                ours-local) measure ours-local ours-b CP-OURS "$window" "$round" ours-b ;;
                wsio-routed) measure wsio-routed wsio-a CP-WSIO "$window" "$round" wsio-b ;;
                wsio-local) measure wsio-local wsio-b CP-WSIO "$window" "$round" wsio-b ;;
            esac
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cleanup; PIDS=()
node benchmarks/node/summarize-routed.js "$OUT/results.jsonl" "$ROUNDS" "$DURATION" "$WINDOWS" "$CALL_CONCURRENCY"
echo "raw results: $OUT/results.jsonl" >&2
