# Tests that sandbox themselves (a sandbox's tests): after a seccomp
# filter, a call it does not allow kills the process, and after Landlock
# pymon's files can no longer be made or removed, so pymon makes no call.
# Children that sandbox themselves exit or crash exactly as bare (exit
# status, signal, output, nothing on stderr), and a process that sandboxes
# itself ends its open test as `sandboxed`, stores it, and exits as it would.
. "$(dirname "$0")/common.sh"
rb_build_bare_and_monitored sandbox_suite.c
(cd bare && ./suite >out 2>err; echo $? >status)
grep -q "^filter, exit: exit 0$" bare/out || tl_skip "seccomp filters do not work here: $(cat bare/out)"

rb_run_both "children, each ending as bare"
tl_expect_eq "$(grep -c '' pymon/out)" "$(grep -q unavailable pymon/out && echo 8 || echo 10)" \
  "... four sandboxed children, their parent's lines"
tl_expect_match "$(grep '^filter, crash' pymon/out)" "signal 11$" "a sandboxed child's crash stays SIGSEGV"
tl_expect_eq "$(rb_outcomes pymon/.pymon)" \
  "test_child_filter_exits:returned:0 test_child_part:sandboxed:0 test_child_filter_crashes:returned:0 test_child_strict_exits:returned:0 test_child_landlocked_exits:returned:0 test_after_children:returned:0 " \
  "the parent's tests returned; the child's test ended where it sandboxed itself"
tl_expect_eq "$(tl_sql pymon/.pymon "SELECT count(*) FROM TEST_METRICS")" 6 "a row each"
rb_clean pymon/.pymon "children"

rb_run_both "sandboxed process" self
tl_expect_eq "$(cat pymon/status)" 0 "... exit status 0"
tl_expect_eq "$(rb_outcomes pymon/.pymon)" "test_sandboxes_itself:sandboxed:0 " \
  "the test that sandboxed the process ended there; none is monitored after"
tl_expect_range "$(rb_metric TOTAL_TIME test_sandboxes_itself pymon/.pymon)" 0 1 \
  "its row holds its time until then"
rb_clean pymon/.pymon "sandboxed process"
tl_done
