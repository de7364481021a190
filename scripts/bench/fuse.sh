#!/usr/bin/env bash
# goosefs-fuse benchmark (issue 5 acceptance), release build, everything on this host. Every
# GooseFS number is judged against a baseline measured in the same run:
#   1. warm sequential read, 1 MiB, 1 job, direct_io mount, file cached on the local worker
#      (fio --rw=read --bs=1M --direct=1)                        vs null FUSE   goal >= 0.5x (0.7x)
#   2. dd bs=1M on a page-cache mount (kernel_cache), bdi read_ahead_kb raised to RA_KB
#                                                                 vs null FUSE   goal >= 2.5 GB/s
#   3. 4 KiB random read IOPS, 1 job, direct_io (fio randread)  vs null FUSE   goal >= 0.6x
#   4. creates/s and stats/s of distinct names (metabench.c)    vs null FUSE   goal >= 3000 / 25000
#   5. `ls -l` of a LS_ENTRIES directory seeded in the under store, first and second listing
#                                                                 vs null FUSE   goal <= 3 s
#   6a. bindfs over tmpfs (the same fio and dd runs as 1-3)                     peer
#   6b. s3fs and rclone mount over a moto bucket, dd bs=1M, cold (first read) and warm (second
#       read), vs GooseFS mounted on an s3:// root of the same bucket           peers
# moto reads the whole object for every ranged GET, so the cold rate of a client that reads in
# ranges (s3fs: 10 MB parts) falls with the object's size (S3_MB); the report counts the GETs.
# The null FUSE is scripts/bench/fuse/null_fuse.c (libfuse3 low level, reads answered with zeros:
# the ceiling no daemon can pass); see scripts/bench/fuse/baseline.sh for its knobs and
# docs/performance.md for what they mean. Prints a table (what | result | baseline | ratio | goal);
# record it in docs/performance.md. Never part of CI's pass/fail.
#
# Run as root:  scripts/bench/fuse.sh                        (everything, 5-7 min at the defaults)
#               SKIP_GOOSEFS=1 scripts/bench/fuse.sh         (baselines and peers only)
#               PARTS="1 3" SIZE_MB=512 scripts/bench/fuse.sh
# Environment: PARTS (default "1 2 3 4 5 6"; 6a = bindfs only, 6b = S3 peers only), SKIP_GOOSEFS=1
# (no GooseFS cluster or mount: baselines alone), SIZE_MB (file size for 1-3 and 6a, default 1024),
# S3_MB (object size for 6b, default SIZE_MB), RUNTIME (seconds per fio/metabench run, default 10),
# RA_KB (read_ahead_kb of the page-cache mounts, default 1024; restored before unmounting),
# META_N (names per metadata run, default 100000, each run also capped at RUNTIME), LS_ENTRIES
# (default 100000), FIO_DIRECT (fio --direct, default 1: page-aligned buffers, 1 request per MiB;
# 0 = plain reads, which a direct_io mount sends to the daemon as well), FUSE_OPTS_DIO /
# FUSE_OPTS_PC (goosefs-fuse -o for the direct_io / page-cache mounts, default "direct_io" /
# "kernel_cache"), FUSE_PROPS (extra -D properties for goosefs-fuse, default
# -Dgoosefs.user.metadata.cache.enabled=true and .max.size=1000000), BINDFS_OPTS (default none: bindfs as installed,
# single-threaded), STEP_TIMEOUT (seconds per command, default 300), MOUNT_TIMEOUT (default 60),
# VERIFY (1: compare each mount's file with its source once, untimed: GooseFS's local mounts right
# after mounting, the others after their timed reads; default 1), BENCH_DIR (parent of the work dir, default /dev/shm: the under store, worker tier and
# peer caches are all on tmpfs), KEEP=1 keeps the work dir, BUILD=1 runs `swift build -c release`
# first (without it a missing binary is an error: never a build behind your back), GOOSEFS_FUSE
# (the goosefs-fuse to run, default .build/release/goosefs-fuse).
# Installs what is missing (apt-get: fio gcc pkg-config libfuse3-dev fuse3 curl bindfs s3fs rclone;
# pip: moto[server] boto3); reruns skip that.
set -euo pipefail
shopt -s inherit_errexit
export LC_ALL=C # EPOCHREALTIME and printf need '.' decimals; ls sorts bytewise
cd "$(dirname "$0")/../.."
REPO=$PWD
BIN=$REPO/.build/release
GOOSEFS_FUSE=${GOOSEFS_FUSE:-$BIN/goosefs-fuse}

