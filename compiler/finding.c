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
	x->message = arena_strndup(&f->arena, buf_str(&b), b.len);
	buf_release(&b);
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
	x->note = arena_strndup(&f->arena, buf_str(&b), b.len);
	buf_release(&b);
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
	x->details[x->ndetails++] = arena_strndup(&f->arena, buf_str(&b),
						  b.len);
	buf_release(&b);
}

void finding_position(const struct finding *x, const char **file,
		      uint32_t *line, uint32_t *col)
{
	if (!x->loc.src) {
		*file = NULL;
		*line = 0;
		*col = 0;
		return;
	}
	*file = x->loc.src->path;
	loc_position(&x->loc, line, col);
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
	sort_array(f->v, f->n, sizeof(*f->v), cmp_findings);
}
