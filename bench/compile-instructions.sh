#!/bin/bash
# Instructions executed compiling every *.c of a directory, bare and with a
# pymon plugin: valgrind's count (cachegrind, no cache simulation) of the
# driver, compiler and assembler together, summed over the files.  Unlike
# CPU time it does not move with other work on the machine.  Compiler: gcc
# for pymon.so, clang-14 for pymon-clang.so.
#
#   bench/compile-instructions.sh PLUGIN DIR [CFLAGS...]
#   e.g. bench/compile-instructions.sh build/gcc-plugin/pymon.so check-0.15.2/tests \
#          -DHAVE_CONFIG_H -I. -I.. -I../src -g -O2
set -eu -o pipefail
[ $# -ge 2 ] || { echo "usage: $0 PLUGIN DIR [CFLAGS...]" >&2; exit 2; }
plugin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
shift 2
[ -f "$plugin" ] || { echo "no plugin at '$plugin'" >&2; exit 2; }
[ -d "$dir" ] || { echo "no source directory '$dir'" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
case $(basename "$plugin") in *clang*) cc=clang-14 ;; *) cc=gcc ;; esac
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cd "$dir"

# instructions [flags...]: the sum over every *.c of this directory.
instructions() {
  local f total=0 n
  for f in *.c; do
    n=$(valgrind --tool=cachegrind --cache-sim=no --trace-children=yes \
          --cachegrind-out-file=/dev/null "$cc" "$@" -c "$f" -o "$out" 2>&1 |
        sed -n 's/.*I *refs: *//p' | tr -d , | awk '{ s += $1 } END { printf "%d\n", s }')
    total=$((total + n))
  done
  echo "$total"
}

bare=$(instructions "$@")
with=$(instructions "$@" "-fplugin=$plugin")
echo "$cc $*: $(ls ./*.c | wc -l) files"
awk -v b="$bare" -v w="$with" 'BEGIN {
  printf "bare %.1f M, with plugin %.1f M instructions: %+.1f %%\n", b / 1e6, w / 1e6, (w - b) * 100 / b }'
