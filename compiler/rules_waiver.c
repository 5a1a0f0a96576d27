#include "common.h"
#include "rules.h"

static bool waiver_covers(const struct waiver *w, const struct finding *x)
{
	if (strcmp(w->rule.s, x->rule->id))
		return false;
	if (!x->agent || strcmp(w->agent.s, x->agent))
		return false;
	if (w->identity.s && (!x->identity || strcmp(w->identity.s,
						     x->identity)))
		return false;
	return true;
}

void rules_apply_waivers(struct check_context *cx)
{
	const struct waiver *w;
	struct findings *f = cx->f;
	size_t i, nfindings = f->n;
	char date[11];

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
		if (expired) {
			date_format(w->until.days, date);
			findings_add(f, "MND170", &w->loc, w->agent.s,
				     w->identity.s,
				     "waiver of %s for '%s' expired on %s%s",
				     w->rule.s, w->agent.s, date,
				     used ? "" : " and matches no finding");
		} else if (!used) {
			findings_add(f, "MND171", &w->loc, w->agent.s,
				     w->identity.s,
				     "waiver of %s for '%s' matches no finding",
				     w->rule.s, w->agent.s);
		}
	}
}
