# pymon compare / check: regressions found per test and metric against each
# kind of baseline, relative and absolute thresholds, noise on short tests,
# per-test rules and annotation limits, comparable contexts only, exit
# codes, and JUnit XML / Markdown that survive hostile test names.
. "$(dirname "$0")/clilib.sh"

db=c.pymon
cl_schema $db
cl_context $db e1 "Intel Xeon" 2 x86_64
cl_context $db e2 "Intel Xeon" 2 x86_64 # another host of the same kind
cl_context $db e3 "AMD EPYC" 8 x86_64
cl_session $db 1111aaaa 2024-05-01T10:00:00 rev1
cl_session $db 2222bbbb 2024-05-02T10:00:00 rev2
cl_session $db 3333cccc 2024-05-03T10:00:00 rev3
m() { cl_metric $db "$@"; }
#          session  env path  variant        total    user  kernel cpu  mem
m 1111aaaa e1 tests.m test_slow      1.4      0.1   0     7    3
m 2222bbbb e1 tests.m test_slow      1.0      0.1   0     10   3
m 3333cccc e2 tests.m test_slow      1.5      0.1   0     7    3
for s in 1111aaaa:e1 2222bbbb:e1 3333cccc:e2; do
  tiny=0.00001; mem=10; small=2
  [ "${s%%:*}" = 3333cccc ] && { tiny=0.001; mem=12; small=2.5; }
  m "${s%%:*}" "${s#*:}" tests.m test_tiny     $tiny 0.00001 0 90 1
  m "${s%%:*}" "${s#*:}" tests.m test_mem      0.2   0.1     0 50 $mem
  m "${s%%:*}" "${s#*:}" tests.m test_memsmall 0.2   0.1     0 50 $small
  m "${s%%:*}" "${s#*:}" tests.m test_ok       0.3   0.2     0 66 5
done
m 3333cccc e2 tests.m test_new  0.1 0.1 0 100 1
m 2222bbbb e1 tests.m test_gone 0.1 0.1 0 100 1

cl_pymon check --db $db
tl_expect_eq "$rc" 1 "check exits 1 on regressions"
tl_expect_match "$out" "REGRESSION tests.m::test_slow: TOTAL_TIME 1.000 s -> 1.500 s \(\+0.500 s, \+50.0%; allowed \+20% or \+0.010 s" "time regression, by how much"
tl_expect_match "$out" "REGRESSION tests.m::test_mem: MEM_USAGE 10.0 MB -> 12.0 MB \(\+2.0 MB, \+20.0%" "memory regression"
tl_expect_eq "$(printf '%s\n' "$out" | grep -c 'test_tiny')" 0 "a microsecond test's time change does not fail"
tl_expect_eq "$(printf '%s\n' "$out" | grep -c 'test_memsmall')" 0 "+25% but +0.5 MB is under min-delta"
tl_expect_match "$out" "2 failed, 5 compared, 1 new, 0 without a comparable context, 1 missing" "summary"
tl_expect_match "$out" "with the previous session 2222bbbb" "baseline named"

cl_pymon compare --db $db
tl_expect_eq "$rc" 0 "compare reports but does not fail"
tl_expect_match "$out" "FAIL .*1.000 -> 1.500 \+50% !.*tests.m::test_slow" "compare: regression row"
tl_expect_match "$out" "ok .*0.000 -> 0.001 .*tests.m::test_tiny" "compare: noise row is ok"
tl_expect_match "$out" "new .*tests.m::test_new" "compare: new test"
tl_expect_match "$out" "missing .*gone.*tests.m::test_gone" "compare: missing test"

# Thresholds from options.
cl_pymon check --db $db --max-increase time=60%
tl_expect_eq "$rc:$(printf '%s\n' "$out" | grep -c REGRESSION)" "1:1" "time allowed +60%: memory still fails"
cl_pymon check --db $db --max-increase time=60%,mem=30%
tl_expect_eq "$rc" 0 "both relaxed: pass"
cl_pymon check --db $db --max-increase time=60 --min-delta mem=3
tl_expect_eq "$rc" 0 "absolute memory threshold"
cl_pymon check --db $db --max-increase time=60%,mem=30% --min-delta time=0.0001
tl_expect_eq "$rc" 0 "still noise below min-duration"
cl_pymon check --db $db --max-increase time=60%,mem=30% --min-delta time=0.0001 --min-duration 0.0001
tl_expect_eq "$rc" 1 "a lower min-duration makes the short test count"
tl_expect_match "$out" "REGRESSION tests.m::test_tiny: TOTAL_TIME" "short test fails then"
cl_pymon check --db $db --max-increase time=off,mem=off
tl_expect_eq "$rc" 0 "checks turned off"

# Per-test rules from a file; later lines win.
cat > rules <<'R'
# pattern            setting       value
tests.m::*           max-increase  time=10%
tests.m::test_slow   max-increase  time=80%   # known to be slower now
tests.m::test_mem*   min-delta     mem=5
R
cl_pymon check --db $db --thresholds rules
tl_expect_eq "$rc" 0 "rules file relaxes the two tests"

# Limits from source annotations (monitor_limit:MEM_USAGE=4).
sqlite3 $db "CREATE TABLE PYMON_ITEM_LIMITS (ITEM_PATH varchar(4096), ITEM varchar(2048),
  METRIC varchar(64), \"LIMIT\" float);
  INSERT INTO PYMON_ITEM_LIMITS VALUES ('tests.m', 'test_ok', 'MEM_USAGE', 4),
  ('tests.m', 'test_new', 'TOTAL_TIME', 0.05), ('tests.m', 'test_ok', 'WATTS', 1)"
