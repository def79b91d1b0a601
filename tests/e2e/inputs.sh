# inputs.sh - what `flowprep pcap` reads (issue 17): a capture on standard
# input, gzip/zstd/xz captures by content (file or pipe), a BPF filter (-F or
# after OUTPUT), -c, --since/--until, and --merge of rotated captures.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

fixture example
ex="$T/example.pcap"
"$FLOWPREP" pcap -q "$ex" "$T/plain.csv"

cat "$ex" | "$FLOWPREP" pcap -q - "$T/stdin.csv"
expect_eq "stdin: exit status" $? 0
cmp -s "$T/plain.csv" "$T/stdin.csv" && ok "stdin: same flows as the file" || fail "stdin differs"

for z in gzip zstd xz; do
	command -v $z >/dev/null 2>&1 || { echo "SKIP: no $z"; continue; }
	$z -c "$ex" > "$T/example.pcap.$z"
	"$FLOWPREP" pcap -q "$T/example.pcap.$z" "$T/$z.csv" 2>"$T/err"
	expect_eq "$z file: exit status" $? 0
	cmp -s "$T/plain.csv" "$T/$z.csv" && ok "$z file: same flows" || fail "$z file differs: $(cat "$T/err")"
	cat "$T/example.pcap.$z" | "$FLOWPREP" pcap -q - "$T/$z-pipe.csv" 2>"$T/err"
	expect_eq "$z pipe: exit status" $? 0
	cmp -s "$T/plain.csv" "$T/$z-pipe.csv" && ok "$z pipe: same flows" || fail "$z pipe differs"
	head -c 20000 "$T/example.pcap.$z" > "$T/cut.$z"
	"$FLOWPREP" pcap -q "$T/cut.$z" "$T/cut-$z.csv" 2>"$T/err"
	rc=$?
	crashed $rc && fail "cut $z crashed"
	expect_eq "$z cut short: exit status" $rc 2
	grep -q "cut.$z" "$T/err" && ok "$z cut short: named" || fail "$z cut: $(cat "$T/err")"
done

# BPF: -F and the trailing form agree; the summary counts what was filtered.
"$FLOWPREP" pcap -F 'udp port 53' "$ex" "$T/dns.csv" 2>"$T/err"
expect_eq "-F: exit status" $? 0
"$FLOWPREP" pcap -q "$ex" "$T/dns2.csv" udp port 53
cmp -s "$T/dns.csv" "$T/dns2.csv" && ok "trailing expression = -F" || fail "trailing expression differs"
[ "$(rows "$T/dns.csv")" -gt 0 ] && [ "$(rows "$T/dns.csv")" -lt "$(rows "$T/plain.csv")" ] && ok "-F keeps some flows" \
	|| fail "-F rows $(rows "$T/dns.csv")"
expect_eq "-F: only port 53" "$(col "$T/dns.csv" dest_port | sort -u)" 53
grep -q "filtered out" "$T/err" && ok "summary counts filtered packets" || fail "summary: $(cat "$T/err")"
"$FLOWPREP" pcap -q -F 'tcp port' "$ex" "$T/bad.csv" 2>"$T/err"
expect_eq "bad filter: exit status" $? 1
grep -q "filter 'tcp port'" "$T/err" && ok "bad filter: message" || fail "bad filter: $(cat "$T/err")"
[ ! -e "$T/bad.csv" ] && ok "bad filter: no output" || fail "bad filter left output"

# -c N: at most N packets.
"$FLOWPREP" pcap -c 10 "$ex" "$ex" "$T/c.csv" 2>"$T/err"
expect_eq "-c: exit status" $? 0
grep -q ", 10 packets," "$T/err" && ok "-c 10 reads 10 packets" || fail "-c: $(cat "$T/err")"
"$FLOWPREP" pcap -c 1 "$ex" "$T/c1.csv" 2>"$T/err"
grep -q ", 1 packet," "$T/err" && ok "-c 1: singular" || fail "-c 1: $(cat "$T/err")"

# --since/--until: the window [since, until) by packet time.
first=$(sed -n 2p "$T/plain.csv" | cut -d, -f1)
since=$(( first / 1000000 + 60 ))
"$FLOWPREP" pcap -q --since "$since" "$ex" "$T/since.csv"
expect_eq "--since: exit status" $? 0
awk -F, -v s="$since" 'NR > 1 && $1 < s * 1000000 { bad = 1 } END { exit bad }' "$T/since.csv" \
	&& ok "--since: no flow before it" || fail "--since: a flow starts before it"
"$FLOWPREP" pcap -q --until "$since" "$ex" "$T/until.csv"
awk -F, -v s="$since" 'NR > 1 && $1 >= s * 1000000 { bad = 1 } END { exit bad }' "$T/until.csv" \
	&& ok "--until: no flow at or after it" || fail "--until"
"$FLOWPREP" pcap -q --since 2001-02-30 "$ex" "$T/x.csv" 2>"$T/err"
expect_eq "--since bad date: exit status" $? 1
"$FLOWPREP" pcap -q --since 1970-01-01T00:00:00Z --until "2100-01-01 00:00+02:00" "$ex" "$T/all.csv"
cmp -s "$T/plain.csv" "$T/all.csv" && ok "an all-covering window changes nothing" || fail "window changed output"

# --merge: a capture cut in two at a packet, merged (in either order), gives
# the flows of the whole; per file, flows that cross the cut are split.
split_pcap() {	# split_pcap IN N OUT1 OUT2: packets 1..N and N+1.. (classic pcap, 16-byte record headers)
	python3 - "$@" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read(); n = int(sys.argv[2])
order = '<' if data[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
off, k = 24, 0
while off < len(data) and k < n:
    off += 16 + struct.unpack(order + 'I', data[off + 8:off + 12])[0]; k += 1
open(sys.argv[3], 'wb').write(data[:off]); open(sys.argv[4], 'wb').write(data[:24] + data[off:])
PY
}
if command -v python3 >/dev/null 2>&1 && split_pcap "$ex" 2000 "$T/part1.pcap" "$T/part2.pcap"; then
	"$FLOWPREP" pcap -q --merge "$T/part2.pcap" "$T/part1.pcap" "$T/merged.csv"
	expect_eq "--merge: exit status" $? 0
	sort "$T/plain.csv" > "$T/a"; sort "$T/merged.csv" > "$T/b"
	cmp -s "$T/a" "$T/b" && ok "--merge of the halves = the whole" || fail "--merge differs"
	"$FLOWPREP" pcap -q "$T/part1.pcap" "$T/part2.pcap" "$T/split.csv"
	[ "$(rows "$T/split.csv")" -gt "$(rows "$T/plain.csv")" ] && ok "per file, crossing flows are split" \
		|| fail "per-file rows $(rows "$T/split.csv")"
	fixture sll
	"$FLOWPREP" pcap -q --merge "$T/part1.pcap" "$T/sll.pcap" "$T/mixed.csv" 2>"$T/err"
	expect_eq "--merge of two link types: exit status" $? 2
	grep -q "link type" "$T/err" && ok "--merge link types: message" || fail "merge linktypes: $(cat "$T/err")"
else
	echo "SKIP: --merge split test (no python3)"
fi
finish
