#include "common.h"
#include "fsutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "signal_cleanup.h"

int stage_file(const char *path, const void *data, size_t len,
	       struct staged_file *out, struct diag *d)
{
	size_t n = strlen(path);
	const char *p = data;
	int fd;

	out->tmp = xmalloc(n + sizeof(".tmp.XXXXXX"));
	memcpy(out->tmp, path, n);
	memcpy(out->tmp + n, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	fd = signal_cleanup_mkstemp(out->tmp, &out->slot);
	if (fd < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot create: %s",
			  strerror(errno));
		free(out->tmp);
		out->tmp = NULL;
		out->slot = 0;
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
	staged_file_discard(out);
	return -1;
}

int staged_file_commit(struct staged_file *s, const char *path)
{
	if (rename(s->tmp, path) < 0)
		return -1;
	signal_cleanup_drop(s->slot);
	free(s->tmp);
	s->tmp = NULL;
	s->slot = 0;
	return 0;
}

void staged_file_discard(struct staged_file *s)
{
	if (!s->tmp)
		return;
	unlink(s->tmp);
	signal_cleanup_drop(s->slot);
	free(s->tmp);
	s->tmp = NULL;
	s->slot = 0;
}

int reject_existing_output(const char *path, struct diag *d)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	diag_path(d, DIAG_ERROR, path, "already exists; choose another "
		  "file, or pass --force to overwrite it");
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
	struct staged_file staged;
	char *target;
	struct stat st;
	int ret;

	/*
	 * Renaming over a device or a pipe would replace it with a regular
	 * file, and renaming over a symbolic link would replace the link,
	 * so those are written through instead.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_file_in_place(path, data, len, d);
	target = output_target(path);
	if (!target) {
		diag_path(d, DIAG_ERROR, path, "cannot write: %s",
			  strerror(errno));
		return -1;
	}
	if (strcmp(target, path)) {
		ret = write_file_atomic(target, data, len, d);
		free(target);
		return ret;
	}
	free(target);

	if (stage_file(path, data, len, &staged, d) < 0)
		return -1;
	if (staged_file_commit(&staged, path) < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot write: %s",
			  strerror(errno));
		staged_file_discard(&staged);
		return -1;
	}
	return 0;
}

/*
 * Create the directory path and append it to created unless created is
 * NULL. Returns 0, or -1 with errno set.
 */
static int make_dir(const char *path, struct created_dirs *created)
{
	size_t slot;

	if (!created)
		return mkdir(path, 0755);
	if (signal_cleanup_mkdir(path, &slot) < 0)
		return -1;
	grow_array((void **)&created->v, &created->cap, created->n + 1,
		   sizeof(*created->v));
	grow_array((void **)&created->slots, &created->slots_cap,
		   created->n + 1, sizeof(*created->slots));
	created->slots[created->n] = slot;
	created->v[created->n++] = xstrdup(path);
	return 0;
}

int make_dirs(const char *dir, struct created_dirs *created,
	      struct diag *d)
{
	char *path = xstrdup(dir);
	char *p;
	struct stat st;

