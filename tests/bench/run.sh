# run.sh - `make bench`: flowprep's speed and memory next to the physical
# limits of reading a capture, and its Parquet writer next to DuckDB's.
# See tests/bench/README.md for what each figure means.
#
# softflowd (Debian package `softflowd`, packaging/install-deps-debian.sh
# --bench) is measured next to flowprep when installed, and skipped with a
# message when not.
#
# Run from the build tree (make bench does). Needs $SHARED_DIR (default
# <srcdir>/../shared) for bench/gen-pcap and bench/pcap-readloop.c, which
# are used from there, never copied: pcap-readloop is compiled into
# tests/bench/ of the build tree, and the captures gen-pcap makes are cached
# in tests/bench/data/ (delete that folder to regenerate). Without
# $SHARED_DIR the benchmark is skipped with a message.
#
# Environment knobs:
#   BENCH_SETS      captures to measure (default "medium many")
#   BENCH_RUNS      runs per measurement, the median is reported (default 3)
#   BENCH_WRITE     0 skips the Parquet write benchmark (default 1)
#   BENCH_WRITE_RUNS  writes per codec in it, the best is reported (default 3)
#   BENCH_FEATURES  1 (default): also the feature-set section (packets/s of
#                   --features cic and pcapflower next to canonical on the
#                   medium capture, bytes per flow with 1,000,000 live flows);
#                   only: that section alone; 0: skip it
#   CC              compiler for pcap-readloop (default cc)
#   NODE            Node.js for the DuckDB side (default: node on PATH)
#
# Results go to stdout and to tests/bench/results.txt in the build tree.
set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
build=$(pwd)
SHARED_DIR=${SHARED_DIR:-$srcdir/../shared}
BENCH_SETS=${BENCH_SETS:-medium many}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_WRITE=${BENCH_WRITE:-1}
BENCH_WRITE_RUNS=${BENCH_WRITE_RUNS:-3}
BENCH_FEATURES=${BENCH_FEATURES:-1}
CC=${CC:-cc}
NODE=${NODE:-node}

flowprep=$build/flowprep
runstat=$build/tests/bench/runstat
pwbench=$build/tests/bench/parquet-write-bench
bench=$build/tests/bench
data=$bench/data
out=$bench/out
results=$bench/results.txt

die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

# kv LINE KEY: the value of KEY=... in a key=value line
kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

# json_num FILE KEY: the first integer "KEY": N of a truth file (one key a line)
json_num() { sed -n "s/^ *\"$2\": \([0-9][0-9]*\),*$/\1/p" "$1" | head -n 1; }

# ------------------------------------------------------------ prerequisites
if [ ! -x "$SHARED_DIR/bench/gen-pcap" ] || [ ! -f "$SHARED_DIR/bench/pcap-readloop.c" ]; then
	echo "bench: SKIPPED: $SHARED_DIR/bench (gen-pcap, pcap-readloop.c) not found; set SHARED_DIR to the shared folder"
	exit 0
fi
[ -x "$flowprep" ] || die "$flowprep not built (run make first)"
[ -x "$runstat" ] || die "$runstat not built (run make first)"
mkdir -p "$data" "$out" || die "cannot create $data"

if nm "$flowprep" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle' ||
	ldd "$flowprep" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	sanitized=yes
	note "WARNING: $flowprep is built with sanitizers (--enable-sanitizers): its figures are meaningless;"
	note "WARNING: configure a separate build without it, with CFLAGS='-O2 -g', for benchmarks"
else
	sanitized=no
fi

# Other work on the machine skews every figure: say so up front.
busy=$(awk -v n="$(nproc 2>/dev/null || echo 1)" '{ if ($1 > n / 2) print $1 }' /proc/loadavg 2>/dev/null)
[ -z "$busy" ] || note "WARNING: load average $busy on $(nproc) cores: the machine is busy, figures will be noisy"

