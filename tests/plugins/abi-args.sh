#!/bin/bash
# The plugin's side of the ABI, checked with a stand-in pymon_enter/exit
# (src/standin.c) that prints what it receives: every argument kind, the site
# fields, exit on every path (return, goto, musttail, cleanup variables,
# results returned in memory, C++ exception),
# noinline, the dense pymon_sites section, at -O0..-O3, -g and LTO.
#   abi-args.sh gcc|clang [options...]
# With options: one C build with each instead of the default list, and no
# C++ builds (tests/gcc-plugin/ggc.sh).
. "$(dirname "$0")/common.sh" "${1:-}"
shift

if [ $# -gt 0 ]; then
  c_opts=("$@") cxx_opts=()
else
  c_opts=(-O0 -O1 "-O2 -g" -O3 "-O2 $LTO" "-O3 -g $LTO" "-O1 -fexceptions")
  cxx_opts=(-O0 "-O2 -g" "-O3 $LTO")
fi
cp "$TP_SRC/args.c" "$TP_SRC/exc.cc" .
build_standin standin.o

expected_kinds="enter test_kinds abi=3 flags=1 line=9 file=args.c comp=abi suite=- i=k1:-1 u=u:7 ll=k1:-1234567890123 us=u:65535 d=f:1.5 f=f:2.5 ld=f:3.25 c=k4:120 sc=k1:-3 b=k5:1 col=e:5/GREEN/3 s=s:hi ns=s:NULL via=enter_args"
expected_struct="enter test_after_struct abi=3 flags=1 line=19 file=args.c comp=abi suite=- n=k1:42 s=s:tail via=enter_args"
for opt in "${c_opts[@]}"; do
  # shellcheck disable=SC2086
  $CC $opt -Wall -Wextra -Werror "$PLUGIN" -I"$TL_INC" args.c standin.o -o args \
    || tl_fail "build with $opt"
  out=$(./args)
  tl_expect_eq "$(echo "$out" | grep '^enter test_kinds')" "$expected_kinds" \
    "every argument kind converted at $opt"
  tl_expect_eq "$(echo "$out" | grep '^enter test_after_struct')" "$expected_struct" \
    "arguments after a by-value struct at $opt"
  tl_expect_eq "$(echo "$out" | grep -c '^enter test_paths')" 3 \
    "test_paths entered three times at $opt"
  tl_expect_eq "$(echo "$out" | grep -cx 'exit test_paths')" 3 \
    "test_paths left by return, loop and goto at $opt"
  tl_expect_eq "$(echo "$out" | grep -cx 'exit test_tail')" 1 \
    "test_tail exits before its (musttail) tail call at $opt"
  tl_expect_eq "$(echo "$out" | grep -cx 'exit test_big_result')" 2 \
    "test_big_result left by both returns at $opt"
  tl_expect_eq "$(echo "$out" | grep -E '^(cleanup|exit test_cleanup)' | tr '\n' ' ')" \
    "cleanup 1 exit test_cleanup cleanup 0 exit test_cleanup " \
    "cleanup variables run before pymon_exit on every return at $opt"
  tl_expect_eq "$(echo "$out" | grep -E '^([0-9]|sites)' | tr '\n' ' ')" "1 2 3 9 0 3 1 0 sites 6 " \
    "results unchanged and six sites in pymon_sites at $opt"
  tl_expect_match "$(nm args)" " t test_paths" \
    "static test_paths not inlined at $opt"
done

# The descriptors: a writable section of 72-byte (8-aligned) sites, no gaps.
$CC -O2 "$PLUGIN" -I"$TL_INC" -c args.c -o args.o || tl_fail "compile args.o"
sec=$(readelf -S -W args.o | grep ' pymon_sites ')
tl_expect_match "$sec" "PROGBITS .* 0001b0 00  WA  0   0  8" \
  "pymon_sites holds 6 x 72 bytes, writable, 8-aligned"
tl_expect_eq "$(objdump -dr args.o | grep -c "R_X86_64_PLT32[[:space:]]*pymon_enter")" 6 \
  "six calls to pymon_enter in the object"

# C++: exceptions leaving the test run pymon_exit; caught ones do not.
expected="enter test_throws abi=3 flags=1 line=9 file=exc.cc comp=- suite=- n=k1:1 via=enter_args exit test_throws caught enter test_catches abi=3 flags=1 line=10 file=exc.cc comp=- suite=- n=k1:1 via=enter_args inner exit test_catches enter test_rethrows abi=3 flags=1 line=13 file=exc.cc comp=- suite=- n=k1:1 via=enter_args rethrow exit test_rethrows caught enter test_in_namespace abi=3 flags=1 line=16 file=exc.cc comp=- suite=- b=k5:0 via=enter_args exit test_in_namespace "
for opt in "${cxx_opts[@]}"; do
  # shellcheck disable=SC2086
  $CXX $opt -Wall -Wextra -Werror "$PLUGIN" -I"$TL_INC" exc.cc standin.o -o exc \
    || tl_fail "$CXX build with $opt"
  tl_expect_eq "$(./exc | tr '\n' ' ')" "$expected" \
    "C++ exceptions run pymon_exit at $opt"
done
tl_done
