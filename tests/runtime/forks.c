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

#include <pymon/abi.h>

static struct pymon_module module = {
  .abi_version = PYMON_ABI_VERSION,
  .file = "test_forks.c",
  .compile_dir = ".",
  .compiler = "Forks CC 1.0",
};

static struct pymon_site site = {
  .abi_version = PYMON_ABI_VERSION,
  .flags = PYMON_SITE_BY_NAME,
  .module = &module,
  .function = "test_in_child",
  .line = 30,
};

static volatile long sink;

__attribute__((noinline)) static void test_in_child(void) {
  pymon_enter(&site);
  for (long i = 0; i < 1000; i++) sink += i;
  pymon_exit();
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
