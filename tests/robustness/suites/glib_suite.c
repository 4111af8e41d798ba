/* GLib suite: g_assert failures abort the whole program, as GLib does. */
#include <glib.h>

static void test_pass(void) { g_assert_cmpint(1 + 1, ==, 2); }
static void test_trap_fail(void) {
  if (g_test_subprocess()) {
    g_assert_cmpint(1 + 1, ==, 3);
    return;
  }
  g_test_trap_subprocess(NULL, 0, 0);
  g_test_trap_assert_failed();
}
static void test_fail(void) { g_assert_cmpint(1 + 1, ==, 3); }
static void test_never(void) { g_assert_true(TRUE); }

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/money/pass", test_pass);
  g_test_add_func("/money/trap_fail", test_trap_fail);
  g_test_add_func("/money/fail", test_fail);
  g_test_add_func("/money/never", test_never);
  return g_test_run();
}