PARTS=${PARTS:-"1 2 3 4 5 6"}
SKIP_GOOSEFS=${SKIP_GOOSEFS:-0}
SIZE_MB=${SIZE_MB:-1024}
S3_MB=${S3_MB:-$SIZE_MB}
RUNTIME=${RUNTIME:-10}
RA_KB=${RA_KB:-1024}
META_N=${META_N:-100000}
LS_ENTRIES=${LS_ENTRIES:-100000}
FIO_DIRECT=${FIO_DIRECT:-1}
FUSE_OPTS_DIO=${FUSE_OPTS_DIO:-direct_io}
FUSE_OPTS_PC=${FUSE_OPTS_PC:-kernel_cache}
# The metadata cache sized to hold the largest folder measured (100k names): a folder that fits is
# listed once on the first lookup that misses in it (docs/fuse.md).
FUSE_PROPS=${FUSE_PROPS:--Dgoosefs.user.metadata.cache.enabled=true -Dgoosefs.user.metadata.cache.max.size=1000000}
BINDFS_OPTS=${BINDFS_OPTS:-}
STEP_TIMEOUT=${STEP_TIMEOUT:-300}
MOUNT_TIMEOUT=${MOUNT_TIMEOUT:-60}
VERIFY=${VERIFY:-1}
SIZE=$((SIZE_MB * 1024 * 1024))
S3_SIZE=$((S3_MB * 1024 * 1024))

BENCH_NAME=fuse.sh
# shellcheck source=scripts/bench/lib/mounts.sh
source "$REPO/scripts/bench/lib/mounts.sh"
part() { [[ " $PARTS " == *" $1 "* ]]; }
part6a() { part 6 || part 6a; }
part6b() { part 6 || part 6b; }
with_goosefs() { [ "$SKIP_GOOSEFS" != 1 ]; }

# ---------------------------------------------------------------- setup
[ "$(id -u)" = 0 ] || die "run as root (mounting, /sys/class/bdi, allow_other)"
[ -c /dev/fuse ] || die "/dev/fuse is missing"
for v in SIZE_MB S3_MB RUNTIME RA_KB META_N LS_ENTRIES STEP_TIMEOUT MOUNT_TIMEOUT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
for p in $PARTS; do [[ $p =~ ^([1-5]|6|6a|6b)$ ]] || die "unknown part '$p' in PARTS (1 2 3 4 5 6 6a 6b)"; done

apt_install gcc pkg-config libfuse3-dev fuse3 fio curl
part6a && apt_install bindfs
part6b && apt_install s3fs rclone
command -v python3 >/dev/null || apt_install python3
if part6b; then pip_install_moto; fi
if with_goosefs; then need_release_binaries; fi

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d "${BENCH_DIR:-/dev/shm}/goosefs-fuse-bench.XXXXXX")
mkdir -p "$WORK/logs" "$WORK/mnt"
: >"$WORK/commands.stderr"

bench_traps

# ---------------------------------------------------------------- results
declare -A R=()  # measured values (bytes/s, IOPS, ops/s, seconds)
DETAIL=()
FAILED=()
fail() { echo "   FAILED: $*" >&2; FAILED+=("$*"); }
gbs() { py "v = $1; print(f'{v/1e9:.2f} GB/s' if v >= 1e9 else f'{v/1e6:.0f} MB/s')"; }

# fio_run NAME ARGS...: one psync job for RUNTIME seconds; sets FIO_BW (bytes/s), FIO_IOPS, FIO_P99 (us).
fio_run() {
  local name=$1
  shift
  FIO_BW="" FIO_IOPS="" FIO_P99=""
  run_bg "$WORK/fio.json" timeout -s KILL $((RUNTIME + STEP_TIMEOUT)) fio --name="$name" \
    --output-format=json --group_reporting --time_based --runtime="$RUNTIME" --ioengine=psync \
    --numjobs=1 "$@" || { tail -3 "$WORK/commands.stderr" >&2; return 1; }
  read -r FIO_BW FIO_IOPS FIO_P99 < <(python3 - "$WORK/fio.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]["read"]
print(j["bw_bytes"], f'{j["iops"]:.0f}', f'{j.get("clat_ns", {}).get("percentile", {}).get("99.000000", 0) / 1000:.0f}')
EOF
  )
  [ -n "$FIO_BW" ] && [ "$FIO_BW" != 0 ]
}
# The issue's commands: 1 MiB sequential and 4 KiB random reads over the first SIZE bytes.
fio_seq() { fio_run "seq-$2" --filename="$1" --size="$SIZE" --rw=read --bs=1M --direct="$FIO_DIRECT"; }
fio_rand() { fio_run "rand-$2" --filename="$1" --size="$SIZE" --rw=randread --bs=4k --direct="$FIO_DIRECT"; }

