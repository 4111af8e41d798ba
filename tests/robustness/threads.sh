# Threads: a test running two busy threads shows CPU_USAGE above 100 on two
# cores; tests run on two threads at once are each measured on their own
# thread's stack (rows not mixed up).  SERIAL: it measures CPU use.
. "$(dirname "$0")/common.sh"
tl_cc_plugin gcc -O1 -o suite "$RB_SRC/suites/threads_suite.c" -lpthread || tl_fail "build"

own=$(./suite cpu) || tl_fail "suite cpu"
cpu=$(rb_metric CPU_USAGE test_two_threads)
tl_expect_range "$(awk -v a="$cpu" -v b="$own" 'BEGIN { print a - b }')" -15 15 \
  "CPU_USAGE is the CPU use the test itself saw ($own)"
# Above one core whenever the machine gave the test its two cores.
if awk -v c="$own" 'BEGIN { exit !(c > 130) }'; then
  tl_expect_range "$cpu" 120 210 "two busy threads: CPU_USAGE above 100"
fi
tl_expect_range "$(rb_metric TOTAL_TIME test_two_threads)" 0.38 0.8 "two busy threads: wall time"

./suite >/dev/null || tl_fail "suite"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*), count(DISTINCT ITEM_VARIANT) FROM TEST_METRICS
  WHERE ITEM IN ('test_sleepy', 'test_quick')")" "50|50" "every test on both threads, each once"
tl_expect_range "$(tl_sql .pymon "SELECT min(TOTAL_TIME) FROM TEST_METRICS WHERE ITEM = 'test_sleepy'")" \
  0.019 0.5 "the sleeping thread's tests took their 20 ms"
tl_expect_range "$(tl_sql .pymon "SELECT max(TOTAL_TIME) FROM TEST_METRICS WHERE ITEM = 'test_quick'")" \
  0 0.015 "the other thread's tests did not take the sleeping ones' time"
tl_expect_eq "$(tl_sql .pymon "SELECT DISTINCT OUTCOME FROM $TL_ITEM_OUTCOMES")" returned "all returned"
rb_clean .pymon threads

# Tests whose thread ends inside them end as thread_exit; a thread
# cancelled between short tests leaves them all returned, and the process
# goes on (the monitoring is no cancellation point: a cancellation acted
# on inside it would have left its lock held).
rm -f .pymon
tl_expect_eq "$(timeout 60 ./suite ends; echo "rc=$?")" "done
rc=0" "threads ending in tests: the program goes on and exits as it would"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT || ':' || OUTCOME FROM $TL_ITEM_OUTCOMES
  WHERE ITEM_VARIANT != 'test_short_busy' ORDER BY ITEM_VARIANT" | tr '\n' ' ')" \
  "test_after_threads:returned test_cancelled_asleep:thread_exit test_thread_exits:thread_exit " \
  "pthread_exit and a cancellation inside a test: thread_exit"
tl_expect_range "$(tl_sql .pymon "SELECT min(TOTAL_TIME) FROM TEST_METRICS WHERE ITEM = 'test_cancelled_asleep'")" \
  0.04 1 "the cancelled test ran until its cancellation"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) > 0, group_concat(DISTINCT OUTCOME) FROM $TL_ITEM_OUTCOMES
  WHERE ITEM_VARIANT = 'test_short_busy'")" "1|returned" "the busy thread's tests: each returned"
rb_clean .pymon "threads ending"
tl_done
