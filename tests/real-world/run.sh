#!/bin/bash
# tests/real-world/run.sh - pymon on test suites nobody here wrote.
#
# Fetches Debian 12 source packages with `apt-get source` through a temporary
# sources list (fetch.sh; the system's apt configuration is not touched) and
# installs the few build dependencies it lists when missing, builds each
# one's test suite bare and with the pymon plugin, under GCC and Clang, runs
# it and checks that
#   - the suite reports exactly what it reports without the plugin,
#   - the number of monitored test calls equals the suite's own count, and
#     no rows went to a .pymon other than the run's,
#   - the whole run is one session.
# Prints a table (suite, compiler, tests seen, monitored, outcome, overhead).
# Not part of CI: it needs the network to Debian and takes ~20 minutes.
#
#   [COMPILERS=gcc|clang] tests/real-world/run.sh [-b BUILD_DIR] [SUITE...]   (as root)
#
# SUITE: cjson jansson check libuv1 (default: all).  BUILD_DIR is a pymon
# build tree (default: build); it is installed into a temporary prefix.
# Exit status: 0 when every suite passes every check, 1 otherwise.
set -u

ALL_SUITES="cjson jansson check libuv1"
COMPILERS=${COMPILERS:-gcc clang}  # e.g. COMPILERS=clang to redo one

here=$(cd "$(dirname "$0")" && pwd)
build=$here/../../build
while getopts b: opt; do
  case $opt in
    b) build=$OPTARG ;;
    *) echo "usage: $0 [-b BUILD_DIR] [SUITE...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
suites=${*:-$ALL_SUITES}
for s in $suites; do
  case " $ALL_SUITES " in *" $s "*) ;;
    *) echo "run.sh: unknown suite '$s'; expected some of: $ALL_SUITES" >&2; exit 2 ;; esac
done
[ "$(id -u)" = 0 ] || { echo "run.sh: run as root (apt-get, and libuv runs as nobody)" >&2; exit 2; }
[ -f "$build/CMakeCache.txt" ] || { echo "run.sh: '$build' is not a pymon build directory" >&2; exit 2; }

