# daemon-crash.sh - SIGKILL at random moments while spool files are being
# metered, restarting each time: in the end every spool file is in done/ or
# failed/, each one's flows are in the output exactly once, and every file
# under a final name is complete (reads with our reader). Bounded: a fixed
# number of kills, each wait bounded in time.
. "$TOP_SRCDIR/tests/e2e/lib.sh"
. "$TOP_SRCDIR/tests/e2e/daemon-lib.sh"

KILLS=${KILLS:-12}
mkdir -p "$T/spool" "$T/out" "$T/src"
write_config "$T/flowprepd.yaml" "$T/spool" "$T/out" "[parquet, csv]"
n=0
for f in example handshake ipv6 vlan icmp fragments active-split idle-split; do
	"$MAKE_FIXTURES" "$f" "$T/src/$f.pcap" >/dev/null || fail "make-fixtures $f"
done
# Several copies of the bigger ones, so kills land in the middle of work.
for k in 1 2 3 4 5 6; do cp "$T/src/example.pcap" "$T/src/example$k.pcap"; done
cp "$T/src/"*.pcap "$T/spool/"
total=$(ls "$T/spool" | grep -c '\.pcap$')

seed=7
for round in $(seq 1 "$KILLS"); do
	"$FLOWPREPD" -c "$T/flowprepd.yaml" >> "$T/daemon.log" 2>&1 &
	pid=$!
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	sleep "0.$(printf '%03d' $((seed % 400 + 20)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$((n + 1))
done
ok "$n kills"

# A last run that is allowed to finish.
start_daemon "$T/flowprepd.yaml"
wait_spool_empty "$T/spool" 60 || fail "spool not drained after the kills: $(ls "$T/spool")"
stop_daemon 30

done_n=$(ls "$T/spool/done" | grep -c '\.pcap$')
failed_n=$(ls "$T/spool/failed" | grep -c '\.pcap$')
expect_eq "every spool file in done/ or failed/" "$((done_n + failed_n))" "$total"
expect_eq "none failed" "$failed_n" 0

for f in "$T/src/"*.pcap; do
	b=$(basename "$f")
	outs=$(find "$T/out" -name "*_spool_${b}_*.csv" | wc -l | tr -d ' ')
	if [ "$outs" != 1 ]; then
		fail "$b: $outs CSV outputs (want exactly 1)"
		continue
	fi
	out=$(find "$T/out" -name "*_spool_${b}_*.csv")
	"$FLOWPREP" pcap -q "$f" "$T/want.csv" 2>/dev/null
	sorted_rows "$T/want.csv" > "$T/want.rows"
	sorted_rows "$out" > "$T/got.rows"
	cmp -s "$T/want.rows" "$T/got.rows" || fail "$b: rows differ from flowprep pcap's"
	pq="${out%.csv}.parquet"
	expect_eq "$b: Parquet complete and equal in rows" "$(parquet_rows "$pq")" "$(rows "$out")"
done
left=$(find "$T/out" -name '.*' -type f | wc -l | tr -d ' ')
expect_eq "no temporary files left after the last clean stop" "$left" 0
finish
