#include "common.h"
#include "fsutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

int stage_file(const char *path, const void *data, size_t len, char **tmp,
	       struct diag *d)
{
	size_t n = strlen(path);
	const char *p = data;
	int fd;

	*tmp = xmalloc(n + sizeof(".tmp.XXXXXX"));
	memcpy(*tmp, path, n);
	memcpy(*tmp + n, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	fd = mkstemp(*tmp);
	if (fd < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot create: %s",
			  strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	diag_path(d, DIAG_ERROR, path, "cannot write: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(*tmp);
	free(*tmp);
	*tmp = NULL;
	return -1;
}

int write_file_in_place(const char *path, const void *data, size_t len,
			struct diag *d)
{
	const char *p = data;
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot open: %s",
			  strerror(errno));
		return -1;
	}
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			diag_path(d, DIAG_ERROR, path, "cannot write: %s",
				  strerror(errno));
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot write: %s",
			  strerror(errno));
		return -1;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len,
		      struct diag *d)
{
	char *tmp, *target;
	struct stat st;
	int ret;

	/*
	 * Renaming over a device or a pipe would replace it with a regular
	 * file, and renaming over a symbolic link would replace the link,
	 * so those are written through instead.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_file_in_place(path, data, len, d);
	target = realpath(path, NULL);
	if (target && strcmp(target, path)) {
		ret = write_file_atomic(target, data, len, d);
		free(target);
		return ret;
	}
	free(target);

	if (stage_file(path, data, len, &tmp, d) < 0)
		return -1;
	if (rename(tmp, path) < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot write: %s",
			  strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int make_dirs(const char *dir, struct diag *d)
{
	char *path = xstrdup(dir);
	char *p;
	struct stat st;

	for (p = path + 1; ; p++) {
		char saved = *p;

		if (saved != '/' && saved != '\0')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			diag_path(d, DIAG_ERROR, path,
				  "cannot create directory: %s",
				  strerror(errno));
			free(path);
			return -1;
		}
		*p = saved;
		if (!saved)
			break;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		diag_path(d, DIAG_ERROR, dir, "is not a directory");
		free(path);
		return -1;
	}
	free(path);
	return 0;
}
