# common.sh - shared setup of the per-feature plugin tests (sourced, not a
# test).  Each test runs once per compiler: `. common.sh gcc|clang` sets CC,
# CXX, PLUGIN (the -fplugin flag), LTO (the compiler's LTO flag) and REMARK
# (the word its verbose diagnostics use).
TP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TP_SRC=$TP_DIR/src
TP_CORPUS=$(cd "$TP_DIR/../conformance" && pwd)
. "$TP_DIR/../lib/testlib.sh"

case ${1:-} in
  gcc)
    CC=gcc CXX=g++ LTO=-flto REMARK=note ;;
  clang)
    # The plugin is built against clang-14 and must be loaded by it.
    CC=clang-14 CXX=clang++-14 LTO=-flto=thin REMARK=remark
    command -v "$CC" >/dev/null && command -v "$CXX" >/dev/null ||
      tl_skip "clang-14 is not installed" ;;
  *)
    tl_fail "expected the compiler as first argument, gcc or clang; got '${1:-}'" ;;
esac
PLUGIN=$(tl_plugin_flag "$CC") || exit $?

# Under ctest the runtime would take ctest's directory as the invocation
# directory: pin it to the test's directory, one database per run.
run_in() { # dir command...
  local dir=$1
  shift
  PYMON_INVOCATION_DIR=$PWD PYMON_DB=$PWD/$dir/.pymon "$@"
}

# The function rows of a database, ordered, on one line.
variants_of() { # db
  tl_sql "$1" "select ITEM_VARIANT from TEST_METRICS where KIND = 'function' order by ITEM_VARIANT" | tr '\n' ' '
}

# A compiler's diagnostics without what only its driver adds (GCC's "cc1:"
# prefix, Clang's "N errors generated.").
diagnostics_of() { # command...
  "$@" 2>&1 | sed -e 's/^cc1\(plus\)\?: //' -e '/^[0-9]* errors\? generated\.$/d'
  return "${PIPESTATUS[0]}"
}

# The stand-in runtime that prints what pymon_enter/pymon_exit receive.
build_standin() { # object
  $CC -O2 -c -I"$TL_INC" "$TP_SRC/standin.c" -o "$1" || tl_fail "compile the stand-in"
}

# One function's instructions, without addresses (they move when a test
# before it grows).
code_of() { # object function
  objdump -d --disassemble="$2" "$1" | awk -F'\t' '/^ +[0-9a-f]+:\t/ { print $3 }' |
    sed -e 's/[0-9a-f]* <\([^>]*\)>/<\1>/g' -e 's/ *#.*//'
}
