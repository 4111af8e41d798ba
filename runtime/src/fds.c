/*
** pymon's descriptors kept from the program (see fds.h): a bit per
** descriptor number, and close(), close_range() and closefrom()
** interposed to skip the numbers whose bit is set.
*/
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fds.h"

#define PYMON_API __attribute__((visibility("default")))

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1u << 2)
#endif

#define FD_LIMIT 65536 /* numbers that can be kept */
#define KEEP_BASE 256  /* ours go at or above it, if the limit is twice that */

static _Atomic unsigned char kept[FD_LIMIT / 8];

typedef int close_fn(int);
typedef int close_range_fn(unsigned int, unsigned int, int);
typedef void closefrom_fn(int);
static close_fn *next_close;
static close_range_fn *next_close_range;
static closefrom_fn *next_closefrom;

/* Resolved early: close runs in signal handlers, where dlsym must not. */
__attribute__((constructor)) static void resolve_closers(void) {
  next_close = (close_fn *)dlsym(RTLD_NEXT, "close");
  next_close_range = (close_range_fn *)dlsym(RTLD_NEXT, "close_range");
  next_closefrom = (closefrom_fn *)dlsym(RTLD_NEXT, "closefrom");
}

static int is_kept(unsigned fd) {
  if (fd >= FD_LIMIT) return 0;
  return (atomic_load_explicit(&kept[fd / 8], memory_order_relaxed) >> (fd % 8)) & 1;
}

static void set_kept(int fd, int on) {
  if (fd < 0 || fd >= FD_LIMIT) return;
  unsigned char bit = (unsigned char)(1u << (fd % 8));
  if (on) atomic_fetch_or(&kept[fd / 8], bit);
  else atomic_fetch_and(&kept[fd / 8], (unsigned char)~bit);
}

/* The lowest kept descriptor in [from, last], or -1. */
static int next_kept(unsigned from, unsigned last) {
  for (unsigned fd = from; fd < FD_LIMIT && fd <= last;) {
    if (atomic_load_explicit(&kept[fd / 8], memory_order_relaxed) == 0) {
      fd = (fd / 8 + 1) * 8;
      continue;
    }
    if (is_kept(fd)) return (int)fd;
    fd++;
  }
  return -1;
}

static int real_close(int fd) {
  return next_close ? next_close(fd) : (int)syscall(SYS_close, fd);
}

static int real_close_range(unsigned first, unsigned last, int flags) {
  if (next_close_range) return next_close_range(first, last, flags);
#ifdef SYS_close_range
  return (int)syscall(SYS_close_range, first, last, flags);
#else
  errno = ENOSYS;
  return -1;
#endif
}

void pymon_fd_protect(int fd) { set_kept(fd, 1); }

void pymon_fd_release(int fd) { set_kept(fd, 0); }

void pymon_fd_close(int fd) {
  if (fd < 0) return;
  set_kept(fd, 0);
  real_close(fd);
}

int pymon_fd_keep(int fd) {
  struct rlimit limit;
  if (fd < 0) return fd;
  if (fd < KEEP_BASE && getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
      limit.rlim_cur >= 2 * KEEP_BASE) {
    int high = fcntl(fd, F_DUPFD_CLOEXEC, KEEP_BASE);
    if (high >= 0) {
      real_close(fd);
      fd = high;
    }
  }
  set_kept(fd, 1);
  return fd;
}

PYMON_API int close(int fd) {
  if (fd >= 0 && is_kept((unsigned)fd)) return 0; /* as if closed; errno untouched */
  return real_close(fd);
}

PYMON_API int close_range(unsigned int first, unsigned int last, int flags) {
  int k;
  /* Marking close-on-exec changes nothing of ours: they are already. */
  if (first > last || (flags & CLOSE_RANGE_CLOEXEC)) return real_close_range(first, last, flags);
  while ((k = next_kept(first, last)) >= 0) {
    if ((unsigned)k > first && real_close_range(first, (unsigned)k - 1, flags) != 0) return -1;
    if ((unsigned)k == last) return 0;
    first = (unsigned)k + 1;
  }
  return real_close_range(first, last, flags);
}

PYMON_API void closefrom(int lowfd) {
  unsigned first = lowfd < 0 ? 0 : (unsigned)lowfd;
  int k;
  while ((k = next_kept(first, UINT_MAX)) >= 0) {
    if ((unsigned)k > first && real_close_range(first, (unsigned)k - 1, 0) != 0)
      for (unsigned fd = first; fd < (unsigned)k; fd++) real_close((int)fd);
    first = (unsigned)k + 1;
  }
  if (next_closefrom) next_closefrom((int)first);
  else real_close_range(first, UINT_MAX, 0);
}
