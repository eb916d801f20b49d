#!/usr/bin/env bash
# `make demo`: a private snmpd master on 127.0.0.1:16161 (UDP and TCP), the
# agent with conf/demo.conf, and the tables as an NMS would see them.
# Everything stays on loopback.  DEMO_SECONDS=N stops it after N seconds.
set -euo pipefail

BUILD=${1:-build}
SECONDS_TO_RUN=${2:-}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
DIR=$BUILD/demo
PORT=16161
# A fresh history each time, so every row shown comes from this run (the
# keys are kept: they stand for what offices already have).
rm -rf "$DIR/state" "$DIR/spool"
mkdir -p "$DIR/state" "$DIR/snmpd-persist"
rm -f "$DIR"/*.log

# shellcheck source=tests/mib/base-mibs.sh
. tests/mib/base-mibs.sh
tslcd_base_mibs_setup >/dev/null
export MIBDIRS=$TSLCD_MIB_PATH MIBS=TSLCD-MIB SNMPCONFPATH=$DIR

if ss -Hlnu "sport = :$PORT" | grep -q . || ss -Hlnt "sport = :$PORT" | grep -q .; then
	echo "demo: port $PORT is in use (another demo running?)" >&2
	exit 1
fi
# The node outage (conf/demo.conf, node 90): one listener on the PoP's and
# its three offices' loopback addresses, stopped after the first tables.
NODE_PORT=16163
NODE_ADDRS="127.0.5.1 127.0.5.11 127.0.5.12 127.0.5.13"
if ss -Hlnt "sport = :$NODE_PORT" | grep -q .; then
	echo "demo: port $NODE_PORT is in use (another demo running?)" >&2
	exit 1
fi

cat >"$DIR/snmpd.conf" <<CONF
master agentx
agentXSocket unix:$TOP/$DIR/agentx.sock
agentXPerms 0660 0750
rocommunity public 127.0.0.1
CONF

pids=()
# shellcheck source=tests/lib/harness.sh
. tests/lib/harness.sh # h_start_router: the demo's loopback "router"
H_TMP=$TOP/$DIR
H_PIDS=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	echo "demo: stopped (logs in $DIR)"
	find "$H_PORTS" -maxdepth 1 -type l -lname "$H_TMP" -delete 2>/dev/null
	# the agent wrote its last day rows as it stopped (defined further down)
	if declare -F demo_report >/dev/null; then demo_report; fi
}
trap cleanup EXIT
trap 'exit 0' INT TERM

SNMP_PERSISTENT_DIR=$DIR/snmpd-persist snmpd -f -Lf "$DIR/snmpd.log" -C -c "$DIR/snmpd.conf" \
	-I -smux -p "$DIR/snmpd.pid" "udp:127.0.0.1:$PORT,tcp:127.0.0.1:$PORT" &
pids+=($!)
for _ in $(seq 50); do [ -S "$DIR/agentx.sock" ] && break; sleep 0.1; done

# The PoP and the routers behind it: accept and close on every address.
# shellcheck disable=SC2086
python3 -c '
import selectors, socket, sys
sel = selectors.DefaultSelector()
for addr in sys.argv[2:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(sys.argv[1])))
    s.listen(64)
    sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        conn, _ = key.fileobj.accept()
        conn.close()
' "$NODE_PORT" $NODE_ADDRS &
NODE_PID=$!
pids+=("$NODE_PID")

# The office "router": a second snmpd on 127.0.0.1 and a free port whose
# IF-MIB counters move at fixed rates, in octets per centisecond (ifIndex 1:
# 30/10 Mbit/s in/out; 2: 70/20 Mbit/s; 3: 9/3 Mbit/s).  Lines 1.1 and 10.1
# have 100 Mbit/s contracts, 100.1 has 20 Mbit/s.
h_router_values router <<V
T0 $(date +%s)
.1.3.6.1.2.1.1.3.0 timeticks 0 1
.1.3.6.1.2.1.31.1.1.1.6.1 counter64 0 37500
.1.3.6.1.2.1.31.1.1.1.10.1 counter64 0 12500
.1.3.6.1.2.1.31.1.1.1.6.2 counter64 0 87500
.1.3.6.1.2.1.31.1.1.1.10.2 counter64 0 25000
.1.3.6.1.2.1.31.1.1.1.6.3 counter64 0 11250
.1.3.6.1.2.1.31.1.1.1.10.3 counter64 0 3750
V
h_start_router router "rocommunity demo-router 127.0.0.1" || exit 1
pids+=("${H_RPID[router]}")
ROUTER=127.0.0.1:${H_RPORT[router]}

# Readiness: Ed25519 keys for two offices, made here for this machine only.
# Office 12 files a signed report below; office 104 files none.
KEYS=$DIR/keys
SPOOL=$DIR/spool
mkdir -p "$KEYS" "$SPOOL"
for o in 12 104; do
	[ -f "$KEYS/office-$o.pem" ] ||
		openssl genpkey -algorithm ed25519 -out "$KEYS/office-$o.pem" 2>/dev/null
	openssl pkey -in "$KEYS/office-$o.pem" -pubout -out "$KEYS/office-$o.pub"
done
tab=$(printf '\t')
sed -e "s|^${tab}id = 12\$|&\n${tab}readiness-key = \"$TOP/$KEYS/office-12.pub\"|" \
	-e "s|^${tab}id = 104\$|&\n${tab}readiness-key = \"$TOP/$KEYS/office-104.pub\"|" \
	conf/demo.conf >"$DIR/demo.conf"
# Three lines read their counters from the router (the community is a
# secret: the copy is private).
for lc in "VNPT-BNH-0001-1 1" "VIETTEL-BNH-0010-1 2" "VIETTEL-BNH-0100-1 3"; do
	read -r circuit ifindex <<<"$lc"
	sed -i "s|^${tab}${tab}circuit = \"$circuit\"\$|&\n${tab}${tab}counters { router = \"$ROUTER\"  community = \"demo-router\"  ifindex = $ifindex  interval = 2 }|" \
		"$DIR/demo.conf"
done
# The node outage: offices 120-122 are behind the carrier PoP, node 90
# (conf/demo.conf), whose target is the demo's listener.
NODES=yes
chmod 600 "$DIR/demo.conf"
cat >>"$DIR/demo.conf" <<CONF

readiness { spool-dir = "$TOP/$SPOOL"  rescan = 2  sig-wait = 1 }
CONF

"$BUILD/tslcd-agent" -f -L -c "$DIR/demo.conf" -x "$TOP/$DIR/agentx.sock" -P 2 \
	>"$DIR/agent.log" 2>&1 &
pids+=($!)

# Office 12's report, filled in and signed as an office would, then moved
# into the spool (report first, signature last).
REPORT=$DIR/office-12-report.conf
"$BUILD/tslcdctl" -c "$DIR/demo.conf" readiness-template 12 |
	sed -e 's/^security-level = 0/security-level = 4/' \
		-e 's/^framework = unknown/framework = decree331/' \
		-e 's/^approval = none/approval = approved/' \
		-e "s/^pre-check = \"none\"/pre-check = \"$(date -d '-90 days' +%F)\"/" \
		-e 's/^lan-segmented = no/lan-segmented = yes/' \
		-e 's/^desk-pcs-protected = 0/desk-pcs-protected = 6/' \
		-e 's/^desk-pcs-total = 0/desk-pcs-total = 6/' \
		-e 's/^pcs-protected = 0/pcs-protected = 120/' \
		-e 's/^pcs-total = 0/pcs-total = 120/' \
		-e 's/^monitoring = no/monitoring = yes/' \
		-e "s/^last-inspection = \"none\"/last-inspection = \"$(date -d '-40 days' +%F)\"/" \
		-e "s/^last-drill = \"none\"/last-drill = \"$(date -d '-70 days' +%F)\"/" >"$REPORT"
openssl pkeyutl -sign -rawin -inkey "$KEYS/office-12.pem" -in "$REPORT" -out "$REPORT.sig"
cp "$REPORT" "$SPOOL/.r12.tmp" && mv "$SPOOL/.r12.tmp" "$SPOOL/office-12-report.conf"
cp "$REPORT.sig" "$SPOOL/.r12.sig.tmp" && mv "$SPOOL/.r12.sig.tmp" "$SPOOL/office-12-report.conf.sig"

SNMP="-v2c -c public udp:127.0.0.1:$PORT"
echo "demo: snmpd master on 127.0.0.1:$PORT, agent log in $DIR/agent.log"
echo "demo: letting the probes run for 10 seconds (3 failed rounds declare a line down)..."
sleep 10

# Tables are wide: snmptable splits them into parts; `show` keeps the first
# rows of each part so the screen stays readable.
show() { awk -v max="$1" '/^$/ { n = 0 } { if (n++ < max) print }'; }

echo
echo "=== Agent (tslcdAgent scalars)"
# shellcheck disable=SC2086
snmpbulkwalk $SNMP -Cr30 TSLCD-MIB::tslcdAgent | sed 's/^TSLCD-MIB:://'
echo
echo "=== Offices (tslcdOfficeTable): office 12 is degraded (its backup line is down),"
echo "    commune office 104 is isolated (its only line probes a closed port over IPv6)"
# shellcheck disable=SC2086
snmptable $SNMP -Cb -Ci -Cw 200 TSLCD-MIB::tslcdOfficeTable | show 16
echo
echo "=== Lines (tslcdLineTable)"
# shellcheck disable=SC2086
snmptable $SNMP -Cb -Ci -Cw 200 TSLCD-MIB::tslcdLineTable | show 16
echo
echo "=== Bandwidth (tslcdLineTable): lines 1.1, 10.1 and 100.1 read their counters from"
echo "    the demo router on $ROUTER; utilisation is of the contracted speed"
for l in 1.1 10.1 100.1; do
	# shellcheck disable=SC2086
	snmpget $SNMP -OqvU "TSLCD-MIB::tslcdLineInBps.$l" "TSLCD-MIB::tslcdLineOutBps.$l" \
		"TSLCD-MIB::tslcdLineInUtil.$l" "TSLCD-MIB::tslcdLineOutUtil.$l" \
		"TSLCD-MIB::tslcdLineCountersStatus.$l" | tr '\n' ' ' |
		awk -v l="$l" '{ printf "  line %-6s in %9s bit/s  out %9s bit/s  use in %8s %%  out %8s %%  poll %s\n", l, $1, $2, $3, $4, $5 }'
done
"$BUILD/tslcdctl" -s "$DIR/control.sock" bandwidth 1.1 | sed 's/^/  tslcdctl bandwidth 1.1: /'

echo
echo "=== Outage history (tslcdOutageTable): one row per outage, still open"
# shellcheck disable=SC2086
snmptable $SNMP -Cb -Ci TSLCD-MIB::tslcdOutageTable

echo
echo "=== Security readiness (tslcdReadinessTable): office 12 filed a signed report,"
echo "    office 104 has a key but no report yet"
for o in 12 104; do
	# shellcheck disable=SC2086
	snmpget $SNMP -Oqv "TSLCD-MIB::tslcdReadinessState.$o" "TSLCD-MIB::tslcdReadinessScore.$o" \
		"TSLCD-MIB::tslcdReadinessReason.$o" | sed 's/^No Such Instance.*/-/' | tr '\n' '|' |
		awk -F'|' -v o="$o" '{ printf "  office %-4s state %-8s score %-12s %s\n", o, $1, $2, ($3 == "" ? "(every item passes)" : $3) }'
