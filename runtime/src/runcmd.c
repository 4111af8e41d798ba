/*
** Hidden children and helper commands (see runcmd.h).  posix_spawn's child
** has SIGCHLD as its exit signal: a program whose SIGCHLD handler reaps
** with waitpid(-1) took our `uname -p` for one of its own.  A child made
** without an exit signal is hidden only until it execs (exec gives it
** SIGCHLD), so a command runs as its child, reaped by it.
**
** Valgrind runs only the fork, vfork and thread forms of clone (any other
** ends the program) and turns vfork's into a fork: the hidden child is
** made as vfork's, with its own descriptor table, and a command's answer
** comes back through a pipe, so it is found whether or not the child
** shared our memory.
*/
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runcmd.h"

/* The children's frames leave AddressSanitizer's marks on their stack,
** which would haunt whatever is mapped there next. */
#if defined(__SANITIZE_ADDRESS__)
#define PYMON_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PYMON_ASAN 1
#endif
#endif
#ifdef PYMON_ASAN
#include <sanitizer/asan_interface.h>
#define forget_stack_marks(p, n) __asan_unpoison_memory_region(p, n)
#else
#define forget_stack_marks(p, n) ((void)(p), (void)(n))
#endif

#define HIDDEN_STACK_SIZE (64 * 1024)
#define DEFAULT_PATH "/bin:/usr/bin" /* execvp's, when PATH is unset */

extern char **environ;

/*
** The children that share our memory make system calls directly, or call
** the C library's own functions, never a sanitizer's: ThreadSanitizer
** keeps the program's signal handlers and descriptors in tables of its
** own, in that memory (a child's sigaction through it reset the
** program's handlers there: a SIGALRM of the program's then went
** unhandled), and takes every clone for a fork, setting up the child's
** state in the parent's memory (a failed check ended the program).
** Resolved in the parent: dlsym is no call for the children.
*/
typedef int clone_fn(int (*)(void *), void *, int, void *, ...);
typedef int sigaction_fn(int, const struct sigaction *, struct sigaction *);
typedef int sigprocmask_fn(int, const sigset_t *, sigset_t *);
static clone_fn *libc_clone;
static sigaction_fn *libc_sigaction;
static sigprocmask_fn *libc_sigprocmask;

/* The next definition of name after ours (the C library's), else own. */
static void *next_or(const char *name, void *own) {
  void *next = dlsym(RTLD_NEXT, name);
  return next ? next : own;
}

static void resolve_libc(void) {
  if (libc_clone) return;
  libc_sigaction = (sigaction_fn *)next_or("sigaction", (void *)sigaction);
  libc_sigprocmask = (sigprocmask_fn *)next_or("sigprocmask", (void *)sigprocmask);
  libc_clone = (clone_fn *)next_or("clone", (void *)clone);
}

static int sys_dup2(int fd, int to) { return (int)syscall(SYS_dup3, fd, to, 0); }

