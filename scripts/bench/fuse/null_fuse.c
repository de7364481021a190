/*
 * null_fuse: the "null" FUSE file system, the ceiling no FUSE daemon can pass on this machine.
 *
 * A libfuse3 low-level-API daemon that stores nothing: `/zero` is a file of --size bytes (default
 * 64 GiB) whose reads are answered with zeros from one pre-faulted buffer without touching it, and
 * creates, mkdirs, unlinks and setattrs are acknowledged without keeping any state beyond a counter.
 * Every number measured through it is therefore the kernel's FUSE transport plus libfuse's loop:
 * what goosefs-fuse is judged against (scripts/bench/fuse/baseline.sh, docs/performance.md).
 *
 *   null_fuse <mountpoint> [-o direct_io[,opts]] [--size BYTES] [-f] [-d]
 *             [--threads N] [--clone-fd] [--timeout SECONDS] [--entries N]
 *             [--reply mem|splice] [--buffer BYTES] [--max-background N] [--xattr]
 *             [--spin USEC]
 *
 * Namespace (mount type `fuse.null_fuse`):
 *   /zero       regular file, --size bytes of zeros (read-only data, writes are discarded)
 *   /big/       directory of --entries empty files s0 .. s<N-1> (an `ls -l` ceiling)
 *   /s<N>       any such name exists as an empty file (a lookup/stat ceiling with distinct names)
 *   /.stats     (not listed) per-operation counters, threads that served requests, peak number
 *               of requests in the daemon at once; `: > /.stats` (an O_TRUNC open) resets them
 *   anything created (create, mknod, mkdir) gets a fresh inode number and is then forgotten:
 *   it lives only as long as the kernel's dentry (entry timeout).
 *
 * Choices that make this a fair ceiling:
 * - 1 MiB requests: conn->max_write = 1 MiB makes libfuse negotiate max_pages = 256 (libfuse 3.14
 *   caps its buffers at 256 pages, and /proc/sys/fs/fuse/max_pages_limit is 256 here too); max_read
 *   must be given both as the `max_read=` mount option and as conn->max_read, or libfuse aborts
 *   INIT with EPROTO ("requested different maximum read size").
 * - Read replies come from a buffer that was memset once at start (real pages), not from the .bss
 *   zero page: copying out of the single shared zero page would keep the source in L1 and flatter
 *   the ceiling. --buffer lets the replies walk a larger buffer (cache-cold source, closer to a
 *   daemon serving a memory tier); the default 1 MiB stays cache-warm, which is the upper bound.
 * - --reply mem (default) answers with fuse_reply_buf: one writev of header + data to /dev/fuse,
 *   one copy in the kernel, no copy in user space. --reply splice answers with fuse_reply_data from
 *   a memfd holding the zeros (FUSE_CAP_SPLICE_WRITE|SPLICE_MOVE): the "reply from a file
 *   descriptor" path a daemon holding block files would use; measured, not assumed. libfuse splices
 *   only if its per-thread pipe can hold header + data: a 1 MiB reply needs F_SETPIPE_SZ above
 *   /proc/sys/fs/pipe-max-size (1 MiB), which needs CAP_SYS_RESOURCE; without it libfuse silently
 *   falls back to mmap + pread into a fresh buffer + writev, several times slower.
 * - conn->max_readahead is left at what the kernel offers: the kernel takes min(bdi default
 *   128 KiB, reply), so asking more changes nothing. The mount's read-ahead can only be raised
 *   afterwards through /sys/class/bdi/<major:minor>/read_ahead_kb (the script does it).
 * - Multi-threaded loop (fuse_session_loop_mt) with max_threads = idle threads = --threads
 *   (default 16): libfuse starts a thread whenever none is idle, and idle threads never exit, so
 *   there is no thread churn. --threads 1 runs the single-threaded fuse_session_loop; --spin USEC
 *   a single thread that busy-polls /dev/fuse before sleeping (see spin_loop).
 * - FLUSH is not implemented: libfuse answers ENOSYS once and the kernel stops sending it. The
 *   same for getxattr/listxattr unless --xattr (see nf_getxattr).
 * - Attribute and entry timeouts: --timeout (default 1 s, libfuse's usual default); 0 sends every
 *   stat to the daemon.
 *
 * Build: gcc -O2 -Wall -Wextra -o null_fuse null_fuse.c $(pkg-config --cflags --libs fuse3)
 */
