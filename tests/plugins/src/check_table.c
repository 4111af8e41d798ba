/* A Check suite registering its loop test through a table: the plugin
** cannot tell which test loops, so every test gets its index passed. */
#include <check.h>
#include <stdlib.h>
START_TEST(plain) { ck_assert_int_eq(_i, 0); }
END_TEST
START_TEST(tabled) { ck_assert(_i >= 0); }
END_TEST
int main(void) {
  const TTest *table[] = {tabled};
  Suite *s = suite_create("table");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, plain);
  tcase_add_loop_test(tc, table[0], 0, 2);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_SILENT);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
