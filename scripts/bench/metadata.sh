#!/usr/bin/env bash
# Small-file and metadata benchmark (issue 11), release build, everything on this host, one run:
# the same Python loops (scripts/bench/fuse/smallfiles.py, one process unless said) on
#   tmpfs      a folder on /dev/shm (no FUSE: the kernel's own cost)
#   null FUSE  scripts/bench/fuse/null_fuse.c (the FUSE ceiling: answers without storing anything)
#   GooseFS    goosefs-master + one local goosefs-worker (MEM tier on /dev/shm, under store a local
#              folder), goosefs-fuse with FUSE_PROPS (metadata cache on)
#   rclone     rclone mount --vfs-cache-mode full of a moto_server bucket
#   s3fs       s3fs -o use_cache of the same bucket (SLOW_N names: it does ~30 creates/s)
#   GooseFS/S3 GooseFS as above, its root the same bucket (s3://bench/)
# Rows:
#   1 creates/s (open O_CREAT|O_EXCL + close) of N names in a folder made through the mount
#   2 stat of the just-created names /s        3 os.listdir, then stat of every entry /s
#   4 stat of N missing names (same folder) /s  5 unlinks/s of the created names
#   6 open + 4 KiB pread + close of SMALL_FILES cached 128 KiB files, median and p99 (page cache
#     dropped per file first: the file system answers, not the page cache)
#   7 read SMALL_FILES x 128 KiB files whole: cold (first pass: under store / S3) and warm (second
#     pass, page cache dropped per file), files/s and MB/s
#   8 write SMALL_FILES (s3fs: SLOW_N) x 128 KiB files (create + write + close, default write type)
#   9 mdtest-like phases create (+ write 4 KiB) / stat / read 4 KiB / unlink of MD_N files in one
#     folder and spread over 16, with 1 and 4 processes
#  10 row 7 warm from a remote worker: a second cluster whose worker B (registered as 127.0.0.2,
#     not an address of this host, so remote to every client) cached the files with `fs load`
#     while it was the only worker; then the local worker A (127.0.0.1) joins and goosefs-fuse
#     (passive cache off, else it would copy the blocks to A) reads them from B over TCP
#  11 master getStatus p50/p99 and rate, 1 and 16 callers (MetadataLatencyBenchmark, no FUSE):
#     only with BUILD=1 or RPC_BENCH=1, last, since `swift test -c release -Xswiftc -enable-testing`
#     (the test targets use @testable, as in scripts/bench/master.sh) rebuilds every release module
# Each GooseFS value shows its ratio to the null FUSE (and GooseFS on S3 to rclone), same run.
# The null FUSE stores nothing, so rows that need existing names use its synthetic ones: row 2
# and 5 stat/unlink distinct names /s<i> (one LOOKUP each), row 3 lists /big (N entries), rows 6-7
# read its /zero (128 KiB) SMALL_FILES times on a direct_io mount; row 9 runs on a second null
# mount with 1 h entry timeouts (so the names it created stay known to the kernel).
# Prints a table; record it in docs/performance.md. Never part of CI.
#
# Run as root:  scripts/bench/metadata.sh                   (about 10 min at the defaults)
#               SKIP_GOOSEFS=1 scripts/bench/metadata.sh    (baselines and peers only)
#               N=500 SMALL_FILES=200 PARTS="1 2 7" scripts/bench/metadata.sh
# Environment: N (names for rows 1-5, default 2000), SMALL_FILES (files for rows 6-8 and 10,
# default 2000), SLOW_N (s3fs rows 1-5, 8, 9, default 200), MD_N (files per mdtest run, default
# 1000), PARTS (rows to run, default "1 2 3 4 5 6 7 8 9 10 11"; 1-5 run together, as do 6-7),
# SKIP_GOOSEFS=1, SKIP_PEERS=1 (no moto, rclone, s3fs, GooseFS on S3), FUSE_OPTS (goosefs-fuse -o,
# default none), FUSE_PROPS (default -Dgoosefs.user.metadata.cache.enabled=true), GOOSEFS_PROPS
# (extra -D options for every GooseFS process, default none), QUOTA_MB (worker
# MEM tier, default 2048), STEP_TIMEOUT (seconds per command, default 300), MOUNT_TIMEOUT (default
# 60), RPC_BENCH (1: row 11 without BUILD=1; 0: never), BENCH_DIR (default /dev/shm), KEEP=1 keeps
# the work dir, BUILD=1 runs `swift build -c release` first (without it a missing binary is an
# error), GOOSEFS_FUSE (default .build/release/goosefs-fuse).
# Installs what is missing (apt-get: gcc pkg-config libfuse3-dev fuse3 curl s3fs rclone; pip:
# moto[server] boto3). Helpers shared with fuse.sh: scripts/bench/lib/mounts.sh.
set -euo pipefail
shopt -s inherit_errexit
export LC_ALL=C
cd "$(dirname "$0")/../.."
REPO=$PWD
BIN=$REPO/.build/release
GOOSEFS_FUSE=${GOOSEFS_FUSE:-$BIN/goosefs-fuse}
SF=$REPO/scripts/bench/fuse/smallfiles.py

