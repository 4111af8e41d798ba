/* Hostile parameter values: quotes, newlines, bytes that are not UTF-8,
** and a string much longer than ITEM_VARIANT's declared width. */
#include <pymon.h>
#include <stdio.h>
#include <string.h>

void test_text(const char *s) { (void)s; }

PYMON_LIMIT(MEM_USAGE, 64)
PYMON_LIMIT(TOTAL_TIME, 0.5)
void test_limited(void) {}

PYMON_LIMIT(WATTS, 3)
PYMON_LIMIT(CPU_TIME, -1)
PYMON_LIMIT(CPU_USAGE, 150)
void test_badly_limited(void) {}

int main(void) {
  static char longer[5001];
  memset(longer, 'x', sizeof longer - 1);
  test_text("it's \"quoted\"; DROP TABLE TEST_METRICS; --");
  test_text("two\nlines\ttab\\backslash");
  test_text("latin1 \xe9t\xe9 and \xff\xfe bytes");
  test_text("utf-8 \xc3\xa9t\xc3\xa9");
  test_text(longer);
  test_limited();
  test_badly_limited();
  puts("done");
  return 0;
}