#define FUSE_USE_VERSION 312
#define _GNU_SOURCE

#include <fuse_lowlevel.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_IO (1u << 20) /* request size negotiated with the kernel */

enum {
    INO_ROOT = 1,
    INO_ZERO = 2,
    INO_STATS = 3,
    INO_BIG = 4,
};
/* Synthetic inode numbers: /s<N> and /big/s<N>, and the counter for created nodes. */
#define INO_S_BASE (1ULL << 40)
#define INO_BIG_BASE (1ULL << 44)
#define INO_NEW_BASE (1ULL << 48)
#define INO_DIR_FLAG (1ULL << 62) /* created directories */

/* ------------------------------------------------------------------ configuration */
static uint64_t g_size = 64ULL << 30;
static bool g_direct_io;
static double g_timeout = 1.0;
static uint64_t g_entries;
static bool g_splice;
static size_t g_bufsize = MAX_IO; /* replies walk [0, g_bufsize) */
static char *g_buf;               /* g_bufsize + MAX_IO bytes of zeros */
static int g_memfd = -1;          /* the same zeros in a memfd, for --reply splice */
static unsigned g_max_background;
static long g_spin_us;            /* --spin: busy-poll /dev/fuse this long before sleeping */
static time_t g_time;

/* ------------------------------------------------------------------ counters */
enum op {
    OP_LOOKUP, OP_FORGET, OP_GETATTR, OP_SETATTR, OP_MKNOD, OP_MKDIR, OP_UNLINK, OP_RMDIR,
    OP_RENAME, OP_OPEN, OP_READ, OP_WRITE, OP_RELEASE, OP_OPENDIR, OP_READDIR, OP_READDIRPLUS,
    OP_RELEASEDIR, OP_STATFS, OP_CREATE, OP_GETXATTR, OP_LISTXATTR, OP_COUNT
};
static const char *const op_names[OP_COUNT] = {
    "lookup", "forget", "getattr", "setattr", "mknod", "mkdir", "unlink", "rmdir",
    "rename", "open", "read", "write", "release", "opendir", "readdir", "readdirplus",
    "releasedir", "statfs", "create", "getxattr", "listxattr",
};
static atomic_ulong g_ops[OP_COUNT];
static atomic_ulong g_read_bytes;
static atomic_ulong g_next_ino = INO_NEW_BASE;
static atomic_int g_inflight, g_peak_inflight;
static atomic_int g_gen = 1, g_threads_served;
static _Thread_local int t_gen;

/* Every handler starts with ENTER(op) and replies through REPLY(...), which leaves first: a
   request counts as in flight from its arrival until its reply is sent (leaving after the reply
   would overlap with the next request of a synchronous stream and overstate the concurrency). */
static inline void enter(enum op op)
{
    atomic_fetch_add_explicit(&g_ops[op], 1, memory_order_relaxed);
    int gen = atomic_load_explicit(&g_gen, memory_order_relaxed);
    if (t_gen != gen) {
        t_gen = gen;
        atomic_fetch_add_explicit(&g_threads_served, 1, memory_order_relaxed);
    }
    int now = atomic_fetch_add_explicit(&g_inflight, 1, memory_order_relaxed) + 1;
    int peak = atomic_load_explicit(&g_peak_inflight, memory_order_relaxed);
    while (now > peak &&
           !atomic_compare_exchange_weak_explicit(&g_peak_inflight, &peak, now,
                                                  memory_order_relaxed, memory_order_relaxed)) {
    }
}
static inline void leave(void) { atomic_fetch_sub_explicit(&g_inflight, 1, memory_order_relaxed); }
#define ENTER(op) enter(op)
#define REPLY(call) (leave(), (void)(call))

