#!/bin/bash
# Cost per forked test child, as Check's fork mode runs tests: a runner
# that forks CHILDREN children one after another, each running one tiny
# test and exiting, built bare and with the GCC plugin, timed in
# interleaved rounds (bench/run-rounds, a fresh database each run).  The
# runner monitors nothing itself: from its second fork on it holds the
# database and stores its children's rows (docs/robustness.md, "Threads
# and forks").  CPU time is the runner's and its children's (wait4).
#
#   bench/fork-overhead.sh [BUILD_DIR] [CHILDREN] [ROUNDS]   (default: build 200 9)
set -eu -o pipefail
. "$(dirname "$0")/suite-common.sh"
build=${1:-build}
children=${2:-200}
rounds=${3:-9}
case $children$rounds in *[!0-9]*|'') echo "fork-overhead.sh: CHILDREN and ROUNDS must be numbers" >&2; exit 2 ;; esac
[ "$children" -ge 1 ] || { echo "fork-overhead.sh: CHILDREN must be at least 1" >&2; exit 2; }
plugin_bench_setup fork-overhead.sh "$build"

cat >"$dir/runner.c" <<'C'
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
volatile unsigned long sink;
void test_in_child(void) { sink += 1; }
int main(int argc, char **argv) {
  int n = atoi(argv[1]);
  for (int i = 0; i < n; i++) {
    pid_t child = fork();
    if (child == 0) {
      test_in_child();
      exit(0);
    }
    int status;
    if (child < 0 || waitpid(child, &status, 0) != child || status != 0) return 1;
  }
  return 0;
}
C
build_pair "$dir/runner.c" runner
echo "gcc -O2, $children children, median of $rounds rounds ($(nproc) cores, Linux $(uname -r), load $(cut -d' ' -f1 /proc/loadavg))"
export PYMON_INVOCATION_DIR=$dir
"$rounds_tool" "$rounds" "$dir/.pymon" "$dir/runner-bare $children" "$dir/runner-monitored $children" >"$dir/figures"
rm -f "$dir/.pymon"
"$dir/runner-monitored" "$children"
echo "(one more monitored run stored $(sqlite3 "$dir/.pymon" "SELECT count(*) FROM TEST_METRICS") rows)"
awk -v n="$children" 'NR == 1 { bw = $1; bc = $2 } NR == 2 { mw = $1; mc = $2 }
  END {
    printf "wall: bare %.1f ms, monitored %.1f ms, added per child %.2f ms\n", bw / 1000, mw / 1000, (mw - bw) / n / 1000
    printf "CPU:  bare %.1f ms, monitored %.1f ms, added per child %.2f ms\n", bc / 1000, mc / 1000, (mc - bc) / n / 1000 }' \
  "$dir/figures"
