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
 * usage error (a malformed id, an unknown command or option included) or
 * when it could not be reached or did not answer within REPLY_TIMEOUT_S.
 * Usage errors and `tslcdctl COMMAND --help` never touch the socket, so
 * they work with no agent running.
 */
#include <ctype.h>
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

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* The agent's commands (control.c), checked here so that a typo gets the
 * usage at once, not "cannot reach the agent" when none runs. */
static bool is_agent_command(const char *cmd)
{
	static const char *const cmds[] = {"outage-cause", "status", "bandwidth", "alarm"};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i]))
			return true;
	return false;
}

/* "-x" or "--xy"; "-1" is a (bad) number, left to check_ids to explain. */
static bool is_option(const char *arg)
{
	return arg[0] == '-' && (arg[1] == '-' || isalpha((unsigned char)arg[1]));
}

/* The options of `alarm' (control_alarm.c); each takes a value. */
static bool is_alarm_option(const char *cmd, const char *arg)
{
	static const char *const opts[] = {"--by", "--note", "--line", "--office", "--until"};

	for (size_t i = 0; !strcmp(cmd, "alarm") && i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(arg, opts[i]))
			return true;
	return false;
}

/* 0, or -1 (said why) for an unknown command or option. */
static int check_words(int argc, char **argv)
{
	if (!is_agent_command(argv[0])) {
		fprintf(stderr, "tslcdctl: unknown %s '%s'\n",
		        argv[0][0] == '-' ? "option" : "command", argv[0]);
		return -1;
	}
	for (int i = 1; i < argc; i++) {
		if (is_alarm_option(argv[0], argv[i]))
			i++; /* its value may be anything, a note's text included */
		else if (is_option(argv[i])) {
			fprintf(stderr, "tslcdctl: %s: unknown option '%s'\n", argv[0], argv[i]);
			return -1;
		}
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
	bool prefixed = argc > 2 && (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-c"));
	const char *path = prefixed && argv[1][1] == 's' ? argv[2] : DEFAULT_SOCKET;
	const char *config = prefixed && argv[1][1] == 'c' ? argv[2] : NULL;
	int first = prefixed ? 3 : 1;
	char req[512], reply[16384];

	if (argc > 1 && is_help(argv[1])) {
		usage(stdout);
		return 0;
	}
	/* Reports and readiness commands work on files, with no agent. */
	int report = histreport_cli(config, argc - first, argv + first);
	if (report >= 0)
		return report;
	if (argc > first + 1 && is_help(argv[first + 1])) {
		usage(stdout);
		return 0;
	}
	int local = readiness_cli(config, argc - first, argv + first);
	if (local >= 0)
		return local;
	if (first >= argc || config || check_words(argc - first, argv + first) < 0 ||
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
