/* Test functions of different frame sizes, for frame.sh: the stack
** pointer at their enter and exit calls must match whatever the frame, and
** instrumenting them must not cost a frame pointer. */
#include <string.h>

void sink(char *p, int n);

void test_small(void) { sink(0, 0); }

void test_big(void) {
  char buf[4096];
  memset(buf, 1, sizeof buf);
  sink(buf, sizeof buf);
}

int test_early(int n) {
  if (n > 1)
    return n;
  sink(0, n);
  return 0;
}

/* A test calling a test: the inner one's frame is below. */
void test_outer(int n) {
  char buf[256];
  sink(buf, n);
  test_small();
  sink(buf, n);
}
