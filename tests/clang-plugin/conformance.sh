#!/bin/bash
# Conformance: the corpus in tests/conformance is built once with gcc + the
# GCC plugin and once with clang + the Clang plugin (at -O0 and -O2), each
# program runs with every scope on, and the rows must be the same multiset of
# (ITEM_PATH, ITEM, ITEM_VARIANT, ITEM_FS_LOC, KIND, COMPONENT).
. "$(dirname "$0")/../plugins/common.sh" clang
[ -n "${PYMON_TEST_GCC_PLUGIN:-}" ] || tl_skip "GCC plugin not built"
GCC_PLUGIN=-fplugin=$PYMON_TEST_GCC_PLUGIN

cp -r "$TP_CORPUS" conformance
export PYMON_INVOCATION_DIR=$PWD PYMON_RESTRICT_SCOPE_TO=function,module,class,session

build() { # dir cc cxx plugin-flag opt
  local dir=$1 cc=$2 cxx=$3 plugin=$4 opt=$5 f flags
  flags="$opt -g -Wall -Wextra -Werror -I$TL_INC"
  mkdir "$dir"
  for f in conformance/test_*.c; do
    # shellcheck disable=SC2086
    $cc $flags "$plugin" -c "$f" -o "$dir/$(basename "$f").o" || return 1
  done
  for f in conformance/test_*.cc; do
    # shellcheck disable=SC2086
    $cxx $flags "$plugin" -c "$f" -o "$dir/$(basename "$f").o" || return 1
  done
  # shellcheck disable=SC2086
  $cc $flags -c conformance/main.c -o "$dir/main.o" &&
    $cxx "$dir"/*.o -L"$TL_LIBDIR" -lpymon -Wl,-rpath,"$TL_LIBDIR" -o "$dir/suite"
}

# Two runs, the second with the conditions flipped.  The program runs as
# ./suite whatever built it: the session row names the command.
run() { # dir
  cp "$1/suite" suite &&
    PYMON_DB=$PWD/$1/.pymon ./suite &&
    CONFORMANCE_SKIP=1 CONFORMANCE_WANT=1 PYMON_DB=$PWD/$1/.pymon ./suite
}

rows() { # dir
  tl_sql "$1/.pymon" "select ITEM_PATH, ITEM, ITEM_VARIANT, ITEM_FS_LOC, KIND, COMPONENT, count(*) from TEST_METRICS group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6"
}

build gcc-O2 gcc g++ "$GCC_PLUGIN" -O2 || tl_fail "gcc build"
run gcc-O2 || tl_fail "gcc-built corpus failed"
reference=$(rows gcc-O2)
tl_expect_range "$(echo "$reference" | grep -c '|function|')" 30 200 \
  "the GCC build gives a substantial set of function rows"
for opt in -O0 -O2; do
  build "clang$opt" "$CC" "$CXX" "$PLUGIN" $opt || tl_fail "clang build at $opt"
  run "clang$opt" || tl_fail "clang-built corpus failed at $opt"
  diff=$(diff <(echo "$reference") <(rows "clang$opt"))
  tl_expect_eq "$diff" "" "rows of clang $opt equal those of gcc -O2 (< gcc, > clang)"
done
build gcc-O0 gcc g++ "$GCC_PLUGIN" -O0 || tl_fail "gcc build at -O0"
run gcc-O0 || tl_fail "gcc-built corpus failed at -O0"
tl_expect_eq "$(diff <(echo "$reference") <(rows gcc-O0))" "" "gcc -O0 equals gcc -O2"
tl_done
