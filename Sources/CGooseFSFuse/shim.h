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

// 3.12: the loop configuration with a thread cap (fuse_loop_cfg_*).
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

// fuse_session_loop_mt is a macro naming a versioned symbol, which Swift cannot call.
// Up to `max_threads` threads read /dev/fuse; all of them stay (no thread churn).
static inline int goosefs_fuse_session_loop_mt(struct fuse_session *se, unsigned int max_threads) {
  struct fuse_loop_config *config = fuse_loop_cfg_create();
  if (config == NULL) return -1;
  fuse_loop_cfg_set_max_threads(config, max_threads);
  fuse_loop_cfg_set_idle_threads(config, max_threads);
  int result = fuse_session_loop_mt(se, config);
  fuse_loop_cfg_destroy(config);
  return result;
}

#endif
