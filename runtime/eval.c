#include "eval.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "condition.h"
#include "match.h"
#include "principal.h"

/*
 * Every statement gets a three-valued verdict: it applies, it does not,
 * or it cannot be decided. The verdicts of the allowing statements are
 * pooled into groups (the SCP path, the boundary, the identity
 * policies and four kinds of resource policy grant), and one monotone
 * formula per kind of request combines the groups. On a monotone
 * formula, Kleene's logic gives TRUE exactly when the request is allowed
 * whatever the undecided statements do. It gives FALSE exactly when the
 * request is denied whatever they do. So an undecided statement makes
 * the decision undetermined only when it could change it.
 */

/* The grant that a resource policy statement's Principal gives the caller. */
enum grant {
	GRANT_EXACT,		/* names the caller itself: no boundary cap */
	GRANT_EVERYONE,		/* "*" or NotPrincipal */
	GRANT_ROLE,		/* names the caller's role: boundary caps */
	GRANT_ACCOUNT,		/* names the account: delegates to identity */
};

enum group {
	GROUP_SCP,
	GROUP_BOUNDARY,
	GROUP_IDENTITY,
	GROUP_RES_EXACT,	/* GROUP_RES_EXACT + enum grant */
	GROUP_RES_EVERYONE,
	GROUP_RES_ROLE,
	GROUP_RES_ACCOUNT,
	GROUP_CAP,		/* whether a boundary caps grants to everyone */
	GROUP_COUNT,
};

struct run {
	const struct eval_policies *pol;
	const struct eval_request *req;
	struct principal who;
	bool iam;		/* identity-side policies apply */
	bool same_account;
	const char *resource_account;
};

/* A statement's verdict and, when undecided, why. */
struct verdict {
	enum truth truth;
	enum grant grant;
	const struct aws_condition *cond;
	const char *why;
};

/* A statement's place: its policy, role and SCP level. */
struct site {
	const struct eval_policy *policy;
	enum eval_role role;
	const struct eval_scp_level *level;
};

const char *eval_decision_name(enum eval_decision d)
{
	switch (d) {
	case EVAL_ALLOW:
		return "allow";
	case EVAL_IMPLICIT_DENY:
	case EVAL_EXPLICIT_DENY:
		return "deny";
	case EVAL_UNDETERMINED:
		break;
	}
	return "undetermined";
}

/*
 * The grant of a Principal that names the caller by the bits names, or
 * by "*" when everyone is set. Best first: the caller itself, everyone,
 * its role, its account.
 */
static enum grant grant_of(unsigned names, bool everyone,
			   const struct run *r)
{
	if (names & NAME_SELF)
		return r->who.type == PRINCIPAL_ROLE ? GRANT_ROLE : GRANT_EXACT;
	if (everyone)
		return GRANT_EVERYONE;
	if (names & NAME_ROLE)
		return GRANT_ROLE;
	return GRANT_ACCOUNT;
}

/* Whether the statement's Principal or NotPrincipal takes the caller. */
static enum truth principal_applies(const struct aws_statement *s,
				    const struct run *r, struct verdict *v)
{
	unsigned sure = 0, maybe = 0, specific = 0, all = r->who.names;
	bool everyone = false;
	size_t i;

	for (i = 0; i < s->nprincipals; i++) {
		unsigned e_sure, e_maybe;

		principal_entry_names(&s->principals[i], &r->who, &e_sure,
				      &e_maybe);
		sure |= e_sure;
		maybe |= e_maybe;
		if (principal_names_everyone(&s->principals[i]))
			everyone = true;
		else
			specific |= e_sure;
	}
	v->grant = GRANT_EVERYONE;
	if (s->not_principal) {
		if (s->deny && r->iam && r->pol->boundary)
			return TRUTH_TRUE;
		if ((sure & all) == all)
			return TRUTH_FALSE;
		if (((sure | maybe) & all) != all)
			return TRUTH_TRUE;
	} else {
		if (sure) {
			v->grant = grant_of(specific, everyone, r);
			return TRUTH_TRUE;
		}
		if (!maybe)
			return TRUTH_FALSE;
		v->grant = grant_of(maybe, false, r);
	}
	v->why = "a Principal entry holds a wildcard, which IAM does not "
		 "take in a principal";
	return TRUTH_UNKNOWN;
}

