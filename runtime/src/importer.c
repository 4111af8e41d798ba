/*
** The importer process (see importer.h): starting it from a test process
** and talking to it, and its own loop.
**
** The two talk over a socket pair: the test process sends a byte when it
** has handed a range over (journal.h), the importer answers one byte when
** it has stored it.  The journal's header holds the range and whether it
** is done; the bytes only wake the other side, and end of file tells each
** that the other is gone.
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fds.h"
#include "importer.h"
#include "runcmd.h"
#include "store.h"
#include "warn.h"

#define ENV_NAME "PYMON_IMPORTER"
#define CHECKPOINT_PAGES 256
#define CLOSED 'c' /* the last byte the importer sends: its database is closed */

extern char **environ;

static int importer_fd = -1; /* our end of the socket pair; -1: none */
static ino_t importer_ino;   /* ... which the program may close and reuse */
static pid_t importer_pid;
static int importer_ready;   /* it has answered once: it is serving */

/* The environment with ENV_NAME=value added (replacing one inherited). */
static char **importer_environment(char *assignment) {
  size_t n = 0, k = 0;
  while (environ && environ[n]) n++;
  char **envp = malloc((n + 2) * sizeof *envp);
  if (!envp) return NULL;
  for (size_t i = 0; i < n; i++)
    if (strncmp(environ[i], ENV_NAME "=", sizeof ENV_NAME) != 0) envp[k++] = environ[i];
  envp[k++] = assignment;
  envp[k] = NULL;
  return envp;
}

int pymon_importer_start(const char *db_path, struct pymon_journal *j) {
  int pair[2];
  char *argv[] = {"pymon-importer", NULL};
  if (importer_fd >= 0) return 0;
  /* Under valgrind /proc/self/exe is valgrind's tool, not the program, and
  ** the pid would not come back (runcmd.h); its slowness dwarfs SQLite's. */
  if (pymon_under_valgrind()) return -1;
  /* A child subreaper would become its parent when the hidden child
  ** exits: its wait(-1) would see it, or wait for it to end, which it
  ** does only after this process. */
  int subreaper = 0;
  if (prctl(PR_GET_CHILD_SUBREAPER, &subreaper) != 0 || subreaper) return -1;
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return -1;
  const char *journal = pymon_journal_file(j);
  size_t len = sizeof ENV_NAME + 64 + strlen(journal) + strlen(db_path);
  char *assignment = malloc(len);
  char **envp = NULL;
  pid_t pid = -1;
  if (assignment) {
    /* Paths may hold any byte but NUL: the first one's length says where
    ** it ends. */
    snprintf(assignment, len, ENV_NAME "=%d:%zu:%s%s", pair[1], strlen(journal), journal,
             db_path);
    envp = importer_environment(assignment);
  }
  /* An exec that fails is seen as the importer's end of file. */
  if (envp) pid = pymon_spawn_detached("/proc/self/exe", argv, envp, pair[1]);
  free(envp);
  free(assignment);
  close(pair[1]);
  struct stat sb;
  if (pid <= 0 || fstat(pair[0], &sb) != 0) {
    close(pair[0]);
    return -1;
  }
  importer_fd = pymon_fd_keep(pair[0]);
  importer_ino = sb.st_ino;
  importer_pid = pid;
  importer_ready = 0;
  return 0;
}

int pymon_importer_running(void) { return importer_fd >= 0; }

/* Is importer_fd still our socket?  If the program closed it, forget it
** without touching the number. */
static int own_socket(void) {
  struct stat sb;
  if (importer_fd < 0) return 0;
  if (fstat(importer_fd, &sb) == 0 && S_ISSOCK(sb.st_mode) && sb.st_ino == importer_ino)
    return 1;
  pymon_fd_release(importer_fd);
  importer_fd = -1;
  return 0;
}

/* Read the answers nobody waited for, so its sends never block: 0, or -1
** when it is gone. */
static int read_answers(void) {
  char acks[64];
  ssize_t n;
  while ((n = recv(importer_fd, acks, sizeof acks, MSG_DONTWAIT)) > 0) importer_ready = 1;
  return n == 0 ? -1 : 0;
}

int pymon_importer_ready(void) {
  return own_socket() && read_answers() == 0 && importer_ready;
}

