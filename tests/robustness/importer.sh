# The importer process: a suite of many short tests has its rows stored by
# a helper process while it runs; every row arrives exactly once whether
# the helper or the suite is killed; the suite's status, output and
# children are its own; PYMON_BACKGROUND_IMPORT=0 turns the helper off.
. "$(dirname "$0")/common.sh"
rb_build_suite importer_suite importer_suite -O1

# rows_check <count> <what>: that many TEST_METRICS rows, none twice.
rows_check() {
  tl_expect_eq "$(tl_sql .pymon "SELECT count(*), count(DISTINCT SESSION_H || ITEM) FROM TEST_METRICS")" \
    "$1|$1" "$2: every row stored once"
}

./importer_suite 5000 seen=4000 >out 2>err
tl_expect_eq $? 3 "the suite's exit status is kept"
tl_expect_eq "$(head -1 out)" "importer seen" "5000 quick tests: the importer process stores their rows"
tl_expect_eq "$(tail -1 out)" "reaped 1, SIGCHLD seen" "wait(-1) in the suite reaps its own child only, and returns"
tl_expect_eq "$(grep errno out)" "errno kept" "pymon_enter and pymon_exit keep errno"
tl_expect_eq "$(cat err)" "" "nothing on stderr"
rows_check 5000 "with the importer"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_SESSIONS")" 1 "one session"
rb_clean .pymon "with the importer"

# A suite that is a child subreaper would inherit the importer when the
# hidden child that started it exits, and its wait(-1) until no child is
# left would wait for it, which waits for the suite: no importer then.
rm -f .pymon
timeout 60 ./importer_suite 5000 seen=4000 subreaper=1 >out 2>err
tl_expect_eq $? 3 "a subreaper suite: exit status kept (it does not hang)"
tl_expect_eq "$(head -1 out)" "importer none" "a subreaper suite: no importer process"
tl_expect_eq "$(tail -1 out)" "reaped 1, SIGCHLD seen" "a subreaper suite: wait(-1) reaps its own child only"
rows_check 5000 "a subreaper suite"
rb_clean .pymon "a subreaper suite"

rm -f .pymon
PYMON_BACKGROUND_IMPORT=0 ./importer_suite 5000 seen=4000 >out 2>err
tl_expect_eq "$(head -1 out)" "importer none" "PYMON_BACKGROUND_IMPORT=0: no importer"
rows_check 5000 "without the importer"
rb_clean .pymon "without the importer"

# The suite ends just after its importer started (1024 rows by count): the
# importer, still starting, is cancelled and the suite stores the rest.
rm -f .pymon
./importer_suite 1100 >out 2>err
tl_expect_eq "$(cat err)" "" "nothing on stderr when the importer is cancelled"
rows_check 1100 "importer cancelled at the end"
rb_clean .pymon "importer cancelled at the end"

# A relative PYMON_DB, and the suite changes directory before the importer
# starts: the rows still go to the database it opened.
rm -f .pymon
mkdir -p elsewhere
PYMON_DB=relative.pymon ./importer_suite 5000 chdir=10 seen=4000 >out 2>err
tl_expect_eq "$(head -1 out)" "importer seen" "an importer after the change of directory"
tl_expect_eq "$(ls elsewhere)" "" "nothing written in the new directory"
tl_expect_eq "$(tl_sql relative.pymon "SELECT count(*), count(DISTINCT ITEM) FROM TEST_METRICS")" \
  "5000|5000" "a relative PYMON_DB: every row stored once"

# A test removes the journal directory: the journal's blocks can no longer
# be reserved, its rows go straight to the database, and none is lost.
rm -f .pymon
./importer_suite 5000 remove-journal=100 >out 2>err
tl_expect_eq "$(cat err)" "" "journal removed: nothing on stderr"
rows_check 5000 "journal removed"
rb_clean .pymon "journal removed"

# The importer dies in the middle: the suite stores what it left, quietly.
rm -f .pymon
./importer_suite 5000 kill-importer=3000 >out 2>err
tl_expect_eq "$(head -1 out)" "importer killed" "the importer is killed at test 3000"
tl_expect_eq "$(cat err)" "" "nothing on stderr after the importer died"
rows_check 5000 "importer killed"
rb_clean .pymon "importer killed"

# A test closes every socket and makes its own on the same numbers: nothing
# of pymon's lands in it or closes it, and every row is stored.
rm -f .pymon
./importer_suite 5000 close-sockets=4000 >out 2>err
tl_expect_eq "$(tail -1 out)" "own socket: 0 bytes arrived, still open" \
  "a socket on the importer's old number is the test's alone"
tl_expect_eq "$(cat err)" "" "nothing on stderr after the socket was closed"
rows_check 5000 "socket closed"
rb_clean .pymon "socket closed"

# The suite dies in the middle: the importer stores what it was handed,
# the next process the rest, and the killed test as killed.
rm -f .pymon
./importer_suite 5000 kill-self=4000 >out 2>err
tl_expect_eq $? 137 "the suite killed itself"
./importer_suite 1 >/dev/null 2>err
tl_expect_eq "$(cat err)" "" "recovery is quiet"
rows_check 4002 "suite killed at test 4000, then one more run"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT || ':' || OUTCOME FROM PYMON_ITEM_OUTCOMES")" \
  "test_04000:killed" "the test running when the suite died is stored as killed"
rb_clean .pymon "suite killed"

PYMON_BACKGROUND_IMPORT=maybe ./importer_suite 1 >out 2>err
tl_expect_eq $? 2 "a bad PYMON_BACKGROUND_IMPORT stops the suite"
tl_expect_match "$(cat err)" "PYMON_BACKGROUND_IMPORT='maybe'.*1, 0, true, false" "the error names the value and the accepted ones"
PYMON_IMPORTER=5:0:x ./importer_suite 1 >out 2>err
tl_expect_eq $? 2 "a stray PYMON_IMPORTER stops the program"
tl_expect_match "$(cat err)" "PYMON_IMPORTER='5:0:x': pymon sets this for its importer process only" \
  "the error says the variable is pymon's own"
tl_done
