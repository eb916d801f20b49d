/*
 * control: unix-socket server for tslcdctl, inside the event loop.
 */
#include "control.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bandwidth.h"
#include "control_alarm.h"
#include "histfeed.h"
#include "log.h"
#include "loop.h"
#include "numarg.h"
#include "prober.h"

#define REQUEST_MAX_TEXT 511 /* bytes of one request line, newline included */
/* Accepts per wakeup: below the cap, so a client accepted in one pass is
 * still open (and read) in the next, however fast others connect. */
#define ACCEPT_BATCH 8
/* Out of fds: how long the listener rests before trying again. */
#define ACCEPT_PAUSE_MS 1000
/* fds the control socket never takes, for probes, state saves, reconnects. */
#define CONTROL_FD_SPARE 16
/* Our fds (and the spare) are budgeted in the prober's reserve (prober.h). */
_Static_assert(CONTROL_MAX_CLIENTS + 1 + CONTROL_FD_SPARE < PROBER_FD_RESERVE,
               "the control socket's fds must fit in the prober's fd reserve");
/* Refused and timed-out connections are summed in one line this often. */
#define REPORT_EVERY_MS 60000

struct client {
	struct client *prev, *next; /* in accept order: the head is the oldest */
	int fd;
	uint64_t deadline;
	struct ucred peer;
	size_t len;
	char buf[REQUEST_MAX_TEXT + 1];
};

/* Connections closed by the agent, not by their peer, since the last report. */
enum drop_kind { DROP_TIMEOUT, DROP_CAP, DROP_NOFD, DROP_KINDS };

static struct {
	int listen_fd;
	int fd_line; /* a client fd at or above it leaves too few spare */
	char *path;
	struct model *const *model;
	struct client *head, *tail;
	unsigned n;
	struct loop_timer *sweep, *resume;
	unsigned long dropped[DROP_KINDS];
	struct ucred last_peer; /* pid 0: none named yet */
	uint64_t last_report;
	bool reported;
} C = {.listen_fd = -1};

/* ---- requests ---- */

static void do_outage_cause(struct model *m, const struct ucred *peer, char **argv, int argc,
                            char *out, size_t outlen)
{
	uint32_t office, line_id, index;

	if (argc < 4 || argc > 5 || !numarg_line_ref(argv[1], &office, &line_id) ||
	    !numarg_u32(argv[2], 1, UINT32_MAX, &index)) {
		snprintf(out, outlen,
		         "error: usage: outage-cause OFFICE.LINE OUTAGE CAUSE [TICKET] "
		         "(ids: whole numbers 1..4294967295)");
		return;
	}
	struct line *l = model_find_line(m, office, line_id);
	if (!l) {
		snprintf(out, outlen, "error: no line %u.%u", office, line_id);
		return;
	}
	struct outage *o = outage_find(&l->outages, index);
	if (!o) {
		snprintf(out, outlen, "error: line %u.%u has no outage %u in its history", office,
		         line_id, index);
		return;
	}
	int cause = outage_cause_parse(argv[3]);
	const char *why = cause < 0 ? "unknown cause (see TslcdOutageCause)"
	                            : model_outage_annotate(m, office, line_id, index, cause,
	                                                    argc == 5 ? argv[4] : NULL);
	if (why) {
		snprintf(out, outlen, "error: %s", why);
		return;
	}
	snprintf(out, outlen, "ok outage %u.%u.%u cause %s ticket \"%s\"", office, line_id,
	         o->index, outage_cause_name(o->cause), o->ticket);
	if (peer)
		log_msg(LOG_NOTICE, "control: uid %u pid %d set %s", (unsigned)peer->uid,
		        (int)peer->pid, out + 3);
	else
		log_msg(LOG_NOTICE, "control: set %s", out + 3);
}

