#include "common.h"
#include "drift.h"

#include <strings.h>

#include "aws_policy.h"
#include "contain.h"
#include "diag.h"
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
	/* s with a user's name put for ${aws:username}; see substitute_live */
	const struct aws_statement *named;
	const char *policy;		/* name for messages */
	struct actset actions;
};

/* The access levels that the spec's grants give in one service. */
struct service_levels {
	uint32_t service;		/* index in the catalog */
	unsigned levels;	/* ACCESS_* bits */
};

/*
 * The spec's grants of one agent as one policy document, one statement
 * per grant and resource pattern, which is the reference the prover
 * compares live statements with.
 */
struct spec_policy {
	const struct xagent *xa;	/* whose grants these are */
	struct aws_policy_doc doc;
	struct aws_statement *stmts;
	size_t stmts_cap;
	const char **actions;		/* every statement's, one after another */
	size_t actions_cap;
	const char **resources;		/* one per statement */
	size_t resources_cap;
	struct aws_condition *conds;	/* every grant's, one after another */
	size_t conds_cap;
	char (*sids)[48];		/* "deny at line 12" */
	size_t sids_cap;
	struct service_levels *services;	/* what the grants give per service */
	size_t nservices, services_cap;
	struct contain_policy policy;
};

/* A live action and resource beyond the spec, with the prover's reason. */
struct excess {
	uint32_t id;		/* ACTSET_END for an action not in the catalog */
	const char *action;
	const char *resource;
	size_t reason;		/* index into the checker's reasons */
};

/*
 * Live statements of one kind by the actions they name: those naming
 * action id are stmts[start[id]] up to stmts[start[id + 1]], as indexes
 * into the checker's live statements, and every statement in broad.
 */
struct live_index {
	uint32_t *start;
	uint32_t *stmts;
	size_t stmts_cap;
	size_t *broad;
	size_t nbroad, broad_cap;
};

struct drift_checker {
	struct check_context *cx;
	const struct catalog *cat;
	struct expansion *cache;
	size_t cache_cap, cache_count;
	struct contain *prover;
	struct spec_policy spec;
	/* Per identity, reused. */
	struct arena literal;		/* live documents read as 2012-10-17 */
	struct live_stmt *live;
	size_t nlive, live_cap;
	struct contain_policy *docs;	/* the live policies, for the prover */
	size_t ndocs, docs_cap;
	const struct aws_policy_doc **exported;	/* docs as exported */
	size_t exported_cap;
	/*
	 * For a user, the docs with its name put for ${aws:username} in
	 * the resources of Allow statements; nsubstituted is 0 when no
	 * statement has one.
	 */
	struct contain_policy *substituted;
	size_t nsubstituted, substituted_cap;
	/* Per statement being checked. */
	const struct aws_policy_doc *boundary;
	struct excess *excess;
	size_t nexcess, excess_cap;
	struct excess *named;		/* gaps with the user's name put in */
	size_t nnamed, named_cap;
	char (*reasons)[sizeof(((struct contain_gap *)0)->reason)];
	size_t nreasons, reasons_cap;
	/* Per identity with many live statements: see index_live. */
	struct live_index allows, denies;
	bool indexed;
};

/*
 * Below this many live statements, a pair of spec action and resource
 * is checked against each in turn; from it on, through the index.
 */
#define LIVE_INDEX_MIN 16

/*
 * A statement naming more actions than this ("*" names 22,000) is tried
 * for every action rather than indexed, so an export of many such
 * statements costs no more memory than it has statements.
 */
#define LIVE_BROAD 1024

static NORETURN void prover_out_of_memory(void)
{
	fprintf(stderr, "mandate: error: out of memory while comparing live "
		"policies with the spec\n");
	exit(EXIT_ERROR);
}

/*
 * Return whether catalog action id can act on a resource of pattern. A
 * pattern that matches the literal "*" reaches actions without resource
 * types too, because IAM gives them "*" as their resource.
 */
static bool action_applies(void *ctx, size_t id, const char *pattern)
{
	const struct catalog *cat = ctx;

	return catalog_action_applies(cat, catalog_action(cat, (uint32_t)id),
				      pattern) ||
	       match_resource(pattern, "*");
}

static bool action_overlap(void *ctx, size_t id, const char *a,
			   const char *b)
{
	const struct catalog *cat = ctx;

	return catalog_action_overlap(cat, catalog_action(cat, (uint32_t)id),
				      a, b);
}

