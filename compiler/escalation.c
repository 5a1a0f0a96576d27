#include "common.h"
#include "escalation.h"

#include "buf.h"
#include "match.h"
#include "ptrmap.h"

/* A statement that applies to the identity, and where it comes from. */
struct grant_source {
	const struct aws_statement *s;
	const char *policy;			/* the policy's name */
	bool managed;
	const struct aws_entity *holder;	/* the identity or its group */
};

/*
 * A statement's path actions as two masks over the checker's actions:
 * those its Action or NotAction matches, and the subset that can act on
 * a resource the statement names.
 */
struct stmt_masks {
	uint64_t *actions;
	uint64_t *applicable;
};

struct escalation_checker {
	struct check_context *cx;
	const struct catalog *cat;
	/* Every action some path requires, once each, by catalog id. */
	uint32_t *actions;
	size_t nactions;
	size_t nwords;			/* 64-bit words of a mask */
	size_t **slots;			/* per path: positions in actions */
	struct ptrmap patterns;		/* action pattern -> mask */
	struct ptrmap stmts;		/* statement -> struct stmt_masks */
	struct arena arena;		/* masks and slots */
	/* Scratch space for one identity at a time. */
	struct grant_source *sources;
	size_t nsources, sources_cap;
	const struct grant_source **denies;	/* unconditional Deny statements */
	size_t ndenies, denies_cap;
	const struct grant_source **held;	/* per action: first grant or NULL */
	size_t *paths;			/* the paths the identity holds */
};

static bool mask_has(const uint64_t *m, size_t i)
{
	return (m[i / 64] >> (i % 64)) & 1;
}

static void mask_set(uint64_t *m, size_t i)
{
	m[i / 64] |= (uint64_t)1 << (i % 64);
}

static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static size_t slot_of(const struct escalation_checker *ec, uint32_t id)
{
	const uint32_t *p = bsearch(&id, ec->actions, ec->nactions,
				    sizeof(*ec->actions), cmp_id);

	if (!p)
		BUG("escalation action %u is not indexed", id);
	return (size_t)(p - ec->actions);
}

struct escalation_checker *escalation_checker_new(struct check_context *cx)
{
	struct escalation_checker *ec = xcalloc(1, sizeof(*ec));
	const struct program *p = cx->prog;
	size_t i, j, n = 0;

	ec->cx = cx;
	ec->cat = cx->cat;
	for (i = 0; i < p->nescalations; i++)
		n += p->escalations[i].nactions;
	ec->actions = xcalloc(n + 1, sizeof(*ec->actions));
	for (i = 0; i < p->nescalations; i++)
		for (j = 0; j < p->escalations[i].nactions; j++)
			ec->actions[ec->nactions++] =
				p->escalations[i].actions[j];
	sort_array(ec->actions, ec->nactions, sizeof(*ec->actions), cmp_id);
	for (i = n = 0; i < ec->nactions; i++)
		if (!n || ec->actions[n - 1] != ec->actions[i])
			ec->actions[n++] = ec->actions[i];
	ec->nactions = n;
	ec->nwords = (n + 63) / 64 + 1;

	ec->slots = arena_calloc(&ec->arena, p->nescalations + 1,
				 sizeof(*ec->slots));
	for (i = 0; i < p->nescalations; i++) {
		const struct xescalation *xe = &p->escalations[i];

		ec->slots[i] = arena_calloc(&ec->arena, xe->nactions + 1,
					    sizeof(**ec->slots));
		for (j = 0; j < xe->nactions; j++)
			ec->slots[i][j] = slot_of(ec, xe->actions[j]);
	}
	ec->held = xcalloc(n + 1, sizeof(*ec->held));
	ec->paths = xcalloc(p->nescalations + 1, sizeof(*ec->paths));
	return ec;
}

void escalation_checker_free(struct escalation_checker *ec)
{
	if (!ec)
		return;
	ptrmap_release(&ec->patterns);
	ptrmap_release(&ec->stmts);
	arena_release(&ec->arena);
	free(ec->actions);
	free(ec->sources);
	free(ec->denies);
	free(ec->held);
	free(ec->paths);
	free(ec);
}

