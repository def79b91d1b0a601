# output-paths.sh - where `flowprep pcap` writes (issue 17): devices and FIFOs
# are written to, never replaced (as root too); - is standard output; a
# symbolic link's target is replaced and keeps its mode; the longest legal
# name works; a directory, a missing folder or a bad format combination fails
# at once (status 1); no output is published when no input could be read, or
# when a write fails halfway.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

fixture handshake
fixture example
in="$T/handshake.pcap"

# /dev/null stays a character device (as root the rename would have replaced it).
if [ -c /dev/null ]; then
	"$FLOWPREP" pcap -q "$in" /dev/null 2>"$T/err"
	expect_eq "/dev/null: exit status" $? 0
	[ -c /dev/null ] && ok "/dev/null is still a character device" || fail "/dev/null was replaced!"
	ls -a /dev | grep -q '^\.null\.tmp-' && fail "temporary file left in /dev" || ok "no temporary file in /dev"
fi

# A FIFO is written to as a stream, and stays a FIFO.
mkfifo "$T/fifo"
cat "$T/fifo" > "$T/from-fifo.csv" &
reader=$!
"$FLOWPREP" pcap -q -f csv "$in" "$T/fifo" 2>"$T/err"
expect_eq "FIFO: exit status" $? 0
wait $reader
[ -p "$T/fifo" ] && ok "FIFO is still a FIFO" || fail "FIFO replaced"
expect_eq "FIFO: rows read by the reader" "$(rows "$T/from-fifo.csv")" 1

# - is standard output, streamed; it needs -f.
"$FLOWPREP" pcap -q -f csv "$T/example.pcap" - > "$T/stdout.csv" 2>"$T/err"
expect_eq "stdout: exit status" $? 0
"$FLOWPREP" pcap -q "$T/example.pcap" "$T/file.csv"
cmp -s "$T/stdout.csv" "$T/file.csv" && ok "stdout: same bytes as a file" || fail "stdout differs from a file"
"$FLOWPREP" pcap -q -f parquet "$T/example.pcap" - > "$T/stdout.parquet"
"$FLOWPREP" peek -n 1 "$T/stdout.parquet" > /dev/null 2>&1
expect_eq "stdout Parquet reads back" $? 0
"$FLOWPREP" pcap -q "$in" - > /dev/null 2>"$T/err"
expect_eq "stdout without -f: exit status" $? 1
grep -q "needs a format" "$T/err" && ok "stdout without -f: message" || fail "stdout without -f: $(cat "$T/err")"

# A symbolic link to a regular file: the target is replaced, keeps its mode, and the link stays.
printf 'old\n' > "$T/target.csv"
chmod 640 "$T/target.csv"
ln -s target.csv "$T/link.csv"
"$FLOWPREP" pcap -q "$in" "$T/link.csv"
expect_eq "symlink: exit status" $? 0
[ -L "$T/link.csv" ] && ok "symlink is still a link" || fail "symlink replaced by a file"
expect_eq "symlink: target rewritten" "$(rows "$T/target.csv")" 1
expect_eq "symlink: target keeps its mode" "$(stat -c %a "$T/target.csv")" 640
# A regular file replaced keeps its mode too.
chmod 600 "$T/file.csv"
"$FLOWPREP" pcap -q "$in" "$T/file.csv"
expect_eq "replaced file keeps its mode" "$(stat -c %a "$T/file.csv")" 600
# A link to a device is written through; a dangling link is refused.
if [ -c /dev/null ]; then
	ln -s /dev/null "$T/null-link.csv"
	"$FLOWPREP" pcap -q "$in" "$T/null-link.csv"
	expect_eq "link to /dev/null: exit status" $? 0
	[ -L "$T/null-link.csv" ] && [ -c /dev/null ] && ok "link to /dev/null kept" || fail "link to /dev/null"
