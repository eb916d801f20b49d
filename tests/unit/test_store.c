/*
 * State store: what is saved comes back field by field; every damaged file
 * (truncated, bit-flipped, unknown version) is rejected and moved aside
 * without touching the model; unknown record types are skipped; ids no
 * longer configured are dropped; a failed save keeps the last good file;
 * encoding in slices gives the same bytes.
 */
#include "unit.h"
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "alarm_shelf.h"
#include "alarmlog.h"
#include "notify.h"
#include "store.h"

#define T0 1767225600 /* 2026-01-01 00:00:00 UTC */

static char dir[64];

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "config: %s\n", msg);
}

static const char *conf_a =
    "office {\n id = 1\n code = \"A\"\n name = \"Xã A\"\n level = province\n"
    " line { id = 1 carrier = vnpt bandwidth = 100 target = \"127.0.0.1\" }\n"
    " line { id = 2 carrier = viettel bandwidth = 100 target = \"::1\" }\n"
    "}\n"
    "office {\n id = 2\n code = \"B\"\n name = \"Xã B\"\n level = province\n"
    " line { id = 1 carrier = vnpt bandwidth = 100 target = \"127.0.0.2\" }\n"
    "}\n";

/* Office 1 keeps line 1 only, office 2 is gone, office 3 is new. */
static const char *conf_b =
    "office {\n id = 1\n code = \"A\"\n name = \"Xã A\"\n level = province\n"
    " line { id = 1 carrier = vnpt bandwidth = 100 target = \"127.0.0.1\" }\n"
    "}\n"
    "office {\n id = 3\n code = \"C\"\n name = \"Xã C\"\n level = province\n"
    " line { id = 1 carrier = vnpt bandwidth = 100 target = \"127.0.0.3\" }\n"
    "}\n";

static const char *agent_extra = ""; /* more of the agent section */

static struct model *model_from(const char *offices, time_t now)
{
	char path[128], text[4096];

	snprintf(path, sizeof(path), "%s/tslcd.conf", dir);
	snprintf(text, sizeof(text),
	         "agent {\n state-dir = \"%s\"\n control-socket = \"\"\n%s}\n"
	         "probe {\n down-after = 2\n up-after = 1\n}\n%s",
	         dir, agent_extra, offices);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(path, 0600); /* conf_bw holds a community */
	struct tslcd_config *cfg = config_load(path, collect, NULL);
	ck_assert_ptr_nonnull(cfg);
	unlink(path);
	struct model *m = model_create(cfg, NULL, now, (uint64_t)(now - T0) * 1000u + 1000u);
	ck_assert_ptr_nonnull(m);
	return m;
}

static void round_at(struct model *m, uint32_t o, uint32_t l, bool ok, time_t t)
{
	struct probe_result r = {.outcome = ok ? PROBE_OK : PROBE_NO_ANSWER, .sent = 3};
	uint64_t mono = (uint64_t)(t - T0) * 1000u + 1000u;

	if (ok)
		r = (struct probe_result){PROBE_OK, 3, 2, 900, 1000 + (uint32_t)(t % 97), 1500, 40};
	model_tick(m, t, mono);
	model_line_round(m, model_find_line(m, o, l), &r, false, t, mono);
}

/* About an hour of history: 1.1 down, up, down again (still open);
 * 1.2 always up; 2.1 down for good. */
static struct model *busy_model(time_t *end)
{
	struct model *m = model_from(conf_a, T0);
	time_t t = T0;

	for (int i = 0; i < 400; i++, t += 10) {
		bool down1 = (i >= 50 && i < 120) || i >= 300;
		round_at(m, 1, 1, !down1, t);
		round_at(m, 1, 2, true, t);
		round_at(m, 2, 1, i < 10, t);
	}
	struct outage *o = outage_find(&model_find_line(m, 1, 1)->outages, 1);
	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_null(outage_annotate(o, OUTAGE_CAUSE_FIBER_CUT, "VNPT-2026-77", 12));
	model_tick(m, t, (uint64_t)(t - T0) * 1000u + 1000u);
	*end = t;
	return m;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/tslcd-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("TZ", "Asia/Ho_Chi_Minh", 1);
	tzset();
}

static void empty_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
}

static void teardown(void)
{
	empty_dir();
	rmdir(dir);
}

