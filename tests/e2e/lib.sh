# lib.sh - shared by the end-to-end tests (sourced, not run).
#
# Each test gets a fresh temporary directory $T that is removed on exit,
# and these helpers. A test exits 0 (pass), 1 (fail) or 77 (skip).
set -u

T=$(mktemp -d "${TMPDIR:-/tmp}/flowprep-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
failures=0

# Sanitizer reports get their own exit codes so a test can tell them from
# flowprep's own statuses (0, 1, 2).
export ASAN_OPTIONS="exitcode=86:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:exitcode=87:print_stacktrace=1"

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; exit 77; }
finish() { [ "$failures" -eq 0 ] && exit 0; echo "$failures failure(s)"; exit 1; }

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# A status that means flowprep crashed or a sanitizer reported something.
crashed() { [ "$1" -ge 86 ] || [ "$1" -eq 23 ]; }

fixture() { "$MAKE_FIXTURES" "$1" "$T/$1.pcap" >/dev/null || fail "make-fixtures $1"; }

# rows FILE.csv: data rows (header excluded)
rows() { tail -n +2 "$1" | wc -l | tr -d ' '; }

# col FILE.csv NAME: the values of column NAME, one per line
col() { awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$1"; }
