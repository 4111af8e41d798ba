# Storage faults: each gives exactly one warning naming the file and
# SQLite's reason, the tests still run and the program keeps its exit
# status, and what was stored before is left intact.
. "$(dirname "$0")/common.sh"
rt_build_driver

# fault <name> <stderr regex> [env VAR=VALUE...] [--as-nobody] : run the
# driver (10 items, exit status 3) and check the single warning.
fault() {
  local name=$1 want=$2 rc=0
  shift 2
  local prefix=()
  if [ "${1:-}" = --as-nobody ]; then
    prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    shift
  fi
  "${prefix[@]}" env "$@" ./driver 10 3 >out 2>err || rc=$?
  tl_expect_eq "$rc" 3 "$name: the exit status is the program's"
  tl_expect_eq "$(cat out)" body "$name: the tests ran"
  tl_expect_eq "$(rt_warnings err)" 1 "$name: one warning"
  tl_expect_eq "$(wc -l <err)" 1 "$name: nothing else on stderr"
  tl_expect_match "$(cat err)" "$want" "$name: the warning names file and reason"
}

# rows <db> : how many metrics rows, after an integrity check.
rows() {
  tl_expect_eq "$(tl_sql "$1" 'PRAGMA integrity_check')" ok "$1 is intact"
  tl_sql "$1" 'select count(*) from TEST_METRICS'
}

mkdir adir
fault "directory" "^pymon: warning: .*'$PWD/adir'.*: unable to open database file" PYMON_DB="$PWD/adir"
fault "missing directory" "'nodir/x.pymon'.*unable to open database file" PYMON_DB=nodir/x.pymon
tl_expect_eq "$(ls nodir 2>&1 >/dev/null | grep -c 'No such')" 1 "no directory is created"

head -c 16384 /dev/urandom >corrupt.pymon
cp corrupt.pymon corrupt.orig
fault "not a database" "'corrupt.pymon'.*file is not a database" PYMON_DB=corrupt.pymon
tl_expect_eq "$(cmp corrupt.pymon corrupt.orig && echo same)" same "the foreign file is untouched"

# A read-only database: root ignores file modes, so drop to nobody.
PYMON_DB=ro.pymon ./driver 4 >/dev/null 2>&1
chmod 444 ro.pymon
chmod 755 "$PWD"
if [ "$(id -u)" = 0 ]; then
  fault "read-only file" "'ro.pymon'.*read-only" --as-nobody PYMON_DB=ro.pymon
else
  fault "read-only file" "'ro.pymon'.*read-only" PYMON_DB=ro.pymon
fi
tl_expect_eq "$(rows ro.pymon)" 4 "read-only file: earlier rows intact"

# The disk fills up (a file-size limit): SIGXFSZ must not kill the tests.
PYMON_DB=full.pymon ./driver 5 >/dev/null 2>&1
big=$(printf 'x%.0s' $(seq 20000))
(ulimit -f 64 && fault "file size limit" "'full.pymon'.*(database or disk is full|disk I/O error)" \
  PYMON_DB=full.pymon PYMON_FORCE_COMPONENT="$big") || tl_fail "file size limit case"
(ulimit -f 16 && fault "file size limit at open" "'full.pymon'.*(database or disk is full|disk I/O error)" \
  PYMON_DB=full.pymon) || tl_fail "file size limit at open"
n=$(rows full.pymon)
tl_expect_range "$n" 5 14 "file size limit: earlier rows intact, later ones refused"
tl_expect_eq "$(tl_sql full.pymon "select count(*) from TEST_METRICS where COMPONENT = ''")" 5 \
  "file size limit: the first run's rows"

# Another program holds the write lock longer than pymon waits (5 s).
PYMON_DB=locked.pymon ./driver 3 >/dev/null 2>&1
# The holder waits out the probe below, which may hold a lock for a moment.
{ echo '.timeout 5000'; echo 'BEGIN EXCLUSIVE;'; sleep 8; echo 'COMMIT;'; } | sqlite3 locked.pymon &
holder=$!
for _ in $(seq 50); do
  sqlite3 locked.pymon 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null || break
  sleep 0.1
done
start=$(date +%s)
fault "lock held by sqlite3" "'locked.pymon'.*database is locked" PYMON_DB=locked.pymon
tl_expect_range "$(( $(date +%s) - start ))" 4 8 "waited for the lock about 5 s"
wait "$holder"
tl_expect_eq "$(rows locked.pymon)" 3 "locked: earlier rows intact"
tl_done
