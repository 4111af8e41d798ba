/*
** Diagnostics.  Everything pymon prints goes to stderr prefixed "pymon: ",
** so a test's own output is never mixed with ours on stdout.
*/
#ifndef PYMON_WARN_H
#define PYMON_WARN_H

#if defined(__GNUC__)
#define PYMON_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PYMON_PRINTF(a, b)
#endif

void pymon_warn(const char *fmt, ...) PYMON_PRINTF(1, 2);

/* Usage error: print and exit(2), as pytest does for a bad option. */
_Noreturn void pymon_usage_error(const char *fmt, ...) PYMON_PRINTF(1, 2);

#endif /* PYMON_WARN_H */
