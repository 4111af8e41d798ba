# examples/cmake against the installed tree, with CMAKE_C_COMPILER=gcc and
# =clang: pymon_instrument() picks the matching plugin, ctest passes exactly
# as without pymon, and one ctest run is one session with a row per test.
. "$(dirname "$0")/lib.sh"

compilers=$(it_compilers)
[ -n "$compilers" ] || tl_skip "no plugin built"
it_install
it_runner it-ctest ctest
cp -r "$PYMON_TEST_SOURCE_DIR/examples/cmake" src

# run_suite <build dir>: ctest's exit code, then the programs' own output.
run_suite() {
  (cd "$1" && "$IT_RUNNER" -V >ctest.log 2>&1; echo "exit $?"
   grep -E '^[0-9]+: test_[a-z]+: ' ctest.log | sort)
}

for cc in $compilers; do
  case $cc in gcc) plugin=pymon.so; other=pymon-clang.so ;;
              clang) plugin=pymon-clang.so; other=pymon.so ;; esac
  cmake -S src -B "bare-$cc" -DCMAKE_C_COMPILER="$cc" -DWITH_PYMON=OFF >"bare-$cc.log" 2>&1 &&
    cmake --build "bare-$cc" >>"bare-$cc.log" 2>&1 || { cat "bare-$cc.log"; tl_fail "$cc: bare build failed"; }
  cmake -S src -B "mon-$cc" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$IT_PREFIX" \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"mon-$cc.log" 2>&1 &&
    cmake --build "mon-$cc" >>"mon-$cc.log" 2>&1 || { cat "mon-$cc.log"; tl_fail "$cc: build with pymon failed"; }
  tl_expect_eq "$(grep -c -- "-fplugin=$IT_PREFIX/[^ ]*/$plugin" "mon-$cc/compile_commands.json")" 2 \
    "$cc: both test sources compiled with $plugin"
  tl_expect_eq "$(grep -c -- "/$other" "mon-$cc/compile_commands.json")" 0 "$cc: $other not used"

  bare=$(run_suite "bare-$cc")
  tl_expect_match "$bare" "^exit 0" "$cc: the bare suite passes"
  tl_expect_eq "$(run_suite "mon-$cc")" "$bare" "$cc: same ctest result and output with pymon"
  [ ! -e "bare-$cc/.pymon" ]; tl_expect_eq "$?" 0 "$cc: no .pymon without pymon"

  db=mon-$cc/.pymon
  tl_expect_eq "$(it_items "$db" | tr ' ' '\n' | sort | tr '\n' ' ')" \
    "test_concat test_duplicate test_overflow_free test_search test_sum[100] test_sum[10] " \
    "$cc: one row per test function call"
  tl_expect_eq "$(tl_sql "$db" "SELECT DISTINCT ITEM_FS_LOC FROM TEST_METRICS ORDER BY 1" | tr '\n' ' ')" \
    "../src/test_numbers.c ../src/test_strings.c " "$cc: sources relative to where ctest ran"
  tl_expect_eq "$(tl_sql "$db" "SELECT count(*) FROM TEST_SESSIONS")" 1 "$cc: one ctest run, one session"
  tl_expect_eq "$(tl_sql "$db" "SELECT count(DISTINCT SESSION_H) FROM TEST_METRICS")" 1 \
    "$cc: both test programs' rows in that session"
done
tl_done