static bool action_applies(const struct aws_statement *s, const char *action)
{
	size_t i;

	if (!s->nactions)
		return false;
	for (i = 0; i < s->nactions; i++)
		if (match_action(s->actions[i], action))
			return !s->not_action;
	return s->not_action;
}

/* Return the number of UTF-8 characters of s. */
static size_t char_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Decide one Resource pattern against the request's resource. */
static enum truth pattern_applies(const char *text, bool variables,
				  bool negated, const struct run *r,
				  const char **why)
{
	char pattern[PATTERN_MAX];
	enum expand_result e;

	e = policyvar_expand(pattern, sizeof(pattern), text, variables, true,
			     r->req, why);
	if (e == EXPAND_UNRESOLVED && !negated)
		return TRUTH_FALSE;
	if (e == EXPAND_UNRESOLVED) {
		*why = "a NotResource variable names a key absent from the "
		       "request";
		return TRUTH_UNKNOWN;
	}
	if (e == EXPAND_UNKNOWN)
		return TRUTH_UNKNOWN;
	if (char_count(pattern) > MATCH_MAX) {
		*why = "a resource pattern is longer than 2048 characters";
		return TRUTH_UNKNOWN;
	}
	return match_resource(pattern, r->req->resource) ? TRUTH_TRUE
							 : TRUTH_FALSE;
}

static enum truth resource_applies(const struct aws_statement *s,
				   bool variables, const struct run *r,
				   struct verdict *v)
{
	enum truth any = TRUTH_FALSE;
	const char *why = NULL;
	size_t i;

	if (s->resource_implicit)
		return TRUTH_TRUE;
	if (!s->nresources)
		return TRUTH_FALSE;
	for (i = 0; i < s->nresources && any != TRUTH_TRUE; i++) {
		const char *pattern_why = NULL;
		enum truth t = pattern_applies(s->resources[i], variables,
					       s->not_resource, r,
					       &pattern_why);

		if (t == TRUTH_UNKNOWN && !why)
			why = pattern_why;
		any = truth_or(any, t);
	}
	if (any == TRUTH_UNKNOWN)
		v->why = why;
	return s->not_resource ? truth_not(any) : any;
}

static enum truth conditions_apply(const struct aws_statement *s,
				   bool variables, const struct run *r,
				   struct verdict *v)
{
	enum truth all = TRUTH_TRUE;
	size_t i;

	for (i = 0; i < s->nconds && all != TRUTH_FALSE; i++) {
		const char *why = NULL;
		enum truth t = condition_eval(&s->conds[i], variables, r->req,
					      &why);

		if (t == TRUTH_UNKNOWN && !v->cond && !v->why) {
			v->cond = &s->conds[i];
			v->why = why;
		}
		all = truth_and(all, t);
	}
	return all;
}

/* Decide whether statement s of a policy in role applies to the request. */
static void statement_eval(const struct run *r, enum eval_role role,
			   const struct aws_policy_doc *doc,
			   const struct aws_statement *s, struct verdict *v)
{
	bool variables = doc->version && !strcmp(doc->version, "2012-10-17");
	enum truth t;

	memset(v, 0, sizeof(*v));
	v->truth = TRUTH_FALSE;
	v->grant = GRANT_EXACT;
	if (!action_applies(s, r->req->action))
		return;
	t = resource_applies(s, variables, r, v);
	if (t != TRUTH_FALSE && role == EVAL_RESOURCE)
		t = truth_and(t, principal_applies(s, r, v));
	if (t != TRUTH_FALSE)
		t = truth_and(t, conditions_apply(s, variables, r, v));
	if (t != TRUTH_UNKNOWN) {
		v->cond = NULL;
		v->why = NULL;
	}
	v->truth = t;
}