static void reset_stats(void)
{
    for (int i = 0; i < OP_COUNT; i++) atomic_store(&g_ops[i], 0);
    atomic_store(&g_read_bytes, 0);
    atomic_store(&g_peak_inflight, 0);
    atomic_store(&g_threads_served, 0);
    atomic_fetch_add(&g_gen, 1);
}

static int count_tasks(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    if (d == NULL) return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static int format_stats(char *out, size_t cap)
{
    int len = 0;
    for (int i = 0; i < OP_COUNT; i++) {
        unsigned long v = atomic_load(&g_ops[i]);
        if (v) len += snprintf(out + len, cap - (size_t)len, "%s %lu\n", op_names[i], v);
    }
    len += snprintf(out + len, cap - (size_t)len,
                    "read_bytes %lu\nthreads_served %d\npeak_inflight %d\ntasks %d\n",
                    atomic_load(&g_read_bytes), atomic_load(&g_threads_served),
                    atomic_load(&g_peak_inflight), count_tasks());
    return len;
}

/* ------------------------------------------------------------------ namespace */
static void fill_attr(struct stat *st, fuse_ino_t ino)
{
    memset(st, 0, sizeof(*st));
    st->st_ino = ino;
    st->st_uid = 0;
    st->st_gid = 0;
    st->st_blksize = MAX_IO; /* cp and friends size their buffers from st_blksize */
    st->st_atime = st->st_mtime = st->st_ctime = g_time;
    if (ino == INO_ROOT || ino == INO_BIG || (ino & INO_DIR_FLAG)) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
        return;
    }
    st->st_mode = S_IFREG | 0644;
    st->st_nlink = 1;
    if (ino == INO_ZERO) {
        st->st_size = (off_t)g_size;
        st->st_blocks = (blkcnt_t)(g_size / 512);
    } else if (ino == INO_STATS) {
        st->st_mode = S_IFREG | 0444;
    }
}

/* "s<digits>" -> the number, or -1. */
static long long parse_s_name(const char *name)
{
    if (name[0] != 's' || name[1] < '0' || name[1] > '9') return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(name + 1, &end, 10);
    if (*end != '\0' || errno != 0 || v >= (1ULL << 40)) return -1;
    return (long long)v;
}

static void fill_entry(struct fuse_entry_param *e, fuse_ino_t ino)
{
    memset(e, 0, sizeof(*e));
    e->ino = ino;
    e->generation = 1;
    e->attr_timeout = g_timeout;
    e->entry_timeout = g_timeout;
    fill_attr(&e->attr, ino);
}

static void nf_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
    ENTER(OP_LOOKUP);
    fuse_ino_t ino = 0;
    long long n;
    if (parent == INO_ROOT) {
        if (strcmp(name, "zero") == 0) ino = INO_ZERO;
        else if (strcmp(name, ".stats") == 0) ino = INO_STATS;
        else if (strcmp(name, "big") == 0) ino = INO_BIG;
        else if ((n = parse_s_name(name)) >= 0) ino = INO_S_BASE + (fuse_ino_t)n;
    } else if (parent == INO_BIG) {
        if ((n = parse_s_name(name)) >= 0 && (uint64_t)n < g_entries) ino = INO_BIG_BASE + (fuse_ino_t)n;
    }
    if (ino == 0) {
        REPLY(fuse_reply_err(req, ENOENT)); /* no negative caching, like most daemons */
    } else {
        struct fuse_entry_param e;
        fill_entry(&e, ino);
        REPLY(fuse_reply_entry(req, &e));
    }
}

static void nf_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
    (void)ino;
    (void)nlookup;
    ENTER(OP_FORGET);
    REPLY(fuse_reply_none(req));
}

static void nf_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
    (void)count;
    (void)forgets;
    ENTER(OP_FORGET);
    REPLY(fuse_reply_none(req));
}

static void nf_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    (void)fi;
    ENTER(OP_GETATTR);
    struct stat st;
    fill_attr(&st, ino);
    REPLY(fuse_reply_attr(req, &st, g_timeout));
}

