#include "common.h"
#include "permdiff.h"

#include <ctype.h>
#include <strings.h>

#include "buf.h"
#include "gitrev.h"
#include "match.h"
#include "rules.h"

/* Escalation messages list this many actions, then "and N more". */
#define MESSAGE_ACTIONS 3

/* A growable array of items of one size, frozen into the arena. */
struct vec {
	void *v;
	size_t n, cap;
};

static void *vec_push(struct vec *vec, size_t size)
{
	grow_array(&vec->v, &vec->cap, vec->n + 1, size);
	return memset((char *)vec->v + vec->n++ * size, 0, size);
}

/* Copy the items into the arena and free the vec; returns the copy. */
static void *vec_freeze(struct arena *a, struct vec *vec, size_t size)
{
	void *copy = arena_alloc(a, (vec->n ? vec->n : 1) * size);

	if (vec->n)
		memcpy(copy, vec->v, vec->n * size);
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
	return copy;
}

/*
 * A condition with its values sorted and each once, with its display
 * text and a key that compares it as IAM reads it: the operator and
 * condition key ignoring case, and the set of values. The key writes
 * each value with its length, so values that contain ", " stay apart.
 */
struct norm_cond {
	struct iam_cond cond;
	const char *text;	/* "StringEquals aws:SourceVpc [vpc-1]" */
	const char *key;
};

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_lower(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_addch(b, (char)tolower((unsigned char)*s));
}

/*
 * Append a condition value for display: as it is, or in double quotes
 * with '"' and '\\' escaped when it contains a character of the list's
 * own syntax, so that "data, ops" does not read as two values.
 */
static void add_value(struct buf *b, const char *value)
{
	if (!value[0] || strpbrk(value, ",[]\"\\")) {
		buf_add_json_string(b, value);
		return;
	}
	buf_adds(b, value);
}

static void normalize_cond(struct arena *a, const struct iam_cond *c,
			   struct norm_cond *out)
{
	const char **values = arena_calloc(a, c->nvalues + 1,
					   sizeof(*values));
	struct buf text = BUF_INIT, key = BUF_INIT;
	size_t i, n = 0;

	memcpy(values, c->values, c->nvalues * sizeof(*values));
	sort_array(values, c->nvalues, sizeof(*values), cmp_strings);
	for (i = 0; i < c->nvalues; i++)
		if (!n || strcmp(values[n - 1], values[i]))
			values[n++] = values[i];
	buf_addf(&text, "%s %s [", c->op, c->key);
	add_lower(&key, c->op);
	buf_addch(&key, ' ');
	add_lower(&key, c->key);
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(&text, ", ");
		add_value(&text, values[i]);
		buf_addf(&key, " %zu:%s", strlen(values[i]), values[i]);
	}
	buf_addch(&text, ']');
	out->cond.op = c->op;
	out->cond.key = c->key;
	out->cond.values = values;
	out->cond.nvalues = n;
	out->text = arena_strdup(a, buf_str(&text));
	out->key = arena_strdup(a, buf_str(&key));
	buf_release(&text);
	buf_release(&key);
}

static int cmp_norm_conds(const void *pa, const void *pb)
{
	const struct norm_cond *a = pa, *b = pb;

	return strcmp(a->key, b->key);
}

/*
 * Fill the conditions of every permission of grant x, sorted by key.
 * Equal conditions count once, as IAM requires them all anyway.
 */
static void grant_conds(struct arena *a, const struct xgrant *x,
			struct perm *proto)
{
	struct norm_cond *norm = xcalloc(x->nconds + 1, sizeof(*norm));
	const char **texts = arena_calloc(a, x->nconds + 1, sizeof(*texts));
	struct iam_cond *conds = arena_calloc(a, x->nconds + 1,
					      sizeof(*conds));
	struct buf key = BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < x->nconds; i++)
		normalize_cond(a, &x->conds[i], &norm[i]);
	sort_array(norm, x->nconds, sizeof(*norm), cmp_norm_conds);
	for (i = 0; i < x->nconds; i++) {
		if (n && !strcmp(norm[i].key, norm[n - 1].key))
			continue;
		norm[n++] = norm[i];
	}
	for (i = 0; i < n; i++) {
		texts[i] = norm[i].text;
		conds[i] = norm[i].cond;
		buf_addf(&key, "%s%s", i ? "\n" : "", norm[i].key);
	}
	proto->conds = texts;
	proto->iam_conds = conds;
	proto->nconds = n;
	proto->cond_key = arena_strdup(a, buf_str(&key));
	buf_release(&key);
	free(norm);
}

/* Order by effect, resource, action (ignoring case), conditions. */
static int cmp_perms(const void *pa, const void *pb)
{
	const struct perm *a = pa, *b = pb;
	int c;

	if (a->deny != b->deny)
		return a->deny ? 1 : -1;
	if ((c = strcmp(a->resource, b->resource)))
		return c;
	if ((c = strcasecmp(a->action, b->action)))
		return c;
	return strcmp(a->cond_key, b->cond_key);
}

static void add_perm(struct vec *v, const struct perm *proto,
		     const char *resource, const char *action,
		     enum access_level level, bool typed)
{
	struct perm *p = vec_push(v, sizeof(*p));

	*p = *proto;
	p->resource = resource;
	p->action = action;
	p->level = level;
	p->typed = typed;
}

/* Collect every permission of an agent, sorted, each once. */
static struct perm *collect_perms(struct arena *a, const struct program *p,
				  const struct xagent *xa, size_t *n)
{
	struct vec v = { NULL, 0, 0 };
	struct perm *perms;
	size_t i, j, k, m;

	for (i = 0; i < xa->ngrants; i++) {
		const struct xgrant *x = &xa->grants[i];
		struct perm proto = { 0 };

		proto.deny = x->deny;
		proto.approved = x->grant->approver.s != NULL;
		grant_conds(a, x, &proto);
		for (j = 0; j < x->nres; j++) {
			const struct xresource *r = &x->res[j];

			for (k = 0; k < r->nactions; k++) {
				const struct cat_action *ca =
					catalog_action(p->cat, r->actions[k]);

				add_perm(&v, &proto, r->pattern,
					 catalog_text(p->cat, ca->name),
					 ca->level, ca->nrtypes > 0);
			}
			for (k = 0; k < r->nunlisted; k++)
				add_perm(&v, &proto, r->pattern,
					 r->unlisted[k], 0, true);
		}
	}
	perms = v.v;
	sort_array(perms, v.n, sizeof(*perms), cmp_perms);
	for (i = 0, m = 0; i < v.n; i++) {
		if (m && !cmp_perms(&perms[m - 1], &perms[i]))
			perms[m - 1].approved &= perms[i].approved;
		else
			perms[m++] = perms[i];
	}
	v.n = m;
	*n = m;
	return vec_freeze(a, &v, sizeof(*perms));
}

/* Return the permissions of x missing from y, both sorted. */
static struct perm *perms_minus(struct arena *a, const struct perm *x,
				size_t nx, const struct perm *y, size_t ny,
				size_t *n)
{
	struct vec v = { NULL, 0, 0 };
	size_t i = 0, j = 0;
	int c;

	while (i < nx) {
		c = j < ny ? cmp_perms(&x[i], &y[j]) : -1;
		if (c < 0)
			*(struct perm *)vec_push(&v, sizeof(*x)) = x[i++];
		else if (c > 0)
			j++;
		else
			i++, j++;
	}
	*n = v.n;
	return vec_freeze(a, &v, sizeof(*x));
}

/*
 * An index of permissions by effect, action (ignoring case), conditions
 * and the anchor of the resource pattern (see match.h): its literal
 * prefix and a piece of its longest literal run after that. A pattern
 * can cover another only when the other contains both, so a lookup probes
 * the anchors of each shape (prefix and piece lengths) in the index
 * that the covered pattern contains. Checking a whole agent so stays
 * near-linear instead of comparing every pair of permissions, also
 * when all patterns share a prefix such as "arn:aws:s3:::*".
 *
 * TODO: patterns that share both prefix and anchor, such as
 * "arn:aws:s3:::*data/N*" for many N, are still compared in pairs.
 */
struct cover_slot {
	uint64_t hash;
	const struct perm *perm;	/* NULL for a free slot */
	const struct match_pattern *pattern;
	size_t prefix, len;		/* the anchor's shape */
};

struct anchor_shape {
	size_t prefix, len;
};

struct cover_index {
	struct cover_slot *slots;
	size_t mask;			/* slots - 1, a power of two less 1 */
	struct anchor_shape *shapes;	/* each once, sorted */
	size_t nshapes;
	/* The patterns of by, which match_pattern_new could not take. */
	const struct perm **untokenized;
	size_t nuntokenized;
};

/*
 * Tokenized resource patterns of a sorted array of permissions: pattern
 * i is the resource of permission i, or NULL when it could not be
 * tokenized. Permissions with one resource share one pattern.
 */
struct perm_patterns {
	struct match_pattern **of;
	struct match_pattern **owned;
	size_t nowned;
};

#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t hash_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * FNV_PRIME;
}

static uint64_t hash_text(uint64_t h, const char *s, bool fold)
{
	for (; *s; s++)
		h = hash_byte(h, fold ? (unsigned char)tolower(
						(unsigned char)*s)
				      : (unsigned char)*s);
	return hash_byte(h, 0);
}

/* Return the hash of p's effect, action and conditions. */
static uint64_t hash_head(const struct perm *p)
{
	uint64_t h = hash_byte(FNV_OFFSET, p->deny);

	h = hash_text(h, p->action, true);
	return hash_text(h, p->cond_key, false);
}

static void perm_patterns_init(struct perm_patterns *pp,
			       const struct perm *v, size_t n)
{
	size_t i;

	pp->of = xcalloc(n + 1, sizeof(*pp->of));
	pp->owned = xcalloc(n + 1, sizeof(*pp->owned));
	pp->nowned = 0;
	for (i = 0; i < n; i++) {
		if (i && !strcmp(v[i].resource, v[i - 1].resource)) {
			pp->of[i] = pp->of[i - 1];
			continue;
		}
		pp->of[i] = match_pattern_new(v[i].resource);
		if (pp->of[i])
			pp->owned[pp->nowned++] = pp->of[i];
	}
}

static void perm_patterns_release(struct perm_patterns *pp)
{
	size_t i;

	for (i = 0; i < pp->nowned; i++)
		match_pattern_free(pp->owned[i]);
	free(pp->owned);
	free(pp->of);
}

