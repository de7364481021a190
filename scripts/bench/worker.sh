#!/usr/bin/env bash
# Worker data-path benchmark (release build), all on loopback in one run, each number next to the
# baseline it is judged against:
#   1. iperf3, one TCP stream                          (ceiling of a remote block read)
#   2. `fs cat` of a cached file from a remote worker  (127.0.0.2)          vs 1.  goal >= 0.6x
#   3. `fs cat` of a cached file from a local worker   (127.0.0.1, short-circuit)
#      vs `cat` of the same tier block files                                       goal >= 0.9x
#   4. `fs cat` of a cold S3 object through a remote worker (moto_server)
#      vs curl's single GET of the object                                          goal >= 0.8x
# Prints a table; record it in docs/performance.md. Never part of CI's pass/fail.
#
# Environment: SIZE_MB (file and object size, default 1024), RUNS (best of, default 3),
# IPERF_SECONDS (default 5), STEP_TIMEOUT (seconds per command, default 300), VERIFY (1: compare
# one read of each kind with the source bytes, untimed; default 1), KEEP=1 keeps the temp dir,
# BENCH_DIR (parent of the temp dir, default /dev/shm), STEPS (default "1 2 3 4").
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
REPO=$PWD
source scripts/lib/setup.sh
goosefs_setup_toolchain

SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-3}
IPERF_SECONDS=${IPERF_SECONDS:-5}
STEP_TIMEOUT=${STEP_TIMEOUT:-300}
VERIFY=${VERIFY:-1}
STEPS=${STEPS:-"1 2 3 4"}
SIZE=$((SIZE_MB * 1024 * 1024))
BIN=$REPO/.build/release

for tool in iperf3 python3 moto_server curl; do
  command -v "$tool" >/dev/null || { echo "worker.sh: $tool is needed" >&2; exit 1; }
done
if [ ! -x "$BIN/goosefs" ] || [ ! -x "$BIN/goosefs-master" ] || [ ! -x "$BIN/goosefs-worker" ]; then
  echo "Building release binaries..." >&2
  swift build -c release >&2
fi

