# A test program that exec's itself between groups of tests: the rows the
# first image left in its journal (all of them but the last batch, for a
# short run; with the importer for a long one) are stored by the image
# after the exec, the same process, as soon as it starts, not later by
# whichever pymon process comes next.
. "$(dirname "$0")/common.sh"
rb_build_bare_and_monitored exec_suite.c

for n in 100 3000; do
  (cd bare && ./suite $n >out 2>err; echo $? >status)
  (cd pymon && rm -f .pymon && PYMON_INVOCATION_DIR=$PWD ./suite $n >out 2>err; echo $? >status)
  tl_expect_eq "$(cat pymon/status) $(cat pymon/out)" "$(cat bare/status) $(cat bare/out)" \
    "$n tests, then exec: same status and output"
  tl_expect_eq "$(cat pymon/err)" "" "$n tests: nothing on stderr"
  tl_expect_eq "$(tl_sql pymon/.pymon "SELECT ITEM || ':' || count(*) FROM TEST_METRICS GROUP BY ITEM ORDER BY ITEM" |
    tr '\n' ' ')" "test_after_exec:100 test_before_exec:$n " "$n tests: both images' rows, once, when the run ends"
  rb_clean pymon/.pymon "$n tests"
done
tl_done
