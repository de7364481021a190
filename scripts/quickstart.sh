#!/usr/bin/env bash
# Installs what is needed, builds, starts a local GooseFS master and one worker over a local folder
# (the under store) and shows it working. Re-running restarts them on the same journal and cache.
#   GOOSEFS_QUICKSTART_DIR  where to keep the under store, journal, cache and logs (default ~/goosefs-quickstart)
#   scripts/quickstart.sh stop   stops what it started
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
source scripts/lib/setup.sh

dir=${GOOSEFS_QUICKSTART_DIR:-$HOME/goosefs-quickstart}
pidfile="$dir/master.pid"
workerpid="$dir/worker.pid"
mountpoint="$dir/mnt"
stop() { # $1 = pid file, $2 = name
  if [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; then
    kill "$(cat "$1")"; while kill -0 "$(cat "$1")" 2>/dev/null; do sleep 0.2; done
    echo "$2 stopped"
  fi
  rm -f "$1"
}
if [ "${1:-}" = "stop" ]; then
  if grep -qF " $mountpoint " /proc/self/mountinfo; then
    "$repo/.build/release/goosefs-fuse" unmount "$mountpoint" && echo "unmounted $mountpoint"
  fi
  stop "$workerpid" worker
  stop "$pidfile" master
  exit 0
fi

goosefs_setup_toolchain
goosefs_install_packages
echo "== building (release)"
swift build -c release 2>&1 | tail -n 3
bin="$repo/.build/release"

mkdir -p "$dir/underFSStorage/welcome/docs" "$dir/journal" "$dir/logs" "$dir/cache"
[ -f "$dir/underFSStorage/welcome/README.txt" ] || echo "Hello from the under store." > "$dir/underFSStorage/welcome/README.txt"
[ -f "$dir/underFSStorage/welcome/docs/numbers.csv" ] || seq 1 1000 > "$dir/underFSStorage/welcome/docs/numbers.csv"

export GOOSEFS_HOME="$dir"
export GOOSEFS_JAVA_OPTS="-Dgoosefs.master.hostname=127.0.0.1 -Dgoosefs.master.rpc.port=${GOOSEFS_RPC_PORT:-9200} \
-Dgoosefs.master.web.port=${GOOSEFS_WEB_PORT:-9201} -Dgoosefs.master.journal.type=UFS \
-Dgoosefs.master.journal.folder=$dir/journal -Dgoosefs.master.mount.table.root.ufs=$dir/underFSStorage \
-Dgoosefs.logs.dir=$dir/logs"
# One worker on this host with a 1 GB cache tier in $dir/cache (use /dev/shm/... for a RAM tier).
export GOOSEFS_WORKER_JAVA_OPTS="-Dgoosefs.worker.hostname=127.0.0.1 -Dgoosefs.worker.rpc.port=${GOOSEFS_WORKER_RPC_PORT:-9203} -Dgoosefs.worker.web.port=${GOOSEFS_WORKER_WEB_PORT:-9204} -Dgoosefs.worker.tieredstore.levels=1 -Dgoosefs.worker.tieredstore.level0.alias=MEM -Dgoosefs.worker.tieredstore.level0.dirs.path=$dir/cache -Dgoosefs.worker.tieredstore.level0.dirs.quota=1GB"

stop "$workerpid" worker
stop "$pidfile" master
nohup "$bin/goosefs-master" > "$dir/logs/master.out" 2>&1 &
echo $! > "$pidfile"

echo "== waiting for the master (pid $(cat "$pidfile"))"
for _ in $(seq 1 100); do
  if "$bin/goosefs" -Dgoosefs.user.rpc.retry.max.duration=300ms fsadmin report >/dev/null 2>&1; then break; fi
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { echo "the master exited:"; tail -n 20 "$dir/logs/master.out"; exit 1; }
done

nohup "$bin/goosefs-worker" > "$dir/logs/worker.out" 2>&1 &
echo $! > "$workerpid"
echo "== waiting for the worker (pid $(cat "$workerpid"))"
for _ in $(seq 1 100); do
  if "$bin/goosefs" fsadmin report | grep -q "Live Workers: 1"; then break; fi
  kill -0 "$(cat "$workerpid")" 2>/dev/null || { echo "the worker exited:"; tail -n 20 "$dir/logs/worker.out"; exit 1; }
  sleep 0.2
done

run() { echo "\$ goosefs $*"; "$bin/goosefs" "$@" || true; echo; }
run fs ls -R /
run fs count /
run fs cat /welcome/README.txt
run fs head -c 40 /welcome/docs/numbers.csv
run fs mkdir /scratch
run fs mount
run fsadmin report
echo "== mounting GooseFS at $mountpoint (FUSE)"
mkdir -p "$mountpoint"
"$bin/goosefs-fuse" unmount "$mountpoint" >/dev/null 2>&1 || true
# Other users may use the mount when root mounts it (allow_other needs root or user_allow_other).
fuse_options=$([ "$(id -u)" = 0 ] && echo "allow_other" || echo "rw")
GOOSEFS_LOGS_DIR="$dir/logs" "$bin/goosefs-fuse" mount -o "$fuse_options" "$mountpoint" /
echo "\$ ls -l $mountpoint/welcome"; ls -l "$mountpoint/welcome"
echo "\$ cat $mountpoint/welcome/README.txt"; cat "$mountpoint/welcome/README.txt"
echo
echo "The master, the worker and the mount keep running. Try: ls $mountpoint; cat $mountpoint/welcome/docs/numbers.csv"
echo "or the CLI: GOOSEFS_JAVA_OPTS='$GOOSEFS_JAVA_OPTS' $bin/goosefs fs ls /"
echo "Stop them with: scripts/quickstart.sh stop"