# pcap-readloop: the measuring stick, compiled from the shared source.
readloop=$bench/pcap-readloop
if [ ! -x "$readloop" ] || [ -n "$(find "$SHARED_DIR/bench/pcap-readloop.c" -newer "$readloop")" ]; then
	pcap_flags=$(pkg-config --cflags --libs libpcap 2>/dev/null || echo -lpcap)
	# shellcheck disable=SC2086
	$CC -O2 -o "$readloop" "$SHARED_DIR/bench/pcap-readloop.c" $pcap_flags ||
		die "cannot compile $SHARED_DIR/bench/pcap-readloop.c"
fi

# ------------------------------------------------------------ captures
# capture NAME GEN-PCAP-ARGS...: makes $data/NAME.pcap unless it is there,
# made with the same arguments (kept in NAME.pcap.args)
capture() {
	name=$1
	shift
	if [ -f "$data/$name.pcap" ] && [ -f "$data/$name.pcap.truth.json" ] &&
		[ "$(cat "$data/$name.pcap.args" 2>/dev/null)" = "$*" ]; then
		return 0
	fi
	note "generating $name.pcap: gen-pcap $*"
	"$SHARED_DIR/bench/gen-pcap" -q "$@" --truth "$data/$name.pcap.truth.json.tmp" "$data/$name.pcap.tmp" ||
		die "gen-pcap failed for $name"
	mv "$data/$name.pcap.tmp" "$data/$name.pcap" &&
		mv "$data/$name.pcap.truth.json.tmp" "$data/$name.pcap.truth.json" &&
		echo "$*" >"$data/$name.pcap.args"
}

capture tiny --flows 100 --packets 2000 --duration 10 --seed 1
if [ "$BENCH_FEATURES" = only ]; then
	BENCH_SETS=""		# the feature-set section alone (below)
	BENCH_WRITE=0
fi
if [ "$BENCH_FEATURES" != 0 ]; then
	capture medium --flows 80000 --packets 2000000 --duration 5400 --seed 2
	capture many --flows 1000000 --packets 3000000 --duration 30 --seed 4
fi
for set in $BENCH_SETS; do
	case $set in
	medium) capture medium --flows 80000 --packets 2000000 --duration 5400 --seed 2 ;;
	many) capture many --flows 1000000 --packets 3000000 --duration 30 --seed 4 ;;
	*) die "unknown BENCH_SETS entry '$set' (medium, many)" ;;
	esac
done

# ------------------------------------------------------------ measurements
# Runs are interleaved (one run of every program, then the next round), so
# a burst of load from elsewhere on the machine hits all programs alike and
# the ratios taken in one run stay fair.

# measure1 SET NAME CMD...: one run through runstat, its line appended to
# $out/SET-NAME.runs
measure1() {
	m_set=$1 m_name=$2
	shift 2
	line=$("$runstat" -n 1 -- "$@")
	rc=$?
	printf '%s\n' "$line" >>"$out/$m_set-$m_name.runs"
	if [ $rc -ne 0 ]; then
		note "FAILED ($m_set $m_name, status $(kv "$line" status)): $*"
		return 1
	fi
}