/* Names in dir starting with prefix. */
static int count_files(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static uint8_t *slurp_file(const char *name, size_t *len)
{
	char p[128];
	static uint8_t buf[1 << 20];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "rb");
	ck_assert_ptr_nonnull(f);
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

static uint8_t *slurp(size_t *len)
{
	return slurp_file("state.bin", len);
}

static void spit_file(const char *name, const uint8_t *buf, size_t len)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static void spit(const uint8_t *buf, size_t len)
{
	spit_file("state.bin", buf, len);
}

static long file_size(const char *name)
{
	char p[128];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

/* Rewrite the SHA-256 trailer after editing the body on purpose. */
static void reseal(uint8_t *buf, size_t len)
{
	unsigned n = 0;
	ck_assert(EVP_Digest(buf, len - 32, buf + len - 32, &n, EVP_sha256(), NULL));
}

static void save(const struct model *m, time_t t)
{
	char err[256];
	ck_assert_msg(store_save(m, NULL, dir, t, err, sizeof(err)) == 0, "save: %s", err);
}

/* ---- field-by-field comparison ---- */

static void same_period(const struct avail_period *a, const struct avail_period *b)
{
	ck_assert_int_eq(a->key, b->key);
	ck_assert_uint_eq(a->up, b->up);
	ck_assert_uint_eq(a->down, b->down);
	ck_assert_uint_eq(a->maint, b->maint);
	ck_assert_uint_eq(a->outages, b->outages);
}

static void same_avail(const struct avail *a, const struct avail *b)
{
	ck_assert_int_eq(a->hour_head, b->hour_head);
	ck_assert_int_eq(a->day_head, b->day_head);
	for (unsigned i = 0; i < AVAIL_HOURS; i++) {
		ck_assert_uint_eq(a->hour[i].up, b->hour[i].up);
		ck_assert_uint_eq(a->hour[i].down, b->hour[i].down);
		ck_assert_uint_eq(a->hour[i].maint, b->hour[i].maint);
	}
	for (unsigned i = 0; i < AVAIL_DAYS; i++) {
		ck_assert_uint_eq(a->day[i].up, b->day[i].up);
		ck_assert_uint_eq(a->day[i].down, b->day[i].down);
		ck_assert_uint_eq(a->day[i].maint, b->day[i].maint);
	}
	same_period(&a->month, &b->month);
	same_period(&a->prev_month, &b->prev_month);
	same_period(&a->quarter, &b->quarter);
	same_period(&a->prev_quarter, &b->prev_quarter);
}

static void same_stats(const struct line_stats *a, const struct line_stats *b)
{
	for (unsigned i = 0; i < LINE_STATS_ROUNDS; i++) {
		ck_assert_uint_eq(a->ring[i].rtt_min_us, b->ring[i].rtt_min_us);
		ck_assert_uint_eq(a->ring[i].rtt_avg_us, b->ring[i].rtt_avg_us);
		ck_assert_uint_eq(a->ring[i].rtt_max_us, b->ring[i].rtt_max_us);
		ck_assert_uint_eq(a->ring[i].jitter_us, b->ring[i].jitter_us);
		ck_assert_uint_eq(a->ring[i].sent, b->ring[i].sent);
		ck_assert_uint_eq(a->ring[i].received, b->ring[i].received);
	}
	ck_assert_uint_eq(a->head, b->head);
	ck_assert_uint_eq(a->count, b->count);
	ck_assert_uint_eq(a->last_rtt_us, b->last_rtt_us);
}

static void same_outages(const struct outage_ring *a, const struct outage_ring *b)
{
	const struct outage *x = NULL, *y = NULL;

	ck_assert_uint_eq(a->last_index, b->last_index);
	ck_assert_uint_eq(a->count, b->count);
	while ((x = outage_next(a, x ? x->index : 0)) != NULL) {
		y = outage_next(b, y ? y->index : 0);
		ck_assert_ptr_nonnull(y);
		ck_assert_uint_eq(x->index, y->index);
		ck_assert_int_eq(x->start, y->start);
		ck_assert_int_eq(x->end, y->end);
		ck_assert_uint_eq(x->cause, y->cause);
		ck_assert_str_eq(x->ticket, y->ticket);
		ck_assert_uint_eq(x->last_rtt_us, y->last_rtt_us);
		ck_assert_uint_eq(x->loss_ppm, y->loss_ppm);
	}
}

static void same_line(const struct line *a, const struct line *b)
{
	ck_assert_uint_eq(a->ls.reported, b->ls.reported);
	ck_assert_uint_eq(a->ls.tracked, b->ls.tracked);
	ck_assert_uint_eq(a->ls.in_maint, b->ls.in_maint);
	ck_assert_uint_eq(a->ls.good_streak, b->ls.good_streak);
	ck_assert_uint_eq(a->ls.bad_streak, b->ls.bad_streak);
	ck_assert_uint_eq(a->ls.band_streak, b->ls.band_streak);
	ck_assert_int_eq(a->last_change, b->last_change);
	same_stats(&a->stats, &b->stats);
	same_avail(&a->av, &b->av);
	same_outages(&a->outages, &b->outages);
}

static void same_model(const struct model *a, const struct model *b)
{
	ck_assert_uint_eq(a->n_offices, b->n_offices);
	for (size_t i = 0; i < a->n_offices; i++) {
		const struct office *x = &a->offices[i], *y = &b->offices[i];
		ck_assert_uint_eq(x->cfg->id, y->cfg->id);
		ck_assert_uint_eq(x->status, y->status);
		ck_assert_int_eq(x->last_change, y->last_change);
		ck_assert_uint_eq(x->lines_up, y->lines_up);
		same_avail(&x->av, &y->av);
		for (size_t j = 0; j < x->n_lines; j++)
			same_line(&x->lines[j], &y->lines[j]);
	}
}

/* ---- tests ---- */

START_TEST(round_trip)
{
	time_t end;
	struct model *a = busy_model(&end);
	struct store_load_info info;
	struct line *l;

	notify_seq_resume(41); /* as if 41 notifications had been sent */
	save(a, end);
	struct model *b = model_from(conf_a, end + 100);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.notify_seq, 41); /* the sequence carries on */
	ck_assert_uint_eq(info.offices, 2);
	ck_assert_uint_eq(info.lines, 3);
	ck_assert_int_eq(info.written_at, end);
	same_model(a, b);
	/* Day totals come back as they were: the history's day rows carry on. */
	l = model_find_line(b, 1, 1);
	ck_assert_mem_eq(&model_find_line(a, 1, 1)->days, &l->days, sizeof(l->days));
	ck_assert_uint_gt(l->days.cur.down_s, 0);
	ck_assert_uint_gt(l->days.cur.attempts, l->days.cur.answers);
	ck_assert_mem_eq(&model_find_office(a, 1)->days, &model_find_office(b, 1)->days,
	                 sizeof(struct day_acct));

	/* What the MIB will show: history, an open outage, the line still down. */
	l = model_find_line(b, 1, 1);
	ck_assert_uint_eq(linestate_reported(&l->ls), LINE_DOWN);
	ck_assert_uint_eq(l->outages.count, 2);
	ck_assert_ptr_nonnull(outage_current(&l->outages));
	ck_assert_str_eq(outage_find(&l->outages, 1)->ticket, "VNPT-2026-77");
	struct avail_figures f;
	uint32_t ppm = 0;
	ck_assert(avail_window(&l->av, AVAIL_24H, end, &f));
	ck_assert(avail_ppm_raw(&f, &ppm));
	ck_assert_uint_lt(ppm, 1000000);
	ck_assert_uint_gt(ppm, 0);

	/* The open outage closes when the line comes back; indices go on. */
	round_at(b, 1, 1, true, end + 110);
	ck_assert_ptr_null(outage_current(&l->outages));
	ck_assert_int_eq(outage_find(&l->outages, 2)->end, end + 110);
	round_at(b, 1, 1, false, end + 120);
	round_at(b, 1, 1, false, end + 130);
	ck_assert_uint_eq(outage_current(&l->outages)->index, 3);
	model_free(a);
	model_free(b);
}
END_TEST

/* Lines are booked lazily (model.h): the save holds every line's books
 * up to the last tick, as a model settled after the tick has them. */
START_TEST(save_books_lazy_lines)
{
	time_t end, end2;
	struct model *a = busy_model(&end);
	struct model *settled = busy_model(&end2);
	struct store_load_info info;

	ck_assert_int_eq(end, end2);
	model_settle_all(settled);
	save(a, end);
	struct model *b = model_from(conf_a, end + 100);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	for (size_t i = 0; i < b->n_offices; i++)
		for (size_t j = 0; j < b->offices[i].n_lines; j++) {
			const struct line *want = &settled->offices[i].lines[j];
			const struct line *got = &b->offices[i].lines[j];
			same_avail(&want->av, &got->av);
			ck_assert_mem_eq(&want->days, &got->days, sizeof(got->days));
			ck_assert_mem_eq(&want->iv.cur.secs, &got->iv.cur.secs,
			                 sizeof(got->iv.cur.secs));
		}
	model_free(a);
	model_free(settled);
	model_free(b);
}
END_TEST

/* Intervals come back record for record; the one running at the save is
 * marked, since the agent stopped and started within it. */
START_TEST(intervals_round_trip)
{
	time_t end, start;
	struct model *a = busy_model(&end);
	struct store_load_info info;

	save(a, end);
	struct model *b = model_from(conf_a, end + 100);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	const struct interval_line *va = &model_find_line(a, 1, 1)->iv;
	const struct interval_line *vb = &model_find_line(b, 1, 1)->iv;
	ck_assert_uint_eq(va->count, 4); /* 4,000 s from a quarter hour */
	ck_assert_uint_eq(vb->count, 4);
	for (unsigned k = 1; k <= 4; k++)
		ck_assert_mem_eq(interval_get(va, k, &start), interval_get(vb, k, NULL),
		                 sizeof(struct interval_rec));
	ck_assert_int_eq(start, T0);
	ck_assert_uint_eq(interval_get(vb, 4, NULL)->suspect, INTERVAL_AGENT_START);
	ck_assert_uint_gt(interval_secs(interval_get(vb, 4, NULL), IV_DOWN), 0);
	ck_assert_uint_eq(interval_secs(interval_get(vb, 3, NULL), IV_DOWN),
	                  300); /* up again at 1,200 s */
	ck_assert_uint_eq(vb->cur.secs[IV_DOWN], va->cur.secs[IV_DOWN]);
	ck_assert_uint_eq(vb->cur.suspect, INTERVAL_AGENT_STOP | INTERVAL_AGENT_START);
	/* Line 2.1, down for good: whole intervals down. */
	ck_assert_uint_eq(
	    interval_secs(interval_get(&model_find_line(b, 2, 1)->iv, 2, NULL), IV_DOWN), 900);
	model_free(a);
	model_free(b);
}
END_TEST

START_TEST(missing_file_is_first_start)
{
	struct model *m = model_from(conf_a, T0);
	struct store_load_info info;

	ck_assert_int_eq(store_load(m, dir, &info), STORE_MISSING);
	model_free(m);
}
END_TEST

/* Loads buf as the state file: rejected, moved aside, model untouched. */
static void expect_rejected(struct model *m, const uint8_t *buf, size_t len, const char *why)
{
	struct store_load_info info;

	spit(buf, len);
	ck_assert_int_eq(store_load(m, dir, &info), STORE_CORRUPT);
	ck_assert_msg(!why || strstr(info.reason, why), "len %zu: reason '%s'", len, info.reason);
	ck_assert_int_eq(count_files("state.bin.corrupt-"), 1);
	ck_assert_int_eq(count_files("state.bin"), 1); /* only the moved one */
	ck_assert_uint_eq(linestate_reported(&model_find_line(m, 1, 1)->ls), LINE_UNKNOWN);
	ck_assert_uint_eq(model_find_line(m, 1, 1)->outages.count, 0);
	empty_dir();
}

START_TEST(truncated_rejected)
{
	struct model *a = model_from(conf_a, T0), *b = model_from(conf_a, T0);
	size_t len;

	for (int i = 0; i < 10; i++)
		round_at(a, 1, 1, i < 3, T0 + 10 * i); /* one outage, a few stats */
	save(a, T0 + 100);
	uint8_t *buf = slurp(&len);
	for (size_t n = 0; n < len; n++)
		expect_rejected(b, buf, n, NULL);
	model_free(a);
	model_free(b);
}
END_TEST

START_TEST(bit_flips_rejected)
{
	time_t end;
	struct model *a = busy_model(&end), *b = model_from(conf_a, T0);
	size_t len;

	save(a, end);
	uint8_t *buf = slurp(&len);
	for (size_t bit = 0; bit < len * 8; bit += 61) {
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		expect_rejected(b, buf, len, NULL);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	expect_rejected(b, buf, len - 1, "truncated or damaged"); /* last byte too */
	model_free(a);
	model_free(b);
}
END_TEST

START_TEST(unknown_version_rejected)
{
	struct model *a = model_from(conf_a, T0), *b = model_from(conf_a, T0);
	size_t len;

	save(a, T0);
	uint8_t *buf = slurp(&len);
	buf[8] = 2; /* the version follows the 8-byte magic */
	reseal(buf, len);
	expect_rejected(b, buf, len, "unknown format version 2");
	memcpy(buf, "NOTOURS!", 8);
	expect_rejected(b, buf, len, "bad magic");
	model_free(a);
	model_free(b);
}
END_TEST

START_TEST(unknown_record_skipped)
{
	time_t end;
	struct model *a = busy_model(&end), *b = model_from(conf_a, T0);
	struct store_load_info info;
	static uint8_t out[1 << 20];
	size_t len;
	/* type 99, 5 bytes, after the 20-byte header: a future engine's record */
	const uint8_t extra[] = {99, 0, 0, 0, 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o'};

	save(a, end);
	uint8_t *buf = slurp(&len);
	memcpy(out, buf, 20);
	memcpy(out + 20, extra, sizeof(extra));
	memcpy(out + 20 + sizeof(extra), buf + 20, len - 20);
	len += sizeof(extra);
	reseal(out, len);
	spit(out, len);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.skipped_records, 1);
	same_model(a, b);
	model_free(a);
	model_free(b);
}
END_TEST

START_TEST(vanished_ids_dropped)
{
	time_t end;
	struct model *a = busy_model(&end), *b = model_from(conf_b, end);
	struct store_load_info info;

	save(a, end);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.offices, 1);
	ck_assert_uint_eq(info.lines, 1);
	ck_assert_uint_eq(info.dropped_offices, 1); /* office 2 */
	ck_assert_uint_eq(info.dropped_lines, 2);   /* 1.2 and 2.1 */
	same_line(model_find_line(a, 1, 1), model_find_line(b, 1, 1));
	ck_assert_uint_eq(linestate_reported(&model_find_line(b, 3, 1)->ls), LINE_UNKNOWN);
	ck_assert_uint_eq(model_find_office(b, 3)->status, OFFICE_UNKNOWN);
	model_free(a);
	model_free(b);
}
END_TEST

START_TEST(failed_save_keeps_last_good)
{
	time_t end;
	struct model *a = busy_model(&end);
	struct rlimit rl;
	char err[256];
	size_t len, len2;

	save(a, T0);
	uint8_t *good = slurp(&len);
	uint8_t *copy = malloc(len);
	memcpy(copy, good, len);
	/* A full disk, as far as write(2) can tell. */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &rl);
	struct rlimit small = {.rlim_cur = 512, .rlim_max = rl.rlim_max};
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	ck_assert_int_eq(store_save(a, NULL, dir, end, err, sizeof(err)), -1);
	setrlimit(RLIMIT_FSIZE, &rl);
	ck_assert_msg(strstr(err, "write") && strstr(err, "too large"), "err: %s", err);
	ck_assert_int_eq(count_files("state.bin.tmp"), 0);
	uint8_t *now = slurp(&len2);
	ck_assert_uint_eq(len, len2);
	ck_assert(memcmp(copy, now, len) == 0);
	ck_assert_int_eq(store_save(a, NULL, "/nonexistent/dir", end, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	free(copy);
	model_free(a);
}
END_TEST

/* The whole model in one pass, in fresh memory. */
static void encode_whole(struct store_encoder *e, const struct model *m, time_t end)
{
	store_enc_begin(e, (struct store_buf){0}, end, 0);
	ck_assert(store_enc_step(e, m, SIZE_MAX));
}

static void assert_same_bytes(const struct store_buf *got, const struct store_buf *want)
{
	ck_assert_uint_eq(got->len, want->len);
	ck_assert(memcmp(got->p, want->p, want->len) == 0);
}

/* The background saver encodes a few lines per loop turn: any slicing
 * must give the bytes of one pass, offices split across slices included. */
START_TEST(sliced_encoding_is_identical)
{
	time_t end;
	struct model *a = busy_model(&end);
	struct store_encoder whole, part;

	encode_whole(&whole, a, end);
	for (size_t n = 1; n <= 3; n++) {
		unsigned steps = 0;
		store_enc_begin(&part, (struct store_buf){0}, end, 64);
		while (!store_enc_step(&part, a, n))
			ck_assert_uint_lt(++steps, 10);
		ck_assert_uint_eq(steps, (3 + n - 1) / n - 1);
		ck_assert_uint_eq(part.lines, 3);
		assert_same_bytes(&part.b, &whole.b);
		store_enc_free_log(&part);
		store_buf_free(&part.b);
	}
	store_enc_free_log(&whole);
	store_buf_free(&whole.b);
	model_free(a);
}
END_TEST

/* The saver keeps one buffer for all saves: what an earlier, larger save
 * left in it must not leak into the next one. */
START_TEST(reused_buffer_is_clean)
{
	time_t end;
	struct model *a = busy_model(&end);
	struct store_encoder whole, again;
	struct store_buf junk = {0};

	encode_whole(&whole, a, end);
	ck_assert(store_buf_reserve(&junk, 2 * whole.b.len));
	memset(junk.p, 0xAA, junk.cap);
	junk.len = junk.cap;
	store_enc_begin(&again, junk, end, whole.b.len);
	ck_assert_ptr_eq(again.b.p, junk.p); /* no new allocation */
	ck_assert(store_enc_step(&again, a, SIZE_MAX));
	assert_same_bytes(&again.b, &whole.b);
	store_enc_free_log(&again);
	store_enc_free_log(&whole);
	store_buf_free(&again.b);
	store_buf_free(&whole.b);
	model_free(a);
}
END_TEST

/* Two alarms as the notifier holds them: office 1's redundancy, line 1.1 down. */
static void alarms_of(struct alarm_set *s)
{
	const struct alarm_key k1 = {ALARM_REDUNDANCY, 1, 0}, k2 = {ALARM_LINE_DOWN, 1, 1};
	struct alarm *a;

	alarm_set_init(s);
	a = alarm_add(s, &k1);
	a->severity = SEV_MAJOR;
	a->raised = T0 + 5;
	a->value = 1;
	a->threshold = 2;
	a->seq = 9;
	snprintf(a->text, sizeof(a->text), "redundancy of office 1");
	a = alarm_add(s, &k2);
	a->severity = SEV_CRITICAL;
	a->raised = T0 + 7;
	a->value = -3;
	a->extra.report_time = T0;
	snprintf(a->extra.readiness_reason, sizeof(a->extra.readiness_reason), "why");
}

START_TEST(alarms_round_trip)
{
	struct model *a = model_from(conf_a, T0), *b = model_from(conf_a, T0);
	struct store_load_info info;
	struct alarm_set want;
	char err[256];

	alarms_of(&want);
	ck_assert_int_eq(store_save(a, &want, dir, T0 + 10, err, sizeof(err)), 0);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.alarms.n, 2);
	ck_assert_uint_eq(info.alarms.last_id, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct alarm *x = want.v[i], *y = info.alarms.v[i];
		ck_assert_int_eq(alarm_key_cmp(&x->key, &y->key), 0);
		ck_assert_uint_eq(x->id, y->id);
		ck_assert_uint_eq(x->severity, y->severity);
		ck_assert_int_eq(x->raised, y->raised);
		ck_assert_int_eq(x->value, y->value);
		ck_assert_int_eq(x->threshold, y->threshold);
		ck_assert_uint_eq(y->seq, 0); /* this run has not announced it */
		ck_assert_str_eq(x->text, y->text);
		ck_assert_str_eq(x->extra.readiness_reason, y->extra.readiness_reason);
		ck_assert_int_eq(x->extra.report_time, y->extra.report_time);
	}
	alarm_set_free(&info.alarms);

	/* Two rows with one index cannot be served: the file is refused. */
	size_t len;
	want.v[1]->id = want.v[0]->id;
	ck_assert_int_eq(store_save(a, &want, dir, T0 + 10, err, sizeof(err)), 0);
	uint8_t *buf = slurp(&len);
	expect_rejected(b, buf, len, "two alarms share one id");
	alarm_set_free(&want);
	model_free(a);
	model_free(b);
}
END_TEST

/* ---- intervals.log: closed intervals written once, outside the state file ---- */

/* One frame holding one interval of the three lines of conf_a. */
#define FRAME_1IV (8 + 14 + 3 * (13 + 26) + 32)
#define LOG_HDR   12

static void rounds_until(struct model *m, time_t from, time_t to)
{
	for (time_t t = from; t <= to; t += 60) {
		round_at(m, 1, 1, true, t);
		round_at(m, 1, 2, true, t);
		round_at(m, 2, 1, true, t);
	}
}

/* The closed record of interval num, or NULL. */
static const struct interval_rec *rec_at(const struct interval_line *v, int32_t num)
{
	int32_t k = v->head - num + 1;
	return k >= 1 && k <= (int32_t)v->count ? interval_get(v, (unsigned)k, NULL) : NULL;
}

static void same_closed(const struct interval_line *want, const struct interval_line *got,
                        int32_t from, int32_t to)
{
	for (int32_t n = from; n <= to; n++) {
		ck_assert_ptr_nonnull(rec_at(want, n));
		ck_assert_ptr_nonnull(rec_at(got, n));
		ck_assert_mem_eq(rec_at(want, n), rec_at(got, n), sizeof(struct interval_rec));
	}
}

/* A save appends what closed since the last one, and nothing else; the
 * state file keeps no closed record; a restart gets them back. */
START_TEST(log_appends_each_interval_once)
{
	time_t end;
	struct model *a = busy_model(&end); /* 4 intervals closed */
	struct store_load_info info;
	const int32_t n0 = (int32_t)(T0 / 900);

	save(a, end);
	long s1 = file_size("intervals.log");
	ck_assert_int_eq(s1, LOG_HDR + 8 + 14 + 3 * (13 + 4 * 26) + 32);
	save(a, end + 10);
	ck_assert_int_eq(file_size("intervals.log"), s1); /* nothing closed since */
	rounds_until(a, end + 60, T0 + 4560);             /* the fifth closes at 4,500 s */
	save(a, T0 + 4560);
	ck_assert_int_eq(file_size("intervals.log"), s1 + FRAME_1IV);
	struct model *b = model_from(conf_a, T0 + 4600);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_int_eq(info.iv.status, IVLOG_LOADED);
	ck_assert_uint_eq(info.iv.frames, 2);
	ck_assert_uint_eq(info.iv.records, 15);
	const struct interval_line *va = &model_find_line(a, 1, 1)->iv;
	const struct interval_line *vb = &model_find_line(b, 1, 1)->iv;
	ck_assert_uint_eq(vb->count, 5);
	same_closed(va, vb, n0, n0 + 4);
	ck_assert_uint_eq(vb->cur.suspect, INTERVAL_AGENT_STOP | INTERVAL_AGENT_START);
	model_free(a);
	model_free(b);
}
END_TEST

/* A crash while the second save appends: its frame is torn (cut in the
 * frame header, the payload or the checksum; zeros; a bad checksum) and
 * the state file is still the first save's.  Only that frame is lost: the
 * interval it held comes back from the first state file's running
 * interval, marked agentStop, and the log goes on cleanly. */
START_TEST(torn_append_loses_only_that_frame)
{
	time_t end;
	struct model *a = busy_model(&end), *b = NULL;
	struct store_load_info info;
	static uint8_t state1[1 << 20], log2[1 << 20], log_orig[1 << 20];
	size_t state1_len, log_len;
	const int32_t n0 = (int32_t)(T0 / 900);

	save(a, end);
	size_t s1 = (size_t)file_size("intervals.log");
	uint8_t *got = slurp(&state1_len);
	memcpy(state1, got, state1_len);
	rounds_until(a, end + 60, T0 + 4560);
	save(a, T0 + 4560);
	got = slurp_file("intervals.log", &log_len);
	memcpy(log_orig, got, log_len);
	ck_assert_uint_eq(log_len, s1 + FRAME_1IV);
	for (int v = 0; v < 5; v++) {
		size_t len = v == 0 ? s1 + 5 : v == 1 ? s1 + 100 : log_len - (v == 2);
		memcpy(log2, log_orig, log_len);
		if (v == 3)
			memset(log2 + s1, 0, log_len - s1);
		if (v == 4)
			log2[s1 + 50] ^= 1; /* a bad checksum */
		spit(state1, state1_len);
		spit_file("intervals.log", log2, len);
		model_free(b);
		b = model_from(conf_a, T0 + 4600);
		ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
		ck_assert_int_eq(info.iv.status, IVLOG_LOADED);
		ck_assert_uint_eq(info.iv.frames, 1);
		ck_assert_uint_eq(info.iv.torn_bytes, len - s1);
		ck_assert_int_eq(file_size("intervals.log"), (long)s1);
		const struct interval_line *vb = &model_find_line(b, 1, 1)->iv;
		ck_assert_uint_eq(vb->count, 5);
		same_closed(&model_find_line(a, 1, 1)->iv, vb, n0, n0 + 3);
		ck_assert(rec_at(vb, n0 + 4)->suspect & INTERVAL_AGENT_STOP);
		ck_assert_uint_gt(interval_secs(rec_at(vb, n0 + 4), IV_DOWN),
		                  0); /* the first save's part */
	}
	/* The next save appends after the cut, and the file reads clean. */
	save(b, T0 + 4600);
	struct model *c = model_from(conf_a, T0 + 4650);
	ck_assert_int_eq(store_load(c, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.iv.frames, 2);
	ck_assert_uint_eq(info.iv.torn_bytes, 0);
	same_closed(&model_find_line(b, 1, 1)->iv, &model_find_line(c, 1, 1)->iv, n0, n0 + 4);
	model_free(a);
	model_free(b);
	model_free(c);
}
END_TEST

/* A full disk during the append: the save fails, the log is cut back to
 * what it was (no torn frame before later ones), the state file is the
 * last good one, and the next save appends the same interval. */
START_TEST(failed_append_keeps_the_log)
{
	time_t end;
	struct model *a = busy_model(&end);
	struct store_load_info info;
	struct rlimit rl;
	char err[256];
	static uint8_t state1[1 << 20];
	size_t len, state1_len;
	const int32_t n0 = (int32_t)(T0 / 900);

	save(a, end);
	long s1 = file_size("intervals.log");
	uint8_t *got = slurp(&state1_len);
	memcpy(state1, got, state1_len);
	rounds_until(a, end + 60, T0 + 4560);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &rl);
	struct rlimit small = {.rlim_cur = (rlim_t)s1 + 100, .rlim_max = rl.rlim_max};
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	ck_assert_int_eq(store_save(a, NULL, dir, T0 + 4560, err, sizeof(err)), -1);
	setrlimit(RLIMIT_FSIZE, &rl);
	ck_assert_msg(strstr(err, "intervals.log") && strstr(err, "too large"), "err: %s", err);
	ck_assert_int_eq(file_size("intervals.log"), s1);
	got = slurp(&len);
	ck_assert_uint_eq(len, state1_len);
	ck_assert(memcmp(got, state1, len) == 0);
	save(a, T0 + 4570);
	ck_assert_int_eq(file_size("intervals.log"), s1 + FRAME_1IV);
	struct model *b = model_from(conf_a, T0 + 4600);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.iv.frames, 2);
	ck_assert_uint_eq(info.iv.torn_bytes, 0);
	same_closed(&model_find_line(a, 1, 1)->iv, &model_find_line(b, 1, 1)->iv, n0, n0 + 4);
	model_free(a);
	model_free(b);
}
END_TEST

