/*
 * readiness_spool: directory scanning, inotify, and moving files out of the way.
 * Uploaders can write to the spool, so every name in it may be a trap:
 * every file operation is relative to a directory fd and none follows a
 * symbolic link.  Names are collected first and handled after, because
 * renaming entries while readdir() walks the directory may show some twice
 * or not at all.
 */
#include "readiness_spool.h"

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
#include "readiness_report.h"
#include "smallfile.h"

#define SPOOL_BATCH   1024  /* names read per pass; the next pass continues after them */
#define SPOOL_WORK    256   /* files judged or refused per pass; the rest soon after */
#define KEPT_NAME_MAX 200   /* of a name in "STAMP-N-NAME.sig.reason" (NAME_MAX 255) */
#define SHOWN_MAX     1024  /* an escaped name: 255 bytes, 4 each at worst */
#define SPOOL_PASS_US 20000 /* refusing stops after this long in a pass */
#define REASON_MAX    (SHOWN_MAX + 384)
#define STASH         ".incoming" /* in accepted/: the copy being made */

static struct {
	char *dir;
	int dirfd, infd;
	int accfd, rejfd; /* during a scan only */
	DIR *walk;        /* between passes over a large directory */
	unsigned rescan_s, sig_wait_s;
	readiness_spool_handle_fn fn;
	void *ctx;
	struct loop_timer *rescan, *soon;
} S = {.dirfd = -1, .infd = -1, .accfd = -1, .rejfd = -1};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

enum readiness_spool_role readiness_spool_role(const char *name)
{
	static const char *const temp[] = {".tmp", ".part", ".swp", "~", ".reason"};

	if (name[0] == '.' || !name[0])
		return READINESS_SPOOL_IGNORE;
	for (size_t i = 0; i < sizeof(temp) / sizeof(temp[0]); i++)
		if (ends_with(name, temp[i]))
			return READINESS_SPOOL_IGNORE;
	if (ends_with(name, ".sig"))
		return strlen(name) > 4 ? READINESS_SPOOL_SIG : READINESS_SPOOL_IGNORE;
	return READINESS_SPOOL_REPORT;
}

static void stamp_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%S", &tm);
}

/* ---- the agent's own subdirectories ---- */

/* NULL when fd is a directory only the agent can change. */
static const char *not_own_dir(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return strerror(errno);
	if (st.st_uid != geteuid())
		return "not owned by the agent's user";
	return st.st_mode & (S_IWGRP | S_IWOTH) ? "writable by group or others" : NULL;
}

/* fd of sub, or -1 with *why (NULL: missing) and *foreign (someone else's
 * entry sits there: a link, a file, a directory of theirs). */