drop_file_cache() { timeout -s KILL "$STEP_TIMEOUT" dd if="$1" iflag=nocache count=0 status=none; } # fadvise DONTNEED
# dd_read FILE MB [operands...]: one dd bs=1M; sets DD_BPS (dd's own timing).
dd_read() {
  local file=$1 mb=$2
  shift 2
  DD_BPS=""
  # shellcheck disable=SC2016 # expanded by the inner bash
  run_bg "$WORK/dd.out" timeout -s KILL "$STEP_TIMEOUT" bash -c 'exec dd if="$1" of=/dev/null bs=1M count="$2" "${@:3}" 2>&1' \
    bash "$file" "$mb" "$@" || { tail -3 "$WORK/dd.out" >&2; return 1; }
  DD_BPS=$(awk '/copied/ { b = $1; s = $(NF - 3) } END { if (b > 0 && s > 0) print b / s }' "$WORK/dd.out")
  [ -n "$DD_BPS" ] || { cat "$WORK/dd.out" >&2; return 1; }
  local got
  got=$(awk '/copied/ { print $1 }' "$WORK/dd.out")
  [ "$got" = $((mb * 1024 * 1024)) ] || { echo "   dd read $got bytes of $file, expected $((mb * 1048576))" >&2; return 1; }
}
# dd_best FILE MB [operands...]: the better of two dd runs, each from an empty page cache.
dd_best() {
  local a
  drop_file_cache "$1" && dd_read "$@" || return 1
  a=$DD_BPS
  drop_file_cache "$1" && dd_read "$@" || return 1
  DD_BPS=$(py "print(max($a, $DD_BPS))")
  drop_file_cache "$1"
}
# meta_run MODE PATH: metabench, META_N operations or RUNTIME seconds; sets META_RATE, META_US.
meta_run() {
  local status=0 errs
  META_RATE="" META_OPS="" META_US=""
  run_bg "$WORK/meta.out" timeout -s KILL $((RUNTIME + STEP_TIMEOUT)) "$WORK/metabench" "$1" "$2" "$META_N" "$RUNTIME" || status=$?
  read -r _ META_OPS _ _ _ META_RATE _ META_US _ errs _ <"$WORK/meta.out" 2>/dev/null || { tail -2 "$WORK/commands.stderr" >&2; return 1; }
  [ "$status" = 0 ] || { echo "   metabench $1 $2: $errs errors of $META_OPS ($(tail -1 "$WORK/commands.stderr"))" >&2; return 1; }
}
# time_ls DIR: `ls -l DIR` (output to a file); sets LS_S (seconds) and LS_N (entries listed).
time_ls() {
  local t0 t1
  t0=$EPOCHREALTIME
  run_bg "$WORK/ls.out" timeout -s KILL "$STEP_TIMEOUT" ls -l "$1" || return 1
  t1=$EPOCHREALTIME
  LS_S=$(py "print(f'{$t1 - $t0:.3f}')")
  LS_N=$(($(wc -l <"$WORK/ls.out") - 1))
}
verify_file() { # mounted file, source file
  [ "$VERIFY" = 1 ] || return 0
  timeout -s KILL "$STEP_TIMEOUT" cmp -s "$1" "$2" || { fail "$1 differs from $2"; return 1; }
}

# CPU time other processes used during each part (a neighbour's build makes numbers worthless):
# the machine's user+system time from /proc/stat minus ours (waited-for children from `times`,
# plus our live daemons), with kernel threads (kdamond, ksoftirqd, kworkers: partly working for us)
# and interrupt/softirq time shown apart.
HZ=$(getconf CLK_TCK)
FOREIGN=()
MARK_PART=""
mark() { # next part's name ("" at the end)
  local busy irq kthreads children daemons=0 pid ours
  read -r busy irq < <(awk -v hz="$HZ" '/^cpu / { print ($2 + $3 + $4) / hz, ($7 + $8) / hz }' /proc/stat)
  # kernel threads: children of kthreadd (pid 2); the command name may hold spaces, so split
  # after its closing parenthesis
  kthreads=$({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v hz="$HZ" '{ sub(/^.*\) /, ""); if ($2 == 2) s += $12 + $13 } END { print s / hz }')
  times >"$WORK/times" # in this shell: the second line is our waited-for children's CPU
  children=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } print s }' "$WORK/times")
  for pid in "${MNT_PID[@]}" "${PIDS[@]}"; do daemons=$(py "print($daemons + $(cpu_of "$pid"))"); done
  ours=$(py "print($children + $daemons)")
  if [ -n "$MARK_PART" ] && case $MARK_PART in 6a) part6a ;; 6b) part6b ;; *) part "$MARK_PART" ;; esac then
    FOREIGN+=("$MARK_PART: $(py "b, k = $busy - $MARK_BUSY, $kthreads - $MARK_KTHREADS
print(f'{max(0, b - k - ($ours - $MARK_OURS)):.1f}s of {b:.1f}s, kernel threads {k:.1f}s, irq+softirq {$irq - $MARK_IRQ:.1f}s')")")
  fi
  MARK_BUSY=$busy MARK_IRQ=$irq MARK_KTHREADS=$kthreads MARK_OURS=$ours MARK_PART=$1
}

# ---------------------------------------------------------------- tools and data
build_null_tools

# The local under store of parts 1-5 and 6a, seeded before the master starts (its root is listed
# once and never synced again): file.bin (SIZE_MB of random bytes), meta/s0..s<META_N-1> and
# big/s0..s<LS_ENTRIES-1> (empty files).
UFS=$WORK/ufs
mkdir -p "$UFS"
seed_names() { # dir count
  python3 - "$1" "$2" <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d, exist_ok=True)
