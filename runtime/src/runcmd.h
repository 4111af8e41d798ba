/*
** Running a helper command (git, p4, uname) and capturing its output,
** without a shell and without disturbing the test program's own children.
*/
#ifndef PYMON_RUNCMD_H
#define PYMON_RUNCMD_H

#include <stddef.h>

/*
** Run argv (looked up in PATH) in directory dir (NULL: the current one),
** stdin and stderr on /dev/null, and put the first line of its stdout,
** without the newline, in out.  Returns 0 when the command ran and exited
** with status 0, -1 otherwise (out is then "").
*/
int pymon_spawn_first_line(const char *const argv[], const char *dir, char *out,
                           size_t outlen);

#endif /* PYMON_RUNCMD_H */
