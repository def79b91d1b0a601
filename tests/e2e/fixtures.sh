# fixtures.sh - known answers: every generated fixture capture (handshakes,
# FIN/RST, idle and active timeout splits, IPv6, VLAN, QinQ, MPLS, SLL/SLL2,
# loopback, raw IP, fragments, ICMP, truncated and malformed packets...) is
# metered by `flowprep pcap` and each record must equal the one the fixture
# generator computed while writing it (make-fixtures --expect), as must the
# packet count, every skip reason's count and every note's count ("accepted
# with a note") in the summary. Then the
# options that change the answer: timeouts, --tcp-close, --bytes, --max-flows.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

# expect FILE -> canonical lines "proto,src,sport,dst,dport,fp,fb,bp,bb,first_us,dur_ns"
canon_expect() {
	awk -F'\t' '/^#/ || $1 == "proto" { next }
	function pad(ns) { while (length(ns) < 10) ns = "0" ns; return ns }
	function us(ns) { ns = pad(ns); return sprintf("%.0f", substr(ns, 1, length(ns) - 9) * 1000000 + substr(ns, length(ns) - 8, 6)) }
	function dur(a, b) { a = pad(a); b = pad(b); return (substr(b, 1, length(b) - 9) - substr(a, 1, length(a) - 9)) * 1000000000 + (substr(b, length(b) - 8) - substr(a, length(a) - 8)) }
	{ printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%.0f\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, us($10), dur($10, $11) }' "$1" | sort
}
# flowprep CSV -> the same form
canon_csv() {
	awk -F, 'NR > 1 { printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%.0f\n", $11, $2, $4, $3, $5, $8, $6, $9, $7, $1, $10 * 1e9 }' "$1" | sort
}
# summary_count STDERR REASON -> the count the summary gives for a skip reason (0 if absent)
summary_count() { sed -n "s/.*[(,] *$2 \([0-9,]*\).*/\1/p" "$1" | tr -d ',' | grep . || echo 0; }
# note_count STDERR NOTE -> the count the summary gives for a note (0 if absent)
note_count() { sed -n "s/.*accepted with a note:.* $2 \([0-9,]*\).*/\1/p" "$1" | tr -d ',' | grep . || echo 0; }

for name in $("$MAKE_FIXTURES" --list | awk '{ print $1 }'); do
	[ "$name" = truncated-file ] && continue	# bad-captures.sh
	"$MAKE_FIXTURES" --expect "$name" "$T/$name.pcap" > "$T/$name.expect" || { fail "$name: make-fixtures"; continue; }
	"$FLOWPREP" pcap "$T/$name.pcap" "$T/$name.csv" 2>"$T/$name.err"
	rc=$?
	[ $rc -eq 0 ] || { fail "$name: exit status $rc: $(cat "$T/$name.err")"; continue; }
	canon_expect "$T/$name.expect" > "$T/want"
	canon_csv "$T/$name.csv" > "$T/got"
	if cmp -s "$T/want" "$T/got"; then
		ok "$name: $(wc -l < "$T/want" | tr -d ' ') records as expected"
	else
		fail "$name: records differ (want, then got):"; cat "$T/want"; echo ---; cat "$T/got"
	fi
	want_pkts=$(sed -n 's/^# packets\t//p' "$T/$name.expect")
	got_pkts=$(sed -n 's/.*input, \([0-9,]*\) packets*[ ,].*/\1/p' "$T/$name.err" | tr -d ',')
	expect_eq "$name: packets in the summary" "$got_pkts" "$want_pkts"
	grep '^# skipped' "$T/$name.expect" | while IFS="$(printf '\t')" read -r _ reason count; do
		got=$(summary_count "$T/$name.err" "$reason")
		[ "$got" = "$count" ] && echo "ok: $name: skipped $reason $count" || echo "FAIL: $name: skipped $reason: got $got, want $count"
	done > "$T/skips"
	grep '^# noted' "$T/$name.expect" | while IFS="$(printf '\t')" read -r _ note count; do
		got=$(note_count "$T/$name.err" "$note")
		[ "$got" = "$count" ] && echo "ok: $name: noted $note $count" || echo "FAIL: $name: noted $note: got $got, want $count"
	done >> "$T/skips"
	# no note the answer does not have
	for note in ip-length-exceeds-capture transport-header-split; do
		grep -q "^# noted	$note	" "$T/$name.expect" || [ "$(note_count "$T/$name.err" "$note")" = 0 ] ||
			echo "FAIL: $name: unexpected note $note: $(cat "$T/$name.err")"
	done >> "$T/skips"
	cat "$T/skips"
	failures=$((failures + $(grep -c '^FAIL' "$T/skips")))
