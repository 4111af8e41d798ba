# EXECUTION_CONTEXTS: every field read from the same sources as
# pytest-monitor, ENV_H recomputed independently, one row per context.
. "$(dirname "$0")/common.sh"
rt_build_driver

ctx() { tl_sql .pymon "select $1 from EXECUTION_CONTEXTS"; }

./driver 2 >/dev/null 2>err || tl_fail "driver failed: $(cat err)"
tl_expect_eq "$(cat err)" "" "nothing on stderr"
tl_expect_eq "$(ctx 'count(*)')" 1 "one context row"

cpu_type=$(uname -p)
[ "$cpu_type" = unknown ] && cpu_type=
vendor=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
[ -n "$vendor" ] || vendor=$cpu_type
ram=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
glibc=$(getconf GNU_LIBC_VERSION)

tl_expect_eq "$(ctx CPU_COUNT)" "$(getconf _NPROCESSORS_ONLN)" "CPU_COUNT"
tl_expect_eq "$(ctx CPU_TYPE)" "$cpu_type" "CPU_TYPE (uname -p, unknown as empty)"
tl_expect_eq "$(ctx CPU_VENDOR)" "$vendor" "CPU_VENDOR (first model name)"
tl_expect_eq "$(ctx RAM_TOTAL_MB)" "$ram" "RAM_TOTAL_MB"
tl_expect_eq "$(ctx MACHINE_TYPE)" "$(uname -m)" "MACHINE_TYPE"
tl_expect_eq "$(ctx MACHINE_ARCH)" "$(($(getconf LONG_BIT)))bit" "MACHINE_ARCH"
tl_expect_eq "$(ctx SYSTEM_INFO)" "$(uname -s) - $(uname -r)" "SYSTEM_INFO"
tl_expect_eq "$(ctx PYTHON_INFO)" "GCC 12.2.0 / $glibc" "PYTHON_INFO: toolchain and C library"
if command -v python3 >/dev/null; then
  tl_expect_eq "$(ctx MACHINE_NODE)" "$(python3 -c 'import socket; print(socket.getfqdn())')" \
    "MACHINE_NODE is Python's socket.getfqdn()"
else
  tl_expect_match "$(ctx MACHINE_NODE)" "^$(hostname)" "MACHINE_NODE starts with the host name"
fi

# psutil's current frequency: the mean over CPUs of cpufreq's
# scaling_cur_freq, else of /proc/cpuinfo's "cpu MHz"; it moves, so bound it.
freqs=$(cat /sys/devices/system/cpu/cpufreq/policy[0-9]*/scaling_cur_freq 2>/dev/null |
        awk '{ print $1 / 1000 }')
[ -n "$freqs" ] || freqs=$(awk -F: 'tolower($1) ~ /^cpu mhz/ { print $2 + 0 }' /proc/cpuinfo)
if [ -n "$freqs" ]; then
  lo=$(echo "$freqs" | sort -n | head -1); hi=$(echo "$freqs" | sort -n | tail -1)
  tl_expect_range "$(ctx CPU_FREQUENCY_MHZ)" "$(awk -v v="$lo" 'BEGIN { print int(v) - 1 }')" \
    "$(awk -v v="$hi" 'BEGIN { print int(v) + 2 }')" "CPU_FREQUENCY_MHZ as psutil reads it"
else
  tl_expect_eq "$(ctx CPU_FREQUENCY_MHZ)" 0 "CPU_FREQUENCY_MHZ without a source"
fi

# ENV_H over the stored columns, in COMPAT.md's order, CPU_VENDOR left out.
envh() {
  tl_sql .pymon "select CPU_COUNT || CPU_FREQUENCY_MHZ || CPU_TYPE || RAM_TOTAL_MB ||
    MACHINE_NODE || MACHINE_TYPE || MACHINE_ARCH || SYSTEM_INFO || PYTHON_INFO
    from EXECUTION_CONTEXTS where ENV_H = '$1'" | tr -d '\n' | md5sum | cut -d' ' -f1
}
h=$(ctx ENV_H)
tl_expect_match "$h" '^[0-9a-f]{32}$' "ENV_H is lowercase hex MD5"
tl_expect_eq "$(envh "$h")" "$h" "ENV_H = md5 of the stored fields"
tl_expect_eq "$(tl_sql .pymon 'select distinct ENV_H from TEST_METRICS')" "$h" "rows point at the context"

