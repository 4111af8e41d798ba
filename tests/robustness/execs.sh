# A test program that exec's itself between groups of tests: the rows the
# first image left in its journal (all of them but the last batch, for a
# short run; with the importer for a long one) are stored by the image
# after the exec, the same process, as soon as it starts, not later by
# whichever pymon process comes next.  A test that exec's from inside
# itself ends with the outcome exec at that moment; one whose exec fails
# goes on and returns.
. "$(dirname "$0")/common.sh"
rb_build_bare_and_monitored exec_suite.c

for n in 100 3000; do
  rb_run_both "$n tests, then exec" $n
  tl_expect_eq "$(rb_rows_per_item)" "test_after_exec:100 test_before_exec:$n " \
    "$n tests: both images' rows, once, when the run ends"
  rb_clean pymon/.pymon "$n tests"
done

rb_run_both "exec from inside a test" inside
tl_expect_eq "$(rb_outcomes pymon/.pymon | tr ' ' '\n' | grep -v test_after_exec | tr '\n' ' ')" \
  "test_exec_fails:returned:0 test_execs_itself:exec:0 " \
  "the test whose exec failed returned; the one that exec'd ended by it"
tl_expect_range "$(rb_metric TOTAL_TIME test_execs_itself pymon/.pymon)" 0.05 1 \
  "... at the exec, after its 50 ms"
tl_expect_eq "$(rb_rows_per_item)" "test_after_exec:100 test_exec_fails:1 test_execs_itself:1 " \
  "the new image's tests, and a row each for the first image's"
rb_clean pymon/.pymon "exec from inside a test"
tl_done
