# cli.sh - the command line: help, version, bad options and arguments give a
# clear message on stderr and exit status 1.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

"$FLOWPREP" --help >"$T/out" 2>&1; expect_eq "--help exits 0" $? 0
grep -q "pcap INPUT" "$T/out" && ok "--help lists pcap" || fail "--help lists pcap"
"$FLOWPREP" pcap --help >"$T/out" 2>&1; expect_eq "pcap --help exits 0" $? 0
grep -q -- "--idle-timeout" "$T/out" && ok "pcap --help lists --idle-timeout" || fail "pcap --help"
"$FLOWPREP" peek --help >/dev/null 2>&1; expect_eq "peek --help exits 0" $? 0
"$FLOWPREP" --version >"$T/out" 2>&1; expect_eq "--version exits 0" $? 0
grep -q "^flowprep [0-9]" "$T/out" && ok "--version prints it" || fail "--version prints it"

check_usage_error() {
	name=$1; want=$2; shift 2
	"$FLOWPREP" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	expect_eq "$name: exit status" "$rc" 1
	grep -q -- "$want" "$T/err" && ok "$name: message" || fail "$name: stderr lacks '$want': $(cat "$T/err")"
}

fixture handshake
check_usage_error "no command" "Usage" 
check_usage_error "unknown command" "unknown command" frobnicate
check_usage_error "pcap without output" "need at least one INPUT" pcap "$T/handshake.pcap"
check_usage_error "unknown output format" "cannot tell the format" pcap "$T/handshake.pcap" "$T/out.txt"
check_usage_error "bad idle timeout" "idle-timeout" pcap --idle-timeout=-5 "$T/handshake.pcap" "$T/o.csv"
check_usage_error "bad idle unit" "idle-timeout" pcap --idle-timeout=5y "$T/handshake.pcap" "$T/o.csv"
check_usage_error "bad jobs" "jobs" pcap -j 0 "$T/handshake.pcap" "$T/o.csv"
check_usage_error "bad bytes mode" "bytes" pcap --bytes=bits "$T/handshake.pcap" "$T/o.csv"
check_usage_error "bad compression" "compression" pcap --compression=lzo "$T/handshake.pcap" "$T/o.parquet"
check_usage_error "unknown option" "Try 'flowprep pcap --help'" pcap --frobnicate "$T/handshake.pcap" "$T/o.csv"
# Bad values: the message names the option, then says what is wrong with the
# value in the words lib/parse-value uses for the daemon's configuration too.
check_usage_error "duration junk" "flowprep pcap: error: --idle-timeout: '5x' is not a duration (use e.g. 500ms, 60s, 5m, 1h)" \
	pcap --idle-timeout 5x "$T/handshake.pcap" "$T/o.csv"
check_usage_error "negative duration" "--active-timeout: '-1s' is not a duration: durations cannot be negative" \
	pcap --active-timeout=-1s "$T/handshake.pcap" "$T/o.csv"
check_usage_error "zero duration" "--idle-timeout: the idle timeout must be more than 0" \
	pcap --idle-timeout 0 "$T/handshake.pcap" "$T/o.csv"
check_usage_error "empty duration" "--idle-timeout: '' is not a duration" pcap --idle-timeout= "$T/handshake.pcap" "$T/o.csv"
check_usage_error "duration overflow" "--active-timeout: '9999999999h' is too long a duration" \
	pcap --active-timeout 9999999999h "$T/handshake.pcap" "$T/o.csv"
check_usage_error "max-flows zero" "--max-flows: '0' is out of range (use 1 to 1000000000)" \
	pcap --max-flows 0 "$T/handshake.pcap" "$T/o.csv"
check_usage_error "max-flows junk" "--max-flows: 'many' is not a count" pcap --max-flows many "$T/handshake.pcap" "$T/o.csv"
check_usage_error "bytes names the modes" "--bytes: 'bits' is not one of ip, frame, payload" \
	pcap --bytes bits "$T/handshake.pcap" "$T/o.csv"
