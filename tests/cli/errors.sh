# Every subcommand has --help; bad input of every kind is a clear error
# with exit status 2: unknown command or option, missing file, a file that
# is not SQLite, a SQLite file without pytest-monitor's tables, unknown or
# ambiguous sessions, bad thresholds, and serve without pymon-server.
. "$(dirname "$0")/clilib.sh"

for cmd in run report compare check export html serve; do
  cl_pymon "$cmd" --help
  if [ "$cmd" = serve ] && [ -n "${PYMON_TEST_SERVER:-}" ]; then
    continue # the server's own help
  fi
  tl_expect_eq "$rc" 0 "pymon $cmd --help exits 0"
  tl_expect_match "$out" "usage: pymon $cmd" "pymon $cmd --help prints its usage"
done
cl_pymon --help
tl_expect_match "$out" "check +like compare" "pymon --help lists the commands"

cl_pymon frobnicate
tl_expect_eq "$rc" 2 "unknown command"
tl_expect_match "$err" "unknown command 'frobnicate'" "unknown command named"

cl_pymon report --frob
tl_expect_eq "$rc" 2 "unknown option"
tl_expect_match "$err" "unknown option '--frob'" "unknown option named"
cl_pymon report --top
tl_expect_match "$rc:$err" "^2:.*--top needs a value" "option without value"
cl_pymon report --top zero
tl_expect_match "$rc:$err" "^2:.*bad --top 'zero'" "bad number"

cl_pymon report --db missing.pymon
tl_expect_eq "$rc" 2 "missing database"
tl_expect_match "$err" "cannot open database 'missing.pymon': No such file" "missing file named"

echo "just text, not a database" > text.pymon
cl_pymon report --db text.pymon
tl_expect_eq "$rc" 2 "a text file"
tl_expect_match "$err" "'text.pymon' is not a SQLite database" "not SQLite"

sqlite3 foreign.db "CREATE TABLE customers(id integer)"
cl_pymon export --db foreign.db
tl_expect_eq "$rc" 2 "foreign database"
tl_expect_match "$err" "not a pytest-monitor or pymon database: it has no TEST_SESSIONS" "foreign named"

cl_schema empty.pymon
cl_pymon report --db empty.pymon
tl_expect_match "$rc:$err" "^2:.*no sessions in 'empty.pymon'" "empty database"

# PYMON_DB is the default database, as for the runtime.
cl_schema db.pymon
cl_context db.pymon e1 "Intel Xeon" 2 x86_64
cl_session db.pymon aaaa1111 2024-05-01T10:00:00
cl_session db.pymon aaaa2222 2024-05-02T10:00:00
cl_metric db.pymon aaaa1111 e1 tests.t test_a 1 1 0 100 10
PYMON_DB=db.pymon cl_pymon report --session aaaa1
tl_expect_eq "$rc" 0 "session by unique prefix, database from PYMON_DB"
tl_expect_match "$out" "Session aaaa1111" "prefix resolved"
cl_pymon report --db db.pymon --session aaaa
tl_expect_match "$rc:$err" "^2:.*session id 'aaaa' is ambiguous" "ambiguous prefix"
cl_pymon report --db db.pymon --session beef
tl_expect_match "$rc:$err" "^2:.*unknown session 'beef'" "unknown session"
cl_pymon check --db db.pymon --baseline cafe
tl_expect_match "$rc:$err" "^2:.*unknown session 'cafe'" "unknown baseline"
cl_pymon check --db db.pymon --baseline scm:deadbeef
tl_expect_match "$rc:$err" "^2:.*no other session with SCM id 'deadbeef'" "unknown SCM id"
cl_pymon check --db db.pymon --baseline median:x
tl_expect_match "$rc:$err" "^2:.*bad --baseline median:N 'x'" "bad median"
cl_pymon report --db db.pymon --test nothing_like_it
tl_expect_match "$rc:$err" "^2:.*no test named 'nothing_like_it'" "unknown test"

# Thresholds: bad metric, bad number, bad file line, missing file.
cl_pymon check --db db.pymon --max-increase speed=20%
tl_expect_match "$rc:$err" "^2:.*--max-increase: bad max-increase 'speed=20%'.*time, cpu, mem, usage" "bad metric"
cl_pymon check --db db.pymon --min-delta mem=-1
tl_expect_match "$rc:$err" "^2:.*bad min-delta 'mem=-1'" "negative delta"
cl_pymon check --db db.pymon --min-duration soon
tl_expect_match "$rc:$err" "^2:.*bad min-duration 'soon'" "bad duration"
printf '# rules\ntests.* max-increase time=30%%\ntests.t::* sometimes\n' > bad.rules
cl_pymon check --db db.pymon --thresholds bad.rules
tl_expect_match "$rc:$err" "^2:.*bad.rules:3: expected 'PATTERN SETTING VALUE'" "bad rules line"
printf 'tests.* min-delta time=1,mem=lots\n' > bad2.rules
cl_pymon check --db db.pymon --thresholds bad2.rules
tl_expect_match "$rc:$err" "^2:.*bad2.rules:1: bad min-delta 'time=1,mem=lots'" "bad rules value"
cl_pymon check --db db.pymon --thresholds none.rules
tl_expect_match "$rc:$err" "^2:.*cannot read thresholds file 'none.rules'" "missing rules file"

cl_pymon export --db db.pymon --format xml
tl_expect_match "$rc:$err" "^2:.*bad --format 'xml': expected csv or json" "bad format"
cl_pymon html --db db.pymon
tl_expect_match "$rc:$err" "^2:.*no output file" "html needs -o"
cl_pymon export --db db.pymon -o /nonexistent/dir/x.csv
tl_expect_match "$rc:$err" "^2:.*cannot write '/nonexistent/dir/x.csv'" "unwritable output"

# serve: pymon-server is looked for next to the executable.
mkdir alone && cp "$PYMON" alone/pymon
cl_pymon_alone() { out=$(alone/pymon "$@" 2>&1); rc=$?; }
cl_pymon_alone serve --port 1
tl_expect_eq "$rc" 2 "serve without pymon-server"
tl_expect_match "$out" "pymon-server is not installed: looked for '.*/alone/pymon-server'" "serve names what is missing"
printf '#!/bin/sh\necho "server got: $*"\n' > alone/pymon-server
chmod +x alone/pymon-server
cl_pymon_alone serve --port 8050 --db x.sqlite
tl_expect_eq "$out" "server got: --port 8050 --db x.sqlite" "serve passes its arguments to pymon-server"

tl_done