static int cmp_shapes(const void *pa, const void *pb)
{
	const struct anchor_shape *a = pa, *b = pb;

	if (a->prefix != b->prefix)
		return a->prefix < b->prefix ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

static void add_slot(struct cover_index *ix, const struct perm *by,
		     const struct match_pattern *pattern)
{
	struct match_anchor anchor;
	size_t k;

	match_pattern_anchor(&anchor, pattern, hash_head(by));
	for (k = anchor.hash & ix->mask; ix->slots[k].perm;
	     k = (k + 1) & ix->mask)
		;
	ix->slots[k].hash = anchor.hash;
	ix->slots[k].perm = by;
	ix->slots[k].pattern = pattern;
	ix->slots[k].prefix = anchor.prefix;
	ix->slots[k].len = anchor.len;
	ix->shapes[ix->nshapes].prefix = anchor.prefix;
	ix->shapes[ix->nshapes].len = anchor.len;
	ix->nshapes++;
}

static void cover_index_init(struct cover_index *ix, const struct perm *by,
			     size_t nby, const struct perm_patterns *pp)
{
	size_t size = 16, i, n;

	while (size < 2 * nby)
		size *= 2;
	ix->slots = xcalloc(size, sizeof(*ix->slots));
	ix->mask = size - 1;
	ix->shapes = xcalloc(nby + 1, sizeof(*ix->shapes));
	ix->nshapes = 0;
	ix->untokenized = xcalloc(nby + 1, sizeof(*ix->untokenized));
	ix->nuntokenized = 0;
	for (i = 0; i < nby; i++) {
		if (pp->of[i])
			add_slot(ix, &by[i], pp->of[i]);
		else
			ix->untokenized[ix->nuntokenized++] = &by[i];
	}
	sort_array(ix->shapes, ix->nshapes, sizeof(*ix->shapes), cmp_shapes);
	for (i = 0, n = 0; i < ix->nshapes; i++)
		if (!n || cmp_shapes(&ix->shapes[n - 1], &ix->shapes[i]))
			ix->shapes[n++] = ix->shapes[i];
	ix->nshapes = n;
}

static void cover_index_release(struct cover_index *ix)
{
	free(ix->slots);
	free(ix->shapes);
	free(ix->untokenized);
}

/* Return whether by gives p's action with p's effect and conditions. */
static bool same_head(const struct perm *by, const struct perm *p)
{
	return by->deny == p->deny && !strcasecmp(by->action, p->action) &&
	       !strcmp(by->cond_key, p->cond_key);
}

/* A lookup in a cover index, for the permission p. */
struct cover_probe {
	const struct cover_index *ix;
	const struct perm *p;
	const struct match_pattern *pattern;	/* p's resource */
	const struct anchor_shape *shape;
};

/* Return whether a slot with this anchor hash covers the probe's p. */
static bool probe_slots(void *arg, uint64_t hash)
{
	const struct cover_probe *q = arg;
	const struct cover_index *ix = q->ix;
	size_t k;

	for (k = hash & ix->mask; ix->slots[k].perm; k = (k + 1) & ix->mask) {
		const struct cover_slot *c = &ix->slots[k];

		if (c->hash == hash && c->prefix == q->shape->prefix &&
		    c->len == q->shape->len && same_head(c->perm, q->p) &&
		    strcmp(c->perm->resource, q->p->resource) &&
		    match_pattern_covers(c->pattern, q->pattern))
			return true;
	}
	return false;
}

/*
 * Return whether a permission of by gives p's action with the same
 * effect and conditions on another resource pattern that covers p's,
 * comparing every one. Only for a pattern that match_pattern_new could
 * not take, which IAM's limits make rare.
 */
static bool covered_by_any(const struct perm *by, size_t nby,
			   const struct perm *p)
{
	size_t i;

	for (i = 0; i < nby; i++)
		if (same_head(&by[i], p) && strcmp(by[i].resource, p->resource) &&
		    match_resource_covers(by[i].resource, p->resource))
			return true;
	return false;
}

/*
 * Return whether a permission of the index gives p's action with the
 * same effect and conditions on another resource pattern that covers
 * p's, so that p is still in effect. pattern is p's resource, or NULL.
 * match_resource_covers only proves, so a cover that it cannot prove
 * leaves p listed.
 */
static bool cover_index_covers(const struct cover_index *ix,
			       const struct perm *by, size_t nby,
			       const struct perm *p,
			       const struct match_pattern *pattern)
{
	struct cover_probe q = { ix, p, pattern, NULL };
	uint64_t seed = hash_head(p);
	size_t i;

	if (!pattern)
		return covered_by_any(by, nby, p);
	for (i = 0; i < ix->nuntokenized; i++)
		if (covered_by_any(ix->untokenized[i], 1, p))
			return true;
	for (i = 0; i < ix->nshapes; i++) {
		q.shape = &ix->shapes[i];
		if (match_pattern_each_anchor(pattern, q.shape->prefix,
					      q.shape->len, seed, probe_slots,
					      &q))
			return true;
	}
	return false;
}

/*
 * Drop from x, in place, each permission that one of by covers, and
 * return how many are left. So a resource pattern widened to one that
 * covers it loses nothing, and one narrowed gains nothing.
 */
static size_t drop_covered(struct perm *x, size_t nx, const struct perm *by,
			   size_t nby)
{
	struct cover_index ix;
	struct perm_patterns xp, byp;
	size_t i, n = 0;

	if (!nx || !nby)
		return nx;
	perm_patterns_init(&byp, by, nby);
	perm_patterns_init(&xp, x, nx);
	cover_index_init(&ix, by, nby, &byp);
	/* x[n] may be overwritten once x[i] is read, as n <= i. */
	for (i = 0; i < nx; i++)
		if (!cover_index_covers(&ix, by, nby, &x[i], xp.of[i]))
			x[n++] = x[i];
	cover_index_release(&ix);
	perm_patterns_release(&xp);
	perm_patterns_release(&byp);
	return n;
}

/*
 * Drop from sorted x, the head's new permissions, in place, each allow
 * that one of by (the base's) covers and each deny that one of unchanged
 * (the permissions on both sides) covers, and return how many are
 * left. So a deny narrowed to a pattern that the old one covers lists
 * both patterns: the narrower one states what remains denied, which
 * the base did not list by itself.
 */
static size_t drop_covered_perms(struct perm *x, size_t nx,
				 const struct perm *by, size_t nby,
				 const struct perm *unchanged,
				 size_t nunchanged)
{
	size_t nallow = 0, ndeny, n;

	while (nallow < nx && !x[nallow].deny)
		nallow++;
	ndeny = drop_covered(x + nallow, nx - nallow, unchanged, nunchanged);
	n = drop_covered(x, nallow, by, nby);
	memmove(x + n, x + nallow, ndeny * sizeof(*x));
	return n + ndeny;
}

/* Return the first allow of (resource, action) in sorted perms, or NULL. */
static const struct perm *find_allow(const struct perm *perms, size_t n,
				     const char *resource, const char *action,
				     size_t *count)
{
	struct perm key = { 0 };
	size_t lo = 0, hi = n, i;

	key.action = action;
	key.resource = resource;
	key.cond_key = "";
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_perms(&perms[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < n && !perms[i].deny &&
	     !strcmp(perms[i].resource, resource) &&
	     !strcasecmp(perms[i].action, action); i++)
		;
	*count = i - lo;
	return *count ? &perms[lo] : NULL;
}

/* Return the permission of sorted perms equal to p, or NULL. */
static const struct perm *find_perm(const struct perm *perms, size_t n,
				    const struct perm *p)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_perms(&perms[mid], p);

		if (!c)
			return &perms[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* An escalation before grouping: one action under one kind. */
struct raw_escalation {
	enum escalation_kind kind;
	const char *principal;	/* NULL for the agent's own change */
	const char *resource;	/* may be NULL */
	const char *detail;	/* a class, condition or path; may be NULL */
	const char *action;	/* may be NULL */
	const char *message;	/* for kinds not grouped by action */
};

struct agent_scan {
	struct arena *a;
	const struct program *base, *head;
	const struct xagent *xbase, *xhead;	/* xbase NULL when added */
	const struct perm *base_perms;
	size_t nbase;
	const struct perm *head_denies;	/* the head agent's, unconditional */
	size_t nhead_denies;
	const char *principal;	/* raised with every escalation */
	struct vec raw;
	const struct perm *head_perms;	/* the head agent's, sorted */
	size_t nhead;
};

static void raise_one(struct agent_scan *s, enum escalation_kind kind,
		      const char *resource, const char *detail,
		      const char *action)
{
	struct raw_escalation *r = vec_push(&s->raw, sizeof(*r));

	r->kind = kind;
	r->principal = s->principal;
	r->resource = resource;
	r->detail = detail;
	r->action = action;
}

/*
 * Raise a weakened control: one escalation of kind, with no actions,
 * whose message is already written. detail keeps two of one kind apart.
 */
static void raise_control(struct agent_scan *s, enum escalation_kind kind,
			  const char *resource, const char *detail,
			  const char *message)
{
	struct raw_escalation *r = vec_push(&s->raw, sizeof(*r));

	r->kind = kind;
	r->resource = resource;
	r->detail = detail;
	r->message = message;
}

/*
 * Return the head's restricted class that p reaches: one with a pattern
 * naming a resource that p's action can act on through its resource.
 * An action missing from the catalog is taken to reach any overlap.
 */
static const char *restricted_class(const struct program *head,
				    const struct perm *p)
{
	const struct cat_action *ca = catalog_find_action(head->cat,
							  p->action);
	const struct resource_class *rc;
	size_t j;

	for (rc = head->unit->classes; rc; rc = rc->next) {
		if (rc->sensitivity != SENSITIVITY_RESTRICTED)
			continue;
		for (j = 0; j < rc->match.n; j++) {
			const char *pattern = rc->match.items[j].s;

			if (ca ? catalog_action_overlap(head->cat, ca,
							p->resource, pattern)
			       : match_resource_overlap(p->resource, pattern))
				return rc->name.s;
		}
	}
	return NULL;
}

/* Return whether every value of x is among those of y, both sorted. */
static bool values_subset(const struct iam_cond *x, const struct iam_cond *y)
{
	size_t i = 0, j = 0;

	while (i < x->nvalues && j < y->nvalues) {
		int c = strcmp(x->values[i], y->values[j]);

		if (c < 0)
			return false;
		j++;
		if (c == 0)
			i++;
	}
	return i == x->nvalues;
}

/* A numeric or date comparison operator, as NumericLessThanEquals. */
struct bound_op {
	bool date;
	bool less;
	bool strict;		/* LessThan, not LessThanEquals */
	bool if_exists;
};

static bool parse_bound_op(const char *op, struct bound_op *out)
{
	const char *rel;

	if (!strncasecmp(op, "Numeric", 7))
		out->date = false;
	else if (!strncasecmp(op, "Date", 4))
		out->date = true;
	else
		return false;
	rel = op + (out->date ? 4 : 7);
	out->less = !strncasecmp(rel, "LessThan", 8);
	if (out->less)
		rel += 8;
	else if (!strncasecmp(rel, "GreaterThan", 11))
		rel += 11;
	else
		return false;
	out->strict = strncasecmp(rel, "Equals", 6) != 0;
	if (!out->strict)
		rel += 6;
	out->if_exists = !strcasecmp(rel, "IfExists");
	return out->if_exists || !*rel;
}

/*
 * Compare two bounds into *out as strcmp does. Numbers compare by
 * value; dates only in one ISO 8601 form, the same length, which then
 * sorts as text. Return false when they cannot be compared.
 */
static bool compare_bounds(bool date, const char *x, const char *y, int *out)
{
	char *endx, *endy;
	double vx, vy;

	if (date) {
		if (strlen(x) != strlen(y) || !isdigit((unsigned char)x[0]) ||
		    !isdigit((unsigned char)y[0]))
			return false;
		*out = strcmp(x, y);
		return true;
	}
	vx = strtod(x, &endx);
	vy = strtod(y, &endy);
	if (endx == x || *endx || endy == y || *endy)
		return false;
	*out = (vx > vy) - (vx < vy);
	return true;
}

/*
 * Return the loosest of a bound condition's values into *out, since a
 * request that meets any of them is allowed: the largest for LessThan.
 */
static bool loosest_bound(const struct iam_cond *c, const struct bound_op *o,
			  const char **out)
{
	size_t i;
	int cmp;

	if (!c->nvalues)
		return false;
	*out = c->values[0];
	for (i = 1; i < c->nvalues; i++) {
		if (!compare_bounds(o->date, c->values[i], *out, &cmp))
			return false;
		if (o->less ? cmp > 0 : cmp < 0)
			*out = c->values[i];
	}
	return true;
}

/*
 * Return whether numeric or date comparison c allows no request that
 * d denies: both LessThan or both GreaterThan of one type, with c's
 * bound tighter (smaller for LessThan, larger for GreaterThan) or the
 * same with c strict or d not.
 */
static bool bound_narrows(const struct iam_cond *c, const struct iam_cond *d)
{
	struct bound_op oc, od;
	const char *vc, *vd;
	int cmp;

	if (!parse_bound_op(c->op, &oc) || !parse_bound_op(d->op, &od) ||
	    oc.date != od.date || oc.less != od.less ||
	    oc.if_exists != od.if_exists)
		return false;
	if (!loosest_bound(c, &oc, &vc) || !loosest_bound(d, &od, &vd) ||
	    !compare_bounds(oc.date, vc, vd, &cmp))
		return false;
	if (!oc.less)
		cmp = -cmp;
	return cmp < 0 || (cmp == 0 && (oc.strict || !od.strict));
}

/*
 * Return whether condition c allows no request that d denies: the same
 * operator and key, with values that only narrow. IAM allows a request
 * that matches any value of a positive operator, so fewer values are
 * narrower, and one that matches none of a negated operator ("Not" in
 * its name, as StringNotEquals), so more values are narrower.
 */
static bool cond_narrows(const struct iam_cond *c, const struct iam_cond *d)
{
	if (strcasecmp(c->key, d->key))
		return false;
	if (bound_narrows(c, d))
		return true;
	if (strcasecmp(c->op, d->op))
		return false;
	if (strstr(c->op, "Not"))
		return values_subset(d, c);
	return c->nvalues > 0 && values_subset(c, d);
}

/* Return whether a condition of p is d, or narrows it. */
static bool has_cond(const struct perm *p, const struct iam_cond *d)
{
	size_t i;

	for (i = 0; i < p->nconds; i++)
		if (cond_narrows(&p->iam_conds[i], d))
			return true;
	return false;
}

/* Return whether every condition of b is in p, the same or narrowed. */
static bool conds_include(const struct perm *p, const struct perm *b)
{
	size_t i;

	for (i = 0; i < b->nconds; i++)
		if (!has_cond(p, &b->iam_conds[i]))
			return false;
	return true;
}

/* Return the conditions of b that p lacks or widens, joined by " and ". */
static const char *lost_conditions(struct arena *a, const struct perm *p,
				   const struct perm *b)
{
	struct buf text = BUF_INIT;
	const char *lost;
	size_t j;

	for (j = 0; j < b->nconds; j++)
		if (!has_cond(p, &b->iam_conds[j]))
			buf_addf(&text, "%s%s", text.len ? " and " : "",
				 b->conds[j]);
	lost = arena_strdup(a, buf_str(&text));
	buf_release(&text);
	return lost;
}

/*
 * Return whether an unconditional deny of the head agent blocks p
 * wholly: the same action on a resource pattern that covers p's.
 * Denies are few, so each added allow is checked against them all.
 */
static bool denied_wholly(const struct agent_scan *s, const struct perm *p)
{
	size_t i;

	for (i = 0; i < s->nhead_denies; i++) {
		const struct perm *d = &s->head_denies[i];

		if (!strcasecmp(d->action, p->action) &&
		    (!strcmp(d->resource, p->resource) ||
		     match_resource_covers(d->resource, p->resource)))
			return true;
	}
	return false;
}

/*
 * Raise the escalations of one added allow. When the base allowed the
 * action on the resource under conditions, raise the conditions it
 * lost. Otherwise the access is new, so raise its write, tagging or
 * permissions level, a resource of "*", or a restricted class.
 */
static void scan_added_allow(struct agent_scan *s, const struct perm *p)
{
	const struct cat_action *ca;
	const struct perm *b;
	const char *rc;
	size_t n = 0, i;

	if (denied_wholly(s, p))
		return;
	b = find_allow(s->base_perms, s->nbase, p->resource, p->action, &n);
	if (b) {
		for (i = 0; i < n; i++)
			if (conds_include(p, &b[i]))
				return;
		raise_one(s, ESC_REMOVED_CONDITION, p->resource,
			  lost_conditions(s->a, p, &b[0]), p->action);
		return;
	}
	if (p->level == ACCESS_WRITE)
		raise_one(s, ESC_WRITE, p->resource, NULL, p->action);
	else if (p->level == ACCESS_TAGGING)
		raise_one(s, ESC_TAGGING, p->resource, NULL, p->action);
	else if (p->level == ACCESS_PERMISSIONS)
		raise_one(s, ESC_PERMISSIONS, p->resource, NULL, p->action);
	ca = p->level ? catalog_find_action(s->head->cat, p->action) : NULL;
	if (p->typed && (ca ? catalog_action_everywhere(s->head->cat, ca,
							p->resource)
			    : pattern_is_everything(p->resource)))
		raise_one(s, ESC_WILDCARD_RESOURCE, p->resource, NULL,
			  p->action);
	rc = restricted_class(s->head, p);
	if (rc)
		raise_one(s, ESC_RESTRICTED, p->resource, rc, p->action);
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

/* Return whether x gives an action that matched has and before lacks. */
static bool gains_matched(const struct xgrant *x, const struct actset *matched,
			  const struct actset *before)
{
	size_t i, k;

	for (i = 0; i < x->nres; i++)
		for (k = 0; k < x->res[i].nactions; k++) {
			uint32_t id = x->res[i].actions[k];

			if (actset_has(matched, id) && !actset_has(before, id))
				return true;
		}
	return false;
}

/*
 * Raise each wildcard action pattern of the head agent's allows whose
 * grant gives, through it, an action the base agent did not allow.
 * What counts is the actions gained, not the pattern's text, so "s3:*"
 * narrowed to "s3:Get*", or "*" to "s3:*", raises nothing. Both
 * programs use one catalog file, so action ids agree.
 */
static void scan_wildcard_actions(struct agent_scan *s)
{
	uint32_t count = catalog_count(s->head->cat);
	struct actset before, matched;
	size_t i, j;

	actset_init(&before, count);
	actset_init(&matched, count);
	if (s->xbase && catalog_count(s->base->cat) == count)
		xagent_allowed_actions(s->xbase, &before);
	for (i = 0; i < s->xhead->ngrants; i++) {
		const struct xgrant *x = &s->xhead->grants[i];
		const struct slist *actions = &x->grant->actions;

		for (j = 0; !x->deny && j < actions->n; j++) {
			const char *pattern = actions->items[j].s;

			if (!has_wildcard(pattern))
				continue;
			actset_clear(&matched);
			catalog_match_actions(s->head->cat, pattern, &matched);
			if (gains_matched(x, &matched, &before))
				raise_one(s, ESC_WILDCARD_ACTION, NULL,
					  pattern, NULL);
		}
	}
	actset_release(&matched);
	actset_release(&before);
}

/* Return whether set contains every action of the path. */
static bool path_enabled(const struct xescalation *e, const struct actset *set)
{
	size_t i;

	for (i = 0; i < e->nactions; i++)
		if (!actset_has(set, e->actions[i]))
			return false;
	return e->nactions > 0;
}

/*
 * Raise the escalation paths (MND133) the head agent's grants enable
 * and the base agent's did not. Both programs use one catalog file, so
 * action ids agree.
 */
static void scan_paths(struct agent_scan *s)
{
	uint32_t count = catalog_count(s->head->cat);
	struct actset before, after;
	size_t i, j;

	actset_init(&before, count);
	actset_init(&after, count);
	if (s->xbase && catalog_count(s->base->cat) == count)
		xagent_allowed_actions(s->xbase, &before);
	xagent_allowed_actions(s->xhead, &after);
	for (i = 0; i < s->head->nescalations; i++) {
		const struct xescalation *e = &s->head->escalations[i];

		if (!path_enabled(e, &after) || path_enabled(e, &before))
			continue;
		for (j = 0; j < e->nactions; j++)
			raise_one(s, ESC_PATH, NULL, e->esc->name.s,
				  catalog_action_name(s->head->cat,
						 e->actions[j]));
	}
	actset_release(&before);
	actset_release(&after);
}

static int cmp_raw(const void *pa, const void *pb)
{
	const struct raw_escalation *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->principal ? a->principal : "",
			b->principal ? b->principal : "")))
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(a->resource ? a->resource : "",
			b->resource ? b->resource : "")))
		return c;
	return strcmp(a->detail ? a->detail : "", b->detail ? b->detail : "");
}