for i in range(n):
    os.close(os.open(f"{d}/s{i}", os.O_CREAT | os.O_WRONLY, 0o644))
EOF
}
if part 1 || part 2 || part 3 || part6a || { part6b && [ "$S3_MB" = "$SIZE_MB" ]; }; then
  say "seeding ${SIZE_MB} MiB of random bytes"
  head -c "$SIZE" /dev/urandom >"$UFS/file.bin"
fi
if with_goosefs && part 4; then say "seeding $META_N empty files (stats)"; seed_names "$UFS/meta" "$META_N"; fi
if part 5; then say "seeding $LS_ENTRIES empty files (ls -l)"; seed_names "$UFS/big" "$LS_ENTRIES"; fi

# ---------------------------------------------------------------- GooseFS cluster (scripts/bench/lib/mounts.sh)
GF_LOCAL=0 # the local-UFS cluster is up
if with_goosefs && { part 1 || part 2 || part 3 || part 4 || part 5; }; then
  say "starting GooseFS (master + local worker, under store $UFS)"
  if start_cluster local "$UFS" $((SIZE_MB + 512)); then
    GF_LOCAL=1
    if part 1 || part 2 || part 3; then
      say "   fs load /file.bin"
      gfs fs load /file.bin >/dev/null 2>>"$WORK/commands.stderr" || fail "goosefs fs load /file.bin"
      DETAIL+=("GooseFS after fs load: $(gfs fs ls /file.bin 2>&1 | tail -1 || true)")
    fi
  else
    fail "GooseFS cluster (local under store) did not start; logs in $WORK/local/logs (KEEP=1 keeps them)"
  fi
fi
# gf_mount NAME OPTIONS: mounts once, on the local cluster; returns 1 if unavailable.
gf_mount() {
  [ "$GF_LOCAL" = 1 ] || return 1
  [ -z "${MNT_PID[$1]:-}" ] || return 0
  mount_goosefs "$1" "$2" || { fail "goosefs-fuse mount -o $2 failed (log $WORK/logs/$1.log)"; GF_LOCAL=0; return 1; }
  if [ "$VERIFY" = 1 ] && [ -f "$UFS/file.bin" ] && { part 1 || part 2 || part 3; }; then
    say "   verifying $(mp "$1")/file.bin against the under store (untimed)"
    verify_file "$(mp "$1")/file.bin" "$UFS/file.bin" || true
    drop_file_cache "$(mp "$1")/file.bin" || true
  fi
}

# ---------------------------------------------------------------- 1. sequential read
mark 1
if part 1 || part 3; then
  start_mount nf_dio null "$NULL_FUSE" "$(mp nf_dio)" -f -o direct_io --size "$SIZE" || fail "null_fuse -o direct_io did not mount"
fi
if part 1; then
  say "1. warm sequential read 1 MiB, 1 job, direct_io (${RUNTIME}s each)"
  if [ -n "${MNT_PID[nf_dio]:-}" ]; then
    if fio_seq "$(mp nf_dio)/zero" null; then R[nf_seq]=$FIO_BW; else fail "1. fio on null FUSE"; fi
  fi
  if with_goosefs && gf_mount gf_dio "$FUSE_OPTS_DIO"; then
    gf_cpu0 gf_dio
    if fio_seq "$(mp gf_dio)/file.bin" goosefs; then
      R[gf_seq]=$FIO_BW
      DETAIL+=("1. GooseFS seq read: $(gf_cpu1 gf_dio)")
    else fail "1. fio on goosefs-fuse"; fi
  fi
fi

# ---------------------------------------------------------------- 2. buffered dd
mark 2
if part 2; then
  say "2. dd bs=1M, ${SIZE_MB} MiB, page-cache mount, read_ahead_kb $RA_KB"
  if start_mount nf_pc null "$NULL_FUSE" "$(mp nf_pc)" -f -o kernel_cache --size "$SIZE"; then
    if set_ra "$(mp nf_pc)" "$RA_KB"; then
      DETAIL+=("2. null FUSE page-cache mount: read_ahead_kb $(ra_default "$(mp nf_pc)") after mounting, $RA_KB for the runs")
      if dd_best "$(mp nf_pc)/zero" "$SIZE_MB"; then R[nf_dd]=$DD_BPS; else fail "2. dd on null FUSE"; fi
      if dd_best "$(mp nf_pc)/zero" "$SIZE_MB" iflag=nocache; then R[nf_ddnc]=$DD_BPS; else fail "2. dd iflag=nocache on null FUSE"; fi
    else fail "2. read_ahead_kb of the null FUSE mount"; fi
    stop_mount nf_pc
  else fail "null_fuse -o kernel_cache did not mount"; fi
  if with_goosefs && gf_mount gf_pc "$FUSE_OPTS_PC"; then
    if set_ra "$(mp gf_pc)" "$RA_KB"; then
      DETAIL+=("2. GooseFS page-cache mount (-o $FUSE_OPTS_PC): read_ahead_kb $(ra_default "$(mp gf_pc)") after mounting, $RA_KB for the runs")
      gf_cpu0 gf_pc
      if dd_best "$(mp gf_pc)/file.bin" "$SIZE_MB"; then
        R[gf_dd]=$DD_BPS
        DETAIL+=("2. GooseFS dd, 2 runs: $(gf_cpu1 gf_pc)")
      else fail "2. dd on goosefs-fuse"; fi
      if dd_best "$(mp gf_pc)/file.bin" "$SIZE_MB" iflag=nocache; then R[gf_ddnc]=$DD_BPS; else fail "2. dd iflag=nocache on goosefs-fuse"; fi
      # goosefs-fuse may set the mount's read-ahead itself: also measure what users get.
      own=$(ra_default "$(mp gf_pc)")
      if [ "$own" != "$RA_KB" ] && set_ra "$(mp gf_pc)" "$own" && dd_best "$(mp gf_pc)/file.bin" "$SIZE_MB"; then
        DETAIL+=("2. GooseFS dd bs=1M at the read_ahead_kb goosefs-fuse left ($own): $(gbs "$DD_BPS")")
      fi
    else fail "2. read_ahead_kb of the goosefs-fuse mount"; fi
    stop_mount gf_pc
  fi
