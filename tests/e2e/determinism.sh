# determinism.sh - the same inputs give byte-identical output whatever -j,
# and records come out in input order.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

for f in example handshake ipv6 vlan icmp fragments; do fixture $f; done
inputs="$T/example.pcap $T/handshake.pcap $T/ipv6.pcap $T/vlan.pcap $T/icmp.pcap $T/fragments.pcap"

for ext in csv parquet; do
	"$FLOWPREP" pcap -q -j 1 $inputs "$T/j1.$ext"; expect_eq "-j 1 $ext" $? 0
	"$FLOWPREP" pcap -q -j 2 $inputs "$T/j2.$ext"; expect_eq "-j 2 $ext" $? 0
	"$FLOWPREP" pcap -q -j 4 --batch-rows 7 $inputs "$T/j4.$ext"; expect_eq "-j 4 $ext" $? 0
	cmp -s "$T/j1.$ext" "$T/j2.$ext" && ok "$ext: -j 1 = -j 2" || fail "$ext: -j 1 and -j 2 differ"
	cmp -s "$T/j1.$ext" "$T/j4.$ext" && ok "$ext: -j 1 = -j 4 (small batches)" || fail "$ext: -j 1 and -j 4 differ"
	"$FLOWPREP" pcap -q -j 2 $inputs "$T/again.$ext"
	cmp -s "$T/j2.$ext" "$T/again.$ext" && ok "$ext: repeatable" || fail "$ext: two runs differ"
done

# Input order: the concatenation of single-input outputs (minus headers).
: > "$T/concat.csv"
for f in $inputs; do
	"$FLOWPREP" pcap -q "$f" "$T/one.csv"
	[ -s "$T/concat.csv" ] || head -n 1 "$T/one.csv" > "$T/concat.csv"
	tail -n +2 "$T/one.csv" >> "$T/concat.csv"
done
cmp -s "$T/concat.csv" "$T/j1.csv" && ok "records in input order" || fail "records not in input order"

# Many inputs under a small open-file limit: workers stay a bounded number
# of inputs ahead of the writer, so spill files do not pile up.
many=""
for k in $(seq 1 40); do many="$many $T/handshake.pcap $T/icmp.pcap"; done
(ulimit -n 24 && "$FLOWPREP" pcap -q -j 3 $many "$T/many-j3.csv") 2>"$T/err"
expect_eq "80 inputs, -j 3, 24 open files: status" $? 0
"$FLOWPREP" pcap -q -j 1 $many "$T/many-j1.csv"
cmp -s "$T/many-j1.csv" "$T/many-j3.csv" && ok "80 inputs: -j 3 = -j 1" || fail "80 inputs: outputs differ: $(cat "$T/err")"

# No temporary or spill files are left in the output directory.
left=$(ls -A "$T" | grep -c '^\.' || true)
expect_eq "no hidden files left" "$left" 0
finish
