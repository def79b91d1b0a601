# kafka-bench.sh - `make bench-kafka` (also part of `make bench`): what
# publishing every record to Kafka costs `flowprep pcap`.
#
# On the `medium` capture (gen-pcap: 2 M packets, ~100 k flow records),
# median of BENCH_RUNS interleaved runs of
#   off:    flowprep pcap medium.pcap out.parquet
#   kafka:  the same with --kafka to librdkafka's mock cluster on loopback
#           (tests/kafka/kafka-mock), linger.ms=50, compression.type=lz4
#   only:   --kafka without an output file
# printing packets/s and records/s of each and Kafka's cost in packet
# throughput (target: under 25 %). Every Kafka run must deliver every
# record (flowprep exits 1 otherwise, and runstat reports the failure).
#
# Run from the build tree (make bench-kafka does); needs $SHARED_DIR for
# gen-pcap (skipped with a message without it) and a build without
# sanitizers for meaningful figures.
set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
build=$(pwd)
SHARED_DIR=${SHARED_DIR:-$srcdir/../shared}
BENCH_RUNS=${BENCH_RUNS:-3}
flowprep=$build/flowprep
runstat=$build/tests/bench/runstat
mock=$build/tests/kafka/kafka-mock
data=$build/tests/bench/data
out=$build/tests/bench/out-kafka

die() { echo "bench-kafka: $*" >&2; exit 1; }
kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

if [ ! -x "$SHARED_DIR/bench/gen-pcap" ]; then
	echo "bench-kafka: SKIPPED: $SHARED_DIR/bench/gen-pcap not found; set SHARED_DIR to the shared folder"
	exit 0
fi
for p in "$flowprep" "$runstat" "$mock"; do [ -x "$p" ] || die "$p not built (make bench-kafka builds it)"; done
if nm "$flowprep" 2>/dev/null | grep -q '__asan_init'; then
	echo "bench-kafka: WARNING: flowprep is built with sanitizers: the figures are meaningless" >&2
fi
mkdir -p "$data" "$out" || die "cannot create $data"

# The same capture run.sh measures (cached in tests/bench/data).
args="--flows 80000 --packets 2000000 --duration 5400 --seed 2"
if [ ! -f "$data/medium.pcap" ] || [ "$(cat "$data/medium.pcap.args" 2>/dev/null)" != "$args" ]; then
	echo "bench-kafka: generating medium.pcap: gen-pcap $args" >&2
	# shellcheck disable=SC2086
	"$SHARED_DIR/bench/gen-pcap" -q $args --truth "$data/medium.pcap.truth.json" "$data/medium.pcap.tmp" &&
		mv "$data/medium.pcap.tmp" "$data/medium.pcap" && echo "$args" > "$data/medium.pcap.args" ||
		die "gen-pcap failed"
fi
cap=$data/medium.pcap
packets=2000000

rm -f "$out/addr"	# a stale one would point at a mock that is gone
"$mock" -t bench -p 4 -o "$out/addr" >/dev/null 2>"$out/mock.log" &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null' EXIT INT TERM
i=0
while [ ! -s "$out/addr" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$out/addr" ] || die "kafka-mock did not start: $(cat "$out/mock.log")"
brokers=$(cat "$out/addr")
kafka="--kafka $brokers --topic bench --kafka-property linger.ms=50 --kafka-property compression.type=lz4
	--kafka-property message.timeout.ms=60000"

records=$("$flowprep" pcap -q "$cap" "$out/ref.csv" >/dev/null 2>&1 && tail -n +2 "$out/ref.csv" | wc -l | tr -d ' ')
[ "${records:-0}" -gt 0 ] || die "flowprep pcap failed on $cap"

# Interleaved rounds: one run of each case per round.
: > "$out/off.t"; : > "$out/kafka.t"; : > "$out/only.t"
: > "$out/off.cpu"; : > "$out/kafka.cpu"; : > "$out/only.cpu"
for round in $(seq "$BENCH_RUNS"); do
	for c in off kafka only; do
		case $c in
		off) set -- "$flowprep" pcap -q "$cap" "$out/flows.parquet" ;;
		# shellcheck disable=SC2086
		kafka) set -- "$flowprep" pcap -q $kafka "$cap" "$out/flows.parquet" ;;
		# shellcheck disable=SC2086
		only) set -- "$flowprep" pcap -q $kafka "$cap" ;;
		esac
		line=$("$runstat" -n 1 -- "$@") || die "$c run $round failed: $line"
		kv "$line" median >> "$out/$c.t"
		kv "$line" cpu_median >> "$out/$c.cpu"
	done
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
t_off=$(median "$out/off.t")
t_kafka=$(median "$out/kafka.t")
t_only=$(median "$out/only.t")
c_off=$(median "$out/off.cpu")
c_kafka=$(median "$out/kafka.cpu")
c_only=$(median "$out/only.cpu")

echo
echo "== Kafka: flowprep pcap on medium ($packets packets, $records records), median of $BENCH_RUNS interleaved runs"
echo "   mock cluster on loopback (4 partitions), linger.ms=50, compression.type=lz4, every record delivered"
awk -v p="$packets" -v r="$records" -v a="$t_off" -v b="$t_kafka" -v c="$t_only" \
	-v ca="$c_off" -v cb="$c_kafka" -v cc="$c_only" 'BEGIN {
	printf "   %-26s %8s %8s %14s %12s\n", "", "seconds", "cpu s", "packets/s", "records/s"
	printf "   %-26s %8.3f %8.3f %14.0f %12.0f\n", "Parquet, Kafka off", a, ca, p / a, r / a
	printf "   %-26s %8.3f %8.3f %14.0f %12.0f\n", "Parquet + Kafka", b, cb, p / b, r / b
	printf "   %-26s %8.3f %8.3f %14.0f %12.0f\n", "Kafka only (no file)", c, cc, p / c, r / c
	printf "   cost of Kafka in packet throughput: %.1f %% (target < 25 %%); in CPU time: +%.1f %%\n",
		100 * (1 - a / b), 100 * (cb / ca - 1)
}'