/* One frame a minute for 232 minutes: the file never holds much more than
 * twice the 96 intervals kept, and a restart gets the newest 96 back. */
START_TEST(log_compacted)
{
	struct store_load_info info;
	time_t t = T0;
	long most = 0;
	const int minutes = 2 * INTERVAL_KEEP + 40;

	agent_extra = " interval-minutes = 1\n";
	struct model *a = model_from(conf_a, T0);
	for (int i = 0; i < minutes; i++, t += 60) {
		rounds_until(a, t, t);
		save(a, t + 1);
		long n = file_size("intervals.log");
		most = n > most ? n : most;
	}
	ck_assert_int_le(most, LOG_HDR + (2 * INTERVAL_KEEP + 2) * FRAME_1IV);
	ck_assert_int_ge(file_size("intervals.log"), LOG_HDR + (INTERVAL_KEEP - 1) * FRAME_1IV);
	ck_assert_int_eq(count_files("intervals.log.tmp-"), 0);
	struct model *b = model_from(conf_a, t);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_int_eq(info.iv.status, IVLOG_LOADED);
	const struct interval_line *va = &model_find_line(a, 1, 1)->iv;
	const struct interval_line *vb = &model_find_line(b, 1, 1)->iv;
	ck_assert_uint_eq(vb->count, INTERVAL_KEEP);
	same_closed(va, vb, vb->head - INTERVAL_KEEP + 1, va->head); /* b closed 2 more */
	agent_extra = "";
	model_free(a);
	model_free(b);
}
END_TEST

