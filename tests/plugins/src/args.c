/* Every argument kind, the paths out of a test, a musttail call. */
#include <stdbool.h>
#include <stdio.h>
#include "pymon.h"
PYMON_COMPONENT("abi");
enum color { RED, GREEN = 5, BLUE };
struct pt { int x; };
int pymon_standin_sites(void);
void test_kinds(int i, unsigned u, long long ll, unsigned short us, double d,
                float f, long double ld, char c, signed char sc, bool b,
                enum color col, const char *s, char *ns, void *p,
                struct pt pt, void **state) {
  (void)i; (void)u; (void)ll; (void)us; (void)d; (void)f; (void)ld; (void)c;
  (void)sc; (void)b; (void)col; (void)s; (void)ns; (void)p; (void)pt;
  (void)state;
}
/* A by-value struct first: the variant arguments are found from the end. */
struct wide { long a, b; };
void test_after_struct(struct wide w, int n, const char *s) {
  (void)w; (void)n; (void)s;
}
/* Static and tiny: inlined into main without noinline. */
static int test_paths(int x) {
  int i = 0;
  if (x > 2)
    return 1;
  while (i < x)
    if (i++ == 1)
      goto out;
  return 2;
out:
  return 3;
}
/* GCC 12 has no musttail: there test_tail ends in a plain tail call. */
#if defined(__has_attribute) && __has_attribute(musttail)
#define MUSTTAIL __attribute__((musttail))
#else
#define MUSTTAIL
#endif
static int count(int n) { return n; }
int test_tail(int n) { MUSTTAIL return count(n); }
/* Returned in memory, from two returns. */
struct wide test_big_result(int n) {
  struct wide w = {n, 2};
  if (n > 5)
    return (struct wide){0, 0};
  return w;
}
/* A cleanup variable runs before pymon_exit, on every return. */
static void report_cleanup(int *p) { printf("cleanup %d\n", *p); }
int test_cleanup(int n) {
  __attribute__((cleanup(report_cleanup))) int c = n;
  (void)c;
  if (n)
    return 1;
  return 0;
}
int main(void) {
  struct pt pt = {1};
  struct wide w = {1, 2};
  test_kinds(-1, 7, -1234567890123LL, 65535, 1.5, 2.5f, 3.25L, 'x', -3, true,
             GREEN, "hi", NULL, &pt, pt, NULL);
  test_after_struct(w, 42, "tail");
  printf("%d %d %d %d\n", test_paths(3), test_paths(0), test_paths(2),
         test_tail(9));
  long big7 = test_big_result(7).a;
  long big3 = test_big_result(3).a;
  int clean1 = test_cleanup(1);
  int clean0 = test_cleanup(0);
  printf("%ld %ld %d %d\n", big7, big3, clean1, clean0);
  printf("sites %d\n", pymon_standin_sites());
  return 0;
}
