/* The manual's "disabling monitoring except for some tests": monitoring is
** off for this module unless a test asks for it. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <pymon.h>

PYMON_MODULE_SKIP_TEST;

void test_executed_not_monitored(void) { usleep(100000); }

void test_executed_not_monitored_2(void) { usleep(200000); }

PYMON_TEST
void test_executed_and_monitored(void) { usleep(10000); }

PYMON_TEST_IF(sysconf(_SC_NPROCESSORS_ONLN) >= 1)
void test_executed_and_monitored_if_cpus(void) { usleep(10000); }

int main(void) {
  test_executed_not_monitored();
  test_executed_not_monitored_2();
  test_executed_and_monitored();
  test_executed_and_monitored_if_cpus();
  puts("test_default_off: 4 tests passed");
  return 0;
}