fi

# ---------------------------------------------------------------- 3. random read
mark 3
if part 3; then
  say "3. 4 KiB random read, 1 job, direct_io (${RUNTIME}s each)"
  if [ -n "${MNT_PID[nf_dio]:-}" ]; then
    if fio_rand "$(mp nf_dio)/zero" null; then
      R[nf_rand]=$FIO_IOPS
      DETAIL+=("3. null FUSE randread p99 ${FIO_P99} us")
    else fail "3. fio randread on null FUSE"; fi
  fi
  if with_goosefs && gf_mount gf_dio "$FUSE_OPTS_DIO"; then
    gf_cpu0 gf_dio
    if fio_rand "$(mp gf_dio)/file.bin" goosefs; then
      R[gf_rand]=$FIO_IOPS
      DETAIL+=("3. GooseFS randread p99 ${FIO_P99} us; $(gf_cpu1 gf_dio)")
    else fail "3. fio randread on goosefs-fuse"; fi
  fi
fi
[ -z "${MNT_PID[nf_dio]:-}" ] || stop_mount nf_dio

# ---------------------------------------------------------------- 5. ls -l (before 4: its
# creates may leave the cluster persisting files in the background)
mark 5
if part 5; then
  say "5. ls -l of $LS_ENTRIES entries, first and second listing"
  if time_ls "$UFS/big"; then
    DETAIL+=("5. ls -l of the same $LS_ENTRIES files on tmpfs (no FUSE): ${LS_S}s")
  fi
  if start_mount nf_big null "$NULL_FUSE" "$(mp nf_big)" -f --entries "$LS_ENTRIES"; then
    if time_ls "$(mp nf_big)/big"; then
      R[nf_ls1]=$LS_S
      [ "$LS_N" = "$LS_ENTRIES" ] || fail "5. null FUSE listed $LS_N entries, expected $LS_ENTRIES"
      if time_ls "$(mp nf_big)/big"; then R[nf_ls2]=$LS_S; fi
    else fail "5. ls -l on null FUSE"; fi
    stop_mount nf_big
  else fail "null_fuse --entries did not mount"; fi
  if with_goosefs && gf_mount gf_dio "$FUSE_OPTS_DIO"; then
    gf_cpu0 gf_dio
    if time_ls "$(mp gf_dio)/big"; then
      R[gf_ls1]=$LS_S
      [ "$LS_N" = "$LS_ENTRIES" ] || fail "5. goosefs-fuse listed $LS_N entries, expected $LS_ENTRIES"
      DETAIL+=("5. GooseFS first ls -l (loads $LS_ENTRIES entries from the under store): $(gf_cpu1 gf_dio)")
      gf_cpu0 gf_dio
      if time_ls "$(mp gf_dio)/big"; then
        R[gf_ls2]=$LS_S
        DETAIL+=("5. GooseFS second ls -l: $(gf_cpu1 gf_dio)")
      else fail "5. second ls -l on goosefs-fuse"; fi
    else fail "5. ls -l on goosefs-fuse"; fi
  fi
fi