N=${N:-2000}
SMALL_FILES=${SMALL_FILES:-2000}
SLOW_N=${SLOW_N:-200}
MD_N=${MD_N:-1000}
PARTS=${PARTS:-"1 2 3 4 5 6 7 8 9 10 11"}
SKIP_GOOSEFS=${SKIP_GOOSEFS:-0}
SKIP_PEERS=${SKIP_PEERS:-0}
FUSE_OPTS=${FUSE_OPTS:-}
FUSE_PROPS=${FUSE_PROPS:--Dgoosefs.user.metadata.cache.enabled=true}
QUOTA_MB=${QUOTA_MB:-2048}
GOOSEFS_PROPS=${GOOSEFS_PROPS:-}
STEP_TIMEOUT=${STEP_TIMEOUT:-300}
MOUNT_TIMEOUT=${MOUNT_TIMEOUT:-60}
RPC_BENCH=${RPC_BENCH:-${BUILD:-0}}
SMALL=131072 # bytes per small file
BENCH_NAME=metadata.sh
# shellcheck source=scripts/bench/lib/mounts.sh
source "$REPO/scripts/bench/lib/mounts.sh"
part() { [[ " $PARTS " == *" $1 "* ]]; }
meta_parts() { part 1 || part 2 || part 3 || part 4 || part 5; }
read_parts() { part 6 || part 7; }
with_goosefs() { [ "$SKIP_GOOSEFS" != 1 ]; }
with_peers() { [ "$SKIP_PEERS" != 1 ]; }

# ---------------------------------------------------------------- setup
[ "$(id -u)" = 0 ] || die "run as root (mounting, allow_other)"
[ -c /dev/fuse ] || die "/dev/fuse is missing"
for v in N SMALL_FILES SLOW_N MD_N QUOTA_MB STEP_TIMEOUT MOUNT_TIMEOUT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
for p in $PARTS; do [[ $p =~ ^([1-9]|10|11)$ ]] || die "unknown row '$p' in PARTS (1-11)"; done
apt_install gcc pkg-config libfuse3-dev fuse3 curl
command -v python3 >/dev/null || apt_install python3
if with_peers; then
  apt_install s3fs rclone
  pip_install_moto
fi
BUILT=""
if with_goosefs; then
  need_release_binaries
  BUILT=", binaries built $(date -u -r "$GOOSEFS_FUSE" '+%Y-%m-%d %H:%M UTC')"
  if [ "$(git log -1 --format=%ct 2>/dev/null || echo 0)" -gt "$(stat -c %Y "$GOOSEFS_FUSE")" ]; then
    BUILT+=" (before the last commit: not built from it)"
  fi
fi

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START_S=$EPOCHREALTIME
WORK=$(mktemp -d "${BENCH_DIR:-/dev/shm}/goosefs-metadata-bench.XXXXXX")
mkdir -p "$WORK/logs" "$WORK/mnt"
: >"$WORK/commands.stderr"
bench_traps
build_null_tools