# summarize SET NAME: $out/SET-NAME.stat = runs= min= median= max_rss_kib= status=
# over the runs in $out/SET-NAME.runs
summarize() {
	runs=$out/$1-$2.runs
	med=$(sed -n 's/.* median=\([0-9.]*\) .*/\1/p' "$runs" | sort -n |
		awk '{ a[NR] = $1 } END { printf "%d %.3f %.3f", NR, a[1], NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
	cpu=$(sed -n 's/.* cpu_median=\([0-9.]*\) .*/\1/p' "$runs" | sort -n |
		awk '{ a[NR] = $1 } END { printf "%.3f", NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
	rss=$(sed -n 's/.* max_rss_kib=\([0-9]*\) .*/\1/p' "$runs" | sort -n | tail -n 1)
	st=$(sed -n 's/.* status=\([0-9]*\).*/\1/p' "$runs" | grep -v '^0$' | head -n 1)
	# shellcheck disable=SC2086 # split on purpose: "N MIN MEDIAN"
	set -- $med
	echo "runs=$1 min=$2 median=$3 cpu_median=$cpu max_rss_kib=$rss status=${st:-0}" >"$out/$(basename "$runs" .runs).stat"
}

programs="readloop readloop-b readloop-f flowprep-csv flowprep-parquet"
# softflowd: the fastest Debian flow meter (design/PERFORMANCE.md), reading
# the file (-r) and sending NetFlow v9 to the discard port, with room for a
# million flows (-m) so that it meters rather than evicts on `many`.
softflowd=$(command -v softflowd 2>/dev/null)
sf_timeout=	# a peer that hangs must not hang the benchmark
! command -v timeout >/dev/null 2>&1 || sf_timeout="timeout 300"
if [ -n "$softflowd" ]; then
	programs="$programs softflowd"
else
	note "softflowd not installed: its row is SKIPPED (packaging/install-deps-debian.sh --bench installs it)"
fi

# run_program SET NAME FILE: one run of program NAME on capture FILE
run_program() {
	case $2 in
	readloop) measure1 "$1" "$2" "$readloop" "$3" ;;
	readloop-b) measure1 "$1" "$2" "$readloop" -b "$3" ;;
	readloop-f) measure1 "$1" "$2" "$readloop" -f "$3" ;;
	flowprep-csv) measure1 "$1" "$2" "$flowprep" pcap -q "$3" "$out/$1.csv" ;;
	flowprep-parquet) measure1 "$1" "$2" "$flowprep" pcap -q "$3" "$out/$1.parquet" ;;
	softflowd)
		# -c none: no control socket; with one, its -r loop sometimes
		# blocks in accept() before reading (softflowd 1.1.0)
		measure1 "$1" "$2" $sf_timeout "$softflowd" -d -r "$3" -n 127.0.0.1:9 -v 9 -6 -m 2000000 -c none ;;
	esac
}