static const char *action_name(void *ctx, size_t id)
{
	return catalog_action_name(ctx, (uint32_t)id);
}

static size_t find_action(void *ctx, const char *name)
{
	const struct cat_action *a = catalog_find_action(ctx, name);

	return a ? a->id : CONTAIN_NOT_LISTED;
}

static uint32_t folded_at(void *ctx, size_t i)
{
	return catalog_folded_at(ctx, i);
}

struct drift_checker *drift_checker_new(struct check_context *cx)
{
	struct drift_checker *dc = xcalloc(1, sizeof(*dc));
	struct contain_options opt = {
		.kind = CONTAIN_IDENTITY,
		.applies = action_applies,
		.applies_ctx = (void *)cx->cat,
		.overlap = action_overlap,
		.overlap_ctx = (void *)cx->cat,
		.reference_label = "the spec",
		.candidate_label = "the live statement",
		.actions_label = "the AWS catalog",
		.name = action_name,
		.name_ctx = (void *)cx->cat,
		.find = find_action,
		.find_ctx = (void *)cx->cat,
	};

	dc->cx = cx;
	dc->cat = cx->cat;
	/* The catalog's own order and index save sorting 22,000 names. */
	opt.nactions = catalog_count(dc->cat);
	opt.sorted_at = folded_at;
	opt.sorted_ctx = (void *)dc->cat;
	if (contain_new(&dc->prover, &opt) < 0)
		prover_out_of_memory();
	return dc;
}

