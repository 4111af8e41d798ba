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
  sqlite3 "$1" <<'SQL'
CREATE TABLE IF NOT EXISTS TEST_SESSIONS(
    SESSION_H varchar(64) primary key not null unique, -- Session identifier
    RUN_DATE varchar(64), -- Date of test run
    SCM_ID varchar(128), -- SCM change id
    RUN_DESCRIPTION json
);
CREATE TABLE IF NOT EXISTS TEST_METRICS (
    SESSION_H varchar(64), -- Session identifier
    ENV_H varchar(64), -- Environment description identifier
    ITEM_START_TIME varchar(64), -- Effective start time of the test
    ITEM_PATH varchar(4096), -- Path of the item, following Python import specification
    ITEM varchar(2048), -- Name of the item
    ITEM_VARIANT varchar(2048), -- Optional parametrization of an item.
    ITEM_FS_LOC varchar(2048), -- Relative path from pytest invocation directory to the item's module.
    KIND varchar(64), -- Package, Module or function
    COMPONENT varchar(512) NULL, -- Tested component if any
    TOTAL_TIME float, -- Total time spent running the item
    USER_TIME float, -- time spent in user space
    KERNEL_TIME float, -- time spent in kernel space
    CPU_USAGE float, -- System-wide CPU usage as a percentage (100 % is equivalent to one core).
    MEM_USAGE float, -- Max resident memory used.
    FOREIGN KEY (ENV_H) REFERENCES EXECUTION_CONTEXTS(ENV_H),
    FOREIGN KEY (SESSION_H) REFERENCES TEST_SESSIONS(SESSION_H)
);
CREATE TABLE IF NOT EXISTS EXECUTION_CONTEXTS (
   ENV_H varchar(64) primary key not null unique,
   CPU_COUNT integer,
   CPU_FREQUENCY_MHZ integer,
   CPU_TYPE varchar(64),
   CPU_VENDOR varchar(256),
   RAM_TOTAL_MB integer,
   MACHINE_NODE varchar(512),
   MACHINE_TYPE varchar(32),
   MACHINE_ARCH varchar(16),
   SYSTEM_INFO varchar(256),
   PYTHON_INFO varchar(512)
);
SQL
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
