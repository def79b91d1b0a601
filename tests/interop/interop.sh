#!/bin/sh
# interop.sh - flowprep's Parquet files against independent implementations.
#
# (a) flowprep writes (fp-parquet-tool write-sample), DuckDB and arrow-rs
#     read (read-others.mjs: they must agree with each other), and the
#     dump they agree on must equal flowprep's own reading of the file, the
#     footer must carry the codec asked for, and the first rows must be the
#     known sample values (sample-head.expected);
# (b) DuckDB and arrow-rs write (write-others.mjs, every codec, page v1/v2,
#     dictionary on/off, several row groups) and flowprep's reading of each
#     file must equal the dump those tools read back.
#
# Needs node and tests/interop/node_modules (npm ci --prefix tests/interop);
# without them it skips (exit 77). Run by `make check`, which exports NODE,
# TOP_SRCDIR and TOP_BUILDDIR. Prints one line per case and a summary; a
# failing case's files are kept and their folder named.

set -u

TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-.}
NODE=${NODE:-node}
here=$TOP_SRCDIR/tests/interop
tool=$TOP_BUILDDIR/tests/interop/fp-parquet-tool
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout 120"

if [ -z "$NODE" ] || ! command -v "$NODE" >/dev/null 2>&1; then
	echo "SKIP: interop.sh: node not found (configure looks for it; interop tests need Node.js >= 20)"
	exit 77
fi
for pkg in @duckdb/node-api parquet-wasm apache-arrow; do
	if [ ! -d "$here/node_modules/$pkg" ]; then
		echo "SKIP: interop.sh: $here/node_modules/$pkg is missing (run: npm ci --prefix tests/interop)"
		exit 77
	fi
done
if [ ! -x "$tool" ]; then
	echo "FAIL: interop.sh: $tool is not built (make check builds it)"
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fp-interop.XXXXXX") || exit 1
passed=0
failed=0

ok() {
	passed=$((passed + 1))
	echo "ok   $1"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL $1: $2"
	if [ -n "${3:-}" ] && [ -s "$3" ]; then
		sed -n '1,12s/^/     /p' "$3"
	fi
}

# differences between two dumps, at most a few lines, into $work/NAME.diff
differ() {
	if cmp -s "$1" "$2"; then
		return 1
	fi
	diff "$1" "$2" | head -n 12 >"$3"
	return 0
}

# (a) one file written by flowprep: check_ours NAME MIN_ROW_GROUPS CODEC ARGS...
check_ours() {
	name=$1 min_groups=$2 codec=$3
	shift 3
	f=$work/$name.parquet
	if ! $limit "$tool" write-sample "$f" --codec "$codec" "$@" 2>"$work/$name.err"; then
		fail "$name" "fp-parquet-tool write-sample failed" "$work/$name.err"
		return
	fi
	if ! $limit "$NODE" "$here/read-others.mjs" "$f" >"$work/$name.others" 2>"$work/$name.err"; then
		fail "$name" "DuckDB and arrow-rs do not both read it alike" "$work/$name.err"
		return
	fi
	if ! $limit "$tool" dump "$f" >"$work/$name.ours" 2>"$work/$name.dump-err"; then
		fail "$name" "flowprep cannot read its own file" "$work/$name.dump-err"
		return
	fi
	if differ "$work/$name.others" "$work/$name.ours" "$work/$name.diff"; then
		fail "$name" "flowprep's reading (>) differs from DuckDB's and arrow-rs's (<)" "$work/$name.diff"
		return
	fi
	meta=$(grep '^meta ' "$work/$name.err")
	want=$(echo "$codec" | tr 'a-z' 'A-Z' | sed 's/^NONE$/UNCOMPRESSED/')
	groups=$(echo "$meta" | sed -n 's/.* row_groups=\([0-9]*\).*/\1/p')
	case "$meta" in
	*" codecs=$want") ;;
	*" codecs=") ;;	# no row groups, no column chunks
	*) fail "$name" "footer codecs are not $want ($meta)"; return ;;
	esac
	if [ "${groups:-0}" -lt "$min_groups" ]; then
		fail "$name" "expected at least $min_groups row groups ($meta)"
		return
	fi
	# known answer: the writer must have written the sample's values
	n=$(($(wc -l <"$here/sample-head.expected")))
	rows=$(($(wc -l <"$work/$name.others") - 1))
	[ "$rows" -lt $((n - 1)) ] && n=$((rows + 1))
	head -n "$n" "$here/sample-head.expected" >"$work/$name.head-want"
	head -n "$n" "$work/$name.others" >"$work/$name.head-got"
	if differ "$work/$name.head-want" "$work/$name.head-got" "$work/$name.diff"; then
		fail "$name" "the first rows are not the sample's known values (< expected, > read)" "$work/$name.diff"
		return
	fi
	ok "$name ($meta)"
}

for codec in zstd snappy gzip none; do
	check_ours "flowprep-$codec" 1 "$codec" --rows 1000
done
check_ours flowprep-empty 0 zstd --rows 0
check_ours flowprep-one-row 1 snappy --rows 1
check_ours flowprep-row-groups 10 zstd --rows 20000 --row-group-rows 1500
check_ours flowprep-small-pages 2 gzip --rows 3000 --row-group-rows 2000 --page-rows 100
check_ours flowprep-no-dictionary 1 snappy --rows 1000 --no-dictionary

# (b) files written by DuckDB and arrow-rs
others=$work/others
if ! $limit "$NODE" "$here/write-others.mjs" "$others" 2>"$work/write-others.err"; then
	fail write-others "DuckDB/arrow-rs could not write or verify their files" "$work/write-others.err"
else
	# the readings DuckDB alone vouches for (the rest of the notes stay in the file)
	grep -h '^write-others.mjs: note: .*cannot read' "$work/write-others.err" | sed 's/^/     /'
	while read -r name; do
		[ -n "$name" ] || continue
		if ! $limit "$tool" dump "$others/$name.parquet" >"$others/$name.ours" 2>"$others/$name.err"; then
			fail "$name" "flowprep cannot read it" "$others/$name.err"
		elif differ "$others/$name.expected" "$others/$name.ours" "$others/$name.diff"; then
			fail "$name" "flowprep's reading (>) differs from the expected dump (<)" "$others/$name.diff"
		else
			ok "$name"
		fi
	done <"$others/cases.txt"
fi

echo "interop.sh: $passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
	echo "interop.sh: files kept in $work"
	exit 1
fi
rm -rf "$work"
exit 0
