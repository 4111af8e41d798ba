#!/usr/bin/env bash
# Rows per second pymon-server stores from 8 parallel clients (the runtime's
# own libcurl client, one keep-alive connection each, one POST per row), on
# SQLite and on PostgreSQL (Debian's postgresql 15, started in a temporary
# directory; skipped when it cannot be).
# Usage: bench/server-throughput.sh <build dir> [rows per client]
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
rows=${2:-1000}
clients=8
export PYMON_TEST_SOURCE_DIR=$src PYMON_TEST_INCLUDE_DIR=$src/runtime/include \
  PYMON_TEST_LIB=$build/runtime/libpymon.so \
  PYMON_TEST_SERVER=$build/tools/server/pymon-server \
  PYMON_TEST_C_COMPILER=${CC:-cc}
[ -x "$PYMON_TEST_SERVER" ] || { echo "no $PYMON_TEST_SERVER: build first" >&2; exit 1; }
# The test helpers start servers and PostgreSQL and clean up on exit.
. "$src/tests/lib/testlib.sh"
. "$src/tests/remote/lib.sh"
rs_build_driver

# run_clients LABEL COUNT-COMMAND...: 8 drivers at once, then rows/s.
run_clients() {
  local label=$1; shift
  local c pids="" t0 t1 stored
  t0=$(date +%s.%N)
  for c in $(seq $clients); do
    ./remote-driver "$RS_URL" 30 ctx-bench "bench-$label-$c" "$rows" \
      >"out.$c" 2>"err.$c" &
    pids="$pids $!"
  done
  for c in $pids; do wait "$c"; done
  t1=$(date +%s.%N)
  stored=$("$@")
  awk -v l="$label" -v n="$stored" -v a="$t0" -v b="$t1" -v c=$clients \
    'BEGIN { printf "%-10s %6d rows from %d clients in %6.2f s: %7.0f rows/s\n",
             l, n, c, b - a, n / (b - a) }'
  cat err.* >&2
}

echo "pymon-server throughput ($(nproc) cores, Linux $(uname -r), $rows rows per client)"
rs_start_server sqlite --db bench.pymon
run_clients sqlite tl_sql bench.pymon "SELECT count(*) FROM TEST_METRICS"
rs_stop "$RS_PID"

rs_start_postgres
rs_start_server postgres --postgres "$RS_PG_URL"
run_clients postgres "${RS_PSQL[@]}" -c "SELECT count(*) FROM TEST_METRICS"
rs_stop "$RS_PID"
