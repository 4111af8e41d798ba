# A parametrized test gives one row per call: ITEM is the function,
# ITEM_VARIANT `test_p[10-10]`, or `test_p[asint_10-asstr_10]` with explicit
# parametrization; every argument kind is shown as pytest shows it.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite variants >/dev/null || tl_fail "probe_suite variants failed"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT FROM TEST_METRICS WHERE ITEM = 'test_p'
  ORDER BY ITEM_START_TIME" | tr '\n' ' ')" \
  "test_p[10-10] test_p[100-100] test_p[1000-1000] test_p[10000-10000] " \
  "one row per parameter set"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT FROM TEST_METRICS WHERE ITEM = 'test_kinds'
  ORDER BY ITEM_START_TIME" | tr '\n' ' ')" \
  'test_kinds[0.1-True-x-GREEN-4000000000-a-b] test_kinds[1e+16-False-\n-7-0-None] ' \
  "floats as repr(), bools as True/False, enums by name, NULL as None"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM = 'test_p'
  AND ITEM_PATH = 'project.tests.unit.test_alpha' AND KIND = 'function'")" 4 \
  "ITEM_PATH and KIND of the parametrized rows"

rm -f .pymon
PYMON_PARAMETRIZATION_EXPLICIT=1 ./probe_suite variants >/dev/null ||
  tl_fail "explicit run failed"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT FROM TEST_METRICS WHERE ITEM = 'test_p'
  ORDER BY ITEM_START_TIME LIMIT 2" | tr '\n' ' ')" \
  "test_p[asint_10-asstr_10] test_p[asint_100-asstr_100] " \
  "explicit parametrization names the parameters"
tl_done
