/* Every marker of pymon.h, for the header test: must compile warning-free
** as C and C++, with GCC and Clang, with and without a plugin. */
#include <stdlib.h>

#include <pymon.h>

PYMON_COMPONENT("header_component");
PYMON_MODULE_SKIP_TEST;

void test_plain(void);
void test_plain(void) {}

PYMON_TEST
void test_forced(void);
PYMON_TEST
void test_forced(void) {}

PYMON_SKIP_TEST
void test_skipped(void);
PYMON_SKIP_TEST
void test_skipped(void) {}

PYMON_TEST_IF(getenv("PYMON_HEADER_TEST") != NULL)
void test_conditional(void) {}

PYMON_SKIP_TEST_IF(sizeof(void *) == 4) PYMON_SUITE("suite") PYMON_LIMIT(MEM_USAGE, 64)
void test_conditional_skip(int n) { (void)n; }

monitor_test_if(1) void test_alias_if(void) {}
monitor_skip_test_if(0) void test_alias_skip_if(void) {}
monitor_test void test_alias(void) {}
monitor_skip_test void test_alias_skip(void) {}

int main(void) {
  test_plain();
  test_forced();
  test_skipped();
  test_conditional();
  test_conditional_skip(1);
  test_alias_if();
  test_alias_skip_if();
  test_alias();
  test_alias_skip();
  return 0;
}
