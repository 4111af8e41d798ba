#!/bin/bash
# How the pass gets loaded: -fplugin alone is enough; adding -fpass-plugin
# for the same file does not instrument twice; -fpass-plugin alone says it
# cannot work; -flegacy-pass-manager (which drops pass plugins) is an error
# instead of a build that silently measures nothing.
. "$(dirname "$0")/../plugins/common.sh" clang
so=${PLUGIN#-fplugin=}

cat > t.c <<'C'
#include <stdio.h>
void test_one(int n) { printf("%d\n", n); }
int main(void) { test_one(1); return 0; }
C
build_standin standin.o

entries() { ./t | grep -c '^enter test_one'; }
$CC -O2 "$PLUGIN" t.c standin.o -o t || tl_fail "build with -fplugin"
tl_expect_eq "$(entries)" 1 "-fplugin alone instruments"
$CC -O2 "$PLUGIN" -fpass-plugin="$so" t.c standin.o -o t || tl_fail "build with both"
tl_expect_eq "$(entries)" 1 "-fplugin with -fpass-plugin instruments once"
ln -s "$so" other-name.so
$CC -O2 "$PLUGIN" -fpass-plugin=./other-name.so t.c standin.o -o t \
  || tl_fail "build with both, other path"
tl_expect_eq "$(entries)" 1 "same file under another path instruments once"

out=$($CC -O2 -fpass-plugin="$so" t.c standin.o -o t 2>&1)
tl_expect_match "$out" "pymon: warning: the pymon pass runs without its frontend half; load it with -fplugin=" \
  "-fpass-plugin alone warns"
tl_expect_eq "$(entries)" 0 "-fpass-plugin alone instruments nothing"

out=$($CC -O2 "$PLUGIN" -flegacy-pass-manager -c t.c -o t.o 2>&1)
tl_expect_eq "$?" 1 "-flegacy-pass-manager fails the build"
tl_expect_eq "$out" "error: pymon: -flegacy-pass-manager drops pass plugins, so pymon cannot instrument this file; remove -flegacy-pass-manager or the plugin
1 error generated." "-flegacy-pass-manager message"
out=$($CC -O2 "$PLUGIN" -fplugin-arg-pymon-disable -flegacy-pass-manager -c t.c -o t.o 2>&1)
tl_expect_eq "$?:$out" "0:" "disable with the legacy pass manager builds quietly"
tl_done
