#!/usr/bin/env bash
# `make valgrind`: integration tests with the agent under memcheck (the
# wrapper comes from H_AGENT_WRAPPER, see the Makefile), then a summary of
# every agent process's valgrind log.  Definite leaks or memory errors fail.
# Usage: run-valgrind.sh BUILD [TEST ...]   (TEST: a tests/integration name)
set -uo pipefail
BUILD=$(cd "${1:-build}" && pwd)
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
# Slow under valgrind and not about memory: timing-heavy tests are left out.
if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=(walk_tables reachability bad_requests snmpv3_only)
fi
rm -f "$BUILD"/valgrind.*.log
export H_BUILD=$BUILD H_SERVED_WAIT=300 # tenths of a second: valgrind starts slowly
rc=0
for t in "${tests[@]}"; do
	echo "== $t (valgrind)"
	bash "$top/tests/integration/$t.sh" 2>&1 | tail -n 3 || rc=1
done
logs=("$BUILD"/valgrind.*.log)
[ -e "${logs[0]}" ] || { echo "valgrind: no logs (was the agent started?)"; exit 1; }
def=0
errs=0
for f in "${logs[@]}"; do
	d=$(grep -oE 'definitely lost: [0-9,]+ bytes' "$f" | grep -oE '[0-9,]+' | tr -d , | head -1)
	e=$(grep -oE 'ERROR SUMMARY: [0-9]+' "$f" | grep -oE '[0-9]+$' | tail -1)
	echo "  $(basename "$f"): definitely lost ${d:-0} bytes, ${e:-?} errors"
	def=$((def + ${d:-0}))
	errs=$((errs + ${e:-0}))
done
echo "valgrind: ${#logs[@]} agent runs, $def bytes definitely lost, $errs errors"
[ "$def" -eq 0 ] && [ "$errs" -eq 0 ] && [ "$rc" -eq 0 ]
