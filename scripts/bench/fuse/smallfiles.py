#!/usr/bin/env python3
"""Small-file and metadata loops for scripts/bench/metadata.sh: plain `os` calls, one process
unless said, each timed per operation. Prints one machine-readable line per measurement:

  RESULT op=<op> n=<ops> errors=<failed ops> seconds=<wall> rate=<ops/s> p50_us=.. p99_us=.. [more]

Names are DIR/<prefix><i> for i in 0..n-1. Subcommands:
  seed DIR --n N --size B         write N files of B bytes (untimed set-up, e.g. on tmpfs)
  create DIR --n N                os.open(O_CREAT|O_EXCL|O_WRONLY) + close
  stat DIR --n N                  os.stat of each name
  list-stat DIR                   os.listdir(DIR), then os.stat of every entry (list_s= apart)
  stat-missing DIR --n N          os.stat of names that do not exist (ENOENT is success)
  unlink DIR --n N                os.unlink of each name
  open-read DIR --n N             open + 4 KiB pread (offset steps through the file) + close
  read-all DIR --n N              open + read the whole file (128 KiB buffer) + close; mb_s=
  write DIR --n N --size B        create + write B bytes + close
  mdtest DIR --n N --procs P --dirs D --size B
                                  mdtest-like phases create(+write B)/stat/read/unlink of N files
                                  spread over D folders DIR/d<j>, P processes (each its own
                                  share of the names); a phase's rate is all ops over the span
                                  from the first process's start to the last one's end.
--file F makes open-read and read-all use one file F n times (the null FUSE's /zero).
--drop runs posix_fadvise(DONTNEED) on each file first (untimed): the page cache is not the
answer, the file system is. --expect B counts a read of other than B bytes (4 KiB for
open-read) as an error; without it, any length is accepted.
"""
import argparse
import multiprocessing as mp
import os
import sys
import time

BUF = bytearray(1 << 17)  # read buffer: 128 KiB, reused (os.readv into it: no allocation)


def pct(sorted_ns, p):
    if not sorted_ns:
        return 0.0
    return sorted_ns[min(len(sorted_ns) - 1, int(len(sorted_ns) * p))] / 1000.0


def report(op, count, errors, seconds, lat_ns, **extra):
    lat_ns.sort()
    rate = count / seconds if seconds > 0 else 0.0
    fields = [f"op={op}", f"n={count}", f"errors={errors}", f"seconds={seconds:.4f}", f"rate={rate:.1f}",
              f"p50_us={pct(lat_ns, 0.5):.1f}", f"p99_us={pct(lat_ns, 0.99):.1f}"]
    fields += [f"{k}={v}" for k, v in extra.items()]
    print("RESULT " + " ".join(fields), flush=True)


def names(args):
    return [os.path.join(args.dir, f"{args.prefix}{i}") for i in range(args.n)]


def timed(paths, fn):
    """Runs fn(index, path) for each path; returns (seconds, errors, latencies in ns, first error)."""
    lat = []
    errors = 0
    first = None
    clock = time.perf_counter_ns
    start = clock()
    for i, path in enumerate(paths):
        t0 = clock()
        try:
            fn(i, path)
        except OSError as e:
            errors += 1
            first = first or f"{path}: {e}"
        lat.append(clock() - t0)
    seconds = (clock() - start) / 1e9
    return seconds, errors, lat, first


def warn(first):
    if first:
        print(f"smallfiles: first error: {first}", file=sys.stderr)


def op_create(i, path):
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))


def op_stat(i, path):
    os.stat(path)


def op_stat_missing(i, path):
    try:
        os.stat(path)
    except FileNotFoundError:
        return
    raise OSError(f"{path} exists")


def op_unlink(i, path):
    os.unlink(path)


def read_whole(path, expect):
    fd = os.open(path, os.O_RDONLY)
    try:
        total = 0
        while True:
            got = os.readv(fd, [BUF])
            if got == 0:
                break
            total += got
    finally:
        os.close(fd)
    if expect is not None and total != expect:
        raise OSError(f"read {total} bytes, expected {expect}")
    return total


def make_writer(size):
    data = os.urandom(size)

    def op_write(i, path):
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    return op_write


def drop(paths):
    for path in dict.fromkeys(paths):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def file_paths(args):
    return [args.file] * args.n if args.file else names(args)


def cmd_seed(args):
    os.makedirs(args.dir, exist_ok=True)
    write = make_writer(args.size)
    seconds, errors, lat, first = timed(names(args), write)
    warn(first)
    report("seed", args.n, errors, seconds, lat)


def cmd_simple(op, fn):
    def run(args):
        if args.mkdir:
            os.mkdir(args.dir)
        seconds, errors, lat, first = timed(names(args), fn)
        warn(first)
        report(op, args.n, errors, seconds, lat)
    return run