static bool same_group(const struct raw_escalation *a,
		       const struct raw_escalation *b)
{
	return cmp_raw(a, b) == 0;
}

/* Append "a, b, c and 4 more" for the first actions of e. */
static void add_action_list(struct buf *b, const struct perm_escalation *e)
{
	size_t i, shown = e->nactions < MESSAGE_ACTIONS ? e->nactions
							 : MESSAGE_ACTIONS;

	if (e->kind == ESC_PATH) {
		for (i = 0; i < e->nactions; i++)
			buf_addf(b, "%s%s", i ? " + " : "", e->actions[i]);
		return;
	}
	for (i = 0; i < shown; i++)
		buf_addf(b, "%s%s", i ? ", " : "", e->actions[i]);
	if (e->nactions > shown)
		buf_addf(b, " and %zu more", e->nactions - shown);
}

static const char *path_description(const struct program *p,
				    const char *name)
{
	size_t i;

	for (i = 0; i < p->nescalations; i++)
		if (!strcmp(p->escalations[i].esc->name.s, name))
			return p->escalations[i].esc->description.s;
	return NULL;
}

/*
 * Append the start of the message of an escalation of an identity new
 * to the grants, which the agent's own wording does not fit: "identity
 * 'ARN', new to these grants, gains access to 'R' without the condition
 * C: ". Return false for kinds worded as "gains" and the agent's
 * message, as "gains new write access to 'R': ".
 */
static bool add_principal_message(struct buf *b, struct agent_scan *s,
				  const struct perm_escalation *e,
				  const char *detail)
{
	const char *desc;

	buf_addf(b, "identity '%s', new to these grants, ", e->principal);
	switch (e->kind) {
	case ESC_PATH:
		desc = path_description(s->head, detail);
		buf_addf(b, "enables privilege escalation path '%s', so it "
			 "%s: ", detail, desc ? desc : "escalates");
		return true;
	case ESC_REMOVED_CONDITION:
		buf_addf(b, "gains access to '%s' without the condition %s: ",
			 e->resource, detail);
		return true;
	case ESC_REMOVED_DENY:
		buf_addf(b, "is no longer denied access to '%s'", e->resource);
		if (detail)
			buf_addf(b, " outside '%s'", detail);
		buf_adds(b, ": ");
		return true;
	default:
		buf_adds(b, "gains ");
		return false;
	}
}

