# pymon-server killed (SIGKILL) and restarted in the middle of a run:
# stored rows survive; a client whose server is back by its next request
# carries on (curl reconnects); one whose server stays down warns once and
# stops sending, without hanging.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"

rs_build_driver
rs_start_server first --db server.pymon
port=$RS_PORT
./remote-driver "$RS_URL" 5 ctx-r sess-1 10 >out 2>err
tl_expect_eq "$(tail -1 out)" "metrics ok=10 of 10" "run 1 stored"

# Killed and back on the same port before the run's next request.
rm -f go
RS_GO_FILE=go ./remote-driver "$RS_URL" 5 ctx-r sess-2 10 >out 2>err &
driver=$!
rs_wait_text context= out
tl_expect_eq "$(head -1 out)" "context=0 session=0" "run 2 registered before the kill"
rs_stop "$RS_PID" KILL
tl_expect_eq "$RS_STATUS" 137 "server killed"
rs_start_server second --listen "127.0.0.1:$port" --db server.pymon
tl_expect_eq "$RS_PORT" "$port" "server back on the same port"
touch go
wait "$driver"
tl_expect_eq "$(tail -1 out)" "metrics ok=10 of 10" "run 2 carried on after the restart"
tl_expect_eq "$(wc -c <err)" 0 "no warning when the server came back in time"

# Killed and not back: one warning, the run finishes promptly.
rm -f go
RS_GO_FILE=go ./remote-driver "$RS_URL" 2 ctx-r sess-3 10 >out 2>err &
driver=$!
rs_wait_text context= out
rs_stop "$RS_PID" KILL
t0=$(date +%s.%N)
touch go
wait "$driver"
elapsed=$(rs_since "$t0")
tl_expect_eq "$(tail -1 out)" "metrics ok=0 of 10" "run 3 stops sending once the server is gone"
tl_expect_eq "$(grep -c 'pymon: warning: remote server' err)" 1 "run 3 warned once"
tl_expect_range "$elapsed" 0 2.5 "run 3 was not held up past the timeout"

# Everything committed before the kills is intact.
rs_start_server third --db server.pymon
tl_expect_eq "$(tl_sql server.pymon "SELECT SESSION_H, count(*) FROM TEST_METRICS GROUP BY SESSION_H ORDER BY 1" | tr '\n' ' ')" \
  "sess-1|10 sess-2|10 " "rows of runs 1 and 2 survived the kills"
tl_expect_eq "$(tl_sql server.pymon "SELECT count(*) FROM TEST_SESSIONS")" 3 "all three sessions stored"
code=$(rs_req GET "$RS_URL/metrics/?session_h=sess-2")
tl_expect_eq "$code" 200 "restarted server serves the stored rows"
tl_expect_eq "$(sqlite3 -batch :memory: "SELECT json_array_length(CAST(readfile('reply') AS TEXT), '\$.metrics')")" 10 "all 10 rows of run 2 served"
tl_done
