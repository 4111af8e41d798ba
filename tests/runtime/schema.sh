# The schema pymon creates is pytest-monitor's, column for column
# (PRAGMA table_info as COMPAT.md lists it), plus pymon's own
# PYMON_ITEM_OUTCOMES, PYMON_ITEM_LIMITS, PYMON_JOURNALS and
# PYMON_COMMAND_ANSWERS; text wider than a column's declaration is kept whole.
. "$(dirname "$0")/common.sh"
rt_build_driver
long=$(printf 'c%.0s' $(seq 3000))
PYMON_FORCE_COMPONENT=$long ./driver 3 >/dev/null 2>err || tl_fail "driver: $(cat err)"

# The same PRAGMA on a database made by pytest-monitor's own statements
# (SQLite >= 3.37 prints "integer" as INTEGER there too).
rt_pytest_monitor_schema | sqlite3 reference.db || tl_fail "reference database"
for t in TEST_SESSIONS TEST_METRICS EXECUTION_CONTEXTS; do
  tl_expect_eq "$(tl_sql .pymon "PRAGMA table_info($t)")" \
    "$(tl_sql reference.db "PRAGMA table_info($t)")" "$t identical to pytest-monitor's"
done

# And as COMPAT.md lists them: the declared types, whatever the SQLite.
info() {
  tl_sql "${2:-.pymon}" "select cid, name, case lower(type) when 'integer' then 'integer'
    else type end, \"notnull\", dflt_value, pk from pragma_table_info('$1')"
}

tl_expect_eq "$(tl_sql .pymon "select name from sqlite_master where type = 'table' order by name")" \
"EXECUTION_CONTEXTS
PYMON_COMMAND_ANSWERS
PYMON_ITEM_LIMITS
PYMON_ITEM_OUTCOMES
PYMON_JOURNALS
TEST_METRICS
TEST_SESSIONS" "exactly the standard tables plus pymon's own"

# cid|name|declared type|not null|default|primary key
tl_expect_eq "$(info TEST_SESSIONS)" \
"0|SESSION_H|varchar(64)|1||1
1|RUN_DATE|varchar(64)|0||0
2|SCM_ID|varchar(128)|0||0
3|RUN_DESCRIPTION|json|0||0" "TEST_SESSIONS columns"

tl_expect_eq "$(info TEST_METRICS)" \
"0|SESSION_H|varchar(64)|0||0
1|ENV_H|varchar(64)|0||0
2|ITEM_START_TIME|varchar(64)|0||0
3|ITEM_PATH|varchar(4096)|0||0
4|ITEM|varchar(2048)|0||0
5|ITEM_VARIANT|varchar(2048)|0||0
6|ITEM_FS_LOC|varchar(2048)|0||0
7|KIND|varchar(64)|0||0
8|COMPONENT|varchar(512)|0||0
9|TOTAL_TIME|float|0||0
10|USER_TIME|float|0||0
11|KERNEL_TIME|float|0||0
12|CPU_USAGE|float|0||0
13|MEM_USAGE|float|0||0" "TEST_METRICS columns"

tl_expect_eq "$(tl_sql .pymon "select \"from\", \"table\", \"to\" from pragma_foreign_key_list('TEST_METRICS') order by 1")" \
"ENV_H|EXECUTION_CONTEXTS|ENV_H
SESSION_H|TEST_SESSIONS|SESSION_H" "TEST_METRICS foreign keys"
tl_expect_eq "$(tl_sql .pymon "select count(*) from pragma_index_list('TEST_METRICS')")" 0 \
  "TEST_METRICS has no primary key nor index"

tl_expect_eq "$(info EXECUTION_CONTEXTS)" \
"0|ENV_H|varchar(64)|1||1
1|CPU_COUNT|integer|0||0
2|CPU_FREQUENCY_MHZ|integer|0||0
3|CPU_TYPE|varchar(64)|0||0
4|CPU_VENDOR|varchar(256)|0||0
5|RAM_TOTAL_MB|integer|0||0
6|MACHINE_NODE|varchar(512)|0||0
7|MACHINE_TYPE|varchar(32)|0||0
8|MACHINE_ARCH|varchar(16)|0||0
9|SYSTEM_INFO|varchar(256)|0||0
10|PYTHON_INFO|varchar(512)|0||0" "EXECUTION_CONTEXTS columns"

tl_expect_eq "$(info PYMON_ITEM_OUTCOMES)" \
"0|SESSION_H|varchar(64)|0||0
1|ENV_H|varchar(64)|0||0
2|ITEM_START_TIME|varchar(64)|0||0
3|ITEM_PATH|varchar(4096)|0||0
4|ITEM_VARIANT|varchar(2048)|0||0
5|KIND|varchar(64)|0||0
6|OUTCOME|varchar(16)|0||0
7|DETAIL|integer|0||0
8|PID|integer|0||0" "PYMON_ITEM_OUTCOMES columns"

tl_expect_eq "$(info PYMON_ITEM_LIMITS)" \
"0|ITEM_PATH|varchar(4096)|0||0
1|ITEM|varchar(2048)|0||0
2|METRIC|varchar(64)|0||0
3|LIMIT|float|0||0" "PYMON_ITEM_LIMITS columns (what pymon check reads)"
tl_expect_eq "$(info PYMON_COMMAND_ANSWERS)" \
"0|COMMAND|varchar(1024)|1||1
1|ANSWER|varchar(256)|0||0" "PYMON_COMMAND_ANSWERS columns"
tl_expect_eq "$(tl_sql .pymon 'select count(*) from PYMON_JOURNALS')" 0 \
  "no journal bookkeeping left after a normal run"
tl_expect_eq "$(ls -a | grep -c pymon-journal)" 0 "no journal directory left"

# Stored values have the declared kinds.
tl_expect_eq "$(tl_sql .pymon "select distinct typeof(TOTAL_TIME) || typeof(USER_TIME) ||
  typeof(KERNEL_TIME) || typeof(CPU_USAGE) || typeof(MEM_USAGE) || typeof(COMPONENT) from TEST_METRICS")" \
  "realrealrealrealrealtext" "metric columns are reals, COMPONENT text"
tl_expect_eq "$(tl_sql .pymon "select typeof(CPU_COUNT) || typeof(CPU_FREQUENCY_MHZ) || typeof(RAM_TOTAL_MB)
  from EXECUTION_CONTEXTS")" "integerintegerinteger" "context numbers are integers"

# A component wider than varchar(512) is stored whole.
tl_expect_eq "$(tl_sql .pymon 'select distinct length(COMPONENT) from TEST_METRICS')" 3000 \
  "3000-character COMPONENT kept whole"

# Items that returned have no outcome row (docs/schema.md).
tl_expect_eq "$(tl_sql .pymon 'select count(*) from PYMON_ITEM_OUTCOMES')" 0 "no outcome rows"
tl_done