static const char *message_of(struct agent_scan *s,
			      const struct perm_escalation *e,
			      const char *detail)
{
	struct buf b = BUF_INIT;
	const char *desc, *text;

	if (e->principal && add_principal_message(&b, s, e, detail))
		goto actions;
	switch (e->kind) {
	case ESC_WRITE:
	case ESC_TAGGING:
	case ESC_PERMISSIONS:
		buf_addf(&b, "new %s access to '%s': ",
			 e->kind == ESC_WRITE ? "write"
			 : e->kind == ESC_TAGGING ? "tagging"
			 : "permissions-management", e->resource);
		break;
	case ESC_WILDCARD_ACTION:
		buf_addf(&b, "new wildcard action '%s'", detail);
		break;
	case ESC_WILDCARD_RESOURCE:
		buf_addf(&b, "new access to every resource ('%s') for "
			 "actions that support resource-level permissions: ",
			 e->resource);
		break;
	case ESC_RESTRICTED:
		buf_addf(&b, "new access to restricted resource class '%s' "
			 "through '%s': ", detail, e->resource);
		break;
	case ESC_PATH:
		desc = path_description(s->head, detail);
		buf_addf(&b, "grants now enable privilege escalation path "
			 "'%s', so the agent %s: ", detail,
			 desc ? desc : "escalates");
		break;
	case ESC_REMOVED_CONDITION:
		buf_addf(&b, "condition %s no longer limits access to '%s': ",
			 detail, e->resource);
		break;
	case ESC_REMOVED_DENY:
		if (detail)
			buf_addf(&b, "deny on '%s' narrowed to '%s', so the "
				 "rest no longer limits access: ",
				 e->resource, detail);
		else
			buf_addf(&b, "deny on '%s' removed: ", e->resource);
		break;
	case ESC_TRUST:
		buf_addf(&b, "new trusted principal '%s' may now assume "
			 "'%s'", detail, e->resource);
		break;
	case ESC_APPROVER:
		if (detail)
			buf_addf(&b, "write access to restricted resource "
				 "class '%s' through '%s' no longer has an "
				 "approver: ", detail, e->resource);
		else
			buf_addf(&b, "permissions-management access to '%s' "
				 "no longer has an approver: ", e->resource);
		break;
	default:
		BUG("escalation kind %d has no message",
		    (int)e->kind);
	}
actions:
	if (e->kind != ESC_WILDCARD_ACTION && e->kind != ESC_TRUST)
		add_action_list(&b, e);
	text = arena_strdup(s->a, buf_str(&b));
	buf_release(&b);
	return text;
}

/* Group the raw escalations by kind, resource and detail. */
static void group_escalations(struct agent_scan *s, struct agent_diff *ad)
{
	struct raw_escalation *raw = s->raw.v;
	struct vec out = { NULL, 0, 0 };
	size_t i = 0, j, k;

	sort_array(raw, s->raw.n, sizeof(*raw), cmp_raw);
	while (i < s->raw.n) {
		struct perm_escalation *e = vec_push(&out, sizeof(*e));
		const char **actions;

		for (j = i; j < s->raw.n && same_group(&raw[i], &raw[j]); j++)
			;
		actions = arena_calloc(s->a, j - i + 1, sizeof(*actions));
		for (k = i; k < j; k++)
			if (raw[k].action)
				actions[e->nactions++] = raw[k].action;
		sort_array(actions, e->nactions, sizeof(*actions),
			   cmp_strings);
		e->kind = raw[i].kind;
		e->principal = raw[i].principal;
		e->resource = raw[i].resource;
		e->actions = actions;
		e->message = raw[i].message ? raw[i].message
					    : message_of(s, e, raw[i].detail);
		i = j;
	}
	free(s->raw.v);
	ad->nescalations = out.n;
	ad->escalations = vec_freeze(s->a, &out, sizeof(*ad->escalations));
}

static bool list_has(const struct slist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].s, s))
			return true;
	return false;
}

/*
 * Return whether principals x and y are the same: equal, or an account
 * id and its root ARN, "999988887777" and
 * "arn:aws:iam::999988887777:root", which IAM stores alike.
 */
static bool same_principal(const char *x, const char *y)
{
	static const char prefix[] = "arn:aws:iam::", suffix[] = ":root";
	size_t n = strlen(prefix);

	if (!strcmp(x, y))
		return true;
	if (strlen(x) == 12 && strspn(x, "0123456789") == 12) {
		const char *t = x;

		x = y;
		y = t;
	}
	return strlen(y) == 12 && strspn(y, "0123456789") == 12 &&
	       !strncmp(x, prefix, n) && !strncmp(x + n, y, 12) &&
	       !strcmp(x + n + 12, suffix);
}

static bool is_account_id(const char *s, size_t n)
{
	return n == 12 && strspn(s, "0123456789") >= 12;
}

/*
 * Return the account of an IAM or STS principal ARN,
 * "arn:PARTITION:iam::ACCOUNT:..." with a resource after the account,
 * or NULL. *root is set when the resource is "root".
 */
static const char *principal_account(const char *arn, bool *root)
{
	const char *p, *account;

	if (strncmp(arn, "arn:", 4) || !(p = strchr(arn + 4, ':')))
		return NULL;
	p++;
	if (strncmp(p, "iam::", 5) && strncmp(p, "sts::", 5))
		return NULL;
	account = p + 5;
	if (!is_account_id(account, strcspn(account, ":")) ||
	    account[12] != ':' || !account[13])
		return NULL;
	*root = !strcmp(account + 13, "root") && !strncmp(p, "iam", 3);
	return account;
}

/*
 * Return whether trusting principal x already lets principal y assume
 * a role. That is so when both are the same principal, or when x is an
 * account (its id or root ARN) and y a role, user or session of that
 * account, because IAM then lets y assume the role when y's own
 * policies allow it.
 */
static bool principal_covers(const char *x, const char *y)
{
	const char *ax, *ay;
	bool root, y_root;

	if (same_principal(x, y))
		return true;
	if (is_account_id(x, strlen(x)))
		ax = x;
	else if (!(ax = principal_account(x, &root)) || !root)
		return false;
	ay = principal_account(y, &y_root);
	return ay && !strncmp(ax, ay, 12);
}

static bool trusts(const struct identity *x, const char *principal)
{
	size_t i;

	for (i = 0; i < x->trusted_by.n; i++)
		if (principal_covers(x->trusted_by.items[i].s, principal))
			return true;
	return false;
}

/*
 * Return whether any identity of the base with this ARN, in whichever
 * agent, trusts the principal.
 */
static bool base_trusts(const struct program *base, const char *arn,
			const char *principal)
{
	const struct identity *x;
	size_t i;

	for (i = 0; i < base->nagents; i++)
		for (x = base->agents[i].agent->identities; x; x = x->next)
			if (!strcmp(x->id.s, arn) && trusts(x, principal))
				return true;
	return false;
}

/*
 * Raise each principal that an identity of the head agent trusts and no
 * identity with the same ARN trusted in the base, itself or through its
 * account. Identities are matched
 * by ARN across the whole unit, so an identity new to the unit, or moved
 * from another agent, raises each principal that it newly trusts.
 */
static void scan_trust(struct agent_scan *s)
{
	const struct identity *y;
	size_t i;

	for (y = s->xhead->agent->identities; y; y = y->next)
		for (i = 0; i < y->trusted_by.n; i++)
			if (!base_trusts(s->base, y->id.s,
					 y->trusted_by.items[i].s))
				raise_one(s, ESC_TRUST, y->id.s,
					  y->trusted_by.items[i].s, NULL);
}

static void scan_boundaries(struct agent_scan *s);
static void scan_controls(struct agent_scan *s);

/*
 * Raise each permissions-management access of the head agent, and each
 * write access to a restricted class, that the base gave only with an
 * approver and the head gives without one, as MND132 or MND140 then
 * fails: an approver removed, or the access moved to a grant that has
 * none. The class's name is the detail of a write.
 */
static void scan_approvers(struct agent_scan *s, const struct perm *py,
			   size_t ny)
{
	const char *rc;
	size_t i;

	for (i = 0; i < ny; i++) {
		const struct perm *p = &py[i], *b;

		if (p->deny || p->approved)
			continue;
		if (p->level == ACCESS_PERMISSIONS)
			rc = NULL;
		else if (p->level != ACCESS_WRITE ||
			 !(rc = restricted_class(s->head, p)))
			continue;
		b = find_perm(s->base_perms, s->nbase, p);
		if (b && b->approved)
			raise_one(s, ESC_APPROVER, p->resource, rc,
				  p->action);
	}
}

/*
 * Return a deny of the head with q's action on a pattern that q's
 * covers, such as what is left of a deny narrowed to a smaller pattern,
 * or NULL.
 */
static const struct perm *narrowed_deny(const struct agent_scan *s,
					const struct perm *q)
{
	size_t i;

	for (i = 0; i < s->nhead; i++) {
		const struct perm *d = &s->head_perms[i];

		if (d->deny && !strcasecmp(d->action, q->action) &&
		    match_resource_covers(q->resource, d->resource))
			return d;
	}
	return NULL;
}

/*
 * Raise deny q, which the head no longer has, only when it widens an
 * allow that remains: the same action on an overlapping resource, and
 * not wholly blocked by another deny. A deny removed with the grant it
 * cut into widens nothing.
 */
static void scan_lost_deny(struct agent_scan *s, const struct perm *q)
{
	const struct perm *rest;
	size_t i;

	for (i = 0; i < s->nhead; i++) {
		const struct perm *p = &s->head_perms[i];

		if (p->deny || strcasecmp(p->action, q->action) ||
		    !match_resource_overlap(p->resource, q->resource) ||
		    denied_wholly(s, p))
			continue;
		rest = narrowed_deny(s, q);
		raise_one(s, ESC_REMOVED_DENY, q->resource,
			  rest ? rest->resource : NULL, q->action);
		return;
	}
}

/*
 * Raise what an allow of gained gives that the scan's base lacked, a
 * deny of lost that no longer applies, and the wildcard actions and
 * escalation paths the head now reaches.
 */
static void scan_access(struct agent_scan *s, const struct perm *gained,
			size_t ngained, const struct perm *lost, size_t nlost)
{
	size_t i;

	for (i = 0; i < ngained; i++)
		if (!gained[i].deny)
			scan_added_allow(s, &gained[i]);
	for (i = 0; i < nlost; i++)
		if (lost[i].deny)
			scan_lost_deny(s, &lost[i]);
	scan_wildcard_actions(s);
	scan_paths(s);
}

static bool agent_has_identity(const struct agent *a, const char *arn)
{
	const struct identity *x;

	for (x = a->identities; x; x = x->next)
		if (!strcmp(x->id.s, arn))
			return true;
	return false;
}

/* Return the base agent with an identity of this ARN, or NULL. */
static const struct xagent *identity_holder(const struct program *base,
					    const char *arn)
{
	size_t i;

	for (i = 0; i < base->nagents; i++)
		if (agent_has_identity(base->agents[i].agent, arn))
			return &base->agents[i];
	return NULL;
}