/* Calendar figures for the monthly and quarterly reports. */
static size_t calendar_text(char *out, size_t len, const char *name, const struct bw_calendar *c)
{
	if (!c->key || !c->cs)
		return (size_t)snprintf(out, len, " %s: no data;", name);
	/* octets * 8 bits over cs / 100 seconds */
	unsigned long long avg_in = c->octets[BW_IN] * 800 / c->cs;
	unsigned long long avg_out = c->octets[BW_OUT] * 800 / c->cs;
	return (size_t)snprintf(
	    out, len,
	    " %s: avg in %llu out %llu bps, peak sample in %u.%02u%% out %u.%02u%%, "
	    "peak rate in %llu out %llu bps;",
	    name, avg_in, avg_out, c->peak[BW_IN] / 100u, c->peak[BW_IN] % 100u,
	    c->peak[BW_OUT] / 100u, c->peak[BW_OUT] % 100u, (unsigned long long)c->peak_bps[BW_IN],
	    (unsigned long long)c->peak_bps[BW_OUT]);
}

static void do_bandwidth(struct model *m, char **argv, int argc, char *out, size_t outlen)
{
	uint32_t office, line_id;

	if (argc != 2 || !numarg_line_ref(argv[1], &office, &line_id)) {
		snprintf(out, outlen, "error: usage: bandwidth OFFICE.LINE");
		return;
	}
	const struct line *l = model_find_line(m, office, line_id);
	if (!l || !l->bw) {
		snprintf(out, outlen, "error: line %u.%u %s", office, line_id,
		         l ? "has no counters source" : "does not exist");
		return;
	}
	size_t n = (size_t)snprintf(out, outlen, "ok line %u.%u", office, line_id);
	if (n < outlen)
		n += calendar_text(out + n, outlen - n, "month", &l->bw->month);
	if (n < outlen)
		calendar_text(out + n, outlen - n, "quarter", &l->bw->quarter);
}

static void do_status(struct model *m, char *out, size_t outlen)
{
	struct model_counts c;

	model_count(m, &c);
	snprintf(out, outlen,
	         "ok offices up %u degraded %u isolated %u unknown %u; lines up %u degraded %u "
	         "down %u maintenance %u unknown %u",
	         c.offices[OFFICE_UP], c.offices[OFFICE_DEGRADED], c.offices[OFFICE_ISOLATED],
	         c.offices[OFFICE_UNKNOWN], c.lines[LINE_UP], c.lines[LINE_DEGRADED],
	         c.lines[LINE_DOWN], c.lines[LINE_MAINTENANCE],
	         c.lines[LINE_UNKNOWN] + c.lines[LINE_UNRESOLVED]);
}

