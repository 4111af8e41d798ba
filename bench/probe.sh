#!/usr/bin/env bash
# Print the probe's per-item cost (issue figures: probe alone <= 5 us,
# probe with its row stored <= 25 us).  Usage: bench/probe.sh <build dir>
. "$(dirname "$0")/probe-env.sh"

echo "pymon probe cost per item ($(nproc) cores, Linux $(uname -r))"
"$bench" measure 20000 7
PYMON_NO_MONITOR=1 "$bench" item 200000 7 | sed 's/^item /off  /; s/$/  (PYMON_NO_MONITOR)/'
PYMON_DB=:memory: "$bench" item 20000 7 | sed 's/$/  (row to an in-memory db)/'
PYMON_DB=$dir/.pymon "$bench" item 5000 7 | sed 's/$/  (row to .pymon on disk)/'
rows=$(sqlite3 "$dir/.pymon" 'select count(*) from TEST_METRICS')
echo "rows stored on disk: $rows"
