# Where /proc/self/clear_refs cannot be written (a kernel without it, some
# sandboxes), MEM_USAGE is the process's peak so far, and pymon says so:
# once per host and kernel in a database, not on the stderr of every test
# process, and not at all from a program that runs no test.  The file is
# made read-only by a bind mount in a mount namespace of the test's own.
. "$(dirname "$0")/common.sh"
{ [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; } ||
  tl_skip "needs root and mount namespaces (unshare -m) to make clear_refs read-only"
rt_build_driver
: >read_only

# without_reset COMMAND...: run it (same pid: exec) with its clear_refs read-only.
without_reset() {
  unshare -m sh -c 'mount --bind "$PWD/read_only" /proc/$$/clear_refs &&
    mount -o remount,ro,bind /proc/$$/clear_refs && exec "$@"' sh "$@"
}
warning="pymon: warning: cannot reset the peak-memory mark (/proc/self/clear_refs: Read-only file system); MEM_USAGE will be the process peak so far"

without_reset ./driver 0 >/dev/null 2>err || tl_fail "driver 0: $(cat err)"
tl_expect_eq "$(cat err)" "" "a program that runs no test says nothing"
without_reset ./driver 3 >/dev/null 2>err || tl_fail "driver 3: $(cat err)"
tl_expect_eq "$(cat err)" "$warning" "the first test process says why MEM_USAGE is the peak so far"
without_reset ./driver 3 >/dev/null 2>err
tl_expect_eq "$(cat err)" "" "the next one does not say it again"
tl_expect_eq "$(tl_sql .pymon "SELECT count(*), min(MEM_USAGE) > 0 FROM TEST_METRICS")" "6|1" \
  "every test still has its row and a peak"
./driver 1 >/dev/null 2>err
tl_expect_eq "$(cat err)" "" "with clear_refs writable: nothing said"
tl_done
