# examples/autotools against the installed tree, as its configure.ac says:
#   CFLAGS="-O2 $(pkg-config --cflags pymon)" LIBS="$(pkg-config --libs pymon)" ./configure
#   make check
# with gcc (pymon) and clang (pymon-clang).  configure's own test programs
# leave nothing behind; automake's harness reports exactly what it reports
# without pymon; one `make check` is one session with a row per test.
. "$(dirname "$0")/lib.sh"

compilers=$(it_compilers)
[ -n "$compilers" ] || tl_skip "no plugin built"
command -v autoreconf >/dev/null && command -v automake >/dev/null ||
  tl_skip "autoconf/automake not installed (Debian: autoconf automake)"
it_install
it_runner it-make make

cp -r "$PYMON_TEST_SOURCE_DIR/examples/autotools" src
(cd src && autoreconf -i) >autoreconf.log 2>&1 || { cat autoreconf.log; tl_fail "autoreconf failed"; }

# build <dir> <configure args...>: configure out of tree, then make check's
# exit code and the harness's per-test results and summary.
build() {
  local dir=$1; shift
  mkdir "$dir"
  (cd "$dir" && ../src/configure "$@" >configure.log 2>&1 || { cat configure.log >&2; exit 1; }
   "$IT_RUNNER" check >make.log 2>&1; echo "exit $?"
   grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR|# [A-Z]+): ' make.log)
}

for cc in $compilers; do
  case $cc in gcc) pc=pymon ;; clang) pc=pymon-clang ;; esac
  bare=$(build "bare-$cc" CC="$cc" CFLAGS="-O2")
  tl_expect_match "$bare" "# PASS: +2" "$cc: the bare suite passes its 2 tests"
  mon=$(build "mon-$cc" CC="$cc" CFLAGS="-O2 $(it_pc --cflags "$pc")" LIBS="$(it_pc --libs "$pc")" \
    LDFLAGS="-Wl,-rpath,$IT_LIBDIR")
  tl_expect_eq "$mon" "$bare" "$cc: same make check results and exit code with pymon"
  tl_expect_match "$(grep -- "-fplugin=" "mon-$cc/config.log" | head -1)" "/$pc\.so" \
    "$cc: configure got the $pc plugin flag"

  db=mon-$cc/.pymon
  tl_expect_eq "$(it_items "$db")" \
    "test_count_empty test_count_spaces test_count_tabs test_reverse[one two three-three two one] test_reverse[single-single] " \
    "$cc: one row per test call"
  tl_expect_eq "$(tl_sql "$db" "SELECT count(*) FROM TEST_SESSIONS")" 1 \
    "$cc: one make check, one session (configure's programs add none)"
  tl_expect_eq "$(tl_sql "$db" "SELECT DISTINCT ITEM_FS_LOC FROM TEST_METRICS ORDER BY 1" | tr '\n' ' ')" \
    "../src/test_count.c ../src/test_reverse.c " "$cc: sources relative to where make ran"
done
[ -z "$(find . -name .pymon -path '*bare-*')" ]; tl_expect_eq "$?" 0 "no .pymon without pymon"
tl_done
