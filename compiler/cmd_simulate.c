#include "common.h"
#include "cli.h"

#include <cJSON.h>
#include <getopt.h>
#include <strings.h>
#include <time.h>

#include "ast.h"
#include "aws.h"
#include "aws_policy.h"
#include "buf.h"
#include "catalog.h"
#include "eval.h"
#include "match.h"
#include "value.h"

/*
 * `mandate simulate`: decide one request offline from the exports, with
 * the runtime's evaluator.
 */
struct simulate_options {
	const char **against;
	size_t nagainst, against_cap;
	const char **resource_policies;
	size_t nresource_policies, resource_policies_cap;
	char **context;		/* "KEY=VALUE" as given */
	size_t ncontext, context_cap;
	const char *principal;
	const char *action;
	const char *resource;
	const char *resource_account;
	const char *format;
	const char *today;
};

/* The policies of one request, with their names, kept for the report. */
struct simulation {
	struct aws_state aws;
	struct arena arena;
	struct eval_policy *identity;
	size_t nidentity, identity_cap;
	struct eval_policy boundary;
	bool has_boundary;
	struct eval_scp_level *scp;
	size_t nscp;
	struct eval_policy *resource;
	size_t nresource, resource_cap;
	const char *missing;	/* what the exports lack: "managed policy X" */
	const char *hint;	/* how to supply it, or "" */
	struct source **sources;	/* of the resource policies */
	size_t nsources;
	struct eval_key *keys;
	size_t nkeys, keys_cap;
	const struct aws_entity *entity;	/* NULL: not an IAM principal */
	const char *session;	/* of an assumed-role ARN */
	struct catalog *cat;
	struct eval_request req;
	struct eval_policies pol;
	struct eval_result result;
};

static void simulate_usage(FILE *out)
{
	fputs("usage: mandate simulate --against EXPORT... --principal WHO "
	      "--action ACTION\n"
	      "                        --resource ARN [OPTIONS]\n\n"
	      "Decide one request offline with IAM's evaluation logic, from\n"
	      "the policies in the exports, and say which statements decided\n"
	      "it.\n\n"
	      "WHO is a user or role ARN of the exports, an assumed-role "
	      "session\n"
	      "ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), a "
	      "service\n"
	      "principal such as lambda.amazonaws.com, or 'anonymous'\n"
	      "(also written '*').\n\n"
	      "options:\n"
	      "  --against EXPORT          an IAM export or an Organizations "
	      "path\n"
	      "                            export; repeat for several\n"
	      "  --principal WHO           who makes the request\n"
	      "  --action ACTION           the action, such as s3:GetObject\n"
	      "  --resource ARN            the resource ARN, or *\n"
	      "  --context KEY=VALUE       a request context key; repeat a key "
	      "for\n"
	      "                            several values\n"
	      "  --resource-policy FILE    the resource's own policy (bucket, "
	      "key,\n"
	      "                            queue policy); repeat for several\n"
	      "  --resource-account ID     the account that owns the resource,"
	      "\n"
	      "                            when its ARN does not say\n"
	      "  --today DATE              the date of aws:CurrentTime "
	      "(default: now)\n"
	      "  --format FORMAT           text (default) or json\n"
	      "  --color WHEN              auto (default), always or never\n"
	      "  -v, --verbose             log progress on stderr\n"
	      "  -h, --help                show this help\n\n"
	      "The keys IAM derives from the principal and the time\n"
	      "(aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,\n"
	      "aws:username, aws:userid, aws:PrincipalTag/KEY,\n"
	      "aws:CurrentTime, aws:EpochTime) are filled in unless given;\n"
	      "every other key is absent unless given.\n\n"
	      "Exit status: 0 allowed or denied, 1 undetermined, 2 could not "
	      "run.\n", out);
}

