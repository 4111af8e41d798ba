/*
** Many short tests, as a suite whose rows go to the importer process:
**
**   importer_suite TESTS [seen=K] [kill-importer=K] [kill-self=K] [close-sockets=K]
**                        [chdir=K] [remove-journal=K] [subreaper=1]
**
** seen=K prints at test K whether this process has an importer;
** kill-importer=K kills it with SIGKILL there; kill-self=K kills the
** suite itself inside test K; close-sockets=K closes every socket in test
** K, as a test that tidies what it thinks is its own does, and makes a
** socket pair of its own, which gets the lowest numbers; at the end it
** says what arrived on it and whether it is still open; chdir=K moves to
** the subdirectory "elsewhere" in test K; remove-journal=K removes the
** journal directory of ./.pymon in test K, as a test tidying its files;
** subreaper=1 makes the suite a child subreaper first (orphans of its
** descendants become its children), as supervisors do.  At the end the
** suite forks a child and
** reaps with wait(-1) until none is left, as some runners do: it prints
** how many it reaped, and whether errno, set before every pymon_enter and
** pymon_exit, was as set after each.  Exits 3, so the test sees its
** status kept.
*/
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/hand_abi.h"

SUITE_MODULE("importer_suite.c");

static volatile unsigned long sink;
/* Sites live as long as the program, as the plugins' do. */
static struct pymon_site *sites;
static char (*names)[32];

/* The pid of this process's importer (its environment names our journal,
** whose file name starts with our pid), or 0. */
static pid_t find_importer(void) {
  char path[300], buf[4096], want[64];
  DIR *d = opendir("/proc");
  struct dirent *e;
  pid_t found = 0;
  snprintf(want, sizeof want, "/%ld-", (long)getpid());
  while (d && !found && (e = readdir(d))) {
    FILE *f;
    size_t n;
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
    if (!(f = fopen(path, "r"))) continue;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (strcmp(buf, "pymon-importer\n") != 0) continue;
    snprintf(path, sizeof path, "/proc/%s/environ", e->d_name);
    if (!(f = fopen(path, "r"))) continue;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    for (size_t i = 0; i < n; i++)
      if (buf[i] == '\0') buf[i] = '\n';
    buf[n] = '\0';
    char *var = strstr(buf, "PYMON_IMPORTER=");
    char *eol = var ? strchr(var, '\n') : NULL;
    if (eol) *eol = '\0';
    if (var && strstr(var, want)) found = (pid_t)atol(e->d_name);
  }
  if (d) closedir(d);
  return found;
}

/* The importer may still be starting (exec, loading): give it 2 s. */
static pid_t await_importer(void) {
  pid_t pid = 0;
  for (int tries = 0; tries < 200 && !(pid = find_importer()); tries++) nap(10);
  return pid;
}

static long option(int argc, char **argv, const char *name) {
  size_t len = strlen(name);
  for (int i = 2; i < argc; i++)
    if (strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') return atol(argv[i] + len + 1);
  return -1;
}

static volatile int sigchld_seen;
static void on_sigchld(int sig) { (void)sig; sigchld_seen++; }

int main(int argc, char **argv) {
  long tests = argc > 1 ? atol(argv[1]) : 0;
  long seen = option(argc, argv, "seen"), kill_importer = option(argc, argv, "kill-importer"),
       kill_self = option(argc, argv, "kill-self"),
       close_sockets = option(argc, argv, "close-sockets"),
       move = option(argc, argv, "chdir"), remove_journal = option(argc, argv, "remove-journal");
  int reused[2] = {-1, -1};
  if (option(argc, argv, "subreaper") == 1) prctl(PR_SET_CHILD_SUBREAPER, 1);
  long errno_changed = -1;
  sites = calloc((size_t)tests + 1, sizeof *sites);
  names = calloc((size_t)tests + 1, sizeof *names);
  if (!sites || !names) return 1;
  signal(SIGCHLD, on_sigchld);
  for (long i = 0; i < tests; i++) {
    snprintf(names[i], sizeof names[i], "test_%05ld", i);
    struct pymon_site site = {PYMON_ABI_VERSION, PYMON_SITE_BY_NAME, &module, names[i],
                              NULL, 1, 0, NULL, NULL, NULL, NULL};
    sites[i] = site;
  }
  for (long i = 0; i < tests; i++) {
    errno = (int)(i % 100) + 1;
    pymon_enter(&sites[i]);
    if (errno != (int)(i % 100) + 1 && errno_changed < 0) errno_changed = i;
    sink += (unsigned long)i;
    if (i == seen) printf("importer %s\n", await_importer() ? "seen" : "none");
    if (i == kill_importer) {
      pid_t pid = await_importer();
      printf("importer %s\n", pid && kill(pid, SIGKILL) == 0 ? "killed" : "none");
      fflush(stdout);
      nap(100); /* it is gone before the next batch */
    }
    if (i == close_sockets) {
      struct stat sb;
      for (int fd = 3; fd < 1024; fd++)
        if (fstat(fd, &sb) == 0 && S_ISSOCK(sb.st_mode)) close(fd);
      if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, reused) != 0) return 1;
    }
    if (i == move && chdir("elsewhere") != 0) return 1;
    if (i == remove_journal && system("rm -rf .pymon.pymon-journal") != 0) return 1;
    if (i == kill_self) {
      fflush(stdout);
      raise(SIGKILL);
    }
    errno = (int)(i % 50) + 1;
    pymon_exit();
    if (errno != (int)(i % 50) + 1 && errno_changed < 0) errno_changed = i;
  }
  pid_t child = fork();
  if (child == 0) _exit(7);
  int reaped = 0, status;
  while (wait(&status) > 0) reaped++;
  if (errno_changed < 0)
    printf("errno kept\n");
  else
    printf("errno changed in test %ld\n", errno_changed);
  printf("reaped %d, SIGCHLD %s\n", reaped, sigchld_seen ? "seen" : "none");
  if (reused[0] >= 0) {
    char buf[64];
    ssize_t n = recv(reused[1], buf, sizeof buf, MSG_DONTWAIT);
    printf("own socket: %zd bytes arrived, %s\n", n > 0 ? n : 0,
           fcntl(reused[0], F_GETFD) >= 0 ? "still open" : "closed");
  }
  return 3;
}
