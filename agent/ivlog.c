/*
 * ivlog: the append-only file of closed measurement intervals (ivlog.h).
 */
#include "grow.h"
#include "ivlog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "statefile.h"

static const uint8_t file_magic[8] = {'T', 'S', 'L', 'C', 'D', 'I', 'V', '\0'};
static const uint8_t frame_magic[4] = {'I', 'V', 'F', 'R'};

#define FILE_HDR    12u /* magic, version */
#define FRAME_HDR   8u  /* magic, length */
#define PAYLOAD_HDR 14u /* len_s, first, last, entries */
#define ENTRY_HDR   13u /* office, line, newest, n */
#define DIGEST      32u
#define MAX_FILE    (1024u * 1024u * 1024u)
#define COPY_CHUNK  (256u * 1024u)

/* What is in the file, as far as this process knows (see the contract). */
static struct {
	char dir[PATH_MAX];
	int32_t logged; /* every line's records up to this number are in */
	int32_t oldest; /* the oldest number in the file, -1: none */
	uint16_t len_s; /* their length */
} lg = {.logged = -1, .oldest = -1};

static void lg_reset(const char *dir)
{
	snprintf(lg.dir, sizeof(lg.dir), "%s", dir);
	lg.logged = -1;
	lg.oldest = -1;
	lg.len_s = 0;
}

/* Frames of len_s from interval first on are in the file. */
static void lg_note(uint16_t len_s, int32_t first)
{
	if (lg.len_s != len_s) { /* a new length: the older frames are dropped at load */
		lg.logged = -1;
		lg.oldest = -1;
	}
	lg.len_s = len_s;
	if (lg.oldest < 0 || first < lg.oldest)
		lg.oldest = first;
}

/* ---- little-endian helpers ---- */

static void le_put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t le_get(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* ---- encoding ---- */

static uint8_t *grow(struct ivlog_enc *e, size_t n)
{
	if (e->oom)
		return NULL;
	if (e->len + n > e->cap) {
		size_t cap = e->cap ? e->cap : 64u * 1024u;
		while (cap < e->len + n)
			cap *= 2;
		uint8_t *p = realloc(e->p, cap);
		if (!p) {
			e->oom = true;
			return NULL;
		}
		e->p = p;
		e->cap = cap;
	}
	uint8_t *at = e->p + e->len;
	e->len += n;
	return at;
}

void ivlog_enc_begin(struct ivlog_enc *e)
{
	*e = (struct ivlog_enc){0};
}

/* A frame's headers are written when it is full or at append; its
 * checksum at append. */
static void frame_open(struct ivlog_enc *e)
{
	e->frame = e->len;
	e->first = INT32_MAX;
	e->last = INT32_MIN;
	e->entries = 0;
	grow(e, FRAME_HDR + PAYLOAD_HDR);
}

static void frame_close(struct ivlog_enc *e)
{
	uint8_t *h = e->p + e->frame;

	if (e->oom)
		return;
	memcpy(h, frame_magic, 4);
	le_put(h + 4, e->len - e->frame - FRAME_HDR, 4);
	le_put(h + 8, e->len_s, 2);
	le_put(h + 10, (uint32_t)e->first, 4);
	le_put(h + 14, (uint32_t)e->last, 4);
	le_put(h + 18, e->entries, 4);
	grow(e, DIGEST); /* filled at append */
}

/* The first line fixes the length. */
static void enc_start(struct ivlog_enc *e, uint16_t len_s)
{
	e->started = true;
	e->len_s = len_s;
	e->after = lg.len_s == len_s ? lg.logged : -1;
	e->logged = INT32_MAX;
	e->lowest = INT32_MAX;
	frame_open(e);
}

void ivlog_enc_line(struct ivlog_enc *e, uint32_t office, uint32_t line,
                    const struct interval_line *v)
{
	if (!e->started)
		enc_start(e, v->len_s);
	if (v->len_s != e->len_s)
		return; /* a reload changed the length mid-save: the next save has it */
	if (v->head < e->logged)
		e->logged = v->head;
	if (!v->count || v->head <= e->after)
		return;
	unsigned n = (unsigned)(v->head - e->after);
	if (n > v->count)
		n = v->count;
	size_t bytes = ENTRY_HDR + (size_t)n * INTERVAL_REC_BYTES;
	if (e->entries && e->len - e->frame + bytes > IVLOG_FRAME_TARGET) {
		frame_close(e);
		frame_open(e);
	}
	uint8_t *p = grow(e, bytes);
	if (!p)
		return;
	le_put(p, office, 4);
	le_put(p + 4, line, 4);
	le_put(p + 8, (uint32_t)v->head, 4);
	p[12] = (uint8_t)n;
	p += ENTRY_HDR;
	for (unsigned k = n; k >= 1; k--, p += INTERVAL_REC_BYTES) /* oldest first */
		interval_pack(interval_get(v, k, NULL), p);
	int32_t oldest = v->head - (int32_t)n + 1;
	e->first = oldest < e->first ? oldest : e->first;
	e->last = v->head > e->last ? v->head : e->last;
	e->lowest = oldest < e->lowest ? oldest : e->lowest;
	e->entries++;
	e->total++;
}

void ivlog_enc_free(struct ivlog_enc *e)
{
	free(e->p);
	*e = (struct ivlog_enc){0};
}

/* ---- appending ---- */

static int put_error(char *err, size_t errlen, const char *what, const char *path, int e)
{
	char text[128];

	snprintf(err, errlen, "%s %s: %s", what, path, strerror_r(e, text, sizeof(text)));
	return -1;
}

static int pwrite_all(int fd, const uint8_t *p, size_t n, off_t off)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		off += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The log's fd for appending: ours, regular, never through a symlink.
 * *size is where the next frame goes (after a fresh header if needed). */
static int open_for_append(const char *path, off_t *size, bool *created, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0640);

	if (fd < 0)
		return put_error(err, errlen, "open", path, errno);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		snprintf(err, errlen, "%s: not a regular file of this agent's user", path);
		close(fd);
		return -1;
	}
	*created = st.st_size < (off_t)FILE_HDR;
	*size = st.st_size;
	if (!*created)
		return fd;
	uint8_t hdr[FILE_HDR];
	memcpy(hdr, file_magic, sizeof(file_magic));
	le_put(hdr + 8, IVLOG_VERSION, 4);
	int e = ftruncate(fd, 0) < 0 ? errno : pwrite_all(fd, hdr, sizeof(hdr), 0);
	if (e) {
		close(fd);
		return put_error(err, errlen, "write", path, e);
	}
	*size = FILE_HDR;
	return fd;
}

