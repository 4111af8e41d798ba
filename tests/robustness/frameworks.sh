# Real C test frameworks from Debian, with tests that fail in each one's
# own way: every test's row is stored with how it ended, and the suite's
# exit status and output are the same with the plugin as without.
. "$(dirname "$0")/common.sh"
CC=gcc
tl_plugin_flag $CC >/dev/null || exit $?
SUITES=$RB_SRC/suites

# suite <name> <libs> [args] : build suites/<framework>_suite.c (the name
# up to a '-') bare and instrumented, run both with args (each in a
# directory of its own) and compare status and output.
suite() {
  local name=$1 libs=$2 src=$SUITES/${1%%-*}_suite.c
  shift 2
  mkdir -p "$name/bare" "$name/pymon"
  # shellcheck disable=SC2086
  $CC -O1 -o "$name/bare/suite" "$src" $libs || tl_fail "cannot build $name"
  # shellcheck disable=SC2086
  tl_cc_plugin $CC -O1 -Wno-unused-parameter -o "$name/pymon/suite" "$src" $libs ||
    tl_fail "cannot build $name with the plugin"
  local d rc
  for d in bare pymon; do
    rc=0
    (cd "$name/$d" && PYMON_INVOCATION_DIR=$PWD ./suite "$@" >out 2>err) || rc=$?
    echo "$rc" >"$name/$d/status"
    # Times, process ids and GLib's random seed differ from run to run.
    sed -E 's/\([0-9.]+s\)/(Ts)/g; s/[0-9]{3,}/N/g; s/random seed: .*/random seed/' \
      "$name/$d/out" "$name/$d/err" >"$name/$d/text"
  done
  tl_expect_eq "$(cat "$name/pymon/status")" "$(cat "$name/bare/status")" "$name: same exit status"
  tl_expect_eq "$(cat "$name/pymon/text")" "$(cat "$name/bare/text")" "$name: same output"
  tl_expect_eq "$(ls "$name/bare" | grep -c pymon)" 0 "$name: the bare build stores nothing"
}

# outcomes <name> : ITEM:OUTCOME:DETAIL sorted by name (the order of
# forked tests is the framework's business).
outcomes() {
  tl_sql "$1/pymon/.pymon" "SELECT ITEM_VARIANT || ':' || OUTCOME || ':' || DETAIL
    FROM $TL_ITEM_OUTCOMES ORDER BY 1" | tr '\n' ' '
}

# Check, default fork mode: a failed assertion exits the child with 1, a
# crash is a signal, the timeout is Check's SIGKILL; the parent imports
# what its children could not store themselves.
suite check "$(pkg-config --cflags --libs check)"
tl_expect_eq "$(outcomes check)" \
  "test_crash:signal:11 test_exits:exit:3 test_fail:exit:1 test_hang:killed:0 test_loop:returned:0 test_loop[1]:returned:0 test_pass:returned:0 " \
  "check (fork mode): every test, each once"
tl_expect_eq "$(tl_sql check/pymon/.pymon 'SELECT count(DISTINCT PID) FROM PYMON_ITEM_OUTCOMES')" 4 \
  "check (fork mode): each failure noted by the child that ran it"
rb_clean check/pymon/.pymon "check"

# Check without fork: failures leave the test by longjmp.
suite check-nofork "$(pkg-config --cflags --libs check)" nofork
tl_expect_eq "$(outcomes check-nofork)" \
  "test_fail:longjmp:0 test_loop:returned:0 test_loop[1]:returned:0 test_pass:returned:0 " \
  "check (no fork): a failure leaves by longjmp"

# Criterion: fork and exec of itself per test; timeouts are SIGPROF.
suite criterion "-lcriterion" -j1
tl_expect_eq "$(outcomes criterion)" \
  "crash:signal:11 crash_expected:signal:11 exits:exit:3 fail:exit:0 hang:signal:27 pass:returned:0 " \
  "criterion: every test, each once"
rb_clean criterion/pymon/.pymon "criterion"

# cmocka (built with _FORTIFY_SOURCE: __longjmp_chk), its crash handler too.
suite cmocka "-lcmocka"
tl_expect_eq "$(outcomes cmocka)" \
  "test_after:returned:0 test_crash:longjmp:0 test_fail:longjmp:0 test_pass:returned:0 test_skipped:longjmp:0 " \
  "cmocka: failures and the caught crash leave by longjmp"

# CUnit: fatal assertions jump, plain ones let the test return.
suite cunit "-lcunit"
tl_expect_eq "$(outcomes cunit)" \
  "test_after:returned:0 test_fail_fatal:longjmp:0 test_fail_soft:returned:0 test_pass:returned:0 " \
  "cunit"

# GLib: a failed g_assert aborts the program; a subprocess test re-runs it.
if pkg-config --exists glib-2.0; then
  suite glib "$(pkg-config --cflags --libs glib-2.0)"
  (cd glib/pymon && ./suite -p /money/pass >/dev/null 2>&1) # imports the aborted run
  tl_expect_eq "$(outcomes glib | sed 's/test_pass:returned:0 //2')" \
    "test_fail:signal:6 test_pass:returned:0 test_trap_fail:exit:1 test_trap_fail:returned:0 " \
    "glib: the aborted test, and the one in the subprocess"
  rb_clean glib/pymon/.pymon "glib"
else
  echo "libglib2.0-dev not installed: GLib suite not run"
fi

# libuv's runner: each test in a forked and exec'd copy of the runner.
suite libuv ""
tl_expect_eq "$(outcomes libuv)" "crash:signal:11 fail:signal:6 pass:returned:0 " "libuv-style runner"
rb_clean libuv/pymon/.pymon "libuv"
tl_done
