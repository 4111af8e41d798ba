# Tests that close every descriptor they did not open and write files of
# their own on the numbers freed: pymon's descriptors (the probe's /proc
# files, the journal, the importer's socket, SQLite's) stay its own, so the
# program's files get the numbers and contents they get without pymon (the
# probe's clear_refs write had put a '5' into such a file), and monitoring
# goes on: every row, peaks still measured, a clean database.
. "$(dirname "$0")/common.sh"
rb_build_bare_and_monitored descriptors_suite.c
for d in bare pymon; do
  (cd "$d" && PYMON_INVOCATION_DIR=$PWD ./suite >out 2>err; echo $? >status)
done
tl_expect_eq "$(cat pymon/status)" "$(cat bare/status)" "same exit status"
tl_expect_eq "$(cat pymon/out)" "$(cat bare/out)" "same descriptors, same file contents"
tl_expect_match "$(cat pymon/out)" "^files on 3 3 3" "... the lowest numbers, as the suite expects"
tl_expect_eq "$(cat pymon/err)" "" "nothing on stderr"
tl_expect_eq "$(tl_sql pymon/.pymon "SELECT count(*) FROM TEST_METRICS")" 4505 "every test's row"
big=$(rb_metric MEM_USAGE test_hold_32mb pymon/.pymon)
small=$(rb_metric MEM_USAGE test_small pymon/.pymon)
tl_expect_range "$(awk -v a="$big" -v b="$small" 'BEGIN { print a - b }')" 30 40 \
  "the peak of a test after the closing is still its own (32 MB above the next test)"
rb_clean pymon/.pymon "after the closing"

tl_done
