# bad-captures.sh - truncated and corrupt captures: the flows read so far are
# kept, the error names the file and the packet number, the status is 2; an
# unwritable output leaves nothing behind.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

fixture truncated-file
fixture handshake
"$FLOWPREP" pcap "$T/truncated-file.pcap" "$T/out.csv" 2>"$T/err"
rc=$?
expect_eq "truncated capture: exit status" $rc 2
grep -q "truncated-file.pcap" "$T/err" && grep -qi "packet [0-9]" "$T/err" \
	&& ok "truncated capture: file and packet named" || fail "truncated capture message: $(cat "$T/err")"
[ "$(rows "$T/out.csv")" -ge 1 ] && ok "truncated capture: flows kept" || fail "truncated capture: no flows kept"

printf 'this is not a capture\n' > "$T/text.pcap"
head -c 10 "$T/handshake.pcap" > "$T/short.pcap"
: > "$T/empty.pcap"
for f in text short empty; do
	"$FLOWPREP" pcap -q "$T/$f.pcap" "$T/$f.csv" 2>"$T/err"
	rc=$?
	expect_eq "$f: exit status" $rc 2
	grep -q "$f.pcap" "$T/err" && ok "$f: named in the error" || fail "$f: $(cat "$T/err")"
	expect_eq "$f: header-only output" "$(rows "$T/$f.csv")" 0
done

# Malformed packets are counted under named reasons, never fatal.
fixture malformed
"$FLOWPREP" pcap "$T/malformed.pcap" "$T/m.csv" 2>"$T/err"
expect_eq "malformed packets: exit status" $? 0
grep -q "bad-ip-header" "$T/err" && ok "malformed: reasons in the summary" || fail "summary: $(cat "$T/err")"

# Output in a read-only directory: clear error, nothing left behind.
mkdir "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
	"$FLOWPREP" pcap -q "$T/handshake.pcap" "$T/ro/out.csv" 2>"$T/err"
	expect_eq "read-only output dir: exit status" $? 1
	expect_eq "read-only output dir: empty" "$(ls -A "$T/ro" | wc -l | tr -d ' ')" 0
fi
ls -A "$T" | grep -q '^\.' && fail "hidden temporary files left" || ok "no temporary files left"
finish
