# TOTAL_TIME is wall time, USER/KERNEL_TIME the process's CPU time during
# the item and CPU_USAGE their sum over the wall time in percent (100 = one
# core; a test that keeps two threads busy goes above 100).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite timing >/dev/null || tl_fail "probe_suite timing failed"
tl_expect_range "$(ps_value TOTAL_TIME test_sleep)" 0.29 0.6 "a 0.3 s sleep takes 0.3 s"
tl_expect_range "$(ps_value CPU_USAGE test_sleep)" 0 15 "sleeping uses no CPU"
tl_expect_range "$(ps_value TOTAL_TIME test_spin)" 0.29 0.6 "a 0.3 s spin takes 0.3 s"
tl_expect_range "$(ps_value CPU_USAGE test_spin)" 60 110 "spinning uses one core"
tl_expect_range "$(ps_value 'USER_TIME + KERNEL_TIME' test_spin)" 0.18 0.6 \
  "the spin's CPU time is counted"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS
  WHERE abs(CPU_USAGE - 100.0 * (USER_TIME + KERNEL_TIME) / TOTAL_TIME) > 0.01
  AND TOTAL_TIME > 0")" 0 "CPU_USAGE = 100 * (USER_TIME + KERNEL_TIME) / TOTAL_TIME"
if [ "$(nproc)" -ge 2 ]; then
  tl_expect_range "$(ps_value CPU_USAGE test_threads)" 120 210 \
    "two busy threads on two cores use more than one core"
fi
tl_expect_match "$(ps_value ITEM_START_TIME test_sleep)" \
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?$' \
  "ITEM_START_TIME is ISO 8601 UTC"
tl_done
