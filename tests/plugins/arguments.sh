#!/bin/bash
# Plugin arguments (docs/plugin-arguments.md): bad ones are compile errors
# with the documented texts, the same under both compilers; verbose,
# disable, select, exclude, frameworks.
#   arguments.sh gcc|clang
. "$(dirname "$0")/common.sh" "$@"
cp "$TP_SRC/selection.c" t.c

compile() { # plugin args... ; prints diagnostics, returns the compiler's status
  local args=()
  for a in "$@"; do args+=("-fplugin-arg-pymon-$a"); done
  diagnostics_of $CC -c "$PLUGIN" "${args[@]}" t.c -o t.o
}

expect_error() { # text arg...
  local text=$1 out status
  shift
  out=$(compile "$@")
  status=$?
  tl_expect_eq "$status" 1 "exit status for $*"
  tl_expect_eq "$out" "error: $text" "message (the only diagnostic) for $*"
}

frameworks="expected a comma list of: generic, unity, check, criterion, libuv, clar, cmocka, munit, greatest, or none"
expect_error "pymon: unknown plugin argument 'selct'; expected one of: select, exclude, frameworks, verbose, disable" selct=x
for a in select exclude frameworks; do
  expect_error "pymon: plugin argument '$a' needs a value, e.g. -fplugin-arg-pymon-$a=VALUE" $a
done
expect_error "pymon: plugin argument 'verbose' takes no value" verbose=1
expect_error "pymon: plugin argument 'disable' takes no value" disable=yes
expect_error "pymon: unknown framework 'gtest' in frameworks=...; $frameworks" frameworks=generic,gtest
expect_error "pymon: unknown framework '' in frameworks=...; $frameworks" frameworks=
expect_error "pymon: empty pattern in select=..." select=a,,b
expect_error "pymon: empty pattern in select=..." select=
expect_error "pymon: empty pattern in exclude=..." exclude=a,

selected() { # args... : the names the plugin says it instruments
  compile verbose "$@" | sed -n "s/.*$REMARK: pymon: instrumenting '\([^']*\)'.*/\1/p" | sort | tr '\n' ' '
}
tl_expect_eq "$(selected)" "test_one " "defaults select test_one only"
tl_expect_eq "$(selected 'select=check_*,verify_?hree')" "check_two test_one verify_three " \
  "select adds patterns"
tl_expect_eq "$(selected 'select=check_*' 'select=helper_*')" "check_two helper_four test_one " \
  "repeated select arguments accumulate"
tl_expect_eq "$(selected 'select=*' 'exclude=helper_*,test_[o]ne')" "check_two verify_three " \
  "exclude wins over presets and select"
tl_expect_eq "$(selected frameworks=none)" "" "frameworks=none selects nothing by name"
tl_expect_eq "$(selected frameworks=none select=helper_four)" "helper_four " \
  "frameworks=none keeps select patterns"
tl_expect_eq "$(selected frameworks=none frameworks=generic)" "test_one " \
  "the last frameworks= wins"
tl_expect_match "$(compile verbose)" "t.c:2:6: $REMARK: pymon: instrumenting 'test_one' \(framework generic\)" \
  "verbose $REMARK text"
out=$(compile disable verbose)
tl_expect_eq "$out" "" "disable: no ${REMARK}s"
tl_expect_eq "$(objdump -h t.o | grep -c pymon_sites)" 0 "disable: no descriptors"
compile >/dev/null || tl_fail "compile with the plugin"
tl_expect_eq "$(objdump -h t.o | grep -c pymon_sites)" 1 "without disable: descriptors"
tl_done
