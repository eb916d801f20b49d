/*
 * spool: directory scanning, inotify, and moving files out of the way.
 * Names are collected first and handled after, because renaming entries
 * while readdir() walks the directory may show some twice or not at all.
 */
#include "spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#define SPOOL_MAX_NAMES 4096 /* per scan; the rest wait for the next one */

static struct {
	char *dir;
	int dirfd, infd;
	unsigned rescan_s, sig_wait_s;
	spool_handle_fn fn;
	void *ctx;
	struct loop_timer *rescan, *soon;
} S = {.dirfd = -1, .infd = -1};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

enum spool_role spool_role(const char *name)
{
	static const char *const temp[] = {".tmp", ".part", ".swp", "~", ".reason"};

	if (name[0] == '.' || !name[0])
		return SPOOL_IGNORE;
	for (size_t i = 0; i < sizeof(temp) / sizeof(temp[0]); i++)
		if (ends_with(name, temp[i]))
			return SPOOL_IGNORE;
	if (ends_with(name, ".sig"))
		return strlen(name) > 4 ? SPOOL_SIG : SPOOL_IGNORE;
	return SPOOL_REPORT;
}

/* ---- moving files out ---- */

static void stamp_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%S", &tm);
}

/* Move `name` into `sub` under a fresh "STAMP[-N]-name"; the chosen base
 * goes to dest.  RENAME_NOREPLACE: an earlier file is never overwritten. */
static bool move_unique(const char *sub, const char *name, char *dest, size_t len)
{
	char stamp[32], to[4096];

	stamp_now(stamp, sizeof(stamp));
	for (unsigned n = 0; n < 1000; n++) {
		if (n)
			snprintf(dest, len, "%s-%u-%s", stamp, n, name);
		else
			snprintf(dest, len, "%s-%s", stamp, name);
		snprintf(to, sizeof(to), "%s/%s", sub, dest);
		if (renameat2(S.dirfd, name, S.dirfd, to, RENAME_NOREPLACE) == 0)
			return true;
		if (errno != EEXIST)
			break;
	}
	log_msg(LOG_ERR, "spool %s: cannot move %s to %s/: %s", S.dir, name, sub, strerror(errno));
	return false;
}

static void move_companion(const char *sub, const char *name, const char *dest, const char *suffix)
{
	char from[1024], to[4096];

	snprintf(from, sizeof(from), "%s%s", name, suffix);
	snprintf(to, sizeof(to), "%s/%s%s", sub, dest, suffix);
	if (faccessat(S.dirfd, from, F_OK, AT_SYMLINK_NOFOLLOW) == 0 &&
	    renameat(S.dirfd, from, S.dirfd, to) < 0)
		log_msg(LOG_ERR, "spool %s: cannot move %s: %s", S.dir, from, strerror(errno));
}

static void write_reason(const char *dest, const char *name, const char *reason)
{
	char path[4096], stamp[32];

	snprintf(path, sizeof(path), "rejected/%s.reason", dest);
	int fd = openat(S.dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return;
	}
	stamp_now(stamp, sizeof(stamp));
	fprintf(f, "file: %s\nrejected: %s\nreason: %s\n", name, stamp, reason);
	fclose(f);
}

/* `name` may be a report or a lone .sig; its companion .sig moves with it. */
static void file_away(const char *name, bool accepted, const char *reason)
{
	const char *sub = accepted ? "accepted" : "rejected";
	char dest[1024];

	if (!move_unique(sub, name, dest, sizeof(dest)))
		return;
	if (spool_role(name) == SPOOL_REPORT)
		move_companion(sub, name, dest, ".sig");
	if (!accepted)
		write_reason(dest, name, reason);
}

/* ---- one scan ---- */

