# TOTAL_TIME is wall time, USER/KERNEL_TIME the process's CPU time during
# the item and CPU_USAGE their sum over the wall time in percent (100 = one
# core; a test that keeps two threads busy goes above 100).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite timing >out.txt || tl_fail "probe_suite timing failed"
own_cpu() { sed -n "s/^cpu $1 //p" out.txt; }

tl_expect_range "$(ps_value TOTAL_TIME test_sleep)" 0.29 1.0 "a 0.3 s sleep takes 0.3 s"
tl_expect_range "$(ps_value CPU_USAGE test_sleep)" 0 15 "sleeping uses no CPU"
tl_expect_range "$(ps_value TOTAL_TIME test_spin)" 0.29 1.0 "a 0.3 s spin takes 0.3 s"
# CPU figures against what the test itself measured: right on a busy
# machine too, where the spin gets less than a core.
for t in test_spin test_threads; do
  tl_expect_range "$(ps_value "USER_TIME + KERNEL_TIME - $(own_cpu $t)" $t)" -0.01 0.03 \
    "$t: USER_TIME + KERNEL_TIME is the CPU time the test used"
done
# Tests shorter than a timer tick: each one's own CPU time, not what the
# kernel had counted at its last tick (0 or 4 ms for a 2 ms spin): on one
# thread no more than its wall time, and more than a tenth of it (the spin
# is busy all along; the rest is room for a loaded or stolen-from VM).
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM_VARIANT = 'test_spin_short'")" \
  20 "twenty 2 ms tests"
tl_expect_eq "$(tl_sql .pymon "SELECT round(TOTAL_TIME * 1000, 3) || ' ms wall, ' ||
    round((USER_TIME + KERNEL_TIME) * 1000, 3) || ' ms CPU' FROM TEST_METRICS
  WHERE ITEM_VARIANT = 'test_spin_short' AND (USER_TIME + KERNEL_TIME > TOTAL_TIME + 0.00005
    OR USER_TIME + KERNEL_TIME < TOTAL_TIME / 10)")" "" \
  "each 2 ms busy test: USER_TIME + KERNEL_TIME between a tenth of its TOTAL_TIME and all of it"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS
  WHERE abs(CPU_USAGE - 100.0 * (USER_TIME + KERNEL_TIME) / TOTAL_TIME) > 0.01
  AND TOTAL_TIME > 0")" 0 "CPU_USAGE = 100 * (USER_TIME + KERNEL_TIME) / TOTAL_TIME"
# Two busy threads: above one core whenever the machine gave them two.
if awk -v c="$(own_cpu test_threads)" 'BEGIN { exit !(c > 0.6) }'; then
  tl_expect_range "$(ps_value CPU_USAGE test_threads)" 120 210 \
    "two busy threads on two cores use more than one core"
fi
tl_expect_match "$(ps_value ITEM_START_TIME test_sleep)" \
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?$' \
  "ITEM_START_TIME is ISO 8601 UTC"
tl_expect_range "$(( $(date -u +%s) - $(date -u -d "$(ps_value ITEM_START_TIME test_sleep)" +%s) ))" 0 60 \
  "ITEM_START_TIME is the UTC time the test started"
tl_done
