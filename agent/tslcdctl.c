/*
 * tslcdctl: talk to a running tslcd-agent over its control socket.
 *
 *   tslcdctl [-s SOCKET] outage-cause OFFICE.LINE OUTAGE CAUSE [TICKET]
 *   tslcdctl [-s SOCKET] status
 *   tslcdctl [-c CONFIG] readiness-template OFFICE      (local, no agent)
 *   tslcdctl [-c CONFIG] readiness-verify FILE [-k KEY.pub]
 *
 * Exit status: 0 when the agent answered "ok", 1 when it refused, 2 when it
 * could not be reached.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "readiness_cli.h"

#define DEFAULT_SOCKET "/run/tslcd/control.sock"

static void usage(FILE *out)
{
	fprintf(out, "usage: tslcdctl [-s SOCKET] outage-cause OFFICE.LINE OUTAGE CAUSE [TICKET]\n"
	             "       tslcdctl [-s SOCKET] status\n"
	             "       tslcdctl [-s SOCKET] bandwidth OFFICE.LINE\n"
	             "       tslcdctl [-c CONFIG] readiness-template OFFICE\n"
	             "       tslcdctl [-c CONFIG] readiness-verify FILE [-k KEY.pub]\n"
	             "       tslcdctl --help\n"
	             "causes: unknown powerLoss fiberCut cpeFault providerNetwork customerLan\n"
	             "        naturalDisaster securityIsolation plannedWork\n");
}

static int build_request(char *req, size_t len, int argc, char **argv)
{
	req[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (strchr(argv[i], ' ') || strchr(argv[i], '\n')) {
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

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
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
	char req[512], reply[1024];
	int first = 1;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		path = argv[2];
		first = 3;
	}
	/* Readiness commands work on files, with no agent. */
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
	int fd = connect_to(path);
	if (fd < 0) {
		fprintf(stderr, "tslcdctl: cannot reach the agent at %s: %s\n", path,
		        strerror(errno));
		return 2;
	}
	ssize_t n = write(fd, req, strlen(req)) < 0 ? -1 : read(fd, reply, sizeof(reply) - 1);
	close(fd);
	if (n <= 0) {
		fprintf(stderr, "tslcdctl: no answer from the agent at %s\n", path);
		return 2;
	}
	reply[n] = '\0';
	fputs(reply, strncmp(reply, "ok", 2) ? stderr : stdout);
	return strncmp(reply, "ok", 2) ? 1 : 0;
}