typedef void statement_fn(const struct run *r, const struct site *site,
			  const struct aws_statement *s,
			  const struct verdict *v, void *arg);

static void visit_policies(const struct run *r, const struct eval_policy *p,
			   size_t n, enum eval_role role,
			   const struct eval_scp_level *level,
			   statement_fn *fn, void *arg)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		struct site site = { &p[i], role, level };

		if (!p[i].doc)
			continue;
		for (j = 0; j < p[i].doc->nstmts; j++) {
			const struct aws_statement *s = &p[i].doc->stmts[j];
			struct verdict v;

			statement_eval(r, role, p[i].doc, s, &v);
			fn(r, &site, s, &v, arg);
		}
	}
}

/* Call fn for every statement of every policy that applies to the caller. */
static void visit(const struct run *r, statement_fn *fn, void *arg)
{
	const struct eval_policies *pol = r->pol;
	size_t i;

	if (r->iam) {
		visit_policies(r, pol->identity, pol->nidentity, EVAL_IDENTITY,
			       NULL, fn, arg);
		if (pol->boundary)
			visit_policies(r, pol->boundary, 1, EVAL_BOUNDARY, NULL,
				       fn, arg);
		for (i = 0; i < pol->nscp; i++)
			visit_policies(r, pol->scp[i].policies,
				       pol->scp[i].npolicies, EVAL_SCP,
				       &pol->scp[i], fn, arg);
	}
	visit_policies(r, pol->resource, pol->nresource, EVAL_RESOURCE, NULL,
		       fn, arg);
}

/* The pooled verdicts of a request. */
struct tally {
	size_t denies;		/* Deny statements that apply */
	size_t undecided_denies;
	enum truth group[GROUP_COUNT];
	/* The first SCP level with no allow that applies, or NULL. */
	const struct eval_scp_level *scp_failed;
};

static void tally_statement(const struct run *r, const struct site *site,
			    const struct aws_statement *s,
			    const struct verdict *v, void *arg)
{
	struct tally *t = arg;
	enum group g;

	(void)r;
	if (v->truth == TRUTH_FALSE)
		return;
	if (s->deny) {
		if (v->truth == TRUTH_TRUE)
			t->denies++;
		else
			t->undecided_denies++;
		return;
	}
	switch (site->role) {
	case EVAL_IDENTITY:
		g = GROUP_IDENTITY;
		break;
	case EVAL_BOUNDARY:
		g = GROUP_BOUNDARY;
		break;
	case EVAL_RESOURCE:
		g = (enum group)(GROUP_RES_EXACT + v->grant);
		break;
	default:
		return;		/* SCP levels are pooled by scp_level */
	}
	t->group[g] = truth_or(t->group[g], v->truth);
}

static void level_statement(const struct run *r, const struct site *site,
			    const struct aws_statement *s,
			    const struct verdict *v, void *arg)
{
	enum truth *level = arg;

	(void)r;
	(void)site;
	if (!s->deny)
		*level = truth_or(*level, v->truth);
}

/* Return whether some allow statement of one SCP level applies. */
static enum truth scp_level(const struct run *r,
			    const struct eval_scp_level *level)
{
	enum truth t = TRUTH_FALSE;

	visit_policies(r, level->policies, level->npolicies, EVAL_SCP, level,
		       level_statement, &t);
	return t;
}

