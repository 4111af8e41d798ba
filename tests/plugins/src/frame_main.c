/* The caller of frame_tests.c, built without the plugin: every test is
** called from the same frame of main. */
void test_small(void);
void test_big(void);
int test_early(int n);
void test_outer(int n);

void sink(char *p, int n) { __asm__ volatile("" : : "r"(p), "r"(n) : "memory"); }

int main(void) {
  test_small();
  test_big();
  test_early(2);
  test_early(0);
  test_outer(3);
  return 0;
}
