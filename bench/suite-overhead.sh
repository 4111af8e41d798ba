#!/bin/bash
# Cost per monitored test on a generated suite of many tiny tests: the same
# source built bare and with the GCC plugin, each run RUNS times (median
# wall time, and median CPU time, which other work on the machine disturbs
# less).  A one-test suite built the same way gives the fixed cost of a
# monitored process (runtime start, session, database); the cost per test is
# what the TESTS-test suite adds beyond it, its row in .pymon included.
#
#   bench/suite-overhead.sh [BUILD_DIR] [TESTS] [RUNS]    (default: build 10000 7)
set -eu -o pipefail
. "$(dirname "$0")/suite-common.sh"
build=${1:-build}
tests=${2:-10000}
runs=${3:-7}
plugin=$build/gcc-plugin/pymon.so
lib=$build/runtime/libpymon.so
[ -f "$plugin" ] && [ -f "$lib" ] || { echo "suite-overhead.sh: no GCC plugin or runtime in '$build'" >&2; exit 2; }
case $tests$runs in *[!0-9]*|'') echo "suite-overhead.sh: TESTS and RUNS must be numbers" >&2; exit 2 ;; esac
[ "$tests" -ge 2 ] || { echo "suite-overhead.sh: TESTS must be at least 2" >&2; exit 2; }
inc=$(cd "$(dirname "$0")/../runtime/include" && pwd)
libdir=$(cd "$(dirname "$lib")" && pwd)

dir=$(mktemp -d "${TMPDIR:-/tmp}/pymon-suite-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
for v in $(env | sed -n 's/^\(PYMON_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done

# build_suite <name> <n>: <name>-bare and <name>-monitored, n tiny tests
# that the optimiser cannot drop (each adds to a volatile).
build_suite() {
  {
    echo 'volatile unsigned long sink;'
    for i in $(seq 1 "$2"); do echo "void test_tiny_$i(void) { sink += $i; }"; done
    echo 'int main(void) {'
    for i in $(seq 1 "$2"); do echo "  test_tiny_$i();"; done
    echo '  return sink == 0;'
    echo '}'
  } >"$dir/$1.c"
  gcc -O2 "$dir/$1.c" -o "$dir/$1-bare"
  gcc -O2 "-fplugin=$plugin" -I"$inc" "$dir/$1.c" -o "$dir/$1-monitored" \
    -L"$libdir" -lpymon -Wl,-rpath,"$libdir"
}

# run_suite <program>: one run, its own session in a fresh database, as a
# new `make check` would be.
run_suite() {
  rm -f "$dir/.pymon"
  PYMON_INVOCATION_DIR=$dir "$1"
}

build_suite one 1
build_suite many "$tests"
echo "gcc -O2, median of $runs runs ($(nproc) cores, Linux $(uname -r), load $(cut -d' ' -f1 /proc/loadavg))"

# figures <median function> <what>: one line each for the four programs'
# medians, then the fixed cost and the cost per test they give.
figures() {
  local one_bare one_mon many_bare many_mon rows
  one_bare=$($1 "$runs" run_suite "$dir/one-bare")
  one_mon=$($1 "$runs" run_suite "$dir/one-monitored")
  many_bare=$($1 "$runs" run_suite "$dir/many-bare")
  many_mon=$($1 "$runs" run_suite "$dir/many-monitored")
  rows=$(sqlite3 "$dir/.pymon" "SELECT count(*) FROM TEST_METRICS")
  echo "$2:"
  echo "  1 test:      bare $one_bare us, monitored $one_mon us"
  echo "  $tests tests: bare $many_bare us, monitored $many_mon us ($rows rows stored)"
  awk -v ob="$one_bare" -v om="$one_mon" -v mb="$many_bare" -v mm="$many_mon" -v n="$tests" 'BEGIN {
    fixed = om - ob
    printf "  fixed cost of a monitored process: %.1f ms\n", fixed / 1000
    printf "  added per monitored test:          %.1f us (%.1f us with the fixed cost spread over %d tests)\n",
           ((mm - mb) - fixed) / (n - 1), (mm - mb) / n, n }'
}
figures median_wall_us "wall time"
figures median_cpu_us "CPU time (user + system)"
