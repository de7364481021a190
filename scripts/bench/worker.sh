#!/usr/bin/env bash
# Worker data-path benchmark (release build), all on loopback in one run, each number next to the
# baseline it is judged against:
#   1. iperf3, one TCP stream, 128 KiB and 1 MiB writes (ceiling of a remote block read)
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
# BENCH_DIR (parent of the temp dir, default /dev/shm), STEPS (default "1 2 3 4"), BUILD=1 runs
# `swift build -c release` first (otherwise only when a binary is missing).
# Needs iperf3, curl, python3 with boto3, and moto_server (scripts/lib/setup.sh installs the last two).
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
if [ "${BUILD:-0}" = 1 ] || [ ! -x "$BIN/goosefs" ] || [ ! -x "$BIN/goosefs-master" ] || [ ! -x "$BIN/goosefs-worker" ]; then
  echo "Building release binaries..." >&2
  swift build -c release >&2
fi

WORK=$(mktemp -d "${BENCH_DIR:-/dev/shm}/goosefs-bench.XXXXXX")
PIDS=()
cleanup() {
  local pid
  {
    for pid in "${PIDS[@]}"; do kill -9 "$pid" || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" || true; done
  } 2>/dev/null
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
  [ "$status" = 0 ] || { tail -5 "$WORK/commands.stderr" >&2; echo "   exit status $status: $*" >&2; return 1; }
  echo "$t"
}
# Best (lowest real time) of RUNS runs of "$@", optionally with `before` run untimed first each
# time. Prints "real user sys workerCPU peerCPU" of the best run, sampling WORKER_PID and
# PEER_PID (moto_server) when set.
# A failed run is reported (the shell prints its errors on stdout, so the run is repeated with
# stdout kept to show them) and skipped; the step fails only if every run failed.
best_of() {
  local before=$1; shift
  local best="" i line w0 w1 p0 p1
  for ((i = 1; i <= RUNS; i++)); do
    [ -z "$before" ] || $before
    w0=$(cpu_of "${WORKER_PID:-0}")
    p0=$(cpu_of "${PEER_PID:-0}")
    if ! line=$(timed "$@"); then
      echo "   run $i FAILED: $*" >&2
      [ -z "$before" ] || $before
      timeout -s KILL "$STEP_TIMEOUT" "$@" 2>&1 | tail -c 600 | tr -c '[:print:]\n' '?' | sed 's/^/     | /' >&2 || true
      echo "run $i of '$*' failed" >>"$WORK/failures"
      continue
    fi
    w1=$(cpu_of "${WORKER_PID:-0}")
    p1=$(cpu_of "${PEER_PID:-0}")
    line="$line $(python3 -c "print(f'{$w1-$w0:.2f} {$p1-$p0:.2f}')")"
    echo "   run $i: real/user/sys/worker-cpu/moto-cpu $line" >&2
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if ${line%% *} < ${best%% *} else 1)"; then best=$line; fi
  done
  [ -n "$best" ] || die "every run failed: $*"
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
# iperf3's default 128 KiB writes, and 1 MiB writes (the size of a DATA frame): the better is the
# baseline.
iperf() { # extra client arguments...
  local port
  port=$(free_port)
  timeout -s KILL $((IPERF_SECONDS + 30)) iperf3 -s -1 -p "$port" >/dev/null 2>&1 &
  PIDS+=("$!")
  sleep 0.5
  timeout -s KILL $((IPERF_SECONDS + 20)) iperf3 -c 127.0.0.1 -p "$port" -t "$IPERF_SECONDS" -J "$@" >"$WORK/iperf.json"
  python3 -c "import json; print(json.load(open('$WORK/iperf.json'))['end']['sum_received']['bits_per_second'] / 8)"
}
if [[ " $STEPS " == *" 1 "* ]] || [[ " $STEPS " == *" 2 "* ]]; then
  say "1. iperf3 single stream, ${IPERF_SECONDS}s, default writes and 1 MiB writes"
  IPERF_DEFAULT=$(iperf)
  IPERF_1M=$(iperf -l 1M)
  IPERF_BPS=$(python3 -c "print(max($IPERF_DEFAULT, $IPERF_1M))")
  row "1. iperf3, 1 TCP stream, loopback" "$(gbps "$IPERF_BPS" 1)" "(baseline)" "" ""
  DETAIL+=("1. iperf3: $(gbps "$IPERF_DEFAULT" 1) GB/s with 128 KiB writes, $(gbps "$IPERF_1M" 1) GB/s with 1 MiB writes")
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
  read -r real user sys wcpu _ <<<"$r"
  bps=$(python3 -c "print($SIZE/$real)")
  row "2. fs cat, cached on remote worker" "$(gbps "$SIZE" "$real")" "iperf3 $(gbps "$IPERF_BPS" 1) GB/s" \
    "$(ratio "$bps" "$IPERF_BPS")" ">=0.6"
  DETAIL+=("2. fs cat remote: ${real}s real, client ${user}u+${sys}s, worker ${wcpu}s CPU")
  # Where the time goes: the same read into a file on tmpfs (no stdout), and with 4 MiB frames.
  rm -f "$WORK/copy.out"
  r=$(RUNS=1 best_of "" "$BIN/goosefs" fs copyToLocal /file.bin "$WORK/copy.out")
  read -r real2 user2 sys2 wcpu2 _ <<<"$r"
  rm -f "$WORK/copy.out"
  DETAIL+=("2. copyToLocal to tmpfs: $(gbps "$SIZE" "$real2") GB/s (${real2}s, client ${user2}u+${sys2}s, worker ${wcpu2}s)")
  stop_cluster
  start_master remote4m "$UFS"
  start_worker 127.0.0.2 -Dgoosefs.user.network.data.transfer.chunk.size=4MB
  gfs fs load /file.bin >/dev/null
  r=$(best_of "" "$BIN/goosefs" fs cat /file.bin)
  read -r real3 user3 sys3 wcpu3 _ <<<"$r"
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
  r=$(best_of "" "$BIN/goosefs" fs head -c 1 /file.bin)
  read -r sc0 _ <<<"$r"
  r=$(best_of "" "$BIN/goosefs" fs cat /file.bin)
  read -r real user sys wcpu _ <<<"$r"
  row "3. fs cat, short-circuit (local worker)" "$(gbps "$SIZE" "$real")" \
    "cat block files $(gbps "$SIZE" "$creal") GB/s" "$(ratio "$creal" "$real")" ">=0.9"
  DETAIL+=("3. fs cat short-circuit: ${real}s real, client ${user}u+${sys}s, worker ${wcpu}s CPU; ${#BLOCKS[@]} block files; fixed cost (fs head -c 1) ${sc0}s, so $(ratio "$creal" "$(python3 -c "print($real-$sc0)")")x without it")
  r=$(GOOSEFS_USER_JAVA_OPTS=-Dgoosefs.user.short.circuit.enabled=false \
    best_of "" "$BIN/goosefs" fs cat /file.bin)
  read -r real4 user4 sys4 wcpu4 _ <<<"$r"
  DETAIL+=("3. same local worker, short-circuit off (network path): $(gbps "$SIZE" "$real4") GB/s (${real4}s, client ${user4}u+${sys4}s, worker ${wcpu4}s)")
  stop_cluster
