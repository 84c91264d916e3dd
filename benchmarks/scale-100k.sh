#!/usr/bin/env bash
# 100,000 stations on this machine (issue 17): NODES server processes (load tool `cluster-node`, RedisOcppCluster) on
# one redis-server, FLEETS load processes (`fleet`, light stations) each from its own 127.x source address. Every
# station boots and sends a Heartbeat and a MeterValues every INTERVAL s. Once all are booted and STEADY s have
# passed: memory per node and per station (RSS and GC heap after a full GC), Redis ops/s (INFO stats
# instantaneous_ops_per_sec) and used_memory. Then one node is killed with SIGKILL: the time until all of its
# stations are connected to other nodes (the fleet re-spreads them), and at the end no accepted call lost (calls
# the fleet accepted vs answered, unanswered ones being sent again after the reconnect). Bounded; cleans up.
#
#   benchmarks/scale-100k.sh                  # STATIONS=100000 NODES=7 FLEETS=6 INTERVAL=30 STEADY=30; about 6-10 minutes
#   STATIONS=2000 NODES=3 FLEETS=2 INTERVAL=5 STEADY=5 benchmarks/scale-100k.sh   # smoke run, about 1 minute
#
# The fd limit is 20,000 per process: keep STATIONS/NODES (and STATIONS/(NODES-1) after the kill) and
# STATIONS/FLEETS below about 19,000. Memory: about (server + client) 30-50 KiB per station in all, plus Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

STATIONS=${STATIONS:-100000}
NODES=${NODES:-7}
FLEETS=${FLEETS:-6}
INTERVAL=${INTERVAL:-30}
STEADY=${STEADY:-30}
BOOT_LIMIT=${BOOT_LIMIT:-600}
RECOVER_LIMIT=${RECOVER_LIMIT:-180}
BASE_PORT=${BASE_PORT:-9900}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
P_REDIS=$BASE_PORT

dotnet build -c Release benchmarks/Ocpp.Rpc.LoadTool -v q -nologo -o "$OUT/loadtool" > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
LT=$OUT/loadtool/Ocpp.Rpc.LoadTool

PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
ulimit -n 20000 2>/dev/null || true

redis-server --port "$P_REDIS" --bind 127.0.0.1 --save '' --appendonly no --maxclients 10000 --dir "$OUT" > "$OUT/redis.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do grep -q "Ready to accept" "$OUT/redis.out" && break; sleep 0.1; done
R="redis-cli -p $P_REDIS"

declare -A NODE_FD NODE_PID
URLS=()
for n in $(seq 1 "$NODES"); do
    port=$((BASE_PORT + n))
    mkfifo "$OUT/node$n.in"
    "$LT" cluster-node --port $port --redis 127.0.0.1:$P_REDIS --node-id "node$n" < "$OUT/node$n.in" > "$OUT/node$n.out" 2> "$OUT/node$n.err" &
    NODE_PID[$n]=$!
    PIDS+=($!)
    exec {fd}> "$OUT/node$n.in"
    NODE_FD[$n]=$fd
    URLS+=("ws://127.0.0.1:$port/ocpp")
done
for n in $(seq 1 "$NODES"); do
    for _ in $(seq 1 300); do grep -q listening "$OUT/node$n.out" && break; sleep 0.1; done
    grep -q listening "$OUT/node$n.out" || { echo "node$n did not start" >&2; cat "$OUT/node$n.err" >&2; exit 1; }
done
ask() { # node command -> the node's answer
    local before; before=$(wc -l < "$OUT/node$1.out")
    echo "$2" >&"${NODE_FD[$1]}"
    for _ in $(seq 1 300); do [ "$(wc -l < "$OUT/node$1.out")" -gt "$before" ] && { tail -1 "$OUT/node$1.out"; return 0; }; sleep 0.1; done
    echo null
}
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

NODE_LIST=$(IFS=,; echo "${URLS[*]}")
PER_FLEET=$(( (STATIONS + FLEETS - 1) / FLEETS ))
FLEET_PIDS=()
for f in $(seq 0 $((FLEETS - 1))); do
    count=$PER_FLEET
    [ $(( (f + 1) * PER_FLEET )) -le "$STATIONS" ] || count=$(( STATIONS - f * PER_FLEET ))
    "$LT" fleet --nodes "$NODE_LIST" --stations "$count" --first $((f * PER_FLEET)) --source "127.0.$((f / 250)).$((f % 250 + 2))" --interval "$INTERVAL" > "$OUT/fleet$f.out" 2> "$OUT/fleet$f.err" &
    FLEET_PIDS+=($!)
    PIDS+=($!)
done

