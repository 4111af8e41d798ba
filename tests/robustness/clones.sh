# Tests run in a child made by clone() without shared memory, which runs
# no fork handlers: the child keeps its rows apart from its parent's (it
# wrote into the parent's journal and lost rows of both), the parent
# stores what the child left when it ended without notice, and both end
# as they would bare, also when the child sandboxes itself.
. "$(dirname "$0")/common.sh"
rb_build_bare_and_monitored clone_suite.c

for mode in return exit sandbox; do
  (cd bare && ./suite $mode >out 2>err; echo $? >status)
  (cd pymon && rm -f .pymon && PYMON_INVOCATION_DIR=$PWD ./suite $mode >out 2>err; echo $? >status)
  tl_expect_eq "$(cat pymon/status) $(cat pymon/out)" "$(cat bare/status) $(cat bare/out)" \
    "child that ends by $mode: same status and output"
  tl_expect_eq "$(cat pymon/err)" "" "$mode: nothing on stderr"
  rows="test_in_child:300 test_in_parent:500 "
  [ $mode = sandbox ] && rows="test_in_parent:500 " # the child's tests run sandboxed
  tl_expect_eq "$(tl_sql pymon/.pymon "SELECT ITEM || ':' || count(*) FROM TEST_METRICS GROUP BY ITEM ORDER BY ITEM" |
    tr '\n' ' ')" "$rows" "$mode: every monitored test of both processes, once"
  tl_expect_eq "$(tl_sql pymon/.pymon "SELECT count(DISTINCT SESSION_H) FROM TEST_METRICS")" 1 \
    "$mode: one session (the child is part of its parent's run)"
  rb_clean pymon/.pymon "$mode"
done
tl_done
