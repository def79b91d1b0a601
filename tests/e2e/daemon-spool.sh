# daemon-spool.sh - flowprepd's spool as a user drives it: captures copied
# or renamed in, damaged and refused ones, output rows equal to `flowprep
# pcap` on the same files, reloads good and bad, SIGTERM publishing
# everything. Every wait is bounded.
. "$TOP_SRCDIR/tests/e2e/lib.sh"
. "$TOP_SRCDIR/tests/e2e/daemon-lib.sh"

mkdir -p "$T/spool" "$T/out" "$T/src"
write_config "$T/flowprepd.yaml" "$T/spool" "$T/out" "[parquet, csv]"
for f in handshake ipv6 vlan icmp example fragments truncated-file; do
	"$MAKE_FIXTURES" "$f" "$T/src/$f.pcap" >/dev/null || fail "make-fixtures $f"
done

# Already there at start-up: found by the scan.
cp "$T/src/handshake.pcap" "$T/spool/"
start_daemon "$T/flowprepd.yaml"

# Renamed in from a hidden name (how a capture tool should deliver).
cp "$T/src/ipv6.pcap" "$T/spool/.ipv6.pcap.part"
mv "$T/spool/.ipv6.pcap.part" "$T/spool/ipv6.pcap"
# Written in place and closed.
cat "$T/src/vlan.pcap" > "$T/spool/vlan.pcap"
cp "$T/src/icmp.pcap" "$T/spool/icmp.cap"
cp "$T/src/example.pcap" "$T/spool/example.pcapng.tmp"	# not a capture name: waits
cp "$T/src/fragments.pcap" "$T/spool/fragments.pcap"
# Damaged and refused ones.
cp "$T/src/truncated-file.pcap" "$T/spool/truncated.pcap"
echo "this is not a capture" > "$T/spool/notes.pcap"
gzip -c "$T/src/handshake.pcap" > "$T/spool/zipped.pcap.gz"

wait_spool_empty "$T/spool" 30 || fail "spool not drained in 30 s: $(ls "$T/spool")"
for f in handshake.pcap ipv6.pcap vlan.pcap icmp.cap fragments.pcap; do
	[ -f "$T/spool/done/$f" ] && ok "$f moved to done/" || fail "$f not in done/"
done
for f in truncated.pcap notes.pcap zipped.pcap.gz; do
	[ -f "$T/spool/failed/$f" ] && [ -s "$T/spool/failed/$f.reason" ] && ok "$f moved to failed/ with a reason" ||
		fail "$f not in failed/ with a reason"
done
grep -q "packet" "$T/spool/failed/truncated.pcap.reason" && ok "the reason names the damage" ||
	fail "truncated reason: $(cat "$T/spool/failed/truncated.pcap.reason")"
grep -q "compressed" "$T/spool/failed/zipped.pcap.gz.reason" && ok "compressed capture refused with a hint" ||
	fail "gz reason: $(cat "$T/spool/failed/zipped.pcap.gz.reason")"
[ -f "$T/spool/example.pcapng.tmp" ] && ok "a name without a capture extension waits" ||
	fail "example.pcapng.tmp was taken"

# Each spool file's rows equal flowprep pcap's on the same file.
for f in handshake ipv6 vlan fragments truncated; do
	src="$T/src/$f.pcap"
	[ "$f" = truncated ] && src="$T/src/truncated-file.pcap"
	"$FLOWPREP" pcap -q "$src" "$T/want-$f.csv" 2>/dev/null
	out=$(find "$T/out" -name "*_spool_$f.pcap_*.csv" | head -n 1)
	if [ -z "$out" ]; then
		fail "$f: no CSV output"
		continue
	fi
	sorted_rows "$T/want-$f.csv" > "$T/want-$f.rows"
	sorted_rows "$out" > "$T/got-$f.rows"
	cmp -s "$T/want-$f.rows" "$T/got-$f.rows" && ok "$f: rows equal flowprep pcap's ($(rows "$out"))" ||
		fail "$f: rows differ from flowprep pcap's"
	case "$out" in
	*/date=*/hour=*/*) ok "$f: Hive layout" ;;
	*) fail "$f: not in date=/hour= folders: $out" ;;
	esac
	pq="${out%.csv}.parquet"
	[ -f "$pq" ] && expect_eq "$f: Parquet rows" "$(parquet_rows "$pq")" "$(rows "$out")" ||
		fail "$f: no Parquet output"
done

# The rename makes the waiting one a capture.
mv "$T/spool/example.pcapng.tmp" "$T/spool/example.pcap"
wait_spool_empty "$T/spool" 30 && ok "renamed file picked up" || fail "example.pcap not processed"

# Reload: a bad configuration is refused and the daemon keeps running.
cp "$T/flowprepd.yaml" "$T/good.yaml"
printf 'flow:\n  idle_timeout: 5x\n' >> "$T/flowprepd.yaml"
kill -HUP "$DAEMON_PID"
wait_log "reload refused" 10 && ok "bad reload refused" || fail "bad reload not refused"
kill -0 "$DAEMON_PID" 2>/dev/null && ok "still running after a bad reload" || fail "daemon died on a bad reload"
cp "$T/good.yaml" "$T/flowprepd.yaml"
kill -HUP "$DAEMON_PID"
wait_log "configuration reloaded" 10 && ok "good reload applied" || fail "good reload not applied"
cp "$T/src/icmp.pcap" "$T/spool/after-reload.pcap"
wait_spool_empty "$T/spool" 30 && ok "works after reloads" || fail "nothing processed after reloads"

stop_daemon 30
expect_eq "SIGTERM: exit status" "$DAEMON_RC" 0
left=$(find "$T/out" -name '.*' -type f | wc -l | tr -d ' ')
expect_eq "no temporary files left in the output" "$left" 0
finish
