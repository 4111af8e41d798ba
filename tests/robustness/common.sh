# common.sh - helpers of the robustness tests: build the hand-ABI suite
# and read outcomes.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../lib/testlib.sh"

RB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PYMON_INVOCATION_DIR=$PWD

# rb_build_suite <suite> <out> [cflags...] : build <suite>.c (hand ABI).
rb_build_suite() {
  local suite=$1 out=$2; shift 2
  tl_cc "${PYMON_TEST_C_COMPILER:-cc}" -std=c11 "$@" -DSUITE_DIR="\"$PWD\"" \
    -o "$out" "$RB_SRC/$suite.c" -lpthread || tl_fail "cannot build $out"
}

# rb_build_bare_and_monitored <source.c> : bare/suite and pymon/suite
# (GCC plugin), both at -O1; skips when the plugin is not built.
rb_build_bare_and_monitored() {
  tl_plugin_flag gcc >/dev/null || exit $?
  mkdir -p bare pymon
  gcc -O1 -o bare/suite "$RB_SRC/$1" || tl_fail "cannot build the suite"
  tl_cc_plugin gcc -O1 -o pymon/suite "$RB_SRC/$1" ||
    tl_fail "cannot build the suite with the plugin"
}

# rb_run_both <what> [args...]: bare/suite and pymon/suite with the same
# arguments, each in its directory (pymon's with a fresh .pymon); the same
# status and output, and nothing on pymon's stderr.
rb_run_both() {
  local what=$1
  shift
  (cd bare && ./suite "$@" >out 2>err; echo $? >status)
  (cd pymon && rm -f .pymon && PYMON_INVOCATION_DIR=$PWD ./suite "$@" >out 2>err; echo $? >status)
  tl_expect_eq "$(cat pymon/status) $(cat pymon/out)" "$(cat bare/status) $(cat bare/out)" \
    "$what: same status and output"
  tl_expect_eq "$(cat pymon/err)" "" "$what: nothing on stderr"
}

# rb_rows_per_item [db]: "ITEM:rows " for each ITEM in TEST_METRICS, by name.
rb_rows_per_item() {
  tl_sql "${1:-pymon/.pymon}" "SELECT ITEM || ':' || count(*) FROM TEST_METRICS
    GROUP BY ITEM ORDER BY ITEM" | tr '\n' ' '
}

# rb_outcomes [db] : "ITEM:OUTCOME:DETAIL" of every item, in start order.
rb_outcomes() {
  tl_sql "${1:-.pymon}" "SELECT substr(ITEM_VARIANT, 1, 40) || ':' || OUTCOME || ':' || DETAIL
    FROM $TL_ITEM_OUTCOMES ORDER BY ITEM_START_TIME, KIND" | tr '\n' ' '
}

# rb_metric <column> <item> [db] : a TEST_METRICS value.
rb_metric() {
  tl_sql "${3:-.pymon}" "SELECT $1 FROM TEST_METRICS WHERE ITEM_VARIANT = '$2'"
}

# rb_clean <db> : the database is sound, complete in its own file (no WAL
# left: .pymon alone can be copied), and no journal is left.
rb_clean() {
  local db=${1:-.pymon}
  tl_expect_eq "$(tl_sql "$db" 'PRAGMA integrity_check')" ok "$2: database intact"
  tl_expect_eq "$(ls -d "$db".pymon-journal 2>/dev/null)" "" "$2: no journal left"
  tl_expect_eq "$(ls "$db"-wal "$db"-shm 2>/dev/null)" "" "$2: every row checkpointed into the file"
  tl_expect_eq "$(tl_sql "$db" 'SELECT count(*) FROM PYMON_JOURNALS')" 0 "$2: no bookkeeping left"
}
