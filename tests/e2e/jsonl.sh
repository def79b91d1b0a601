# jsonl.sh - `flowprep pcap` writes JSON lines (-f jsonl, or a .jsonl /
# .ndjson name): one object per flow, the CSV's rows and values exactly,
# keys in the schema's order.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

fixture example
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/flows.csv"
expect_eq "csv written" $? 0
"$FLOWPREP" pcap -q -f jsonl "$T/example.pcap" "$T/flows.out"
expect_eq "-f jsonl: status" $? 0
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/flows.jsonl"
expect_eq ".jsonl: status" $? 0
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/flows.ndjson"
expect_eq ".ndjson: status" $? 0
cmp -s "$T/flows.out" "$T/flows.jsonl" && ok "-f jsonl = .jsonl" || fail "-f jsonl and .jsonl differ"
cmp -s "$T/flows.ndjson" "$T/flows.jsonl" && ok ".ndjson = .jsonl" || fail ".ndjson and .jsonl differ"
expect_eq "one line per flow" "$(wc -l < "$T/flows.jsonl" | tr -d ' ')" "$(rows "$T/flows.csv")"
head -c 14 "$T/flows.jsonl" | grep -q '^{"timestamp":1' && ok "first key is timestamp, as a number" \
	|| fail "first line: $(head -c 80 "$T/flows.jsonl")"
ls "$T"/.flows* >/dev/null 2>&1 && fail "a temporary file was left" || ok "no temporary file left"

"$FLOWPREP" pcap -q -f xml "$T/example.pcap" "$T/x.out" 2>"$T/err"
expect_eq "-f xml: status" $? 1
grep -q "jsonl" "$T/err" && ok "-f xml: the message lists jsonl" || fail "-f xml: $(cat "$T/err")"

# Every line parses, with the CSV's header as its keys and the CSV's values.
if [ -n "${NODE:-}" ] && command -v "$NODE" >/dev/null 2>&1; then
	"$NODE" -e '
		const fs = require("fs");
		const csv = fs.readFileSync(process.argv[1], "utf8").trimEnd().split("\n");
		const lines = fs.readFileSync(process.argv[2], "utf8").trimEnd().split("\n");
		const header = csv[0].split(",");
		let bad = 0;
		lines.forEach((line, i) => {
			const o = JSON.parse(line), cells = csv[i + 1].split(",");
			if (JSON.stringify(Object.keys(o)) !== JSON.stringify(header)) bad++;
			header.forEach((k, c) => {
				const v = o[k], cell = cells[c];
				const same = typeof v === "number" ? v === Number(cell) : v === null ? cell === "" : String(v) === cell;
				if (!same) { if (bad < 5) console.error(`row ${i} ${k}: json ${v} csv ${cell}`); bad++; }
			});
		});
		process.exit(bad ? 1 : 0);
	' "$T/flows.csv" "$T/flows.jsonl"
	expect_eq "every JSON value equals the CSV value" $? 0
else
	echo "note: node not found, JSON values not compared with the CSV"
fi
finish