/* Return the path actions an action pattern matches, computed once. */
static const uint64_t *pattern_mask(struct escalation_checker *ec,
				    const char *pattern)
{
	uint64_t *m = ptrmap_get(&ec->patterns, pattern);
	size_t i;

	if (m)
		return m;
	m = arena_calloc(&ec->arena, ec->nwords, sizeof(*m));
	for (i = 0; i < ec->nactions; i++)
		if (match_action(pattern,
				 catalog_action_name(ec->cat, ec->actions[i])))
			mask_set(m, i);
	ptrmap_put(&ec->patterns, pattern, m);
	return m;
}

static bool action_applies(const struct escalation_checker *ec, size_t slot,
			   const char *resource)
{
	return catalog_action_applies(ec->cat,
			catalog_action(ec->cat, ec->actions[slot]), resource);
}

/* Return a statement's masks, computed once per statement. */
static const struct stmt_masks *stmt_masks(struct escalation_checker *ec,
					   const struct aws_statement *s)
{
	struct stmt_masks *m = ptrmap_get(&ec->stmts, s);
	size_t i, j;

	if (m)
		return m;
	m = arena_calloc(&ec->arena, 1, sizeof(*m));
	m->actions = arena_calloc(&ec->arena, ec->nwords, sizeof(uint64_t));
	m->applicable = arena_calloc(&ec->arena, ec->nwords, sizeof(uint64_t));
	for (i = 0; i < s->nactions; i++) {
		const uint64_t *p = pattern_mask(ec, s->actions[i]);

		for (j = 0; j < ec->nwords; j++)
			m->actions[j] |= p[j];
	}
	if (s->not_action)	/* every action but the listed ones */
		for (i = 0; i < ec->nactions; i++)
			m->actions[i / 64] ^= (uint64_t)1 << (i % 64);

	/*
	 * An action named on a resource it cannot act on (iam:PassRole on
	 * an S3 ARN) grants nothing. NotResource names nearly everything.
	 * A Deny needs no such mask.
	 */
	for (i = 0; i < ec->nactions && !s->deny; i++) {
		if (!mask_has(m->actions, i))
			continue;
		for (j = 0; j < s->nresources && !s->not_resource; j++)
			if (action_applies(ec, i, s->resources[j]))
				break;
		if (s->not_resource || j < s->nresources)
			mask_set(m->applicable, i);
	}
	ptrmap_put(&ec->stmts, s, m);
	return m;
}

/* Return whether statement s names every resource that want names. */
static bool stmt_covers(const struct aws_statement *s, const char *want)
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

static bool stmt_overlaps(const struct aws_statement *s, const char *want)
{
	size_t i;

	if (s->not_resource)
		return true;
	for (i = 0; i < s->nresources; i++)
		if (match_resource_overlap(s->resources[i], want))
			return true;
	return false;
}

static bool denied(struct escalation_checker *ec, size_t slot,
		   const char *resource)
{
	size_t i;

	for (i = 0; i < ec->ndenies; i++) {
		const struct aws_statement *d = ec->denies[i]->s;

		if (mask_has(stmt_masks(ec, d)->actions, slot) &&
		    stmt_covers(d, resource))
			return true;
	}
	return false;
}

/*
 * Return whether the permissions boundary keeps the action off the
 * resource: none of its statements allows it there, or an unconditional
 * deny of it covers the resource. A conditional allow counts as allowed.
 */
static bool outside_boundary(struct escalation_checker *ec,
			     const struct aws_policy_doc *boundary,
			     size_t slot, const char *resource)
{
	bool allowed = false;
	size_t i;

	for (i = 0; i < boundary->nstmts; i++) {
		const struct aws_statement *s = &boundary->stmts[i];

		if (!mask_has(stmt_masks(ec, s)->actions, slot))
			continue;
		if (s->deny && !s->nconds && stmt_covers(s, resource))
			return true;
		if (!s->deny && stmt_overlaps(s, resource))
			allowed = true;
	}
	return !allowed;
}

static void add_doc(struct escalation_checker *ec,
		    const struct aws_policy_doc *doc, const char *policy,
		    bool managed, const struct aws_entity *holder)
{
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->nstmts; i++) {
		grow_array((void **)&ec->sources, &ec->sources_cap,
			   ec->nsources + 1, sizeof(*ec->sources));
		ec->sources[ec->nsources++] = (struct grant_source){
			&doc->stmts[i], policy, managed, holder,
		};
	}
}

