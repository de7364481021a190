#!/usr/bin/env bash
# Master benchmarks (release build): getStatus latency/throughput over loopback against a real
# master process, and journal replay time for 1M entries. Prints BENCH lines; record them in
# docs/performance.md. Never part of CI's pass/fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/setup.sh
goosefs_setup_toolchain
# -enable-testing lets the replay benchmark reach the master's internal state machine.
GOOSEFS_BENCH=1 swift test -c release -Xswiftc -enable-testing \
  --filter "ReplayBenchmark|MetadataLatencyBenchmark" 2>&1 | grep -E "BENCH|passed|failed"
