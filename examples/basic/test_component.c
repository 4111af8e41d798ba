/* The manual's component example: every row of this module carries the
** component "my_component" (see --force-component / --component-prefix). */
#include <stdio.h>
#include <time.h>

#include <pymon.h>

PYMON_COMPONENT("my_component");

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Busy for half a second: CPU_USAGE close to 100. */
void test_monitored(void) {
  double start = now();
  volatile unsigned long spin = 0;
  while (now() - start < 0.5) spin++;
}

int main(void) {
  test_monitored();
  puts("test_component: 1 test passed");
  return 0;
}
