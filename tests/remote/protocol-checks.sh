# protocol-checks.sh - the protocol conformance checks, shared by the
# SQLite (protocol.sh) and PostgreSQL (postgres.sh) tests.  The including
# test defines rs_count TABLE (rows stored) and starts the server at RS_URL.

rs_protocol_checks() {
  local code big

  code=$(rs_req GET "$RS_URL/")
  tl_expect_eq "$code" 200 "GET / answers"
  tl_expect_eq "$(rs_json reply '$.server')" pymon-server "GET / names the server"

  # Context: unknown, created (as pytest-monitor sends it), known.
  code=$(rs_req GET "$RS_URL/contexts/ctx1")
  tl_expect_eq "$code" 204 "unknown context is 204"
  tl_expect_eq "$(wc -c <reply)" 0 "204 has no body"
  code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body ctx1)")
  tl_expect_eq "$code" 201 "POST /contexts/ creates"
  tl_expect_eq "$(rs_json reply '$.h')" ctx1 "created context echoes h (pytest-monitor reads it)"
  tl_expect_eq "$(rs_json reply '$.cpu_frequency')" 2394 "float cpu_frequency stored as whole MHz"
  code=$(rs_req GET "$RS_URL/contexts/ctx1")
  tl_expect_eq "$code" 200 "known context is 200"
  tl_expect_eq "$(rs_json reply '$.contexts[0].h')" ctx1 "GET context body {contexts:[{h}]}"
  tl_expect_eq "$(rs_json reply '$.contexts[0].ram_total')" 3931 "ram_total read back"
  tl_expect_eq "$(rs_json reply '$.contexts[0].cpu_vendor')" "Intel(R) Xeon(R) CPU" "cpu_vendor read back"
  code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body ctx1)")
  tl_expect_eq "$code" 201 "creating a known context again is accepted"
  tl_expect_eq "$(rs_count EXECUTION_CONTEXTS)" 1 "context stored once"
  code=$(rs_req GET "$RS_URL/api/v1/contexts/ctx1")
  tl_expect_eq "$code" 200 "the /api/v1 prefix serves the same routes"

  # Session, description as an object.
  code=$(rs_req GET "$RS_URL/sessions/sess1")
  tl_expect_eq "$code" 204 "unknown session is 204"
  code=$(rs_req POST "$RS_URL/sessions/" "$(rs_session_body sess1)")
  tl_expect_eq "$code" 201 "POST /sessions/ creates"
  code=$(rs_req GET "$RS_URL/sessions/sess1")
  tl_expect_eq "$code" 200 "known session is 200"
  tl_expect_eq "$(rs_json reply '$.sessions[0].description.msg')" nightly "description read back as an object"
  tl_expect_eq "$(rs_json reply '$.sessions[0].scm_ref')" 0123456789abcdef "scm_ref read back"
  tl_expect_eq "$(rs_json reply '$.sessions[0].run_date')" 2024-05-01T10:00:00.123456 "run_date read back"

  # Metrics, then reading them back by session, item and component.
  for item in test_a test_b test_a; do
    code=$(rs_req POST "$RS_URL/metrics/" "$(rs_metric_body sess1 ctx1 $item)")
    tl_expect_eq "$code" 201 "POST /metrics/ $item"
  done
  tl_expect_eq "$(rs_count TEST_METRICS)" 3 "three metrics rows stored"
  code=$(rs_req GET "$RS_URL/metrics/?session_h=sess1&item=test_a&component=core")
  tl_expect_eq "$code" 200 "metrics by session, item and component"
  tl_expect_eq "$(sqlite3 -batch :memory: "SELECT json_array_length(CAST(readfile('reply') AS TEXT), '\$.metrics')")" 2 "two test_a rows"
  tl_expect_eq "$(rs_json reply '$.metrics[0].total_time')" 0.25 "total_time read back"
  tl_expect_eq "$(rs_json reply '$.metrics[0].item_variant')" "test_a[1, 2]" "item_variant read back"
  tl_expect_eq "$(rs_json reply '$.metrics[0].context_h')" ctx1 "context_h read back"
  code=$(rs_req GET "$RS_URL/metrics/?session_h=no-such-session")
  tl_expect_eq "$code" 204 "no metrics for an unknown session: 204"
  code=$(rs_req GET "$RS_URL/sessions/")
  tl_expect_eq "$(rs_json reply '$.sessions[0].session_h')" sess1 "sessions listed"
  code=$(rs_req GET "$RS_URL/contexts/")
  tl_expect_eq "$(rs_json reply '$.contexts[0].h')" ctx1 "contexts listed"

  # Bad requests: 400 naming the problem, nothing stored.
  code=$(rs_req POST "$RS_URL/metrics/" '{"session_h": "sess1",')
  tl_expect_eq "$code" 400 "malformed JSON is 400"
  tl_expect_match "$(rs_json reply '$.error')" "malformed JSON" "error says malformed JSON"
  code=$(rs_req POST "$RS_URL/metrics/" '[1, 2]')
  tl_expect_eq "$code" 400 "a JSON array body is 400"
  code=$(rs_req POST "$RS_URL/metrics/" "$(rs_metric_body sess1 ctx1 t | sed 's/"kind": "function",//')")
  tl_expect_eq "$code" 400 "missing field is 400"
  tl_expect_eq "$(rs_json reply '$.field')" kind "error names the missing field"
  code=$(rs_req POST "$RS_URL/metrics/" "$(rs_metric_body sess1 ctx1 t | sed 's/"total_time": 0.25/"total_time": "fast"/')")
  tl_expect_eq "$code" 400 "string where a number belongs is 400"
  tl_expect_eq "$(rs_json reply '$.field')" total_time "error names total_time"
  tl_expect_match "$(rs_json reply '$.error')" "expected a number, got a string" "error says what was expected"
  code=$(rs_req POST "$RS_URL/metrics/" "$(rs_metric_body sess1 ctx1 t | sed 's/"user_time": 0.2/"user_time": true/')")
  tl_expect_eq "$code" 400 "boolean where a number belongs is 400"
  code=$(rs_req POST "$RS_URL/metrics/" "$(rs_metric_body nosuch ctx1 t)")
  tl_expect_eq "$code" 400 "metrics of an unknown session are 400"
  tl_expect_eq "$(rs_json reply '$.field')" session_h "error names session_h"
  code=$(rs_req POST "$RS_URL/metrics/" "$(rs_metric_body sess1 nosuch t)")
  tl_expect_eq "$(rs_json reply '$.field')" context_h "unknown context names context_h"
  big=$(head -c 5000 /dev/zero | tr '\0' x)
  code=$(rs_req POST "$RS_URL/metrics/" "$(rs_metric_body sess1 ctx1 "$big")")
  tl_expect_eq "$code" 400 "item longer than its column is 400"
  tl_expect_match "$(rs_json reply '$.error')" "longer than 2048" "error gives the width"
  code=$(rs_req POST "$RS_URL/sessions/" "$(rs_session_body sess2 | tr -d '\n' | sed 's/"description": *{[^}]*}/"description": "nightly"/')")
  tl_expect_eq "$code" 400 "a string description is 400 (like the reference server)"
  tl_expect_eq "$(rs_json reply '$.field')" description "error names description"
  code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body ctx2 | sed 's/"cpu_count": 2/"cpu_count": -2/')")
  tl_expect_eq "$code" 400 "negative cpu_count is 400"
  code=$(rs_req POST "$RS_URL/contexts/" "$(rs_context_body 'bad/hash')")
  tl_expect_eq "$code" 400 "a hash with '/' is 400"
  code=$(rs_req POST "$RS_URL/sessions/" '{"session_h": "s", "session_h": "t"}')
  tl_expect_eq "$code" 400 "duplicate keys are 400"

  # Oversized bodies: 413 with and without Expect: 100-continue.
  head -c 1100000 /dev/zero | tr '\0' ' ' >big.json
  rs_metric_body sess1 ctx1 big >>big.json
  code=$(rs_req POST "$RS_URL/metrics/" @big.json)
  tl_expect_eq "$code" 413 "body over 1 MiB is 413"
  code=$(rs_req POST "$RS_URL/metrics/" @big.json -H 'Expect:')
  tl_expect_eq "$code" 413 "body over 1 MiB is 413 without Expect too"
  code=$(rs_req POST "$RS_URL/metrics/" @big.json -H 'Transfer-Encoding: chunked')
  tl_expect_eq "$code" 413 "chunked body over 1 MiB is 413"

  code=$(rs_req DELETE "$RS_URL/metrics/")
  tl_expect_eq "$code" 405 "DELETE is 405"
  code=$(rs_req GET "$RS_URL/nothing/here")
  tl_expect_eq "$code" 404 "unknown route is 404"
  code=$(rs_req GET "$RS_URL/metrics/?bogus=1")
  tl_expect_eq "$code" 400 "unknown filter is 400"
  tl_expect_eq "$(rs_json reply '$.field')" bogus "error names the filter"

  tl_expect_eq "$(rs_count TEST_METRICS)" 3 "no metrics stored by bad requests"
  tl_expect_eq "$(rs_count TEST_SESSIONS)" 1 "no session stored by bad requests"
  tl_expect_eq "$(rs_count EXECUTION_CONTEXTS)" 1 "no context stored by bad requests"

  # What pytest-monitor may also send: extra keys, a null component.
  code=$(rs_req POST "$RS_URL/metrics/" "$(rs_metric_body sess1 ctx1 test_c | sed 's/"component": "core"/"component": null, "extra": [1]/')")
  tl_expect_eq "$code" 201 "extra keys and a null component are accepted"
  tl_expect_eq "$(rs_count TEST_METRICS)" 4 "that row is stored"
}
