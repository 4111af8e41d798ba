#!/bin/bash
# Functions the plugin does not select are compiled exactly as without it:
# a file without tests gives the same object, and in a file with tests the
# other functions keep their instructions.
#   unchanged.sh gcc|clang
. "$(dirname "$0")/common.sh" "$@"
cp "$TP_SRC/no_tests.c" "$TP_SRC/next_to_test.c" .

for opt in -O0 -O1 -O2 -O3 -Os; do
  $CC $opt -c no_tests.c -o without.o && $CC $opt "$PLUGIN" -c no_tests.c -o with.o \
    || tl_fail "compile at $opt"
  cmp -s without.o with.o
  tl_expect_eq "$?" 0 "object without tests is byte-identical at $opt"
done
# -g records the command line (with -fplugin) in DW_AT_producer: compare code.
$CC -O2 -g -c no_tests.c -o without.o && $CC -O2 -g "$PLUGIN" -c no_tests.c -o with.o \
  || tl_fail "compile with -g"
tl_expect_eq "$(objdump -dr with.o | tail -n +3 | md5sum)" \
  "$(objdump -dr without.o | tail -n +3 | md5sum)" "same code with -g"
# LTO: the bytecode records options too; compare the linked program.
$CC -O2 $LTO no_tests.c -o without && $CC -O2 $LTO "$PLUGIN" no_tests.c -o with \
  || tl_fail "link with $LTO"
tl_expect_eq "$(objdump -d with | tail -n +3 | md5sum)" \
  "$(objdump -d without | tail -n +3 | md5sum)" "same program with $LTO"

for opt in -O0 -O2 -O3; do
  $CC $opt -c next_to_test.c -o without.o && $CC $opt "$PLUGIN" -c next_to_test.c -o with.o \
    || tl_fail "compile next_to_test.c at $opt"
  for fn in compute setup; do
    a=$(code_of with.o $fn)
    [ -n "$a" ] || tl_fail "no code for $fn"
    tl_expect_eq "$a" "$(code_of without.o $fn)" \
      "$fn unchanged next to a test at $opt"
  done
  tl_expect_eq "$(objdump -dr --disassemble=test_compute with.o | grep -c 'pymon_e[nx]')" 2 \
    "test_compute calls pymon_enter and pymon_exit at $opt"
done
tl_done
