# peek.sh - `flowprep peek` on files we write and on files other tools
# wrote: the table shows the names, types and values; --schema shows the
# row count, row groups and codecs; garbage gives a clean error.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

fixture example
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/flows.csv"
"$FLOWPREP" pcap -q --compression snappy --row-group-rows 100 "$T/example.pcap" "$T/flows.parquet"
total=$(rows "$T/flows.csv")

for f in flows.csv flows.parquet; do
	"$FLOWPREP" peek "$T/$f" > "$T/out" 2>"$T/err"
	expect_eq "peek $f: status" $? 0
	for word in timestamp src_ip dest_ip flow_dur protocol int64 float64; do
		grep -q "$word" "$T/out" || fail "peek $f: no '$word' in the table"
	done
	# 20 data rows between the rules (+ 2 header lines)
	expect_eq "peek $f: rows shown" "$(grep -c '^│' "$T/out")" 22
	# the first row's source address and ports are those of the CSV's first row
	first=$(sed -n 2p "$T/flows.csv" | cut -d, -f2,4,5 | tr ',' ' ')
	set -- $first
	sed -n 5p "$T/out" | grep -q " $1 .* $2 .* $3 " && ok "peek $f: first row" || fail "peek $f: first row $(sed -n 5p "$T/out")"
done
grep -q "timestamp\[us, UTC\]" "$T/out" && ok "parquet timestamp type shown" || fail "timestamp type"
grep -q "20 of $total rows" "$T/out" && ok "footer counts rows" || fail "footer: $(tail -n 1 "$T/out")"

"$FLOWPREP" peek -n 3 "$T/flows.parquet" > "$T/out"
expect_eq "peek -n 3" "$(grep -c '^│' "$T/out")" 5

"$FLOWPREP" peek --schema "$T/flows.parquet" > "$T/out"
expect_eq "peek --schema: status" $? 0
grep -qi "snappy" "$T/out" && ok "--schema: codec" || fail "--schema codec: $(cat "$T/out")"
grep -q "row groups: $(((total + 99) / 100))" "$T/out" && ok "--schema: row groups" || fail "--schema row groups: $(cat "$T/out")"
grep -q "created by flowprep version" "$T/out" && ok "--schema: created_by" || fail "--schema created_by"
grep -q "TIMESTAMP(MICROS" "$T/out" && ok "--schema: logical type" || fail "--schema logical type"
"$FLOWPREP" peek --schema "$T/flows.csv" > "$T/out"
grep -q "rows: $total" "$T/out" && ok "--schema csv: row count" || fail "--schema csv: $(cat "$T/out")"

# Garbage and truncated files: status 1 and the file named.
head -c 3000 "$T/flows.parquet" > "$T/cut.parquet"
printf 'PAR1 this is not parquet' > "$T/fake.parquet"
printf 'a,b\n1,2\n3\n' > "$T/ragged.csv"
for f in cut.parquet fake.parquet ragged.csv; do
	"$FLOWPREP" peek "$T/$f" > /dev/null 2>"$T/err"
	rc=$?
	crashed $rc && fail "peek $f crashed ($rc)"
	expect_eq "peek $f: status (corrupt: 2, like pcap)" $rc 2
	grep -q "$f" "$T/err" && ok "peek $f: error names the file" || fail "peek $f: $(cat "$T/err")"
done

# Files other writers made (DuckDB, arrow-rs, Spark...), when the shared data is here.
samples="$SHARED_DIR/data/parquet-samples"
if [ -d "$samples" ]; then
	for f in flow-duckdb-zstd.parquet flow-arrowrs-snappy-v1.parquet flow-arrowrs-zstd-v2.parquet \
		 parquet-testing/data/int96_from_spark.parquet aws-vpc-flowlogs-hyparquet-gzip.parquet; do
		[ -f "$samples/$f" ] || continue
		"$FLOWPREP" peek -n 5 "$samples/$f" > "$T/out" 2>"$T/err"
		expect_eq "peek $f: status" $? 0
		"$FLOWPREP" peek --schema "$samples/$f" > /dev/null 2>"$T/err"
		expect_eq "peek --schema $f: status" $? 0
	done
else
	echo "note: $samples absent, files from other writers not peeked (the interop test covers them)"
fi
finish
