#ifndef MANDATE_COMPILER_DIAG_H
#define MANDATE_COMPILER_DIAG_H

#include "policy.h"
#include "source.h"

/*
 * Compiler-style diagnostics on stderr:
 *
 *   agents/digest.mandate:21:36: error: unknown field 'ownr'
 *       ownr = "alice@example.com"
 *       ^~~~
 *   agents/digest.mandate:21:36: note: did you mean 'owner'?
 *
 * Lines and columns are 1-based; the column counts characters, not
 * bytes, and the caret line repeats the source's tabs so it lines up.
 */
enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE,
};

struct diag {
	FILE *out;
	bool color;
	unsigned errors;
	unsigned warnings;
	unsigned max_errors;	/* printing stops after this many */
	bool stopped;		/* max_errors was reached */
	bool hide_warnings;	/* drop warnings and their notes */
	bool hiding;		/* the last warning was dropped */
};

#define DIAG_MAX_ERRORS 20

void diag_init(struct diag *d, FILE *out, bool color);

/* Report at a source span, with the source line and a caret. */
void diag_at(struct diag *d, enum diag_level level, const struct loc *loc,
	     const char *fmt, ...) PRINTF_LIKE(4, 5);
void diag_vat(struct diag *d, enum diag_level level, const struct loc *loc,
	      const char *fmt, va_list ap) PRINTF_LIKE(4, 0);

/* Report against a whole file: "PATH: error: MESSAGE". */
void diag_path(struct diag *d, enum diag_level level, const char *path,
	       const char *fmt, ...) PRINTF_LIKE(4, 5);

/* Report with no file: "mandate: error: MESSAGE". */
void diag_plain(struct diag *d, enum diag_level level, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

/*
 * Report a note with no file, as diag_plain does, but print it even
 * after max_errors stopped printing: for a note on the whole run, such
 * as which input failed to compile.
 */
void diag_final_note(struct diag *d, const char *fmt, ...) PRINTF_LIKE(2, 3);

/*
 * Print "N errors" (or "1 error") when there were any, or "at least N
 * errors, M shown" when printing stopped at max_errors.
 */
void diag_summary(struct diag *d);

/*
 * Print the source line holding loc and a caret line under the span,
 * each indented by four spaces. Lines longer than 400 bytes (minified
 * JSON) are left out.
 */
void loc_print_excerpt(FILE *out, bool color, const struct loc *loc);

/* Return the 1-based line and character column of loc's start. */
void loc_position(const struct loc *loc, uint32_t *line, uint32_t *col);

/* Return a loc covering from a's start to b's end (same source). */
struct loc loc_join(struct loc a, struct loc b);

#endif
