/*
 * saver: periodic background saves of the state file (see saver.h).
 */
#include "saver.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "agent_status.h"
#include "store.h"

#define SLICE_LINES  64u   /* lines between looks at the clock */
#define SLICE_BUDGET 2000u /* us of encoding per loop turn */
#define WRITER_NICE  10    /* probing and answering come first */

/* What the writer thread gets; nothing else is shared with it. */
struct write_job {
	char dir[PATH_MAX];
	struct store_buf buf;
	struct ivlog_enc log; /* appended first: the state file then drops them */
	int report_fd;
};

static struct {
	struct model **mp;
	const struct alarm_set *alarms;
	struct loop_timer *timer; /* the next save */
	struct loop_timer *slice; /* the next encoding slice */
	/* encoding, on the loop */
	const struct model *encoding; /* NULL when not encoding */
	struct store_encoder enc;
	time_t snapshot; /* wall time the save describes */
	uint64_t t0_us, encode_us, longest_us;
	unsigned slices;
	size_t last_len; /* the previous encoding's size, to allocate once */
	/* The one buffer all saves encode into, kept while no save runs: its
	 * pages are faulted in once (costly on VMs: bench "machine"), and
	 * glibc would keep them anyway after two saves of the same size. */
	struct store_buf spare;
	/* writing, on the thread */
	bool writing;
	pthread_t writer;
	struct write_job job;
	int pipe_rd;
	char report[256]; /* "ok MS" or "fail REASON" */
	size_t report_len;
	bool failing; /* a failure was logged and no save succeeded since */
} sv = {.pipe_rd = -1};

/* One log line per failure streak, one when it ends. */
static void save_finished(bool ok, time_t when, const char *detail)
{
	const char *dir = (*sv.mp)->cfg->agent.state_dir;

	agent_status_state_saved(ok, when);
	if (ok) {
		if (sv.failing)
			log_msg(LOG_NOTICE, "state save recovered: %s/" STORE_FILE " written", dir);
		sv.failing = false;
		log_msg(LOG_DEBUG, "state saved to %s/" STORE_FILE " (%s)", dir, detail);
	} else if (!sv.failing) {
		log_msg(LOG_ERR,
		        "state save failed: %s; the last good file is kept, "
		        "further failures are not logged until a save succeeds",
		        detail);
		sv.failing = true;
	}
}

/* The buffer of a save that ended becomes the next one's. */
static void keep_spare(struct store_buf *b)
{
	if (!b->p)
		return;
	store_buf_free(&sv.spare);
	sv.spare = *b;
	*b = (struct store_buf){0};
}

/* The kept buffer, unless a reload shrank the model a lot. */
static struct store_buf take_spare(size_t hint)
{
	struct store_buf b = sv.spare;

	sv.spare = (struct store_buf){0};
	if (b.cap > 2 * hint + (1u << 20))
		store_buf_free(&b);
	return b;
}

/* ---- the writer thread ---- */

static void *writer_main(void *arg)
{
	struct write_job *j = arg;
	char err[200], msg[256];
	uint64_t t0 = loop_clock_us();
	int n;

	/* Linux nices threads one by one; failing to is harmless. */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), WRITER_NICE);
	if (ivlog_append(&j->log, j->dir, err, sizeof(err)) == 0 &&
	    store_write_file(&j->buf, j->dir, err, sizeof(err)) == 0)
		n = snprintf(msg, sizeof(msg), "ok %.1f", (double)(loop_clock_us() - t0) / 1000.0);
	else
		n = snprintf(msg, sizeof(msg), "fail %s", err);
	if (write(j->report_fd, msg, (size_t)n) < 0)
		(void)0; /* the loop sees EOF and reports the save as failed */
	close(j->report_fd);
	return NULL;
}

/* The thread has closed its end, so it has returned or is about to. */
static void writer_reap(void)
{
	pthread_join(sv.writer, NULL); /* first: its report must find the pipe open */
	loop_fd_del(sv.pipe_rd);
	close(sv.pipe_rd);
	sv.pipe_rd = -1;
	sv.writing = false;
	keep_spare(&sv.job.buf);
	ivlog_enc_free(&sv.job.log);
}

static void on_writer_report(int fd, short revents, void *arg)
{
	char detail[400];
	ssize_t n;

	(void)revents, (void)arg;
	n = read(fd, sv.report + sv.report_len, sizeof(sv.report) - 1 - sv.report_len);
	if (n > 0)
		sv.report_len += (size_t)n;
	if ((n > 0 && sv.report_len < sizeof(sv.report) - 1) || (n < 0 && errno == EAGAIN))
		return; /* more to come, or the EOF */
	writer_reap();
	sv.report[sv.report_len] = '\0';
	if (!strncmp(sv.report, "ok ", 3)) {
		snprintf(detail, sizeof(detail),
		         "wall %.1f ms: encode %.1f ms in %u slices (longest %.1f ms), write %s ms",
		         (double)(loop_clock_us() - sv.t0_us) / 1000.0,
		         (double)sv.encode_us / 1000.0, sv.slices, (double)sv.longest_us / 1000.0,
		         sv.report + 3);
		save_finished(true, sv.snapshot, detail);
	} else {
		save_finished(false, 0,
		              sv.report_len > 5 ? sv.report + 5 : "the writer said nothing");
	}
}

