/*
** Measuring: wall time, process CPU time and the exact peak resident
** memory of the process between two points.
**
** Peak memory uses the kernel's high-water mark, reset at every probe
** (/proc/self/clear_refs) so each item sees its own peak, never the
** inherited ru_maxrss nor a sampled value.  The time between two probes is
** a "segment"; an item's peak is the largest segment peak while it was open,
** which keeps an outer item's peak right when inner items reset the mark.
** Callers serialise these functions (one lock in probe.c).
*/
#ifndef PYMON_MEASURE_H
#define PYMON_MEASURE_H

#include <time.h>

struct pymon_sample {
  struct timespec realtime; /* for ITEM_START_TIME */
  double monotonic;         /* seconds */
  double user;              /* process CPU seconds in user mode */
  double kernel;            /* ... in kernel mode */
  long segment_peak_kb;     /* peak of the segment this sample closed */
};

/*
** Open the /proc descriptors and start the first segment.  Call it as early
** as possible (a constructor: the RSS is smallest then, which is when the
** mark inherited through exec is best told apart) and again in a forked
** child.  Returns the peak RSS (KB) of the process so far.
*/
long pymon_measure_init(void);

/* Whether the mark can be reset (/proc/self/clear_refs); if not, *why is
** the errno of the attempt and each peak is the process's peak so far. */
int pymon_measure_resets(int *why);

#define PYMON_MEASURE_CLOSE 0x1u /* report the peak of the segment ending now */
#define PYMON_MEASURE_OPEN 0x2u  /* start a new segment (reset the mark) */

/*
** Take the time and CPU sample.  With PYMON_MEASURE_CLOSE the peak of the
** segment ending now goes to s->segment_peak_kb; with PYMON_MEASURE_OPEN a
** new segment starts.  Callers ask only for what an open item needs: each
** costs a system call.
*/
void pymon_measure_probe(struct pymon_sample *s, unsigned what);

/* A sample of this moment and the peak since the last reset, changing
** nothing: for a process that is about to die.  Async-signal-safe. */
void pymon_measure_now(struct pymon_sample *s);

/* CLOCK_MONOTONIC now, in seconds, as samples hold it. */
double pymon_measure_monotonic(void);

/* Convert KB to the MB that MEM_USAGE stores. */
double pymon_kb_to_mb(long kb);

#endif /* PYMON_MEASURE_H */
