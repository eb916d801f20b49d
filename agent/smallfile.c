/*
 * smallfile: bounded, non-blocking reads of regular files; see smallfile.h.
 */
#include "smallfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* read(2) until EOF or one byte past the size fstat gave (a file that grew
 * while we read is not finished: refused rather than cut). */
static ssize_t read_all(int fd, char *buf, size_t want)
{
	size_t got = 0;

	while (got < want) {
		ssize_t n = read(fd, buf + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

bool smallfile_read_fd(int fd, size_t max, char **buf, size_t *len, char *reason, size_t reasonlen)
{
	struct stat st;

	*buf = NULL;
	if (fstat(fd, &st) < 0) {
		snprintf(reason, reasonlen, "%s", strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)max) {
		if (S_ISREG(st.st_mode))
			snprintf(reason, reasonlen, "too large (over %zu bytes)", max);
		else
			snprintf(reason, reasonlen, "not a regular file");
		return false;
	}
	*buf = malloc((size_t)st.st_size + 2);
	ssize_t n = *buf ? read_all(fd, *buf, (size_t)st.st_size + 1) : -1;
	if (n < 0 || n > st.st_size) {
		snprintf(reason, reasonlen, "%s", n < 0 ? strerror(errno) : "changed while read");
		free(*buf);
		*buf = NULL;
		return false;
	}
	(*buf)[n] = '\0';
	*len = (size_t)n;
	return true;
}

bool smallfile_read(const char *path, int flags, size_t max, char **buf, size_t *len, char *reason,
                    size_t reasonlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | flags);

	*buf = NULL;
	if (fd < 0) {
		snprintf(reason, reasonlen, "%s", strerror(errno));
		return false;
	}
	bool ok = smallfile_read_fd(fd, max, buf, len, reason, reasonlen);
	close(fd);
	return ok;
}
