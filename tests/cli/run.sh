# pymon run: options become PYMON_* variables seen by every process of the
# command, one run date and invocation directory per run (one session),
# the exit status passes through, signals are forwarded, and bad options
# stop before the command runs.
. "$(dirname "$0")/clilib.sh"

show_env='env | grep "^PYMON_" | grep -v "^PYMON_TEST_" | sort'

cl_pymon run --description "nightly build" --tag os=linux --tag 'list=a,b' \
  --tag 'path=C:\x' --restrict-scope-to function,module --parametrization-explicit \
  --component-prefix core --db out/results.pymon --scm-id abc123 \
  --remote-server http://localhost:1 --remote-timeout 2.5 -- sh -c "$show_env"
tl_expect_eq "$rc" 0 "run with every option"
tl_expect_match "$out" "PYMON_DESCRIPTION=nightly build" "description"
tl_expect_match "$out" 'PYMON_TAGS=os=linux,list=a\\,b,path=C:\\\\x' "tags joined, comma and backslash escaped"
tl_expect_match "$out" "PYMON_RESTRICT_SCOPE_TO=function,module" "scope"
tl_expect_match "$out" "PYMON_PARAMETRIZATION_EXPLICIT=1" "explicit parametrization"
tl_expect_match "$out" "PYMON_COMPONENT_PREFIX=core" "component prefix"
tl_expect_match "$out" "PYMON_DB=$TL_DIR/out/results.pymon" "relative --db made absolute"
tl_expect_match "$out" "PYMON_SCM_ID=abc123" "scm id"
tl_expect_match "$out" "PYMON_REMOTE_SERVER=http://localhost:1" "remote server"
tl_expect_match "$out" "PYMON_REMOTE_TIMEOUT=2.5" "remote timeout"
tl_expect_match "$out" "PYMON_INVOCATION_DIR=$TL_DIR"$'\n' "invocation dir is the cwd"
tl_expect_match "$out" "PYMON_RUN_DATE=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?"$'\n' "run date in UTC ISO form"
date_utc=$(date -u +%Y-%m-%dT%H)
tl_expect_match "$out" "PYMON_RUN_DATE=$date_utc" "run date is now, in UTC"
tl_expect_eq "$(printf '%s\n' "$out" | grep -c '^PYMON_NO_')" 0 "no --no-* option, no variable"

# Every process under one run sees the same run date; two runs differ.
cl_pymon run -- sh -c 'sh -c "echo \$PYMON_RUN_DATE"; sleep 0.01; sh -c "echo \$PYMON_RUN_DATE"'
first=$(printf '%s\n' "$out" | sed -n 1p)
tl_expect_eq "$(printf '%s\n' "$out" | sed -n 2p)" "$first" "child processes share the run date"
cl_pymon run -- sh -c 'echo $PYMON_RUN_DATE'
tl_expect_match "$( [ "$out" != "$first" ] && echo differ)" "differ" "a second run gets another run date"
# ... unless the caller fixed it (a nested pymon run stays in the session).
out=$(PYMON_RUN_DATE=2024-01-02T03:04:05 "$PYMON" run -- sh -c 'echo $PYMON_RUN_DATE')
tl_expect_eq "$out" "2024-01-02T03:04:05" "an inherited run date is kept"

cl_pymon run --no-monitor --force-component io make-believe-is-not-run 2>/dev/null
tl_expect_eq "$rc" 127 "command not found: 127"
tl_expect_match "$err" "cannot run 'make-believe-is-not-run'" "missing command named"
cl_pymon run --no-monitor --force-component io -- sh -c "$show_env"
tl_expect_match "$out" "PYMON_NO_MONITOR=1" "--no-monitor"
tl_expect_match "$out" "PYMON_FORCE_COMPONENT=io" "--force-component"
cl_pymon run --no-db -- sh -c "$show_env"
tl_expect_eq "$rc" 0 "--no-db alone still runs the command"
tl_expect_match "$err" "warning: --no-db without --remote-server: nothing would be stored" "--no-db warns"
tl_expect_match "$out" "PYMON_NO_MONITOR=1" "--no-db without remote disables monitoring"
cl_pymon run --no-db --remote-server http://h:1 -- sh -c "$show_env"
tl_expect_eq "$err" "" "--no-db with a remote: no warning"
tl_expect_match "$out" "PYMON_NO_DB=1" "--no-db with remote"

# Exit status and signals.
cl_pymon run -- sh -c 'exit 3'
tl_expect_eq "$rc" 3 "exit status passed through"
cl_pymon run -- true
tl_expect_eq "$rc" 0 "success passed through"
cl_pymon run -- sh -c 'kill -TERM $$'
tl_expect_eq "$rc" 143 "death by SIGTERM is 128+15"
cl_pymon run -- sh -c 'kill -KILL $$'
tl_expect_eq "$rc" 137 "death by SIGKILL is 128+9"
"$PYMON" run -- sh -c 'trap "echo child got TERM; exit 7" TERM; echo ready; while :; do sleep 0.05; done' \
  > forwarded.out 2>&1 &
wrapper=$!
for _ in $(seq 100); do grep -q ready forwarded.out 2>/dev/null && break; sleep 0.05; done
kill -TERM "$wrapper"
wait "$wrapper"
tl_expect_eq "$?" 7 "SIGTERM to pymon reaches the command, whose status is returned"
tl_expect_match "$(cat forwarded.out)" "child got TERM" "the command saw SIGTERM"

# Bad options: exit 2 and the command never runs.
bad() { # message args...
  local what=$1; shift
  rm -f ran
  cl_pymon run "$@" -- touch ran
  tl_expect_eq "$rc" 2 "$what: exit 2"
  tl_expect_eq "$([ -e ran ] && echo ran || echo not run)" "not run" "$what: command not run"
}
bad "force + prefix" --force-component a --component-prefix b
tl_expect_match "$err" "--force-component and --component-prefix cannot be used together" "force+prefix message"
bad "bad scope" --restrict-scope-to function,package
tl_expect_match "$err" "bad --restrict-scope-to value 'function,package'" "scope message"
bad "bad tag" --tag novalue
tl_expect_match "$err" "bad --tag 'novalue': expected KEY=VALUE" "tag message"
bad "unknown option" --monitor-everything
tl_expect_match "$err" "unknown option '--monitor-everything'" "unknown option message"
bad "bad timeout" --remote-timeout soon
tl_expect_match "$err" "bad --remote-timeout 'soon'" "timeout message"
cl_pymon run --description x
tl_expect_match "$rc:$err" "^2:.*no command given" "missing command"

tl_done
