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
	struct reloader_hooks h;
	int efd;
	bool running, again;
	pthread_t thread;
	/* Written by the thread, read by the loop after the join. */
	struct tslcd_config *cfg;
	void *prepared;
	char **errors;
	size_t n_errors, dropped;
	double parse_ms;
	/* The thread freeing what the last reload replaced. */
	pthread_t disposer;
	bool disposing;
	void (*dispose_fn)(void *obj);
	void *dispose_obj;
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
	R.prepared = R.cfg && R.h.prepare ? R.h.prepare(R.h.ctx, R.cfg) : NULL;
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
	R.prepared = NULL;
	R.n_errors = R.dropped = 0;
	int e = pthread_create(&R.thread, NULL, parse_main, NULL);
	if (e) {
		log_msg(LOG_ERR, "reload: cannot start the parse thread: %s", strerror(e));
		R.h.done(R.h.ctx, NULL, NULL, 0);
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
		R.h.err(R.h.ctx, R.errors[i]);
		free(R.errors[i]);
	}
	R.n_errors = 0;
	if (R.dropped)
		log_msg(LOG_ERR, "reload: %zu more problems not shown", R.dropped);
	struct tslcd_config *cfg = R.cfg;
	void *prepared = R.prepared;
	R.cfg = NULL;
	R.prepared = NULL;
	R.h.done(R.h.ctx, cfg, prepared, R.parse_ms);
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

int reloader_init(const char *path, const struct reloader_hooks *hooks)
{
	R.path = path;
	R.h = *hooks;
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

static void *dispose_main(void *arg)
{
	(void)arg;
	R.dispose_fn(R.dispose_obj);
	return NULL;
}

/* Joining the last disposal first: reloads are minutes apart, so it is
 * long finished and this does not wait. */
void reloader_dispose(void (*fn)(void *obj), void *obj)
{
	if (R.disposing)
		pthread_join(R.disposer, NULL);
	R.dispose_fn = fn;
	R.dispose_obj = obj;
	R.disposing = pthread_create(&R.disposer, NULL, dispose_main, NULL) == 0;
	if (!R.disposing)
		fn(obj); /* no thread: on the loop, as it used to be */
}

void reloader_stop(void)
{
	if (R.disposing) {
		pthread_join(R.disposer, NULL);
		R.disposing = false;
	}
	if (R.running) {
		pthread_join(R.thread, NULL);
		R.running = false;
		R.h.discard(R.h.ctx, R.cfg, R.prepared);
		R.cfg = NULL;
		R.prepared = NULL;
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