static void tally_init(const struct run *r, struct tally *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < GROUP_COUNT; i++)
		t->group[i] = TRUTH_FALSE;
	t->group[GROUP_SCP] = TRUTH_TRUE;
	t->group[GROUP_BOUNDARY] = r->pol->boundary ? TRUTH_FALSE : TRUTH_TRUE;
	t->group[GROUP_CAP] = r->pol->boundary ? TRUTH_UNKNOWN : TRUTH_TRUE;
	if (r->iam && r->who.type == PRINCIPAL_ROOT)
		t->group[GROUP_IDENTITY] = TRUTH_TRUE;	/* the root user */
	if (!r->iam)
		return;
	for (i = 0; i < r->pol->nscp; i++) {
		enum truth level = scp_level(r, &r->pol->scp[i]);

		if (level == TRUTH_FALSE && !t->scp_failed)
			t->scp_failed = &r->pol->scp[i];
		t->group[GROUP_SCP] = truth_and(t->group[GROUP_SCP], level);
	}
}

/*
 * Return whether the groups g allow the request. Within one account, a
 * resource policy grant to the caller itself is enough, and so is one
 * to every principal unless a boundary caps it. Identity policies and
 * grants to the caller's role need the boundary too, and identity
 * policies need a resource policy grant when the resource policy is
 * required (a trust or key policy). Across accounts,
 * both sides must allow. Callers other than IAM principals need a
 * resource policy grant and nothing else.
 */
static enum truth allow_formula(const struct run *r, const enum truth *g)
{
	enum truth grant, resource_any;

	if (!r->iam)
		return truth_or(g[GROUP_RES_EXACT], g[GROUP_RES_EVERYONE]);
	resource_any = truth_or(g[GROUP_RES_EXACT], g[GROUP_RES_EVERYONE]);
	resource_any = truth_or(resource_any, g[GROUP_RES_ROLE]);
	resource_any = truth_or(resource_any, g[GROUP_RES_ACCOUNT]);
	if (r->same_account) {
		grant = g[GROUP_IDENTITY];
		if (r->pol->resource_required)
			grant = truth_and(grant, resource_any);
		grant = truth_or(grant, g[GROUP_RES_ROLE]);
		grant = truth_or(grant, g[GROUP_RES_EVERYONE]);
		grant = truth_and(g[GROUP_BOUNDARY], grant);
		grant = truth_or(grant, truth_and(g[GROUP_RES_EVERYONE],
						  g[GROUP_CAP]));
		grant = truth_or(grant, g[GROUP_RES_EXACT]);
		return truth_and(g[GROUP_SCP], grant);
	}
	grant = truth_and(g[GROUP_BOUNDARY], g[GROUP_IDENTITY]);
	return truth_and(g[GROUP_SCP], truth_and(grant, resource_any));
}

/* Return whether settling group i, now unknown, could change the result. */
static bool group_matters(const struct run *r, const struct tally *t,
			  size_t i)
{
	enum truth g[GROUP_COUNT];
	enum truth if_true, if_false;

	if (t->group[i] != TRUTH_UNKNOWN)
		return false;
	memcpy(g, t->group, sizeof(g));
	g[i] = TRUTH_TRUE;
	if_true = allow_formula(r, g);
	g[i] = TRUTH_FALSE;
	if_false = allow_formula(r, g);
	return if_true != if_false;
}

/* A filter for the statements to list in the result. */
struct pick {
	bool deny;			/* Deny statements, else allows */
	enum truth truth;		/* with this verdict */
	bool groups[GROUP_COUNT];	/* allows of these groups */
	const char *why;		/* override a pick's reason */
	struct eval_result *out;
	size_t total;			/* picked, listed or not */
};

static bool picked_group(const struct run *r, const struct pick *p,
			 const struct site *site, const struct verdict *v)
{
	switch (site->role) {
	case EVAL_IDENTITY:
		return p->groups[GROUP_IDENTITY];
	case EVAL_BOUNDARY:
		return p->groups[GROUP_BOUNDARY];
	case EVAL_SCP:
		return p->groups[GROUP_SCP] &&
		       (p->truth != TRUTH_UNKNOWN ||
			scp_level(r, site->level) == TRUTH_UNKNOWN);
	case EVAL_RESOURCE:
		return p->groups[GROUP_RES_EXACT + v->grant];
	}
	return false;
}