static void advance(const struct ivlog_enc *e, const char *dir)
{
	if (strcmp(dir, lg.dir) != 0) {
		lg_reset(dir);
		if (e->after != -1)
			return; /* the frame went on another directory's log: next, all */
	}
	if (lg.len_s != e->len_s) {
		lg.logged = -1;
		lg.oldest = -1;
	}
	lg.len_s = e->len_s;
	if (e->logged != INT32_MAX && e->logged > lg.logged)
		lg.logged = e->logged;
}

static void compact(const char *dir);

/* Close the last frame and put each frame's checksum after it. */
static bool seal(struct ivlog_enc *e)
{
	unsigned dlen = 0;

	frame_close(e);
	for (size_t at = 0; !e->oom && at < e->len;) {
		size_t n = FRAME_HDR + (size_t)le_get(e->p + at + 4, 4);
		if (!EVP_Digest(e->p + at, n, e->p + at + n, &dlen, EVP_sha256(), NULL))
			return false;
		at += n + DIGEST;
	}
	return !e->oom;
}

int ivlog_append(struct ivlog_enc *e, const char *dir, char *err, size_t errlen)
{
	char path[PATH_MAX];
	off_t off;
	bool created;

	if (!e->total) {
		if (e->started)
			advance(e, dir);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/" IVLOG_FILE, dir);
	if (!seal(e)) {
		snprintf(err, errlen, "%s: out of memory encoding the closed intervals", path);
		return -1;
	}
	int fd = open_for_append(path, &off, &created, err, errlen);
	if (fd < 0)
		return -1;
	int x = pwrite_all(fd, e->p, e->len, off);
	const char *step = "write";
	if (!x && fsync(fd) < 0) {
		x = errno;
		step = "fsync";
	}
	if (x && ftruncate(fd, off) == 0) /* the file as it was: no torn frame mid-file */
		(void)fsync(fd);
	close(fd);
	if (x)
		return put_error(err, errlen, step, path, x);
	if (created && (x = statefile_fsync_dir(dir)) != 0)
		return put_error(err, errlen, "fsync directory", dir, x);
	advance(e, dir);
	lg_note(e->len_s, e->lowest);
	if ((int64_t)lg.logged - lg.oldest + 1 > 2 * INTERVAL_KEEP)
		compact(dir); /* a failure leaves the file whole; the next append tries again */
	return 0;
}

/* ---- compaction ---- */

struct frame_pos {
	off_t off;
	uint16_t len_s;
	int32_t first, last;
};

/* The frames' places and numbers, from their headers (the payloads and
 * checksums were judged when the file was loaded or written). */
static struct frame_pos *scan_frames(int fd, off_t size, size_t *n)
{
	struct frame_pos *v = NULL;
	size_t cap = 0;
	off_t pos = FILE_HDR;
	uint8_t h[FRAME_HDR + PAYLOAD_HDR];

	*n = 0;
	while (pos < size) {
		if (pread(fd, h, sizeof(h), pos) != (ssize_t)sizeof(h) || memcmp(h, frame_magic, 4))
			break;
		off_t next = pos + FRAME_HDR + (off_t)le_get(h + 4, 4) + DIGEST;
		if (next > size)
			break;
		struct frame_pos *w = grow_array(v, &cap, *n + 1, sizeof(*v), 256);
		if (!w)
			break;
		v = w;
		v[(*n)++] =
		    (struct frame_pos){pos, (uint16_t)le_get(h + 8, 2), (int32_t)le_get(h + 10, 4),
		                       (int32_t)le_get(h + 14, 4)};
		pos = next;
	}
	if (pos != size) {
		free(v);
		return NULL;
	}
	return v;
}

/* The first frame to keep: the newest INTERVAL_KEEP numbers of the newest length. */
static size_t keep_from(const struct frame_pos *v, size_t n)
{
	size_t i = n - 1;

	while (i > 0 && v[i - 1].len_s == v[n - 1].len_s &&
	       (int64_t)v[i - 1].last > (int64_t)v[n - 1].last - INTERVAL_KEEP)
		i--;
	return i;
}

static int copy_range(int from, int to, off_t off, off_t end)
{
	uint8_t *buf = malloc(COPY_CHUNK);
	off_t out = FILE_HDR;
	int e = buf ? 0 : ENOMEM;

	while (!e && off < end) {
		size_t want = (size_t)(end - off) < COPY_CHUNK ? (size_t)(end - off) : COPY_CHUNK;
		ssize_t r = pread(from, buf, want, off);
		if (r <= 0) {
			e = r < 0 ? errno : EIO;
			break;
		}
		e = pwrite_all(to, buf, (size_t)r, out);
		off += r;
		out += r;
	}
	free(buf);
	return e;
}

static int write_compacted(int fd, const char *dir, const struct frame_pos *v, size_t n,
                           size_t from, off_t size)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	uint8_t hdr[FILE_HDR];

	snprintf(tmp, sizeof(tmp), "%s/" IVLOG_FILE ".tmp-%ld", dir, (long)getpid());
	snprintf(dst, sizeof(dst), "%s/" IVLOG_FILE, dir);
	(void)unlink(tmp); /* O_EXCL below: never write into a file someone else made */
	int out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (out < 0)
		return errno;
	memcpy(hdr, file_magic, sizeof(file_magic));
	le_put(hdr + 8, IVLOG_VERSION, 4);
	int e = pwrite_all(out, hdr, sizeof(hdr), 0);
	if (!e)
		e = copy_range(fd, out, v[from].off, size);
	if (!e && fsync(out) < 0)
		e = errno;
	if (close(out) < 0 && !e)
		e = errno;
	if (!e && rename(tmp, dst) < 0)
		e = errno;
	if (e) {
		unlink(tmp);
		return e;
	}
	lg.oldest = -1;
	for (size_t i = from; i < n; i++)
		lg_note(v[i].len_s, v[i].first);
	return statefile_fsync_dir(dir);
}