static int subdir_try(const char *sub, const char **why, bool *foreign)
{
	struct stat st;
	int fd = openat(S.dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	*foreign = false;
	*why = NULL;
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		*foreign = true;
		*why = fstatat(S.dirfd, sub, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)
		           ? "a symbolic link"
		           : "not a directory";
	} else if (fd < 0) {
		*why = errno == ENOENT ? NULL : strerror(errno);
	} else if ((*why = not_own_dir(fd))) {
		*foreign = true;
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Never write through something an uploader put in place of accepted/ or
 * rejected/: move it aside (where an operator can look at it) and make the
 * directory anew.  Also recreates one an operator removed. */
static int subdir_open(const char *sub)
{
	const char *why;
	bool foreign;
	char aside[64], stamp[32];
	int fd = subdir_try(sub, &why, &foreign);

	if (fd >= 0)
		return fd;
	if (foreign) {
		stamp_now(stamp, sizeof(stamp));
		snprintf(aside, sizeof(aside), ".%s-unsafe-%s", sub, stamp);
		if (renameat2(S.dirfd, sub, S.dirfd, aside, RENAME_NOREPLACE) < 0) {
			log_msg(LOG_ERR, "spool %s: %s/ is %s and cannot be moved aside: %s", S.dir,
			        sub, why, strerror(errno));
			return -1;
		}
		log_msg(LOG_ERR, "spool %s: %s/ was %s; moved aside to %s, a new one is made",
		        S.dir, sub, why, aside);
	} else if (why) {
		log_msg(LOG_ERR, "spool %s: cannot open %s/: %s", S.dir, sub, why);
		return -1;
	}
	if (mkdirat(S.dirfd, sub, 0750) < 0 && errno != EEXIST) {
		log_msg(LOG_ERR, "spool %s: cannot create %s/: %s", S.dir, sub, strerror(errno));
		return -1;
	}
	fd = openat(S.dirfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) { /* a default ACL may have given the group write access */
		fchmod(fd, 0750);
		close(fd);
	}
	fd = subdir_try(sub, &why, &foreign);
	if (fd < 0)
		log_msg(LOG_ERR, "spool %s: cannot use %s/: %s", S.dir, sub,
		        why ? why : "vanished");
	return fd;
}

static bool is_subdir_name(const char *name)
{
	return !strcmp(name, "accepted") || !strcmp(name, "rejected");
}

/* ---- reading ---- */

/* Why the file open at fd may not be read as a report, or NULL.  own: only
 * a file of the agent's (accepted/).  Otherwise a second hard link is
 * refused: it would be someone else's file (a key, the state) put there
 * under a report's name, its content quoted back in the .reason. */
static const char *refused_file(int fd, bool own)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return strerror(errno);
	if (own && st.st_uid != geteuid())
		return "not a file of the agent's";
	if (!own && S_ISREG(st.st_mode) && st.st_nlink != 1)
		return "a hard link to another file (deliver a copy, renamed into place)";
	return NULL;
}

/* A file's bytes, bounded, never through a link. */
static bool read_entry(int dfd, const char *name, size_t max, bool own, char **buf, size_t *len,
                       char *why, size_t whylen)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	const char *bad;
	bool ok = false;

	*buf = NULL;
	if (fd < 0) {
		snprintf(why, whylen, "%s",
		         errno == ELOOP ? "a symbolic link, not a file" : strerror(errno));
		return false;
	}
	if ((bad = refused_file(fd, own)))
		snprintf(why, whylen, "%s", bad);
	else
		ok = smallfile_read_fd(fd, max, buf, len, why, whylen);
	close(fd);
	return ok;
}

/* ---- rejecting: files are moved, never deleted ---- */

/* Rename from (in from_dir) to a fresh "STAMP[-N]-name" in to_dir, the
 * chosen base to dest.  RENAME_NOREPLACE: nothing is ever overwritten. */
static bool rename_unique(int from_dir, const char *from, int to_dir, const char *name, char *dest,
                          size_t len)
{
	char stamp[32];

	stamp_now(stamp, sizeof(stamp));
	for (unsigned n = 0; n < 1000; n++) {
		if (n)
			snprintf(dest, len, "%s-%u-%.*s", stamp, n, KEPT_NAME_MAX, name);
		else
			snprintf(dest, len, "%s-%.*s", stamp, KEPT_NAME_MAX, name);
		if (renameat2(from_dir, from, to_dir, dest, RENAME_NOREPLACE) == 0)
			return true;
		if (errno != EEXIST)
			break;
	}
	return false;
}

static void write_reason(const char *dest, const char *shown, const char *reason)
{
	char path[300], stamp[32], why[REASON_MAX];

	snprintf(path, sizeof(path), "%s.reason", dest);
	int fd = openat(S.rejfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return;
	}
	stamp_now(stamp, sizeof(stamp));
	log_escape(why, sizeof(why), reason); /* it may quote the report's values */
	fprintf(f, "file: %s\nrejected: %s\nreason: %s\n", shown, stamp, why);
	fclose(f);
}

