#include "common.h"
#include "source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

int source_load(struct source **out, const char *path, size_t max,
		struct diag *d)
{
	FILE *f;
	struct stat st;
	struct source *s;
	size_t n;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		diag_path(d, DIAG_ERROR, path, "cannot open: %s",
			  strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot stat: %s",
			  strerror(errno));
		fclose(f);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_path(d, DIAG_ERROR, path, "is a directory, not a file");
		fclose(f);
		return -1;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > max) {
		diag_path(d, DIAG_ERROR, path,
			  "file is larger than the limit of %zu bytes", max);
		fclose(f);
		return -1;
	}

	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->text = xmalloc((size_t)st.st_size + 1);
	n = fread(s->text, 1, (size_t)st.st_size, f);
	if (ferror(f) || n != (size_t)st.st_size || getc(f) != EOF) {
		diag_path(d, DIAG_ERROR, path,
			  "read failed or the file changed while being read");
		fclose(f);
		source_free(s);
		return -1;
	}
	fclose(f);
	s->text[n] = '\0';
	s->len = n;
	*out = s;
	return 0;
}

/* Files smaller than this are read: mapping them saves nothing. */
#define SOURCE_MAP_MIN ((size_t)1 << 20)

int source_map(struct source **out, const char *path, size_t max,
	       struct diag *d)
{
	long page = sysconf(_SC_PAGESIZE);
	struct stat st;
	struct source *s;
	void *text;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < SOURCE_MAP_MIN ||
	    (uint64_t)st.st_size > max || page <= 0 ||
	    st.st_size % page == 0)
		goto read;
	/*
	 * The bytes past the end of the file up to the end of its last
	 * page read as zero, so the text is NUL-terminated like a loaded
	 * one, which is why a file of whole pages is read instead.
	 */
	text = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (text == MAP_FAILED)
		goto read;
	close(fd);
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->text = text;
	s->len = (size_t)st.st_size;
	s->mapped = true;
	*out = s;
	return 0;
read:
	if (fd >= 0)
		close(fd);
	return source_load(out, path, max, d);
}

struct source *source_from_memory(const char *path, const char *text,
				  size_t len)
{
	struct source *s = xcalloc(1, sizeof(*s));

	s->path = xstrdup(path);
	s->text = xmalloc(len + 1);
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->len = len;
	return s;
}

bool source_has_bom(const struct source *s)
{
	return s->len >= 3 && !memcmp(s->text, "\xef\xbb\xbf", 3);
}

void source_free(struct source *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->unit_path);
	if (s->mapped)
		munmap(s->text, s->len);
	else
		free(s->text);
	free(s->line_starts);
	free(s);
}

static void build_line_index(struct source *s)
{
	size_t cap = 0;
	const char *p = s->text, *end = s->text + s->len;

	grow_array((void **)&s->line_starts, &cap, 1, sizeof(uint32_t));
	s->line_starts[0] = 0;
	s->nlines = 1;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		if (s->nlines == cap)	/* an export has millions of lines */
			grow_array((void **)&s->line_starts, &cap,
				   s->nlines + 1, sizeof(uint32_t));
		s->line_starts[s->nlines++] = (uint32_t)(p - s->text);
	}
}

uint32_t source_line_of(struct source *s, size_t off, size_t *line_start)
{
	size_t lo = 0, hi;

	if (!s->line_starts)
		build_line_index(s);
	if (off > s->len)
		off = s->len;
	hi = s->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (line_start)
		*line_start = s->line_starts[lo];
	return (uint32_t)lo + 1;
}