static void writer_start(void)
{
	char err[128];
	int fds[2];

	sv.job.buf = sv.enc.b;
	sv.enc.b = (struct store_buf){0};
	sv.job.log = sv.enc.log;
	sv.enc.log = (struct ivlog_enc){0};
	snprintf(sv.job.dir, sizeof(sv.job.dir), "%s", (*sv.mp)->cfg->agent.state_dir);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, sizeof(err), "pipe: %s", strerror(errno));
		goto fail;
	}
	sv.job.report_fd = fds[1];
	sv.report_len = 0;
	int e = pthread_create(&sv.writer, NULL, writer_main, &sv.job);
	if (e) {
		close(fds[0]);
		close(fds[1]);
		snprintf(err, sizeof(err), "cannot start the writer thread: %s", strerror(e));
		goto fail;
	}
	sv.writing = true;
	sv.pipe_rd = fds[0];
	if (loop_fd_add(fds[0], POLLIN, on_writer_report, NULL) == 0 &&
	    fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0)
		return;
	/* It cannot be watched: wait for it here rather than lose the result. */
	(void)fcntl(fds[0], F_SETFL, 0);
	while (sv.writing)
		on_writer_report(fds[0], POLLIN, NULL);
	return;
fail:
	store_buf_free(&sv.job.buf);
	ivlog_enc_free(&sv.job.log);
	save_finished(false, 0, err);
}

/* ---- encoding, in slices on the loop ---- */

static void encoding_end(void)
{
	loop_timer_cancel(sv.slice);
	sv.slice = NULL;
	sv.encoding = NULL;
	keep_spare(&sv.enc.b);
	store_enc_free_log(&sv.enc);
}

/* Without a size hint (the first save), project the whole size from what
 * the first slice made: growing by doubling copies megabytes into fresh
 * pages within a single slice. */
static void reserve_projected(void)
{
	size_t total = sv.encoding->cfg->n_lines;

	if (sv.slices != 1 || !sv.enc.lines || total <= sv.enc.lines)
		return;
	size_t per_line = sv.enc.b.len / sv.enc.lines + 1;
	store_buf_reserve(&sv.enc.b, per_line * total + per_line * total / 16);
}

static void on_slice(void *arg)
{
	uint64_t t0 = loop_clock_us(), dt;
	bool done = false;

	(void)arg;
	sv.slice = NULL;
	if (*sv.mp != sv.encoding) { /* reloaded: the lines are not the same */
		log_msg(LOG_DEBUG, "state save abandoned: the configuration was reloaded");
		encoding_end();
		return;
	}
	do
		done = store_enc_step(&sv.enc, sv.encoding, SLICE_LINES);
	while (!done && (dt = loop_clock_us() - t0) < SLICE_BUDGET);
	dt = loop_clock_us() - t0;
	sv.slices++;
	sv.encode_us += dt;
	if (dt > sv.longest_us)
		sv.longest_us = dt;
	if (!done) {
		reserve_projected();
		sv.slice = loop_timer_add(0, on_slice, NULL);
		if (!sv.slice) {
			encoding_end();
			save_finished(false, 0, "out of memory");
		}
		return;
	}
	store_enc_alarms(&sv.enc, sv.alarms); /* few, and they change on the loop only */
	sv.encoding = NULL;
	sv.last_len = sv.enc.b.len;
	writer_start();
}

/* The last save's size, or the file's at the first: one allocation then,
 * as growing by copies touches fresh pages within a single slice. */
static size_t size_hint(const struct model *m)
{
	char path[PATH_MAX];
	struct stat st;

	if (!sv.last_len) {
		snprintf(path, sizeof(path), "%s/" STORE_FILE, m->cfg->agent.state_dir);
		if (stat(path, &st) == 0 && st.st_size > 0)
			sv.last_len = (size_t)st.st_size;
	}
	return sv.last_len + sv.last_len / 16;
}

static void save_begin(struct model *m)
{
	sv.t0_us = loop_clock_us();
	sv.encode_us = sv.longest_us = 0;
	sv.slices = 0;
	sv.snapshot = time(NULL);
	model_tick(m, sv.snapshot, loop_now_ms_fresh()); /* books up to date */
	size_t hint = size_hint(m);
	store_enc_begin(&sv.enc, take_spare(hint), sv.snapshot, hint);
	sv.encoding = m;
	on_slice(NULL);
}

/* ---- schedule ---- */

static void on_save_timer(void *arg);

static void schedule_save(void)
{
	unsigned s = (*sv.mp)->cfg->agent.save_interval_s;
	sv.timer = loop_timer_add((uint64_t)(s ? s : 60) * 1000u, on_save_timer, NULL);
}

static void on_save_timer(void *arg)
{
	(void)arg;
	sv.timer = NULL;
	if (sv.encoding || sv.writing) /* never two at once */
		log_msg(LOG_DEBUG, "state save skipped: the previous one is still running");
	else
		save_begin(*sv.mp);
	schedule_save();
}

void saver_start(struct model **mp, const struct alarm_set *alarms)
{
	sv.mp = mp;
	sv.alarms = alarms;
	schedule_save();
}

void saver_stop(void)
{
	char err[320];

	if (!sv.mp || !*sv.mp)
		return;
	loop_timer_cancel(sv.timer);
	sv.timer = NULL;
	encoding_end();
	if (sv.writing) /* the final save uses the same temp file: let it finish */
		writer_reap();
	struct model *m = *sv.mp;
	time_t now = time(NULL);
	uint64_t t0 = loop_clock_us();
	if (store_save(m, sv.alarms, m->cfg->agent.state_dir, now, err, sizeof(err)) == 0) {
		save_finished(true, now, "final save");
		log_msg(LOG_INFO, "state saved to %s/" STORE_FILE " in %.1f ms",
		        m->cfg->agent.state_dir, (double)(loop_clock_us() - t0) / 1000.0);
	} else {
		sv.failing = false; /* the last word must always be logged */
		save_finished(false, 0, err);
	}
	store_buf_free(&sv.spare);
	sv.mp = NULL;
}
