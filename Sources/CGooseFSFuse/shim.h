// The C surface of libfuse3's low-level API for the FUSE daemon. FUSE_USE_VERSION must be set
// before the header is read, which a module map cannot do, hence this shim. System headers come
// first so that everything fuse_lowlevel.h pulls in is declared as the other modules see it.
#ifndef GOOSEFS_FUSE_SHIM_H
#define GOOSEFS_FUSE_SHIM_H

#include <sys/types.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>

#define FUSE_USE_VERSION 35
#include <fuse_lowlevel.h>

#endif
