#!/usr/bin/env bash
# Print the per-item cost of the crash-safe bookkeeping beside the plain
# probe cost (docs/robustness.md).  Usage: bench/robustness-cost.sh <build dir>
. "$(dirname "$0")/probe-env.sh"
export PYMON_INVOCATION_DIR=$dir PYMON_SCM_ID=bench

echo "pymon crash-safe bookkeeping, per item ($(nproc) cores, Linux $(uname -r))"
"$bench" measure 20000 7 | sed 's/$/  (the probe'"'"'s measuring alone)/'
"$bench" journal 3000 15 | sed 's/$/  (start + end records in the journal, no SQLite)/'
PYMON_DB=$dir/batched.pymon "$bench" item 20000 7 |
  sed 's/$/  (probe + row: journal, rows imported in batches)/'
# Where no journal can be made (here: a file in the way of its directory)
# pymon stores each row in a transaction of its own, as before the journal.
touch single.pymon.pymon-journal
PYMON_DB=$dir/single.pymon "$bench" item 5000 7 |
  sed 's/$/  (probe + row: one transaction per row, no journal)/'
echo "rows stored: $(sqlite3 batched.pymon 'select count(*) from TEST_METRICS') batched," \
  "$(sqlite3 single.pymon 'select count(*) from TEST_METRICS') one by one"
