/* The module default off, a forced test, a default suite, the pointer form
** of the component. */
#include "pymon.h"

PYMON_MODULE_SKIP_TEST;
const char *pymon_component = "offcomp";
__attribute__((used)) static const char pymon_suite[] = "offsuite";

void test_off(void) {}
PYMON_TEST void test_forced(int k) { (void)k; }
PYMON_TEST_IF(1) void test_forced_if(void) {}

void run_module_off(void);
void run_module_off(void) {
  test_off();
  test_forced(3);
  test_forced_if();
}
