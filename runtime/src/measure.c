/*
** Measuring time, CPU and exact per-segment peak RSS (see measure.h).
**
** getrusage(RUSAGE_SELF).ru_maxrss is max(signal->maxrss, high-water mark
** of the address space).  signal->maxrss is fixed after exec (it changes
** only at exec and when the whole thread group exits), so once we know an
** upper bound for it, a ru_maxrss above that bound IS the high-water mark,
** and the 13 us read of VmHWM from /proc/self/status is needed only when
** signal->maxrss may hide the real value.  The bound is learned from VmHWM
** itself, so the result is always the kernel's exact mark.
**
** A process exec'd by a bigger one (CTest, meson, a Python harness; make
** when it runs a command without a shell) starts with that one's peak as
** signal->maxrss, so ru_maxrss hides the mark as long as the process is
** smaller.  Resident pages are only added by page faults (the system
** calls that fill pages fault too, counted to the calling thread), so a
** segment with no fault in the process peaked at the larger of its start
** and end RSS: /proc/self/statm (2-3 us) tells those, and VmHWM is read
** only for segments that faulted.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fds.h"
#include "measure.h"

static int clear_refs_fd = -1;
static int status_fd = -1;
static int statm_fd = -1;
static int can_reset;        /* clear_refs accepted a write */
static int reset_errno;      /* ... and why not */
static long inherited_bound; /* upper bound of signal->maxrss, KB */
static long page_kb;
/* The open segment: faults and RSS (KB, -1: not read) at its reset. */
static long open_faults;
static long open_rss_kb = -1;

/*
** CPU time is getrusage(RUSAGE_SELF)'s.  RUSAGE_THREAD costs half as much
** but reads the calling thread's run time as the scheduler last counted
** it, at a tick or a switch, up to a tick (4 ms at 250 Hz) behind: tests
** of 2 ms spinning read 0 and 4 ms by turns.  RUSAGE_SELF brings the
** calling thread's count up to date first.
*/
static void process_rusage(struct rusage *ru) { getrusage(RUSAGE_SELF, ru); }

