#include "common.h"
#include "rules.h"

#include <ctype.h>
#include <strings.h>

#include "buf.h"
#include "match.h"
#include "pcrelib.h"

/* A justification shorter than this cannot say why an agent exists. */
#define JUSTIFICATION_MIN 20

/*
 * Limits on one match of a gate pattern, so that a pattern that
 * backtracks wildly fails the run in milliseconds. With PCRE2's default
 * match limit of 10,000,000, ^(?:(.|.)*#|.+)$ took about 20 ms on each
 * owner of 400 agents, 15.6 s of CPU in all.
 *
 * MATCH_LIMIT: one step of PCRE2's match limit took about 10 ns on the
 * Xeon core where this was measured, so one match costs at most about
 * 1 ms. ^(?:[a-z]|\.)+@example\.com$ takes 4,075 steps on an address of
 * 2,048 bytes, the longest string a spec may hold.
 *
 * DEPTH_LIMIT: a repeated group such as (?:[a-z]|\.)+ keeps about two
 * backtracking frames per character of the subject, each in heap
 * memory: that pattern needs a depth of 485 on an address of 253
 * characters and 4,075 on one of 2,048 bytes. 10,000 admits twice that
 * and keeps the frames to a few MB.
 */
#define MATCH_LIMIT 100000
#define DEPTH_LIMIT 10000

/* A compiled gate pattern, with the field and the string it came from. */
struct gate_pattern {
	pcre2_code *re;		/* NULL unless the gate sets the field */
	const struct sval *text;
	const char *field;
	bool failed;		/* a match failed, so the run fails */
};

struct spec_checker {
	struct check_context *cx;
	struct diag *d;
	struct gate_pattern owner;
	struct gate_pattern name;
	pcre2_match_data *md;	/* NULL unless a pattern is set */
	pcre2_match_context *mcx;	/* as md */
};

void gate_settings_from_unit(struct gate_settings *g,
			     const struct spec_unit *u)
{
	g->fail_on = GATE_DEFAULT_FAIL_ON;
	g->max_review_interval = GATE_DEFAULT_MAX_REVIEW;
	g->max_rotation = GATE_DEFAULT_MAX_ROTATION;
	if (!u->gate.present)
		return;
	if (u->gate.fail_on_set)
		g->fail_on = u->gate.fail_on;
	if (u->gate.max_review_interval.set)
		g->max_review_interval = u->gate.max_review_interval.seconds;
	if (u->gate.max_rotation.set)
		g->max_rotation = u->gate.max_rotation.seconds;
}

/*
 * Compile a gate pattern, loading PCRE2 first, and report PCRE2's
 * message at the string.
 */
static int compile_pattern(struct gate_pattern *out, const struct sval *s,
			   const char *field, struct diag *d)
{
	int code;
	PCRE2_SIZE offset;
	PCRE2_UCHAR msg[256];

	out->re = NULL;
	out->text = s;
	out->field = field;
	out->failed = false;
	if (!s->s)
		return 0;
	if (pcrelib_load(d, &s->loc, field) < 0)
		return -1;
	out->re = pcre2.compile((PCRE2_SPTR)s->s, PCRE2_ZERO_TERMINATED,
				PCRELIB_COMPILE_OPTIONS, &code, &offset, NULL);
	if (out->re)
		return 0;
	pcre2.get_error_message(code, msg, sizeof(msg));
	diag_at(d, DIAG_ERROR, &s->loc, "invalid %s at offset %zu: %s", field,
		(size_t)offset, (const char *)msg);
	return -1;
}

/*
 * Return whether the pattern gp matches s. Any error of pcre2_match, such
 * as a match or depth limit reached, is reported at the pattern once,
 * and marks it failed: the run then fails, and a failed pattern matches
 * every later subject so it adds no finding.
 */