done

# Times beyond int64 ns: one warning naming the file and its first packet
# (the records, relative to that packet, were checked above).
n=$(grep -c "far-future.pcap: packet 1: .*relative to its first packet" "$T/far-future.err")
expect_eq "far-future: one warning naming the file and packet 1" "$n" 1
expect_eq "far-future: no other warning" "$(grep -c warning "$T/far-future.err")" 1

# Timeouts: with a 62 s idle timeout the 61 s gap no longer splits.
"$FLOWPREP" pcap -q --idle-timeout 62 "$T/idle-split.pcap" "$T/o.csv"
expect_eq "--idle-timeout 62: records" "$(rows "$T/o.csv")" 2
"$FLOWPREP" pcap -q --idle-timeout 59s "$T/idle-split.pcap" "$T/o.csv"
expect_eq "--idle-timeout 59s: records" "$(rows "$T/o.csv")" 4
"$FLOWPREP" pcap -q --active-timeout 30m "$T/active-split.pcap" "$T/o.csv"
expect_eq "--active-timeout 30m: records" "$(rows "$T/o.csv")" 4
"$FLOWPREP" pcap -q --active-timeout 3h "$T/active-split.pcap" "$T/o.csv"
expect_eq "--active-timeout 3h: records" "$(rows "$T/o.csv")" 1

# --tcp-close: the handshake's FIN exchange and final ACK stay one record;
# each RST-ended connection is one record.
"$FLOWPREP" pcap -q --tcp-close "$T/handshake.pcap" "$T/o.csv"
expect_eq "--tcp-close handshake: records" "$(rows "$T/o.csv")" 1
"$FLOWPREP" pcap "$T/handshake.pcap" "$T/o.csv" --tcp-close 2>"$T/err"
grep -q "tcp-close 1" "$T/err" && ok "--tcp-close: ended by tcp-close" || fail "--tcp-close summary: $(cat "$T/err")"

# --bytes: frame >= IP + 14-byte Ethernet header per packet (short frames are
# padded to 60 bytes on the wire); payload < IP.
"$FLOWPREP" pcap -q --bytes frame "$T/handshake.pcap" "$T/frame.csv"
"$FLOWPREP" pcap -q --bytes payload "$T/handshake.pcap" "$T/payload.csv"
ip_f=$(col "$T/handshake.csv" fwd_bytes); pk_f=$(col "$T/handshake.csv" fwd_pkts)
fr_f=$(col "$T/frame.csv" fwd_bytes)
[ "$fr_f" -ge $((ip_f + 14 * pk_f)) ] && [ "$fr_f" -le $((ip_f + 60 * pk_f)) ] && ok "--bytes frame" || fail "--bytes frame: $fr_f vs ip $ip_f"
pl_f=$(col "$T/payload.csv" fwd_bytes)
[ "$pl_f" -lt "$ip_f" ] && [ "$pl_f" -le $((ip_f - 40 * pk_f)) ] && ok "--bytes payload" || fail "--bytes payload: $pl_f vs ip $ip_f"

# --max-flows 1: every new flow evicts the previous one; nothing is lost.
"$FLOWPREP" pcap --max-flows 1 "$T/example.pcap" "$T/o.csv" 2>"$T/err"
grep -q "at most 1 at once" "$T/err" && ok "--max-flows 1 holds one flow" || fail "--max-flows: $(cat "$T/err")"
sum() { col "$1" "$2" | awk '{ s += $1 } END { printf "%d", s }'; }
expect_eq "--max-flows 1 keeps every packet" \
	"$(($(sum "$T/o.csv" fwd_pkts) + $(sum "$T/o.csv" bwd_pkts)))" \
	"$(($(sum "$T/example.csv" fwd_pkts) + $(sum "$T/example.csv" bwd_pkts)))"

# --vlan-key: the same 5-tuple on two VLANs becomes two flows, if the fixture has one.
"$FLOWPREP" pcap -q --vlan-key "$T/vlan.pcap" "$T/o.csv"
[ "$(rows "$T/o.csv")" -ge "$(rows "$T/vlan.csv")" ] && ok "--vlan-key" || fail "--vlan-key lost records"
finish
