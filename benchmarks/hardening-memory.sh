#!/usr/bin/env bash
# Memory a hostile or broken station can pin (issue 19), measured on a real server (the load tool's, default options)
# with the load tool's idle clients on loopback. Prints one line per scenario. About 6 minutes by default.
#
#   benchmarks/hardening-memory.sh                      # IDLE=5000 PARTIAL=1000 STALL=10
#   IDLE=10000 benchmarks/hardening-memory.sh           # needs ulimit -n above 2*IDLE+100
#   ONLY="partial stall" benchmarks/hardening-memory.sh  # some scenarios only (idle, partial, stall)
#
# Scenarios (server memory reported every second after a full GC; working set = RSS):
#   idle-plain / idle-compressed  IDLE idle 2.0.1 stations, without and with permessage-deflate (context takeover
#                                 offered, as ws and browsers do): (RSS at IDLE - RSS before) / IDLE
#   partial                       PARTIAL compressed 2.0.1 stations each send one non-final fragment that inflates to
#                                 900 kB and never finish it: peak RSS while they hold, stations still connected, and
#                                 RSS after they left
#   stall                         STALL 1.6 stations each send REPEAT DataTransfers of 900 kB and never read the echoes:
#                                 peak RSS, how long until the server dropped them all, RSS after
# Needs: dotnet 10.
set -euo pipefail
cd "$(dirname "$0")/.."
IDLE=${IDLE:-5000}; PARTIAL=${PARTIAL:-1000}; STALL=${STALL:-10}; REPEAT=${REPEAT:-20}
PORT=${PORT:-9500}
OUT=${OUT:-$(mktemp -d)}; mkdir -p "$OUT"
dotnet build -c Release benchmarks/Ocpp.Rpc.LoadTool -v q -nologo -o "$OUT/loadtool" > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
LT=$OUT/loadtool/Ocpp.Rpc.LoadTool
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
trap cleanup EXIT

field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }          # field NAME < json-line
last() { grep '"memory"' "$OUT/server.out" | tail -1; }
rss() { last | field workingSetBytes; }
conns() { last | field connections; }
peak_since() { tail -n +"$1" "$OUT/server.out" | grep '"memory"' | field workingSetBytes | sort -n | tail -1; }
wait_report() { local n; n=$(grep -c '"memory"' "$OUT/server.out" || true); for _ in $(seq 1 50); do [ "$(grep -c '"memory"' "$OUT/server.out" || true)" -gt "$((n + 1))" ] && return 0; sleep 0.2; done; }
kib() { echo $(( $1 / 1024 )); }
mib() { echo $(( $1 / 1048576 )); }

server() { # protocol
    : > "$OUT/server.out"
    "$LT" server --port $PORT --protocol "$1" --report-memory 1 > "$OUT/server.out" 2> "$OUT/server.err" &
    PIDS+=($!)
    for _ in $(seq 1 100); do grep -q listening "$OUT/server.out" 2>/dev/null && break; sleep 0.1; done
    # Warm up (the one-time cost of the first connections is not charged to the figures), then a baseline.
    "$LT" idle --url ws://127.0.0.1:$PORT/ocpp --protocol "$1" --clients 200 --hold 1 --prefix WARM > /dev/null 2>&1 || true
    for _ in $(seq 1 50); do [ "$(conns)" = "0" ] && break; sleep 0.2; done
    wait_report
}

idle() { # label extra-args...
    local label=$1; shift
    server ocpp2.0.1
    local before; before=$(rss)
    "$LT" idle --url ws://127.0.0.1:$PORT/ocpp --protocol ocpp2.0.1 --clients "$IDLE" --hold 600 "$@" > "$OUT/$label.out" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 300); do grep -q '"idle"' "$OUT/$label.out" 2>/dev/null && break; sleep 0.5; done
    wait_report; wait_report
    local after; after=$(rss)
    echo "$label: $(( (after - before) / IDLE / 1024 )).$(( (after - before) * 10 / IDLE / 1024 % 10 )) KiB RSS per connection ($(conns) connected; $(mib "$before") -> $(mib "$after") MiB)"
    cleanup
}

only() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }

if only idle; then
idle idle-plain
idle idle-compressed --compress
fi

if only partial; then
# partial: held past connect, well inside IncompleteMessageTimeout (30 s), then the clients leave.
server ocpp2.0.1
before=$(rss); start=$(( $(wc -l < "$OUT/server.out") + 1 ))
"$LT" idle --url ws://127.0.0.1:$PORT/ocpp --protocol ocpp2.0.1 --clients "$PARTIAL" --compress --partial 900000 --hold 10 > "$OUT/partial.out" 2>&1 &
client=$!; PIDS+=($client)
for _ in $(seq 1 300); do grep -q '"idle"' "$OUT/partial.out" 2>/dev/null && break; sleep 0.5; done
wait_report; wait_report
held=$(conns); during=$(peak_since "$start")
wait "$client" 2>/dev/null || true
for _ in $(seq 1 50); do [ "$(conns)" = "0" ] && break; sleep 0.2; done
wait_report; wait_report
left=$(rss); left_heap=$(last | field gcHeapBytes)
# The receive buffers go back to ArrayPool.Shared, which drops arrays unused for a minute at the next full GC
# (the server reports after one every second).
sleep 65; wait_report
echo "partial: $PARTIAL stations x 900 kB partial message: RSS $(mib "$before") MiB before, peak $(mib "$during") MiB while held ($held of $PARTIAL still connected), $(mib "$left") MiB after they left (GC heap $(mib "$left_heap") MiB: pooled buffers), $(mib "$(rss)") MiB a minute later (GC heap $(mib "$(last | field gcHeapBytes)") MiB)"
cleanup
fi

if only stall; then
# stall: 1.6 stations that stop reading; the server must drop them (SendTimeout 15 s, MaxPendingSendBytes 4 MiB).
server ocpp1.6
before=$(rss); start=$(( $(wc -l < "$OUT/server.out") + 1 )); t0=$(date +%s)
"$LT" idle --url ws://127.0.0.1:$PORT/ocpp --protocol ocpp1.6 --clients "$STALL" --stall 900000 --repeat "$REPEAT" --hold 90 > "$OUT/stall.out" 2>&1 &
client=$!; PIDS+=($client)
for _ in $(seq 1 300); do grep -q '"idle"' "$OUT/stall.out" 2>/dev/null && break; sleep 0.5; done
wait_report
dropped=never
for _ in $(seq 1 90); do [ "$(conns)" = "0" ] && { dropped="$(( $(date +%s) - t0 )) s"; break; }; sleep 1; done
wait_report; wait_report
peak=$(peak_since "$start"); left=$(rss); left_heap=$(last | field gcHeapBytes)
sleep 65; wait_report # as for partial: the pool's unused arrays go after a minute
echo "stall: $STALL stations x $REPEAT x 900 kB never read: RSS $(mib "$before") MiB before, peak $(mib "$peak") MiB, all dropped after $dropped, $(mib "$left") MiB after (GC heap $(mib "$left_heap") MiB; clients still connected at the TCP level), $(mib "$(rss)") MiB a minute later (GC heap $(mib "$(last | field gcHeapBytes)") MiB)"
cleanup
fi
echo "raw output: $OUT" >&2