/* Acknowledgements ride on the alarm record, shelves have their own; both
 * come back after a restart. */
START_TEST(acks_and_shelves_round_trip)
{
	struct model *a = model_from(conf_a, T0), *b = model_from(conf_a, T0);
	struct store_load_info info;
	struct alarm_set want;
	char err[256];
	time_t now = time(NULL);
	struct shelf sh = {.kind = SHELF_LINE, .key = {0, 1, 1}, .since = now, .until = now + 3600};

	alarms_of(&want);
	want.v[1]->acked = T0 + 8;
	snprintf(want.v[1]->acked_by, sizeof(want.v[1]->acked_by), "noc (uid 0)");
	snprintf(want.v[1]->note, sizeof(want.v[1]->note), "Cáp quang đứt");
	snprintf(sh.by, sizeof(sh.by), "uid 0");
	snprintf(sh.note, sizeof(sh.note), "planned work");
	ck_assert_ptr_null(notify_shelve(&sh));
	ck_assert_int_eq(store_save(a, &want, dir, now, err, sizeof(err)), 0);
	notify_shutdown();
	ck_assert_uint_eq(notify_shelves()->n, 0);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.alarms.n, 2);
	const struct alarm *y = info.alarms.v[1];
	ck_assert_int_eq(y->acked, T0 + 8);
	ck_assert_str_eq(y->acked_by, "noc (uid 0)");
	ck_assert_str_eq(y->note, "Cáp quang đứt");
	ck_assert_int_eq(info.alarms.v[0]->acked, 0);
	ck_assert_uint_eq(notify_shelves()->n, 1);
	const struct shelf *got = &notify_shelves()->v[0];
	ck_assert_int_eq(got->kind, SHELF_LINE);
	ck_assert_int_eq(got->until, now + 3600);
	ck_assert_str_eq(got->note, "planned work");
	notify_shutdown();
	alarm_set_free(&info.alarms);
	alarm_set_free(&want);
	model_free(a);
	model_free(b);
}
END_TEST