static void nf_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
                       struct fuse_file_info *fi)
{
    (void)fi;
    ENTER(OP_SETATTR);
    struct stat st;
    fill_attr(&st, ino);
    /* Echo the change without keeping it; /zero keeps its size. */
    if (to_set & FUSE_SET_ATTR_MODE) st.st_mode = (st.st_mode & S_IFMT) | (attr->st_mode & 07777);
    if (to_set & FUSE_SET_ATTR_UID) st.st_uid = attr->st_uid;
    if (to_set & FUSE_SET_ATTR_GID) st.st_gid = attr->st_gid;
    if ((to_set & FUSE_SET_ATTR_SIZE) && ino != INO_ZERO) st.st_size = attr->st_size;
    if (to_set & FUSE_SET_ATTR_ATIME) st.st_atim = attr->st_atim;
    if (to_set & FUSE_SET_ATTR_MTIME) st.st_mtim = attr->st_mtim;
    REPLY(fuse_reply_attr(req, &st, g_timeout));
}

static fuse_ino_t new_ino(bool dir)
{
    fuse_ino_t ino = atomic_fetch_add_explicit(&g_next_ino, 1, memory_order_relaxed);
    return dir ? (ino | INO_DIR_FLAG) : ino;
}

static void nf_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev)
{
    (void)parent;
    (void)name;
    (void)rdev;
    ENTER(OP_MKNOD);
    if (!S_ISREG(mode)) {
        REPLY(fuse_reply_err(req, EPERM));
    } else {
        struct fuse_entry_param e;
        fill_entry(&e, new_ino(false));
        REPLY(fuse_reply_entry(req, &e));
    }
}

static void nf_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
    (void)parent;
    (void)name;
    (void)mode;
    ENTER(OP_MKDIR);
    struct fuse_entry_param e;
    fill_entry(&e, new_ino(true));
    REPLY(fuse_reply_entry(req, &e));
}

static void nf_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
    (void)parent;
    (void)name;
    ENTER(OP_UNLINK);
    REPLY(fuse_reply_err(req, 0));
}

static void nf_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
    (void)parent;
    (void)name;
    ENTER(OP_RMDIR);
    REPLY(fuse_reply_err(req, 0));
}

static void nf_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
                      const char *newname, unsigned int flags)
{
    (void)parent;
    (void)name;
    (void)newparent;
    (void)newname;
    ENTER(OP_RENAME);
    REPLY(fuse_reply_err(req, (flags & RENAME_EXCHANGE) ? EINVAL : 0));
}

static void set_open_flags(struct fuse_file_info *fi, fuse_ino_t ino)
{
    if (ino == INO_STATS) {
        fi->direct_io = 1; /* never cached: the contents change */
        return;
    }
    fi->direct_io = g_direct_io;
    fi->keep_cache = !g_direct_io; /* page-cache mode: keep pages across opens */
}

static void nf_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    ENTER(OP_OPEN);
    if (ino == INO_ROOT || ino == INO_BIG || (ino & INO_DIR_FLAG)) {
        REPLY(fuse_reply_err(req, EISDIR));
    } else {
        if (ino == INO_STATS && (fi->flags & O_TRUNC)) reset_stats();
        set_open_flags(fi, ino);
        REPLY(fuse_reply_open(req, fi));
    }
}

static void nf_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
                      struct fuse_file_info *fi)
{
    (void)parent;
    (void)name;
    (void)mode;
    ENTER(OP_CREATE);
    struct fuse_entry_param e;
    fill_entry(&e, new_ino(false));
    set_open_flags(fi, e.ino);
    REPLY(fuse_reply_create(req, &e, fi));
}

