# The journal: a finished test's row is in .pymon while its process still
# runs; journals of killed processes are imported exactly once even when
# several processes find them at the same time; a journal that cannot be
# made (a file-size limit) leaves rows stored one by one.
. "$(dirname "$0")/common.sh"
rb_build_suite ends_suite ends_suite -O1

# in_test_end <out file>...: wait until each process is inside test_end.
in_test_end() {
  for _ in $(seq 50); do
    [ "$(cat "$@" 2>/dev/null | grep -c '^test_end$')" = $# ] && return
    sleep 0.1
  done
}

./ends_suite hang >out.0 &
pid=$!
in_test_end out.0
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM FROM TEST_METRICS")" test_first \
  "a finished test's row is visible while its process runs"
tl_expect_eq "$(ls .pymon.pymon-journal | wc -l)" 1 "the running process has its journal"
kill -KILL $pid
wait $pid 2>/dev/null

# Five more processes (the first imports the journal left above), killed in
# the middle of a test.
for i in $(seq 5); do
  ./ends_suite hang >"out.$i" &
  pids="${pids:-} $!"
done
in_test_end out.1 out.2 out.3 out.4 out.5
# shellcheck disable=SC2086
kill -KILL $pids
wait 2>/dev/null
tl_expect_eq "$(ls .pymon.pymon-journal | wc -l)" 5 "five killed processes, five journals"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM PYMON_ITEM_OUTCOMES WHERE OUTCOME = 'killed'")" 1 \
  "the first killed process's test imported by the next ones, once"

# Four processes start at once; each finds the dead journals.
for _ in $(seq 4); do ./ends_suite returns >/dev/null & done
wait
tl_expect_eq "$(tl_sql .pymon "SELECT count(*), count(DISTINCT PID) FROM PYMON_ITEM_OUTCOMES
  WHERE ITEM_VARIANT = 'test_end' AND OUTCOME = 'killed'")" "6|6" "each killed test imported exactly once"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS")" 24 "6 x 1 + 6 x 1 killed + 4 x 3 rows"
rb_clean .pymon journal

# The pymon command stores what killed processes left before it reads:
# their tests show, the running one as killed, each stored as its process
# would have (PYMON_ONLY_PASSED goes with the journal, not the command).
if [ -n "${PYMON_TEST_CLI:-}" ]; then
  rm -rf .pymon
  PYMON_ONLY_PASSED=1 ./ends_suite hang >out.b &
  pid_b=$!
  sleep 0.2 # the report shows the latest session: a's
  ./ends_suite hang >out.a &
  pid_a=$!
  in_test_end out.a out.b
  kill -KILL $pid_a $pid_b
  wait 2>/dev/null
  tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM $TL_ITEM_OUTCOMES WHERE OUTCOME = 'killed'")" 0 \
    "before the command: the killed tests are in the journals only"
  "$PYMON_TEST_CLI" report --db .pymon >report 2>err
  tl_expect_eq "$?:$(cat err)" "0:" "pymon report after a killed run: status 0, nothing on stderr"
  tl_expect_match "$(cat report)" "test_end \(killed\)" "the report shows the killed test"
  tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM $TL_ITEM_OUTCOMES WHERE ITEM_VARIANT = 'test_end'
    AND OUTCOME = 'killed'")" 2 "both killed tests stored"
  tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM = 'test_end'")" 1 \
    "the PYMON_ONLY_PASSED process's killed test has no metrics row"
  rb_clean .pymon "journal, after pymon report"
fi

# No journal possible: rows are stored one by one, right away.
rm -rf .pymon
(ulimit -f 1024 && ./ends_suite returns >/dev/null) || tl_fail "under a file-size limit"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS")" 3 "rows stored without a journal"
tl_expect_eq "$(ls -a | grep -c journal)" 0 "no journal under a 1 MB file-size limit"
tl_done