# ---------------------------------------------------------------- 4. creates and stats
mark 4
if part 4; then
  say "4. creates/s and stats/s of distinct names (metabench, $META_N names or ${RUNTIME}s)"
  if start_mount nf_meta null "$NULL_FUSE" "$(mp nf_meta)" -f -o direct_io; then
    if meta_run create "$(mp nf_meta)/c"; then R[nf_create]=$META_RATE; else fail "4. creates on null FUSE"; fi
    if meta_run stat-names "$(mp nf_meta)/s"; then R[nf_stat]=$META_RATE; else fail "4. stats on null FUSE"; fi
    stop_mount nf_meta
  else fail "null_fuse (metadata) did not mount"; fi
  if with_goosefs && gf_mount gf_dio "$FUSE_OPTS_DIO"; then
    G=$(mp gf_dio)
    if timeout -s KILL "$STEP_TIMEOUT" mkdir "$G/create" 2>>"$WORK/commands.stderr"; then
      gf_cpu0 gf_dio
      if meta_run create "$G/create/c"; then
        R[gf_create]=$META_RATE
        DETAIL+=("4. GooseFS creates: $META_OPS files, ${META_US} us each; $(gf_cpu1 gf_dio)")
      else fail "4. creates on goosefs-fuse"; fi
    else fail "4. mkdir $G/create"; fi
    # The master learns the seeded names first (untimed), so each stat is one LOOKUP answered
    # from the master's namespace, not an under-store load; the kernel has not seen them.
    say "   fs loadMetadata /meta (untimed)"
    t0=$EPOCHREALTIME
    if gfs fs loadMetadata /meta >/dev/null 2>>"$WORK/commands.stderr" || gfs fs ls /meta >/dev/null 2>>"$WORK/commands.stderr"; then
      DETAIL+=("4. fs loadMetadata /meta ($META_N files): $(py "print(f'{$EPOCHREALTIME - $t0:.2f}')")s")
    else fail "4. fs loadMetadata /meta"; fi
    gf_cpu0 gf_dio
    if meta_run stat-names "$G/meta/s"; then
      R[gf_stat]=$META_RATE
      DETAIL+=("4. GooseFS stats: $META_OPS names, ${META_US} us each; $(gf_cpu1 gf_dio)")
    else fail "4. stats on goosefs-fuse"; fi
  fi
fi
[ -z "${MNT_PID[gf_dio]:-}" ] || stop_mount gf_dio
if [ -n "$MASTER_PID" ]; then say "stopping the local GooseFS cluster"; stop_cluster; fi
GF_LOCAL=0

# ---------------------------------------------------------------- 6a. bindfs over tmpfs
mark 6a
if part6a; then
  say "6a. bindfs ${BINDFS_OPTS:-(default options)} over tmpfs: fio seq/rand (direct_io mount), dd (page cache)"
  # shellcheck disable=SC2086
  if start_mount bd_dio bindfs bindfs -f $BINDFS_OPTS -o direct_io "$UFS" "$(mp bd_dio)"; then
    if fio_seq "$(mp bd_dio)/file.bin" bindfs; then R[bd_seq]=$FIO_BW; else fail "6a. fio seq on bindfs"; fi
    if fio_rand "$(mp bd_dio)/file.bin" bindfs; then R[bd_rand]=$FIO_IOPS; else fail "6a. fio randread on bindfs"; fi
    stop_mount bd_dio
  else fail "bindfs -o direct_io did not mount"; fi
  # shellcheck disable=SC2086
  if start_mount bd_pc bindfs bindfs -f $BINDFS_OPTS "$UFS" "$(mp bd_pc)"; then
    if set_ra "$(mp bd_pc)" "$RA_KB" && dd_best "$(mp bd_pc)/file.bin" "$SIZE_MB"; then
      R[bd_dd]=$DD_BPS
      verify_file "$(mp bd_pc)/file.bin" "$UFS/file.bin" || true
    else fail "6a. dd on bindfs"; fi
    stop_mount bd_pc
  else fail "bindfs did not mount"; fi
  # tmpfs itself, for scale
  if fio_seq "$UFS/file.bin" tmpfs; then DETAIL+=("6a. tmpfs itself, same fio seq: $(gbs "$FIO_BW")"); fi
fi

