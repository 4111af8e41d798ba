# pymon-server on PostgreSQL (Debian's postgresql 15, started here in a
# temporary directory): the same protocol checks as on SQLite, the same
# tables and columns, 8 parallel clients, and data kept across a restart.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protocol-checks.sh"

command -v psql >/dev/null || tl_skip "psql not installed"
rs_start_postgres
rs_count() { "${RS_PSQL[@]}" -c "SELECT count(*) FROM $1"; }

rs_start_server srv --postgres "$RS_PG_URL"
tl_expect_match "$(cat srv.log)" "storing in postgres" "server says it stores in PostgreSQL"
rs_protocol_checks

tl_expect_eq "$("${RS_PSQL[@]}" -c "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'test_sessions'")" \
  "session_h character varying, run_date character varying, scm_id character varying, run_description json" \
  "TEST_SESSIONS columns in PostgreSQL"
tl_expect_eq "$("${RS_PSQL[@]}" -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'test_metrics'")" \
  "session_h,env_h,item_start_time,item_path,item,item_variant,item_fs_loc,kind,component,total_time,user_time,kernel_time,cpu_usage,mem_usage" \
  "TEST_METRICS columns in PostgreSQL"
tl_expect_eq "$("${RS_PSQL[@]}" -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'execution_contexts'")" \
  "env_h,cpu_count,cpu_frequency_mhz,cpu_type,cpu_vendor,ram_total_mb,machine_node,machine_type,machine_arch,system_info,python_info" \
  "EXECUTION_CONTEXTS columns in PostgreSQL"
tl_expect_eq "$("${RS_PSQL[@]}" -c "SELECT run_description->>'msg' FROM TEST_SESSIONS")" nightly "description stored as json"

# The runtime client, 8 at once.
rs_build_driver
pids=""
for c in 1 2 3 4 5 6 7 8; do
  ./remote-driver "$RS_URL" 10 ctx-pg "pg-$c" 40 >"out.$c" 2>"err.$c" &
  pids="$pids $!"
done
for p in $pids; do wait "$p"; done
tl_expect_eq "$(cat out.* | grep -c 'metrics ok=40 of 40')" 8 "8 parallel clients, every row accepted"
tl_expect_eq "$(cat err.* | wc -c)" 0 "no client warned"
tl_expect_eq "$(rs_count "TEST_METRICS WHERE session_h LIKE 'pg-%'")" 320 "320 rows in PostgreSQL"
tl_expect_eq "$(rs_count "EXECUTION_CONTEXTS WHERE env_h = 'ctx-pg'")" 1 "shared context stored once"
tl_expect_eq "$("${RS_PSQL[@]}" -c "SELECT total_time, user_time, kernel_time, cpu_usage, mem_usage FROM TEST_METRICS WHERE session_h = 'pg-3' AND item = 'test_7'")" \
  "0.008|0.0035|0.25|75.5|8" "values stored exactly in PostgreSQL"

# A restarted server finds the rows.
rs_stop "$RS_PID"
tl_expect_eq "$RS_STATUS" 0 "server stops cleanly"
rs_start_server again --postgres "$RS_PG_URL"
code=$(rs_req GET "$RS_URL/metrics/?session_h=pg-8&item=test_39")
tl_expect_eq "$(rs_json reply '$.metrics[0].total_time')" 0.04 "rows served after a server restart"

# A server that cannot reach PostgreSQL says so and exits 1.
status=0
"$RS_SERVER" --listen 127.0.0.1:0 --postgres "host=$TL_DIR/nowhere user=pymon" >out 2>err || status=$?
tl_expect_eq "$status" 1 "unreachable PostgreSQL exits 1"
tl_expect_match "$(cat err)" "cannot connect to PostgreSQL" "error says PostgreSQL is unreachable"
tl_done
