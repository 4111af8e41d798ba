# Hostile input: parameter values, descriptions and tags with quotes,
# newlines, bytes that are not UTF-8 and very long strings are stored
# exactly or cut at the column's width, and always as valid JSON and SQL.
. "$(dirname "$0")/common.sh"
tl_cc_plugin gcc -O1 -o suite "$RB_SRC/suites/hostile_suite.c" || tl_fail "build"

desc=$(printf 'say "hi"\nit'"'"'s {not: json} \\ done')
long=$(printf 'd%.0s' $(seq 3000))
PYMON_DESCRIPTION="$desc$long" PYMON_TAGS='quote="x",nl=a\,b,k'"'"'=v' ./suite >out 2>err ||
  tl_fail "suite: $(cat err)"
tl_expect_eq "$(cat out)" done "the suite ran"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM = 'test_text'")" 5 "every value stored"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_SESSIONS WHERE json_valid(RUN_DESCRIPTION)")" 1 \
  "RUN_DESCRIPTION is valid JSON"
tl_expect_eq "$(tl_sql .pymon "SELECT json_extract(RUN_DESCRIPTION, '\$.msg') = '$(printf '%s' "$desc$long" | sed "s/'/''/g")'
  FROM TEST_SESSIONS")" 1 "the description is stored exactly"
tl_expect_eq "$(tl_sql .pymon "SELECT json_extract(RUN_DESCRIPTION, '\$.quote') || '|' ||
  json_extract(RUN_DESCRIPTION, '\$.nl') || '|' || json_extract(RUN_DESCRIPTION, '\$.\"k''\"')
  FROM TEST_SESSIONS")" '"x"|a,b|v' "tags stored exactly"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM_VARIANT =
  'test_text[it''s \"quoted\"; DROP TABLE TEST_METRICS; --]'")" 1 "quotes and SQL in a value stored exactly"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE instr(ITEM_VARIANT, 'two')
  AND instr(ITEM_VARIANT, char(10)) = 0")" 1 "a newline in a value is escaped as pytest does"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM = 'test_text'
  AND json_valid(json_quote(ITEM_VARIANT)) AND ITEM_VARIANT = CAST(CAST(ITEM_VARIANT AS BLOB) AS TEXT)")" 5 \
  "every variant is text that JSON can carry"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS WHERE ITEM_VARIANT GLOB '*[^ -~]*'")" 0 \
  "bytes that are not printable ASCII are escaped"
tl_expect_eq "$(tl_sql .pymon "SELECT max(length(ITEM_VARIANT)) FROM TEST_METRICS")" 2048 \
  "a 5000-byte value is cut at ITEM_VARIANT's 2048"
tl_expect_eq "$(tl_sql .pymon "SELECT group_concat(OUTCOME) FROM $TL_ITEM_OUTCOMES")" \
  "$(printf 'returned,%.0s' $(seq 6))returned" "every item returned"
rb_clean .pymon hostile

# Descriptions and tags that are not UTF-8 are stored as pytest-monitor
# (Python's surrogateescape, then json.dumps) would store them: valid JSON.
rm -rf .pymon
PYMON_DESCRIPTION=$(printf 'caf\xe9 \xc3\xa9 "q"\nx') PYMON_TAGS=$(printf 'k\xfe=v\xff') ./suite >out 2>err
tl_expect_eq "$?:$(cat out)" "0:done" "non-UTF-8 description: the suite runs as before"
tl_expect_eq "$(tl_sql .pymon "SELECT RUN_DESCRIPTION || '|' || json_valid(RUN_DESCRIPTION) FROM TEST_SESSIONS")" \
  '{"msg": "caf\udce9 \u00e9 \"q\"\nx", "k\udcfe": "v\udcff"}|1' \
  "bad bytes become Python's \\udcXX escapes, the rest is kept"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*) FROM TEST_METRICS")" 7 "the tests are monitored"
tl_done
