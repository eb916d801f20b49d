#!/usr/bin/env bash
# SNMP requests for random and edge OIDs, through a real master to the
# agent: past the end, inside index gaps, overlong and truncated indices,
# index 0, 2^32-1 and 2^32, unknown columns, every SET type.  Each gets the
# RFC 3416 answer and the agent stays up.  Everything TSLCD-MIB serves is
# read-only, so RFC 3416 4.2.5 step 2 makes every SET notWritable (no
# variable under the name's prefix could ever be created or modified, so
# noCreation never applies); a read-only community gets noAccess.
set -uo pipefail
. "$(dirname "$0")/../lib/harness.sh"
h_setup

R=.1.3.6.1.4.1.8072.9999.9999.84.1
O=$R.2.1
L=$R.3.1
cat >"$H_TMP/tslcd.conf" <<CONF
agent { control-socket = ""  state-dir = "$H_TMP" }
office { id = 1  code = "A"  name = "Văn phòng A"  level = province
	line { id = 1  carrier = vnpt  bandwidth = 1  probe = none }
	line { id = 3  carrier = viettel  bandwidth = 1  probe = none } }
office { id = 10  code = "B"  name = "Văn phòng B"  level = province }
office { id = 4294967295  code = "MAX"  name = "Trung ương"  level = central
	line { id = 4294967295  carrier = vnpt  bandwidth = 1  probe = none } }
CONF

# "private" may write (so SETs reach the agent); "tslcd" sees only our
# subtree, so a walk past its end meets endOfMibView.
h_start_master "rwcommunity private 127.0.0.1" \
	"view tslcd included .1.3.6.1.4.1.8072.9999.9999.84" \
	"rocommunity tslcd 127.0.0.1 -V tslcd" || exit 1
h_start_agent "$H_TMP/tslcd.conf" || { h_fail "agent served"; h_done; exit 1; }

snmp() { # snmp CMD COMMUNITY ARGS...: one try, output on one line
	local cmd=$1 c=$2
	shift 2
	"$cmd" -v2c -c "$c" -On -t 3 -r 0 "udp:127.0.0.1:$H_PORT" "$@" 2>&1 | tr '\n' ' '
}
NSO="No Such Object available"
NSI="No Such Instance currently exists"
EOV="No more variables left in this MIB View"

expect_get() { # expect_get WHAT OID ANSWER
	local out
	out=$(snmp snmpget public "$2")
	h_check "get $1 -> ${3%% *}...: $2" grep -qF "$3" <<<"$out"
}
expect_next() { # expect_next WHAT OID NEXT-OID [COMMUNITY]
	local out
	out=$(snmp snmpgetnext "${4:-public}" "$2")
	h_check "getnext $1: $2 -> $3" grep -qF "$3 = " <<<"$out"
}

# ---- reads ----
expect_get "existing scalar" $R.1.1.0 "STRING:"
expect_get "scalar without .0" $R.1.1 "$NSI"
expect_get "scalar with instance .1" $R.1.1.1 "$NSI"
expect_get "scalar with a long instance" $R.1.1.0.0.0.0 "$NSI"
expect_get "unknown scalar" $R.1.99.0 "$NSO"
expect_get "unknown group" $R.99.0 "$NSO"
expect_get "column without index" $O.2 "$NSI"
expect_get "index gap (offices 1, 10)" $O.2.5 "$NSI"
expect_get "index 0" $O.2.0 "$NSI"
expect_get "index 2^32-1 (exists)" $O.2.4294967295 "STRING: \"MAX\""
expect_get "overlong office index" $O.2.1.1 "$NSI"
expect_get "not-accessible index column" $O.1.1 "$NSO"
expect_get "column 0" $O.0.1 "$NSO"
expect_get "column past the last" $O.99.1 "$NSO"
expect_get "line index gap (lines 1, 3)" $L.2.1.2 "$NSI"
expect_get "truncated line index" $L.2.1 "$NSI"
expect_get "overlong line index" $L.2.1.1.1 "$NSI"
expect_get "line 2^32-1.2^32-1 (exists)" $L.2.4294967295.4294967295 "INTEGER:"
expect_get "outage that never happened" $R.4.1.2.1.1.1 "$NSI"

expect_next "from a gap to the next row" $O.2.5 $O.2.10
expect_next "from index 0 to the first row" $O.2.0 $O.2.1
expect_next "from the last row to the next column" $O.2.4294967295 $O.3.1
expect_next "from an overlong index" $O.2.1.1.1.1.1 $O.2.10
expect_next "from a line gap" $L.2.1.1.99 $L.2.1.3
expect_next "past the end of the view" $R.99 "$R.99" tslcd
h_check "getnext past the end is endOfMibView" \
	grep -qF "$EOV" <<<"$(snmp snmpgetnext tslcd $R.99)"
h_check "getnext past the whole tree is endOfMibView" \
	grep -qF "$EOV" <<<"$(snmp snmpgetnext tslcd .1.3.6.1.4.1.8072.9999.9999.85)"
bulk=$(snmpbulkget -v2c -c tslcd -On -t 5 -r 0 -Cn1 -Cr10000 "udp:127.0.0.1:$H_PORT" \
	$R.1.1.0 $R.1 2>&1)
