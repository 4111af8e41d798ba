/*
** A test program that runs tests, then exec's itself to run more, as a
** runner that wants a fresh image between groups of tests does.  Built
** with a pymon plugin (tests/robustness/execs.sh).
**
**   exec_suite N    N tests, then exec_suite again: 100 tests, and exit
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long sink;
void test_before_exec(void) { sink += 1; }
void test_after_exec(void) { sink += 2; }

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  if (strcmp(argv[1], "again") == 0) {
    for (int i = 0; i < 100; i++) test_after_exec();
    printf("second image done\n");
    return 0;
  }
  for (int i = 0, n = atoi(argv[1]); i < n; i++) test_before_exec();
  printf("first image done\n");
  fflush(stdout);
  execl("/proc/self/exe", argv[0], "again", (char *)NULL);
  perror("exec");
  return 1;
}
