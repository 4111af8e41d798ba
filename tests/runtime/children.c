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

#include <pymon/abi.h>

static struct pymon_module module = {
  .abi_version = PYMON_ABI_VERSION,
  .file = "test_children.c",
  .compile_dir = ".",
  .compiler = "GCC 12.2.0",
};

static struct pymon_site site = {
  .abi_version = PYMON_ABI_VERSION,
  .flags = PYMON_SITE_BY_NAME,
  .module = &module,
  .function = "test_children",
  .line = 30,
};

static volatile sig_atomic_t signals, reaped;

static void on_sigchld(int sig) {
  (void)sig;
  signals++;
  while (waitpid(-1, NULL, WNOHANG) > 0) reaped++;
}

__attribute__((noinline)) static void test_children(void) {
  pymon_enter(&site);
  pymon_exit();
}

int main(void) {
  sigset_t none;
  sigemptyset(&none);
  signal(SIGCHLD, on_sigchld);
  test_children();
  pid_t child = fork();
  if (child == 0) _exit(0);
  if (child < 0) return 1;
  while (!reaped) sigsuspend(&none);
  usleep(50 * 1000); /* room for a late signal */
  printf("signals %d, reaped %d\n", (int)signals, (int)reaped);
  return 0;
}
