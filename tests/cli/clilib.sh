# clilib.sh - helpers for the pymon command's tests.
#
# Databases are built with the sqlite3 CLI in pytest-monitor's schema (its
# exact CREATE TABLE statements), so these tests do not depend on the
# runtime.  cl_pymon runs the command and leaves $out, $err and $rc.

# shellcheck source=../lib/testlib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/testlib.sh"

PYMON=${PYMON_TEST_CLI:-}
[ -n "$PYMON" ] || tl_skip "the pymon command is not built"

# pytest-monitor 1.7's statements, comments included, as it runs them.
cl_schema() { # db
  sqlite3 "$1" <"$PYMON_TEST_SOURCE_DIR/tests/lib/pytest-monitor-schema.sql"
}

# pymon's own table, as the runtime creates it.
cl_outcomes_table() { # db
  sqlite3 "$1" "CREATE TABLE PYMON_ITEM_OUTCOMES (SESSION_H varchar(64),
    ENV_H varchar(64), ITEM_START_TIME varchar(64), ITEM_PATH varchar(4096),
    ITEM_VARIANT varchar(2048), KIND varchar(64), OUTCOME varchar(16),
    DETAIL integer, PID integer)"
}

cl_context() { # db env_h vendor cpu_count machine_type
  sqlite3 "$1" "INSERT INTO EXECUTION_CONTEXTS VALUES ('$2', $4, 2400, 'x86_64',
    '$3', 7963, 'host.example', '$5', '64bit', 'Linux - 6.1.0', 'GCC 12.2.0')"
}

cl_session() { # db session_h run_date [scm_id] [description-json]
  local desc=${5:-'{}'}
  sqlite3 "$1" "INSERT INTO TEST_SESSIONS VALUES ('$2', '$3', '${4:-}', '$desc')"
}

# One TEST_METRICS row; the name is "path::variant", kind function unless
# given.  Values: total user kernel cpu_usage mem.
cl_metric() { # db session env path variant total user kernel cpu mem [kind] [component]
  local item=${5%%[*}
  sqlite3 "$1" "INSERT INTO TEST_METRICS VALUES ('$2', '$3',
    strftime('%Y-%m-%dT%H:%M:%f', 'now'), '$4', '$item', '$5',
    replace('$4', '.', '/') || '.c', '${11:-function}', '${12:-}', $6, $7, $8, $9, ${10})"
}

cl_pymon() { # args...
  out=$("$PYMON" "$@" 2>"$TL_DIR/.stderr")
  rc=$?
  err=$(cat "$TL_DIR/.stderr")
}
