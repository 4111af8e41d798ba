# A test that forks: the child's test is recorded once (by the child, on a
# connection of its own), the parent's test once, nothing twice.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite fork >/dev/null 2>err.txt || tl_fail "probe_suite fork failed"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM, count(*) FROM TEST_METRICS GROUP BY ITEM ORDER BY ITEM" | tr '\n' ' ')" \
  "test_child|1 test_parent|1 " "each test recorded exactly once"
tl_expect_eq "$(cat err.txt)" "" "no warning"
tl_done
