/* String tests of the CMake example: plain test_* functions called from
** main, as many hand-written suites do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define EXPECT(c) \
  do { if (!(c)) { failures++; printf("%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)

void test_concat(void) {
  char buf[16] = "pytest";
  strcat(buf, "-monitor");
  EXPECT(strcmp(buf, "pytest-monitor") == 0);
}

void test_duplicate(void) {
  char *copy = strdup("monitor");
  EXPECT(copy != NULL && strlen(copy) == 7);
  free(copy);
}

void test_search(void) {
  EXPECT(strstr("resource tracking", "track") != NULL);
}

int main(void) {
  test_concat();
  test_duplicate();
  test_search();
  printf("test_strings: %s\n", failures ? "FAILED" : "ok");
  return failures != 0;
}
