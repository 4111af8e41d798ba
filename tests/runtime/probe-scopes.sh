# --restrict-scope-to: function rows by default; module rows (ITEM the file
# name, ITEM_PATH its package), class rows for suites and a session row per
# test process when asked; their times cover their functions.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite scopes >/dev/null || tl_fail "probe_suite scopes failed"
tl_expect_eq "$(tl_sql .pymon "SELECT DISTINCT KIND FROM TEST_METRICS")" function \
  "only function rows by default"

rm -f .pymon
PYMON_RESTRICT_SCOPE_TO=function,class,module,session ./probe_suite scopes >/dev/null ||
  tl_fail "all scopes run failed"
tl_expect_eq "$(tl_sql .pymon "SELECT KIND || ':' || ITEM_PATH || ':' || ITEM || ':' || ITEM_VARIANT
  FROM TEST_METRICS WHERE KIND != 'function' ORDER BY KIND, ITEM")" \
  "class:project.tests.unit.test_alpha:suite_one:suite_one
module:project.tests.unit:test_alpha:
module:project.tests.unit:test_beta:
session::probe_suite:probe_suite" "class, module and session rows"
tl_expect_eq "$(tl_sql .pymon "SELECT COMPONENT FROM TEST_METRICS WHERE KIND = 'module' ORDER BY ITEM" | tr '\n' ' ')" \
  "alpha  " "module rows carry their module's component"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS f, TEST_METRICS m
  WHERE f.KIND = 'function' AND m.KIND = 'module' AND f.ITEM_FS_LOC = m.ITEM_FS_LOC
  AND m.TOTAL_TIME + 1e-6 < f.TOTAL_TIME")" 0 "a module takes at least as long as each of its tests"

rm -f .pymon
PYMON_RESTRICT_SCOPE_TO=module ./probe_suite scopes >/dev/null || tl_fail "module scope run failed"
tl_expect_eq "$(tl_sql .pymon "SELECT KIND, count(*) FROM TEST_METRICS GROUP BY KIND")" "module|2" \
  "module scope alone gives only module rows"

rm -f .pymon
PYMON_FORCE_COMPONENT=forced ./probe_suite scopes >/dev/null
tl_expect_eq "$(tl_sql .pymon "SELECT DISTINCT COMPONENT FROM TEST_METRICS")" forced \
  "a forced component replaces every module's"
rm -f .pymon
PYMON_COMPONENT_PREFIX=PROJECT_A ./probe_suite scopes >/dev/null
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM || '=' || COMPONENT FROM TEST_METRICS ORDER BY ITEM" | tr '\n' ' ')" \
  "test_a1=PROJECT_A.alpha test_a2=PROJECT_A.alpha test_a3=PROJECT_A.alpha test_b1=PROJECT_A " \
  "the prefix is joined with a dot, or alone when the module has none"
tl_done
