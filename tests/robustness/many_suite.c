/* Many short tests (enough for the importer process to be started) in a
** program that watches its children: it prints how many SIGCHLD it got and
** whether wait(-1) found a child it did not make, and whether its SIGALRM
** handler still runs.  For the suites run under valgrind and built with
** sanitizers. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#ifndef TESTS
#define TESTS 1500
#endif

static volatile sig_atomic_t sigchld_count, sigalrm_count;
static volatile unsigned long sink;

static void on_sigchld(int sig) {
  (void)sig;
  sigchld_count++;
}

static void on_sigalrm(int sig) {
  (void)sig;
  sigalrm_count++;
}

void test_short(int i) { sink += (unsigned long)i; }

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_sigchld;
  sigaction(SIGCHLD, &sa, NULL);
  sa.sa_handler = on_sigalrm;
  sigaction(SIGALRM, &sa, NULL);
  for (int i = 0; i < TESTS; i++) test_short(i);
  raise(SIGALRM);
  int status;
  pid_t stranger = waitpid(-1, &status, WNOHANG);
  printf("%d tests, %d SIGCHLD, wait(-1): %s, SIGALRM handled %d\n", TESTS, (int)sigchld_count,
         stranger < 0 && errno == ECHILD ? "no child" : "a child", (int)sigalrm_count);
  return sink == 0 ? 1 : 0;
}
