# examples/pkg-config against the installed tree: a plain Makefile takes the
# plugin flag from `pkg-config --cflags pymon` (pymon-clang under Clang) and
# the runtime from --libs.  The suite passes, and fails, exactly as without
# pymon; each `make check` is one session with a row per test.
. "$(dirname "$0")/lib.sh"

compilers=$(it_compilers)
[ -n "$compilers" ] || tl_skip "no plugin built"
it_install
it_runner it-make make
export PKG_CONFIG_PATH=$IT_PCDIR

# check <dir> [make args...]: make's exit code, then the programs' verdicts.
check() {
  local dir=$1; shift
  (cd "$dir" && "$IT_RUNNER" --no-print-directory check "$@" \
     PKG_CONFIG="pkg-config --define-prefix" LDFLAGS="-Wl,-rpath,$IT_LIBDIR" >make.log 2>&1
   echo "exit $?"; grep -E '^(PASS|FAIL)' make.log)
}

for cc in $compilers; do
  case $cc in gcc) plugin=pymon.so ;; clang) plugin=pymon-clang.so ;; esac
  for mode in bare mon; do
    cp -r "$PYMON_TEST_SOURCE_DIR/examples/pkg-config" "$mode-$cc"
  done
  bare=$(check "bare-$cc" CC="$cc" MONITOR=no)
  tl_expect_match "$bare" "^exit 0" "$cc: the bare suite passes"
  tl_expect_eq "$(check "mon-$cc" CC="$cc")" "$bare" "$cc: same verdicts and exit code with pymon"
  tl_expect_match "$(cat "mon-$cc/make.log")" "-fplugin=$IT_PREFIX/[^ ]*/$plugin " \
    "$cc: compiled with $plugin from pkg-config"
  [ ! -e "bare-$cc/.pymon" ]; tl_expect_eq "$?" 0 "$cc: no .pymon without pymon"

  db=mon-$cc/.pymon
  tl_expect_eq "$(it_items "$db")" \
    "test_push_pop test_full test_wraps_around test_decimal test_hex test_negative " \
    "$cc: one row per test, in the order they ran"
  tl_expect_eq "$(tl_sql "$db" "SELECT count(*) FROM TEST_SESSIONS")" 1 "$cc: one make check, one session"

  # A failing run: same failure and exit code, and a second session.
  bare=$(EXPECT_WRONG=1 check "bare-$cc" CC="$cc" MONITOR=no)
  tl_expect_match "$bare" "^exit 2" "$cc: the broken bare suite fails"
  tl_expect_eq "$(EXPECT_WRONG=1 check "mon-$cc" CC="$cc")" "$bare" \
    "$cc: the same failure and exit code with pymon"
  tl_expect_eq "$(tl_sql "$db" "SELECT count(*) FROM TEST_SESSIONS")" 2 "$cc: a second make check, a second session"
  tl_expect_eq "$(tl_sql "$db" "SELECT count(*) FROM TEST_METRICS GROUP BY SESSION_H" | tr '\n' ' ')" \
    "6 6 " "$cc: every test monitored in both sessions"
done
tl_done
