# 8 clients at once against one pymon-server (SQLite): every row stored,
# the shared context created once, no client refused, reads meanwhile.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"

rs_build_driver
rs_start_server srv --db server.pymon
pids=""
for c in 1 2 3 4 5 6 7 8; do
  ./remote-driver "$RS_URL" 10 ctx-shared "sess-$c" 60 >"out.$c" 2>"err.$c" &
  pids="$pids $!"
done
# Reads while the clients write must keep answering.
reads_ok=0
for i in $(seq 20); do
  code=$(rs_req GET "$RS_URL/sessions/")
  case $code in 200|204) reads_ok=$((reads_ok + 1)) ;; esac
done
for p in $pids; do wait "$p"; done
tl_expect_eq "$reads_ok" 20 "reads answered during the parallel writes"
tl_expect_eq "$(cat out.* | grep -c 'metrics ok=60 of 60')" 8 "all 8 clients had every row accepted"
tl_expect_eq "$(cat err.* | wc -c)" 0 "no client warned"
tl_expect_eq "$(tl_sql server.pymon 'SELECT count(*) FROM TEST_METRICS')" 480 "480 rows stored"
tl_expect_eq "$(tl_sql server.pymon 'SELECT count(DISTINCT SESSION_H) FROM TEST_METRICS')" 8 "rows of 8 sessions"
tl_expect_eq "$(tl_sql server.pymon 'SELECT count(*) FROM TEST_SESSIONS')" 8 "8 sessions stored"
tl_expect_eq "$(tl_sql server.pymon 'SELECT count(*) FROM EXECUTION_CONTEXTS')" 1 "shared context stored once"
code=$(rs_req GET "$RS_URL/metrics/?session_h=sess-5&item=test_59")
tl_expect_eq "$(rs_json reply '$.metrics[0].mem_usage')" 60.0 "a row read back through the server"
rs_stop "$RS_PID"
tl_expect_eq "$RS_STATUS" 0 "server stops cleanly after parallel load"
tl_done