/*
 * Raise what each identity new to a changed agent gains: every grant
 * of the head agent, measured from the grants of the base agent that
 * held the identity, or from nothing when no agent did. So a role
 * moved from a reader to a writer, or a user added to an agent, is an
 * escalation even when the agent's own grants did not change.
 */
static void scan_principals(struct agent_scan *s, const struct perm *py,
			    size_t ny)
{
	const struct identity *y;

	for (y = s->xhead->agent->identities; y; y = y->next) {
		struct agent_scan p = *s;
		struct perm *gained, *lost, *holder_perms = NULL;
		size_t ngained, nlost, nholder = 0;

		if (agent_has_identity(s->xbase->agent, y->id.s))
			continue;
		p.xbase = identity_holder(s->base, y->id.s);
		if (p.xbase)
			holder_perms = collect_perms(s->a, s->base, p.xbase,
						     &nholder);
		p.base_perms = holder_perms;
		p.nbase = nholder;
		p.principal = y->id.s;
		gained = perms_minus(s->a, py, ny, holder_perms, nholder,
				     &ngained);
		lost = perms_minus(s->a, holder_perms, nholder, py, ny, &nlost);
		ngained = drop_covered(gained, ngained, holder_perms, nholder);
		nlost = drop_covered(lost, nlost, py, ny);
		scan_access(&p, gained, ngained, lost, nlost);
		s->raw = p.raw;
	}
}

/* Return the denies without conditions among perms. */
static const struct perm *unconditional_denies(struct arena *a,
					       const struct perm *perms,
					       size_t n, size_t *count)
{
	struct vec v = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < n; i++)
		if (perms[i].deny && !perms[i].nconds)
			*(struct perm *)vec_push(&v, sizeof(*perms)) = perms[i];
	*count = v.n;
	return vec_freeze(a, &v, sizeof(*perms));
}

/*
 * Raise the escalations of one agent, whose permissions px (base) and
 * py (head) compare_agent collected.
 */
static void scan_escalations(struct perm_diff *d, struct agent_diff *ad,
			     const struct program *base,
			     const struct program *head,
			     const struct xagent *xbase,
			     const struct xagent *xhead,
			     const struct perm *px, size_t nx,
			     const struct perm *py, size_t ny)
{
	struct agent_scan s = { &d->arena, base, head, xbase, xhead, px, nx,
				NULL, 0, NULL, { NULL, 0, 0 }, py, ny };

	s.head_denies = unconditional_denies(&d->arena, py, ny,
					     &s.nhead_denies);
	scan_access(&s, ad->added, ad->nadded, ad->removed, ad->nremoved);
	scan_trust(&s);
	scan_boundaries(&s);
	if (xbase) {
		scan_controls(&s);
		scan_approvers(&s, py, ny);
		scan_principals(&s, py, ny);
	}
	group_escalations(&s, ad);
	d->nescalations += ad->nescalations;
}

/* Format a date as a spec writes it; NULL when unset. */
static const char *date_text(struct arena *a, const struct dval *v)
{
	char text[11];

	if (!v->set)
		return NULL;
	date_format(v->days, text);
	return arena_strdup(a, text);
}

static const char *duration_text(struct arena *a, const struct durval *v)
{
	char text[32];

	if (!v->set)
		return NULL;
	duration_format(v->seconds, text);
	return arena_strdup(a, text);
}

static const char *audit_text(enum audit_decisions d)
{
	static const char *const names[] = {
		[AUDIT_UNSET] = NULL, [AUDIT_REQUIRED] = "required",
		[AUDIT_OPTIONAL] = "optional", [AUDIT_OFF] = "off",
	};

	return names[d];
}

/*
 * Return the boundary that an identity of the base with this ARN, in
 * whichever agent, carried; NULL when none did.
 */
static const char *base_boundary(const struct program *base, const char *arn)
{
	const struct identity *x;
	size_t i;

	for (i = 0; i < base->nagents; i++)
		for (x = base->agents[i].agent->identities; x; x = x->next)
			if (!strcmp(x->id.s, arn) && x->boundary.s)
				return x->boundary.s;
	return NULL;
}

/*
 * Raise each identity of the head agent whose permissions boundary the
 * base required and the head drops or replaces. Identities are matched
 * by ARN across the whole unit, as for trust. A replaced boundary is
 * raised too, because the diff cannot see what either policy allows.
 */
static void scan_boundaries(struct agent_scan *s)
{
	const struct identity *y;

	for (y = s->xhead->agent->identities; y; y = y->next) {
		const char *before = base_boundary(s->base, y->id.s);
		const char *after = y->boundary.s;

		if (!before || (after && !strcmp(before, after)))
			continue;
		raise_control(s, ESC_BOUNDARY, y->id.s, before, after ?
			      arena_printf(s->a, "permissions boundary of "
					   "'%s' replaced: '%s' -> '%s', "
					   "which may allow more", y->id.s,
					   before, after) :
			      arena_printf(s->a, "permissions boundary '%s' "
					   "removed from '%s'", before,
					   y->id.s));
	}
}

/*
 * Return whether limit after is looser than before: unset means no
 * limit, so setting one narrows and removing one widens.
 */
static bool limit_widened(const struct durval *before,
			  const struct durval *after)
{
	if (!before->set)
		return false;
	return !after->set || after->seconds > before->seconds;
}

/*
 * Raise a duration limit of the agent that grew or was removed; longer
 * and removed are the message's words for each case.
 */
static void scan_limit(struct agent_scan *s, enum escalation_kind kind,
		       const char *field, const char *longer,
		       const char *removed, const struct durval *before,
		       const struct durval *after)
{
	const char *from = duration_text(s->a, before);
	const char *to = duration_text(s->a, after);

	if (!limit_widened(before, after))
		return;
	raise_control(s, kind, NULL, field, to ?
		      arena_printf(s->a, "%s: %s %s -> %s", longer, field,
				   from, to) :
		      arena_printf(s->a, "%s: %s %s removed", removed, field,
				   from));
}

/* Rank decision logging: required above optional above off or unset. */
static int audit_rank(enum audit_decisions d)
{
	if (d == AUDIT_REQUIRED)
		return 2;
	if (d == AUDIT_OPTIONAL)
		return 1;
	return 0;
}

/* Raise less decision logging, and each context field no longer required. */
static void scan_audit(struct agent_scan *s, const struct audit_block *x,
		       const struct audit_block *y)
{
	size_t i;

	if (audit_rank(y->decisions) < audit_rank(x->decisions))
		raise_control(s, ESC_AUDIT, NULL, "audit.decisions",
			      arena_printf(s->a, "decision logging weakened: "
					   "audit.decisions %s -> %s",
					   audit_text(x->decisions),
					   y->decisions ?
					   audit_text(y->decisions) : "unset"));
	for (i = 0; i < x->context.n; i++) {
		const char *field = x->context.items[i].s;

		if (!list_has(&y->context, field))
			raise_control(s, ESC_AUDIT, NULL, field,
				      arena_printf(s->a, "logged decisions no "
						   "longer need context field "
						   "'%s'", field));
	}
}

/*
 * Raise each control of the agent that the head weakens. These are
 * long-lived keys no longer forbidden, a longer or removed rotation,
 * session, expiry or review cadence, and less audit. A kind that is no
 * longer ai_agent counts too, because rules MND150 and MND160 then
 * lapse. Unset values are the loosest: no limit, no expiry, keys not
 * forbidden.
 */
static void scan_controls(struct agent_scan *s)
{
	const struct agent *x = s->xbase->agent, *y = s->xhead->agent;
	const struct bval *kx = &x->credentials.long_lived_keys;
	const struct bval *ky = &y->credentials.long_lived_keys;

	if (kx->set && !kx->v && (!ky->set || ky->v))
		raise_control(s, ESC_LONG_LIVED_KEYS, NULL, NULL,
			      arena_printf(s->a, "long-lived access keys no "
					   "longer forbidden: credentials."
					   "long_lived_keys false -> %s",
					   ky->set ? "true" : "unset"));
	scan_limit(s, ESC_ROTATION, "credentials.rotate", "access keys may "
		   "now go longer without rotation", "access keys no longer "
		   "need rotation", &x->credentials.rotate,
		   &y->credentials.rotate);
	scan_limit(s, ESC_SESSION, "credentials.session", "sessions may now "
		   "last longer", "sessions no longer have a maximum length",
		   &x->credentials.session, &y->credentials.session);
	scan_limit(s, ESC_REVIEW, "review.every", "reviews now fall due less "
		   "often", "the agent no longer has a review cadence",
		   &x->review.every, &y->review.every);
	if (x->expires.set && (!y->expires.set ||
			       y->expires.days > x->expires.days))
		raise_control(s, ESC_EXPIRY, NULL, NULL, y->expires.set ?
			      arena_printf(s->a, "access now expires later: "
					   "expires %s -> %s",
					   date_text(s->a, &x->expires),
					   date_text(s->a, &y->expires)) :
			      arena_printf(s->a, "access no longer expires: "
					   "expires %s removed",
					   date_text(s->a, &x->expires)));
	scan_audit(s, &x->audit, &y->audit);
	if (x->kind == AGENT_AI_AGENT && y->kind != AGENT_AI_AGENT)
		raise_control(s, ESC_KIND, NULL, NULL,
			      arena_printf(s->a, "kind changed from ai_agent "
					   "to %s, so the AI agent rules on "
					   "keys (MND150) and decision "
					   "logging (MND160) no longer apply",
					   y->kind ? agent_kind_name(y->kind)
						   : "unset"));
}

static void compare_field(struct vec *v, const char *field, const char *from,
			  const char *to)
{
	struct field_change *fc;

	if ((!from && !to) || (from && to && !strcmp(from, to)))
		return;
	fc = vec_push(v, sizeof(*fc));
	fc->field = field;
	fc->from = from;
	fc->to = to;
}

/* Return the list as "a, b", sorted; NULL when it is empty. */
static const char *list_text(struct arena *a, const struct slist *l)
{
	const char **items = xcalloc(l->n + 1, sizeof(*items));
	struct buf b = BUF_INIT;
	const char *text = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		items[i] = l->items[i].s;
	sort_array(items, l->n, sizeof(*items), cmp_strings);
	for (i = 0; i < l->n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", items[i]);
	if (l->n)
		text = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	free(items);
	return text;
}

/* Return the identity with this ARN in agent a, or NULL. */
static const struct identity *find_identity(const struct agent *a,
					    const char *arn)
{
	const struct identity *x;

	for (x = a->identities; x; x = x->next)
		if (!strcmp(x->id.s, arn))
			return x;
	return NULL;
}

/*
 * Return the identity with this ARN in agent x, or else in any agent of
 * the base, which an identity moved between agents comes from; NULL
 * when the base has none.
 */
static const struct identity *base_identity(const struct program *base,
					    const struct agent *x,
					    const char *arn)
{
	const struct identity *i = find_identity(x, arn);
	size_t k;

	for (k = 0; !i && k < base->nagents; k++)
		i = find_identity(base->agents[k].agent, arn);
	return i;
}

/*
 * Compare trusted_by and boundary of each identity of y with those of
 * the identity with the same ARN in x, or in another agent of the base,
 * as fields named "identity ARN trusted_by". An identity new to the
 * base is compared with an unset one, so its trust and boundary are
 * shown.
 */
static void compare_identity_fields(struct arena *a, struct vec *v,
				    const struct program *base,
				    const struct agent *x,
				    const struct agent *y)
{
	const struct identity *i, *j;

	for (j = y->identities; j; j = j->next) {
		i = base_identity(base, x, j->id.s);
		compare_field(v, arena_printf(a, "identity %s trusted_by",
					      j->id.s),
			      i ? list_text(a, &i->trusted_by) : NULL,
			      list_text(a, &j->trusted_by));
		compare_field(v, arena_printf(a, "identity %s boundary",
					      j->id.s),
			      i ? i->boundary.s : NULL, j->boundary.s);
	}
}

/* A grant with the text that pairs it across the sides. */
struct labelled_grant {
	const char *label;	/* "grant read on arn:aws:s3:::data" */
	const struct grant *grant;
	size_t index;		/* keeps grants of one label in order */
};

static void add_list(struct buf *b, const struct slist *l, const char *sep)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		buf_addf(b, "%s%s", i ? sep : "", l->items[i].s);
}

