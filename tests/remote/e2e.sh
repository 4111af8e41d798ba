# End to end: a suite using the runtime (libpymon) with PYMON_REMOTE_SERVER
# set; what the server stores must equal the local .pymon, row for row.
# Then servers that refuse, never answer or fail: one warning, the local
# rows all stored, the run slowed by at most one timeout.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/lib.sh"

# ctest is a session runner; each suite run here is its own session.
export PYMON_SESSION_RUNNERS=no-such-runner
tl_cc "$RS_CC" -DCOMPILE_DIR="\"$PWD\"" -o e2e_suite "$RS_HERE/e2e_suite.c" ||
  tl_fail "cannot build the suite"
rs_build_fake

TABLE_COLUMNS_METRICS="SESSION_H, ENV_H, ITEM_START_TIME, ITEM_PATH, ITEM, ITEM_VARIANT, ITEM_FS_LOC, KIND, COMPONENT, TOTAL_TIME, USER_TIME, KERNEL_TIME, CPU_USAGE, MEM_USAGE"
dump() { # db : every standard row, in a stable order
  tl_sql "$1" "SELECT * FROM EXECUTION_CONTEXTS ORDER BY ENV_H;
               SELECT * FROM TEST_SESSIONS ORDER BY SESSION_H;
               SELECT $TABLE_COLUMNS_METRICS FROM TEST_METRICS
                 ORDER BY SESSION_H, ITEM_START_TIME, ITEM"
}
warnings() { grep -c "pymon: warning:" "$1" || true; }

rs_start_server srv --db server.pymon
PYMON_DB=local.pymon PYMON_REMOTE_SERVER="127.0.0.1:$RS_PORT" \
  PYMON_DESCRIPTION=nightly PYMON_TAGS=branch=main ./e2e_suite 4 3 >out 2>err
tl_expect_eq "$?" 0 "suite passes with the remote set"
tl_expect_eq "$(warnings err)" 0 "no warning against a working server"
tl_expect_eq "$(tl_sql local.pymon 'SELECT count(*) FROM TEST_METRICS')" 15 "15 rows stored locally (12 + 3 forked)"
tl_expect_eq "$(tl_sql server.pymon 'SELECT count(*) FROM TEST_METRICS')" 15 "15 rows on the server"
tl_expect_eq "$(dump server.pymon)" "$(dump local.pymon)" "server rows equal the local rows exactly"
tl_expect_eq "$(tl_sql server.pymon "SELECT json_extract(RUN_DESCRIPTION, '\$.msg') || ' ' || json_extract(RUN_DESCRIPTION, '\$.branch') FROM TEST_SESSIONS")" \
  "nightly main" "description and tags reach the server as JSON"
tl_expect_eq "$(tl_sql server.pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM = 'test_forked'")" 3 "rows from forked children reach the server"

# A second run: a new session, same context (looked up, not re-created).
PYMON_DB=local.pymon PYMON_REMOTE_SERVER="http://127.0.0.1:$RS_PORT/" ./e2e_suite 2 >out 2>err
tl_expect_eq "$(warnings err)" 0 "second run, no warning"
tl_expect_eq "$(tl_sql server.pymon 'SELECT count(*) FROM TEST_SESSIONS') $(tl_sql server.pymon 'SELECT count(*) FROM EXECUTION_CONTEXTS')" "2 1" "two sessions, one context"
tl_expect_eq "$(dump server.pymon)" "$(dump local.pymon)" "after two runs, server and local still equal"

# PYMON_NO_DB: the server is the only store.
PYMON_NO_DB=1 PYMON_DB=none.pymon PYMON_REMOTE_SERVER="127.0.0.1:$RS_PORT" ./e2e_suite 1 >out 2>err
tl_expect_eq "$(warnings err)" 0 "remote only: no warning"
tl_expect_eq "$(tl_sql server.pymon 'SELECT count(*) FROM TEST_SESSIONS')" 3 "remote only: session on the server"
tl_expect_eq "$([ -e none.pymon ] && echo exists || echo absent)" absent "remote only: no local file"

