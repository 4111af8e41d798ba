# lib.sh - helpers for the remote tests, sourced after ../lib/testlib.sh:
# start and stop pymon-server (and the fake servers) on 127.0.0.1 with a
# free port, send requests with curl, read JSON with sqlite3's json_*.

RS_SERVER=${PYMON_TEST_SERVER:-}
[ -n "$RS_SERVER" ] || tl_skip "pymon-server not built (PYMON_BUILD_TOOLS=OFF)"
command -v curl >/dev/null || tl_skip "curl not installed"
RS_HERE=$PYMON_TEST_SOURCE_DIR/tests/remote
RS_RUNTIME_SRC=$PYMON_TEST_SOURCE_DIR/runtime/src
RS_CC=${PYMON_TEST_C_COMPILER:-cc}
# A proxy from the environment must not intercept 127.0.0.1.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

# Servers are stopped on exit, before testlib removes the directory.
# RS_AT_EXIT: further commands for the exit trap (e.g. stopping PostgreSQL).
RS_PIDS=""
RS_AT_EXIT=""
rs_cleanup() {
  local pid
  for pid in $RS_PIDS; do kill -KILL "$pid" 2>/dev/null; done
  for pid in $RS_PIDS; do wait "$pid" 2>/dev/null; done
  RS_PIDS=""
  eval "$RS_AT_EXIT"
}
rs_prev_trap=$(trap -p EXIT)
rs_prev_trap=${rs_prev_trap#trap -- \'}
rs_prev_trap=${rs_prev_trap%\' EXIT}
trap 'rs_cleanup; eval "$rs_prev_trap"' EXIT

rs_forget_pid() { # pid
  local p kept=""
  for p in $RS_PIDS; do [ "$p" = "$1" ] || kept="$kept $p"; done
  RS_PIDS=$kept
}

# rs_wait_port FILE PID: print the port once FILE holds it (10 s at most).
rs_wait_port() {
  local i
  for i in $(seq 100); do
    if [ -s "$1" ]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# rs_start_server NAME [options...]: pymon-server on 127.0.0.1, any port.
# Sets RS_PID, RS_PORT, RS_URL; stderr goes to NAME.log.
rs_start_server() {
  local name=$1; shift
  rm -f "$name.port"
  "$RS_SERVER" --listen 127.0.0.1:0 --port-file "$name.port" "$@" \
    2>"$name.log" &
  RS_PID=$!
  RS_PIDS="$RS_PIDS $RS_PID"
  RS_PORT=$(rs_wait_port "$name.port" "$RS_PID") ||
    tl_fail "pymon-server $* did not start: $(cat "$name.log")"
  RS_URL=http://127.0.0.1:$RS_PORT
}

# rs_stop PID [SIGNAL]: stop a server; its exit status goes to RS_STATUS.
rs_stop() {
  kill -"${2:-TERM}" "$1" 2>/dev/null
  RS_STATUS=0
  wait "$1" 2>/dev/null || RS_STATUS=$?
  rs_forget_pid "$1"
}

# rs_build_driver / rs_build_fake: the client driver and the fake server.
rs_build_driver() {
  "$RS_CC" -std=c11 -D_GNU_SOURCE -DPYMON_VERSION='"test"' -Wall -Wextra \
    -Werror -I"$RS_RUNTIME_SRC" -o remote-driver "$RS_HERE/remote-driver.c" \
    "$RS_RUNTIME_SRC/remote.c" "$RS_RUNTIME_SRC/address.c" "$RS_RUNTIME_SRC/warn.c" \
    $(pkg-config --cflags --libs libcurl jansson) -lm -lpthread ||
    tl_fail "cannot build the remote driver"
}
rs_build_fake() {
  "$RS_CC" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o fake-server \
    "$RS_HERE/fake-server.c" || tl_fail "cannot build the fake server"
}

# rs_start_fake NAME MODE [CODE]: sets RS_PID, RS_PORT, RS_URL.
rs_start_fake() {
  local name=$1; shift
  rm -f "$name.port"
  ./fake-server "$name.port" "$@" 2>"$name.log" &
  RS_PID=$!
  RS_PIDS="$RS_PIDS $RS_PID"
  RS_PORT=$(rs_wait_port "$name.port" "$RS_PID") || tl_fail "fake server did not start"
  RS_URL=http://127.0.0.1:$RS_PORT
}

# rs_req METHOD URL [BODY [curl options...]]: prints the HTTP status; the
# body is left in ./reply.
rs_req() {
  local method=$1 url=$2; shift 2
  local data=()
  if [ $# -gt 0 ]; then data=(--data-binary "$1"); shift; fi
  curl -s -o reply -w '%{http_code}' -X "$method" \
    -H 'Content-Type: application/json' "${data[@]}" "$@" "$url"
}

# rs_json FILE JSONPATH: one value out of a JSON file (sqlite3 json_extract).
rs_json() {
  sqlite3 -batch -noheader :memory: \
    "SELECT json_extract(CAST(readfile('$1') AS TEXT), '$2')"
}

# rs_wait_text TEXT FILE: wait until FILE holds TEXT (5 s at most).
rs_wait_text() {
  local _
  for _ in $(seq 100); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}

# rs_since T0: seconds since T0, a `date +%s.%N` reading.
rs_since() {
  awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}

# rs_elapsed CMD...: run CMD, print its wall time in seconds.
rs_elapsed() {
  local t0
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  rs_since "$t0"
}

# Bodies shaped like what pytest-monitor 1.7 sends.
rs_context_body() { # h
  printf '{"cpu_count": 2, "cpu_frequency": 2394.454, "cpu_type": "x86_64",
  "cpu_vendor": "Intel(R) Xeon(R) CPU", "ram_total": 3931,
  "machine_node": "ci-1.example.org", "machine_type": "x86_64",
  "machine_arch": "64bit", "system_info": "Linux - 6.1.0-18-amd64",
  "python_info": "3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]",
  "h": "%s"}' "$1"
}
rs_session_body() { # h [run_date]
  printf '{"session_h": "%s", "run_date": "%s",
  "scm_ref": "0123456789abcdef", "description":
  {"pipeline_branch": "main", "pipeline_build_no": "42", "msg": "nightly"}}' \
    "$1" "${2:-2024-05-01T10:00:00.123456}"
}
rs_metric_body() { # session_h context_h item [start_time [total_time]]
  printf '{"session_h": "%s", "context_h": "%s",
  "item_start_time": "%s", "item_path": "tests.unit.test_math",
  "item": "%s", "item_variant": "%s[1, 2]", "item_fs_loc": "tests/unit/test_math.py",
  "kind": "function", "component": "core", "total_time": %s,
  "user_time": 0.2, "kernel_time": 0, "cpu_usage": 0.8, "mem_usage": 12.5}' \
    "$1" "$2" "${4:-2024-05-01T10:00:01.5}" "$3" "$3" "${5:-0.25}"
}

# rs_post ROUTE BODY: POST /ROUTE/ on $RS_URL, failing the test unless 201.
rs_post() {
  local code
  code=$(rs_req POST "$RS_URL/$1/" "$2")
  [ "$code" = 201 ] || tl_fail "POST /$1/ answered $code: $(cat reply)"
}

# rs_start_postgres: Debian's PostgreSQL 15 in ./pg, on a Unix socket only,
# run as an unprivileged user when we are root; skips (77) when impossible.
# Sets RS_PG_URL (libpq conninfo) and RS_PSQL (psql command prefix).
rs_start_postgres() {
  local bin=${PYMON_TEST_PG_BIN:-/usr/lib/postgresql/15/bin}
  [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] ||
    tl_skip "PostgreSQL server binaries not found in $bin"
  local runas=()
  mkdir -p pg
  if [ "$(id -u)" = 0 ]; then
    local user
    for user in postgres nobody; do id "$user" >/dev/null 2>&1 && break; done
    runas=(runuser -u "$user" --)
    chown "$user" pg
    chmod 711 "$TL_DIR"
  fi
  local sock=$TL_DIR/pg
  "${runas[@]}" "$bin/initdb" -D "$sock/data" -A trust -U pymon --no-sync \
    >pg/initdb.log 2>&1 || tl_skip "initdb failed: $(tail -3 pg/initdb.log)"
  RS_AT_EXIT="${runas[*]} $bin/pg_ctl -D $sock/data -m immediate stop >/dev/null 2>&1"
  "${runas[@]}" "$bin/pg_ctl" -D "$sock/data" -w -t 30 -l "$sock/log" \
    -o "-c listen_addresses='' -c unix_socket_directories=$sock -c fsync=off -c port=5432" \
    start >pg/start.log 2>&1 || tl_skip "PostgreSQL did not start: $(tail -3 "$sock/log")"
  RS_PG_URL="host=$sock port=5432 user=pymon dbname=postgres"
  RS_PSQL=(psql -X -q -A -t -v ON_ERROR_STOP=1 "$RS_PG_URL")
}
