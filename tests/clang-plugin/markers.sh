#!/bin/bash
# Markers under Clang: skip, skip_if, test_if, suite, the module default and
# the component (both declaration forms, also when Clang would drop them as
# unused), as rows in .pymon, in C and C++; a misspelt marker is an error.
. "$(dirname "$0")/common.sh"

cat > test_markers.c <<'C'
#include <stdlib.h>
#include "pymon.h"
PYMON_COMPONENT("markers");
PYMON_SKIP_TEST void test_never(void) {}
PYMON_SKIP_TEST_IF(getenv("SKIPME") != NULL) void test_unless_skipme(void) {}
PYMON_TEST_IF(getenv("WANT") != NULL) void helper_when_wanted(void) {}
PYMON_TEST void checker(void);
void checker(void) {}
PYMON_SUITE("grouped") void test_grouped(void) {}
void test_plain(void) {}
void run_module_off(void);
int main(void) {
  test_never();
  test_unless_skipme();
  helper_when_wanted();
  checker();
  test_grouped();
  test_plain();
  run_module_off();
  return 0;
}
C
# Plain declarations, no `used`: Clang never emits them, the plugin reads
# them from the AST.
cat > test_module_off.c <<'C'
static const int pymon_module_skip_test = 1;
const char *pymon_component = "offcomp";
static const char pymon_suite[] = "offsuite";
void test_off(void) {}
__attribute__((annotate("monitor_test"))) void test_forced(void) {}
void run_module_off(void);
void run_module_off(void) {
  test_off();
  test_forced();
}
C

items() { # db
  tl_sql "$1" "select ITEM || ':' || COMPONENT from TEST_METRICS where KIND = 'function' order by ITEM" | tr '\n' ' '
}

export PYMON_INVOCATION_DIR=$PWD
for lang in c c++; do
  for opt in -O0 -O2 "-O3 -flto=thin"; do
    rm -f ./*.pymon
    # shellcheck disable=SC2086
    tl_cc_plugin $CC -x $lang $opt -o suite test_markers.c test_module_off.c \
      || tl_fail "markers do not build warning-free with the plugin ($lang $opt)"
    PYMON_DB=$PWD/none.pymon PYMON_RESTRICT_SCOPE_TO=function,class ./suite \
      || tl_fail "suite failed"
    tl_expect_eq "$(items none.pymon)" \
      "checker:markers test_forced:offcomp test_grouped:markers test_plain:markers test_unless_skipme:markers " \
      "skip, test, module default, component ($lang $opt)"
    tl_expect_eq "$(tl_sql none.pymon "select ITEM from TEST_METRICS where KIND = 'class' order by ITEM" | tr '\n' ' ')" \
      "grouped offsuite " "monitor_suite and pymon_suite give class rows ($lang $opt)"
    SKIPME=1 WANT=1 PYMON_DB=$PWD/both.pymon ./suite || tl_fail "suite failed"
    tl_expect_eq "$(items both.pymon)" \
      "checker:markers helper_when_wanted:markers test_forced:offcomp test_grouped:markers test_plain:markers " \
      "conditions evaluated at run time ($lang $opt)"
  done
done

# A misspelt marker is an error naming it; other annotations are ignored.
cat > bad.c <<'C'
__attribute__((annotate("monitor_tset"))) void test_typo(void) {}
__attribute__((annotate("other_tool"))) void test_other(void) {}
__attribute__((annotate("monitor_test_if:nowhere"))) void test_cond(void) {}
C
out=$($CC "$PLUGIN" -c bad.c -o bad.o 2>&1)
tl_expect_eq "$?" 1 "unknown marker fails the build"
tl_expect_match "$out" "bad.c:1:16: error: pymon: unknown marker 'monitor_tset' on 'test_typo'" \
  "error names the marker and the function"
tl_expect_match "$out" "error: pymon: condition function 'nowhere' of 'test_cond' is not defined in this file" \
  "a missing condition function is an error"
tl_expect_eq "$(echo "$out" | grep -c 'error:')" 2 "only the two bad markers are errors"
tl_done
