#include "contain.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"

/*
 * The concrete actions are kept sorted by case-folded name, so that an
 * action pattern expands by binary search on its literal prefix. Sets
 * of actions are bitsets over the caller's action indexes. The
 * reference set is indexed as (action, statement) entries sorted by
 * action, so each candidate action finds its reference statements by
 * binary search.
 */

struct named {
	const char *name;
	size_t index;
};

/*
 * The words [lo, hi) of a bitset that may hold set bits; the others are
 * zero. A statement names one service's actions, which are adjacent
 * in the catalog, so clearing and scanning that range is far cheaper
 * than the whole set.
 */
struct words {
	size_t lo, hi;
};

struct ref_entry {
	size_t action;
	size_t order;		/* position in the reference set */
	const struct contain_policy *policy;
	const struct aws_statement *stmt;
};

struct cand_deny {
	const struct aws_statement *stmt;
	uint64_t *actions;
};

struct contain {
	struct contain_options opt;
	const uint32_t *sorted;	/* action indexes by folded name */
	uint32_t *own_sorted;	/* sorted, when made here */
	uint32_t *by_name;	/* open addressing: action index + 1 */
	size_t by_name_mask;
	size_t nwords;		/* of one action bitset */
	const struct contain_policy *ref;
	size_t nref;
	struct ref_entry *entries;
	size_t nentries, entries_cap;
	const struct contain_policy *cand;
	size_t ncand;
	struct cand_deny *denies;
	size_t ndenies, denies_cap;
	uint64_t *actions;	/* of the candidate statement being checked */
	struct words used;	/* the words of actions that may be set */
	const char **unlisted;	/* its literal actions missing from the list */
	size_t nunlisted, unlisted_cap;
};

/* A Resource or NotResource list. */
struct rset {
	const char *const *v;
	size_t n;
	bool neg;
};

/* A Principal or NotPrincipal list. */
struct pset {
	const struct aws_principal *v;
	size_t n;
	bool neg;
};

static const char *const everything[] = { "*" };

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool fold_equal(const char *a, const char *b)
{
	while (*a && fold((unsigned char)*a) == fold((unsigned char)*b))
		a++, b++;
	return *a == *b;
}

/* Compare the first k characters of a with b (which has k), folded. */
static int fold_ncmp(const char *a, const char *b, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++) {
		int x = fold((unsigned char)a[i]), y = fold((unsigned char)b[i]);

		if (x != y || !x)
			return x < y ? -1 : x > y;
	}
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	if (r)
		return r;
	return (x->index > y->index) - (x->index < y->index);
}

static const char *action_name(const struct contain *c, size_t i)
{
	return c->opt.actions ? c->opt.actions[i]
			      : c->opt.name(c->opt.name_ctx, i);
}

/* Return the index of the action at position i of the folded order. */
static uint32_t sorted_at(const struct contain *c, size_t i)
{
	return c->sorted ? c->sorted[i]
			 : c->opt.sorted_at(c->opt.sorted_ctx, i);
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

/* FNV-1a of the case-folded name, for the exact-name index. */
static uint64_t fold_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (uint64_t)fold((unsigned char)*s);
		h *= 0x100000001b3ULL;
	}
	return h;
}

static bool grow(void **v, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	p = realloc(*v, n * elem);
	if (!p)
		return false;
	*v = p;
	*cap = n;
	return true;
}

static void bit_set(uint64_t *b, size_t i)
{
	b[i / 64] |= (uint64_t)1 << (i % 64);
}

static bool bit_has(const uint64_t *b, size_t i)
{
	return b[i / 64] >> (i % 64) & 1;
}

/* Set bit i and widen used to take in its word. */
static void bit_set_in(uint64_t *b, size_t i, struct words *used)
{
	bit_set(b, i);
	if (i / 64 < used->lo)
		used->lo = i / 64;
	if (i / 64 + 1 > used->hi)
		used->hi = i / 64 + 1;
}

/* Return the smallest member >= from, or SIZE_MAX. */
static size_t bit_next(const struct contain *c, const uint64_t *b,
		       size_t from)
{
	size_t w = from / 64;
	uint64_t word;

	if (from >= c->opt.nactions)
		return SIZE_MAX;
	word = b[w] & (~(uint64_t)0 << (from % 64));
	for (;;) {
		if (word) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(word);

			return i < c->opt.nactions ? i : SIZE_MAX;
		}
		if (++w >= c->nwords)
			return SIZE_MAX;
		word = b[w];
	}
}

struct run {
	struct named first;
	size_t start, n;
};

static int cmp_runs(const void *a, const void *b)
{
	return cmp_names(&((const struct run *)a)->first,
			 &((const struct run *)b)->first);
}

/*
 * Return whether b cannot follow a in one run: it sorts before a, or
 * it has another service prefix.
 */
