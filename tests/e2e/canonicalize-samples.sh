# canonicalize-samples.sh - `flowprep canonicalize` on real and reference
# tables from ../shared/data (skipped, with a message, when it is absent):
#   - cic2017_sample.parquet, a 101,094-row slice of CIC-IDS-2017: every row
#     written, the canonical types, the labels' counts, and (with Node.js and
#     DuckDB from tests/interop) every value equal to DuckDB's SQL mapping;
#   - parquet-samples/: VPC flow logs, CICFlowMeter names, nfdump/IPFIX
#     names and the flowprep-like tables, with their row counts and the
#     rows rejected for a reason (VPC's NODATA records).
. "$TOP_SRCDIR/tests/e2e/lib.sh"

D="$SHARED_DIR/data"
[ -f "$D/cic2017_sample.parquet" ] || skip "no $D/cic2017_sample.parquet (the shared data folder is absent)"

# ---------------------------------------------------------------- CIC-IDS-2017 sample
CIC="$D/cic2017_sample.parquet"
"$FLOWPREP" canonicalize "$CIC" "$T/cic.parquet" 2>"$T/err"
expect_eq "cic sample without a protocol column: refused" $? 1
grep -q "no column for canonical field protocol" "$T/err" && ok "cic sample: protocol named" || fail "$(cat "$T/err")"

"$FLOWPREP" canonicalize --allow-missing protocol "$CIC" "$T/cic.parquet" 2>"$T/err"
expect_eq "cic sample --allow-missing protocol: status" $? 0
grep -q "101094 rows read, 101094 written, 0 rejected" "$T/err" && ok "cic sample: every row written" \
	|| fail "cic sample report: $(cat "$T/err")"
"$FLOWPREP" peek --schema "$T/cic.parquet" | awk 'NR > 4 && NF { print $1, $2, $3, $4 }' > "$T/schema.txt"
cat > "$T/schema.want" <<'OUT'
timestamp INT64 TIMESTAMP(MICROS,utc) no
src_ip BYTE_ARRAY STRING no
dest_ip BYTE_ARRAY STRING no
src_port INT32 - no
dest_port INT32 - no
fwd_bytes INT64 - no
bwd_bytes INT64 - no
fwd_pkts INT64 - no
bwd_pkts INT64 - no
flow_dur DOUBLE - no
protocol INT32 - yes
label INT32 - yes
attack BYTE_ARRAY STRING yes
OUT
cmp -s "$T/schema.txt" "$T/schema.want" && ok "cic sample: canonical types" || fail "cic sample schema: $(cat "$T/schema.txt")"

"$FLOWPREP" canonicalize -q --allow-missing protocol "$CIC" "$T/cic.csv"
labels=$(col "$T/cic.csv" label | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')
expect_eq "cic sample: label counts" "$labels" "0=81171 1=19923 "
attacks=$(col "$T/cic.csv" attack | sort | uniq -c | awk '{ printf "%s=%s ", $2, $1 }')
expect_eq "cic sample: attack counts" "$attacks" "attack=19923 benign=81171 "
expect_eq "cic sample: first row" "$(sed -n 2p "$T/cic.csv")" \
	"1488876958000000,8.254.250.126,192.168.10.5,80,49188,12,0,2,0,4e-06,,0,benign"

if [ -n "${NODE:-}" ] && command -v "$NODE" >/dev/null 2>&1; then
	"$NODE" "$TOP_SRCDIR/tests/e2e/canon-duckdb.mjs" check "$CIC" "$T/cic.parquet" > "$T/duck.txt" 2>&1
	rc=$?
	if [ "$rc" -eq 77 ]; then
		echo "SKIP (part): $(cat "$T/duck.txt")"
	else
		expect_eq "cic sample: every value as DuckDB maps it ($(cat "$T/duck.txt"))" "$rc" 0
	fi
else
	echo "SKIP (part): no Node.js for the DuckDB comparison"
fi

# ---------------------------------------------------------------- parquet-samples
S="$D/parquet-samples"
# sample  rows-read  rows-written  extra check
while read -r name read written; do
	[ -f "$S/$name" ] || { fail "$S/$name is missing"; continue; }
	"$FLOWPREP" canonicalize "$S/$name" "$T/out.parquet" 2>"$T/err"
	st=$?
	crashed "$st" && fail "$name: crashed ($st)"
	grep -q "$read rows read, $written written" "$T/err" && ok "$name: $read rows read, $written written" \
		|| fail "$name: $(cat "$T/err")"
done <<'LIST'
aws-vpc-flowlogs-duckdb-snappy.parquet 5000 4788
aws-vpc-flowlogs-hyparquet-gzip.parquet 5000 4788
cic-ids2017-arrowrs-snappy.parquet 2000 2000
nfdump-ipfix-arrowrs-zstd.parquet 5000 5000
nfdump-ipfix-duckdb-zstd-fmtv2.parquet 5000 5000
flow-duckdb-zstd.parquet 12000 12000
flow-arrowrs-zstd-v2.parquet 6000 6000
flow-hyparquet-snappy-v2.parquet 3000 3000
narrowflow-arrowrs-50k-smallpages.parquet 50000 50000
LIST
"$FLOWPREP" canonicalize "$S/aws-vpc-flowlogs-duckdb-snappy.parquet" "$T/vpc.csv" 2>"$T/err"
grep -q "rejected 212 rows: src_ip from column 'srcaddr': has no value" "$T/err" \
	&& ok "vpc: NODATA/SKIPDATA records rejected for their missing address" || fail "vpc: $(cat "$T/err")"
expect_eq "vpc: no flow with a negative or null duration" \
	"$(col "$T/vpc.csv" flow_dur | awk '$1 == "" || $1 < 0' | wc -l | tr -d ' ')" 0
"$FLOWPREP" canonicalize -q "$S/cic-ids2017-arrowrs-snappy.parquet" "$T/cicflowmeter.csv"
expect_eq "CICFlowMeter names: the label column keeps its leading space" "$(head -1 "$T/cicflowmeter.csv" | cut -d, -f12)" " Label"

finish
