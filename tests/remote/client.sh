# The runtime's remote client (runtime/src/remote.c) against pymon-server
# and against servers that refuse, never answer, fail or answer nonsense:
# one warning, the remote dropped, every call bounded by the timeout.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"

rs_build_driver
rs_build_fake

warnings() { grep -c "pymon: warning: remote server" "$1"; }

# A working server, reached as host:port (the manual's form).
rs_start_server srv --db server.pymon
./remote-driver "127.0.0.1:$RS_PORT" 5 ctx-a sess-a 20 >out 2>err
tl_expect_eq "$(head -1 out)" "context=0 session=0" "context and session created"
tl_expect_eq "$(tail -1 out)" "metrics ok=20 of 20" "every metrics POST accepted"
tl_expect_eq "$(wc -c <err)" 0 "no warning against a working server"
tl_expect_eq "$(tl_sql server.pymon "SELECT count(*) FROM TEST_METRICS WHERE SESSION_H='sess-a' AND ENV_H='ctx-a'")" 20 "20 rows on the server"
tl_expect_eq "$(tl_sql server.pymon "SELECT ITEM, TOTAL_TIME, USER_TIME, KERNEL_TIME, CPU_USAGE, MEM_USAGE, COMPONENT, KIND FROM TEST_METRICS WHERE ITEM='test_3'")" \
  "test_3|0.004|0.0015|0.25|75.5|4.0|driver|function" "values arrive exactly"
tl_expect_eq "$(tl_sql server.pymon "SELECT MACHINE_NODE, CPU_FREQUENCY_MHZ, PYTHON_INFO FROM EXECUTION_CONTEXTS")" \
  "driver.example|2400|GCC 12.2.0 glibc 2.36" "context fields arrive"
tl_expect_eq "$(tl_sql server.pymon "SELECT SCM_ID, json_extract(RUN_DESCRIPTION, '\$.msg') FROM TEST_SESSIONS")" \
  "0123abcd|remote driver" "session fields arrive, description as an object"

# Known context and session: looked up (200), not created again; a full
# URL with the /api/v1 prefix and a trailing slash works the same.
./remote-driver "$RS_URL/api/v1/" 5 ctx-a sess-a 5 >out 2>err
tl_expect_eq "$(cat out)" "$(printf 'context=0 session=0\nmetrics ok=5 of 5')" "second run against known context and session"
tl_expect_eq "$(tl_sql server.pymon "SELECT count(*) FROM EXECUTION_CONTEXTS") $(tl_sql server.pymon "SELECT count(*) FROM TEST_SESSIONS")" "1 1" "context and session stored once"

# Forked children get their own connection (a shared one would mix up
# replies); rows from all of them arrive.
./remote-driver "127.0.0.1:$RS_PORT" 5 ctx-a sess-fork 10 3 >out 2>err
tl_expect_eq "$(grep -c 'ok=10 of 10' out)" 4 "parent and 3 forked children all sent"
tl_expect_eq "$(tl_sql server.pymon "SELECT count(*) FROM TEST_METRICS WHERE SESSION_H='sess-fork'")" 40 "40 rows from the forked run"
tl_expect_eq "$(wc -c <err)" 0 "no warning with forked children"

# stopped_server_case LABEL SESSION [ENV...]: a driver with 3 forked
# children, the server stopped (SIGSTOP) once the driver has its context:
# the first child to time out drops the remote for all of them (one 1 s
# timeout, one warning), and for the parent too.
stopped_server_case() {
  local label=$1 session=$2 driver t0 elapsed; shift 2
  rm -f go out
  env "$@" RS_GO_FILE=go ./remote-driver "127.0.0.1:$RS_PORT" 1 ctx-a "$session" 5 3 >out 2>err &
  driver=$!
  rs_wait_text context= out
  kill -STOP "$RS_PID"
  t0=$(date +%s.%N)
  touch go
  wait "$driver"
  elapsed=$(rs_since "$t0")
  kill -CONT "$RS_PID"
  tl_expect_eq "$(warnings err)" 1 "$label: one warning for a server that stopped answering"
  tl_expect_range "$elapsed" 0.9 2.5 "$label: one 1 s timeout, not one per child"
}
stopped_server_case "one handle" sess-stop
tl_expect_match "$(cat err)" "no answer within 1.0 s" "warning says the server did not answer in time"
# The same when each child opens the remote afresh (as the runtime does).
stopped_server_case "reopening children" sess-stop2 RS_REOPEN=1

# Refused: nothing listens on the port.
rs_stop "$RS_PID"
elapsed=$(rs_elapsed ./remote-driver "127.0.0.1:$RS_PORT" 5 ctx-a sess-b 50)
./remote-driver "127.0.0.1:$RS_PORT" 5 ctx-a sess-b 50 >out 2>err
tl_expect_eq "$(cat out)" "$(printf 'context=-1 session=-1\nmetrics ok=0 of 50')" "refused: every call fails"
tl_expect_eq "$(warnings err)" 1 "refused: exactly one warning"
tl_expect_match "$(cat err)" "remote server http://127.0.0.1:$RS_PORT: GET /contexts/ctx-a: .*(refused|connect)" "refused: warning names server, request and cause"
tl_expect_match "$(cat err)" "local storage goes on" "warning says local storage goes on"
tl_expect_range "$elapsed" 0 1 "refused: the run is not slowed"

# Silent: accepts and never answers.
rs_start_fake silent silent
elapsed=$(rs_elapsed ./remote-driver "$RS_URL" 1 ctx-a sess-b 50)
./remote-driver "$RS_URL" 1 ctx-a sess-b 50 >out 2>err
tl_expect_eq "$(cat out)" "$(printf 'context=-1 session=-1\nmetrics ok=0 of 50')" "silent: every call fails"
tl_expect_eq "$(warnings err)" 1 "silent: exactly one warning"
tl_expect_match "$(cat err)" "no answer within 1.0 s" "silent: warning names the timeout"
tl_expect_range "$elapsed" 0.9 2 "silent: run slowed by one timeout only"

# 500, an unexpected code, a non-JSON body.
check_bad_server() { # mode... ; expected warning regex
  local expect=$1; shift
  rs_start_fake bad "$@"
  ./remote-driver "$RS_URL" 5 ctx-a sess-b 10 >out 2>err
  tl_expect_eq "$(cat out)" "$(printf 'context=-1 session=-1\nmetrics ok=0 of 10')" "$*: every call fails"
  tl_expect_eq "$(warnings err)" 1 "$*: exactly one warning"
  tl_expect_match "$(cat err)" "$expect" "$*: warning explains"
  rs_stop "$RS_PID" KILL
}
check_bad_server "answered HTTP 500: fake failure \(expected 200 or 204\)" status 500
check_bad_server "answered HTTP 404" status 404
check_bad_server "answered 200 without a JSON object" garbage

# Bad addresses are refused when opening, naming the value.
for address in "ftp://example.org" "example.org" "example.org:99999" "http://"; do
  ./remote-driver "$address" 1 ctx-a sess-b 1 >out 2>err
  tl_expect_match "$(cat out)" "open failed: remote server '$address'" "bad address '$address' refused by name"
done
tl_done