/* name (a report, a lone .sig, or junk) and its .sig go to rejected/. */
static void reject_files(const char *name, const char *shown, const char *reason)
{
	char dest[256], sig[300], to[300];

	if (!rename_unique(S.dirfd, name, S.rejfd, name, dest, sizeof(dest))) {
		log_msg(LOG_ERR, "spool %s: cannot move %s to rejected/: %s", S.dir, shown,
		        strerror(errno));
		return;
	}
	snprintf(sig, sizeof(sig), "%s.sig", name);
	snprintf(to, sizeof(to), "%s.sig", dest);
	if (readiness_spool_role(name) == READINESS_SPOOL_REPORT &&
	    renameat2(S.dirfd, sig, S.rejfd, to, RENAME_NOREPLACE) < 0 && errno != ENOENT &&
	    errno != ENAMETOOLONG)
		log_msg(LOG_ERR, "spool %s: cannot move %s.sig to rejected/: %s", S.dir, shown,
		        strerror(errno));
	write_reason(dest, shown, reason);
}

/* The spool's own verdict: the handler counts and logs it. */
static void refuse(const char *name, struct readiness_spool_item *it, const char *reason)
{
	char unused[8];

	it->refused = reason;
	S.fn(S.ctx, it, unused, sizeof(unused));
	reject_files(name, it->name, reason);
}

/* ---- accepting: a copy of the agent's own ---- */

static bool write_copy(const char *name, const void *buf, size_t len)
{
	int fd = openat(S.accfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	bool ok = fd >= 0;

	for (size_t done = 0; ok && done < len;) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);
		ok = n > 0;
		done += ok ? (size_t)n : 0;
	}
	if (fd >= 0 && close(fd) < 0)
		ok = false;
	return ok;
}

static void unstash(void)
{
	unlinkat(S.accfd, STASH, 0);
	unlinkat(S.accfd, STASH ".sig", 0);
}

/* Written before the verdict, so an accepted report is never lost to a
 * full disk: without room for the copy it stays in the spool, unjudged. */
static bool stash(const struct readiness_spool_item *it)
{
	unstash(); /* a crash's leftovers */
	if (write_copy(STASH, it->body, it->blen) && write_copy(STASH ".sig", it->sig, it->slen))
		return true;
	log_msg(LOG_ERR,
	        "spool %s: cannot keep a copy of %s in accepted/ (%s); it stays in the spool until "
	        "there is room",
	        S.dir, it->name, strerror(errno));
	unstash();
	return false;
}

/* Only an accepted copy is synced (a flood of forged pairs costs no
 * fsync): it must outlive a crash before the uploaded files go. */
