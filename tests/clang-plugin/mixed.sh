#!/bin/bash
# Objects instrumented by GCC and by Clang linked into one test binary: the
# pymon_sites sections merge into one dense array, and the runtime records
# the tests of both modules with their own component and location.
. "$(dirname "$0")/../plugins/common.sh" clang
[ -n "${PYMON_TEST_GCC_PLUGIN:-}" ] || tl_skip "GCC plugin not built"
GCC_PLUGIN=-fplugin=$PYMON_TEST_GCC_PLUGIN

mkdir -p src
cat > src/test_from_gcc.c <<'C'
#include "pymon.h"
PYMON_COMPONENT("gcc-side");
void test_gcc_one(int n) { (void)n; }
void test_gcc_two(void) {}
void run_gcc(void);
void run_gcc(void) { test_gcc_one(1); test_gcc_two(); }
C
cat > src/test_from_clang.c <<'C'
#include <stdio.h>
#include "pymon.h"
PYMON_COMPONENT("clang-side");
void run_gcc(void);
int pymon_standin_sites(void) __attribute__((weak));
static void test_clang_one(const char *s) { (void)s; }
int main(void) {
  run_gcc();
  test_clang_one("x");
  if (pymon_standin_sites)
    printf("sites %d\n", pymon_standin_sites());
  return 0;
}
C
flags="-O2 -g -Wall -Wextra -Werror -I$TL_INC"
# shellcheck disable=SC2086
gcc $flags "$GCC_PLUGIN" -c src/test_from_gcc.c -o gcc.o || tl_fail "gcc compile"
# shellcheck disable=SC2086
$CC $flags "$PLUGIN" -c src/test_from_clang.c -o clang.o || tl_fail "clang compile"

# The ABI as the stand-in sees it: three sites, both compilers' calls.
build_standin standin.o
for linker in gcc "$CC"; do
  $linker gcc.o clang.o standin.o -o standin-suite || tl_fail "link with $linker"
  out=$(./standin-suite)
  tl_expect_eq "$(echo "$out" | sed -n 's/^enter \([^ ]*\).* comp=\([^ ]*\).*/\1:\2/p' | tr '\n' ' ')" \
    "test_gcc_one:gcc-side test_gcc_two:gcc-side test_clang_one:clang-side " \
    "both compilers' sites reach pymon_enter (linked by $linker)"
  tl_expect_eq "$(echo "$out" | tail -1)" "sites 3" \
    "one dense pymon_sites array of 3 sites (linked by $linker)"
done

# The real runtime.
for linker in gcc "$CC"; do
  mkdir "run-$(basename "$linker")"
  $linker gcc.o clang.o -L"$TL_LIBDIR" -lpymon -Wl,-rpath,"$TL_LIBDIR" -o suite \
    || tl_fail "link with $linker and libpymon"
  run_in "run-$(basename "$linker")" ./suite || tl_fail "mixed suite failed"
  tl_expect_eq "$(tl_sql "run-$(basename "$linker")/.pymon" "select ITEM_VARIANT || ':' || COMPONENT || ':' || ITEM_FS_LOC from TEST_METRICS where KIND = 'function' order by 1" | tr '\n' ' ')" \
    "test_clang_one[x]:clang-side:src/test_from_clang.c test_gcc_one[1]:gcc-side:src/test_from_gcc.c test_gcc_two:gcc-side:src/test_from_gcc.c " \
    "rows of both modules (linked by $linker)"
done
tl_done
