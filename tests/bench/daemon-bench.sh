# daemon-bench.sh - `make bench` (or `make bench-daemon`): flowprepd next to
# its yardsticks, in one run.
#
#   live   the highest tcpreplay rate on a veth pair (in a network
#          namespace made here) at which flowprepd drops nothing, next to
#          `tcpdump -w /dev/null` on the same pair at the same rates
#   spool  packets/s draining a spool of generated captures, next to
#          `flowprep pcap` on the same files
#   rss    resident memory over a run with 1 s rotation, short timeouts (so
#          flows end and files rotate all along) and steady traffic: it
#          must stay flat
#
# Needs root (namespaces), ip, tcpreplay and tcpdump, and $SHARED_DIR's
# gen-pcap; skips what it cannot do, saying why. Run from the build tree.
# Knobs: BENCH_LIVE_RATES (packets/s ladder), BENCH_RSS_SECONDS (default 60).
set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
build=$(pwd)
SHARED_DIR=${SHARED_DIR:-$srcdir/../shared}
RATES=${BENCH_LIVE_RATES:-25000 50000 100000 200000 400000}
RSS_SECONDS=${BENCH_RSS_SECONDS:-60}
data=$build/tests/bench/data
work=$(mktemp -d /tmp/flowprep-dbench.XXXXXX)
ns="fpbench$$"
note() { echo "daemon-bench: $*" >&2; }
cleanup() {
	[ -n "${dpid:-}" ] && kill -9 "$dpid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

[ -x "$SHARED_DIR/bench/gen-pcap" ] || { echo "daemon-bench: SKIPPED: $SHARED_DIR/bench/gen-pcap not found"; exit 0; }
if ldd "$build/flowprepd" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	note "WARNING: flowprepd is built with sanitizers: figures are meaningless; use a plain build"
fi
mkdir -p "$data"

gen() {	# gen NAME ARGS...: cached like run.sh's captures
	name=$1
	shift
	[ -f "$data/$name.pcap" ] && [ "$(cat "$data/$name.pcap.args" 2>/dev/null)" = "$*" ] && return 0
	"$SHARED_DIR/bench/gen-pcap" -q "$@" "$data/$name.pcap" && echo "$*" > "$data/$name.pcap.args"
}
gen dlive --flows 5000 --packets 200000 --duration 60 --seed 11
for k in 1 2 3 4; do gen "dspool$k" --flows 20000 --packets 500000 --duration 600 --seed $((20 + k)); done

metric() {	# metric NAME: from the daemon's endpoint inside the namespace
	ip netns exec "$ns" python3 -c "
import urllib.request
for l in urllib.request.urlopen('http://127.0.0.1:9477/metrics', timeout=5).read().decode().splitlines():
    if l.startswith('$1'): print(l.split()[-1])" 2>/dev/null | head -n 1
}

# ------------------------------------------------------------------ live
live() {
	command -v tcpreplay >/dev/null && command -v tcpdump >/dev/null && command -v python3 >/dev/null ||
		{ echo "live: SKIPPED: needs tcpreplay, tcpdump and python3"; return; }
	[ "$(id -u)" = 0 ] && ip netns add "$ns" 2>/dev/null || { echo "live: SKIPPED: cannot create a network namespace"; return; }
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip link add veth0 type veth peer name veth1
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$ns" ip link set veth0 up
	ip netns exec "$ns" ip link set veth1 up
	cat > "$work/live.yaml" <<EOF
interfaces:
  - name: veth1
    buffer_size: 16MiB
output:
  directory: $work/live-out
  formats: [parquet]
metrics:
  listen: 127.0.0.1:9477
EOF
	best_fp=0 best_td=0
	printf '%-10s %14s %14s %14s\n' "rate" "sent pps" "tcpdump drops" "flowprepd drops"
	for rate in $RATES; do
		# tcpdump
		ip netns exec "$ns" tcpdump -q -i veth1 -B 16384 -w /dev/null 2> "$work/td.err" &
		tpid=$!
		sleep 1
		sent=$(ip netns exec "$ns" tcpreplay -i veth0 --pps "$rate" "$data/dlive.pcap" 2>&1 |
			sed -n 's/.*Rated: .* \([0-9.]*\) pps.*/\1/p')
		sleep 1
		kill -INT "$tpid"
		wait "$tpid"
		td=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$work/td.err")
		# flowprepd
		ip netns exec "$ns" "$build/flowprepd" -c "$work/live.yaml" > "$work/d.log" 2>&1 &
		dpid=$!
		sleep 1
		ip netns exec "$ns" tcpreplay -i veth0 --pps "$rate" "$data/dlive.pcap" > /dev/null 2>&1
		sleep 2
		fp_k=$(metric 'flowprep_kernel_dropped_total')
		fp_i=$(metric 'flowprep_interface_dropped_total')
		kill -TERM "$dpid"
		wait "$dpid"
		dpid=""
		fp=$(( ${fp_k:-0} + ${fp_i:-0} ))
		printf '%-10s %14s %14s %14s\n' "$rate" "${sent:-?}" "${td:-?}" "$fp"
		[ "${td:-1}" = 0 ] && best_td=${sent%.*}
		[ "$fp" = 0 ] && [ -n "$fp_k" ] && best_fp=${sent%.*}
	done
	echo "live: highest rate without drops: flowprepd ${best_fp} pps, tcpdump -w /dev/null ${best_td} pps" \
		"($(awk -v a="$best_fp" -v b="$best_td" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }') of tcpdump's)"
	live_with_spool "${LIVE_SPOOL_RATE:-50000}"
	ip netns del "$ns"
}

# live_with_spool RATE: the same replay while 2 M packets of spool files are
# metered: the slices must not starve the capture (drops stay 0).
live_with_spool() {
	mkdir -p "$work/ls-spool"
	sed -e "s|^output:|spool:\n  directory: $work/ls-spool\n  after: delete\noutput:|" "$work/live.yaml" > "$work/ls.yaml"
	for k in 1 2 3 4; do cp "$data/dspool$k.pcap" "$work/ls-spool/.d$k.tmp"; done
	ip netns exec "$ns" "$build/flowprepd" -c "$work/ls.yaml" > "$work/ls.log" 2>&1 &
	dpid=$!
	sleep 1
	for k in 1 2 3 4; do mv "$work/ls-spool/.d$k.tmp" "$work/ls-spool/d$k.pcap"; done
	sent=$(ip netns exec "$ns" tcpreplay -i veth0 --pps "$1" "$data/dlive.pcap" 2>&1 |
		sed -n 's/.*Rated: .* \([0-9.]*\) pps.*/\1/p')
	i=0
	while [ -n "$(ls "$work/ls-spool" | grep '\.pcap$')" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	sleep 1
	fp_k=$(metric 'flowprep_kernel_dropped_total')
	fp_p=$(metric 'flowprep_packets_total')
	done_n=$(metric 'flowprep_spool_done_total')
	kill -TERM "$dpid"
	wait "$dpid"
	dpid=""
	echo "live+spool: ${sent:-?} pps replayed while $done_n spool files (2,000,000 packets) were metered:" \
		"${fp_p:-?} packets captured, ${fp_k:-?} dropped by the kernel"
}

# ----------------------------------------------------------------- spool
spool() {
	mkdir -p "$work/spool" "$work/spool-out" "$work/pcap-out"
	packets=0
	for k in 1 2 3 4; do packets=$((packets + 500000)); done
	start=$(date +%s.%N)
	for k in 1 2 3 4; do "$build/flowprep" pcap -q "$data/dspool$k.pcap" "$work/pcap-out/$k.parquet"; done
	t_cli=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
	cat > "$work/spool.yaml" <<EOF
spool:
  directory: $work/spool
  after: delete
output:
  directory: $work/spool-out
  formats: [parquet]
EOF
	"$build/flowprepd" -c "$work/spool.yaml" > "$work/s.log" 2>&1 &
	dpid=$!
	sleep 1
	for k in 1 2 3 4; do cp "$data/dspool$k.pcap" "$work/spool/.d$k.tmp"; done
	start=$(date +%s.%N)
	for k in 1 2 3 4; do mv "$work/spool/.d$k.tmp" "$work/spool/d$k.pcap"; done
	while [ -n "$(ls "$work/spool" | grep '\.pcap$')" ]; do sleep 0.02; done
	t_d=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
	kill -TERM "$dpid"
	wait "$dpid"
	dpid=""
	awk -v p="$packets" -v a="$t_d" -v b="$t_cli" 'BEGIN {
		printf "spool: flowprepd %.0f packets/s (%.2f s), flowprep pcap %.0f packets/s (%.2f s): %.0f%%\n",
			p / a, a, p / b, b, 100 * b / a }'
}

# ------------------------------------------------------------------- rss
rss() {
	[ "$(id -u)" = 0 ] && command -v tcpreplay >/dev/null && ip netns add "$ns" 2>/dev/null ||
		{ echo "rss: SKIPPED: needs root, tcpreplay and namespaces"; return; }
	ip netns exec "$ns" ip link add veth0 type veth peer name veth1
	ip netns exec "$ns" ip link set veth0 up
	ip netns exec "$ns" ip link set veth1 up
	cat > "$work/rss.yaml" <<EOF
interfaces:
  - name: veth1
    buffer_size: 16MiB
output:
  directory: $work/rss-out
  formats: [parquet]
  rotate: 1s
flow:
  idle_timeout: 2s
  active_timeout: 10s
EOF
	ip netns exec "$ns" "$build/flowprepd" -c "$work/rss.yaml" > "$work/r.log" 2>&1 &
	dpid=$!
	ip netns exec "$ns" tcpreplay -i veth0 --pps 20000 --loop 0 --duration "$RSS_SECONDS" "$data/dlive.pcap" > /dev/null 2>&1 &
	rpid=$!
	samples=""
	i=0
	while [ $i -lt "$RSS_SECONDS" ]; do
		sleep 5
		i=$((i + 5))
		samples="$samples $(awk '/VmRSS/ { print $2 }' "/proc/$dpid/status")"
	done
	wait "$rpid" 2>/dev/null
	kill -TERM "$dpid"
	wait "$dpid"
	dpid=""
	files=$(find "$work/rss-out" -name '*.parquet' | wc -l)
	echo "rss: VmRSS KiB every 5 s over ${RSS_SECONDS} s with 1 s rotation ($files files):$samples"
	ip netns del "$ns"
}

echo "== flowprepd ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
live
spool
rss