static void nf_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
    (void)fi;
    ENTER(OP_READ);
    if (ino == INO_STATS) {
        char text[4096];
        int len = format_stats(text, sizeof(text));
        if (off >= len) REPLY(fuse_reply_buf(req, NULL, 0));
        else REPLY(fuse_reply_buf(req, text + off, size < (size_t)(len - off) ? size : (size_t)(len - off)));
        return;
    }
    if (ino != INO_ZERO || off < 0 || (uint64_t)off >= g_size) { /* empty files, or EOF */
        REPLY(fuse_reply_buf(req, NULL, 0));
        return;
    }
    size_t n = size;
    if ((uint64_t)n > g_size - (uint64_t)off) n = (size_t)(g_size - (uint64_t)off);
    atomic_fetch_add_explicit(&g_read_bytes, n, memory_order_relaxed);
    /* Where in the zero buffer this reply starts: page-aligned, walks the buffer with the offset. */
    size_t boff = (size_t)((uint64_t)off % g_bufsize) & ~(size_t)4095;
    if (n <= MAX_IO) {
        if (g_splice) {
            struct fuse_bufvec bv = FUSE_BUFVEC_INIT(n);
            bv.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
            bv.buf[0].fd = g_memfd;
            bv.buf[0].pos = (off_t)boff;
            REPLY(fuse_reply_data(req, &bv, FUSE_BUF_SPLICE_MOVE));
        } else {
            REPLY(fuse_reply_buf(req, g_buf + boff, n));
        }
    } else {
        /* Larger than negotiated (cannot happen with max_pages 256): iovecs over the buffer. */
        int count = (int)((n + MAX_IO - 1) / MAX_IO);
        struct iovec *iov = calloc((size_t)count, sizeof(*iov));
        if (iov == NULL) {
            REPLY(fuse_reply_err(req, ENOMEM));
        } else {
            size_t left = n;
            for (int i = 0; i < count; i++) {
                iov[i].iov_base = g_buf + boff;
                iov[i].iov_len = left < MAX_IO ? left : MAX_IO;
                left -= iov[i].iov_len;
            }
            REPLY(fuse_reply_iov(req, iov, count));
            free(iov);
        }
    }
}

static void nf_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
                     struct fuse_file_info *fi)
{
    (void)ino;
    (void)buf;
    (void)off;
    (void)fi;
    ENTER(OP_WRITE);
    REPLY(fuse_reply_write(req, size)); /* discarded */
}

static void nf_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    (void)ino;
    (void)fi;
    ENTER(OP_RELEASE);
    REPLY(fuse_reply_err(req, 0));
}

static void nf_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    ENTER(OP_OPENDIR);
    if (ino == INO_ROOT || ino == INO_BIG || (ino & INO_DIR_FLAG)) REPLY(fuse_reply_open(req, fi));
    else REPLY(fuse_reply_err(req, ENOTDIR));
}

static void nf_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    (void)ino;
    (void)fi;
    ENTER(OP_RELEASEDIR);
    REPLY(fuse_reply_err(req, 0));
}

/* Entry `index` of directory `dir` (0 ".", 1 "..", then the children); false past the end. */
static bool dir_entry(fuse_ino_t dir, uint64_t index, char *name, size_t cap, fuse_ino_t *ino)
{
    if (index == 0) {
        snprintf(name, cap, ".");
        *ino = dir;
        return true;
    }
    if (index == 1) {
        snprintf(name, cap, "..");
        *ino = INO_ROOT;
        return true;
    }
    uint64_t child = index - 2;
    if (dir == INO_ROOT) {
        if (child == 0) {
            snprintf(name, cap, "zero");
            *ino = INO_ZERO;
            return true;
        }
        if (child == 1) {
            snprintf(name, cap, "big");
            *ino = INO_BIG;
            return true;
        }
        return false;
    }
    if (dir == INO_BIG && child < g_entries) {
        snprintf(name, cap, "s%llu", (unsigned long long)child);
        *ino = INO_BIG_BASE + child;
        return true;
    }
    return false;
}

