# examples/basic with `make check` and CFLAGS += -fplugin=pymon.so gives the
# rows the manual's examples describe: a 1 s test, a skipped test, one row
# per parameter set, a component, a module monitored only where asked; one
# session for the whole `make check`.
. "$(dirname "$0")/../lib/testlib.sh"

[ -n "${PYMON_TEST_GCC_PLUGIN:-}" ] || tl_skip "GCC plugin not built"
cp "$PYMON_TEST_SOURCE_DIR"/examples/basic/* .
# Under ctest the session would be ctest's: make is the runner here, as
# when a user types `make check`.
export PYMON_SESSION_RUNNERS=make
make --no-print-directory check \
  PLUGIN_CFLAGS="-fplugin=$PYMON_TEST_GCC_PLUGIN -I$TL_INC" \
  PLUGIN_LIBS="-L$TL_LIBDIR -lpymon -Wl,-rpath,$TL_LIBDIR" >out.txt 2>err.txt
tl_expect_eq "$?" 0 "make check passes"
tl_expect_eq "$(cat err.txt)" "" "no warning while building or running"
tl_expect_eq "$(grep -c 'passed$' out.txt)" 3 "the suites print their own output"

tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT FROM TEST_METRICS ORDER BY ITEM_START_TIME" | tr '\n' ' ')" \
  "test_sleep1 test_heavy[10-10] test_heavy[100-100] test_heavy[1000-1000] test_heavy[10000-10000] test_monitored test_executed_and_monitored test_executed_and_monitored_if_cpus " \
  "one row per monitored test, none for skipped ones"
tl_expect_range "$(tl_sql .pymon "SELECT TOTAL_TIME FROM TEST_METRICS WHERE ITEM = 'test_sleep1'")" 0.99 1.5 \
  "test_sleep1 sleeps 1 s"
tl_expect_range "$(tl_sql .pymon "SELECT CPU_USAGE FROM TEST_METRICS WHERE ITEM = 'test_monitored'")" 40 110 \
  "test_monitored keeps a core busy"
tl_expect_eq "$(tl_sql .pymon "SELECT DISTINCT COMPONENT FROM TEST_METRICS WHERE ITEM_PATH = 'test_component'")" \
  my_component "the module's component"
tl_expect_range "$(tl_sql .pymon "SELECT
    (SELECT MEM_USAGE FROM TEST_METRICS WHERE ITEM_VARIANT = 'test_heavy[10000-10000]') -
    (SELECT MEM_USAGE FROM TEST_METRICS WHERE ITEM_VARIANT = 'test_heavy[10-10]')")" 9 12 \
  "test_heavy[10000-10000] touches 10 MB more than test_heavy[10-10]"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_SESSIONS")" 1 \
  "the three test programs of one make check share one session"
tl_expect_eq "$(tl_sql .pymon "SELECT count(DISTINCT SESSION_H) || ':' || count(DISTINCT ENV_H) FROM TEST_METRICS")" \
  "1:1" "every row points at that session and one execution context"
tl_done