# ---------------------------------------------------------------- measuring
declare -A R=() # R[system.tag.field] from smallfiles.py's RESULT lines (mdtest: system.tag.phase.field)
DETAIL=()
FAILED=()
fail() { echo "   FAILED: $*" >&2; FAILED+=("$*"); }
note() { DETAIL+=("$*"); }
# sf SYSTEM TAG SUBCOMMAND ARGS...: one smallfiles.py run (timeout STEP_TIMEOUT) into R; failed
# operations are noted (and flagged in the table), a failed run is a failure.
sf() {
  local sys=$1 tag=$2 status=0 line kv key op first
  shift 2
  run_bg "$WORK/sf.out" timeout -s KILL "$STEP_TIMEOUT" python3 "$SF" "$@" || status=$?
  while read -r line; do
    [[ $line == "RESULT "* ]] || continue
    key=$sys.$tag
    # shellcheck disable=SC2086 # one word per field
    for kv in ${line#RESULT }; do
      if [ "${kv%%=*}" = op ]; then op=${kv#*=}; [[ $op != mdtest-* ]] || key=$sys.$tag.${op#mdtest-}; fi
      R[$key.${kv%%=*}]=${kv#*=}
    done
    if [ "${R[$key.errors]}" != 0 ]; then
      first=$(grep 'first error' "$WORK/commands.stderr" | tail -1 || true)
      note "$sys $tag ($op): ${R[$key.errors]} of ${R[$key.n]} operations failed (${first#smallfiles: })"
    fi
  done <"$WORK/sf.out"
  [ "$status" = 0 ] || { fail "$sys $tag: smallfiles.py $1 exited with $status: $(tail -2 "$WORK/commands.stderr" | tr '\n' ' ')"; return 1; }
}

# suite SYSTEM ROOT NAMES WRITES [null]: rows 1-5 with NAMES names, 6-7 on SMALL_FILES files in
# ROOT/small (7 cold only for systems that have one), 8 with WRITES files, 9 with
# min(MD_N, NAMES) files. Folders are named after SYSTEM (the S3 systems share one bucket).
suite() {
  local sys=$1 root=$2 names=$3 writes=$4 null=${5:-} d=$2/$1 md procs dirs
  local create_args=("$d-meta" --mkdir) stat_args=("$d-meta") list_dir=$d-meta missing_dir=$d-meta
  local unlink_args=("$d-meta") write_args=("$d-write" --mkdir)
  local files=(--n "$SMALL_FILES" --expect "$SMALL") files_dir=$root/small
  if [ -n "$null" ]; then
    # Its folders live only as long as their dentry (1 s): everything in its root instead.
    create_args=("$root" --prefix c)
    stat_args=("$root" --prefix s)
    list_dir=$root/big
    missing_dir=$root
    unlink_args=("$root" --prefix s)
    write_args=("$root" --prefix w)
    files+=(--file "$root/zero")
  fi
  if meta_parts; then
    say "   $sys: rows 1-5 ($names names)"
    sf "$sys" create create "${create_args[@]}" --n "$names" || true
    sf "$sys" stat stat "${stat_args[@]}" --n "$names" || true
    sf "$sys" list list-stat "$list_dir" || true
    sf "$sys" missing stat-missing "$missing_dir" --prefix m --n "$names" || true
    sf "$sys" unlink unlink "${unlink_args[@]}" --n "$names" || true
  fi
  if read_parts; then
    say "   $sys: rows 6-7 ($SMALL_FILES x 128 KiB)"
    if [ -z "$null" ] && [ "$sys" != tmpfs ]; then sf "$sys" cold read-all "$files_dir" "${files[@]}" || true; fi
    sf "$sys" warm read-all "$files_dir" "${files[@]}" --drop || true
    sf "$sys" openread open-read "$files_dir" "${files[@]}" --drop || true
  fi
  if part 8; then
    say "   $sys: row 8 ($writes x 128 KiB writes)"
    sf "$sys" write write "${write_args[@]}" --n "$writes" --size "$SMALL" || true
  fi
  if part 9 && [ -z "$null" ]; then
    md=$((MD_N < names ? MD_N : names))
    say "   $sys: row 9 (mdtest, $md files)"
    for dirs in 1 16; do
      for procs in 1 4; do
        sf "$sys" "md$dirs.$procs" mdtest "$d-md$dirs-$procs" --n "$md" --procs "$procs" --dirs "$dirs" \
          --size 4096 --expect 4096 || true
      done
    done
  fi
}
# The null FUSE's row 9: its own mount with 1 h timeouts; reads of created files return 0 bytes.
null_mdtest() {
  local dirs procs
  part 9 || return 0
  start_mount nf_md null "$NULL_FUSE" "$(mp nf_md)" -f --timeout 3600 || { fail "null_fuse (mdtest) did not mount"; return 0; }
  say "   null: row 9 (mdtest, $MD_N files, entry timeout 1 h)"
  for dirs in 1 16; do
    for procs in 1 4; do
      sf null "md$dirs.$procs" mdtest "$(mp nf_md)/null-md$dirs-$procs" --n "$MD_N" --procs "$procs" --dirs "$dirs" --size 4096 || true
    done
  done
  stop_mount nf_md
}

# ---------------------------------------------------------------- tmpfs and the null FUSE
say "tmpfs ($WORK/tmpfs)"
mkdir -p "$WORK/tmpfs"
if read_parts; then sf tmpfs seed seed "$WORK/tmpfs/small" --n "$SMALL_FILES" --size "$SMALL" || true; fi
suite tmpfs "$WORK/tmpfs" "$N" "$SMALL_FILES"
rm -rf "$WORK/tmpfs"

say "null FUSE"
if start_mount nf null "$NULL_FUSE" "$(mp nf)" -f -o direct_io --size "$SMALL" --entries "$N"; then
  suite null "$(mp nf)" "$N" "$SMALL_FILES" null
  stop_mount nf
else fail "null_fuse did not mount"; fi
null_mdtest

# ---------------------------------------------------------------- GooseFS, local under store
# gf_suite SYSTEM: mounts goosefs-fuse on the running cluster, runs the suite, notes the CPU.
gf_suite() {
  local sys=$1
  if mount_goosefs "$sys" "$FUSE_OPTS"; then
    gf_cpu0 "$sys"
    suite "$sys" "$(mp "$sys")" "$N" "$SMALL_FILES"
    note "$sys, rows 1-9: $(gf_cpu1 "$sys"); MEM tier after them: $(gfs fsadmin report capacity 2>&1 | grep -E -A1 '^127' | tr -s ' ' | tr '\n' ';' || true)"
    stop_mount "$sys"
  else fail "goosefs-fuse on $sys did not mount (log $WORK/logs/$sys.log)"; fi
}
UFS=$WORK/ufs
if with_goosefs && { meta_parts || read_parts || part 8 || part 9 || part 10; }; then
  # Seeded before the master starts: it loads the under store's metadata when first asked.
  if read_parts || part 10; then
    say "seeding $SMALL_FILES x 128 KiB files in the under store"
    sf ufs seed seed "$UFS/small" --n "$SMALL_FILES" --size "$SMALL" || true
  fi
  mkdir -p "$UFS"
fi
if with_goosefs && { meta_parts || read_parts || part 8 || part 9; }; then
  say "GooseFS (master + local worker, under store $UFS)"
  # shellcheck disable=SC2086 # one word per property
  if start_cluster local "$UFS" "$QUOTA_MB" $GOOSEFS_PROPS; then
    gf_suite gf
  else fail "GooseFS cluster (local under store) did not start; logs in $WORK/local/logs (KEEP=1 keeps them)"; fi
  stop_cluster
fi

# ---------------------------------------------------------------- 10. remote worker
if with_goosefs && part 10; then
  say "10. remote worker: worker B (127.0.0.2) caches $UFS/small, then the local worker A joins"
  # shellcheck disable=SC2086 # one word per property
  if start_master remote "$UFS" $GOOSEFS_PROPS && start_worker 127.0.0.2 "$QUOTA_MB" b && WORKER_B=$WORKER_PID; then
    t0=$EPOCHREALTIME
    if gfs fs load /small >"$WORK/logs/load.out" 2>&1; then
      note "10. fs load /small through worker B: $(py "print(f'{$EPOCHREALTIME - $t0:.1f}')") s"
      if start_worker 127.0.0.1 "$QUOTA_MB" a && mount_goosefs gf_remote "$FUSE_OPTS" -Dgoosefs.user.file.passive.cache.enabled=false; then
        ca=$(cpu_of "$WORKER_PID") cb=$(cpu_of "$WORKER_B")
        sf gf_remote first read-all "$(mp gf_remote)/small" --n "$SMALL_FILES" --expect "$SMALL" || true
        sf gf_remote warm read-all "$(mp gf_remote)/small" --n "$SMALL_FILES" --expect "$SMALL" --drop || true
        note "10. two passes from worker B: CPU worker A (local) $(py "print(f'{$(cpu_of "$WORKER_PID") - $ca:.1f}')")s, worker B (remote) $(py "print(f'{$(cpu_of "$WORKER_B") - $cb:.1f}')")s; first pass ${R[gf_remote.first.rate]:-?} files/s; capacity: $(gfs fsadmin report capacity 2>&1 | grep -E -A1 '^127' | tr -s ' ' | tr '\n' ';' || true)"
      else fail "10. worker A or goosefs-fuse (remote variant) did not start (logs $WORK/remote/logs, $WORK/logs/gf_remote.log)"; fi
    else fail "10. fs load /small: $(tail -2 "$WORK/logs/load.out" | tr '\n' ' ')"; fi
  else fail "10. cluster with worker B did not start; logs in $WORK/remote/logs"; fi
  stop_cluster
fi

# ---------------------------------------------------------------- S3 peers and GooseFS on S3
if with_peers && { meta_parts || read_parts || part 8 || part 9; }; then
  say "S3 (moto): rclone, s3fs, GooseFS on s3://bench/"
  if start_moto; then
    say "   putting $SMALL_FILES x 128 KiB objects into s3://bench/small/"
    t0=$EPOCHREALTIME
    if timeout -s KILL "$STEP_TIMEOUT" python3 - "$ENDPOINT" "$SMALL_FILES" "$SMALL" 2>>"$WORK/commands.stderr" <<'EOF'
import os, sys, boto3
from botocore.config import Config
from concurrent.futures import ThreadPoolExecutor
endpoint, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='testing',
                  aws_secret_access_key='testing', config=Config(s3={'addressing_style': 'path'}, max_pool_connections=8))
s3.create_bucket(Bucket='bench')
body = os.urandom(size)
with ThreadPoolExecutor(8) as pool:
    list(pool.map(lambda i: s3.put_object(Bucket='bench', Key=f'small/f{i}', Body=body), range(count)))
EOF
    then
      note "S3: $SMALL_FILES PUTs of 128 KiB into moto (8 threads): $(py "print(f'{$SMALL_FILES/($EPOCHREALTIME - $t0):.0f}')")/s"
      if mount_rclone rclone bench --vfs-cache-mode full --cache-dir "$WORK/rclone-cache"; then
        suite rclone "$(mp rclone)" "$N" "$SMALL_FILES"
        stop_mount rclone
      else fail "rclone mount did not mount"; fi
      mkdir -p "$WORK/s3fs-cache"
      if mount_s3fs s3fs bench -o "use_cache=$WORK/s3fs-cache"; then
        suite s3fs "$(mp s3fs)" "$SLOW_N" "$SLOW_N"
        stop_mount s3fs
      else fail "s3fs did not mount"; fi
      if with_goosefs; then
        say "   GooseFS on s3://bench/"
        # shellcheck disable=SC2046 # gf_s3_props prints one word per property
        # shellcheck disable=SC2086 # one word per property
        if start_cluster s3 s3://bench/ "$QUOTA_MB" $(gf_s3_props) $GOOSEFS_PROPS; then gf_suite gfs3; else fail "GooseFS cluster on s3://bench/ did not start"; fi
        stop_cluster
      fi
    else fail "could not put the objects into moto: $(tail -2 "$WORK/commands.stderr" | tr '\n' ' ')"; fi
    note "moto CPU over the S3 runs: $(cpu_of "$MOTO_PID")s"
    stop_moto
  else fail "moto_server did not come up: no S3 peers"; fi
fi

# ---------------------------------------------------------------- 11. master getStatus
if with_goosefs && part 11; then
  if [ "$RPC_BENCH" = 1 ]; then
    say "11. MetadataLatencyBenchmark (swift test -c release -Xswiftc -enable-testing: rebuilds the release modules)"
    # shellcheck source=scripts/lib/setup.sh
    source "$REPO/scripts/lib/setup.sh"
    goosefs_setup_toolchain
    if run_bg "$WORK/rpc.out" timeout -s KILL "${RPC_TIMEOUT:-3600}" env GOOSEFS_BENCH=1 \
      swift test -c release -Xswiftc -enable-testing --filter MetadataLatencyBenchmark; then
      line=$(grep -m1 'BENCH getStatus-us' "$WORK/rpc.out" || true)
      # shellcheck disable=SC2086 # one word per field
      for kv in ${line#BENCH getStatus-us }; do R[rpc.${kv%%=*}]=${kv#*=}; done
      [ -n "$line" ] || fail "11. no BENCH line from MetadataLatencyBenchmark: $(tail -3 "$WORK/rpc.out" | tr '\n' ' ')"
    else fail "11. swift test --filter MetadataLatencyBenchmark: $(tail -3 "$WORK/rpc.out" "$WORK/commands.stderr" | tr '\n' ' ')"; fi
  else note "11. skipped: set BUILD=1 or RPC_BENCH=1 (swift test -c release -Xswiftc -enable-testing rebuilds every release module)"; fi
fi

# ---------------------------------------------------------------- report
# cell SYSTEM.TAG KIND: rate | lat (p50 / p99 of the open-read) | read (files/s and MB/s);
# "(E err)" when operations failed, "–" when not measured.
cell() {
  local k=$1 v
  v=${R[$k.rate]:-}
  [ -n "$v" ] || { echo "–"; return; }
  case $2 in
  rate) v=$(py "r = $v; print(f'{r/1e3:.1f}k/s' if r >= 1e4 else f'{r:,.0f}/s')") ;;
  p50) v=$(py "print(f'{${R[$k.p50_us]}:,.0f} µs')") ;;
  p99) v=$(py "print(f'{${R[$k.p99_us]}:,.0f} µs')") ;;
  read) v=$(py "print(f'{$v:,.0f} files/s, {${R[$k.mb_s]}:,.0f} MB/s')") ;;
  esac
  [ "${R[$k.errors]:-0}" = 0 ] || v="$v (${R[$k.errors]} err)"
  echo "$v"
}
# ratio A B KIND: A/B for rates, A's time / B's time for latencies.
ratio() {
  local f=rate a b
  case $3 in p50) f=p50_us ;; p99) f=p99_us ;; esac
  a=${R[$1.$f]:-} b=${R[$2.$f]:-}
  if [ -z "$a" ] || [ -z "$b" ] || [ "${R[$1.errors]:-0}" != 0 ] || [ "${R[$2.errors]:-0}" != 0 ]; then echo "–"; return; fi
  case $3 in
  p50 | p99) py "print(f'{$a/$b:.1f}× the time' if $b > 0 else '–')" ;;
  *) py "print(f'{$a/$b:.3g}×' if $b > 0 else '–')" ;;
  esac
}
ROWS=()
row() { # what TAG KIND
  local what=$1 tag=$2 kind=$3
  ROWS+=("| $what | $(cell "tmpfs.$tag" "$kind") | $(cell "null.$tag" "$kind") | $(cell "gf.$tag" "$kind") | $(ratio "gf.$tag" "null.$tag" "$kind") \
| $(cell "rclone.$tag" "$kind") | $(cell "s3fs.$tag" "$kind") | $(cell "gfs3.$tag" "$kind") | $(ratio "gfs3.$tag" "rclone.$tag" "$kind") |")
}
part 1 && row "1. creates (open O_CREAT\|O_EXCL + close)" create rate
part 2 && row "2. stat of the just-created names" stat rate
part 3 && row "3. listdir, then stat of each entry" list rate
part 4 && row "4. stat of missing names" missing rate
part 5 && row "5. unlinks" unlink rate
if part 6; then
  row "6. open + 4 KiB pread + close, cached 128 KiB file, median" openread p50
  row "6. same, p99" openread p99