/* Return "grant read on R" or "deny actions [A, B] on R1, R2". */
static const char *grant_label(struct arena *a, const struct grant *g)
{
	struct buf b = BUF_INIT;
	const char *label;

	buf_adds(&b, g->deny ? "deny " : "grant ");
	if (g->by_level) {
		add_list(&b, &g->level_names, ", ");
	} else {
		buf_adds(&b, "actions [");
		add_list(&b, &g->actions, ", ");
		buf_addch(&b, ']');
	}
	buf_adds(&b, " on ");
	add_list(&b, &g->resources, ", ");
	label = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return label;
}

static int cmp_labelled(const void *pa, const void *pb)
{
	const struct labelled_grant *a = pa, *b = pb;
	int c = strcmp(a->label, b->label);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Return the agent's grants with their labels, sorted by label. */
static struct labelled_grant *labelled_grants(struct arena *a,
					      const struct agent *ag,
					      size_t *n)
{
	struct vec v = { NULL, 0, 0 };
	const struct grant *g;

	for (g = ag->grants; g; g = g->next) {
		struct labelled_grant *l = vec_push(&v, sizeof(*l));

		l->label = grant_label(a, g);
		l->grant = g;
		l->index = v.n;
	}
	sort_array(v.v, v.n, sizeof(struct labelled_grant), cmp_labelled);
	*n = v.n;
	return vec_freeze(a, &v, sizeof(struct labelled_grant));
}

/*
 * Compare because and approver of each grant of y with those of the
 * grant of x written the same way, as fields "LABEL because" and
 * "LABEL approver". Grants of one label pair in order; a grant
 * rewritten shows as permissions added and removed instead.
 */
static void compare_grant_fields(struct arena *a, struct vec *v,
				 const struct agent *x, const struct agent *y)
{
	size_t nx, ny, i = 0, j = 0;
	struct labelled_grant *lx = labelled_grants(a, x, &nx);
	struct labelled_grant *ly = labelled_grants(a, y, &ny);

	while (i < nx && j < ny) {
		int c = strcmp(lx[i].label, ly[j].label);
		const struct grant *gx = lx[i].grant, *gy = ly[j].grant;

		if (c < 0) {
			i++;
			continue;
		}
		if (c > 0) {
			j++;
			continue;
		}
		compare_field(v, arena_printf(a, "%s because", ly[j].label),
			      gx->because.s, gy->because.s);
		compare_field(v, arena_printf(a, "%s approver", ly[j].label),
			      gx->approver.s, gy->approver.s);
		i++;
		j++;
	}
}

/*
 * Compare the fields of base agent x with those of head agent y. An
 * added or removed agent is compared with one that sets nothing, so
 * that its owners, justification, kind, expiry and review are listed.
 */
static void compare_fields(struct arena *a, struct agent_diff *ad,
			   const struct program *base,
			   const struct agent *x, const struct agent *y)
{
	struct vec v = { NULL, 0, 0 };
	const struct credentials_block *cx = &x->credentials;
	const struct credentials_block *cy = &y->credentials;

	compare_field(&v, "kind", x->kind ? agent_kind_name(x->kind) : NULL,
		      y->kind ? agent_kind_name(y->kind) : NULL);
	compare_field(&v, "description", x->description.s, y->description.s);
	compare_field(&v, "owner.technical", x->owner.technical.s,
		      y->owner.technical.s);
	compare_field(&v, "owner.business", x->owner.business.s,
		      y->owner.business.s);
	compare_field(&v, "justification", x->justification.s,
		      y->justification.s);
	compare_field(&v, "expires", date_text(a, &x->expires),
		      date_text(a, &y->expires));
	compare_field(&v, "review.every", duration_text(a, &x->review.every),
		      duration_text(a, &y->review.every));
	compare_field(&v, "review.last", date_text(a, &x->review.last),
		      date_text(a, &y->review.last));
	compare_field(&v, "review.by", x->review.by.s, y->review.by.s);
	compare_field(&v, "credentials.rotate", duration_text(a, &cx->rotate),
		      duration_text(a, &cy->rotate));
	compare_field(&v, "credentials.session",
		      duration_text(a, &cx->session),
		      duration_text(a, &cy->session));
	compare_field(&v, "credentials.long_lived_keys",
		      cx->long_lived_keys.set ? cx->long_lived_keys.v
		      ? "true" : "false" : NULL,
		      cy->long_lived_keys.set ? cy->long_lived_keys.v
		      ? "true" : "false" : NULL);
	compare_field(&v, "audit.decisions", audit_text(x->audit.decisions),
		      audit_text(y->audit.decisions));
	compare_field(&v, "audit.context", list_text(a, &x->audit.context),
		      list_text(a, &y->audit.context));
	compare_identity_fields(a, &v, base, x, y);
	compare_grant_fields(a, &v, x, y);
	ad->nfields = v.n;
	ad->fields = vec_freeze(a, &v, sizeof(*ad->fields));
}

/* Return "aws role ARN" for each identity of a, sorted. */
static const char **identity_names(struct arena *a, const struct agent *ag,
				   size_t *n)
{
	const char **names = arena_calloc(a, ag->nidentities + 1,
					  sizeof(*names));
	const struct identity *id;

	*n = 0;
	for (id = ag->identities; id; id = id->next)
		names[(*n)++] = arena_printf(a, "%s %s %s",
					     provider_name(id->provider),
					     identity_kind_name(id->kind),
					     id->id.s);
	sort_array(names, *n, sizeof(*names), cmp_strings);
	return names;
}

static const char **names_minus(struct arena *a, const char **x, size_t nx,
				const char **y, size_t ny, size_t *n)
{
	const char **out = arena_calloc(a, nx + 1, sizeof(*out));
	size_t i, j;

	*n = 0;
	for (i = 0; i < nx; i++) {
		for (j = 0; j < ny && strcmp(x[i], y[j]); j++)
			;
		if (j == ny)
			out[(*n)++] = x[i];
	}
	return out;
}

static void compare_identities(struct arena *a, struct agent_diff *ad,
			       const struct agent *x, const struct agent *y)
{
	size_t nx = 0, ny = 0;
	const char **ix = x ? identity_names(a, x, &nx) : NULL;
	const char **iy = y ? identity_names(a, y, &ny) : NULL;

	ad->ids_added = names_minus(a, iy, ny, ix, nx, &ad->nids_added);
	ad->ids_removed = names_minus(a, ix, nx, iy, ny, &ad->nids_removed);
}

static const char *file_of(const struct agent *a)
{
	return a->src->unit_path ? a->src->unit_path : a->src->path;
}

/*
 * Compare one agent across the sides; xbase or xhead is NULL for an
 * agent added or removed. Returns whether anything changed.
 */
static bool compare_agent(struct perm_diff *d, struct agent_diff *ad,
			  const struct program *base,
			  const struct program *head,
			  const struct xagent *xbase, const struct xagent *xhead)
{
	struct arena *a = &d->arena;
	const struct agent *x = xbase ? xbase->agent : NULL;
	const struct agent *y = xhead ? xhead->agent : NULL;
	static const struct agent none;	/* sets no field */
	struct perm *px = NULL, *py = NULL, *unchanged;
	size_t nx = 0, ny = 0, nunchanged;

	memset(ad, 0, sizeof(*ad));
	ad->name = y ? y->name.s : x->name.s;
	ad->file = y ? file_of(y) : file_of(x);
	if (x)
		px = collect_perms(a, base, xbase, &nx);
	if (y)
		py = collect_perms(a, head, xhead, &ny);
	ad->added = perms_minus(a, py, ny, px, nx, &ad->nadded);
	ad->removed = perms_minus(a, px, nx, py, ny, &ad->nremoved);
	unchanged = perms_minus(a, px, nx, ad->removed, ad->nremoved,
				&nunchanged);
	ad->nadded = drop_covered_perms(ad->added, ad->nadded, px, nx,
					unchanged, nunchanged);
	ad->nremoved = drop_covered(ad->removed, ad->nremoved, py, ny);
	compare_identities(a, ad, x, y);
	compare_fields(a, ad, base, x ? x : &none, y ? y : &none);
	if (!x) {
		ad->change = AGENT_ADDED;
	} else if (!y) {
		ad->change = AGENT_REMOVED;
	} else {
		ad->change = AGENT_CHANGED;
		if (strcmp(x->name.s, y->name.s) ||
		    strcmp(file_of(x), file_of(y))) {
			ad->change = AGENT_RENAMED;
			ad->old_name = x->name.s;
			ad->old_file = file_of(x);
		}
	}
	if (y)
		scan_escalations(d, ad, base, head, xbase, xhead, px, nx, py,
				 ny);
	/*
	 * An escalation keeps the agent in the diff even when the expanded
	 * permissions are equal, such as "s3:*" rewritten as "*" on an S3
	 * resource, so that every escalation counted is listed.
	 */
	return ad->change != AGENT_CHANGED || ad->nfields || ad->nadded ||
	       ad->nremoved || ad->nids_added || ad->nids_removed ||
	       ad->nescalations;
}

static bool share_identity(const struct agent *x, const struct agent *y)
{
	const struct identity *i, *j;

	for (i = x->identities; i; i = i->next)
		for (j = y->identities; j; j = j->next)
			if (!strcmp(i->id.s, j->id.s))
				return true;
	return false;
}

static bool file_renamed(const struct agent *x, const struct agent *y,
			 const struct file_rename *renames, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(renames[i].from, file_of(x)) &&
		    !strcmp(renames[i].to, file_of(y)))
			return true;
	return false;
}

/* Order by name, then change, for an agent removed and one renamed to its name. */
static int cmp_agent_diffs(const void *pa, const void *pb)
{
	const struct agent_diff *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	if (a->change != b->change)
		return a->change < b->change ? -1 : 1;
	return strcmp(a->file, b->file);
}

static bool same_text(const char *x, const char *y)
{
	if (!x || !y)
		return x == y;
	return !strcmp(x, y);
}

/* Append a unit change when before and after differ. */
static void add_unit_change(struct perm_diff *d, struct vec *v,
			    const char *kind, const char *name,
			    const char *field, const char *before,
			    const char *after, const char *message)
{
	struct unit_change *c;

	if (field && same_text(before, after))
		return;
	c = vec_push(v, sizeof(*c));
	c->kind = kind;
	c->name = name;
	c->field = field;
	c->before = before;
	c->after = after;
	c->message = message;
	if (message)
		d->nescalations++;
}

