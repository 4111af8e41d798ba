/*
** The runtime's life cycle: configuration at load, a lazy start at the
** first monitored item (session, execution context, sinks), and handing
** each item to the sinks (local store through the journal, remote server).
*/
#ifndef PYMON_RUNTIME_H
#define PYMON_RUNTIME_H

#include <stddef.h>

#include "config.h"
#include "journal.h"
#include "record.h"
#include "store.h"

/* Non-zero while items may be monitored (config allows, not finished). */
int pymon_runtime_enabled(void);

/* No item is monitored from now on (the process restricts its calls). */
void pymon_runtime_disable(void);

/*
** Start on first use: work out the session and context and open the sinks.
** `compiler` names the toolchain of the first instrumented module.  Returns
** non-zero when monitoring goes on, zero when it had to be turned off (the
** reason was printed once).
*/
int pymon_runtime_start(const char *compiler);

const struct pymon_config *pymon_runtime_config(void);
const char *pymon_runtime_invocation_dir(void);

/* An item starts: note it in the journal.  Returns the handle its end
** passes to pymon_runtime_record, 0 when it is not in the journal. */
unsigned pymon_runtime_begin(const struct pymon_item_text *text,
                             const struct pymon_sample *start);

/* The peak so far of a started item (kept for a process that dies). */
void pymon_runtime_peak(unsigned handle, long peak_kb);

/* The process is alive at this sample (what recovery uses after SIGKILL). */
void pymon_runtime_alive(const struct pymon_sample *now);

/* Store one finished item that started at `start` (fills its session and
** context hashes, and ITEM_START_TIME where a sink needs it now). */
void pymon_runtime_record(struct pymon_metrics *m, const struct timespec *start,
                          unsigned handle);

/* Store a test's limits from its annotations (replacing older ones). */
void pymon_runtime_limits(const char *item_path, const char *item,
                          const struct pymon_limit *limits, size_t count);

/* At each probe: import the waiting rows when a batch is due.  1 when it
** did (time passed), 0 when nothing was due. */
int pymon_runtime_tick(double now_monotonic);

/* No more items after this: imports what waits, closes the sinks. */
void pymon_runtime_finish(void);

/* In a forked child: forget the parent's sinks, reopen on next use.
** parent_recovers: the parent knows it forked (its fork handlers ran), so
** it can store what this child leaves in its journal. */
void pymon_runtime_after_fork_child(int parent_recovers);

/* Before fork (a process that has not monitored anything yet): work out
** the session and context now, so a child per test inherits them. */
void pymon_runtime_before_fork(void);

/* In the parent after fork: the child may leave a journal to import. */
void pymon_runtime_after_fork_parent(void);

/* At the exit of a process that forked but never monitored an item
** itself (a fork-per-test runner): import what its children left. */
void pymon_runtime_recover_children(void);

#endif /* PYMON_RUNTIME_H */
