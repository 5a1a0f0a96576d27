#include "common.h"
#include "emit_aws.h"

#include <cJSON.h>
#include <ctype.h>

#include "buf.h"

/* A statement being assembled, before merging and splitting. */
struct stmt {
	bool deny;
	char *cond_json;		/* canonical Condition block, "" if none */
	const struct iam_cond *conds;
	size_t nconds;
	const char **resources;
	size_t nres, res_cap;
	uint32_t *actions;
	size_t nactions;
	const struct grant *origin;	/* first grant it came from */
};

struct emitter {
	const struct program *p;
	const struct catalog *cat;
	struct emit_result *out;
	struct findings *f;
	struct diag *d;
	struct stmt *stmts;
	size_t nstmts, stmts_cap;
	struct arena scratch;		/* paths and principals */
};

void emit_result_release(struct emit_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->files[i].path);
		free(r->files[i].data);
	}
	free(r->files);
	r->files = NULL;
	r->n = 0;
	r->cap = 0;
}

void json_pretty(struct buf *b, const cJSON *v, int depth)
{
	const cJSON *c;
	bool first = true;

	if (cJSON_IsString(v)) {
		buf_add_json_string(b, v->valuestring);
		return;
	}
	if (cJSON_IsTrue(v) || cJSON_IsFalse(v)) {
		buf_adds(b, cJSON_IsTrue(v) ? "true" : "false");
		return;
	}
	if (cJSON_IsNumber(v)) {
		buf_addf(b, "%.17g", v->valuedouble);
		return;
	}
	if (!cJSON_IsArray(v) && !cJSON_IsObject(v)) {
		buf_adds(b, "null");
		return;
	}
	buf_addch(b, cJSON_IsArray(v) ? '[' : '{');
	for (c = v->child; c; c = c->next) {
		buf_adds(b, first ? "\n" : ",\n");
		buf_add_spaces(b, (size_t)(depth + 1) * 2);
		first = false;
		if (cJSON_IsObject(v)) {
			buf_add_json_string(b, c->string);
			buf_adds(b, ": ");
		}
		json_pretty(b, c, depth + 1);
	}
	if (!first) {
		buf_addch(b, '\n');
		buf_add_spaces(b, (size_t)depth * 2);
	}
	buf_addch(b, cJSON_IsArray(v) ? ']' : '}');
}

static char *join_path(const char *dir, const char *name)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%s/%s", dir, name);
	return buf_detach(&b, NULL);
}

