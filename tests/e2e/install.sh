# install.sh - `make install DESTDIR=...` puts every file where the build
# says, the unit it installs passes `systemd-analyze verify` without a
# word and scores under 3.0 in `systemd-analyze security --offline=yes`,
# and the installed default configuration passes --check-config.
. "$TOP_SRCDIR/tests/e2e/lib.sh"

root="$T/root"
${MAKE:-make} -s -C "$TOP_BUILDDIR" install DESTDIR="$root" > "$T/install.log" 2>&1
expect_eq "make install DESTDIR=: status" "$?" 0
for f in flowprepd flowprep flowprepd.yaml flowprepd.service schema.json flowprepd.8; do
	n=$(find "$root" -name "$f" -type f | wc -l | tr -d ' ')
	expect_eq "installed $f" "$n" 1
done
unit=$(find "$root" -name flowprepd.service -type f | head -n 1)
conf=$(find "$root" -name flowprepd.yaml -type f | head -n 1)
sbin=$(find "$root" -name flowprepd -type f | head -n 1)
[ -n "$unit" ] || finish

# The unit names the installed binary and configuration (under DESTDIR here).
grep -q "^ExecStart=${sbin#"$root"} -c ${conf#"$root"}$" "$unit" && ok "ExecStart names the installed paths" ||
	fail "ExecStart: $(grep ExecStart= "$unit")"
"$sbin" --check-config -c "$conf" > "$T/check.log" 2>&1
expect_eq "installed default configuration is valid" "$?" 0

if command -v systemd-analyze >/dev/null; then
	# verify looks the executables up on this system: point them at the DESTDIR copy
	sed "s|${sbin#"$root"}|$sbin|g" "$unit" > "$T/flowprepd.service"
	out=$(systemd-analyze verify --man=no "$T/flowprepd.service" 2>&1)
	expect_eq "systemd-analyze verify says nothing" "$out" ""
	score=$(systemd-analyze security --offline=yes "$T/flowprepd.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for flowprepd.service: \([0-9.]*\).*/\1/p')
	awk -v s="$score" 'BEGIN { exit !(s != "" && s < 3.0) }' && ok "exposure level $score < 3.0" ||
		fail "exposure level '$score'"
else
	echo "SKIP-PART: systemd-analyze not installed: unit not verified"
fi
finish
