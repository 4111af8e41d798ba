# PYMON_* configuration: every malformed value stops the program with
# status 2 and a message naming the variable, the value and what is
# accepted, before any test body runs; good values are taken.
. "$(dirname "$0")/common.sh"
rt_build_driver

# bad <expected stderr regex> VAR=VALUE... : a usage error.
bad() {
  local want=$1 rc=0
  shift
  rm -f .pymon
  env "$@" ./driver 3 0 >out 2>err || rc=$?
  tl_expect_eq "$rc" 2 "exit status with $*"
  tl_expect_eq "$(cat out)" "" "no test body runs with $*"
  tl_expect_match "$(cat err)" "$want" "message with $*"
  tl_expect_eq "$(wc -l <err)" 1 "one line on stderr with $*"
  tl_expect_eq "$([ -e .pymon ] && echo created || echo none)" none \
    "no database with $*"
}

# good VAR=VALUE... : runs the tests and stores rows.
good() {
  local rc=0
  rm -f .pymon
  env "$@" ./driver 3 0 >out 2>err || rc=$?
  tl_expect_eq "$rc" 0 "exit status with $*"
  tl_expect_eq "$(cat out)" body "the tests ran with $*"
  tl_expect_eq "$(cat err)" "" "nothing on stderr with $*"
}

# The message of the task's example, in full.
bad "^pymon: error: PYMON_RESTRICT_SCOPE_TO='funtion': expected a comma list of function, module, class, session$" \
  PYMON_RESTRICT_SCOPE_TO=funtion
bad "PYMON_RESTRICT_SCOPE_TO='function,': expected a comma list" PYMON_RESTRICT_SCOPE_TO=function,
bad "PYMON_RESTRICT_SCOPE_TO='Module': expected" PYMON_RESTRICT_SCOPE_TO=Module
for var in PYMON_NO_MONITOR PYMON_NO_DB PYMON_PARAMETRIZATION_EXPLICIT; do
  bad "^pymon: error: $var='maybe': expected one of 1, 0, true, false, yes, no, on, off" "$var=maybe"
done
for v in host:0 host:65536 host:8o host :80 host "ftp://h:1" "http://" "http://h:0/x" "h:1/x"; do
  bad "^pymon: error: PYMON_REMOTE_SERVER='$v': expected host:port \\(port 1-65535\\) or an http:// or https:// URL$" \
    "PYMON_REMOTE_SERVER=$v"
done
bad "PYMON_TAGS='a=1,nokey': tag 'nokey' has no '='" "PYMON_TAGS=a=1,nokey"
bad "PYMON_TAGS='=v': tag '=v' has an empty key" "PYMON_TAGS==v"
bad "PYMON_TAGS='a=1,,b=2': tag '' has no '='" "PYMON_TAGS=a=1,,b=2"
for v in 2024-13-01T00:00:00 2024-02-30T00:00:00 "2024-01-01 00:00:00" \
         2024-01-01T00:00:00.5 2024-01-01T00:00:00.000000 2024-01-01T00:00:00Z; do
  bad "^pymon: error: PYMON_RUN_DATE='$v': expected a UTC time YYYY-MM-DDTHH:MM:SS" "PYMON_RUN_DATE=$v"
done
for v in 0 -1 abc 5s; do
  bad "^pymon: error: PYMON_REMOTE_TIMEOUT='$v': expected a positive number of seconds$" \
    "PYMON_REMOTE_TIMEOUT=$v"
done
bad "^pymon: error: PYMON_FORCE_COMPONENT='a' and PYMON_COMPONENT_PREFIX='b': expected at most one of them" \
  PYMON_FORCE_COMPONENT=a PYMON_COMPONENT_PREFIX=b
bad "^pymon: error: PYMON_DBB='x.db': unknown variable; expected one of PYMON_NO_MONITOR, PYMON_NO_DB, PYMON_DB," \
  PYMON_DBB=x.db
bad "PYMON_SESSION_RUNNERS='make,,ctest': expected a comma list of process names" \
  "PYMON_SESSION_RUNNERS=make,,ctest"

# Accepted spellings (the harness's own PYMON_TEST_* variables are set too).
for v in 1 0 TRUE false Yes no ON off ""; do good "PYMON_PARAMETRIZATION_EXPLICIT=$v"; done
good PYMON_NO_DB=off PYMON_REMOTE_TIMEOUT=0.25 PYMON_RUN_DATE=2024-02-29T23:59:59.000001
good PYMON_REMOTE_SERVER= PYMON_TAGS= PYMON_DESCRIPTION= PYMON_RESTRICT_SCOPE_TO=
tl_expect_eq "$(tl_sql .pymon 'select count(*) from TEST_METRICS')" 3 "rows with empty settings"

# Booleans really switch: no monitoring means no database at all.
good PYMON_NO_MONITOR=YES
tl_expect_eq "$([ -e .pymon ] && echo created || echo none)" none "PYMON_NO_MONITOR=YES stores nothing"

# A scope list is taken as a whole: function and module rows.
good "PYMON_RESTRICT_SCOPE_TO=module, function"
tl_expect_eq "$(tl_sql .pymon 'select KIND, count(*) from TEST_METRICS group by KIND order by KIND')" \
  "function|3
module|1" "rows per kind with PYMON_RESTRICT_SCOPE_TO='module, function'"

# PYMON_DB chooses the file.
good PYMON_DB=other.db
tl_expect_eq "$(tl_sql other.db 'select count(*) from TEST_METRICS')" 3 "rows in PYMON_DB"
tl_done
