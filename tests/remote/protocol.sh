# Protocol conformance of pymon-server on SQLite, driven with curl: codes,
# bodies, bad requests (400/413/405/404) storing nothing, and the stored
# file having pytest-monitor's schema.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protocol-checks.sh"

rs_count() { tl_sql server.pymon "SELECT count(*) FROM $1"; }

rs_start_server srv --db server.pymon
rs_protocol_checks

# The file is a .pymon a pytest-monitor reader can open.
tl_expect_eq "$(tl_sql server.pymon "SELECT group_concat(name || ' ' || type, ', ') FROM pragma_table_info('TEST_SESSIONS')")" \
  "SESSION_H varchar(64), RUN_DATE varchar(64), SCM_ID varchar(128), RUN_DESCRIPTION json" \
  "TEST_SESSIONS columns"
tl_expect_eq "$(tl_sql server.pymon "SELECT group_concat(name, ',') FROM pragma_table_info('TEST_METRICS')")" \
  "SESSION_H,ENV_H,ITEM_START_TIME,ITEM_PATH,ITEM,ITEM_VARIANT,ITEM_FS_LOC,KIND,COMPONENT,TOTAL_TIME,USER_TIME,KERNEL_TIME,CPU_USAGE,MEM_USAGE" \
  "TEST_METRICS columns"
tl_expect_eq "$(tl_sql server.pymon "SELECT RUN_DESCRIPTION FROM TEST_SESSIONS")" \
  '{"pipeline_branch": "main", "pipeline_build_no": "42", "msg": "nightly"}' \
  "RUN_DESCRIPTION stored as pytest-monitor writes it (json.dumps), key order kept"
tl_expect_eq "$(tl_sql server.pymon "SELECT ITEM, TOTAL_TIME, typeof(TOTAL_TIME), COMPONENT FROM TEST_METRICS WHERE ITEM='test_c'")" \
  "test_c|0.25|real|" "metrics row stored with real times, null component as ''"
tl_expect_eq "$(tl_sql server.pymon "SELECT CPU_FREQUENCY_MHZ, typeof(CPU_COUNT) FROM EXECUTION_CONTEXTS")" \
  "2394|integer" "context integers stored as integers"

rs_stop "$RS_PID"
tl_expect_eq "$RS_STATUS" 0 "server exits 0 on SIGTERM"
tl_expect_match "$(cat srv.log)" "SIGTERM received, stopping" "server says it stops"
tl_done
