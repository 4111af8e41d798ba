/* Name conventions, every variant kind, return paths, static functions. */
#include <stdbool.h>
#include <stddef.h>
#include "pymon.h"

PYMON_COMPONENT("basic");

enum level { LOW = -1, MID, HIGH = 7 };
struct pair { int a, b; };

static int twice(int x) { return 2 * x; }
static int test_static(void) { return twice(21) == 42; }

void test_ints(int a, long b, unsigned short c, unsigned long long d) {
  (void)a; (void)b; (void)c; (void)d;
}
void test_text(char c, signed char sc, const char *s, char *maybe) {
  (void)c; (void)sc; (void)s; (void)maybe;
}
void test_other(double d, float f, bool t, enum level l) {
  (void)d; (void)f; (void)t; (void)l;
}
/* Pointers, structs and void ** are plumbing, not variant. */
void test_plumbing(void **state, struct pair p, struct pair *pp, int n) {
  (void)state; (void)p; (void)pp; (void)n;
}
int test_paths(int x) {
  if (x > 2)
    return 1;
  for (int i = 0; i < x; i++)
    if (i == 1)
      goto out;
  return 2;
out:
  return 3;
}
int testRecursive(int n) { return n > 0 ? testRecursive(n - 1) + 1 : 0; }
void helper_not_a_test(void) {}
void setup_basic(void) {}

void run_basic(void);
void run_basic(void) {
  struct pair p = {1, 2};
  setup_basic();
  test_static();
  test_ints(-5, 1234567890123L, 65535, 18446744073709551615ULL);
  test_text('q', -2, "hello world", NULL);
  test_other(0.25, -1.5f, true, LOW);
  test_other(1e20, 3.0f, false, HIGH);
  test_other(2.0, 0.0f, false, (enum level)3);
  test_plumbing(NULL, p, &p, 4);
  test_paths(3);
  test_paths(0);
  test_paths(2);
  testRecursive(2);
  helper_not_a_test();
}