static void do_readdir(fuse_req_t req, fuse_ino_t dir, size_t size, off_t off, bool plus)
{
    char *buf = malloc(size);
    if (buf == NULL) {
        REPLY(fuse_reply_err(req, ENOMEM));
        return;
    }
    size_t used = 0;
    char name[32];
    fuse_ino_t ino;
    for (uint64_t index = (uint64_t)off; dir_entry(dir, index, name, sizeof(name), &ino); index++) {
        size_t len;
        if (plus) {
            struct fuse_entry_param e;
            fill_entry(&e, ino);
            len = fuse_add_direntry_plus(req, buf + used, size - used, name, &e, (off_t)(index + 1));
        } else {
            struct stat st;
            memset(&st, 0, sizeof(st));
            st.st_ino = ino;
            st.st_mode = (ino == INO_ROOT || ino == INO_BIG || (ino & INO_DIR_FLAG)) ? S_IFDIR : S_IFREG;
            len = fuse_add_direntry(req, buf + used, size - used, name, &st, (off_t)(index + 1));
        }
        if (len > size - used) break; /* full: the kernel asks again from index */
        used += len;
    }
    REPLY(fuse_reply_buf(req, buf, used));
    free(buf);
}

static void nf_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
    (void)fi;
    ENTER(OP_READDIR);
    do_readdir(req, ino, size, off, false);
}

static void nf_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                           struct fuse_file_info *fi)
{
    (void)fi;
    ENTER(OP_READDIRPLUS);
    do_readdir(req, ino, size, off, true);
}

static void nf_statfs(fuse_req_t req, fuse_ino_t ino)
{
    (void)ino;
    ENTER(OP_STATFS);
    struct statvfs sv;
    memset(&sv, 0, sizeof(sv));
    sv.f_bsize = MAX_IO;
    sv.f_frsize = 4096;
    sv.f_blocks = 1ULL << 40;
    sv.f_bfree = sv.f_bavail = 1ULL << 39;
    sv.f_files = 1ULL << 32;
    sv.f_ffree = 1ULL << 31;
    sv.f_namemax = 255;
    REPLY(fuse_reply_statfs(req, &sv));
}

/* --xattr: answer "no attributes" (what a daemon without xattrs is tempted to do) instead of
   leaving the ops unimplemented: unimplemented, libfuse answers ENOSYS once and the kernel stops
   asking; answered, every `ls -l` entry and every write pays a GETXATTR round trip. */
static void nf_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
    (void)ino;
    (void)name;
    (void)size;
    ENTER(OP_GETXATTR);
    REPLY(fuse_reply_err(req, ENODATA));
}

static void nf_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
    (void)ino;
    ENTER(OP_LISTXATTR);
    if (size == 0) REPLY(fuse_reply_xattr(req, 0));
    else REPLY(fuse_reply_buf(req, NULL, 0));
}

static void nf_init(void *userdata, struct fuse_conn_info *conn)
{
    (void)userdata;
    conn->max_write = MAX_IO;     /* libfuse derives max_pages = 256 from this */
    conn->max_read = MAX_IO;      /* must equal the max_read= mount option */
    if (g_max_background) conn->max_background = g_max_background;
    if (g_splice) {
        if (conn->capable & FUSE_CAP_SPLICE_WRITE) conn->want |= FUSE_CAP_SPLICE_WRITE;
        if (conn->capable & FUSE_CAP_SPLICE_MOVE) conn->want |= FUSE_CAP_SPLICE_MOVE;
    }
    /* libfuse already wants ASYNC_READ, PARALLEL_DIROPS, AUTO_INVAL_DATA, ASYNC_DIO,
       ATOMIC_O_TRUNC and READDIRPLUS(_AUTO) when the kernel offers them; no writeback cache. */
}

static struct fuse_lowlevel_ops ops = {
    .init = nf_init,
    .lookup = nf_lookup,
    .forget = nf_forget,
    .forget_multi = nf_forget_multi,
    .getattr = nf_getattr,
    .setattr = nf_setattr,
    .mknod = nf_mknod,
    .mkdir = nf_mkdir,
    .unlink = nf_unlink,
    .rmdir = nf_rmdir,
    .rename = nf_rename,
    .open = nf_open,
    .read = nf_read,
    .write = nf_write,
    .release = nf_release,
    .opendir = nf_opendir,
    .readdir = nf_readdir,
    .readdirplus = nf_readdirplus,
    .releasedir = nf_releasedir,
    .statfs = nf_statfs,
    .create = nf_create,
};

