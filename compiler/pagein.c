/* dl_iterate_phdr and struct dl_phdr_info are GNU extensions. */
#define _GNU_SOURCE
#include "common.h"
#include "pagein.h"

#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The position of a range of constant data in the file of its object. */
struct place {
	uintptr_t addr;
	size_t len;
	const char *object;	/* "" for the program itself */
	off_t file_off;
	bool found;
};

static int find_segment(struct dl_phdr_info *info, size_t size UNUSED,
			void *arg)
{
	struct place *pl = arg;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t seg = (uintptr_t)info->dlpi_addr + ph->p_vaddr;

		/* Only bytes the file contains, not the zeroed memory after them. */
		if (ph->p_type != PT_LOAD || pl->addr < seg ||
		    pl->addr - seg > ph->p_filesz ||
		    ph->p_filesz - (pl->addr - seg) < pl->len)
			continue;
		pl->object = info->dlpi_name;
		pl->file_off = (off_t)(ph->p_offset + (pl->addr - seg));
		pl->found = true;
		return 1;
	}
	return 0;
}

/* Read exactly len bytes at off, or return -1. */
static int read_at(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int open_object(const struct place *pl)
{
	const char *path = pl->object && pl->object[0] ? pl->object
						       : "/proc/self/exe";
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool holds_mark(int fd, off_t off, const void *mark, size_t mark_len)
{
	char buf[64];

	return mark_len <= sizeof(buf) && !read_at(fd, buf, mark_len, off) &&
	       !memcmp(buf, mark, mark_len);
}

struct pagein *pagein_open(const void *data, size_t len, const void *mark,
			   size_t mark_len)
{
	struct place pl = { .addr = (uintptr_t)data, .len = len };
	size_t head = pl.addr & (PAGEIN_PAGE - 1), pages;
	struct pagein *p;
	void *copy;
	int fd;

	if (!len || mark_len > len)
		return NULL;
	dl_iterate_phdr(find_segment, &pl);
	if (!pl.found)
		return NULL;
	fd = open_object(&pl);
	if (fd < 0)
		return NULL;
	if (!holds_mark(fd, pl.file_off, mark, mark_len)) {
		close(fd);
		return NULL;
	}
	pages = (head + len + PAGEIN_PAGE - 1) >> PAGEIN_SHIFT;
	copy = mmap(NULL, pages << PAGEIN_SHIFT, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (copy == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	/* A transparent huge page would make the first read fault in 2 MB. */
	madvise(copy, pages << PAGEIN_SHIFT, MADV_NOHUGEPAGE);

	p = xcalloc(1, sizeof(*p));
	p->start = (const char *)data - head;
	p->len = pages << PAGEIN_SHIFT;
	p->end = head + len;
	p->copy = copy;
	p->loaded = xcalloc(pages / 64 + 1, sizeof(uint64_t));
	p->fd = fd;
	p->file_off = pl.file_off - (off_t)head;
	return p;
}

void pagein_free(struct pagein *p)
{
	if (!p)
		return;
	munmap(p->copy, p->len);
	close(p->fd);
	free(p->loaded);
	free(p);
}

/*
 * Read pages first to last - 1, which are not loaded yet. Linux refuses
 * writes to the file of a running program (ETXTBSY), so the file cannot
 * change. If a read fails anyway, the pages are copied from the mapped
 * original, which costs only memory.
 */
static void load(struct pagein *p, size_t first, size_t last)
{
	size_t off = first << PAGEIN_SHIFT, len = (last - first) << PAGEIN_SHIFT;
	size_t i;

	/* Past the range, the file may end before the page does. */
	if (off + len > p->end)
		len = p->end - off;
	if (read_at(p->fd, p->copy + off, len, p->file_off + (off_t)off))
		memcpy(p->copy + off, p->start + off, len);
	for (i = first; i < last; i++)
		p->loaded[i / 64] |= (uint64_t)1 << (i % 64);
}

const void *pagein_fill(struct pagein *p, const void *addr, size_t len)
{
	size_t off = (size_t)((const char *)addr - p->start);
	size_t page, end;

	if (!len)
		return p->copy + off;
	if (off >= p->len || p->len - off < len)
		BUG("pagein: %zu bytes at %zu outside %zu", len, off, p->len);
	end = (off + len - 1) >> PAGEIN_SHIFT;
	for (page = off >> PAGEIN_SHIFT; page <= end; page++) {
		size_t run = page;

		while (run <= end && !pagein_has(p, run))
			run++;
		if (run > page) {
			load(p, page, run);
			page = run;
		}
	}
	return p->copy + off;
}

const char *pagein_fill_string(struct pagein *p, const char *s)
{
	size_t off = (size_t)(s - p->start);
	size_t rest = PAGEIN_PAGE - (off & (PAGEIN_PAGE - 1));

	if (off >= p->end)
		BUG("pagein: string at %zu outside %zu", off, p->end);
	pagein_fill(p, s, rest);
	if (memchr(p->copy + off, '\0', rest))
		return p->copy + off;
	/* Shorter than a page, the string ends on the next one. */
	rest = p->end - off < PAGEIN_PAGE ? p->end - off : PAGEIN_PAGE;
	pagein_fill(p, s, rest);
	if (!memchr(p->copy + off, '\0', rest))
		BUG("pagein: string at %zu is a page long or more", off);
	return p->copy + off;
}
