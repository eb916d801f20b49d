#!/usr/bin/env bash
# Integration-test harness: a private snmpd master, snmptrapd and agent on
# loopback in a temp dir, torn down on exit even when a test fails.
# Source it, then call h_setup.  Every address used is 127.0.0.1 or ::1, or
# inside namespaces the test itself creates.

H_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
H_BUILD=${H_BUILD:-$H_TOP/build}
H_AGENT=${H_AGENT:-$H_BUILD/tslcd-agent}
H_PASS=0
H_FAIL=0
H_PIDS=()
H_CLEANUPS=()
H_NETNS_LIST=() # namespaces h_netns_del_all removes

h_log() { printf '  %s\n' "$*"; }

h_setup() {
	H_TMP=$(mktemp -d /tmp/tslcd-test.XXXXXX)
	trap h_cleanup EXIT
	trap 'exit 130' INT TERM
	H_SOCK=$H_TMP/agentx.sock
	# snmp clients must not read ~/.snmp or /etc/snmp MIB settings
	export SNMPCONFPATH=$H_TMP
	export MIBS=""
	export MIBDIRS=""
}

h_cleanup() {
	local rc=$?
	for c in "${H_CLEANUPS[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
	# Newest first: the agent goes before the master it is attached to.
	local i
	for ((i = ${#H_PIDS[@]} - 1; i >= 0; i--)); do
		kill "${H_PIDS[i]}" 2>/dev/null || true
		h_wait_gone "${H_PIDS[i]}" 50
	done
	trap - EXIT
	# Our port claims (h_free_port) go with us.
	find "$H_PORTS" -maxdepth 1 -type l -lname "$H_TMP" -delete 2>/dev/null
	# Under `make check-asan` a sanitizer report (also a leak found at exit)
	# fails the test even when every assertion passed.
	if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$H_TMP"/*.log 2>/dev/null; then
		echo "sanitizer report in the logs above"
		rc=1
	fi
	if [ "$rc" -ne 0 ] || [ "$H_FAIL" -ne 0 ]; then
		echo "--- logs kept in $H_TMP"
		for f in "$H_TMP"/*.log; do
			[ -f "$f" ] || continue
			echo "--- $f (last 30 lines)"
			tail -n 30 "$f"
		done
	else
		rm -rf "$H_TMP"
	fi
	exit "$rc"
}

# Wait until a pid is gone (tenths of a second).
h_wait_gone() {
	local pid=$1 n=${2:-50}
	while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	kill -9 "$pid" 2>/dev/null || true
}

# A port for a test's listener: below the kernel's ephemeral range (a
# client's source port, snmpget's say, could take it between our pick and
# our bind), free now, and claimed in $H_PORTS for this test's lifetime so
# a test running beside it cannot pick it too.  A claim whose test
# directory is gone is stale and taken over.
H_PORTS=/tmp/tslcd-test-ports
h_claim_port() {
	local claim=$H_PORTS/$1 owner=${H_TMP:-/proc/$$}
	[ -d "$H_PORTS" ] && [ -w "$H_PORTS" ] || return 0 # another user's: no claims
	ln -s "$owner" "$claim" 2>/dev/null && return 0
	[ -e "$claim" ] && return 1 # claimed by a live test
	rm -f "$claim"              # stale: its test is gone
	ln -s "$owner" "$claim" 2>/dev/null
}
h_free_port() {
	local p lo span
	lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	span=$((${lo:-32768} - 20000))
	[ "$span" -ge 4000 ] || span=40000 # an odd range: as before
	mkdir -p "$H_PORTS" 2>/dev/null
	while :; do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % span))
		h_claim_port "$p" || continue
		if ss -Hlnu "sport = :$p" 2>/dev/null | grep -q . ||
			ss -Hlnt "sport = :$p" 2>/dev/null | grep -q .; then
			continue # in use by something else: keep the claim, pick again
		fi
		echo "$p"
		return
	done
}

# h_start_trapd [extra snmptrapd.conf lines...]
h_start_trapd() {
	H_TRAP_PORT=$(h_free_port)
	{
		echo "disableAuthorization yes"
		for l in "$@"; do echo "$l"; done
	} >"$H_TMP/snmptrapd.conf"
	snmptrapd -f -Lf "$H_TMP/traps.log" -C -c "$H_TMP/snmptrapd.conf" -X -n -On \
		-p "$H_TMP/trapd.pid" "udp:127.0.0.1:$H_TRAP_PORT" &
	H_TRAPD_PID=$!
	H_PIDS+=("$H_TRAPD_PID")
	# Bound, not just started: a notification sent before would be lost.
	h_wait_for 50 h_listening udp "$H_TRAP_PORT" || echo "snmptrapd did not bind its port"
}

# h_listening udp|tcp PORT: something listens on 127.0.0.1:PORT (or any address).
h_listening() {
	local flag=-Hlnu
	[ "$1" == tcp ] && flag=-Hlnt
	ss "$flag" "sport = :$2" 2>/dev/null | grep -q .
}

# h_start_master [extra snmpd.conf lines...]
h_start_master() {
	H_PORT=${H_PORT:-$(h_free_port)}
	{
		echo "master agentx"
		echo "agentXSocket unix:$H_SOCK"
		echo "agentXPerms 0660 0750"
		echo "agentXTimeout 5"
		echo "agentXRetries 1"
		echo "rocommunity public 127.0.0.1"
		echo "dontLogTCPWrappersConnects yes"
		[ -n "${H_TRAP_PORT:-}" ] && echo "trap2sink 127.0.0.1:$H_TRAP_PORT public"
		for l in "$@"; do echo "$l"; done
	} >"$H_TMP/snmpd.conf"
	mkdir -p "$H_TMP/snmpd-persist"
	SNMP_PERSISTENT_DIR=$H_TMP/snmpd-persist snmpd -f -Lf "$H_TMP/snmpd.log" -C \
		-c "$H_TMP/snmpd.conf" -I -smux -p "$H_TMP/snmpd.pid" "udp:127.0.0.1:$H_PORT" &
	H_MASTER_PID=$!
	H_PIDS+=("$H_MASTER_PID")
	local n=50
	while [ ! -S "$H_SOCK" ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	[ -S "$H_SOCK" ] || { echo "snmpd master did not start"; return 1; }
}

h_stop_master() {
	kill "$H_MASTER_PID" 2>/dev/null
	h_wait_gone "$H_MASTER_PID" 50
	rm -f "$H_SOCK"
}

# h_start_agent CONFIG [extra args]
h_start_agent() {
	local conf=$1
	shift
	${H_AGENT_WRAPPER:-} "$H_AGENT" -f -L -c "$conf" -x "$H_SOCK" -P 1 "$@" \
		>>"$H_TMP/agent.log" 2>&1 &
	H_AGENT_PID=$!
	H_PIDS+=("$H_AGENT_PID")
	h_wait_served "${H_SERVED_WAIT:-100}"
}

h_stop_agent() {
	kill "$H_AGENT_PID" 2>/dev/null
	h_wait_gone "$H_AGENT_PID" 100
}

H_VERSION_OID=.1.3.6.1.4.1.8072.9999.9999.84.1.1.1.0

# Wait (tenths of a second) until the agent answers through the master.
h_wait_served() {
	local n=${1:-100}
	while [ "$n" -gt 0 ]; do
		if snmpget -v2c -c public -On -t 0.5 -r 0 "udp:127.0.0.1:$H_PORT" \
			$H_VERSION_OID 2>/dev/null | grep -q STRING; then
			return 0
		fi
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

h_snmp() { # h_snmp CMD [args...] — numeric OIDs, no MIBs
	local cmd=$1
	shift
	"$cmd" -v2c -c public -On -t 2 -r 1 "udp:127.0.0.1:$H_PORT" "$@"
}

# The agent under test is the ASan+UBSan build.  (Not `ldd | grep -q`:
# under pipefail, grep leaving early can SIGPIPE ldd and fail the test.)
h_is_asan() { [[ $(ldd "$H_AGENT" 2>/dev/null) == *libasan* ]]; }

# String value of one OID, decoded from hex so UTF-8 survives (no MIB loaded).
h_get_str() {
	local hex
	hex=$(h_snmp snmpget -Ov -Ox "$1" | sed -E 's/^[A-Za-z-]+: //' | tr -d ' \n"')
	printf '%b' "$(sed -E 's/(..)/\\x\1/g' <<<"$hex")"
}

# Succeeds when the OIDs on stdin (one per line) strictly increase.
h_oids_increasing() {
	awk -F. '
	function less(a, b,   x, y, i, n) {
		n = split(a, x, "."); split(b, y, ".")
		for (i = 2; i <= n; i++) {
			if (!(i in y)) return 0
			if (x[i] + 0 != y[i] + 0) return x[i] + 0 < y[i] + 0
		}
		return length(y) > n
	}
	NR > 1 && !less(prev, $0) { print "not increasing: " prev " then " $0; bad = 1 }
	{ prev = $0 }
	END { exit bad }'
}

h_pass() {
	H_PASS=$((H_PASS + 1))
	h_log "ok: $*"
}

h_fail() {
	H_FAIL=$((H_FAIL + 1))
	h_log "FAIL: $*"
}

h_check() { # h_check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then h_pass "$what"; else h_fail "$what"; fi
}

h_expect_eq() { # h_expect_eq DESCRIPTION EXPECTED ACTUAL
	if [ "$2" == "$3" ]; then
		h_pass "$1"
	else
		h_fail "$1: expected '$2', got '$3'"
	fi
}

h_expect_match() { # h_expect_match DESCRIPTION EXTENDED-REGEX ACTUAL
	if [[ $3 =~ $2 ]]; then
		h_pass "$1"
	else
		h_fail "$1: expected /$2/, got '$3'"
	fi
}

# Wait until COMMAND succeeds, up to N tenths of a second.
h_wait_for() {
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

h_done() {
	echo "$(basename "$0" .sh): $H_PASS passed, $H_FAIL failed"
	[ "$H_FAIL" -eq 0 ]
}

# ---- network namespaces: "offices" behind veth links (root only) ----
# Addresses come from 198.18.0.0/15 (RFC 2544); a blackhole route on the
# host makes a probe to a namespace that is gone die locally.

h_netns_possible() {
	[ "$(id -u)" -eq 0 ] && ip netns add "tslcd-probe-$$" 2>/dev/null &&
		ip netns del "tslcd-probe-$$"
}

# A test that needs namespaces skips (passing) where there are none.
h_require_netns() {
	h_netns_possible && return 0
	echo "SKIP: network namespaces are not available here (needs root and ip netns)"
	h_done
	exit 0
}

# h_netns_office NAME N: namespace NAME with 198.18.N.2, host side 198.18.N.1
h_netns_office() {
	local ns=$1 n=$2
	local hv="th$n-$$" nv="tn$n-$$"
	ip route replace blackhole 198.18.0.0/15
	ip netns add "$ns" || return 1
	H_CLEANUPS+=("ip netns del $ns" "ip link del ${hv:0:15}")
	ip link add "${hv:0:15}" type veth peer name "${nv:0:15}" || return 1
	ip link set "${nv:0:15}" netns "$ns"
	ip addr add "198.18.$n.1/30" dev "${hv:0:15}"
	ip link set "${hv:0:15}" up
	ip -n "$ns" addr add "198.18.$n.2/30" dev "${nv:0:15}"
	ip -n "$ns" link set "${nv:0:15}" up
	ip -n "$ns" link set lo up
	H_NETNS_HOSTIF=${hv:0:15}
}

# ---- an aggregation router with many offices behind it (root only) ----
# The host reaches namespace H_AGG_NS through one veth (host tu<pid>
# 198.19.B.1/30, the router's end "wan" 198.19.B.2/30); behind the router
# each office is a namespace of its own on a veth of its own (router end
# o<i>, office end "wan"), forwarding on.  The host routes the block
# 198.19.B.0/20 through the router.  B is the first multiple of 16 whose
# block no route touches yet; adding the block's route is the claim (`ip
# route add` fails when it exists), so tests running side by side never
# share addresses.  Everything is made with `ip -batch`: 50 offices take a second.

# Address of slot J (1..1023) of the block, side 1 (router) or 2 (office).
h_agg_addr() {
	echo "$H_AGG_NET.$((H_AGG_B + $1 / 64)).$(($1 % 64 * 4 + $2))"
}

# No route of the main table (but the default and the blackhole) covers
# PREFIX or lies inside it: no one else uses its addresses.
h_prefix_free() {
	local inside covering
	inside=$(ip -4 route show root "$1")
	covering=$(ip -4 route show match "$1" | grep -v -e '^default ' -e '^blackhole 198\.18\.0\.0/15')
	[ -z "$inside" ] && [ -z "$covering" ]
}

# The router: sets H_AGG_NS, H_AGG_NET (198.19), H_AGG_B and H_AGG_ADDR
# (the router's address, on the host link).
h_netns_agg() {
	local hv="tu$$" b
	H_AGG_NS=tslcd-agg-$$
	H_AGG_NET=198.19
	ip route replace blackhole 198.18.0.0/15
	ip netns add "$H_AGG_NS" || return 1
	H_NETNS_LIST+=("$H_AGG_NS")
	H_CLEANUPS+=("h_netns_del_all")
	ip link add "$hv" type veth peer name wan netns "$H_AGG_NS" || return 1
	ip link set "$hv" up
	for b in $(seq 0 16 240); do
		h_prefix_free "$H_AGG_NET.$b.0/20" &&
			ip route add "$H_AGG_NET.$b.0/20" via "$H_AGG_NET.$b.2" dev "$hv" onlink 2>/dev/null &&
			break
		b=
	done
	[ -n "$b" ] || { echo "no free /20 in $H_AGG_NET.0.0/16"; return 1; }
	H_AGG_B=$b
	H_AGG_ADDR=$H_AGG_NET.$b.2
	ip addr add "$H_AGG_NET.$b.1/30" dev "$hv" || return 1
	ip -n "$H_AGG_NS" -batch - <<EOB || return 1
link set lo up
addr add $H_AGG_ADDR/30 dev wan
link set wan up
EOB
	ip netns exec "$H_AGG_NS" sysctl -qw net.ipv4.ip_forward=1
}

# h_netns_agg_offices N: namespaces H_OFFICE_NS[1..N] behind the router, office
# i at H_OFFICE_ADDR[i] (slot i of the block).
h_netns_agg_offices() {
	local n=$1 i
	declare -ga H_OFFICE_NS H_OFFICE_ADDR
	[ "$n" -le 1023 ] || return 1
	for ((i = 1; i <= n; i++)); do
		H_OFFICE_NS[i]=tslcd-o$i-$$
		H_OFFICE_ADDR[i]=$(h_agg_addr "$i" 2)
	done
	H_NETNS_LIST+=("${H_OFFICE_NS[@]:1:n}") # before: a half-made batch is cleaned up too
	for ((i = 1; i <= n; i++)); do echo "netns add ${H_OFFICE_NS[i]}"; done | ip -batch - ||
		return 1
	for ((i = 1; i <= n; i++)); do
		echo "link add o$i type veth peer name wan netns ${H_OFFICE_NS[i]}"
		echo "addr add $(h_agg_addr "$i" 1)/30 dev o$i"
		echo "link set o$i up"
	done | ip -n "$H_AGG_NS" -batch - || return 1
	# ip has no batch across namespaces: one process per office.
	for ((i = 1; i <= n; i++)); do
		ip -n "${H_OFFICE_NS[i]}" -batch - <<EOB || return 1
link set lo up
addr add ${H_OFFICE_ADDR[i]}/30 dev wan
link set wan up
route add default via $(h_agg_addr "$i" 1)
EOB
	done
}

# Cut and restore the router's link to the host, or office i's link to the
# router, at the router's end (the host's end loses its carrier and keeps
# its routes; nothing is re-added on restore).
h_netns_agg_cut() { ip -n "$H_AGG_NS" link set wan down; }
h_netns_agg_restore() { ip -n "$H_AGG_NS" link set wan up; }
h_netns_agg_office_cut() { ip -n "$H_AGG_NS" link set "o$1" down; }
h_netns_agg_office_restore() { ip -n "$H_AGG_NS" link set "o$1" up; }

# Every namespace of H_NETNS_LIST in one `ip -batch` (the veths go with
# them, the host's route with its veth).
h_netns_del_all() {
	[ "${#H_NETNS_LIST[@]}" -gt 0 ] || return 0
	printf 'netns del %s\n' "${H_NETNS_LIST[@]}" | ip -force -batch -
	H_NETNS_LIST=()
}

# Drop PCT % of packets arriving in namespace NS (nftables; no tc netem here).
h_netns_loss() {
	local ns=$1 pct=$2
	ip netns exec "$ns" nft delete table inet tslcdloss 2>/dev/null
	[ "$pct" -eq 0 ] && return 0
	ip netns exec "$ns" nft -f - <<NFT
table inet tslcdloss {
	chain in {
		type filter hook input priority 0; policy accept;
		numgen random mod 100 < $pct drop
	}
}
NFT
}

# ---- fake office routers: a second snmpd serving IF-MIB counters ----
# h_start_router NAME [extra snmpd.conf lines...]
# One snmpd on a free loopback port; all of mib-2 (sysUpTime, ifTable,
# ifXTable) comes from tests/lib/fake_ifmib.py reading $H_TMP/NAME.values,
# which the test (re)writes with h_router_values.  Sets H_RPORT[NAME] and
# H_RPID[NAME].  Community "public" unless the extra lines say otherwise.
h_start_router() {
	local name=$1
	shift
	declare -gA H_RPORT H_RPID
	local dir=$H_TMP/router-$name port
	port=$(h_free_port)
	mkdir -p "$dir/persist"
	[ -f "$H_TMP/$name.values" ] || : >"$H_TMP/$name.values"
	{
		echo "dontLogTCPWrappersConnects yes"
		echo "pass_persist .1.3.6.1.2.1 $H_TOP/tests/lib/fake_ifmib.py $H_TMP/$name.values"
		for l in "$@"; do echo "$l"; done
	} >"$dir/snmpd.conf"
	MIBS="" SNMP_PERSISTENT_DIR=$dir/persist snmpd -f -Lf "$H_TMP/router-$name.log" -C \
		-c "$dir/snmpd.conf" -I -smux,system_mib,ifTable,ifXTable,interface,sysORTable \
		"udp:127.0.0.1:$port" &
	H_RPID[$name]=$!
	H_RPORT[$name]=$port
	H_PIDS+=("$!")
	local n=50
	while [ "$n" -gt 0 ]; do
		ss -Hlnu "sport = :$port" 2>/dev/null | grep -q . && return 0
		sleep 0.1
		n=$((n - 1))
	done
	echo "router snmpd $name did not start"
	return 1
}

# h_router_values NAME < lines  — replace the router's values atomically.
h_router_values() {
	cat >"$H_TMP/$1.values.tmp" && mv -f "$H_TMP/$1.values.tmp" "$H_TMP/$1.values"
}

h_router_pause() { kill -STOP "${H_RPID[$1]}"; }
h_router_resume() { kill -CONT "${H_RPID[$1]}"; }
h_router_stop() {
	kill -CONT "${H_RPID[$1]}" 2>/dev/null
	kill "${H_RPID[$1]}" 2>/dev/null
	h_wait_gone "${H_RPID[$1]}" 50
}

# Numeric value of one OID through the master ("" when absent).
h_get_num() {
	h_snmp snmpget -Ov -Oe -Ot "$1" 2>/dev/null | grep -v 'No Such' |
		sed -E 's/^[A-Za-z0-9-]+: //; s/^\(([0-9]+)\).*/\1/' | tr -d ' "'
}

# Values of one table column through the master, one a line, in index order.
h_column() { h_snmp snmpwalk -Oqv -Oe "$1" 2>/dev/null | grep -E '^-?[0-9]+$'; }

# Numbers on stdin in short, each with how often it occurs: "2 x49, 4 x1".
h_tally_in() { sort -n | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }'; }

# A column in short: h_tally_in of its values.
h_tally() { h_column "$1" | h_tally_in; }

# Does every one of ROWS rows of COLUMN hold VALUE?  (h_wait_for-able)
h_all_are() { [ "$(h_tally "$1")" == "$2 x$3" ]; } # COLUMN VALUE ROWS

# h_clear_of_midnight SECONDS [ZONE]: a test that reads "today" or "this
# month" (in the agent's time zone, Asia/Ho_Chi_Minh by default) must not
# run across a midnight: when the next one is less than SECONDS away, wait
# until it has passed.  CI may start at any time of day.
h_clear_of_midnight() {
	local need=$1 zone=${2:-Asia/Ho_Chi_Minh} now left
	now=$(date +%s)
	left=$(($(TZ=$zone date -d 'tomorrow 00:00' +%s) - now))
	[ "$left" -ge "$need" ] && return 0
	h_log "midnight ($zone) in $left s: waiting for it, the test takes up to $need s"
	sleep $((left + 2))
}

# Milliseconds since T0 (a `date +%s%N`).
h_ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
