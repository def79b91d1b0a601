# daemon-lib.sh - helpers for the flowprepd tests (sourced after lib.sh).
#
# start_daemon runs $FLOWPREPD in the background with its log in
# $T/daemon.log; every wait is bounded in time; the EXIT trap kills a
# daemon a failed test left running.

DAEMON_PID=""
DAEMON_RC=""

[ -n "${FLOWPREPD:-}" ] && [ -x "$FLOWPREPD" ] || skip "flowprepd not built"

trap 'if [ -n "$DAEMON_PID" ]; then kill -9 "$DAEMON_PID" 2>/dev/null; fi; rm -rf "$T"' EXIT INT TERM

# write_config FILE SPOOL OUT FORMATS [EXTRA_YAML]
write_config() {
	cat > "$1" <<EOT
spool:
  directory: $2
  after: move
output:
  directory: $3
  formats: $4
  rotate: 1h
${5:-}
EOT
}

start_daemon() {
	"$FLOWPREPD" -c "$1" > "$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_log "running:" 10 || fail "flowprepd did not start: $(cat "$T/daemon.log")"
}

# stop_daemon SECONDS: SIGTERM, wait, DAEMON_RC = its exit status
stop_daemon() {
	kill -TERM "$DAEMON_PID" 2>/dev/null
	i=0
	while kill -0 "$DAEMON_PID" 2>/dev/null && [ $i -lt $(($1 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$DAEMON_PID" 2>/dev/null; then
		fail "flowprepd did not stop in $1 s"
		kill -9 "$DAEMON_PID"
	fi
	wait "$DAEMON_PID"
	DAEMON_RC=$?
	DAEMON_PID=""
	if grep -q "ERROR: AddressSanitizer\|runtime error:" "$T/daemon.log"; then
		fail "sanitizer report in the daemon log"
		cat "$T/daemon.log"
	fi
}

# wait_log TEXT SECONDS: until the daemon log holds TEXT
wait_log() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		grep -q "$1" "$T/daemon.log" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_spool_empty DIR SECONDS: until no capture-named file is left in DIR
wait_spool_empty() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		n=$(find "$1" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.gz' \) ! -name '.*' | wc -l)
		[ "$n" -eq 0 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# sorted_rows FILE.csv: the data rows, sorted (order across flows is not part of the contract)
sorted_rows() { tail -n +2 "$1" | LC_ALL=C sort; }

# parquet_rows FILE: its row count, from flowprep's own reader
parquet_rows() { "$FLOWPREP" peek --schema "$1" | sed -n 's/^rows: \([0-9]*\).*/\1/p'; }
