/* Check suite: passing, failing, crashing, exiting, timed-out and loop tests. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(test_pass) { ck_assert_int_eq(1 + 1, 2); }
END_TEST
START_TEST(test_fail) { ck_assert_int_eq(1 + 1, 3); }
END_TEST
START_TEST(test_crash) { *(volatile int *)0 = 1; }
END_TEST
START_TEST(test_exits) { exit(3); }
END_TEST
START_TEST(test_hang) { for (;;) sleep(1); }
END_TEST
START_TEST(test_loop) { ck_assert_int_lt(_i, 3); }
END_TEST

/* `check_suite nofork`: the tests that can run in one process. */
int main(int argc, char **argv) {
  int nofork = argc > 1 && strcmp(argv[1], "nofork") == 0;
  Suite *s = suite_create("money");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 1);
  tcase_add_test(tc, test_pass);
  tcase_add_test(tc, test_fail);
  if (!nofork) {
    tcase_add_test(tc, test_crash);
    tcase_add_exit_test(tc, test_exits, 3);
    tcase_add_test(tc, test_hang);
  }
  tcase_add_loop_test(tc, test_loop, 0, 2);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  if (nofork) srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
