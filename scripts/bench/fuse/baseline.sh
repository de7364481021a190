#!/usr/bin/env bash
# FUSE ceilings on this machine: the "null" FUSE file system (null_fuse.c, libfuse3 low-level API,
# 1 MiB requests, reads answered with zeros without touching data, metadata acknowledged without
# state) measured with fio, dd and metabench.c, next to tmpfs as the kernel-only reference. Every
# goosefs-fuse number is a ratio to these, measured in the same run (issue 5).
#   a. sequential read, 1 MiB, 1 job, direct_io mount        (fio psync --direct=0)
#   b. buffered dd bs=1M on the page-cache mount (keep_cache), the mount's bdi read_ahead_kb
#      swept from its default up to RA_KB, plain and with iflag=nocache (steady state); plus a
#      cached re-read and dd on the direct_io mount
#   c. 4 KiB random read IOPS, direct_io mount, 1 and 4 jobs  (fio psync)
#   d. metadata: stat (cached / distinct names / timeout 0), create, mkdir, unlink, open+read+close,
#      `ls -l` of a LS_ENTRIES directory
#   e. tmpfs (/dev/shm): the same sequential and random patterns and dd, no FUSE
#   f. knobs: 2 jobs; loop threads 1/2/4; a busy-polling thread (--spin); clone_fd; splice
#      replies; a cache-cold reply buffer; O_DIRECT on the page-cache mount (async DIO);
#      max_background 64; 1 MiB writes
# Prints a table; record it in docs/performance.md. Never part of CI's pass/fail.
#
# Environment: RUNTIME (seconds per fio job, default 10), DD_MB (dd size, default 8192),
# RA_KB (largest read_ahead_kb tried, default 16384), META_N (operations per metadata run, default
# 200000, each run also capped at RUNTIME seconds), LS_ENTRIES (default 100000), TMPFS_MB (tmpfs
# file, default 4096), STEPS (default "a b c d e f"), STEP_TIMEOUT (seconds per command beyond
# RUNTIME, default 120), KEEP=1 keeps the work directory.
# Needs root, /dev/fuse, gcc, pkg-config + libfuse3-dev, fuse3, fio (installed with apt-get when
# missing), python3.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")"
HERE=$PWD
REPO=$(cd ../../.. && pwd)

RUNTIME=${RUNTIME:-10}
DD_MB=${DD_MB:-8192}
RA_KB=${RA_KB:-16384}
META_N=${META_N:-200000}
LS_ENTRIES=${LS_ENTRIES:-100000}
TMPFS_MB=${TMPFS_MB:-4096}
STEPS=${STEPS:-"a b c d e f"}
STEP_TIMEOUT=${STEP_TIMEOUT:-120}
FIO_SIZE=8G # the span fio reads on /zero (64 GiB); time-based runs wrap around it

die() { echo "baseline.sh: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }
step() { [[ " $STEPS " == *" $1 "* ]]; }

[ "$(id -u)" = 0 ] || die "run as root (mounting, drop_caches, /sys/class/bdi)"
[ -c /dev/fuse ] || die "/dev/fuse is missing"
for tool in gcc pkg-config python3 mountpoint; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
pkg-config --exists fuse3 || die "libfuse3-dev is needed (apt-get install -y libfuse3-dev fuse3)"
if ! command -v fio >/dev/null; then
  say "installing fio"
  apt-get install -y fio >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y fio >/dev/null 2>&1; } ||
    die "fio is needed (apt-get install -y fio)"