fi
if part 7; then
  row "7. read 128 KiB files whole, warm (2nd pass)" warm read
  row "7. same, cold (1st pass)" cold read
fi
part 8 && row "8. write 128 KiB files (create + write + close)" write rate
if part 9; then
  for dirs in 1 16; do
    for procs in 1 4; do
      for phase in "create + 4 KiB write" stat "read 4 KiB" unlink; do
        row "9. mdtest $phase, $dirs folder(s), $procs proc(s)" "md$dirs.$procs.${phase%% *}" rate
      done
    done
  done
fi
part 10 && ROWS+=("| 10. row 7 warm, blocks on a remote worker | | $(cell null.warm read) | $(cell gf_remote.warm read) | $(ratio gf_remote.warm null.warm read) | | | | |")
if part 11; then
  if [ -n "${R[rpc.c1_rate]:-}" ]; then
    ROWS+=("| 11. master getStatus, 1 caller: p50 / p99, rate | | | ${R[rpc.c1_p50_us]} / ${R[rpc.c1_p99_us]} µs, ${R[rpc.c1_rate]}/s | | | | | |")
    ROWS+=("| 11. master getStatus, ${R[rpc.concurrency]} callers: p50 / p99, rate | | | ${R[rpc.cN_p50_us]} / ${R[rpc.cN_p99_us]} µs, ${R[rpc.cN_rate]}/s | | | | | |")
  else ROWS+=("| 11. master getStatus | | | not run (see notes) | | | | | |"); fi