WORK=$(mktemp -d "${BENCH_DIR:-/dev/shm}/goosefs-bench.XXXXXX")
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "== $*" >&2; }
die() { echo "worker.sh: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
gbps() { python3 -c "print(f'{$1/$2/1e9:.2f}')"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
# CPU seconds (user+sys) a process used so far, from /proc (10 ms ticks).
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Runs "$@" (stdout to $OUT, default /dev/null) under a timeout; prints "real user sys" seconds.
OUT=/dev/null
timed() {
  local TIMEFORMAT='%R %U %S' status=0 t
  t=$( { time timeout -s KILL "$STEP_TIMEOUT" "$@" >"$OUT" 2>>"$WORK/commands.stderr"; } 2>&1 ) || status=$?
  [ "$status" = 0 ] || { tail -5 "$WORK/commands.stderr" >&2; die "failed ($status): $*"; }
  echo "$t"
}
# Best (lowest real time) of RUNS runs of "$@", optionally with `before` run untimed first each
# time. Prints "real user sys workerCPU" of the best run; WORKER_PID is sampled when set.
best_of() {
  local before=$1; shift
  local best="" i line w0 w1
  for ((i = 1; i <= RUNS; i++)); do
    [ -z "$before" ] || $before
    w0=$(cpu_of "${WORKER_PID:-0}")
    line=$(timed "$@")
    w1=$(cpu_of "${WORKER_PID:-0}")
    line="$line $(python3 -c "print(f'{$w1-$w0:.2f}')")"
    echo "   run $i: real/user/sys/worker-cpu $line" >&2
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if ${line%% *} < ${best%% *} else 1)"; then best=$line; fi
  done
  echo "$best"
}

ROWS=()
DETAIL=()
row() { ROWS+=("$(printf '| %-46s | %7s | %-34s | %6s | %6s |' "$@")"); }

# ---------------------------------------------------------------- cluster helpers
# A cluster: one master (GOOSEFS_JAVA_OPTS) and its CLI environment; one worker at a time.
MASTER_PID=""
WORKER_PID=""
start_master() { # name rootUFS [extra -D options]
  local name=$1 root=$2; shift 2
  CLUSTER=$WORK/$name
  mkdir -p "$CLUSTER/logs"
  export GOOSEFS_HOME=$CLUSTER
  unset GOOSEFS_CONF_DIR GOOSEFS_USER_JAVA_OPTS || true
  export GOOSEFS_JAVA_OPTS="-Dgoosefs.master.hostname=127.0.0.1 -Dgoosefs.master.rpc.port=$(free_port) \
-Dgoosefs.master.web.port=$(free_port) -Dgoosefs.master.journal.type=UFS \
-Dgoosefs.master.journal.folder=$CLUSTER/journal -Dgoosefs.master.mount.table.root.ufs=$root \
-Dgoosefs.logs.dir=$CLUSTER/logs -Dgoosefs.user.rpc.retry.max.duration=20s $*"
  "$BIN/goosefs-master" >/dev/null 2>"$CLUSTER/logs/master.stderr" &
  MASTER_PID=$!
  PIDS+=("$MASTER_PID")
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$MASTER_PID" 2>/dev/null || die "master exited: $(tail -5 "$CLUSTER/logs/master.stderr")"
    if GOOSEFS_USER_JAVA_OPTS=-Dgoosefs.user.rpc.retry.max.duration=200ms \
      timeout 10 "$BIN/goosefs" fsadmin report >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "master did not serve"
}
start_worker() { # host [extra -D options]
  local host=$1; shift
  TIER=$CLUSTER/worker-mem
  mkdir -p "$TIER"
  GOOSEFS_WORKER_JAVA_OPTS="-Dgoosefs.worker.hostname=$host -Dgoosefs.worker.bind.host=$host \
-Dgoosefs.worker.web.bind.host=$host -Dgoosefs.worker.rpc.port=$(free_port) -Dgoosefs.worker.web.port=$(free_port) \
-Dgoosefs.worker.tieredstore.levels=1 -Dgoosefs.worker.tieredstore.level0.alias=MEM \
-Dgoosefs.worker.tieredstore.level0.dirs.path=$TIER -Dgoosefs.worker.tieredstore.level0.dirs.mediumtype=MEM \
-Dgoosefs.worker.tieredstore.level0.dirs.quota=$((SIZE_MB * 2 + 256))MB -Dgoosefs.worker.block.heartbeat.interval=200ms $*" \
    "$BIN/goosefs-worker" >/dev/null 2>"$CLUSTER/logs/worker.stderr" &
  WORKER_PID=$!
  PIDS+=("$WORKER_PID")
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$WORKER_PID" 2>/dev/null || die "worker exited: $(tail -5 "$CLUSTER/logs/worker.stderr")"
    if timeout 10 "$BIN/goosefs" fsadmin report capacity 2>/dev/null | grep -q "^$host"; then return 0; fi
    sleep 0.1
  done
  die "worker $host did not register"
}
forget_pid() { local keep=() p; for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; PIDS=("${keep[@]}"); }
stop_cluster() {
  local pid
  for pid in $WORKER_PID $MASTER_PID; do
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
  done
  WORKER_PID="" MASTER_PID=""
  rm -rf "$CLUSTER/worker-mem" "$CLUSTER/journal"
}
gfs() { timeout -s KILL "$STEP_TIMEOUT" "$BIN/goosefs" "$@"; }
verify() { # goosefs path, source file
  [ "$VERIFY" = 1 ] || return 0
  gfs fs cat "$1" | cmp -s - "$2" || die "fs cat $1 does not match $2"
}

# ---------------------------------------------------------------- seed data
UFS=$WORK/ufs
mkdir -p "$UFS"
say "seeding ${SIZE_MB} MiB"
head -c "$SIZE" /dev/urandom >"$UFS/file.bin"

# ---------------------------------------------------------------- 1. iperf3
IPERF_BPS=""
if [[ " $STEPS " == *" 1 "* ]] || [[ " $STEPS " == *" 2 "* ]]; then
  say "1. iperf3 single stream, ${IPERF_SECONDS}s"
  port=$(free_port)
  timeout -s KILL $((IPERF_SECONDS + 30)) iperf3 -s -1 -p "$port" >/dev/null 2>&1 &
  PIDS+=("$!")
  sleep 0.5
  timeout -s KILL $((IPERF_SECONDS + 20)) iperf3 -c 127.0.0.1 -p "$port" -t "$IPERF_SECONDS" -J >"$WORK/iperf.json"
  IPERF_BPS=$(python3 -c "import json; print(json.load(open('$WORK/iperf.json'))['end']['sum_received']['bits_per_second'] / 8)")
  row "1. iperf3, 1 TCP stream, loopback" "$(gbps "$IPERF_BPS" 1)" "(baseline)" "" ""
fi

# ---------------------------------------------------------------- 2. remote cached read
if [[ " $STEPS " == *" 2 "* ]]; then
  say "2. remote cached read (worker 127.0.0.2)"
  start_master remote "$UFS"
  start_worker 127.0.0.2
  gfs fs load /file.bin >/dev/null
  verify /file.bin "$UFS/file.bin"
  r=$(best_of "" "$BIN/goosefs" fs head -c 1 /file.bin)
  read -r real0 _ <<<"$r"
  DETAIL+=("2. fixed cost of one CLI read (process start, config, getStatus, first block): fs head -c 1 takes ${real0}s")
  r=$(best_of "" "$BIN/goosefs" fs cat /file.bin)
  read -r real user sys wcpu <<<"$r"
  bps=$(python3 -c "print($SIZE/$real)")
  row "2. fs cat, cached on remote worker" "$(gbps "$SIZE" "$real")" "iperf3 $(gbps "$IPERF_BPS" 1) GB/s" \
    "$(ratio "$bps" "$IPERF_BPS")" ">=0.6"
  DETAIL+=("2. fs cat remote: ${real}s real, client ${user}u+${sys}s, worker ${wcpu}s CPU")
  # Where the time goes: the same read into a file on tmpfs (no stdout), and with 4 MiB frames.
  rm -f "$WORK/copy.out"
  r=$(RUNS=1 best_of "" "$BIN/goosefs" fs copyToLocal /file.bin "$WORK/copy.out")
  read -r real2 user2 sys2 wcpu2 <<<"$r"
  rm -f "$WORK/copy.out"
  DETAIL+=("2. copyToLocal to tmpfs: $(gbps "$SIZE" "$real2") GB/s (${real2}s, client ${user2}u+${sys2}s, worker ${wcpu2}s)")
  stop_cluster
  start_master remote4m "$UFS"
  start_worker 127.0.0.2 -Dgoosefs.user.network.data.transfer.chunk.size=4MB
  gfs fs load /file.bin >/dev/null
  r=$(best_of "" "$BIN/goosefs" fs cat /file.bin)
  read -r real3 user3 sys3 wcpu3 <<<"$r"
  DETAIL+=("2. fs cat remote, 4 MiB DATA frames: $(gbps "$SIZE" "$real3") GB/s (${real3}s, client ${user3}u+${sys3}s, worker ${wcpu3}s)")
  stop_cluster
fi

# ---------------------------------------------------------------- 3. short-circuit read
if [[ " $STEPS " == *" 3 "* ]]; then
  say "3. short-circuit read (worker 127.0.0.1)"
  start_master local "$UFS"
  start_worker 127.0.0.1
  gfs fs load /file.bin >/dev/null
  verify /file.bin "$UFS/file.bin"
  mapfile -t BLOCKS < <(cd "$TIER/goosefsworker" && ls | grep -E '^[0-9]+$' | sort -n)
  [ "${#BLOCKS[@]}" -gt 0 ] || die "no block files under $TIER/goosefsworker"
  BLOCK_FILES=()
  for b in "${BLOCKS[@]}"; do BLOCK_FILES+=("$TIER/goosefsworker/$b"); done
  total=$(cat "${BLOCK_FILES[@]}" | wc -c)
  [ "$total" = "$SIZE" ] || die "tier block files hold $total bytes, expected $SIZE"
  r=$(WORKER_PID="" best_of "" cat "${BLOCK_FILES[@]}")
  read -r creal _ <<<"$r"
  r=$(best_of "" "$BIN/goosefs" fs cat /file.bin)
  read -r real user sys wcpu <<<"$r"
  row "3. fs cat, short-circuit (local worker)" "$(gbps "$SIZE" "$real")" \
    "cat block files $(gbps "$SIZE" "$creal") GB/s" "$(ratio "$creal" "$real")" ">=0.9"
  DETAIL+=("3. fs cat short-circuit: ${real}s real, client ${user}u+${sys}s, worker ${wcpu}s CPU; ${#BLOCKS[@]} block files")
  r=$(GOOSEFS_USER_JAVA_OPTS=-Dgoosefs.user.short.circuit.enabled=false \
    best_of "" "$BIN/goosefs" fs cat /file.bin)
  read -r real4 user4 sys4 wcpu4 <<<"$r"
  DETAIL+=("3. same local worker, short-circuit off (network path): $(gbps "$SIZE" "$real4") GB/s (${real4}s, client ${user4}u+${sys4}s, worker ${wcpu4}s)")
  stop_cluster
fi

# ---------------------------------------------------------------- 4. cold read from S3
if [[ " $STEPS " == *" 4 "* ]]; then
  say "4. cold read of an S3 object through a remote worker (moto_server)"
  MOTO_PORT=$(free_port)
  moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
  PIDS+=("$!")
  for ((i = 0; i < 300; i++)); do
    curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/" && break
    sleep 0.1
  done
  say "   putting the object"
  timeout -s KILL "$STEP_TIMEOUT" python3 - "$MOTO_PORT" "$UFS/file.bin" <<'EOF'
import sys, boto3
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=f'http://127.0.0.1:{sys.argv[1]}', region_name='us-east-1',
                  aws_access_key_id='testing', aws_secret_access_key='testing',
                  config=Config(s3={'addressing_style': 'path'}))
