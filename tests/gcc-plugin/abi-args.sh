#!/bin/bash
# The plugin's side of the ABI, checked with a stand-in pymon_enter/exit that
# prints what it receives: every argument kind, the site fields, exit on every
# path (return, goto, C++ exception), noinline, the dense pymon_sites section,
# at -O0..-O3, -flto, -g and with GCC's collector running at every chance.
. "$(dirname "$0")/../lib/testlib.sh"
flag=$(tl_plugin_flag gcc) || exit $?

cat > stub.c <<'C'
#include <stdarg.h>
#include <stdio.h>
#include "pymon/abi.h"
static void put_arg(const struct pymon_param *p, va_list *ap) {
  switch (p->kind) {
  case PYMON_ARG_UNSIGNED: printf("%s=u:%llu", p->name, va_arg(*ap, unsigned long long)); break;
  case PYMON_ARG_FLOAT: printf("%s=f:%g", p->name, va_arg(*ap, double)); break;
  case PYMON_ARG_STRING: {
    const char *s = va_arg(*ap, const char *);
    printf("%s=s:%s", p->name, s ? s : "NULL");
    break;
  }
  case PYMON_ARG_ENUM: {
    long long v = va_arg(*ap, long long);
    printf("%s=e:%lld", p->name, v);
    for (unsigned j = 0; j < p->enumerator_count; j++)
      if (p->enumerators[j].value == v) printf("/%s", p->enumerators[j].name);
    printf("/%u", p->enumerator_count);
    break;
  }
  default: printf("%s=k%u:%lld", p->name, p->kind, va_arg(*ap, long long));
  }
}
void pymon_enter(struct pymon_site *s, void *frame, ...) {
  va_list ap;
  va_start(ap, frame);
  printf("enter %s abi=%u flags=%u line=%u file=%s comp=%s", s->function,
         s->abi_version, s->flags, s->line, s->module->file,
         s->module->component ? s->module->component : "-");
  for (unsigned i = 0; i < s->param_count; i++) {
    printf(" ");
    put_arg(&s->params[i], &ap);
  }
  printf(" frame=%d\n", frame != 0);
  va_end(ap);
}
void pymon_exit(struct pymon_site *s, void *frame) {
  printf("exit %s frame=%d\n", s->function, frame != 0);
}
extern struct pymon_site __start_pymon_sites[], __stop_pymon_sites[];
int count_sites(void);
int count_sites(void) {
  int n = 0;
  for (struct pymon_site *s = __start_pymon_sites; s < __stop_pymon_sites; s++)
    n += s->abi_version == PYMON_ABI_VERSION;
  return n;
}
C

cat > args.c <<'C'
#include <stdbool.h>
#include <stdio.h>
#include "pymon.h"
PYMON_COMPONENT("abi");
enum color { RED, GREEN = 5, BLUE };
struct pt { int x; };
int count_sites(void);
void test_kinds(int i, unsigned u, long long ll, unsigned short us, double d,
                float f, long double ld, char c, signed char sc, bool b,
                enum color col, const char *s, char *ns, void *p,
                struct pt pt, void **state) {
  (void)i; (void)u; (void)ll; (void)us; (void)d; (void)f; (void)ld; (void)c;
  (void)sc; (void)b; (void)col; (void)s; (void)ns; (void)p; (void)pt;
  (void)state;
}
/* Static and tiny: inlined into main without noinline. */
static int test_paths(int x) {
  if (x > 2)
    return 1;
  for (int i = 0; i < x; i++)
    if (i == 1)
      goto out;
  return 2;
out:
  return 3;
}
int main(void) {
  struct pt pt = {1};
  test_kinds(-1, 7, -1234567890123LL, 65535, 1.5, 2.5f, 3.25L, 'x', -3, true,
             GREEN, "hi", NULL, &pt, pt, NULL);
  printf("%d %d %d\n", test_paths(3), test_paths(0), test_paths(2));
  printf("sites %d\n", count_sites());
  return 0;
}
C

expected_kinds="enter test_kinds abi=1 flags=1 line=8 file=args.c comp=abi i=k1:-1 u=u:7 ll=k1:-1234567890123 us=u:65535 d=f:1.5 f=f:2.5 ld=f:3.25 c=k4:120 sc=k1:-3 b=k5:1 col=e:5/GREEN/3 s=s:hi ns=s:NULL frame=1"
for opt in -O0 -O1 "-O2 -g" -O3 "-O2 -flto" "-O3 -g -flto" \
           "-O2 --param ggc-min-expand=0 --param ggc-min-heapsize=0"; do
  # shellcheck disable=SC2086
  gcc $opt -Wall -Wextra -Werror "$flag" -I"$TL_INC" args.c stub.c -o args \
    || tl_fail "build with $opt"
  out=$(./args)
  tl_expect_eq "$(echo "$out" | grep '^enter test_kinds')" "$expected_kinds" \
    "every argument kind converted at $opt"
  tl_expect_eq "$(echo "$out" | grep -c '^enter test_paths')" 3 \
    "test_paths entered three times at $opt"
  tl_expect_eq "$(echo "$out" | grep -c '^exit test_paths frame=1')" 3 \
    "test_paths left by return, loop and goto at $opt"
  tl_expect_eq "$(echo "$out" | tail -2 | tr '\n' ' ')" "1 2 3 sites 2 " \
    "results unchanged and two sites in pymon_sites at $opt"
  tl_expect_match "$(nm args)" " t test_paths" \
    "static test_paths not inlined at $opt"
done

# The descriptors: a writable section of 72-byte (8-aligned) sites, no gaps.
gcc -O2 "$flag" -I"$TL_INC" -c args.c -o args.o || tl_fail "compile args.o"
sec=$(readelf -S -W args.o | grep ' pymon_sites ')
tl_expect_match "$sec" "PROGBITS .* 000090 00  WA  0   0  8" \
  "pymon_sites holds 2 x 72 bytes, writable, 8-aligned"
tl_expect_eq "$(objdump -dr args.o | grep -c "R_X86_64_PLT32[[:space:]]*pymon_enter")" 2 \
  "two calls to pymon_enter in the object"

# C++: an exception leaving the test still runs pymon_exit.
cat > exc.cc <<'C'
#include <cstdio>
#include <stdexcept>
#include "pymon.h"
void test_throws(int n) {
  if (n)
    throw std::runtime_error("boom");
}
namespace ns { void test_in_namespace(bool b) { (void)b; } }
int main() {
  try {
    test_throws(1);
  } catch (const std::exception &) {
    std::puts("caught");
  }
  ns::test_in_namespace(false);
  return 0;
}
C
gcc -O2 -c stub.c -I"$TL_INC" -o stub.o || tl_fail "compile stub"
for opt in -O0 "-O2 -g" "-O3 -flto"; do
  # shellcheck disable=SC2086
  g++ $opt -Wall -Wextra -Werror "$flag" -I"$TL_INC" exc.cc stub.o -o exc \
    || tl_fail "g++ build with $opt"
  tl_expect_eq "$(./exc | tr '\n' ' ')" \
    "enter test_throws abi=1 flags=1 line=4 file=exc.cc comp=- n=k1:1 frame=1 exit test_throws frame=1 caught enter test_in_namespace abi=1 flags=1 line=8 file=exc.cc comp=- b=k5:0 frame=1 exit test_in_namespace frame=1 " \
    "C++ exception runs pymon_exit at $opt"
done
tl_done
