# shellcheck shell=bash
# Helpers shared by the FUSE benchmarks (scripts/bench/fuse.sh, scripts/bench/metadata.sh):
# installs, processes and mounts, a GooseFS cluster, moto_server and the S3 FUSE peers. Sourced,
# never run. The caller sets BENCH_NAME (message prefix), WORK (work dir with logs/ and mnt/),
# STEP_TIMEOUT and MOUNT_TIMEOUT (seconds), BIN (release binaries), GOOSEFS_FUSE and FUSE_PROPS
# (extra -D properties for goosefs-fuse), then calls bench_traps once WORK exists.
# Every daemon runs in the foreground as our child and is ended by its PID: mounts in MNT_PID,
# others (moto, master, workers) in PIDS.

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }
py() { python3 -c "$1"; }

# ---------------------------------------------------------------- installs
# apt_install PACKAGE...: installs the ones dpkg does not know (apt-get update only if needed).
apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  say "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1
  } || die "apt-get install ${missing[*]} failed"
}
# pip_install_moto: moto[server] and boto3 (pip), unless importable.
pip_install_moto() {
  python3 -c "import boto3, moto.server, flask" >/dev/null 2>&1 && return 0
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  say "installing moto[server] boto3 (pip)"
  # Debian marks its Python "externally managed"; these are benchmark tools.
  PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q "moto[server]" boto3 2>&1 |
    grep -v "Running pip as the 'root' user" >&2 || true
  python3 -c "import boto3, moto.server" || die "pip install moto[server] boto3 failed"
}
# need_release_binaries: BUILD=1 runs `swift build -c release` first; a missing binary is an error
# (never a build behind the caller's back).
need_release_binaries() {
  if [ "${BUILD:-0}" = 1 ]; then
    say "building release binaries (swift build -c release)"
    # shellcheck source=scripts/lib/setup.sh
    source "$REPO/scripts/lib/setup.sh"
    goosefs_setup_toolchain
    (cd "$REPO" && swift build -c release >&2)
  fi
  local b
  for b in "$BIN/goosefs" "$BIN/goosefs-master" "$BIN/goosefs-worker" "$GOOSEFS_FUSE"; do
    [ -x "$b" ] || die "$b is missing: run swift build -c release (or BUILD=1), or SKIP_GOOSEFS=1 for the baselines alone"
  done
}
# build_null_tools: null_fuse and metabench (scripts/bench/fuse/) into $WORK.
build_null_tools() {
  say "building null_fuse and metabench into $WORK"
  # shellcheck disable=SC2046
  gcc -O2 -Wall -Wextra -Werror -o "$WORK/null_fuse" "$REPO/scripts/bench/fuse/null_fuse.c" $(pkg-config --cflags --libs fuse3)
  gcc -O2 -Wall -Wextra -Werror -o "$WORK/metabench" "$REPO/scripts/bench/fuse/metabench.c"
  # shellcheck disable=SC2034 # used by the callers
  NULL_FUSE=$WORK/null_fuse
}

