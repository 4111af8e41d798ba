# common.sh - shared setup of the Clang plugin tests (sourced, not a test).
#
# The plugin is built against clang-14's headers and must be loaded by the
# same clang, so the tests call clang-14 by name.
. "$(dirname "$0")/../lib/testlib.sh"

TC_DIR=$(cd "$(dirname "$0")" && pwd)
CC=clang-14
CXX=clang++-14
command -v "$CC" >/dev/null && command -v "$CXX" >/dev/null ||
  tl_skip "clang-14 is not installed"
PLUGIN=$(tl_plugin_flag clang) || exit $?

# Under ctest the runtime would take ctest's directory as the invocation
# directory: pin it to the test's directory, one database per run.
run_in() { # dir command...
  local dir=$1
  shift
  PYMON_INVOCATION_DIR=$PWD PYMON_DB=$PWD/$dir/.pymon "$@"
}

# The rows of a database, ordered, on one line.
variants_of() { # dir
  tl_sql "$1/.pymon" "select ITEM_VARIANT from TEST_METRICS where KIND = 'function' order by ITEM_VARIANT" | tr '\n' ' '
}
