#include "common.h"
#include "source.h"

#include <sys/stat.h>

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
		grow_array((void **)&s->line_starts, &cap, s->nlines + 1,
			   sizeof(uint32_t));
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
