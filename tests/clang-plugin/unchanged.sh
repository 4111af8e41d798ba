#!/bin/bash
# Functions the Clang plugin does not select are compiled exactly as without
# it: a file without tests gives the same code, and in a file with tests the
# other functions keep their instructions.
. "$(dirname "$0")/common.sh"

cat > lib.c <<'C'
#include <string.h>
static int helper(int x) { return x * 3 + 1; }
int compute(const char *s) {
  int n = 0;
  for (size_t i = 0; i < strlen(s); i++) n += helper(s[i]);
  return n;
}
int setup(void) { return compute("abc"); }
int main(void) { return setup() == 0; }
C
for opt in -O0 -O1 -O2 -O3 -Os; do
  $CC $opt -c lib.c -o without.o && $CC $opt "$PLUGIN" -c lib.c -o with.o \
    || tl_fail "compile at $opt"
  cmp -s without.o with.o
  tl_expect_eq "$?" 0 "object without tests is byte-identical at $opt"
done
$CC -O2 -g -c lib.c -o without.o && $CC -O2 -g "$PLUGIN" -c lib.c -o with.o \
  || tl_fail "compile with -g"
tl_expect_eq "$(objdump -dr with.o | tail -n +3 | md5sum)" \
  "$(objdump -dr without.o | tail -n +3 | md5sum)" "same code with -g"
$CC -O2 -flto=thin lib.c -o without && $CC -O2 -flto=thin "$PLUGIN" lib.c -o with \
  || tl_fail "link with -flto=thin"
tl_expect_eq "$(objdump -d with | tail -n +3 | md5sum)" \
  "$(objdump -d without | tail -n +3 | md5sum)" "same program with -flto=thin"

# One function's instructions, without addresses (they move when a test
# before it grows).
code_of() { # object function
  objdump -d --disassemble="$2" "$1" | awk -F'\t' '/^ +[0-9a-f]+:\t/ { print $3 }' |
    sed -e 's/[0-9a-f]* <\([^>]*\)>/<\1>/g' -e 's/ *#.*//'
}

cat > mixed.c <<'C'
#include <string.h>
int compute(const char *s) {
  int n = 0;
  for (size_t i = 0; i < strlen(s); i++) n += s[i] * 3;
  return n;
}
void test_compute(void) { (void)compute("x"); }
int setup(int k) { return k > 3 ? compute("abc") : -k; }
C
for opt in -O0 -O2 -O3; do
  $CC $opt -c mixed.c -o without.o && $CC $opt "$PLUGIN" -c mixed.c -o with.o \
    || tl_fail "compile mixed at $opt"
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
