# Tests run in a child made by clone() without shared memory, which runs
# no fork handlers: the child keeps its rows apart from its parent's (it
# wrote into the parent's journal and lost rows of both), the parent
# stores what the child left when it ended without notice, and both end
# as they would bare, also when the child sandboxes itself.
. "$(dirname "$0")/common.sh"
rb_build_bare_and_monitored clone_suite.c

for mode in return exit sandbox; do
  rb_run_both "child that ends by $mode" $mode
  rows="test_in_child:300 test_in_parent:500 "
  [ $mode = sandbox ] && rows="test_in_parent:500 " # the child's tests run sandboxed
  tl_expect_eq "$(rb_rows_per_item)" "$rows" "$mode: every monitored test of both processes, once"
  tl_expect_eq "$(tl_sql pymon/.pymon "SELECT count(DISTINCT SESSION_H) FROM TEST_METRICS")" 1 \
    "$mode: one session (the child is part of its parent's run)"
  rb_clean pymon/.pymon "$mode"
done
tl_done