rm -f "$out"/*.runs "$out"/*.stat "$out"/*.csv "$out"/*.parquet
failed=0
# The per-flow memory figure subtracts the footprint at a tiny capture.
for name in readloop-f flowprep-csv flowprep-parquet; do
	run_program tiny "$name" "$data/tiny.pcap" || failed=1
	summarize tiny "$name"
done

for set in $BENCH_SETS; do
	f=$data/$set.pcap
	note "measuring $set ($(json_num "$f.truth.json" packets) packets, median of $BENCH_RUNS interleaved runs)"
	cat "$f" >/dev/null	# into the page cache: measure reading, not the disk
	round=0
	while [ $round -lt "$BENCH_RUNS" ]; do
		for name in $programs; do
			run_program "$set" "$name" "$f" || failed=1
		done
		round=$((round + 1))
	done
	for name in $programs; do
		summarize "$set" "$name"
	done
done

# ------------------------------------------------------------ report
{
	echo "== flowprep bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc 2>/dev/null || echo '?') cores"
	echo "   flowprep: $flowprep ($("$flowprep" --version 2>/dev/null | head -n 1)); sanitizers: $sanitized"
	echo "   median of $BENCH_RUNS interleaved runs of wall time (runstat); page-cached captures"
	echo "   ratio = packets/s over the default libpcap read loop's; vs -b = over the 1 MiB-buffer read loop's;"
	echo "   cpu s = median user+system CPU seconds (steadier than wall time on a busy machine)"
	echo
	for set in $BENCH_SETS; do
		tf=$data/$set.pcap.truth.json
		pk=$(json_num "$tf" packets)
		base=$(kv "$(cat "$out/$set-readloop.stat")" median)
		base_b=$(kv "$(cat "$out/$set-readloop-b.stat")" median)
		records='?'
		[ ! -f "$out/$set.csv" ] || records=$(($(wc -l <"$out/$set.csv") - 1))
		echo "-- $set: $pk packets, $(json_num "$tf" flows_bidirectional) flows, $(json_num "$tf" file_bytes) bytes;" \
			"flowprep wrote $records records (gen-pcap's count: $(json_num "$tf" total))"
		printf '%-34s %8s %7s %12s %7s %7s %10s\n' program seconds "cpu s" packets/s ratio "vs -b" "max RSS"
		for name in $programs; do
			line=$(cat "$out/$set-$name.stat")
			case $name in
			readloop) label="pcap-readloop (baseline)" ;;
			readloop-b) label="pcap-readloop -b (1 MiB stdio buf)" ;;
			readloop-f) label="pcap-readloop -f (minimal table)" ;;
			flowprep-csv) label="flowprep pcap -q -> .csv" ;;
			flowprep-parquet) label="flowprep pcap -q -> .parquet" ;;
			softflowd) label="softflowd -r (NetFlow v9 out)" ;;
			esac
			if [ "$(kv "$line" status)" != 0 ]; then
				printf '%-34s %s\n' "$label" "FAILED (status $(kv "$line" status))"
				continue
			fi
			awk -v label="$label" -v s="$(kv "$line" median)" -v b="$base" -v bb="$base_b" -v pk="$pk" \
				-v cpu="$(kv "$line" cpu_median)" -v rss="$(kv "$line" max_rss_kib)" 'BEGIN {
				printf "%-34s %8.3f %7.3f %12.0f %7.2f %7.2f %6.1f MiB\n", label, s, cpu, pk / s, b / s, bb / s, rss / 1024 }'
		done
		case $set in
		medium) echo "   target (issue 22): flowprep/readloop >= 1.30 (CSV), >= 1.25 (Parquet)" ;;
		many) echo "   target (issue 22): flowprep/readloop >= 0.38" ;;
		esac
		if [ "$set" = many ]; then
			nf=$(json_num "$tf" flows_bidirectional)
			for name in flowprep-csv flowprep-parquet readloop-f; do
				big=$(kv "$(cat "$out/many-$name.stat")" max_rss_kib)
				small=$(kv "$(cat "$out/tiny-$name.stat")" max_rss_kib)
				awk -v n="$name" -v big="$big" -v small="$small" -v nf="$nf" 'BEGIN {
					printf "   bytes per active flow (%s): (%d - %d KiB) * 1024 / %d = %.0f B\n",
					n, big, small, nf, (big - small) * 1024 / nf }'
			done
			echo "   target: flowprep <= 147 B per active flow (writing CSV)"
		fi
		echo
	done
} | tee "$results.tmp"

# ------------------------------------------------------------ Parquet write
# best_writes: of the writer= lines on stdin, the fastest per writer,
# threads and codec (in first-seen order); the loaded= line is kept once.
best_writes() {
	awk '/^loaded=/ && !l { print; l = 1 }
	/^writer=/ {
		k = ""; s = 0
		for (i = 1; i <= NF; i++) {
			split($i, f, "=")
			if (f[1] == "writer" || f[1] == "threads" || f[1] == "codec") k = k " " $i
			if (f[1] == "seconds") s = f[2] + 0
		}
		if (!(k in best)) { order[++n] = k; best[k] = s; line[k] = $0 }
		else if (s < best[k]) { best[k] = s; line[k] = $0 }
	}
	END { for (i = 1; i <= n; i++) print line[order[i]] }'
}

write_bench() {
	csv=$1
	rows=$(($(wc -l <"$csv") - 1))
	echo "-- Parquet write: $csv ($rows rows, $(wc -c <"$csv") bytes), best of $BENCH_WRITE_RUNS writes from memory"
	if [ ! -x "$pwbench" ]; then
		echo "   SKIPPED: $pwbench not built"
		return 0
	fi
	base=$(basename "$csv" .csv)
	if ! command -v "$NODE" >/dev/null 2>&1; then
		dk_skip="node not found"
	elif [ ! -d "$srcdir/tests/interop/node_modules/@duckdb/node-api" ]; then
		dk_skip="tests/interop/node_modules missing (packaging/install-deps-debian.sh --test, or npm ci in tests/interop)"
	else
		dk_skip=
	fi
	# Rounds alternate flowprep and DuckDB (one write per case each), so
	# load from elsewhere on the machine hits both alike; best of the rounds.
	fp='' dk=''
	round=0
	while [ $round -lt "$BENCH_WRITE_RUNS" ]; do
		line=$("$pwbench" -n 1 -c zstd,snappy,zstd:3 -o "$out/pwb-$base" "$csv") || { echo "   FAILED: parquet-write-bench"; return 1; }
		fp=$(printf '%s\n%s' "$fp" "$line")
		if [ -z "$dk_skip" ]; then
			line=$("$NODE" "$srcdir/tests/bench/duckdb-write.mjs" --runs 1 --out "$out/dwb-$base" "$csv") ||
				{ dk_skip="duckdb-write.mjs failed"; }
			dk=$(printf '%s\n%s' "$dk" "$line")
		fi
		round=$((round + 1))
	done
	fp=$(printf '%s\n' "$fp" | best_writes)
	if [ -n "$dk_skip" ]; then
		dk=
	else
		dk=$(printf '%s\n' "$dk" | best_writes)
	fi
	[ -z "$dk" ] || echo "   $(printf '%s\n' "$dk" | sed -n 's/.*\(duckdb=[^ ]*\).*\(default_threads=[0-9]*\).*/\1 \2/p')"
	printf '   %-18s %11s %9s %9s %9s %10s\n' writer rows/s "out MB/s" "csv MB/s" "B/row" seconds
	printf '%s\n%s\n' "$fp" "$dk" | grep '^writer=' | while read -r line; do
		w=$(kv "$line" writer)
		[ "$w" = duckdb ] && w="duckdb t=$(kv "$line" threads)"
		printf '   %-18s %11s %9s %9s %9s %10s\n' "$w $(kv "$line" codec)" "$(kv "$line" rows_per_s)" \
			"$(kv "$line" out_MBps)" "$(kv "$line" csv_MBps)" "$(kv "$line" bytes_per_row)" \
			"$(kv "$line" seconds)"
	done
	if [ -z "$dk" ]; then
		echo "   DuckDB side SKIPPED: $dk_skip"
		return 0
	fi
	echo "   flowprep / DuckDB, both at their default levels (speed: >= 1.00 wanted; size: <= 1.10 wanted);"
	echo "   zstd:3 = flowprep at DuckDB's zstd level 3, for reference:"
	for codec in zstd snappy zstd:3; do
		f=$(printf '%s\n' "$fp" | grep "^writer=flowprep codec=$codec ")
		printf '%s\n' "$dk" | grep "^writer=duckdb .*codec=${codec%:*} " | while read -r d; do
			awk -v c="$codec" -v t="$(kv "$d" threads)" -v fs="$(kv "$f" seconds)" -v ds="$(kv "$d" seconds)" \
				-v fb="$(kv "$f" out_bytes)" -v db="$(kv "$d" out_bytes)" 'BEGIN {
				printf "   %-7s vs duckdb threads=%-2s speed %.2f  size %.3f\n", c, t, ds / fs, fb / db }'
		done
	done
}

