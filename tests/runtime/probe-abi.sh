# An object built by a plugin of another ABI version is refused with a clear
# message, not misread; the rest of the suite is monitored and the exit
# status is kept.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite abi >out.txt 2>err.txt
tl_expect_eq "$?" 0 "the suite still passes"
tl_expect_match "$(cat err.txt)" \
  "test_future was built by a pymon plugin of ABI version [0-9]+, but this runtime reads version 3" \
  "the refusal names the function and both versions"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM FROM TEST_METRICS ORDER BY ITEM_START_TIME" | tr '\n' ' ')" \
  "test_small test_around_future " "only the matching object's tests are stored"
tl_expect_range "$(tl_sql .pymon "SELECT TOTAL_TIME FROM TEST_METRICS WHERE ITEM = 'test_around_future'")" \
  0.095 1 "a refused test's exit does not end the test around it"
tl_done
