# peek-terminal.sh - peek as people use it (issue 17): pipes lose nothing,
# the table fits the terminal (elided columns, --vertical, --columns, -n all,
# --tail), wide characters keep alignment, huge cells are cut, memory follows
# what is shown, non-CSV inputs are named, delimiters are detected, and a
# corrupt file exits 2 with no table.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

fixture example
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/flows.csv"
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/flows.parquet"
"$FLOWPREP" peek "$T/flows.csv" > "$T/file.txt"

# Pipes: the same table as the file (the first bytes are not lost).
cat "$T/flows.csv" | "$FLOWPREP" peek /dev/stdin > "$T/pipe.txt"
expect_eq "peek /dev/stdin: status" $? 0
sed '$d' "$T/file.txt" > "$T/a"; sed '$d' "$T/pipe.txt" > "$T/b"
cmp -s "$T/a" "$T/b" && ok "pipe table = file table" || fail "pipe differs: $(head -5 "$T/pipe.txt")"
cat "$T/flows.parquet" | "$FLOWPREP" peek - > "$T/pq.txt"
expect_eq "Parquet on a pipe: status" $? 0
grep -q "20 of" "$T/pq.txt" && ok "Parquet on a pipe: rows" || fail "pq pipe: $(tail -1 "$T/pq.txt")"

# Fit the terminal (COLUMNS stands in for a terminal's width).
COLUMNS=60 "$FLOWPREP" peek -n 2 "$T/flows.csv" > "$T/narrow.txt"
max=$(awk '{ n = split($0, c, ""); if (length($0) > m) m = length($0) } END { print m }' "$T/narrow.txt")
w=$(head -n 1 "$T/narrow.txt" | wc -m); w=$((w - 1))
[ "$w" -le 60 ] && ok "COLUMNS=60: the table is $w wide" || fail "COLUMNS=60: $w wide"
grep -q "…" "$T/narrow.txt" && ok "elided columns marked" || fail "no marker: $(cat "$T/narrow.txt")"
grep -q "not shown: use --columns or --vertical" "$T/narrow.txt" && ok "footer says columns were left out" || fail "footer"
grep -q "timestamp" "$T/narrow.txt" && grep -q "protocol" "$T/narrow.txt" && ok "first and last columns shown" \
	|| fail "ends: $(cat "$T/narrow.txt")"
COLUMNS=60 "$FLOWPREP" peek -n 1 --vertical "$T/flows.csv" > "$T/vert.txt"
expect_eq "--vertical: one line per column + 1 + footer" "$(wc -l < "$T/vert.txt" | tr -d ' ')" 13
"$FLOWPREP" peek -n 1 --columns protocol,src_ip "$T/flows.csv" > "$T/cols.txt"
sed -n 2p "$T/cols.txt" | grep -q "protocol .* src_ip" && ok "--columns selects and orders" || fail "--columns: $(cat "$T/cols.txt")"
"$FLOWPREP" peek --columns nosuch "$T/flows.csv" > /dev/null 2>"$T/err"
expect_eq "--columns unknown: status" $? 1
total=$(rows "$T/flows.csv")
"$FLOWPREP" peek -n all "$T/flows.csv" > "$T/all.txt"
expect_eq "-n all: every row" "$(($(grep -c '^│' "$T/all.txt") - 2))" "$total"
"$FLOWPREP" peek --tail 3 "$T/flows.csv" > "$T/tail.txt"
last=$(tail -n 1 "$T/flows.csv" | cut -d, -f2)
sed -n 7p "$T/tail.txt" | grep -q " $last " && ok "--tail shows the last row last" || fail "--tail: $(cat "$T/tail.txt")"
grep -q "last 3 of $total rows" "$T/tail.txt" && ok "--tail footer" || fail "--tail footer"

# Wide characters keep alignment: every line of the table is as wide.
printf 'name,v\n日本語テキスト,1\n😀😀,2\nabc,3\ncafe\xcc\x81,4\n' > "$T/wide.csv"
"$FLOWPREP" peek "$T/wide.csv" > "$T/wide.txt"
widths=$(sed '$d' "$T/wide.txt" | LC_ALL=C.UTF-8 sed 's/[日本語テキスト😀]/XX/g; s/\xcc\x81//g' |
	while IFS= read -r l; do printf '%s\n' "$l" | LC_ALL=C.UTF-8 wc -m; done | sort -u | wc -l)