static void pick_statement(const struct run *r, const struct site *site,
			   const struct aws_statement *s,
			   const struct verdict *v, void *arg)
{
	struct pick *p = arg;
	struct eval_match *m;

	if (s->deny != p->deny || v->truth != p->truth ||
	    (!s->deny && !picked_group(r, p, site, v)))
		return;
	p->total++;
	if (p->out->nmatches >= EVAL_MAX_MATCHES)
		return;
	m = &p->out->matches[p->out->nmatches++];
	m->policy = site->policy;
	m->role = site->role;
	m->level = site->level;
	m->stmt = s;
	m->undecided = v->truth == TRUTH_UNKNOWN || p->why;
	m->cond = p->why ? NULL : v->cond;
	m->why = p->why ? p->why : v->why;
}

/* List the statements p picks; returns how many there were. */
static size_t pick(const struct run *r, struct pick *p)
{
	visit(r, pick_statement, p);
	return p->total;
}

static void pick_init(struct pick *p, bool deny, enum truth truth,
		      struct eval_result *out)
{
	memset(p, 0, sizeof(*p));
	p->deny = deny;
	p->truth = truth;
	p->out = out;
}

/* The reason text, cut short when it fills the buffer. */
struct text {
	char *s;
	size_t size, len;
};

static void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->s + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->len += (size_t)n;
	if (t->len >= t->size)
		t->len = t->size - 1;
}

static struct text reason_text(struct eval_result *out)
{
	struct text t = { out->reason, sizeof(out->reason), 0 };

	out->reason[0] = '\0';
	return t;
}

/* Append "statement 'Sid' of POLICY" for m. */
static void add_match(struct text *t, const struct eval_match *m)
{
	const char *name = m->policy->name ? m->policy->name : "(unnamed)";

	if (m->stmt->sid)
		text_add(t, "statement '%s' of ", m->stmt->sid);
	else
		text_add(t, "statement #%u of ", m->stmt->index + 1);
	switch (m->role) {
	case EVAL_IDENTITY:
	case EVAL_RESOURCE:
		text_add(t, "%s", name);
		break;
	case EVAL_BOUNDARY:
		text_add(t, "permissions boundary %s", name);
		break;
	case EVAL_SCP:
		text_add(t, "SCP %s at %s", name,
			 m->level && m->level->target ? m->level->target : "?");
		break;
	}
}

static void add_more(struct text *t, size_t total)
{
	if (total > 1)
		text_add(t, " (and %zu more)", total - 1);
}

static void explain_deny(struct eval_result *out, size_t total)
{
	struct text t = reason_text(out);

	if (!out->nmatches) {
		text_add(&t, "denied");
		return;
	}
	text_add(&t, "denied by ");
	add_match(&t, &out->matches[0]);
	add_more(&t, total);
}

static void explain_undetermined(struct eval_result *out, size_t total)
{
	const struct eval_match *m = &out->matches[0];
	struct text t = reason_text(out);

	if (!out->nmatches) {
		text_add(&t, "undetermined");
		return;
	}
	text_add(&t, "undetermined: ");
	add_match(&t, m);
	text_add(&t, " cannot be decided: ");
	if (m->cond && !strcmp(m->why, "unknown condition operator"))
		text_add(&t, "unknown condition operator '%s'", m->cond->op);
	else if (m->cond)
		text_add(&t, "%s on '%s': %s", m->cond->op, m->cond->key,
			 m->why);
	else
		text_add(&t, "%s", m->why ? m->why : "undecided");
	add_more(&t, total);
}

