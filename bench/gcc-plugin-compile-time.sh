#!/bin/bash
# Compile-time overhead of the GCC plugin on a real-ish suite: a generated
# file of 300 test functions plus as many helpers (asserts, loops, strings),
# compiled with and without -fplugin=pymon.so; prints the median of RUNS
# compilations of each and the overhead in percent.
#
#   bench/gcc-plugin-compile-time.sh [path/to/pymon.so] [RUNS] [OPT]
set -eu
plugin=${1:-${PYMON_TEST_GCC_PLUGIN:-build/gcc-plugin/pymon.so}}
runs=${2:-9}
opt=${3:--O2}
[ -f "$plugin" ] || { echo "no plugin at '$plugin'; pass its path" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/pymon-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
src=$dir/test_generated.c
{
  echo '#include <assert.h>'
  echo '#include <stdio.h>'
  echo '#include <stdlib.h>'
  echo '#include <string.h>'
  echo 'static int failures;'
  echo '#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)'
  for i in $(seq 1 300); do
    cat <<C
static int helper_$i(const char *s, int n) {
  int acc = 0;
  for (int k = 0; k < n; k++) acc += s[k % (int)strlen(s)] * (k + $i);
  return acc;
}
void test_case_$i(void) {
  char buf[64];
  snprintf(buf, sizeof buf, "case-%d-%s", $i, "abc");
  int *v = malloc(16 * sizeof *v);
  for (int k = 0; k < 16; k++) v[k] = helper_$i(buf, k);
  CHECK(v[0] == 0);
  CHECK(strlen(buf) > 4);
  if (v[15] < 0) { free(v); return; }
  free(v);
}
C
  done
  echo 'int main(void) {'
  for i in $(seq 1 300); do echo "  test_case_$i();"; done
  echo '  return failures != 0;'
  echo '}'
} > "$src"

# CPU time (user + system) of the compiler, in ms: wall time is too noisy
# on a shared machine.
median_ms() { # compiler flags...
  local times=() t
  for _ in $(seq 1 "$runs"); do
    t=$( { TIMEFORMAT='%3U %3S'; time "$@" -c "$src" -o "$dir/out.o"; } 2>&1 )
    times+=("$(echo "$t" | awk '{ printf "%d", ($1 + $2) * 1000 }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

base=$(median_ms gcc $opt)
with=$(median_ms gcc $opt "-fplugin=$plugin")
tests=$(gcc $opt "-fplugin=$plugin" -fplugin-arg-pymon-verbose -c "$src" \
  -o "$dir/out.o" 2>&1 | grep -c 'pymon: instrumenting' || true)
echo "source: 300 tests + 300 helpers ($(wc -l < "$src") lines), gcc $opt, median of $runs"
echo "instrumented functions: $tests"
echo "without plugin: ${base} ms CPU"
echo "with plugin:    ${with} ms CPU"
awk -v a="$base" -v b="$with" 'BEGIN { printf "overhead:       %.1f %%\n", (b - a) * 100 / a }'
