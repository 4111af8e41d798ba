/*
** Tests run in a child made by clone() without shared memory: a fork that
** runs no fork handlers, as tests of namespaces and containers make one.
** Built with a pymon plugin (tests/robustness/clones.sh).
**
**   clone_suite          the child returns from its function (glibc then
**                        ends it by the exit system call: no atexit)
**   clone_suite exit     the child calls exit()
**   clone_suite sandbox  the child sandboxes itself first (seccomp: write
**                        and exit only), then runs its tests (not
**                        monitored) and calls exit()
*/
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PARENT_TESTS 500
#define CHILD_TESTS 300

static volatile unsigned long sink;
void test_in_parent(void) { sink += 1; }
void test_in_child(void) { sink += 2; }

static const char *mode = "return";

/* Only write, exit and exit_group from now on. */
static void sandbox(void) {
  static struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 3, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof f / sizeof f[0], f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
    _exit(5);
}

static int child(void *arg) {
  (void)arg;
  if (strcmp(mode, "sandbox") == 0) sandbox();
  for (int i = 0; i < CHILD_TESTS; i++) test_in_child();
  if (strcmp(mode, "return") != 0) exit(4);
  return 3;
}

int main(int argc, char **argv) {
  static char stack[256 * 1024];
  int status;
  if (argc > 1) mode = argv[1];
  for (int i = 0; i < PARENT_TESTS / 2; i++) test_in_parent();
  pid_t pid = clone(child, stack + sizeof stack, SIGCHLD, NULL);
  if (pid < 0) return 2;
  for (int i = 0; i < PARENT_TESTS / 2; i++) test_in_parent();
  if (waitpid(pid, &status, 0) != pid) return 2;
  printf("child: %s %d\n", WIFEXITED(status) ? "exit" : "signal",
         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  return 0;
}