static bool re_matches(struct spec_checker *sc, struct gate_pattern *gp,
		       const char *s)
{
	PCRE2_UCHAR msg[256];
	int rc;

	if (gp->failed)
		return true;
	rc = pcre2.match(gp->re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0,
			 sc->md, sc->mcx);
	if (rc >= 0)
		return true;
	if (rc == PCRE2_ERROR_NOMATCH)
		return false;
	pcre2.get_error_message(rc, msg, sizeof(msg));
	diag_at(sc->d, DIAG_ERROR, &gp->text->loc, "matching %s against '%s' "
		"failed: %s; write a pattern that backtracks less",
		gp->field, s, (const char *)msg);
	gp->failed = true;
	return true;
}

static const char *name_of(const struct agent *a)
{
	return a->name.s;
}

static void check_owner(struct spec_checker *sc, const struct agent *a,
			const struct sval *owner, const char *role,
			const char *missing_rule)
{
	struct findings *f = sc->cx->f;
	const struct loc *at = a->owner.present ? &a->owner.loc : &a->loc;

	if (!owner->s || !*owner->s) {
		findings_add(f, missing_rule, owner->s ? &owner->loc : at,
			     name_of(a), NULL, "agent '%s' has no %s owner",
			     name_of(a), role);
		return;
	}
	if (!text_is_email(owner->s)) {
		findings_add(f, "MND103", &owner->loc, name_of(a), NULL,
			     "%s owner '%s' is not an email address", role,
			     owner->s);
		return;
	}
	if (sc->owner.re && !re_matches(sc, &sc->owner, owner->s))
		findings_add(f, "MND103", &owner->loc, name_of(a), NULL,
			     "%s owner '%s' does not match the gate's "
			     "owner_pattern '%s'", role, owner->s,
			     sc->cx->unit->gate.owner_pattern.s);
}

static void check_owners(struct spec_checker *sc, const struct agent *a)
{
	const struct sval *tech = &a->owner.technical;
	const struct sval *biz = &a->owner.business;

	check_owner(sc, a, tech, "technical", "MND101");
	check_owner(sc, a, biz, "business", "MND102");
	if (tech->s && biz->s && *tech->s && !strcasecmp(tech->s, biz->s))
		findings_add(sc->cx->f, "MND104", &biz->loc, name_of(a), NULL,
			     "'%s' is both the technical and the business "
			     "owner", biz->s);
	if (sc->name.re && !re_matches(sc, &sc->name, name_of(a)))
		findings_add(sc->cx->f, "MND105", &a->name.loc, name_of(a),
			     NULL, "agent name '%s' does not match the gate's "
			     "agent_name_pattern '%s'", name_of(a),
			     sc->cx->unit->gate.agent_name_pattern.s);
}

