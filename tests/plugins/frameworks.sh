#!/bin/bash
# Framework presets: real Check, cmocka and Criterion suites give one row per
# test with the framework's test names (suites as class rows); the other
# presets and the never-selected fixtures, on the conformance corpus's
# test_names.c, through verbose diagnostics.
#   frameworks.sh gcc|clang
. "$(dirname "$0")/common.sh" "$@"
export PYMON_INVOCATION_DIR=$PWD

rows() { # db [kind]
  tl_sql "$1" "select ITEM_VARIANT from TEST_METRICS where KIND = '${2:-function}' order by ITEM_VARIANT" | tr '\n' ' '
}

if pkg-config --exists check; then
  # shellcheck disable=SC2046
  tl_cc_plugin $CC -O2 -o check_suite "$TP_SRC/check_suite.c" $(pkg-config --cflags --libs check) \
    || tl_fail "build Check suite"
  for mode in no yes; do
    CK_FORK=$mode PYMON_DB=$PWD/check-$mode.pymon ./check_suite \
      || tl_fail "Check suite failed (CK_FORK=$mode)"
    tl_expect_eq "$(rows check-$mode.pymon)" "adds loops loops[1] loops[2] " \
      "Check START_TEST names, loop index as variant (CK_FORK=$mode)"
  done
  # shellcheck disable=SC2046
  tl_cc_plugin $CC -O2 -o check_table "$TP_SRC/check_table.c" $(pkg-config --cflags --libs check) \
    || tl_fail "build Check table suite"
  PYMON_DB=$PWD/check-table.pymon ./check_table || tl_fail "Check table suite failed"
  tl_expect_eq "$(rows check-table.pymon)" "plain tabled tabled[1] " \
    "a loop test registered through a table still has its index as variant"
else
  echo "Check not installed: skipping its suite" >&2
fi

if [ -e /usr/include/cmocka.h ]; then
  tl_cc_plugin $CC -O2 -o cmocka_suite "$TP_SRC/cmocka_suite.c" -lcmocka \
    || tl_fail "build cmocka suite"
  PYMON_DB=$PWD/cmocka.pymon ./cmocka_suite >/dev/null 2>&1
  tl_expect_eq "$(rows cmocka.pymon)" "adds fails " \
    "cmocka tests (void **state), failing one included, fixture left out"
else
  echo "cmocka not installed: skipping its suite" >&2
fi

if [ -e /usr/include/criterion/criterion.h ]; then
  tl_cc_plugin $CC -O2 -o criterion_suite "$TP_SRC/criterion_suite.c" -lcriterion \
    || tl_fail "build Criterion suite"
  PYMON_RESTRICT_SCOPE_TO=function,class PYMON_DB=$PWD/criterion.pymon \
    ./criterion_suite >/dev/null 2>&1 || tl_fail "Criterion suite failed"
  tl_expect_eq "$(rows criterion.pymon)" "adds sub_tracts " \
    "Criterion Test(suite, name) gives the test name"
  tl_expect_eq "$(rows criterion.pymon class)" "arith arith_more " \
    "Criterion suites as class rows"
else
  echo "Criterion not installed: skipping its suite" >&2
fi

# The remaining presets and the fixtures, as the plugin reports them.
selected() { # source args...
  local src=$1
  shift
  $CC -c "$PLUGIN" -fplugin-arg-pymon-verbose "$@" -I"$TL_INC" "$src" -o names.o 2>&1 |
    sed -n "s/.*$REMARK: pymon: instrumenting '\([^']*\)' (\(.*\))/\1:\2/p" | sort | tr '\n' ' '
}
tl_expect_eq "$(selected "$TP_CORPUS/test_names.c")" "cm_case:framework cmocka gr_case:framework greatest mu_case:framework munit parser_should_accept:framework unity should_work:framework unity spec_thing:framework unity tcp_open:framework libuv testUpper:framework generic test_core_buffer__append:framework clar test_lower:framework generic widget:framework check " \
  "presets select tests, never fixtures, inline or no_instrument_function"
tl_expect_eq "$(selected "$TP_CORPUS/test_names.c" -fplugin-arg-pymon-frameworks=unity,libuv)" \
  "parser_should_accept:framework unity should_work:framework unity spec_thing:framework unity tcp_open:framework libuv " \
  "frameworks= limits the presets"
tl_expect_eq "$(selected "$TP_CORPUS/main.c" '-fplugin-arg-pymon-select=*')" "" \
  "main is never selected, even by select=*"
tl_done
