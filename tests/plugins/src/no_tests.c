/* No test in this file: the plugin must leave the object as it is. */
#include <string.h>
static int helper(int x) { return x * 3 + 1; }
int compute(const char *s) {
  int n = 0;
  for (size_t i = 0; i < strlen(s); i++) n += helper(s[i]);
  return n;
}
int setup(void) { return compute("abc"); }
int main(void) { return setup() == 0; }