# The suites' own PYMON_* settings only: none from the caller.
for v in $(env | sed -n 's/^\(PYMON_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done

# World-readable: libuv's tests run as nobody inside it.
work=$(mktemp -d /var/tmp/pymon-realworld.XXXXXX)
chmod 755 "$work"
trap 'if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work" >&2; fi' EXIT
log=$work/log
mkdir -p "$log"

die() { echo "run.sh: $*" >&2; exit 1; }

# --- pymon ------------------------------------------------------------------
prefix=$work/prefix
install_pymon() {
  cmake --install "$build" --prefix "$prefix" >"$log/install.log" 2>&1 || { cat "$log/install.log"; die "cmake --install failed"; }
  pcdir=$(dirname "$(ls "$prefix"/lib*/pkgconfig/pymon.pc)")
  libdir=$(dirname "$pcdir")
}

# flags <suite> <compiler> <mode>: sets CFLAGS_ADD and LIBS_ADD ("" when
# bare).  libuv1: only its preset, and not its runner's run_test_part (which
# the libuv preset would take for a test named "part"; see docs/results.md).
flags() {
  CFLAGS_ADD='' LIBS_ADD=''
  [ "$3" = bare ] && return
  local pc=pymon
  [ "$2" = clang ] && pc=pymon-clang
  CFLAGS_ADD=$(PKG_CONFIG_PATH=$pcdir pkg-config --define-prefix --cflags $pc)
  # plugin arguments go after the -fplugin they are for
  [ "$1" = libuv1 ] &&
    CFLAGS_ADD+=" -fplugin-arg-pymon-frameworks=libuv -fplugin-arg-pymon-exclude=run_test_part"
  LIBS_ADD=$(PKG_CONFIG_PATH=$pcdir pkg-config --define-prefix --libs $pc)
}

# --- the suites ---------------------------------------------------------------
# Each suite has build_<suite> <dir> <compiler> and run_<suite> <dir>.  run_
# runs the suite the way its project does, writes what the suite reported
# (normalised, sorted) to <dir>/verdict and its count of tests to <dir>/seen,
# and returns the suite's exit status.

# autotools <dir> <compiler>: autoreconf as Debian does, then configure.
autotools() {
  (cd "$1" && autoreconf -fi && ./configure CC="$2" CFLAGS="-O2 $CFLAGS_ADD" LIBS="$LIBS_ADD") >"$1/build.log" 2>&1
}

# cmake_build <dir> <compiler> [cmake args...]: configure and build in <dir>/b.
cmake_build() {
  local dir=$1 cc=$2; shift 2
  cmake -S "$dir" -B "$dir/b" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS="$CFLAGS_ADD" -DCMAKE_C_STANDARD_LIBRARIES="$LIBS_ADD" "$@" >"$dir/build.log" 2>&1
}

build_cjson() { cmake_build "$1" "$2" -DENABLE_CJSON_TEST=ON && cmake --build "$1/b" -j2 >>"$1/build.log" 2>&1; }
run_cjson() { # Unity: each program ends with "N Tests F Failures I Ignored"
  (cd "$1/b" && ctest -V >"$1/run.log" 2>&1); local rc=$?
  grep -E '^[0-9]+: ([0-9]+ Tests|OK|FAIL)' "$1/run.log" | sed 's/^[0-9]*: //' | sort >"$1/verdict"
  awk '$2 == "Tests" { n += $1 } END { print n + 0 }' "$1/verdict" >"$1/seen"
  return $rc
}

build_jansson() { autotools "$@" && make -C "$1" -j2 >>"$1/build.log" 2>&1; }
run_jansson() { # seen: the test_* calls in the api programs' run_tests()
  (cd "$1" && make check >"$1/run.log" 2>&1); local rc=$?
  { grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS): ' "$1/run.log"
    grep -vE '^=+$' "$1/test/run-suites.log" 2>/dev/null; } | sort >"$1/verdict"
  for f in "$1"/test/suites/api/test_*.c; do
    sed -n '/^static void run_tests()/,/^}/p' "$f" | grep -oE '\<test_[a-z0-9_]+\(' || true
  done | wc -l >"$1/seen"
  return $rc
}

build_check() { autotools "$@" && make -C "$1" -j2 >>"$1/build.log" 2>&1; }
run_check() { # Check prints "P%: Checks: N, Failures: F, Errors: E" per run
  (cd "$1" && make check >"$1/run.log" 2>&1); local rc=$?
  { grep -E '^(PASS|FAIL|ERROR|SKIP|XFAIL|XPASS): ' "$1/run.log"
    cat "$1"/tests/*.log | grep -oE '[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+'; } | sort >"$1/verdict"
  grep -oE 'Checks: [0-9]+' "$1/verdict" | awk '{ n += $2 } END { print n + 0 }' >"$1/seen"
  return $rc
}

build_libuv1() { # the shared-library runner; uv_run_tests_a links with -static
  cmake_build "$1" "$2" -DLIBUV_BUILD_TESTS=ON && cmake --build "$1/b" -j2 --target uv_run_tests >>"$1/build.log" 2>&1
}
run_libuv1() { # TAP from the runner, which forks and execs itself per test;
  # as nobody (as its tests expect) in a network namespace of its own, so
  # tests that reach for outside addresses stay on this machine.
  chown -R nobody:nogroup "$1"
  (cd "$1/b" && unshare -n sh -c 'ip link set lo up && exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
     env HOME=/nonexistent ctest -V -R "^uv_test$" --timeout 1200' >"$1/run.log" 2>&1); local rc=$?
  grep -oE '^[0-9]+: (not )?ok [0-9]+ - [^ ]+( # (SKIP|TODO))?' "$1/run.log" | sed 's/^[0-9]*: //' | sort >"$1/verdict"
  grep -c 'ok ' "$1/verdict" >"$1/seen"
  return $rc
}

# --- running ------------------------------------------------------------------
# one <suite> <compiler> <mode>: copy, build, run; sets rc_, secs_.
one() {
  local suite=$1 cc=$2 mode=$3 dir=$work/$1-$2-$3 t0 t1
  cp -a "$work/src/$(srcdir_of "$suite")" "$dir"
  flags "$suite" "$cc" "$mode"
  # configure runs what it links: the runtime must load at build time too
  if ! LD_LIBRARY_PATH=$libdir "build_$suite" "$dir" "$cc"; then
    tail -20 "$dir/build.log" >&2
    rc_=build-failed secs_=0
    return
  fi
  # configure's own test programs may have test_* functions (check's has
  # test_timer_create): their rows are not the suite run's
  rm -f "$(db_of "$suite" "$dir")"
  t0=$(date +%s.%N)
  LD_LIBRARY_PATH=$libdir "run_$suite" "$dir"; rc_=$?
  t1=$(date +%s.%N)
  secs_=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
}

srcdir_of() { # the unpacked source tree of a source package
  local d
  d=$(ls -d "$work/src/$1"-[0-9]*/ 2>/dev/null | head -1)
  [ -n "$d" ] || die "no unpacked source for $1"
  basename "$d"
}

