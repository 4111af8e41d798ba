/* A cmocka group: two tests (one failing) and a group fixture. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
static int group_setup(void **state) { (void)state; return 0; }
static void adds(void **state) { (void)state; assert_int_equal(1 + 1, 2); }
static void fails(void **state) { (void)state; assert_int_equal(1, 2); }
int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(adds), cmocka_unit_test(fails)
  };
  cmocka_run_group_tests(tests, group_setup, NULL);
  return 0;
}
