# tslcd-agent — see README.md.  `make demo` and `make check` are the two
# commands a newcomer needs; both install missing Debian packages first.

BUILD    ?= build
CC       ?= gcc
SAN      ?=
OPT      ?= -O2
CPPFLAGS += -D_GNU_SOURCE -Iagent
CFLAGS   += -std=c11 -Wall -Wextra -Werror -g $(OPT) -fno-strict-aliasing $(SAN)
LDFLAGS  += $(SAN)
LDLIBS   += -lnetsnmpagent -lnetsnmp -lconfuse -lssl -lcrypto -lanl -lm
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

AGENT_SRC := $(filter-out agent/main.c agent/tslcdctl.c,$(wildcard agent/*.c))
AGENT_OBJ := $(AGENT_SRC:agent/%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check unit integration mibcheck asan check-asan demo lint clean \
	valgrind bench fuzz

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

demo: deps
	@$(MAKE) -s all
	@bash tests/lib/demo.sh $(BUILD) $(DEMO_SECONDS)

lint:
	clang-format --dry-run -Werror agent/*.c agent/*.h tests/unit/*.c
	cppcheck --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
		-q -D_GNU_SOURCE -Iagent --suppress=missingIncludeSystem agent/

clean:
	rm -rf build build-asan