int pymon_importer_poke(void) {
  if (!own_socket() || read_answers() != 0) return -1;
  if (send(importer_fd, "h", 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1) return 0;
  return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1; /* full: it is awake */
}

int pymon_importer_wait(const struct pymon_journal *j) {
  char acks[64];
  if (!own_socket()) return -1;
  while (!pymon_journal_handed_done(j)) {
    ssize_t n = recv(importer_fd, acks, sizeof acks, 0);
    if (n == 0 || (n < 0 && errno != EINTR)) return -1;
    if (n > 0) importer_ready = 1;
  }
  return 0;
}

void pymon_importer_finish(const struct pymon_journal *j) {
  if (!own_socket()) return;
  shutdown(importer_fd, SHUT_WR);
  pymon_importer_wait(j); /* gone: the range is ours to store */
}

/* End of file tells it to finish; CLOSED (or its end of file), that it
** has closed the database: then ours is the last connection, which
** checkpoints. */
void pymon_importer_stop(void) {
  char acks[64];
  ssize_t n;
  if (!own_socket()) return;
  shutdown(importer_fd, SHUT_WR);
  while ((n = recv(importer_fd, acks, sizeof acks, 0)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0 && acks[n - 1] == CLOSED) break;
  pymon_fd_close(importer_fd);
  importer_fd = -1;
}

void pymon_importer_cancel(void) {
  if (!own_socket()) return;
  /* Alive until its end of file: the pid is not someone else's yet. */
  if (read_answers() == 0 && importer_pid > 0) kill(importer_pid, SIGKILL);
  pymon_importer_stop();
}

void pymon_importer_forget(void) {
  if (own_socket()) pymon_fd_close(importer_fd);
  importer_fd = -1;
}

/* ------------------------------------------------------------------ */
/* The importer's side.                                                */

/* Not through our _exit: nothing of the importer is monitored. */
static _Noreturn void quit(int status) {
  syscall(SYS_exit_group, status);
  for (;;) continue;
}

/* Quiet, and deaf to the terminal: the test process reports faults (it
** redoes the work), and a ^C must not cut a range half stored. */
static void become_importer(void) {
  sigset_t none;
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd <= 2 && null >= 0; fd++) dup2(null, fd);
  if (null > 2) close(null);
  prctl(PR_SET_NAME, "pymon-importer"); /* else "exe" in ps */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static _Noreturn void serve(int fd, const char *journal, const char *db_path) {
  char err[512], wake[64];
  become_importer();
  struct pymon_store *st = pymon_store_open(db_path, err, sizeof err);
  struct pymon_journal *j = st ? pymon_journal_attach(journal) : NULL;
  if (!j) quit(1);
  /* The test process checkpoints once more at its end; little is left
  ** for it when this process checkpoints every megabyte or so. */
  pymon_store_keep_wal(st);
  pymon_store_checkpoint_every(st, CHECKPOINT_PAGES);
  for (;;) {
    ssize_t n = recv(fd, wake, sizeof wake, 0);
    if (n < 0 && errno == EINTR) continue;
    if (pymon_journal_import_handed(j, st) != 0) quit(1);
    /* Not blocking: when the buffer is full, answers wait to be read. */
    if (send(fd, "d", 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1 && errno != EAGAIN) break;
    if (n <= 0) break;
  }
  /* While the test process stores its last rows, copy ours into the
  ** database file: its checkpoint at the end then has little left. */
  pymon_store_checkpoint(st);
  pymon_store_close(st);
  send(fd, &(char){CLOSED}, 1, MSG_NOSIGNAL); /* sooner than our exit */
  /* After: the journal, removed by now, is freed when its last user lets
  ** go of it, and the test process need not wait for that. */
  pymon_journal_detach(j);
  quit(0);
}

void pymon_importer_serve_if_asked(void) {
  const char *spec = getenv(ENV_NAME);
  struct stat sb;
  int fd, skip = 0;
  size_t journal_len;
  if (!spec) return;
  /* Set by pymon for its importer only: anything else is a mistake. */
  if (sscanf(spec, "%d:%zu:%n", &fd, &journal_len, &skip) != 2 || skip == 0 ||
      journal_len == 0 || strlen(spec + skip) <= journal_len || fstat(fd, &sb) != 0 ||
      !S_ISSOCK(sb.st_mode))
    pymon_usage_error(ENV_NAME "='%s': pymon sets this for its importer process only; "
                      "expected SOCKET-FD:LENGTH:JOURNAL-PATH DATABASE-PATH "
                      "with an open socket",
                      spec);
  char *journal = strndup(spec + skip, journal_len);
  if (!journal) quit(1);
  serve(fd, journal, spec + skip + journal_len);
}
