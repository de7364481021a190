#!/usr/bin/env bash
# Installs what is needed, builds, starts a local GooseFS master over a local folder (the under
# store) and shows it working. Re-running restarts the master on the same journal.
#   GOOSEFS_QUICKSTART_DIR  where to keep the under store, journal and logs (default ~/goosefs-quickstart)
#   scripts/quickstart.sh stop   stops the master it started
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
source scripts/lib/setup.sh

dir=${GOOSEFS_QUICKSTART_DIR:-$HOME/goosefs-quickstart}
pidfile="$dir/master.pid"
if [ "${1:-}" = "stop" ]; then
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null && echo "master stopped" || echo "no master running"
  rm -f "$pidfile"
  exit 0
fi

goosefs_setup_toolchain
goosefs_install_packages
echo "== building (release)"
swift build -c release 2>&1 | tail -n 3
bin="$repo/.build/release"

mkdir -p "$dir/underFSStorage/welcome/docs" "$dir/journal" "$dir/logs"
[ -f "$dir/underFSStorage/welcome/README.txt" ] || echo "Hello from the under store." > "$dir/underFSStorage/welcome/README.txt"
[ -f "$dir/underFSStorage/welcome/docs/numbers.csv" ] || seq 1 1000 > "$dir/underFSStorage/welcome/docs/numbers.csv"

export GOOSEFS_HOME="$dir"
export GOOSEFS_JAVA_OPTS="-Dgoosefs.master.hostname=127.0.0.1 -Dgoosefs.master.rpc.port=${GOOSEFS_RPC_PORT:-9200} \
-Dgoosefs.master.web.port=${GOOSEFS_WEB_PORT:-9201} -Dgoosefs.master.journal.type=UFS \
-Dgoosefs.master.journal.folder=$dir/journal -Dgoosefs.master.mount.table.root.ufs=$dir/underFSStorage \
-Dgoosefs.logs.dir=$dir/logs"

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  kill "$(cat "$pidfile")"; while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.2; done
fi
nohup "$bin/goosefs-master" > "$dir/logs/master.out" 2>&1 &
echo $! > "$pidfile"

echo "== waiting for the master (pid $(cat "$pidfile"))"
for _ in $(seq 1 100); do
  if "$bin/goosefs" -Dgoosefs.user.rpc.retry.max.duration=300ms fsadmin report >/dev/null 2>&1; then break; fi
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "the master exited:"; tail -n 20 "$dir/logs/master.out"; exit 1; }
done

run() { echo "\$ goosefs $*"; "$bin/goosefs" "$@"; echo; }
run fsadmin report
run fs ls -R /
run fs count /
run fs mkdir /scratch
run fs mount
echo "The master keeps running. Try: GOOSEFS_JAVA_OPTS='$GOOSEFS_JAVA_OPTS' $bin/goosefs fs ls /"
echo "Stop it with: scripts/quickstart.sh stop"