# ---------------------------------------------------------------- 6b. S3 peers on moto
mark 6b
if part6b; then
  say "6b. S3 (moto): s3fs, rclone, GooseFS; dd bs=1M of a ${S3_MB} MiB object, cold then warm"
  if [ "$S3_MB" = "$SIZE_MB" ] && [ -f "$UFS/file.bin" ]; then S3SRC=$UFS/file.bin; else
    S3SRC=$WORK/s3src.bin
    head -c "$S3_SIZE" /dev/urandom >"$S3SRC"
  fi
  URL=""
  # put_object: bucket "bench" holding file.bin; sets URL (a presigned GET for curl: this moto
  # refuses anonymous GETs).
  put_object() {
    local t0
    say "   putting s3://bench/file.bin"
    t0=$EPOCHREALTIME
    URL=$(timeout -s KILL "$STEP_TIMEOUT" python3 - "$ENDPOINT" "$S3SRC" <<'EOF'
import sys, boto3
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',
                  aws_access_key_id='testing', aws_secret_access_key='testing',
                  config=Config(s3={'addressing_style': 'path'}))
s3.create_bucket(Bucket='bench')
with open(sys.argv[2], 'rb') as body:
    s3.put_object(Bucket='bench', Key='file.bin', Body=body)
print(s3.generate_presigned_url('get_object', Params={'Bucket': 'bench', 'Key': 'file.bin'}, ExpiresIn=3600))
EOF
    ) || { echo "   could not put the object into moto" >&2; URL=""; return 1; }
    DETAIL+=("6b. one PUT of ${S3_MB} MiB into moto: $(py "print(f'{$S3_SIZE/($EPOCHREALTIME - $t0)/1e6:.0f}')") MB/s")
  }
  if start_moto && put_object; then
    m0=$(cpu_of "$MOTO_PID")
    if s=$(timeout -s KILL "$STEP_TIMEOUT" curl -s -f -o /dev/null -w '%{speed_download}' "$URL"); then
      R[curl]=$s
      DETAIL+=("6b. curl, one GET of the object from moto: $(gbs "$s") (moto CPU $(py "print(f'{$(cpu_of "$MOTO_PID") - $m0:.1f}')")s)")
    else fail "6b. curl GET from moto"; fi
  else
    fail "6b. moto_server with the object did not come up: no S3 peers"
  fi

  # s3_read KEY NAME LABEL: cold dd (first read after mounting), then warm (best of two later reads,
  # each from an empty page cache), on the page-cache mount NAME with read_ahead_kb RA_KB.
  # GET requests for the object in moto's access log so far.
  moto_gets() { grep -c '"GET /bench/file.bin' "$WORK/logs/moto.log" || true; }
  s3_read() {
    local key=$1 name=$2 label=$3 f m0 g0
    f=$(mp "$name")/file.bin
    set_ra "$(mp "$name")" "$RA_KB" || { fail "6b. read_ahead_kb of $name"; return 1; }
    m0=$(cpu_of "$MOTO_PID")
    g0=$(moto_gets)
    if dd_read "$f" "$S3_MB"; then
      R[${key}_cold]=$DD_BPS
      DETAIL+=("6b. $label cold read: $(($(moto_gets) - g0)) GETs of the object, moto CPU $(py "print(f'{$(cpu_of "$MOTO_PID") - $m0:.1f}')")s")
    else fail "6b. cold read on $label"; return 1; fi
    g0=$(moto_gets)
    if dd_best "$f" "$S3_MB"; then R[${key}_warm]=$DD_BPS; else fail "6b. warm read on $label"; fi
    [ "$(moto_gets)" = "$g0" ] || DETAIL+=("6b. $label warm reads: $(($(moto_gets) - g0)) GETs of the object (not all from its cache)")
    verify_file "$f" "$S3SRC" || true
  }

  if [ -n "$URL" ]; then
    if mount_rclone rclone bench --vfs-cache-mode full --cache-dir "$WORK/rclone-cache"; then
      s3_read rclone rclone rclone || true
      stop_mount rclone
    else fail "rclone mount did not mount"; fi
    rm -rf "$WORK/rclone-cache"

    mkdir -p "$WORK/s3fs-cache"
    if mount_s3fs s3fs bench -o "use_cache=$WORK/s3fs-cache"; then
      s3_read s3fs s3fs s3fs || true
      stop_mount s3fs
    else fail "s3fs did not mount"; fi
    rm -rf "$WORK/s3fs-cache"

    if with_goosefs; then
      say "   starting GooseFS on s3://bench/"
      # shellcheck disable=SC2046 # gf_s3_props prints one word per property
      if start_cluster s3 s3://bench/ $((S3_MB + 512)) $(gf_s3_props); then
        if mount_goosefs gf_s3 "$FUSE_OPTS_PC"; then
          gf_cpu0 gf_s3
          s3_read gf_s3 gf_s3 GooseFS || true
          DETAIL+=("6b. GooseFS on S3, cold + warm reads: $(gf_cpu1 gf_s3); after them: $(gfs fs ls /file.bin 2>&1 | tail -1 || true)")
          stop_mount gf_s3
        else fail "goosefs-fuse on the s3:// cluster did not mount (log $WORK/logs/gf_s3.log)"; fi
      else fail "GooseFS cluster on s3://bench/ did not start"; fi
      stop_cluster
    fi
  fi
  stop_moto
fi
mark ""

