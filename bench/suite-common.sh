# suite-common.sh - shared by the benchmarks: timing a command over several
# runs, medians, and the set-up of those that build a program bare and with
# the GCC plugin.
# shellcheck shell=bash

# median: the median of the numbers on stdin, one per line.
median() {
  sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

# median_wall_us RUNS command...: the median wall time of RUNS runs of the
# command, in microseconds.  A failing run fails the pipeline (pipefail).
median_wall_us() {
  local runs=$1 t0 t1
  shift
  for _ in $(seq 1 "$runs"); do
    t0=$(date +%s%N)
    "$@" || return 1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000))
  done | median
}

# plugin_bench_setup NAME BUILD_DIR: the GCC plugin, the runtime and
# bench/run-rounds of BUILD_DIR (NAME says which script stops when one is
# missing) in $plugin, $rounds_tool, $inc and $libdir; a scratch directory
# $dir, removed at exit; no PYMON_* variable left from the caller.
plugin_bench_setup() {
  local name=$1 build=$2 lib v
  plugin=$build/gcc-plugin/pymon.so
  rounds_tool=$build/bench/run-rounds
  lib=$build/runtime/libpymon.so
  [ -f "$plugin" ] && [ -f "$lib" ] && [ -x "$rounds_tool" ] ||
    { echo "$name: no GCC plugin, runtime or bench/run-rounds in '$build'" >&2; exit 2; }
  inc=$(cd "$(dirname "${BASH_SOURCE[0]}")/../runtime/include" && pwd)
  libdir=$(cd "$(dirname "$lib")" && pwd)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pymon-bench.XXXXXX")
  trap 'rm -rf "$dir"' EXIT
  for v in $(env | sed -n 's/^\(PYMON_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done
}

# build_pair SOURCE NAME: $dir/NAME-bare and $dir/NAME-monitored (GCC
# plugin and runtime), both at -O2.
build_pair() {
  gcc -O2 "$1" -o "$dir/$2-bare"
  gcc -O2 "-fplugin=$plugin" -I"$inc" "$1" -o "$dir/$2-monitored" \
    -L"$libdir" -lpymon -Wl,-rpath,"$libdir"
}
