/* Markers: skip, conditions evaluated at run time, suites, limits. */
#include <stdlib.h>
#include "pymon.h"

PYMON_COMPONENT("markers");

PYMON_SKIP_TEST void test_skipped(void) {}
PYMON_SKIP_TEST_IF(getenv("CONFORMANCE_SKIP") != NULL) void test_skip_if(int n) { (void)n; }
PYMON_TEST_IF(getenv("CONFORMANCE_WANT") != NULL) void helper_wanted(void) {}
/* A marker on the declaration only. */
PYMON_TEST void checker(void);
void checker(void) {}
PYMON_SUITE("grouped") void test_in_suite(void) {}
PYMON_SUITE("grouped") PYMON_TEST void grouped_checker(void) {}
PYMON_LIMIT(MEM_USAGE, 64) void test_limited(void) {}
PYMON_SKIP_TEST_IF(1) void unnamed_skip_if(void) {}

void run_markers(void);
void run_markers(void) {
  test_skipped();
  test_skip_if(1);
  helper_wanted();
  checker();
  test_in_suite();
  grouped_checker();
  test_limited();
  unnamed_skip_if();
}
