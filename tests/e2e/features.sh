# features.sh - the feature sets end to end (docs/features.md):
#   - `--features` picks a set; an unknown name is a usage error naming the sets;
#   - cic and pcapflower have pcapflower's 82 columns in its order, cic2017
#     the CIC-IDS-2017 names; extended stacks on the canonical columns;
#   - cic agrees with an independent reference (tests/features/cic-reference.py,
#     dpkt) on every fixture capture, and on the shared generated captures
#     and corpus when present;
#   - pcapflower equals the real pcapflower 1.1.0 output stored in
#     ../shared/reference/pcapflower, row by row (skipped with a message
#     when that directory is absent).
. "$TOP_SRCDIR/tests/e2e/lib.sh"

PY=/usr/bin/python3
ref="$SHARED_DIR/reference/pcapflower"

fixture handshake
"$FLOWPREP" pcap -q --features nosuch "$T/handshake.pcap" "$T/x.csv" 2>"$T/err"
expect_eq "unknown set: exit status" $? 1
grep -q "'nosuch' is not a feature set (canonical, extended, cic, pcapflower, cic2017)" "$T/err" &&
	ok "unknown set: message" || fail "unknown set: $(cat "$T/err")"

for set in canonical extended cic pcapflower cic2017; do
	"$FLOWPREP" pcap -q --features $set "$T/handshake.pcap" "$T/$set.csv" 2>"$T/err"
	expect_eq "--features $set: exit status" $? 0
done
expect_eq "cic: 82 columns" "$(head -n 1 "$T/cic.csv" | tr ',' '\n' | wc -l | tr -d ' ')" 82
expect_eq "cic and pcapflower: same header" "$(head -n 1 "$T/cic.csv")" "$(head -n 1 "$T/pcapflower.csv")"
expect_eq "cic: first and last columns" "$(head -n 1 "$T/cic.csv" | cut -d, -f1,82)" "src_ip,cwr_flag_count"
expect_eq "cic2017: 78 columns" "$(head -n 1 "$T/cic2017.csv" | tr ',' '\n' | wc -l | tr -d ' ')" 78
head -n 1 "$T/cic2017.csv" | tr ',' '\n' | grep -qx " Fwd Header Length.1" && ok "cic2017: second Fwd Header Length" ||
	fail "cic2017 header: $(head -n 1 "$T/cic2017.csv")"
expect_eq "extended: canonical columns first" "$(head -n 1 "$T/extended.csv" | cut -d, -f1,12,13)" \
	"timestamp,flow_end,end_reason"
# one TCP connection closed by FIN both ways: one row; cic ends it on the FIN
expect_eq "cic: one row for the connection" "$(rows "$T/cic.csv")" 1
expect_eq "cic2017: duration in µs" "$(col "$T/cic2017.csv" " Flow Duration")" \
	"$(awk -v s="$(col "$T/cic.csv" flow_duration)" 'BEGIN { printf "%.1f", s * 1e6 }')"

if ! $PY -c "import dpkt" 2>/dev/null; then
	fail "python3-dpkt is missing (packaging/install-deps-debian.sh --test installs it)"
	finish
fi

"$MAKE_FIXTURES" --all "$T/fx" >/dev/null || fail "make-fixtures --all"
# Left out: truncated-file (flowprep stops at the cut record, as it should: a
# reader matter) and far-future (times beyond 2262 are made relative by the reader).
set -- $(ls "$T"/fx/*.pcap* | grep -v -e truncated-file -e far-future -e '\.expect$')
$PY "$TOP_SRCDIR/tests/features/cic-reference.py" "$FLOWPREP" "$@" >"$T/ref.out" 2>&1 &&
	ok "cic = reference on the fixtures: $(tail -n 1 "$T/ref.out")" || { cat "$T/ref.out"; fail "cic reference on the fixtures"; }

if [ -d "$ref/inputs" ]; then
	$PY "$TOP_SRCDIR/tests/features/cic-reference.py" "$FLOWPREP" "$ref"/inputs/gen-*.pcap "$ref"/inputs/gen-*.pcapng \
		>"$T/ref.out" 2>&1 && ok "cic = reference on the generated captures: $(tail -n 1 "$T/ref.out")" ||
		{ cat "$T/ref.out"; fail "cic reference on the generated captures"; }
fi
if [ -f "$SHARED_DIR/corpus/MANIFEST.tsv" ]; then
	# Flows the reference finds and we do not are readers' matters (an
	# invalid nanosecond field dpkt accepts); every flow both have must agree.
	set -- $(tail -n +2 "$SHARED_DIR/corpus/MANIFEST.tsv" | cut -f 1 | grep -v "^bad/" | sed "s|^|$SHARED_DIR/corpus/|")
	$PY "$TOP_SRCDIR/tests/features/cic-reference.py" "$FLOWPREP" --allow-missing "$@" >"$T/ref.out" 2>&1 &&
		ok "cic = reference on the corpus: $(tail -n 1 "$T/ref.out")" || { cat "$T/ref.out"; fail "cic reference on the corpus"; }
fi

if [ -f "$ref/MANIFEST.tsv" ]; then
	$PY "$TOP_SRCDIR/tests/features/pcapflower-compare.py" "$FLOWPREP" "$ref" "$SHARED_DIR/corpus" >"$T/pf.out" 2>&1 &&
		ok "$(tail -n 1 "$T/pf.out")" || { cat "$T/pf.out"; fail "pcapflower equality"; }
else
	echo "SKIP (part): no pcapflower reference at $ref: --features pcapflower not compared with pcapflower 1.1.0"
fi
finish