static void compact(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/" IVLOG_FILE, dir);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	struct frame_pos *v = fstat(fd, &st) == 0 ? scan_frames(fd, st.st_size, &n) : NULL;
	if (v && n) {
		size_t from = keep_from(v, n);
		if (from > 0)
			(void)write_compacted(fd, dir, v, n, from, st.st_size);
	}
	free(v);
	close(fd);
}

/* ---- loading ---- */

struct reader {
	struct model *m;
	time_t now;
	struct ivlog_load_info *info;
	struct office *o; /* the last entry's line, to find the next one fast */
	size_t j;
};

static const char *refuse(struct ivlog_load_info *info, off_t off, const char *why)
{
	snprintf(info->reason, sizeof(info->reason), "frame at offset %lld: %s", (long long)off,
	         why);
	return info->reason;
}

/* Entries come in the model's order: try the line after the last one. */
static struct line *find_line(struct reader *rd, uint32_t oid, uint32_t lid)
{
	struct model *m = rd->m;
	struct office *o = rd->o;

	if (o && o->cfg->id == oid && rd->j + 1 < o->n_lines &&
	    o->lines[rd->j + 1].cfg->id == lid) {
		rd->j++;
		return &o->lines[rd->j];
	}
	if (o && o + 1 < m->offices + m->n_offices && o[1].cfg->id == oid && o[1].n_lines &&
	    o[1].lines[0].cfg->id == lid) {
		rd->o = o + 1;
		rd->j = 0;
		return &rd->o->lines[0];
	}
	struct line *l = model_find_line(m, oid, lid);
	if (l) {
		rd->o = l->office;
		rd->j = (size_t)(l - l->office->lines);
	}
	return l;
}

