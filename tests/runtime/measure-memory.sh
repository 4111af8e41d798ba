# MEM_USAGE is the exact peak RSS during each item: the kernel's mark is
# reset per item (a small test after a big one is small again), an outer
# item keeps its peak although inner items reset the mark, and a large
# runner that exec'd the suite does not leak its size into the rows.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite memory >/dev/null || tl_fail "probe_suite memory failed"
small=$(ps_value MEM_USAGE test_small)
big=$(ps_value MEM_USAGE test_big)
after=$(ps_value MEM_USAGE test_small_after)
outer=$(ps_value MEM_USAGE test_outer)
inner=$(ps_value MEM_USAGE test_inner)
tl_expect_range "$small" 0.5 60 "a test that allocates nothing stays near the process size"
tl_expect_range "$(awk -v b="$big" -v s="$small" 'BEGIN{print b-s}')" 63 70 \
  "test_big touched 64 MB more than test_small"
tl_expect_range "$(awk -v a="$after" -v s="$small" 'BEGIN{print a-s}')" -2 2 \
  "the mark is reset: the test after the big one is small again"
tl_expect_range "$(awk -v o="$outer" -v s="$small" 'BEGIN{print o-s}')" 47 54 \
  "the outer test keeps its 48 MB peak although the inner test reset the mark"
tl_expect_range "$(awk -v i="$inner" -v s="$small" 'BEGIN{print i-s}')" -2 2 \
  "the inner test does not see the outer test's earlier peak"

# A 300 MB runner that execs the suite: ru_maxrss would report 300 MB.
rm -f .pymon
python3 - <<'PY' || tl_fail "could not run the suite from a big runner"
import os
block = bytearray(300 << 20)
for i in range(0, len(block), 4096):
    block[i] = 1
os.execv("./probe_suite", ["probe_suite", "memory"])
PY
tl_expect_range "$(ps_value MEM_USAGE test_small)" 0.5 60 \
  "the runner's 300 MB do not show in a small test"
tl_expect_range "$(ps_value MEM_USAGE test_big)" 64 130 \
  "the big test still shows its own 64 MB"
tl_done
