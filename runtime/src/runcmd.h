/*
** Child processes of the runtime that the test program never sees: they
** send it no SIGCHLD and its wait(-1) does not return them (no exit
** signal: only a wait with __WCLONE or __WALL does), and none of its fork
** or signal handlers run for them.  Used to run helper commands (git, p4,
** uname) and to start the importer process, which outlives us.
*/
#ifndef PYMON_RUNCMD_H
#define PYMON_RUNCMD_H

#include <stddef.h>
#include <sys/types.h>

/*
** Is valgrind running this process?  It runs only the fork, vfork and
** thread forms of clone and makes the hidden children copies of the
** program, each with its own valgrind report at its exit.
*/
int pymon_under_valgrind(void);

/* The file execvp would run for name, into path: 0, or -1 if none. */
int pymon_find_command(const char *name, char *path, size_t len);

/*
** Start path with argv and envp as a process that outlives us: its parent
** is init (or a subreaper), not the program.  Descriptor keep_fd stays
** open in it (close-on-exec cleared); nothing of our memory is copied (it
** shares it until the exec).  Returns its pid, or -1 with errno set; an
** exec that fails ends it with status 127.  Not under valgrind, which
** gives the hidden child a copy of our memory: the pid would be lost.
*/
pid_t pymon_spawn_detached(const char *path, char *const argv[], char *const envp[],
                           int keep_fd);

/*
** Run argv (looked up in PATH) in directory dir (NULL: the current one),
** stdin and stderr on /dev/null, and put the first line of its stdout,
** without the newline, in out.  Returns 0 when the command ran and exited
** with status 0, -1 otherwise (out is then ""); a command that is not
** installed is not started at all.
*/
int pymon_spawn_first_line(const char *const argv[], const char *dir, char *out,
                           size_t outlen);

#endif /* PYMON_RUNCMD_H */
