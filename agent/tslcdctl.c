/*
 * tslcdctl: talk to a running tslcd-agent over its control socket.
 *
 *   tslcdctl [-s SOCKET] outage-cause OFFICE.LINE OUTAGE CAUSE [TICKET]
 *   tslcdctl [-s SOCKET] status
 *   tslcdctl [-s SOCKET] alarm list|ack|unack|shelve|unshelve ...  (control_alarm.h)
 *   tslcdctl [-c CONFIG] readiness-template OFFICE      (local, no agent)
 *   tslcdctl [-c CONFIG] readiness-verify FILE [-k KEY.pub]
 *   tslcdctl [-c CONFIG] report --period P [options]  (history.db, no agent)
 *
 * Exit status: 0 when the agent answered "ok", 1 when it refused, 2 on a
 * usage error (a malformed id included) or when it could not be reached or
 * did not answer within REPLY_TIMEOUT_S.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "histreport_cli.h"
#include "numarg.h"
#include "readiness_cli.h"

#define DEFAULT_SOCKET  "/run/tslcd/control.sock"
#define REPLY_TIMEOUT_S 10

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: tslcdctl [-s SOCKET] outage-cause OFFICE.LINE OUTAGE CAUSE [TICKET]\n"
	        "       tslcdctl [-s SOCKET] status\n"
	        "       tslcdctl [-s SOCKET] bandwidth OFFICE.LINE\n"
	        "       tslcdctl [-s SOCKET] alarm list\n"
	        "       tslcdctl [-s SOCKET] alarm ack ID [--by NAME] [--note TEXT]\n"
	        "       tslcdctl [-s SOCKET] alarm unack ID [--by NAME]\n"
	        "       tslcdctl [-s SOCKET] alarm shelve ID|--line OFFICE.LINE|--office OFFICE\n"
	        "                --until +N[smhd]|YYYY-MM-DDTHH:MM [--by NAME] [--note TEXT]\n"
	        "       tslcdctl [-s SOCKET] alarm unshelve ID|--line OFFICE.LINE|--office "
	        "OFFICE [--by NAME]\n"
	        "       tslcdctl [-c CONFIG] readiness-template OFFICE\n"
	        "       tslcdctl [-c CONFIG] readiness-verify FILE [-k KEY.pub]\n"
	        "       tslcdctl [-c CONFIG] report --period P [options]  (report --help)\n"
	        "       tslcdctl --help\n"
	        "causes: unknown powerLoss fiberCut cpeFault providerNetwork customerLan\n"
	        "        naturalDisaster securityIsolation plannedWork upstream\n");
}

/* Ids are checked here too, so a typo is an error and never another outage
 * (the agent checks again: the socket is not only ours). */
static int check_ids(int argc, char **argv)
{
	uint32_t office, line, outage;
	bool has_ref =
	    argc > 1 && (!strcmp(argv[0], "outage-cause") || !strcmp(argv[0], "bandwidth"));

	if (has_ref && !numarg_line_ref(argv[1], &office, &line)) {
		fprintf(stderr,
		        "tslcdctl: %s: '%s' is not OFFICE.LINE (two whole numbers 1..4294967295)\n",
		        argv[0], argv[1]);
		return -1;
	}
	if (argc > 2 && !strcmp(argv[0], "outage-cause") &&
	    !numarg_u32(argv[2], 1, UINT32_MAX, &outage)) {
		fprintf(stderr,
		        "tslcdctl: outage-cause: OUTAGE '%s' is not a whole number 1..4294967295\n",
		        argv[2]);
		return -1;
	}
	return 0;
}

/* An alarm note may hold spaces: the agent takes the rest of the line
 * after --note, so it must come last. */
static bool is_note(char **argv, int i)
{
	return i > 0 && !strcmp(argv[0], "alarm") && !strcmp(argv[i - 1], "--note");
}

static int build_request(char *req, size_t len, int argc, char **argv)
{
	req[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (is_note(argv, i) && i + 1 != argc) {
			fprintf(stderr, "tslcdctl: --note TEXT must come last\n");
			return -1;
		}
		if (strchr(argv[i], '\n') || strchr(argv[i], '\r') ||
		    (strchr(argv[i], ' ') && !is_note(argv, i))) {
			fprintf(stderr, "tslcdctl: arguments may not contain spaces: '%s'\n",
			        argv[i]);
			return -1;
		}
		if (strlen(req) + strlen(argv[i]) + 2 >= len) {
			fprintf(stderr, "tslcdctl: request too long\n");
			return -1;
		}
		strcat(req, argv[i]);
		strcat(req, i + 1 < argc ? " " : "\n");
	}
	return 0;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	/* A busy or stuck agent must not hang the operator's shell. */
	const struct timeval tv = {REPLY_TIMEOUT_S, 0};

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	strcpy(sa.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	const char *path = DEFAULT_SOCKET;
	char req[512], reply[16384];
	int first = 1;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		path = argv[2];
		first = 3;
	}
	/* Reports and readiness commands work on files, with no agent. */
	int report = argc > 2 && !strcmp(argv[1], "-c")
	                 ? histreport_cli(argv[2], argc - 3, argv + 3)
	                 : histreport_cli(NULL, argc - first, argv + first);
	if (report >= 0)
		return report;
	int local = argc > 2 && !strcmp(argv[1], "-c")
	                ? readiness_cli(argv[2], argc - 3, argv + 3)
	                : readiness_cli(NULL, argc - first, argv + first);
	if (local >= 0)
		return local;
	if (first >= argc || argv[first][0] == '-' ||
	    build_request(req, sizeof(req), argc - first, argv + first) < 0) {
		usage(stderr);
		return 2;
	}
	if (check_ids(argc - first, argv + first) < 0)
		return 2;
	int fd = connect_to(path);
	if (fd < 0) {
		fprintf(stderr, "tslcdctl: cannot reach the agent at %s: %s\n", path,
		        strerror(errno));
		return 2;
	}
	/* The agent may refuse before reading (short of fds): no SIGPIPE, and
	 * its one-line reason is still there to read. */
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) < 0 && errno != EPIPE && errno != ECONNRESET) {
		fprintf(stderr, "tslcdctl: cannot send to the agent at %s: %s\n", path,
		        strerror(errno));
		close(fd);
		return 2;
	}
	/* Most replies are a line; `alarm list' may be several KiB. */
	ssize_t n = 0, got = 0;
	while ((size_t)n < sizeof(reply) - 1 &&
	       (got = read(fd, reply + n, sizeof(reply) - 1 - (size_t)n)) > 0)
		n += got;
	if (n == 0 && got < 0)
		n = -1;
	bool timed_out = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	close(fd);
	if (n <= 0 && timed_out)
		fprintf(stderr, "tslcdctl: no answer from the agent at %s within %d s\n", path,
		        REPLY_TIMEOUT_S);
	else if (n <= 0)
		fprintf(stderr, "tslcdctl: no answer from the agent at %s\n", path);
	if (n <= 0)
		return 2;
	reply[n] = '\0';
	fputs(reply, strncmp(reply, "ok", 2) ? stderr : stdout);
	return strncmp(reply, "ok", 2) ? 1 : 0;
}
