/*
** Tests that sandbox themselves, as tests of sandboxes do: seccomp, which
** kills at a call its filter does not allow, and Landlock, which stops
** files from being made or removed.  Built bare and with a pymon plugin
** (tests/robustness/sandbox.sh).
**
**   sandbox_suite        children that install a seccomp filter (by prctl,
**                        by syscall) or strict mode, then exit or crash,
**                        and one that Landlock keeps from every file; the
**                        parent prints how each ended
**   sandbox_suite self   a test that sandboxes its own process, then
**                        another test, then a return from main
*/
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Only write, exit, exit_group and rt_sigreturn: anything else kills. */
static struct sock_fprog minimal_filter(void) {
  static struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 4, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit, 3, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rt_sigreturn, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof f / sizeof f[0], f};
  return prog;
}

static void say(const char *text) {
  if (write(1, text, strlen(text)) < 0) _exit(90);
}

/* Monitored, if it were called before the sandbox. */
void test_after_landlock(void) { say("a test kept from files\n"); }

static void filter_by_prctl(void) {
  struct sock_fprog prog = minimal_filter();
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
    _exit(91);
}

static void filter_by_syscall(void) {
  struct sock_fprog prog = minimal_filter();
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
    _exit(92);
}

/* Fork; the child runs body (which never returns); print how it ended. */
static void in_child(const char *name, void (*body)(void)) {
  int status;
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) exit(2);
  if (pid == 0) body();
  if (waitpid(pid, &status, 0) != pid) exit(3);
  if (WIFEXITED(status)) printf("%s: exit %d\n", name, WEXITSTATUS(status));
  else printf("%s: signal %d\n", name, WTERMSIG(status));
}

/* A monitored test run in the child, which sandboxes itself inside it. */
void test_child_part(void) {
  filter_by_prctl();
  say("child sandboxed by prctl\n");
}

static void child_filter_then_exit(void) {
  test_child_part();
  exit(0); /* atexit handlers, stdio: no call outside the filter */
}

static void child_filter_then_crash(void) {
  filter_by_syscall();
  say("child sandboxed by syscall\n");
  *(volatile int *)NULL = 1; /* SIGSEGV, as bare, not the filter's SIGSYS */
  _exit(93);
}

static void child_strict_then_exit(void) {
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) != 0) _exit(94);
  say("child in strict mode\n");
  syscall(SYS_exit, 7); /* strict mode allows exit, not exit_group */
}

/* No file may be read, written, made or removed; "unavailable" where the
** kernel has no Landlock, the same with and without pymon. */
static void child_landlocked_then_exit(void) {
  struct landlock_ruleset_attr attr = {
      .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                           LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                           LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG};
  int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (ruleset < 0) {
    say("child: Landlock unavailable\n");
    exit(0);
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
    _exit(95);
  say("child kept from every file\n");
  test_after_landlock();
  exit(0);
}

void test_child_filter_exits(void) { in_child("filter, exit", child_filter_then_exit); }
void test_child_filter_crashes(void) { in_child("filter, crash", child_filter_then_crash); }
void test_child_strict_exits(void) { in_child("strict, exit", child_strict_then_exit); }
void test_child_landlocked_exits(void) { in_child("landlock, exit", child_landlocked_then_exit); }
void test_after_children(void) { printf("after the children\n"); }

void test_sandboxes_itself(void) {
  say("sandboxing the process\n");
  filter_by_prctl();
}

void test_after_sandbox(void) { say("a test in the sandbox\n"); }

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "self") == 0) {
    test_sandboxes_itself();
    test_after_sandbox();
    say("done\n");
    return 0; /* exit: the filter allows exit_group only */
  }
  /* Whether seccomp is there, as libseccomp asks: a null filter, EFAULT.
  ** The process is not restricted: its tests are still monitored. */
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL) == 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL) == 0)
    return 5;
  test_child_filter_exits();
  test_child_filter_crashes();
  test_child_strict_exits();
  test_child_landlocked_exits();
  test_after_children();
  return 0;
}
