#!/bin/bash
# The Python side of the comparison with pytest-monitor: Debian's pytest on
# a generated suite of TESTS empty tests, bare and with a conftest.py that
# does per test what pytest-monitor does (psutil CPU times around the call,
# memory_profiler.memory_usage(max_usage=True) running the test while a
# helper process samples RSS, one row inserted and committed in SQLite).
# pytest-monitor itself is not packaged in Debian.  Prints the median wall
# time of RUNS runs of each and the time added per test.
#
#   bench/suite-pytest-monitor.sh [TESTS] [RUNS]     (default: 300 3)
#   needs: python3-pytest python3-psutil python3-memory-profiler
set -eu -o pipefail
. "$(dirname "$0")/suite-common.sh"
tests=${1:-300}
runs=${2:-3}
# Debian's interpreter: the packages above are installed for it
python=${PYTHON:-/usr/bin/python3}
case $tests$runs in *[!0-9]*) echo "suite-pytest-monitor.sh: TESTS and RUNS must be numbers" >&2; exit 2 ;; esac
"$python" -c 'import pytest, psutil, memory_profiler' 2>/dev/null || {
  echo "suite-pytest-monitor.sh: needs python3-pytest python3-psutil python3-memory-profiler" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/pymon-pytest-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/bare" "$dir/monitored"
for i in $(seq 1 "$tests"); do printf 'def test_tiny_%d():\n    pass\n\n' "$i"; done >"$dir/bare/test_generated.py"
cp "$dir/bare/test_generated.py" "$dir/monitored/"
cat >"$dir/monitored/conftest.py" <<'PY'
# What pytest-monitor does around each test function, minus its reporting.
import os
import sqlite3
import time

import memory_profiler
import psutil
import pytest

DB = sqlite3.connect(os.path.join(os.path.dirname(__file__), ".pymon"))
DB.execute("CREATE TABLE IF NOT EXISTS TEST_METRICS (ITEM TEXT, ITEM_START_TIME TEXT,"
           " TOTAL_TIME REAL, USER_TIME REAL, KERNEL_TIME REAL, CPU_USAGE REAL, MEM_USAGE REAL)")
PROCESS = psutil.Process()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    start = time.time()
    cpu_before = PROCESS.cpu_times()
    mem, _ = memory_profiler.memory_usage((pyfuncitem.obj, (), args), max_usage=True,
                                          retval=True)
    cpu_after = PROCESS.cpu_times()
    total = time.time() - start
    user = cpu_after.user - cpu_before.user
    kernel = cpu_after.system - cpu_before.system
    DB.execute("INSERT INTO TEST_METRICS VALUES (?, ?, ?, ?, ?, ?, ?)",
               (pyfuncitem.name, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(start)),
                total, user, kernel, (user + kernel) / total if total else 0, mem))
    DB.commit()
    return True
PY

run_pytest() { # <dir>: one run of pytest there, from a fresh database
  rm -f "$1/.pymon"
  (cd "$1" && "$python" -m pytest -q -p no:cacheprovider test_generated.py >pytest.log 2>&1) ||
    { cat "$1/pytest.log" >&2; return 1; }
}

bare=$(median_wall_us "$runs" run_pytest "$dir/bare")
monitored=$(median_wall_us "$runs" run_pytest "$dir/monitored")
rows=$(sqlite3 "$dir/monitored/.pymon" "SELECT count(*) FROM TEST_METRICS")
echo "suite: $tests empty pytest tests, python3 -m pytest $("$python" -m pytest --version 2>&1 | awk '{print $2}'), median of $runs runs"
echo "bare:     $((bare / 1000)) ms"
echo "conftest: $((monitored / 1000)) ms ($rows rows stored)"
awk -v a="$bare" -v b="$monitored" -v n="$tests" 'BEGIN { printf "added per monitored test: %.2f ms\n", (b - a) / n / 1000 }'
