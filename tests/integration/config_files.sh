#!/usr/bin/env bash
# Every file the config names (and the config itself) is read only if it
# is a regular file, non-blocking and size-capped (agent/smallfile.h), so a
# FIFO or a device is refused with FILE:LINE instead of blocking the agent;
# and a very long line is refused at its line (libconfuse's lexer is
# quadratic in the length of one token).  Each run is bounded by timeout:
# exit 124 is the hang this guards against.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

# expect_refused NAME CONF LINE WORDS: --check-config fails (1..127, no hang,
# no crash) with "CONF:LINE:" (LINE 0: "CONF:") and WORDS in its output.
expect_refused() {
	local name=$1 conf=$2 line=$3 words=$4 out rc where
	out=$(timeout 20 "$H_AGENT" --check-config -c "$conf" 2>&1 </dev/null)
	rc=$?
	where="$conf:$line:"
	[ "$line" = 0 ] && where="$conf:"
	if [ "$rc" -eq 0 ] || [ "$rc" -ge 124 ]; then
		h_fail "$name: exit $rc (want 1..123; 124 = timed out): $(head -c 300 <<<"$out")"
	elif ! grep -qF -- "$where" <<<"$out" || ! grep -qF -- "$words" <<<"$out"; then
		h_fail "$name: want '$where' and '$words' in: $(head -c 300 <<<"$out")"
	else
		h_pass "$name: exit $rc, $where $words"
	fi
}

# office_conf EXTRA...: one office (line 3 opens it), EXTRA lines from line 6 on.
office_conf() {
	printf 'agent { state-dir = "%s" control-socket = "" }\n' "$H_TMP/state"
	printf '# an office\noffice {\n\tid = 1  code = "BN-01"\n\tname = "UBND"  level = province\n'
	printf '%s\n' "$@"
	printf '\tline { id = 1  carrier = vnpt  bandwidth = 20000  probe = icmp  target = "127.0.0.1" }\n}\n'
}

mkfifo "$H_TMP/fifo"
# Something that opens the FIFO for writing would make a blocking open of
# it return; nothing does here, so a blocking reader hangs until timeout.

office_conf $'\ttls-endpoint = "127.0.0.1:8443"' $'\ttls-ca = "fifo"' >"$H_TMP/ca-fifo.conf"
expect_refused "tls-ca is a FIFO" "$H_TMP/ca-fifo.conf" 7 "not a regular file"

office_conf $'\ttls-endpoint = "127.0.0.1:8443"' $'\ttls-ca = "/dev/zero"' >"$H_TMP/ca-dev.conf"
expect_refused "tls-ca is a device" "$H_TMP/ca-dev.conf" 7 "not a regular file"

head -c $((5 << 20)) /dev/zero | tr '\0' 'A' >"$H_TMP/huge.pem"
office_conf $'\ttls-endpoint = "127.0.0.1:8443"' $'\ttls-ca = "huge.pem"' >"$H_TMP/ca-huge.conf"
expect_refused "tls-ca over the size cap" "$H_TMP/ca-huge.conf" 7 "too large"

echo "not a certificate" >"$H_TMP/notpem.pem"
office_conf $'\ttls-endpoint = "127.0.0.1:8443"' $'\ttls-ca = "notpem.pem"' >"$H_TMP/ca-notpem.conf"
expect_refused "tls-ca holds no certificate" "$H_TMP/ca-notpem.conf" 7 "no PEM certificate"

office_conf $'\treadiness-key = "fifo"' >"$H_TMP/key-fifo.conf"
expect_refused "readiness-key is a FIFO" "$H_TMP/key-fifo.conf" 6 "not a regular file"

printf 'authority "dept" { key = "%s" }\n' "$H_TMP/fifo" >"$H_TMP/auth-fifo.conf"
expect_refused "authority key is a FIFO" "$H_TMP/auth-fifo.conf" 1 "not a regular file"

mkfifo "$H_TMP/config-fifo.conf"
expect_refused "the config itself is a FIFO" "$H_TMP/config-fifo.conf" 0 "not a regular file"

# 4 MB of blanks in one line: took seconds in libconfuse before the cap.
{
	office_conf
	printf 'probe { interval = 10 %*s }\n' $((4 << 20)) ''
} >"$H_TMP/long-line.conf"
expect_refused "a 4 MB line" "$H_TMP/long-line.conf" 9 "longer than 65536 bytes"

# A long list is fine when it spans lines.
{
	office_conf
	printf 'authority "dept" {\n\tkey = "%s"\n\toffices = {\n' "$H_TMP/none.pub"
	for i in $(seq 1 20000); do printf '\t\t1,\n'; done
	printf '\t\t1 }\n}\n'
} >"$H_TMP/long-list.conf"
out=$(timeout 60 "$H_AGENT" --check-config -c "$H_TMP/long-list.conf" 2>&1)
h_check "a 20,000-value list over many lines is read (only the missing key is reported)" \
	bash -c 'grep -qF "none.pub" <<<"$1" && ! grep -q "longer than" <<<"$1"' _ "$out"
h_done
