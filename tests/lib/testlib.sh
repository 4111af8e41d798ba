# testlib.sh - shared helpers for pymon's shell tests.
#
# A test sources this, builds small C suites with tl_cc / tl_cc_plugin, runs
# them and checks .pymon with tl_sql and the tl_expect_* assertions.  Every
# failed expectation is printed; the script exits non-zero at the end if any
# failed (tl_done), or at once with tl_fail.

set -u
tl_failures=0
tl_checks=0

# The user's own PYMON_* settings must not leak into a test.
for v in $(env | sed -n 's/^\(PYMON_[A-Z0-9_]*\)=.*/\1/p'); do
  case $v in PYMON_TEST_*) ;; *) unset "$v" ;; esac
done

# ctest is itself a session runner (docs/sessions.md): without this every
# test would share its session and write <build dir>/.pymon.  Tests of the
# grouping set their own runner names.
export PYMON_SESSION_RUNNERS=no-such-runner

TL_INC=${PYMON_TEST_INCLUDE_DIR:?run this test through ctest}
TL_LIB=${PYMON_TEST_LIB:?run this test through ctest}
TL_LIBDIR=$(dirname "$TL_LIB")

# Fresh working directory, removed on exit unless PYMON_TEST_KEEP is set.
TL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pymon-test.XXXXXX")
trap 'if [ -z "${PYMON_TEST_KEEP:-}" ]; then rm -rf "$TL_DIR"; else echo "kept $TL_DIR"; fi' EXIT
cd "$TL_DIR" || exit 1

tl_sanitize_flags() {
  if [ "${PYMON_TEST_SANITIZE:-0}" = 1 ]; then
    echo "-fsanitize=address,undefined -fno-sanitize-recover=all"
  fi
}

# tl_cc <compiler> -o out sources... : build against the runtime, no plugin.
tl_cc() {
  local compiler=$1; shift
  # shellcheck disable=SC2046
  "$compiler" -g -Wall -Wextra -Werror $(tl_sanitize_flags) -I"$TL_INC" "$@" \
    -L"$TL_LIBDIR" -lpymon -Wl,-rpath,"$TL_LIBDIR"
}

# tl_plugin_flag gcc|clang : the -fplugin flag for that compiler, or skip.
tl_plugin_flag() {
  case $1 in
    gcc*|g++*) [ -n "${PYMON_TEST_GCC_PLUGIN:-}" ] || tl_skip "GCC plugin not built"
               echo "-fplugin=$PYMON_TEST_GCC_PLUGIN" ;;
    clang*)    [ -n "${PYMON_TEST_CLANG_PLUGIN:-}" ] || tl_skip "Clang plugin not built"
               echo "-fplugin=$PYMON_TEST_CLANG_PLUGIN" ;;
    *) tl_fail "no plugin for compiler $1" ;;
  esac
}

# tl_cc_plugin <compiler> [flags] -o out sources... : build with the plugin.
tl_cc_plugin() {
  local compiler=$1; shift
  local flag
  flag=$(tl_plugin_flag "$compiler") || exit $?
  tl_cc "$compiler" "$flag" "$@"
}

# tl_sql <db> <query> : rows as '|'-separated lines.
tl_sql() {
  sqlite3 -batch -noheader "$1" "$2"
}

# For FROM: every item of a .pymon with how it ended, as docs/schema.md
# says to read it: a TEST_METRICS row without an outcome row returned, and
# an item kept out of TEST_METRICS (PYMON_ONLY_PASSED=1) has its outcome
# row only.  Columns ITEM_START_TIME, ITEM_PATH, ITEM_VARIANT, KIND,
# OUTCOME, DETAIL, PID (NULL for items that returned).
TL_ITEM_OUTCOMES="(SELECT ITEM_START_TIME, ITEM_PATH, ITEM_VARIANT, KIND,
    coalesce(o.OUTCOME, 'returned') AS OUTCOME, coalesce(o.DETAIL, 0) AS DETAIL, o.PID AS PID
  FROM TEST_METRICS m LEFT JOIN PYMON_ITEM_OUTCOMES o
    USING (SESSION_H, ENV_H, ITEM_START_TIME, ITEM_PATH, ITEM_VARIANT, KIND)
  UNION ALL
  SELECT ITEM_START_TIME, ITEM_PATH, ITEM_VARIANT, KIND, OUTCOME, DETAIL, PID
  FROM PYMON_ITEM_OUTCOMES o WHERE NOT EXISTS (SELECT 1 FROM TEST_METRICS m
    WHERE m.SESSION_H = o.SESSION_H AND m.ENV_H = o.ENV_H AND m.ITEM_START_TIME = o.ITEM_START_TIME
      AND m.ITEM_PATH = o.ITEM_PATH AND m.ITEM_VARIANT = o.ITEM_VARIANT AND m.KIND = o.KIND))"

tl_pass() { tl_checks=$((tl_checks + 1)); }

tl_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

tl_skip() {
  echo "SKIP: $*" >&2
  exit 77
}

tl_expect_eq() { # actual expected message
  tl_checks=$((tl_checks + 1))
  if [ "$1" != "$2" ]; then
    tl_failures=$((tl_failures + 1))
    printf 'FAIL: %s\n  expected: %s\n  actual:   %s\n' "$3" "$2" "$1" >&2
  fi
}

tl_expect_match() { # actual extended-regex message
  tl_checks=$((tl_checks + 1))
  if ! printf '%s' "$1" | grep -Eq -- "$2"; then
    tl_failures=$((tl_failures + 1))
    printf 'FAIL: %s\n  expected to match: %s\n  actual: %s\n' "$3" "$2" "$1" >&2
  fi
}

tl_expect_range() { # value low high message   (inclusive, decimals allowed)
  tl_checks=$((tl_checks + 1))
  if ! awk -v v="$1" -v lo="$2" -v hi="$3" \
      'BEGIN { exit !(v != "" && v + 0 == v && v >= lo && v <= hi) }'; then
    tl_failures=$((tl_failures + 1))
    printf 'FAIL: %s\n  expected in [%s, %s], got: %s\n' "$4" "$2" "$3" "$1" >&2
  fi
}

tl_done() {
  if [ "$tl_failures" -ne 0 ]; then
    echo "$tl_failures of $tl_checks checks failed" >&2
    exit 1
  fi
  echo "all $tl_checks checks passed"
  exit 0
}
