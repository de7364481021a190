#!/usr/bin/env bash
# Container entrypoint with GooseFS's argument names. Configuration arrives in GOOSEFS_*_JAVA_OPTS;
# the binaries expand ${VAR} references in them themselves, so nothing is written to disk here
# (no secret lands in a file or a process title).
set -euo pipefail
command=${1:-}
shift || true
case "$command" in
  master|master-only)
    # --no-format is accepted: a missing or empty journal initialises itself.
    exec goosefs-master ;;
  job-master|job-worker)
    # Job work runs inside the master and workers; Fluid still starts these containers.
    echo "goosefs $command: job service runs inside master/worker; idling."
    exec sleep infinity ;;
  worker|worker-only)
    # --no-format is accepted: leftover block files of this cluster are reused, others discarded.
    exec goosefs-worker ;;
  fuse)
    # Fluid passes `fuse --fuse-opts=<list>` and MOUNT_POINT; the GooseFS root is mounted there in
    # the foreground as the container's main process. A mount left by a killed daemon is cleared
    # first (goosefs-fuse mount does that too).
    mount_point=${MOUNT_POINT:-/runtime-mnt/goosefs/fuse}
    options=()
    for argument in "$@"; do
      case "$argument" in
        --fuse-opts=*) options+=(-o "${argument#--fuse-opts=}") ;;
        *) options+=("$argument") ;;
      esac
    done
    mkdir -p "$mount_point"
    goosefs-fuse unmount "$mount_point" >/dev/null 2>&1 || true
    exec goosefs-fuse mount -f "${options[@]}" "$mount_point" / ;;
  *)
    exec "$command" "$@" ;;
esac
