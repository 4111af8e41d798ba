/* A libuv-style runner: each TEST_IMPL(x) runs in a child that fork()s
** and exec()s the runner itself with the test's name. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int run_test_pass(void) { return 0; }
int run_test_fail(void) { fprintf(stderr, "assertion failed\n"); abort(); }
int run_test_crash(void) { *(volatile int *)0 = 1; return 0; }

static const struct { const char *name; int (*fn)(void); } tests[] = {
    {"pass", run_test_pass}, {"fail", run_test_fail}, {"crash", run_test_crash}};
#define COUNT (sizeof tests / sizeof tests[0])

int main(int argc, char **argv) {
  if (argc == 2) {
    for (size_t i = 0; i < COUNT; i++)
      if (!strcmp(argv[1], tests[i].name)) return tests[i].fn();
    return 2;
  }
  int failed = 0;
  for (size_t i = 0; i < COUNT; i++) {
    int status;
    pid_t pid = fork();
    if (pid == 0) {
      execl("/proc/self/exe", argv[0], tests[i].name, (char *)NULL);
      _exit(127);
    }
    waitpid(pid, &status, 0);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    printf("%s %s\n", ok ? "ok" : "not ok", tests[i].name);
    failed += !ok;
  }
  return failed ? 1 : 0;
}
