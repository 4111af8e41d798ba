# pymon report, compare, check, export and html reading a pymon-server
# (--server ADDR, or --db URL): the same status and output as from the
# server's own .pymon file, and exit 2 naming the URL and the cause when
# the server refuses, never answers, fails or answers nonsense.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"

PYMON=${PYMON_TEST_CLI:-}
[ -n "$PYMON" ] || tl_skip "the pymon command is not built"

# Three sessions of three tests, one machine; in the third, test_slow
# takes three times as long.
rs_start_server srv --db server.pymon
rs_post contexts "$(rs_context_body ctx-a)"
for s in 1 2 3; do
  rs_post sessions "$(rs_session_body "sess-$s" "2024-05-0${s}T10:00:00")"
  n=0
  for item in test_fast test_slow test_mem; do
    n=$((n + 1))
    time=0.25
    [ "$s$item" = 3test_slow ] && time=0.75
    rs_post metrics "$(rs_metric_body "sess-$s" ctx-a $item "2024-05-0${s}T10:00:0$n.5" $time)"
  done
done
tl_expect_eq "$(tl_sql server.pymon 'SELECT count(*) FROM TEST_METRICS')" 9 "9 rows stored by the server"

# same LABEL ARGS...: pymon ARGS on the server's file, then on the server
# itself: the same status and output but for the database's name.
same() {
  local label=$1 file server file_rc server_rc; shift
  file=$("$PYMON" "$@" --db server.pymon 2>&1)
  file_rc=$?
  server=$("$PYMON" "$@" --server "127.0.0.1:$RS_PORT" 2>&1)
  server_rc=$?
  tl_expect_eq "$server_rc: ${server//$RS_URL/DB}" "$file_rc: ${file//server.pymon/DB}" \
    "$label: the server gives what its file gives"
  out=$server rc=$server_rc
}

same "report" report
tl_expect_match "$out" "function +3 items  wall +1\.250 s" "report from the server: the 3 rows of the latest session"
tl_expect_match "$out" "database +$RS_URL \(session 3 of 3\)" "report names the server"
same "report of the previous session" report --session previous
same "report of one test's history" report --test 'test_slow[1, 2]'
tl_expect_match "$out" "3 runs" "history over the three sessions"
same "compare" compare
same "check" check
tl_expect_eq "$rc" 1 "check against the server finds the regression"
tl_expect_match "$out" "REGRESSION tests.unit.test_math::test_slow\[1, 2\] \{core\}: TOTAL_TIME 0.250 s -> 0.750 s" "check names the slower test"
same "check with a median baseline" check --baseline median:2
same "check of an older session" check --session sess-2
tl_expect_eq "$rc" 0 "no regression between the first two sessions"
same "export as CSV" export --format csv --session all
same "export as JSON" export --format json --session all
tl_expect_match "$out" '"msg": "nightly"' "JSON export holds the session description"

# html: the same page but for the generation time and database name.
page() { # file: the page's data without those two
  sed 's/"generated":"[^"]*"//; s/"database":"[^"]*"//' "$1"
}
"$PYMON" html -o file.html --db server.pymon
"$PYMON" html -o server.html --server "127.0.0.1:$RS_PORT"
tl_expect_eq "$?" 0 "html from the server"
tl_expect_eq "$(page server.html | md5sum)" "$(page file.html | md5sum)" "html from the server equals html from its file"
tl_expect_match "$(cat server.html)" "\"database\":\"$RS_URL\"" "html names the server"

# --db with a URL, with the /api/v1 prefix and a trailing slash.
file=$("$PYMON" report --db server.pymon)
out=$("$PYMON" report --db "$RS_URL/api/v1/")
tl_expect_eq "${out//$RS_URL\/api\/v1/DB}" "${file//server.pymon/DB}" "--db http://.../api/v1/ reads the server"

# Usage errors: exit 2 before any request.
expect_error() { # label regex pymon-args...
  local label=$1 regex=$2; shift 2
  out=$("$PYMON" "$@" 2>&1)
  tl_expect_match "$?: $out" "^2: .*$regex" "$label"
}
expect_error "address without a port" "bad server 'example.org': expected host:port" report --server example.org
expect_error "not http" "bad server 'ftp://example.org': only http:// and https://" report --server ftp://example.org
expect_error "file and server" "--db\) or a server \(--server\), not both" report --db server.pymon --server "$RS_URL"
expect_error "bad timeout" "bad --timeout 'soon'" report --server "$RS_URL" --timeout soon
expect_error "zero timeout" "bad --timeout '0'" check --server "$RS_URL" --timeout 0

# A server with nothing stored.
rs_start_server empty --db empty.pymon
expect_error "empty server" "no sessions in '$RS_URL' yet" report --server "$RS_URL"

# Refused: every reading subcommand exits 2 naming the URL and the cause.
rs_stop "$RS_PID"
for cmd in report compare check export "html -o x.html"; do
  # shellcheck disable=SC2086
  expect_error "refused: $cmd" "cannot read server $RS_URL: GET /sessions/: .*(refused|connect)" $cmd --server "$RS_URL"
done

# Servers that never answer, fail, or answer what is not the protocol.
rs_build_fake
rs_start_fake silent silent
t0=$(date +%s.%N)
expect_error "silent server" "cannot read server $RS_URL: GET /sessions/: no answer within 1 s \(see --timeout\)" report --server "$RS_URL" --timeout 1
tl_expect_range "$(rs_since "$t0")" 0.9 3 "a silent server costs one timeout"
for bad in "500:HTTP 500: fake failure \(expected 200 or 204\)" \
           "404:HTTP 404: fake failure" \
           "200:malformed reply: expected an object with a \"sessions\" list" \
           "garbage:malformed reply, not JSON"; do
  mode=${bad%%:*}
  rs_stop "$RS_PID" KILL
  if [ "$mode" = garbage ]; then rs_start_fake bad garbage; else rs_start_fake bad status "$mode"; fi
  expect_error "server answering $mode" "GET /sessions/: .*${bad#*:}" export --server "$RS_URL"
done
for bad in '{"sessions": [1]}|session 1 is not an object' \
           '{"sessions": [{"run_date": "x"}]}|session 1 has no .session_h. \(expected a string\)' \
           '{"sessions": [{"session_h": "s", "scm_ref": [1]}]}|session 1 has a bad .scm_ref.'; do
  rs_stop "$RS_PID" KILL
  rs_start_fake bad body "${bad%%|*}"
  expect_error "server answering ${bad%%|*}" "GET /sessions/: malformed reply: ${bad#*|}" report --server "$RS_URL"
done
# A failure after the first request names the request that failed.
rs_stop "$RS_PID" KILL
rs_start_fake bad body '{"sessions": [{"session_h": "s-1"}], "contexts": []}'
expect_error "metrics request failing" "GET /metrics/\?session_h=s-1: malformed reply: expected an object with a \"metrics\" list" check --server "$RS_URL"
tl_done
