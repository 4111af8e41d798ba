#!/bin/bash
# Framework presets under Clang: real Check, cmocka and Criterion suites give
# one row per test with the framework's test names (suites as class rows);
# the other presets and the never-selected fixtures through verbose remarks.
. "$(dirname "$0")/common.sh"
export PYMON_INVOCATION_DIR=$PWD

rows() { # db [kind]
  tl_sql "$1" "select ITEM_VARIANT from TEST_METRICS where KIND = '${2:-function}' order by ITEM_VARIANT" | tr '\n' ' '
}

if pkg-config --exists check; then
  cat > check_suite.c <<'C'
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
C
  # shellcheck disable=SC2046
  tl_cc_plugin $CC -O2 -o check_suite check_suite.c $(pkg-config --cflags --libs check) \
    || tl_fail "build Check suite"
  for mode in no yes; do
    CK_FORK=$mode PYMON_DB=$PWD/check-$mode.pymon ./check_suite \
      || tl_fail "Check suite failed (CK_FORK=$mode)"
    tl_expect_eq "$(rows check-$mode.pymon)" "adds loops loops[1] loops[2] " \
      "Check START_TEST names, loop index as variant (CK_FORK=$mode)"
  done
else
  echo "Check not installed: skipping its suite" >&2
fi

if [ -e /usr/include/cmocka.h ]; then
  cat > cmocka_suite.c <<'C'
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
C
  tl_cc_plugin $CC -O2 -o cmocka_suite cmocka_suite.c -lcmocka \
    || tl_fail "build cmocka suite"
  PYMON_DB=$PWD/cmocka.pymon ./cmocka_suite >/dev/null 2>&1
  tl_expect_eq "$(rows cmocka.pymon)" "adds fails " \
    "cmocka tests (void **state), failing one included, fixture left out"
else
  echo "cmocka not installed: skipping its suite" >&2
fi

if [ -e /usr/include/criterion/criterion.h ]; then
  cat > criterion_suite.c <<'C'
#include <criterion/criterion.h>
Test(arith, adds) { cr_assert(1 + 1 == 2); }
Test(arith_more, sub_tracts) { cr_assert(2 - 1 == 1); }
C
  tl_cc_plugin $CC -O2 -o criterion_suite criterion_suite.c -lcriterion \
    || tl_fail "build Criterion suite"
  PYMON_RESTRICT_SCOPE_TO=function,class PYMON_DB=$PWD/criterion.pymon \
    ./criterion_suite >/dev/null 2>&1 || tl_fail "Criterion suite failed"
  tl_expect_eq "$(rows criterion.pymon)" "adds sub_tracts " \
    "Criterion Test(suite, name) gives the test name"
  tl_expect_eq "$(rows criterion.pymon class)" "arith arith_more " \
    "Criterion suites as class rows"
else
  echo "Criterion not installed: skipping its suite" >&2
fi

# The remaining presets and the fixtures, as the plugin reports them.
cat > names.c <<'C'
typedef enum { MUNIT_OK } MunitResult;
enum greatest_test_res { GREATEST_TEST_RES_PASS };
void parser_should_accept(void) {}
void should_work(void) {}
void spec_thing(void) {}
int run_test_tcp_open(void) { return 0; }
void test_core_buffer__append(void) {}
void test_core_buffer__initialize(void) {}
void test_core_buffer__cleanup(void) {}
MunitResult mu_case(const void *params[], void *data) {
  (void)params; (void)data; return MUNIT_OK; }
enum greatest_test_res gr_case(int n) { (void)n; return GREATEST_TEST_RES_PASS; }
void testUpper(void) {}
void test_lower(void) {}
void setUp(void) {}
void tearDown(void) {}
void suite_setup(void) {}
void db_teardown(void) {}
void setup_all(void) {}
void my_fixture(void) {}
void fixture_db(void) {}
void pymon_condition_7(void) {}
static inline int test_inline_helper(void) { return 0; }
__attribute__((no_instrument_function)) void test_not_wanted(void) {}
int main(void) { return test_inline_helper(); }
C
remarks() {
  $CC -c "$PLUGIN" -fplugin-arg-pymon-verbose "$@" names.c -o names.o 2>&1 |
    sed -n "s/.*remark: pymon: instrumenting '\([^']*\)' (\(.*\))/\1:\2/p" | sort | tr '\n' ' '
}
tl_expect_eq "$(remarks)" "gr_case:framework greatest mu_case:framework munit parser_should_accept:framework unity should_work:framework unity spec_thing:framework unity tcp_open:framework libuv testUpper:framework generic test_core_buffer__append:framework clar test_lower:framework generic " \
  "presets select tests, never fixtures, main, inline or no_instrument_function"
tl_expect_eq "$(remarks -fplugin-arg-pymon-frameworks=unity,libuv)" \
  "parser_should_accept:framework unity should_work:framework unity spec_thing:framework unity tcp_open:framework libuv " \
  "frameworks= limits the presets"
tl_done