static bool run_breaks(const struct named *a, const struct named *b)
{
	const char *ca = strchr(a->name, ':'), *cb = strchr(b->name, ':');

	if (!ca || !cb || ca - a->name != cb - b->name ||
	    memcmp(a->name, b->name, (size_t)(ca - a->name)))
		return true;
	return cmp_names(a, b) > 0;
}

/*
 * Sort v when it is made of ascending runs that do not interleave,
 * by sorting the runs. Returns false, leaving v as it was, when they
 * interleave or there are too many. A catalog lists each service's
 * actions in order, and the names of one service all start with its
 * prefix and ':', so they form runs that no other service's enters.
 */
static bool sort_runs(struct named *v, size_t n)
{
	struct run *runs;
	struct named *out;
	size_t nruns = 1, i, k;
	bool ok = true;

	for (i = 1; i < n; i++)
		if (run_breaks(&v[i - 1], &v[i]) && ++nruns > n / 16 + 1)
			return false;
	runs = malloc(nruns * sizeof(*runs));
	out = malloc(n * sizeof(*out));
	if (!runs || !out) {
		free(runs);
		free(out);
		return false;
	}
	runs[0] = (struct run){ v[0], 0, 1 };
	for (i = 1, k = 0; i < n; i++) {
		if (run_breaks(&v[i - 1], &v[i]))
			runs[++k] = (struct run){ v[i], i, 0 };
		runs[k].n++;
	}
	qsort(runs, nruns, sizeof(*runs), cmp_runs);
	for (k = 1; k < nruns && ok; k++)
		ok = cmp_names(&v[runs[k - 1].start + runs[k - 1].n - 1],
			       &v[runs[k].start]) < 0;
	for (k = 0, i = 0; ok && k < nruns; i += runs[k++].n)
		memcpy(out + i, v + runs[k].start, runs[k].n * sizeof(*v));
	if (ok)
		memcpy(v, out, n * sizeof(*v));
	free(runs);
	free(out);
	return ok;
}

/*
 * Sort the action names by their case-folded form. Folding each name
 * once, then sorting with strcmp, costs far less than folding inside
 * every comparison. Names equal but for case keep their order, as
 * qsort is not stable.
 */
static int sort_names(struct contain *c)
{
	size_t n = c->opt.nactions, total = 0, i;
	struct named *v;
	char *folded, *p;

	if (n > UINT32_MAX)
		return -1;
	for (i = 0; i < n; i++)
		total += strlen(action_name(c, i)) + 1;
	folded = malloc(total + 1);
	v = malloc((n + 1) * sizeof(*v));
	c->own_sorted = malloc((n + 1) * sizeof(*c->own_sorted));
	if (!folded || !v || !c->own_sorted) {
		free(folded);
		free(v);
		return -1;
	}
	p = folded;
	for (i = 0; i < n; i++) {
		const char *name = action_name(c, i);

		v[i] = (struct named){ p, i };
		while (*name)
			*p++ = (char)fold((unsigned char)*name++);
		*p++ = '\0';
	}
	if (n > 1 && !sort_runs(v, n))
		qsort(v, n, sizeof(*v), cmp_names);
	for (i = 0; i < n; i++)
		c->own_sorted[i] = (uint32_t)v[i].index;
	c->sorted = c->own_sorted;
	free(v);
	free(folded);
	return 0;
}

/*
 * Index the names by their folded hash, so that a literal action is
 * found in one probe or two rather than by binary search. Of names
 * equal but for case, the first in sorted order is kept, as the binary
 * search would find it.
 */
static int index_names(struct contain *c)
{
	size_t cap = 16, i;

	while (cap < 2 * c->opt.nactions)
		cap *= 2;
	if (cap > UINT32_MAX)
		return -1;
	c->by_name = calloc(cap, sizeof(*c->by_name));
	if (!c->by_name)
		return -1;
	c->by_name_mask = cap - 1;
	for (i = 0; i < c->opt.nactions; i++) {
		const char *name = action_name(c, sorted_at(c, i));
		size_t slot = (size_t)fold_hash(name) & c->by_name_mask;

		while (c->by_name[slot] &&
		       !fold_equal(action_name(c, c->by_name[slot] - 1), name))
			slot = (slot + 1) & c->by_name_mask;
		if (!c->by_name[slot])
			c->by_name[slot] = sorted_at(c, i) + 1;
	}
	return 0;
}