fi
ln -s nowhere.csv "$T/dangling.csv"
"$FLOWPREP" pcap -q "$in" "$T/dangling.csv" 2>"$T/err"
expect_eq "dangling link: exit status" $? 1
grep -q "symbolic link to a missing file" "$T/err" && ok "dangling link: message" || fail "dangling: $(cat "$T/err")"

# A 250-character name (NAME_MAX is 255): the temporary name must fit too.
long=$(printf 'n%.0s' $(seq 1 246)).csv
"$FLOWPREP" pcap -q "$in" "$T/$long" 2>"$T/err"
expect_eq "250-character name: exit status" $? 0
expect_eq "250-character name: rows" "$(rows "$T/$long")" 1
long255=$(printf 'x%.0s' $(seq 1 251)).csv
"$FLOWPREP" pcap -q "$in" "$T/$long255" 2>"$T/err"
expect_eq "255-character name: exit status" $? 0

# Checked before metering: a directory, a missing folder (status 1, nothing made).
mkdir "$T/dir"
"$FLOWPREP" pcap -q "$in" "$T/dir" 2>"$T/err"
expect_eq "output is a directory: exit status" $? 1
grep -q "is a directory" "$T/err" && ok "directory: message" || fail "directory: $(cat "$T/err")"
"$FLOWPREP" pcap -q "$in" "$T/no/such/dir/o.csv" 2>"$T/err"
expect_eq "missing folder: exit status" $? 1

# No input readable at all: status 2 and nothing published.
"$FLOWPREP" pcap "$T/missing1.pcap" "$T/missing2.pcap" "$T/none.csv" 2>"$T/err"
expect_eq "no readable input: exit status" $? 2
[ ! -e "$T/none.csv" ] && ok "no readable input: no output" || fail "output published without input"
expect_eq "no readable input: each named once" "$(grep -c 'missing[12].pcap' "$T/err")" 2
# A missing input is reported before metering starts (first line of stderr).
"$FLOWPREP" pcap "$T/missing1.pcap" "$in" "$T/some.csv" 2>"$T/err"
expect_eq "one missing input: exit status" $? 2
head -n 1 "$T/err" | grep -q "missing1.pcap" && ok "missing input reported first" || fail "order: $(cat "$T/err")"
expect_eq "missing input named once" "$(grep -c 'missing1.pcap' "$T/err")" 1

# --compression is Parquet's; an extension that disagrees with -f warns.
"$FLOWPREP" pcap -q --compression zstd "$in" "$T/c.csv" 2>"$T/err"
expect_eq "--compression with CSV: exit status" $? 1
grep -q "Parquet" "$T/err" && ok "--compression with CSV: message" || fail "--compression csv: $(cat "$T/err")"
"$FLOWPREP" pcap -q -f csv "$in" "$T/x.parquet" 2>"$T/err"
expect_eq "-f csv to .parquet: exit status" $? 0
grep -q "warning: .*named like parquet" "$T/err" && ok "extension disagreement warns" || fail "no warning: $(cat "$T/err")"

# A write that fails halfway (the file size limit, 8 KiB; the example's CSV is
# ~22 KB): the write is made by the write-behind thread and the records are
# encoded on the output thread, yet the error reaches the run: status 1, the
# file and the reason named, nothing published, no temporary file left.
mkdir "$T/limited"
(ulimit -f 8 && exec "$FLOWPREP" pcap -q "$T/example.pcap" "$T/limited/big.csv") 2>"$T/err"
expect_eq "failed write: exit status" $? 1
grep -q "limited/big.csv: write failed: File too large" "$T/err" && ok "failed write: message" ||
	fail "failed write: $(cat "$T/err")"
expect_eq "failed write: nothing left in the folder" "$(ls -A "$T/limited" | wc -l | tr -d ' ')" 0

ls -a "$T" | grep -q '\.tmp-' && fail "temporary files left: $(ls -a "$T")" || ok "no temporary file left"
finish
