/*
** A program that watches its children as event loops do: its SIGCHLD
** handler reaps with waitpid(-1, WNOHANG), counting the signals and the
** children it reaps.  It runs one monitored test (pymon then works out
** the context and session, running its helper commands), forks one child
** of its own and prints "signals S, reaped R" once that one is reaped.
*/
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/hand_abi.h"

SUITE_MODULE("test_children.c");
SITE(test_children);

static volatile sig_atomic_t signals, reaped;

static void on_sigchld(int sig) {
  (void)sig;
  signals++;
  while (waitpid(-1, NULL, WNOHANG) > 0) reaped++;
}

__attribute__((noinline)) static void test_children(void) {
  ENTER(test_children);
  EXIT(test_children);
}

int main(void) {
  sigset_t chld, open_mask;
  signal(SIGCHLD, on_sigchld);
  test_children();
  /* Blocked until sigsuspend: a signal between the test of `reaped` and
  ** the wait would be waited for forever. */
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &open_mask);
  sigdelset(&open_mask, SIGCHLD);
  pid_t child = fork();
  if (child == 0) _exit(0);
  if (child < 0) return 1;
  while (!reaped) sigsuspend(&open_mask);
  usleep(50 * 1000); /* room for a late signal */
  printf("signals %d, reaped %d\n", (int)signals, (int)reaped);
  return 0;
}
