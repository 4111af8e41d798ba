#!/bin/bash
# The Clang plugin's side of the ABI, checked with a stand-in pymon_enter/exit
# (standin.c) that prints what it receives: every argument kind, the site
# fields, exit on every path (return, goto, musttail, C++ exception),
# noinline, the dense pymon_sites section, at -O0..-O3, -g and ThinLTO.
. "$(dirname "$0")/common.sh"

cat > args.c <<'C'
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
  if (x > 2)
    return 1;
  for (int i = 0; i < x; i++)
    if (i == 1)
      goto out;
  return 2;
out:
  return 3;
}
static int count(int n) { return n; }
int test_tail(int n) { __attribute__((musttail)) return count(n); }
int main(void) {
  struct pt pt = {1};
  struct wide w = {1, 2};
  test_kinds(-1, 7, -1234567890123LL, 65535, 1.5, 2.5f, 3.25L, 'x', -3, true,
             GREEN, "hi", NULL, &pt, pt, NULL);
  test_after_struct(w, 42, "tail");
  printf("%d %d %d %d\n", test_paths(3), test_paths(0), test_paths(2),
         test_tail(9));
  printf("sites %d\n", pymon_standin_sites());
  return 0;
}
C

expected_kinds="enter test_kinds abi=1 flags=1 line=8 file=args.c comp=abi suite=- i=k1:-1 u=u:7 ll=k1:-1234567890123 us=u:65535 d=f:1.5 f=f:2.5 ld=f:3.25 c=k4:120 sc=k1:-3 b=k5:1 col=e:5/GREEN/3 s=s:hi ns=s:NULL frame=1"
expected_struct="enter test_after_struct abi=1 flags=1 line=18 file=args.c comp=abi suite=- n=k1:42 s=s:tail frame=1"
$CC -O2 -c -I"$TL_INC" "$TC_DIR/standin.c" -o standin.o || tl_fail "compile standin"
for opt in -O0 -O1 "-O2 -g" -O3 "-O2 -flto=thin" "-O3 -g -flto=thin"; do
  # shellcheck disable=SC2086
  $CC $opt -Wall -Wextra -Werror "$PLUGIN" -I"$TL_INC" args.c standin.o -o args \
    || tl_fail "build with $opt"
  out=$(./args)
  tl_expect_eq "$(echo "$out" | grep '^enter test_kinds')" "$expected_kinds" \
    "every argument kind converted at $opt"
  tl_expect_eq "$(echo "$out" | grep '^enter test_after_struct')" "$expected_struct" \
    "arguments after a by-value struct at $opt"
  tl_expect_eq "$(echo "$out" | grep -c '^enter test_paths')" 3 \
    "test_paths entered three times at $opt"
  tl_expect_eq "$(echo "$out" | grep -c '^exit test_paths frame=1')" 3 \
    "test_paths left by return, loop and goto at $opt"
  tl_expect_eq "$(echo "$out" | grep -c '^exit test_tail frame=1')" 1 \
    "test_tail exits before its musttail call at $opt"
  tl_expect_eq "$(echo "$out" | tail -2 | tr '\n' ' ')" "1 2 3 9 sites 4 " \
    "results unchanged and four sites in pymon_sites at $opt"
  tl_expect_match "$(nm args)" " t test_paths" \
    "static test_paths not inlined at $opt"
done

# The descriptors: a writable section of 72-byte (8-aligned) sites, no gaps.
$CC -O2 "$PLUGIN" -I"$TL_INC" -c args.c -o args.o || tl_fail "compile args.o"
sec=$(readelf -S -W args.o | grep ' pymon_sites ')
tl_expect_match "$sec" "PROGBITS .* 000120 00  WA  0   0  8" \
  "pymon_sites holds 4 x 72 bytes, writable, 8-aligned"
tl_expect_eq "$(objdump -dr args.o | grep -c "R_X86_64_PLT32[[:space:]]*pymon_enter")" 4 \
  "four calls to pymon_enter in the object"

# C++: exceptions leaving the test run pymon_exit; caught ones do not.
cat > exc.cc <<'C'
#include <cstdio>
#include <stdexcept>
#include "pymon.h"
static void thrower(int n) {
  if (n)
    throw std::runtime_error("boom");
}
void test_throws(int n) { thrower(n); }
void test_catches(int n) {
  try { thrower(n); } catch (const std::exception &) { std::puts("inner"); }
}
void test_rethrows(int n) {
  try { thrower(n); } catch (...) { std::puts("rethrow"); throw; }
}
namespace ns { void test_in_namespace(bool b) { (void)b; } }
int main() {
  try { test_throws(1); } catch (const std::exception &) { std::puts("caught"); }
  test_catches(1);
  try { test_rethrows(1); } catch (...) { std::puts("caught"); }
  ns::test_in_namespace(false);
  return 0;
}
C
expected="enter test_throws abi=1 flags=1 line=8 file=exc.cc comp=- suite=- n=k1:1 frame=1 exit test_throws frame=1 caught enter test_catches abi=1 flags=1 line=9 file=exc.cc comp=- suite=- n=k1:1 frame=1 inner exit test_catches frame=1 enter test_rethrows abi=1 flags=1 line=12 file=exc.cc comp=- suite=- n=k1:1 frame=1 rethrow exit test_rethrows frame=1 caught enter test_in_namespace abi=1 flags=1 line=15 file=exc.cc comp=- suite=- b=k5:0 frame=1 exit test_in_namespace frame=1 "
for opt in -O0 "-O2 -g" "-O3 -flto=thin"; do
  # shellcheck disable=SC2086
  $CXX $opt -Wall -Wextra -Werror "$PLUGIN" -I"$TL_INC" exc.cc standin.o -o exc \
    || tl_fail "clang++ build with $opt"
  tl_expect_eq "$(./exc | tr '\n' ' ')" "$expected" \
    "C++ exceptions run pymon_exit at $opt"
done
tl_done
