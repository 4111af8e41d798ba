/*
** What the probe offers the rest of the runtime (the entry points
** themselves are declared in pymon/abi.h), and what ends.c offers it.
*/
#ifndef PYMON_PROBE_H
#define PYMON_PROBE_H

#include <stdint.h>

#include "record.h"

/* Called by the interposed longjmp family just before a jump: remember
** the time and CPU use of this thread's moment, and the stack pointer the
** jump lands at (0: not known).  Async-signal-safe. */
void pymon_probe_note_jump(uintptr_t target_sp);

/* Resolve the real longjmp family (jump.c); idempotent. */
void pymon_jump_init(void);

/*
** The process ends now (exit, _exit, abort): end its open items with this
** outcome and store what waits, or, where that is unsafe (in a signal
** handler), only note the end in the journal.
*/
void pymon_probe_process_end(enum pymon_outcome outcome, int detail);

/* Only note the end in the journal.  Async-signal-safe. */
void pymon_probe_note_end(enum pymon_outcome outcome, int detail);

/* The process is about to sandbox itself (sandbox.c): end its
** items now and make no system call from then on. */
void pymon_probe_sandbox(void);

/* An exec that was to replace the program failed (exec.c noted the end
** with PYMON_OUTCOME_EXEC before it): take the note back. */
void pymon_probe_exec_failed(void);

/* ends.c: catch fatal signals whose action is still the default;
** uninstall gives back the default where the handler is still ours. */
void pymon_signals_install(void);
void pymon_signals_uninstall(void);

/* ends.c: the status given to exit(), 0 when exit() was not called. */
int pymon_exit_status(void);

/* ends.c: not inside a signal handler, as far as can be told: none of
** the signals a handler would be running for is blocked. */
int pymon_ordinary_context(void);

#endif /* PYMON_PROBE_H */