/* Add a file holding doc as pretty JSON; the result takes path. */
static void add_file(struct emitter *e, char *path, cJSON *doc)
{
	struct buf b = BUF_INIT;
	struct emitted_file *file;

	if (!e->out) {		/* checking only: nothing is written */
		free(path);
		return;
	}
	json_pretty(&b, doc, 0);
	buf_addch(&b, '\n');
	grow_array((void **)&e->out->files, &e->out->cap, e->out->n + 1,
		   sizeof(*e->out->files));
	file = &e->out->files[e->out->n++];
	file->path = path;
	file->data = buf_detach(&b, &file->len);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Return a string array node, or one string when there is one value. */
static cJSON *string_or_list(const char *const *v, size_t n)
{
	cJSON *a;
	size_t i;

	if (n == 1)
		return cJSON_CreateString(v[0]);
	a = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

/*
 * Return the Condition block for conds with operators and keys in
 * sorted order and each key's values sorted, or NULL when there are
 * none. IAM reads it the same in any order; sorting makes it stable.
 */
static cJSON *condition_block(const struct iam_cond *conds, size_t n)
{
	const struct iam_cond **sorted;
	cJSON *block, *op = NULL;
	const char *last_op = NULL;
	size_t i;

	if (!n)
		return NULL;
	sorted = xcalloc(n, sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = &conds[i];
	for (i = 1; i < n; i++) {
		const struct iam_cond *c = sorted[i];
		size_t j = i;

		while (j > 0 && (strcmp(sorted[j - 1]->op, c->op) > 0 ||
				 (!strcmp(sorted[j - 1]->op, c->op) &&
				  strcmp(sorted[j - 1]->key, c->key) > 0))) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = c;
	}
	block = cJSON_CreateObject();
	for (i = 0; i < n; i++) {
		const struct iam_cond *c = sorted[i];
		const char **values = xcalloc(c->nvalues, sizeof(*values));

		if (!last_op || strcmp(last_op, c->op)) {
			op = cJSON_AddObjectToObject(block, c->op);
			last_op = c->op;
		}
		memcpy(values, c->values, c->nvalues * sizeof(*values));
		sort_array(values, c->nvalues, sizeof(*values), cmp_cstr);
		cJSON_AddItemToObject(op, c->key,
				      string_or_list(values, c->nvalues));
		free(values);
	}
	free(sorted);
	return block;
}

static char *minified(const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);

	if (!s)
		BUG("cJSON_PrintUnformatted failed");
	return s;
}

/* Add one (effect, conditions, resource, actions) candidate. */
static void add_stmt(struct emitter *e, const struct xgrant *x,
		     const struct xresource *r)
{
	struct stmt *s;
	cJSON *cond;

	grow_array((void **)&e->stmts, &e->stmts_cap, e->nstmts + 1,
		   sizeof(*e->stmts));
	s = &e->stmts[e->nstmts++];
	memset(s, 0, sizeof(*s));
	s->deny = x->deny;
	s->conds = x->conds;
	s->nconds = x->nconds;
	cond = condition_block(x->conds, x->nconds);
	s->cond_json = cond ? minified(cond) : xstrdup("");
	cJSON_Delete(cond);
	grow_array((void **)&s->resources, &s->res_cap, 1,
		   sizeof(*s->resources));
	s->resources[s->nres++] = r->pattern;
	s->actions = xmalloc((r->nactions ? r->nactions : 1) *
			     sizeof(*s->actions));
	memcpy(s->actions, r->actions, r->nactions * sizeof(*s->actions));
	s->nactions = r->nactions;
	s->origin = x->grant;
}

static void release_stmts(struct emitter *e)
{
	size_t i;

	for (i = 0; i < e->nstmts; i++) {
		free(e->stmts[i].cond_json);
		free(e->stmts[i].resources);
		free(e->stmts[i].actions);
	}
	e->nstmts = 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int cmp_actions(const struct stmt *a, const struct stmt *b)
{
	size_t i;

	for (i = 0; i < a->nactions && i < b->nactions; i++)
		if (a->actions[i] != b->actions[i])
			return a->actions[i] < b->actions[i] ? -1 : 1;
	return (a->nactions > b->nactions) - (a->nactions < b->nactions);
}

static int cmp_resources(const struct stmt *a, const struct stmt *b)
{
	size_t i;
	int r;

	for (i = 0; i < a->nres && i < b->nres; i++)
		if ((r = strcmp(a->resources[i], b->resources[i])))
			return r;
	return (a->nres > b->nres) - (a->nres < b->nres);
}

/* Order by effect, conditions, resources, then actions. */
static int cmp_by_resource(const void *pa, const void *pb)
{
	const struct stmt *a = pa, *b = pb;
	int r;

	if (a->deny != b->deny)
		return a->deny ? 1 : -1;
	if ((r = strcmp(a->cond_json, b->cond_json)))
		return r;
	if ((r = cmp_resources(a, b)))
		return r;
	return cmp_actions(a, b);
}

/* Order by effect, conditions, actions, then resources. */
static int cmp_by_actions(const void *pa, const void *pb)
{
	const struct stmt *a = pa, *b = pb;
	int r;

	if (a->deny != b->deny)
		return a->deny ? 1 : -1;
	if ((r = strcmp(a->cond_json, b->cond_json)))
		return r;
	if ((r = cmp_actions(a, b)))
		return r;
	return cmp_resources(a, b);
}

/* Return sorted, duplicate-free a ∪ b. */
static uint32_t *union_ids(const uint32_t *a, size_t na, const uint32_t *b,
			   size_t nb, size_t *n)
{
	uint32_t *v = xmalloc((na + nb + 1) * sizeof(*v));
	size_t i = 0, j = 0, k = 0;

	while (i < na || j < nb) {
		uint32_t next;

		if (j >= nb || (i < na && a[i] <= b[j]))
			next = a[i++];
		else
			next = b[j++];
		if (!k || v[k - 1] != next)
			v[k++] = next;
		while (i < na && a[i] == next)
			i++;
		while (j < nb && b[j] == next)
			j++;
	}
	*n = k;
	return v;
}

/*
 * Merge statements: first those that agree on effect, conditions and
 * resources (their actions are joined), then those that agree on
 * effect, conditions and actions (their resources are joined).
 */
static void merge_stmts(struct emitter *e)
{
	size_t i, out;

	sort_array(e->stmts, e->nstmts, sizeof(*e->stmts), cmp_by_resource);
	for (i = 1, out = 0; i < e->nstmts; i++) {
		struct stmt *a = &e->stmts[out], *b = &e->stmts[i];

		if (a->deny == b->deny && !strcmp(a->cond_json, b->cond_json) &&
		    !cmp_resources(a, b)) {
			size_t n;
			uint32_t *v = union_ids(a->actions, a->nactions,
						b->actions, b->nactions, &n);

			free(a->actions);
			a->actions = v;
			a->nactions = n;
			free(b->cond_json);
			free(b->resources);
			free(b->actions);
			continue;
		}
		e->stmts[++out] = *b;
	}
	if (e->nstmts)
		e->nstmts = out + 1;

	sort_array(e->stmts, e->nstmts, sizeof(*e->stmts), cmp_by_actions);
	for (i = 1, out = 0; i < e->nstmts; i++) {
		struct stmt *a = &e->stmts[out], *b = &e->stmts[i];
		size_t j;

		if (a->deny == b->deny && !strcmp(a->cond_json, b->cond_json) &&
		    !cmp_actions(a, b)) {
			for (j = 0; j < b->nres; j++) {
				grow_array((void **)&a->resources, &a->res_cap,
					   a->nres + 1, sizeof(*a->resources));
				a->resources[a->nres++] = b->resources[j];
			}
			free(b->cond_json);
			free(b->resources);
			free(b->actions);
			continue;
		}
		e->stmts[++out] = *b;
	}
	if (e->nstmts)
		e->nstmts = out + 1;
	/*
	 * Sorted once here, not after each join, so that an agent with n
	 * grants of the same actions costs n log n rather than n^2 log n.
	 */
	for (i = 0; i < e->nstmts; i++)
		sort_array(e->stmts[i].resources, e->stmts[i].nres,
			   sizeof(*e->stmts[i].resources), cmp_cstr);
	sort_array(e->stmts, e->nstmts, sizeof(*e->stmts), cmp_by_actions);
}

/* Build the JSON of actions [from, to) of s, without a Sid. */
static cJSON *stmt_json(const struct emitter *e, const struct stmt *s,
			size_t from, size_t to)
{
	cJSON *o = cJSON_CreateObject(), *cond;
	const char **names = xcalloc(to - from + 1, sizeof(*names));
	size_t i;

	cJSON_AddStringToObject(o, "Effect", s->deny ? "Deny" : "Allow");
	for (i = from; i < to; i++)
		names[i - from] = catalog_action_name(e->cat, s->actions[i]);
	cJSON_AddItemToObject(o, "Action", string_or_list(names, to - from));
	cJSON_AddItemToObject(o, "Resource",
			      string_or_list(s->resources, s->nres));
	cond = condition_block(s->conds, s->nconds);
	if (cond)
		cJSON_AddItemToObject(o, "Condition", cond);
	free(names);
	return o;
}

/*
 * Return the statement for actions [from, to) of s with a stable Sid:
 * its effect, its first action's service and a hash of its content, so
 * that unrelated edits do not renumber what a reviewer diffs.
 */
static cJSON *stmt_with_sid(const struct emitter *e, const struct stmt *s,
			    size_t from, size_t to, size_t *size)
{
	const char *name = catalog_action_name(e->cat, s->actions[from]);
	cJSON *bare = stmt_json(e, s, from, to), *item;
	char *text = minified(bare);
	char sid[64];
	size_t n;
	const char *p;

	n = (size_t)snprintf(sid, sizeof(sid), "%s",
			     s->deny ? "Deny" : "Allow");
	for (p = name; *p && *p != ':' && n < 40; p++)
		if (isalnum((unsigned char)*p))
			sid[n++] = (char)(p == name
						  ? toupper((unsigned char)*p)
						  : *p);
	snprintf(sid + n, sizeof(sid) - n, "%08llX",
		 (unsigned long long)(hash_bytes(text, strlen(text)) &
				      0xffffffffULL));
	/*
	 * The Sid comes first and needs no escapes, so the statement
	 * minified is the bare one with "Sid":"...", inserted after '{'.
	 */
	*size = strlen(text) + strlen("\"Sid\":\"\",") + strlen(sid);
	free(text);
	/* Move the Sid to the front, where a reader expects it. */
	item = cJSON_CreateString(sid);
	cJSON_AddItemToObject(bare, "Sid", item);
	cJSON_DetachItemViaPointer(bare, item);
	cJSON_InsertItemInArray(bare, 0, item);
	return bare;
}

/* A statement ready for a policy file, with its size as IAM counts it. */
struct sized_stmt {
	cJSON *json;
	size_t size;
};

struct sized_list {
	struct sized_stmt *v;
	size_t n, cap;
};

/* The size of {"Version":"2012-10-17","Statement":[]}, minified. */
#define POLICY_OVERHEAD 41

static size_t action_chars(const struct emitter *e, const struct stmt *s,
			   size_t from, size_t to)
{
	size_t n = 0, i;

	for (i = from; i < to; i++)
		n += strlen(catalog_action_name(e->cat, s->actions[i])) + 3;
	return n;
}

static size_t resource_chars(const struct stmt *s)
{
	size_t n = 0, i;

	for (i = 0; i < s->nres; i++)
		n += strlen(s->resources[i]) + 3;
	return n;
}

/* Return a copy of s limited to resources [from, to). */
static struct stmt resource_slice(const struct stmt *s, size_t from,
				  size_t to)
{
	struct stmt part = *s;

	part.resources = s->resources + from;
	part.nres = to - from;
	return part;
}

/*
 * Add the statement for actions [from, to) of s, halving the action
 * list, then the resource list, until each piece fits in one managed
 * policy. Returns -1 after reporting MND301 when one action on one
 * resource does not fit.
 */
static int fit_range(struct emitter *e, const struct stmt *s, size_t from,
		     size_t to, struct sized_list *out)
{
	size_t size = 0, half, actions = action_chars(e, s, from, to);
	cJSON *j = NULL;
	struct stmt a, b;

	/*
	 * Each name is printed with two quotes and all but one with a
	 * comma, so the lists alone bound the size from below: a range
	 * that surely does not fit is split without being printed.
	 */
	if ((to - from > 1 || s->nres > 1) &&
	    actions + resource_chars(s) - 2 + POLICY_OVERHEAD >
		    AWS_MANAGED_POLICY_MAX)
		goto split;
	j = stmt_with_sid(e, s, from, to, &size);
	if (size + POLICY_OVERHEAD <= AWS_MANAGED_POLICY_MAX) {
		grow_array((void **)&out->v, &out->cap, out->n + 1,
			   sizeof(*out->v));
		out->v[out->n++] = (struct sized_stmt){ j, size };
		return 0;
	}
	cJSON_Delete(j);
split:
	/* Halve the longer list, so neither is repeated in every part. */
	if (to - from > 1 &&
	    (s->nres < 2 || actions >= resource_chars(s))) {
		half = from + (to - from) / 2;
		if (fit_range(e, s, from, half, out) < 0)
			return -1;
		return fit_range(e, s, half, to, out);
	}
	if (s->nres > 1) {
		a = resource_slice(s, 0, s->nres / 2);
		b = resource_slice(s, s->nres / 2, s->nres);
		if (fit_range(e, &a, from, to, out) < 0)
			return -1;
		return fit_range(e, &b, from, to, out);
	}
	findings_add(e->f, "MND301", &s->origin->loc, s->origin->agent->name.s,
		     NULL,
		     "the statement for '%s' on '%s' is %zu characters even "
		     "alone; a managed policy holds at most %d",
		     catalog_action_name(e->cat, s->actions[from]),
		     s->resources[0], size + POLICY_OVERHEAD,
		     AWS_MANAGED_POLICY_MAX);
	return -1;
}

static void free_sized(struct sized_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		cJSON_Delete(l->v[i].json);
	free(l->v);
}

static cJSON *policy_doc(void)
{
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	cJSON_AddArrayToObject(doc, "Statement");
	return doc;
}

/*
 * Pack statements in order into as few managed policies as fit, and
 * report MND301 when that is more than an identity can attach.
 */
static void emit_identity_policies(struct emitter *e,
				   const struct identity *id, const char *dir,
				   struct sized_list *l)
{
	cJSON **parts = NULL;
	size_t nparts = 0, cap = 0, used = 0, i;

	for (i = 0; i < l->n; i++) {
		size_t need = l->v[i].size + (used > POLICY_OVERHEAD ? 1 : 0);

		if (!nparts || used + need > AWS_MANAGED_POLICY_MAX) {
			grow_array((void **)&parts, &cap, nparts + 1,
				   sizeof(*parts));
			parts[nparts++] = policy_doc();
			used = POLICY_OVERHEAD;
			need = l->v[i].size;
		}
		cJSON_AddItemToArray(cJSON_GetObjectItem(parts[nparts - 1],
							 "Statement"),
				     l->v[i].json);
		l->v[i].json = NULL;
		used += need;
	}
	if (nparts > AWS_ATTACHED_POLICIES_MAX)
		findings_add(e->f, "MND301", &id->loc, id->agent->name.s,
			     id->id.s,
			     "the identity policy of '%s' needs %zu managed "
			     "policies; IAM attaches at most %d to one "
			     "identity by default", id->id.s, nparts,
			     AWS_ATTACHED_POLICIES_MAX);
	for (i = 0; i < nparts; i++) {
		char name[64];

		if (nparts == 1)
			snprintf(name, sizeof(name), "identity-policy.json");
		else
			snprintf(name, sizeof(name), "identity-policy-%zu.json",
				 i + 1);
		add_file(e, join_path(dir, name), parts[i]);
		cJSON_Delete(parts[i]);
	}
	free(parts);
}

/* Return whether s can be a file name: no separators, no dot names. */
static bool safe_file_name(const char *s)
{
	const char *p;

	if (!*s || !strcmp(s, ".") || !strcmp(s, "..") || strlen(s) > 128)
		return false;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-+=,@", *p))
			return false;
	return true;
}

/* Return the directory of an identity's files, or NULL after reporting. */
static char *identity_dir(struct emitter *e, const struct identity *id)
{
	const char *agent = id->agent->name.s;
	const char *slash = strrchr(id->id.s, '/');
	const char *name = slash ? slash + 1 : "";
	char account[13] = "";
	const char *p = id->id.s;
	size_t n = 0;
	int colons = 0;

	while (*p && colons < 4)
		if (*p++ == ':')
			colons++;
	while (p[n] && p[n] != ':' && n < 12)
		n++;
	memcpy(account, p, n);
	account[n] = '\0';

	if (!safe_file_name(agent)) {
		diag_at(e->d, DIAG_ERROR, &id->agent->name.loc,
			"agent name '%s' cannot be used as a directory name; "
			"use letters, digits and . _ - + = , @", agent);
		return NULL;
	}
	if (!safe_file_name(name) || !safe_file_name(account)) {
		diag_at(e->d, DIAG_ERROR, &id->id.loc,
			"'%s' is not an IAM %s ARN such as "
			"arn:aws:iam::111122223333:%s/name", id->id.s,
			identity_kind_name(id->kind),
			id->kind == IDENTITY_AWS_ROLE ? "role" : "user");
		return NULL;
	}
	return arena_printf(&e->scratch, "aws/%s/%s-%s-%s", agent, account,
			    id->kind == IDENTITY_AWS_ROLE ? "role" : "user",
			    name);
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

enum trust_kind {
	TRUST_SERVICE,
	TRUST_AWS,
	TRUST_SAML,
	TRUST_OIDC,
	TRUST_KINDS,
};

/* Classify one trusted_by entry; -1 after reporting one we cannot use. */
static int classify_trust(struct emitter *e, const struct sval *t,
			  enum trust_kind *kind, const char **principal)
{
	*principal = t->s;
	if (all_digits(t->s, 12)) {
		*kind = TRUST_AWS;
		*principal = arena_printf(&e->scratch, "arn:aws:iam::%s:root",
					  t->s);
		return 0;
	}
	if (!strncmp(t->s, "arn:", 4)) {
		if (strstr(t->s, ":saml-provider/"))
			*kind = TRUST_SAML;
		else if (strstr(t->s, ":oidc-provider/"))
			*kind = TRUST_OIDC;
		else
			*kind = TRUST_AWS;
		return 0;
	}
	if (strstr(t->s, ".amazonaws.com")) {
		*kind = TRUST_SERVICE;
		return 0;
	}
	diag_at(e->d, DIAG_ERROR, &t->loc,
		"trusted_by '%s' is not a service principal, account id or "
		"ARN; a role's trust policy cannot name it", t->s);
	return -1;
}

/* Emit a role's trust policy: one statement per kind of principal. */
static int emit_trust(struct emitter *e, const struct identity *id,
		      const char *dir)
{
	static const char *const types[TRUST_KINDS] = {
		"Service", "AWS", "Federated", "Federated",
	};
	static const char *const actions[TRUST_KINDS] = {
		"sts:AssumeRole", "sts:AssumeRole", "sts:AssumeRoleWithSAML",
		"sts:AssumeRoleWithWebIdentity",
	};
	const char **principals[TRUST_KINDS] = { NULL };
	size_t counts[TRUST_KINDS] = { 0 }, i;
	cJSON *doc;
	int k, ret = 0;

	for (k = 0; k < TRUST_KINDS; k++)
		principals[k] = xcalloc(id->trusted_by.n + 1,
					sizeof(*principals[k]));
	for (i = 0; i < id->trusted_by.n; i++) {
		enum trust_kind kind;
		const char *p;

		if (classify_trust(e, &id->trusted_by.items[i], &kind,
				   &p) < 0) {
			ret = -1;
			continue;
		}
		principals[kind][counts[kind]++] = p;
	}
	if (ret == 0 && id->trusted_by.n) {
		doc = policy_doc();
		for (k = 0; k < TRUST_KINDS; k++) {
			cJSON *st, *principal;

			if (!counts[k])
				continue;
			sort_array(principals[k], counts[k], sizeof(char *),
			      cmp_cstr);
			st = cJSON_CreateObject();
			cJSON_AddStringToObject(st, "Effect", "Allow");
			principal = cJSON_AddObjectToObject(st, "Principal");
			cJSON_AddItemToObject(principal, types[k],
					      string_or_list(principals[k],
							     counts[k]));
			cJSON_AddStringToObject(st, "Action", actions[k]);
			cJSON_AddItemToArray(cJSON_GetObjectItem(doc,
								 "Statement"),
					     st);
		}
		add_file(e, join_path(dir, "trust-policy.json"), doc);
		cJSON_Delete(doc);
	} else if (!id->trusted_by.n) {
		diag_at(e->d, DIAG_WARNING, &id->loc,
			"role '%s' has no trusted_by, so no trust policy is "
			"generated for it", id->id.s);
	}
	for (k = 0; k < TRUST_KINDS; k++)
		free(principals[k]);
	return ret;
}

/* IAM's limit on the length of a tag value, in characters. */
#define AWS_TAG_VALUE_MAX 256

/*
 * Add a tag, its value made fit for IAM: letters, digits, spaces and
 * _ . : / = + - @ are kept, any other character becomes '_', and the
 * value is cut at 256 characters (IAM's "Tag" data type).
 */
static void add_tag(cJSON *tags, const char *key, const char *value)
{
	struct buf clean = BUF_INIT;
	const unsigned char *p;
	size_t chars = 0;
	cJSON *t;

	if (!value)
		return;
	for (p = (const unsigned char *)value; *p; p++) {
		if ((*p & 0xc0) != 0x80 && ++chars > AWS_TAG_VALUE_MAX)
			break;
		if (*p >= 0x80 || isalnum(*p) || strchr(" _.:/=+-@", *p))
			buf_addch(&clean, (char)*p);
		else
			buf_addch(&clean, '_');
	}
	t = cJSON_CreateObject();
	cJSON_AddStringToObject(t, "Key", key);
	cJSON_AddStringToObject(t, "Value", buf_str(&clean));
	cJSON_AddItemToArray(tags, t);
	buf_release(&clean);
}

/* Emit the tags that tie the live identity back to its spec. */
static void emit_tags(struct emitter *e, const struct identity *id,
		      const char *dir)
{
	const struct agent *a = id->agent;
	cJSON *tags = cJSON_CreateArray();
	char expires[11];

	add_tag(tags, "mandate:agent", a->name.s);
	add_tag(tags, "mandate:business-owner", a->owner.business.s);
	if (a->expires.set) {
		date_format(a->expires.days, expires);
		add_tag(tags, "mandate:expires", expires);
	}
	/*
	 * The spec's path below the directory given, so the tag does not
	 * change with the directory the build ran from.
	 */
	add_tag(tags, "mandate:spec", !a->src ? NULL
		: a->src->unit_path ? a->src->unit_path : a->src->path);
	add_tag(tags, "mandate:technical-owner", a->owner.technical.s);
	add_file(e, join_path(dir, "tags.json"), tags);
	cJSON_Delete(tags);
}

/* IAM's bounds on a role's maximum session duration, in seconds. */
#define AWS_SESSION_MIN 3600
#define AWS_SESSION_MAX 43200

/*
 * Emit the settings of the identity itself: its ARN, the permissions
 * boundary it must carry, and for a role the maximum session duration.
 */
static void emit_settings(struct emitter *e, const struct identity *id,
			  const char *dir)
{
	const struct credentials_block *cr = &id->agent->credentials;
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddStringToObject(doc, "Arn", id->id.s);
	if (id->boundary.s)
		cJSON_AddStringToObject(doc, "PermissionsBoundary",
					id->boundary.s);
	if (id->kind == IDENTITY_AWS_ROLE && cr->session.set) {
		int64_t s = cr->session.seconds;

		if (s < AWS_SESSION_MIN || s > AWS_SESSION_MAX) {
			diag_at(e->d, DIAG_WARNING, &cr->session.loc,
				"IAM takes a maximum session duration of 1h "
				"to 12h for a role; %s is used",
				s < AWS_SESSION_MIN ? "1h" : "12h");
			s = s < AWS_SESSION_MIN ? AWS_SESSION_MIN
						: AWS_SESSION_MAX;
		}
		cJSON_AddNumberToObject(doc, "MaxSessionDuration", (double)s);
	}
	add_file(e, join_path(dir, "identity.json"), doc);
	cJSON_Delete(doc);
}

/*
 * The maximum size of a minified statement besides its action names,
 * resources and conditions: {"Sid":"...",} with a Sid of at most 48
 * characters, "Effect":"Allow", "Action":[], "Resource":[], ','
 * between members and after the statement: 101 characters, rounded up.
 */
#define STMT_FIXED_MAX 128

/*
 * Return whether xa's identity policy surely fits one managed policy,
 * by a bound on its size that needs no statement built: each (grant,
 * resource) pair as a statement of its own, each name escaped at six
 * bytes a byte. Merging statements only shortens them. Grants with
 * conditions are not bounded here.
 */
static bool surely_fits(const struct emitter *e, const struct xagent *xa)
{
	size_t total = POLICY_OVERHEAD, i, j, k;

	for (i = 0; i < xa->ngrants; i++) {
		const struct xgrant *x = &xa->grants[i];

		if (!x->usable)
			continue;
		if (x->nconds)
			return false;
		for (j = 0; j < x->nres; j++) {
			const struct xresource *r = &x->res[j];

			if (!r->nactions)
				continue;
			total += STMT_FIXED_MAX + 6 * strlen(r->pattern) + 3;
			for (k = 0; k < r->nactions; k++)
				total += 6 * strlen(catalog_action_name(e->cat,
						r->actions[k])) + 3;
			if (total > AWS_MANAGED_POLICY_MAX)
				return false;
		}
	}
	return true;
}

/* Build xa's policy statements and emit them in managed policies. */
static void emit_statements(struct emitter *e, const struct xagent *xa,
			    const struct identity *id, const char *dir)
{
	struct sized_list stmts = { NULL, 0, 0 };
	size_t i, j;
	int ret = 0;

	release_stmts(e);
	for (i = 0; i < xa->ngrants; i++) {
		const struct xgrant *x = &xa->grants[i];

		if (!x->usable)
			continue;
		for (j = 0; j < x->nres; j++)
			if (x->res[j].nactions)
				add_stmt(e, x, &x->res[j]);
	}
	for (i = 0; i < e->nstmts; i++)
		sort_array(e->stmts[i].actions, e->stmts[i].nactions,
		      sizeof(uint32_t), cmp_u32);
	merge_stmts(e);
	for (i = 0; i < e->nstmts; i++)
		if (fit_range(e, &e->stmts[i], 0, e->stmts[i].nactions,
			      &stmts) < 0)
			ret = 1;
	if (!ret && stmts.n)
		emit_identity_policies(e, id, dir, &stmts);
	free_sized(&stmts);
}

static int emit_identity(struct emitter *e, const struct xagent *xa,
			 const struct identity *id)
{
	const char *dir = identity_dir(e, id);

	if (!dir)
		return -1;
	/*
	 * Checking only looks for policies too large for IAM (MND301),
	 * which a policy that surely fits cannot be.
	 */
	if (e->out || !surely_fits(e, xa))
		emit_statements(e, xa, id, dir);
	if (id->kind == IDENTITY_AWS_ROLE && emit_trust(e, id, dir) < 0)
		return -1;
	emit_settings(e, id, dir);
	/* Tags give no finding or message, so checking skips them. */
	if (e->out)
		emit_tags(e, id, dir);
	return 0;
}

static int cmp_files(const void *a, const void *b)
{
	return strcmp(((const struct emitted_file *)a)->path,
		      ((const struct emitted_file *)b)->path);
}

int emit_aws(const struct program *p, struct emit_result *out,
	     struct findings *f, struct diag *d)
{
	struct emitter e = { p, p->cat, out, f, d, NULL, 0, 0, ARENA_INIT };
	size_t i;
	int ret = 0;

	for (i = 0; i < p->nagents; i++) {
		const struct xagent *xa = &p->agents[i];
		const struct identity *id;

		for (id = xa->agent->identities; id; id = id->next) {
			if (id->provider != PROVIDER_AWS)
				continue;
			if (emit_identity(&e, xa, id) < 0)
				ret = -1;
		}
	}
	release_stmts(&e);
	free(e.stmts);
	arena_release(&e.scratch);
	if (out)
		sort_array(out->files, out->n, sizeof(*out->files), cmp_files);
	return ret;
}
