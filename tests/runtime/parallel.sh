# Many test processes writing one database at once, as a parallel
# `make -j check` does: every row arrives, nobody is told the database is
# locked, and the file stays sound.
. "$(dirname "$0")/common.sh"
rt_build_driver
export PYMON_DB=$PWD/shared.pymon PYMON_RUN_DATE=2024-03-04T05:06:07.080910 PYMON_SCM_ID=par

pids=
for i in $(seq 16); do
  ./driver 500 >/dev/null 2>"err.$i" &
  pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=$((failed + 1)); done
tl_expect_eq "$failed" 0 "every process exits with status 0"
tl_expect_eq "$(cat err.*)" "" "nothing on stderr (no 'database is locked')"

tl_expect_eq "$(tl_sql shared.pymon 'select count(*) from TEST_METRICS')" 8000 "16 x 500 rows"
tl_expect_eq "$(tl_sql shared.pymon 'select count(*) from PYMON_ITEM_OUTCOMES')" 0 \
  "every item returned: no outcome rows"
tl_expect_eq "$(tl_sql shared.pymon 'select distinct count(*) from TEST_METRICS group by ITEM_VARIANT')" \
  16 "each item once from each process"
tl_expect_eq "$(tl_sql shared.pymon 'select count(distinct ITEM_VARIANT) from TEST_METRICS')" 500 \
  "every item of each process"
tl_expect_eq "$(tl_sql shared.pymon 'select count(*) from TEST_SESSIONS')" 1 "one session"
tl_expect_eq "$(tl_sql shared.pymon 'select count(*) from EXECUTION_CONTEXTS')" 1 "one context"
tl_expect_eq "$(tl_sql shared.pymon 'PRAGMA integrity_check')" ok "database intact"
tl_done
