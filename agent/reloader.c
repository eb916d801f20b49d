/*
 * reloader: config parses off the loop; see reloader.h.
 *
 * The thread reports through an eventfd the loop watches; the loop joins
 * it there, so at most one parse thread exists and nothing it touches is
 * read before the join.
 */
#include "reloader.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

/* A file with thousands of errors: the first ones say enough. */
#define MAX_KEPT_ERRORS 1000u

static struct {
	const char *path;
	config_error_fn err;
	reloader_done_fn done;
	void *ctx;
	int efd;
	bool running, again;
	pthread_t thread;
	/* Written by the thread, read by the loop after the join. */
	struct tslcd_config *cfg;
	char **errors;
	size_t n_errors, dropped;
	double parse_ms;
} R = {.efd = -1};

static void keep_error(void *ctx, const char *msg)
{
	(void)ctx;
	char **v = R.n_errors < MAX_KEPT_ERRORS
	               ? realloc(R.errors, (R.n_errors + 1) * sizeof(*R.errors))
	               : NULL;
	char *copy = v ? strdup(msg) : NULL;

	if (v)
		R.errors = v;
	if (!copy) {
		R.dropped++;
		return;
	}
	R.errors[R.n_errors++] = copy;
}

static void *parse_main(void *arg)
{
	uint64_t t0 = loop_clock_us(), one = 1;

	(void)arg;
	R.cfg = config_load(R.path, keep_error, NULL);
	/* Parsing churns the heap: hand what it freed back to the kernel here,
	 * off the loop (malloc_trim of a 100k-office heap takes 0.25 s). */
	malloc_trim(0);
	R.parse_ms = (double)(loop_clock_us() - t0) / 1e3;
	while (write(R.efd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	return NULL;
}

static void start(void)
{
	R.again = false;
	R.cfg = NULL;
	R.n_errors = R.dropped = 0;
	int e = pthread_create(&R.thread, NULL, parse_main, NULL);
	if (e) {
		log_msg(LOG_ERR, "reload: cannot start the parse thread: %s", strerror(e));
		R.done(R.ctx, NULL, 0);
		return;
	}
	R.running = true;
}

/* The results, in the order the thread found them; then the next parse. */
static void hand_over(void)
{
	pthread_join(R.thread, NULL);
	R.running = false;
	for (size_t i = 0; i < R.n_errors; i++) {
		R.err(R.ctx, R.errors[i]);
		free(R.errors[i]);
	}
	R.n_errors = 0;
	if (R.dropped)
		log_msg(LOG_ERR, "reload: %zu more problems not shown", R.dropped);
	struct tslcd_config *cfg = R.cfg;
	R.cfg = NULL;
	R.done(R.ctx, cfg, R.parse_ms);
	if (R.again) {
		log_msg(LOG_INFO, "reloading %s again (signalled during the parse)", R.path);
		start();
	}
}

static void on_parsed(int fd, short revents, void *arg)
{
	uint64_t n;

	(void)revents, (void)arg;
	if (read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n) && R.running)
		hand_over();
}

int reloader_init(const char *path, config_error_fn err, reloader_done_fn done, void *ctx)
{
	R.path = path;
	R.err = err;
	R.done = done;
	R.ctx = ctx;
	R.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (R.efd < 0)
		return -1;
	if (loop_fd_add(R.efd, POLLIN, on_parsed, NULL) < 0) {
		close(R.efd);
		R.efd = -1;
		return -1;
	}
	return 0;
}

void reloader_request(void)
{
	if (R.running)
		R.again = true;
	else
		start();
}

bool reloader_busy(void)
{
	return R.running;
}

void reloader_stop(void)
{
	if (R.running) {
		pthread_join(R.thread, NULL);
		R.running = false;
		config_free(R.cfg);
		R.cfg = NULL;
	}
	for (size_t i = 0; i < R.n_errors; i++)
		free(R.errors[i]);
	free(R.errors);
	R.errors = NULL;
	R.n_errors = 0;
	if (R.efd >= 0) {
		loop_fd_del(R.efd);
		close(R.efd);
		R.efd = -1;
	}
}
