/*
 * statefile: shared file-system steps of the state directory (statefile.h).
 */
#include "statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int statefile_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errno;
	if (fsync(fd) < 0)
		err = errno;
	close(fd);
	return err;
}

void statefile_move_aside(const char *dir, const char *name, char *moved_to, size_t len)
{
	char stamp[32], path[PATH_MAX], dst[PATH_MAX], text[128];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (int i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(dst, sizeof(dst), "%s/%s.corrupt-%s", dir, name, stamp);
		else
			snprintf(dst, sizeof(dst), "%s/%s.corrupt-%s-%d", dir, name, stamp, i);
		if (renameat2(AT_FDCWD, path, AT_FDCWD, dst, RENAME_NOREPLACE) == 0) {
			snprintf(moved_to, len, "%s", dst);
			return;
		}
		if (errno != EEXIST)
			break;
	}
	snprintf(moved_to, len, "(not moved: %s)", strerror_r(errno, text, sizeof(text)));
}