/*
 * Return whether the regular expression after provably matches no more
 * than before, as the gate searches with it: the same, or the same
 * with a '^' or '$' anchor added. An unset before matches everything.
 * Any other change may match more, as regular expressions are not
 * compared further.
 */
static bool pattern_narrows(const char *before, const char *after)
{
	size_t nb, na;
	bool b_start, b_end, a_start, a_end;

	if (!before)
		return true;
	if (!after)
		return false;
	nb = strlen(before);
	na = strlen(after);
	b_start = before[0] == '^';
	a_start = after[0] == '^';
	b_end = nb > 1 && before[nb - 1] == '$' && before[nb - 2] != '\\';
	a_end = na > 1 && after[na - 1] == '$' && after[na - 2] != '\\';
	if ((b_start && !a_start) || (b_end && !a_end))
		return false;
	nb -= b_start + b_end;
	na -= a_start + a_end;
	return nb == na && !strncmp(before + b_start, after + a_start, nb);
}

/*
 * Return the message of a gate pattern that changed to one that may
 * accept more, or NULL when it provably accepts no more. one and many
 * name what it checks: "owner address", "owner addresses".
 */
static const char *pattern_message(struct arena *a, const char *field,
				   const char *before, const char *after,
				   const char *one, const char *many)
{
	if (same_text(before, after) || pattern_narrows(before, after))
		return NULL;
	if (!after)
		return arena_printf(a, "gate %s removed, so any %s passes",
				    field, one);
	return arena_printf(a, "gate %s changed from '%s' to '%s', which "
			    "may accept more %s", field, before, after, many);
}

/* Compare the gate's settings as in effect, defaults included. */
static void compare_gate(struct perm_diff *d, struct vec *v,
			 const struct spec_unit *x, const struct spec_unit *y)
{
	struct arena *a = &d->arena;
	struct gate_settings gx, gy;
	const char *message = NULL;
	struct durval dx = { 0 }, dy = { 0 };

	gate_settings_from_unit(&gx, x);
	gate_settings_from_unit(&gy, y);
	if (gy.fail_on > gx.fail_on)
		message = arena_printf(a, "gate fail_on relaxed from %s to "
				       "%s, so fewer findings fail the gate",
				       severity_name(gx.fail_on),
				       severity_name(gy.fail_on));
	add_unit_change(d, v, "gate", "gate", "fail_on",
			severity_name(gx.fail_on), severity_name(gy.fail_on),
			message);
	dx.set = dy.set = true;
	dx.seconds = gx.max_review_interval;
	dy.seconds = gy.max_review_interval;
	add_unit_change(d, v, "gate", "gate", "max_review_interval",
			duration_text(a, &dx), duration_text(a, &dy),
			dy.seconds > dx.seconds ?
			"gate max_review_interval raised, so longer review "
			"cadences pass" : NULL);
	dx.seconds = gx.max_rotation;
	dy.seconds = gy.max_rotation;
	add_unit_change(d, v, "gate", "gate", "max_rotation",
			duration_text(a, &dx), duration_text(a, &dy),
			dy.seconds > dx.seconds ?
			"gate max_rotation raised, so longer key rotations "
			"pass" : NULL);
	add_unit_change(d, v, "gate", "gate", "owner_pattern",
			x->gate.owner_pattern.s, y->gate.owner_pattern.s,
			pattern_message(a, "owner_pattern",
					x->gate.owner_pattern.s,
					y->gate.owner_pattern.s,
					"owner address", "owner addresses"));
	add_unit_change(d, v, "gate", "gate", "agent_name_pattern",
			x->gate.agent_name_pattern.s,
			y->gate.agent_name_pattern.s,
			pattern_message(a, "agent_name_pattern",
					x->gate.agent_name_pattern.s,
					y->gate.agent_name_pattern.s,
					"agent name", "agent names"));
	add_unit_change(d, v, "gate", "gate", "frameworks",
			list_text(a, &x->gate.frameworks),
			list_text(a, &y->gate.frameworks), NULL);
}

static const struct resource_class *find_class(const struct spec_unit *u,
					       const char *name)
{
	const struct resource_class *c;

	for (c = u->classes; c; c = c->next)
		if (!strcmp(c->name.s, name))
			return c;
	return NULL;
}

/*
 * Return the first match pattern of class x that no pattern of y
 * provably covers, or NULL when y matches every resource x did.
 */
static const char *match_uncovered(const struct resource_class *x,
				   const struct resource_class *y)
{
	size_t i, j;

	for (i = 0; i < x->match.n; i++) {
		const char *old = x->match.items[i].s;

		for (j = 0; j < y->match.n; j++)
			if (!strcmp(y->match.items[j].s, old) ||
			    match_resource_covers(y->match.items[j].s, old))
				break;
		if (j == y->match.n)
			return old;
	}
	return NULL;
}

/*
 * Compare the resource classes by name. A restricted class removed, no
 * longer restricted, or whose match no longer provably covers every
 * resource it did, escalates because those resources then raise no
 * restricted escalation.
 */
static void compare_classes(struct perm_diff *d, struct vec *v,
			    const struct spec_unit *x,
			    const struct spec_unit *y)
{
	struct arena *a = &d->arena;
	const struct resource_class *cx, *cy;
	const char *message, *lost;

	for (cx = x->classes; cx; cx = cx->next) {
		const char *name = cx->name.s;
		bool restricted = cx->sensitivity == SENSITIVITY_RESTRICTED;

		cy = find_class(y, name);
		if (!cy) {
			message = restricted ? arena_printf(a, "restricted "
					"resource class '%s' removed", name)
					     : NULL;
			add_unit_change(d, v, "resource", name, NULL,
					sensitivity_name(cx->sensitivity),
					NULL, message);
			continue;
		}
		message = restricted &&
			  cy->sensitivity != SENSITIVITY_RESTRICTED ?
			  arena_printf(a, "resource class '%s' is no longer "
				       "restricted", name) : NULL;
		add_unit_change(d, v, "resource", name, "sensitivity",
				sensitivity_name(cx->sensitivity),
				sensitivity_name(cy->sensitivity), message);
		lost = restricted &&
		       cy->sensitivity == SENSITIVITY_RESTRICTED ?
		       match_uncovered(cx, cy) : NULL;
		add_unit_change(d, v, "resource", name, "match",
				list_text(a, &cx->match),
				list_text(a, &cy->match), lost ?
				arena_printf(a, "restricted resource class "
					     "'%s' no longer matches all of "
					     "'%s'", name, lost) : NULL);
		add_unit_change(d, v, "resource", name, "environment",
				cx->environment.s, cy->environment.s, NULL);
	}
	for (cy = y->classes; cy; cy = cy->next)
		if (!find_class(x, cy->name.s))
			add_unit_change(d, v, "resource", cy->name.s, NULL,
					NULL, sensitivity_name(cy->sensitivity),
					NULL);
}

static const struct escalation *find_path(const struct program *p,
					  const char *name)
{
	size_t i;

	for (i = 0; i < p->nescalations; i++)
		if (!strcmp(p->escalations[i].esc->name.s, name))
			return p->escalations[i].esc;
	return NULL;
}

/* Return whether every action that after requires, before requires too. */
static bool requires_no_more(const struct slist *before,
			     const struct slist *after)
{
	size_t i, j;

	for (i = 0; i < after->n; i++) {
		for (j = 0; j < before->n; j++)
			if (!strcasecmp(after->items[i].s, before->items[j].s))
				break;
		if (j == before->n)
			return false;
	}
	return true;
}

/*
 * Compare the escalation paths by name. A path removed, or one that now
 * requires an action it did not, escalates, because agents that hold
 * the old combination are no longer reported.
 */
static void compare_paths(struct perm_diff *d, struct vec *v,
			  const struct program *x, const struct program *y)
{
	struct arena *a = &d->arena;
	const struct escalation *ex, *ey;
	const char *message;
	size_t i;

	for (i = 0; i < x->nescalations; i++) {
		ex = x->escalations[i].esc;
		ey = find_path(y, ex->name.s);
		if (!ey) {
			add_unit_change(d, v, "escalation", ex->name.s, NULL,
					list_text(a, &ex->requires), NULL,
					arena_printf(a, "escalation path '%s' "
						     "removed", ex->name.s));
			continue;
		}
		message = requires_no_more(&ex->requires, &ey->requires) ?
			  NULL : arena_printf(a, "escalation path '%s' now "
					      "requires more actions",
					      ex->name.s);
		add_unit_change(d, v, "escalation", ex->name.s, "requires",
				list_text(a, &ex->requires),
				list_text(a, &ey->requires), message);
	}
	for (i = 0; i < y->nescalations; i++) {
		ey = y->escalations[i].esc;
		if (!find_path(x, ey->name.s))
			add_unit_change(d, v, "escalation", ey->name.s, NULL,
					NULL, list_text(a, &ey->requires),
					NULL);
	}
}

/* Return "MND130 for 'digest'", naming the waiver's agent or identity. */
static const char *waiver_name(struct arena *a, const struct waiver *w)
{
	if (w->agent.s && w->identity.s)
		return arena_printf(a, "%s for '%s' identity '%s'", w->rule.s,
				    w->agent.s, w->identity.s);
	return arena_printf(a, "%s for '%s'", w->rule.s,
			    w->agent.s ? w->agent.s : w->identity.s);
}

static bool same_waiver(const struct waiver *x, const struct waiver *y)
{
	return !strcmp(x->rule.s, y->rule.s) &&
	       same_text(x->agent.s, y->agent.s) &&
	       same_text(x->identity.s, y->identity.s);
}

static const struct waiver *find_waiver(const struct spec_unit *u,
					const struct waiver *w)
{
	const struct waiver *c;

	for (c = u->waivers; c; c = c->next)
		if (same_waiver(c, w))
			return c;
	return NULL;
}

/* Return whether a waiver's agent or identity, when set, equals name. */
static bool waives(const struct sval *field, const struct sval *name)
{
	return !field->s || (name->s && !strcmp(field->s, name->s));
}

/*
 * Return whether a waiver of the base waives everything that w does,
 * until as late: the same rule for the same agent, the same identity
 * or both, such as a waiver for an agent narrowed to one identity.
 */
static bool base_waives(const struct spec_unit *x, const struct waiver *w)
{
	const struct waiver *c;

	for (c = x->waivers; c; c = c->next)
		if (!strcmp(c->rule.s, w->rule.s) &&
		    waives(&c->agent, &w->agent) &&
		    waives(&c->identity, &w->identity) &&
		    (!c->until.set ||
		     (w->until.set && w->until.days <= c->until.days)))
			return true;
	return false;
}

/*
 * Compare the waivers by rule and agent or identity. A waiver added,
 * or one that now lasts longer, escalates: its rule's findings stop
 * failing the gate until it ends. A waiver added that a base waiver
 * already covered does not. A changed approver escalates too, because
 * the waiver then rests on a sign-off that the base never recorded. A
 * changed reason is listed but does not escalate.
 */
