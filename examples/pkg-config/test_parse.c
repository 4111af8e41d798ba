/* Number parsing tests; set EXPECT_WRONG in the environment to make one
** fail, to see that a failing suite still fails the same way with pymon. */
#include <stdio.h>
#include <stdlib.h>

static int failures;

static void expect_long(const char *text, long want) {
  long got = strtol(text, NULL, 0);
  if (got != want) {
    failures++;
    printf("FAIL strtol(\"%s\") = %ld, expected %ld\n", text, got, want);
  }
}

void test_decimal(void) { expect_long("1234", 1234); }

void test_hex(void) { expect_long("0x1f", 31); }

void test_negative(void) {
  expect_long("-42", getenv("EXPECT_WRONG") ? 42 : -42);
}

int main(void) {
  test_decimal();
  test_hex();
  test_negative();
  printf("%s test_parse\n", failures ? "FAIL" : "PASS");
  return failures != 0;
}
