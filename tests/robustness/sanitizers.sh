# Test programs built with a sanitizer, as CI jobs build them, against the
# plain runtime: the program runs as without pymon (ThreadSanitizer took
# the runtime's hidden children for forks and stopped the program, and
# forgot the program's signal handlers when a child reset its own), its
# SIGCHLD handler and wait(-1) see nothing of pymon's, its SIGALRM handler
# still runs, every row is stored; Check in fork mode under
# ThreadSanitizer keeps its verdicts (its timeout is the parent's SIGALRM
# handler).
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
  [ "$san" = thread ] && check_fork_mode "$cc" "$flag"
  (cd "$dir" && PYMON_INVOCATION_DIR=$PWD ./suite >out 2>err) || rc=$?
  tl_expect_eq "$rc" 0 "$cc -fsanitize=$san: exit status"
  tl_expect_eq "$(cat "$dir/out")" "1500 tests, 0 SIGCHLD, wait(-1): no child, SIGALRM handled 1" \
    "$cc -fsanitize=$san: no child of pymon's seen, the SIGALRM handler still runs"
  tl_expect_eq "$(head -c 300 "$dir/err")" "" "$cc -fsanitize=$san: nothing reported"
  tl_expect_eq "$(tl_sql "$dir/.pymon" 'SELECT count(*) FROM TEST_METRICS')" 1500 \
    "$cc -fsanitize=$san: every test's row"
  tl_expect_eq "$(tl_sql "$dir/.pymon" 'SELECT MACHINE_TYPE FROM EXECUTION_CONTEXTS')" "$(uname -m)" \
    "$cc -fsanitize=$san: the context"
  rb_clean "$dir/.pymon" "$cc -fsanitize=$san"
}

# check_fork_mode <compiler> <plugin flag> : Check's suite under
# ThreadSanitizer, bare and monitored: same status and output.
check_fork_mode() {
  local cc=$1 flag=$2 dir=$1-check d
  mkdir -p "$dir/bare" "$dir/pymon"
  # shellcheck disable=SC2046
  "$cc" -O1 -fsanitize=thread -o "$dir/bare/suite" "$RB_SRC/suites/check_suite.c" \
    $(pkg-config --cflags --libs check) || tl_fail "cannot build Check's suite with $cc"
  # shellcheck disable=SC2046
  "$cc" -O1 -fsanitize=thread -Wno-unused-parameter "$flag" -I"$TL_INC" -o "$dir/pymon/suite" \
    "$RB_SRC/suites/check_suite.c" $(pkg-config --cflags --libs check) \
    -L"$TL_LIBDIR" -lpymon -Wl,-rpath,"$TL_LIBDIR" || tl_fail "cannot build Check's suite with $cc and pymon"
  for d in bare pymon; do
    (cd "$dir/$d" && PYMON_INVOCATION_DIR=$PWD timeout -s KILL 60 ./suite >out 2>/dev/null
     echo $? >status)
    sed -i -E 's/\([0-9.]+s\)//g' "$dir/$d/out"
  done
  tl_expect_eq "$(cat "$dir/pymon/status")" "$(cat "$dir/bare/status")" \
    "$cc -fsanitize=thread, Check in fork mode: same status (its timeout still fires)"
  tl_expect_eq "$(cat "$dir/pymon/out")" "$(cat "$dir/bare/out")" \
    "$cc -fsanitize=thread, Check in fork mode: same verdicts"
  tl_expect_eq "$(tl_sql "$dir/pymon/.pymon" 'SELECT count(*) FROM TEST_METRICS')" 7 \
    "$cc -fsanitize=thread, Check in fork mode: every test's row"
}

for cc in gcc clang; do
  for san in thread address undefined; do sanitized "$cc" "$san"; done
done

tl_done
