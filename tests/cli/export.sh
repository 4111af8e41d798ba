# pymon export, and every reading subcommand on a database written the way
# pytest-monitor 1.7 writes it (its own CREATE TABLE statements, local run
# dates, CPU_USAGE as a ratio, no PYMON_ tables).  CSV must round-trip
# through an RFC 4180 reader (SQLite's .import) with hostile values; JSON
# must parse and keep values and the description object.
. "$(dirname "$0")/clilib.sh"

db=pm.pymon
cl_schema $db
sqlite3 $db "INSERT INTO EXECUTION_CONTEXTS VALUES ('0f4c2a', 2, 2400, 'x86_64',
  'Intel(R) Xeon(R) CPU', 7963, 'ci-runner-1', 'x86_64', '64bit', 'Linux - 6.1.0-18-amd64',
  'cpython 3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]')"
cl_session $db 5d41402abc4b2a76b9719d911017c592 2024-05-01T12:00:00.123456 \
  8c3f2e1 '{"pipeline_branch": "main", "pipeline_build_no": "42", "__ci__": "gitlabci", "description": "nightly"}'
cl_session $db 7d793037a0760186574b0282f2f435e7 2024-05-02T12:00:00.5 9a1b2c3 '{}'
for s in 5d41402abc4b2a76b9719d911017c592:1.01 7d793037a0760186574b0282f2f435e7:1.02; do
  h=${s%%:*}; t=${s#*:}
  sqlite3 $db "INSERT INTO TEST_METRICS VALUES ('$h', '0f4c2a', '2024-05-01T12:00:01.5',
    'test_sample', 'test_sleep1', 'test_sleep1', 'test_sample.py', 'function', '',
    $t, 0.0021, 0.0005, 0.0026, 0.02734375),
    ('$h', '0f4c2a', '2024-05-01T12:00:02.6', 'test_sample', 'test_heavy',
    'test_heavy[10, 10]', 'test_sample.py', 'function', 'compute', 0.5, 0.49, 0.01, 0.98, 76.3),
    ('$h', '0f4c2a', '2024-05-01T12:00:03', '', 'test_sample', '', 'test_sample.py',
    'module', '', 1.6, 0.5, 0.01, 0.32, 76.3)"
done
# A hostile row: comma, quote, CR/LF and a non-ASCII name.
sqlite3 $db "INSERT INTO TEST_METRICS VALUES ('7d793037a0760186574b0282f2f435e7', '0f4c2a',
  '2024-05-02T12:00:04', 'test_sample', 'test_odd', 'test_odd[a,\"b\"' || char(13,10) || 'ünï]',
  'test_sample.py', 'function', '', 0.25, 0.2, 0.0, 0.8, 1.5)"

# Every reading subcommand accepts it.
cl_pymon report --db $db
tl_expect_eq "$rc" 0 "report reads a pytest-monitor database"
tl_expect_match "$out" "1.020 s +0.003 s +0.0 MB +0.0 +test_sample::test_sleep1" "values as stored"
tl_expect_match "$out" "0.500 s +0.500 s +76.3 MB +1.0 +test_sample::test_heavy\[10, 10\] \{compute\}" "CPU_USAGE ratio read as is"
tl_expect_match "$out" "module +1 items +wall +1.600 s" "module row without ITEM_PATH"
cl_pymon report --db $db --test test_sample
tl_expect_match "$rc:$out" "^0:History of 'test_sample': 2 runs" "module history by ITEM"
cl_pymon check --db $db --session 7d79
tl_expect_eq "$rc" 0 "check on a pytest-monitor database"
tl_expect_match "$out" "0 failed, 3 compared, 1 new" "check compared the common tests"
cl_pymon html --db $db -o pm.html
tl_expect_eq "$rc" 0 "html on a pytest-monitor database"

# CSV: header, then one RFC 4180 record per row; read it back with SQLite.
cl_pymon export --db $db --session all --format csv -o all.csv
tl_expect_eq "$rc" 0 "export csv"
tl_expect_eq "$(head -1 all.csv | tr -d '\r')" "SESSION_H,RUN_DATE,SCM_ID,ENV_H,ITEM_START_TIME,ITEM_PATH,ITEM,ITEM_VARIANT,ITEM_FS_LOC,KIND,COMPONENT,TOTAL_TIME,USER_TIME,KERNEL_TIME,CPU_USAGE,MEM_USAGE,OUTCOME,OUTCOME_DETAIL" "CSV header"
tl_expect_eq "$(head -1 all.csv | od -c | grep -c '\\r  \\n')" 1 "CSV lines end in CRLF"
sqlite3 $db ".import --csv all.csv imported" 2>import.err
tl_expect_eq "$(cat import.err)" "" "SQLite reads the CSV back"
tl_expect_eq "$(tl_sql $db "SELECT count(*) FROM imported")" 7 "every row exported"
tl_expect_eq "$(tl_sql $db "SELECT count(*) FROM imported i JOIN TEST_METRICS m ON
  i.SESSION_H = m.SESSION_H AND i.ITEM_VARIANT = m.ITEM_VARIANT AND i.KIND = m.KIND
  AND i.COMPONENT = m.COMPONENT AND CAST(i.TOTAL_TIME AS REAL) = m.TOTAL_TIME
  AND CAST(i.MEM_USAGE AS REAL) = m.MEM_USAGE")" 7 "values and hostile names round-trip"
tl_expect_eq "$(tl_sql $db "SELECT count(DISTINCT RUN_DATE) FROM imported")" 2 "run date of each row"
cl_pymon export --db $db --session 5d41 --format csv
tl_expect_eq "$(printf '%s\n' "$out" | wc -l)" 4 "one session: header and its 3 rows"

# JSON: sessions with their metrics, the description as an object, contexts.
cl_pymon export --db $db --format json --session all -o all.json
tl_expect_eq "$rc" 0 "export json"
j() { tl_sql $db "SELECT json_extract(readfile('all.json'), '$1')"; }
tl_expect_eq "$(tl_sql $db "SELECT json_valid(readfile('all.json'))")" 1 "valid JSON"
tl_expect_eq "$(j '$.sessions[0].RUN_DESCRIPTION.__ci__')" gitlabci "description kept as an object"
tl_expect_eq "$(j '$.sessions[0].RUN_DATE')" 2024-05-01T12:00:00.123456 "run date"
tl_expect_eq "$(j '$.sessions[1].metrics[3].ITEM_VARIANT')" "$(tl_sql $db "SELECT ITEM_VARIANT FROM TEST_METRICS WHERE ITEM = 'test_odd'")" "hostile name intact"
tl_expect_eq "$(j '$.sessions[0].metrics[1].CPU_USAGE')" 0.98 "CPU_USAGE as stored"
tl_expect_eq "$(j '$.sessions[0].metrics[1].MEM_USAGE')" 76.3 "MEM_USAGE as stored"
tl_expect_eq "$(j '$.contexts[0].PYTHON_INFO')" "cpython 3.11.2 (main, Mar 13 2023, 12:18:29) [GCC 12.2.0]" "context"
tl_expect_eq "$(j '$.contexts[0].CPU_COUNT')" 2 "integers stay integers"
cl_pymon export --db $db --format json
tl_expect_eq "$(printf '%s' "$out" | grep -c '"SESSION_H": "5d41')" 0 "default: latest session only"

tl_done