def cmd_list_stat(args):
    t0 = time.perf_counter()
    entries = os.listdir(args.dir)
    list_s = time.perf_counter() - t0
    paths = [os.path.join(args.dir, e) for e in entries]
    seconds, errors, lat, first = timed(paths, op_stat)
    warn(first)
    report("list-stat", len(paths), errors, seconds, lat, list_s=f"{list_s:.4f}", entries=len(entries))


def cmd_open_read(args):
    paths = file_paths(args)
    if args.drop:
        drop(paths)
    size = args.expect or len(BUF)
    steps = max(1, size // 4096)

    def op(i, path):
        fd = os.open(path, os.O_RDONLY)
        try:
            got = len(os.pread(fd, 4096, (i % steps) * 4096))
        finally:
            os.close(fd)
        if args.expect is not None and got != min(4096, args.expect):
            raise OSError(f"pread gave {got} bytes")
    seconds, errors, lat, first = timed(paths, op)
    warn(first)
    report("open-read", len(paths), errors, seconds, lat)


def cmd_read_all(args):
    paths = file_paths(args)
    if args.drop:
        drop(paths)
    total = [0]

    def op(i, path):
        total[0] += read_whole(path, args.expect)
    seconds, errors, lat, first = timed(paths, op)
    warn(first)
    report("read-all", len(paths), errors, seconds, lat, bytes=total[0],
           mb_s=f"{total[0] / seconds / 1e6:.1f}" if seconds > 0 else "0")


def cmd_write(args):
    if args.mkdir:
        os.mkdir(args.dir)
    seconds, errors, lat, first = timed(names(args), make_writer(args.size))
    warn(first)
    report("write", args.n, errors, seconds, lat, mb_s=f"{args.n * args.size / seconds / 1e6:.1f}")


# ---------------------------------------------------------------- mdtest
def md_worker(args, rank, barrier, queue):
    mine = [os.path.join(args.dir, f"d{i % args.dirs}" if args.dirs > 1 else "", f"{args.prefix}{i}")
            for i in range(rank, args.n, args.procs)]
    write = make_writer(args.size) if args.size else op_create

    def read(i, path):
        read_whole(path, args.expect)
    for phase, fn in (("create", write), ("stat", op_stat), ("read", read), ("unlink", op_unlink)):
        barrier.wait()
        start = time.monotonic()
        seconds, errors, lat, first = timed(mine, fn)
        queue.put((phase, rank, start, time.monotonic(), len(mine), errors, lat, first))


def cmd_mdtest(args):
    os.makedirs(args.dir)  # through the mount: part of the set-up, untimed
    for j in range(args.dirs if args.dirs > 1 else 0):
        os.mkdir(os.path.join(args.dir, f"d{j}"))
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(args.procs)
    queue = ctx.Queue()
    procs = [ctx.Process(target=md_worker, args=(args, r, barrier, queue)) for r in range(args.procs)]
    for p in procs:
        p.start()
    results = {}
    for _ in range(4 * args.procs):
        phase, rank, start, end, count, errors, lat, first = queue.get()
        results.setdefault(phase, []).append((start, end, count, errors, lat, first))
    for p in procs:
        p.join()
    for phase in ("create", "stat", "read", "unlink"):
        rows = results[phase]
        span = max(r[1] for r in rows) - min(r[0] for r in rows)
        lat = [x for r in rows for x in r[4]]
        warn(next((r[5] for r in rows if r[5]), None))
        report(f"mdtest-{phase}", sum(r[2] for r in rows), sum(r[3] for r in rows), span, lat,
               procs=args.procs, dirs=args.dirs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    commands = {
        "seed": cmd_seed, "create": cmd_simple("create", op_create), "stat": cmd_simple("stat", op_stat),
        "list-stat": cmd_list_stat, "stat-missing": cmd_simple("stat-missing", op_stat_missing),
        "unlink": cmd_simple("unlink", op_unlink), "open-read": cmd_open_read, "read-all": cmd_read_all,
        "write": cmd_write, "mdtest": cmd_mdtest,
    }
    for name in commands:
        p = sub.add_parser(name)
        p.add_argument("dir")
        p.add_argument("--n", type=int, default=2000)
        p.add_argument("--prefix", default="f")
        p.add_argument("--size", type=int, default=128 * 1024)
        p.add_argument("--file")
        p.add_argument("--drop", action="store_true")
        p.add_argument("--expect", type=int)
        p.add_argument("--mkdir", action="store_true", help="os.mkdir(DIR) first, untimed")
        p.add_argument("--procs", type=int, default=1)
        p.add_argument("--dirs", type=int, default=1)
    args = parser.parse_args()
    commands[args.cmd](args)


if __name__ == "__main__":
    main()
