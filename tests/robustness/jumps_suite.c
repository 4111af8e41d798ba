/*
** Jumps across tests of different frame sizes, for jumps.sh.  Calls the
** pymon ABI by hand (as the plugins do):
**
**   runner:  main's setjmp; test_fails (small frame) jumps back to it after
**            50 ms; test_big (4 KiB frame, called from the same place)
**            runs 200 ms and returns.
**   inside:  test_self sets its own jmp_buf; test_inner jumps back into
**            it; test_self then calls test_after and returns.
**   deep:    test_deep_outer calls test_deep, which calls test_deep_leaf;
**            test_deep_leaf jumps to test_deep_outer's jmp_buf.
**
** The runtime must end each item left by a jump at the jump and leave the
** others running, whatever the frame sizes.
*/
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../lib/hand_abi.h"

SUITE_MODULE("test_jumps.c");

SITE(test_fails);
SITE(test_big);
SITE(test_self);
SITE(test_inner);
SITE(test_after);
SITE(test_deep_outer);
SITE(test_deep);
SITE(test_deep_leaf);

static jmp_buf runner, self, outer;
static volatile char sink;

__attribute__((noinline)) static void test_fails(void) {
  ENTER(test_fails);
  nap(50);
  longjmp(runner, 1);
}

__attribute__((noinline)) static void test_big(void) {
  volatile char frame[4096];
  ENTER(test_big);
  memset((char *)frame, 1, sizeof frame);
  nap(200);
  sink = frame[100];
  EXIT(test_big);
}

__attribute__((noinline)) static void test_inner(void) {
  ENTER(test_inner);
  nap(20);
  longjmp(self, 1);
}

__attribute__((noinline)) static void test_after(void) {
  ENTER(test_after);
  nap(20);
  EXIT(test_after);
}

__attribute__((noinline)) static void test_self(void) {
  ENTER(test_self);
  if (setjmp(self) == 0) test_inner();
  test_after();
  nap(20);
  EXIT(test_self);
}

__attribute__((noinline)) static void test_deep_leaf(void) {
  ENTER(test_deep_leaf);
  nap(20);
  longjmp(outer, 1);
}

__attribute__((noinline)) static void test_deep(void) {
  volatile char frame[512];
  ENTER(test_deep);
  frame[0] = 1;
  test_deep_leaf();
  sink = frame[0];
  EXIT(test_deep);
}

__attribute__((noinline)) static void test_deep_outer(void) {
  ENTER(test_deep_outer);
  if (setjmp(outer) == 0) test_deep();
  nap(100);
  EXIT(test_deep_outer);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "runner";
  if (!strcmp(mode, "runner")) {
    if (setjmp(runner) == 0) test_fails();
    test_big();
  } else if (!strcmp(mode, "inside")) {
    test_self();
  } else if (!strcmp(mode, "deep")) {
    test_deep_outer();
  }
  puts(mode);
  return 0;
}
