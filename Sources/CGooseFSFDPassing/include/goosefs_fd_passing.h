// Passing a file descriptor over a Unix socket (SCM_RIGHTS). Swift cannot use the CMSG_* macros
// that lay out the control message, so these two calls do it in C.
#ifndef GOOSEFS_FD_PASSING_H
#define GOOSEFS_FD_PASSING_H

#include <stddef.h>

/// Sends `length` bytes of `data` with `fd` attached (fd < 0: no descriptor). Returns 0 or -errno.
int goosefs_send_with_fd(int socket, const void *data, size_t length, int fd);

/// Receives up to `capacity` bytes into `data`; a descriptor that came with them is stored in
/// `*fd` (else -1). Returns the number of bytes received, 0 at end of stream, or -errno.
long goosefs_receive_with_fd(int socket, void *data, size_t capacity, int *fd);

#endif
