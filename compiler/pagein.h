#ifndef MANDATE_COMPILER_PAGEIN_H
#define MANDATE_COMPILER_PAGEIN_H

#include <sys/types.h>

/*
 * Constant data of the program, read from the program's file into
 * anonymous memory a page at a time, when a page is first needed.
 *
 * When a process first touches a page of a mapped file, the kernel
 * also maps the cached pages of the file around it (fault-around). A
 * run that reads a few dozen places in megabytes of tables then has
 * nearly all of them resident. Read with pread(2) instead, only the
 * pages it reads are resident.
 *
 * Callers pass the address of the original data and get its copy,
 * which lives until pagein_free. pagein_at, pagein_range, pagein_string
 * and pagein_base accept a NULL pager and then return the original, so
 * reading in place remains the fallback.
 */

#define PAGEIN_SHIFT 12
#define PAGEIN_PAGE ((size_t)1 << PAGEIN_SHIFT)

struct pagein {
	const char *start;	/* the original range, rounded down to a page */
	size_t len;		/* from start, rounded up to a page */
	size_t end;		/* where the range ends, from start */
	char *copy;		/* anonymous memory; copy[i] is start[i] */
	uint64_t *loaded;	/* a bit per page, and one past the last */
	int fd;			/* the program's file */
	off_t file_off;		/* where start is in it */
};

/*
 * Open the range [data, data + len) of the program's constant data.
 * Its first mark_len bytes must equal mark, which shows that the file
 * opened contains the range at the offset computed. Returns NULL when
 * the file cannot be found or read, or has other bytes there.
 */
struct pagein *pagein_open(const void *data, size_t len, const void *mark,
			   size_t mark_len);
void pagein_free(struct pagein *p);

/* Read the pages under [addr, addr + len) and return the copy of addr. */
const void *pagein_fill(struct pagein *p, const void *addr, size_t len);

/*
 * Read the pages under the string s, shorter than a page, and return
 * the copy of s.
 */
const char *pagein_fill_string(struct pagein *p, const char *s);

/*
 * Return the copy of addr without reading it: for indexing from a base,
 * as in base[i], once the pages under base[i] are read.
 */
static inline const void *pagein_base(const struct pagein *p,
				      const void *addr)
{
	if (!p)
		return addr;
	return p->copy + ((const char *)addr - p->start);
}

static inline bool pagein_has(const struct pagein *p, size_t page)
{
	return p->loaded[page / 64] >> (page % 64) & 1;
}

/* Return the copy of [addr, addr + len). */
static inline const void *pagein_at(struct pagein *p, const void *addr,
				    size_t len)
{
	size_t off;

	if (!p)
		return addr;
	off = (size_t)((const char *)addr - p->start);
	if (len <= PAGEIN_PAGE && pagein_has(p, off >> PAGEIN_SHIFT) &&
	    pagein_has(p, (off + len - 1) >> PAGEIN_SHIFT))
		return p->copy + off;
	return pagein_fill(p, addr, len);
}

/* Return the copy of [addr, addr + len) of any length. */
static inline const void *pagein_range(struct pagein *p, const void *addr,
				       size_t len)
{
	return p ? pagein_fill(p, addr, len) : addr;
}

/*
 * Return the copy of the string s, which must be shorter than a page:
 * when its page and the next are read, so is all of it.
 */
static inline const char *pagein_string(struct pagein *p, const char *s)
{
	size_t off, page;

	if (!p)
		return s;
	off = (size_t)(s - p->start);
	page = off >> PAGEIN_SHIFT;
	if (pagein_has(p, page) &&
	    (pagein_has(p, page + 1) ||
	     memchr(p->copy + off, '\0', PAGEIN_PAGE - (off & (PAGEIN_PAGE - 1)))))
		return p->copy + off;
	return pagein_fill_string(p, s);
}

#endif