# ---------------------------------------------------------------- processes and mounts
declare -A MNT_PID=() MNT_KIND=() RA_SAVED=()
PIDS=()
FG_PID=""
mp() { echo "$WORK/mnt/$1"; }
is_mounted() { awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo; }
fstype_of() { awk -v m="$1" '$5 == m { for (i = 7; i <= NF; i++) if ($i == "-") { t = $(i + 1); break } } END { print t }' /proc/self/mountinfo; }
bdi_of() { awk -v m="$1" '$5 == m { d = $3 } END { print d }' /proc/self/mountinfo; }
alive() { kill -0 "$1" 2>/dev/null; }
# wait_gone PID TENTHS: polls until PID has exited (bash reaps background children itself).
wait_gone() {
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    alive "$1" || return 0
    sleep 0.05
  done
  ! alive "$1"
}
stop_pid() { # PID: TERM, 5 s, KILL; reaps it
  alive "$1" && { kill -TERM "$1" 2>/dev/null || true; }
  wait_gone "$1" 50 || { kill -KILL "$1" 2>/dev/null || true; }
  wait "$1" 2>/dev/null || true
}
forget_pid() {
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
# CPU seconds (user+sys) a process used so far.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_mount NAME KIND CMD...: runs CMD (which mounts $(mp NAME) and stays in the foreground)
# in the background and polls until the mount is there (for KIND goosefs: with type
# fuse.goosefs-fuse). Returns 1 (and cleans up) if the daemon exits or MOUNT_TIMEOUT passes.
start_mount() {
  local name=$1 kind=$2 mnt i pid
  shift 2
  mnt=$(mp "$name")
  mkdir -p "$mnt"
  "$@" >"$WORK/logs/$name.log" 2>&1 &
  pid=$!
  MNT_PID[$name]=$pid
  MNT_KIND[$name]=$kind
  for ((i = 0; i < MOUNT_TIMEOUT * 20; i++)); do
    if is_mounted "$mnt"; then
      if [ "$kind" != goosefs ] || [ "$(fstype_of "$mnt")" = fuse.goosefs-fuse ]; then
        return 0
      fi
    fi
    if ! alive "$pid"; then
      wait "$pid" 2>/dev/null || true
      echo "   $name ($kind) exited before mounting: $(tail -5 "$WORK/logs/$name.log")" >&2
      unset "MNT_PID[$name]" "MNT_KIND[$name]"
      is_mounted "$mnt" && umount -l "$mnt" 2>/dev/null
      return 1
    fi
    sleep 0.05
  done
  echo "   $name ($kind) did not mount within ${MOUNT_TIMEOUT}s: $(tail -5 "$WORK/logs/$name.log")" >&2
  stop_mount "$name"
  return 1
}
# stop_mount NAME: restores read-ahead, unmounts the way the file system expects (goosefs-fuse
# unmount; SIGTERM for null_fuse; fusermount3 -u for the others), waits for the daemon to exit,
# then SIGKILL and lazy unmount if it did not.
stop_mount() {
  local name=$1 mnt pid kind
  mnt=$(mp "$name")
  pid=${MNT_PID[$name]:-}
  kind=${MNT_KIND[$name]:-}
  [ -n "$pid" ] || return 0
  restore_ra "$mnt"
  if is_mounted "$mnt" && alive "$pid"; then
    case $kind in
    goosefs) timeout -s KILL 90 "$GOOSEFS_FUSE" unmount "$mnt" >>"$WORK/logs/$name.log" 2>&1 ||
      echo "   goosefs-fuse unmount $mnt failed (see $WORK/logs/$name.log)" >&2 ;;
    null) kill -TERM "$pid" 2>/dev/null || true ;;
    *) timeout -s KILL 30 fusermount3 -u "$mnt" >>"$WORK/logs/$name.log" 2>&1 || true ;;
    esac
  fi
  if ! wait_gone "$pid" 100; then
    echo "   $name ($kind) still running 10 s after unmounting: killing it" >&2
    stop_pid "$pid"
  fi
  wait "$pid" 2>/dev/null || true
  if is_mounted "$mnt"; then
    echo "   $mnt still mounted after its daemon exited: lazy unmount" >&2
    umount -l "$mnt" 2>/dev/null || true
  fi
  unset "MNT_PID[$name]" "MNT_KIND[$name]"
}
# Read-ahead of a mount's bdi (/sys/class/bdi/<major:minor>/read_ahead_kb), restored before unmount.
set_ra() { # mount point, KB
  local f
  f=/sys/class/bdi/$(bdi_of "$1")/read_ahead_kb
  [ -w "$f" ] || { echo "   no $f for $1" >&2; return 1; }
  [ -n "${RA_SAVED[$1]:-}" ] || RA_SAVED[$1]="$f $(cat "$f")"
  echo "$2" >"$f"
}
ra_default() { local s=${RA_SAVED[$1]:-}; echo "${s##* }"; }
restore_ra() {
  local s=${RA_SAVED[$1]:-}
  [ -n "$s" ] || return 0
  [ ! -w "${s% *}" ] || echo "${s##* }" >"${s% *}" 2>/dev/null || true
  unset "RA_SAVED[$1]"
}

