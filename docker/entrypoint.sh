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
    echo "goosefs $command is not available in this build yet." >&2
    exit 1 ;;
  *)
    exec "$command" "$@" ;;
esac