static void release_live(struct drift_checker *dc)
{
	size_t i;

	for (i = 0; i < dc->nlive; i++)
		actset_release(&dc->live[i].actions);
	dc->nlive = 0;
	dc->ndocs = 0;
	dc->nsubstituted = 0;
	dc->indexed = false;
	arena_release(&dc->literal);
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
	contain_free(dc->prover);
	free(dc->spec.stmts);
	free(dc->spec.actions);
	free(dc->spec.resources);
	free(dc->spec.conds);
	free(dc->spec.sids);
	free(dc->spec.services);
	free(dc->live);
	free(dc->allows.start);
	free(dc->allows.stmts);
	free(dc->allows.broad);
	free(dc->denies.start);
	free(dc->denies.stmts);
	free(dc->denies.broad);
	free(dc->docs);
	free(dc->exported);
	free(dc->substituted);
	free(dc->named);
	free(dc->excess);
	free(dc->reasons);
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

/* Count the statements, actions and conditions of the agent's grants. */
static void count_spec(const struct xagent *xa, size_t *nstmts,
		       size_t *nactions, size_t *nconds)
{
	size_t i, j;

	*nstmts = *nactions = *nconds = 0;
	for (i = 0; i < xa->ngrants; i++) {
		const struct xgrant *x = &xa->grants[i];

		*nstmts += x->nres;
		*nconds += x->nconds;
		for (j = 0; j < x->nres; j++)
			*nactions += x->res[j].nactions + x->res[j].nunlisted;
	}
}

/* Add the access levels of action id to its service's entry. */
static void add_service_level(struct spec_policy *sp, uint32_t id,
			      const struct catalog *cat)
{
	const struct cat_action *a = catalog_action(cat, id);
	size_t i;

	for (i = 0; i < sp->nservices; i++)
		if (sp->services[i].service == a->service)
			break;
	if (i == sp->nservices) {
		grow_array((void **)&sp->services, &sp->services_cap,
			   sp->nservices + 1, sizeof(*sp->services));
		sp->services[sp->nservices++] =
			(struct service_levels){ a->service, 0 };
	}
	sp->services[i].levels |= (unsigned)a->level;
}

/* Add the statement of grant x on its resource r to the spec policy. */
static void add_spec_stmt(struct drift_checker *dc, const struct xgrant *x,
			  const struct xresource *r,
			  struct aws_condition *conds, size_t *nactions)
{
	struct spec_policy *sp = &dc->spec;
	struct aws_statement *st = &sp->stmts[sp->doc.nstmts];
	uint32_t line, col;
	size_t k;

	memset(st, 0, sizeof(*st));
	st->index = (uint32_t)sp->doc.nstmts;
	st->deny = x->deny;
	st->actions = &sp->actions[*nactions];
	for (k = 0; k < r->nactions; k++) {
		sp->actions[(*nactions)++] =
			catalog_action_name(dc->cat, r->actions[k]);
		if (!x->deny)
			add_service_level(sp, r->actions[k], dc->cat);
	}
	for (k = 0; k < r->nunlisted; k++)
		sp->actions[(*nactions)++] = r->unlisted[k];
	st->nactions = r->nactions + r->nunlisted;
	sp->resources[sp->doc.nstmts] = r->pattern;
	st->resources = &sp->resources[sp->doc.nstmts];
	st->nresources = 1;
	st->conds = conds;
	st->nconds = x->nconds;
	st->loc = x->grant->loc;
	/* Statements are named by the spec line a reviewer can open. */
	loc_position(&x->grant->loc, &line, &col);
	snprintf(sp->sids[sp->doc.nstmts], sizeof(sp->sids[0]), "%s at line %u",
		 x->deny ? "deny" : "grant", line);
	st->sid = sp->sids[sp->doc.nstmts];
	sp->doc.nstmts++;
}

/*
 * Turn the agent's compiled grants into the reference policy of the
 * prover: one statement per grant and resource pattern, with the
 * grant's conditions. Done once per agent, however many identities it
 * has.
 */
static void index_spec(struct drift_checker *dc, const struct xagent *xa)
{
	struct spec_policy *sp = &dc->spec;
	size_t nstmts, nactions, nconds, i, j, k;

	if (sp->xa == xa)
		return;
	count_spec(xa, &nstmts, &nactions, &nconds);
	grow_array((void **)&sp->stmts, &sp->stmts_cap, nstmts + 1,
		   sizeof(*sp->stmts));
	grow_array((void **)&sp->sids, &sp->sids_cap, nstmts + 1,
		   sizeof(*sp->sids));
	grow_array((void **)&sp->resources, &sp->resources_cap, nstmts + 1,
		   sizeof(*sp->resources));
	grow_array((void **)&sp->actions, &sp->actions_cap, nactions + 1,
		   sizeof(*sp->actions));
	grow_array((void **)&sp->conds, &sp->conds_cap, nconds + 1,
		   sizeof(*sp->conds));
	memset(&sp->doc, 0, sizeof(sp->doc));
	sp->doc.stmts = sp->stmts;
	sp->nservices = 0;
	nactions = nconds = 0;
	for (i = 0; i < xa->ngrants; i++) {
		const struct xgrant *x = &xa->grants[i];
		struct aws_condition *conds = &sp->conds[nconds];

		for (k = 0; k < x->nconds; k++)
			sp->conds[nconds++] = (struct aws_condition){
				x->conds[k].op, x->conds[k].key,
				x->conds[k].values, x->conds[k].nvalues,
			};
		for (j = 0; j < x->nres; j++)
			add_spec_stmt(dc, x, &x->res[j], conds, &nactions);
	}
	sp->policy.name = xa->agent->src ? xa->agent->src->path
					 : xa->agent->name.s;
	sp->policy.doc = &sp->doc;
	if (contain_set_reference(dc->prover, &sp->policy, 1) < 0)
		prover_out_of_memory();
	sp->xa = xa;
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
	l->named = s;
	l->policy = policy;
	actset_init(&l->actions, catalog_count(dc->cat));
	for (i = 0; i < s->nactions; i++) {
		const struct expansion *e = expand(dc, s->actions[i]);
		uint32_t j;

		for (j = 0; j < e->n; j++)
			actset_add(&l->actions, e->ids[j]);
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

/*
 * Add a live document. The spec's policies are emitted with Version
 * 2012-10-17, where "${...}" is a policy variable, so a live document
 * of another version is compared with its "${" escaped as literal text.
 */
static void add_doc(struct drift_checker *dc, const struct aws_policy_doc *doc,
		    const char *policy)
{
	const struct aws_policy_doc *exported = doc;
	size_t i;

	if (!doc)
		return;
	doc = aws_policy_as_2012(&dc->literal, doc);
	grow_array((void **)&dc->docs, &dc->docs_cap, dc->ndocs + 1,
		   sizeof(*dc->docs));
	grow_array((void **)&dc->exported, &dc->exported_cap, dc->ndocs + 1,
		   sizeof(*dc->exported));
	dc->exported[dc->ndocs] = exported;
	dc->docs[dc->ndocs++] = (struct contain_policy){ policy, doc };
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

/*
 * Return doc with name put for ${aws:username} in the resources of its
 * Allow statements, or doc itself when none has one. Every request made
 * with an IAM user's own credentials carries its name in aws:username.
 * A request without the key, such as one of a federation token's
 * session, matches no resource that names the variable without a
 * default. So the copy allows everything the document allows. Denies
 * keep the variable, because in such a session they do not apply.
 */
static const struct aws_policy_doc *
substitute_username(struct drift_checker *dc, const struct aws_policy_doc *doc,
		    const char *name)
{
	struct aws_policy_doc *copy = NULL;
	size_t i, j;

	for (i = 0; i < doc->nstmts; i++) {
		const struct aws_statement *s = &doc->stmts[i];
		const char **res = NULL;

		if (s->deny || s->not_resource)
			continue;
		for (j = 0; j < s->nresources; j++) {
			const char *r = aws_policy_substitute(&dc->literal,
							      s->resources[j],
							      "aws:username",
							      name);

			if (r == s->resources[j] && !res)
				continue;
			if (!res) {
				res = arena_calloc(&dc->literal, s->nresources,
						   sizeof(*res));
				memcpy(res, s->resources,
				       s->nresources * sizeof(*res));
			}
			res[j] = r;
		}
		if (!res)
			continue;
		if (!copy) {
			copy = arena_alloc(&dc->literal, sizeof(*copy));
			*copy = *doc;
			copy->stmts = arena_calloc(&dc->literal, doc->nstmts,
						   sizeof(*copy->stmts));
			memcpy(copy->stmts, doc->stmts,
			       doc->nstmts * sizeof(*copy->stmts));
		}
		copy->stmts[i].resources = res;
	}
	return copy ? copy : doc;
}

/* Fill dc->substituted for user e, when its name changes a statement. */
static void substitute_live(struct drift_checker *dc,
			    const struct aws_entity *e)
{
	bool changed = false;
	size_t i, j, k = 0;

	if (e->kind != AWS_USER)
		return;
	grow_array((void **)&dc->substituted, &dc->substituted_cap,
		   dc->ndocs + 1, sizeof(*dc->substituted));
	for (i = 0; i < dc->ndocs; i++) {
		const struct aws_policy_doc *doc = dc->docs[i].doc;

		/* An escaped document has no variable to put a name in. */
		if (aws_policy_has_variables(doc))
			doc = substitute_username(dc, doc, e->name);
		dc->substituted[i] = (struct contain_policy){
			dc->docs[i].name, doc,
		};
		changed |= doc != dc->docs[i].doc;
		/* add_doc added the live statements in the same order. */
		for (j = 0; j < doc->nstmts; j++)
			dc->live[k++].named = &doc->stmts[j];
	}
	if (changed)
		dc->nsubstituted = dc->ndocs;
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

/* Return whether l is an unconditional deny covering resource. */
static bool denies(const struct live_stmt *l, const char *resource)
{
	return l->s->deny && !l->s->nconds &&
	       stmt_covers_resource(l->s, resource);
}

/* Return whether l allows resource, as written or with a name put in. */
static bool allows(const struct live_stmt *l, const char *resource)
{
	return !l->s->deny && (stmt_covers_resource(l->s, resource) ||
			       stmt_covers_resource(l->named, resource));
}

/* Return whether l is an allow, or with deny an unconditional deny. */
static bool of_kind(const struct live_stmt *l, bool deny)
{
	return deny ? l->s->deny && !l->s->nconds : !l->s->deny;
}

/* Lay out the live statements of one kind by action, as in live_index. */
static void index_kind(struct drift_checker *dc, struct live_index *x,
		       bool deny)
{
	uint32_t n = catalog_count(dc->cat), id;
	size_t i, total = 0;

	x->nbroad = 0;
	if (!x->start)
		x->start = xmalloc((n + 1) * sizeof(*x->start));
	memset(x->start, 0, (n + 1) * sizeof(*x->start));
	/* Count each action's statements, then place them. */
	for (i = 0; i < dc->nlive; i++) {
		const struct actset *set = &dc->live[i].actions;

		if (!of_kind(&dc->live[i], deny))
			continue;
		if (set->count > LIVE_BROAD) {
			grow_array((void **)&x->broad, &x->broad_cap,
				   x->nbroad + 1, sizeof(*x->broad));
			x->broad[x->nbroad++] = i;
			continue;
		}
		actset_foreach(set, id)
			x->start[id + 1]++;
		total += set->count;
	}
	for (id = 0; id < n; id++)
		x->start[id + 1] += x->start[id];
	grow_array((void **)&x->stmts, &x->stmts_cap, total + 1,
		   sizeof(*x->stmts));
	for (i = 0; i < dc->nlive; i++) {
		const struct actset *set = &dc->live[i].actions;

		if (!of_kind(&dc->live[i], deny) || set->count > LIVE_BROAD)
			continue;
		/* start[id] is where the next statement of id goes. */
		actset_foreach(set, id)
			x->stmts[x->start[id]++] = (uint32_t)i;
	}
	/* Each start[id] has moved on to its end: shift them back. */
	for (id = n; id > 0; id--)
		x->start[id] = x->start[id - 1];
	x->start[0] = 0;
}

/*
 * Index the live statements by the actions they name. Checking an
 * action of the spec then costs the statements that name it, not all
 * of them, which made thousands of grants against thousands of live
 * statements quadratic. Small identities keep the plain scan.
 */
static void index_live(struct drift_checker *dc)
{
	dc->indexed = dc->nlive >= LIVE_INDEX_MIN;
	if (!dc->indexed)
		return;
	index_kind(dc, &dc->allows, false);
	index_kind(dc, &dc->denies, true);
}

/*
 * Return whether some live statement that names action id passes test
 * for resource: through index x once indexed, else by a scan.
 */
static bool some_live(struct drift_checker *dc, const struct live_index *x,
		      uint32_t id, const char *resource,
		      bool (*test)(const struct live_stmt *, const char *))
{
	size_t i;

	if (!dc->indexed) {
		for (i = 0; i < dc->nlive; i++)
			if (stmt_matches_action(&dc->live[i], id) &&
			    test(&dc->live[i], resource))
				return true;
		return false;
	}
	for (i = x->start[id]; i < x->start[id + 1]; i++)
		if (test(&dc->live[x->stmts[i]], resource))
			return true;
	for (i = 0; i < x->nbroad; i++)
		if (stmt_matches_action(&dc->live[x->broad[i]], id) &&
		    test(&dc->live[x->broad[i]], resource))
			return true;
	return false;
}

/* Return whether an unconditional live deny removes (id, resource). */
static bool denied_live(struct drift_checker *dc, uint32_t id,
			const char *resource)
{
	return some_live(dc, &dc->denies, id, resource, denies);
}

/*
 * Return whether the permissions boundary provably keeps (action,
 * resource) out: no statement of it allows the action on an overlapping
 * resource, or an unconditional deny of it covers the pair.
 */
static bool outside_boundary(const struct aws_policy_doc *boundary,
			     const char *name, const char *resource)
{
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

static void stmt_label(char *out, size_t n, const struct aws_statement *s)
{
	if (s->sid && *s->sid)
		snprintf(out, n, "'%s'", s->sid);
	else
		snprintf(out, n, "#%u", s->index + 1);
}

/* Return the index of reason in the statement's reasons, adding it. */
static size_t intern_reason(struct drift_checker *dc, const char *reason)
{
	size_t i;

	for (i = 0; i < dc->nreasons; i++)
		if (!strcmp(dc->reasons[i], reason))
			return i;
	grow_array((void **)&dc->reasons, &dc->reasons_cap, dc->nreasons + 1,
		   sizeof(*dc->reasons));
	snprintf(dc->reasons[dc->nreasons], sizeof(dc->reasons[0]), "%s",
		 reason);
	return dc->nreasons++;
}

/*
 * Write to out what the spec grants in the service of action id when
 * the action's own access level is not among it: "the spec grants s3
 * list and read only". Returns false when the service's levels include
 * the action's, because then only the action itself is missing.
 */
static bool describe_service(const struct drift_checker *dc, uint32_t id,
			     char *out, size_t n)
{
	const struct cat_action *a = catalog_action(dc->cat, id);
	const struct spec_policy *sp = &dc->spec;
	unsigned levels = 0, bit, left;
	size_t i, len;

	for (i = 0; i < sp->nservices; i++)
		if (sp->services[i].service == a->service)
			levels = sp->services[i].levels;
	if (!levels) {
		snprintf(out, n, "the spec grants no %s action",
			 catalog_text(dc->cat,
				      catalog_service(dc->cat,
						      a->service)->prefix));
		return true;
	}
	if (levels & (unsigned)a->level)
		return false;
	len = (size_t)snprintf(out, n, "the spec grants %s ",
			       catalog_text(dc->cat,
					    catalog_service(dc->cat,
							    a->service)->prefix));
	for (bit = 1, left = levels; bit <= ACCESS_ALL && len < n; bit <<= 1) {
		if (!(left & bit))
			continue;
		left &= ~bit;
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					access_level_name((enum access_level)bit),
					!left ? " only"
					: (left & (left - 1)) ? ", " : " and ");
	}
	return true;
}

/*
 * Record one (action, resource) that the prover could not place inside
 * the spec, unless the permissions boundary keeps it out.
 */
static int add_excess(void *ctx, const struct contain_gap *gap)
{
	struct drift_checker *dc = ctx;
	uint32_t id = gap->action_index == CONTAIN_NOT_LISTED
			      ? ACTSET_END : (uint32_t)gap->action_index;
	const char *reason = gap->reason;
	char service[160];

	if (dc->boundary &&
	    outside_boundary(dc->boundary, gap->action, gap->resource))
		return 0;
	if (gap->why == CONTAIN_NO_ACTION && id != ACTSET_END &&
	    describe_service(dc, id, service, sizeof(service)))
		reason = service;
	grow_array((void **)&dc->excess, &dc->excess_cap, dc->nexcess + 1,
		   sizeof(*dc->excess));
	dc->excess[dc->nexcess++] = (struct excess){
		id, gap->action, gap->resource, intern_reason(dc, reason),
	};
	return 0;
}

/* Return how many entries from e on share e's resource and reason. */
static size_t run_length(const struct excess *e, size_t n)
{
	size_t k = 1;

	while (k < n && e[k].resource == e[0].resource &&
	       e[k].reason == e[0].reason && e[k].id != ACTSET_END)
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
		const char *reason = dc->reasons[e[i].reason];
		const struct cat_service *svc;
		size_t run, k;

		if (e[i].id == ACTSET_END) {
			finding_detail(f, x, "%s on %s: %s", e[i].action,
				       e[i].resource, reason);
			i++;
			continue;
		}
		run = run_length(e + i, n - i);
		if (run == catalog_count(dc->cat)) {
			finding_detail(f, x, "* on %s: %s (all %zu actions)",
				       e[i].resource, reason, run);
			i += run;
			continue;
		}
		svc = catalog_service(dc->cat,
				      catalog_action(dc->cat, e[i].id)->service);
		for (k = 0; k < run && k < svc->count; k++)
			if (catalog_service(dc->cat,
					    catalog_action(dc->cat,
							   e[i + k].id)->service)
			    != svc)
				break;
		if (k == svc->count) {
			finding_detail(f, x, "%s:* on %s: %s (all %u actions)",
				       catalog_text(dc->cat, svc->prefix),
				       e[i].resource, reason,
				       svc->count);
			i += k;
			continue;
		}
		finding_detail(f, x, "%s on %s: %s", e[i].action,
			       e[i].resource, reason);
		i++;
	}
}

/* Return whether s is an escaped copy of its statement in exported. */
static bool escaped(const struct aws_policy_doc *exported,
		    const struct aws_statement *s)
{
	const struct aws_statement *orig = &exported->stmts[s->index];

	return orig->resources != s->resources || orig->conds != s->conds;
}

static int add_named(void *ctx, const struct contain_gap *gap)
{
	struct drift_checker *dc = ctx;

	grow_array((void **)&dc->named, &dc->named_cap, dc->nnamed + 1,
		   sizeof(*dc->named));
	dc->named[dc->nnamed++] = (struct excess){
		0, gap->action, gap->resource, 0,
	};
	return 0;
}

/* Return the position of pattern, a pointer into s's resources. */
static size_t resource_index(const struct aws_statement *s,
			     const char *pattern)
{
	size_t i;

	for (i = 0; i < s->nresources; i++)
		if (s->resources[i] == pattern)
			return i;
	BUG("a gap names a resource its statement lacks");
}

/*
 * Drop the excess of statement stmt that the prover places inside the
 * spec once the user's name is put for ${aws:username}. An excess stays
 * when the substituted statement has a gap for the same action and
 * resource.
 */
static void drop_named(struct drift_checker *dc, size_t doc, size_t stmt)
{
	const struct aws_statement *s = &dc->docs[doc].doc->stmts[stmt];
	const struct aws_statement *named;
	size_t i, j, k = 0;

	if (!dc->nsubstituted)
		return;
	named = &dc->substituted[doc].doc->stmts[stmt];
	if (named->resources == s->resources)
		return;
	dc->nnamed = 0;
	if (contain_set_candidate(dc->prover, dc->substituted,
				  dc->nsubstituted) < 0 ||
	    contain_check_statement(dc->prover, doc, stmt, add_named, dc) < 0 ||
	    contain_set_candidate(dc->prover, dc->docs, dc->ndocs) < 0)
		prover_out_of_memory();
	for (i = 0; i < dc->nexcess; i++) {
		const struct excess *e = &dc->excess[i];
		size_t r = resource_index(s, e->resource);

		for (j = 0; j < dc->nnamed; j++)
			if (resource_index(named, dc->named[j].resource) == r &&
			    !strcmp(dc->named[j].action, e->action))
				break;
		if (j < dc->nnamed)
			dc->excess[k++] = *e;
	}
	dc->nexcess = k;
}

/*
 * Report what statement stmt of live policy doc allows beyond the spec:
 * every action and resource the prover cannot place inside the spec's
 * grants, after the live denies and less what the permissions boundary
 * keeps out.
 */
static void check_statement(struct drift_checker *dc, const struct claim *c,
			    size_t doc, size_t stmt)
{
	const struct aws_statement *s = &dc->docs[doc].doc->stmts[stmt];
	struct findings *f = dc->cx->f;
	struct finding *x;
	char label[160];

	dc->nexcess = 0;
	dc->nreasons = 0;
	if (contain_check_statement(dc->prover, doc, stmt, add_excess, dc) < 0)
		prover_out_of_memory();
	if (dc->nexcess)
		drop_named(dc, doc, stmt);
	if (!dc->nexcess)
		return;
	stmt_label(label, sizeof(label), s);
	if (dc->nexcess == 1)
		x = findings_add(f, "MND210", &s->loc, c->xa->agent->name.s,
				 c->arn,
				 "live policy '%s' statement %s allows '%s' on "
				 "'%s' beyond the spec: %s", dc->docs[doc].name,
				 label, dc->excess[0].action,
				 dc->excess[0].resource,
				 dc->reasons[dc->excess[0].reason]);
	else
		x = findings_add(f, "MND210", &s->loc, c->xa->agent->name.s,
				 c->arn,
				 "live policy '%s' statement %s allows %zu "
				 "actions beyond the spec, such as '%s' on "
				 "'%s'", dc->docs[doc].name, label, dc->nexcess,
				 dc->excess[0].action, dc->excess[0].resource);
	if (s->not_action || s->not_resource)
		finding_note(f, x, "the statement uses %s, so it allows "
			     "everything it does not list",
			     s->not_action ? "NotAction" : "NotResource");
	else if (escaped(dc->exported[doc], s))	/* a finding has one note */
		finding_note(f, x, "the live policy's Version is not "
			     "2012-10-17, so IAM reads '${' in it as literal "
			     "text, which a 2012-10-17 policy writes '${$}{'");
	add_details(dc, x);
}

/* MND211: report declared grants that no live statement gives. */
static void check_deployed(struct drift_checker *dc, const struct claim *c)
{
	const struct xagent *xa = c->xa;
	size_t i, j, k;

	index_live(dc);
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
				bool live = some_live(dc, &dc->allows, id, r,
						      allows);

				total++;
				if (live && !denied_live(dc, id, r))
					continue;
				if (!missing++)
					example = catalog_action_name(dc->cat,
								 id);
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

/*
 * TODO: service control policies from an Organizations export are not
 * applied, so live access that an SCP blocks still counts as drift.
 */
void drift_check(struct drift_checker *dc, const struct claim *c,
		 const struct aws_entity *e)
{
	size_t i, j;

	index_spec(dc, c->xa);
	collect_live(dc, c, e);
	substitute_live(dc, e);
	if (contain_set_candidate(dc->prover, dc->docs, dc->ndocs) < 0)
		prover_out_of_memory();
	dc->boundary = e->boundary.policy && e->boundary.policy->doc
		       ? aws_policy_as_2012(&dc->literal,
					    e->boundary.policy->doc)
		       : NULL;
	for (i = 0; i < dc->ndocs; i++)
		for (j = 0; j < dc->docs[i].doc->nstmts; j++)
			check_statement(dc, c, i, j);
	check_deployed(dc, c);
}
