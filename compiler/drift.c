#include "common.h"
#include "drift.h"

#include <strings.h>

#include "match.h"

/* The catalog actions an action pattern expands to, cached by pattern. */
struct expansion {
	const char *pattern;	/* interned in the AWS state */
	uint32_t *ids;
	uint32_t n;
};

/* A live statement of the identity with its actions expanded. */
struct live_stmt {
	const struct aws_statement *s;
	const char *policy;		/* name for messages */
	struct actset actions;
	const char **unknown;		/* literal actions not in the catalog */
	size_t nunknown;
};

/* A grant or deny of the spec, one of its resources and one action. */
struct spec_entry {
	uint32_t id;
	size_t seq;		/* position in the spec, for a stable order */
	const struct xgrant *x;
	const struct xresource *r;
};

enum excess_reason {
	EXCESS_ACTION,		/* the spec grants the action nowhere */
	EXCESS_RESOURCE,	/* granted, but not on this resource */
	EXCESS_CONDITION,	/* granted here, but with conditions */
	EXCESS_UNKNOWN,		/* the action is not in the catalog */
	EXCESS_DENIED,		/* the spec denies it there */
};

struct excess {
	uint32_t id;		/* ACTSET_END for an action not in the catalog */
	const char *action;
	const char *resource;
	enum excess_reason why;
};

struct drift_checker {
	struct check_context *cx;
	const struct catalog *cat;
	struct expansion *cache;
	size_t cache_cap, cache_count;
	/* Per identity, reused: spec entries sorted by action id. */
	struct spec_entry *entries;
	size_t nentries, entries_cap;
	struct live_stmt *live;
	size_t nlive, live_cap;
	struct excess *excess;		/* of the statement being checked */
	size_t nexcess, excess_cap;
};

struct drift_checker *drift_checker_new(struct check_context *cx)
{
	struct drift_checker *dc = xcalloc(1, sizeof(*dc));

	dc->cx = cx;
	dc->cat = cx->cat;
	return dc;
}

static void release_live(struct drift_checker *dc)
{
	size_t i;

	for (i = 0; i < dc->nlive; i++) {
		actset_release(&dc->live[i].actions);
		free(dc->live[i].unknown);
	}
	dc->nlive = 0;
}

void drift_checker_free(struct drift_checker *dc)
{
	size_t i;

	if (!dc)
		return;
	release_live(dc);
	for (i = 0; i < dc->cache_cap; i++)
		free(dc->cache[i].ids);
	free(dc->cache);
	free(dc->entries);
	free(dc->live);
	free(dc->excess);
	free(dc);
}

