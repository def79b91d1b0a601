# daemon-live.sh - flowprepd capturing a live interface: a network
# namespace and a veth pair made here, captures replayed into one end with
# tcpreplay at a fixed rate, the daemon on the other end. Its flows equal
# flowprep pcap's on the same captures (timestamps aside); an interface
# deleted and re-created mid-run is captured again; a reload swaps one
# interface for another. The namespace is removed on exit.
. "$TOP_SRCDIR/tests/e2e/lib.sh"
. "$TOP_SRCDIR/tests/e2e/daemon-lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root to create a network namespace"
command -v ip >/dev/null || skip "ip (iproute2) not installed"
command -v tcpreplay >/dev/null || skip "tcpreplay not installed (packaging/install-deps-debian.sh --test)"
ns="fptest$$"
ip netns add "$ns" 2>"$T/ns.err" || skip "network namespaces not allowed here: $(cat "$T/ns.err")"
trap 'if [ -n "$DAEMON_PID" ]; then kill -9 "$DAEMON_PID" 2>/dev/null; fi; ip netns del "$ns" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT INT TERM
in_ns() { ip netns exec "$ns" "$@"; }

make_link() {
	in_ns ip link add veth0 type veth peer name veth1 &&
		in_ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 &&
		in_ns ip link set veth0 up && in_ns ip link set veth1 up
}
make_link || { fail "cannot create the veth pair"; finish; }

mkdir -p "$T/out"
for f in handshake icmp fragments rst; do
	"$MAKE_FIXTURES" "$f" "$T/$f.pcap" >/dev/null || fail "make-fixtures $f"
done
cat > "$T/flowprepd.yaml" <<EOF
interfaces:
  - name: veth1
    promiscuous: true
    immediate: true
output:
  directory: $T/out
  formats: [csv]
  rotate: 1h
EOF

# replay FILE...: each file at 500 packets/s into veth0
replay() {
	for f in "$@"; do
		in_ns tcpreplay -q -i veth0 --pps 500 "$f" >> "$T/tcpreplay.log" 2>&1 || fail "tcpreplay $f"
	done
}

# flows_of CSV: the flows without times, sorted
flows_of() {
	awk -F, 'FNR > 1 { print $2","$3","$4","$5","$6","$7","$8","$9","$11 }' "$@" | LC_ALL=C sort
}

"$FLOWPREP" pcap -q "$T/handshake.pcap" "$T/icmp.pcap" "$T/fragments.pcap" "$T/want1.csv" 2>/dev/null
"$FLOWPREP" pcap -q "$T/rst.pcap" "$T/want2.csv" 2>/dev/null

ip netns exec "$ns" "$FLOWPREPD" -c "$T/flowprepd.yaml" > "$T/daemon.log" 2>&1 &	# not in_ns: $! must be the daemon
DAEMON_PID=$!
wait_log "veth1: capturing" 10 && ok "capturing veth1" || fail "not capturing: $(cat "$T/daemon.log")"
replay "$T/handshake.pcap" "$T/icmp.pcap" "$T/fragments.pcap"

# The interface goes away and comes back.
in_ns ip link del veth0
wait_log "veth1: capture stopped\|veth1: .*[Nn]o such\|veth1: .*down" 15 && ok "loss of veth1 logged" ||
	fail "loss not logged: $(tail -5 "$T/daemon.log")"
make_link || fail "cannot re-create the veth pair"
i=0
while [ "$(grep -c 'veth1: capturing' "$T/daemon.log")" -lt 2 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(grep -c 'veth1: capturing' "$T/daemon.log")" -ge 2 ] && ok "veth1 captured again after re-creation" ||
	fail "veth1 not picked up again: $(tail -5 "$T/daemon.log")"
replay "$T/rst.pcap"
sleep 0.5

# Reload: veth1 removed (its flows end and are published), veth3 added.
in_ns ip link add veth2 type veth peer name veth3 && in_ns ip link set veth2 up && in_ns ip link set veth3 up ||
	fail "cannot create the second veth pair"
sed -i 's/name: veth1/name: veth3/' "$T/flowprepd.yaml"
kill -HUP "$DAEMON_PID"
wait_log "veth1: removed from the configuration" 10 && ok "reload removed veth1" || fail "veth1 not removed"
wait_log "veth3: capturing" 10 && ok "reload added veth3" || fail "veth3 not captured: $(tail -3 "$T/daemon.log")"
in_ns tcpreplay -q -i veth2 --pps 500 "$T/icmp.pcap" >> "$T/tcpreplay.log" 2>&1 || fail "tcpreplay on veth2"
"$FLOWPREP" pcap -q "$T/icmp.pcap" "$T/want3.csv" 2>/dev/null
sleep 0.5
stop_daemon 20
expect_eq "exit status" "$DAEMON_RC" 0

find "$T/out" -name '*.csv' > "$T/outputs"
[ -s "$T/outputs" ] || fail "no output file"
flows_of $(cat "$T/outputs") > "$T/got"
flows_of "$T/want1.csv" "$T/want2.csv" "$T/want3.csv" > "$T/want"
if cmp -s "$T/want" "$T/got"; then
	ok "live flows equal flowprep pcap's ($(wc -l < "$T/want" | tr -d ' ') flows)"
else
	fail "live flows differ"
	diff "$T/want" "$T/got" | head -20
fi
finish
