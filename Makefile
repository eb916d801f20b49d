# tslcd-agent — see README.md.  `make demo` and `make check` are the two
# commands a newcomer needs; both install missing Debian packages first.

BUILD    ?= build
CC       ?= gcc
SAN      ?=
OPT      ?= -O2
CPPFLAGS += -D_GNU_SOURCE -Iagent -I$(BUILD)/gen
CFLAGS   += -std=c11 -Wall -Wextra -Werror -g $(OPT) -fno-strict-aliasing $(SAN)
LDFLAGS  += $(SAN)
LDLIBS   += -lnetsnmpagent -lnetsnmp -lconfuse -lssl -lcrypto -lsqlite3 -lsystemd -lanl -lm -lpthread
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

# The Net-SNMP-free core (README, "The core library"): state, rules and
# config, linked with CORE_LIBS only; `make core-check` proves it.
CORE_MOD  := model model_bw linestate availability outage maintenance bandwidth dayacct \
	readiness alarm config config_text config_error smallfile textcheck numarg secrets log \
	prober_params privilege readiness_report model_redundancy model_node alarm_rules alarm_area \
	heightened translit interval rtthist ivlog statefile alarmlog alarm_shelf agent_status grow \
	history history_db flap token_bucket line_stats probe_addr
CORE_OBJ  := $(CORE_MOD:%=$(BUILD)/obj/%.o)
CORE_LIBS := -lconfuse -lssl -lcrypto -lsqlite3 -lm -lpthread
# Unit tests of core modules: linked against the core library alone.
CORE_TEST := test_model test_linestate test_availability test_outage test_maintenance \
	test_bandwidth test_dayacct test_readiness test_alarm test_config test_config_text \
	test_numarg test_secrets test_textcheck test_log test_readiness_report test_alarm_rules \
	test_translit test_interval test_alarmlog test_alarm_shelf test_agent_status test_history test_grow \
	test_flap test_token_bucket test_probe_addr test_lazyacct
