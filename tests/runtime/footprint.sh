# MEM_USAGE is the process's peak, pymon's own memory included, so that
# memory must not grow with the rows stored: else a test's figure would
# rise with the number of tests run before it.  5000 identical tests whose
# rows the test process stores itself (SQLite's page cache held 2 MB once
# full, and the figures rose by 1.1 MB along the run).
. "$(dirname "$0")/common.sh"
[ "${PYMON_TEST_SANITIZE:-0}" = 1 ] &&
  tl_skip "AddressSanitizer holds freed memory in quarantine: the process grows by design"
rt_build_driver

PYMON_BACKGROUND_IMPORT=0 ./driver 5000 >/dev/null 2>err || tl_fail "driver failed: $(cat err)"
tl_expect_eq "$(tl_sql .pymon 'SELECT count(*) FROM TEST_METRICS')" 5000 "every row"
tl_expect_range "$(tl_sql .pymon 'SELECT max(MEM_USAGE) - min(MEM_USAGE) FROM TEST_METRICS')" 0 0.6 \
  "identical tests: MEM_USAGE within 0.6 MB from the first to the last"
tl_done