/* The notification log and the cleared alarms come back in order, with
 * their keys, into rings sized before the load. */
START_TEST(logs_round_trip)
{
	struct model *a = model_from(conf_a, T0), *b = model_from(conf_a, T0);
	struct store_load_info info;
	char err[256];

	alarmlog_reset();
	ck_assert(alarmlog_resize(ALARMLOG_NOTIFY, 4));
	ck_assert(alarmlog_resize(ALARMLOG_CLEARED, 4));
	for (uint32_t seq = 7; seq <= 9; seq++) {
		struct notelog_entry e = {.seq = seq,
		                          .time = T0 + seq,
		                          .type = ALARM_LINE_DOWN,
		                          .clear = seq == 8,
		                          .severity = seq == 8 ? SEV_CLEARED : SEV_MAJOR,
		                          .fate = seq == 9 ? FATE_SHELVED : FATE_SENT,
		                          .office = 1,
		                          .line = 1,
		                          .value = -2};
		snprintf(e.text, sizeof(e.text), "Đường %u", seq);
		ck_assert_ptr_nonnull(alarmlog_note(&e));
	}
	struct cleared_entry c = {.alarm_id = 4,
	                          .type = ALARM_LINE_DOWN,
	                          .severity = SEV_MAJOR,
	                          .office = 1,
	                          .line = 1,
	                          .raised = T0 + 7,
	                          .cleared = T0 + 8,
	                          .raise_seq = 7,
	                          .clear_seq = 8,
	                          .acked = T0 + 7};
	snprintf(c.acked_by, sizeof(c.acked_by), "noc (uid 0)");
	alarmlog_cleared_resume(40);
	ck_assert_uint_eq(alarmlog_cleared(&c)->index, 41);
	ck_assert_int_eq(store_save(a, NULL, dir, T0 + 10, err, sizeof(err)), 0);
	alarmlog_reset();
	ck_assert(alarmlog_resize(ALARMLOG_NOTIFY, 2)); /* smaller now: the newest stay */
	ck_assert(alarmlog_resize(ALARMLOG_CLEARED, 4));
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(alarmlog_count(ALARMLOG_NOTIFY), 2);
	const struct notelog_entry *e = alarmlog_at(ALARMLOG_NOTIFY, 0);
	ck_assert_uint_eq(e->seq, 8);
	ck_assert(e->clear);
	ck_assert_int_eq(e->value, -2);
	ck_assert_str_eq(e->text, "Đường 8");
	ck_assert_uint_eq(((const struct notelog_entry *)alarmlog_at(ALARMLOG_NOTIFY, 1))->fate,
	                  FATE_SHELVED);
	const struct cleared_entry *y = alarmlog_at(ALARMLOG_CLEARED, 0);
	ck_assert_uint_eq(y->index, 41);
	ck_assert_uint_eq(y->clear_seq, 8);
	ck_assert_str_eq(y->acked_by, "noc (uid 0)");
	ck_assert_uint_eq(alarmlog_cleared_last(), 41);
	alarm_set_free(&info.alarms);
	alarmlog_reset();
	model_free(a);
	model_free(b);
}
END_TEST

/* ---- hostile files: a good checksum around values no agent writes ---- */

/* Office 1 line 1 polls its router: its window is restored. */
static const char *conf_bw =
    "office {\n id = 1\n code = \"A\"\n name = \"Xã A\"\n level = province\n"
    " line { id = 1 carrier = vnpt bandwidth = 100 target = \"127.0.0.1\"\n"
    "  counters { router = \"127.0.0.1:161\" version = 2c community = \"c\" ifindex = 1 } }\n"
    "}\n";

struct craft {
	uint8_t b[4096];
	size_t n;
};

static void c_le(struct craft *c, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		c->b[c->n++] = i < 8 ? (uint8_t)(v >> (8 * i)) : 0; /* wider: zeros */
}

static void c_header(struct craft *c)
{
	c->n = 0;
	memcpy(c->b, "TSLCDST", 8);
	c->n = 8;
	c_le(c, STORE_VERSION, 4);
	c_le(c, T0, 8);
}

/* A record of line 1.1: its header (the length patched by c_rec_end) and ids. */
static size_t c_rec_begin(struct craft *c, uint32_t type)
{
	c_le(c, type, 4);
	c_le(c, 0, 4);
	size_t start = c->n;
	c_le(c, 1, 4); /* office */
	c_le(c, 1, 4); /* line */
	return start;
}

static void c_rec_end(struct craft *c, size_t start)
{
	for (unsigned i = 0; i < 4; i++)
		c->b[start - 4 + i] = (uint8_t)((c->n - start) >> (8 * i));
}