static void explain_allow(struct eval_result *out, bool two_sides,
			  size_t resource_grant)
{
	struct text t = reason_text(out);

	if (!out->nmatches) {
		text_add(&t, "allowed for the account's root user, whom "
			 "identity policies do not limit");
		return;
	}
	text_add(&t, "allowed by ");
	add_match(&t, &out->matches[0]);
	if (two_sides && resource_grant > 0 &&
	    resource_grant < out->nmatches) {
		text_add(&t, " and ");
		add_match(&t, &out->matches[resource_grant]);
	}
}

static void add_caller(struct text *t, const struct eval_request *req)
{
	switch (req->principal_kind) {
	case EVAL_PRINCIPAL_IAM:
		text_add(t, "%s", req->principal);
		break;
	case EVAL_PRINCIPAL_SERVICE:
		text_add(t, "service %s", req->principal);
		break;
	case EVAL_PRINCIPAL_ANONYMOUS:
		text_add(t, "anonymous callers");
		break;
	case EVAL_PRINCIPAL_FEDERATED:
		text_add(t, "federated principal %s", req->principal);
		break;
	case EVAL_PRINCIPAL_CANONICAL_USER:
		text_add(t, "canonical user %s", req->principal);
		break;
	}
}

/* Explain an implicit deny by the first part that failed to allow. */
static void explain_implicit(const struct run *r, const struct tally *t,
			     struct eval_result *out)
{
	const struct eval_request *req = r->req;
	const enum truth *g = t->group;
	struct text x = reason_text(out);

	if (!r->iam) {
		text_add(&x, "no resource policy allows %s on %s for ",
			 req->action, req->resource);
		add_caller(&x, req);
	} else if (t->scp_failed) {
		text_add(&x, "no statement of the service control policies at "
			 "%s allows %s",
			 t->scp_failed->target ? t->scp_failed->target : "?",
			 req->action);
	} else if (g[GROUP_BOUNDARY] == TRUTH_FALSE &&
		   (g[GROUP_IDENTITY] == TRUTH_TRUE ||
		    g[GROUP_RES_ROLE] == TRUTH_TRUE || !r->same_account)) {
		text_add(&x, "no statement of permissions boundary %s allows "
			 "%s on %s", r->pol->boundary->name, req->action,
			 req->resource);
	} else if (r->same_account && r->pol->resource_required &&
		   g[GROUP_IDENTITY] == TRUTH_TRUE) {
		text_add(&x, "no statement of the resource's own policy "
			 "allows %s on %s for %s, and identity policies "
			 "alone do not grant it", req->action, req->resource,
			 req->principal);
	} else if (r->same_account) {
		text_add(&x, "no identity or resource policy allows %s on %s",
			 req->action, req->resource);
	} else if (g[GROUP_IDENTITY] == TRUTH_FALSE) {
		text_add(&x, "no identity policy allows %s on %s, which a "
			 "request to account %s needs", req->action,
			 req->resource, r->resource_account);
	} else {
		text_add(&x, "no resource policy of account %s allows %s on %s "
			 "for %s", r->resource_account, req->action,
			 req->resource, req->principal);
	}
}

/*
 * List the allowing statements: the identity grants, the resource
 * policy grants, then the boundary and SCP statements that let them
 * through.
 */
static void list_allows(const struct run *r, const struct tally *t,
			struct eval_result *out)
{
	bool same_exact = r->same_account &&
			  t->group[GROUP_RES_EXACT] == TRUTH_TRUE;
	struct pick p;
	size_t resource_grant;
	int i;

	pick_init(&p, false, TRUTH_TRUE, out);
	p.groups[GROUP_IDENTITY] = r->iam && !same_exact;
	pick(r, &p);
	resource_grant = out->nmatches;
	pick_init(&p, false, TRUTH_TRUE, out);
	for (i = GROUP_RES_EXACT; i <= GROUP_RES_ACCOUNT; i++)
		p.groups[i] = !(r->iam && r->same_account &&
				!r->pol->resource_required &&
				i == GROUP_RES_ACCOUNT);
	pick(r, &p);
	pick_init(&p, false, TRUTH_TRUE, out);
	p.groups[GROUP_BOUNDARY] = true;
	p.groups[GROUP_SCP] = true;
	if (r->iam)
		pick(r, &p);
	explain_allow(out, r->iam && !r->same_account, resource_grant);
}

