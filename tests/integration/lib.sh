# lib.sh - helpers shared by the integration tests: install the build into a
# temporary prefix as a user's `make install` would, ask that prefix's
# pkg-config files, and run a build tool under a runner name of the test's
# own (so the session is this tool's run, not the ctest running the tests).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/testlib.sh"

# it_install: cmake --install into $TL_DIR/prefix; sets IT_PREFIX, IT_PCDIR
# and IT_LIBDIR.
it_install() {
  IT_PREFIX=$TL_DIR/prefix
  cmake --install "$PYMON_TEST_BINARY_DIR" --prefix "$IT_PREFIX" >"$TL_DIR/install.log" 2>&1 ||
    { cat "$TL_DIR/install.log"; tl_fail "cmake --install failed"; }
  IT_PCDIR=$(dirname "$(ls "$IT_PREFIX"/lib*/pkgconfig/pymon.pc)")
  IT_LIBDIR=$(it_pc --variable=libdir pymon)
}

# it_pc args... : pkg-config on the installed .pc files.  --define-prefix
# because the files name the build's CMAKE_INSTALL_PREFIX, not the temp one.
it_pc() {
  PKG_CONFIG_PATH=$IT_PCDIR pkg-config --define-prefix "$@"
}

# it_runner <name> <tool>: puts <tool> on $TL_DIR/bin under <name>, makes
# <name> the only session runner and sets IT_RUNNER to the path to run.
it_runner() {
  mkdir -p "$TL_DIR/bin"
  ln -sf "$(command -v "$2")" "$TL_DIR/bin/$1"
  export PYMON_SESSION_RUNNERS=$1
  IT_RUNNER=$TL_DIR/bin/$1
}

# it_compilers: gcc and/or clang, those whose plugin was built.
it_compilers() {
  [ -n "${PYMON_TEST_GCC_PLUGIN:-}" ] && echo gcc
  [ -n "${PYMON_TEST_CLANG_PLUGIN:-}" ] && echo clang
  return 0
}

# it_items <db>: the monitored items, in the order they ran, on one line.
it_items() {
  tl_sql "$1" "SELECT ITEM_VARIANT FROM TEST_METRICS ORDER BY ITEM_START_TIME, rowid" | tr '\n' ' '
}