/* One STORE_REC_OFFICE record for office 1, up since last_change, its
 * availability empty but for day bucket 0's up seconds. */
static void c_office(struct craft *c, int64_t last_change, uint32_t day0_up)
{
	c_le(c, STORE_REC_OFFICE, 4);
	c_le(c, 0, 4);
	size_t start = c->n;
	c_le(c, 1, 4);
	c_le(c, 2, 1); /* up */
	c_le(c, (uint64_t)last_change, 8);
	c_le(c, (uint64_t)(T0 / 3600), 4);
	c_le(c, (uint64_t)(T0 / 86400), 4);
	c_le(c, 0, 25 * 6);  /* hours */
	c_le(c, day0_up, 4); /* day 0: up */
	c_le(c, 0, 8);       /* day 0: down, maint */
	c_le(c, 0, 30 * 12); /* days 1..30 */
	c_le(c, 0, 4 * 20);  /* months and quarters */
	c_rec_end(c, start);
}

/* One STORE_REC_BANDWIDTH record for line 1.1, the window holding n samples. */
static void c_bandwidth(struct craft *c, int64_t last_period, int64_t acc_period, uint32_t n)
{
	size_t start = c_rec_begin(c, STORE_REC_BANDWIDTH);

	c_le(c, 300, 4); /* sample_s */
	c_le(c, 0, 1);   /* have_prev */
	c_le(c, 0, 4);   /* uptime_cs */
	c_le(c, 0, 1);   /* width */
	c_le(c, 0, 16);  /* in, out */
	c_le(c, 0, 1);   /* has_disc */
	c_le(c, 0, 8);   /* disc_cs, ifindex */
	c_le(c, 0, 24);  /* last_ok, last_fail, disc_time */
	c_le(c, (uint64_t)acc_period, 8);
	c_le(c, 0, 24); /* acc_octets, acc_cs */
	c_le(c, 0, 96); /* month and quarter calendars: none */
	c_le(c, (uint64_t)last_period, 8);
	c_le(c, n, 4);
	c_le(c, 0, 4 * n);
	c_rec_end(c, start);
}

static void c_seal(struct craft *c)
{
	c->n += 32;
	reseal(c->b, c->n);
}

/* One STORE_REC_INTERVALS record for line 1.1: len, head, count, no
 * records (a count above 0 then reads as truncated or out of range). */
static void c_intervals(struct craft *c, unsigned len, int32_t head, unsigned count, int32_t num)
{
	size_t start = c_rec_begin(c, STORE_REC_INTERVALS);

	c_le(c, len, 2);
	c_le(c, (uint32_t)head, 4);
	c_le(c, count, 1);
	c_le(c, (uint32_t)num, 4);
	c_le(c, 0, 8 + 1 + 16 + 32 + 32); /* secs, suspect, counts, sums, histogram */
	c_le(c, 0, 26 * (count > 96 ? 0 : count));
	c_rec_end(c, start);
}

/* A state file from before intervals.log (record 7 with closed records,
 * newest first) still loads them, and the next save moves them to the log. */