/* One frame's payload: checked entry by entry, applied as it goes (a
 * later refusal empties every ring again). */
static const char *apply_payload(struct reader *rd, const uint8_t *p, size_t len)
{
	if (len < PAYLOAD_HDR)
		return "payload shorter than its header";
	uint16_t len_s = (uint16_t)le_get(p, 2);
	int32_t first = (int32_t)le_get(p + 2, 4), last = (int32_t)le_get(p + 6, 4);
	uint32_t entries = (uint32_t)le_get(p + 10, 4);
	if (len_s != 60 && len_s != 300 && len_s != 900)
		return "interval length not 1, 5 or 15 minutes";
	if (first < 0 || first > last)
		return "interval numbers out of order";
	if ((int64_t)last * len_s > (int64_t)rd->now + 86400)
		return "an interval later than a day from now";
	size_t pos = PAYLOAD_HDR;
	for (uint32_t i = 0; i < entries; i++) {
		if (len - pos < ENTRY_HDR)
			return "entry truncated";
		const uint8_t *q = p + pos;
		uint32_t oid = (uint32_t)le_get(q, 4), lid = (uint32_t)le_get(q + 4, 4);
		int32_t newest = (int32_t)le_get(q + 8, 4);
		unsigned n = q[12];
		if (n == 0 || n > INTERVAL_KEEP || newest > last || (int64_t)newest - n + 1 < first)
			return "entry's interval numbers out of the frame's range";
		if ((len - pos - ENTRY_HDR) / INTERVAL_REC_BYTES < n)
			return "entry truncated";
		struct line *l = find_line(rd, oid, lid);
		if (l && l->iv.len_s != len_s)
			l = NULL; /* the length changed: those rows are dropped */
		q += ENTRY_HDR;
		for (unsigned k = 0; k < n; k++, q += INTERVAL_REC_BYTES) {
			struct interval_rec r;
			interval_unpack(q, &r);
			const char *err = interval_rec_check(&r, len_s);
			if (err)
				return err;
			if (l && interval_restore(&l->iv, newest - (int32_t)(n - 1 - k), &r))
				rd->info->records++;
		}
		pos += ENTRY_HDR + (size_t)n * INTERVAL_REC_BYTES;
	}
	if (pos != len)
		return "bytes after the last entry";
	lg_note(len_s, first);
	lg.logged = last > lg.logged ? last : lg.logged;
	return NULL;
}

static bool all_zero(int fd, off_t from, off_t to)
{
	uint8_t buf[4096];

	while (from < to) {
		size_t want = (size_t)(to - from) < sizeof(buf) ? (size_t)(to - from) : sizeof(buf);
		ssize_t r = pread(fd, buf, want, from);
		if (r <= 0)
			return false;
		for (ssize_t i = 0; i < r; i++)
			if (buf[i])
				return false;
		from += r;
	}
	return true;
}

/* The frame at *pos: applied and *pos moved past it; or *torn when it is
 * the torn end of the file; or why the file is refused. */
