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