START_TEST(legacy_closed_intervals_load)
{
	const int32_t head = (int32_t)(T0 / 900) + 2;
	const struct interval_rec recs[3] = {
	    /* 900 s: low byte 0x84, high bits 3 in the state's pair of secs_hi */
	    {.secs_lo = {[IV_UP] = 0x84},
	     .secs_hi = 3u << (2 * IV_UP),
	     .sent = 10,
	     .answered = 9,
	     .rtt_min = 100,
	     .rtt_avg = 150},
	    {.secs_lo = {[IV_DOWN] = 0x84}, .secs_hi = 3u << (2 * IV_DOWN), .sent = 10},
	    {.secs_lo = {[IV_MAINT] = 0x84},
	     .secs_hi = 3u << (2 * IV_MAINT),
	     .suspect = INTERVAL_AGENT_START},
	};
	struct store_load_info info;
	struct craft c;

	c_header(&c);
	size_t start = c_rec_begin(&c, STORE_REC_INTERVALS);
	c_le(&c, 900, 2);
	c_le(&c, (uint32_t)head, 4);
	c_le(&c, 3, 1);
	c_le(&c, (uint32_t)head + 1, 4);   /* running */
	c_le(&c, 0, 8 + 1 + 16 + 32 + 32); /* secs, suspect, counts, sums, histogram */
	for (int i = 0; i < 3; i++, c.n += INTERVAL_REC_BYTES)
		interval_pack(&recs[i], c.b + c.n);
	c_rec_end(&c, start);
	c_seal(&c);
	spit(c.b, c.n);
	struct model *b = model_from(conf_a, T0 + 3000);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_int_eq(info.iv.status, IVLOG_MISSING);
	const struct interval_line *v = &model_find_line(b, 1, 1)->iv;
	ck_assert_uint_eq(v->count, 3);
	for (unsigned k = 1; k <= 3; k++)
		ck_assert_mem_eq(interval_get(v, k, NULL), &recs[k - 1], sizeof(recs[0]));
	save(b, T0 + 3000);
	struct model *d = model_from(conf_a, T0 + 3010);
	ck_assert_int_eq(store_load(d, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.iv.frames, 1);
	ck_assert_uint_eq(info.iv.records, 3);
	same_closed(v, &model_find_line(d, 1, 1)->iv, head - 2, head);
	model_free(b);
	model_free(d);
}
END_TEST

/* One STORE_REC_ALARM as the agent before issue 17 wrote it (lineDown of
 * 1.1, id 3), then optionally the acknowledgement appended since. */
static void c_alarm(struct craft *c, bool ack, const char *by)
{
	c_le(c, STORE_REC_ALARM, 4);
	c_le(c, 0, 4);
	size_t start = c->n;
	c_le(c, ALARM_LINE_DOWN, 4);
	c_le(c, 1, 4);
	c_le(c, 1, 4);
	c_le(c, 3, 4);         /* id */
	c_le(c, SEV_MAJOR, 1); /* severity */
	c_le(c, T0 - 60, 8);   /* raised */
	c_le(c, 2, 4);         /* value */
	c_le(c, 2, 4);         /* threshold */
	c_le(c, 4, 2);         /* text */
	memcpy(c->b + c->n, "down", 4);
	c->n += 4;
	c_le(c, 0, 4); /* readiness_state */
	c_le(c, 0, 2); /* readiness_reason */
	c_le(c, 0, 8); /* report_time */
	c_le(c, 0, 4); /* cert_days_left */
	if (ack) {
		c_le(c, T0 - 30, 8);
		c_le(c, strlen(by), 2);
		memcpy(c->b + c->n, by, strlen(by));
		c->n += strlen(by);
		c_le(c, 0, 2); /* note */
	}
	c_rec_end(c, start);
}

/* A STORE_REC_SHELF of line 1.1. */
static void c_shelf(struct craft *c, uint8_t kind, int64_t since, int64_t until)
{
	c_le(c, STORE_REC_SHELF, 4);
	c_le(c, 0, 4);
	size_t start = c->n;
	c_le(c, kind, 1);
	c_le(c, 0, 4); /* type */
	c_le(c, 1, 4);
	c_le(c, 1, 4);
	c_le(c, 0, 4); /* alarm id */
	c_le(c, (uint64_t)since, 8);
	c_le(c, (uint64_t)until, 8);
	c_le(c, 0, 4); /* by, note: empty */
	c_rec_end(c, start);
}

/* A STORE_REC_NOTELOG entry. */
static void c_notelog(struct craft *c, uint32_t seq, uint8_t clear, uint8_t fate, const char *text)
{
	c_le(c, STORE_REC_NOTELOG, 4);
	c_le(c, 0, 4);
	size_t start = c->n;
	c_le(c, seq, 4);
	c_le(c, T0 - 5, 8);
	c_le(c, ALARM_LINE_DOWN, 1);
	c_le(c, clear, 1);
	c_le(c, SEV_MAJOR, 1);
	c_le(c, fate, 1);
	c_le(c, 1, 4);
	c_le(c, 1, 4);
	c_le(c, 0, 8); /* value, threshold */
	c_le(c, strlen(text), 2);
	memcpy(c->b + c->n, text, strlen(text));
	c->n += strlen(text);
	c_rec_end(c, start);
}

/* Log entries no agent writes are refused: a repeated seq (two rows with
 * one index), a fate or flag out of range, a text with escape codes. */
START_TEST(logs_checked)
{
	struct model *m = model_from(conf_a, T0);
	static const struct {
		uint32_t seq2;
		uint8_t clear, fate;
		const char *text, *why;
	} bad[] = {
	    {5, 0, FATE_SENT, "ok", "seq not rising"},
	    {6, 2, FATE_SENT, "ok", "clear flag"},
	    {6, 0, 9, "ok", "fate out of range"},
	    {6, 0, FATE_SENT, "\x1b]0;pwned\a", "not printable"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct craft c;
		c_header(&c);
		c_notelog(&c, 5, 0, FATE_SENT, "first");
		c_notelog(&c, bad[i].seq2, bad[i].clear, bad[i].fate, bad[i].text);
		c_seal(&c);
		expect_rejected(m, c.b, c.n, bad[i].why);
	}
	model_free(m);
}
END_TEST

/* Old files load (no acknowledgement); acknowledgements and shelves that
 * no agent writes are refused, naming the field. */
START_TEST(acks_and_shelves_checked)
{
	struct model *m = model_from(conf_a, T0);
	struct store_load_info info;
	struct craft c;

	c_header(&c);
	c_alarm(&c, false, NULL);
	c_seal(&c);
	spit(c.b, c.n);
	ck_assert_int_eq(store_load(m, dir, &info), STORE_LOADED);
	ck_assert_uint_eq(info.alarms.n, 1);
	ck_assert_uint_eq(info.alarms.v[0]->id, 3);
	ck_assert_int_eq(info.alarms.v[0]->acked, 0);
	alarm_set_free(&info.alarms);
	empty_dir();

	c_header(&c);
	c_alarm(&c, true, "noc");
	c_seal(&c);
	spit(c.b, c.n);
	ck_assert_int_eq(store_load(m, dir, &info), STORE_LOADED);
	ck_assert_str_eq(info.alarms.v[0]->acked_by, "noc");
	alarm_set_free(&info.alarms);
	empty_dir();

	c_header(&c);
	c_alarm(&c, true, "\x1b[2Jforged");
	c_seal(&c);
	expect_rejected(m, c.b, c.n, "alarm text");

	static const struct {
		uint8_t kind;
		int64_t since, until;
		const char *why;
	} bad[] = {
	    {9, T0 - 10, T0 + 10, "shelf kind"},
	    {SHELF_LINE, T0 - 10, T0 + 40L * 86400, "shelf time"},
	    {SHELF_LINE, T0 + 10, T0 - 10, "shelf time"},
	    {SHELF_LINE, T0 + 5L * 86400, T0 + 6L * 86400, "shelf time"}, /* after the write */
	    {SHELF_OFFICE, T0 - 10, T0 + 10, "shelf target"},             /* office with a line */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c_header(&c);
		c_shelf(&c, bad[i].kind, bad[i].since, bad[i].until);
		c_seal(&c);
		expect_rejected(m, c.b, c.n, bad[i].why);
	}
	model_free(m);
}
END_TEST

/* Intervals that no agent writes are refused, naming the field: a count
 * over the ring, a head that would number records below 0, a length not
 * 1, 5 or 15 minutes, a running interval after the file was written. */
START_TEST(intervals_range_checked)
{
	static const struct {
		unsigned len, count;
		int32_t head, num;
		const char *why;
	} bad[] = {
	    {900, 97, 100, 101, "interval count out of range"},
	    {900, 2, 0, 1, "interval ring position out of range"},
	    {900, 1, INT32_MIN, 5, "interval ring position out of range"},
	    {600, 0, 10, 11, "interval length"},
	    {900, 0, T0 / 900 + 200, T0 / 900 + 201, "after the file was written"},
	};
	struct craft c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct model *m = model_from(conf_a, T0);
		c_header(&c);
		c_intervals(&c, bad[i].len, bad[i].head, bad[i].count, bad[i].num);
		c_seal(&c);
		expect_rejected(m, c.b, c.n, bad[i].why);
		model_free(m);
	}
}
END_TEST

/* A last_period of INT64_MAX made the window loop spin for ever (and overflow,
 * store.c and bandwidth.c); INT64_MIN too.  Each is refused, naming the field. */
START_TEST(bandwidth_periods_range_checked)
{
	struct model *m = model_from(conf_bw, T0);
	const int64_t bad[] = {INT64_MAX, INT64_MIN, -2, T0 / 300 + 1000};
	struct craft c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c_header(&c);
		c_bandwidth(&c, bad[i], -1, 1);
		c_seal(&c);
		expect_rejected(m, c.b, c.n, "bandwidth 1.1: last_period out of range");
		c_header(&c);
		c_bandwidth(&c, T0 / 300 - 1, bad[i], 1);
		c_seal(&c);
		expect_rejected(m, c.b, c.n, "bandwidth 1.1: acc_period out of range");
	}
	/* The same record with sane periods is accepted. */
	struct store_load_info info;
	c_header(&c);
	c_bandwidth(&c, T0 / 300 - 1, T0 / 300, 3);
	c_seal(&c);
	spit(c.b, c.n);
	ck_assert_int_eq(store_load(m, dir, &info), STORE_LOADED);
	model_free(m);
}
END_TEST

/* The checks accept what a real agent writes: a polled line's state. */
START_TEST(bandwidth_state_accepted)
{
	struct store_load_info info;

	struct model *a = model_from(conf_bw, T0), *b = model_from(conf_bw, T0);
	struct line *l = model_find_line(a, 1, 1);
	ck_assert_ptr_nonnull(l->bw);
	for (unsigned i = 0; i <= 40; i++) {
		struct bw_reading r = {.uptime_cs = 1000 + i * 6000u,
		                       .width = BW_WIDTH_HC64,
		                       .in = (uint64_t)i * 300000u,
		                       .out = (uint64_t)i * 100000u,
		                       .ifindex = 1};
		model_line_counters(a, l, &r, T0 + 60 * i);
	}
	ck_assert_int_ge(l->bw->last_period, 0);
	save(a, T0 + 60 * 40);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_int_eq(model_find_line(b, 1, 1)->bw->last_period, l->bw->last_period);
	ck_assert_uint_eq(model_find_line(b, 1, 1)->bw->n_samples, l->bw->n_samples);
	model_free(a);
	model_free(b);
}
END_TEST

/* Times in every record type are bounded too. */
START_TEST(times_range_checked)
{
	struct model *m = model_from(conf_a, T0);
	struct craft c;

	/* An office record whose last change is in the year 292277026596. */
	c_header(&c);
	c_office(&c, INT64_MAX, 0);
	c_seal(&c);
	expect_rejected(m, c.b, c.n, "office 1.0: office last change out of range");
	/* The file's own time. */
	c_header(&c);
	c.n = 12;
	c_le(&c, (uint64_t)INT64_MIN, 8);
	c_seal(&c);
	expect_rejected(m, c.b, c.n, "written_at out of range");
	model_free(m);
}
END_TEST

/* A day holds 17-bit counts in memory: a crafted count of 2^17 + 100 s
 * would wrap to 100 s there, so the file's 32-bit value is checked first. */
START_TEST(day_bucket_checked_before_packing)
{
	struct model *m = model_from(conf_a, T0);
	struct craft c;

	c_header(&c);
	c_office(&c, T0, (1u << 17) + 100);
	c_seal(&c);
	expect_rejected(m, c.b, c.n, "office 1.0: daily bucket holds more than a day");
	model_free(m);
}
END_TEST

