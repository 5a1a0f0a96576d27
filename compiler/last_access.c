#include "common.h"
#include "last_access.h"

#include <strings.h>

static const struct aws_action_access *
find_tracked(const struct aws_service_access *e, const char *action)
{
	size_t lo = 0, hi = e->nactions;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcasecmp(action, e->actions[mid].action);

		if (!c)
			return &e->actions[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

enum last_access last_access_judge(const struct aws_state *st,
				   const char *arn, const struct catalog *cat,
				   const struct cat_action *a,
				   const struct aws_service_access **entry,
				   int32_t *last, bool *by_action)
{
	const struct aws_service_access *e;
	const struct aws_action_access *t;
	int32_t since;

	*by_action = false;
	*entry = e = aws_find_service_access(st, arn,
			catalog_text(cat, catalog_service(cat,
							  a->service)->prefix));
	if (!e)
		return LAST_ACCESS_UNKNOWN;
	since = e->completed - LAST_ACCESS_WINDOW;
	*last = e->last_day;
	if (e->last_day < since)
		return LAST_ACCESS_UNUSED;
	t = e->action_level ? find_tracked(e, catalog_text(cat, a->name))
			    : NULL;
	if (!t)
		return LAST_ACCESS_USED;
	*by_action = true;
	*last = t->last_day;
	return t->last_day < since ? LAST_ACCESS_UNUSED : LAST_ACCESS_USED;
}

void last_access_phrase(int32_t day, char out[32])
{
	char date[11];

	if (day < 0) {
		snprintf(out, 32, "never used");
		return;
	}
	date_format(day, date);
	snprintf(out, 32, "last used on %s", date);
}

/* Report data whose job completed after today. */
static int check_not_future(const struct aws_state *st, int32_t today,
			    struct diag *d)
{
	char completed[11], now[11];
	size_t i;
	int ret = 0;

	date_format(today, now);
	for (i = 0; i < st->naccess; i++) {
		const struct aws_access_report *r = st->access[i];

		if (r->completed <= today)
			continue;
		date_format(r->completed, completed);
		diag_at(d, DIAG_ERROR, &r->completed_loc, "JobCompletionDate: "
			"the job completed on %s, after --today (%s), but "
			"service-last-accessed data cannot come from the "
			"future; check --today or the data", completed, now);
		ret = -1;
	}
	return ret;
}

/* Warn about each file for an identity that no input names. */
static void warn_unused(const struct aws_state *st,
			const struct program *prog, struct diag *d)
{
	struct claim *claims = NULL;
	size_t nclaims = 0, i;

	if (prog)
		claims = claims_collect(prog, &nclaims);
	for (i = 0; i < st->naccess; i++) {
		const struct aws_access_report *r = st->access[i];

		if (!r->arn || aws_find_entity(st, r->arn) ||
		    (claims && claims_find(claims, nclaims, r->arn)))
			continue;
		diag_at(d, DIAG_WARNING, &r->arn_loc, "'%s' is in no "
			"authorization-details export%s, so its "
			"service-last-accessed data is unused", r->arn,
			prog ? " and no spec declares it" : "");
	}
	free(claims);
}

int last_access_check_inputs(const struct aws_state *st, int32_t today,
			     const struct program *prog, struct diag *d)
{
	if (check_not_future(st, today, d))
		return -1;
	warn_unused(st, prog, d);
	return 0;
}

static int cmp_ids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Return the grant's distinct action ids, ascending; the caller frees. */
static uint32_t *grant_actions(const struct xgrant *x, size_t *n)
{
	uint32_t *v;
	size_t total = 0, i, j, k = 0;

	for (i = 0; i < x->nres; i++)
		total += x->res[i].nactions;
	v = xmalloc((total ? total : 1) * sizeof(*v));
	for (i = 0; i < x->nres; i++)
		for (j = 0; j < x->res[i].nactions; j++)
			v[k++] = x->res[i].actions[j];
	sort_array(v, k, sizeof(*v), cmp_ids);
	*n = 0;
	for (i = 0; i < k; i++)
		if (!*n || v[*n - 1] != v[i])
			v[(*n)++] = v[i];
	return v;
}

/* Report a grant's service that was not used at all. */
static void report_service(struct check_context *cx, const struct claim *c,
			   const struct xgrant *x,
			   const struct aws_service_access *e)
{
	char since[11], last[32];
	struct finding *f;

	date_format(e->completed, since);
	last_access_phrase(e->last_day, last);
	f = findings_add(cx->f, "MND230", &x->grant->loc, c->xa->agent->name.s,
			 c->arn, "the grant's '%s' actions were not used in "
			 "the %d days before %s (service '%s' %s)", e->service,
			 LAST_ACCESS_WINDOW, since, e->service, last);
	finding_note(cx->f, f, "from service-last-accessed data in '%s'",
		     e->loc.src->path);
}

/*
 * Report the tracked actions of one service that the grant names and
 * the identity did not use, when the service itself was used.
 */
static void report_actions(struct check_context *cx, const struct claim *c,
			   const struct xgrant *x,
			   const struct aws_service_access *e,
			   const uint32_t *ids, size_t n)
{
	const struct catalog *cat = cx->cat;
	const struct cat_action **unused = xcalloc(n, sizeof(*unused));
	int32_t *days = xcalloc(n, sizeof(*days));
	char since[11], last[32];
	struct finding *f;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		const struct cat_action *a = catalog_action(cat, ids[i]);
		const struct aws_service_access *entry;
		bool by_action;

		if (last_access_judge(cx->aws, c->arn, cat, a, &entry, &days[k],
				      &by_action) == LAST_ACCESS_UNUSED)
			unused[k++] = a;
	}
	date_format(e->completed, since);
	if (k == 1) {
		last_access_phrase(days[0], last);
		f = findings_add(cx->f, "MND230", &x->grant->loc,
				 c->xa->agent->name.s, c->arn,
				 "the grant's action '%s' was not used in the "
				 "%d days before %s (%s)",
				 catalog_text(cat, unused[0]->name),
				 LAST_ACCESS_WINDOW, since, last);
	} else if (k > 1) {
		f = findings_add(cx->f, "MND230", &x->grant->loc,
				 c->xa->agent->name.s, c->arn,
				 "%zu of the grant's '%s' actions were not used "
				 "in the %d days before %s, such as '%s'", k,
				 e->service, LAST_ACCESS_WINDOW, since,
				 catalog_text(cat, unused[0]->name));
		for (i = 0; i < k; i++) {
			last_access_phrase(days[i], last);
			finding_detail(cx->f, f, "%s: %s",
				       catalog_text(cat, unused[i]->name), last);
		}
	}
	free(unused);
	free(days);
}

static void check_grant(struct check_context *cx, const struct claim *c,
			const struct xgrant *x)
{
	const struct catalog *cat = cx->cat;
	size_t n, i = 0;
	uint32_t *ids = grant_actions(x, &n);

	while (i < n) {
		uint32_t svc = catalog_action(cat, ids[i])->service;
		const struct aws_service_access *e;
		size_t j = i;

		while (j < n && catalog_action(cat, ids[j])->service == svc)
			j++;
		e = aws_find_service_access(cx->aws, c->arn,
			catalog_text(cat, catalog_service(cat, svc)->prefix));
		if (e && e->last_day < e->completed - LAST_ACCESS_WINDOW)
			report_service(cx, c, x, e);
		else if (e && e->action_level)
			report_actions(cx, c, x, e, ids + i, j - i);
		i = j;
	}
	free(ids);
}

static void warn_stale(struct check_context *cx)
{
	const struct aws_state *st = cx->aws;
	size_t i;

	for (i = 0; i < st->naccess; i++) {
		const struct aws_access_report *r = st->access[i];
		char date[11];

		if (cx->today - r->completed <= LAST_ACCESS_STALE)
			continue;
		date_format(r->completed, date);
		diag_at(cx->d, DIAG_WARNING, &r->completed_loc,
			"the service-last-accessed data is %d days old (the "
			"job completed on %s); generate it again so that "
			"MND230 judges recent use", cx->today - r->completed,
			date);
	}
}

void last_access_check(struct check_context *cx, const struct claim *claims,
		       size_t nclaims)
{
	size_t i, j;

	if (!cx->aws || !cx->aws->naccess)
		return;
	warn_stale(cx);
	for (i = 0; i < nclaims; i++) {
		const struct claim *c = &claims[i];

		if (!aws_has_service_access(cx->aws, c->arn))
			continue;
		for (j = 0; j < c->xa->ngrants; j++)
			if (!c->xa->grants[j].deny)
				check_grant(cx, c, &c->xa->grants[j]);
	}
}