/* List the undecided statements that could change the decision. */
static size_t list_undecided(const struct run *r, const struct tally *t,
			     enum truth allow, struct eval_result *out)
{
	struct pick p;
	size_t total = 0, i;

	if (t->undecided_denies) {
		pick_init(&p, true, TRUTH_UNKNOWN, out);
		total += pick(r, &p);
	}
	if (allow != TRUTH_UNKNOWN)
		return total;
	pick_init(&p, false, TRUTH_UNKNOWN, out);
	for (i = 0; i < GROUP_CAP; i++)
		p.groups[i] = group_matters(r, t, i);
	total += pick(r, &p);
	if (group_matters(r, t, GROUP_CAP)) {
		pick_init(&p, false, TRUTH_TRUE, out);
		p.groups[GROUP_RES_EVERYONE] = true;
		p.why = "a grant to every principal under a permissions "
			"boundary that does not allow, which IAM does not "
			"document";
		total += pick(r, &p);
	}
	return total;
}

static void decide(const struct run *r, struct eval_result *out)
{
	struct tally t;
	struct pick p;
	enum truth allow;

	tally_init(r, &t);
	visit(r, tally_statement, &t);
	if (t.denies) {
		out->decision = EVAL_EXPLICIT_DENY;
		pick_init(&p, true, TRUTH_TRUE, out);
		explain_deny(out, pick(r, &p));
		return;
	}
	allow = allow_formula(r, t.group);
	out->may_allow = allow != TRUTH_FALSE;
	if (allow == TRUTH_TRUE && !t.undecided_denies) {
		out->decision = EVAL_ALLOW;
		list_allows(r, &t, out);
	} else if (allow == TRUTH_FALSE && !t.undecided_denies) {
		out->decision = EVAL_IMPLICIT_DENY;
		explain_implicit(r, &t, out);
	} else {
		out->decision = EVAL_UNDETERMINED;
		explain_undetermined(out, list_undecided(r, &t, allow, out));
	}
}

/* Fill r from the request; false with a reason when it cannot be read. */
static bool run_init(struct run *r, const struct eval_policies *pol,
		     const struct eval_request *req, struct eval_result *out)
{
	memset(r, 0, sizeof(*r));
	r->pol = pol;
	r->req = req;
	if (!req->action || !req->resource) {
		struct text t = reason_text(out);

		text_add(&t, "the request has no %s",
			 req->action ? "resource" : "action");
		return false;
	}
	if (!principal_parse(&r->who, req->principal_kind, req->principal)) {
		struct text t = reason_text(out);

		text_add(&t, "principal '%s' is not the ARN of a user, role, "
			 "assumed-role session, federated user or root",
			 req->principal ? req->principal : "");
		return false;
	}
	if (req->principal_kind != EVAL_PRINCIPAL_IAM) {
		if (!req->principal &&
		    req->principal_kind != EVAL_PRINCIPAL_ANONYMOUS) {
			struct text t = reason_text(out);

			text_add(&t, "the request names no principal");
			return false;
		}
		return true;
	}
	r->iam = true;
	r->resource_account = pol->resource_account ? pol->resource_account
						    : r->who.account;
	r->same_account = !strcmp(r->resource_account, r->who.account);
	return true;
}

void eval_request(const struct eval_policies *pol,
		  const struct eval_request *req, struct eval_result *out)
{
	struct run r;

	memset(out, 0, sizeof(*out));
	if (!run_init(&r, pol, req, out)) {
		out->decision = EVAL_UNDETERMINED;
		out->may_allow = true;
		return;
	}
	decide(&r, out);
}