static double timeval_seconds(struct timeval tv) {
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* All of a /proc file in buf, NUL-terminated: 0, or -1. */
static int read_proc_file(int fd, char *buf, size_t size) {
  if (fd < 0) return -1;
  ssize_t n = pread(fd, buf, size - 1, 0);
  if (n <= 0) return -1;
  buf[n] = '\0';
  return 0;
}

/* The decimal number at p, after blanks, or -1. */
static long number_at(const char *p) {
  long v = 0;
  while (*p == ' ' || *p == '\t') p++;
  if (*p < '0' || *p > '9') return -1;
  for (; *p >= '0' && *p <= '9'; p++) v = v * 10 + (*p - '0');
  return v;
}

/* VmHWM in KB from /proc/self/status, or -1.  Async-signal-safe. */
static long read_vmhwm_kb(void) {
  char buf[4096];
  if (read_proc_file(status_fd, buf, sizeof buf) != 0) return -1;
  const char *p = strstr(buf, "\nVmHWM:");
  return p ? number_at(p + 7) : -1;
}

/* The resident set now in KB from /proc/self/statm (its second field, in
** pages), or -1. */
static long read_rss_kb(void) {
  char buf[256];
  if (read_proc_file(statm_fd, buf, sizeof buf) != 0) return -1;
  const char *p = strchr(buf, ' ');
  long pages = p ? number_at(p + 1) : -1;
  return pages < 0 ? -1 : pages * page_kb;
}

static long fault_count(const struct rusage *ru) { return ru->ru_minflt + ru->ru_majflt; }

static int reset_high_water_mark(void) {
  return clear_refs_fd >= 0 && pwrite(clear_refs_fd, "5", 1, 0) == 1;
}

/* Kept from the program (fds.h): a number it reused would have the
** clear_refs write land in its file. */
static int reopen(int fd, const char *path, int flags) {
  pymon_fd_close(fd);
  return pymon_fd_keep(open(path, flags | O_CLOEXEC));
}

long pymon_measure_init(void) {
  struct rusage ru;

  clear_refs_fd = reopen(clear_refs_fd, "/proc/self/clear_refs", O_WRONLY);
  status_fd = reopen(status_fd, "/proc/self/status", O_RDONLY);
  statm_fd = reopen(statm_fd, "/proc/self/statm", O_RDONLY);
  page_kb = sysconf(_SC_PAGESIZE) / 1024;
  open_rss_kb = -1;
  long peak_so_far = read_vmhwm_kb();
  can_reset = reset_high_water_mark();
  if (!can_reset) reset_errno = errno;
  getrusage(RUSAGE_SELF, &ru);
  long hwm = read_vmhwm_kb();
  /* Just after a reset VmHWM is the current RSS, so a larger ru_maxrss is
  ** signal->maxrss itself; otherwise signal->maxrss is at most VmHWM. */
  inherited_bound = (hwm < 0 || ru.ru_maxrss > hwm) ? ru.ru_maxrss : hwm;
  return peak_so_far;
}

/* Exact peak of the segment that ends now, given getrusage read now.
** *rss_now: the RSS now when it was read for that (KB), else -1. */
static long segment_peak(const struct rusage *ru, long *rss_now) {
  long maxrss_now = ru->ru_maxrss;
  *rss_now = -1;
  if (can_reset && maxrss_now > inherited_bound) return maxrss_now;
  if (can_reset && (*rss_now = read_rss_kb()) >= 0 && open_rss_kb >= 0 &&
      fault_count(ru) == open_faults)
    return open_rss_kb > *rss_now ? open_rss_kb : *rss_now;
  long hwm = read_vmhwm_kb();
  if (hwm < 0) return maxrss_now;
  if (can_reset && hwm < maxrss_now) inherited_bound = maxrss_now; /* exact */
  return hwm;
}

/* A segment starts at a reset: what its end compares with.  rss_kb: the
** RSS at the reset, or -1 (the mark was not hidden then). */
static void segment_opened(const struct rusage *ru, long rss_kb) {
  open_faults = fault_count(ru);
  open_rss_kb = rss_kb;
}

double pymon_measure_monotonic(void) {
  struct timespec mono;
  clock_gettime(CLOCK_MONOTONIC, &mono);
  return (double)mono.tv_sec + (double)mono.tv_nsec / 1e9;
}

static void sample_times(struct pymon_sample *s, const struct rusage *ru) {
  clock_gettime(CLOCK_REALTIME, &s->realtime);
  s->monotonic = pymon_measure_monotonic();
  s->user = timeval_seconds(ru->ru_utime);
  s->kernel = timeval_seconds(ru->ru_stime);
}

/* The times of a sample are read together, CPU then clocks: a reset
** between them (1 us, sometimes 100) had its CPU time counted in the next
** item and its wall time in the last, and a 5 us test show 2000 %. */
void pymon_measure_probe(struct pymon_sample *s, unsigned what) {
  struct rusage ru;

  s->segment_peak_kb = 0;
  if (what & PYMON_MEASURE_CLOSE) {
    long rss_now;
    process_rusage(&ru);
    sample_times(s, &ru);
    s->segment_peak_kb = segment_peak(&ru, &rss_now);
    /* No fault and the same RSS since the reset: the mark is the RSS now,
    ** and resetting it would change nothing. */
    int mark_is_rss = rss_now >= 0 && rss_now == open_rss_kb && fault_count(&ru) == open_faults;
    if ((what & PYMON_MEASURE_OPEN) && can_reset && !mark_is_rss) {
      reset_high_water_mark();
      segment_opened(&ru, rss_now);
    }
  } else if ((what & PYMON_MEASURE_OPEN) && can_reset) {
    /* Reset first so the reset's cost stays out of the item that starts. */
    reset_high_water_mark();
    process_rusage(&ru);
    sample_times(s, &ru);
    segment_opened(&ru, ru.ru_maxrss > inherited_bound ? -1 : read_rss_kb());
  } else {
    process_rusage(&ru);
    sample_times(s, &ru);
  }
}

void pymon_measure_now(struct pymon_sample *s) {
  struct rusage ru;
  process_rusage(&ru);
  s->segment_peak_kb = ru.ru_maxrss;
  if (!can_reset || ru.ru_maxrss <= inherited_bound) {
    long hwm = read_vmhwm_kb();
    if (hwm >= 0) s->segment_peak_kb = hwm;
  }
  sample_times(s, &ru);
}

int pymon_measure_resets(int *why) {
  if (!can_reset) *why = reset_errno;
  return can_reset;
}

double pymon_kb_to_mb(long kb) { return (double)kb / 1024.0; }