check_usage_error "codec it cannot write" "--compression: 'lzo' is not one of zstd, snappy, gzip, none" \
	pcap --compression lzo "$T/handshake.pcap" "$T/o.parquet"
check_usage_error "row group too large" "--row-group-rows: '200M' is out of range" \
	pcap --row-group-rows 200M "$T/handshake.pcap" "$T/o.parquet"
check_usage_error "jobs junk" "--jobs: '2x' is not a count" pcap -j 2x "$T/handshake.pcap" "$T/o.csv"
check_usage_error "format name" "--format: 'xml' is not one of csv, parquet" pcap --format xml "$T/handshake.pcap" "$T/o.csv"
# Good values in every spelling still work; a short idle timeout brings the
# TCP close linger down with it instead of being refused.
"$FLOWPREP" pcap -q --idle-timeout 500ms --active-timeout 1.5h --tcp-close --max-flows 1k --bytes FRAME \
	--compression Uncompressed --row-group-rows 64k "$T/handshake.pcap" "$T/good.parquet" 2>"$T/err"
expect_eq "good values in every spelling: exit status" $? 0
check_usage_error "output directory missing" "$T/nodir/o.csv" pcap "$T/handshake.pcap" "$T/nodir/o.csv"
check_usage_error "peek missing file" "$T/missing.parquet" peek "$T/missing.parquet"
check_usage_error "peek bad -n" "-n" peek -n lots "$T/handshake.pcap"
[ ! -e "$T/o.csv" ] && ok "no output left after usage errors" || fail "an output file was left behind"

# A missing input is an input error: the output is still written (empty), status 2.
"$FLOWPREP" pcap -q "$T/missing.pcap" "$T/handshake.pcap" "$T/o.csv" 2>"$T/err"
expect_eq "missing input: exit status" $? 2
grep -q "missing.pcap" "$T/err" && ok "missing input named" || fail "missing input not named: $(cat "$T/err")"
expect_eq "missing input: other input's flows kept" "$(rows "$T/o.csv")" 1

# The summary paragraph appears without -q, and not with it.
"$FLOWPREP" pcap "$T/handshake.pcap" "$T/o.csv" 2>"$T/err"
grep -q "packets" "$T/err" && grep -q "flows* written" "$T/err" && ok "summary printed" || fail "summary: $(cat "$T/err")"
"$FLOWPREP" pcap -q "$T/handshake.pcap" "$T/o.csv" 2>"$T/err"
expect_eq "-q is quiet" "$(wc -c < "$T/err" | tr -d ' ')" 0

# On a terminal the progress line appears on stderr (script(1) gives us a
# pseudo-terminal); with -q it does not.
if command -v script >/dev/null 2>&1; then
	fixture example
	script -qec "'$FLOWPREP' pcap --batch-rows 1 '$T/example.pcap' '$T/tty.csv'" /dev/null > "$T/tty" 2>&1
	grep -q "packets/s, .* active flows, .* flows written" "$T/tty" && ok "progress line on a terminal" \
		|| fail "no progress line on a terminal: $(cat -v "$T/tty" | head -c 600)"
	script -qec "'$FLOWPREP' pcap -q '$T/example.pcap' '$T/tty.csv'" /dev/null > "$T/tty" 2>&1
	expect_eq "-q: nothing on a terminal" "$(wc -c < "$T/tty" | tr -d ' ')" 0
else
	echo "note: script(1) not found, progress on a terminal not tested"
fi

# Refuses to overwrite an input with the output.
"$FLOWPREP" pcap -q --format csv "$T/handshake.pcap" "$T/handshake.pcap" 2>"$T/err"
expect_eq "output = input refused" $? 1
"$FLOWPREP" pcap -q "$T/handshake.pcap" "$T/again.csv" && ok "input intact after refusal" || fail "input damaged"
finish