/* A FIFO named like the state file blocked start-up: now refused at once. */
START_TEST(fifo_rejected)
{
	struct model *m = model_from(conf_a, T0);
	struct store_load_info info;
	char path[128];

	snprintf(path, sizeof(path), "%s/state.bin", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(store_load(m, dir, &info), STORE_CORRUPT); /* blocked in open() */
	ck_assert_msg(strstr(info.reason, "FIFO"), "reason '%s'", info.reason);
	ck_assert_int_eq(count_files("state.bin.corrupt-"), 1);
	ck_assert_int_eq(count_files("state.bin"), 1);
	model_free(m);
}
END_TEST

/* A symlink someone else planted is not followed; one of ours is. */
START_TEST(foreign_symlink_rejected)
{
	struct model *m = model_from(conf_a, T0);
	struct store_load_info info;
	char path[128], target[128];

	save(m, T0);
	snprintf(path, sizeof(path), "%s/state.bin", dir);
	snprintf(target, sizeof(target), "%s/real.bin", dir);
	ck_assert_int_eq(rename(path, target), 0);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(store_load(m, dir, &info), STORE_LOADED);
	if (geteuid() != 0 || lchown(path, 12345, 12345) != 0) {
		model_free(m);
		return; /* cannot give the link away without root */
	}
	ck_assert_int_eq(store_load(m, dir, &info), STORE_CORRUPT);
	ck_assert_msg(strstr(info.reason, "symbolic link owned by another user"), "reason '%s'",
	              info.reason);
	ck_assert_int_eq(count_files("state.bin.corrupt-"), 1);
	model_free(m);
}
END_TEST

/* Rewrite the checksum of the log's first frame after editing it on purpose. */
static void reseal_frame(uint8_t *buf)
{
	size_t len = buf[16] | buf[17] << 8 | (size_t)buf[18] << 16 | (size_t)buf[19] << 24;
	unsigned n = 0;
	ck_assert(
	    EVP_Digest(buf + LOG_HDR, 8 + len, buf + LOG_HDR + 8 + len, &n, EVP_sha256(), NULL));
}

static void unlink_log(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/intervals.log", dir);
	ck_assert_int_eq(unlink(path), 0);
}

/* Loads the log as it is now: refused for why, moved aside, no closed
 * record restored; the state file itself still loads. */
static void expect_log_refused(const char *why, int nth)
{
	struct store_load_info info;
	struct model *b = model_from(conf_a, T0 + 4100);

	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_int_eq(info.iv.status, IVLOG_REFUSED);
	ck_assert_msg(strstr(info.iv.reason, why), "reason '%s', want '%s'", info.iv.reason, why);
	ck_assert_int_eq(count_files("intervals.log.corrupt-"), nth);
	ck_assert_int_eq(file_size("intervals.log"), -1);
	ck_assert_uint_eq(model_find_line(b, 1, 1)->iv.count, 0);
	model_free(b);
}

/* A damaged frame before the last is no torn append: the file is refused. */
START_TEST(damaged_log_refused)
{
	time_t end;
	struct model *a = busy_model(&end);
	size_t len;

	save(a, end);
	rounds_until(a, end + 60, T0 + 4560);
	save(a, T0 + 4560);
	uint8_t *buf = slurp_file("intervals.log", &len);
	buf[LOG_HDR + 8 + 20] ^= 0x40;
	spit_file("intervals.log", buf, len);
	struct store_load_info info;
	struct model *b = model_from(conf_a, T0 + 4600);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_int_eq(info.iv.status, IVLOG_REFUSED);
	ck_assert_msg(strstr(info.iv.reason, "frame at offset 12: SHA-256 checksum mismatch"),
	              "reason '%s'", info.iv.reason);
	ck_assert_int_eq(count_files("intervals.log.corrupt-"), 1);
	ck_assert_uint_eq(model_find_line(b, 1, 1)->iv.count, 0);
	model_free(a);
	model_free(b);
}
END_TEST

/* Good checksums around values no agent writes: each refused, naming the
 * frame and the field. */
START_TEST(crafted_log_refused)
{
	static const struct {
		size_t off;
		uint8_t bytes[4];
		size_t n;
		const char *why;
	} bad[] = {
	    {55, {1, 0, 2, 0}, 4, "received more than it sent"}, /* sent 1, answered 2 */
	    {47, {0x85, 0x03}, 2, "more seconds than its length"},
	    {20, {0x58, 0x02}, 2, "interval length not 1, 5 or 15 minutes"},
	    {26, {0xff, 0xff, 0xff, 0x7f}, 4, "later than a day from now"},
	    {22, {0xff, 0xff, 0xff, 0xff}, 4, "interval numbers out of order"},
	    {46, {0}, 1, "out of the frame's range"},
	    {42, {0, 0, 0, 0x80}, 4, "out of the frame's range"}, /* newest INT32_MIN */
	    {30, {4}, 1, "entry truncated"},
	    {0, {'X'}, 1, "bad magic"},
	    {12, {'X'}, 1, "bad frame magic"},
	};
	time_t end;
	struct model *a = busy_model(&end);
	static uint8_t good[1 << 16];
	size_t len;

	save(a, end);
	uint8_t *got = slurp_file("intervals.log", &len);
	memcpy(good, got, len);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		static uint8_t buf[1 << 16];
		memcpy(buf, good, len);
		memcpy(buf + bad[i].off, bad[i].bytes, bad[i].n);
		if (bad[i].off >= 20)
			reseal_frame(buf);
		spit_file("intervals.log", buf, len);
		expect_log_refused(bad[i].why, (int)i + 1);
	}
	model_free(a);
}
END_TEST

/* A symlink, a FIFO, a directory named intervals.log: refused at once
 * (never followed, never blocking), moved aside; the next save starts a
 * new log that loads. */
START_TEST(log_kinds_refused)
{
	time_t end;
	struct model *a = busy_model(&end);
	char path[128], target[128];
	struct store_load_info info;

	save(a, end);
	unlink_log();
	snprintf(path, sizeof(path), "%s/intervals.log", dir);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	expect_log_refused("a symbolic link", 1);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	expect_log_refused("FIFO", 2);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	expect_log_refused("directory", 3);
	rounds_until(a, end + 60, T0 + 4560);
	save(a, T0 + 4560); /* a new log, with every record kept */
	struct model *b = model_from(conf_a, T0 + 4600);
	ck_assert_int_eq(store_load(b, dir, &info), STORE_LOADED);
	ck_assert_int_eq(info.iv.status, IVLOG_LOADED);
	ck_assert_uint_eq(model_find_line(b, 1, 1)->iv.count, 5);
	model_free(a);
	model_free(b);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, save_books_lazy_lines);
	tcase_add_test(tc, intervals_round_trip);
	tcase_add_test(tc, intervals_range_checked);
	tcase_add_test(tc, reused_buffer_is_clean);
	tcase_add_test(tc, missing_file_is_first_start);
	tcase_add_test(tc, truncated_rejected);
	tcase_add_test(tc, bit_flips_rejected);
	tcase_add_test(tc, unknown_version_rejected);
	tcase_add_test(tc, unknown_record_skipped);
	tcase_add_test(tc, vanished_ids_dropped);
	tcase_add_test(tc, failed_save_keeps_last_good);
	tcase_add_test(tc, sliced_encoding_is_identical);
	tcase_add_test(tc, alarms_round_trip);
	tcase_add_test(tc, acks_and_shelves_round_trip);
	tcase_add_test(tc, logs_round_trip);
	tcase_add_test(tc, log_appends_each_interval_once);
	tcase_add_test(tc, torn_append_loses_only_that_frame);
	tcase_add_test(tc, failed_append_keeps_the_log);
	tcase_add_test(tc, legacy_closed_intervals_load);
	tcase_add_test(tc, log_compacted);
	suite_add_tcase(s, tc);
	TCase *hostile = tcase_create("hostile");
	tcase_add_checked_fixture(hostile, setup, teardown);
	tcase_set_timeout(hostile, 10); /* the old code spun or blocked for ever */
	tcase_add_test(hostile, bandwidth_periods_range_checked);
	tcase_add_test(hostile, times_range_checked);
	tcase_add_test(hostile, day_bucket_checked_before_packing);
	tcase_add_test(hostile, acks_and_shelves_checked);
	tcase_add_test(hostile, logs_checked);
	tcase_add_test(hostile, bandwidth_state_accepted);
	tcase_add_test(hostile, fifo_rejected);
	tcase_add_test(hostile, foreign_symlink_rejected);
	tcase_add_test(hostile, damaged_log_refused);
	tcase_add_test(hostile, crafted_log_refused);
	tcase_add_test(hostile, log_kinds_refused);
	suite_add_tcase(s, hostile);
	return s;
}

int main(void)
{
	return unit_run(store_suite());
}
