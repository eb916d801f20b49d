#!/usr/bin/env bash
# Installs the Debian packages that building, testing and the demo need,
# but only those that are missing, so it is cheap to call every time.
set -euo pipefail

PKGS=(
	# build
	gcc make pkg-config libsnmp-dev libconfuse-dev libssl-dev check libsqlite3-dev libsystemd-dev
	# history reports: fixtures (sqlite3) and the HTML check in a real browser
	sqlite3 chromium
	# integration tests and demo: real snmpd master, clients, trap receiver
	snmpd snmp snmptrapd smitools iproute2 nftables openssl tzdata socat python3
	# bandwidth.sh's 64-bit counters (bc), nms_prometheus.sh's scrape (curl):
	# on this machine by chance, not on every Debian 12
	bc curl
	# history.db (agent) and reading it in the tests
	libsqlite3-dev sqlite3
	# lint, sanitizers, fuzzing, leaks, benchmarks
	clang-format cppcheck clang libclang-rt-14-dev valgrind fping procps
	# make check-package: build, lint and install the .deb, check the unit,
	# man pages and the RPM spec
	debhelper dpkg-dev fakeroot lintian adduser man-db groff-base systemd rpm rpmlint strace
	# integrations/: the NMS tools' own code (snmptt needs libnet-ip-perl and
	# does not depend on it; the exporter ships prometheus-snmp-generator)
	snmptt libnet-ip-perl monitoring-plugins-standard prometheus-snmp-exporter prometheus
	# make check-zabbix: Zabbix 6.0 server, its frontend's API under PHP's
	# built-in server, a private PostgreSQL; the template's generator (YAML)
	zabbix-server-pgsql zabbix-frontend-php php-pgsql php-cli postgresql python3-yaml
)

missing=()
for p in "${PKGS[@]}"; do
	[[ $p == \#* ]] && continue
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
# npm provides the IETF base MIBs for the MIB checks (never committed).
command -v npm >/dev/null 2>&1 || missing+=(npm)

[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: missing packages: ${missing[*]}; run as root or install them" >&2
		exit 1
	fi
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
