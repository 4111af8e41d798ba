/*
** Capture the first output line of a helper command.  posix_spawnp keeps
** this cheap even in a large test process, and waiting for our own pid only
** leaves the test program's other children alone.
*/
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runcmd.h"

extern char **environ;

/* Read everything from fd, keeping what fits in out; returns bytes kept. */
static size_t read_all(int fd, char *out, size_t outlen) {
  size_t kept = 0;
  char scratch[256];
  for (;;) {
    char *dst = kept + 1 < outlen ? out + kept : scratch;
    size_t room = kept + 1 < outlen ? outlen - 1 - kept : sizeof scratch;
    ssize_t n = read(fd, dst, room);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (dst != scratch) kept += (size_t)n;
  }
  out[kept] = '\0';
  return kept;
}

int pymon_spawn_first_line(const char *const argv[], const char *dir, char *out,
                           size_t outlen) {
  int fds[2];
  posix_spawn_file_actions_t actions;
  pid_t pid;
  int status = 0, rc;

  if (outlen == 0) return -1;
  out[0] = '\0';
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  if (dir) posix_spawn_file_actions_addchdir_np(&actions, dir);
  rc = posix_spawnp(&pid, argv[0], &actions, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return -1;
  }
  size_t len = read_all(fds[0], out, outlen);
  close(fds[0]);

  while ((rc = (int)waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  /* A SIGCHLD handler of the test program may have reaped our child first;
  ** then its output is all we have to go on. */
  int ok = rc < 0 ? (errno == ECHILD && len > 0)
                  : (WIFEXITED(status) && WEXITSTATUS(status) == 0);
  if (!ok) {
    out[0] = '\0';
    return -1;
  }
  out[strcspn(out, "\n")] = '\0';
  return 0;
}