static void compare_waivers(struct perm_diff *d, struct vec *v,
			    const struct spec_unit *x,
			    const struct spec_unit *y)
{
	struct arena *a = &d->arena;
	const struct waiver *wx, *wy;

	for (wx = x->waivers; wx; wx = wx->next) {
		const char *name = waiver_name(a, wx);

		wy = find_waiver(y, wx);
		if (!wy) {
			add_unit_change(d, v, "waiver", name, NULL,
					date_text(a, &wx->until), NULL, NULL);
			continue;
		}
		add_unit_change(d, v, "waiver", name, "until",
				date_text(a, &wx->until),
				date_text(a, &wy->until),
				wy->until.days > wx->until.days ?
				arena_printf(a, "waiver %s extended, so its "
					     "findings stop failing the gate "
					     "for longer", name) : NULL);
		add_unit_change(d, v, "waiver", name, "reason", wx->reason.s,
				wy->reason.s, NULL);
		add_unit_change(d, v, "waiver", name, "approver",
				wx->approver.s, wy->approver.s,
				arena_printf(a, "waiver %s has another "
					     "approver, who must accept its "
					     "findings not failing the gate",
					     name));
	}
	for (wy = y->waivers; wy; wy = wy->next) {
		const char *name = waiver_name(a, wy);

		if (!find_waiver(x, wy))
			add_unit_change(d, v, "waiver", name, NULL, NULL,
					date_text(a, &wy->until),
					base_waives(x, wy) ? NULL :
					arena_printf(a, "waiver %s added, so "
						     "its findings stop "
						     "failing the gate", name));
	}
}

static void compare_unit(struct perm_diff *d, const struct program *base,
			 const struct program *head)
{
	struct vec v = { NULL, 0, 0 };

	compare_gate(d, &v, base->unit, head->unit);
	compare_classes(d, &v, base->unit, head->unit);
	compare_paths(d, &v, base, head);
	compare_waivers(d, &v, base->unit, head->unit);
	d->nunit = v.n;
	d->unit = vec_freeze(&d->arena, &v, sizeof(struct unit_change));
}

/* Ways of pairing a head agent with a base agent, tried in order. */
enum pairing {
	PAIR_IDENTITY_AND_NAME,
	PAIR_IDENTITY,
	PAIR_NAME,
	PAIR_FILE,
};

/*
 * Return how a renamed agent was paired, as renamed_by reports it:
 * "identity" for a shared cloud identity, "name" for the same name in
 * another spec file, "file" for a spec file that git saw renamed.
 */
static const char *pairing_name(enum pairing how)
{
	switch (how) {
	case PAIR_IDENTITY_AND_NAME:
	case PAIR_IDENTITY:
		return "identity";
	case PAIR_NAME:
		return "name";
	case PAIR_FILE:
		return "file";
	}
	BUG("pairing %d has no name", (int)how);
}

static bool pairs_by(enum pairing how, const struct agent *x,
		     const struct agent *y)
{
	switch (how) {
	case PAIR_IDENTITY_AND_NAME:
		return share_identity(x, y) && !strcmp(x->name.s, y->name.s);
	case PAIR_IDENTITY:
		return share_identity(x, y);
	case PAIR_NAME:
		return !strcmp(x->name.s, y->name.s);
	case PAIR_FILE:
		break;		/* pair_by_file, by permissions shared */
	}
	return false;
}

/* Return how many permissions sorted x and y share. */
static size_t perms_shared(const struct perm *x, size_t nx,
			   const struct perm *y, size_t ny)
{
	size_t i = 0, j = 0, n = 0;

	while (i < nx && j < ny) {
		int c = cmp_perms(&x[i], &y[j]);

		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
		if (!c)
			n++;
	}
	return n;
}

/* A head and a base agent in files git saw renamed one to the other. */
struct file_pair {
	size_t head, base;
	size_t shared;		/* permissions in common */
};

/* Order by most permissions shared, then by head and base order. */
static int cmp_file_pairs(const void *pa, const void *pb)
{
	const struct file_pair *a = pa, *b = pb;

	if (a->shared != b->shared)
		return a->shared > b->shared ? -1 : 1;
	if (a->head != b->head)
		return a->head < b->head ? -1 : 1;
	return a->base < b->base ? -1 : a->base > b->base;
}

/* Collect the agent's permissions into perms[i] unless done before. */
static const struct perm *cached_perms(struct arena *a,
				       const struct program *p, size_t i,
				       struct perm **perms, size_t *n)
{
	if (!perms[i])
		perms[i] = collect_perms(a, p, &p->agents[i], &n[i]);
	return perms[i];
}

/*
 * Pair the agents still unpaired whose spec files git saw renamed one
 * to the other, those that share the most permissions first. So agents
 * without identities in a renamed file pair by what they do, not by
 * their order in it.
 */
static void pair_by_file(struct arena *a, ptrdiff_t *match,
			 enum pairing *how, bool *paired,
			 const struct program *base,
			 const struct program *head,
			 const struct file_rename *renames, size_t nrenames)
{
	struct perm **bp = xcalloc(base->nagents + 1, sizeof(*bp));
	struct perm **hp = xcalloc(head->nagents + 1, sizeof(*hp));
	size_t *nb = xcalloc(base->nagents + 1, sizeof(*nb));
	size_t *nh = xcalloc(head->nagents + 1, sizeof(*nh));
	struct vec v = { NULL, 0, 0 };
	struct file_pair *pairs;
	size_t i, j;

	for (i = 0; i < head->nagents; i++)
		for (j = 0; match[i] < 0 && j < base->nagents; j++) {
			const struct perm *x, *y;
			struct file_pair *fp;

			if (paired[j] ||
			    !file_renamed(base->agents[j].agent,
					  head->agents[i].agent, renames,
					  nrenames))
				continue;
			y = cached_perms(a, head, i, hp, nh);
			x = cached_perms(a, base, j, bp, nb);
			fp = vec_push(&v, sizeof(*fp));
			fp->head = i;
			fp->base = j;
			fp->shared = perms_shared(y, nh[i], x, nb[j]);
		}
	pairs = v.v;
	sort_array(pairs, v.n, sizeof(*pairs), cmp_file_pairs);
	for (i = 0; i < v.n; i++) {
		if (match[pairs[i].head] >= 0 || paired[pairs[i].base])
			continue;
		paired[pairs[i].base] = true;
		match[pairs[i].head] = (ptrdiff_t)pairs[i].base;
		how[pairs[i].head] = PAIR_FILE;
	}
	free(pairs);
	free(nh);
	free(nb);
	free(hp);
	free(bp);
}

/*
 * Pair each head agent with the base agent it continues, storing in
 * match[i] the base index for head agent i, or -1 when it is new, and
 * in how[i] the pairing that found it. The cloud identity an agent
 * runs as identifies it better than its name does, so agents sharing
 * an identity are paired first, those with the same name among them
 * before the others. Then agents of the same name are paired, and last
 * agents whose spec files git saw renamed one to the other, by the
 * permissions they share. Two agents that swap names thus stay apart,
 * and an agent renamed with its identity kept is one agent renamed.
 */
static void pair_agents(struct arena *a, ptrdiff_t *match,
			enum pairing *how, bool *paired,
			const struct program *base, const struct program *head,
			const struct file_rename *renames, size_t nrenames)
{
	enum pairing pass;
	size_t i, j;

	for (i = 0; i < head->nagents; i++)
		match[i] = -1;
	for (pass = PAIR_IDENTITY_AND_NAME; pass < PAIR_FILE; pass++)
		for (i = 0; i < head->nagents; i++)
			for (j = 0; match[i] < 0 && j < base->nagents; j++) {
				if (paired[j] ||
				    !pairs_by(pass, base->agents[j].agent,
					      head->agents[i].agent))
					continue;
				paired[j] = true;
				match[i] = (ptrdiff_t)j;
				how[i] = pass;
			}
	pair_by_file(a, match, how, paired, base, head, renames, nrenames);
}

/* Return whether the agent, if any, has its spec file under the paths. */
static bool agent_selected(const struct xagent *xa, char *const *paths,
			   size_t npaths)
{
	return xa && gitrev_path_selected(file_of(xa->agent), paths, npaths);
}

void perm_diff_compute(struct perm_diff *out, const struct program *base,
		       const struct program *head,
		       const struct file_rename *renames, size_t nrenames,
		       char *const *paths, size_t npaths)
{
	bool *paired = xcalloc(base->nagents + 1, sizeof(*paired));
	ptrdiff_t *match = xcalloc(head->nagents + 1, sizeof(*match));
	enum pairing *how = xcalloc(head->nagents + 1, sizeof(*how));
	struct vec v = { NULL, 0, 0 };
	struct agent_diff ad;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	pair_agents(&out->arena, match, how, paired, base, head, renames,
		    nrenames);
	for (i = 0; i < head->nagents; i++) {
		const struct xagent *x = match[i] < 0 ? NULL
						      : &base->agents[match[i]];

		if (!agent_selected(x, paths, npaths) &&
		    !agent_selected(&head->agents[i], paths, npaths))
			continue;
		if (!compare_agent(out, &ad, base, head, x, &head->agents[i]))
			continue;
		if (ad.change == AGENT_RENAMED)
			ad.rename_reason = pairing_name(how[i]);
		*(struct agent_diff *)vec_push(&v, sizeof(ad)) = ad;
	}
	for (j = 0; j < base->nagents; j++)
		if (!paired[j] &&
		    agent_selected(&base->agents[j], paths, npaths) &&
		    compare_agent(out, &ad, base, head, &base->agents[j],
				  NULL))
			*(struct agent_diff *)vec_push(&v, sizeof(ad)) = ad;
	sort_array(v.v, v.n, sizeof(ad), cmp_agent_diffs);
	out->nagents = v.n;
	out->agents = vec_freeze(&out->arena, &v, sizeof(ad));
	free(how);
	free(match);
	free(paired);
	compare_unit(out, base, head);
}

void perm_diff_release(struct perm_diff *d)
{
	arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

const char *escalation_kind_name(enum escalation_kind k)
{
	static const char *const names[] = {
		[ESC_WRITE] = "write",
		[ESC_TAGGING] = "tagging",
		[ESC_PERMISSIONS] = "permissions",
		[ESC_WILDCARD_ACTION] = "wildcard-action",
		[ESC_WILDCARD_RESOURCE] = "wildcard-resource",
		[ESC_RESTRICTED] = "restricted",
		[ESC_PATH] = "escalation-path",
		[ESC_REMOVED_CONDITION] = "removed-condition",
		[ESC_REMOVED_DENY] = "removed-deny",
		[ESC_TRUST] = "trust",
		[ESC_BOUNDARY] = "boundary",
		[ESC_LONG_LIVED_KEYS] = "long-lived-keys",
		[ESC_ROTATION] = "rotation",
		[ESC_SESSION] = "session",
		[ESC_AUDIT] = "audit",
		[ESC_EXPIRY] = "expiry",
		[ESC_REVIEW] = "review",
		[ESC_KIND] = "kind",
		[ESC_APPROVER] = "approver",
	};

	return names[k];
}

const char *agent_change_name(enum agent_change c)
{
	static const char *const names[] = {
		[AGENT_ADDED] = "added", [AGENT_REMOVED] = "removed",
		[AGENT_CHANGED] = "changed", [AGENT_RENAMED] = "renamed",
	};

	return names[c];
}
