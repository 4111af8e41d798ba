/* A small suite: name conventions, variants, recursion, non-tests. */
#include <stdbool.h>
#include "pymon.h"
PYMON_COMPONENT("math");
enum mode { FAST, EXACT };
static int helper(int x) { return x * 2; }
static int test_static(void) { return helper(21) == 42; }
void test_p(int a, int b) { (void)a; (void)b; }
void test_kinds(double d, char c, bool t, enum mode m, const char *s,
                void *ignored) {
  (void)d; (void)c; (void)t; (void)m; (void)s; (void)ignored;
}
int testCamel(int n) {
  if (n > 1)
    return testCamel(n - 1);
  return 0;
}
void not_a_test(void) {}
void setup_db(void) {}
int main(void) {
  setup_db();
  test_static();
  test_p(10, 10);
  test_p(1, 2);
  test_kinds(1.5, 'x', true, EXACT, "hi", 0);
  testCamel(2);
  not_a_test();
  return 0;
}