/* ------------------------------------------------------------------ spinning loop */
/* --spin USEC: one thread reads /dev/fuse non-blocking and keeps retrying for USEC after its last
   request before it sleeps in poll(). On this VM an idle vCPU halts (haltpoll with
   guest_halt_poll_ns=0), so every synchronous request costs a cross-CPU wake-up; a daemon that is
   still spinning when the next request arrives skips it (DDN saw the same for metadata). */
static double mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int spin_loop(struct fuse_session *se)
{
    int fd = fuse_session_fd(se);
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -errno;
    struct fuse_buf fbuf;
    memset(&fbuf, 0, sizeof(fbuf));
    int ret = 0;
    double last = mono_us();
    while (!fuse_session_exited(se)) {
        int res = fuse_session_receive_buf(se, &fbuf);
        if (res == -EAGAIN) {
            if (mono_us() - last > (double)g_spin_us) {
                struct pollfd p = {.fd = fd, .events = POLLIN};
                poll(&p, 1, -1); /* EINTR on SIGTERM: the loop condition sees the exit */
                last = mono_us();
            }
            continue;
        }
        if (res == -EINTR) continue;
        if (res <= 0) {
            if (res < 0) ret = res;
            break;
        }
        fuse_session_process_buf(se, &fbuf);
        last = mono_us();
    }
    free(fbuf.mem);
    return ret;
}

/* ------------------------------------------------------------------ main */
static __attribute__((noreturn)) void usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s <mountpoint> [-o direct_io[,opts]] [--size BYTES] [-f] [-d]\n"
            "          [--threads N] [--clone-fd] [--timeout SECONDS] [--entries N]\n"
            "          [--reply mem|splice] [--buffer BYTES] [--max-background N] [--xattr]\n"
            "          [--spin USEC]\n"
            "  BYTES accepts K, M, G, T suffixes (powers of 1024).\n",
            prog);
    exit(2);
}

static uint64_t parse_bytes(const char *s, const char *prog)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s) usage(prog);
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    case 't': case 'T': v <<= 40; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B') end++;
    if (*end == 'B') end++;
    if (*end != '\0') usage(prog);
    return v;
}

int main(int argc, char *argv[])
{
    const char *prog = argv[0];
    const char *mountpoint = NULL;
    bool foreground = false, debug = false, clone_fd = false;
    unsigned threads = 16;
    char passthrough[1024] = "";

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define NEXT() (i + 1 < argc ? argv[++i] : (usage(prog), ""))
        if (strcmp(a, "-f") == 0) foreground = true;
        else if (strcmp(a, "-d") == 0) debug = foreground = true;
        else if (strcmp(a, "--clone-fd") == 0) clone_fd = true;
        else if (strcmp(a, "--xattr") == 0) {
            ops.getxattr = nf_getxattr;
            ops.listxattr = nf_listxattr;
        }
        else if (strcmp(a, "--size") == 0) g_size = parse_bytes(NEXT(), prog);
        else if (strcmp(a, "--buffer") == 0) g_bufsize = (size_t)parse_bytes(NEXT(), prog);
        else if (strcmp(a, "--entries") == 0) g_entries = parse_bytes(NEXT(), prog);
        else if (strcmp(a, "--threads") == 0) threads = (unsigned)parse_bytes(NEXT(), prog);
        else if (strcmp(a, "--max-background") == 0) g_max_background = (unsigned)parse_bytes(NEXT(), prog);
        else if (strcmp(a, "--timeout") == 0) g_timeout = atof(NEXT());
        else if (strcmp(a, "--spin") == 0) g_spin_us = atol(NEXT());
        else if (strcmp(a, "--reply") == 0) {
            const char *m = NEXT();
            if (strcmp(m, "splice") == 0) g_splice = true;
            else if (strcmp(m, "mem") != 0) usage(prog);
        } else if (strcmp(a, "-o") == 0 || strncmp(a, "-o", 2) == 0) {
            char *list = strdup(a[2] ? a + 2 : NEXT());
            for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                if (strcmp(tok, "direct_io") == 0) g_direct_io = true;
                else if (strcmp(tok, "kernel_cache") == 0 || strcmp(tok, "keep_cache") == 0) g_direct_io = false;
                else {
                    size_t used = strlen(passthrough);
                    snprintf(passthrough + used, sizeof(passthrough) - used, ",%s", tok);
                }
            }
            free(list);
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) usage(prog);
        else if (a[0] == '-' || mountpoint != NULL) usage(prog);
        else mountpoint = a;
