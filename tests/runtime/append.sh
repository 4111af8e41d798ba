# An existing pytest-monitor database is appended to, never rewritten:
# its tables keep their CREATE text and its rows stay byte for byte.
. "$(dirname "$0")/common.sh"
rt_build_driver

# pytest-monitor's tables with one session, context and row of its own.
rt_pytest_monitor_schema | sqlite3 pm.db || tl_fail "cannot build the pytest-monitor database"
sqlite3 pm.db <<'SQL' || tl_fail "cannot fill the pytest-monitor database"
INSERT INTO TEST_SESSIONS VALUES ('9c3d8e1f0a2b4c5d6e7f8091a2b3c4d5', '2023-05-04T10:11:12.131415',
  'deadbeef', '{"msg": "pytest run"}');
INSERT INTO EXECUTION_CONTEXTS VALUES ('00112233445566778899aabbccddeeff', 8, 2400.0, '',
  'Intel(R) Xeon(R)', 15928, 'ci.example.org', 'x86_64', '64bit', 'Linux - 5.10.0',
  '3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]');
INSERT INTO TEST_METRICS VALUES ('9c3d8e1f0a2b4c5d6e7f8091a2b3c4d5', '00112233445566778899aabbccddeeff',
  '2023-05-04T10:11:13.000001', 'pkg.test_mod', 'test_p', 'test_p[10, 10]', 'pkg/test_mod.py',
  'function', '', 0.5, 0.25, 0.01, 0.52, 12.5);
SQL
snapshot() {
  sqlite3 -batch pm.db "select sql from sqlite_master where name in
      ('TEST_SESSIONS', 'TEST_METRICS', 'EXECUTION_CONTEXTS') order by name;
    select quote(SESSION_H), quote(RUN_DATE), quote(SCM_ID), quote(RUN_DESCRIPTION)
      from TEST_SESSIONS where SESSION_H like '9c3d%';
    select * from EXECUTION_CONTEXTS where ENV_H like '0011%';
    select *, quote(TOTAL_TIME) from TEST_METRICS where SESSION_H like '9c3d%';"
}
before=$(snapshot)

PYMON_DB=pm.db ./driver 4 3 >/dev/null 2>err
tl_expect_eq "$?" 3 "the test program keeps its exit status"
tl_expect_eq "$(cat err)" "" "nothing on stderr"
PYMON_DB=pm.db ./driver 2 >/dev/null 2>&1

tl_expect_eq "$(snapshot)" "$before" "pytest-monitor's tables and rows untouched"
tl_expect_eq "$(tl_sql pm.db 'select count(*) from TEST_METRICS')" 7 "six rows appended to one"
tl_expect_eq "$(tl_sql pm.db 'select count(*) from TEST_SESSIONS')" 3 "two sessions appended"
tl_expect_eq "$(tl_sql pm.db 'select count(*) from EXECUTION_CONTEXTS')" 2 "one context appended"
tl_expect_eq "$(tl_sql pm.db "select count(*) from $TL_ITEM_OUTCOMES where OUTCOME = 'returned'")" 7 \
  "every row reads as returned, pytest-monitor's too"
tl_expect_eq "$(tl_sql pm.db 'PRAGMA integrity_check')" ok "database intact"
tl_done
