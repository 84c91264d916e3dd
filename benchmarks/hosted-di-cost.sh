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
source "$ROOT/benchmarks/lib/load-tool.sh"
lt_build
lt_start hosted "$OFF_PORT"
lt_start hosted "$ON_PORT" --di
ab_rounds "$OFF_PORT" "$ON_PORT" "plain delegate" "DI-scoped class + two filters" 10
