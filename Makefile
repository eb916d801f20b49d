# tslcd-agent — see README.md.  `make demo` and `make check` are the two
# commands a newcomer needs; both install missing Debian packages first.

BUILD    ?= build
CC       ?= gcc
SAN      ?=
OPT      ?= -O2
CPPFLAGS += -D_GNU_SOURCE -Iagent
CFLAGS   += -std=c11 -Wall -Wextra -Werror -g $(OPT) -fno-strict-aliasing $(SAN)
LDFLAGS  += $(SAN)
LDLIBS   += -lnetsnmpagent -lnetsnmp -lconfuse -lssl -lcrypto -lsqlite3 -lsystemd -lanl -lm -lpthread
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

AGENT_SRC := $(filter-out agent/main.c agent/tslcdctl.c,$(wildcard agent/*.c))
AGENT_OBJ := $(AGENT_SRC:agent/%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check unit integration mibcheck asan check-asan demo lint clean \
	valgrind bench fuzz fuzz-bins fuzz-smoke man install deb check-package check-integrations

all: $(BUILD)/tslcd-agent $(BUILD)/tslcdctl

$(BUILD)/obj/%.o: agent/%.c $(wildcard agent/*.h) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libtslcd.a: $(AGENT_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/tslcd-agent: $(BUILD)/obj/main.o $(BUILD)/libtslcd.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tslcdctl: $(BUILD)/obj/tslcdctl.o $(BUILD)/libtslcd.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtslcd.a | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libtslcd.a $(LDFLAGS) $(LDLIBS) $(CHECK_LIBS) -o $@

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

integration: all
	@bash tests/lib/run-integration.sh $(BUILD)

# Only the NMS-tool tests (integrations/: check_snmp, SNMPTT, Prometheus);
# `make integration` runs them too, with every other test.
check-integrations: deps all
	@for t in tests/integration/nms_*.sh; do H_BUILD=$(CURDIR)/$(BUILD) bash $$t || exit 1; done

check: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) mibcheck
	$(MAKE) integration

# Same tests, ASan+UBSan build in its own directory.
asan:
	$(MAKE) BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all

check-asan: deps
	$(MAKE) BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		all unit integration

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

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libtslcd.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $< $(BUILD)/libtslcd.a $(LDFLAGS) $(LDLIBS) -o $@

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

lint:
	clang-format --dry-run -Werror agent/*.c agent/*.h tests/unit/*.c tests/fuzz/*.c
	cppcheck --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
		-q -D_GNU_SOURCE -Iagent --suppress=missingIncludeSystem agent/

# Benchmarks against a baseline subagent and fping, loopback only (tests/bench/README.md).
BENCH_BIN := $(BUILD)/bench/baseline_subagent $(BUILD)/bench/getloop $(BUILD)/bench/pagecost \
	$(BUILD)/bench/ivfill
# ivfill drives the agent's own model and store.
$(BUILD)/bench/ivfill: tests/bench/ivfill.c $(BUILD)/libtslcd.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(BUILD)/libtslcd.a $(LDFLAGS) $(LDLIBS) -o $@
$(BUILD)/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $< $(LDFLAGS) -lnetsnmpagent -lnetsnmp -o $@

bench: all $(BENCH_BIN)
	@bash tests/bench/run.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz
