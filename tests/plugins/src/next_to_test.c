/* One test between two ordinary functions that must keep their code. */
#include <string.h>
int compute(const char *s) {
  int n = 0;
  for (size_t i = 0; i < strlen(s); i++) n += s[i] * 3;
  return n;
}
void test_compute(void) { (void)compute("x"); }
int setup(int k) { return k > 3 ? compute("abc") : -k; }
