/*
** pymon's own file descriptors, kept from the program.  A test may close
** every descriptor it did not open (a close-all loop, close_range,
** closefrom) and then open files of its own, which take the lowest
** numbers free: a number of ours reused so had the probe's clear_refs
** write, or SQLite's pages, land in the program's file.  close(),
** close_range() and closefrom() are interposed and leave the descriptors
** registered here open, reporting success as the program expects; they
** are all close-on-exec, so an exec still drops them.  Not covered: a
** program that dup2()s onto one of them or closes it by a raw system
** call; pymon moves its own above the numbers programs pick.
*/
#ifndef PYMON_FDS_H
#define PYMON_FDS_H

/* Register fd as pymon's, moved up out of the program's way when the
** descriptor limit allows.  Returns the descriptor to use from now on
** (fd itself when it could not be moved; -1 for -1). */
int pymon_fd_keep(int fd);

/* Register fd as pymon's where it is (SQLite holds its own by number). */
void pymon_fd_protect(int fd);

/* fd is no longer pymon's: call before closing it. */
void pymon_fd_release(int fd);

/* Release fd and close it. */
void pymon_fd_close(int fd);

#endif /* PYMON_FDS_H */
