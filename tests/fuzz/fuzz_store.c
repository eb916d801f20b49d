/*
 * libFuzzer target: the state-file loader (store_load), which reads a file
 * a crash, a full disk or an attacker with write access to the state
 * directory may have mangled.
 *
 * A SHA-256 trailer guards the records, so random bytes would almost never
 * get past it: the input is framed here instead.  An input that starts with
 * the magic is a whole file (the corpus holds real ones) whose trailer is
 * recomputed; any other input is the record area, given a valid header and
 * trailer.  Each run loads into a fresh model of a fixed config.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "config.h"
#include "model.h"
#include "store.h"

#define HDR_LEN    20 /* magic, u32 version, i64 written_at */
#define DIGEST_LEN 32

static const char magic[8] = "TSLCDST";
static char dir[64], conf[PATH_MAX], state[PATH_MAX];

/* Ids match the agent run that produced the seed corpus.  Lines 1.1 and
 * 1.2 poll counters, so bandwidth records reach the window restore (a
 * period of INT64_MAX once made it spin for ever). */
static const char config_text[] =
    "agent { control-socket = \"\" }\n"
    "office { id = 1 code = \"F1\" name = \"Fuzz 1\" level = province\n"
    "  line { id = 1 carrier = vnpt bandwidth = 1000 probe = tcp target = \"127.0.0.1\" port = 9\n"
    "    counters { router = \"127.0.0.1:161\" version = 2c community = \"f\" ifindex = 1 } }\n"
    "  line { id = 2 carrier = viettel bandwidth = 1000 probe = icmp target = \"127.0.0.1\"\n"
    "    counters { router = \"127.0.0.1:161\" version = 2c community = \"f\" ifindex = 2 } } }\n"
    "office { id = 2 code = \"F2\" name = \"Fuzz 2\" level = province\n"
    "  line { id = 1 carrier = vnpt bandwidth = 1000 probe = icmp target = \"::1\" } }\n";

static void write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		abort();
	close(fd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	snprintf(dir, sizeof(dir), "/tmp/tslcd-fuzz-store-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(conf, sizeof(conf), "%s/tslcd.conf", dir);
	snprintf(state, sizeof(state), "%s/" STORE_FILE, dir);
	write_file(conf, config_text, sizeof(config_text) - 1);
	config_allow_readable_secrets(true); /* mode 0600, but the fuzzer's owner may vary */
	return 0;
}

static void le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Header (unless the input has one) + input + a correct trailer. */
static uint8_t *frame(const uint8_t *data, size_t size, size_t *len)
{
	int whole = size >= HDR_LEN + DIGEST_LEN && !memcmp(data, magic, sizeof(magic));
	size_t body = whole ? size - DIGEST_LEN : HDR_LEN + size;
	uint8_t *buf = malloc(body + DIGEST_LEN);
	unsigned dlen = 0;

	if (!buf)
		abort();
	if (whole) {
		memcpy(buf, data, body);
	} else {
		memcpy(buf, magic, sizeof(magic));
		le(buf + 8, STORE_VERSION, 4);
		le(buf + 12, 1767225600, 8); /* 2026-01-01 */
		memcpy(buf + HDR_LEN, data, size);
	}
	EVP_Digest(buf, body, buf + body, &dlen, EVP_sha256(), NULL);
	*len = body + DIGEST_LEN;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_load_info info;
	size_t len;
	uint8_t *buf = frame(data, size, &len);
	struct tslcd_config *cfg = config_load(conf, NULL, NULL);
	struct model *m = cfg ? model_create(cfg, NULL, 1767225600, 1000) : NULL;

	if (!m)
		abort();
	write_file(state, buf, len);
	free(buf);
	store_load(m, dir, &info);
	alarm_set_free(&info.alarms);
	model_free(m);
	/* A rejected file is renamed aside: keep the directory small. */
	if (info.moved_to[0] == '/')
		unlink(info.moved_to);
	unlink(state);
	return 0;
}
