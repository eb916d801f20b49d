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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bandwidth.h"
#include "histfeed.h"
#include "log.h"
#include "loop.h"

#define REQUEST_MAX 512

struct client {
	int fd;
	size_t len;
	char buf[REQUEST_MAX];
};

static int listen_fd = -1;
static char *sock_path;
static struct model *const *model_ref;

/* ---- requests ---- */

static bool parse_line_ref(const char *s, uint32_t *office, uint32_t *line)
{
	char *end;
	unsigned long o = strtoul(s, &end, 10);
	if (end == s || *end != '.')
		return false;
	const char *p = end + 1;
	unsigned long l = strtoul(p, &end, 10);
	if (end == p || *end || o == 0 || l == 0 || o > UINT32_MAX || l > UINT32_MAX)
		return false;
	*office = (uint32_t)o;
	*line = (uint32_t)l;
	return true;
}

static void do_outage_cause(struct model *m, char **argv, int argc, char *out, size_t outlen)
{
	uint32_t office, line_id;

	if (argc < 4 || argc > 5 || !parse_line_ref(argv[1], &office, &line_id)) {
		snprintf(out, outlen,
		         "error: usage: outage-cause OFFICE.LINE OUTAGE CAUSE [TICKET]");
		return;
	}
	struct line *l = model_find_line(m, office, line_id);
	if (!l) {
		snprintf(out, outlen, "error: no line %u.%u", office, line_id);
		return;
	}
	struct outage *o = outage_find(&l->outages, (uint32_t)strtoul(argv[2], NULL, 10));
	if (!o) {
		snprintf(out, outlen, "error: line %u.%u has no outage %s in its history", office,
		         line_id, argv[2]);
		return;
	}
	int cause = outage_cause_parse(argv[3]);
	const char *ticket = argc == 5 ? argv[4] : o->ticket;
	const char *why = cause < 0 ? "unknown cause (see TslcdOutageCause)"
	                            : outage_annotate(o, cause, ticket, strlen(ticket));
	if (why) {
		snprintf(out, outlen, "error: %s", why);
		return;
	}
	histfeed_outage(l, o);
	snprintf(out, outlen, "ok outage %u.%u.%u cause %s ticket \"%s\"", office, line_id,
	         o->index, outage_cause_name(o->cause), o->ticket);
	log_msg(LOG_INFO, "control: %s", out + 3);
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

	if (argc != 2 || !parse_line_ref(argv[1], &office, &line_id)) {
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

void control_execute(struct model *m, char *request, char *out, size_t outlen)
{
	char *argv[8];
	int argc = 0;
	char *save = NULL;

	for (char *t = strtok_r(request, " \t\r\n", &save); t && argc < 8;
	     t = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = t;
	if (argc == 0)
		snprintf(out, outlen, "error: empty request");
	else if (!strcmp(argv[0], "outage-cause"))
		do_outage_cause(m, argv, argc, out, outlen);
	else if (!strcmp(argv[0], "status"))
		do_status(m, out, outlen);
	else if (!strcmp(argv[0], "bandwidth"))
		do_bandwidth(m, argv, argc, out, outlen);
	else
		snprintf(out, outlen, "error: unknown request '%.32s'", argv[0]);
}

/* ---- socket plumbing ---- */

static void client_close(struct client *c)
{
	loop_fd_del(c->fd);
	close(c->fd);
	free(c);
}

static void client_reply(struct client *c)
{
	char out[512];

	c->buf[c->len] = '\0';
	control_execute(*model_ref, c->buf, out, sizeof(out) - 1);
	strcat(out, "\n");
	/* One short line to a local peer: a blocking-free best effort is enough. */
	if (write(c->fd, out, strlen(out)) < 0)
		log_msg(LOG_DEBUG, "control: reply lost: %s", strerror(errno));
	client_close(c);
}

static void on_client(int fd, short revents, void *arg)
{
	struct client *c = arg;

	(void)revents;
	ssize_t n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		c->len += (size_t)n;
	if (n <= 0 || memchr(c->buf, '\n', c->len) || c->len == sizeof(c->buf) - 1)
		client_reply(c);
}

static void on_accept(int fd, short revents, void *arg)
{
	(void)revents, (void)arg;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	struct client *c = calloc(1, sizeof(*c));
	if (!c || loop_fd_add(cfd, POLLIN, on_client, c) < 0) {
		free(c);
		close(cfd);
		return;
	}
	c->fd = cfd;
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
	model_ref = model;
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unlink(path);
	mode_t old = umask(0117); /* 0660: owner and group only */
	int rc = listen_fd < 0 ? -1 : bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(listen_fd, 16) < 0 ||
	    loop_fd_add(listen_fd, POLLIN, on_accept, NULL) < 0) {
		log_msg(LOG_ERR, "control socket %s: %s (tslcdctl will not work)", path,
		        strerror(errno));
		if (listen_fd >= 0)
			close(listen_fd);
		listen_fd = -1;
		return -1;
	}
	sock_path = strdup(path);
	return 0;
}

void control_stop(void)
{
	if (listen_fd < 0)
		return;
	loop_fd_del(listen_fd);
	close(listen_fd);
	listen_fd = -1;
	if (sock_path)
		unlink(sock_path);
	free(sock_path);
	sock_path = NULL;
}
