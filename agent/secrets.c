/*
 * secrets: the permission check for files holding secrets (ssh's rule for
 * private keys, minus the execute bits, which mean nothing for a file).
 */
#include "secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OPEN_BITS (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)

static bool judge(const struct stat *st, const char *path, uid_t agent_uid, char *why,
                  size_t whylen)
{
	if (!S_ISREG(st->st_mode)) {
		snprintf(why, whylen, "%s holds secrets but is not a regular file", path);
		return false;
	}
	if (st->st_mode & OPEN_BITS) {
		snprintf(why, whylen,
		         "%s holds secrets but is %s by group or others (mode %04o): "
		         "chmod 600 %s, or start with --allow-readable-secrets",
		         path, st->st_mode & (S_IRGRP | S_IROTH) ? "readable" : "writable",
		         (unsigned)(st->st_mode & 07777), path);
		return false;
	}
	/* Another user could rewrite a file it owns, whatever its mode. */
	if (st->st_uid != 0 && st->st_uid != agent_uid) {
		snprintf(why, whylen,
		         "%s holds secrets but is owned by uid %u, neither root nor the agent's "
		         "user (uid %u): chown it to the agent's user, mode 600",
		         path, (unsigned)st->st_uid, (unsigned)agent_uid);
		return false;
	}
	return true;
}

bool secrets_fd_private(int fd, const char *path, uid_t agent_uid, char *why, size_t whylen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	return judge(&st, path, agent_uid, why, whylen);
}

bool secrets_file_private(const char *path, uid_t agent_uid, char *why, size_t whylen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return false;
	}
	return judge(&st, path, agent_uid, why, whylen);
}