done

# The node table comes with issue 14's MIB: an agent or MIB without it
# gets a note, and the demo goes on.
nodes() {
	# shellcheck disable=SC2086
	snmptable $SNMP -Cb -Ci -Cw 200 TSLCD-MIB::tslcdNodeTable 2>&1 ||
		echo "  (no node table: this agent or MIB predates upstream nodes)"
}
alarms() {
	# shellcheck disable=SC2086
	snmptable $SNMP -Cb -Ci TSLCD-MIB::tslcdAlarmTable || true
}

echo
echo "=== Upstream nodes (tslcdNodeTable): node 90, the carrier PoP offices 120-122 are behind"
nodes

echo
echo "=== Active alarms (tslcdAlarmTable): what an NMS resyncs from after missed traps"
alarms

# The outage: the PoP and everything behind it stop answering.  The node is
# down after down-after failed rounds, like a line; wait that and a little.
probe_opt() { awk -v k="$1" '/^probe \{/ { p = 1 } p && $1 == k { print $3; exit }' conf/demo.conf; }
OUTAGE_WAIT=$(($(probe_opt down-after) * $(probe_opt interval) + ($(probe_opt timeout) + 999) / 1000 + 3))
echo
echo "=== A node outage: the PoP \"VNPT Bắc Ninh PoP Từ Sơn\" (node 90) loses power; waiting"
echo "    $OUTAGE_WAIT seconds (down-after x interval + timeout, and a little)..."
kill "$NODE_PID" 2>/dev/null || true
sleep "$OUTAGE_WAIT"
echo
echo "=== Nodes (tslcdNodeTable) after the outage: node 90 is down"
nodes
echo
if [ "$NODES" = yes ]; then
	echo "=== Lines behind it: unreachable, not down (no lineDown or officeIsolated is sent for them)"