/* Gather the statements of e and of its groups, denies apart. */
static void collect_sources(struct escalation_checker *ec,
			    const struct aws_entity *e)
{
	size_t i, j;

	ec->nsources = 0;
	ec->ndenies = 0;
	for (i = 0; i <= e->ngroups; i++) {
		const struct aws_entity *h = i ? e->groups[i - 1] : e;

		for (j = 0; j < h->ninline; j++)
			add_doc(ec, h->inline_policies[j].doc,
				h->inline_policies[j].name, false, h);
		for (j = 0; j < h->nattached; j++)
			if (h->attached[j].policy)
				add_doc(ec, h->attached[j].policy->doc,
					h->attached[j].policy->name, true, h);
	}
	for (i = 0; i < ec->nsources; i++) {
		const struct aws_statement *s = ec->sources[i].s;

		if (!s->deny || s->nconds)
			continue;
		grow_array((void **)&ec->denies, &ec->denies_cap,
			   ec->ndenies + 1, sizeof(*ec->denies));
		ec->denies[ec->ndenies++] = &ec->sources[i];
	}
}

/* Return whether src should replace held as the grant to report. */
static bool better_source(const struct grant_source *held,
			  const struct grant_source *src)
{
	return !held || (held->s->nconds && !src->s->nconds);
}

/*
 * Record the path actions an Allow statement gives the identity, each
 * with the first statement that grants it without conditions, or else
 * the first that grants it at all.
 * TODO: an action counts on whatever resource it is allowed, so
 * iam:CreateAccessKey on the caller's own user ("${aws:username}") or
 * iam:CreatePolicyVersion on AWS-managed policies, which no account can
 * change, completes a path as if it reached any principal.
 */
static void grant_statement(struct escalation_checker *ec,
			    const struct aws_entity *e,
			    const struct grant_source *src)
{
	static const char *const everything[] = { "*" };
	const struct aws_policy_doc *boundary =
		e->boundary.policy ? e->boundary.policy->doc : NULL;
	const struct aws_statement *s = src->s;
	const struct stmt_masks *m = stmt_masks(ec, s);
	const char *const *res = s->resources;
	size_t nres = s->nresources, i, j;

	if (!ec->ndenies && !boundary) {
		for (i = 0; i < ec->nactions; i++)
			if (better_source(ec->held[i], src) &&
			    mask_has(m->applicable, i))
				ec->held[i] = src;
		return;
	}
	if (s->not_resource) {
		res = everything;
		nres = 1;
	}
	for (j = 0; j < nres; j++)
		for (i = 0; i < ec->nactions; i++) {
			if (!better_source(ec->held[i], src) ||
			    !mask_has(m->applicable, i) ||
			    !action_applies(ec, i, res[j]) ||
			    denied(ec, i, res[j]) ||
			    (boundary &&
			     outside_boundary(ec, boundary, i, res[j])))
				continue;
			ec->held[i] = src;
		}
}

static const char *kind_word(const struct aws_entity *e)
{
	return e->kind == AWS_ROLE ? "role" : "user";
}

/* Append "inline policy 'p' of group 'g' statement #1" to out. */
static void describe_source(struct buf *out, const struct aws_entity *e,
			    const struct grant_source *src)
{
	const struct aws_statement *s = src->s;

	buf_addf(out, "%s policy '%s'", src->managed ? "managed" : "inline",
		 src->policy);
	if (src->holder != e)
		buf_addf(out, " of group '%s'", src->holder->name);
	if (s->sid && *s->sid)
		buf_addf(out, " statement '%s'", s->sid);
	else
		buf_addf(out, " statement #%u", s->index + 1);
	if (s->nconds)
		buf_addf(out, " (under conditions)");
}

/* Append "iam:PassRole + ec2:RunInstances" to out. */
static void describe_actions(struct buf *out,
			     const struct escalation_checker *ec,
			     const struct xescalation *xe)
{
	size_t i;

	for (i = 0; i < xe->nactions; i++)
		buf_addf(out, "%s%s", i ? " + " : "",
			 catalog_action_name(ec->cat, xe->actions[i]));
}