static bool is_account_id(const char *s, size_t n)
{
	size_t i;

	if (n != 12)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * Split an ARN into its first five fields and the resource. Returns
 * whether s has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE
 * with a partition, a service and a resource.
 */
static bool split_arn(const char *s, const char *field[6], size_t len[6])
{
	const char *p = s;
	int i;

	for (i = 0; i < 5; i++) {
		const char *colon = strchr(p, ':');

		if (!colon)
			return false;
		field[i] = p;
		len[i] = (size_t)(colon - p);
		p = colon + 1;
	}
	field[5] = p;
	len[5] = strlen(p);
	return len[0] == 3 && !memcmp(field[0], "arn", 3) && len[1] &&
	       len[2] && len[5];
}

static bool valid_action(const char *a)
{
	const char *colon = strchr(a, ':');
	const char *p;

	if (!colon || colon == a || !colon[1])
		return false;
	for (p = a; *p; p++) {
		if (p == colon)
			continue;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	}
	return true;
}

/* Return whether s contains a control character that could drive a terminal. */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static int check_request(const struct simulate_options *opt)
{
	const char *const given[] = { opt->principal, opt->action,
				      opt->resource, opt->resource_account };
	const char *const names[] = { "--principal", "--action",
				      "--resource", "--resource-account" };
	const char *field[6];
	size_t len[6], i;

	for (i = 0; i < ARRAY_SIZE(given); i++)
		if (given[i] && has_control(given[i]))
			return cli_usage_error("simulate", "invalid %s: it "
					       "contains a control character",
					       names[i]);
	for (i = 0; i < opt->ncontext; i++)
		if (has_control(opt->context[i]))
			return cli_usage_error("simulate", "invalid --context: "
					       "it contains a control "
					       "character");

	if (!valid_action(opt->action))
		return cli_usage_error("simulate", "invalid --action '%s'; "
				       "expected one action such as "
				       "s3:GetObject, without wildcards",
				       opt->action);
	if (strcmp(opt->resource, "*") &&
	    !split_arn(opt->resource, field, len))
		return cli_usage_error("simulate", "invalid --resource '%s'; "
				       "expected an ARN "
				       "(arn:PARTITION:SERVICE:REGION:ACCOUNT:"
				       "RESOURCE) or *", opt->resource);
	if (strlen(opt->resource) > MATCH_MAX)
		return cli_usage_error("simulate", "--resource is longer than "
				       "%d characters", MATCH_MAX);
	if (opt->resource_account &&
	    !is_account_id(opt->resource_account,
			   strlen(opt->resource_account)))
		return cli_usage_error("simulate", "invalid --resource-account "
				       "'%s'; expected 12 digits",
				       opt->resource_account);
	if (opt->resource_account && strcmp(opt->resource, "*") &&
	    is_account_id(field[4], len[4]) &&
	    memcmp(field[4], opt->resource_account, 12))
		return cli_usage_error("simulate", "--resource-account %s "
				       "contradicts the account %.12s in "
				       "--resource; give it only for an ARN "
				       "without an account", opt->resource_account,
				       field[4]);
	return 0;
}

static void add_identity(struct simulation *sim, const char *name,
			 const struct aws_policy_doc *doc)
{
	struct eval_policy *p;

	grow_array((void **)&sim->identity, &sim->identity_cap,
		   sim->nidentity + 1, sizeof(*sim->identity));
	p = &sim->identity[sim->nidentity++];
	p->name = name;
	p->doc = doc;
}

/* Add the inline and attached policies of e, a principal or its group. */
static void add_entity_policies(struct simulation *sim,
				const struct aws_entity *e, const char *kind)
{
	size_t i;

	for (i = 0; i < e->ninline; i++)
		add_identity(sim, arena_printf(&sim->arena, "inline policy '%s' of %s '%s'",
					  e->inline_policies[i].name, kind,
					  e->name),
			     e->inline_policies[i].doc);
	for (i = 0; i < e->nattached; i++) {
		const struct aws_policy_ref *r = &e->attached[i];

		if (!r->policy) {
			sim->missing = arena_printf(&sim->arena, "managed "
						    "policy %s", r->arn);
			continue;
		}
		add_identity(sim, arena_printf(&sim->arena, "managed policy %s", r->arn),
			     r->policy->doc);
	}
}

/* Find a role by account and name, for an assumed-role session ARN. */
static const struct aws_entity *find_role(const struct aws_state *st,
					  const char *account, size_t alen,
					  const char *name, size_t nlen)
{
	size_t i, j;

	for (i = 0; i < st->nexports; i++)
		for (j = 0; j < st->exports[i]->nroles; j++) {
			const struct aws_entity *r = st->exports[i]->roles[j];
			const char *f[6];
			size_t l[6];

			if (strlen(r->name) == nlen &&
			    !memcmp(r->name, name, nlen) &&
			    split_arn(r->arn, f, l) && l[4] == alen &&
			    !memcmp(f[4], account, alen))
				return r;
		}
	return NULL;
}

static int resolve_principal(struct simulation *sim, const char *principal)
{
	const char *f[6];
	size_t l[6];

	if (!strcmp(principal, "anonymous") || !strcmp(principal, "*")) {
		sim->req.principal_kind = EVAL_PRINCIPAL_ANONYMOUS;
		return 0;
	}
	sim->req.principal = principal;
	if (strncmp(principal, "arn:", 4)) {
		if (!strchr(principal, '.') || strchr(principal, '/') || strchr(principal, ':'))
			return cli_usage_error("simulate", "invalid "
					       "--principal '%s'; expected an "
					       "ARN, a service such as "
					       "lambda.amazonaws.com, or "
					       "anonymous", principal);
		sim->req.principal_kind = EVAL_PRINCIPAL_SERVICE;
		return 0;
	}
	sim->req.principal_kind = EVAL_PRINCIPAL_IAM;
	if (!split_arn(principal, f, l))
		return cli_usage_error("simulate", "invalid --principal '%s'; "
				       "expected an ARN", principal);
	if (!strcmp(f[5], "root") || !strncmp(f[5], "federated-user/", 15))
		return cli_usage_error("simulate", "the %s is not a principal "
				       "simulate can decide for; give a user, "
				       "a role or an assumed-role session",
				       !strcmp(f[5], "root") ? "account's root "
				       "user" : "federated user");
	if (l[2] == 3 && !memcmp(f[2], "sts", 3) &&
	    !strncmp(f[5], "assumed-role/", 13)) {
		const char *role = f[5] + 13, *slash = strchr(role, '/');

		if (!slash || !slash[1])
			return cli_usage_error("simulate", "invalid "
					       "--principal '%s'; expected "
					       "arn:aws:sts::ACCOUNT:"
					       "assumed-role/ROLE/SESSION",
					       principal);
		sim->entity = find_role(&sim->aws, f[4], l[4], role,
					(size_t)(slash - role));
		sim->session = slash + 1;
	} else {
		sim->entity = aws_find_entity(&sim->aws, principal);
		if (sim->entity && sim->entity->kind == AWS_GROUP)
			return cli_usage_error("simulate", "'%s' is a group; "
					       "a request is made by a user or "
					       "a role", principal);
	}
	if (!sim->entity) {
		diag_plain(&cli.diag, DIAG_ERROR, "principal '%s' is in none "
			   "of the exports; give the export of its account "
			   "with --against", principal);
		return -1;
	}
	return 0;
}

static bool exported_group(const struct aws_entity *user, const char *name)
{
	size_t i;

	for (i = 0; i < user->ngroups; i++)
		if (!strcmp(user->groups[i]->name, name))
			return true;
	return false;
}

static void collect_identity(struct simulation *sim)
{
	const struct aws_entity *e = sim->entity;
	const char *kind = e->kind == AWS_ROLE ? "role" : "user";
	size_t i;

	add_entity_policies(sim, e, kind);
	for (i = 0; i < e->ngroups; i++)
		add_entity_policies(sim, e->groups[i], "group");
	/* A group the export lacks has policies no one can see. */
	for (i = 0; i < e->ngroup_names; i++)
		if (!exported_group(e, e->group_names[i]))
			sim->missing = arena_printf(&sim->arena, "group '%s' "
						    "of user '%s'",
						    e->group_names[i],
						    e->name);
	if (e->boundary.arn) {
		if (e->boundary.policy) {
			sim->boundary.name = e->boundary.arn;
			sim->boundary.doc = e->boundary.policy->doc;
			sim->has_boundary = true;
		} else {
			sim->missing = arena_printf(&sim->arena, "permissions "
						    "boundary %s",
						    e->boundary.arn);
		}
	}
}

static bool account_of(const char *arn, const char **acct, size_t *len)
{
	const char *f[6];
	size_t l[6];

	if (!arn || !split_arn(arn, f, l) || !is_account_id(f[4], l[4]))
		return false;
	*acct = f[4];
	*len = l[4];
	return true;
}

/*
 * Service control policies bind every principal of a member account but
 * none of the management account and no service-linked role.
 */
static void collect_scps(struct simulation *sim)
{
	const struct aws_org_path *org;
	char account[13];
	const char *acct;
	size_t len, i, j;

	if (!sim->entity || !account_of(sim->entity->arn, &acct, &len))
		return;
	memcpy(account, acct, len);
	account[len] = '\0';
	org = aws_find_org(&sim->aws, account);
	if (!org || (org->management_account &&
		     !strcmp(org->management_account, account)) ||
	    !strncmp(sim->entity->path, "/aws-service-role/", 18))
		return;
	sim->nscp = org->nlevels;
	sim->scp = arena_calloc(&sim->arena, org->nlevels, sizeof(*sim->scp));
	for (i = 0; i < org->nlevels; i++) {
		const struct aws_org_level *lv = &org->levels[i];
		struct eval_policy *p = arena_calloc(&sim->arena,
						     lv->nscps ? lv->nscps : 1,
						     sizeof(*p));

		for (j = 0; j < lv->nscps; j++) {
			p[j].name = arena_printf(&sim->arena, "'%s'",
						 lv->scps[j].name);
			p[j].doc = lv->scps[j].doc;
		}
		sim->scp[i].target = lv->target;
		sim->scp[i].policies = p;
		sim->scp[i].npolicies = lv->nscps;
	}
}

static void add_resource(struct simulation *sim, const char *name,
			 const struct aws_policy_doc *doc)
{
	struct eval_policy *p;

	grow_array((void **)&sim->resource, &sim->resource_cap,
		   sim->nresource + 1, sizeof(*sim->resource));
	p = &sim->resource[sim->nresource++];
	p->name = name;
	p->doc = doc;
}

static bool is_assume_action(const char *action)
{
	static const char *const assume[] = {
		"sts:AssumeRole", "sts:AssumeRoleWithSAML",
		"sts:AssumeRoleWithWebIdentity", "sts:TagSession",
		"sts:SetSourceIdentity", "sts:SetContext",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(assume); i++)
		if (!strcasecmp(action, assume[i]))
			return true;
	return false;
}

static bool is_role_arn(const char *arn)
{
	const char *f[6];
	size_t l[6];

	return split_arn(arn, f, l) && l[2] == 3 && !memcmp(f[2], "iam", 3) &&
	       !strncmp(f[5], "role/", 5);
}

static bool is_kms_key_arn(const char *arn)
{
	const char *f[6];
	size_t l[6];

	return split_arn(arn, f, l) && l[2] == 3 && !memcmp(f[2], "kms", 3) &&
	       !strncmp(f[5], "key/", 4);
}

static int collect_resource(struct simulation *sim,
			    const struct simulate_options *opt)
{
	const struct aws_entity *role;
	size_t i;

	for (i = 0; i < opt->nresource_policies; i++) {
		struct aws_policy_doc *doc;
		struct source *src;
		const char *previous_input;
		int ret;

		if (source_load(&src, opt->resource_policies[i],
				SOURCE_EXPORT_MAX, &cli.diag))
			return -1;
		previous_input = reading_input(src->path);
		ret = aws_policy_parse_source(&doc, src, AWS_POLICY_RESOURCE,
					      &sim->aws.arena,
					      &sim->aws.strtab, &cli.diag);
		reading_input(previous_input);
		if (ret) {
			source_free(src);
			return -1;
		}
		sim->sources = xrealloc(sim->sources, (sim->nsources + 1) *
					sizeof(*sim->sources));
		sim->sources[sim->nsources++] = src;
		add_resource(sim, arena_printf(&sim->arena,
					       "resource policy %s", src->path),
			     doc);
	}
	if (is_assume_action(opt->action) && is_role_arn(opt->resource)) {
		/* A role's trust policy must allow, within one account too. */
		sim->pol.resource_required = true;
		role = aws_find_entity(&sim->aws, opt->resource);
		if (role && role->kind == AWS_ROLE && role->trust)
			add_resource(sim, arena_printf(&sim->arena, "trust "
						       "policy of role '%s'",
						       role->name),
				     role->trust);
		else
			sim->missing = arena_printf(&sim->arena, "trust "
						    "policy of role %s",
						    opt->resource);
	} else if (is_kms_key_arn(opt->resource)) {
		/* Without the key policy's consent, IAM policies do nothing. */
		sim->pol.resource_required = true;
		if (!opt->nresource_policies)
			sim->missing = arena_printf(&sim->arena, "key policy "
						    "of %s", opt->resource);
		sim->hint = "; give it with --resource-policy";
	}
	return 0;
}

static void add_key(struct simulation *sim, const char *key,
		    const char *value)
{
	struct eval_key *k = NULL;
	const char **values;
	size_t i;

	for (i = 0; i < sim->nkeys; i++)
		if (!strcasecmp(sim->keys[i].key, key))
			k = &sim->keys[i];
	if (!k) {
		grow_array((void **)&sim->keys, &sim->keys_cap,
			   sim->nkeys + 1, sizeof(*sim->keys));
		k = &sim->keys[sim->nkeys++];
		memset(k, 0, sizeof(*k));
		k->key = arena_strdup(&sim->arena, key);
	}
	values = arena_alloc(&sim->arena, (k->nvalues + 1) * sizeof(*values));
	if (k->nvalues)
		memcpy(values, k->values, k->nvalues * sizeof(*values));
	values[k->nvalues++] = arena_strdup(&sim->arena, value);
	k->values = values;
}

static bool has_key(const struct simulation *sim, const char *key)
{
	size_t i;

	for (i = 0; i < sim->nkeys; i++)
		if (!strcasecmp(sim->keys[i].key, key))
			return true;
	return false;
}

/* Add key = value unless the request gave the key itself. */
static void derive_key(struct simulation *sim, const char *key,
		       const char *value)
{
	if (value && !has_key(sim, key))
		add_key(sim, key, value);
}

/*
 * Return what a value of a key of type type must look like, or NULL
 * when value fits. Request values are checked here so that a typo in
 * --context is reported as one, not as a statement that cannot be
 * decided.
 */
static const char *value_problem(enum cond_type type, const char *value)
{
	int cmp;
	bool in;

	switch (type) {
	case COND_TYPE_NUMERIC:
		if (!value_compare_decimal(value, value, &cmp))
			return "a decimal number";
		break;
	case COND_TYPE_DATE:
		if (!value_compare_date(value, value, &cmp))
			return "a date such as 2026-01-01T00:00:00Z or epoch "
			       "seconds";
		break;
	case COND_TYPE_BOOL:
		if (strcmp(value, "true") && strcmp(value, "false"))
			return "true or false";
		break;
	case COND_TYPE_IP:
		if (strchr(value, '/') ||
		    (!value_ip_in_block(value, "0.0.0.0/0", &in) &&
		     !value_ip_in_block(value, "::/0", &in)))
			return "one IPv4 or IPv6 address, not a block";
		break;
	case COND_TYPE_STRING:
	case COND_TYPE_ARN:
	case COND_TYPE_BINARY:
		break;
	}
	return NULL;
}

static int check_context(const struct simulation *sim)
{
	size_t i, j;

	for (i = 0; i < sim->nkeys; i++) {
		const struct eval_key *k = &sim->keys[i];
		const struct cat_condition_key *ck =
			catalog_find_condition_key(sim->cat, k->key);
		const char *want;

		if (!ck)
			continue;
		for (j = 0; j < k->nvalues; j++) {
			want = value_problem(ck->type, k->values[j]);
			if (want)
				return cli_usage_error("simulate", "invalid "
						       "--context %s=%s; %s "
						       "takes %s", k->key,
						       k->values[j],
						       catalog_text(sim->cat,
								    ck->name),
						       want);
		}
	}
	return 0;
}

static int load_catalog(struct simulation *sim)
{
	char *dir = cli_stdlib_dir(), *path;
	const char *previous_input;
	int ret;

	if (!dir)
		return -1;
	path = xmalloc(strlen(dir) + 32);
	snprintf(path, strlen(dir) + 32, "%s/aws/catalog.txt", dir);
	previous_input = reading_input(path);
	ret = catalog_load(&sim->cat, path, &catalog_builtin, &cli.diag);
	reading_input(previous_input);
	free(path);
	free(dir);
	return ret;
}

static int given_context(struct simulation *sim,
			 const struct simulate_options *opt)
{
	size_t i;

	for (i = 0; i < opt->ncontext; i++) {
		char *eq = strchr(opt->context[i], '=');

		if (!eq || eq == opt->context[i])
			return cli_usage_error("simulate", "invalid --context "
					       "'%s'; expected KEY=VALUE",
					       opt->context[i]);
		*eq = '\0';
		add_key(sim, opt->context[i], eq + 1);
		*eq = '=';
	}
	return 0;
}

static void derive_time(struct simulation *sim, int32_t today)
{
	char when[32], epoch[24], date[11];
	time_t now = time(NULL);
	long long secs = (long long)today * 86400;

	if (!sim->req.principal && sim->req.principal_kind !=
	    EVAL_PRINCIPAL_ANONYMOUS)
		return;
	if ((long long)now / 86400 == today)
		secs = (long long)now;
	date_format((int32_t)(secs / 86400), date);
	snprintf(when, sizeof(when), "%sT%02lld:%02lld:%02lldZ", date,
		 secs % 86400 / 3600, secs % 3600 / 60, secs % 60);
	snprintf(epoch, sizeof(epoch), "%lld", secs);
	derive_key(sim, "aws:CurrentTime", when);
	derive_key(sim, "aws:EpochTime", epoch);
}

static void derive_principal(struct simulation *sim)
{
	const struct aws_entity *e = sim->entity;
	const char *acct;
	char account[13], buf[512];
	size_t len, i;

	if (sim->req.principal_kind == EVAL_PRINCIPAL_SERVICE) {
		derive_key(sim, "aws:PrincipalServiceName",
			   sim->req.principal);
		derive_key(sim, "aws:PrincipalIsAWSService", "true");
		return;
	}
	if (!e)
		return;
	derive_key(sim, "aws:PrincipalIsAWSService", "false");
	derive_key(sim, "aws:PrincipalArn", e->arn);
	if (account_of(e->arn, &acct, &len)) {
		memcpy(account, acct, len);
		account[len] = '\0';
		derive_key(sim, "aws:PrincipalAccount", account);
	}
	if (e->kind == AWS_USER) {
		derive_key(sim, "aws:PrincipalType", "User");
		derive_key(sim, "aws:username", e->name);
		derive_key(sim, "aws:userid", e->id);
	} else {
		derive_key(sim, "aws:PrincipalType", "AssumedRole");
		if (sim->session && e->id) {
			snprintf(buf, sizeof(buf), "%s:%s", e->id,
				 sim->session);
			derive_key(sim, "aws:userid", buf);
		}
	}
	for (i = 0; i < e->ntags; i++) {
		snprintf(buf, sizeof(buf), "aws:PrincipalTag/%s",
			 e->tags[i].key);
		derive_key(sim, buf, e->tags[i].value);
	}
}

/*
 * A policy that the export references but does not contain may hold a
 * Deny: only an explicit deny found elsewhere still decides.
 */
static void apply_missing(struct simulation *sim)
{
	struct eval_result *r = &sim->result;

	if (!sim->missing || r->decision == EVAL_EXPLICIT_DENY)
		return;
	r->decision = EVAL_UNDETERMINED;
	r->nmatches = 0;
	snprintf(r->reason, sizeof(r->reason), "the %s is not in the "
		 "exports, so its statements are unknown%s", sim->missing,
		 sim->hint ? sim->hint : "");
}

static const char *role_name(enum eval_role role)
{
	switch (role) {
	case EVAL_IDENTITY:
		return "identity";
	case EVAL_BOUNDARY:
		return "boundary";
	case EVAL_SCP:
		return "scp";
	case EVAL_RESOURCE:
		return "resource";
	}
	return "identity";
}

/* Append the name of m's policy, with its kind and, for an SCP, its level. */
static void policy_label(struct buf *out, const struct eval_match *m)
{
	switch (m->role) {
	case EVAL_IDENTITY:
	case EVAL_RESOURCE:
		buf_adds(out, m->policy->name);
		break;
	case EVAL_BOUNDARY:
		buf_addf(out, "permissions boundary %s", m->policy->name);
		break;
	case EVAL_SCP:
		buf_addf(out, "service control policy %s at %s",
			 m->policy->name, m->level ? m->level->target : "?");
		break;
	}
}

static void text_report(struct buf *out, const struct simulation *sim,
			const struct simulate_options *opt)
{
	const struct eval_result *r = &sim->result;
	size_t i;

	buf_addf(out, "%s: %s %s on %s\n", eval_decision_name(r->decision),
		 opt->principal, opt->action, opt->resource);
	buf_addf(out, "  %s\n", r->reason);
	for (i = 0; i < r->nmatches; i++) {
		const struct eval_match *m = &r->matches[i];
		uint32_t line = 0, col = 0;

		loc_position(&m->stmt->loc, &line, &col);
		buf_addf(out, "  %s statement ",
			 m->stmt->deny ? "Deny" : "Allow");
		if (m->stmt->sid)
			buf_addf(out, "'%s'", m->stmt->sid);
		else
			buf_addf(out, "#%u", m->stmt->index + 1);
		buf_adds(out, " of ");
		policy_label(out, m);
		if (m->undecided)
			buf_addf(out, " (cannot be decided: %s)",
				 m->why ? m->why : "unknown");
		buf_addf(out, "\n    at %s:%u:%u\n",
			 m->stmt->loc.src ? m->stmt->loc.src->path : "-",
			 line, col);
	}
}

static cJSON *json_request(const struct simulation *sim,
			   const struct simulate_options *opt)
{
	cJSON *o = cJSON_CreateObject(), *ctx;
	size_t i, j;

	cJSON_AddStringToObject(o, "principal", opt->principal);
	cJSON_AddStringToObject(o, "action", opt->action);
	cJSON_AddStringToObject(o, "resource", opt->resource);
	ctx = cJSON_AddObjectToObject(o, "context");
	for (i = 0; i < sim->nkeys; i++) {
		cJSON *v = cJSON_AddArrayToObject(ctx, sim->keys[i].key);

		for (j = 0; j < sim->keys[i].nvalues; j++)
			cJSON_AddItemToArray(v, cJSON_CreateString(
					     sim->keys[i].values[j]));
	}
	return o;
}

static void json_report(struct buf *out, const struct simulation *sim,
			const struct simulate_options *opt)
{
	const struct eval_result *r = &sim->result;
	cJSON *root = cJSON_CreateObject(), *list;
	struct buf label = BUF_INIT;
	char *text;
	size_t i;

	cJSON_AddStringToObject(root, "decision",
				eval_decision_name(r->decision));
	cJSON_AddBoolToObject(root, "explicit",
			      r->decision == EVAL_EXPLICIT_DENY);
	cJSON_AddStringToObject(root, "reason", r->reason);
	cJSON_AddItemToObject(root, "request", json_request(sim, opt));
	list = cJSON_AddArrayToObject(root, "statements");
	for (i = 0; i < r->nmatches; i++) {
		const struct eval_match *m = &r->matches[i];
		cJSON *s = cJSON_CreateObject();
		uint32_t line = 0, col = 0;

		loc_position(&m->stmt->loc, &line, &col);
		buf_reset(&label);
		policy_label(&label, m);
		cJSON_AddStringToObject(s, "policy", buf_str(&label));
		cJSON_AddStringToObject(s, "kind", role_name(m->role));
		/* The position in the document's Statement list, from 0. */
		cJSON_AddNumberToObject(s, "index", m->stmt->index);
		if (m->stmt->sid)
			cJSON_AddStringToObject(s, "sid", m->stmt->sid);
		else
			cJSON_AddNullToObject(s, "sid");
		cJSON_AddStringToObject(s, "effect",
					m->stmt->deny ? "Deny" : "Allow");
		cJSON_AddBoolToObject(s, "undecided", m->undecided);
		if (m->why)
			cJSON_AddStringToObject(s, "why", m->why);
		if (m->stmt->loc.src) {
			cJSON_AddStringToObject(s, "file",
						m->stmt->loc.src->path);
			cJSON_AddNumberToObject(s, "line", line);
			cJSON_AddNumberToObject(s, "column", col);
		}
		cJSON_AddItemToArray(list, s);
	}
	text = cJSON_Print(root);
	buf_addf(out, "%s\n", text);
	free(text);
	cJSON_Delete(root);
	buf_release(&label);
}

static void build_request(struct simulation *sim,
			  const struct simulate_options *opt)
{
	const char *acct;
	size_t len;

	sim->req.action = opt->action;
	sim->req.resource = opt->resource;
	sim->req.context = sim->keys;
	sim->req.ncontext = sim->nkeys;
	sim->pol.identity = sim->identity;
	sim->pol.nidentity = sim->nidentity;
	sim->pol.boundary = sim->has_boundary ? &sim->boundary : NULL;
	sim->pol.scp = sim->scp;
	sim->pol.nscp = sim->nscp;
	sim->pol.resource = sim->resource;
	sim->pol.nresource = sim->nresource;
	if (opt->resource_account)
		sim->pol.resource_account = opt->resource_account;
	else if (account_of(opt->resource, &acct, &len))
		sim->pol.resource_account = arena_strndup(&sim->arena, acct,
							  len);
}

static int run_simulate(struct simulate_options *opt)
{
	struct simulation sim;
	struct buf out = BUF_INIT;
	int32_t today;
	int status = EXIT_ERROR;
	size_t i;

	memset(&sim, 0, sizeof(sim));
	aws_state_init(&sim.aws);
	if (strcmp(opt->format, "text") && strcmp(opt->format, "json")) {
		cli_usage_error("simulate", "invalid --format '%s'; expected "
				"text or json", opt->format);
		goto out;
	}
	if (!opt->nagainst || !opt->principal || !opt->action ||
	    !opt->resource) {
		cli_usage_error("simulate", "missing %s",
				!opt->nagainst ? "--against EXPORT"
				: !opt->principal ? "--principal WHO"
				: !opt->action ? "--action ACTION"
				: "--resource ARN");
		goto out;
	}
	if (check_request(opt) || cli_parse_today(opt->today, &today) ||
	    cli_reject_repeated_inputs("simulate", "--against", opt->against,
				       opt->nagainst) < 0)
		goto out;
	for (i = 0; i < opt->nagainst; i++)
		if (aws_state_load(&sim.aws, opt->against[i], &cli.diag) < 0)
			goto out;
	aws_warn_unused_orgs(&sim.aws, &cli.diag);
	if (load_catalog(&sim) || resolve_principal(&sim, opt->principal) ||
	    collect_resource(&sim, opt) || given_context(&sim, opt) ||
	    check_context(&sim))
		goto out;
	if (!catalog_find_action(sim.cat, opt->action))
		diag_plain(&cli.diag, DIAG_WARNING, "action '%s' is not in the "
			   "AWS catalog; the answer matches it by name like "
			   "any other", opt->action);
	if (sim.entity)
		collect_identity(&sim);
	collect_scps(&sim);
	derive_principal(&sim);
	derive_time(&sim, today);
	build_request(&sim, opt);
	eval_request(&sim.pol, &sim.req, &sim.result);
	apply_missing(&sim);

	if (!strcmp(opt->format, "json")) {
		json_report(&out, &sim, opt);
	} else {
		struct buf text = BUF_INIT;

		text_report(&text, &sim, opt);
		/* Names from the exports never send control codes to a terminal. */
		buf_add_printable_lines(&out, buf_str(&text));
		buf_release(&text);
	}
	if (fwrite(buf_str(&out), 1, out.len, stdout) != out.len ||
	    fflush(stdout)) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the answer: %s",
			   strerror(errno));
		goto out;
	}
	status = sim.result.decision == EVAL_UNDETERMINED ? EXIT_FAIL
							  : EXIT_PASS;
