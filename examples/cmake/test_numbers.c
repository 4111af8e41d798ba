/* Number tests of the CMake example; test_sum is called once per input, so
** its rows carry the argument as the variant, e.g. test_sum[100]. */
#include <stdio.h>

static int failures;

void test_sum(int n) {
  long total = 0;
  for (int i = 1; i <= n; i++)
    total += i;
  if (total != (long)n * (n + 1) / 2) {
    failures++;
    printf("test_sum(%d): got %ld\n", n, total);
  }
}

void test_overflow_free(void) {
  unsigned int big = 4000000000u;
  if (big / 2 != 2000000000u) {
    failures++;
    printf("test_overflow_free: unsigned division\n");
  }
}

int main(void) {
  test_sum(10);
  test_sum(100);
  test_overflow_free();
  printf("test_numbers: %s\n", failures ? "FAILED" : "ok");
  return failures != 0;
}