CORE_TEST_BIN := $(CORE_TEST:%=$(BUILD)/tests/%)
AGENT_SRC := $(filter-out agent/main.c agent/tslcdctl.c $(CORE_MOD:%=agent/%.c),$(wildcard agent/*.c))
AGENT_OBJ := $(AGENT_SRC:agent/%.c=$(BUILD)/obj/%.o)
AGENT_LIB := $(BUILD)/libtslcd.a $(BUILD)/libtslcd-core.a
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check core-check unit integration mibcheck asan check-asan demo lint clean \
	valgrind bench fuzz fuzz-bins fuzz-smoke man install deb check-package check-integrations check-zabbix

all: $(BUILD)/tslcd-agent $(BUILD)/tslcdctl

$(BUILD)/obj/%.o: agent/%.c $(wildcard agent/*.h) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The MIB is the one description of the served columns: the agent's column
# arrays are X-macros generated from it (mibs/gen-columns.py, python3 only).
# The Net-SNMP-free core never includes it.
MIB_COLUMNS := $(BUILD)/gen/mib_columns.h
$(MIB_COLUMNS): mibs/TSLCD-MIB.txt mibs/gen-columns.py
	@mkdir -p $(@D)
	python3 mibs/gen-columns.py mibs/TSLCD-MIB.txt > $@.tmp && mv $@.tmp $@

$(AGENT_OBJ): $(MIB_COLUMNS)

# The Makefile too: moving a module between the two libraries must rebuild both.
$(BUILD)/libtslcd-core.a: $(CORE_OBJ) Makefile
	rm -f $@ && ar rcs $@ $(CORE_OBJ)

# Everything else: the Net-SNMP modules, probing, history...
$(BUILD)/libtslcd.a: $(AGENT_OBJ) Makefile
	rm -f $@ && ar rcs $@ $(AGENT_OBJ)

$(BUILD)/tslcd-agent: $(BUILD)/obj/main.o $(AGENT_LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tslcdctl: $(BUILD)/obj/tslcdctl.o $(AGENT_LIB)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(AGENT_LIB) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(AGENT_LIB) $(LDFLAGS) $(LDLIBS) $(CHECK_LIBS) -o $@

$(CORE_TEST_BIN): $(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtslcd-core.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libtslcd-core.a $(LDFLAGS) $(CORE_LIBS) $(CHECK_LIBS) -o $@

# Every object of the core (--whole-archive) linked into a small program
# with CORE_LIBS only, then run; the core unit tests link the same way.
# A core module that needs Net-SNMP (or any module outside the core) fails
# the link; a Net-SNMP library creeping into CORE_LIBS fails the grep.
$(BUILD)/core_link: tests/unit/core_link.c $(BUILD)/libtslcd-core.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -Wl,--whole-archive $(BUILD)/libtslcd-core.a \
		-Wl,--no-whole-archive $(LDFLAGS) $(CORE_LIBS) -o $@

core-check: $(BUILD)/core_link $(CORE_TEST_BIN)
	@! readelf -d $^ | grep -i 'NEEDED.*netsnmp'
	@$(BUILD)/core_link

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

# Installs what is missing (Debian 12); a no-op when everything is there.
deps:
	@bash tests/lib/deps.sh

unit: $(UNIT_BIN)
	@bash tests/lib/run-unit.sh $(UNIT_BIN)

mibcheck: $(BUILD)/tslcd-agent
	@bash tests/mib/check-mib.sh
	@$(BUILD)/tslcd-agent --dump-oids > $(BUILD)/agent-oids.txt
	@bash tests/mib/oid-names.sh $(BUILD)/agent-oids.txt

integration: all $(BUILD)/tests/periodfill
	@bash tests/lib/run-integration.sh $(BUILD)

# periodfill writes a state file with the agent's own model and store
# (tests/integration/prev_periods.sh).
$(BUILD)/tests/periodfill: tests/lib/periodfill.c $(AGENT_LIB) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(AGENT_LIB) $(LDFLAGS) $(LDLIBS) -o $@

# Only the NMS-tool tests (integrations/: check_snmp, SNMPTT, Prometheus);
# `make integration` runs them too, with every other test.
check-integrations: deps all
	@for t in tests/integration/nms_*.sh; do H_BUILD=$(CURDIR)/$(BUILD) bash $$t || exit 1; done

# Zabbix 6.0 end to end (integrations/zabbix): a private PostgreSQL,
# zabbix_server and the frontend's API; heavy, so `make integration` skips it.
check-zabbix: deps all
	@ZABBIX=1 H_BUILD=$(CURDIR)/$(BUILD) bash tests/integration/nms_zabbix.sh

check: deps
	$(MAKE) all
	$(MAKE) core-check
	$(MAKE) unit
	$(MAKE) mibcheck
	$(MAKE) integration

# Same tests, ASan+UBSan build in its own directory.
asan:
	$(MAKE) BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all

# Leaks inside libnetsnmp cannot be traced under LSan (tests/lib/lsan.supp).
check-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lib/lsan.supp $(MAKE) BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		all core-check unit integration

# libFuzzer targets: each tests/fuzz/fuzz_NAME.c against an instrumented
# build of the agent library (clang, ASan+UBSan), in build-fuzz/fuzz/.
# (`ok = a() & b()` runs every check on purpose: clang's warning is off.)
# `make fuzz-smoke` runs each for FUZZ_SECONDS from tests/fuzz/corpus/NAME.
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60

fuzz: deps
	$(MAKE) BUILD=build-fuzz CC=clang SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
		OPT="-O1" fuzz-bins

fuzz-bins: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(AGENT_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $< $(AGENT_LIB) $(LDFLAGS) $(LDLIBS) -o $@

fuzz-smoke: fuzz
	@bash tests/fuzz/run-fuzz.sh build-fuzz $(FUZZ_SECONDS)

# Integration tests with the agent under valgrind (memcheck); definite
# leaks and memory errors fail it.  VALGRIND_TESTS picks scripts (default:
# a representative set, see tests/lib/run-valgrind.sh).  glibc's own exit
# cleanup (libc freeres) is skipped: it trips memcheck in glibc, not in us.
valgrind: all
	H_AGENT_WRAPPER="valgrind --leak-check=full --error-exitcode=99 \
		--errors-for-leak-kinds=definite --child-silent-after-fork=yes --run-libc-freeres=no \
		--log-file=$(CURDIR)/$(BUILD)/valgrind.%p.log" \
		bash tests/lib/run-valgrind.sh $(BUILD) $(VALGRIND_TESTS)

# ---- installation and packages (README, "Install on Debian / RHEL") ----
PREFIX      ?= /usr
SBINDIR     ?= $(PREFIX)/sbin
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
MIBDIR      ?= $(DATADIR)/snmp/mibs
DOCDIR      ?= $(DATADIR)/doc/tslcd-agent
SYSCONFDIR  ?= /etc
UNITDIR     ?= /lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
INSTALL     ?= install

MAN_PAGES := $(BUILD)/man/tslcd-agent.8 $(BUILD)/man/tslcdctl.8 $(BUILD)/man/tslcd.conf.5

man: $(MAN_PAGES)

$(BUILD)/man/%: packaging/man/% | $(BUILD)/man
	cp $< $@

$(BUILD)/man/tslcd.conf.5: packaging/man/tslcd.conf.5.in packaging/man/gen-conf-man.sh \
		$(BUILD)/tslcd-agent | $(BUILD)/man
	bash packaging/man/gen-conf-man.sh $(BUILD)/tslcd-agent > $@

$(BUILD)/man:
	mkdir -p $@

# The config is 0640 root:tslcd when the group exists (a packager's
# DESTDIR install leaves the group to the package's postinst).
install: all man
	$(INSTALL) -D -m 0755 $(BUILD)/tslcd-agent $(DESTDIR)$(SBINDIR)/tslcd-agent
	$(INSTALL) -D -m 0755 $(BUILD)/tslcdctl $(DESTDIR)$(BINDIR)/tslcdctl
	$(INSTALL) -D -m 0644 mibs/TSLCD-MIB.txt $(DESTDIR)$(MIBDIR)/TSLCD-MIB.txt
	$(INSTALL) -D -m 0644 packaging/systemd/tslcd-agent.service \
		$(DESTDIR)$(UNITDIR)/tslcd-agent.service
	$(INSTALL) -D -m 0644 packaging/systemd/sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/tslcd-agent.conf
	$(INSTALL) -D -m 0644 packaging/systemd/tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/tslcd-agent.conf
	$(INSTALL) -D -m 0640 conf/tslcd.conf $(DESTDIR)$(SYSCONFDIR)/tslcd/tslcd.conf
	if [ -z "$(DESTDIR)" ] && getent group tslcd >/dev/null; then \
		chgrp tslcd $(SYSCONFDIR)/tslcd/tslcd.conf; fi
	$(INSTALL) -D -m 0644 conf/snmpd.conf.d/tslcd.conf \
		$(DESTDIR)$(SYSCONFDIR)/snmp/snmpd.conf.d/tslcd.conf
	$(INSTALL) -D -m 0644 -t $(DESTDIR)$(MANDIR)/man8 $(BUILD)/man/tslcd-agent.8 $(BUILD)/man/tslcdctl.8
	$(INSTALL) -D -m 0644 -t $(DESTDIR)$(MANDIR)/man5 $(BUILD)/man/tslcd.conf.5
	$(INSTALL) -D -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	$(INSTALL) -D -m 0644 conf/tslcd.conf $(DESTDIR)$(DOCDIR)/examples/tslcd.conf

# dpkg-buildpackage on a copy of the tree, with packaging/debian as debian/.
deb:
	@bash packaging/debian-build.sh $(BUILD)/deb

# Builds the .deb, lints it, installs it and runs it beside a stock snmpd,
# purges it; checks the unit (tests/package/check-package.sh).  Root only.
check-package: deps
	@bash tests/package/check-package.sh $(BUILD)

demo: deps
	@$(MAKE) -s all
	@bash tests/lib/demo.sh $(BUILD) $(DEMO_SECONDS)

# cppcheck reads the generated column header too, so it sees every getter used.
lint: $(MIB_COLUMNS)
	clang-format --dry-run -Werror agent/*.c agent/*.h tests/unit/*.c tests/fuzz/*.c
	cppcheck --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
		-q -D_GNU_SOURCE -Iagent -I$(BUILD)/gen --suppress=missingIncludeSystem agent/

# Benchmarks against a baseline subagent and fping, loopback only (tests/bench/README.md).
BENCH_BIN := $(BUILD)/bench/baseline_subagent $(BUILD)/bench/getloop $(BUILD)/bench/pagecost \
	$(BUILD)/bench/ivfill
# ivfill drives the agent's own model and store.
$(BUILD)/bench/ivfill: tests/bench/ivfill.c $(AGENT_LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(AGENT_LIB) $(LDFLAGS) $(LDLIBS) -o $@
$(BUILD)/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LDFLAGS) -lnetsnmpagent -lnetsnmp -o $@

bench: all $(BENCH_BIN)
	@bash tests/bench/run.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz
