/*
** A suite that calls the pymon ABI by hand (as the plugins do) and ends
** its middle test in the way MODE says:
**
**   ends_suite MODE      MODE: returns exit _exit _Exit abort assert segv
**                        hang term longjmp siglongjmp threads2 crashthread
**                        vfork_exit
**
** test_first returns; test_end ends as MODE says (those that do not end
** the process jump back or return; vfork_exit ends a vfork'd child with
** _exit, as spawning code does when exec fails); test_last runs only if
** the process is still alive.  Each test prints its name on stdout.
*/
#define _GNU_SOURCE
#include <assert.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/hand_abi.h"

SUITE_MODULE("test_ends.c");

SITE(test_first);
SITE(test_end);
SITE(test_last);

static const char *mode;
static sigjmp_buf escape;
static volatile unsigned long sink;

static void *crash(void *arg) {
  (void)arg;
  nap(100);
  *(volatile int *)NULL = 1;
  return NULL;
}

static void say(const char *name) {
  printf("%s\n", name);
  fflush(stdout);
}

__attribute__((noinline)) static void test_first(void) {
  ENTER(test_first);
  say("test_first");
  EXIT(test_first);
}

__attribute__((noinline)) static void test_end(void) {
  ENTER(test_end);
  say("test_end");
  nap(100);
  if (!strcmp(mode, "exit")) exit(4);
  if (!strcmp(mode, "_exit")) _exit(5);
  if (!strcmp(mode, "_Exit")) _Exit(6);
  if (!strcmp(mode, "abort")) abort();
  if (!strcmp(mode, "assert")) assert(mode == NULL);
  if (!strcmp(mode, "segv")) *(volatile int *)NULL = 1;
  if (!strcmp(mode, "term")) raise(SIGTERM);
  if (!strcmp(mode, "longjmp")) longjmp(escape, 1);
  if (!strcmp(mode, "siglongjmp")) siglongjmp(escape, 1);
  if (!strcmp(mode, "hang"))
    for (;;) nap(1000);
  if (!strcmp(mode, "vfork_exit")) {
    pid_t child = vfork();
    if (child == 0) _exit(127); /* the exec that failed */
    waitpid(child, NULL, 0);
  }
  if (!strcmp(mode, "crashthread")) {
    pthread_t t;
    pthread_create(&t, NULL, crash, NULL);
    for (;;) sink++;
  }
  EXIT(test_end);
}

__attribute__((noinline)) static void test_last(void) {
  ENTER(test_last);
  say("test_last");
  EXIT(test_last);
}

int main(int argc, char **argv) {
  mode = argc > 1 ? argv[1] : "returns";
  test_first();
  /* Time for the journal to be due: test_first's row is stored when
  ** test_end starts, so it is visible while test_end hangs. */
  if (!strcmp(mode, "hang")) nap(300);
  if (sigsetjmp(escape, 1) == 0) test_end();
  test_last();
  return 0;
}
