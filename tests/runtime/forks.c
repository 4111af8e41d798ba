/*
** A runner that forks a child per test, as Check does, and runs no test
** itself:
**
**   forks N [kill]
**
** forks N children one after the other, each running test_in_child and
** exiting; with "kill" the runner then kills itself before its exit
** handlers run.
*/
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The rows must show the child's own context, with this compiler. */
#define SUITE_COMPILER "Forks CC 1.0"
#include "../lib/hand_abi.h"

SUITE_MODULE("test_forks.c");
SITE(test_in_child);

static volatile long sink;

__attribute__((noinline)) static void test_in_child(void) {
  ENTER(test_in_child);
  for (long i = 0; i < 1000; i++) sink += i;
  EXIT(test_in_child);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  for (int i = 0; i < n; i++) {
    pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
      test_in_child();
      exit(0);
    }
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return 1;
  }
  if (argc > 2 && strcmp(argv[2], "kill") == 0) raise(SIGKILL);
  return 0;
}
