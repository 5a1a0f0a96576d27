#ifndef MANDATE_COMPILER_SOURCE_H
#define MANDATE_COMPILER_SOURCE_H

struct diag;

/*
 * One input file held in memory: a spec, an export or a stdlib file.
 * Diagnostics point into it by byte offset; line numbers are computed
 * from an index built on first use, so a large export that never needs
 * a diagnostic never pays for one.
 */
struct source {
	char *path;		/* as the user named it, for messages */
	char *unit_path;	/* below the directory named; NULL if none */
	char *text;		/* NUL-terminated; may contain other NULs */
	size_t len;
	uint32_t *line_starts;	/* built lazily by source_line_of */
	size_t nlines;
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