else
	echo "=== Lines behind it: down (this agent has no upstream nodes, so they are not unreachable)"
fi
for o in 120 121 122; do
	# shellcheck disable=SC2086
	snmpget $SNMP -Oqv "TSLCD-MIB::tslcdOfficeCode.$o" "TSLCD-MIB::tslcdOfficeOperStatus.$o" \
		"TSLCD-MIB::tslcdLineCircuitId.$o.1" "TSLCD-MIB::tslcdLineOperStatus.$o.1" 2>&1 | tr '\n' '|' |
		awk -F'|' -v o="$o" '{ printf "  office %-4s %-7s %-12s line %s.1 %-16s %s\n", o, $1, $2, o, $3, $4 }' || true
done
echo
if [ "$NODES" = yes ]; then
	echo "=== Active alarms (tslcdAlarmTable): one nodeDown row stands for the three offices"
else
	echo "=== Active alarms (tslcdAlarmTable): without nodes, each office raises its own alarms"
fi
alarms

# The monthly report from this run's own history (history.db in the state
# directory; the agent has stopped, so the day rows are final): HTML for a
# person, CSV for the officer's spreadsheet; the office table is shown here.
demo_report() {
	local db=$DIR/state/history.db period
	period=$(TZ=Asia/Ho_Chi_Minh date +%Y-%m)
	if [ ! -f "$db" ]; then
		echo "demo: no history.db in $DIR/state"
		return 0
	fi
	echo
	echo "=== The monthly report, from this run's history ($db):"
	echo "    tslcdctl report --period $period --db $db"
	"$BUILD/tslcdctl" report --db "$db" --period "$period" -o "$DIR/report.html" || return 0
	rm -rf "$DIR/report-csv"
	"$BUILD/tslcdctl" report --db "$db" --period "$period" --format csv --lang en \
		-o "$DIR/report-csv" || return 0
	# A few columns of offices.csv (the HTML has them all, with charts).
	python3 - "$DIR/report-csv/offices.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
print("  %-9s %-38s %9s %8s %9s %-12s %s" % ("office", "name", "avail %", "outages",
      "down s", "redundancy", "readiness"))
for r in rows:
    ppm = r["availability_raw_ppm"]
    pct = "%.4f" % (int(ppm) / 1e4) if ppm else "-"
    print("  %-9s %-38s %9s %8s %9s %-12s %s" % (r["code"], r["name"][:38], pct, r["outages"],
          r["downtime_s"], r["redundancy"], r["readiness"]))
PY
	echo "demo: report in $DIR/report.html (open it in a browser; prints on A4) and $DIR/report-csv/"
}

cat <<TXT

Try it yourself while the demo runs (in another shell, from $TOP):
  export MIBDIRS=$TSLCD_MIB_PATH MIBS=TSLCD-MIB
  snmpbulkwalk $SNMP TSLCD-MIB::tslcdObjects
  snmptable $SNMP -Cb -Ci TSLCD-MIB::tslcdOfficeTable
  snmpget $SNMP TSLCD-MIB::tslcdLineOperStatus.12.2
  snmptable $SNMP -Cb TSLCD-MIB::tslcdOutageTable
  snmptable $SNMP -Cb -Ci TSLCD-MIB::tslcdNodeTable
TXT
if [ -n "$SECONDS_TO_RUN" ]; then
	echo "demo: running for $SECONDS_TO_RUN more seconds"
	sleep "$SECONDS_TO_RUN"
else
	echo "demo: running until Ctrl-C"
	wait
fi
