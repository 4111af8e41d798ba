/*
** How a test process ends, seen from inside.  exit(), _exit(), _Exit()
** and abort() are interposed, as jump.c does for longjmp, so the items a
** test leaves open end with the right outcome and the rows waiting in the
** journal are stored before the process goes.  Fatal signals whose action
** is still the default get a handler that notes the end in the journal
** (nothing else: it runs in a signal handler), puts the default action
** back and lets the signal do exactly what it would have done.
*/
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

#define PYMON_API __attribute__((visibility("default")))

typedef void (*exit_fn)(int);
typedef void (*abort_fn)(void);

static exit_fn next_exit, next_underscore_exit, next_capital_exit;
static abort_fn next_abort;
static volatile sig_atomic_t exit_status;

/* Signals that kill by default; each gets our handler if still SIG_DFL. */
static const int fatal_signals[] = {
  SIGHUP,  SIGINT,  SIGQUIT, SIGILL,  SIGTRAP, SIGABRT,   SIGBUS,  SIGFPE,
  SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,   SIGXCPU, SIGXFSZ,
  SIGVTALRM, SIGPROF, SIGSYS};
#define FATAL_COUNT (sizeof fatal_signals / sizeof fatal_signals[0])

/* Resolved early: dlsym may allocate, which a dying process must not. */
__attribute__((constructor)) static void resolve_ends(void) {
  next_exit = (exit_fn)dlsym(RTLD_NEXT, "exit");
  next_underscore_exit = (exit_fn)dlsym(RTLD_NEXT, "_exit");
  next_capital_exit = (exit_fn)dlsym(RTLD_NEXT, "_Exit");
  next_abort = (abort_fn)dlsym(RTLD_NEXT, "abort");
}

int pymon_exit_status(void) { return exit_status; }

int pymon_ordinary_context(void) {
  sigset_t blocked;
  if (pthread_sigmask(SIG_BLOCK, NULL, &blocked) != 0) return 0;
  if (sigismember(&blocked, SIGCHLD)) return 0;
  for (size_t i = 0; i < FATAL_COUNT; i++)
    if (sigismember(&blocked, fatal_signals[i])) return 0;
  return 1;
}

__attribute__((noreturn)) static void leave(exit_fn next, int status) {
  if (next) next(status);
  syscall(SYS_exit_group, status);
  __builtin_unreachable();
}

PYMON_API void exit(int status) {
  exit_status = status; /* for finish_at_exit, run by the real exit() */
  if (!next_exit) resolve_ends();
  leave(next_exit, status);
}

PYMON_API void _exit(int status) {
  pymon_probe_process_end(PYMON_OUTCOME_EXIT, status);
  leave(next_underscore_exit, status);
}

PYMON_API void _Exit(int status) {
  pymon_probe_process_end(PYMON_OUTCOME_EXIT, status);
  leave(next_capital_exit, status);
}

PYMON_API void abort(void) {
  pymon_probe_process_end(PYMON_OUTCOME_SIGNAL, SIGABRT);
  if (next_abort) next_abort();
  signal(SIGABRT, SIG_DFL);
  raise(SIGABRT);
  leave(next_underscore_exit, 127);
}

static void on_fatal_signal(int sig, siginfo_t *info, void *context) {
  int saved = errno;
  struct sigaction dfl;
  (void)context;
  pymon_probe_note_end(PYMON_OUTCOME_SIGNAL, sig);
  dfl.sa_handler = SIG_DFL;
  dfl.sa_flags = 0;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  /* A fault raised by the kernel comes again when the instruction is run
  ** again, with its address intact for a core dump; any other signal is
  ** raised here and delivered (blocked until then) when we return. */
  int fault = info && info->si_code > 0 &&
              (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL);
  if (!fault) raise(sig);
  errno = saved;
}

void pymon_signals_install(void) {
  for (size_t i = 0; i < FATAL_COUNT; i++) {
    struct sigaction old, sa;
    if (sigaction(fatal_signals[i], NULL, &old) != 0) continue;
    if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;
    sa.sa_sigaction = on_fatal_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(fatal_signals[i], &sa, NULL);
  }
}

void pymon_signals_uninstall(void) {
  for (size_t i = 0; i < FATAL_COUNT; i++) {
    struct sigaction now, dfl;
    if (sigaction(fatal_signals[i], NULL, &now) != 0 || !(now.sa_flags & SA_SIGINFO) ||
        now.sa_sigaction != on_fatal_signal)
      continue;
    dfl.sa_handler = SIG_DFL;
    dfl.sa_flags = 0;
    sigemptyset(&dfl.sa_mask);
    sigaction(fatal_signals[i], &dfl, NULL);
  }
}
