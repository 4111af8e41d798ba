# Every way a test can end: the test's row is stored with its outcome and
# the time it ran until, the program's exit status and output are its own,
# and nothing half-written stays behind.  Abnormal ends that kill the
# process are imported by the next pymon process using the database.
. "$(dirname "$0")/common.sh"
rb_build_suite ends_suite ends_suite -O1
rb_build_suite ends_suite ends_fortified -O2 -D_FORTIFY_SOURCE=2
tl_expect_match "$(nm -D ends_fortified)" "U __longjmp_chk" "_FORTIFY_SOURCE makes the suite call __longjmp_chk"

# run <name> <expected status> <expected outcomes> <command...>
run() {
  local name=$1 status=$2 want=$3 rc=0
  shift 3
  rm -rf .pymon .pymon.pymon-journal
  "$@" >out.txt 2>err.txt || rc=$?
  tl_expect_eq "$rc" "$status" "$name: exit status"
  tl_expect_eq "$(grep -v '^test_' err.txt | grep -c pymon)" 0 "$name: no pymon message"
  # A process that died leaves its journal: the next pymon process imports it.
  ./ends_suite returns >/dev/null 2>>err.txt || tl_fail "$name: second run"
  tl_expect_eq "$(rb_outcomes | sed 's/ test_first:returned:0 test_end:returned:0 test_last:returned:0 $/ +/')" \
    "$want" "$name: outcomes"
  rb_clean .pymon "$name"
}

run returns 0 "test_first:returned:0 test_end:returned:0 test_last:returned:0 +" ./ends_suite returns
tl_expect_eq "$(cat out.txt | tr '\n' ' ')" "test_first test_end test_last " "the suite's output"
run exit 4 "test_first:returned:0 test_end:exit:4 +" ./ends_suite exit
run _exit 5 "test_first:returned:0 test_end:exit:5 +" ./ends_suite _exit
run _Exit 6 "test_first:returned:0 test_end:exit:6 +" ./ends_suite _Exit
run abort 134 "test_first:returned:0 test_end:signal:6 +" ./ends_suite abort
run assert 134 "test_first:returned:0 test_end:signal:6 +" ./ends_suite assert
# AddressSanitizer handles SIGSEGV itself (and exits with 1): not ours.
if [ "${PYMON_TEST_SANITIZE:-0}" != 1 ]; then
  run segv 139 "test_first:returned:0 test_end:signal:11 +" ./ends_suite segv
  run "SIGSEGV in another thread" 139 "test_first:returned:0 test_end:signal:11 +" ./ends_suite crashthread
fi
run "SIGTERM" 143 "test_first:returned:0 test_end:signal:15 +" ./ends_suite term
# 2 s: the suite must reach its hanging test even under ASan on a busy machine.
run "SIGTERM from timeout" 124 "test_first:returned:0 test_end:signal:15 +" timeout -s TERM 2 ./ends_suite hang
run "SIGKILL from timeout" 137 "test_first:returned:0 test_end:killed:0 +" timeout -s KILL 2 ./ends_suite hang
run longjmp 0 "test_first:returned:0 test_end:longjmp:0 test_last:returned:0 +" ./ends_suite longjmp
run "_exit in a vfork'd child" 0 "test_first:returned:0 test_end:returned:0 test_last:returned:0 +" \
  ./ends_suite vfork_exit
run siglongjmp 0 "test_first:returned:0 test_end:longjmp:0 test_last:returned:0 +" ./ends_suite siglongjmp
run __longjmp_chk 0 "test_first:returned:0 test_end:longjmp:0 test_last:returned:0 +" ./ends_fortified longjmp

# The time an item ran until: the end itself where the process could note
# it, the last probe (its start) after SIGKILL.
run abort-time 134 "test_first:returned:0 test_end:signal:6 +" ./ends_suite assert
tl_expect_range "$(tl_sql .pymon "SELECT min(TOTAL_TIME) FROM TEST_METRICS WHERE ITEM = 'test_end'")" 0.09 0.5 \
  "a test killed by a signal ran until the signal"
run kill-time 137 "test_first:returned:0 test_end:killed:0 +" timeout -s KILL 2 ./ends_suite hang
tl_expect_range "$(tl_sql .pymon "SELECT min(TOTAL_TIME) FROM TEST_METRICS WHERE ITEM = 'test_end'")" 0 0.05 \
  "a killed test's time is up to the process's last probe"

# pytest-monitor's behaviour on request: only passed tests in TEST_METRICS.
rm -rf .pymon .pymon.pymon-journal
PYMON_ONLY_PASSED=1 ./ends_suite longjmp >/dev/null
PYMON_ONLY_PASSED=1 ./ends_suite term >/dev/null 2>&1
PYMON_ONLY_PASSED=1 ./ends_suite exit >/dev/null
PYMON_ONLY_PASSED=1 ./ends_suite returns >/dev/null
tl_expect_eq "$(tl_sql .pymon "SELECT DISTINCT ITEM FROM TEST_METRICS ORDER BY 1" | tr '\n' ' ')" \
  "test_end test_first test_last " "PYMON_ONLY_PASSED=1 keeps passed tests"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM = 'test_end'")" 1 \
  "PYMON_ONLY_PASSED=1: only the test_end that returned"
tl_expect_eq "$(tl_sql .pymon "SELECT group_concat(OUTCOME, ' ') FROM (SELECT OUTCOME FROM $TL_ITEM_OUTCOMES
  WHERE ITEM_VARIANT = 'test_end' ORDER BY ITEM_START_TIME)")" "longjmp signal exit returned" \
  "PYMON_ONLY_PASSED=1: every outcome is still in PYMON_ITEM_OUTCOMES"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM PYMON_ITEM_OUTCOMES WHERE OUTCOME = 'returned'")" 0 \
  "an item that returned has no outcome row"
tl_expect_eq "$(tl_sql .pymon "SELECT count(DISTINCT PID) FROM PYMON_ITEM_OUTCOMES
  WHERE PID BETWEEN 2 AND 4194304")" 3 "an abnormal end names the process it happened in"
PYMON_ONLY_PASSED=maybe ./ends_suite returns >/dev/null 2>err.txt
tl_expect_eq "$?" 2 "a bad PYMON_ONLY_PASSED is a usage error"
tl_expect_match "$(cat err.txt)" "PYMON_ONLY_PASSED='maybe': expected one of 1, 0" "the error names the value"
tl_done
