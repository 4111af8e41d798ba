# pymon html: one self-contained file (no network, no external resource)
# that headless Chromium renders into SVG charts with the test names, with
# a hostile test name shown as text, never as markup.
. "$(dirname "$0")/clilib.sh"

db=h.pymon
cl_schema $db
cl_outcomes_table $db
cl_context $db e1 "Intel Xeon" 2 x86_64
names="test_parse test_render test_sort[1000] test_sort[100000] test_hash test_io_read
test_io_write test_alloc_big <img_src=x_onerror=alert(1)>"
for s in 1 2 3 4 5 6; do
  h=$(printf 'session%02dabcdef' "$s")
  cl_session $db "$h" "2024-05-0${s}T10:00:00" "rev$s"
  i=0
  for n in $names; do
    i=$((i + 1))
    # Deterministic values that move a little from session to session.
    t=$(awk -v i=$i -v s=$s 'BEGIN { printf "%.4f", i * 0.07 * (1 + ((i * s) % 5) / 20) }')
    mem=$(awk -v i=$i -v s=$s 'BEGIN { printf "%.1f", 2 + i * i * 1.5 + (s == 6 && i == 8 ? 40 : 0) }')
    cl_metric $db "$h" e1 tests.suite "$n" "$t" "$(awk -v t="$t" 'BEGIN{print t*0.8}')" 0.01 85 "$mem"
  done
done
sqlite3 $db "INSERT INTO PYMON_ITEM_OUTCOMES SELECT SESSION_H, ENV_H, ITEM_START_TIME,
  ITEM_PATH, ITEM_VARIANT, KIND, 'signal', 6, 1 FROM TEST_METRICS
  WHERE ITEM_VARIANT = 'test_io_write' AND SESSION_H LIKE 'session06%'"

cl_pymon html --db $db -o report.html --title "Nightly <suite>"
tl_expect_eq "$rc" 0 "html written"
page=$(cat report.html)
tl_expect_match "$page" "<title>Nightly &lt;suite&gt;</title>" "title escaped"
tl_expect_eq "$(grep -Eci '<(link|img|iframe)|<script[^>]* src=|@import|url\(' report.html)" 0 "no external resource"
tl_expect_eq "$(grep -Eo 'https?://[^"]*' report.html | grep -v '^http://www.w3.org/2000/svg$' | wc -l)" 0 "no URL but the SVG namespace"
tl_expect_eq "$(grep -c '</script>' report.html)" 2 "data cannot close its script element"

CHROMIUM=${PYMON_TEST_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || tl_skip "chromium not installed: browser checks skipped"
browse() { # output-flag...
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d "$TL_DIR/chrome.XXXXXX")" \
    --window-size=1280,2400 "$@" "file://$TL_DIR/report.html" 2>chrome.err
}
dom=$(browse --dump-dom)
tl_expect_match "$dom" '<body data-rendered="ok">' "script rendered without error"
svgs=$(printf '%s' "$dom" | grep -o '<svg' | wc -l)
tl_expect_range "$svgs" 15 40 "charts drawn: 3 top, 2 changes, 1 history, one per test"
bars=$(printf '%s' "$dom" | grep -o 'class="bar"' | wc -l)
tl_expect_range "$bars" 40 60 "bars: 3 x 9 top consumers, 2 x 9 changes"
lines=$(printf '%s' "$dom" | grep -o 'class="line"' | wc -l)
tl_expect_range "$lines" 11 11 "history lines: 2 totals, 9 tests"
points=$(printf '%s' "$dom" | grep -o 'class="point"' | wc -l)
tl_expect_range "$points" 66 66 "a point per session: 2 x 6 + 9 x 6"
tl_expect_match "$dom" "tests.suite::test_sort\[100000\]" "test names shown"
tl_expect_match "$dom" "tests.suite::&lt;img_src=x_onerror=alert\(1\)&gt;" "hostile name shown as text"
tl_expect_eq "$(printf '%s' "$dom" | grep -c '<img')" 0 "hostile name never became markup"
tl_expect_match "$dom" "test_io_write \(signal\)" "outcome shown in the table"
tl_expect_match "$dom" '<tr><td class="name">tests.suite::&lt;img' "slowest first in the table"
tl_expect_match "$dom" 'Compared with the previous session \(session05abc' "session-to-session section"

browse --screenshot="$TL_DIR/shot.png" >/dev/null
tl_expect_eq "$(head -c 8 shot.png | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "screenshot is a PNG"
tl_expect_range "$(stat -c %s shot.png)" 20000 100000000 "screenshot has content"
if [ -n "${PYMON_TEST_SCREENSHOT_OUT:-}" ]; then cp shot.png "$PYMON_TEST_SCREENSHOT_OUT"; fi

tl_done
