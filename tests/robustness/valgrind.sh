# Suites run under valgrind, as `make check` often runs them: the program
# is not stopped by valgrind (it runs only the fork, vfork and thread forms
# of clone), a Check suite in fork mode keeps its verdicts within Check's
# timeouts, valgrind finds nothing in the runtime, and every row is stored.
. "$(dirname "$0")/common.sh"
[ "${PYMON_TEST_SANITIZE:-0}" = 1 ] && tl_skip "valgrind cannot run sanitized programs"
command -v valgrind >/dev/null || tl_skip "valgrind is not installed"
CC=gcc
tl_plugin_flag $CC >/dev/null || exit $?

# under_valgrind <name> <libs> <source> [args] : build the source bare and
# with the plugin, run both under memcheck in directories of their own
# (fresh databases: the runtime's helper commands run too), one log per
# process, and compare exit status and output.
under_valgrind() {
  local name=$1 libs=$2 src=$3 d rc
  shift 3
  mkdir -p "$name/bare" "$name/pymon"
  # shellcheck disable=SC2086
  $CC -O1 -o "$name/bare/suite" "$src" $libs || tl_fail "cannot build $name"
  # shellcheck disable=SC2086
  tl_cc_plugin $CC -O1 -Wno-unused-parameter -o "$name/pymon/suite" "$src" $libs ||
    tl_fail "cannot build $name with the plugin"
  for d in bare pymon; do
    rc=0
    (cd "$name/$d" && PYMON_INVOCATION_DIR=$PWD valgrind --leak-check=full \
      --log-file=vg.%p.log ./suite "$@" >out 2>err) || rc=$?
    echo "$rc" >"$name/$d/status"
    sed -E 's/\([0-9.]+s\)/(Ts)/g' "$name/$d/out" "$name/$d/err" >"$name/$d/text"
  done
  tl_expect_eq "$(cat "$name/pymon/status")" "$(cat "$name/bare/status")" "$name: same exit status"
  tl_expect_eq "$(cat "$name/pymon/text")" "$(cat "$name/bare/text")" "$name: same output"
  tl_expect_eq "$(cat "$name"/pymon/vg.*.log | grep -c 'Unsupported clone')" 0 \
    "$name: valgrind ran every clone call"
  tl_expect_eq "$(contexts "$name/pymon")" "$(contexts "$name/bare")" \
    "$name: valgrind reports the same errors as without pymon"
  tl_expect_eq "$(grep -h 'definitely lost:' "$name"/pymon/vg.*.log | grep -vc ' 0 bytes')" 0 \
    "$name: nothing definitely lost"
}

# contexts <dir> : the error contexts valgrind reported, over every
# process (a test that crashes is reported once however often it faults).
contexts() {
  grep -h 'ERROR SUMMARY' "$1"/vg.*.log | sed -E 's/.* from ([0-9]+) contexts.*/\1/' |
    awk '{ n += $1 } END { print n + 0 }'
}

# Many short tests: natively past the importer's start; under valgrind
# the test process stores them itself, and no helper is seen by the
# program's SIGCHLD handler or wait(-1).
under_valgrind short "" "$RB_SRC/many_suite.c"
tl_expect_eq "$(cat short/pymon/out)" "1500 tests, 0 SIGCHLD, wait(-1): no child, SIGALRM handled 1" \
  "short: no child of pymon's seen, the SIGALRM handler still runs"
tl_expect_eq "$(tl_sql short/pymon/.pymon 'SELECT count(*) FROM TEST_METRICS')" 1500 \
  "short: every test's row"
tl_expect_match "$(tl_sql short/pymon/.pymon 'SELECT CPU_TYPE || "|" || MACHINE_TYPE FROM EXECUTION_CONTEXTS')" \
  "^$(uname -p | sed 's/^unknown$//')\|$(uname -m)$" "short: the context as without valgrind (uname -p ran)"
rb_clean short/pymon/.pymon short
rm short/pymon/vg.*.log
(cd short/pymon && PYMON_INVOCATION_DIR=$PWD valgrind --log-file=vg.%p.log ./suite >/dev/null 2>&1)
tl_expect_eq "$(ls short/pymon/vg.*.log | wc -l)" 1 \
  "short: the next run takes CPU_TYPE from the database (no helper process)"
tl_expect_eq "$(tl_sql short/pymon/.pymon 'SELECT count(*) FROM TEST_METRICS')" 3000 \
  "short: the next run's rows too"

# Check in fork mode, a one-second timeout per test: a child's share of
# the monitoring (its journal; its parent stores the rows) fits in it
# even at valgrind's pace, the first child's too.
under_valgrind check "$(pkg-config --cflags --libs check)" "$RB_SRC/suites/check_suite.c"
tl_expect_eq "$(tl_sql check/pymon/.pymon "SELECT ITEM_VARIANT || ':' || OUTCOME || ':' || DETAIL
  FROM $TL_ITEM_OUTCOMES ORDER BY 1" | tr '\n' ' ')" \
  "test_crash:signal:11 test_exits:exit:3 test_fail:exit:1 test_hang:killed:0 test_loop:returned:0 test_loop[1]:returned:0 test_pass:returned:0 " \
  "check: every test, each once, as without valgrind"
rb_clean check/pymon/.pymon check

tl_done
