/*
 * probe_tcp: a connect is a probe.  Completion shows as POLLOUT (or
 * POLLERR/POLLHUP), and SO_ERROR tells success from refusal.
 */
#include "probe_tcp.h"

#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

static int fd_ceiling = -1; /* -1: no ceiling */

void tcp_probe_init(int ceiling)
{
	fd_ceiling = ceiling;
}

static void sock_close(int fd)
{
	loop_fd_del(fd);
	close(fd);
}

static void connect_done(int fd, short revents, void *arg)
{
	struct tcp_probe *p = arg;
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	else if (!err && !(revents & POLLOUT))
		err = ECONNRESET; /* hung up with no error recorded */
	sock_close(fd);
	p->fd = -1;
	p->cb(p, err);
}

static int sock_open(int family)
{
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (fd_ceiling >= 0 && fd >= fd_ceiling) {
		close(fd);
		return -EMFILE;
	}
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	return fd;
}

int tcp_probe_start(struct tcp_probe *p, const struct probe_addr *to, uint16_t port,
                    tcp_probe_cb cb)
{
	struct sockaddr_storage ss;
	socklen_t sl = probe_addr_to_sockaddr(to, port, &ss);
	int fd = sock_open(to->family);

	p->fd = -1;
	if (fd < 0)
		return -fd;
	/* An immediate success (possible on loopback) still reports through
	 * POLLOUT, so every completion takes the same path. */
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
		int err = errno;
		close(fd);
		return err;
	}
	if (loop_fd_add(fd, POLLOUT, connect_done, p) < 0) {
		close(fd);
		return ENOMEM;
	}
	p->fd = fd;
	p->cb = cb;
	return 0;
}

void tcp_probe_abort(struct tcp_probe *p)
{
	if (p->fd < 0)
		return;
	sock_close(p->fd);
	p->fd = -1;
}
