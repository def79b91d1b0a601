# kafka-cli.sh - `flowprep pcap --kafka`: records published to librdkafka's
# mock cluster (tests/kafka/kafka-mock) over loopback equal the rows of
# the file the same run wrote; keys are the direction-normalized 5-tuple;
# a feature set's columns travel too; compressed batches (gzip, lz4,
# zstd, snappy) deliver the same records; kafkajs, a second client that
# shares no code with librdkafka, agrees with kcat (and proves that lz4
# batches really were compressed, by failing on them without a codec);
# options are judged before any input is read; an unreachable broker
# costs the file nothing and fails the run with a count. Bounded waits.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

[ -n "${KCAT:-}" ] || skip "kcat not installed (packaging/install-deps-debian.sh --test)"
[ -x "${KAFKA_MOCK:-}" ] || skip "tests/kafka/kafka-mock not built (make check builds it)"

MOCK_PID=""
trap '[ -n "$MOCK_PID" ] && kill -9 "$MOCK_PID" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
"$KAFKA_MOCK" -t flows -t cic -t gzip -t lz4 -t zstd -t snappy -t nokey -p 4 -o "$T/addr" >/dev/null 2>"$T/mock.log" &
MOCK_PID=$!
i=0
while [ ! -s "$T/addr" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/addr" ] || { fail "kafka-mock did not start: $(cat "$T/mock.log")"; finish; }
B=$(cat "$T/addr")

fixture example
fixture ipv6
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/ex.csv" || fail "ex.csv"
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/ex.jsonl" || fail "ex.jsonl"
LC_ALL=C sort "$T/ex.jsonl" > "$T/want-ex"

# consume TOPIC OUT: KEY<tab>VALUE per message, to the end of each partition
consume() { timeout 30 "$KCAT" -C -b "$B" -t "$1" -e -q -f '%k\t%s\n' > "$2" 2> "$2.err"; }
values() { cut -f2- "$1" | LC_ALL=C sort; }

# ------------------------------------------------- records equal the file
"$FLOWPREP" pcap -q --kafka "$B" --topic flows --kafka-property linger.ms=20 \
	"$T/example.pcap" "$T/ipv6.pcap" "$T/flows.jsonl" --json-summary "$T/summary.json"
rc=$?
expect_eq "publish: exit status" "$rc" 0
consume flows "$T/flows.kafka"
n=$(wc -l < "$T/flows.jsonl" | tr -d ' ')
[ "$n" -gt 100 ] && ok "file: $n records" || fail "file: only $n records"
expect_eq "kcat: as many records as the file" "$(wc -l < "$T/flows.kafka" | tr -d ' ')" "$n"
LC_ALL=C sort "$T/flows.jsonl" > "$T/want"
values "$T/flows.kafka" > "$T/got"
cmp -s "$T/want" "$T/got" && ok "kcat: values equal the file's JSON lines" || fail "kcat: values differ from the file"
grep -q "\"delivered\": $n," "$T/summary.json" && ok "--json-summary: $n delivered" ||
	fail "json summary: $(grep kafka "$T/summary.json")"

# Keys: "PROTO LOW_ADDR LOW_PORT HIGH_ADDR HIGH_PORT", lower endpoint first.
bad_keys=$(awk -F'\t' '{
	v = $2
	split("src_ip dest_ip src_port dest_port protocol", names, " ")
	for (i = 1; i <= 5; i++) {
		pat = "\"" names[i] "\":\"?[^,\"}]*"
		if (match(v, pat)) { s = substr(v, RSTART, RLENGTH); sub(/^"[a-z_]*":"?/, "", s); f[names[i]] = s }
	}
	a = f["src_ip"] " " f["src_port"]; b = f["dest_ip"] " " f["dest_port"]
	k1 = f["protocol"] " " a " " b; k2 = f["protocol"] " " b " " a
	if ($1 != k1 && $1 != k2) { print "key " $1 " fits neither direction of " v; exit }
}' "$T/flows.kafka")
[ -z "$bad_keys" ] && ok "keys name the record's 5-tuple" || fail "$bad_keys"
# The lower endpoint first: a DNS answer's key starts with the server.
grep -q '^17 192.168.1.1 53 192.168.1.25 ' "$T/flows.kafka" &&
	ok "key is direction-normalized (17 192.168.1.1 53 192.168.1.25 ...)" ||
	fail "no normalized DNS key: $(grep '"dest_port":53,' "$T/flows.kafka" | head -n 1)"
grep -q '^58 2001:db8::1 ' "$T/flows.kafka" && ok "IPv6 keys in RFC 5952 text" ||
	fail "IPv6 key: $(grep '2001:db8' "$T/flows.kafka" | head -n 1 | cut -f1)"

# Without a key.
"$FLOWPREP" pcap -q --kafka "$B" --topic nokey --kafka-key none "$T/example.pcap"
expect_eq "no OUTPUT, --kafka-key none: exit status" "$?" 0
consume nokey "$T/nokey.kafka"
expect_eq "no OUTPUT: every record published" "$(wc -l < "$T/nokey.kafka" | tr -d ' ')" "$(rows "$T/ex.csv")"
[ -z "$(cut -f1 "$T/nokey.kafka" | sort -u)" ] && ok "--kafka-key none: no keys" || fail "keys present with none"

# ------------------------------------------------- a feature set
"$FLOWPREP" pcap -q --features cic --kafka "$B" --topic cic "$T/example.pcap" "$T/cic.jsonl"
expect_eq "cic: exit status" "$?" 0
consume cic "$T/cic.kafka"
LC_ALL=C sort "$T/cic.jsonl" > "$T/want-cic"
values "$T/cic.kafka" > "$T/got-cic"
cmp -s "$T/want-cic" "$T/got-cic" && ok "cic: Kafka carries the feature set's records" || fail "cic: values differ"
head -n 1 "$T/cic.kafka" | grep -q '"flow_iat_mean"\|"Flow IAT Mean"\|"fwd_iat' && ok "cic: its columns are there" ||
	fail "cic: columns missing: $(head -c 300 "$T/cic.kafka")"

# ------------------------------------------------- compression
for codec in gzip lz4 zstd snappy; do
	"$FLOWPREP" pcap -q --kafka "$B" --topic "$codec" --kafka-property "compression.type=$codec" \
		--kafka-property linger.ms=100 --kafka-property batch.num.messages=1000 "$T/example.pcap"
	expect_eq "$codec: exit status" "$?" 0
	consume "$codec" "$T/$codec.kafka"
	values "$T/$codec.kafka" > "$T/got-$codec"
	cmp -s "$T/want-ex" "$T/got-$codec" && ok "$codec: the same records" || fail "$codec: records differ"
done

# ------------------------------------------------- kafkajs agrees
if [ -z "${NODE:-}" ] || [ ! -d "$TOP_SRCDIR/tests/kafka/node_modules/kafkajs" ]; then
	echo "SKIP (part): kafkajs is not installed (packaging/install-deps-debian.sh --test runs npm ci in tests/kafka)"
else
	"$NODE" "$TOP_SRCDIR/tests/kafka/consume.mjs" "$B" flows "$n" 30 > "$T/flows.js" 2> "$T/js.err"
	expect_eq "kafkajs: exit status" "$?" 0
	LC_ALL=C sort "$T/flows.js" > "$T/js-sorted"
	LC_ALL=C sort "$T/flows.kafka" > "$T/kc-sorted"
	cmp -s "$T/js-sorted" "$T/kc-sorted" && ok "kafkajs agrees with kcat (keys and values, $n records)" ||
		fail "kafkajs and kcat differ: $(diff "$T/js-sorted" "$T/kc-sorted" | head -n 3)"
	m=$(wc -l < "$T/gzip.kafka" | tr -d ' ')
	"$NODE" "$TOP_SRCDIR/tests/kafka/consume.mjs" "$B" gzip "$m" 30 > "$T/gzip.js" 2>> "$T/js.err"
	LC_ALL=C sort "$T/gzip.js" > "$T/gzip.js.sorted"
	LC_ALL=C sort "$T/gzip.kafka" | cmp -s - "$T/gzip.js.sorted" &&
		ok "kafkajs decodes the gzip batches to the same records" || fail "kafkajs gzip: differs"
	# kafkajs has no lz4 codec here: reading the topic fails, so the
	# batches on the broker really are lz4-compressed (librdkafka skips
	# compression when it does not pay).
	"$NODE" "$TOP_SRCDIR/tests/kafka/consume.mjs" "$B" lz4 1 10 > /dev/null 2> "$T/js-lz4.err"
	[ $? -ne 0 ] && grep -q "LZ4" "$T/js-lz4.err" &&
		ok "lz4 batches are compressed on the broker (kafkajs: $(cat "$T/js-lz4.err"))" ||
		fail "kafkajs read lz4 without a codec, or failed otherwise: $(cat "$T/js-lz4.err")"
fi

# ------------------------------------------------- options
msg=$("$FLOWPREP" pcap --kafka "$B" "$T/example.pcap" 2>&1)
expect_eq "--kafka without --topic: status" "$?" 1
echo "$msg" | grep -q "needs --topic" && ok "--kafka without --topic: $msg" || fail "message: $msg"
msg=$("$FLOWPREP" pcap --topic x "$T/example.pcap" "$T/o.csv" 2>&1)
expect_eq "--topic without --kafka: status" "$?" 1
msg=$("$FLOWPREP" pcap --kafka "$B" --topic x --kafka-property compression.type=nope "$T/missing.pcap" 2>&1)
expect_eq "bad property: status" "$?" 1
echo "$msg" | grep -q 'compression.type=nope: Invalid value "nope"' && ok "bad property, in librdkafka's words" ||
	fail "bad property message: $msg"
echo "$msg" | grep -q "missing.pcap" && fail "an input was opened before the options were judged" ||
	ok "judged before any input is read"
msg=$("$FLOWPREP" pcap --kafka "$B" --topic x --kafka-property no.such=1 "$T/example.pcap" 2>&1)
echo "$msg" | grep -q 'No such configuration property' && ok "unknown property: $msg" || fail "unknown property: $msg"
msg=$("$FLOWPREP" pcap --kafka "$B" --topic x --kafka-key src "$T/example.pcap" 2>&1)
expect_eq "bad --kafka-key: status" "$?" 1

# ------------------------------------------------- unreachable broker
msg=$("$FLOWPREP" pcap -q --kafka 127.0.0.1:1 --topic x --kafka-property message.timeout.ms=1500 \
	"$T/example.pcap" "$T/unreachable.csv" 2>&1)
rc=$?
expect_eq "unreachable broker: status" "$rc" 1
[ -f "$T/unreachable.csv" ] && expect_eq "unreachable broker: the file is complete" "$(rows "$T/unreachable.csv")" \
	"$(rows "$T/ex.csv")" || fail "unreachable broker: no file"
echo "$msg" | grep -q "$(rows "$T/ex.csv") of $(rows "$T/ex.csv") records were not delivered" &&
	ok "unreachable broker: the count is reported" || fail "unreachable broker message: $msg"

kill -TERM "$MOCK_PID" 2>/dev/null
wait "$MOCK_PID" 2>/dev/null
MOCK_PID=""
finish