s3.create_bucket(Bucket='bench')
with open(sys.argv[2], 'rb') as body:
    s3.put_object(Bucket='bench', Key='obj', Body=body)
EOF
  # This moto refuses anonymous GETs (403): curl gets a presigned path-style URL instead.
  URL=$(python3 - "$MOTO_PORT" <<'EOF'
import sys, boto3
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=f'http://127.0.0.1:{sys.argv[1]}', region_name='us-east-1',
                  aws_access_key_id='testing', aws_secret_access_key='testing',
                  config=Config(s3={'addressing_style': 'path'}))
print(s3.generate_presigned_url('get_object', Params={'Bucket': 'bench', 'Key': 'obj'}, ExpiresIn=3600))
EOF
)
  best_curl=0
  for ((i = 1; i <= RUNS; i++)); do
    s=$(timeout -s KILL "$STEP_TIMEOUT" curl -s -f -o /dev/null -w '%{speed_download}' "$URL") || die "curl failed: $URL"
    echo "   curl run $i: $s B/s" >&2
    best_curl=$(python3 -c "print(max($best_curl, $s))")
  done
  start_master s3 s3://bench/ -Dgoosefs.underfs.s3.endpoint=http://127.0.0.1:$MOTO_PORT \
    -Dgoosefs.underfs.s3.disable.dns.buckets=true -Ds3a.accessKeyId=testing -Ds3a.secretKey=testing
  start_worker 127.0.0.2
  free_all() { gfs fs free -f / >/dev/null; }
  free_all
  verify /obj "$UFS/file.bin"
  r=$(best_of free_all "$BIN/goosefs" fs cat /obj)
  read -r real user sys wcpu <<<"$r"
  bps=$(python3 -c "print($SIZE/$real)")
  row "4. fs cat, cold, S3 (moto) via remote worker" "$(gbps "$SIZE" "$real")" \
    "curl 1 GET $(gbps "$best_curl" 1) GB/s" "$(ratio "$bps" "$best_curl")" ">=0.8"
  DETAIL+=("4. fs cat cold: ${real}s real, client ${user}u+${sys}s, worker ${wcpu}s CPU")
  # The warm read of the same object right after (cached by the cold read).
  sleep 1
  r=$(RUNS=1 best_of "" "$BIN/goosefs" fs cat /obj)
  read -r real5 _ _ wcpu5 <<<"$r"
  DETAIL+=("4. fs cat right after (warm or partly cached): $(gbps "$SIZE" "$real5") GB/s (${real5}s, worker ${wcpu5}s)")
  stop_cluster
fi

# ---------------------------------------------------------------- report
echo
echo "worker data path, ${SIZE_MB} MiB, best of $RUNS, $(nproc) CPUs, load $(cut -d" " -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d) ($(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet || echo '+dirty'))"
printf '| %-46s | %7s | %-34s | %6s | %6s |\n' "what" "GB/s" "baseline (same run)" "ratio" "goal"
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..48})" "---------" "$(printf -- '-%.0s' {1..36})" "--------" "--------"
for r in "${ROWS[@]}"; do echo "$r"; done
echo
for d in "${DETAIL[@]}"; do echo "- $d"; done
