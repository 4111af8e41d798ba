/*
** Tests run in a child made by clone() without shared memory: a fork that
** runs no fork handlers, as tests of namespaces and containers make one.
** Built with a pymon plugin (tests/robustness/clones.sh).
**
**   clone_suite          the child returns from its function (glibc then
**                        ends it by the exit system call: no atexit)
**   clone_suite exit     the child calls exit()
*/
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define PARENT_TESTS 500
#define CHILD_TESTS 300

static volatile unsigned long sink;
void test_in_parent(void) { sink += 1; }
void test_in_child(void) { sink += 2; }

static int child_exits;

static int child(void *arg) {
  (void)arg;
  for (int i = 0; i < CHILD_TESTS; i++) test_in_child();
  if (child_exits) exit(4);
  return 3;
}

int main(int argc, char **argv) {
  static char stack[256 * 1024];
  int status;
  child_exits = argc > 1 && strcmp(argv[1], "exit") == 0;
  for (int i = 0; i < PARENT_TESTS / 2; i++) test_in_parent();
  pid_t pid = clone(child, stack + sizeof stack, SIGCHLD, NULL);
  if (pid < 0) return 2;
  for (int i = 0; i < PARENT_TESTS / 2; i++) test_in_parent();
  if (waitpid(pid, &status, 0) != pid) return 2;
  printf("child: %s %d\n", WIFEXITED(status) ? "exit" : "signal",
         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  return 0;
}