static size_t trimmed_length(const char *s)
{
	const char *end = s + strlen(s);

	while (*s && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	return (size_t)(end - s);
}

static void check_justification(struct spec_checker *sc,
				const struct agent *a)
{
	const struct sval *j = &a->justification;
	struct findings *f = sc->cx->f;

	if (!j->s || !trimmed_length(j->s))
		findings_add(f, "MND110", j->s ? &j->loc : &a->loc, name_of(a),
			     NULL, "agent '%s' has no justification",
			     name_of(a));
	else if (text_is_placeholder(j->s))
		findings_add(f, "MND110", &j->loc, name_of(a), NULL,
			     "justification '%s' is a placeholder", j->s);
	else if (trimmed_length(j->s) < JUSTIFICATION_MIN)
		findings_add(f, "MND110", &j->loc, name_of(a), NULL,
			     "justification '%s' is too short to explain "
			     "the agent (fewer than %d characters)", j->s,
			     JUSTIFICATION_MIN);
}

static void check_lifecycle(struct spec_checker *sc, const struct agent *a)
{
	const struct review_block *r = &a->review;
	const struct gate_settings *g = &sc->cx->gate;
	struct findings *f = sc->cx->f;
	int32_t today = sc->cx->today;
	char date[11], limit[32], every[32];
	int64_t cadence;

	duration_format(g->max_review_interval, limit);
	if (!r->present || !r->every.set)
		findings_add(f, "MND122", r->present ? &r->loc : &a->loc,
			     name_of(a), NULL,
			     "agent '%s' has no review cadence; the gate "
			     "requires one of at most %s", name_of(a), limit);
	else if (r->every.seconds > g->max_review_interval) {
		duration_format(r->every.seconds, every);
		findings_add(f, "MND122", &r->every.loc, name_of(a), NULL,
			     "review cadence %s is longer than the gate's "
			     "maximum of %s", every, limit);
	}

	cadence = r->every.set ? r->every.seconds : g->max_review_interval;
	if (!r->last.set) {
		findings_add(f, "MND120", r->present ? &r->loc : &a->loc,
			     name_of(a), NULL,
			     "agent '%s' has no recorded review", name_of(a));
	} else if (r->last.days > today) {
		date_format(r->last.days, date);
		findings_add(f, "MND120", &r->last.loc, name_of(a), NULL,
			     "last review %s is after today; record the date of "
			     "a review that took place", date);
	} else {
		int64_t due = r->last.days + (cadence + 86399) / 86400;

		if (due < today) {
			date_format((int32_t)due, date);
			findings_add(f, "MND120", &r->last.loc, name_of(a),
				     NULL, "review was due on %s, %lld day%s "
				     "ago", date, (long long)(today - due),
				     plural(today - due));
		}
	}

	if (!a->expires.set) {
		findings_add(f, "MND123", &a->loc, name_of(a), NULL,
			     "agent '%s' has no expiry date", name_of(a));
	} else if (a->expires.days < today) {
		date_format(a->expires.days, date);
		findings_add(f, "MND121", &a->expires.loc, name_of(a), NULL,
			     "agent expired on %s, %d day%s ago", date,
			     (int)(today - a->expires.days),
			     plural(today - a->expires.days));
	}
}

static void check_credentials(struct spec_checker *sc, const struct agent *a)
{
	const struct credentials_block *cr = &a->credentials;
	const struct gate_settings *g = &sc->cx->gate;
	struct findings *f = sc->cx->f;
	char rotate[32], limit[32];

	if (a->kind == AGENT_AI_AGENT) {
		if (cr->long_lived_keys.set && cr->long_lived_keys.v)
			findings_add(f, "MND150", &cr->long_lived_keys.loc,
				     name_of(a), NULL,
				     "AI agent '%s' allows long-lived keys",
				     name_of(a));
		else if (!cr->long_lived_keys.set)
			findings_add(f, "MND150",
				     cr->present ? &cr->loc : &a->loc,
				     name_of(a), NULL,
				     "AI agent '%s' does not forbid long-lived "
				     "keys (long_lived_keys = false)",
				     name_of(a));
	}
	if (cr->rotate.set && cr->rotate.seconds > g->max_rotation) {
		duration_format(cr->rotate.seconds, rotate);
		duration_format(g->max_rotation, limit);
		findings_add(f, "MND150", &cr->rotate.loc, name_of(a), NULL,
			     "key rotation every %s is longer than the gate's "
			     "maximum of %s", rotate, limit);
	}
}

static void check_audit(struct spec_checker *sc, const struct agent *a)
{
	const struct audit_block *au = &a->audit;

	if (a->kind != AGENT_AI_AGENT || au->decisions == AUDIT_REQUIRED)
		return;
	findings_add(sc->cx->f, "MND160",
		     au->decisions != AUDIT_UNSET ? &au->decisions_loc
		     : au->present ? &au->loc : &a->loc,
		     name_of(a), NULL,
		     "AI agent '%s' does not require decision logging",
		     name_of(a));
}

static bool pattern_has_wildcard(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

static bool is_service_wildcard(const char *s)
{
	size_t n = strlen(s);

	return !strcmp(s, "*") || (n >= 2 && !strcmp(s + n - 2, ":*"));
}

/* MND130: a wildcard action, or a pattern reaching write access. */
static void check_wildcard_actions(struct spec_checker *sc,
				   const struct xgrant *x)
{
	const struct grant *g = x->grant;
	const struct catalog *cat = sc->cx->cat;
	struct actset set;
	size_t i;

	if (g->deny || g->levels)
		return;
	actset_init(&set, catalog_count(cat));
	for (i = 0; i < g->actions.n; i++) {
		const struct sval *a = &g->actions.items[i];
		unsigned levels = 0;
		uint32_t id;

		if (!pattern_has_wildcard(a->s))
			continue;
		if (is_service_wildcard(a->s)) {
			findings_add(sc->cx->f, "MND130", &a->loc,
				     g->agent->name.s, NULL,
				     "wildcard action '%s'", a->s);
			continue;
		}
		actset_clear(&set);
		catalog_match_actions(cat, a->s, &set);
		actset_foreach(&set, id)
			levels |= catalog_action(cat, id)->level;
		if (levels & (ACCESS_WRITE | ACCESS_PERMISSIONS))
			findings_add(sc->cx->f, "MND130", &a->loc,
				     g->agent->name.s, NULL,
				     "action pattern '%s' reaches %s actions",
				     a->s, levels & ACCESS_PERMISSIONS
					     ? "permissions-management"
					     : "write");
	}
	actset_release(&set);
}

/*
 * MND131: a resource pattern that names every resource of the actions'
 * types, such as "*" or "arn:aws:dynamodb:*", for actions that could
 * have been scoped.
 */
static void check_wildcard_resources(struct spec_checker *sc,
				     const struct xgrant *x)
{
	const struct catalog *cat = sc->cx->cat;
	size_t i, j;

	if (x->deny)
		return;
	for (i = 0; i < x->nres; i++) {
		const struct xresource *r = &x->res[i];
		const char *example = NULL;
		size_t scoped = 0;
		struct everywhere e;

		everywhere_init(&e, cat, r->pattern);
		for (j = 0; j < r->nactions; j++) {
			const struct cat_action *a =
				catalog_action(cat, r->actions[j]);

			if (!a->nrtypes || !everywhere_action(&e, a))
				continue;
			if (!scoped++)
				example = catalog_text(cat, a->name);
		}
		everywhere_release(&e);
		if (scoped)
			findings_add(sc->cx->f, "MND131", &r->loc,
				     x->grant->agent->name.s, NULL,
				     "resource '%s' for %zu action%s that "
				     "support%s resource-level permissions, "
				     "such as '%s'", r->pattern, scoped,
				     plural((long long)scoped),
				     scoped == 1 ? "s" : "", example);
	}
}

/* Return the first action of x at one of the levels, for messages. */
static const char *first_action_at(const struct catalog *cat,
				   const struct xgrant *x, unsigned levels)
{
	size_t i, j;

	for (i = 0; i < x->nres; i++)
		for (j = 0; j < x->res[i].nactions; j++) {
			const struct cat_action *a =
				catalog_action(cat, x->res[i].actions[j]);

			if (a->level & levels)
				return catalog_text(cat, a->name);
		}
	return "";
}

static const char *level_word(unsigned levels)
{
	if (levels & ACCESS_PERMISSIONS)
		return "permissions-management";
	if (levels & ACCESS_WRITE)
		return "write";
	return "tagging";
}

/*
 * Return whether an action of r at one of levels can act on a resource
 * that a pattern of class rc names: a resource of "*" overlaps every
 * class, but lambda:InvokeFunction cannot touch an S3 object.
 *
 * Each class pattern is taken in turn across every action, so that for
 * a grant of all 22,000 actions the catalog reuses the overlaps it
 * keeps of the last pattern with each resource type.
 */
static bool reaches_class(const struct catalog *cat,
			  const struct xresource *r, unsigned levels,
			  const struct resource_class *rc)
{
	size_t i, j;

	for (j = 0; j < rc->match.n; j++)
		for (i = 0; i < r->nactions; i++) {
			const struct cat_action *a =
				catalog_action(cat, r->actions[i]);

			if ((a->level & levels) &&
			    catalog_action_overlap(cat, a, r->pattern,
						   rc->match.items[j].s))
				return true;
		}
	return false;
}

/*
 * Return the restricted class that an action of x at one of levels can
 * act on through x's resources, or NULL.
 */
static const struct resource_class *
restricted_class(const struct catalog *cat, const struct spec_unit *u,
		 const struct xgrant *x, unsigned levels)
{
	const struct resource_class *rc;
	size_t i;

	for (rc = u->classes; rc; rc = rc->next) {
		if (rc->sensitivity != SENSITIVITY_RESTRICTED)
			continue;
		for (i = 0; i < x->nres; i++)
			if (reaches_class(cat, &x->res[i], levels, rc))
				return rc;
	}
	return NULL;
}

static void check_grant(struct spec_checker *sc, const struct xgrant *x)
{
	const struct grant *g = x->grant;
	const struct catalog *cat = sc->cx->cat;
	struct findings *f = sc->cx->f;
	const char *agent = g->agent->name.s;
	const unsigned sensitive = ACCESS_WRITE | ACCESS_TAGGING |
				   ACCESS_PERMISSIONS;
	const struct resource_class *rc;

	check_wildcard_actions(sc, x);
	check_wildcard_resources(sc, x);
	if (x->deny)
		return;

	if ((x->levels & sensitive) && !g->because.s)
		findings_add(f, "MND111", &g->loc, agent, NULL,
			     "grant of %s access ('%s') has no because",
			     level_word(x->levels),
			     first_action_at(cat, x, x->levels & sensitive));
	if ((x->levels & ACCESS_PERMISSIONS) && !g->approver.s)
		findings_add(f, "MND132", &g->loc, agent, NULL,
			     "grant of permissions-management access ('%s') "
			     "has no approver",
			     first_action_at(cat, x, ACCESS_PERMISSIONS));
	if ((x->levels & (ACCESS_WRITE | ACCESS_PERMISSIONS)) &&
	    !g->approver.s &&
	    (rc = restricted_class(cat, sc->cx->unit, x,
				   ACCESS_WRITE | ACCESS_PERMISSIONS)))
		findings_add(f, "MND140", &g->loc, agent, NULL,
			     "grant of %s access to restricted resource "
			     "class '%s' has no approver",
			     level_word(x->levels &
					(ACCESS_WRITE | ACCESS_PERMISSIONS)),
			     rc->name.s);
}

static void report_escalation(struct spec_checker *sc, const struct xagent *xa,
			      const struct xescalation *e,
			      const struct grant *first)
{
	const struct catalog *cat = sc->cx->cat;
	struct buf actions = BUF_INIT;
	size_t i;

	for (i = 0; i < e->nactions; i++)
		buf_addf(&actions, "%s%s", i ? " + " : "",
			 catalog_action_name(cat, e->actions[i]));
	findings_add(sc->cx->f, "MND133",
		     first ? &first->loc : &xa->agent->loc, xa->agent->name.s,
		     NULL, "grants together enable privilege escalation path "
		     "'%s' (%s): the agent %s", e->esc->name.s,
		     buf_str(&actions),
		     e->esc->description.s ? e->esc->description.s
					   : "escalates");
	buf_release(&actions);
}

/*
 * MND133: the union of an agent's allowed actions, less what it denies
 * everywhere without conditions, holds every action of a known path.
 */
static void check_escalations(struct spec_checker *sc, const struct xagent *xa)
{
	const struct program *p = sc->cx->prog;
	struct actset allowed;
	size_t i, j, k;

	actset_init(&allowed, catalog_count(sc->cx->cat));
	xagent_allowed_actions(xa, &allowed);

	for (i = 0; i < p->nescalations; i++) {
		const struct xescalation *e = &p->escalations[i];
		const struct grant *first = NULL;

		if (!e->nactions)
			continue;
		for (j = 0; j < e->nactions; j++)
			if (!actset_has(&allowed, e->actions[j]))
				break;
		if (j < e->nactions)
			continue;
		/* Point at the grant giving the path's first action. */
		for (j = 0; j < xa->ngrants && !first; j++)
			for (k = 0; k < xa->grants[j].nres && !first; k++) {
				const struct xresource *r =
					&xa->grants[j].res[k];
				size_t m;

				for (m = 0; m < r->nactions; m++)
					if (r->actions[m] == e->actions[0] &&
					    !xa->grants[j].deny)
						first = xa->grants[j].grant;
			}
		report_escalation(sc, xa, e, first);
	}
	actset_release(&allowed);
}

/*
 * Report each waiver approver that does not match the gate's
 * owner_pattern, as an error: an approver who is no accountable
 * individual makes the waiver worthless. Returns -1 if there were any.
 */
static int check_approvers(struct spec_checker *sc, struct diag *d)
{
	const struct waiver *w;
	int ret = 0;

	if (!sc->owner.re)
		return 0;
	for (w = sc->cx->unit->waivers; w; w = w->next) {
		/* unit_check has rejected an approver that is no address. */
		if (!w->approver.s || !text_is_email(w->approver.s) ||
		    re_matches(sc, &sc->owner, w->approver.s))
			continue;
		diag_at(d, DIAG_ERROR, &w->approver.loc, "waiver approver '%s' "
			"does not match the gate's owner_pattern '%s'",
			w->approver.s, sc->cx->unit->gate.owner_pattern.s);
		ret = -1;
	}
	return ret;
}

int rules_spec_run(struct check_context *cx, struct diag *d)
{
	struct spec_checker sc = { .cx = cx, .d = d };
	const struct gate *gate = &cx->unit->gate;
	size_t i, j;
	int ret = 0;

	if (compile_pattern(&sc.owner, &gate->owner_pattern,
			    "owner_pattern", d) < 0 ||
	    compile_pattern(&sc.name, &gate->agent_name_pattern,
			    "agent_name_pattern", d) < 0) {
		ret = -1;
		goto out;
	}
	if (sc.owner.re || sc.name.re) {
		sc.md = pcre2.match_data_create(4, NULL);
		sc.mcx = pcre2.match_context_create(NULL);
		if (!sc.md || !sc.mcx)
			BUG("cannot allocate PCRE2 match data");
		pcre2.set_match_limit(sc.mcx, MATCH_LIMIT);
		pcre2.set_depth_limit(sc.mcx, DEPTH_LIMIT);
	}

	for (i = 0; i < cx->prog->nagents; i++) {
		const struct xagent *xa = &cx->prog->agents[i];
		const struct agent *a = xa->agent;

		check_owners(&sc, a);
		check_justification(&sc, a);
		check_lifecycle(&sc, a);
		check_credentials(&sc, a);
		check_audit(&sc, a);
		for (j = 0; j < xa->ngrants; j++)
			check_grant(&sc, &xa->grants[j]);
		check_escalations(&sc, xa);
	}
	ret = check_approvers(&sc, d);
	if (sc.owner.failed || sc.name.failed)
		ret = -1;
out:
	/* PCRE2 is loaded when any of these is set. */
	if (sc.mcx)
		pcre2.match_context_free(sc.mcx);
	if (sc.md)
		pcre2.match_data_free(sc.md);
	if (sc.owner.re)
		pcre2.code_free(sc.owner.re);
	if (sc.name.re)
		pcre2.code_free(sc.name.re);
	return ret;
}
