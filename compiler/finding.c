#include "common.h"
#include "finding.h"

#include "buf.h"

void findings_init(struct findings *f)
{
	f->v = NULL;
	f->n = 0;
	f->cap = 0;
	f->arena = (struct arena)ARENA_INIT;
}

void findings_release(struct findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].details);
	free(f->v);
	arena_release(&f->arena);
	findings_init(f);
}

/*
 * Return a copy of b's text in the findings' arena, with control
 * characters from specs and exports made printable; b is released.
 */
static char *printable_copy(struct findings *f, struct buf *b)
{
	struct buf clean = BUF_INIT;
	char *s;

	buf_add_printable(&clean, buf_str(b));
	s = arena_strndup(&f->arena, buf_str(&clean), clean.len);
	buf_release(&clean);
	buf_release(b);
	return s;
}

struct finding *findings_add(struct findings *f, const char *rule_id,
			     const struct loc *loc, const char *agent,
			     const char *identity, const char *fmt, ...)
{
	const struct rule *rule = rule_find(rule_id);
	struct finding *x;
	struct buf b = BUF_INIT;
	va_list ap;

	if (!rule)
		BUG("finding of unknown rule '%s'", rule_id);
	grow_array((void **)&f->v, &f->cap, f->n + 1, sizeof(*f->v));
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->rule = rule;
	x->severity = rule->severity;
	x->agent = agent;
	x->identity = identity;
	if (loc)
		x->loc = *loc;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	x->message = printable_copy(f, &b);
	x->hint = rule->hint;
	return x;
}

void finding_note(struct findings *f, struct finding *x, const char *fmt,
		  ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	x->note = printable_copy(f, &b);
}

void finding_detail(struct findings *f, struct finding *x, const char *fmt,
		    ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	grow_array((void **)&x->details, &x->details_cap, x->ndetails + 1,
		   sizeof(*x->details));
	x->details[x->ndetails++] = printable_copy(f, &b);
}

void finding_position(const struct finding *x, const char **file,
		      uint32_t *line, uint32_t *col)
{
	*file = x->loc.src ? x->loc.src->path : NULL;
	*line = x->line;
	*col = x->col;
	/* Before findings_sort has located every finding at once. */
	if (x->loc.src && !x->line)
		loc_position(&x->loc, line, col);
}

static int cmp_by_offset(const void *pa, const void *pb)
{
	const struct finding *a = *(const struct finding *const *)pa;
	const struct finding *b = *(const struct finding *const *)pb;

	if (a->loc.src != b->loc.src)
		return (uintptr_t)a->loc.src < (uintptr_t)b->loc.src ? -1 : 1;
	return (a->loc.off > b->loc.off) - (a->loc.off < b->loc.off);
}

static bool is_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Compute the line and column of every finding in one forward sweep per
 * source. The source's line index, which excerpts need too, gives the
 * line. The column is counted from the line's start, or from the
 * previous finding when it is on the same line, because counting from
 * the start for each finding would cost the line's length every time,
 * and a minified export is one line of many megabytes.
 */
static void locate_all(struct findings *f)
{
	struct finding **order = xcalloc(f->n + 1, sizeof(*order));
	struct source *src = NULL;
	uint32_t line = 1, col = 1;
	size_t i, pos = 0, n = 0;

	for (i = 0; i < f->n; i++)
		if (f->v[i].loc.src)
			order[n++] = &f->v[i];
	sort_array(order, n, sizeof(*order), cmp_by_offset);
	for (i = 0; i < n; i++) {
		struct finding *x = order[i];
		const char *text = x->loc.src->text;
		size_t end = x->loc.off;

		if (x->loc.src != src) {
			if (src)
				source_release_all(src);
			src = x->loc.src;
			pos = 0;
			line = 1;
			col = 1;
		}
		if (end > src->len)
			end = src->len;
		if (pos < end) {
			size_t start;
			uint32_t at = source_line_of(x->loc.src, end, &start);

			/* The line index skips to the finding's line. */
			if (start > pos) {
				line = at;
				col = 1;
				pos = start;
			}
			for (; pos < end; pos++)
				if (!is_continuation((unsigned char)text[pos]))
					col++;
			source_release_before(src, pos);
		}
		x->line = line;
		x->col = col;
	}
	if (src)
		source_release_all(src);
	free(order);
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_findings(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	const char *fa, *fb;
	uint32_t la, ca, lb, cb;
	int r;

	finding_position(a, &fa, &la, &ca);
	finding_position(b, &fb, &lb, &cb);
	if ((fa == NULL) != (fb == NULL))
		return fa ? -1 : 1;
	if ((r = cmp_str(fa, fb)))
		return r;
	if (la != lb)
		return la < lb ? -1 : 1;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	if ((r = strcmp(a->rule->id, b->rule->id)))
		return r;
	if ((r = cmp_str(a->agent, b->agent)))
		return r;
	if ((r = cmp_str(a->identity, b->identity)))
		return r;
	return strcmp(a->message, b->message);
}

void findings_sort(struct findings *f)
{
	locate_all(f);
	sort_array(f->v, f->n, sizeof(*f->v), cmp_findings);
}
