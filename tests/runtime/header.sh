# pymon.h compiles warning-free with GCC and Clang, as C and C++, with the
# strictest usual flags, without a plugin (with a plugin: the plugin tests).
. "$(dirname "$0")/../lib/testlib.sh"

src=$PYMON_TEST_SOURCE_DIR/tests/runtime/markers.c
flags="-Wall -Wextra -Werror -Wpedantic -I$TL_INC"
for cc in gcc clang; do
  command -v $cc >/dev/null || continue
  for std in c99 c11 c17 gnu11; do
    out=$($cc $flags -std=$std -c "$src" -o markers.o 2>&1)
    tl_expect_eq "$?:$out" "0:" "$cc -std=$std compiles the markers cleanly"
  done
done
for cxx in g++ clang++; do
  command -v $cxx >/dev/null || continue
  out=$($cxx $flags -std=c++17 -x c++ -c "$src" -o markers.o 2>&1)
  tl_expect_eq "$?:$out" "0:" "$cxx compiles the markers cleanly as C++"
done
# The markers change nothing at run time without a plugin.
tl_cc gcc "$src" -o markers || tl_fail "cannot link the marker test"
./markers
tl_expect_eq "$?" 0 "the program runs unchanged"
tl_expect_eq "$(ls -A | grep -c '^\.pymon$')" 0 "without a plugin nothing is monitored"
tl_done