out:
	if (status == EXIT_ERROR)
		diag_summary(&cli.diag);
	buf_release(&out);
	free(sim.identity);
	free(sim.resource);
	free(sim.keys);
	for (i = 0; i < sim.nsources; i++)
		source_free(sim.sources[i]);
	free(sim.sources);
	arena_release(&sim.arena);
	catalog_free(sim.cat);
	aws_state_release(&sim.aws);
	free(opt->against);
	free(opt->resource_policies);
	free(opt->context);
	return status;
}

/* Set a single-valued option; given twice, it is a usage error. */
static int set_once(const char **slot, const char *name, const char *value)
{
	if (*slot)
		return cli_usage_error("simulate", "%s given twice; a request "
				       "has one", name);
	*slot = value;
	return 0;
}

static void push(const char ***list, size_t *n, size_t *cap, const char *s)
{
	grow_array((void **)list, cap, *n + 1, sizeof(**list));
	(*list)[(*n)++] = s;
}

int cmd_simulate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "against", required_argument, NULL, 'a' },
		{ "principal", required_argument, NULL, 'p' },
		{ "action", required_argument, NULL, 'A' },
		{ "resource", required_argument, NULL, 'r' },
		{ "context", required_argument, NULL, 'x' },
		{ "resource-policy", required_argument, NULL, 'P' },
		{ "resource-account", required_argument, NULL, 'R' },
		{ "today", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct simulate_options opt = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			push(&opt.against, &opt.nagainst, &opt.against_cap,
			     optarg);
			break;
		case 'P':
			push(&opt.resource_policies, &opt.nresource_policies,
			     &opt.resource_policies_cap, optarg);
			break;
		case 'x':
			grow_array((void **)&opt.context, &opt.context_cap,
				   opt.ncontext + 1, sizeof(*opt.context));
			opt.context[opt.ncontext++] = optarg;
			break;
		case 'p':
			if (set_once(&opt.principal, "--principal", optarg))
				goto usage_failed;
			break;
		case 'A':
			if (set_once(&opt.action, "--action", optarg))
				goto usage_failed;
			break;
		case 'r':
			if (set_once(&opt.resource, "--resource", optarg))
				goto usage_failed;
			break;
		case 'R':
			if (set_once(&opt.resource_account, "--resource-account", optarg))
				goto usage_failed;
			break;
		case 't':
			if (set_once(&opt.today, "--today", optarg))
				goto usage_failed;
			break;
		case 'f':
			if (set_once(&opt.format, "--format", optarg))
				goto usage_failed;
			break;
		case 'c':
			if (cli_set_color(optarg) < 0)
				goto usage_failed;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			simulate_usage(stdout);
			goto done;
		default:
			cli_usage_error("simulate", "invalid option");
			goto usage_failed;
		}
	}
	cli_apply_color();
	if (optind < argc) {
		cli_usage_error("simulate", "unexpected argument '%s'",
				argv[optind]);
		goto usage_failed;
	}
	if (!opt.format)
		opt.format = "text";
	return run_simulate(&opt);
usage_failed:
	free(opt.against);
	free(opt.resource_policies);
	free(opt.context);
	return EXIT_ERROR;
done:
	free(opt.against);
	free(opt.resource_policies);
	free(opt.context);
	return EXIT_PASS;
}