static bool exists(const char *name, const char *suffix)
{
	char p[1024];
	snprintf(p, sizeof(p), "%s%s", name, suffix);
	return faccessat(S.dirfd, p, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static void handle_report(const char *name)
{
	char path[4096], reason[320] = "";
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", S.dir, name);
	ok = S.fn(S.ctx, path, name, reason, sizeof(reason));
	file_away(name, ok, reason);
}

/* Unsigned or orphaned for too long: reject so the office hears of it. */
static void handle_waiting(const char *name, const struct stat *st, time_t now)
{
	char path[4096], reason[320];

	if (now - st->st_mtime < (time_t)S.sig_wait_s)
		return;
	if (spool_role(name) == SPOOL_SIG)
		snprintf(reason, sizeof(reason), "a signature with no report beside it for %u s",
		         S.sig_wait_s);
	else
		snprintf(reason, sizeof(reason), "unsigned: no %s.sig beside it for %u s", name,
		         S.sig_wait_s);
	snprintf(path, sizeof(path), "%s/%s", S.dir, name);
	S.fn(S.ctx, path, name, reason, 0); /* reasonlen 0: already rejected, just count */
	file_away(name, false, reason);
}

static void handle_entry(const char *name, time_t now)
{
	struct stat st;
	enum spool_role role = spool_role(name);

	if (role == SPOOL_IGNORE || fstatat(S.dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (!S_ISREG(st.st_mode)) {
		if (S_ISLNK(st.st_mode))
			file_away(name, false, "a symbolic link, not a file");
		return; /* accepted/, rejected/ and other directories */
	}
	if (role == SPOOL_SIG) {
		char base[1024];
		snprintf(base, sizeof(base), "%.*s", (int)(strlen(name) - 4), name);
		if (!exists(base, ""))
			handle_waiting(name, &st, now);
	} else if (exists(name, ".sig")) {
		handle_report(name);
	} else {
		handle_waiting(name, &st, now);
	}
}

static size_t collect_names(char **names, size_t max)
{
	int fd = dup(S.dirfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;
	size_t n = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	rewinddir(d);
	while (n < max && (de = readdir(d)))
		if (spool_role(de->d_name) != SPOOL_IGNORE && (names[n] = strdup(de->d_name)))
			n++;
	closedir(d);
	return n;
}

void spool_scan(void)
{
	char **names = calloc(SPOOL_MAX_NAMES, sizeof(*names));
	time_t now = time(NULL);

	if (!names || S.dirfd < 0) {
		free(names);
		return;
	}
	size_t n = collect_names(names, SPOOL_MAX_NAMES);
	for (size_t i = 0; i < n; i++) {
		handle_entry(names[i], now);
		free(names[i]);
	}
	free(names);
}

/* ---- timers and inotify ---- */

static void on_soon(void *arg)
{
	(void)arg;
	S.soon = NULL;
	spool_scan();
}

static void on_rescan(void *arg)
{
	(void)arg;
	S.rescan = loop_timer_add((uint64_t)S.rescan_s * 1000u, on_rescan, NULL);
	spool_scan();
}

/* Events only say "something changed": one scan shortly after a burst. */
static void on_inotify(int fd, short revents, void *arg)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	(void)revents, (void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	if (!S.soon)
		S.soon = loop_timer_add(100, on_soon, NULL);
}

static void inotify_start(void)
{
	S.infd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (S.infd >= 0 && inotify_add_watch(S.infd, S.dir, IN_CLOSE_WRITE | IN_MOVED_TO) >= 0 &&
	    loop_fd_add(S.infd, POLLIN, on_inotify, NULL) == 0)
		return;
	log_msg(LOG_WARNING, "spool %s: no inotify (%s); rescanning every %u s", S.dir,
	        strerror(errno), S.rescan_s);
	if (S.infd >= 0)
		close(S.infd);
	S.infd = -1;
}

static bool dirs_ready(const char *dir)
{
	S.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (S.dirfd < 0) {
		log_msg(LOG_ERR, "spool %s: %s (readiness reports are not ingested)", dir,
		        strerror(errno));
		return false;
	}
	if ((mkdirat(S.dirfd, "accepted", 0750) < 0 && errno != EEXIST) ||
	    (mkdirat(S.dirfd, "rejected", 0750) < 0 && errno != EEXIST)) {
		log_msg(LOG_ERR, "spool %s: cannot create accepted/ and rejected/: %s", dir,
		        strerror(errno));
		close(S.dirfd);
		S.dirfd = -1;
		return false;
	}
	return true;
}

int spool_start(const char *dir, unsigned rescan_s, unsigned sig_wait_s, spool_handle_fn fn,
                void *ctx)
{
	spool_stop();
	if (!dir || !dir[0] || !dirs_ready(dir))
		return -1;
	S.dir = strdup(dir);
	S.rescan_s = rescan_s ? rescan_s : 60;
	S.sig_wait_s = sig_wait_s;
	S.fn = fn;
	S.ctx = ctx;
	inotify_start();
	S.soon = loop_timer_add(0, on_soon, NULL); /* what arrived while we were down */
	S.rescan = loop_timer_add((uint64_t)S.rescan_s * 1000u, on_rescan, NULL);
	log_msg(LOG_INFO, "readiness reports: watching %s", dir);
	return 0;
}

void spool_stop(void)
{
	loop_timer_cancel(S.rescan);
	loop_timer_cancel(S.soon);
	if (S.infd >= 0) {
		loop_fd_del(S.infd);
		close(S.infd);
	}
	if (S.dirfd >= 0)
		close(S.dirfd);
	free(S.dir);
	memset(&S, 0, sizeof(S));
	S.dirfd = S.infd = -1;
}