rm -f "$out/write-failed"
if [ "$BENCH_WRITE" != 0 ]; then
	{
		wrote=0
		for set in medium many; do
			case " $BENCH_SETS " in *" $set "*) ;; *) continue ;; esac
			csv=$out/$set.csv
			[ -s "$csv" ] || continue
			write_bench "$csv" || : >"$out/write-failed"
			wrote=1
			echo
		done
		[ $wrote = 1 ] || echo "-- Parquet write: SKIPPED (no flow table: medium/many not measured)"
	} | tee -a "$results.tmp"
fi

# ------------------------------------------------------------ feature sets
# The same captures through --features canonical, cic and pcapflower, runs
# interleaved as above: packets/s on medium (cic's target: >= 60% of
# canonical's), and bytes per flow from max RSS on many (1,000,000 flows,
# all live at once: 30 s of capture under the 60 s idle timeout) minus the
# RSS on tiny (cic's target: < 512 B of its state per flow, on top of the
# engine's own).
# SET.EXT: the set, and the output format (CSV formats every number as
# text, which costs cic's 82 columns much more than canonical's 11: the
# Parquet runs show the feature path with a cheaper writer).
feature_runs="canonical.csv cic.csv pcapflower.csv canonical.parquet cic.parquet"

feature_measure() {
	for run in $feature_runs; do
		measure1 tiny "fs-$run" "$flowprep" pcap -q --features "${run%.*}" "$data/tiny.pcap" "$out/tiny-$run" || failed=1
		summarize tiny "fs-$run"
	done
	for set in medium many; do
		f=$data/$set.pcap
		cat "$f" >/dev/null
		round=0
		while [ $round -lt "$BENCH_RUNS" ]; do
			for run in $feature_runs; do
				measure1 "$set" "fs-$run" "$flowprep" pcap -q --features "${run%.*}" "$f" "$out/$set-$run" ||
					failed=1
			done
			round=$((round + 1))
		done
		for run in $feature_runs; do
			summarize "$set" "fs-$run"
		done
	done
}

