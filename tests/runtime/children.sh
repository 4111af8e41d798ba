# pymon's helper commands (uname -p for the context; git, or p4 outside a
# repository, for SCM_ID) are invisible to the program: a SIGCHLD handler
# that reaps with waitpid(-1) sees its own child only, and what the
# commands print is still stored.
. "$(dirname "$0")/common.sh"
tl_cc "${PYMON_TEST_C_COMPILER:-cc}" -o children "$RT_SRC/children.c" ||
  tl_fail "cannot build children.c"
export GIT_CEILING_DIRECTORIES=$PWD # /tmp may sit inside someone's checkout

# run <dir> [VAR=value...] : the program in <dir>, its output checked.
run() {
  local dir=$1; shift
  mkdir -p "$dir"
  (cd "$dir" && env "$@" ../children >out 2>err) || tl_fail "children in $dir: $(cat "$dir/err")"
  tl_expect_eq "$(cat "$dir/out")" "signals 1, reaped 1" "$dir: the program sees its own child only"
  tl_expect_eq "$(cat "$dir/err")" "" "$dir: nothing on stderr"
}

cpu_type=$(uname -p)
[ "$cpu_type" = unknown ] && cpu_type=
run plain
tl_expect_eq "$(tl_sql plain/.pymon 'select CPU_TYPE from EXECUTION_CONTEXTS')" "$cpu_type" \
  "CPU_TYPE still from uname -p"

# git itself answers when GIT_DIR is set.
mkdir -p repo && (cd repo && git init -q && git -c user.name=t -c user.email=t@t \
  commit -q --allow-empty -m init) || tl_fail "git init"
run repo GIT_DIR="$PWD/repo/.git"
tl_expect_eq "$(tl_sql repo/.pymon 'select SCM_ID from TEST_SESSIONS')" \
  "$(git -C repo rev-parse HEAD)" "SCM_ID from git rev-parse HEAD"

# Outside a repository, a p4 client answers "Change N on ...".
mkdir -p bin
printf '#!/bin/sh\necho "Change 4321 on 2024/01/02 by dev@ws *pending*"\n' >bin/p4
chmod +x bin/p4
run p4 PATH="$PWD/bin:$PATH"
tl_expect_eq "$(tl_sql p4/.pymon 'select SCM_ID from TEST_SESSIONS')" 4321 "SCM_ID from p4 changes"

# A p4 that fails, and none at all: no SCM_ID, the program as before.
printf '#!/bin/sh\necho "Perforce client error" >&2\nexit 1\n' >bin/p4
run p4-fails PATH="$PWD/bin:$PATH"
tl_expect_eq "$(tl_sql p4-fails/.pymon 'select SCM_ID from TEST_SESSIONS')" "" "no SCM_ID when p4 fails"
run no-path PATH=/nonexistent
tl_expect_eq "$(tl_sql no-path/.pymon 'select CPU_TYPE || SCM_ID from EXECUTION_CONTEXTS, TEST_SESSIONS')" "" \
  "no uname, no p4 on PATH: empty CPU_TYPE and SCM_ID"
tl_done
