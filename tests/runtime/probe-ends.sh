# Tests that do not return still get their row: one left by longjmp (as
# cmocka, Unity and CUnit fail) ends at the jump and the next test's row is
# right; one that calls exit() is recorded and the exit status kept.  How
# each ended is in PYMON_ITEM_OUTCOMES (no row there: it returned).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite longjmp >out.txt || tl_fail "probe_suite longjmp failed"
tl_expect_eq "$(cat out.txt)" "probe_suite longjmp: done" "the suite's output is unchanged"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM FROM TEST_METRICS ORDER BY ITEM_START_TIME" | tr '\n' ' ')" \
  "test_jumps test_small_after " "the test left by longjmp and the next one are both stored"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT || ':' || OUTCOME FROM $TL_ITEM_OUTCOMES
  ORDER BY ITEM_START_TIME" | tr '\n' ' ')" \
  "test_jumps:longjmp test_small_after:returned " "outcomes"
tl_expect_range "$(ps_value TOTAL_TIME test_jumps)" 0.09 0.25 \
  "the test left by longjmp ends at the jump, not when the next test starts"
tl_expect_range "$(ps_value TOTAL_TIME test_small_after)" 0 0.05 \
  "the next test's time does not include the abandoned one"

rm -f .pymon
./probe_suite exit >out.txt
tl_expect_eq "$?" 3 "exit(3) inside a test keeps the exit status"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT || ':' || OUTCOME FROM $TL_ITEM_OUTCOMES
  ORDER BY ITEM_START_TIME" | tr '\n' ' ')" \
  "test_small:returned test_exits:exit " "the test that called exit() is recorded"
tl_done