fi

echo
echo "Small files and metadata, same run: $(nproc) CPUs, kernel $(uname -r), libfuse $(pkg-config --modversion fuse3), \
$(rclone version 2>/dev/null | head -1 || true), s3fs $(s3fs --version 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^V[0-9]/) print substr($i, 2) }' || true), \
N=$N, SMALL_FILES=$SMALL_FILES, SLOW_N=$SLOW_N, MD_N=$MD_N, load at start $LOAD_START / end $(cut -d' ' -f1-3 /proc/loadavg), \
$(py "print(f'{($EPOCHREALTIME - $START_S)/60:.1f}')") min, $(date -u +%Y-%m-%d) \
(commit $(git -C "$REPO" log -1 --format=%h 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' + uncommitted changes in Sources')$BUILT)$(with_goosefs || echo ', GooseFS SKIPPED')$(with_peers || echo ', peers SKIPPED')"
echo "mounts: goosefs-fuse ${FUSE_OPTS:+-o $FUSE_OPTS }$FUSE_PROPS (master + 1 local worker, MEM tier on tmpfs); null_fuse -o direct_io (timeout 1 s); rclone --vfs-cache-mode full; s3fs use_cache; one moto bucket"
echo "| what | tmpfs | null FUSE | GooseFS | GooseFS ÷ null | rclone | s3fs | GooseFS on S3 | GooseFS/S3 ÷ rclone |"
echo "|---|---|---|---|---|---|---|---|---|"
for r in "${ROWS[@]}"; do echo "$r"; done
echo
for d in "${DETAIL[@]}"; do echo "- $d"; done
for sys in tmpfs null gf rclone s3fs gfs3; do
  [ -z "${R[$sys.list.list_s]:-}" ] || echo "- $sys: listdir of ${R[$sys.list.entries]} entries (row 3) took ${R[$sys.list.list_s]} s"
done
if [ ${#FAILED[@]} -gt 0 ]; then
  echo
  echo "FAILED:"
  for f in "${FAILED[@]}"; do echo "- $f"; done
  exit 1
fi
