#include "common.h"
#include "diag.h"

#include "buf.h"

#define COLOR_BOLD "\033[1m"
#define COLOR_RED "\033[1;31m"
#define COLOR_MAGENTA "\033[1;35m"
#define COLOR_CYAN "\033[1;36m"
#define COLOR_GREEN "\033[1;32m"
#define COLOR_RESET "\033[0m"

static const char *const level_names[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
	[DIAG_NOTE] = "note",
};

static const char *const level_colors[] = {
	[DIAG_ERROR] = COLOR_RED,
	[DIAG_WARNING] = COLOR_MAGENTA,
	[DIAG_NOTE] = COLOR_CYAN,
};

void diag_init(struct diag *d, FILE *out, bool color)
{
	d->out = out;
	d->color = color;
	d->errors = 0;
	d->warnings = 0;
	d->max_errors = DIAG_MAX_ERRORS;
	d->stopped = false;
	d->hide_warnings = false;
	d->hiding = false;
}

/* Skip a byte order mark, which no editor shows in the first line. */
static size_t skip_bom(const struct source *s, size_t line_start)
{
	return line_start == 0 && source_has_bom(s) ? 3 : line_start;
}

/*
 * Return the length of the character at offset i, below end: a byte
 * that is not UTF-8 counts as a character of its own, so that columns
 * stay exact on an invalid line.
 */
static size_t char_len(const struct source *s, size_t i, size_t end)
{
	size_t len = utf8_char_len(s->text + i, end - i);

	return len ? len : 1;
}

void loc_position(const struct loc *loc, uint32_t *line, uint32_t *col)
{
	const struct source *s = loc->src;
	size_t start, i, end = loc->off < s->len ? loc->off : s->len;
	uint32_t c = 1;

	*line = source_line_of(loc->src, loc->off, &start);
	start = skip_bom(s, start);
	for (i = start; i < end; i += char_len(s, i, end))
		c++;
	*col = c;
}

struct loc loc_join(struct loc a, struct loc b)
{
	struct loc r = a;

	if (!a.src)
		return b;
	if (b.src == a.src && b.off + b.len > a.off)
		r.len = b.off + b.len - a.off;
	return r;
}

/*
 * Decide whether to count and print a diagnostic. Errors past the limit
 * are counted but not printed; notes follow the fate of their error.
 */
static bool count(struct diag *d, enum diag_level level)
{
	if (level == DIAG_WARNING && d->hide_warnings) {
		d->hiding = true;
		return false;
	}
	if (level == DIAG_NOTE && d->hiding)
		return false;
	d->hiding = false;
	if (level == DIAG_ERROR) {
		d->errors++;
		if (d->errors > d->max_errors) {
			if (!d->stopped)
				fprintf(d->out,
					"mandate: error: too many errors, "
					"stopping after %u\n",
					d->max_errors);
			d->stopped = true;
			return false;
		}
	} else if (level == DIAG_WARNING) {
		d->warnings++;
	}
	return !d->stopped;
}

static void print_level(struct diag *d, enum diag_level level)
{
	if (d->color)
		fprintf(d->out, "%s%s:%s ", level_colors[level],
			level_names[level], COLOR_RESET);
	else
		fprintf(d->out, "%s: ", level_names[level]);
}

/*
 * Print the character at s, one column wide. A tab stays, so that the
 * caret line lines up. Other control characters, bidirectional
 * controls and bytes that are not UTF-8 are shown as '?', as in
 * messages, so that the reader sees something is there and an escape
 * sequence in the input cannot drive the terminal.
 */
static void print_char(FILE *out, const char *s, size_t n)
{
	size_t len = utf8_char_len(s, n);

	if (*s == '\t')
		fputc('\t', out);
	else if (!char_is_printable(s, len))
		fputc('?', out);
	else
		fwrite(s, 1, len, out);
}