void control_execute(struct model *m, const struct ucred *peer, char *request, char *out,
                     size_t outlen)
{
	char *argv[8];
	int argc = 0;
	char *save = NULL;

	/* Its note may hold spaces: it parses its own line. */
	if (!strncmp(request, "alarm", 5) &&
	    (request[5] == ' ' || request[5] == '\n' || !request[5])) {
		request[strcspn(request, "\r\n")] = '\0';
		control_alarm(m, peer, request + 5, out, outlen);
		return;
	}
	for (char *t = strtok_r(request, " \t\r\n", &save); t && argc < 8;
	     t = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = t;
	if (argc == 0)
		snprintf(out, outlen, "error: empty request");
	else if (!strcmp(argv[0], "outage-cause"))
		do_outage_cause(m, peer, argv, argc, out, outlen);
	else if (!strcmp(argv[0], "status"))
		do_status(m, out, outlen);
	else if (!strcmp(argv[0], "bandwidth"))
		do_bandwidth(m, argv, argc, out, outlen);
	else
		snprintf(out, outlen, "error: unknown request '%.32s'", argv[0]);
}

/* ---- socket plumbing ---- */

/* Hostile peers can make these happen thousands of times a second: one log
 * line per REPORT_EVERY_MS at most, with the totals. */
static void note_drop(enum drop_kind kind, const struct ucred *peer)
{
	uint64_t now = loop_now_ms();

	C.dropped[kind]++;
	if (peer)
		C.last_peer = *peer;
	if (C.reported && now - C.last_report < REPORT_EVERY_MS)
		return;
	log_msg(LOG_WARNING,
	        "control socket: closed %lu connection(s) silent for %u ms, %lu over the cap of "
	        "%u, %lu for want of fds (latest peer closed: uid %u pid %d)",
	        C.dropped[DROP_TIMEOUT], CONTROL_TIMEOUT_MS, C.dropped[DROP_CAP],
	        CONTROL_MAX_CLIENTS, C.dropped[DROP_NOFD], (unsigned)C.last_peer.uid,
	        (int)C.last_peer.pid);
	memset(C.dropped, 0, sizeof(C.dropped));
	C.last_report = now;
	C.reported = true;
}

static void client_unlink(struct client *c)
{
	*(c->prev ? &c->prev->next : &C.head) = c->next;
	*(c->next ? &c->next->prev : &C.tail) = c->prev;
	C.n--;
}

/* One short line to a local peer: non-blocking best effort is enough. */
static void client_close(struct client *c, const char *last_words)
{
	if (last_words && write(c->fd, last_words, strlen(last_words)) < 0)
		log_msg(LOG_DEBUG, "control: reply lost: %s", strerror(errno));
	client_unlink(c);
	loop_fd_del(c->fd);
	close(c->fd);
	free(c);
}

/* Room for `alarm list', the one reply of several lines. */
#define REPLY_MAX 8192

static void client_reply(struct client *c)
{
	static char out[REPLY_MAX];

	c->buf[c->len] = '\0';
	control_execute(*C.model, &c->peer, c->buf, out, sizeof(out) - 1);
	strcat(out, "\n");
	client_close(c, out);
}

static void on_client(int fd, short revents, void *arg)
{
	struct client *c = arg;

	(void)revents;
	ssize_t n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		client_close(c, NULL);
		return;
	}
	c->len += (size_t)n;
	/* A line cut short would be a different request (a truncated ticket). */
	if (!memchr(c->buf, '\n', c->len) && c->len == sizeof(c->buf) - 1) {
		char why[64];
		snprintf(why, sizeof(why), "error: request longer than %d bytes\n",
		         REQUEST_MAX_TEXT);
		client_close(c, why);
	} else if (n == 0 || memchr(c->buf, '\n', c->len))
		client_reply(c);
}

static void sweep_arm(void);

/* Closes every connection past its deadline; the list is in deadline order. */
static void on_sweep(void *arg)
{
	(void)arg;
	C.sweep = NULL;
	while (C.head && C.head->deadline <= loop_now_ms()) {
		note_drop(DROP_TIMEOUT, &C.head->peer);
		client_close(C.head, "error: no request line within the time allowed\n");
	}
	sweep_arm();
}

static void sweep_arm(void)
{
	if (C.sweep || !C.head)
		return;
	uint64_t now = loop_now_ms();
	C.sweep =
	    loop_timer_add(C.head->deadline > now ? C.head->deadline - now : 0, on_sweep, NULL);
}

static void on_resume(void *arg)
{
	(void)arg;
	C.resume = NULL;
	loop_fd_events(C.listen_fd, POLLIN);
}

/* accept() failed for want of fds: the pending connection stays queued and
 * the listener would poll readable forever, so it rests a while instead. */
static void listener_pause(void)
{
	loop_fd_events(C.listen_fd, 0);
	if (!C.resume)
		C.resume = loop_timer_add(ACCEPT_PAUSE_MS, on_resume, NULL);
}

