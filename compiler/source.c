#include "common.h"
#include "source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "signal_cleanup.h"

/*
 * The bytes of a mapped text that a pass leaves resident before it
 * releases them. A sixteenth of the text keeps the window small beside
 * the text. The step is at least 64 kB, the kernel's default
 * fault-around, and at most 1 MB, so that a pass over a 100 MB export
 * makes about 100 madvise calls.
 */
#define RELEASE_MIN ((size_t)64 << 10)
#define RELEASE_MAX ((size_t)1 << 20)

static size_t release_step(const struct source *s)
{
	size_t step = s->len / 16;

	if (step < RELEASE_MIN)
		return RELEASE_MIN;
	return step > RELEASE_MAX ? RELEASE_MAX : step;
}

/*
 * The maximum lines and bytes between two marks of a mapped text's line
 * index, and so the maximum that finding a line scans.
 */
#define MARK_LINES 32
#define MARK_BYTES ((size_t)4 << 10)

/*
 * Open path for reading without blocking on a FIFO that has no writer,
 * then make reads block again, so that a FIFO read this way ends at once
 * when no program writes to it.
 */
static int open_for_reading(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int flags;

	if (fd < 0)
		return -1;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * Read from fd into s->text until the end of the file or until more than
 * max bytes have come, growing the buffer as the bytes arrive; a FIFO or
 * a device such as /dev/zero has no size to check beforehand. Returns
 * the number of bytes read, max + 1 for a longer input, or -1 on a read
 * error with errno set.
 */
static ssize_t read_stream(int fd, struct source *s, size_t max)
{
	size_t len = 0, cap = 0;

	for (;;) {
		size_t want;
		ssize_t n;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 2)
				cap = max + 2;	/* max + 1 bytes and a NUL */
			s->text = xrealloc(s->text, cap);
		}
		want = cap - 1 - len;
		if (want == 0)
			return (ssize_t)len;	/* len is max + 1 */
		n = read(fd, s->text + len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return (ssize_t)len;
		len += (size_t)n;
	}
}

/*
 * Read a regular file of the size fstat gave, and fail if it has grown
 * or shrunk meanwhile. Returns 0, or -1 with errno set (0 for a change).
 */
static int read_regular(int fd, struct source *s, size_t size)
{
	size_t len = 0;
	char extra;
	ssize_t n;

	s->text = xmalloc(size + 1);
	while (len < size) {
		n = read(fd, s->text + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		len += (size_t)n;
	}
	do
		n = read(fd, &extra, 1);
	while (n < 0 && errno == EINTR);
	if (n != 0) {
		if (n > 0)
			errno = 0;
		return -1;
	}
	return 0;
}

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * Map the regular file fd, of the size st gives, at s->text: reserve
 * the text's pages and one more of anonymous zeros, then map the file
 * over their start, so that the text ends in a NUL even when its size
 * is a whole number of pages. On success s keeps fd and watches the
 * mapping for SIGBUS. Returns 0, or -1 with errno set.
 */
static int map_regular(int fd, struct source *s, const struct stat *st)
{
	size_t page = page_size(), size = (size_t)st->st_size;
	size_t span = (size + page - 1) / page * page + page;
	struct buf note = BUF_INIT;
	void *base;
	int err;

	base = mmap(NULL, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	if (mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) ==
	    MAP_FAILED) {
		err = errno;
		munmap(base, span);
		errno = err;
		return -1;
	}
	s->text = base;
	s->map_len = span;
	s->fd = fd;
	s->mtime_ns = mtime_ns(st);
	buf_add_printable(&note, s->path);
	buf_adds(&note, ": error: the file changed while it was being "
		   "read\n");
	s->watch_slot = signal_cleanup_watch(base, span, buf_str(&note));
	buf_release(&note);
	return 0;
}

/*
 * Read the open file fd into *out, or map it when map is true and it is
 * a regular file that is not empty. Closes fd unless the mapping keeps
 * it.
 */
static int load_fd(struct source **out, int fd, const char *path, size_t max,
		   bool map, struct diag *d)
{
	struct source *s = NULL;
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot stat: %s",
			  strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_path(d, DIAG_ERROR, path, "is a directory, not a file");
		goto fail;
	}
	if (S_ISREG(st.st_mode) && (st.st_size < 0 ||
				     (uint64_t)st.st_size > max)) {
		diag_path(d, DIAG_ERROR, path, "file is %lld bytes, larger "
			  "than the maximum of %zu bytes", (long long)st.st_size,
			  max);
		goto fail;
	}

	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->fd = -1;
	if (map && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    map_regular(fd, s, &st) == 0) {
		s->len = (size_t)st.st_size;
		*out = s;
		return 0;
	}
	if (S_ISREG(st.st_mode)) {
		if (read_regular(fd, s, (size_t)st.st_size) < 0) {
			if (errno)
				diag_path(d, DIAG_ERROR, path, "read failed: "
					  "%s", strerror(errno));
			else
				diag_path(d, DIAG_ERROR, path, "the file "
					  "changed while it was being read");
			goto fail;
		}
		n = (ssize_t)st.st_size;
	} else {
		n = read_stream(fd, s, max);
		if (n < 0) {
			diag_path(d, DIAG_ERROR, path, "read failed: %s",
				  strerror(errno));
			goto fail;
		}
		if ((size_t)n > max) {
			diag_path(d, DIAG_ERROR, path, "input is larger than "
				  "the maximum of %zu bytes", max);
			goto fail;
		}
	}
	close(fd);
	s->text[n] = '\0';
	s->len = (size_t)n;
	*out = s;
	return 0;

fail:
	close(fd);
	source_free(s);
	return -1;
}

