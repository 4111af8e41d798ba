/* cmocka suite: a failed assertion and a caught crash leave by longjmp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void test_pass(void **state) { (void)state; assert_int_equal(2, 1 + 1); }
static void test_fail(void **state) { (void)state; assert_int_equal(3, 1 + 1); }
static void test_crash(void **state) { (void)state; *(volatile int *)0 = 1; }
static void test_skipped(void **state) { (void)state; skip(); }
static void test_after(void **state) { (void)state; assert_true(1); }

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_pass), cmocka_unit_test(test_fail),
      cmocka_unit_test(test_crash), cmocka_unit_test(test_skipped),
      cmocka_unit_test(test_after)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
