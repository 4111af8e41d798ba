# Per-test limits from the source (PYMON_LIMIT): stored in
# PYMON_ITEM_LIMITS, one row per test and metric, replaced when the source
# changes; a malformed limit is one warning naming the test and the text.
. "$(dirname "$0")/common.sh"
cp "$RB_SRC/suites/hostile_suite.c" .
tl_cc_plugin gcc -O1 -o suite hostile_suite.c || tl_fail "build"
./suite >/dev/null 2>err || tl_fail "suite"
limits() {
  tl_sql .pymon "SELECT ITEM || ':' || METRIC || '=' || \"LIMIT\" FROM PYMON_ITEM_LIMITS ORDER BY 1" | tr '\n' ' '
}
tl_expect_eq "$(limits)" \
  "test_badly_limited:CPU_USAGE=150.0 test_limited:MEM_USAGE=64.0 test_limited:TOTAL_TIME=0.5 " \
  "the well-formed limits"
tl_expect_eq "$(grep -c '^pymon: warning:' err)" 2 "one warning per malformed limit"
tl_expect_match "$(cat err)" "hostile_suite::test_badly_limited: ignoring the limit 'monitor_limit:WATTS=3'" \
  "the warning names the test and the text"
tl_expect_match "$(cat err)" "'monitor_limit:CPU_TIME=-1'.*positive number" "a negative limit"
tl_expect_eq "$(tl_sql .pymon "SELECT DISTINCT ITEM_PATH FROM PYMON_ITEM_LIMITS")" \
  "$(tl_sql .pymon "SELECT DISTINCT ITEM_PATH FROM TEST_METRICS WHERE ITEM = 'test_limited'")" \
  "limits name the test as TEST_METRICS does"

./suite >/dev/null 2>&1
tl_expect_eq "$(tl_sql .pymon 'SELECT count(*) FROM PYMON_ITEM_LIMITS')" 3 "a second run does not add rows"

# The source changes: a limit goes, another changes.
sed 's/PYMON_LIMIT(TOTAL_TIME, 0.5)//; s/PYMON_LIMIT(MEM_USAGE, 64)/PYMON_LIMIT(MEM_USAGE, 32)/' \
  "$RB_SRC/suites/hostile_suite.c" >hostile_suite.c
tl_cc_plugin gcc -O1 -o suite hostile_suite.c || tl_fail "build"
./suite >/dev/null 2>&1
tl_expect_eq "$(limits)" "test_badly_limited:CPU_USAGE=150.0 test_limited:MEM_USAGE=32.0 " \
  "limits replaced when the source changes"

if [ -n "${PYMON_TEST_CLI:-}" ]; then
  "$PYMON_TEST_CLI" check --db .pymon >out 2>&1
  tl_expect_match "$(cat out)" "test_badly_limited|test_limited|0 failed|passes" "pymon check reads the limits"
fi
tl_done
