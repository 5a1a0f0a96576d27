#include "common.h"
#include "rules.h"

#include <strings.h>

#include "aws.h"
#include "drift.h"
#include "escalation.h"
#include "last_access.h"

/* An access key unused for this many days is stale (MND221). */
#define KEY_UNUSED_DAYS 90

struct aws_checker {
	struct check_context *cx;
	struct claim *claims;		/* sorted by ARN */
	size_t nclaims;
	char (*accounts)[13];		/* accounts the exports cover */
	size_t naccounts;
};

void arn_account(const char *arn, char out[13])
{
	const char *p = arn;
	size_t n = 0;
	int colons = 0;

	out[0] = '\0';
	while (*p && colons < 4)
		if (*p++ == ':')
			colons++;
	if (colons < 4)
		return;
	while (p[n] && p[n] != ':' && n < 12)
		n++;
	if (p[n] != ':')
		return;
	memcpy(out, p, n);
	out[n] = '\0';
}

const char *nhi_class_name(enum nhi_class c)
{
	switch (c) {
	case NHI_WORKLOAD:
		return "workload";
	case NHI_SERVICE_LINKED:
		return "service-linked";
	case NHI_HUMAN_SSO:
		return "human (IAM Identity Center)";
	case NHI_HUMAN_SAML:
		return "human (SAML federation)";
	case NHI_HUMAN_USER:
		return "human (console user)";
	}
	return "";
}

static bool only_saml_trust(const struct aws_policy_doc *trust)
{
	size_t i, j;
	bool any = false;

	if (!trust)
		return false;
	for (i = 0; i < trust->nstmts; i++) {
		const struct aws_statement *s = &trust->stmts[i];

		if (s->deny)
			continue;
		for (j = 0; j < s->nprincipals; j++) {
			const struct aws_principal *p = &s->principals[j];

			if (strcmp(p->type, "Federated") ||
			    !strstr(p->value, ":saml-provider/"))
				return false;
			any = true;
		}
	}
	return any;
}

enum nhi_class aws_classify(const struct aws_entity *e,
			    const struct aws_credential_row *row)
{
	if (e->kind == AWS_ROLE) {
		if (e->path && !strncmp(e->path, "/aws-service-role/", 18))
			return NHI_SERVICE_LINKED;
		if (e->path &&
		    !strncmp(e->path, "/aws-reserved/sso.amazonaws.com/", 32))
			return NHI_HUMAN_SSO;
		if (only_saml_trust(e->trust))
			return NHI_HUMAN_SAML;
		return NHI_WORKLOAD;
	}
	if (row && row->password_enabled && !row->keys[0].active &&
	    !row->keys[1].active)
		return NHI_HUMAN_USER;
	return NHI_WORKLOAD;
}

static int cmp_claim(const void *a, const void *b)
{
	return strcmp(((const struct claim *)a)->arn,
		      ((const struct claim *)b)->arn);
}

const struct claim *claims_find(const struct claim *v, size_t n,
				const char *arn)
{
	struct claim key = { arn, NULL, NULL };

	return bsearch(&key, v, n, sizeof(key), cmp_claim);
}

struct claim *claims_collect(const struct program *p, size_t *n)
{
	struct claim *v;
	size_t i, total = 0;

	for (i = 0; i < p->nagents; i++)
		total += p->agents[i].agent->nidentities;
	v = xcalloc(total + 1, sizeof(*v));
	*n = 0;
	for (i = 0; i < p->nagents; i++) {
		const struct identity *id;

		for (id = p->agents[i].agent->identities; id; id = id->next)
			if (id->provider == PROVIDER_AWS)
				v[(*n)++] = (struct claim){ id->id.s, id,
							    &p->agents[i] };
	}
	sort_array(v, *n, sizeof(*v), cmp_claim);
	return v;
}

static const struct claim *find_claim(const struct aws_checker *ac,
				      const char *arn)
{
	return claims_find(ac->claims, ac->nclaims, arn);
}