static int load(struct source **out, const char *path, size_t max, bool map,
		struct diag *d)
{
	const char *previous_input;
	int fd, ret;

	*out = NULL;
	if (!*path) {
		diag_plain(d, DIAG_ERROR, "an input's name is empty; name a "
			   "file");
		return -1;
	}
	fd = open_for_reading(path);
	if (fd < 0) {
		diag_path(d, DIAG_ERROR, path, "cannot open: %s",
			  strerror(errno));
		return -1;
	}
	previous_input = reading_input(path);
	ret = load_fd(out, fd, path, max, map, d);
	reading_input(previous_input);
	return ret;
}

int source_load(struct source **out, const char *path, size_t max,
		struct diag *d)
{
	return load(out, path, max, false, d);
}

int source_map(struct source **out, const char *path, size_t max,
	       struct diag *d)
{
	return load(out, path, max, true, d);
}

void source_release_before(struct source *s, size_t off)
{
	size_t end;

	if (!s->map_len)
		return;
	if (off < s->pass_off)
		source_release_all(s);	/* a new pass */
	s->pass_off = off;
	if (off < s->released + release_step(s))
		return;
	end = off / page_size() * page_size();
	madvise(s->text + s->released, end - s->released, MADV_DONTNEED);
	s->released = end;
}

void source_release_all(struct source *s)
{
	if (!s->map_len)
		return;
	madvise(s->text, s->map_len, MADV_DONTNEED);
	s->released = 0;
	s->pass_off = 0;
}

int source_check_unchanged(struct source *s, struct diag *d)
{
	struct stat st;
	int ret;

	if (!s->map_len || s->fd < 0)
		return 0;
	/*
	 * The mapping outlives the descriptor, which is closed now so that
	 * a run over a thousand exports does not hold a thousand open.
	 */
	ret = fstat(s->fd, &st);
	close(s->fd);
	s->fd = -1;
	if (ret < 0) {
		diag_path(d, DIAG_ERROR, s->path, "cannot stat: %s",
			  strerror(errno));
		return -1;
	}
	if ((uint64_t)st.st_size != s->len || mtime_ns(&st) != s->mtime_ns) {
		diag_path(d, DIAG_ERROR, s->path, "the file changed while it "
			  "was being read");
		return -1;
	}
	return 0;
}

struct source *source_from_memory(const char *path, const char *text,
				  size_t len)
{
	const char *previous_input = reading_input(path);
	struct source *s = xcalloc(1, sizeof(*s));

	s->path = xstrdup(path);
	s->fd = -1;
	s->text = xmalloc(len + 1);
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->len = len;
	reading_input(previous_input);
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
	if (s->map_len) {
		signal_cleanup_unwatch(s->watch_slot);
		munmap(s->text, s->map_len);
		if (s->fd >= 0)
			close(s->fd);
	} else {
		free(s->text);
	}
	free(s->path);
	free(s->unit_path);
	free(s->line_starts);
	free(s->marks);
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

static void add_mark(struct source *s, size_t *cap, size_t off, uint32_t line,
		     size_t line_start)
{
	struct source_mark *m;

	if (s->nmarks == *cap)
		grow_array((void **)&s->marks, cap, s->nmarks + 1,
			   sizeof(*s->marks));
	m = &s->marks[s->nmarks++];
	m->off = (uint32_t)off;
	m->line = line;
	m->line_start = (uint32_t)line_start;
	source_release_before(s, off);
}

/*
 * Mark a mapped text at the start of every MARK_LINES-th line and at
 * least every MARK_BYTES bytes, so that source_line_of scans at most
 * that much past a mark, even on one line of many megabytes.
 */
static void build_marks(struct source *s)
{
	const char *text = s->text, *p = text, *end = text + s->len;
	size_t cap = 0, last = 0, line_start = 0;
	uint32_t line = 1;

	add_mark(s, &cap, 0, 1, 0);
	while (p < end) {
		size_t room = last + MARK_BYTES - (size_t)(p - text);
		size_t n = room < (size_t)(end - p) ? room : (size_t)(end - p);
		const char *nl = memchr(p, '\n', n);

		if (!nl) {
			p += n;
			if (p < end) {
				last = (size_t)(p - text);
				add_mark(s, &cap, last, line, line_start);
			}
			continue;
		}
		p = nl + 1;
		line++;
		line_start = (size_t)(p - text);
		if (line % MARK_LINES == 1) {
			last = line_start;
			add_mark(s, &cap, last, line, line_start);
		}
	}
	source_release_all(s);
}

/* Return the line of off in a mapped text, scanning on from a mark. */
static uint32_t mapped_line_of(struct source *s, size_t off,
			       size_t *line_start)
{
	const struct source_mark *m;
	size_t lo = 0, hi, start;
	const char *p, *nl;
	uint32_t line;

	if (!s->marks)
		build_marks(s);
	hi = s->nmarks;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->marks[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	m = &s->marks[lo];
	line = m->line;
	start = m->line_start;
	p = s->text + m->off;
	while ((nl = memchr(p, '\n', (size_t)(s->text + off - p))) != NULL) {
		p = nl + 1;
		line++;
		start = (size_t)(p - s->text);
	}
	if (line_start)
		*line_start = start;
	return line;
}

uint32_t source_line_of(struct source *s, size_t off, size_t *line_start)
{
	size_t lo = 0, hi;

	if (off > s->len)
		off = s->len;
	if (s->map_len)
		return mapped_line_of(s, off, line_start);
	if (!s->line_starts)
		build_line_index(s);
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
