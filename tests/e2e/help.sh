# help.sh - conventions (issue 17): `flowprep help CMD`, `CMD --version`,
# --help ends with examples, unknown options are named, messages carry the
# command's prefix, and the man page documents every option of --help.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

for cmd in pcap peek; do
	"$FLOWPREP" help $cmd > "$T/help" 2>&1
	expect_eq "help $cmd: exit status" $? 0
	"$FLOWPREP" $cmd --help > "$T/help2"
	cmp -s "$T/help" "$T/help2" && ok "help $cmd = $cmd --help" || fail "help $cmd differs"
	awk '/^Examples:/ { e = 1 } END { exit !e }' "$T/help" && ok "$cmd --help has examples" || fail "$cmd: no examples"
	tail -n 1 "$T/help" | grep -q "flowprep $cmd" && ok "$cmd --help ends with an example" || fail "$cmd help end"
	"$FLOWPREP" $cmd --version > "$T/v"
	expect_eq "$cmd --version: exit status" $? 0
	grep -q "^flowprep $cmd [0-9]" "$T/v" && ok "$cmd --version" || fail "$cmd --version: $(cat "$T/v")"
	"$FLOWPREP" $cmd --bogus x y > /dev/null 2>"$T/err"
	expect_eq "$cmd --bogus: exit status" $? 1
	grep -q "flowprep $cmd: error: unknown option '--bogus'" "$T/err" && ok "$cmd --bogus named" || fail "$cmd --bogus: $(cat "$T/err")"
	# every long option of --help is in the man page
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
		grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$TOP_SRCDIR/man/flowprep.1" || fail "man page lacks $cmd $opt"
	done
done
"$FLOWPREP" --help | tail -n 1 | grep -q "flowprep(1)" && ok "--help points to the man page" || fail "--help end"
"$FLOWPREP" --bogus > /dev/null 2>"$T/err"
expect_eq "--bogus: exit status" $? 1
grep -q "unknown option '--bogus'" "$T/err" && ok "--bogus says unknown option" || fail "--bogus: $(cat "$T/err")"
"$FLOWPREP" pcap "$T/missing.pcap" "$T/o.csv" 2>"$T/err"
grep -q "^flowprep pcap: error: .*missing.pcap" "$T/err" && ok "errors prefixed 'flowprep pcap:'" || fail "prefix: $(cat "$T/err")"
"$FLOWPREP" peek "$T/missing.csv" 2>"$T/err"
grep -q "^flowprep peek: error: .*missing.csv" "$T/err" && ok "errors prefixed 'flowprep peek:'" || fail "prefix: $(cat "$T/err")"
# installed by make install
grep -q "dist_man_MANS *= *man/flowprep.1" "$TOP_SRCDIR/src/cli/Makefile.inc" && ok "man page installed" || fail "dist_man_MANS"
finish