h_check "getbulk, max-repetitions 10000: as many as fit ($(wc -l <<<"$bulk") varbinds)" \
	bash -c '[ "$(grep -c " = " <<<"$1")" -ge 100 ] && ! grep -qiE "error|timeout" <<<"$1"' _ "$bulk"
h_check "getbulk, max-repetitions 10000, past the end: endOfMibView" \
	grep -qF "$EOV" <<<"$(snmp snmpbulkget tslcd -Cn0 -Cr10000 $R.99)"

# Index 2^32 cannot be written by the Net-SNMP tools (they wrap it to 0), so
# it goes out as raw BER.  snmpd refuses a sub-identifier over 32 bits
# while parsing: no answer, or an error; never a value, and nothing breaks.
raw_get() { # raw_get OID-WITH-BIG-SUBID: prints "noanswer" or the varbind tag
	python3 - "$H_PORT" "$1" <<'PY'
import socket, sys
def ln(n): return bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 255])
def tlv(t, v): return bytes([t]) + ln(len(v)) + v
def sub(x):
    out = [x & 127]
    x >>= 7
    while x: out.append(128 | (x & 127)); x >>= 7
    return bytes(reversed(out))
ids = [int(x) for x in sys.argv[2].strip('.').split('.')]
oid = bytes([40 * ids[0] + ids[1]]) + b''.join(sub(i) for i in ids[2:])
vb = tlv(0x30, tlv(0x30, tlv(6, oid) + b'\x05\x00'))
pdu = tlv(0xa0, tlv(2, b'\x01') + tlv(2, b'\x00') + tlv(2, b'\x00') + vb)
msg = tlv(0x30, tlv(2, b'\x01') + tlv(4, b'public') + pdu)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3)
s.sendto(msg, ('127.0.0.1', int(sys.argv[1])))
try: r = s.recv(65535)
except socket.timeout: print('noanswer'); sys.exit()
print('tag=%02x' % r[-2] if r[-1] == 0 else 'value')
PY
}
big=$(raw_get "$O.2.4294967296")
h_check "index 2^32 (raw BER): no value ($big)" [ "$big" != value ]

# Random OIDs under our root: every answer is a value or an exception,
# getnext always moves forward, and no request fails with an error status.
python3 - >"$H_TMP/random.oids" <<'PY'
import random
random.seed(84)
edge = [0, 1, 2, 3, 9, 10, 11, 127, 128, 255, 256, 65535, 2**31 - 1, 2**31, 2**32 - 1]
for _ in range(300):
    n = random.randint(0, 8)
    print('.1.3.6.1.4.1.8072.9999.9999.84.1' +
          ''.join('.%d' % random.choice(edge + [random.randint(0, 50)]) for _ in range(n)))
PY
bad=0
while read -r -a batch; do
	out=$(snmpget -v2c -c public -On -t 3 -r 0 "udp:127.0.0.1:$H_PORT" "${batch[@]}" 2>&1)
	grep -qiE 'error|timeout' <<<"$out" && { bad=$((bad + 1)); echo "$out" | head -3; }
done < <(xargs -n 10 <"$H_TMP/random.oids")
h_expect_eq "300 random GETs in batches of 10: no error status or timeout" 0 "$bad"
back=0
while read -r oid; do
	got=$(snmp snmpgetnext tslcd "$oid" | grep -oE '^\.[0-9.]+')
	[ "$got" == "$oid" ] && continue # endOfMibView echoes the request
	printf '%s\n%s\n' "$oid" "$got" | h_oids_increasing >/dev/null || back=$((back + 1))
done < <(head -100 "$H_TMP/random.oids")
h_expect_eq "100 random GETNEXTs all move forward" 0 "$back"

# ---- writes: every SET type, on existing, missing and unknown objects ----
for tv in "i 1" "u 1" "t 1" "a 127.0.0.1" "o .1.3" "s abc" "x 0A" "d 1" "b 1" "U 1" "I -1" \
	"F 1.5" "D 2.5"; do
	out=$(snmp snmpset private $O.3.1 $tv)
	h_check "set ${tv%% *} on a read-only column: notWritable" grep -qF notWritable <<<"$out"
done
for oid in $R.1.1.0 $O.3.5 $O.3.0 $O.99.1 $R.1.99.0 $R.99.0 $L.2.1.2 "$R.4.1.2.1.1.1"; do
	out=$(snmp snmpset private "$oid" s x)
	h_check "set on $oid: notWritable" grep -qF notWritable <<<"$out"
done
out=$(snmp snmpset private $O.3.1 s a $O.3.10 i 1 $R.1.1.0 x 00)
h_check "multi-varbind set: notWritable, nothing changed" grep -qF notWritable <<<"$out"
h_expect_eq "office 1 name unchanged" '"Văn phòng A"' "$(h_get_str $O.3.1 | sed 's/.*/"&"/')"
out=$(snmp snmpset public $O.3.1 s x)
h_check "set with a read-only community: noAccess" grep -qF noAccess <<<"$out"

# ---- and the agent is still there, serving ----
h_check "agent process alive" kill -0 "$H_AGENT_PID"
h_check "agent still serves" h_wait_served 30
h_check "no crash or assertion in the agent log" bash -c "! grep -qiE 'assert|sanitizer|segv|abort' '$H_TMP/agent.log'"
h_done
