# summary.sh - the end summary (issue 17): one line when stderr is not a
# terminal or with --summary=line, short lines with --summary=lines (the
# terminal default), singular and plural right, and --json-summary FILE.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

fixture handshake
fixture example
"$FLOWPREP" pcap "$T/handshake.pcap" "$T/o.csv" 2>"$T/err"
expect_eq "not a terminal: one line" "$(wc -l < "$T/err" | tr -d ' ')" 1
grep -q "1 input, 10 packets, .* 1 flow written" "$T/err" && ok "singular: 1 input, 1 flow" || fail "singular: $(cat "$T/err")"
grep -q "skipped 0 packets" "$T/err" && ok "plural: 0 packets" || fail "plural 0: $(cat "$T/err")"
"$FLOWPREP" pcap --summary=lines "$T/handshake.pcap" "$T/example.pcap" "$T/o.csv" 2>"$T/err"
[ "$(wc -l < "$T/err")" -ge 4 ] && ok "--summary=lines: several lines" || fail "lines: $(cat "$T/err")"
grep -q "^  read      2 inputs" "$T/err" && ok "lines: inputs" || fail "lines inputs: $(cat "$T/err")"
grep -q "^  ended     idle" "$T/err" && ok "lines: end reasons" || fail "lines ended"
if command -v script >/dev/null 2>&1; then
	script -qec "'$FLOWPREP' pcap '$T/handshake.pcap' '$T/tty.csv'" /dev/null > "$T/tty" 2>&1
	grep -q "  flows     1 flow written" "$T/tty" && ok "terminal: lines by default" || fail "terminal: $(cat "$T/tty")"
fi
"$FLOWPREP" pcap -q --json-summary "$T/s.json" "$T/missing.pcap" "$T/example.pcap" "$T/o.csv" 2>/dev/null
expect_eq "--json-summary run: exit status" $? 2
grep -q '"exit_status": 2' "$T/s.json" && ok "json: exit status" || fail "json: $(cat "$T/s.json")"
grep -q '"flows_written": [1-9]' "$T/s.json" && ok "json: flows" || fail "json flows"
grep -q '"error": ".*missing.pcap' "$T/s.json" && ok "json: the failed input" || fail "json error"
if [ -n "${NODE:-}" ]; then
	"$NODE" -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$T/s.json" \
		&& ok "json parses" || fail "json does not parse"
elif command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/s.json" && ok "json parses" || fail "json does not parse"
fi
finish
