# daemon-notify.sh - flowprepd talks to systemd and Prometheus: READY,
# STATUS, WATCHDOG, RELOADING and STOPPING arrive on a NOTIFY_SOCKET this
# test binds; the metrics endpoint answers on loopback and its counters
# move when a spool file is metered; a non-loopback address is refused.
. "$TOP_SRCDIR/tests/e2e/lib.sh"
. "$TOP_SRCDIR/tests/e2e/daemon-lib.sh"

command -v python3 >/dev/null || skip "python3 not installed (packaging/install-deps-debian.sh --test)"

mkdir -p "$T/spool" "$T/out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
write_config "$T/flowprepd.yaml" "$T/spool" "$T/out" "[parquet]" "metrics:
  listen: 127.0.0.1:$port"

# The notify socket: every datagram, one per line (newlines inside as |).
python3 - "$T/notify.sock" "$T/notify.log" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(0.5)
end = time.time() + 60
with open(sys.argv[2], "w", buffering=1) as out:
    while time.time() < end:
        try:
            out.write(s.recv(4096).decode().replace("\n", "|") + "\n")
        except socket.timeout:
            pass
EOF
listener=$!
i=0
while [ ! -S "$T/notify.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=1000000 start_daemon "$T/flowprepd.yaml"
wait_notify() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		grep -q "$1" "$T/notify.log" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
wait_notify "READY=1" 10 && ok "READY=1" || fail "no READY=1"
wait_notify "STATUS=.*interfaces up" 5 && ok "STATUS line" || fail "no STATUS line"
wait_notify "WATCHDOG=1" 5 && ok "WATCHDOG=1 (WATCHDOG_USEC set)" || fail "no WATCHDOG=1"

scrape() { python3 -c "import urllib.request,sys; print(urllib.request.urlopen('http://127.0.0.1:$port' + sys.argv[1], timeout=5).read().decode())" "$1"; }
metric() { scrape /metrics | sed -n "s/^$1 //p"; }
expect_eq "metrics: spool done before" "$(metric flowprep_spool_done_total)" 0
"$MAKE_FIXTURES" handshake "$T/h.pcap" >/dev/null
cp "$T/h.pcap" "$T/spool/h.pcap"
wait_spool_empty "$T/spool" 20 || fail "spool not drained"
sleep 0.2
expect_eq "metrics: spool done after" "$(metric flowprep_spool_done_total)" 1
expect_eq "metrics: files published" "$(metric flowprep_files_published_total)" 1
[ "$(metric 'flowprep_flows_ended_total{reason="flush"}')" -ge 1 ] 2>/dev/null && ok "metrics: flows ended by reason" ||
	fail "flows ended: $(scrape /metrics | grep flows_ended)"
scrape /nothing >/dev/null 2>&1 && fail "an unknown path was served" || ok "unknown path refused"

kill -HUP "$DAEMON_PID"
wait_notify "RELOADING=1|MONOTONIC_USEC=" 10 && ok "RELOADING=1 with MONOTONIC_USEC" || fail "no RELOADING=1"
stop_daemon 20
expect_eq "exit status" "$DAEMON_RC" 0
wait_notify "STOPPING=1" 5 && ok "STOPPING=1" || fail "no STOPPING=1"
kill "$listener" 2>/dev/null

# A public address needs metrics.allow_remote.
write_config "$T/remote.yaml" "$T/spool" "$T/out" "[parquet]" "metrics:
  listen: 0.0.0.0:$port"
"$FLOWPREPD" --check-config -c "$T/remote.yaml" > "$T/check.log" 2>&1
expect_eq "non-loopback metrics address refused" "$?" 1
grep -q "metrics.listen" "$T/check.log" && ok "the error names metrics.listen" || fail "$(cat "$T/check.log")"
finish
