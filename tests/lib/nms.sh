#!/usr/bin/env bash
# Shared pieces of the NMS-tool tests (tests/integration/nms_*.sh): a fast
# probing config head, a line probed over TCP on 127.0.0.1, the office every
# test names in Vietnamese, and a GET that prints nothing for an absent value.

nms_conf_head() {
	echo "agent { control-socket = \"\"  state-dir = \"$H_TMP\" }"
	echo "probe { interval = 1 count = 1 timeout = 300 down-after = 2 up-after = 1 }"
}

nms_tcp() { echo "bandwidth = 20000  probe = tcp  target = \"127.0.0.1\"  port = $1"; }

# Office 10, one VNPT line probed on PORT.
nms_office_bn() {
	echo "office { id = 10  code = \"BN-UB\"  name = \"Ủy ban nhân dân tỉnh Bắc Ninh\"  level = province  province = \"27\""
	echo "	line { id = 1  carrier = vnpt  circuit = \"VNPT-BN-1\"  $(nms_tcp "$1") } }"
}

nms_get() { h_snmp snmpget -Oqv "$1" 2>/dev/null | grep -v '^No Such' | tr -d '"'; }
