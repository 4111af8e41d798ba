#!/bin/bash
# Markers from pymon.h: skip, skip_if, test_if, the module default and the
# component, as rows in .pymon; sources with markers build warning-free under
# -Werror with and without the plugin; a misspelt marker is a compile error.
. "$(dirname "$0")/../lib/testlib.sh"

cat > test_markers.c <<'C'
#include <stdlib.h>
#include "pymon.h"
PYMON_COMPONENT("markers");
PYMON_SKIP_TEST void test_never(void) {}
PYMON_SKIP_TEST_IF(getenv("SKIPME") != NULL) void test_unless_skipme(void) {}
PYMON_TEST_IF(getenv("WANT") != NULL) void helper_when_wanted(void) {}
PYMON_TEST void checker(void) {}
void test_plain(void) {}
void run_module_off(void);
int main(void) {
  test_never();
  test_unless_skipme();
  helper_when_wanted();
  checker();
  test_plain();
  run_module_off();
  return 0;
}
C
cat > test_module_off.c <<'C'
#include "pymon.h"
PYMON_MODULE_SKIP_TEST;
void test_off(void) {}
PYMON_TEST void test_forced(void) {}
void run_module_off(void);
void run_module_off(void) {
  test_off();
  test_forced();
}
C

# Without the plugin the markers vanish and nothing warns (-Werror).
tl_cc gcc -O2 -o plain test_markers.c test_module_off.c \
  || tl_fail "markers do not build warning-free without the plugin"
tl_cc g++ -O2 -x c++ -o plainxx test_markers.c test_module_off.c \
  || tl_fail "markers do not build warning-free with g++ and no plugin"

items() { # db
  tl_sql "$1" "select ITEM || ':' || COMPONENT from TEST_METRICS where KIND = 'function' order by ITEM" | tr '\n' ' '
}

for opt in -O0 -O2 "-O3 -flto"; do
  rm -f *.pymon
  # shellcheck disable=SC2086
  tl_cc_plugin gcc $opt -o suite test_markers.c test_module_off.c \
    || tl_fail "markers do not build warning-free with the plugin at $opt"
  export PYMON_INVOCATION_DIR=$PWD
  PYMON_DB=$PWD/none.pymon ./suite || tl_fail "suite failed"
  tl_expect_eq "$(items none.pymon)" \
    "checker:markers test_forced: test_plain:markers test_unless_skipme:markers " \
    "skip, test, module default at $opt"
  SKIPME=1 WANT=1 PYMON_DB=$PWD/both.pymon ./suite || tl_fail "suite failed"
  tl_expect_eq "$(items both.pymon)" \
    "checker:markers helper_when_wanted:markers test_forced: test_plain:markers " \
    "conditions evaluated at run time at $opt"
done

# A misspelt marker is an error naming it; other annotations are ignored.
cat > bad.c <<'C'
__attribute__((annotate("monitor_tset"))) void test_typo(void) {}
__attribute__((annotate("other_tool"))) void test_other(void) {}
C
out=$(tl_cc_plugin gcc -c bad.c -o bad.o 2>&1)
tl_expect_eq "$?" 1 "unknown marker fails the build"
tl_expect_match "$out" "bad.c:1:48: error: pymon: unknown marker 'monitor_tset' on 'test_typo'" \
  "error names the marker and the function"
tl_expect_eq "$(echo "$out" | grep -c 'error')" 1 "only the misspelt marker is an error"
tl_done
