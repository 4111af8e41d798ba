# End to end: `pymon run -- make check` over two test programs built with
# the GCC plugin and linked with the real runtime.  Every process lands in
# one session; --description, --tag, --force-component and
# --restrict-scope-to reach the rows; make's exit status comes back; then
# pymon report shows the run and pymon check catches a test that got
# slower between two runs (exit 1, naming it) and passes otherwise.
. "$(dirname "$0")/clilib.sh"

tl_plugin_flag gcc >/dev/null || exit $?
command -v make >/dev/null || tl_skip "make not installed"

# Two programs; test_sleepy sleeps SUITE_SLEEP_MS and test_fails fails
# (main returns 1) when SUITE_FAIL is set.  Not PYMON_*: those are pymon's.
cat > test_parse.c <<'C'
#include <string.h>
int test_split(void) { return strchr("a,b", ',') != NULL; }
int test_join(void) { return strlen("ab") == 2; }
int main(void) { return !(test_split() && test_join()); }
C
cat > test_io.c <<'C'
#include <stdlib.h>
#include <time.h>
void test_sleepy(void) {
  const char *text = getenv("SUITE_SLEEP_MS");
  long ms = text ? atol(text) : 20;
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}
int test_fails(void) { return getenv("SUITE_FAIL") == NULL; }
int main(void) {
  test_sleepy();
  return !test_fails();
}
C
for t in test_parse test_io; do
  tl_cc_plugin gcc -O1 -o $t $t.c || tl_fail "cannot build $t with the plugin"
done
printf 'check: test_parse test_io\n\t./test_parse\n\t./test_io\n' > Makefile

# All options: one session over both programs, options in the rows.
cl_pymon run --db all.pymon --description "e2e run" --tag branch=main \
  --tag os=linux --force-component engine -- make -s check
tl_expect_eq "$rc" 0 "make check under pymon run: exit 0"
tl_expect_eq "$(tl_sql all.pymon 'SELECT count(DISTINCT SESSION_H) FROM TEST_METRICS') $(tl_sql all.pymon 'SELECT count(*) FROM TEST_SESSIONS')" \
  "1 1" "both test programs in one session"
tl_expect_eq "$(tl_sql all.pymon "SELECT group_concat(ITEM, ' ') FROM (SELECT ITEM FROM TEST_METRICS ORDER BY ITEM)")" \
  "test_fails test_join test_sleepy test_split" "the rows of both programs, test functions only"
tl_expect_eq "$(tl_sql all.pymon "SELECT group_concat(DISTINCT KIND || '/' || COMPONENT) FROM TEST_METRICS")" \
  "function/engine" "--force-component on every row"
tl_expect_eq "$(tl_sql all.pymon "SELECT json_extract(RUN_DESCRIPTION, '\$.msg') || '|' || json_extract(RUN_DESCRIPTION, '\$.branch') || '|' || json_extract(RUN_DESCRIPTION, '\$.os') FROM TEST_SESSIONS")" \
  "e2e run|main|linux" "--description and --tag in RUN_DESCRIPTION"
tl_expect_range "$(tl_sql all.pymon "SELECT TOTAL_TIME FROM TEST_METRICS WHERE ITEM = 'test_sleepy'")" \
  0.019 1 "test_sleepy measured at its 20 ms"

# --restrict-scope-to module: one module row per program, nothing else.
cl_pymon run --db modules.pymon --restrict-scope-to module -- make -s check
tl_expect_eq "$rc" 0 "module scope: exit 0"
tl_expect_eq "$(tl_sql modules.pymon "SELECT group_concat(KIND || ':' || ITEM, ' ') FROM (SELECT KIND, ITEM FROM TEST_METRICS ORDER BY ITEM)")" \
  "module:test_io module:test_parse" "module scope: one module row per program"
tl_expect_eq "$(tl_sql modules.pymon 'SELECT count(DISTINCT SESSION_H) FROM TEST_METRICS')" 1 "module scope: one session"

# make's failure comes back through pymon run, and what ran is recorded.
cl_pymon run --db fail.pymon -- env SUITE_FAIL=1 make -s check
tl_expect_eq "$rc" 2 "a failing test program: make's status 2 passed through"
tl_expect_eq "$(tl_sql fail.pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM = 'test_fails'")" 1 "the failing run still recorded"

# Two runs, the second with test_sleepy slower: report, then check.
cl_pymon run --db perf.pymon -- make -s check
cl_pymon run --db perf.pymon -- env SUITE_SLEEP_MS=300 make -s check
tl_expect_eq "$rc" 0 "second run: exit 0"
tl_expect_eq "$(tl_sql perf.pymon 'SELECT count(*) FROM TEST_SESSIONS')" 2 "two runs, two sessions"
cl_pymon report --db perf.pymon
tl_expect_eq "$rc" 0 "report: exit 0"
tl_expect_match "$out" "session 2 of 2" "report shows the latest run"
tl_expect_match "$out" "function +4 items" "report counts the four tests of both programs"
slowest=$(printf '%s\n' "$out" | sed -n '/^Slowest/{n;n;p;q}')
tl_expect_match "$slowest" "^  1 +0\.[3-9][0-9]* s .*test_io::test_sleepy$" \
  "report ranks the slowed test first"
cl_pymon check --db perf.pymon
tl_expect_eq "$rc" 1 "check: exit 1 on the slower test"
tl_expect_match "$out" "REGRESSION test_io::test_sleepy: TOTAL_TIME 0\.0[0-9]+ s -> 0\.[3-9]" "check names test_sleepy and its times"
tl_expect_match "$out" "^1 failed, 4 compared" "only that test failed"
cl_pymon check --db perf.pymon --session previous
tl_expect_eq "$rc" 0 "check of the first run (no baseline): exit 0"
tl_done
