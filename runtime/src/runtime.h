/*
** The runtime's life cycle: configuration at load, a lazy start at the
** first monitored item (session, execution context, sinks), and handing
** each finished item to the sinks (local store, remote server).
*/
#ifndef PYMON_RUNTIME_H
#define PYMON_RUNTIME_H

#include "config.h"
#include "record.h"

/* Non-zero while items may be monitored (config allows, not finished). */
int pymon_runtime_enabled(void);

/*
** Start on first use: work out the session and context and open the sinks.
** `compiler` names the toolchain of the first instrumented module.  Returns
** non-zero when monitoring goes on, zero when it had to be turned off (the
** reason was printed once).
*/
int pymon_runtime_start(const char *compiler);

const struct pymon_config *pymon_runtime_config(void);
const char *pymon_runtime_invocation_dir(void);

/* Store one finished item (fills its session and context hashes). */
void pymon_runtime_record(struct pymon_metrics *m);

/* No more items after this; closes the sinks. */
void pymon_runtime_finish(void);

/* In a forked child: forget the parent's sinks, reopen on next use. */
void pymon_runtime_after_fork_child(void);

#endif /* PYMON_RUNTIME_H */
