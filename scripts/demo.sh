#!/usr/bin/env bash
# The main job: install what is missing, build pymon, run the example suite
# with `make check` and the GCC plugin, and show the rows it stored.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}

bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2

run=$build/example-run
rm -rf "$run"
mkdir -p "$run"
cp "$root"/examples/basic/* "$run"/
cd "$run"
echo
echo "== make check (CFLAGS += -fplugin=pymon.so) in $run"
make --no-print-directory check \
  PLUGIN_CFLAGS="-fplugin=$build/gcc-plugin/pymon.so -I$root/runtime/include" \
  PLUGIN_LIBS="-L$build/runtime -lpymon -Wl,-rpath,$build/runtime"

echo
echo "== rows stored in $run/.pymon (TEST_METRICS)"
sqlite3 -header -column .pymon "
  SELECT ITEM_PATH, ITEM_VARIANT, KIND, COMPONENT,
         printf('%.3f', TOTAL_TIME) AS TOTAL_S, printf('%.3f', USER_TIME) AS USER_S,
         printf('%.3f', KERNEL_TIME) AS KERNEL_S, printf('%.1f', CPU_USAGE) AS CPU_PCT,
         printf('%.2f', MEM_USAGE) AS MEM_MB
  FROM TEST_METRICS ORDER BY ITEM_START_TIME"
echo
echo "== session"
sqlite3 -header -column .pymon "SELECT SESSION_H, RUN_DATE, SCM_ID, RUN_DESCRIPTION FROM TEST_SESSIONS"
if [ -x "$build/tools/pymon/pymon" ]; then
  echo
  echo "== pymon report"
  "$build/tools/pymon/pymon" report --db .pymon
fi