static void add_account(struct aws_checker *ac, const char *arn)
{
	char account[13];
	size_t i;

	arn_account(arn, account);
	if (!*account)
		return;
	for (i = 0; i < ac->naccounts; i++)
		if (!strcmp(ac->accounts[i], account))
			return;
	ac->accounts = xrealloc(ac->accounts,
				(ac->naccounts + 1) * sizeof(*ac->accounts));
	memcpy(ac->accounts[ac->naccounts++], account, 13);
}

static bool account_covered(const struct aws_checker *ac, const char *arn)
{
	char account[13];
	size_t i;

	arn_account(arn, account);
	for (i = 0; i < ac->naccounts; i++)
		if (!strcmp(ac->accounts[i], account))
			return true;
	return false;
}

/*
 * MND202 at high severity for an identity whose account no
 * authorization-details export covers: with --against given, the gate
 * must not pass on identities it could not compare with live state.
 */
static void uncovered_account(struct aws_checker *ac, const struct claim *c)
{
	char account[13];
	struct finding *x;

	arn_account(c->arn, account);
	x = findings_add(ac->cx->f, "MND202", &c->identity->id.loc,
			 c->xa->agent->name.s, c->arn, "no "
			 "authorization-details export covers account '%s', "
			 "so '%s' cannot be compared with live state", account,
			 c->arn);
	x->severity = SEV_HIGH;
	finding_note(ac->cx->f, x, "give the export of account %s with "
		     "--against, or check this spec without exports",
		     account);
}

static const char *kind_word(const struct aws_entity *e)
{
	return e->kind == AWS_ROLE ? "role" : "user";
}

/* MND201 for one export's roles or users. */
static void check_unowned(struct aws_checker *ac, struct aws_entity **v,
			  size_t n)
{
	const struct aws_state *st = ac->cx->aws;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct aws_entity *e = v[i];
		const struct aws_credential_row *row;

		add_account(ac, e->arn);
		if (find_claim(ac, e->arn))
			continue;
		row = e->kind == AWS_USER ? aws_find_credentials(st, e->arn)
					  : NULL;
		if (aws_classify(e, row) != NHI_WORKLOAD)
			continue;
		findings_add(ac->cx->f, "MND201", &e->loc, NULL, e->arn,
			     "%s '%s' is claimed by no spec", kind_word(e),
			     e->arn);
	}
}