fleet_sum() { # key -> the sum over the fleets' latest status lines
    local total=0 v
    for f in $(seq 0 $((FLEETS - 1))); do
        v=$(grep '"fleet"' "$OUT/fleet$f.out" 2>/dev/null | tail -1 | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p")
        total=$((total + ${v:-0}))
    done
    echo $total
}
fleet_max() {
    local best=0 v
    for f in $(seq 0 $((FLEETS - 1))); do
        v=$(grep '"fleet"' "$OUT/fleet$f.out" 2>/dev/null | tail -1 | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p")
        [ "${v:-0}" -gt "$best" ] && best=$v
    done
    echo $best
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
START=$(date +%s%3N)
for _ in $(seq 1 $((BOOT_LIMIT * 2))); do
    booted=$(fleet_sum booted)
    [ "$booted" -ge "$STATIONS" ] && break
    sleep 0.5
done
BOOT_MS=$(( $(date +%s%3N) - START ))
echo "booted $(fleet_sum booted)/$STATIONS in $BOOT_MS ms (connected $(fleet_sum connected))" >&2
[ "$(fleet_sum booted)" -ge "$STATIONS" ] || { echo "not every station booted within $BOOT_LIMIT s" >&2; exit 1; }

total_commands() { $R info stats | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p'; }
C0=$(total_commands); T0=$(date +%s%3N)
sleep "$STEADY"
AVG_OPS=$(( ( $(total_commands) - C0 ) * 1000 / ( $(date +%s%3N) - T0 ) ))
OPS=$($R info stats | sed -n 's/^instantaneous_ops_per_sec:\([0-9]*\).*/\1/p')
USED=$($R info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
KEYS=$($R dbsize)
NODES_JSON=""
for n in $(seq 1 "$NODES"); do
    stats=$(ask "$n" stats)
    NODES_JSON+="{\"node\":$n,\"rssKiB\":$(rss_kib "${NODE_PID[$n]}"),\"stats\":$stats},"
done
FLEET_RSS=0
for p in "${FLEET_PIDS[@]}"; do FLEET_RSS=$((FLEET_RSS + $(rss_kib "$p"))); done
REDIS_RSS=$(rss_kib "${PIDS[0]}")

# Kill node 1: its stations are those it holds now.
VICTIM=1
VICTIM_STATIONS=$(ask $VICTIM stats | sed -n 's/.*"connections":\([0-9]*\).*/\1/p')
RECONNECTS_BEFORE=$(fleet_sum reconnects)
KILL_MS=$(date +%s%3N)
kill -9 "${NODE_PID[$VICTIM]}"
echo "killed node$VICTIM (${VICTIM_STATIONS:-?} stations) at $KILL_MS" >&2
RECOVERED=false
for _ in $(seq 1 $((RECOVER_LIMIT * 4))); do
    sleep 0.25
    if [ "$(fleet_sum connected)" -ge "$STATIONS" ] && [ $(( $(fleet_sum reconnects) - RECONNECTS_BEFORE )) -ge "${VICTIM_STATIONS:-0}" ]; then RECOVERED=true; break; fi
done
sleep 2 # one more status line from every fleet
LAST_RECONNECT=$(fleet_max lastReconnectUnixMs)
RECOVER_MS=$(( LAST_RECONNECT - KILL_MS ))
ON_NODES=0
for n in $(seq 2 "$NODES"); do ON_NODES=$((ON_NODES + $(ask "$n" stats | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'))); done

# Let a round of calls go through the surviving nodes, then stop the fleets: each drains and prints its final line.
sleep "$INTERVAL"
for p in "${FLEET_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
for p in "${FLEET_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
ACCEPTED=0; ANSWERED=0
for f in $(seq 0 $((FLEETS - 1))); do
    line=$(grep '"final":true' "$OUT/fleet$f.out" | tail -1)
    ACCEPTED=$((ACCEPTED + $(echo "$line" | sed -n 's/.*"accepted":\([0-9]*\).*/\1/p')))
    ANSWERED=$((ANSWERED + $(echo "$line" | sed -n 's/.*"answered":\([0-9]*\).*/\1/p')))
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

cat > "$OUT/result.json" <<EOF
{"stations":$STATIONS,"nodes":$NODES,"fleets":$FLEETS,"interval":$INTERVAL,"bootMs":$BOOT_MS,
 "redis":{"opsPerSec":${OPS:-0},"avgOpsPerSec":$AVG_OPS,"usedMemoryBytes":${USED:-0},"rssKiB":$REDIS_RSS,"keys":${KEYS:-0}},
 "nodeList":[${NODES_JSON%,}],"fleetRssKiB":$FLEET_RSS,
 "kill":{"node":$VICTIM,"stations":${VICTIM_STATIONS:-0},"recovered":$RECOVERED,"recoverMs":$RECOVER_MS,"connectedOnSurvivors":$ON_NODES},
 "calls":{"accepted":$ACCEPTED,"answered":$ANSWERED}}
EOF
node benchmarks/node/summarize-scale.js "$OUT/result.json"
echo "raw results: $OUT/result.json" >&2
