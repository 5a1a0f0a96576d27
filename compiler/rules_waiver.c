#include "common.h"
#include "rules.h"

#include "aws.h"

/*
 * Return whether the waiver covers the finding: the same rule, and the
 * waiver's agent (and identity, when it names one) or, in a waiver for
 * an identity alone, that identity under any agent or none.
 */
static bool waiver_covers(const struct waiver *w, const struct finding *x)
{
	if (strcmp(w->rule.s, x->rule->id))
		return false;
	if (w->agent.s && (!x->agent || strcmp(w->agent.s, x->agent)))
		return false;
	if (w->identity.s && (!x->identity || strcmp(w->identity.s,
						     x->identity)))
		return false;
	return true;
}

/* Write "for 'agent'" or "for identity 'arn'" into out. */
static void target_text(const struct waiver *w, char *out, size_t n)
{
	if (w->agent.s)
		snprintf(out, n, "'%s'", w->agent.s);
	else
		snprintf(out, n, "identity '%s'", w->identity.s);
}

/*
 * Return whether rule id ran in this run, so that a waiver of it may be
 * called unused: the MND2xx rules need exports, MND220 to MND224 a
 * credential report and MND230 service-last-accessed data.
 */
static bool rule_ran(const struct check_context *cx, const char *id)
{
	const struct aws_state *st = cx->aws;

	if (strncmp(id, "MND2", 4))
		return true;
	if (!st)
		return false;
	if (!strncmp(id, "MND22", 5))
		return st->nreports > 0;
	if (!strcmp(id, "MND230"))
		return st->naccess > 0;
	return st->nexports > 0;
}

void rules_apply_waivers(struct check_context *cx)
{
	const struct waiver *w;
	struct findings *f = cx->f;
	size_t i, nfindings = f->n;
	char date[11], target[1024];

	for (w = cx->unit->waivers; w; w = w->next) {
		bool expired = w->until.set && w->until.days < cx->today;
		size_t used = 0;

		for (i = 0; i < nfindings; i++) {
			if (!waiver_covers(w, &f->v[i]))
				continue;
			used++;
			if (!expired && !f->v[i].waiver)
				f->v[i].waiver = w;
		}
		target_text(w, target, sizeof(target));
		if (expired) {
			date_format(w->until.days, date);
			findings_add(f, "MND170", &w->loc, w->agent.s,
				     w->identity.s,
				     "waiver of %s for %s expired on %s%s",
				     w->rule.s, target, date,
				     used ? "" : " and matches no finding");
		} else if (!used && rule_ran(cx, w->rule.s)) {
			findings_add(f, "MND171", &w->loc, w->agent.s,
				     w->identity.s,
				     "waiver of %s for %s matches no finding",
				     w->rule.s, target);
		}
	}
}