	for (p = path + 1; ; p++) {
		char saved = *p;

		if (saved != '/' && saved != '\0')
			continue;
		*p = '\0';
		if (make_dir(path, created) < 0 && errno != EEXIST) {
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

void created_dirs_remove(struct created_dirs *created)
{
	size_t i;

	for (i = created->n; i > 0; i--)
		rmdir(created->v[i - 1]);
	created_dirs_release(created);
}

void created_dirs_release(struct created_dirs *created)
{
	size_t i;

	for (i = 0; i < created->n; i++) {
		signal_cleanup_drop(created->slots[i]);
		free(created->v[i]);
	}
	free(created->v);
	free(created->slots);
	created->v = NULL;
	created->slots = NULL;
	created->n = created->cap = created->slots_cap = 0;
}

/*
 * Return the directory of path with its symbolic links resolved, a
 * slash, and the last name; NULL when the directory cannot be resolved
 * or path ends in a slash.
 */
static char *resolve_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	char *dir, *real;
	struct buf b = BUF_INIT;

	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return NULL;
	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	real = realpath(dir, NULL);
	free(dir);
	if (!real)
		return NULL;
	buf_adds(&b, real);
	buf_addch(&b, '/');
	buf_adds(&b, name);
	free(real);
	return buf_detach(&b, NULL);
}

/*
 * Return the path that the symbolic link at path points to, relative to
 * the link's directory; NULL when path is not a link.
 */
static char *follow_link(const char *path)
{
	char target[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct buf b = BUF_INIT;
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n <= 0)
		return NULL;
	target[n] = '\0';
	if (target[0] != '/' && slash)
		buf_add(&b, path, (size_t)(slash - path) + 1);
	buf_adds(&b, target);
	return buf_detach(&b, NULL);
}

/* The links followed in a row: 40, as in Linux (path_resolution(7)). */
#define MAX_LINK_HOPS 40

/*
 * Follow symbolic links from path until a path that is not a link.
 * Returns that path, or NULL with errno ELOOP after MAX_LINK_HOPS.
 */
static char *follow_links(const char *path)
{
	char *current = xstrdup(path);
	char *next;
	int hops;

	for (hops = 0; hops <= MAX_LINK_HOPS; hops++) {
		next = follow_link(current);
		if (!next)
			return current;
		free(current);
		current = next;
	}
	free(current);
	errno = ELOOP;
	return NULL;
}

char *resolve_path(const char *path)
{
	char *real = realpath(path, NULL);
	char *end;

	if (real || errno != ENOENT)
		return real;
	end = follow_links(path);
	if (!end)
		return NULL;
	real = resolve_parent(end);
	free(end);
	return real;
}

char *output_target(const char *path)
{
	char *real = realpath(path, NULL);
	char *end;
	struct stat st;

	if (real)
		return real;
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return xstrdup(path);	/* not there yet: as spelled */
	end = follow_links(path);
	if (!end)
		return NULL;
	real = resolve_parent(end);
	if (!real)
		return end;	/* its directory is missing: writing fails */
	free(end);
	return real;
}

bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char *ra, *rb;
	bool same;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	ra = resolve_path(a);
	rb = resolve_path(b);
	if (ra && rb)
		same = !strcmp(ra, rb);
	else
		same = !strcmp(a, b);
	free(ra);
	free(rb);
	return same;
}

int read_file(const char *path, size_t max, struct buf *out)
{
	char chunk[8192];
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n;
	int err;

	if (!f)
		return -1;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > max) {
		fclose(f);
		errno = EFBIG;
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->len + n > max) {
			fclose(f);
			errno = EFBIG;
			return -1;
		}
		buf_add(out, chunk, n);
	}
	err = ferror(f) ? EIO : 0;
	fclose(f);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

struct dir_entry {
	char *name;
	bool dir;
};

/* Return the byte at p, or after a directory's name the '/' it sorts as. */
static int sort_byte(const unsigned char *p, bool dir)
{
	if (*p)
		return *p;
	return dir ? '/' : 0;
}

/* Compare names as strcmp would, a directory's with a '/' appended. */
static int cmp_entries(const void *pa, const void *pb)
{
	const struct dir_entry *a = pa, *b = pb;
	const unsigned char *x = (const unsigned char *)a->name;
	const unsigned char *y = (const unsigned char *)b->name;
	int cx, cy;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	cx = sort_byte(x, a->dir);
	cy = sort_byte(y, b->dir);
	return (cx > cy) - (cx < cy);
}

/* Return whether the entry e of the open directory dp is a directory. */
static bool entry_is_dir(DIR *dp, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_DIR;
	return fstatat(dirfd(dp), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

int read_dir_sorted(char ***names, size_t *n, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dir_entry *v = NULL;
	size_t count = 0, cap = 0, i;
	struct dirent *e;
	int err;

	*names = NULL;
	*n = 0;
	if (!dp)
		return -1;
	for (errno = 0; (e = readdir(dp)); errno = 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		grow_array((void **)&v, &cap, count + 1, sizeof(*v));
		v[count].name = xstrdup(e->d_name);
		v[count].dir = entry_is_dir(dp, e);
		count++;
	}
	err = errno;
	closedir(dp);
	if (err) {
		for (i = 0; i < count; i++)
			free(v[i].name);
		free(v);
		errno = err;
		return -1;
	}
	sort_array(v, count, sizeof(*v), cmp_entries);
	*names = xcalloc(count + 1, sizeof(**names));
	for (i = 0; i < count; i++)
		(*names)[i] = v[i].name;
	*n = count;
	free(v);
	return 0;
}

void free_names(char **names)
{
	size_t i;

	for (i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}