# ---------------------------------------------------------------- report
# One table row: what, result key, baseline key, baseline name, unit (gbs|iops|ops|s), goal
# (ratio:MIN[:TARGET] | min:VALUE | max:SECONDS | peer).
ROWS=()
fmt() { # value unit
  case $2 in
  gbs) gbs "$1" ;;
  iops) py "print(f'{$1/1e3:.1f}k IOPS')" ;;
  ops) py "print(f'{$1:,.0f}/s')" ;;
  s) py "print(f'{$1:.2f} s')" ;;
  esac
}
row() {
  local what=$1 rk=$2 bk=$3 bname=$4 unit=$5 goal=$6 res base ratio="–" g="" ok=""
  local rv=${R[$rk]:-} bv=${R[$bk]:-}
  if with_goosefs; then res=${rv:+$(fmt "$rv" "$unit")}; res=${res:-failed or not run}; else res="skipped"; fi
  base=${bv:+$bname $(fmt "$bv" "$unit")}
  base=${base:-$bname: failed or not run}
  if [ -n "$rv" ] && [ -n "$bv" ]; then
    if [ "$unit" = s ]; then ratio=$(py "print(f'{$rv/$bv:.2f}× the time')"); else ratio=$(py "print(f'{$rv/$bv:.2f}×')"); fi
  fi
  case $goal in
  ratio:*)
    IFS=: read -r _ min target <<<"$goal"
    g="≥${min}×${target:+ (target ${target}×)}"
    [ -z "$rv" ] || [ -z "$bv" ] || ok=$(py "print('met' if $rv/$bv >= $min else 'NOT met')") ;;
  min:*)
    g="≥ $(fmt "${goal#min:}" "$unit")"
    [ -z "$rv" ] || ok=$(py "print('met' if $rv >= ${goal#min:} else 'NOT met')") ;;
  max:*)
    g="≤ ${goal#max:} s"
    [ -z "$rv" ] || ok=$(py "print('met' if $rv <= ${goal#max:} else 'NOT met')") ;;
  peer) g="peer" ;;
  esac
  ROWS+=("| $what | $res | $base | $ratio | $g${ok:+: $ok} |")
}
if part 1; then row "1. warm seq read 1 MiB, 1 job, direct_io (fio --direct=$FIO_DIRECT)" gf_seq nf_seq "null FUSE" gbs ratio:0.5:0.7; fi
if part 2; then
  row "2. dd bs=1M, page-cache mount, read_ahead_kb $RA_KB" gf_dd nf_dd "null FUSE" gbs min:2.5e9
  row "2. same, dd iflag=nocache (steady state)" gf_ddnc nf_ddnc "null FUSE" gbs peer
fi
if part 3; then row "3. randread 4 KiB, 1 job, direct_io (fio --direct=$FIO_DIRECT)" gf_rand nf_rand "null FUSE" iops ratio:0.6; fi
if part 4; then
  row "4. creates/s, distinct names (open O_CREAT+close)" gf_create nf_create "null FUSE" ops min:3000
  row "4. stats/s, distinct names (1 LOOKUP each)" gf_stat nf_stat "null FUSE" ops min:25000
fi
if part 5; then
  row "5. ls -l of $LS_ENTRIES entries, first listing" gf_ls1 nf_ls1 "null FUSE" s max:3
  row "5. ls -l of $LS_ENTRIES entries, second listing" gf_ls2 nf_ls2 "null FUSE" s max:3
fi
if part6a; then
  row "6a. seq read 1 MiB as in 1, vs bindfs -o direct_io" gf_seq bd_seq "bindfs/tmpfs" gbs peer
  row "6a. randread 4 KiB as in 3, vs bindfs -o direct_io" gf_rand bd_rand "bindfs/tmpfs" iops peer
  row "6a. dd bs=1M as in 2, vs bindfs (page cache)" gf_dd bd_dd "bindfs/tmpfs" gbs peer
fi
if part6b; then
  row "6b. S3 cold read (first), dd bs=1M, ${S3_MB} MiB" gf_s3_cold s3fs_cold "s3fs" gbs peer
  row "6b. S3 cold read (first), dd bs=1M, ${S3_MB} MiB" gf_s3_cold rclone_cold "rclone" gbs peer
  row "6b. S3 warm read (second), dd bs=1M, ${S3_MB} MiB" gf_s3_warm s3fs_warm "s3fs" gbs peer
  row "6b. S3 warm read (second), dd bs=1M, ${S3_MB} MiB" gf_s3_warm rclone_warm "rclone" gbs peer
fi

echo
echo "goosefs-fuse vs baselines, same run: $(nproc) CPUs, kernel $(uname -r), libfuse $(pkg-config --modversion fuse3), \
$(fio --version), ${SIZE_MB} MiB file (S3 ${S3_MB} MiB), fio/metabench ${RUNTIME}s, read_ahead_kb $RA_KB, \
load at start $LOAD_START / end $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d) \
($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet 2>/dev/null || echo '+dirty'))$(with_goosefs || echo ', GooseFS SKIPPED')"
echo "mounts: goosefs-fuse -o $FUSE_OPTS_DIO / -o $FUSE_OPTS_PC, $FUSE_PROPS; null_fuse -o direct_io / -o kernel_cache (1 MiB requests, 16 threads, 1 s timeouts); bindfs ${BINDFS_OPTS:-(defaults)}; rclone --vfs-cache-mode full; s3fs use_cache, use_path_request_style"
echo "| what | result | baseline (same run) | ratio | goal |"
echo "|---|---|---|---|---|"
for r in "${ROWS[@]}"; do echo "$r"; done
echo
for d in "${DETAIL[@]}"; do echo "- $d"; done
FOREIGN_ALL=$(IFS=';'; echo "${FOREIGN[*]}")
echo "- CPU used by other processes during each part (of the machine's user+system time): ${FOREIGN_ALL//;/; }"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo
  echo "FAILED:"
  for f in "${FAILED[@]}"; do echo "- $f"; done
  exit 1
fi
