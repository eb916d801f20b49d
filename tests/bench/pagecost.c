/*
 * pagecost: what this machine charges for memory pages, for `make bench`.
 * The state-save figures depend on it (a fresh buffer is faulted in; a
 * fork() makes every page written afterwards a copy), and virtual machines
 * differ from bare metal by one or two orders of magnitude here.
 *
 * usage: pagecost [MB]   (default 32)
 * Output (one line): "first_touch_us=X reuse_us=Y cow_us=Z" per 4 KiB page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Write one byte per page; returns microseconds per page. */
static double touch(volatile unsigned char *p, size_t pages, unsigned char v)
{
	double t0 = now_us();

	for (size_t i = 0; i < pages; i++)
		p[i * 4096] = v;
	return (now_us() - t0) / (double)pages;
}

int main(int argc, char **argv)
{
	size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 32;
	if (mb < 1 || mb > 1024) {
		fprintf(stderr, "pagecost: MB must be 1..1024\n");
		return 2;
	}
	size_t pages = mb * 256;
	unsigned char *p = malloc(pages * 4096);
	if (!p)
		return 1;
	double first = touch(p, pages, 1);
	double reuse = touch(p, pages, 2);
	int fds[2];
	if (pipe(fds) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) { /* holds the pages shared until the parent is done */
		char c;
		close(fds[1]);
		_exit(read(fds[0], &c, 1) < 0);
	}
	double cow = touch(p, pages, 3);
	close(fds[1]);
	waitpid(pid, NULL, 0);
	printf("first_touch_us=%.3f reuse_us=%.3f cow_us=%.3f\n", first, reuse, cow);
	free(p);
	return 0;
}
