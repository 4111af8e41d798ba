# MACHINE_NODE (socket.getfqdn) when the DNS server does not answer, as in a
# sandbox without network: the first test process waits for the resolver's
# timeout, the next ones take the answer the database keeps.  Runs in a
# mount namespace of its own with its own /etc/hosts, resolv.conf and
# nsswitch.conf, pointing at a local server that counts queries and never
# answers.
. "$(dirname "$0")/common.sh"
command -v python3 >/dev/null || tl_skip "needs python3 for the silent DNS server"
{ [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; } ||
  tl_skip "needs root and mount namespaces (unshare -m) to replace /etc/resolv.conf"
rt_build_driver

# An address of its own, so that tests running at once do not share it.
server=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))
python3 - "$server" "$PWD/queries" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
n = 0
open(sys.argv[2], "w").write("0")
while True:
    s.recvfrom(4096)
    n += 1
    open(sys.argv[2], "w").write(str(n))
EOF
server_pid=$!
trap 'kill $server_pid 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s queries ] && break; sleep 0.05; done
[ -s queries ] || tl_fail "the silent DNS server did not start on $server:53"

printf '127.0.0.1 localhost\n' >hosts
printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$server" >resolv.conf
printf 'hosts: files dns\n' >nsswitch.conf
host=$(hostname)

# in_sandbox COMMAND...: run it with those three files in place.
in_sandbox() {
  unshare -m sh -c 'mount --bind "$PWD/hosts" /etc/hosts &&
    mount --bind "$PWD/resolv.conf" /etc/resolv.conf &&
    mount --bind "$PWD/nsswitch.conf" /etc/nsswitch.conf && exec "$@"' sandbox "$@"
}
queries() { cat queries; }
answers() { tl_sql .pymon "select COMMAND || ' = ' || ANSWER from PYMON_COMMAND_ANSWERS
  where COMMAND like 'socket.getfqdn|%' order by COMMAND"; }

in_sandbox ./driver 1 >/dev/null 2>err || tl_fail "driver failed: $(cat err)"
first=$(queries)
[ "$first" -gt 0 ] || tl_fail "the first process asked no DNS server: the sandbox does not work here"
tl_expect_eq "$(cat err)" "" "a failed lookup is no warning"
tl_expect_eq "$(tl_sql .pymon 'select MACHINE_NODE from EXECUTION_CONTEXTS')" "$host" \
  "the lookup failed: the host name is MACHINE_NODE, as socket.getfqdn() gives it"
tl_expect_match "$(answers)" "^socket\.getfqdn\|$host\|.*\|after a failed lookup, hour [0-9]+ = $host$" \
  "the answer is kept as one after a failed lookup"

in_sandbox ./driver 1 >/dev/null 2>&1
in_sandbox ./driver 1 >/dev/null 2>&1
tl_expect_eq "$(queries)" "$first" "two more processes asked the DNS server nothing"
tl_expect_eq "$(tl_sql .pymon 'select count(*) from EXECUTION_CONTEXTS')" 1 "one context for the three"
tl_expect_eq "$(tl_sql .pymon 'select count(distinct SESSION_H) from TEST_METRICS')" 3 "three sessions stored"

# An hour later the kept answer no longer counts: looked up again, and the
# earlier hour's answer is replaced.
tl_sql .pymon "update PYMON_COMMAND_ANSWERS set COMMAND = substr(COMMAND, 1, instr(COMMAND, ', hour ') + 6)
  || (substr(COMMAND, instr(COMMAND, ', hour ') + 7) - 1) where COMMAND like '%after a failed lookup%'" >/dev/null
in_sandbox ./driver 1 >/dev/null 2>&1
tl_expect_eq "$(queries)" "$((first * 2))" "an answer kept in an earlier hour: looked up again"
tl_expect_eq "$(answers | wc -l)" 1 "... and only this hour's answer kept"

# The resolver's files change (the host is in /etc/hosts now): a new lookup
# that succeeds, kept for good, without asking the DNS server.
sleep 0.01 # a later modification time, even on a coarse clock
printf '127.0.0.1 localhost\n127.0.1.1 %s.example.test %s\n' "$host" "$host" >hosts
in_sandbox ./driver 1 >/dev/null 2>&1
tl_expect_eq "$(tl_sql .pymon "select count(*) from EXECUTION_CONTEXTS where MACHINE_NODE = '$host.example.test'")" 1 \
  "a changed /etc/hosts is read again: MACHINE_NODE is the name it gives"
tl_expect_match "$(answers | grep -v 'after a failed lookup')" "= $host\.example\.test$" \
  "... kept without an hour"
tl_expect_eq "$(queries)" "$((first * 2))" "... and the DNS server was not asked"
tl_done
