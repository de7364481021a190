/*
 * metabench: single-threaded metadata-operation rates through plain syscalls, for the FUSE
 * benchmarks (scripts/bench/fuse/baseline.sh). One line of output:
 *   <mode> <ops> ops <seconds> s <ops/s> ops/s <mean us> us/op <errors> errors
 *
 *   metabench stat-same  PATH     N [SECONDS]   stat(PATH) N times
 *   metabench stat-names DIR/PFX  N [SECONDS]   stat(DIR/PFX0), stat(DIR/PFX1), ... (distinct names)
 *   metabench create     DIR/PFX  N [SECONDS]   open(O_CREAT|O_EXCL|O_WRONLY) + close, distinct names
 *   metabench mkdir      DIR/PFX  N [SECONDS]   mkdir of distinct names
 *   metabench unlink     DIR/PFX  N [SECONDS]   unlink of distinct (existing) names
 *   metabench open-read  PATH     N [SECONDS]   open + pread 4 KiB at a varying offset + close
 *
 * Stops after N operations or SECONDS (default 10), whichever comes first; a different prefix per
 * run keeps names fresh (no dentry cache hits). Exit status 1 if any operation failed.
 *
 * Build: gcc -O2 -Wall -Wextra -o metabench metabench.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s stat-same|stat-names|create|mkdir|unlink|open-read PATH N [SECONDS]\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1], *path = argv[2];
    long n = atol(argv[3]);
    double limit = argc > 4 ? atof(argv[4]) : 10.0;
    char name[4096];
    char buf[4096];
    struct stat st;
    long done = 0, errors = 0;
    int kind;
    if (strcmp(mode, "stat-same") == 0) kind = 0;
    else if (strcmp(mode, "stat-names") == 0) kind = 1;
    else if (strcmp(mode, "create") == 0) kind = 2;
    else if (strcmp(mode, "mkdir") == 0) kind = 3;
    else if (strcmp(mode, "unlink") == 0) kind = 4;
    else if (strcmp(mode, "open-read") == 0) kind = 5;
    else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    int first_errno = 0;
    double t0 = now(), t = t0;
    for (long i = 0; i < n; i++) {
        if ((i & 255) == 0 && i > 0 && (t = now()) - t0 >= limit) break;
        int rc = 0;
        if (kind != 0 && kind != 5) snprintf(name, sizeof(name), "%s%ld", path, i);
        switch (kind) {
        case 0: rc = stat(path, &st); break;
        case 1: rc = stat(name, &st); break;
        case 2: {
            int fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
            if (fd < 0) rc = -1;
            else rc = close(fd);
            break;
        }
        case 3: rc = mkdir(name, 0755); break;
        case 4: rc = unlink(name); break;
        case 5: {
            int fd = open(path, O_RDONLY);
            if (fd < 0) {
                rc = -1;
                break;
            }
            if (pread(fd, buf, sizeof(buf), (off_t)(i % 65536) * 4096) < 0) rc = -1;
            close(fd);
            break;
        }
        }
        if (rc != 0) {
            if (!first_errno) first_errno = errno;
            errors++;
        }
        done++;
    }
    t = now() - t0;
    printf("%s %ld ops %.3f s %.0f ops/s %.2f us/op %ld errors\n", mode, done, t, done / t,
           t / done * 1e6, errors);
    if (errors) fprintf(stderr, "metabench %s: %ld errors, first: %s\n", mode, errors, strerror(first_errno));
    return errors ? 1 : 0;
}
