/*
** A suite run as root whose tests fork a child that drops its privileges
** (to nobody) and runs tests there, as tests of daemons do.  Built bare
** and with a pymon plugin (tests/robustness/privileges.sh).
**
**   privileges_suite N   the child runs N tests, then exits
*/
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

static volatile unsigned long sink;
void test_as_nobody(void) { sink++; }

static long child_tests;

void test_drops_privileges(void) {
  int status;
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) exit(2);
  if (pid == 0) {
    if (setgid(NOBODY) != 0 || setuid(NOBODY) != 0) _exit(3);
    for (long i = 0; i < child_tests; i++) test_as_nobody();
    printf("child ran %ld tests as uid %d\n", child_tests, (int)getuid());
    exit(0);
  }
  if (waitpid(pid, &status, 0) != pid) exit(4);
  printf("child: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(int argc, char **argv) {
  child_tests = argc > 1 ? atol(argv[1]) : 1;
  test_drops_privileges();
  return 0;
}
