#!/bin/bash
# Markers from pymon.h on the conformance corpus's marker modules: skip,
# skip_if, test_if, suite, limit, the module default and the component (also
# written by hand without `used`), as rows in .pymon, in C and C++; sources
# with markers build warning-free under -Werror with and without the plugin;
# a misspelt marker or a missing condition function is a compile error.
#   markers.sh gcc|clang
. "$(dirname "$0")/common.sh" "$@"
modules="$TP_CORPUS/test_markers.c $TP_CORPUS/test_module_off.c $TP_CORPUS/test_module_plain.c"

# Without the plugin the markers vanish and nothing warns (-Werror).
for lang in c c++; do
  for f in test_markers.c test_module_off.c; do
    $CC -x $lang -O2 -Wall -Wextra -Werror -I"$TL_INC" -c "$TP_CORPUS/$f" -o plain.o \
      || tl_fail "$f does not build warning-free without the plugin ($lang)"
  done
done

items() { # db kind
  tl_sql "$1" "select ITEM || ':' || COMPONENT from TEST_METRICS where KIND = '$2' order by ITEM" | tr '\n' ' '
}

export PYMON_INVOCATION_DIR=$PWD PYMON_RESTRICT_SCOPE_TO=function,class
for lang in c c++; do
  for opt in -O0 -O2 "-O3 $LTO"; do
    rm -f ./*.pymon
    # shellcheck disable=SC2086
    tl_cc_plugin $CC -x $lang $opt -o suite $modules "$TP_SRC/markers_main.c" \
      || tl_fail "markers do not build warning-free with the plugin ($lang $opt)"
    PYMON_DB=$PWD/none.pymon ./suite || tl_fail "suite failed"
    tl_expect_eq "$(items none.pymon function)" \
      "checker:markers grouped_checker:markers test_forced:offcomp test_forced_if:offcomp test_in_suite:markers test_limited:markers test_plain_forced:plaincomp test_skip_if:markers " \
      "skip, test, module default, component ($lang $opt)"
    tl_expect_eq "$(items none.pymon class)" "grouped:markers offsuite:offcomp plainsuite:plaincomp " \
      "monitor_suite and pymon_suite give class rows ($lang $opt)"
    CONFORMANCE_SKIP=1 CONFORMANCE_WANT=1 PYMON_DB=$PWD/both.pymon ./suite || tl_fail "suite failed"
    tl_expect_eq "$(items both.pymon function)" \
      "checker:markers grouped_checker:markers helper_wanted:markers test_forced:offcomp test_forced_if:offcomp test_in_suite:markers test_limited:markers test_plain_forced:plaincomp " \
      "conditions evaluated at run time ($lang $opt)"
  done
done

# A misspelt marker is an error naming it; other annotations are ignored.
# GCC points at the function's name, Clang at the attribute.
case $CC in gcc) col=48 ;; *) col=16 ;; esac
out=$(diagnostics_of $CC "$PLUGIN" -c "$TP_SRC/bad_markers.c" -o bad.o)
tl_expect_eq "$?" 1 "unknown marker fails the build"
tl_expect_match "$out" "bad_markers.c:3:$col: error: pymon: unknown marker 'monitor_tset' on 'test_typo'" \
  "error names the marker and the function"
tl_expect_match "$out" "error: pymon: condition function 'nowhere' of 'test_cond' is not defined in this file" \
  "a missing condition function is an error"
tl_expect_eq "$(echo "$out" | grep -c 'error:')" 2 "only the two bad markers are errors"
tl_done