static bool sync_stash(void)
{
	static const char *const names[] = {STASH, STASH ".sig"};
	bool ok = true;

	for (size_t i = 0; i < 2; i++) {
		int fd = openat(S.accfd, names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		ok = ok && fd >= 0 && fsync(fd) == 0;
		if (fd >= 0)
			close(fd);
	}
	return ok;
}

static void publish(const char *name, const char *shown)
{
	char dest[256], sig[300];
	bool ok = sync_stash() && rename_unique(S.accfd, STASH, S.accfd, name, dest, sizeof(dest));

	if (ok) {
		snprintf(sig, sizeof(sig), "%s.sig", dest);
		ok = renameat(S.accfd, STASH ".sig", S.accfd, sig) == 0;
	}
	if (!ok) {
		log_msg(LOG_ERR, "spool %s: accepted %s but cannot keep it in accepted/: %s", S.dir,
		        shown, strerror(errno));
		return;
	}
	fsync(S.accfd);
	unlinkat(S.dirfd, name, 0); /* the uploader's files: the copy replaces them */
	snprintf(sig, sizeof(sig), "%s.sig", name);
	unlinkat(S.dirfd, sig, 0);
}

/* ---- one entry ---- */

static void handle_pair(const char *name, const char *shown)
{
	char signame[300], why[256], reason[REASON_MAX] = "";
	char *body = NULL, *sig = NULL;
	struct readiness_spool_item it = {.name = shown};

	snprintf(signame, sizeof(signame), "%s.sig", name);
	if (!read_entry(S.dirfd, name, READINESS_REPORT_MAX_BYTES, false, &body, &it.blen, why,
	                sizeof(why)))
		snprintf(reason, sizeof(reason), "%s: %s", shown, why);
	else if (!read_entry(S.dirfd, signame, READINESS_REPORT_SIG_MAX_BYTES, false, &sig,
	                     &it.slen, why, sizeof(why)))
		snprintf(reason, sizeof(reason), "%s.sig: %s", shown, why);
	it.body = body; /* even when the .sig is bad: it names the office */
	it.sig = (const uint8_t *)sig;
	if (reason[0]) {
		refuse(name, &it, reason);
	} else if (stash(&it)) {
		if (S.fn(S.ctx, &it, reason, sizeof(reason))) {
			publish(name, shown);
		} else {
			unstash();
			reject_files(name, shown, reason);
		}
	}
	free(body);
	free(sig);
}

/* A lone file's grace: its twin (.sig or report) may still be renamed in.
 * ctime, not mtime: an uploader cannot set it to the future.  Measured to
 * the millisecond: in whole seconds a file made at x.95 s was a second old
 * at x+1 and waited 0.05 s, not sig-wait (CI saw a symlinked .sig refused
 * alone that way, its report renamed in 0.4 s after it). */
static bool still_waiting(const struct stat *st, const struct timespec *now)
{
	int64_t age_ms = (int64_t)(now->tv_sec - st->st_ctim.tv_sec) * 1000 +
	                 (now->tv_nsec - st->st_ctim.tv_nsec) / 1000000;

	return age_ms < (int64_t)S.sig_wait_s * 1000;
}

/* Unsigned or orphaned for too long: reject so the office hears of it. */
static bool handle_waiting(const char *name, const char *shown, const struct stat *st,
                           const struct timespec *now)
{
	char reason[REASON_MAX], why[64], *body = NULL;
	struct readiness_spool_item it = {.name = shown};

	if (still_waiting(st, now))
		return false;
	if (readiness_spool_role(name) == READINESS_SPOOL_SIG) {
		snprintf(reason, sizeof(reason), "a signature with no report beside it for %u s",
		         S.sig_wait_s);
	} else {
		snprintf(reason, sizeof(reason), "unsigned: no %s.sig beside it for %u s", shown,
		         S.sig_wait_s);
		read_entry(S.dirfd, name, READINESS_REPORT_MAX_BYTES, false, &body, &it.blen, why,
		           sizeof(why));
		it.body = body;
	}
	refuse(name, &it, reason);
	free(body);
	return true;
}

static const char *kind_of(mode_t m)
{
	return S_ISLNK(m)    ? "a symbolic link, not a file"
	       : S_ISFIFO(m) ? "a FIFO, not a file"
	       : S_ISDIR(m)  ? "a directory, not a file"
	                     : "a socket or device, not a file";
}

static bool exists(const char *name, const char *suffix)
{
	char p[300];
	snprintf(p, sizeof(p), "%s%s", name, suffix);
	return faccessat(S.dirfd, p, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

/* true: a report with its .sig beside it, ready to be judged. */
static bool is_pair(const char *name)
{
	struct stat st;

	return readiness_spool_role(name) == READINESS_SPOOL_REPORT && !is_subdir_name(name) &&
	       fstatat(S.dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       exists(name, ".sig");
}

/* Anything but a pair: true when it was judged or refused (work a flood
 * multiplies). */
static bool handle_entry(const char *name, const struct timespec *now)
{
	struct stat st;
	char shown[SHOWN_MAX], base[256];
	enum readiness_spool_role role = readiness_spool_role(name);

	if (role == READINESS_SPOOL_IGNORE || is_subdir_name(name) ||
	    fstatat(S.dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return false;
	log_escape(shown, sizeof(shown), name);
	if (role == READINESS_SPOOL_SIG) {
		snprintf(base, sizeof(base), "%.*s", (int)strlen(name) - 4, name);
		if (exists(base, "") && !is_subdir_name(base))
			return false; /* goes with its report, whatever either is */
	}
	if (!S_ISREG(st.st_mode)) {
		/* A lone .sig that is no file waits like any lone .sig: its report
		 * may be renamed in a moment after it, and is then refused with it
		 * and counted for its office, whichever of the two came first. */
		if (role == READINESS_SPOOL_SIG && still_waiting(&st, now))
			return false;
		struct readiness_spool_item it = {.name = shown};
		refuse(name, &it, kind_of(st.st_mode));
		return true;
	}
	if (role == READINESS_SPOOL_REPORT && exists(name, ".sig")) {
		handle_pair(name, shown); /* its .sig came during this pass */
		return true;
	}
	return handle_waiting(name, shown, &st, now);
}

/* ---- one scan ---- */

/* Up to max names, from where the last pass stopped; *more: the directory
 * was not read to its end (its first names cannot starve the rest). */
static size_t collect_names(char **names, size_t max, bool *more)
{
	struct dirent *de;
	size_t n = 0;

	*more = false;
	if (!S.walk) {
		int fd = openat(S.dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		S.walk = fd < 0 ? NULL : fdopendir(fd);
		if (!S.walk) {
			if (fd >= 0)
				close(fd);
			return 0;
		}
	}
	while (n < max && (de = readdir(S.walk)))
		if (readiness_spool_role(de->d_name) != READINESS_SPOOL_IGNORE &&
		    (names[n] = strdup(de->d_name)))
			n++;
	*more = n == max;
	if (!*more) {
		closedir(S.walk);
		S.walk = NULL;
	}
	return n;
}

static void on_soon(void *arg);

/* Pairs first, so junk never delays a report; at most SPOOL_WORK files
 * judged or refused per pass (each costs a parse or a signature check, a
 * move, a log line) and no refusal after SPOOL_PASS_US, the rest in passes
 * soon after, so a flood never holds the loop (probing, SNMP) for long.
 * Every name read costs a stat or two as well: SPOOL_BATCH stays small.
 * (At 16384 names and 256 refusals, a pass over 20,000 FIFOs held the
 * loop 200-300 ms under ASan on a busy machine, and SNMP waited.) */
static void one_pass(void)
{
	char **names = calloc(SPOOL_BATCH, sizeof(*names)), shown[SHOWN_MAX];
	uint64_t until = loop_clock_us() + SPOOL_PASS_US;
	struct timespec now;
	unsigned budget = SPOOL_WORK;
	bool more;

	if (!names)
		return;
	clock_gettime(CLOCK_REALTIME, &now); /* the clock of st_ctim */
	size_t n = collect_names(names, SPOOL_BATCH, &more);
	for (size_t i = 0; i < n && budget; i++) {
		if (is_pair(names[i])) {
			log_escape(shown, sizeof(shown), names[i]);
			handle_pair(names[i], shown);
			budget--;
			free(names[i]);
			names[i] = NULL;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (names[i] && budget) {
			budget -= handle_entry(names[i], &now);
			if (loop_clock_us() >= until)
				budget = 0; /* out of time: the rest soon after */
		}
		free(names[i]);
	}
	free(names);
	if ((more || !budget) && !S.soon) /* the rest soon, after the loop's other work */
		S.soon = loop_timer_add(10, on_soon, NULL);
}

void readiness_spool_scan(void)
{
	if (S.dirfd < 0)
		return;
	S.accfd = subdir_open("accepted");
	S.rejfd = subdir_open("rejected");
	if (S.accfd >= 0 && S.rejfd >= 0)
		one_pass();
	if (S.accfd >= 0)
		close(S.accfd);
	if (S.rejfd >= 0)
		close(S.rejfd);
	S.accfd = S.rejfd = -1;
}

unsigned readiness_spool_each_accepted(readiness_spool_handle_fn fn, void *ctx)
{
	char reason[REASON_MAX], why[64], sig[300];
	unsigned taken = 0, foreign = 0;
	int fd = S.dirfd < 0 ? -1 : subdir_open("accepted");
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		char shown[SHOWN_MAX], *body = NULL, *s = NULL;
		struct readiness_spool_item it = {.name = shown};

		if (readiness_spool_role(de->d_name) != READINESS_SPOOL_REPORT)
			continue;
		log_escape(shown, sizeof(shown), de->d_name);
		snprintf(sig, sizeof(sig), "%s.sig", de->d_name);
		if (read_entry(fd, de->d_name, READINESS_REPORT_MAX_BYTES, true, &body, &it.blen,
		               why, sizeof(why)) &&
		    read_entry(fd, sig, READINESS_REPORT_SIG_MAX_BYTES, true, &s, &it.slen, why,
		               sizeof(why))) {
			it.body = body;
			it.sig = (const uint8_t *)s;
			taken += fn(ctx, &it, reason, sizeof(reason));
		} else {
			foreign++;
		}
		free(body);
		free(s);
	}
	closedir(d);
	if (foreign)
		log_msg(LOG_WARNING,
		        "spool %s: %u report(s) in accepted/ not restored: not the agent's own "
		        "regular files with a .sig",
		        S.dir, foreign);
	return taken;
}

/* ---- timers and inotify ---- */

static void on_soon(void *arg)
{
	(void)arg;
	S.soon = NULL;
	readiness_spool_scan();
}

static void on_rescan(void *arg)
{
	(void)arg;
	S.rescan = loop_timer_add((uint64_t)S.rescan_s * 1000u, on_rescan, NULL);
	readiness_spool_scan();
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
	if (S.infd >= 0 &&
	    inotify_add_watch(S.infd, S.dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) >= 0 &&
	    loop_fd_add(S.infd, POLLIN, on_inotify, NULL) == 0)
		return;
	log_msg(LOG_WARNING, "spool %s: no inotify (%s); rescanning every %u s", S.dir,
	        strerror(errno), S.rescan_s);
	if (S.infd >= 0)
		close(S.infd);
	S.infd = -1;
}

/* Uploaders share the spool: only with the sticky bit can none of them
 * rename or replace another's file, or accepted/ and rejected/. */
static bool spool_dir_safe(const char *dir, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		log_msg(LOG_ERR, "spool %s: %s", dir, strerror(errno));
		return false;
	}
	if (st.st_uid == geteuid() &&
	    (!(st.st_mode & (S_IWGRP | S_IWOTH)) || (st.st_mode & S_ISVTX)))
		return true;
	log_msg(LOG_ERR,
	        "spool %s: owner uid %u, mode %04o: it must be owned by the agent's user (uid %u) "
	        "and, if the uploaders' group may write to it, have the sticky bit (chmod 3770); "
	        "readiness reports are not ingested",
	        dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
	return false;
}

static bool dir_ready(const char *dir)
{
	S.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (S.dirfd < 0) {
		log_msg(LOG_ERR, "spool %s: %s (readiness reports are not ingested)", dir,
		        strerror(errno));
		return false;
	}
	if (spool_dir_safe(dir, S.dirfd))
		return true;
	close(S.dirfd);
	S.dirfd = -1;
	return false;
}

int readiness_spool_start(const char *dir, unsigned rescan_s, unsigned sig_wait_s,
                          readiness_spool_handle_fn fn, void *ctx)
{
	readiness_spool_stop();
	if (!dir || !dir[0] || !dir_ready(dir))
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

void readiness_spool_stop(void)
{
	loop_timer_cancel(S.rescan);
	loop_timer_cancel(S.soon);
	if (S.infd >= 0) {
		loop_fd_del(S.infd);
		close(S.infd);
	}
	if (S.walk)
		closedir(S.walk);
	if (S.dirfd >= 0)
		close(S.dirfd);
	free(S.dir);
	memset(&S, 0, sizeof(S));
	S.dirfd = S.infd = S.accfd = S.rejfd = -1;
}
