# corpus.sh - every real capture of the shared corpus (../shared/corpus):
# no crash and no sanitizer report on any file; TCP+UDP record counts equal
# a reference count of MANIFEST.tsv exactly: flows60_outer (a meter with our
# default timeouts keyed on the outer headers, from tshark's dissection) or
# flows60_inner (the same keyed on the innermost headers), except for the
# files listed in tests/e2e/corpus-differences.tsv with the reason each
# differs (the count given there must then be exact too); every malformed file in bad/ gives a clean error or
# the partial result its notes describe.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

corpus="$SHARED_DIR/corpus"
[ -f "$corpus/MANIFEST.tsv" ] || skip "no shared corpus at $corpus (a user's clone has none)"
explained="$TOP_SRCDIR/tests/e2e/corpus-differences.tsv"

# column numbers from the header
hdr=$(head -n 1 "$corpus/MANIFEST.tsv")
colnum() { printf '%s\n' "$hdr" | tr '\t' '\n' | grep -n -x "$1" | cut -d: -f1; }
c_file=$(colnum file); c_notes=$(colnum notes); c_outer=$(colnum flows60_outer); c_inner=$(colnum flows60_inner)

# summary_packets STDERR: the packet count of the summary line
summary_packets() { sed -n 's/.*input[s]*, \([0-9,]*\) packets*[ ,].*/\1/p' "$1" | tr -d ','; }

tail -n +2 "$corpus/MANIFEST.tsv" | while IFS= read -r line; do
	file=$(printf '%s\n' "$line" | cut -f "$c_file")
	notes=$(printf '%s\n' "$line" | cut -f "$c_notes")
	want=$(printf '%s\n' "$line" | cut -f "$c_outer")
	want_inner=$(printf '%s\n' "$line" | cut -f "$c_inner")
	"$FLOWPREP" pcap "$corpus/$file" "$T/out.csv" 2>"$T/err" >/dev/null
	rc=$?
	if crashed $rc || [ $rc -gt 2 ] || grep -q "Sanitizer" "$T/err"; then
		echo "FAIL: $file: status $rc"; cat "$T/err"; continue
	fi
	case $file in
	bad/*)
		n=$(printf '%s\n' "$notes" | sed -n 's/^.*partial result: \([0-9]*\) packets readable.*$/\1/p')
		if [ $rc -eq 2 ] && ! grep -q "$(basename "$file")" "$T/err"; then
			echo "FAIL: $file: error does not name the file: $(cat "$T/err")"
		elif [ -n "$n" ] && [ "$(summary_packets "$T/err")" != "$n" ] && [ $rc -ne 0 ]; then
			echo "FAIL: $file: $(summary_packets "$T/err") packets read, notes say $n: $notes"
		else
			echo "ok: $file: status $rc, $(summary_packets "$T/err") packets"
		fi
		continue ;;
	esac
	why=$(awk -F'\t' -v f="$file" '$1 == f { print $3 }' "$explained")
	expected_here=$(awk -F'\t' -v f="$file" '$1 == f { print $2 }' "$explained")
	if [ "$expected_here" = "error" ] && [ $rc -eq 2 ] && grep -q "$file" "$T/err"; then
		echo "ok: $file: clean error, reference $want: $why"; continue
	fi
	if [ $rc -ne 0 ]; then
		echo "FAIL: $file: status $rc: $(cat "$T/err")"; continue
	fi
	got=$(col "$T/out.csv" protocol | grep -c -x -e 6 -e 17)
	if [ "$got" = "$want" ] && [ -z "$why" ]; then
		echo "ok: $file: $got TCP+UDP flows"
	elif [ "$got" = "$want_inner" ] && [ -z "$why" ]; then
		echo "ok: $file: $got TCP+UDP flows (flows60_inner; flows60_outer $want)"
	elif [ -n "$why" ] && [ "$got" = "$expected_here" ]; then
		echo "ok: $file: $got TCP+UDP flows, reference $want: $why"
	else
		echo "FAIL: $file: $got TCP+UDP flows, reference $want (inner $want_inner)${why:+ (explained value $expected_here: $why)}"
	fi
done > "$T/report"
cat "$T/report"
good=$(grep -v -c -e '^ok: bad/' -e '^FAIL: bad/' "$T/report")
exact=$(grep -c -e '^ok: [^ ]*: [0-9]* TCP+UDP flows$' -e '^ok: [^ ]*: [0-9]* TCP+UDP flows (flows60_inner' "$T/report")
echo "$exact of $good good captures give exactly flows60_outer or flows60_inner TCP+UDP records"
fails=$(grep -c '^FAIL' "$T/report")
echo "$(grep -c '^ok' "$T/report") files ok, $fails failed"
[ "$fails" -eq 0 ]
