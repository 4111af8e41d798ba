# A suite run as root whose child drops its privileges and runs tests: the
# child cannot write root's database, so its rows wait in its journal (the
# journal directory root makes is sticky and open to all, as /tmp) for the
# parent, which stores them; nothing on stderr (pymon warned there that it
# could not open the database, and those rows were lost).  A child that
# cannot even reach the database's directory loses its rows, quietly.
. "$(dirname "$0")/common.sh"
[ "$(id -u)" -eq 0 ] || tl_skip "needs root to drop privileges"
rb_build_bare_and_monitored privileges_suite.c
chmod 755 . bare pymon

for n in 2 3000; do
  rb_run_both "$n tests as nobody" $n
  tl_expect_match "$(cat pymon/out)" "as uid 65534" "... the child did drop its privileges"
  tl_expect_eq "$(rb_rows_per_item)" "test_as_nobody:$n test_drops_privileges:1 " \
    "$n tests as nobody: every row, stored by the parent"
  rb_clean pymon/.pymon "$n tests as nobody"
done

mkdir -p closed/inner && chmod 700 closed && chmod 755 closed/inner
PYMON_DB=$PWD/closed/inner/.pymon rb_run_both "a child that cannot reach the database's directory" 2
tl_expect_eq "$(rb_rows_per_item closed/inner/.pymon)" "test_drops_privileges:1 " \
  "... the parent's row (the child's could go nowhere)"
tl_done