static struct expansion *cache_slot(struct expansion *v, size_t cap,
				    const char *pattern)
{
	size_t i = (size_t)(((uintptr_t)pattern >> 4) * 0x9e3779b97f4a7c15ULL) &
		   (cap - 1);

	while (v[i].pattern && v[i].pattern != pattern)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static void cache_grow(struct drift_checker *dc)
{
	size_t cap = dc->cache_cap ? dc->cache_cap * 2 : 256, i;
	struct expansion *v = xcalloc(cap, sizeof(*v));

	for (i = 0; i < dc->cache_cap; i++)
		if (dc->cache[i].pattern)
			*cache_slot(v, cap, dc->cache[i].pattern) =
				dc->cache[i];
	free(dc->cache);
	dc->cache = v;
	dc->cache_cap = cap;
}

/* Return the catalog ids matched by an interned action pattern. */
static const struct expansion *expand(struct drift_checker *dc,
				      const char *pattern)
{
	struct expansion *e;
	struct actset set;
	uint32_t id, i = 0;

	if ((dc->cache_count + 1) * 2 > dc->cache_cap)
		cache_grow(dc);
	e = cache_slot(dc->cache, dc->cache_cap, pattern);
	if (e->pattern)
		return e;
	actset_init(&set, catalog_count(dc->cat));
	catalog_match_actions(dc->cat, pattern, &set);
	e->pattern = pattern;
	e->ids = xmalloc((set.count ? set.count : 1) * sizeof(*e->ids));
	actset_foreach(&set, id)
		e->ids[i++] = id;
	e->n = i;
	dc->cache_count++;
	actset_release(&set);
	return e;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct spec_entry *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	/* Keep the order of the spec for equal ids. */
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * Fill the spec index: every (action, grant or deny, resource) of the
 * agent, sorted by action id, so lookups cost a binary search and the
 * index costs the size of the spec, not of the catalog.
 */
static void index_spec(struct drift_checker *dc, const struct xagent *xa)
{
	size_t i, j, k;

	dc->nentries = 0;
	for (i = 0; i < xa->ngrants; i++) {
		const struct xgrant *x = &xa->grants[i];

		for (j = 0; j < x->nres; j++)
			for (k = 0; k < x->res[j].nactions; k++) {
				grow_array((void **)&dc->entries,
					   &dc->entries_cap, dc->nentries + 1,
					   sizeof(*dc->entries));
				dc->entries[dc->nentries] = (struct spec_entry){
					x->res[j].actions[k], dc->nentries, x,
					&x->res[j],
				};
				dc->nentries++;
			}
	}
	sort_array(dc->entries, dc->nentries, sizeof(*dc->entries),
		   cmp_entries);
}

/* Return the first index entry of action id; range ends at another id. */
static size_t first_entry(const struct drift_checker *dc, uint32_t id)
{
	size_t lo = 0, hi = dc->nentries;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dc->entries[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

static void add_live(struct drift_checker *dc, const struct aws_statement *s,
		     const char *policy)
{
	struct live_stmt *l;
	size_t i;

	grow_array((void **)&dc->live, &dc->live_cap, dc->nlive + 1,
		   sizeof(*dc->live));
	l = &dc->live[dc->nlive++];
	memset(l, 0, sizeof(*l));
	l->s = s;
	l->policy = policy;
	actset_init(&l->actions, catalog_count(dc->cat));
	for (i = 0; i < s->nactions; i++) {
		const struct expansion *e = expand(dc, s->actions[i]);
		uint32_t j;

		for (j = 0; j < e->n; j++)
			actset_add(&l->actions, e->ids[j]);
		if (!e->n && !has_wildcard(s->actions[i]) && !s->not_action) {
			l->unknown = xrealloc(l->unknown, (l->nunknown + 1) *
						     sizeof(*l->unknown));
			l->unknown[l->nunknown++] = s->actions[i];
		}
	}
	if (s->not_action) {
		/* NotAction: every action but the listed ones. */
		struct actset all;
		uint32_t id;

		actset_init(&all, catalog_count(dc->cat));
		for (id = 0; id < catalog_count(dc->cat); id++)
			actset_add(&all, id);
		actset_subtract(&all, &l->actions);
		actset_release(&l->actions);
		l->actions = all;
	}
}

static void add_doc(struct drift_checker *dc, const struct aws_policy_doc *doc,
		    const char *policy)
{
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->nstmts; i++)
		add_live(dc, &doc->stmts[i], policy);
}

static void report_missing(struct drift_checker *dc, const struct claim *c,
			   const struct aws_policy_ref *ref,
			   const struct aws_entity *holder)
{
	findings_add(dc->cx->f, "MND214", &ref->loc, c->xa->agent->name.s,
		     c->arn,
		     "policy '%s' attached to %s '%s' is not in the export, so "
		     "its permissions cannot be compared with the spec",
		     ref->arn, holder->kind == AWS_GROUP ? "group" : "identity",
		     holder->name);
}

/* Report the groups of a user that the export does not contain. */
static void report_missing_groups(struct drift_checker *dc,
				  const struct claim *c,
				  const struct aws_entity *e)
{
	size_t i, j;

	for (i = 0; i < e->ngroup_names; i++) {
		for (j = 0; j < e->ngroups; j++)
			if (!strcmp(e->groups[j]->name, e->group_names[i]))
				break;
		if (j < e->ngroups)
			continue;
		findings_add(dc->cx->f, "MND214", &e->loc, c->xa->agent->name.s,
			     c->arn,
			     "group '%s' of user '%s' is not in the export, so "
			     "its permissions cannot be compared with the spec",
			     e->group_names[i], e->name);
	}
}

/* Gather every statement that applies to the identity. */
static void collect_live(struct drift_checker *dc, const struct claim *c,
			 const struct aws_entity *e)
{
	size_t i, j;

	release_live(dc);
	report_missing_groups(dc, c, e);
	/* The identity itself, then each of its groups. */
	for (i = 0; i <= e->ngroups; i++) {
		const struct aws_entity *h = i ? e->groups[i - 1] : e;

		for (j = 0; j < h->ninline; j++)
			add_doc(dc, h->inline_policies[j].doc,
				h->inline_policies[j].name);
		for (j = 0; j < h->nattached; j++) {
			const struct aws_policy_ref *ref = &h->attached[j];

			if (!ref->policy) {
				report_missing(dc, c, ref, h);
				continue;
			}
			add_doc(dc, ref->policy->doc, ref->policy->name);
		}
	}
}

/* Return whether every condition of the spec grant is in the statement. */
static bool conditions_implied(const struct xgrant *x,
			       const struct aws_statement *s)
{
	size_t i, j;

	for (i = 0; i < x->nconds; i++) {
		bool found = false;

		for (j = 0; j < s->nconds && !found; j++) {
			struct iam_cond live = {
				s->conds[j].op, s->conds[j].key,
				s->conds[j].values, s->conds[j].nvalues,
			};

			found = iam_cond_equal(&x->conds[i], &live);
		}
		if (!found)
			return false;
	}
	return true;
}

static bool stmt_matches_action(const struct live_stmt *l, uint32_t id)
{
	return actset_has(&l->actions, id);
}

/* Return whether resource pattern r of a statement covers pattern want. */
static bool stmt_covers_resource(const struct aws_statement *s,
				 const char *want)
{
	size_t i;

	if (s->not_resource) {
		for (i = 0; i < s->nresources; i++)
			if (match_resource_overlap(s->resources[i], want))
				return false;
		return true;
	}
	for (i = 0; i < s->nresources; i++)
		if (match_resource_covers(s->resources[i], want))
			return true;
	return false;
}

static bool stmt_overlaps_resource(const struct aws_statement *s,
				   const char *want)
{
	size_t i;

	if (s->not_resource)
		return true;
	for (i = 0; i < s->nresources; i++)
		if (match_resource_overlap(s->resources[i], want))
			return true;
	return false;
}

/* Return whether an unconditional live deny removes (id, resource). */
static bool denied_live(struct drift_checker *dc, uint32_t id,
			const char *resource)
{
	size_t i;

	for (i = 0; i < dc->nlive; i++) {
		const struct live_stmt *l = &dc->live[i];

		if (l->s->deny && !l->s->nconds &&
		    stmt_matches_action(l, id) &&
		    stmt_covers_resource(l->s, resource))
			return true;
	}
	return false;
}

/*
 * Return whether the permissions boundary provably keeps (id, resource)
 * out: no statement of it allows the action on an overlapping resource,
 * or an unconditional deny of it covers the pair.
 */
static bool outside_boundary(struct drift_checker *dc,
			     const struct aws_policy_doc *boundary,
			     uint32_t id, const char *resource)
{
	const char *name = catalog_action(dc->cat, id)->name;
	size_t i, j;
	bool allowed = false;

	for (i = 0; i < boundary->nstmts; i++) {
		const struct aws_statement *s = &boundary->stmts[i];
		bool action = s->not_action;

		for (j = 0; j < s->nactions; j++)
			if (match_action(s->actions[j], name)) {
				action = !s->not_action;
				break;
			}
		if (!action)
			continue;
		if (s->deny && !s->nconds && stmt_covers_resource(s, resource))
			return true;
		if (!s->deny && stmt_overlaps_resource(s, resource))
			allowed = true;
	}
	return !allowed;
}


/*
 * Return whether the spec grants id on resource under the conditions of
 * statement s. When it does not, *why records what is missing.
 */
static bool spec_covers(struct drift_checker *dc, uint32_t id,
			const char *resource, const struct aws_statement *s,
			enum excess_reason *why)
{
	size_t k;

	/*
	 * A deny of the spec that may apply takes the action away, with or
	 * without conditions: a live grant without that deny allows more.
	 */
	for (k = first_entry(dc, id);
	     k < dc->nentries && dc->entries[k].id == id; k++) {
		const struct spec_entry *en = &dc->entries[k];

		if (en->x->deny &&
		    match_resource_overlap(en->r->pattern, resource)) {
			*why = EXCESS_DENIED;
			return false;
		}
	}
	*why = EXCESS_ACTION;
	for (k = first_entry(dc, id);
	     k < dc->nentries && dc->entries[k].id == id; k++) {
		const struct spec_entry *en = &dc->entries[k];

		if (en->x->deny)
			continue;
		if (!match_resource_covers(en->r->pattern, resource)) {
			if (*why == EXCESS_ACTION)
				*why = EXCESS_RESOURCE;
			continue;
		}
		if (!conditions_implied(en->x, s)) {
			*why = EXCESS_CONDITION;
			continue;
		}
		return true;
	}
	return false;
}

static const char *reason_text(enum excess_reason why)
{
	switch (why) {
	case EXCESS_ACTION:
		return "the spec does not grant the action";
	case EXCESS_RESOURCE:
		return "the spec grants it on narrower resources";
	case EXCESS_CONDITION:
		return "the spec grants it only under conditions the live "
		       "statement lacks";
	case EXCESS_UNKNOWN:
		return "the action is not in the AWS catalog";
	case EXCESS_DENIED:
		return "the spec denies it";
	}
	return "";
}

static void stmt_label(char *out, size_t n, const struct aws_statement *s)
{
	if (s->sid && *s->sid)
		snprintf(out, n, "'%s'", s->sid);
	else
		snprintf(out, n, "#%u", s->index + 1);
}

static void add_excess(struct drift_checker *dc, uint32_t id,
		       const char *action, const char *resource,
		       enum excess_reason why)
{
	grow_array((void **)&dc->excess, &dc->excess_cap, dc->nexcess + 1,
		   sizeof(*dc->excess));
	dc->excess[dc->nexcess++] =
		(struct excess){ id, action, resource, why };
}

/*
 * Collect what statement l allows beyond the spec: every expanded
 * action on every resource it can act on, less what the spec grants,
 * what a live unconditional deny removes and what the permissions
 * boundary keeps out.
 */
static void collect_excess(struct drift_checker *dc,
			   const struct aws_entity *e,
			   const struct live_stmt *l)
{
	const struct aws_statement *s = l->s;
	const struct aws_policy_doc *boundary =
		e->boundary.policy ? e->boundary.policy->doc : NULL;
	static const char *const everything[] = { "*" };
	const char *const *res = s->resources;
	size_t nres = s->nresources, i, j;
	enum excess_reason why;
	uint32_t id;

	if (s->not_resource) {
		res = everything;	/* all but the listed: treat as all */
		nres = 1;
	}
	dc->nexcess = 0;
	for (i = 0; i < nres; i++) {
		actset_foreach(&l->actions, id) {
			/*
			 * An action named on a resource it cannot act on
			 * (s3:CreateBucket on an object ARN) grants nothing,
			 * as the spec's own grants are expanded.
			 */
			if (!catalog_action_applies(dc->cat,
					catalog_action(dc->cat, id), res[i]))
				continue;
			if (spec_covers(dc, id, res[i], s, &why) ||
			    denied_live(dc, id, res[i]) ||
			    (boundary &&
			     outside_boundary(dc, boundary, id, res[i])))
				continue;
			add_excess(dc, id, catalog_action(dc->cat, id)->name,
				   res[i], why);
		}
		for (j = 0; j < l->nunknown; j++)
			add_excess(dc, ACTSET_END, l->unknown[j], res[i],
				   EXCESS_UNKNOWN);
	}
}

/* Return how many entries from e on share e's resource and reason. */
static size_t run_length(const struct excess *e, size_t n)
{
	size_t k = 1;

	while (k < n && e[k].resource == e[0].resource &&
	       e[k].why == e[0].why && e[k].id != ACTSET_END)
		k++;
	return k;
}

/*
 * List the excess in a finding's details, one line per action, except
 * that every action of a service ("s3:* on ...") or of the whole catalog
 * ("* on ...") excess for one reason is one line. A statement allowing
 * '*' would otherwise list all 22,000 actions of the catalog.
 */
static void add_details(struct drift_checker *dc, struct finding *x)
{
	struct findings *f = dc->cx->f;
	const struct excess *e = dc->excess;
	size_t i = 0, n = dc->nexcess;

	while (i < n) {
		const struct cat_service *svc;
		size_t run, k;

		if (e[i].id == ACTSET_END) {
			finding_detail(f, x, "%s on %s: %s", e[i].action,
				       e[i].resource, reason_text(e[i].why));
			i++;
			continue;
		}
		run = run_length(e + i, n - i);
		if (run == catalog_count(dc->cat)) {
			finding_detail(f, x, "* on %s: %s (all %zu actions)",
				       e[i].resource, reason_text(e[i].why),
				       run);
			i += run;
			continue;
		}
		svc = catalog_action(dc->cat, e[i].id)->service;
		for (k = 0; k < run && k < svc->count; k++)
			if (catalog_action(dc->cat, e[i + k].id)->service != svc)
				break;
		if (k == svc->count) {
			finding_detail(f, x, "%s:* on %s: %s (all %u actions)",
				       svc->prefix, e[i].resource,
				       reason_text(e[i].why), svc->count);
			i += k;
			continue;
		}
		finding_detail(f, x, "%s on %s: %s", e[i].action,
			       e[i].resource, reason_text(e[i].why));
		i++;
	}
}

/* Report one live allow statement's access beyond the spec. */
static void check_statement(struct drift_checker *dc, const struct claim *c,
			    const struct aws_entity *e,
			    const struct live_stmt *l)
{
	const struct aws_statement *s = l->s;
	struct findings *f = dc->cx->f;
	struct finding *x;
	char label[160];

	collect_excess(dc, e, l);
	if (!dc->nexcess)
		return;
	stmt_label(label, sizeof(label), s);
	if (dc->nexcess == 1)
		x = findings_add(f, "MND210", &s->loc, c->xa->agent->name.s,
				 c->arn,
				 "live policy '%s' statement %s allows '%s' on "
				 "'%s' beyond the spec", l->policy, label,
				 dc->excess[0].action, dc->excess[0].resource);
	else
		x = findings_add(f, "MND210", &s->loc, c->xa->agent->name.s,
				 c->arn,
				 "live policy '%s' statement %s allows %zu "
				 "actions beyond the spec, such as '%s' on "
				 "'%s'", l->policy, label, dc->nexcess,
				 dc->excess[0].action, dc->excess[0].resource);
	if (s->not_action || s->not_resource)
		finding_note(f, x, "the statement uses %s, so it allows "
			     "everything it does not list",
			     s->not_action ? "NotAction" : "NotResource");
	add_details(dc, x);
}

/* MND211: report declared grants that no live statement gives. */
static void check_deployed(struct drift_checker *dc, const struct claim *c)
{
	const struct xagent *xa = c->xa;
	size_t i, j, k, m;

	for (i = 0; i < xa->ngrants; i++) {
		const struct xgrant *x = &xa->grants[i];
		size_t total = 0, missing = 0;
		const char *example = NULL;

		if (x->deny || !x->usable)
			continue;
		for (j = 0; j < x->nres; j++)
			for (k = 0; k < x->res[j].nactions; k++) {
				uint32_t id = x->res[j].actions[k];
				const char *r = x->res[j].pattern;
				bool live = false;

				total++;
				for (m = 0; m < dc->nlive && !live; m++) {
					const struct live_stmt *l = &dc->live[m];

					live = !l->s->deny &&
					       stmt_matches_action(l, id) &&
					       stmt_covers_resource(l->s, r);
				}
				if (live && !denied_live(dc, id, r))
					continue;
				if (!missing++)
					example = catalog_action(dc->cat,
								 id)->name;
			}
		if (!missing)
			continue;
		findings_add(dc->cx->f, "MND211", &x->grant->loc,
			     xa->agent->name.s, c->arn,
			     "%zu of %zu actions of this grant are not live on "
			     "'%s', such as '%s'", missing, total, c->arn,
			     example);
	}
}

void drift_check(struct drift_checker *dc, const struct claim *c,
		 const struct aws_entity *e)
{
	size_t i;

	index_spec(dc, c->xa);
	collect_live(dc, c, e);
	for (i = 0; i < dc->nlive; i++)
		if (!dc->live[i].s->deny)
			check_statement(dc, c, e, &dc->live[i]);
	check_deployed(dc, c);
}
