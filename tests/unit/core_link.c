/*
 * core_link: a program of the core library alone (`make core-check`).
 * The Makefile links it with every core object and no Net-SNMP; here it
 * loads a config, builds the model and feeds it a round, so the link is
 * also shown to run.  Exit status 0 when the line came up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "model.h"

static void print_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "core_link: %s\n", msg);
}

static struct tslcd_config *load(void)
{
	char dir[] = "/tmp/tslcd-core-XXXXXX", path[64];

	if (!mkdtemp(dir))
		return NULL;
	snprintf(path, sizeof(path), "%s/tslcd.conf", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f,
	        "agent {\n state-dir = \"%s\"\n control-socket = \"\"\n}\n"
	        "probe {\n up-after = 1\n}\n"
	        "office {\n id = 1\n code = \"A\"\n name = \"A\"\n level = province\n"
	        " line { id = 1 carrier = vnpt bandwidth = 100 target = \"127.0.0.1\" }\n}\n",
	        dir);
	fclose(f);
	struct tslcd_config *cfg = config_load(path, print_error, NULL);
	unlink(path);
	rmdir(dir);
	return cfg;
}

int main(void)
{
	struct tslcd_config *cfg = load();
	struct model *m = cfg ? model_create(cfg, NULL, 1767225600, 1000u) : NULL;
	const struct probe_result ok = {PROBE_OK, 3, 3, 900, 1000, 1100, 40};

	if (!m)
		return 1;
	struct line *l = model_find_line(m, 1, 1);
	model_line_round(m, l, &ok, false, 1767225610, 11000u);
	int up = linestate_reported(&l->ls) == LINE_UP;
	model_free(m);
	puts(up ? "core: links and runs without Net-SNMP" : "core: line not up");
	return up ? 0 : 1;
}