int contain_new(struct contain **out, const struct contain_options *opt)
{
	struct contain *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return -1;
	c->opt = *opt;
	if (!c->opt.reference_label)
		c->opt.reference_label = "the reference";
	if (!c->opt.candidate_label)
		c->opt.candidate_label = "the candidate";
	if (!c->opt.actions_label)
		c->opt.actions_label = "the action list";
	c->nwords = (opt->nactions + 63) / 64 + 1;
	c->actions = malloc(c->nwords * sizeof(*c->actions));
	c->used = (struct words){ 0, c->nwords };
	if (!c->actions) {
		contain_free(c);
		return -1;
	}
	c->sorted = opt->sorted;
	if ((!c->sorted && !opt->sorted_at && sort_names(c) < 0) ||
	    (!opt->find && index_names(c) < 0)) {
		contain_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

static void release_denies(struct contain *c)
{
	size_t i;

	for (i = 0; i < c->ndenies; i++)
		free(c->denies[i].actions);
	c->ndenies = 0;
}

void contain_free(struct contain *c)
{
	if (!c)
		return;
	release_denies(c);
	free(c->denies);
	free(c->entries);
	free(c->own_sorted);
	free(c->by_name);
	free(c->actions);
	free(c->unlisted);
	free(c);
}

/* Return the index of the first sorted action whose prefix is >= p[0..k). */
static size_t lower_bound(const struct contain *c, const char *p, size_t k)
{
	size_t lo = 0, hi = c->opt.nactions;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fold_ncmp(action_name(c, sorted_at(c, mid)), p, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Return the index of the listed action name, or CONTAIN_NOT_LISTED. */
static size_t find_action(const struct contain *c, const char *name)
{
	size_t slot;

	if (c->opt.find)
		return c->opt.find(c->opt.find_ctx, name);
	slot = (size_t)fold_hash(name) & c->by_name_mask;
	for (; c->by_name[slot]; slot = (slot + 1) & c->by_name_mask) {
		size_t i = c->by_name[slot] - 1;

		if (fold_equal(action_name(c, i), name))
			return i;
	}
	return CONTAIN_NOT_LISTED;
}

/* Add to bits every listed action that the action pattern matches. */
static void expand(const struct contain *c, const char *pattern,
		   uint64_t *bits, struct words *used)
{
	size_t k = strcspn(pattern, "*?");
	bool trailing_star;
	size_t i;

	if (!pattern[k]) {
		i = find_action(c, pattern);
		if (i != CONTAIN_NOT_LISTED)
			bit_set_in(bits, i, used);
		return;
	}
	/* "s3:*" and "*" match the whole range without a look at each name. */
	trailing_star = pattern[k] == '*' && pattern[k + 1] == '\0';
	for (i = lower_bound(c, pattern, k); i < c->opt.nactions; i++) {
		uint32_t action = sorted_at(c, i);
		const char *name = action_name(c, action);

		if (fold_ncmp(name, pattern, k))
			break;
		if (trailing_star || match_action(pattern, name))
			bit_set_in(bits, action, used);
	}
}

/*
 * Fill bits with the listed actions that statement s names. On entry
 * used covers every set bit of bits; on return, every bit now set.
 */
static void stmt_actions(const struct contain *c,
			 const struct aws_statement *s, uint64_t *bits,
			 struct words *used)
{
	size_t i;

	memset(bits + used->lo, 0, (used->hi - used->lo) * sizeof(*bits));
	used->lo = c->nwords;
	used->hi = 0;
	for (i = 0; i < s->nactions; i++)
		expand(c, s->actions[i], bits, used);
	if (used->lo > used->hi)
		used->lo = used->hi = 0;
	if (!s->not_action)
		return;
	for (i = 0; i < c->nwords; i++)
		bits[i] = ~bits[i];
	used->lo = 0;
	used->hi = c->nwords;
}

/* Return whether statement s names the concrete action name. */
static bool stmt_names(const struct aws_statement *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nactions; i++)
		if (match_action(s->actions[i], name))
			return !s->not_action;
	return s->not_action;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct ref_entry *x = a, *y = b;

	if (x->action != y->action)
		return x->action < y->action ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

int contain_set_reference(struct contain *c,
			  const struct contain_policy *ref, size_t n)
{
	size_t p, s, id, order = 0;

	c->ref = ref;
	c->nref = n;
	c->nentries = 0;
	for (p = 0; p < n; p++) {
		const struct aws_policy_doc *doc = ref[p].doc;

		for (s = 0; doc && s < doc->nstmts; s++, order++) {
			stmt_actions(c, &doc->stmts[s], c->actions, &c->used);
			for (id = bit_next(c, c->actions, c->used.lo * 64);
			     id != SIZE_MAX && id < c->used.hi * 64;
			     id = bit_next(c, c->actions, id + 1)) {
				if (!grow((void **)&c->entries, &c->entries_cap,
					  c->nentries + 1, sizeof(*c->entries)))
					goto fail;
				c->entries[c->nentries++] = (struct ref_entry){
					id, order, &ref[p], &doc->stmts[s],
				};
			}
		}
	}
	if (c->nentries > 1)
		qsort(c->entries, c->nentries, sizeof(*c->entries),
		      cmp_entries);
	return 0;
fail:
	c->ref = NULL;
	c->nref = 0;
	c->nentries = 0;
	return -1;
}

int contain_set_candidate(struct contain *c,
			  const struct contain_policy *cand, size_t n)
{
	struct words used;
	size_t p, s;

	release_denies(c);
	c->cand = cand;
	c->ncand = n;
	for (p = 0; p < n; p++) {
		const struct aws_policy_doc *doc = cand[p].doc;

		for (s = 0; doc && s < doc->nstmts; s++) {
			struct cand_deny *d;

			if (!doc->stmts[s].deny)
				continue;
			if (!grow((void **)&c->denies, &c->denies_cap,
				  c->ndenies + 1, sizeof(*c->denies)))
				goto fail;
			d = &c->denies[c->ndenies];
			d->stmt = &doc->stmts[s];
			d->actions = malloc(c->nwords * sizeof(*d->actions));
			if (!d->actions)
				goto fail;
			c->ndenies++;
			/* All of it is cleared, as bit_has reads any word. */
			memset(d->actions, 0, c->nwords * sizeof(*d->actions));
			used = (struct words){ 0, 0 };
			stmt_actions(c, d->stmt, d->actions, &used);
		}
	}
	return 0;
fail:
	release_denies(c);
	c->cand = NULL;
	c->ncand = 0;
	return -1;
}

/* Resource sets. */

static struct rset stmt_rset(const struct contain *c,
			     const struct aws_statement *s)
{
	if (!s->not_resource && !s->nresources &&
	    c->opt.kind == CONTAIN_RESOURCE)
		return (struct rset){ everything, 1, false };
	return (struct rset){ s->resources, s->nresources, s->not_resource };
}

/* Return whether some pattern of set covers pattern p. */
static bool any_covers(struct rset set, const char *p)
{
	size_t i;

	for (i = 0; i < set.n; i++)
		if (match_resource_covers(set.v[i], p))
			return true;
	return false;
}

/* Return whether every resource of b is a resource of a. */
static bool rset_covers(struct rset a, struct rset b)
{
	size_t i, j;

	if (!a.neg && b.neg)
		return any_covers(a, "*");
	for (i = 0; i < b.n; i++) {
		if (!a.neg && !any_covers(a, b.v[i]))
			return false;
		if (a.neg && !b.neg)
			for (j = 0; j < a.n; j++)
				if (match_resource_overlap(a.v[j], b.v[i]))
					return false;
	}
	if (a.neg && b.neg)
		for (j = 0; j < a.n; j++)
			if (!any_covers(b, a.v[j]))
				return false;
	return true;
}

/*
 * Return whether a and b may share a resource that the listed action
 * (or CONTAIN_NOT_LISTED) acts on; true when unsure.
 */
static bool rset_overlap(const struct contain *c, size_t action,
			 struct rset a, struct rset b)
{
	size_t i, j;

	if (a.neg && b.neg)
		return true;
	if (a.neg || b.neg) {
		struct rset pos = a.neg ? b : a, neg = a.neg ? a : b;

		for (i = 0; i < pos.n; i++)
			if (!any_covers(neg, pos.v[i]))
				return true;
		return false;
	}
	for (i = 0; i < a.n; i++)
		for (j = 0; j < b.n; j++) {
			if (!match_resource_overlap(a.v[i], b.v[j]))
				continue;
			if (action == CONTAIN_NOT_LISTED || !c->opt.overlap ||
			    c->opt.overlap(c->opt.overlap_ctx, action, a.v[i],
					   b.v[j]))
				return true;
		}
	return false;
}

/* Principals, compared only for resource policies. */

static struct pset stmt_pset(const struct aws_statement *s)
{
	return (struct pset){ s->principals, s->nprincipals, s->not_principal };
}

static bool is_account_id(const char *s)
{
	size_t i;

	for (i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[12] == '\0';
}

/* Return whether arn is "arn:aws:iam::ACCOUNT:root" for account id. */
static bool is_root_of(const char *arn, const char *id)
{
	static const char head[] = "arn:aws:iam::";

	return !strncmp(arn, head, sizeof(head) - 1) &&
	       !strncmp(arn + sizeof(head) - 1, id, 12) &&
	       !strcmp(arn + sizeof(head) - 1 + 12, ":root");
}

static bool is_anyone(const struct aws_principal *p)
{
	return !strcmp(p->type, "*") || !strcmp(p->value, "*");
}

/* Return whether principal entry outer admits everyone inner admits. */
static bool principal_covers(const struct aws_principal *outer,
			     const struct aws_principal *inner)
{
	if (!strcmp(outer->type, "*"))
		return true;
	if (!strcmp(inner->type, "*") || !fold_equal(outer->type, inner->type))
		return false;
	if (!strcmp(outer->value, "*"))
		return true;
	if (!strcmp(outer->type, "Service"))
		return fold_equal(outer->value, inner->value);
	if (!strcmp(outer->value, inner->value))
		return true;
	if (strcmp(outer->type, "AWS"))
		return false;
	/* An account id and its root ARN name the same principal. */
	return (is_account_id(outer->value) &&
		is_root_of(inner->value, outer->value)) ||
	       (is_account_id(inner->value) &&
		is_root_of(outer->value, inner->value));
}

static bool any_principal_covers(struct pset set,
				 const struct aws_principal *p)
{
	size_t i;

	for (i = 0; i < set.n; i++)
		if (principal_covers(&set.v[i], p))
			return true;
	return false;
}

/*
 * Copy the account id of an AWS principal (an account id or an IAM ARN)
 * to out; false when it has none.
 */
static bool account_of(const struct aws_principal *p, char out[13])
{
	const char *s = p->value;
	int field;

	if (strcmp(p->type, "AWS"))
		return false;
	if (is_account_id(s)) {
		memcpy(out, s, 13);
		return true;
	}
	if (strncmp(s, "arn:", 4))
		return false;
	for (field = 0; field < 4; field++) {
		s = strchr(s, ':');
		if (!s)
			return false;
		s++;
	}
	if (strlen(s) < 13 || s[12] != ':')
		return false;
	memcpy(out, s, 12);
	out[12] = '\0';
	return is_account_id(out);
}

/*
 * Return whether two principal entries may name one caller. An account
 * stands for every principal in it, so two principals of one account
 * may overlap even when neither covers the other.
 */
static bool principals_meet(const struct aws_principal *a,
			    const struct aws_principal *b)
{
	char x[13], y[13];

	if (principal_covers(a, b) || principal_covers(b, a))
		return true;
	return account_of(a, x) && account_of(b, y) && !strcmp(x, y);
}

/* Return whether a admits every principal that b admits. */
static bool pset_covers(struct pset a, struct pset b)
{
	size_t i, j;

	if (!a.neg && b.neg) {
		for (i = 0; i < a.n; i++)
			if (!strcmp(a.v[i].type, "*"))
				return true;
		return false;
	}
	if (a.neg && b.neg) {
		for (i = 0; i < a.n; i++)
			if (!any_principal_covers(b, &a.v[i]))
				return false;
		return true;
	}
	for (i = 0; i < b.n; i++) {
		if (!a.neg) {
			if (!any_principal_covers(a, &b.v[i]))
				return false;
			continue;
		}
		if (is_anyone(&b.v[i]))
			return false;
		for (j = 0; j < a.n; j++)
			if (principals_meet(&a.v[j], &b.v[i]))
				return false;
	}
	return true;
}

/* Return whether a and b may admit a common principal; true if unsure. */
static bool pset_overlap(struct pset a, struct pset b)
{
	size_t i, j;

	if (a.neg || b.neg)
		return true;
	for (i = 0; i < a.n; i++)
		for (j = 0; j < b.n; j++)
			if (principals_meet(&a.v[i], &b.v[j]))
				return true;
	return false;
}

/* Conditions. */

struct op_form {
	const char *set;	/* "ForAllValues:", "ForAnyValue:" or "" */
	const char *base;	/* "StringEquals" */
	size_t len;		/* of base */
	bool if_exists;
	bool negated;		/* holds when the value matches none listed */
};

static void op_parse(const char *op, struct op_form *f)
{
	static const char *const sets[] = { "ForAllValues:", "ForAnyValue:" };
	static const char suffix[] = "IfExists";
	size_t i, n;

	f->set = "";
	for (i = 0; i < 2; i++)
		if (!strncmp(op, sets[i], strlen(sets[i]))) {
			f->set = sets[i];
			op += strlen(sets[i]);
		}
	n = strlen(op);
	f->if_exists = n > sizeof(suffix) - 1 &&
		       !strcmp(op + n - (sizeof(suffix) - 1), suffix);
	if (f->if_exists)
		n -= sizeof(suffix) - 1;
	f->base = op;
	f->len = n;
	f->negated = false;
	for (i = 0; i + 3 <= n; i++)
		if (!strncmp(op + i, "Not", 3))
			f->negated = true;
}

static bool value_listed(const struct aws_condition *c, const char *v)
{
	size_t i;

	for (i = 0; i < c->nvalues; i++)
		if (!strcmp(c->values[i], v))
			return true;
	return false;
}

/*
 * Return whether two condition keys are one. Key names ignore case, but
 * the part after '/' (a tag key, as in "aws:PrincipalTag/team") is
 * compared exactly, which is never wrong where IAM ignores its case too.
 */
static bool same_key(const char *a, const char *b)
{
	const char *sa = strchr(a, '/'), *sb = strchr(b, '/');
	size_t na = sa ? (size_t)(sa - a) : strlen(a);
	size_t nb = sb ? (size_t)(sb - b) : strlen(b);

	if (na != nb || fold_ncmp(a, b, na))
		return false;
	if (!sa || !sb)
		return !sa && !sb;
	return !strcmp(sa, sb);
}

/* Return whether condition p holding proves that condition q holds. */
static bool cond_implies(const struct aws_condition *p,
			 const struct aws_condition *q)
{
	const struct aws_condition *small, *big;
	struct op_form fp, fq;
	size_t i;

	op_parse(p->op, &fp);
	op_parse(q->op, &fq);
	if (strcmp(fp.set, fq.set) || fp.len != fq.len ||
	    memcmp(fp.base, fq.base, fp.len) || !same_key(p->key, q->key))
		return false;
	if (fp.if_exists && !fq.if_exists)
		return false;
	/* Values are alternatives: fewer make a positive test stricter. */
	small = fp.negated ? q : p;
	big = fp.negated ? p : q;
	for (i = 0; i < small->nvalues; i++)
		if (!value_listed(big, small->values[i]))
			return false;
	return true;
}

/*
 * Return whether the conditions of p imply every condition of q; when
 * not, *missing is the first of q's that is not implied.
 */
static bool conds_imply(const struct aws_statement *p,
			const struct aws_statement *q,
			const struct aws_condition **missing)
{
	size_t i, j;

	for (i = 0; i < q->nconds; i++) {
		for (j = 0; j < p->nconds; j++)
			if (cond_implies(&p->conds[j], &q->conds[i]))
				break;
		if (j == p->nconds) {
			if (missing)
				*missing = &q->conds[i];
			return false;
		}
	}
	return true;
}

/* Checking one candidate (action, resource). */

struct pair {
	const struct contain_policy *policy;
	const struct aws_statement *stmt;
	size_t action;		/* index, or CONTAIN_NOT_LISTED */
	const char *name;
	struct rset res;
	const char *display;	/* the resource for messages */
};

/* Visits the reference statements that name one action. */
struct ref_iter {
	const struct contain *c;
	const char *name;
	size_t next, end;	/* entries, or flat statement numbers */
	size_t policy, stmt;	/* for an action missing from the list */
	bool listed;
};

static void ref_iter_init(struct ref_iter *it, const struct contain *c,
			  const struct pair *q)
{
	size_t lo = 0, hi = c->nentries;

	memset(it, 0, sizeof(*it));
	it->c = c;
	it->name = q->name;
	it->listed = q->action != CONTAIN_NOT_LISTED;
	if (!it->listed)
		return;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->entries[mid].action < q->action)
			lo = mid + 1;
		else
			hi = mid;
	}
	it->next = lo;
	it->end = lo;
	while (it->end < c->nentries && c->entries[it->end].action == q->action)
		it->end++;
}

static bool ref_iter_next(struct ref_iter *it,
			  const struct contain_policy **policy,
			  const struct aws_statement **stmt)
{
	const struct contain *c = it->c;

	if (it->listed) {
		if (it->next >= it->end)
			return false;
		*policy = c->entries[it->next].policy;
		*stmt = c->entries[it->next].stmt;
		it->next++;
		return true;
	}
	while (it->policy < c->nref) {
		const struct aws_policy_doc *doc = c->ref[it->policy].doc;

		if (!doc || it->stmt >= doc->nstmts) {
			it->policy++;
			it->stmt = 0;
			continue;
		}
		*stmt = &doc->stmts[it->stmt++];
		if (stmt_names(*stmt, it->name)) {
			*policy = &c->ref[it->policy];
			return true;
		}
	}
	return false;
}

static bool deny_names(const struct cand_deny *d, const struct pair *q)
{
	if (q->action != CONTAIN_NOT_LISTED)
		return bit_has(d->actions, q->action);
	return stmt_names(d->stmt, q->name);
}

/* Return whether an unconditional candidate deny takes all of q away. */
static bool denied_by_candidate(const struct contain *c,
				const struct pair *q)
{
	size_t i;

	for (i = 0; i < c->ndenies; i++) {
		const struct aws_statement *d = c->denies[i].stmt;

		if (d->nconds || !deny_names(&c->denies[i], q) ||
		    !rset_covers(stmt_rset(c, d), q->res))
			continue;
		if (c->opt.kind == CONTAIN_RESOURCE &&
		    !pset_covers(stmt_pset(d), stmt_pset(q->stmt)))
			continue;
		return true;
	}
	return false;
}

/*
 * Return whether a candidate deny applies wherever reference deny r
 * applies to q: it names the action, covers q's resources or r's, admits
 * q's principals or r's, and r's conditions imply its conditions.
 */
static bool deny_matched(const struct contain *c, const struct pair *q,
			 const struct aws_statement *r)
{
	size_t i;

	for (i = 0; i < c->ndenies; i++) {
		const struct aws_statement *d = c->denies[i].stmt;

		if (!deny_names(&c->denies[i], q))
			continue;
		if (!rset_covers(stmt_rset(c, d), q->res) &&
		    !rset_covers(stmt_rset(c, d), stmt_rset(c, r)))
			continue;
		if (c->opt.kind == CONTAIN_RESOURCE &&
		    !pset_covers(stmt_pset(d), stmt_pset(q->stmt)) &&
		    !pset_covers(stmt_pset(d), stmt_pset(r)))
			continue;
		if (conds_imply(r, d, NULL))
			return true;
	}
	return false;
}

static void stmt_label(char *out, size_t n, const struct aws_statement *s)
{
	if (s->sid && *s->sid)
		snprintf(out, n, "'%s'", s->sid);
	else
		snprintf(out, n, "#%u", s->index + 1);
}

static void format_condition(const struct contain *c, const struct pair *q,
			     struct contain_gap *g)
{
	const struct aws_condition *k = g->ref_cond;
	const char *ref = c->opt.reference_label;
	const char *cand = c->opt.candidate_label;
	size_t i;

	for (i = 0; i < q->stmt->nconds; i++)
		if (same_key(q->stmt->conds[i].key, k->key))
			break;
	if (i == q->stmt->nconds)
		snprintf(g->reason, sizeof(g->reason),
			 "%s grants it only under condition %s '%s' that %s "
			 "lacks", ref, k->op, k->key, cand);
	else
		snprintf(g->reason, sizeof(g->reason),
			 "%s grants it only under condition %s '%s', which "
			 "%s's condition %s '%s' does not imply", ref, k->op,
			 k->key, cand, q->stmt->conds[i].op,
			 q->stmt->conds[i].key);
}

static void format_reason(const struct contain *c, const struct pair *q,
			  struct contain_gap *g)
{
	const char *ref = c->opt.reference_label;
	const char *cand = c->opt.candidate_label;
	char label[160];

	switch (g->why) {
	case CONTAIN_NO_ACTION:
		if (q->action == CONTAIN_NOT_LISTED)
			snprintf(g->reason, sizeof(g->reason),
				 "the action is not in %s, and %s does not "
				 "grant it", c->opt.actions_label, ref);
		else
			snprintf(g->reason, sizeof(g->reason),
				 "%s does not grant the action", ref);
		break;
	case CONTAIN_NARROWER:
		snprintf(g->reason, sizeof(g->reason),
			 "%s grants it on narrower resources", ref);
		break;
	case CONTAIN_PRINCIPAL:
		snprintf(g->reason, sizeof(g->reason),
			 "%s grants it to fewer principals than %s admits",
			 ref, cand);
		break;
	case CONTAIN_CONDITION:
		format_condition(c, q, g);
		break;
	case CONTAIN_DENIED:
		stmt_label(label, sizeof(label), g->ref_stmt);
		snprintf(g->reason, sizeof(g->reason),
			 "denied in %s by statement %s of '%s', and %s has "
			 "no deny that covers it", ref, label,
			 g->ref_policy->name ? g->ref_policy->name : "?",
			 cand);
		break;
	}
}

static void fill_gap(const struct contain *c, const struct pair *q,
		     struct contain_gap *g, enum contain_why why)
{
	g->why = why;
	g->policy = q->policy;
	g->stmt = q->stmt;
	g->action = q->name;
	g->action_index = q->action;
	g->resource = q->display;
	format_reason(c, q, g);
}

/* Return whether some reference Deny that may apply to q is unmatched. */
static bool find_unmatched_deny(const struct contain *c,
				const struct pair *q, struct contain_gap *g)
{
	const struct contain_policy *policy;
	const struct aws_statement *r;
	struct ref_iter it;

	ref_iter_init(&it, c, q);
	while (ref_iter_next(&it, &policy, &r)) {
		if (!r->deny ||
		    !rset_overlap(c, q->action, stmt_rset(c, r), q->res))
			continue;
		if (c->opt.kind == CONTAIN_RESOURCE &&
		    !pset_overlap(stmt_pset(r), stmt_pset(q->stmt)))
			continue;
		if (deny_matched(c, q, r))
			continue;
		g->ref_policy = policy;
		g->ref_stmt = r;
		return true;
	}
	return false;
}

/* Return whether one reference Allow covers q; else fill g's cause. */
static bool find_allow(const struct contain *c, const struct pair *q,
		       struct contain_gap *g, enum contain_why *why)
{
	const struct contain_policy *policy;
	const struct aws_statement *r;
	const struct aws_condition *missing = NULL;
	struct ref_iter it;

	*why = CONTAIN_NO_ACTION;
	ref_iter_init(&it, c, q);
	while (ref_iter_next(&it, &policy, &r)) {
		if (r->deny)
			continue;
		if (!rset_covers(stmt_rset(c, r), q->res)) {
			if (*why < CONTAIN_NARROWER)
				*why = CONTAIN_NARROWER;
			continue;
		}
		if (c->opt.kind == CONTAIN_RESOURCE &&
		    !pset_covers(stmt_pset(r), stmt_pset(q->stmt))) {
			if (*why < CONTAIN_PRINCIPAL)
				*why = CONTAIN_PRINCIPAL;
			continue;
		}
		if (!conds_imply(q->stmt, r, &missing)) {
			if (*why < CONTAIN_CONDITION) {
				*why = CONTAIN_CONDITION;
				g->ref_policy = policy;
				g->ref_stmt = r;
				g->ref_cond = missing;
			}
			continue;
		}
		return true;
	}
	return false;
}

/* Return whether q is proved; when not, fill g. */
static bool check_pair(const struct contain *c, const struct pair *q,
		       struct contain_gap *g)
{
	enum contain_why why;

	if (q->action != CONTAIN_NOT_LISTED && c->opt.applies &&
	    !c->opt.applies(c->opt.applies_ctx, q->action, q->display))
		return true;
	if (denied_by_candidate(c, q))
		return true;
	memset(g, 0, sizeof(*g));
	if (find_unmatched_deny(c, q, g)) {
		fill_gap(c, q, g, CONTAIN_DENIED);
		return false;
	}
	if (find_allow(c, q, g, &why))
		return true;
	if (why != CONTAIN_CONDITION) {
		g->ref_policy = NULL;
		g->ref_stmt = NULL;
	}
	fill_gap(c, q, g, why);
	return false;
}

/* Collect the candidate statement's literal actions missing from the list. */
static int collect_unlisted(struct contain *c, const struct aws_statement *s)
{
	size_t i;

	c->nunlisted = 0;
	if (s->not_action)
		return 0;
	for (i = 0; i < s->nactions; i++) {
		if (has_wildcard(s->actions[i]) ||
		    find_action(c, s->actions[i]) != CONTAIN_NOT_LISTED)
			continue;
		if (!grow((void **)&c->unlisted, &c->unlisted_cap,
			  c->nunlisted + 1, sizeof(*c->unlisted)))
			return -1;
		c->unlisted[c->nunlisted++] = s->actions[i];
	}
	return 0;
}

/* Check every action of statement s on the resources q->res. */
static int check_resource(struct contain *c, struct pair *q,
			  contain_gap_fn fn, void *ctx, int *gaps)
{
	struct contain_gap g;
	size_t id, i;

	for (id = bit_next(c, c->actions, c->used.lo * 64);
	     id != SIZE_MAX && id < c->used.hi * 64;
	     id = bit_next(c, c->actions, id + 1)) {
		q->action = id;
		q->name = action_name(c, id);
		if (check_pair(c, q, &g))
			continue;
		(*gaps)++;
		if (fn && fn(ctx, &g))
			return 1;
	}
	for (i = 0; i < c->nunlisted; i++) {
		q->action = CONTAIN_NOT_LISTED;
		q->name = c->unlisted[i];
		if (check_pair(c, q, &g))
			continue;
		(*gaps)++;
		if (fn && fn(ctx, &g))
			return 1;
	}
	return 0;
}

int contain_check_statement(struct contain *c, size_t policy, size_t stmt,
			    contain_gap_fn fn, void *ctx)
{
	const struct aws_statement *s;
	struct pair q;
	int gaps = 0;
	size_t i;

	/* A statement that is not there is not proved, so fail closed. */
	if (policy >= c->ncand || !c->cand[policy].doc ||
	    stmt >= c->cand[policy].doc->nstmts)
		return -1;
	s = &c->cand[policy].doc->stmts[stmt];
	if (s->deny)
		return 0;
	if (collect_unlisted(c, s) < 0)
		return -1;
	stmt_actions(c, s, c->actions, &c->used);
	memset(&q, 0, sizeof(q));
	q.policy = &c->cand[policy];
	q.stmt = s;
	if (s->not_resource || (!s->nresources &&
				c->opt.kind == CONTAIN_RESOURCE)) {
		/* NotResource is one set; so is a statement without Resource. */
		q.res = stmt_rset(c, s);
		q.display = "*";
		check_resource(c, &q, fn, ctx, &gaps);
		return gaps;
	}
	for (i = 0; i < s->nresources; i++) {
		q.res = (struct rset){ &s->resources[i], 1, false };
		q.display = s->resources[i];
		if (check_resource(c, &q, fn, ctx, &gaps))
			break;
	}
	return gaps;
}

static int keep_first(void *ctx, const struct contain_gap *gap)
{
	*(struct contain_gap *)ctx = *gap;
	return 1;
}

int contain_prove(struct contain *c, const struct contain_policy *cand,
		  size_t n, struct contain_gap *gap)
{
	size_t p, s;

	if (contain_set_candidate(c, cand, n) < 0)
		return -1;
	for (p = 0; p < n; p++)
		for (s = 0; cand[p].doc && s < cand[p].doc->nstmts; s++) {
			int ret = contain_check_statement(c, p, s, keep_first,
							  gap);

			if (ret < 0)
				return -1;
			if (ret > 0)
				return 0;
		}
	return 1;
}
