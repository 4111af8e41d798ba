#!/bin/bash
# Compile-time overhead of a pymon plugin: compiles a suite with and without
# -fplugin, alternating, RUNS times, and prints the median and the minimum
# CPU time (user + system) of each and the overhead in percent.  The suite is
# a generated file of 300 tests and as many helpers (asserts, loops,
# strings), or every *.c file of DIR compiled there with CFLAGS (a real
# suite, e.g. the tests/ of Debian's check source package).  The compiler is
# gcc for pymon.so, clang-14 for pymon-clang.so.
#
#   bench/gcc-plugin-compile-time.sh [PLUGIN] [RUNS] [OPT] [DIR [CFLAGS...]]
set -eu
plugin=${1:-${PYMON_TEST_GCC_PLUGIN:-build/gcc-plugin/pymon.so}}
runs=${2:-9}
opt=${3:--O2}
tree=${4:-}
shift $(($# < 4 ? $# : 4))
cflags=("$@")
[ -f "$plugin" ] || { echo "no plugin at '$plugin'; pass its path" >&2; exit 2; }
case $(basename "$plugin") in
  *clang*) cc=clang-14 ;;
  *) cc=gcc ;;
esac
plugin=$(cd "$(dirname "$plugin")" && pwd)/$(basename "$plugin")

dir=$(mktemp -d "${TMPDIR:-/tmp}/pymon-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
if [ -n "$tree" ]; then
  [ -d "$tree" ] || { echo "no source directory '$tree'" >&2; exit 2; }
  cd "$tree"
  sources=(*.c)
  what="$tree: ${#sources[@]} files, $(cat "${sources[@]}" | wc -l) lines"
else
  sources=("$dir/test_generated.c")
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
  } > "${sources[0]}"
  what="300 tests + 300 helpers ($(wc -l < "${sources[0]}") lines)"
fi

# CPU time of compiling every source once, in ms: wall time is too noisy on
# a shared machine.
compile_ms() { # flags...
  local t
  t=$( { TIMEFORMAT='%3U %3S'; time for f in "${sources[@]}"; do
           "$cc" $opt "${cflags[@]}" "$@" -c "$f" -o "$dir/out.o" || exit 1
         done; } 2>&1 ) || { echo "compiling failed: $t" >&2; exit 1; }
  echo "$t" | awk '{ printf "%d\n", ($1 + $2) * 1000 }'
}
stats() { # times... : "median min"
  printf '%s\n' "$@" | sort -n |
    awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)], a[1] }'
}

without=() with=()
for _ in $(seq 1 "$runs"); do
  without+=("$(compile_ms)")
  with+=("$(compile_ms "-fplugin=$plugin")")
done
read -r base_med base_min <<< "$(stats "${without[@]}")"
read -r with_med with_min <<< "$(stats "${with[@]}")"
tests=0
for f in "${sources[@]}"; do
  n=$("$cc" $opt "${cflags[@]}" "-fplugin=$plugin" -fplugin-arg-pymon-verbose \
        -c "$f" -o "$dir/out.o" 2>&1 | grep -c 'pymon: instrumenting' || true)
  tests=$((tests + n))
done
echo "source: $what, $cc $opt ${cflags[*]}, $runs runs each"
echo "instrumented functions: $tests"
echo "without plugin: median ${base_med} ms, min ${base_min} ms CPU"
echo "with plugin:    median ${with_med} ms, min ${with_min} ms CPU"
awk -v a="$base_med" -v b="$with_med" -v c="$base_min" -v d="$with_min" 'BEGIN {
  printf "overhead:       %.1f %% (medians), %.1f %% (minima)\n", (b - a) * 100 / a, (d - c) * 100 / c }'
