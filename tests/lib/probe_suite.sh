# probe_suite.sh - build tests/runtime/probe_suite.c (the ABI called by hand)
# into ./probe_suite; sourced by the probe and measuring tests.
tl_cc "${PYMON_TEST_C_COMPILER:-cc}" -std=c11 -O1 \
  "$PYMON_TEST_SOURCE_DIR/tests/runtime/probe_suite.c" -o probe_suite -lpthread ||
  tl_fail "cannot build probe_suite"

# ps_value <column> <ITEM_VARIANT> : one column of that item's row.
ps_value() {
  tl_sql .pymon "SELECT $1 FROM TEST_METRICS WHERE ITEM_VARIANT = '$2'"
}

# Rows go to ./.pymon, names are relative to this directory.
export PYMON_INVOCATION_DIR=$PWD