void loc_print_excerpt(FILE *out, bool color, const struct loc *loc)
{
	struct source *s = loc->src;
	size_t start, end, i, mark_end;

	source_line_of(loc->src, loc->off, &start);
	source_release_before(s, start);	/* reports go in file order */
	start = skip_bom(s, start);
	/*
	 * An excerpt of a huge minified JSON line would drown the message.
	 * The scan stops past 400 bytes, or every finding in such a file
	 * would read the whole line.
	 */
	end = start;
	while (end < s->len && end - start <= 400 && s->text[end] != '\n' &&
	       s->text[end] != '\r')
		end++;
	if (end - start > 400)
		return;

	fputs("    ", out);
	for (i = start; i < end; i += char_len(s, i, end))
		print_char(out, s->text + i, end - i);
	fputc('\n', out);

	fputs("    ", out);
	for (i = start; i < loc->off && i < end; i += char_len(s, i, end))
		fputc(s->text[i] == '\t' ? '\t' : ' ', out);
	if (color)
		fputs(COLOR_GREEN, out);
	fputc('^', out);
	mark_end = loc->off + (loc->len ? loc->len : 1);
	if (mark_end > end)
		mark_end = end;
	for (i = loc->off < end ? loc->off + char_len(s, loc->off, end) : end;
	     i < mark_end; i += char_len(s, i, end))
		fputc('~', out);
	if (color)
		fputs(COLOR_RESET, out);
	fputc('\n', out);
}

/* Print a message line; control characters from inputs become '?'. */
static void print_message(struct diag *d, const char *fmt, va_list ap)
{
	struct buf text = BUF_INIT, clean = BUF_INIT;

	buf_vaddf(&text, fmt, ap);
	buf_add_printable(&clean, buf_str(&text));
	fputs(buf_str(&clean), d->out);
	fputc('\n', d->out);
	buf_release(&text);
	buf_release(&clean);
}

static void print_path(struct diag *d, const char *path)
{
	struct buf clean = BUF_INIT;

	buf_add_printable(&clean, path);
	fprintf(d->out, d->color ? COLOR_BOLD "%s" COLOR_RESET : "%s",
		buf_str(&clean));
	buf_release(&clean);
}

void diag_vat(struct diag *d, enum diag_level level, const struct loc *loc,
	      const char *fmt, va_list ap)
{
	uint32_t line, col;

	if (!count(d, level))
		return;
	if (!loc || !loc->src) {
		fputs(d->color ? COLOR_BOLD "mandate:" COLOR_RESET " "
			       : "mandate: ", d->out);
		print_level(d, level);
		print_message(d, fmt, ap);
		return;
	}
	loc_position(loc, &line, &col);
	print_path(d, loc->src->path);
	if (d->color)
		fprintf(d->out, COLOR_BOLD ":%u:%u:" COLOR_RESET " ", line,
			col);
	else
		fprintf(d->out, ":%u:%u: ", line, col);
	print_level(d, level);
	print_message(d, fmt, ap);
	if (level != DIAG_NOTE)
		loc_print_excerpt(d->out, d->color, loc);
}

void diag_at(struct diag *d, enum diag_level level, const struct loc *loc,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(d, level, loc, fmt, ap);
	va_end(ap);
}

void diag_path(struct diag *d, enum diag_level level, const char *path,
	       const char *fmt, ...)
{
	va_list ap;

	if (!count(d, level))
		return;
	print_path(d, path);
	fputs(d->color ? COLOR_BOLD ":" COLOR_RESET " " : ": ", d->out);
	print_level(d, level);
	va_start(ap, fmt);
	print_message(d, fmt, ap);
	va_end(ap);
}

void diag_final_note(struct diag *d, const char *fmt, ...)
{
	bool stopped = d->stopped;
	va_list ap;

	d->stopped = false;
	va_start(ap, fmt);
	diag_vat(d, DIAG_NOTE, NULL, fmt, ap);
	va_end(ap);
	d->stopped = stopped;
}

void diag_plain(struct diag *d, enum diag_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(d, level, NULL, fmt, ap);
	va_end(ap);
}

void diag_summary(struct diag *d)
{
	if (!d->errors)
		return;

	/*
	 * Errors past the limit are counted but not printed, and inputs
	 * after the one that reached it are not read, so the count is a
	 * lower bound.
	 */
	if (d->stopped)
		fprintf(d->out, "at least %u errors, %u shown\n", d->errors,
			d->max_errors);
	else
		fprintf(d->out, "%u error%s\n", d->errors,
			d->errors == 1 ? "" : "s");
}
