/*
** A test suite calling the pymon ABI by hand, as the compiler plugins do,
** for the end-to-end remote tests: `e2e_suite ROUNDS [FORKS [END]]` runs
** three tests ROUNDS times, then FORKS tests each in its own forked child,
** one after the other (Check's fork mode).  END: then a test that crashes
** (segv), exits with status 3 (exit), or crashes in a forked child
** (child-segv).
*/
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pymon/abi.h>

static struct pymon_module module = {PYMON_ABI_VERSION, 0,
                                     "tests/remote/test_remote.c", COMPILE_DIR,
                                     "remote", "GCC 12.2.0", NULL};

#define SITE(fn)                                                           \
  static struct pymon_site site_##fn = {PYMON_ABI_VERSION, PYMON_SITE_BY_NAME, \
                                        &module, #fn, NULL, __LINE__, 0, NULL, \
                                        NULL, NULL, NULL}
#define ENTER(fn) pymon_enter(&site_##fn)
#define EXIT(fn) pymon_exit()

static volatile unsigned long sink;

static void work(size_t kb) {
  char *p = malloc(kb << 10);
  if (!p) abort();
  memset(p, 1, kb << 10);
  for (size_t i = 0; i < kb << 10; i += 64) sink += (unsigned char)p[i];
  free(p);
}

SITE(test_alpha);
SITE(test_beta);
SITE(test_gamma);
SITE(test_forked);
SITE(test_crash);
SITE(test_exit);

__attribute__((noinline)) static void test_alpha(void) { ENTER(test_alpha); work(64); EXIT(test_alpha); }
__attribute__((noinline)) static void test_beta(void) { ENTER(test_beta); work(2048); EXIT(test_beta); }
__attribute__((noinline)) static void test_gamma(void) { ENTER(test_gamma); usleep(2000); EXIT(test_gamma); }
__attribute__((noinline)) static void test_forked(void) { ENTER(test_forked); work(256); EXIT(test_forked); }
__attribute__((noinline)) static void test_crash(void) { ENTER(test_crash); work(128); raise(SIGSEGV); EXIT(test_crash); }
__attribute__((noinline)) static void test_exit(void) { ENTER(test_exit); work(128); exit(3); EXIT(test_exit); }

/* Run test in a forked child, as Check does: its wait status. */
static int in_child(void (*test)(void)) {
  int status = -1;
  pid_t pid = fork();
  if (pid == 0) {
    test();
    exit(0);
  }
  if (pid > 0) waitpid(pid, &status, 0);
  return status;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1;
  int forks = argc > 2 ? atoi(argv[2]) : 0;
  const char *end = argc > 3 ? argv[3] : "";
  for (int i = 0; i < rounds; i++) {
    test_alpha();
    test_beta();
    test_gamma();
  }
  for (int i = 0; i < forks; i++) {
    int status = in_child(test_forked);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  if (strcmp(end, "segv") == 0) test_crash();
  if (strcmp(end, "exit") == 0) test_exit();
  if (strcmp(end, "child-segv") == 0) {
    int status = in_child(test_crash);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? 4 : 1;
  }
  return 0;
}
