# pymon-server's command line: usage errors (exit 2 naming the value),
# start-up failures, --token / PYMON_SERVER_TOKEN, --max-body, and a clean
# stop on SIGINT and SIGTERM.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"

usage_case() { # expected-regex args...
  local expect=$1; shift
  local status=0
  "$RS_SERVER" "$@" >out 2>err </dev/null || status=$?
  tl_expect_eq "$status" 2 "pymon-server $* exits 2"
  tl_expect_match "$(cat err)" "$expect" "pymon-server $* names the problem"
}
usage_case "--listen 'nonsense': expected HOST:PORT" --listen nonsense
usage_case "port '70000': expected a whole number from 0 to 65535" --listen 127.0.0.1:70000
usage_case "--max-body 'lots': expected a whole number" --max-body lots
usage_case "--threads '0': expected a whole number from 1 to 64" --threads 0
usage_case "unknown option '--bogus'" --bogus
usage_case "option --db needs a value" --db
usage_case "--db and --postgres exclude each other" --db a.pymon --postgres postgresql:///x

"$RS_SERVER" --help >out 2>&1
tl_expect_match "$(cat out)" "--postgres URL" "--help lists the options"

# Start-up failures exit 1 with the reason.
status=0
"$RS_SERVER" --listen 127.0.0.1:0 --db /nonexistent/dir/x.pymon >out 2>err || status=$?
tl_expect_eq "$status" 1 "unusable database exits 1"
tl_expect_match "$(cat err)" "/nonexistent/dir/x.pymon" "error names the database path"
rs_start_server first --db a.pymon
status=0
timeout 10 "$RS_SERVER" --listen "127.0.0.1:$RS_PORT" --db b.pymon >out 2>err || status=$?
tl_expect_eq "$status" 1 "a port in use exits 1"
tl_expect_match "$(cat err)" "--listen '127.0.0.1:$RS_PORT'" "error names the address"
rs_stop "$RS_PID" INT
tl_expect_eq "$RS_STATUS" 0 "SIGINT stops the server with status 0"
tl_expect_match "$(cat first.log)" "SIGINT received" "server reports SIGINT"

# --token: writes need the bearer token, reads do not.
rs_start_server tok --db tok.pymon --token s3cret
code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body c1)")
tl_expect_eq "$code" 401 "POST without the token is 401"
tl_expect_match "$(rs_json reply '$.error')" "Bearer" "401 says what is needed"
code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body c1)" -H 'Authorization: Bearer wrong')
tl_expect_eq "$code" 401 "POST with a wrong token is 401"
code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body c1)" -H 'Authorization: Bearer s3cret-and-more')
tl_expect_eq "$code" 401 "POST with a longer token is 401"
tl_expect_eq "$(tl_sql tok.pymon 'SELECT count(*) FROM EXECUTION_CONTEXTS')" 0 "nothing stored without the token"
code=$(rs_req GET "$RS_URL/contexts/c1")
tl_expect_eq "$code" 204 "reads need no token"
code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body c1)" -H 'Authorization: Bearer s3cret')
tl_expect_eq "$code" 201 "POST with the token is 201"

# The runtime client sends PYMON_REMOTE_TOKEN.
rs_build_driver
PYMON_REMOTE_TOKEN=s3cret ./remote-driver "$RS_URL" 5 c1 s1 3 >out 2>err
tl_expect_eq "$(tail -1 out)" "metrics ok=3 of 3" "client with PYMON_REMOTE_TOKEN writes"
./remote-driver "$RS_URL" 5 c2 s2 3 >out 2>err
tl_expect_eq "$(tail -1 out)" "metrics ok=0 of 3" "client without the token is refused"
tl_expect_match "$(cat err)" "POST /contexts/ answered HTTP 401" "client warns about the 401"
rs_stop "$RS_PID"

# PYMON_SERVER_TOKEN is the same as --token.
PYMON_SERVER_TOKEN=envtok rs_start_server envtok --db tok.pymon
code=$(rs_req POST "$RS_URL/sessions/" "$(rs_session_body s9)")
tl_expect_eq "$code" 401 "PYMON_SERVER_TOKEN protects writes"
code=$(rs_req POST "$RS_URL/sessions/" "$(rs_session_body s9)" -H 'Authorization: Bearer envtok')
tl_expect_eq "$code" 201 "PYMON_SERVER_TOKEN accepted"
rs_stop "$RS_PID"

# --max-body
rs_start_server small --db small.pymon --max-body 600
code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body c1)")
tl_expect_eq "$code" 201 "a body under --max-body is accepted"
code=$(rs_req POST "$RS_URL/sessions/" "$(rs_session_body s1 | sed "s/nightly/$(head -c 700 /dev/zero | tr '\0' n)/")")
tl_expect_eq "$code" 413 "a body over --max-body is 413"
tl_expect_match "$(rs_json reply '$.error')" "larger than 600 bytes" "413 gives the limit"
tl_expect_eq "$(tl_sql small.pymon 'SELECT count(*) FROM TEST_SESSIONS')" 0 "nothing stored from the oversized body"
rs_stop "$RS_PID"
tl_expect_eq "$RS_STATUS" 0 "SIGTERM stops the server with status 0"
tl_done
