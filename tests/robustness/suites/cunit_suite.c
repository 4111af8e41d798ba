/* CUnit suite: a fatal assertion leaves by longjmp, a plain one returns. */
#include <CUnit/Basic.h>

static void test_pass(void) { CU_ASSERT_EQUAL(1 + 1, 2); }
static void test_fail_fatal(void) { CU_ASSERT_EQUAL_FATAL(1 + 1, 3); }
static void test_fail_soft(void) { CU_ASSERT_EQUAL(1 + 1, 3); }
static void test_after(void) { CU_ASSERT_TRUE(1); }

int main(void) {
  if (CU_initialize_registry() != CUE_SUCCESS) return 2;
  CU_pSuite s = CU_add_suite("money", NULL, NULL);
  CU_add_test(s, "pass", test_pass);
  CU_add_test(s, "fail_fatal", test_fail_fatal);
  CU_add_test(s, "fail_soft", test_fail_soft);
  CU_add_test(s, "after", test_after);
  CU_basic_set_mode(CU_BRM_VERBOSE);
  CU_basic_run_tests();
  int failed = (int)CU_get_number_of_failures();
  CU_cleanup_registry();
  return failed ? 1 : 0;
}
