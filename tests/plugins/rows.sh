#!/bin/bash
# A small suite (src/unit/test_math.c) built with the plugin at every
# optimisation level, -g and LTO, in C and C++: the rows in .pymon name
# exactly the selected functions, with their variants, kind, component and
# location.
#   rows.sh gcc|clang
. "$(dirname "$0")/common.sh" "$@"

mkdir -p src/unit
cp "$TP_SRC/unit/test_math.c" src/unit/test_math.c
sed -e 's/#include <stdbool.h>//' -e 's/"math"/"mathxx"/' \
  src/unit/test_math.c > src/unit/test_mathxx.cc

expect_rows() { # dir component file
  local db=$1/.pymon comp=$2 file=$3 base
  base=${file%.*}
  tl_expect_eq "$(variants_of "$db")" \
    "testCamel[1] testCamel[2] test_kinds[1.5-x-True-EXACT-hi] test_p[1-2] test_p[10-10] test_static " \
    "selected functions and variants ($1)"
  tl_expect_eq "$(tl_sql "$db" 'select distinct ITEM from TEST_METRICS order by ITEM' | tr '\n' ' ')" \
    "testCamel test_kinds test_p test_static " "ITEM without variant ($1)"
  tl_expect_eq "$(tl_sql "$db" 'select distinct KIND || "|" || COMPONENT || "|" || ITEM_FS_LOC || "|" || ITEM_PATH from TEST_METRICS')" \
    "function|$comp|$file|${base//\//.}" "kind, component, location ($1)"
  tl_expect_range "$(tl_sql "$db" 'select max(TOTAL_TIME) from TEST_METRICS')" 0 5 \
    "times are sane ($1)"
}

n=0
for opt in -O0 "-O1 -g" -O2 "-O3 -g" "-O2 $LTO" "-O3 $LTO -g"; do
  n=$((n + 1))
  mkdir "c$n" "cxx$n"
  # shellcheck disable=SC2086
  tl_cc_plugin $CC $opt -o "c$n/suite" src/unit/test_math.c || tl_fail "$CC $opt"
  # shellcheck disable=SC2086
  tl_cc_plugin $CXX $opt -o "cxx$n/suite" src/unit/test_mathxx.cc || tl_fail "$CXX $opt"
  run_in "c$n" "c$n/suite" || tl_fail "C suite failed at $opt"
  run_in "cxx$n" "cxx$n/suite" || tl_fail "C++ suite failed at $opt"
  expect_rows "c$n" math src/unit/test_math.c
  expect_rows "cxx$n" mathxx src/unit/test_mathxx.cc
done
tl_done