fi

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/null-fuse-bench.XXXXXX)
TMPFS_FILE=""
declare -A NF_PID=()
is_mounted() { awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo; }
cleanup() {
  local name pid mnt
  if [ -n "$FG_PID" ]; then kill -TERM "$FG_PID" 2>/dev/null || true; wait "$FG_PID" 2>/dev/null || true; fi
  for name in "${!NF_PID[@]}"; do kill -TERM "${NF_PID[$name]}" 2>/dev/null || true; done
  sleep 0.5
  for name in "${!NF_PID[@]}"; do
    mnt=$WORK/$name
    if is_mounted "$mnt"; then umount -l "$mnt" 2>/dev/null || fusermount3 -u -z "$mnt" 2>/dev/null || true; fi
    pid=${NF_PID[$name]}
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
  done
  [ -z "$TMPFS_FILE" ] || rm -f "$TMPFS_FILE"
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept $WORK" >&2
  elif awk -v w="$WORK/" 'index($5, w) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
    echo "baseline.sh: something is still mounted under $WORK; not removing it" >&2
  else
    rm -rf --one-file-system "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building null_fuse and metabench into $WORK"
# shellcheck disable=SC2046
gcc -O2 -Wall -Wextra -Werror -o "$WORK/null_fuse" "$HERE/null_fuse.c" $(pkg-config --cflags --libs fuse3)
gcc -O2 -Wall -Wextra -Werror -o "$WORK/metabench" "$HERE/metabench.c"

# ---------------------------------------------------------------- helpers
# mount_null NAME [null_fuse options...]: mounts $WORK/NAME in the foreground, in the background.
mount_null() {
  local name=$1 i
  shift
  local mnt=$WORK/$name
  mkdir -p "$mnt"
  "$WORK/null_fuse" "$mnt" -f "$@" 2>"$WORK/$name.log" &
  NF_PID[$name]=$!
  for ((i = 0; i < 200; i++)); do
    is_mounted "$mnt" && return 0
    kill -0 "${NF_PID[$name]}" 2>/dev/null || die "null_fuse $name exited: $(cat "$WORK/$name.log")"
    sleep 0.05
  done
  die "null_fuse $name did not mount"
}
# umount_null NAME: SIGTERM (null_fuse unmounts itself), then lazy unmount and SIGKILL if needed.
umount_null() {
  local name=$1 i pid=${NF_PID[$1]}
  local mnt=$WORK/$name
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "   null_fuse $name ignored SIGTERM for 5 s: killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  if is_mounted "$mnt"; then
    echo "   $mnt still mounted after null_fuse exited: lazy unmount" >&2
    umount -l "$mnt" || true
  fi
  unset "NF_PID[$name]"
}
# CPU seconds (user+sys) a process used so far.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Daemon counters: stats_reset NAME; stats_get NAME KEY (0 when absent).
stats_reset() { : >"$WORK/$1/.stats"; }
stats_get() { awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' "$WORK/$1/.stats"; }
py() { python3 -c "$1"; }

# run_bg OUT CMD...: runs CMD in the background (stdout to OUT) and waits for it, so that INT/TERM
# reach the traps at once instead of after the command (bash defers traps during foreground
# commands); cleanup stops it by its PID.
FG_PID=""
run_bg() {
  local out=$1 status=0
  shift
  "$@" >"$out" 2>>"$WORK/commands.stderr" &
  FG_PID=$!
  wait "$FG_PID" || status=$?
  FG_PID=""
  return "$status"
}
# fio_run NAME [fio arguments...]: sets FIO_RESULT to "bytes_per_s iops p99_us" (read + write).
FIO_RESULT=""
fio_run() {
  local name=$1
  shift
  run_bg "$WORK/fio.json" timeout -s KILL $((RUNTIME + STEP_TIMEOUT)) fio --name="$name" --output-format=json \
    --group_reporting --time_based --runtime="$RUNTIME" "$@" ||
    { tail -5 "$WORK/commands.stderr" >&2; die "fio $name failed"; }
  FIO_RESULT=$(python3 - "$WORK/fio.json" <<'EOF2'
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
bw = j["read"]["bw_bytes"] + j["write"]["bw_bytes"]
iops = j["read"]["iops"] + j["write"]["iops"]
side = j["read"] if j["read"]["io_bytes"] else j["write"]
p99 = side.get("clat_ns", {}).get("percentile", {}).get("99.000000", 0) / 1000
print(f"{bw} {iops:.0f} {p99:.1f}")
EOF2
)
}
# dd_read FILE MB [dd operands...] -> bytes per second (dd's own timing).
dd_read() {
  local r file=$1 mb=$2
  shift 2
  r=$(timeout -s KILL "$STEP_TIMEOUT" dd if="$file" of=/dev/null bs=1M count="$mb" "$@" 2>&1 |
    awk '/copied/ { print $1 / $(NF-3) }')
  [ -n "$r" ] || die "dd of $file failed"
  echo "$r"
}
# dd_best FILE MB [dd operands...]: the better of two runs, each from an empty page cache for FILE.
dd_best() {
  local a b
  drop_file_cache "$1"
  a=$(dd_read "$@")
  drop_file_cache "$1"
  b=$(dd_read "$@")
  drop_file_cache "$1"
  py "print(max($a, $b))"
}
drop_file_cache() { dd if="$1" iflag=nocache count=0 status=none; } # fadvise DONTNEED, whole file

# CPU time other processes used during each step (a busy neighbour, e.g. a CI build, makes the
# numbers worthless): busy time from /proc/stat minus ours (waited-for children from `times`, plus
# the live null_fuse daemons). Kernel threads working for us count as "other" too (small).
HZ=$(getconf CLK_TCK)
FOREIGN=()
MARK_STEP=""
mark() { # next step's name ("" at the end)
  local busy children daemons=0 name ours
  busy=$(awk -v hz="$HZ" '/^cpu / { print ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat)
  times >"$WORK/times" # in this shell, not a subshell: the second line is our children's CPU
  children=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } print s }' "$WORK/times")
  for name in "${!NF_PID[@]}"; do daemons=$(py "print($daemons + $(cpu_of "${NF_PID[$name]}"))"); done
  ours=$(py "print($children + $daemons)")
  if [ -n "$MARK_STEP" ] && step "$MARK_STEP"; then
    FOREIGN+=("$MARK_STEP $(py "print(f'{($busy - $MARK_BUSY) - ($ours - $MARK_OURS):.1f}')")s of $(py "print(f'{$busy - $MARK_BUSY:.0f}')")s")
  fi
  MARK_BUSY=$busy MARK_OURS=$ours MARK_STEP=$1
}

ROWS=()
DETAIL=()
row() { ROWS+=("$(printf '| %-3s | %-62s | %12s | %-9s | %-44s |' "$@")"); }
gbs() { py "print(f'{$1/1e9:.2f}')"; }
kiops() { py "print(f'{$1/1e3:.1f}k')"; }
# Daemon summary after a read run: average request size, threads that served, peak in flight.
read_summary() { # name cpu_seconds bytes
  local name=$1 reads bytes
  reads=$(stats_get "$name" read)
  bytes=$(stats_get "$name" read_bytes)
  py "print(f'{$bytes/max($reads,1)/1024:.0f} KiB/req, thr {$(stats_get "$name" threads_served)}, peak {$(stats_get "$name" peak_inflight)}, cpu {$2:.1f}s')"
}

HAVE_SEQ1M=""
HAVE_SEQ1M_ALIGNED=""
mark a
# ---------------------------------------------------------------- a. sequential read, direct_io
if step a || step c || step f; then
  mount_null dio -o direct_io
  DIO=$WORK/dio
fi
if step a; then
  say "a. sequential read 1 MiB, 1 job, direct_io mount (${RUNTIME}s)"
  # fio's own buffers are not page-aligned with --direct=0: in direct_io mode the kernel pins the
  # caller's pages, so an unaligned 1 MiB buffer spans 257 pages and goes out as two requests
  # (max_pages is 256). Applications differ (coreutils align, Python's bytes do not): both rows.
  for variant in "1M" "1M aligned" "128k aligned" "4M aligned"; do
    bs=${variant%% *}
    align=()
    [[ $variant != *aligned ]] || align=(--iomem_align=4096)
    stats_reset dio
    c0=$(cpu_of "${NF_PID[dio]}")
    fio_run seq-$bs --filename="$DIO/zero" --size=$FIO_SIZE --rw=read --bs="$bs" --ioengine=psync --direct=0 --numjobs=1 "${align[@]}"
    read -r bw _ _ <<<"$FIO_RESULT"
    c1=$(cpu_of "${NF_PID[dio]}")
    label="a"
    [ "$bs" = 1M ] || label="a'"
    what="seq read bs=$bs, 1 job, direct_io mount (fio psync)"
    [[ $variant != *aligned ]] || what="seq read bs=$bs, 1 job, direct_io, page-aligned buffer"
    row "$label" "$what" "$(gbs "$bw")" "GB/s" "$(read_summary dio "$(py "print($c1-$c0)")")"
    if [ "$variant" = 1M ]; then HAVE_SEQ1M=$bw; fi
    if [ "$variant" = "1M aligned" ]; then HAVE_SEQ1M_ALIGNED=$bw; fi
  done
fi

mark b
# ---------------------------------------------------------------- b. buffered dd, page cache
if step b; then
  say "b. buffered dd bs=1M, ${DD_MB} MiB, page-cache mount, read-ahead sweep"
  mount_null pc
  PC=$WORK/pc
  BDI=$(mountpoint -d "$PC")
  RA_FILE=/sys/class/bdi/$BDI/read_ahead_kb
  [ -w "$RA_FILE" ] || die "no $RA_FILE"
  RA_DEFAULT=$(cat "$RA_FILE")
  DETAIL+=("b. page-cache mount: \`mountpoint -d\` gives bdi $BDI; /sys/class/bdi/$BDI/read_ahead_kb is $RA_DEFAULT after mounting, set to each value of the sweep, restored after")
  # Plain dd, as an application reads: the page cache grows by DD_MB. On this VM, memory the
  # guest has not touched lately (free pages are reported to the host) costs a host fault on first
  # use, so large plain reads measure that as much as FUSE. `iflag=nocache` drops each block after
  # reading it (the steady state of streaming a file larger than memory): the FUSE-bound number.
  for ra in "$RA_DEFAULT" 1024 "$RA_KB"; do
    echo "$ra" >"$RA_FILE"
    stats_reset pc
    c0=$(cpu_of "${NF_PID[pc]}")
    bw=$(dd_best "$PC/zero" "$DD_MB")
    c1=$(cpu_of "${NF_PID[pc]}")
    row "b" "dd bs=1M, page-cache mount, read_ahead_kb $(cat "$RA_FILE")" "$(gbs "$bw")" "GB/s" "$(read_summary pc "$(py "print($c1-$c0)")")"
  done
  for ra in "$RA_DEFAULT" 512 1024 2048 4096 "$RA_KB"; do
    echo "$ra" >"$RA_FILE"
    stats_reset pc
    c0=$(cpu_of "${NF_PID[pc]}")
    bw=$(dd_best "$PC/zero" "$DD_MB" iflag=nocache)
    c1=$(cpu_of "${NF_PID[pc]}")
    row "b" "dd bs=1M iflag=nocache, page-cache mount, read_ahead_kb $(cat "$RA_FILE")" "$(gbs "$bw")" "GB/s" "$(read_summary pc "$(py "print($c1-$c0)")")"
  done
  # The same file again from the page cache (keep_cache): no daemon involved. One untimed pass
  # fills the cache, then the better of two.
  dd_read "$PC/zero" "$DD_MB" >/dev/null
  stats_reset pc
  bw=$(py "print(max($(dd_read "$PC/zero" "$DD_MB"), $(dd_read "$PC/zero" "$DD_MB")))")
  row "b'" "dd bs=1M, page-cache mount, cached re-read (keep_cache)" "$(gbs "$bw")" "GB/s" "reads reaching the daemon: $(stats_get pc read)"
  drop_file_cache "$PC/zero"
  echo "$RA_DEFAULT" >"$RA_FILE"
  if [ -n "${DIO:-}" ]; then
    stats_reset dio
    c0=$(cpu_of "${NF_PID[dio]}")
    bw=$(dd_best "$DIO/zero" "$DD_MB")
    c1=$(cpu_of "${NF_PID[dio]}")
    row "b\"" "dd bs=1M, direct_io mount (read-ahead does not apply)" "$(gbs "$bw")" "GB/s" "$(read_summary dio "$(py "print($c1-$c0)")")"
  fi
fi

mark c
# ---------------------------------------------------------------- c. 4 KiB random reads
if step c; then
  say "c. 4 KiB random read, direct_io mount, 1 and 4 jobs (${RUNTIME}s each)"
  for jobs in 1 4; do
    stats_reset dio
    c0=$(cpu_of "${NF_PID[dio]}")
    fio_run rand-$jobs --filename="$DIO/zero" --size=$FIO_SIZE --rw=randread --bs=4k --ioengine=psync --direct=0 --numjobs="$jobs"
    read -r _ iops p99 <<<"$FIO_RESULT"
    c1=$(cpu_of "${NF_PID[dio]}")
    row "c" "randread 4 KiB, $jobs job(s), direct_io mount (fio psync)" "$(kiops "$iops")" "IOPS" "p99 ${p99}us, $(read_summary dio "$(py "print($c1-$c0)")" | sed 's/^[0-9]* KiB\/req, //')"
  done
fi

mark d
# ---------------------------------------------------------------- d. metadata
meta() { # name label mode path [ops to show per op...]
  local name=$1 label=$2 mode=$3 path=$4 out ops rate us per="" k
  shift 4
  stats_reset "$name"
  run_bg "$WORK/meta.out" timeout -s KILL $((RUNTIME + STEP_TIMEOUT)) "$WORK/metabench" "$mode" "$path" "$META_N" "$RUNTIME" ||
    die "metabench $mode $path failed: $(cat "$WORK/meta.out"; tail -2 "$WORK/commands.stderr")"
  out=$(cat "$WORK/meta.out")
  read -r _ ops _ _ _ rate _ us _ <<<"$out"
  for k in "$@"; do per+="$k $(py "print(f'{$(stats_get "$name" "$k")/$ops:.2f}')") "; done
  row "${META_LABEL:-d}" "$label" "$(py "print(f'{$rate:,.0f}')")" "ops/s" "${us}us/op; per op: ${per% }"
}
if step d; then
  say "d. metadata rates (entry/attr timeout 1 s, and 0 s)"
  mount_null meta -o direct_io
  M=$WORK/meta
  meta meta "stat same file (attrs cached, timeout 1s)" stat-same "$M/zero" lookup getattr
  meta meta "stat distinct names (1 LOOKUP each)" stat-names "$M/s" lookup getattr
  meta meta "create+close distinct names" create "$M/c" lookup create release
  meta meta "mkdir distinct names" mkdir "$M/d" lookup mkdir
  meta meta "unlink (existing names)" unlink "$M/s" lookup unlink
  meta meta "open+pread 4 KiB+close /zero" open-read "$M/zero" open read release
  umount_null meta
  mount_null meta0 -o direct_io --timeout 0
  meta meta0 "stat same file, timeout 0 (every stat reaches the daemon)" stat-same "$WORK/meta0/zero" lookup getattr
  umount_null meta0
  for variant in enosys enodata; do
    if [ $variant = enosys ]; then
      mount_null big --entries "$LS_ENTRIES"
      what="xattr ops unimplemented (ENOSYS once)"
    else
      mount_null big --entries "$LS_ENTRIES" --xattr
      what="xattr ops answer ENODATA"
    fi
    stats_reset big
    t0=$(date +%s.%N)
    n=$(timeout -s KILL "$STEP_TIMEOUT" ls -l "$WORK/big/big" | wc -l)
    t1=$(date +%s.%N)
    calls=$(stats_get big readdirplus)
    row "d" "ls -l of $LS_ENTRIES entries, fresh mount, $what" "$(py "print(f'{$t1-$t0:.2f}')")" "s" \
      "$((n - 1)) lines; readdirplus $calls ($(py "print(f'{$LS_ENTRIES/max($calls,1):.0f}')")/call), lookup $(stats_get big lookup), getattr $(stats_get big getattr), getxattr $(stats_get big getxattr)"
    if [ $variant = enosys ]; then
      t0=$(date +%s.%N)
      timeout -s KILL "$STEP_TIMEOUT" ls -l "$WORK/big/big" >/dev/null
      t1=$(date +%s.%N)
      row "d" "ls -l of $LS_ENTRIES entries, again right after" "$(py "print(f'{$t1-$t0:.2f}')")" "s" "readdirplus $(stats_get big readdirplus) in total"
    fi
    umount_null big
  done
fi

mark e
# ---------------------------------------------------------------- e. tmpfs reference
if step e; then
  say "e. tmpfs (/dev/shm) reference, ${TMPFS_MB} MiB file"
  TMPFS_FILE=$(mktemp /dev/shm/null-fuse-bench.XXXXXX)
  dd if=/dev/zero of="$TMPFS_FILE" bs=1M count="$TMPFS_MB" status=none
  fio_run tmpfs-seq --filename="$TMPFS_FILE" --rw=read --bs=1M --ioengine=psync --direct=0 --numjobs=1
  read -r bw _ _ <<<"$FIO_RESULT"
  row "e" "tmpfs seq read bs=1M, 1 job (fio psync)" "$(gbs "$bw")" "GB/s" "kernel only: copy_to_user from page cache"
  [ -z "$HAVE_SEQ1M" ] || DETAIL+=("a/e. null FUSE direct_io seq read 1 MiB = $(py "print(f'{$HAVE_SEQ1M/$bw:.2f}')")x tmpfs (page-aligned buffer: $(py "print(f'{$HAVE_SEQ1M_ALIGNED/$bw:.2f}')")x)")
  bw=$(py "print(max($(dd_read "$TMPFS_FILE" "$TMPFS_MB"), $(dd_read "$TMPFS_FILE" "$TMPFS_MB")))")
  row "e" "tmpfs dd bs=1M" "$(gbs "$bw")" "GB/s" ""
  for jobs in 1 4; do
    fio_run tmpfs-rand-$jobs --filename="$TMPFS_FILE" --rw=randread --bs=4k --ioengine=psync --direct=0 --numjobs="$jobs"
    read -r _ iops p99 <<<"$FIO_RESULT"
    row "e" "tmpfs randread 4 KiB, $jobs job(s) (fio psync)" "$(kiops "$iops")" "IOPS" "p99 ${p99}us"
  done
  rm -f "$TMPFS_FILE"
  TMPFS_FILE=""
fi

mark f
# ---------------------------------------------------------------- f. knobs
seq_on() { # label name file [fio args...]
  local label=$1 name=$2 file=$3 bw c0 c1
  shift 3
  stats_reset "$name"
  c0=$(cpu_of "${NF_PID[$name]}")
  fio_run "$name" --filename="$file" --size=$FIO_SIZE --ioengine=psync "$@"
  read -r bw _ _ <<<"$FIO_RESULT"
  c1=$(cpu_of "${NF_PID[$name]}")
  row "f" "$label" "$(gbs "$bw")" "GB/s" "$(read_summary "$name" "$(py "print($c1-$c0)")")"
}
rand_on() { # label name [fio args...]
  local label=$1 name=$2 iops p99 c0 c1
  shift 2
  stats_reset "$name"
  c0=$(cpu_of "${NF_PID[$name]}")
  fio_run "$name" --filename="$WORK/$name/zero" --size=$FIO_SIZE --rw=randread --bs=4k --ioengine=psync --direct=0 "$@"
  read -r _ iops p99 <<<"$FIO_RESULT"
  c1=$(cpu_of "${NF_PID[$name]}")
  row "f" "$label" "$(kiops "$iops")" "IOPS" "p99 ${p99}us, $(read_summary "$name" "$(py "print($c1-$c0)")" | sed 's/^[0-9]* KiB\/req, //')"
}
if step f; then
  say "f. knobs"
  seq_on "seq read 1 MiB, 2 jobs, direct_io (default 16 threads)" dio "$DIO/zero" --rw=read --bs=1M --direct=0 --iomem_align=4096 --numjobs=2
  rand_on "randread 4 KiB, 2 jobs, direct_io (default 16 threads)" dio --numjobs=2
  for t in 1 2 4; do
    mount_null t$t -o direct_io --threads "$t"
    seq_on "seq read 1 MiB, 1 job, --threads $t" t$t "$WORK/t$t/zero" --rw=read --bs=1M --direct=0 --iomem_align=4096 --numjobs=1
    for jobs in 1 2 4; do rand_on "randread 4 KiB, $jobs job(s), --threads $t" t$t --numjobs=$jobs; done
    umount_null t$t
  done
  # A daemon thread that busy-polls /dev/fuse for 50 us before sleeping (one thread).
  mount_null spin -o direct_io --spin 50
  seq_on "seq read 1 MiB, 1 job, --spin 50 (1 polling thread)" spin "$WORK/spin/zero" --rw=read --bs=1M --direct=0 --iomem_align=4096 --numjobs=1
  for jobs in 1 2; do rand_on "randread 4 KiB, $jobs job(s), --spin 50" spin --numjobs=$jobs; done
  META_LABEL=f meta spin "stat distinct names, --spin 50" stat-names "$WORK/spin/s" lookup
  META_LABEL=f meta spin "create+close distinct names, --spin 50" create "$WORK/spin/c" lookup create release
  umount_null spin
  mount_null clone -o direct_io --clone-fd
  rand_on "randread 4 KiB, 4 jobs, --clone-fd" clone --numjobs=4
  seq_on "seq read 1 MiB, 1 job, --clone-fd" clone "$WORK/clone/zero" --rw=read --bs=1M --direct=0 --iomem_align=4096 --numjobs=1
  umount_null clone
  # Splice replies: libfuse needs a pipe larger than header + data, i.e. > 1 MiB for 1 MiB replies;
  # F_SETPIPE_SZ beyond /proc/sys/fs/pipe-max-size needs CAP_SYS_RESOURCE, and without it libfuse
  # silently falls back to allocating a buffer and pread()ing into it. 512 KiB requests fit.
  mount_null splice -o direct_io --reply splice
  seq_on "seq read 1 MiB, 1 job, replies spliced from a memfd" splice "$WORK/splice/zero" --rw=read --bs=1M --direct=0 --iomem_align=4096 --numjobs=1
  seq_on "seq read 512 KiB, 1 job, replies spliced from a memfd" splice "$WORK/splice/zero" --rw=read --bs=512k --direct=0 --iomem_align=4096 --numjobs=1
  umount_null splice
  seq_on "seq read 512 KiB, 1 job, replies from memory (compare)" dio "$DIO/zero" --rw=read --bs=512k --direct=0 --iomem_align=4096 --numjobs=1
  cap=no
  if (((0x$(awk '/^CapEff/ { print $2 }' /proc/self/status) >> 24) & 1)); then cap=yes; fi
  DETAIL+=("f. splice: CAP_SYS_RESOURCE $cap, /proc/sys/fs/pipe-max-size $(cat /proc/sys/fs/pipe-max-size)")
  mount_null cold -o direct_io --buffer 1G
  seq_on "seq read 1 MiB, 1 job, replies walk a 1 GiB buffer (cache-cold)" cold "$WORK/cold/zero" --rw=read --bs=1M --direct=0 --iomem_align=4096 --numjobs=1
  umount_null cold
  mount_null pcdirect
  for bs in 1M 4M; do
    seq_on "O_DIRECT seq read bs=$bs, page-cache mount (async DIO)" pcdirect "$WORK/pcdirect/zero" --rw=read --bs=$bs --direct=1 --numjobs=1
  done
  umount_null pcdirect
  mount_null bg64 --max-background 64
  bdi=$(mountpoint -d "$WORK/bg64")
  echo "$RA_KB" >"/sys/class/bdi/$bdi/read_ahead_kb"
  stats_reset bg64
  c0=$(cpu_of "${NF_PID[bg64]}")
  bw=$(dd_best "$WORK/bg64/zero" "$DD_MB" iflag=nocache)
  c1=$(cpu_of "${NF_PID[bg64]}")
  row "f" "dd bs=1M iflag=nocache, read_ahead_kb $RA_KB, max_background 64" "$(gbs "$bw")" "GB/s" "$(read_summary bg64 "$(py "print($c1-$c0)")")"
  umount_null bg64
  stats_reset dio
  c0=$(cpu_of "${NF_PID[dio]}")
  fio_run write-1m --filename="$DIO/zero" --size=$FIO_SIZE --rw=write --bs=1M --ioengine=psync --direct=0 --numjobs=1
  read -r bw _ _ <<<"$FIO_RESULT"
  c1=$(cpu_of "${NF_PID[dio]}")
  row "f" "seq write 1 MiB, 1 job, direct_io (data discarded)" "$(gbs "$bw")" "GB/s" "writes $(stats_get dio write), thr $(stats_get dio threads_served), cpu $(py "print(f'{$c1-$c0:.1f}')")s"
fi
[ -z "${NF_PID[dio]:-}" ] || umount_null dio
[ -z "${NF_PID[pc]:-}" ] || umount_null pc
mark ""

# ---------------------------------------------------------------- report
echo
echo "null FUSE ceilings, $(nproc) CPUs, kernel $(uname -r), libfuse $(pkg-config --modversion fuse3), fio ${RUNTIME}s runs, load at start $LOAD_START / end $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d) ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'))"
printf '| %-3s | %-62s | %12s | %-9s | %-44s |\n' "" "what" "result" "unit" "daemon: request size, threads, peak, CPU"
printf '|%s|%s|%s|%s|%s|\n' "-----" "$(printf -- '-%.0s' {1..64})" "--------------" "-----------" "$(printf -- '-%.0s' {1..46})"
for r in "${ROWS[@]}"; do echo "$r"; done
echo
for d in "${DETAIL[@]}"; do echo "- $d"; done
echo "- CPU used by other processes during each step (of the machine's busy CPU time): ${FOREIGN[*]}"
