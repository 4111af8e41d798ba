/* The manual's first example: a monitored test, a test run but not
** monitored, and a parametrized test giving one row per parameter set. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <pymon.h>

static void sleep_seconds(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

/* Monitored by default: its name follows the test_ convention. */
void test_sleep1(void) { sleep_seconds(1.0); }

/* Run as a test, but not monitored. */
PYMON_SKIP_TEST
void test_sleep2(void) { sleep_seconds(0.2); }

/* Parametrized: every call is its own row, test_heavy[10-10], ...; it
** fills range_max KB, so MEM_USAGE grows with the parameter. */
void test_heavy(int range_max, const char *other) {
  size_t n = (size_t)range_max * 1024;
  volatile char *a = malloc(n);
  size_t count = 0;
  assert(a != NULL);
  for (size_t i = 0; i < n; i++) a[i] = 'a';
  for (size_t i = 0; i < n; i += 4096) count += a[i] == 'a';
  assert(count == (n + 4095) / 4096);
  assert(atoi(other) == range_max);
  free((void *)a);
}

int main(void) {
  static const struct { int range_max; const char *other; } params[] = {
      {10, "10"}, {100, "100"}, {1000, "1000"}, {10000, "10000"}};
  test_sleep1();
  test_sleep2();
  for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
    test_heavy(params[i].range_max, params[i].other);
  puts("test_sleep: 6 tests passed");
  return 0;
}