# bench_traps: on exit (also on failure or a signal) ends the foreground command, every mount and
# every daemon by PID, then removes WORK unless KEEP=1 or something is still mounted under it.
bench_cleanup() {
  local status=$? name pid
  trap - EXIT INT TERM
  set +e
  if [ -n "$FG_PID" ]; then stop_pid "$FG_PID"; fi
  for name in "${!MNT_PID[@]}"; do stop_mount "$name" || true; done
  for pid in "${PIDS[@]}"; do alive "$pid" && kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept $WORK" >&2
  elif awk -v w="$WORK/" 'index($5, w) == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
    echo "$BENCH_NAME: something is still mounted under $WORK; not removing it" >&2
  else
    rm -rf --one-file-system "$WORK"
  fi
  exit "$status"
}
bench_traps() {
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# run_bg OUT CMD...: runs CMD in the background (stdout to OUT) and waits for it, so that INT/TERM
# reach the traps at once instead of after the command; cleanup stops it by PID.
run_bg() {
  local out=$1 status=0
  shift
  "$@" >"$out" 2>>"$WORK/commands.stderr" &
  FG_PID=$!
  wait "$FG_PID" || status=$?
  FG_PID=""
  return "$status"
}

# ---------------------------------------------------------------- GooseFS cluster
gfs() { timeout -s KILL "$STEP_TIMEOUT" "$BIN/goosefs" "$@"; }
MASTER_PID="" WORKER_PID="" CLUSTER="" GF_OPTS=""
CLUSTER_PIDS=()
# start_master NAME ROOT_UFS [-D options]: a master on free loopback ports, its journal and logs
# in $WORK/NAME; the CLI and goosefs-fuse use the same GOOSEFS_JAVA_OPTS (exported, also GF_OPTS).
start_master() {
  local name=$1 root=$2 i
  shift 2
  CLUSTER=$WORK/$name
  mkdir -p "$CLUSTER/logs"
  export GOOSEFS_HOME=$CLUSTER
  unset GOOSEFS_CONF_DIR GOOSEFS_USER_JAVA_OPTS GOOSEFS_WORKER_JAVA_OPTS GOOSEFS_MASTER_JAVA_OPTS || true
  GF_OPTS="-Dgoosefs.master.hostname=127.0.0.1 -Dgoosefs.master.rpc.port=$(free_port) \
-Dgoosefs.master.web.port=$(free_port) -Dgoosefs.master.journal.type=UFS \
-Dgoosefs.master.journal.folder=$CLUSTER/journal -Dgoosefs.master.mount.table.root.ufs=$root \
-Dgoosefs.logs.dir=$CLUSTER/logs -Dgoosefs.user.rpc.retry.max.duration=20s $*"
  export GOOSEFS_JAVA_OPTS=$GF_OPTS
  "$BIN/goosefs-master" >/dev/null 2>"$CLUSTER/logs/master.stderr" &
  MASTER_PID=$!
  PIDS+=("$MASTER_PID")
  CLUSTER_PIDS=("$MASTER_PID")
  for ((i = 0; ; i++)); do
    alive "$MASTER_PID" || { echo "   master exited: $(tail -5 "$CLUSTER/logs/master.stderr")" >&2; return 1; }
    GOOSEFS_USER_JAVA_OPTS=-Dgoosefs.user.rpc.retry.max.duration=200ms \
      timeout 10 "$BIN/goosefs" fsadmin report >/dev/null 2>&1 && break
    [ "$i" -lt 300 ] || { echo "   master did not serve within 30 s" >&2; return 1; }
    sleep 0.1
  done
}
# start_worker HOST QUOTA_MB [TAG]: a worker registered (and bound) as HOST, MEM tier in
# $CLUSTER/worker-mem[-TAG]; polls until the master reports it; sets WORKER_PID. A worker whose
# HOST is not an address of this host's interfaces (127.0.0.2: lo answers all of 127/8, but only
# 127.0.0.1 is its address) is remote to every client.
start_worker() {
  local host=$1 quota=$2 tag=${3:+-$3} i
  mkdir -p "$CLUSTER/worker-mem$tag"
  GOOSEFS_WORKER_JAVA_OPTS="-Dgoosefs.worker.hostname=$host -Dgoosefs.worker.bind.host=$host \
-Dgoosefs.worker.web.bind.host=$host -Dgoosefs.worker.rpc.port=$(free_port) -Dgoosefs.worker.web.port=$(free_port) \
-Dgoosefs.worker.tieredstore.levels=1 -Dgoosefs.worker.tieredstore.level0.alias=MEM \
-Dgoosefs.worker.tieredstore.level0.dirs.path=$CLUSTER/worker-mem$tag -Dgoosefs.worker.tieredstore.level0.dirs.mediumtype=MEM \
-Dgoosefs.worker.tieredstore.level0.dirs.quota=${quota}MB -Dgoosefs.worker.block.heartbeat.interval=200ms" \
    "$BIN/goosefs-worker" >/dev/null 2>"$CLUSTER/logs/worker$tag.stderr" &
  WORKER_PID=$!
  PIDS+=("$WORKER_PID")
  CLUSTER_PIDS=("$WORKER_PID" "${CLUSTER_PIDS[@]}")
  for ((i = 0; ; i++)); do
    alive "$WORKER_PID" || { echo "   worker $host exited: $(tail -5 "$CLUSTER/logs/worker$tag.stderr")" >&2; return 1; }
    timeout 10 "$BIN/goosefs" fsadmin report capacity >"$CLUSTER/capacity" 2>/dev/null
    grep -q "^$host" "$CLUSTER/capacity" && break
    [ "$i" -lt 300 ] || { echo "   worker $host did not register within 30 s" >&2; return 1; }
    sleep 0.1
  done
}
# start_cluster NAME ROOT_UFS QUOTA_MB [-D options]: one master and a local worker (127.0.0.1, so
# reads by goosefs-fuse short-circuit).
start_cluster() {
  local name=$1 root=$2 quota=$3
  shift 3
  start_master "$name" "$root" "$@" && start_worker 127.0.0.1 "$quota"
}
stop_cluster() {
  local name pid
  for name in "${!MNT_KIND[@]}"; do [ "${MNT_KIND[$name]}" != goosefs ] || stop_mount "$name"; done
  for pid in "${CLUSTER_PIDS[@]}"; do
    stop_pid "$pid"
    forget_pid "$pid"
  done
  CLUSTER_PIDS=()
  WORKER_PID="" MASTER_PID=""
  [ -z "$CLUSTER" ] || rm -rf "$CLUSTER"/worker-mem* "$CLUSTER/journal"
}
# mount_goosefs NAME OPTIONS [-D options]: goosefs-fuse mount -f [-o OPTIONS] $(mp NAME) / (in
# the background; no -o when OPTIONS is empty), with GF_OPTS, FUSE_PROPS and the extra options.
mount_goosefs() {
  local name=$1 opts=()
  [ -z "$2" ] || opts=(-o "$2")
  shift 2
  start_mount "$name" goosefs env GOOSEFS_JAVA_OPTS="$GF_OPTS $FUSE_PROPS $*" \
    "$GOOSEFS_FUSE" mount -f "${opts[@]}" "$(mp "$name")" /
}
# CPU of the GooseFS processes around a run: gf_cpu0 before, gf_cpu1 after prints
# "fuse Xs, worker Ys, master Zs".
gf_cpu0() { GC0="$(cpu_of "${MNT_PID[$1]:-0}") $(cpu_of "${WORKER_PID:-0}") $(cpu_of "${MASTER_PID:-0}")"; }
gf_cpu1() {
  local f w m f0 w0 m0
  read -r f0 w0 m0 <<<"$GC0"
  f=$(cpu_of "${MNT_PID[$1]:-0}") w=$(cpu_of "${WORKER_PID:-0}") m=$(cpu_of "${MASTER_PID:-0}")
  py "print(f'CPU: goosefs-fuse {$f-$f0:.1f}s, worker {$w-$w0:.1f}s, master {$m-$m0:.1f}s')"
}

# ---------------------------------------------------------------- S3: moto and the FUSE peers
MOTO_PID="" ENDPOINT=""
# start_moto: moto_server on a free port (log $WORK/logs/moto.log); sets MOTO_PID and ENDPOINT.
start_moto() {
  local i port
  port=$(free_port)
  ENDPOINT=http://127.0.0.1:$port
  python3 -m moto.server -H 127.0.0.1 -p "$port" >"$WORK/logs/moto.log" 2>&1 &
  MOTO_PID=$!
  PIDS+=("$MOTO_PID")
  for ((i = 0; ; i++)); do
    curl -s -o /dev/null "$ENDPOINT/" && break
    alive "$MOTO_PID" || { echo "   moto_server exited: $(tail -5 "$WORK/logs/moto.log")" >&2; return 1; }
    [ "$i" -lt 600 ] || { echo "   moto_server did not answer within 30 s" >&2; return 1; }
    sleep 0.05
  done
}
stop_moto() {
  [ -n "$MOTO_PID" ] || return 0
  stop_pid "$MOTO_PID"
  forget_pid "$MOTO_PID"
  MOTO_PID=""
}
# The properties a GooseFS master needs to use the moto endpoint as its root under store.
gf_s3_props() {
  echo "-Dgoosefs.underfs.s3.endpoint=$ENDPOINT -Dgoosefs.underfs.s3.disable.dns.buckets=true" \
    "-Ds3a.accessKeyId=testing -Ds3a.secretKey=testing"
}
# mount_rclone NAME BUCKET [rclone options...]: rclone mount of moto:BUCKET. The AWS SDK rclone is
# built with refuses AWS_CA_BUNDLE on its own transport ("LoadCustomCABundleError: ...
# unsupported transport"), so it runs without it.
mount_rclone() {
  local name=$1 bucket=$2
  shift 2
  : >"$WORK/rclone.conf"
  start_mount "$name" rclone env -u AWS_CA_BUNDLE RCLONE_CONFIG="$WORK/rclone.conf" \
    RCLONE_CONFIG_MOTO_TYPE=s3 RCLONE_CONFIG_MOTO_PROVIDER=Other RCLONE_CONFIG_MOTO_ENDPOINT="$ENDPOINT" \
    RCLONE_CONFIG_MOTO_ACCESS_KEY_ID=testing RCLONE_CONFIG_MOTO_SECRET_ACCESS_KEY=testing \
    RCLONE_CONFIG_MOTO_REGION=us-east-1 RCLONE_CONFIG_MOTO_FORCE_PATH_STYLE=true \
    rclone mount "moto:$bucket" "$(mp "$name")" "$@"
}
# mount_s3fs NAME BUCKET [s3fs options...]: s3fs of BUCKET; moto serves path-style requests only
# (no wildcard DNS for bucket.127.0.0.1).
mount_s3fs() {
  local name=$1 bucket=$2
  shift 2
  echo "testing:testing" >"$WORK/s3fs.passwd"
  chmod 600 "$WORK/s3fs.passwd"
  start_mount "$name" s3fs s3fs "$bucket" "$(mp "$name")" -f -o "url=$ENDPOINT,use_path_request_style,endpoint=us-east-1" \
    -o "passwd_file=$WORK/s3fs.passwd" "$@"
}
