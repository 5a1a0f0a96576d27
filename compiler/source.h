#ifndef MANDATE_COMPILER_SOURCE_H
#define MANDATE_COMPILER_SOURCE_H

struct diag;

/*
 * A place in a mapped text, with the line it is on: an entry of the
 * line index of a text that may have millions of lines.
 */
struct source_mark {
	uint32_t off;
	uint32_t line;		/* 1-based */
	uint32_t line_start;	/* where that line begins */
};

/*
 * One input file held in memory: a spec, an export or a stdlib file.
 * Diagnostics point into it by byte offset; line numbers are computed
 * from an index built on first use, so a large export that never needs
 * a diagnostic never pays for one.
 *
 * An export read by source_map is mapped, read-only, so that a pass
 * over it can release the pages it has passed (source_release_before)
 * and only a window of the text is resident at a time. A later read of
 * a released page faults it back in from the page cache.
 */
struct source {
	char *path;		/* as the user named it, for messages */
	char *unit_path;	/* below the directory named; NULL if none */
	char *text;		/* NUL-terminated; may contain other NULs */
	size_t len;
	uint32_t *line_starts;	/* built lazily by source_line_of */
	size_t nlines;

	/* Set only for a mapped text, which must never be written. */
	size_t map_len;		/* bytes mapped at text; 0 if read */
	size_t released;	/* the pass released the pages below this */
	size_t pass_off;	/* the pass's offset at its last release */
	int fd;			/* the mapped file, until its status is checked */
	int64_t mtime_ns;	/* its modification time when mapped */
	size_t watch_slot;	/* signal_cleanup_watch's slot */
	struct source_mark *marks;	/* the line index, built lazily */
	size_t nmarks;
};

/*
 * The maximum sizes of a spec and of an export. A regular file past one
 * is rejected by its size before it is read.
 */
#define SOURCE_SPEC_MAX ((size_t)8 << 20)
#define SOURCE_EXPORT_MAX ((size_t)2 << 30)

/*
 * Read the file at path, at most max bytes, into a new source. A FIFO
 * or a device is read until it ends or passes max, and a FIFO with no
 * writer reads as empty instead of blocking. Returns 0, or -1 after
 * reporting the failure to d with the path.
 */
int source_load(struct source **out, const char *path, size_t max,
		struct diag *d);

/*
 * Load like source_load, but map a regular file that is not empty
 * instead of reading it, with a page of zeros after its text. Used for
 * exports, whose text can be hundreds of megabytes. Until the source is
 * freed, a SIGBUS from reading a page of the file after it was
 * truncated reports "the file changed while it was being read" and
 * exits with EXIT_ERROR (see signal_cleanup.h).
 */
int source_map(struct source **out, const char *path, size_t max,
	       struct diag *d);

/*
 * Release the pages of a mapped text that lie wholly below off, once a
 * pass over the text has moved far enough past the last release, so
 * that a pass keeps only a window of the text resident. A pass calls it
 * with offsets in ascending order; an offset below the one before
 * starts a new pass, and releases the whole text first. A text that was
 * read is left alone.
 */
void source_release_before(struct source *s, size_t off);

/*
 * Release every page of a mapped text, at the end of a pass, so that
 * the next pass starts with nothing resident. A text that was read is
 * left alone.
 */
void source_release_all(struct source *s);

/*
 * Check that the file of a mapped text keeps the size and modification
 * time it had when mapped, because a rewrite of the same size raises no
 * SIGBUS. Then close the file, keeping the mapping. Call it once, after
 * the text is converted. Returns 0, or -1 after reporting the change
 * to d.
 *
 * TODO: a write in the same clock tick as the file's previous write may
 * leave its modification time as it was, and then goes unnoticed.
 */
int source_check_unchanged(struct source *s, struct diag *d);

/* Make a source from memory; the text is copied. */
struct source *source_from_memory(const char *path, const char *text,
				  size_t len);

/* Return whether the text starts with a UTF-8 byte order mark. */
bool source_has_bom(const struct source *s);

/* Free the source and its text; NULL is allowed. */
void source_free(struct source *s);

/*
 * Return the 1-based line of byte offset off, and store in *line_start
 * the offset where that line begins.
 */
uint32_t source_line_of(struct source *s, size_t off, size_t *line_start);

#endif
