# common.sh - helpers shared by the runtime storage tests: build the
# hand-written ABI driver and count pymon's warnings.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../lib/testlib.sh"

RT_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# rt_build_driver [name] : compile driver.c into ./name (default ./driver).
rt_build_driver() {
  local out=${1:-driver}
  tl_cc "${PYMON_TEST_C_COMPILER:-cc}" -DDRIVER_COMPILE_DIR="\"$PWD\"" \
    -o "$out" "$RT_SRC/driver.c" || tl_fail "cannot build the driver"
}

# rt_warnings <stderr file> : the number of "pymon: warning:" lines.
rt_warnings() {
  grep -c '^pymon: warning:' "$1" || true
}

# rt_pytest_monitor_schema : the CREATE statements exactly as pytest-monitor
# 1.7 runs them (COMPAT.md), comments included.
rt_pytest_monitor_schema() {
  cat "$PYMON_TEST_SOURCE_DIR/tests/lib/pytest-monitor-schema.sql"
}
