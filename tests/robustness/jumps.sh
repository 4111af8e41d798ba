# Tests left by longjmp end at the jump, with outcome longjmp, and only
# those: a test that jumps back to its runner, then a test with a bigger
# frame called from the same place; a test that jumps within itself; a
# jump over two tests into a third.
. "$(dirname "$0")/common.sh"
rb_build_suite jumps_suite jumps_suite -O1

# check <mode> <expected outcomes> then, per item, <item> <min s> <max s>
check() {
  local mode=$1 want=$2
  shift 2
  rm -f .pymon
  tl_expect_eq "$(./jumps_suite "$mode")" "$mode" "$mode: the suite's output"
  tl_expect_eq "$(rb_outcomes)" "$want" "$mode: outcomes"
  while [ $# -gt 0 ]; do
    tl_expect_range "$(rb_metric TOTAL_TIME "$1")" "$2" "$3" "$mode: $1 ran until its end"
    shift 3
  done
  rb_clean .pymon "$mode"
}

check runner "test_fails:longjmp:0 test_big:returned:0 " \
  test_fails 0.045 0.15 test_big 0.195 0.5
check inside "test_self:returned:0 test_inner:longjmp:0 test_after:returned:0 " \
  test_inner 0.018 0.1 test_after 0.018 0.1 test_self 0.055 0.3
check deep "test_deep_outer:returned:0 test_deep:longjmp:0 test_deep_leaf:longjmp:0 " \
  test_deep_leaf 0.018 0.1 test_deep 0.018 0.1 test_deep_outer 0.115 0.4
tl_done