fi

# ---------------------------------------------------------------- 4. cold read from S3
if [[ " $STEPS " == *" 4 "* ]]; then
  say "4. cold read of an S3 object through a remote worker (moto_server)"
  MOTO_PORT=$(free_port)
  moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
  MOTO_PID=$!
  PIDS+=("$MOTO_PID")
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
  m0=$(cpu_of "$MOTO_PID")
  for ((i = 1; i <= RUNS; i++)); do
    s=$(timeout -s KILL "$STEP_TIMEOUT" curl -s -f -o /dev/null -w '%{speed_download}' "$URL") || die "curl failed: $URL"
    echo "   curl run $i: $s B/s" >&2
    best_curl=$(python3 -c "print(max($best_curl, $s))")
  done
  curl_moto_cpu=$(python3 -c "print(f'{($(cpu_of "$MOTO_PID")-$m0)/$RUNS:.2f}')")
  start_master s3 s3://bench/ -Dgoosefs.underfs.s3.endpoint=http://127.0.0.1:$MOTO_PORT \
    -Dgoosefs.underfs.s3.disable.dns.buckets=true -Ds3a.accessKeyId=testing -Ds3a.secretKey=testing
  start_worker 127.0.0.2
  free_all() { gfs fs free -f / >/dev/null; }
  # The first cold read after the worker started (its under-store stream for the object is new),
  # then cold re-reads after a free (the worker reuses the stream it cached): they differ, see
  # docs/performance.md.
  free_all
  r=$(RUNS=1 PEER_PID=$MOTO_PID best_of "" "$BIN/goosefs" fs cat /obj)
  read -r real user sys wcpu mcpu <<<"$r"
  bps=$(python3 -c "print($SIZE/$real)")
  row "4a. fs cat, cold, S3 (moto), first read" "$(gbps "$SIZE" "$real")" \
    "curl 1 GET $(gbps "$best_curl" 1) GB/s" "$(ratio "$bps" "$best_curl")" ">=0.8"
  DETAIL+=("4a. first cold read: ${real}s real, client ${user}u+${sys}s, worker ${wcpu}s CPU, moto ${mcpu}s CPU (curl's GET: ${curl_moto_cpu}s moto CPU)")
  r=$(PEER_PID=$MOTO_PID best_of free_all "$BIN/goosefs" fs cat /obj)
  read -r real user sys wcpu mcpu <<<"$r"
  bps=$(python3 -c "print($SIZE/$real)")
  row "4b. fs cat, cold again after fs free" "$(gbps "$SIZE" "$real")" \
    "curl 1 GET $(gbps "$best_curl" 1) GB/s" "$(ratio "$bps" "$best_curl")" ">=0.8"
  DETAIL+=("4b. cold re-read: ${real}s real, client ${user}u+${sys}s, worker ${wcpu}s CPU, moto ${mcpu}s CPU")
  # The warm read of the same object right after (cached by the cold read).
  sleep 1
  r=$(RUNS=1 best_of "" "$BIN/goosefs" fs cat /obj)
  read -r real5 _ _ wcpu5 _ <<<"$r"
  DETAIL+=("4. fs cat right after (cached by the cold read): $(gbps "$SIZE" "$real5") GB/s (${real5}s, worker ${wcpu5}s)")
  free_all
  verify /obj "$UFS/file.bin"
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
if [ -s "$WORK/failures" ]; then echo; echo "FAILED runs (skipped):"; sed 's/^/- /' "$WORK/failures"; fi