feature_report() {
	pk=$(json_num "$data/medium.pcap.truth.json" packets)
	nf=$(json_num "$data/many.pcap.truth.json" flows_bidirectional)
	echo "-- feature sets: medium ($pk packets) for speed, many ($nf flows live at once) for memory;"
	echo "   median of $BENCH_RUNS interleaved runs; ratio = packets/s over canonical's with the same output format"
	printf '%-18s %8s %7s %12s %7s %10s %12s\n' "set -> output" seconds "cpu s" packets/s ratio rows "B per flow"
	for run in $feature_runs; do
		line=$(cat "$out/medium-fs-$run.stat")
		base=$(kv "$(cat "$out/medium-fs-canonical.${run#*.}.stat")" median)
		big=$(kv "$(cat "$out/many-fs-$run.stat")" max_rss_kib)
		small=$(kv "$(cat "$out/tiny-fs-$run.stat")" max_rss_kib)
		rows='-'
		[ "${run#*.}" != csv ] || rows=$(($(wc -l <"$out/medium-$run") - 1))
		awk -v r="${run%.*} -> .${run#*.}" -v s="$(kv "$line" median)" -v cpu="$(kv "$line" cpu_median)" -v pk="$pk" \
			-v b="$base" -v rows="$rows" -v big="$big" -v small="$small" -v nf="$nf" 'BEGIN {
			printf "%-18s %8.3f %7.3f %12.0f %7.2f %10s %12.0f\n", r, s, cpu, pk / s, b / s, rows,
				(big - small) * 1024 / nf }'
	done
	echo "   targets: cic >= 0.60 of canonical's packets/s; cic < 512 B per flow (its own state: 496 B,"
	echo "   a build-time assertion; the B per flow above include the engine's table, as canonical's do)"
	echo "   (pcapflower 1.1.0 itself: about 60 k packets/s per core on this kind of machine)"
	echo
}

if [ "$BENCH_FEATURES" != 0 ]; then
	note "measuring feature sets ($feature_runs)"
	feature_measure
	feature_report | tee -a "$results.tmp"
fi

mv "$results.tmp" "$results"
[ ! -f "$out/write-failed" ] || failed=1
note "results saved in $results"
[ $failed = 0 ] || die "some measurements failed (see above)"
