/*
** A process that sandboxes itself (a sandbox, or a test of one).  After
** seccomp, any call the filter does not allow kills it, and pymon's own
** (getrusage, writes, SQLite's) would kill a process that would have gone
** on, or change how it dies; after Landlock, pymon's files (the journal,
** the database's WAL) may no longer be made or removed, and it would warn
** on the program's stderr.  prctl() and syscall() are interposed to see
** either coming while everything is still allowed: the probe then ends
** its items and stores their rows, and makes no system call after.  A
** sandbox entered by an inline system call instruction is not seen.
*/
#include <dlfcn.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

#define PYMON_API __attribute__((visibility("default")))

typedef int prctl_fn(int, unsigned long, unsigned long, unsigned long, unsigned long);
typedef long syscall_fn(long, long, long, long, long, long, long);
static prctl_fn *next_prctl;
static syscall_fn *next_syscall;

/* Resolved early, and again if a constructor before ours calls them. */
__attribute__((constructor)) static void resolve_sandbox_calls(void) {
  next_prctl = (prctl_fn *)dlsym(RTLD_NEXT, "prctl");
  next_syscall = (syscall_fn *)dlsym(RTLD_NEXT, "syscall");
}

/* Do prctl(PR_SET_SECCOMP, mode, filter) and seccomp(op, flags, filter)
** restrict the process?  seccomp's other operations only ask, and so does
** a null filter: libseccomp's check that seccomp is there, which expects
** EFAULT. */
static int prctl_restricts(unsigned long mode, unsigned long filter) {
  return mode == SECCOMP_MODE_STRICT || (mode == SECCOMP_MODE_FILTER && filter != 0);
}

static int seccomp_restricts(long op, long filter) {
  return op == SECCOMP_SET_MODE_STRICT || (op == SECCOMP_SET_MODE_FILTER && filter != 0);
}

/* Does the system call restrict the process? */
static int enters_sandbox(long number, const long a[6]) {
  if (number == SYS_seccomp) return seccomp_restricts(a[0], a[2]);
  if (number == SYS_prctl)
    return a[0] == PR_SET_SECCOMP && prctl_restricts((unsigned long)a[1], (unsigned long)a[2]);
#ifdef SYS_landlock_restrict_self
  if (number == SYS_landlock_restrict_self) return 1;
#endif
  return 0;
}

PYMON_API int prctl(int option, ...) {
  va_list ap;
  va_start(ap, option);
  unsigned long a2 = va_arg(ap, unsigned long), a3 = va_arg(ap, unsigned long),
                a4 = va_arg(ap, unsigned long), a5 = va_arg(ap, unsigned long);
  va_end(ap);
  if (option == PR_SET_SECCOMP && prctl_restricts(a2, a3)) pymon_probe_sandbox();
  if (!next_prctl) resolve_sandbox_calls();
  return next_prctl(option, a2, a3, a4, a5);
}

/* The kernel takes at most six arguments; forwarding six is always right. */
PYMON_API long syscall(long number, ...) {
  va_list ap;
  va_start(ap, number);
  long a[6];
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  if (enters_sandbox(number, a)) pymon_probe_sandbox();
  if (!next_syscall) resolve_sandbox_calls();
  return next_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
