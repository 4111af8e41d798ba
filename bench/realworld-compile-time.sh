#!/bin/bash
# Compile-time overhead of the pymon plugins on a real test suite: the test
# sources of Debian's `check` package (Check's own suite: 21 files, 350
# functions the plugin instruments), each compiled with -g OPT (default -O2,
# as Debian builds them), bare and with the plugin, under GCC and Clang.
# Prints the median over RUNS of the compilers' CPU time (user + system) for
# all files, and the overhead in percent.  Then the same for the whole
# package build a user runs, plugin in CFLAGS: `make` (library, checkmk)
# and `make check TESTS=` (the test programs, linked with libpymon).
#
#   bench/realworld-compile-time.sh [BUILD_DIR] [RUNS] [OPT]   (as root: apt-get)
set -eu -o pipefail
. "$(dirname "$0")/suite-common.sh"
build=${1:-build}
runs=${2:-5}
opt=${3:--O2}
case $runs in ''|*[!0-9]*) echo "realworld-compile-time.sh: RUNS must be a number" >&2; exit 2 ;; esac
[ -d "$build" ] || { echo "realworld-compile-time.sh: no build directory '$build'" >&2; exit 2; }
build=$(cd "$build" && pwd)   # the compilers run in the suite's directory
gcc_plugin=$build/gcc-plugin/pymon.so
clang_plugin=$build/clang-plugin/pymon-clang.so
runtime=$build/runtime
[ -f "$gcc_plugin" ] || { echo "realworld-compile-time.sh: no GCC plugin in '$build'" >&2; exit 2; }
inc=$(cd "$(dirname "$0")/../runtime/include" && pwd)

dir=$(mktemp -d /var/tmp/pymon-compile-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$(dirname "$0")/../tests/real-world/fetch.sh" "$dir" check >/dev/null
src=$(ls -d "$dir"/src/check-[0-9]*/)
# configure and build the library: the tests include the generated check.h
(cd "$src" && autoreconf -fi && ./configure CFLAGS="-g -O2" && make -C lib && make -C src) \
  >"$dir/build.log" 2>&1 || { tail -20 "$dir/build.log"; exit 1; }
files=$(cd "$src/tests" && ls check_*.c)

# cpu_ms <compiler> [flags...]: median CPU time of compiling every file.
cpu_ms() {
  local t
  for _ in $(seq 1 "$runs"); do
    t=$( { TIMEFORMAT='%3U %3S'; time (cd "$src/tests" && for f in $files; do
           "$@" -DHAVE_CONFIG_H -I. -I.. -I../src -I../lib -g "$opt" -c "$f" -o /dev/null || exit 1
         done); } 2>&1 ) || { echo "$t" >&2; exit 1; }
    echo "$t" | awk '{ printf "%d\n", ($1 + $2) * 1000 }'
  done | median
}

instrumented() { # <compiler> <plugin>: functions the plugin instruments
  (cd "$src/tests" && for f in $files; do
     "$1" "-fplugin=$2" -fplugin-arg-pymon-verbose -I"$inc" -DHAVE_CONFIG_H -I. -I.. -I../src -I../lib \
       -g "$opt" -c "$f" -o /dev/null 2>&1
   done) | grep -c 'pymon: instrumenting' || true
}

echo "source: check $(basename "$src" | sed 's/check-//') tests/check_*.c ($(cd "$src/tests" && cat $files | wc -l) lines, $(echo $files | wc -w) files), -g $opt, median of $runs"
for cc in gcc clang; do
  plugin=$gcc_plugin
  [ $cc = clang ] && plugin=$clang_plugin
  [ -f "$plugin" ] || { echo "$cc: no plugin built, skipped"; continue; }
  base=$(cpu_ms $cc)
  with=$(cpu_ms $cc "-fplugin=$plugin" -I"$inc")
  awk -v cc="$cc" -v a="$base" -v b="$with" -v n="$(instrumented $cc "$plugin")" \
    'BEGIN { printf "%-5s %d functions instrumented: %d ms CPU bare, %d ms with plugin, overhead %+.1f %%\n", cc, n, a, b, (b - a) * 100 / a }'
done

# build_ms <compiler> [plugin]: median CPU time of the package build, from
# clean, with the configured CFLAGS (-g -O2 and warnings) and -g OPT.
cflags=$(sed -n 's/^CFLAGS = //p' "$src/Makefile")
libs=$(sed -n 's/^LIBS = //p' "$src/Makefile")
build_ms() {
  local t cc=$1 extra=() link=()
  [ -n "${2:-}" ] && extra=("-fplugin=$2" "-I$inc") &&
    link=("-L$runtime" -lpymon "-Wl,-rpath,$runtime")
  for _ in $(seq 1 "$runs"); do
    make -C "$src" clean >/dev/null 2>&1
    t=$( { TIMEFORMAT='%3U %3S'; time make -C "$src" CC="$cc" CFLAGS="$cflags -g $opt ${extra[*]}" \
           LIBS="$libs ${link[*]}" all check TESTS= >"$dir/make.log" 2>&1; } 2>&1 ) ||
      { tail -20 "$dir/make.log" >&2; exit 1; }
    echo "$t" | awk '{ printf "%d\n", ($1 + $2) * 1000 }'
  done | median
}
echo "whole build: make all check TESTS= (library, checkmk, test programs), -g $opt, median of $runs"
for cc in gcc clang; do
  plugin=$gcc_plugin
  [ $cc = clang ] && plugin=$clang_plugin
  [ -f "$plugin" ] || continue
  base=$(build_ms $cc)
  with=$(build_ms $cc "$plugin")
  awk -v cc="$cc" -v a="$base" -v b="$with" \
    'BEGIN { printf "%-5s whole build: %d ms CPU bare, %d ms with plugin, overhead %+.1f %%\n", cc, a, b, (b - a) * 100 / a }'
done
