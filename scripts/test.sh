#!/usr/bin/env bash
# Installs what is needed, builds (debug with tests, and release), and runs every test.
# Usage: scripts/test.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh
goosefs_setup_toolchain
goosefs_install_packages
goosefs_install_python_tools

echo "== build (debug, with tests)"
swift build --build-tests 2>&1 | tail -n 20
echo "== build (release)"
swift build -c release 2>&1 | tail -n 5

echo "== tests"
# Every suite carries its own time limit (Swift Testing .timeLimit); this cap is the backstop so a
# hung run cannot eat CI's whole budget. The runner's summary is the last thing printed.
# Serial: on 2 cores, moto, the fault proxy and the masters of parallel suites starve each other
# and turn timing bounds into flakes; serially the whole suite takes about 4 minutes.
set +e
timeout --signal=KILL 40m swift test --skip-build --no-parallel 2>&1 | tee .build/test-output.txt
status=${PIPESTATUS[0]}
set -e
exit "$status"
