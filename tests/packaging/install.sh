# `make install` lays out the runtime, headers, plugins and package files;
# a CMake project finds them with find_package(pymon) and instruments a
# test with pymon_instrument(), and a Makefile user gets the flags from
# pkg-config.  Each resulting suite stores its rows in .pymon.
. "$(dirname "$0")/../lib/testlib.sh"

[ -n "${PYMON_TEST_GCC_PLUGIN:-}" ] || tl_skip "GCC plugin not built"
prefix=$TL_DIR/prefix
cmake --install "$PYMON_TEST_BINARY_DIR" --prefix "$prefix" >install.log 2>&1 ||
  { cat install.log; tl_fail "cmake --install failed"; }
for f in include/pymon.h include/pymon/abi.h; do
  [ -f "$prefix/$f" ]; tl_expect_eq "$?" 0 "installed $f"
done
pcdir=$(dirname "$(ls "$prefix"/lib*/pkgconfig/pymon.pc)")
pc() { PKG_CONFIG_PATH=$pcdir pkg-config --define-prefix "$@"; }
tl_expect_match "$(pc --cflags pymon)" "-fplugin=$prefix/.*/pymon\.so" \
  "pkg-config --cflags gives the GCC plugin flag"
tl_expect_match "$(pc --cflags pymon-clang)" "-fplugin=$prefix/.*/pymon-clang\.so" \
  "pkg-config --cflags pymon-clang gives the Clang plugin flag"
tl_expect_match "$(pc --libs pymon)" "-lpymon" "pkg-config --libs gives the runtime"

cat > test_pkg.c <<'C'
#include <pymon.h>
void test_from_pkgconfig(int n) { (void)n; }
int main(void) { test_from_pkgconfig(1); test_from_pkgconfig(2); return 0; }
C
libdir=$(pc --variable=libdir pymon)
# shellcheck disable=SC2046
gcc -Wall -Werror $(pc --cflags pymon) test_pkg.c $(pc --libs pymon) \
  -Wl,-rpath,"$libdir" -o test_pkg || tl_fail "building with pkg-config's flags failed"
PYMON_INVOCATION_DIR=$PWD ./test_pkg || tl_fail "test_pkg failed"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM_VARIANT FROM TEST_METRICS ORDER BY ITEM_START_TIME" | tr '\n' ' ')" \
  "test_from_pkgconfig[1] test_from_pkgconfig[2] " "rows from the installed plugin and runtime"

mkdir -p cmakeproj && cd cmakeproj || exit 1
cat > CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.20)
project(uses_pymon C)
find_package(pymon REQUIRED)
add_executable(test_cmake test_cmake.c)
pymon_instrument(test_cmake)
CM
cat > test_cmake.c <<'C'
void test_from_cmake(void) {}
int main(void) { test_from_cmake(); return 0; }
C
cmake -S . -B build -DCMAKE_PREFIX_PATH="$prefix" >cmake.log 2>&1 ||
  { cat cmake.log; tl_fail "find_package(pymon) failed"; }
cmake --build build >>cmake.log 2>&1 || { cat cmake.log; tl_fail "building the CMake project failed"; }
PYMON_INVOCATION_DIR=$PWD ./build/test_cmake || tl_fail "test_cmake failed"
tl_expect_eq "$(tl_sql .pymon "SELECT ITEM || ':' || ITEM_FS_LOC FROM TEST_METRICS")" \
  "test_from_cmake:test_cmake.c" "pymon_instrument() monitors the CMake target"
tl_done
