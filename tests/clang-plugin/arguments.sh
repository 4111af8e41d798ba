#!/bin/bash
# Plugin arguments under Clang (docs/plugin-arguments.md): bad ones are
# compile errors with the same texts as GCC's; verbose, disable, select,
# exclude, frameworks behave the same.
. "$(dirname "$0")/common.sh"

cat > t.c <<'C'
void test_one(void) {}
void check_two(void) {}
void verify_three(void) {}
void helper_four(void) {}
C

compile() { # plugin args... ; prints diagnostics, returns clang's status
  local args=()
  for a in "$@"; do args+=("-fplugin-arg-pymon-$a"); done
  $CC -c "$PLUGIN" "${args[@]}" t.c -o t.o 2>&1
}

expect_error() { # text arg...
  local text=$1 out status
  shift
  out=$(compile "$@")
  status=$?
  tl_expect_eq "$status" 1 "exit status for $*"
  tl_expect_eq "$(echo "$out" | head -1)" "error: $text" "message for $*"
  tl_expect_eq "$(echo "$out" | grep -c 'error:')" 1 "one error for $*"
}

expect_error "pymon: unknown plugin argument 'selct'; expected one of: select, exclude, frameworks, verbose, disable" selct=x
expect_error "pymon: plugin argument 'select' needs a value, e.g. -fplugin-arg-pymon-select=VALUE" select
expect_error "pymon: plugin argument 'exclude' needs a value, e.g. -fplugin-arg-pymon-exclude=VALUE" exclude
expect_error "pymon: plugin argument 'frameworks' needs a value, e.g. -fplugin-arg-pymon-frameworks=VALUE" frameworks
expect_error "pymon: plugin argument 'verbose' takes no value" verbose=1
expect_error "pymon: plugin argument 'disable' takes no value" disable=yes
expect_error "pymon: unknown framework 'gtest' in frameworks=...; expected a comma list of: generic, unity, check, criterion, libuv, clar, cmocka, munit, greatest, or none" frameworks=generic,gtest
expect_error "pymon: unknown framework '' in frameworks=...; expected a comma list of: generic, unity, check, criterion, libuv, clar, cmocka, munit, greatest, or none" frameworks=
expect_error "pymon: empty pattern in select=..." select=a,,b
expect_error "pymon: empty pattern in select=..." select=
expect_error "pymon: empty pattern in exclude=..." exclude=a,

remarks() { # args... : the names the plugin says it instruments
  compile verbose "$@" | sed -n "s/.*remark: pymon: instrumenting '\([^']*\)'.*/\1/p" | sort | tr '\n' ' '
}
tl_expect_eq "$(remarks)" "test_one " "defaults select test_one only"
tl_expect_eq "$(remarks 'select=check_*,verify_?hree')" "check_two test_one verify_three " \
  "select adds patterns"
tl_expect_eq "$(remarks 'select=check_*' 'select=helper_*')" "check_two helper_four test_one " \
  "repeated select arguments accumulate"
tl_expect_eq "$(remarks 'select=*' 'exclude=helper_*,test_[o]ne')" "check_two verify_three " \
  "exclude wins over presets and select"
tl_expect_eq "$(remarks frameworks=none)" "" "frameworks=none selects nothing by name"
tl_expect_eq "$(remarks frameworks=none select=helper_four)" "helper_four " \
  "frameworks=none keeps select patterns"
tl_expect_eq "$(remarks frameworks=none frameworks=generic)" "test_one " \
  "the last frameworks= wins"
tl_expect_match "$(compile verbose)" "t.c:1:6: remark: pymon: instrumenting 'test_one' \(framework generic\)" \
  "verbose remark text"
out=$(compile disable verbose)
tl_expect_eq "$out" "" "disable: no remarks"
tl_expect_eq "$(objdump -h t.o | grep -c pymon_sites)" 0 "disable: no descriptors"
compile >/dev/null || tl_fail "compile with the plugin"
tl_expect_eq "$(objdump -h t.o | grep -c pymon_sites)" 1 "without disable: descriptors"
tl_done
