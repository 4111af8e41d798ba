# MEM_USAGE is the exact peak RSS during each item: the kernel's mark is
# reset per item (a small test after a big one is small again), an outer
# item keeps its peak although inner items reset the mark, memory let go
# without a page fault is gone for the next test, and all of it holds when
# a larger runner exec'd the suite (its peak then hides the process's own
# from getrusage, and pymon works from page faults and /proc/self/statm).
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

# above <item> <low> <high> <what>: MEM_USAGE of item minus test_small's.
above() {
  tl_expect_range "$(awk -v v="$(ps_value MEM_USAGE "$1")" -v s="$small" 'BEGIN{print v-s}')" \
    "$2" "$3" "$4"
}

# memory_rows <how the suite ran>
memory_rows() {
  small=$(ps_value MEM_USAGE test_small)
  tl_expect_range "$small" 0.5 60 "$1: a test that allocates nothing stays near the process size"
  above test_big 63 70 "$1: test_big touched 64 MB more than test_small"
  above test_small_after -2 2 "$1: the mark is reset: the test after the big one is small again"
  above test_outer 47 54 "$1: the outer test keeps its 48 MB peak although the inner test reset the mark"
  above test_inner -2 2 "$1: the inner test does not see the outer test's earlier peak"
  above test_hold 31 36 "$1: test_hold touched 32 MB and keeps them"
  above test_release 31 36 "$1: test_release starts with those 32 MB"
  above test_small_released -2 2 "$1: let go without a page fault, they are not in the next test"
}

./probe_suite memory >/dev/null || tl_fail "probe_suite memory failed"
memory_rows "run directly"

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
memory_rows "exec'd by a 300 MB runner"
tl_done