/* Returns false when the connection was refused (already closed). */
static bool client_add(int fd)
{
	struct client *c = calloc(1, sizeof(*c));
	socklen_t len = sizeof(struct ucred);

	/* A peer we cannot name could change things unaccounted for. */
	if (!c || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c->peer, &len) < 0 ||
	    loop_fd_add(fd, POLLIN, on_client, c) < 0) {
		free(c);
		close(fd);
		return false;
	}
	c->fd = fd;
	c->deadline = loop_now_ms() + CONTROL_TIMEOUT_MS;
	c->prev = C.tail;
	*(C.tail ? &C.tail->next : &C.head) = c;
	C.tail = c;
	C.n++;
	return true;
}

static bool out_of_fds(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

static void evict_oldest(enum drop_kind why)
{
	note_drop(why, &C.head->peer);
	client_close(C.head, "error: too many control connections; this one was the oldest\n");
}

/* fds are handed out lowest first, so a new fd at or above the line means
 * fewer than CONTROL_FD_SPARE are left for probes, saves and reconnects. */
static void take(int cfd)
{
	bool short_of_fds = cfd >= C.fd_line;

	if (C.head && short_of_fds) {
		/* The oldest gives way, and the new one moves down to its fd (the
		 * lowest free one), so every client fd stays below the line. */
		evict_oldest(DROP_NOFD);
		int low = fcntl(cfd, F_DUPFD_CLOEXEC, 0);
		if (low >= 0) {
			close(cfd);
			cfd = low;
		}
	} else if (C.head && C.n == CONTROL_MAX_CLIENTS) {
		evict_oldest(DROP_CAP);
	} else if (short_of_fds) {
		note_drop(DROP_NOFD, NULL);
		static const char busy[] = "error: the agent is short of file descriptors\n";
		if (write(cfd, busy, sizeof(busy) - 1) < 0)
			log_msg(LOG_DEBUG, "control: reply lost: %s", strerror(errno));
		close(cfd);
		listener_pause();
		return;
	}
	client_add(cfd);
}

static void on_accept(int fd, short revents, void *arg)
{
	(void)revents, (void)arg;
	for (int i = 0; i < ACCEPT_BATCH && !C.resume; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd >= 0) {
			take(cfd);
		} else if (out_of_fds(errno) && C.head) {
			/* Our oldest (idle) connection gives its fd to the new one. */
			note_drop(DROP_NOFD, &C.head->peer);
			client_close(C.head, NULL);
		} else {
			if (out_of_fds(errno)) {
				note_drop(DROP_NOFD, NULL);
				listener_pause();
			}
			break;
		}
	}
	sweep_arm();
}

static int fd_line(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > INT_MAX)
		return INT_MAX;
	return (int)rl.rlim_cur - CONTROL_FD_SPARE;
}

int control_start(const char *path, struct model *const *model)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	if (!path || !path[0])
		return 0;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_msg(LOG_ERR, "control socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	C.model = model;
	C.fd_line = fd_line();
	C.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unlink(path);
	mode_t old = umask(0117); /* 0660: owner and group only */
	int rc = C.listen_fd < 0 ? -1 : bind(C.listen_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(C.listen_fd, 16) < 0 ||
	    loop_fd_add(C.listen_fd, POLLIN, on_accept, NULL) < 0) {
		log_msg(LOG_ERR, "control socket %s: %s (tslcdctl will not work)", path,
		        strerror(errno));
		if (C.listen_fd >= 0)
			close(C.listen_fd);
		C.listen_fd = -1;
		return -1;
	}
	C.path = strdup(path);
	return 0;
}

void control_stop(void)
{
	if (C.listen_fd < 0)
		return;
	while (C.head)
		client_close(C.head, NULL);
	loop_timer_cancel(C.sweep);
	loop_timer_cancel(C.resume);
	C.sweep = C.resume = NULL;
	loop_fd_del(C.listen_fd);
	close(C.listen_fd);
	C.listen_fd = -1;
	if (C.path)
		unlink(C.path);
	free(C.path);
	C.path = NULL;
}
