#!/usr/bin/env bash
# Runs every tests/integration/*.sh, INTEGRATION_JOBS at a time (default 3:
# the tests mostly wait on timers, and each uses its own ports, temp dir and
# namespaces), then prints each one's output with its wall time (CI has a
# time budget) and sums "N passed, M failed".
set -uo pipefail
H_BUILD=$(cd "${1:-build}" && pwd)
export H_BUILD
top=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${INTEGRATION_JOBS:-3}
out=$(mktemp -d /tmp/tslcd-integration.XXXXXX)

run_one() {
	local t=$1 out=$2 name
	name=$(basename "$t" .sh)
	SECONDS=0
	bash "$t" >"$out/$name.log" 2>&1
	echo $? >"$out/$name.rc"
	echo "$SECONDS" >"$out/$name.time"
}
export -f run_one
# Tests marked "# tslcd-test: serial" load the whole machine (a 10k-line
# storm): they run alone, after the others, so timing checks stay fair.
grep -L '^# tslcd-test: serial' "$top"/tests/integration/*.sh |
	xargs -P "$jobs" -I{} bash -c 'run_one "$1" "$2"' _ {} "$out"
for t in $(grep -l '^# tslcd-test: serial' "$top"/tests/integration/*.sh); do
	run_one "$t" "$out"
done

pass=0
fail=0
for t in "$top"/tests/integration/*.sh; do
	name=$(basename "$t" .sh)
	echo "== $name ($(cat "$out/$name.time" 2>/dev/null || echo ?) s)"
	cat "$out/$name.log"
	rc=$(cat "$out/$name.rc" 2>/dev/null || echo 1)
	line=$(grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$out/$name.log" | tail -1)
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "$name exited $rc"
		fail=$((fail + 1))
	fi
done
rm -rf "$out"
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
