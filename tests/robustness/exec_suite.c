/*
** A test program that runs tests, then exec's itself to run more, as a
** runner that wants a fresh image between groups of tests does.  Built
** with a pymon plugin (tests/robustness/execs.sh).
**
**   exec_suite N         N tests, then exec_suite again: 100 tests, and exit
**   exec_suite inside    a test that fails to exec, then one that spins
**                        50 ms and exec's exec_suite again from inside itself
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;
void test_before_exec(void) { sink += 1; }
void test_after_exec(void) { sink += 2; }

static char *self;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An exec that fails: the test goes on and returns. */
void test_exec_fails(void) {
  if (execl("/nonexistent/program", "program", (char *)NULL) != -1) exit(3);
  printf("exec failed, as it should\n");
}

/* The image ends inside this test. */
void test_execs_itself(void) {
  for (double end = now() + 0.05; now() < end;) sink++;
  fflush(stdout);
  execl("/proc/self/exe", self, "again", (char *)NULL);
  perror("exec");
  exit(1);
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  self = argv[0];
  if (strcmp(argv[1], "again") == 0) {
    for (int i = 0; i < 100; i++) test_after_exec();
    printf("second image done\n");
    return 0;
  }
  if (strcmp(argv[1], "inside") == 0) {
    test_exec_fails();
    test_execs_itself();
    return 1;
  }
  for (int i = 0, n = atoi(argv[1]); i < n; i++) test_before_exec();
  printf("first image done\n");
  fflush(stdout);
  execl("/proc/self/exe", argv[0], "again", (char *)NULL);
  perror("exec");
  return 1;
}
