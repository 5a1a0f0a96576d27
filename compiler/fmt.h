#ifndef MANDATE_COMPILER_FMT_H
#define MANDATE_COMPILER_FMT_H

#include "buf.h"

/* Lists that fit within this many columns stay on one line. */
#define FMT_WIDTH 80

/*
 * Append to out the spec text[len] in canonical layout: two spaces of
 * indentation a level, one field a line, the '=' of consecutive fields
 * aligned, lists on one line when they fit in FMT_WIDTH columns and
 * otherwise one item a line with a trailing comma, and one blank line
 * between top-level items. Comments stay where they were, on their own line or after the
 * same token. Only whitespace and list commas change: the text of
 * every string, number and name is copied byte for byte.
 *
 * The text must already parse: the layout follows the tokens alone, so
 * for text that does not parse the output is unspecified (but in
 * bounds). Formatting the output again gives the same output.
 */
void fmt_spec(const char *text, size_t len, struct buf *out);

#endif
