#!/usr/bin/env bash
# `make fuzz-smoke`: runs every built libFuzzer target for a bounded time
# from its seed corpus (tests/fuzz/corpus/NAME, read-only: new inputs go to
# a scratch copy), and reports executions and crashes per target.
# Usage: run-fuzz.sh BUILD_DIR SECONDS
set -uo pipefail
BUILD=${1:-build-fuzz}
SECS=${2:-60}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$BUILD/fuzz-out
mkdir -p "$OUT"
fail=0
total=0
for bin in "$BUILD"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	total=$((total + 1))
	name=$(basename "$bin")
	short=${name#fuzz_}
	work=$OUT/$short
	rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
	seeds=$TOP/tests/fuzz/corpus/$short
	[ -d "$seeds" ] && cp -r "$seeds"/. "$work/corpus/" 2>/dev/null
	dict=$TOP/tests/fuzz/$short.dict
	args=(-max_total_time="$SECS" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
		-artifact_prefix="$work/artifacts/")
	[ -f "$dict" ] && args+=(-dict="$dict")
	"$bin" "${args[@]}" "$work/corpus" >"$work/log" 2>&1
	rc=$?
	execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/log" | grep -oE '[0-9]+$')
	crashes=$(find "$work/artifacts" -type f | wc -l)
	echo "fuzz $short: ${execs:-?} executions in ${SECS} s, exit $rc, $crashes crash file(s)"
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		fail=$((fail + 1))
		grep -m5 -E 'ERROR|SUMMARY|==[0-9]+==' "$work/log" | sed 's/^/  /'
		find "$work/artifacts" -type f | sed 's/^/  artifact: /'
	fi
done
echo "fuzz-smoke: $((total - fail)) passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$total" -gt 0 ]
