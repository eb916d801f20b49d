#!/usr/bin/env bash
# Runs every tests/integration/*.sh and sums their "N passed, M failed".
set -uo pipefail
export H_BUILD=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
for t in "$top"/tests/integration/*.sh; do
	echo "== $(basename "$t")"
	out=$(bash "$t" 2>&1)
	rc=$?
	echo "$out"
	line=$(echo "$out" | grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' | tail -1)
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "$(basename "$t") exited $rc"
		fail=$((fail + 1))
	fi
done
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