static const char *read_frame(struct reader *rd, int fd, off_t size, off_t *pos, bool *torn,
                              uint8_t **buf, size_t *cap)
{
	uint8_t h[FRAME_HDR], digest[DIGEST];
	unsigned dlen = 0;
	off_t at = *pos;

	if (size - at < (off_t)FRAME_HDR || pread(fd, h, FRAME_HDR, at) != FRAME_HDR) {
		*torn = true;
		return NULL;
	}
	if (memcmp(h, frame_magic, 4) != 0) {
		*torn = all_zero(fd, at, size); /* a crash may leave the tail's blocks zeroed */
		return *torn ? NULL : refuse(rd->info, at, "bad frame magic");
	}
	size_t len = (size_t)le_get(h + 4, 4);
	if (len > 16u * IVLOG_FRAME_TARGET)
		return refuse(rd->info, at, "frame larger than 16 MiB");
	if ((off_t)len > size - at - (off_t)(FRAME_HDR + DIGEST)) {
		*torn = true; /* it runs past the end: the append did not finish */
		return NULL;
	}
	if (len + FRAME_HDR + DIGEST > *cap) {
		uint8_t *p = realloc(*buf, len + FRAME_HDR + DIGEST);
		if (!p)
			return refuse(rd->info, at, "out of memory");
		*buf = p;
		*cap = len + FRAME_HDR + DIGEST;
	}
	size_t want = len + FRAME_HDR + DIGEST;
	if (pread(fd, *buf, want, at) != (ssize_t)want)
		return refuse(rd->info, at, "short read");
	if (!EVP_Digest(*buf, FRAME_HDR + len, digest, &dlen, EVP_sha256(), NULL))
		return refuse(rd->info, at, "cannot compute SHA-256");
	if (memcmp(digest, *buf + FRAME_HDR + len, DIGEST) != 0) {
		*torn = at + (off_t)want == size; /* only the last frame may be torn */
		return *torn ? NULL : refuse(rd->info, at, "SHA-256 checksum mismatch");
	}
	const char *err = apply_payload(rd, *buf + FRAME_HDR, len);
	if (err)
		return refuse(rd->info, at, err);
	rd->info->frames++;
	*pos = at + (off_t)want;
	return NULL;
}

/* The file's header: NULL when good, or *torn when a crash cut it short. */
static const char *check_header(int fd, off_t size, bool *torn)
{
	uint8_t h[FILE_HDR], want[FILE_HDR];
	size_t n = size < (off_t)FILE_HDR ? (size_t)size : FILE_HDR;

	memcpy(want, file_magic, sizeof(file_magic));
	le_put(want + 8, IVLOG_VERSION, 4);
	if (pread(fd, h, n, 0) != (ssize_t)n)
		return "short read";
	if (n < FILE_HDR && (memcmp(h, want, n) == 0 || all_zero(fd, 0, size))) {
		*torn = true;
		return NULL;
	}
	if (n < FILE_HDR || memcmp(h, file_magic, sizeof(file_magic)) != 0)
		return "not a tslcd interval log (bad magic)";
	if (le_get(h + 8, 4) != IVLOG_VERSION)
		return "unknown format version";
	return NULL;
}

/* Why the file is no file to read: kind, owner, size. */
static const char *check_kind(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return S_ISFIFO(st->st_mode) ? "not a regular file (a FIFO)" : "not a regular file";
	if (st->st_uid != geteuid())
		return "owned by another user";
	return st->st_size > (off_t)MAX_FILE ? "larger than 1 GiB" : NULL;
}

static const char *read_all(struct reader *rd, int fd, off_t size)
{
	uint8_t *buf = NULL;
	size_t cap = 0;
	bool torn = false;
	off_t pos = FILE_HDR;
	const char *err = check_header(fd, size, &torn);

	if (torn)
		pos = 0;
	while (!err && !torn && pos < size)
		err = read_frame(rd, fd, size, &pos, &torn, &buf, &cap);
	free(buf);
	if (err || !torn)
		return err;
	rd->info->torn_bytes = (size_t)(size - pos);
	if (ftruncate(fd, pos) < 0 || fsync(fd) < 0)
		return "cannot cut the torn last frame off";
	return NULL;
}

static void forget_all(struct model *m)
{
	for (size_t i = 0; i < m->n_offices; i++)
		for (size_t j = 0; j < m->offices[i].n_lines; j++)
			interval_forget_closed(&m->offices[i].lines[j].iv);
}

enum ivlog_status ivlog_load(struct model *m, const char *dir, time_t now,
                             struct ivlog_load_info *info)
{
	char path[PATH_MAX], text[128];
	struct reader rd = {.m = m, .now = now, .info = info};
	struct stat st;
	const char *err = NULL;

	memset(info, 0, sizeof(*info));
	lg_reset(dir);
	snprintf(path, sizeof(path), "%s/" IVLOG_FILE, dir);
	int fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return info->status = IVLOG_MISSING;
	if (fd < 0)
		err = errno == ELOOP ? "a symbolic link" : strerror_r(errno, text, sizeof(text));
	else if (fstat(fd, &st) < 0)
		err = strerror_r(errno, text, sizeof(text));
	else if (!(err = check_kind(&st)))
		err = read_all(&rd, fd, st.st_size);
	if (fd >= 0)
		close(fd);
	if (!err)
		return info->status = IVLOG_LOADED;
	if (err != info->reason)
		snprintf(info->reason, sizeof(info->reason), "%s", err);
	forget_all(m);
	info->records = 0;
	lg_reset(dir);
	statefile_move_aside(dir, IVLOG_FILE, info->moved_to, sizeof(info->moved_to));
	return info->status = IVLOG_REFUSED;
}