/* Return the one statement granting every action of the paths, or NULL. */
static const struct grant_source *
single_source(const struct escalation_checker *ec, const size_t *paths,
	      size_t npaths)
{
	const struct grant_source *first = ec->held[ec->slots[paths[0]][0]];
	size_t i, j;

	for (i = 0; i < npaths; i++) {
		const struct xescalation *xe =
			&ec->cx->prog->escalations[paths[i]];

		for (j = 0; j < xe->nactions; j++)
			if (ec->held[ec->slots[paths[i]][j]] != first)
				return NULL;
	}
	return first;
}

/*
 * List in x's details, for each path, which policy and statement grant
 * each of its actions. When one statement grants them all (an
 * administrator's "*"), list the paths and that statement once.
 */
static void add_details(struct escalation_checker *ec, struct finding *x,
			const struct aws_entity *e, const size_t *paths,
			size_t npaths)
{
	const struct grant_source *only = single_source(ec, paths, npaths);
	struct buf line = BUF_INIT;
	size_t i, j;

	if (only && npaths > 1) {
		for (i = 0; i < npaths; i++)
			buf_addf(&line, "%s%s", i ? ", " : "paths: ",
				 ec->cx->prog->escalations[paths[i]].esc->name.s);
		finding_detail(ec->cx->f, x, "%s", buf_str(&line));
		buf_reset(&line);
		describe_source(&line, e, only);
		finding_detail(ec->cx->f, x, "every action of these paths: %s",
			       buf_str(&line));
		buf_release(&line);
		return;
	}
	for (i = 0; i < npaths; i++) {
		const struct xescalation *xe =
			&ec->cx->prog->escalations[paths[i]];

		buf_addf(&line, "path '%s':", xe->esc->name.s);
		for (j = 0; j < xe->nactions; j++) {
			buf_addf(&line, "%s %s from ", j ? ";" : "",
				 catalog_action_name(ec->cat, xe->actions[j]));
			describe_source(&line, e,
					ec->held[ec->slots[paths[i]][j]]);
		}
		finding_detail(ec->cx->f, x, "%s", buf_str(&line));
		buf_reset(&line);
	}
	buf_release(&line);
}

/* Report MND133 once for e, naming every path it is allowed. */
static void report(struct escalation_checker *ec, const struct aws_entity *e,
		   const struct claim *c, const size_t *paths, size_t npaths)
{
	const struct xescalation *xe = &ec->cx->prog->escalations[paths[0]];
	const char *desc = xe->esc->description.s;
	struct buf actions = BUF_INIT;
	const struct loc *at = c ? &c->identity->id.loc : &e->loc;
	const char *agent = c ? c->xa->agent->name.s : NULL;
	struct finding *x;

	describe_actions(&actions, ec, xe);
	if (!desc)
		desc = "can escalate its privileges";
	if (npaths == 1)
		x = findings_add(ec->cx->f, "MND133", at, agent, e->arn,
				 "%s '%s' is allowed every action of privilege "
				 "escalation path '%s' (%s), so it %s",
				 kind_word(e), e->arn, xe->esc->name.s,
				 buf_str(&actions), desc);
	else
		x = findings_add(ec->cx->f, "MND133", at, agent, e->arn,
				 "%s '%s' is allowed every action of %zu "
				 "privilege escalation paths, such as '%s' (%s), "
				 "so it %s",
				 kind_word(e), e->arn, npaths, xe->esc->name.s,
				 buf_str(&actions), desc);
	add_details(ec, x, e, paths, npaths);
	buf_release(&actions);
}

void escalation_check_live(struct escalation_checker *ec,
			   const struct aws_entity *e, const struct claim *c)
{
	const struct program *p = ec->cx->prog;
	size_t i, j, npaths = 0;

	collect_sources(ec, e);
	memset(ec->held, 0, ec->nactions * sizeof(*ec->held));
	for (i = 0; i < ec->nsources; i++)
		if (!ec->sources[i].s->deny)
			grant_statement(ec, e, &ec->sources[i]);

	for (i = 0; i < p->nescalations; i++) {
		const struct xescalation *xe = &p->escalations[i];

		if (!xe->nactions)
			continue;
		for (j = 0; j < xe->nactions; j++)
			if (!ec->held[ec->slots[i][j]])
				break;
		if (j == xe->nactions)
			ec->paths[npaths++] = i;
	}
	if (npaths)
		report(ec, e, c, ec->paths, npaths);
}
