# A test that forks: the child's test is recorded once (by the child, on a
# connection of its own), the parent's test once, nothing twice.  A program
# linked with the runtime that forks but runs no test leaves no database.
. "$(dirname "$0")/../lib/testlib.sh"
. "$(dirname "$0")/../lib/probe_suite.sh"

./probe_suite fork >/dev/null 2>err.txt || tl_fail "probe_suite fork failed"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM, count(*) FROM TEST_METRICS GROUP BY ITEM ORDER BY ITEM" | tr '\n' ' ')" \
  "test_child|1 test_parent|1 " "each test recorded exactly once"
tl_expect_eq "$(cat err.txt)" "" "no warning"
tl_expect_eq "$(ls -a | grep -c '^\.pymon-wal$')" 0 "no WAL left: the rows are in .pymon"

# A runner that forks a child per test and runs none itself (Check's fork
# mode): from the second fork on it holds the database, and each child (the
# first too, before there is a database) leaves its rows, and its context,
# in its journal for the runner to store at the next fork or at its exit.
mkdir runner && cd runner || tl_fail "mkdir"
export PYMON_DB=$PWD/.pymon
tl_cc "${PYMON_TEST_C_COMPILER:-cc}" -o forks "$PYMON_TEST_SOURCE_DIR/tests/runtime/forks.c" ||
  tl_fail "cannot build forks.c"
joined() {
  tl_sql .pymon "SELECT count(*), group_concat(DISTINCT c.PYTHON_INFO) FROM TEST_METRICS m
    JOIN TEST_SESSIONS USING (SESSION_H) JOIN EXECUTION_CONTEXTS c USING (ENV_H)
    WHERE ITEM = 'test_in_child'"
}
./forks 5 2>err.txt || tl_fail "forks 5: $(cat err.txt)"
tl_expect_match "$(joined)" "^5\|Forks CC 1.0 / glibc " \
  "five children, five rows, each with its session and the child's own context"
tl_expect_eq "$(ls -a | grep -c pymon-journal)" 0 "no journal left"
tl_expect_eq "$(cat err.txt)" "" "nothing on stderr"
rm -rf .pymon*
./forks 1 2>err.txt || tl_fail "forks 1: $(cat err.txt)"
tl_expect_match "$(joined)" "^1\|Forks CC 1.0 / glibc " \
  "one child: the runner makes the database at its exit, with its session"
tl_expect_eq "$(ls -a | grep -c 'pymon-journal\|pymon-wal')" 0 "... and leaves no journal or WAL"
rm -rf .pymon*
./forks 3 kill 2>/dev/null
tl_expect_eq "$(ls .pymon.pymon-journal | wc -l)" 1 "killed runner: its last child's journal waits"
tl_expect_match "$(joined)" "^2\|" "... and the two before it were stored at the next forks"
./forks 1 2>/dev/null || tl_fail "forks 1"
tl_expect_match "$(joined)" "^4\|Forks CC 1.0 / glibc " \
  "the next runner stores it, with the context its journal carries"
tl_expect_eq "$(ls -a | grep -c pymon-journal)" 0 "no journal left"
unset PYMON_DB
cd .. || tl_fail "cd"

mkdir quiet && cd quiet || tl_fail "mkdir"
cat >forker.c <<'C'
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
  pid_t pid = fork();
  if (pid == 0) _exit(7);
  int status = 0;
  waitpid(pid, &status, 0);
  return WEXITSTATUS(status) == 7 ? 0 : 1;
}
C
tl_cc "${PYMON_TEST_C_COMPILER:-cc}" -o forker forker.c || tl_fail "cannot build forker"
tl_expect_match "$(ldd ./forker)" "libpymon" "the runtime is linked"
PYMON_DB=$PWD/.pymon ./forker 2>err.txt
tl_expect_eq "$?" 0 "the child's exit status reaches the parent"
tl_expect_eq "$(ls -a | grep -c pymon)" 0 "no .pymon nor journal from a program without tests"
tl_expect_eq "$(cat err.txt)" "" "nothing on stderr"
tl_done
