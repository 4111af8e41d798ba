# pymon report: totals per kind, the slowest / most CPU / most memory lists
# in the right order with the stored values, items that did not return,
# session choice, and one test's history across sessions.
. "$(dirname "$0")/clilib.sh"

db=r.pymon
cl_schema $db
cl_outcomes_table $db
cl_context $db e1 "Intel Xeon" 2 x86_64
cl_session $db 1111aaaa 2024-05-01T10:00:00 rev1 '{"msg": "first"}'
cl_session $db 2222bbbb 2024-05-02T10:00:00 rev2
cl_session $db 3333cccc 2024-05-03T10:00:00.250000 rev3 '{"msg": "third", "os": "linux"}'
for s in 1111aaaa:0.9 2222bbbb:1.1 3333cccc:1.0; do
  cl_metric $db "${s%%:*}" e1 tests.math test_sleep "${s#*:}" 0.001 0.001 0.2 2.0
done
cl_metric $db 3333cccc e1 tests.math 'test_heavy[10-10]' 0.5 0.45 0.05 100 80
cl_metric $db 3333cccc e1 tests.io test_read 0.2 0.02 0.1 60 5 function storage
sqlite3 $db "INSERT INTO TEST_METRICS VALUES ('3333cccc', 'e1', '2024-05-03T10:00:01',
  'tests', 'math', '', 'tests/math.c', 'module', '', 1.6, 0.5, 0.06, 35, 80.5)"
sqlite3 $db "INSERT INTO PYMON_ITEM_OUTCOMES SELECT SESSION_H, ENV_H, ITEM_START_TIME,
  ITEM_PATH, ITEM_VARIANT, KIND, 'signal', 11, 4242 FROM TEST_METRICS WHERE ITEM = 'test_read'"

# first_after <heading regex> <n>: the n-th line under a heading (tables
# have a header line first).
first_after() {
  printf '%s\n' "$out" | awk -v h="$1" -v n="${2:-1}" '$0 ~ h {skip = n; next}
    skip && --skip == 0 {print; exit}'
}

cl_pymon report --db $db
tl_expect_eq "$rc" 0 "report of the latest session"
tl_expect_match "$out" "^Session 3333cccc" "latest session by default"
tl_expect_match "$out" "run date +2024-05-03T10:00:00.250000" "run date shown"
tl_expect_match "$out" 'description +\{"msg": "third", "os": "linux"\}' "description shown"
tl_expect_match "$out" "session 3 of 3" "position shown"
tl_expect_match "$(first_after '^Totals' 1)" "function +3 items +wall +1.700 s +CPU +0.622 s +peak memory 80.0 MB" "function totals"
tl_expect_match "$(first_after '^Totals' 2)" "module +1 items +wall +1.600 s" "module totals kept apart"
tl_expect_match "$(first_after '^Slowest' 2)" "^ +1 +1.000 s +0.002 s +2.0 MB +0.2 +tests.math::test_sleep$" "slowest function with its values"
tl_expect_match "$(first_after '^Most CPU' 2)" "^ +1 .*tests.math::test_heavy\[10-10\]" "most CPU"
tl_expect_match "$(first_after '^Most CPU' 3)" "^ +2 .*tests.io::test_read \{storage\} \(signal\)" "component and outcome shown"
tl_expect_match "$(first_after '^Most memory' 2)" "80.0 MB .*test_heavy" "most memory first"
tl_expect_match "$(first_after '^Most memory' 3)" "5.0 MB .*test_read" "most memory second"
tl_expect_eq "$(printf '%s\n' "$out" | grep -c 'tests.math \[module\]')" 0 "module rows only in the totals"
tl_expect_match "$(first_after '^Items that did not return' 2)" "^ +signal .*test_read" "abnormal items listed"

cl_pymon report --db $db --top 1
tl_expect_eq "$(printf '%s\n' "$out" | grep -c '^ *2  ')" 0 "--top 1 lists one item each"

cl_pymon report --db $db --session previous
tl_expect_match "$out" "^Session 2222bbbb" "previous session"
tl_expect_match "$out" "tests.math::test_sleep" "previous session's item"
tl_expect_eq "$(printf '%s\n' "$out" | grep -c 'Items that did not')" 0 "no abnormal section without one"

cl_pymon report --db $db --test test_sleep
tl_expect_eq "$rc" 0 "history"
tl_expect_match "$out" "History of 'test_sleep': 3 runs" "history count"
hist=$(printf '%s\n' "$out" | grep '^  2024' | awk '{print $1 "=" $3}' | tr '\n' ' ')
tl_expect_eq "$hist" "2024-05-01T10:00:00=0.900 2024-05-02T10:00:00=1.100 2024-05-03T10:00:00=1.000 " "history in session order with each TOTAL_TIME"
cl_pymon report --db $db --test 'tests.math::test_heavy[10-10]'
tl_expect_match "$out" "1 runs" "history by full name"

# A host where the runtime could not reset the peak-memory mark: a note.
cl_pymon report --db $db
tl_expect_eq "$(printf '%s\n' "$out" | grep -c '^Note:')" 0 "no note while every host could reset"
sqlite3 $db "CREATE TABLE PYMON_COMMAND_ANSWERS (COMMAND varchar(1024) primary key, ANSWER varchar(256));
  INSERT INTO PYMON_COMMAND_ANSWERS VALUES ('uname -p|ci-7|6.1.0|x86_64|/usr/bin/uname|1:2:3:4.0:5.0', 'unknown'),
    ('/proc/self/clear_refs|ci-7|6.1.0-gvisor', 'Input/output error')"
cl_pymon report --db $db
tl_expect_eq "$(printf '%s\n' "$out" | grep '^Note:')" \
  "Note: on ci-7 (Linux 6.1.0-gvisor), /proc/self/clear_refs could not be written (Input/output error): MEM_USAGE there is each process's peak so far, not each test's own." \
  "the host whose peaks are the process's so far, and why"

# A pytest-monitor database has no PYMON_ tables: no outcome, no error.
sqlite3 $db "DROP TABLE PYMON_ITEM_OUTCOMES"
cl_pymon report --db $db
tl_expect_eq "$rc" 0 "report without pymon's own tables"
tl_expect_eq "$(printf '%s\n' "$out" | grep -c 'signal')" 0 "no outcomes without the table"

tl_done