# Baseline time of a run with no remote, to bound the slow cases.
base=$(rs_elapsed env PYMON_DB=base.pymon ./e2e_suite 4 3)
rs_stop "$RS_PID"
dead_port=$RS_PORT

failing_server_case() { # label timeout address
  local label=$1 timeout=$2 address=$3 elapsed
  rm -f bad.pymon
  elapsed=$(rs_elapsed env PYMON_DB=bad.pymon PYMON_REMOTE_SERVER="$address" \
    PYMON_REMOTE_TIMEOUT="$timeout" ./e2e_suite 4 3)
  PYMON_DB=bad2.pymon PYMON_REMOTE_SERVER="$address" PYMON_REMOTE_TIMEOUT="$timeout" \
    ./e2e_suite 4 3 >out 2>err
  tl_expect_eq "$?" 0 "$label: the suite still passes"
  tl_expect_eq "$(warnings err)" 1 "$label: exactly one warning"
  tl_expect_match "$(cat err)" "remote server http://127.0.0.1:[0-9]+" "$label: warning names the server"
  tl_expect_eq "$(tl_sql bad.pymon 'SELECT count(*) FROM TEST_METRICS')" 15 "$label: all 15 rows stored locally"
  tl_expect_range "$elapsed" 0 "$(awk -v b="$base" -v t="$timeout" 'BEGIN { print b + t + 1 }')" \
    "$label: run slowed by at most one timeout"
}
failing_server_case refused 5 "127.0.0.1:$dead_port"
rs_start_fake silent silent
failing_server_case "never answers" 1 "$RS_URL"
rs_stop "$RS_PID" KILL
rs_start_fake e500 status 500
failing_server_case "HTTP 500" 5 "$RS_URL"
tl_expect_match "$(cat err)" "HTTP 500" "500: warning gives the status"
rs_stop "$RS_PID"

# Tests that never end (a crash, a crash in a forked child): the process
# that stores their rows from the journal sends them too, and the server
# still equals the local database.  PYMON_ONLY_PASSED keeps a test that did
# not return off the server as it keeps it out of TEST_METRICS.
rs_start_server crash --db crash-server.pymon
ended_run() { # expected-status label suite-args...
  local status=$1 label=$2
  shift 2
  PYMON_DB=ended.pymon PYMON_REMOTE_SERVER="127.0.0.1:$RS_PORT" ./e2e_suite "$@" >out 2>err
  tl_expect_eq "$?" "$status" "$label: the suite's status"
  tl_expect_eq "$(warnings err)" 0 "$label: no warning"
}
server_rows() { tl_sql crash-server.pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM = '$1'"; }
ended_run 139 "crash" 1 0 segv
tl_expect_eq "$(server_rows test_crash)" 0 "crash: the dying process could not send its row"
ended_run 0 "the run after the crash" 1
tl_expect_eq "$(server_rows test_crash)" 1 "the next process sends the crashed test's row"
tl_expect_eq "$(dump crash-server.pymon)" "$(dump ended.pymon)" "after a crash, server and local equal"
ended_run 4 "crash in a forked child" 0 1 child-segv
tl_expect_eq "$(server_rows test_crash)" 2 "the forking runner sends its child's crashed row"
tl_expect_eq "$(dump crash-server.pymon)" "$(dump ended.pymon)" "after a child's crash, server and local equal"
PYMON_ONLY_PASSED=1 ended_run 3 "exit, only passed" 1 0 exit
PYMON_ONLY_PASSED=1 ended_run 139 "crash, only passed" 1 0 segv
ended_run 0 "the run after" 1
tl_expect_eq "$(server_rows test_exit) $(server_rows test_crash)" "0 2" \
  "PYMON_ONLY_PASSED: no row on the server for tests that did not return"
tl_expect_eq "$(tl_sql ended.pymon "SELECT count(*) FROM PYMON_ITEM_OUTCOMES WHERE OUTCOME IN ('exit', 'signal')")" 4 \
  "their outcomes are stored locally"
tl_expect_eq "$(dump crash-server.pymon)" "$(dump ended.pymon)" "with PYMON_ONLY_PASSED, server and local equal"
tl_done