expect_eq "wide characters: all lines equally wide" "$widths" 1
# A 1 MB cell and a 100 kB header are cut.
{ printf 'h%.0s' $(seq 1 100) ; echo ',b'; head -c 1000000 /dev/zero | tr '\0' x; echo ',1'; } > "$T/huge.csv"
"$FLOWPREP" peek "$T/huge.csv" > "$T/huge.txt"
expect_eq "huge cell: status" $? 0
[ "$(wc -c < "$T/huge.txt")" -lt 2000 ] && ok "huge cell and header cut" || fail "huge: $(wc -c < "$T/huge.txt") bytes"

# Memory: a 2,000-column CSV with -n 100000 (was rows x columns x 256 bytes).
awk 'BEGIN { for (r = 0; r <= 300; r++) { l = ""; for (c = 0; c < 2000; c++) l = l (c ? "," : "") (r ? r * c % 97 : "c" c); print l } }' > "$T/many.csv"
if command -v /usr/bin/time >/dev/null 2>&1; then
	ASAN_OPTIONS=detect_leaks=0 /usr/bin/time -f %M "$FLOWPREP" peek -n 100000 "$T/many.csv" > /dev/null 2>"$T/rss"
	kb=$(tail -n 1 "$T/rss")
	[ "$kb" -lt 400000 ] && ok "2,000 columns, -n 100000: $kb kB" || fail "memory: $kb kB"
fi
COLUMNS=80 "$FLOWPREP" peek --schema "$T/many.csv" > /dev/null
expect_eq "--schema on 2,000 columns: status" $? 0

# Not CSV: named, status 2, nothing drawn.
printf '{"a": 1}\n{"a": 2}\n' > "$T/x.jsonl"
printf '#separator \\x09\n#set_separator\t,\n#fields\tts\tuid\n' > "$T/conn.log"
printf 'alpha beta gamma\n1 2 3\n' > "$T/spaces.txt"
for f in x.jsonl:JSON conn.log:Zeek spaces.txt:space-separated example.pcap:pcap; do
	file=${f%%:*}; word=${f#*:}
	"$FLOWPREP" peek "$T/$file" > "$T/out" 2>"$T/err"
	expect_eq "$file: status" $? 2
	grep -q "$word" "$T/err" && ok "$file: named $word" || fail "$file: $(cat "$T/err")"
	expect_eq "$file: nothing on stdout" "$(wc -c < "$T/out" | tr -d ' ')" 0
done
"$FLOWPREP" peek --delimiter ' ' "$T/spaces.txt" > /dev/null
expect_eq "--delimiter ' ' reads it" $? 0

# Delimiters: detected, or given.
for d in ';' '|' 'tab'; do
	c=$d; [ "$d" = tab ] && c=$(printf '\t')
	printf 'a%sb%sc\n1%s2%s3\n' "$c" "$c" "$c" "$c" > "$T/d.csv"
	"$FLOWPREP" peek "$T/d.csv" > "$T/out"
	grep -q "3 columns" "$T/out" && ok "delimiter '$d' detected" || fail "delimiter $d: $(cat "$T/out")"
	"$FLOWPREP" peek --delimiter "$d" "$T/d.csv" > "$T/out"
	grep -q "3 columns" "$T/out" && ok "--delimiter '$d'" || fail "--delimiter $d"
done

# Corrupt: status 2, the error names file and line, no table before it.
printf 'a,b\n1,2\n3\n' > "$T/ragged.csv"
"$FLOWPREP" peek "$T/ragged.csv" > "$T/out" 2>"$T/err"
expect_eq "ragged: status" $? 2
grep -q "ragged.csv: line 3" "$T/err" && ok "ragged: file and line" || fail "ragged: $(cat "$T/err")"
expect_eq "ragged: no table" "$(wc -c < "$T/out" | tr -d ' ')" 0
finish