/* A stack for a child that shares our memory; NULL if none. */
static void *stack_new(void) {
  void *stack = mmap(NULL, HIDDEN_STACK_SIZE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  return stack == MAP_FAILED ? NULL : stack;
}

static void *stack_top(void *stack) { return (char *)stack + HIDDEN_STACK_SIZE; }

static void stack_free(void *stack) {
  if (!stack) return;
  forget_stack_marks(stack, HIDDEN_STACK_SIZE);
  munmap(stack, HIDDEN_STACK_SIZE);
}

/*
** Run child(arg) in a child that shares our memory (under valgrind: has a
** copy of it) and stops us until it execs or exits, all signals blocked
** (so no handler of the program runs on that memory); it must leave by
** execve or syscall(SYS_exit).  Returns its pid, to wait for with
** wait_hidden, or -1 with errno set.
*/
static pid_t clone_hidden(int (*child)(void *), void *arg) {
  sigset_t all, old;
  void *stack = stack_new();
  if (!stack) return -1;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  /* CLONE_VFORK: we resume once it has exec'd or exited (or at once, a
  ** copy, under valgrind), so its stack can go as soon as clone returns. */
  pid_t pid = libc_clone(child, stack_top(stack), CLONE_VM | CLONE_VFORK, arg);
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  stack_free(stack);
  errno = err;
  return pid;
}

/* waitpid for such a child, retried on EINTR: its pid, or -1. */
static pid_t wait_hidden(pid_t pid, int *status) {
  pid_t rc;
  while ((rc = waitpid(pid, status, __WCLONE)) < 0 && errno == EINTR) continue;
  return rc;
}

static int is_valgrind_core(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  (void)data;
  return info->dlpi_name && strstr(info->dlpi_name, "/vgpreload_core-") != NULL;
}

int pymon_under_valgrind(void) {
  static int known = -1; /* valgrind preloads its core into the program */
  if (known < 0) known = dl_iterate_phdr(is_valgrind_core, NULL) != 0;
  return known;
}

int pymon_find_command(const char *name, char *path, size_t len) {
  struct stat st;
  if (strchr(name, '/'))
    return (size_t)snprintf(path, len, "%s", name) < len && access(path, X_OK) == 0 ? 0 : -1;
  const char *dirs = getenv("PATH");
  if (!dirs) dirs = DEFAULT_PATH;
  for (const char *p = dirs;; p++) {
    size_t n = strcspn(p, ":");
    /* An empty entry is the current directory. */
    int w = snprintf(path, len, "%.*s%s%s", (int)n, n ? p : ".", "/", name);
    if (w > 0 && (size_t)w < len && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        access(path, X_OK) == 0)
      return 0;
    p += n;
    if (!*p) return -1;
  }
}

/* What the hidden child tells of a command: its wait status (-1: it did
** not run) and the start of its output, enough for a first line. */
struct answer {
  int status;
  char out[4096];
};

struct command {
  void *stack; /* the command's until it execs */
  const char *path;
  char *const *argv;
  const char *dir;
  int pipe[2];   /* its stdout, made by the hidden child */
  int answer_fd; /* where the hidden child writes its wait status and output */
  sigset_t mask; /* the program's, for the command */
};

/* In the command's child, before exec: system calls only (see libc_clone). */
static int exec_command(void *arg) {
  const struct command *c = arg;
  struct sigaction dfl, old;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  /* A handler of the program must not run here, on its memory. */
  for (int sig = 1; sig < NSIG; sig++)
    if (libc_sigaction(sig, NULL, &old) == 0 && old.sa_handler != SIG_DFL &&
        old.sa_handler != SIG_IGN)
      libc_sigaction(sig, &dfl, NULL);
  /* Above 2 first: the program may have closed its stdin or stdout. */
  int null = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
  int high_null = null < 0 ? -1 : (int)syscall(SYS_fcntl, null, F_DUPFD_CLOEXEC, 3);
  int high_out = (int)syscall(SYS_fcntl, c->pipe[1], F_DUPFD_CLOEXEC, 3);
  if (high_null >= 0 && high_out >= 0 && sys_dup2(high_null, STDIN_FILENO) >= 0 &&
      sys_dup2(high_out, STDOUT_FILENO) >= 0 && sys_dup2(high_null, STDERR_FILENO) >= 0 &&
      (!c->dir || syscall(SYS_chdir, c->dir) == 0)) {
    libc_sigprocmask(SIG_SETMASK, &c->mask, NULL);
    syscall(SYS_execve, c->path, c->argv, environ);
  }
  syscall(SYS_exit, 127);
  return 127;
}

/* Read fd to its end, keeping the first len bytes in buf; returns how
** many it kept. */
static size_t read_all(int fd, char *buf, size_t len) {
  size_t kept = 0;
  char scratch[256];
  for (;;) {
    char *dst = kept < len ? buf + kept : scratch;
    size_t room = kept < len ? len - kept : sizeof scratch;
    ssize_t n = syscall(SYS_read, fd, dst, room);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (dst != scratch) kept += (size_t)n;
  }
  return kept;
}

/*
** The hidden child: exec gives a process SIGCHLD as its exit signal, so
** the command is its child, not ours, and it reaps it.  Sharing memory
** until the exec, as vfork: no copy of the program's, no fork handlers
** (and vfork itself is AddressSanitizer's, which expects our own stack).
** It answers with the command's wait status (-1: not run) and output.
*/
static int run_command(void *arg) {
  struct command *c = arg;
  struct answer answer = {-1, ""};
  size_t kept = 0;
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  libc_sigaction(SIGCHLD, &dfl, NULL); /* ours only: SIG_IGN would reap it */
  if (syscall(SYS_pipe2, c->pipe, O_CLOEXEC) == 0) {
    pid_t pid = libc_clone(exec_command, stack_top(c->stack), CLONE_VM | CLONE_VFORK | SIGCHLD, c);
    syscall(SYS_close, c->pipe[1]);
    if (pid > 0) {
      kept = read_all(c->pipe[0], answer.out, sizeof answer.out);
      while (syscall(SYS_wait4, pid, &answer.status, 0, NULL) < 0 && errno == EINTR) continue;
    }
    syscall(SYS_close, c->pipe[0]);
  }
  /* Far less than a pipe holds: this never waits for the reader. */
  syscall(SYS_write, c->answer_fd, &answer, offsetof(struct answer, out) + kept);
  syscall(SYS_exit, 0);
  return 0;
}

struct detached {
  void *stack; /* the program's until it execs */
  const char *path;
  char *const *argv, *const *envp;
  int keep_fd;
  int err;   /* errno of a failed clone */
  pid_t pid; /* the program's */
};

/* In the program's process, before exec: only system calls.  Signals are
** still all blocked (clone_hidden); the new program unblocks them. */
static int exec_detached(void *arg) {
  const struct detached *d = arg;
  if (syscall(SYS_fcntl, d->keep_fd, F_SETFD, 0) == 0)
    syscall(SYS_execve, d->path, d->argv, d->envp);
  syscall(SYS_exit, 127);
  return 127;
}

/* The hidden child: it starts the program sharing our memory until the
** exec, as vfork, then leaves, so the program's parent is init. */
static int start_detached(void *arg) {
  struct detached *d = arg;
  d->pid = libc_clone(exec_detached, stack_top(d->stack), CLONE_VM | CLONE_VFORK | SIGCHLD, d);
  if (d->pid < 0) d->err = errno;
  syscall(SYS_exit, 0);
  return 0;
}

pid_t pymon_spawn_detached(const char *path, char *const argv[], char *const envp[],
                           int keep_fd) {
  struct detached d = {stack_new(), path, argv, envp, keep_fd, 0, -1};
  if (!d.stack) return -1;
  resolve_libc();
  pid_t pid = clone_hidden(start_detached, &d);
  int err = errno;
  stack_free(d.stack);
  if (pid < 0) {
    errno = err;
    return -1;
  }
  wait_hidden(pid, NULL);
  if (d.pid < 0) errno = d.err;
  return d.pid;
}

int pymon_spawn_first_line(const char *const argv[], const char *dir, char *out,
                           size_t outlen) {
  char path[4096];
  int answer_pipe[2];
  struct answer answer = {-1, ""};

  if (outlen == 0) return -1;
  out[0] = '\0';
  struct command c = {NULL, path, (char *const *)argv, dir, {-1, -1}, -1, {{0}}};
  if (pymon_find_command(argv[0], path, sizeof path) != 0 || !(c.stack = stack_new()))
    return -1;
  if (pipe2(answer_pipe, O_CLOEXEC) != 0) {
    stack_free(c.stack);
    return -1;
  }
  c.answer_fd = answer_pipe[1];
  resolve_libc();
  pthread_sigmask(SIG_SETMASK, NULL, &c.mask);
  pid_t pid = clone_hidden(run_command, &c);
  stack_free(c.stack);
  close(answer_pipe[1]);
  size_t n = pid < 0 ? 0 : read_all(answer_pipe[0], (char *)&answer, sizeof answer);
  close(answer_pipe[0]);
  if (pid < 0 || wait_hidden(pid, NULL) != pid || n < offsetof(struct answer, out) ||
      answer.status == -1 || !WIFEXITED(answer.status) || WEXITSTATUS(answer.status) != 0)
    return -1;
  n -= offsetof(struct answer, out);
  if (n > outlen - 1) n = outlen - 1;
  memcpy(out, answer.out, n);
  out[n] = '\0';
  out[strcspn(out, "\n")] = '\0';
  return 0;
}
