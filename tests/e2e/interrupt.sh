# interrupt.sh - SIGINT/SIGTERM during a run (issue 17): the hidden temporary
# file goes, nothing is published, and the status is 130/143; with
# --publish-on-interrupt the flows so far are published (still 130).
. "$TOP_SRCDIR/tests/e2e/lib.sh"

fixture example
mkfifo "$T/feed"

# interrupted SIGNAL STATUS OUTPUT [OPTIONS]: a run reading a capture from a
# pipe that stays open is sent SIGNAL once its packets are in.
interrupted() {
	sig=$1; want=$2; out=$3; shift 3
	"$FLOWPREP" pcap -q "$@" - "$out" < "$T/feed" 2>"$T/err" &
	pid=$!
	exec 3>"$T/feed"
	cat "$T/example.pcap" >&3
	sleep 1
	kill -s "$sig" $pid
	wait $pid
	rc=$?
	exec 3>&-
	[ "$rc" != "$want" ] && crashed $rc && fail "$sig: crashed ($rc): $(cat "$T/err")"
	expect_eq "$sig: exit status" $rc "$want"
}

interrupted INT 130 "$T/int.csv"
[ ! -e "$T/int.csv" ] && ok "INT: nothing published" || fail "INT: output published"
interrupted TERM 143 "$T/term.parquet"
[ ! -e "$T/term.parquet" ] && ok "TERM: nothing published" || fail "TERM: output published"
interrupted INT 130 "$T/kept.csv" --publish-on-interrupt
[ -e "$T/kept.csv" ] && [ "$(rows "$T/kept.csv")" -gt 0 ] && ok "--publish-on-interrupt: flows published" \
	|| fail "--publish-on-interrupt: $(cat "$T/err")"
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/whole.csv"
expect_eq "--publish-on-interrupt: every flow ended" "$(rows "$T/kept.csv")" "$(rows "$T/whole.csv")"

ls -a "$T" | grep -q '\.tmp-' && fail "temporary files left: $(ls -a "$T")" || ok "no temporary file left"
finish