# Same machine again: no second row.  Forced frequencies: new contexts.
./driver 1 >/dev/null 2>&1
tl_expect_eq "$(ctx 'count(*)')" 1 "one context after a second run"
PYTEST_MONITOR_FORCE_CPU_FREQ=1 PYTEST_MONITOR_CPU_FREQ=3000 ./driver 1 >/dev/null 2>err
tl_expect_eq "$(cat err)" "" "forced frequency: no warning"
tl_expect_eq "$(tl_sql .pymon "select CPU_FREQUENCY_MHZ from EXECUTION_CONTEXTS where CPU_FREQUENCY_MHZ = 3000")" \
  3000 "PYTEST_MONITOR_FORCE_CPU_FREQ=1 uses PYTEST_MONITOR_CPU_FREQ"
PYTEST_MONITOR_FORCE_CPU_FREQ=1 ./driver 1 >/dev/null 2>&1
tl_expect_eq "$(tl_sql .pymon "select count(*) from EXECUTION_CONTEXTS where CPU_FREQUENCY_MHZ = 0")" \
  1 "forced without a value: 0"
PYTEST_MONITOR_FORCE_CPU_FREQ=0 PYTEST_MONITOR_CPU_FREQ=1234 ./driver 1 >/dev/null 2>&1
tl_expect_eq "$(tl_sql .pymon "select count(*) from EXECUTION_CONTEXTS where CPU_FREQUENCY_MHZ = 1234")" \
  "$([ -n "$freqs" ] && echo 0 || echo 1)" "not forced: the preset only fills a missing value"
PYTEST_MONITOR_FORCE_CPU_FREQ=x ./driver 1 >/dev/null 2>err
tl_expect_match "$(cat err)" "^pymon: warning: PYTEST_MONITOR_FORCE_CPU_FREQ='x': expected an integer; ignored$" \
  "a malformed override is named"
tl_expect_eq "$(ctx 'count(*)')" 3 "three contexts in all"
for h in $(ctx ENV_H); do
  tl_expect_eq "$(envh "$h")" "$h" "ENV_H of context $h"
done

# CPU_TYPE: `uname -p` runs once per uname binary; the database keeps the
# answer (PYMON_COMMAND_ANSWERS) until that binary changes.
mkdir -p fake/bin
fake_uname() { # answer
  printf '#!/bin/sh\necho run >>"%s/fake/runs"\necho "%s"\n' "$PWD" "$1" >fake/bin/uname
  chmod +x fake/bin/uname
}
fake_uname fakecpu
for _ in 1 2 3; do
  (cd fake && PATH="$PWD/bin:$PATH" ../driver 1 >/dev/null 2>err) || tl_fail "driver: $(cat fake/err)"
done
tl_expect_eq "$(wc -l <fake/runs)" 1 "three processes, uname -p run once"
tl_expect_eq "$(tl_sql fake/.pymon 'select distinct CPU_TYPE from EXECUTION_CONTEXTS')" fakecpu \
  "CPU_TYPE from the kept answer"
sleep 0.01 # a later modification time, even on a coarse clock
fake_uname othercpu
(cd fake && PATH="$PWD/bin:$PATH" ../driver 1 >/dev/null 2>&1)
tl_expect_eq "$(wc -l <fake/runs)" 2 "a changed uname is run again"
tl_expect_eq "$(tl_sql fake/.pymon "select count(*) from EXECUTION_CONTEXTS where CPU_TYPE = 'othercpu'")" 1 \
  "... and its answer is CPU_TYPE"
(cd fake && PATH=/nonexistent ../driver 1 >/dev/null 2>&1)
tl_expect_eq "$(tl_sql fake/.pymon "select count(*) from EXECUTION_CONTEXTS where CPU_TYPE = ''")" 1 \
  "no uname on PATH: empty CPU_TYPE"
tl_done
