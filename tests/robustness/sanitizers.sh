# Test programs built with a sanitizer, as CI jobs build them, against the
# plain runtime: the program runs as without pymon (ThreadSanitizer took
# the runtime's hidden children for forks and stopped the program), its
# SIGCHLD handler and wait(-1) see nothing of pymon's, every row is stored.
. "$(dirname "$0")/common.sh"
[ "${PYMON_TEST_SANITIZE:-0}" = 1 ] && tl_skip "the runtime itself is sanitized in this build"

# sanitized <compiler> <sanitizer> : build the many-test suite with both,
# run it with a fresh database and check what the program and .pymon say.
sanitized() {
  local cc=$1 san=$2 flag dir=$1-$2 rc=0
  flag=$(tl_plugin_flag "$cc") || return 0
  mkdir -p "$dir"
  # No -Werror here: a sanitizer may warn about its own flags.
  "$cc" -O1 -g "-fsanitize=$san" "$flag" -I"$TL_INC" -o "$dir/suite" "$RB_SRC/many_suite.c" \
    -L"$TL_LIBDIR" -lpymon -Wl,-rpath,"$TL_LIBDIR" || tl_fail "cannot build the suite with $cc -fsanitize=$san"
  (cd "$dir" && PYMON_INVOCATION_DIR=$PWD ./suite >out 2>err) || rc=$?
  tl_expect_eq "$rc" 0 "$cc -fsanitize=$san: exit status"
  tl_expect_eq "$(cat "$dir/out")" "1500 tests, 0 SIGCHLD, wait(-1): no child" \
    "$cc -fsanitize=$san: the program saw no child of pymon's"
  tl_expect_eq "$(head -c 300 "$dir/err")" "" "$cc -fsanitize=$san: nothing reported"
  tl_expect_eq "$(tl_sql "$dir/.pymon" 'SELECT count(*) FROM TEST_METRICS')" 1500 \
    "$cc -fsanitize=$san: every test's row"
  tl_expect_eq "$(tl_sql "$dir/.pymon" 'SELECT MACHINE_TYPE FROM EXECUTION_CONTEXTS')" "$(uname -m)" \
    "$cc -fsanitize=$san: the context"
  rb_clean "$dir/.pymon" "$cc -fsanitize=$san"
}

for cc in gcc clang; do
  for san in thread address undefined; do sanitized "$cc" "$san"; done
done

tl_done