static bool is_account_id(const char *s)
{
	size_t i;

	for (i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[12] == '\0';
}

/*
 * Return the account a trusted_by entry or an AWS principal trusts as a
 * whole: an account id, or the account's root ARN. Empty otherwise.
 */
static void whole_account(const char *s, char out[13])
{
	size_t n = strlen(s);

	out[0] = '\0';
	if (is_account_id(s)) {
		memcpy(out, s, 13);
		return;
	}
	if (n > 5 && !strcmp(s + n - 5, ":root"))
		arn_account(s, out);
}

/*
 * Return the principal type under which the emitted trust policy names
 * trusted_by entry t: SAML and OIDC provider ARNs are Federated, other
 * ARNs and account ids AWS, the rest Service.
 */
static const char *trusted_type(const char *t)
{
	if (strncmp(t, "arn:", 4))
		return is_account_id(t) ? "AWS" : "Service";
	if (strstr(t, ":saml-provider/") || strstr(t, ":oidc-provider/"))
		return "Federated";
	return "AWS";
}

/*
 * Return whether a live principal is one the spec's trusted_by admits.
 * Trusting an account admits every principal of it, so a live principal
 * in that account (its root, a role, a user) is within the spec.
 */
static bool principal_trusted(const struct identity *id,
			      const struct aws_principal *p)
{
	char trusted[13], live[13];
	size_t i;

	if (is_account_id(p->value))
		memcpy(live, p->value, 13);
	else
		arn_account(p->value, live);
	for (i = 0; i < id->trusted_by.n; i++) {
		const char *t = id->trusted_by.items[i].s;

		if (!strcmp(t, p->value) && !strcmp(trusted_type(t), p->type))
			return true;
		whole_account(t, trusted);
		if (*trusted && !strcmp(p->type, "AWS") && !strcmp(trusted, live))
			return true;
	}
	return false;
}

/* MND212: live trust policy principals the spec does not name. */
static void check_trust(struct aws_checker *ac, const struct claim *c,
			const struct aws_entity *e)
{
	struct findings *f = ac->cx->f;
	const char *agent = c->xa->agent->name.s;
	size_t i, j;

	if (e->kind != AWS_ROLE || !e->trust)
		return;
	for (i = 0; i < e->trust->nstmts; i++) {
		const struct aws_statement *s = &e->trust->stmts[i];
		struct finding *x;

		if (s->deny)
			continue;
		if (s->not_principal) {
			x = findings_add(f, "MND212", &s->loc, agent, c->arn,
					 "trust policy of '%s' uses NotPrincipal "
					 "and admits every principal it does "
					 "not list", e->name);
			x->severity = SEV_CRITICAL;
			continue;
		}
		for (j = 0; j < s->nprincipals; j++) {
			const struct aws_principal *p = &s->principals[j];
			bool wildcard = !strcmp(p->value, "*");

			if (!wildcard && principal_trusted(c->identity, p))
				continue;
			x = findings_add(f, "MND212", &s->loc, agent, c->arn,
					 "trust policy of '%s' admits %s "
					 "principal '%s'%s", e->name,
					 p->type, p->value,
					 !wildcard ? ", which trusted_by does "
						     "not name"
					 : s->nconds ? ", that is anyone its "
						       "conditions admit"
					 : ", that is anyone");
			/*
			 * Conditions such as aws:PrincipalOrgID may narrow a
			 * wildcard to a known set, which only a reviewer can
			 * judge, so it stays at the rule's severity.
			 */
			if (wildcard && !s->nconds)
				x->severity = SEV_CRITICAL;
			if (s->nconds)
				finding_note(f, x, "the statement has "
					     "conditions; check they restrict "
					     "who can assume the role");
		}
	}
}

/* MND213: the spec requires a permissions boundary the live one lacks. */
static void check_boundary(struct aws_checker *ac, const struct claim *c,
			   const struct aws_entity *e)
{
	const struct sval *want = &c->identity->boundary;

	if (!want->s)
		return;
	if (!e->boundary.arn)
		findings_add(ac->cx->f, "MND213", &want->loc,
			     c->xa->agent->name.s, c->arn,
			     "%s '%s' has no permissions boundary; the spec "
			     "requires '%s'", kind_word(e), e->name, want->s);
	else if (strcmp(e->boundary.arn, want->s))
		findings_add(ac->cx->f, "MND213", &want->loc,
			     c->xa->agent->name.s, c->arn,
			     "%s '%s' has permissions boundary '%s'; the spec "
			     "requires '%s'", kind_word(e), e->name,
			     e->boundary.arn, want->s);
}

/*
 * MND224 for the root user's row. No policy can narrow what a root key
 * may do, so any active one is reported, used or not.
 */
static void check_root_keys(struct aws_checker *ac,
			    const struct aws_credential_row *row)
{
	char account[13];
	struct loc at = row->loc;
	int k;

	arn_account(row->arn, account);
	at.len = (uint32_t)strlen(row->user);
	for (k = 0; k < 2; k++)
		if (row->keys[k].active)
			findings_add(ac->cx->f, "MND224", &at, NULL, row->arn,
				     "the root user of account %s has an "
				     "active access key %d", account, k + 1);
}

/* MND220 to MND223 for one credential report row, MND224 for root. */
static void check_keys(struct aws_checker *ac,
		       const struct aws_credential_row *row)
{
	const struct claim *c = find_claim(ac, row->arn);
	const struct agent *a = c ? c->xa->agent : NULL;
	const char *agent = a ? a->name.s : NULL;
	struct findings *f = ac->cx->f;
	int32_t today = ac->cx->today;
	int64_t limit = ac->cx->gate.max_rotation;
	struct loc at = row->loc;
	char date[11], period[32];
	int active = 0, k;

	if (!strcmp(row->user, "<root_account>")) {
		check_root_keys(ac, row);
		return;
	}
	at.len = (uint32_t)strlen(row->user);	/* underline the user name */
	if (a && a->credentials.rotate.set)
		limit = a->credentials.rotate.seconds;
	duration_format(limit, period);
	for (k = 0; k < 2; k++) {
		const struct aws_access_key *key = &row->keys[k];

		if (!key->active)
			continue;
		active++;
		if (key->last_rotated >= 0 &&
		    (int64_t)(today - key->last_rotated) * 86400 > limit) {
			date_format(key->last_rotated, date);
			findings_add(f, "MND220", &at, agent, row->arn,
				     "access key %d of '%s' was last rotated on "
				     "%s, %d day%s ago; the rotation period is %s",
				     k + 1, row->user, date,
				     (int)(today - key->last_rotated),
				     plural(today - key->last_rotated), period);
		}
		if (key->last_used < 0) {
			findings_add(f, "MND221", &at, agent, row->arn,
				     "access key %d of '%s' has never been used",
				     k + 1, row->user);
		} else if (today - key->last_used > KEY_UNUSED_DAYS) {
			date_format(key->last_used, date);
			findings_add(f, "MND221", &at, agent, row->arn,
				     "access key %d of '%s' was last used on %s, "
				     "%d day%s ago", k + 1, row->user, date,
				     (int)(today - key->last_used),
				     plural(today - key->last_used));
		}
	}
	if (active > 1)
		findings_add(f, "MND222", &at, agent, row->arn,
			     "'%s' has %d active access keys", row->user,
			     active);
	if (active && a && a->credentials.long_lived_keys.set &&
	    !a->credentials.long_lived_keys.v)
		findings_add(f, "MND223", &at, agent, row->arn,
			     "'%s' has %d active access key%s but its spec "
			     "sets long_lived_keys = false", row->user, active,
			     active == 1 ? "" : "s");
}

/* MND133 for every role and user of the exports, claimed or not. */
static void check_escalations(struct aws_checker *ac)
{
	const struct aws_state *st = ac->cx->aws;
	struct escalation_checker *ec = escalation_checker_new(ac->cx);
	size_t i, j;

	for (i = 0; i < st->nexports; i++) {
		const struct aws_export *x = st->exports[i];

		for (j = 0; j < x->nroles; j++)
			escalation_check_live(ec, x->roles[j],
					      find_claim(ac, x->roles[j]->arn));
		for (j = 0; j < x->nusers; j++)
			escalation_check_live(ec, x->users[j],
					      find_claim(ac, x->users[j]->arn));
	}
	escalation_checker_free(ec);
}

void rules_aws_run(struct check_context *cx)
{
	const struct aws_state *st = cx->aws;
	struct aws_checker ac = { cx, NULL, 0, NULL, 0 };
	struct drift_checker *dc;
	size_t i, j;

	if (!st)
		return;
	ac.claims = claims_collect(cx->prog, &ac.nclaims);
	for (i = 0; i < st->nexports; i++) {
		check_unowned(&ac, st->exports[i]->roles,
			      st->exports[i]->nroles);
		check_unowned(&ac, st->exports[i]->users,
			      st->exports[i]->nusers);
	}
	check_escalations(&ac);
	dc = drift_checker_new(cx);
	for (i = 0; i < ac.nclaims; i++) {
		const struct claim *c = &ac.claims[i];
		const struct aws_entity *e = aws_find_entity(st, c->arn);

		/*
		 * Only an authorization-details export of the identity's
		 * account tells whether it exists and what it may do.
		 */
		if (!e && !account_covered(&ac, c->arn)) {
			uncovered_account(&ac, c);
			continue;
		}
		if (!e) {
			findings_add(cx->f, "MND202", &c->identity->id.loc,
				     c->xa->agent->name.s, c->arn,
				     "'%s' is not in the export", c->arn);
			continue;
		}
		drift_check(dc, c, e);
		check_trust(&ac, c, e);
		check_boundary(&ac, c, e);
	}
	drift_checker_free(dc);
	last_access_check(cx, ac.claims, ac.nclaims);

	for (i = 0; i < st->nreports; i++)
		for (j = 0; j < st->reports[i]->nrows; j++)
			check_keys(&ac, &st->reports[i]->rows[j]);
	free(ac.claims);
	free(ac.accounts);
}
