#!/bin/bash
# Cost per monitored test on a generated suite of many tiny tests: the same
# source built bare and with the GCC plugin, all run in interleaved rounds
# (bench/run-rounds: each round runs every program once, a fresh database
# each time, so a slow spell of the machine falls on all of them alike).
# A one-test suite built the same way gives the fixed cost of a monitored
# process (runtime start, session, database); the cost per test is what the
# TESTS-test suite adds beyond it, its row in .pymon included.  Figures with
# the importer process (the default) and with PYMON_BACKGROUND_IMPORT=0,
# where the test process stores its rows itself, and with the suites
# exec'd by a 30 MB runner (bench/big-runner: as CTest, meson or a Python
# harness start them; the runner's peak hides the process's own in
# getrusage).  CPU time is the test process's (wait4): with the importer,
# the rows' SQLite work is not in it.
#
#   bench/suite-overhead.sh [BUILD_DIR] [TESTS] [ROUNDS]   (default: build 10000 21)
set -eu -o pipefail
. "$(dirname "$0")/suite-common.sh"
build=${1:-build}
tests=${2:-10000}
rounds=${3:-21}
case $tests$rounds in *[!0-9]*|'') echo "suite-overhead.sh: TESTS and ROUNDS must be numbers" >&2; exit 2 ;; esac
[ "$tests" -ge 2 ] || { echo "suite-overhead.sh: TESTS must be at least 2" >&2; exit 2; }
plugin_bench_setup suite-overhead.sh "$build"

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
  build_pair "$dir/$1.c" "$1"
}

build_suite one 1
build_suite many "$tests"
echo "gcc -O2, median of $rounds rounds ($(nproc) cores, Linux $(uname -r), load $(cut -d' ' -f1 /proc/loadavg))"

inprocess="env PYMON_BACKGROUND_IMPORT=0"
runner="$(dirname "$rounds_tool")/big-runner 30"
[ -x "${runner% *}" ] || { echo "suite-overhead.sh: no bench/big-runner in '$build'" >&2; exit 2; }
export PYMON_INVOCATION_DIR=$dir
# One line each: median wall, median CPU, least wall (microseconds).
"$rounds_tool" "$rounds" "$dir/.pymon" "$dir/one-bare" "$dir/one-monitored" \
  "$dir/many-bare" "$dir/many-monitored" "$inprocess $dir/one-monitored" \
  "$inprocess $dir/many-monitored" "$runner $dir/one-bare" "$runner $dir/one-monitored" \
  "$runner $dir/many-bare" "$runner $dir/many-monitored" >"$dir/figures"
rm -f "$dir/.pymon"
"$dir/many-monitored"
echo "(one more run of the $tests-test suite stored $(sqlite3 "$dir/.pymon" "SELECT count(*) FROM TEST_METRICS") rows)"

# report <label> <one bare> <one> <many bare> <many>: fixed cost and cost
# per test from those lines of the figures.
report() {
  awk -v label="$1" -v one_bare="$2" -v one="$3" -v many_bare="$4" -v many="$5" -v n="$tests" '
    NR == one_bare { ob_w = $1; ob_c = $2 } NR == many_bare { mb_w = $1; mb_c = $2 }
    NR == one { om_w = $1; om_c = $2 } NR == many { mm_w = $1; mm_c = $2 }
    END {
      printf "%s:\n", label
      printf "  wall: 1 test %d us (bare %d), %d tests %d us (bare %d)\n", om_w, ob_w, n, mm_w, mb_w
      printf "        fixed cost %.1f ms, added per monitored test %.2f us\n",
             (om_w - ob_w) / 1000, ((mm_w - mb_w) - (om_w - ob_w)) / (n - 1)
      printf "  CPU of the test process: added per monitored test %.2f us\n",
             ((mm_c - mb_c) - (om_c - ob_c)) / (n - 1) }' "$dir/figures"
}
report "with the importer process (default)" 1 2 3 4
report "PYMON_BACKGROUND_IMPORT=0 (the test process stores its rows)" 1 5 3 6
report "exec'd by a 30 MB runner, with the importer" 7 8 9 10
