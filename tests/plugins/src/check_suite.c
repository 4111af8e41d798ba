/* A Check suite: a plain test and a loop test (the index is the variant). */
#include <check.h>
#include <stdlib.h>
START_TEST(adds) { ck_assert_int_eq(1 + 1, 2); }
END_TEST
START_TEST(loops) { ck_assert(_i >= 0); }
END_TEST
int main(void) {
  Suite *s = suite_create("arith");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, adds);
  tcase_add_loop_test(tc, loops, 0, 3);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_SILENT);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