cl_pymon check --db $db --thresholds rules
tl_expect_eq "$rc" 1 "over an annotated limit"
tl_expect_match "$out" "OVER LIMIT tests.m::test_ok: MEM_USAGE 5.0 MB exceeds the limit of 4.0 MB" "limit message"
tl_expect_match "$out" "OVER LIMIT tests.m::test_new: TOTAL_TIME 0.100 s exceeds the limit of 0.050 s" "a new test's limit is checked too"
tl_expect_match "$err" "ignoring limit on unknown metric 'WATTS'" "unknown metric warned"
printf 'tests.m::test_* limit mem=off,time=off\n' >> rules
cl_pymon check --db $db --thresholds rules
tl_expect_eq "$rc" 0 "a rule turns annotated limits off"
sqlite3 $db "DROP TABLE PYMON_ITEM_LIMITS"

# Baselines.
cl_pymon check --db $db --baseline 1111
tl_expect_match "$rc:$out" "^1:" "named session baseline"
tl_expect_eq "$(printf '%s\n' "$out" | grep -c 'test_slow')" 0 "1.4 s -> 1.5 s is within 20%"
cl_pymon check --db $db --baseline scm:rev1
tl_expect_match "$out" "with the latest session 1111aaaa" "scm: baseline"
tl_expect_eq "$(printf '%s\n' "$out" | grep -c 'test_slow')" 0 "scm: baseline values"
cl_pymon check --db $db --baseline median:2
tl_expect_match "$out" "median of the 2 sessions" "median baseline named"
tl_expect_match "$out" "test_slow: TOTAL_TIME 1.200 s -> 1.500 s \(\+0.300 s, \+25.0%" "median of 1.4 and 1.0"
cl_pymon check --db $db --session 1111
tl_expect_eq "$rc" 0 "first session: nothing to compare with"
tl_expect_match "$out" "0 failed, 0 compared, 5 new" "all new"

# Another kind of machine is not compared unless asked.
cl_session $db 4444dddd 2024-05-04T10:00:00 rev4
m 4444dddd e3 tests.m test_slow 9.0 0.1 0 1 3
cl_pymon check --db $db
tl_expect_eq "$rc" 0 "different machine: no verdict"
tl_expect_match "$out" "0 failed, 0 compared, 0 new, 1 without a comparable context" "counted as no context"
cl_pymon check --db $db --any-context
tl_expect_eq "$rc" 1 "--any-context compares anyway"

# CI outputs with a hostile name: XML and Markdown metacharacters, a
# control character, a newline.
hostile="test_<b>&\"quote'|pipe]]>*x*"
sqlite3 $db "INSERT INTO TEST_METRICS SELECT SESSION_H, ENV_H, ITEM_START_TIME, ITEM_PATH,
  ITEM, '$(printf '%s' "$hostile" | sed "s/'/''/g")' || char(1) || char(10) || 'end',
  ITEM_FS_LOC, KIND, COMPONENT, TOTAL_TIME * 3, USER_TIME, KERNEL_TIME, CPU_USAGE, MEM_USAGE
  FROM TEST_METRICS WHERE ITEM_VARIANT = 'test_slow' AND SESSION_H IN ('2222bbbb', '3333cccc')"
sqlite3 $db "UPDATE TEST_METRICS SET TOTAL_TIME = 1 WHERE SESSION_H = '2222bbbb' AND ITEM_VARIANT LIKE 'test_<%'"
cl_pymon check --db $db --session 3333cccc --junit junit.xml --markdown summary.md
tl_expect_eq "$rc" 1 "check with CI outputs"
if command -v xmllint >/dev/null; then
  xmllint --noout junit.xml 2>xml.err
  tl_expect_eq "$?:$(cat xml.err)" "0:" "JUnit XML is well-formed"
else
  echo "note: xmllint missing, well-formedness checked by pattern only" >&2
fi
tl_expect_match "$(cat junit.xml)" '<testsuite name="pymon check" .*tests="8" failures="3" errors="0" skipped="2">' "JUnit counts"
tl_expect_match "$(cat junit.xml)" 'name="tests.m::test_&lt;b&gt;&amp;&quot;quote&apos;\|pipe\]\]&gt;\*x\*'$'\xef\xbf\xbd''&#10;end"' "hostile name escaped, control char replaced"
tl_expect_match "$(cat junit.xml)" '<failure type="performance regression" message="TOTAL_TIME 1.000 s -&gt; 4.500 s' "failure message"
tl_expect_match "$(cat junit.xml)" '<skipped message="no baseline: the test is new"/>' "new test skipped"
tl_expect_eq "$(grep -c '<b>' junit.xml)" 0 "no raw markup from names"
tl_expect_match "$out" 'REGRESSION tests.m::test_<b>&"quote.\|pipe]]>\*x\*\\x01\\nend: TOTAL_TIME' "console shows control characters escaped"
md=$(cat summary.md)
tl_expect_match "$md" "^## pymon: 3 performance regressions" "markdown title"
tl_expect_match "$md" '\| tests.m::test\\_\\<b\\>\\&"quote'"'"'\\\|pipe\\\]\\\]\\>\\\*x\\\*  end \| TOTAL\\_TIME' "markdown cell escaped, one line"
tl_expect_eq "$(grep -c '^|' summary.md)" 5 "markdown table: header, rule, 3 rows"

tl_done