# the .pymon of a run: where its session runner (make or ctest) ran
db_of() {
  case $1 in cjson|libuv1) echo "$2/b/.pymon" ;; *) echo "$2/.pymon" ;; esac
}

"$here/fetch.sh" "$work" $suites || exit 1
install_pymon
status=0
rows=()
for suite in $suites; do
  for cc in $COMPILERS; do
    echo "== $suite, $cc, bare"
    one "$suite" "$cc" bare; bare_rc=$rc_ bare_secs=$secs_
    bare_dir=$work/$suite-$cc-bare
    echo "== $suite, $cc, pymon"
    one "$suite" "$cc" pymon
    dir=$work/$suite-$cc-pymon
    db=$(db_of "$suite" "$dir")
    seen=$(cat "$dir/seen" 2>/dev/null || echo 0)
    monitored=0 sessions=0 stray=0
    if [ -s "$db" ]; then
      monitored=$(sqlite3 "$db" "SELECT count(*) FROM TEST_METRICS")
      sessions=$(sqlite3 "$db" "SELECT count(*) FROM TEST_SESSIONS")
    fi
    # rows that went to a .pymon other than the run's (a wrong invocation dir)
    while IFS= read -r other; do
      stray=$((stray + $(sqlite3 "$other" "SELECT count(*) FROM TEST_METRICS" 2>/dev/null || echo 0)))
    done < <(find "$dir" -name .pymon -type f ! -path "$db")
    outcome=ok
    if [ "$bare_rc" != "$rc_" ] || ! cmp -s "$bare_dir/verdict" "$dir/verdict"; then
      outcome="results differ (exit $bare_rc vs $rc_)"
      diff "$bare_dir/verdict" "$dir/verdict" >"$log/$suite-$cc.diff"
    elif [ "$stray" != 0 ]; then
      outcome="count differs: $stray rows in other .pymon files"
    elif [ "$seen" != "$monitored" ]; then
      outcome="count differs"
    elif [ "$sessions" != 1 ]; then
      outcome="$sessions sessions"
    fi
    [ "$bare_rc" = 0 ] || outcome="$outcome; suite exits $bare_rc bare"
    [ "$outcome" = ok ] || status=1
    overhead=$(awk -v a="$bare_secs" -v b="$secs_" 'BEGIN { if (a > 0) printf "%+.1f %% (%.1f s -> %.1f s)", (b - a) * 100 / a, a, b }')
    rows+=("$suite|$cc|$seen|$monitored|$outcome|$overhead")
    printf '%s\n' "${rows[-1]}"
  done
done

echo
echo "| suite | compiler | tests seen | tests monitored | outcome | overhead (run time) |"
echo "|---|---|---|---|---|---|"
for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
exit $status
