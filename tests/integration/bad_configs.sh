#!/usr/bin/env bash
# Every file in tests/bad-configs/ is rejected by `tslcd-agent --check-config`
# with a message naming the file and the line its header expects (and the
# words of "# expect:"), a non-zero exit, and no crash (exit < 128).
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

DIR=$H_TOP/tests/bad-configs
n=0
for f in "$DIR"/*.conf; do
	name=$(basename "$f" .conf)
	line=$(sed -nE 's/^# expect-line: *([0-9]+).*/\1/p' "$f" | head -1)
	words=$(sed -nE 's/^# expect: *(.*)$/\1/p' "$f" | head -1)
	if [ -z "$line" ]; then
		h_fail "$name: no '# expect-line:' header"
		continue
	fi
	out=$(timeout 20 "$H_AGENT" --check-config -c "$f" 2>&1)
	rc=$?
	n=$((n + 1))
	if [ "$rc" -eq 0 ] || [ "$rc" -ge 128 ]; then
		h_fail "$name: exit $rc (want 1..127)"
	elif ! grep -qF "$f:$line:" <<<"$out"; then
		h_fail "$name: no '$f:$line:' in: $(head -c 400 <<<"$out")"
	elif [ -n "$words" ] && ! grep -qF -- "$words" <<<"$out"; then
		h_fail "$name: no '$words' in: $(head -c 400 <<<"$out")"
	else
		h_pass "$name: exit $rc, line $line${words:+, \"$words\"}"
	fi
done
h_check "at least 30 bad configs ($n)" [ "$n" -ge 30 ]

# Bad command-line values are refused with the option named, not read as 0
# (-P 0 would silently disable reconnecting to the master).
for p in abc 0 -1 5x 3601; do
	out=$("$H_AGENT" -P "$p" --check-config -c "$H_TOP/conf/demo.conf" 2>&1)
	rc=$?
	h_check "-P '$p' refused (exit $rc): $out" \
		bash -c "[ $rc -eq 2 ] && grep -qF -- \"-P '$p'\" <<<\"\$1\"" _ "$out"
done
h_check "-P 1 accepted" bash -c "'$H_AGENT' -P 1 --check-config -c '$H_TOP/conf/demo.conf' >/dev/null"
h_done
