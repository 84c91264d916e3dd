#!/usr/bin/env bash
# Issue 16's target: the OCPP message log on at its default level with nothing listening costs at most 3 % of
# throughput. Starts the load tool's server twice, both with a logger factory without providers (`--logging`, as an
# application has one either way), the second with `--message-log` (OcppServerOptions.MessageLog on), and runs
# ROUNDS interleaved rounds of the light client (CLIENTS x WINDOW calls in flight, DURATION seconds) against each;
# prints the medians and the median of the per-round ratios.
#
#   benchmarks/message-log-cost.sh                       # ROUNDS=7 DURATION=5 WARMUP=2 CLIENTS=8 WINDOW=16
#   ROUNDS=1 DURATION=1 WARMUP=0.5 benchmarks/message-log-cost.sh   # smoke run
set -euo pipefail
ROUNDS=${ROUNDS:-7}; DURATION=${DURATION:-5}; WARMUP=${WARMUP:-2}; CLIENTS=${CLIENTS:-8}; WINDOW=${WINDOW:-16}
OFF_PORT=${OFF_PORT:-9471}; ON_PORT=${ON_PORT:-9472}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/benchmarks/lib/load-tool.sh"
lt_build
lt_start server "$OFF_PORT" --logging
lt_start server "$ON_PORT" --message-log
ab_rounds "$OFF_PORT" "$ON_PORT" "log off" "log on (nothing listening)" 3
