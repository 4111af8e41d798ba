#!/bin/bash
# The stack pointer the runtime reads at pymon_enter and pymon_exit (the
# caller's, see abi.h) is at a test's exit not below the one at its enter
# (equal, or above when the exit is a tail call) whatever its frame size,
# optimization level and plugin, and lower for a test called by a test: the
# order the runtime's longjmp handling relies on.  And the
# instrumentation gives no function a frame pointer it would not have
# without the plugin.
#   frame.sh gcc|clang
. "$(dirname "$0")/common.sh" "$@"
cp "$TP_SRC"/frame_*.c .

# The other compiler's plugin, when there is one, builds renamed copies of
# the tests, at another -O level, that main calls from the same frame.
other=
case $CC in gcc) other_cc=clang-14 ;; *) other_cc=gcc ;; esac
if command -v "$other_cc" >/dev/null && other_flag=$( (tl_plugin_flag "$other_cc") 2>/dev/null); then
  other=yes
  renames=(-Dtest_small=test_small2 -Dtest_big=test_big2 -Dtest_early=test_early2
           -Dtest_outer=test_outer2)
  sed -e 's/^  test_\([a-z]*\)(\(.*\));/&\n  test_\12(\2);/' \
      -e 's/^\(void\|int\) test_\([a-z]*\)(\(.*\));/&\n\1 test_\22(\3);/' frame_main.c > main2.c
  mv main2.c frame_main.c
fi

for opt in -O0 -O2 -O3; do
  objs=(tests.o)
  $CC $opt "$PLUGIN" -I"$TL_INC" -c frame_tests.c -o tests.o || tl_fail "compile the tests at $opt"
  if [ -n "$other" ]; then
    other_opt=-O0
    [ "$opt" = -O0 ] && other_opt=-O2
    $other_cc $other_opt "$other_flag" -I"$TL_INC" "${renames[@]}" -c frame_tests.c -o other.o ||
      tl_fail "compile the tests with $other_cc at $opt"
    objs+=(other.o)
  fi
  $CC -O2 -I"$TL_INC" frame_main.c frame_runtime.c "${objs[@]}" -o frames ||
    tl_fail "link at $opt"
  ./frames > probes.txt || tl_fail "run at $opt"
  calls=6; [ -n "$other" ] && calls=12
  tl_expect_eq "$(grep -c '^enter' probes.txt)" "$calls" "every test entered once at $opt"
  # Pairs enter/exit by nesting; checks the order of stack pointers.
  tl_expect_eq "$(awk '
      $1 == "enter" { if (d > 0 && $3 + 0 >= f[d] + 0) bad = bad " nested:" $2
                      n[++d] = $2; f[d] = $3 }
      $1 == "exit"  { if (n[d] != $2 || $3 + 0 < f[d] + 0) bad = bad " exit:" $2; d-- }
      END { print (bad == "" && d == 0) ? "ok" : "bad" bad }' probes.txt)" ok \
    "stack pointers at exit not below enter, lower when nested at $opt"
done
[ -n "$other" ] || echo "note: $other_cc or its plugin missing, GCC and Clang frames not compared"

# One function's code sets up a frame pointer.
has_frame_pointer() { # object function
  code_of "$1" "$2" | grep -qE 'mov +%rsp,%rbp'
}
without_fp=0
for opt in -O1 -O2 -O3 -Os; do
  $CC $opt -c frame_tests.c -o without.o && $CC $opt "$PLUGIN" -I"$TL_INC" -c frame_tests.c -o with.o ||
    tl_fail "compile at $opt"
  for fn in test_small test_big test_early test_outer; do
    has_frame_pointer without.o $fn && continue
    without_fp=$((without_fp + 1))
    has_frame_pointer with.o $fn
    tl_expect_eq "$?" 1 "$fn gets no frame pointer from the plugin at $opt"
  done
done
tl_expect_range "$without_fp" 4 16 "functions without a frame pointer compared"
tl_done
