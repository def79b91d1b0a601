#!/bin/sh
# Prints "N passed, N failed" from the .trs files automake's test driver
# left in the build tree ($1, default .). Skips count as neither.
dir=${1:-.}
pass=0 fail=0 skip=0
for trs in $(find "$dir" -name '*.trs' 2>/dev/null); do
	r=$(sed -n 's/^:test-result: //p' "$trs" | head -n 1)
	case $r in
	PASS|XFAIL) pass=$((pass + 1)) ;;
	SKIP) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
echo "($skip skipped)"
echo "$pass passed, $fail failed"
