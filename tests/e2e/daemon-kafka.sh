# daemon-kafka.sh - flowprepd publishing to Kafka: librdkafka's mock
# cluster (tests/kafka/kafka-mock) over loopback, kcat consuming.
#
#   1. every record of the spool files arrives once, equal to the rows of
#      the files the same run wrote (values and count), keyed by the
#      direction-normalized 5-tuple; the metrics count them delivered;
#   2. outage: brokers down mid-run, more captures dropped in; files are
#      complete, records past the (small) queue are counted as dropped,
#      the rest wait; brokers up: the waiting ones and a capture dropped
#      after recovery arrive; produced = delivered + failed + queued and
#      rows = produced + dropped, exactly;
#   3. bad properties are refused at --check-config with librdkafka's
#      words; an unreachable broker at start costs the files nothing and
#      shutdown says what was left within flush_timeout.
# Every wait is bounded.
. "$TOP_SRCDIR/tests/e2e/lib.sh"
. "$TOP_SRCDIR/tests/e2e/daemon-lib.sh"

[ -n "${KCAT:-}" ] || skip "kcat not installed (packaging/install-deps-debian.sh --test)"
[ -x "${KAFKA_MOCK:-}" ] || skip "tests/kafka/kafka-mock not built (make check builds it)"
command -v python3 >/dev/null || skip "python3 not installed (packaging/install-deps-debian.sh --test)"

MOCK_PID=""
trap 'for p in "$DAEMON_PID" "$MOCK_PID"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM

start_mock() {
	rm -f "$T/kafka.addr"
	"$KAFKA_MOCK" -t flows -t outage -p 3 -o "$T/kafka.addr" > /dev/null 2> "$T/mock.log" &
	MOCK_PID=$!
	i=0
	while [ ! -s "$T/kafka.addr" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$T/kafka.addr" ] || fail "kafka-mock did not start: $(cat "$T/mock.log")"
	BROKERS=$(cat "$T/kafka.addr")
}

# consume TOPIC OUT: every message as KEY<tab>VALUE, until the end of each partition
consume() { timeout 30 "$KCAT" -C -b "$BROKERS" -t "$1" -e -q -f '%k\t%s\n' > "$2" 2> "$2.err"; }

# wait_metric NAME VALUE SECONDS
metric() { python3 -c "import urllib.request,sys; print(urllib.request.urlopen('http://127.0.0.1:$port/metrics', timeout=5).read().decode())" | sed -n "s/^flowprep_$1 //p"; }
wait_metric() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		[ "$(metric "$1")" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# check_records KAFKA_LINES CSV...: the consumed records equal the CSV rows
# (with SUBSET=1: every CSV row is among them)
# (each value parsed as JSON; numbers as numbers, addresses as strings)
# and each key is the documented 5-tuple text of its record.
check_records() {
	python3 - "$@" <<'EOF'
import csv, ipaddress, json, os, sys
lines, files = sys.argv[1], sys.argv[2:]
want = []
for f in files:
    with open(f, newline="") as fh:
        want += list(csv.DictReader(fh))
got, problems = [], []
for n, line in enumerate(open(lines, encoding="utf-8"), 1):
    key, _, value = line.rstrip("\n").partition("\t")
    try:
        rec = json.loads(value)
    except ValueError as e:
        problems.append(f"message {n}: not JSON: {e}")
        continue
    ends = sorted([(ipaddress.ip_address(rec["src_ip"]), rec["src_port"]),
                   (ipaddress.ip_address(rec["dest_ip"]), rec["dest_port"])],
                  key=lambda e: (e[0].version, int(e[0]), e[1]))
    expect_key = f'{rec["protocol"]} {ends[0][0]} {ends[0][1]} {ends[1][0]} {ends[1][1]}'
    if key != expect_key:
        problems.append(f"message {n}: key {key!r}, expected {expect_key!r}")
    if not all(isinstance(rec[c], int) for c in ("timestamp", "src_port", "fwd_bytes", "protocol")):
        problems.append(f"message {n}: numbers are not JSON numbers: {value}")
    got.append(rec)
def norm(r):
    return tuple((k, float(v) if k == "flow_dur" else str(v)) for k, v in sorted(r.items()))
a = sorted(norm(r) for r in got)
b = sorted(norm({k: (int(v) if k != "flow_dur" and v.lstrip("-").isdigit() else v) for k, v in r.items()}) for r in want)
if os.environ.get("SUBSET"):
    missing = [x for x in b if x not in a]
    if missing:
        problems.append(f"{len(missing)} file rows not consumed, e.g. {missing[:1]}")
elif len(got) != len(want):
    problems.append(f"{len(got)} records consumed, {len(want)} rows in the files")
elif a != b:
    diff = [x for x in a if x not in b][:2]
    problems.append(f"records differ from the file rows, e.g. {diff}")
for p in problems[:5]:
    print(p)
print(f"{len(got)} records")
sys.exit(1 if problems else 0)
EOF
}

mkdir -p "$T/spool" "$T/out" "$T/src"
for f in handshake ipv6 vlan example fragments; do
	"$MAKE_FIXTURES" "$f" "$T/src/$f.pcap" >/dev/null || fail "make-fixtures $f"
done
start_mock
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# ---------------------------------------------------------------- 1. records
write_config "$T/flowprepd.yaml" "$T/spool" "$T/out" "[parquet, csv]" "metrics:
  listen: 127.0.0.1:$port
kafka:
  brokers: $BROKERS
  topic: flows
  properties:
    linger.ms: 20
    compression.type: lz4"
"$FLOWPREPD" -c "$T/flowprepd.yaml" --check-config >/dev/null 2>&1 && ok "kafka config is valid" ||
	fail "kafka config refused: $("$FLOWPREPD" -c "$T/flowprepd.yaml" --check-config 2>&1)"
start_daemon "$T/flowprepd.yaml"
for f in handshake ipv6 vlan example fragments; do cp "$T/src/$f.pcap" "$T/spool/"; done
wait_spool_empty "$T/spool" 30 || fail "spool not drained: $(ls "$T/spool")"
csvs=$(find "$T/out" -name '*.csv' | sort)
total=0
for c in $csvs; do total=$((total + $(rows "$c"))); done
[ "$total" -gt 10 ] && ok "files: $total rows" || fail "files: only $total rows"
wait_metric kafka_records_delivered_total "$total" 15 && ok "metrics: $total records delivered" ||
	fail "metrics: delivered $(metric kafka_records_delivered_total), want $total"
expect_eq "metrics: none failed" "$(metric kafka_records_failed_total)" 0
expect_eq "metrics: none dropped" "$(metric kafka_records_dropped_total)" 0
consume flows "$T/flows.kafka"
if out=$(check_records "$T/flows.kafka" $csvs); then ok "kcat: records equal the file rows, keys as documented ($out)"
else fail "kcat: $out"; fi
for p in $(find "$T/out" -name '*.parquet'); do
	expect_eq "parquet $(basename "$p") rows" "$(parquet_rows "$p")" "$(rows "${p%.parquet}.csv")"
done
stop_daemon 20
expect_eq "clean stop" "$DAEMON_RC" 0
grep -q "kafka: $total records delivered, 0 failed, 0 dropped, 0 left" "$T/daemon.log" &&
	ok "shutdown reports the totals" || fail "shutdown line: $(grep 'kafka:' "$T/daemon.log" | tail -n 2)"

# ---------------------------------------------------------------- 2. outage
rm -rf "$T/out" "$T/spool"
mkdir -p "$T/out" "$T/spool"
write_config "$T/flowprepd.yaml" "$T/spool" "$T/out" "[csv]" "metrics:
  listen: 127.0.0.1:$port
kafka:
  brokers: $BROKERS
  topic: outage
  flush_timeout: 20s
  properties:
    queue.buffering.max.messages: 20
    message.timeout.ms: 120000
    linger.ms: 5"
start_daemon "$T/flowprepd.yaml"
cp "$T/src/handshake.pcap" "$T/spool/"
wait_spool_empty "$T/spool" 30 || fail "outage: first capture not metered"
before=$(rows "$(find "$T/out" -name '*handshake*.csv')")
wait_metric kafka_records_delivered_total "$before" 15 && ok "outage: $before delivered before the outage" ||
	fail "outage: delivered $(metric kafka_records_delivered_total) before, want $before"
kill -USR1 "$MOCK_PID"
sleep 1
for f in example vlan; do cp "$T/src/$f.pcap" "$T/spool/"; done
wait_spool_empty "$T/spool" 30 && ok "outage: capture goes on with the brokers down" || fail "outage: spool stuck"
during=0
for f in example vlan; do
	c=$(find "$T/out" -name "*_spool_$f.pcap_*.csv")
	[ -n "$c" ] && during=$((during + $(rows "$c"))) || fail "outage: no file for $f"
done
[ "$during" -gt 20 ] && ok "outage: files complete ($during rows) while brokers are down" ||
	fail "outage: only $during rows written (need more than the queue of 20)"
dropped=$(metric kafka_records_dropped_total)
produced=$(metric kafka_records_produced_total)
[ "${dropped:-0}" -gt 0 ] && ok "outage: $dropped records dropped past the queue bound" || fail "outage: nothing dropped"
expect_eq "outage: rows = produced + dropped" "$((before + during))" "$((produced + dropped))"
kill -USR2 "$MOCK_PID"
# The queue drains first (librdkafka reconnects with its own backoff);
# records arriving while it is still full would be dropped, as they should.
wait_metric kafka_queued 0 30 && ok "recovery: the queued records went out" ||
	fail "recovery: still queued: $(metric kafka_queued)"
cp "$T/src/ipv6.pcap" "$T/spool/"
wait_spool_empty "$T/spool" 30 || fail "outage: ipv6 capture not metered after recovery"
after=$(rows "$(find "$T/out" -name '*ipv6*.csv')")
produced=$(metric kafka_records_produced_total)
wait_metric kafka_records_delivered_total "$produced" 30 && ok "recovery: all $produced produced are delivered" ||
	fail "recovery: delivered $(metric kafka_records_delivered_total) of $produced, failed $(metric kafka_records_failed_total)"
expect_eq "recovery: nothing failed" "$(metric kafka_records_failed_total)" 0
expect_eq "recovery: nothing queued" "$(metric kafka_queued)" 0
consume outage "$T/outage.kafka"
expect_eq "recovery: kcat sees every produced record" "$(wc -l < "$T/outage.kafka" | tr -d ' ')" "$produced"
if out=$(SUBSET=1 check_records "$T/outage.kafka" "$(find "$T/out" -name '*ipv6*.csv')"); then
	ok "recovery: the $after records of the capture dropped after recovery arrived ($out)"
else fail "recovery: $out"; fi
grep -q "kafka: topic outage: records dropped" "$T/daemon.log" && ok "drops are logged" || fail "drops not logged"
[ "$(grep -c 'records dropped' "$T/daemon.log")" -le 2 ] && ok "drop log is rate-limited" ||
	fail "drop log not rate-limited: $(grep -c 'records dropped' "$T/daemon.log") lines"
stop_daemon 30
expect_eq "outage: clean stop" "$DAEMON_RC" 0

# ------------------------------------------------------- 3. configuration
write_config "$T/bad.yaml" "$T/spool" "$T/out" "[csv]" "kafka:
  brokers: $BROKERS
  topic: flows
  properties:
    compression.type: nope"
msg=$("$FLOWPREPD" -c "$T/bad.yaml" --check-config 2>&1) && fail "bad value accepted" ||
	{ echo "$msg" | grep -q 'bad.yaml:[0-9]*:[0-9]*: kafka.properties.compression.type: .*Invalid value "nope"' &&
		ok "bad property value: $msg" || fail "bad value message: $msg"; }
sed -i 's/compression.type: nope/no.such.property: 1/' "$T/bad.yaml"
msg=$("$FLOWPREPD" -c "$T/bad.yaml" --check-config 2>&1) && fail "unknown property accepted" ||
	{ echo "$msg" | grep -q 'kafka.properties.no.such.property: .*No such configuration property' &&
		ok "unknown property: $msg" || fail "unknown property message: $msg"; }
write_config "$T/bad.yaml" "$T/spool" "$T/out" "[csv]" "kafka:
  topic: flows"
msg=$("$FLOWPREPD" -c "$T/bad.yaml" --check-config 2>&1) && fail "missing brokers accepted" ||
	{ echo "$msg" | grep -q 'kafka.brokers: required key is missing' && ok "missing brokers: $msg" ||
		fail "missing brokers message: $msg"; }

rm -rf "$T/out" "$T/spool"
mkdir -p "$T/out" "$T/spool"
write_config "$T/flowprepd.yaml" "$T/spool" "$T/out" "[csv]" "kafka:
  brokers: 127.0.0.1:1
  topic: flows
  flush_timeout: 2s"
start_daemon "$T/flowprepd.yaml"
cp "$T/src/example.pcap" "$T/spool/"
wait_spool_empty "$T/spool" 30 && ok "unreachable broker: the spool is metered" || fail "unreachable broker: spool stuck"
c=$(find "$T/out" -name '*example*.csv')
[ -n "$c" ] && [ "$(rows "$c")" -gt 0 ] && ok "unreachable broker: file written ($(rows "$c") rows)" ||
	fail "unreachable broker: no file"
t0=$(date +%s)
stop_daemon 20
t1=$(date +%s)
expect_eq "unreachable broker: clean stop" "$DAEMON_RC" 0
[ $((t1 - t0)) -le 8 ] && ok "shutdown waited about flush_timeout ($((t1 - t0)) s)" || fail "shutdown took $((t1 - t0)) s"
grep -q "kafka: $(rows "$c") records not delivered within 2000 ms" "$T/daemon.log" &&
	ok "shutdown says what was left" || fail "shutdown message: $(grep kafka "$T/daemon.log" | tail -n 3)"

kill -TERM "$MOCK_PID" 2>/dev/null
wait "$MOCK_PID" 2>/dev/null
MOCK_PID=""
finish
