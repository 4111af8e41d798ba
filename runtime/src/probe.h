/*
** What the probe offers the rest of the runtime (the entry points
** themselves are declared in pymon/abi.h).
*/
#ifndef PYMON_PROBE_H
#define PYMON_PROBE_H

/* Called by the interposed longjmp family just before a jump: remember
** the time and CPU use of this thread's moment.  Async-signal-safe. */
void pymon_probe_note_jump(void);

/* Resolve the real longjmp family (jump.c); idempotent. */
void pymon_jump_init(void);

#endif /* PYMON_PROBE_H */
