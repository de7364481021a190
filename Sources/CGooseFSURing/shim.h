// The C surface the worker's io_uring engine needs from liburing. liburing implements most of its
// API as `static inline` functions in the header, which Swift cannot call through a module map;
// each one used is wrapped here under a distinct `goosefs_uring_` name. Exported functions
// (io_uring_queue_init, io_uring_submit, io_uring_queue_exit) are called directly.
#ifndef GOOSEFS_URING_SHIM_H
#define GOOSEFS_URING_SHIM_H

// liburing.h defines _XOPEN_SOURCE/_GNU_SOURCE before its system includes, which changes how
// glibc declares fd_set & co. Inside this module those declarations would then clash with the
// ones Dispatch/Foundation import. Including the system headers first, with the defaults every
// other module sees, makes liburing's own includes no-ops.
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <inttypes.h>
#include <time.h>
#include <fcntl.h>
#include <sched.h>
#include <liburing.h>

/// A vacant submission entry, or NULL when the submission queue is full.
static inline struct io_uring_sqe *goosefs_uring_get_sqe(struct io_uring *ring) {
  return io_uring_get_sqe(ring);
}

static inline void goosefs_uring_prep_read(struct io_uring_sqe *sqe, int fd, void *buffer,
                                           unsigned count, __u64 offset, __u64 userData) {
  io_uring_prep_read(sqe, fd, buffer, count, offset);
  io_uring_sqe_set_data64(sqe, userData);
}

static inline void goosefs_uring_prep_write(struct io_uring_sqe *sqe, int fd, const void *buffer,
                                            unsigned count, __u64 offset, __u64 userData) {
  io_uring_prep_write(sqe, fd, buffer, count, offset);
  io_uring_sqe_set_data64(sqe, userData);
}

static inline void goosefs_uring_prep_nop(struct io_uring_sqe *sqe, __u64 userData) {
  io_uring_prep_nop(sqe);
  io_uring_sqe_set_data64(sqe, userData);
}

/// Waits for one completion; 0 with `*cqe` set, or -errno.
static inline int goosefs_uring_wait_cqe(struct io_uring *ring, struct io_uring_cqe **cqe) {
  return io_uring_wait_cqe(ring, cqe);
}

/// A completion if one is ready; 0 with `*cqe` set, or -EAGAIN when none is.
static inline int goosefs_uring_peek_cqe(struct io_uring *ring, struct io_uring_cqe **cqe) {
  return io_uring_peek_cqe(ring, cqe);
}

/// Hands a completion entry back to the kernel once its fields have been read.
static inline void goosefs_uring_cqe_seen(struct io_uring *ring, struct io_uring_cqe *cqe) {
  io_uring_cqe_seen(ring, cqe);
}

#endif