#undef NEXT
    }
    if (mountpoint == NULL || threads == 0 || g_bufsize < MAX_IO) usage(prog);
    g_bufsize &= ~(size_t)4095;
    g_time = time(NULL);

    /* The zeros: real, pre-faulted pages (see the header comment). */
    size_t total = g_bufsize + MAX_IO;
    g_buf = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g_buf == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    memset(g_buf, 0, total); /* touches every page once; never written again */
    if (g_splice) {
        g_memfd = memfd_create("null_fuse_zeros", MFD_CLOEXEC);
        if (g_memfd < 0) {
            perror("memfd_create");
            return 1;
        }
        for (size_t done = 0; done < total;) { /* real tmpfs pages, not holes */
            size_t chunk = total - done < MAX_IO ? total - done : MAX_IO;
            ssize_t w = pwrite(g_memfd, g_buf, chunk, (off_t)done);
            if (w <= 0) {
                perror("pwrite memfd");
                return 1;
            }
            done += (size_t)w;
        }
    }

    char opts[1200];
    snprintf(opts, sizeof(opts), "fsname=null_fuse,subtype=null_fuse,max_read=%u%s", MAX_IO, passthrough);
    char *fargv[5];
    int fargc = 0;
    fargv[fargc++] = (char *)prog;
    fargv[fargc++] = "-o";
    fargv[fargc++] = opts;
    if (debug) fargv[fargc++] = "-d";
    fargv[fargc] = NULL;
    struct fuse_args args = FUSE_ARGS_INIT(fargc, fargv);

    int ret = 1;
    struct fuse_session *se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
    if (se == NULL) goto out;
    if (fuse_set_signal_handlers(se) != 0) goto out_destroy; /* SIGTERM, SIGINT, SIGHUP: exit the loop */
    if (fuse_session_mount(se, mountpoint) != 0) goto out_signals;
    fprintf(stderr, "null_fuse: mounted %s (%s, size %llu, %u thread(s)%s, timeout %.3g s, reply %s)\n",
            mountpoint, g_direct_io ? "direct_io" : "page cache, keep_cache",
            (unsigned long long)g_size, threads, clone_fd ? ", clone_fd" : "", g_timeout,
            g_splice ? "splice" : "mem");
    fuse_daemonize(foreground);

    if (g_spin_us > 0) {
        ret = spin_loop(se); /* one thread */
    } else if (threads == 1) {
        ret = fuse_session_loop(se);
    } else {
        struct fuse_loop_config *cfg = fuse_loop_cfg_create();
        fuse_loop_cfg_set_clone_fd(cfg, clone_fd);
        fuse_loop_cfg_set_max_threads(cfg, threads);
        fuse_loop_cfg_set_idle_threads(cfg, threads);
        ret = fuse_session_loop_mt(se, cfg);
        fuse_loop_cfg_destroy(cfg);
    }
    {
        char text[4096];
        format_stats(text, sizeof(text));
        fprintf(stderr, "null_fuse: exiting (loop returned %d)\n%s", ret, text);
    }
    fuse_session_unmount(se);
out_signals:
    fuse_remove_signal_handlers(se);
out_destroy:
    fuse_session_destroy(se);
out:
    fuse_opt_free_args(&args);
    return ret < 0 ? 1 : 0;
}
