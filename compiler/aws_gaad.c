#include "common.h"
#include "aws_gaad.h"

#include "aws_policy.h"
#include "ptrmap.h"

/* The JSON keys that differ between users, groups and roles. */
struct entity_keys {
	const char *kind;	/* in messages and in ARNs: "user" */
	const char *name;
	const char *id;
	const char *inline_list;
};

static const struct entity_keys entity_keys[] = {
	[AWS_USER] = { "user", "UserName", "UserId", "UserPolicyList" },
	[AWS_ROLE] = { "role", "RoleName", "RoleId", "RolePolicyList" },
	[AWS_GROUP] = { "group", "GroupName", "GroupId", "GroupPolicyList" },
};

struct entity_list {
	struct aws_entity **items;
	size_t n, cap;
};

/* One export being read. */
struct gaad {
	struct source *src;
	struct diag *d;
	struct arena *arena;
	struct strtab *strtab;
	struct json_text text;	/* the export; root moves per element */
	struct json_ctx c;
	struct entity_list lists[3];	/* by enum aws_entity_kind */
	struct aws_managed_policy **policies;
	size_t npolicies, policies_cap;
	struct ptrmap arns;	/* ARN -> struct loc of its definition */
	struct ptrmap group_names;	/* name -> group entity */
	struct ptrmap policy_arns;	/* ARN -> managed policy */
	unsigned errors_before;	/* d->errors when reading started */
	/* The element being read, for parsing what its tree elides. */
	const struct json_object_scan *scan;
	const struct json_member *member;
	size_t elem;
};

bool aws_gaad_list_key(const char *key)
{
	return !strcmp(key, "UserDetailList") ||
	       !strcmp(key, "GroupDetailList") ||
	       !strcmp(key, "RoleDetailList") || !strcmp(key, "Policies");
}

static const char *intern(struct gaad *g, const char *s)
{
	return s ? strtab_intern_str(g->strtab, s) : NULL;
}

static int get_string(struct gaad *g, const cJSON *obj, const char *key,
		      bool required, const char **out)
{
	if (json_get_string(&g->c, obj, key, required, out))
		return -1;
	*out = intern(g, *out);
	return 0;
}

static struct loc span_loc(struct gaad *g, struct json_span span)
{
	struct loc loc = { g->src, span.off, span.len };

	return loc;
}

/* Report an error at member key of the object the path names. */
static int member_error(struct gaad *g, const char *key, const char *fmt,
			...) PRINTF_LIKE(3, 4);

static int member_error(struct gaad *g, const char *key, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	json_path_push_key(&g->c.path, key);
	json_ctx_error(&g->c, "%s", buf_str(&msg));
	json_path_pop(&g->c.path);
	buf_release(&msg);
	return -1;
}

/*
 * Return whether arn has the form arn:PARTITION:iam::ACCOUNT:TYPE/...,
 * and in *aws_account whether ACCOUNT is "aws" (an AWS-managed policy).
 */
static bool iam_arn_valid(const char *arn, const char *type,
			  bool *aws_account)
{
	const char *p = arn, *account;
	size_t n = strlen(type);

	if (strncmp(p, "arn:", 4))
		return false;
	p += 4;
	if (*p == ':' || !(p = strchr(p, ':')))
		return false;
	if (strncmp(p, ":iam::", 6))
		return false;
	account = p + 6;
	if (*account == ':' || !(p = strchr(account, ':')))
		return false;
	if (aws_account)
		*aws_account = p - account == 3 && !strncmp(account, "aws", 3);
	return !strncmp(p + 1, type, n) && p[1 + n] == '/';
}

static int check_arn(struct gaad *g, const char *key, const char *arn,
		     const char *type, bool *aws_account)
{
	if (iam_arn_valid(arn, type, aws_account))
		return 0;
	return member_error(g, key, "expected the ARN of a %s "
			    "(arn:PARTITION:iam::ACCOUNT:%s/...), got '%s'",
			    strcmp(type, "policy") ? type : "managed policy",
			    type, arn);
}

static bool account_id_valid(const char *s, size_t n)
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
 * Check the account of identity ARN arn, which spans n bytes at account.
 * IAM writes the account "aws" only in the ARNs of AWS managed policies,
 * but cloudmapper's demo export gives it to users and a group, so that
 * account gets a warning and any other that is not 12 digits an error.
 */
static int check_identity_account(struct gaad *g, const char *arn,
				  const char *account, size_t n)
{
	if (account_id_valid(account, n))
		return 0;
	if (n == 3 && !strncmp(account, "aws", 3)) {
		json_path_push_key(&g->c.path, "Arn");
		json_ctx_warning(&g->c, "account 'aws' in '%s' is not a "
				 "12-digit account id; IAM writes it only in "
				 "the ARNs of AWS managed policies", arn);
		json_path_pop(&g->c.path);
		return 0;
	}
	return member_error(g, "Arn", "account '%.*s' in '%s' is not an AWS "
			    "account id (12 digits)", (int)n, account, arn);
}

/*
 * Check that the Arn of e, an entry of the list that k describes, is
 * arn:PARTITION:iam::ACCOUNT: followed by the list's KIND, e's Path and
 * e's name (user/eng/alice), with a 12-digit ACCOUNT. An empty Path is
 * not compared: IAM never writes one, but cloudmapper's demo export does.
 */
static int check_identity_arn(struct gaad *g, const struct aws_entity *e,
			      const struct entity_keys *k)
{
	const char *account, *resource, *path, *last;
	size_t path_len;

	if (check_arn(g, "Arn", e->arn, k->kind, NULL))
		return -1;
	account = strchr(e->arn + 4, ':') + 6;
	resource = strchr(account, ':') + 1;
	if (check_identity_account(g, e->arn, account,
				   (size_t)(resource - 1 - account)))
		return -1;
	path = resource + strlen(k->kind);
	last = strrchr(path, '/');
	path_len = (size_t)(last + 1 - path);
	if (strcmp(last + 1, e->name))
		return member_error(g, "Arn", "'%s' names %s '%s', not %s '%s'",
				    e->arn, k->kind, last + 1, k->name,
				    e->name);
	if (e->path && *e->path &&
	    (strlen(e->path) != path_len || strncmp(e->path, path, path_len)))
		return member_error(g, "Arn", "'%s' has the path '%.*s', not "
				    "Path '%s'", e->arn, (int)path_len, path,
				    e->path);
	return 0;
}

/* Record that arn is defined at loc; a second definition is an error. */
static int define_arn(struct gaad *g, const char *arn, const struct loc *loc)
{
	const struct loc *first = ptrmap_get(&g->arns, arn);

	if (first) {
		static const struct json_step step = { "Arn", 0 };
		struct loc at = *first;
		size_t value;

		if (!json_locate(g->src->text, g->src->len, first->off, &step,
				 1, &value, NULL, NULL))
			at.off = (uint32_t)value;
		member_error(g, "Arn", "duplicate ARN '%s'", arn);
		diag_at(g->d, DIAG_NOTE, &at, "'%s' is first defined here",
			arn);
		return -1;
	}
	ptrmap_put(&g->arns, arn, (void *)loc);
	return 0;
}

/* Return the export location of v, a node of the element being read. */
static struct loc node_loc(struct gaad *g, const cJSON *v)
{
	return json_node_loc(&g->c, v);
}

static int expect_object(struct gaad *g, const cJSON *v)
{
	if (!cJSON_IsObject(v))
		return json_ctx_error(&g->c, "expected an object, got %s",
				      json_type_name(v));
	return json_check_unique_keys(&g->c, v);
}

/*
 * Convert the policy document v at the path, naming it in messages as
 * the text that what_fmt formats. Most documents have no message, so
 * the name is formatted only for one.
 */
static int read_document(struct gaad *g, const cJSON *v,
			 enum aws_policy_kind kind, struct aws_policy_doc **out,
			 const char *what_fmt, ...) PRINTF_LIKE(5, 6);

static int read_document(struct gaad *g, const cJSON *v,
			 enum aws_policy_kind kind, struct aws_policy_doc **out,
			 const char *what_fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, what_fmt);
	g->c.what_fmt = what_fmt;
	g->c.what_args = &ap;
	ret = aws_policy_from_json(out, &g->c, v, kind, g->arena, g->strtab);
	g->c.what_fmt = NULL;
	g->c.what_args = NULL;
	va_end(ap);
	return ret;
}

static int read_inline_policy(struct gaad *g, const cJSON *item,
			      struct aws_entity *e, struct aws_inline_policy *p)
{
	const cJSON *doc;
	int ret;

	if (expect_object(g, item) ||
	    get_string(g, item, "PolicyName", true, &p->name))
		return -1;
	doc = cJSON_GetObjectItemCaseSensitive(item, "PolicyDocument");
	if (!doc)
		return json_ctx_error(&g->c, "missing required key "
				      "'PolicyDocument'");
	json_path_push_key(&g->c.path, "PolicyDocument");
	ret = read_document(g, doc, AWS_POLICY_IDENTITY, &p->doc,
			    "%s '%s' inline policy '%s'",
			    entity_keys[e->kind].kind, e->name, p->name);
	json_path_pop(&g->c.path);
	return ret;
}

static int read_inline(struct gaad *g, const cJSON *obj, struct aws_entity *e)
{
	const char *key = entity_keys[e->kind].inline_list;
	const cJSON *list, *item;
	size_t i = 0;
	int ret = 0;

	if (json_get_array(&g->c, obj, key, false, &list))
		return -1;
	if (!list)
		return 0;
	e->ninline = (size_t)cJSON_GetArraySize(list);
	e->inline_policies = arena_calloc(g->arena, e->ninline,
					  sizeof(*e->inline_policies));
	json_path_push_key(&g->c.path, key);
	cJSON_ArrayForEach(item, list) {
		struct aws_inline_policy *p = &e->inline_policies[i];
		struct json_text entry;

		p->loc = node_loc(g, item);
		json_path_push_index(&g->c.path, i);
		json_ctx_enter(&g->c, &entry, json_value_off(item));
		ret = read_inline_policy(g, item, e, p);
		json_ctx_leave(&g->c, &entry);
		json_path_pop(&g->c.path);
		if (ret)
			break;
		i++;
	}
	json_path_pop(&g->c.path);
	return ret;
}

/* Point ref->loc at the entry's PolicyArn value, or at the entry. */
static void ref_loc(struct gaad *g, struct aws_policy_ref *ref,
		    const cJSON *entry)
{
	const cJSON *arn = cJSON_GetObjectItemCaseSensitive(entry, "PolicyArn");

	ref->loc = node_loc(g, arn && cJSON_IsString(arn) ? arn : entry);
}

static int read_attachment(struct gaad *g, const cJSON *item,
			   struct aws_policy_ref *ref)
{
	if (expect_object(g, item) ||
	    get_string(g, item, "PolicyArn", true, &ref->arn) ||
	    get_string(g, item, "PolicyName", false, &ref->name))
		return -1;
	return check_arn(g, "PolicyArn", ref->arn, "policy", NULL);
}

static int read_attached(struct gaad *g, const cJSON *obj,
			 struct aws_entity *e)
{
	const char *key = "AttachedManagedPolicies";
	const cJSON *list, *item;
	size_t i = 0;
	int ret = 0;

	if (json_get_array(&g->c, obj, key, false, &list))
		return -1;
	if (!list)
		return 0;
	e->nattached = (size_t)cJSON_GetArraySize(list);
	e->attached = arena_calloc(g->arena, e->nattached,
				   sizeof(*e->attached));
	json_path_push_key(&g->c.path, key);
	cJSON_ArrayForEach(item, list) {
		if (cJSON_IsObject(item))
			ref_loc(g, &e->attached[i], item);
		json_path_push_index(&g->c.path, i);
		ret = read_attachment(g, item, &e->attached[i]);
		json_path_pop(&g->c.path);
		if (ret)
			break;
		i++;
	}
	json_path_pop(&g->c.path);
	return ret;
}

static int read_boundary_object(struct gaad *g, const cJSON *pb,
				struct aws_entity *e)
{
	const char *type, *slash;

	if (expect_object(g, pb) ||
	    get_string(g, pb, "PermissionsBoundaryType", false, &type) ||
	    get_string(g, pb, "PermissionsBoundaryArn", true,
		       &e->boundary.arn))
		return -1;
	if (type && strcmp(type, "PermissionsBoundaryPolicy"))
		return member_error(g, "PermissionsBoundaryType", "expected "
				    "'PermissionsBoundaryPolicy', got '%s'",
				    type);
	if (check_arn(g, "PermissionsBoundaryArn", e->boundary.arn, "policy",
		      NULL))
		return -1;
	slash = strrchr(e->boundary.arn, '/');
	e->boundary.name = intern(g, slash + 1);
	e->boundary.loc = node_loc(g, cJSON_GetObjectItemCaseSensitive(
		pb, "PermissionsBoundaryArn"));
	return 0;
}

static int read_boundary(struct gaad *g, const cJSON *obj,
			 struct aws_entity *e)
{
	const cJSON *pb;
	int ret;

	if (json_get_object(&g->c, obj, "PermissionsBoundary", false, &pb))
		return -1;
	if (!pb)
		return 0;
	json_path_push_key(&g->c.path, "PermissionsBoundary");
	ret = read_boundary_object(g, pb, e);
	json_path_pop(&g->c.path);
	return ret;
}

static int read_tags(struct gaad *g, const cJSON *obj, struct aws_entity *e)
{
	const cJSON *list, *item;
	size_t i = 0;
	int ret = 0;

	if (json_get_array(&g->c, obj, "Tags", false, &list))
		return -1;
	if (!list)
		return 0;
	e->ntags = (size_t)cJSON_GetArraySize(list);
	e->tags = arena_calloc(g->arena, e->ntags, sizeof(*e->tags));
	json_path_push_key(&g->c.path, "Tags");
	cJSON_ArrayForEach(item, list) {
		struct aws_tag *tag = &e->tags[i];

		json_path_push_index(&g->c.path, i);
		ret = expect_object(g, item) ||
		      get_string(g, item, "Key", true, &tag->key) ||
		      get_string(g, item, "Value", true, &tag->value) ? -1 : 0;
		json_path_pop(&g->c.path);
		if (ret)
			break;
		i++;
	}
	json_path_pop(&g->c.path);
	return ret;
}

static int read_group_list(struct gaad *g, const cJSON *obj,
			   struct aws_entity *e)
{
	const cJSON *list, *item;
	size_t i = 0;

	if (json_get_array(&g->c, obj, "GroupList", false, &list))
		return -1;
	if (!list)
		return 0;
	e->ngroup_names = (size_t)cJSON_GetArraySize(list);
	e->group_names = arena_calloc(g->arena, e->ngroup_names,
				      sizeof(*e->group_names));
	cJSON_ArrayForEach(item, list) {
		if (!cJSON_IsString(item)) {
			json_path_push_key(&g->c.path, "GroupList");
			json_path_push_index(&g->c.path, i);
			json_ctx_error(&g->c, "expected a group name, got %s",
				       json_type_name(item));
			g->c.path.depth -= 2;
			return -1;
		}
		e->group_names[i++] = intern(g, item->valuestring);
	}
	return 0;
}

/* Read what users, groups and roles share. */
static int read_entity(struct gaad *g, const cJSON *v,
		       enum aws_entity_kind kind, struct json_span span,
		       struct aws_entity **out)
{
	const struct entity_keys *k = &entity_keys[kind];
	struct aws_entity *e;

	if (expect_object(g, v))
		return -1;
	e = arena_calloc(g->arena, 1, sizeof(*e));
	e->kind = kind;
	e->loc = span_loc(g, span);
	e->last_used_day = -1;
	if (get_string(g, v, k->name, true, &e->name) ||
	    get_string(g, v, "Arn", true, &e->arn) ||
	    get_string(g, v, k->id, false, &e->id) ||
	    get_string(g, v, "Path", false, &e->path) ||
	    get_string(g, v, "CreateDate", false, &e->create_date) ||
	    check_identity_arn(g, e, k) || define_arn(g, e->arn, &e->loc))
		return -1;
	if (read_inline(g, v, e) || read_attached(g, v, e))
		return -1;
	*out = e;
	return 0;
}

static void add_entity(struct gaad *g, struct aws_entity *e)
{
	struct entity_list *l = &g->lists[e->kind];

	grow_array((void **)&l->items, &l->cap, l->n + 1, sizeof(*l->items));
	l->items[l->n++] = e;
}

static int read_user(struct gaad *g, const cJSON *v, struct json_span span)
{
	struct aws_entity *e;

	if (read_entity(g, v, AWS_USER, span, &e) ||
	    read_group_list(g, v, e) || read_boundary(g, v, e) ||
	    read_tags(g, v, e))
		return -1;
	add_entity(g, e);
	return 0;
}

static int read_group(struct gaad *g, const cJSON *v, struct json_span span)
{
	struct aws_entity *e;

	if (read_entity(g, v, AWS_GROUP, span, &e))
		return -1;
	if (ptrmap_get(&g->group_names, e->name))
		return member_error(g, "GroupName", "duplicate group name "
				    "'%s'", e->name);
	ptrmap_put(&g->group_names, e->name, e);
	add_entity(g, e);
	return 0;
}

static int read_last_used(struct gaad *g, const cJSON *v, struct aws_entity *e)
{
	const cJSON *last;
	int ret = 0;

	if (json_get_object(&g->c, v, "RoleLastUsed", false, &last))
		return -1;
	if (!last)
		return 0;
	json_path_push_key(&g->c.path, "RoleLastUsed");
	if (get_string(g, last, "LastUsedDate", false, &e->last_used))
		ret = -1;
	else if (e->last_used &&
		 aws_parse_timestamp(e->last_used, strlen(e->last_used),
				     &e->last_used_day))
		ret = member_error(g, "LastUsedDate", "expected an ISO 8601 "
				   "timestamp such as 2024-01-15T10:00:00Z, "
				   "got '%s'", e->last_used);
	json_path_pop(&g->c.path);
	return ret;
}

static int read_role(struct gaad *g, const cJSON *v, struct json_span span)
{
	struct aws_entity *e;
	const cJSON *trust;
	int ret;

	if (read_entity(g, v, AWS_ROLE, span, &e))
		return -1;
	trust = cJSON_GetObjectItemCaseSensitive(v, "AssumeRolePolicyDocument");
	if (!trust)
		return json_ctx_error(&g->c, "missing required key "
				      "'AssumeRolePolicyDocument'");
	json_path_push_key(&g->c.path, "AssumeRolePolicyDocument");
	ret = read_document(g, trust, AWS_POLICY_TRUST, &e->trust,
			    "the trust policy of role '%s'", e->name);
	json_path_pop(&g->c.path);
	if (ret || read_boundary(g, v, e) || read_tags(g, v, e) ||
	    read_last_used(g, v, e))
		return -1;
	add_entity(g, e);
	return 0;
}

/* One entry of PolicyVersionList, as far as choosing the default needs. */
struct version {
	const cJSON *obj;
	const char *id;
	size_t index;
	bool flag_present, flag;
};

static int read_version(struct gaad *g, const cJSON *item, size_t index,
			struct ptrmap *seen, struct version *out)
{
	out->obj = item;
	out->index = index;
	if (expect_object(g, item) ||
	    get_string(g, item, "VersionId", true, &out->id) ||
	    json_get_bool(&g->c, item, "IsDefaultVersion", &out->flag_present,
			  &out->flag))
		return -1;
	if (ptrmap_get(seen, out->id))
		return member_error(g, "VersionId", "duplicate version '%s'",
				    out->id);
	ptrmap_put(seen, out->id, (void *)item);
	return 0;
}

/*
 * Scan the versions for the one IsDefaultVersion marks and the one
 * DefaultVersionId names. The path names PolicyVersionList.
 */
static int scan_versions(struct gaad *g, const cJSON *list,
			 const char *default_id, struct version *flagged,
			 struct version *named)
{
	struct ptrmap seen = PTRMAP_INIT;
	const cJSON *item;
	size_t i = 0;
	int ret = 0;

	cJSON_ArrayForEach(item, list) {
		struct version v;

		json_path_push_index(&g->c.path, i);
		ret = read_version(g, item, i, &seen, &v);
		if (!ret && v.flag && flagged->obj)
			ret = member_error(g, "IsDefaultVersion", "versions "
					   "'%s' and '%s' are both marked as "
					   "the default", flagged->id, v.id);
		json_path_pop(&g->c.path);
		if (ret)
			break;
		if (v.flag)
			*flagged = v;
		if (default_id && !strcmp(v.id, default_id))
			*named = v;
		i++;
	}
	ptrmap_release(&seen);
	return ret;
}

/* Choose the default version; the path names the policy. */
static int find_default(struct gaad *g, const cJSON *list,
			const char *default_id, struct version *out)
{
	struct version flagged = { 0 }, named = { 0 };
	int ret;

	json_path_push_key(&g->c.path, "PolicyVersionList");
	ret = scan_versions(g, list, default_id, &flagged, &named);
	if (!ret && !default_id && !flagged.obj)
		ret = json_ctx_error(&g->c, "no version is marked as the "
				     "default (IsDefaultVersion) and "
				     "DefaultVersionId is missing");
	json_path_pop(&g->c.path);
	if (ret)
		return -1;
	if (!default_id) {
		*out = flagged;
		return 0;
	}
	if (!named.obj)
		return member_error(g, "DefaultVersionId", "DefaultVersionId "
				    "'%s' names no version in "
				    "PolicyVersionList", default_id);
	if (flagged.obj && flagged.obj != named.obj)
		return member_error(g, "DefaultVersionId", "DefaultVersionId "
				    "is '%s' but version '%s' is marked as "
				    "the default", default_id, flagged.id);
	if (named.flag_present && !named.flag)
		return member_error(g, "DefaultVersionId", "DefaultVersionId "
				    "is '%s' but that version's "
				    "IsDefaultVersion is false", default_id);
	*out = named;
	return 0;
}

static int read_default_document(struct gaad *g, struct aws_managed_policy *p,
				 const struct version *v)
{
	const cJSON *doc = cJSON_GetObjectItemCaseSensitive(v->obj, "Document");
	cJSON *parsed = NULL;
	int ret;

	if (doc && json_is_elided(g->src->text, doc)) {
		size_t err;

		parsed = json_parse_elided(g->src->text, g->scan, g->member,
					   g->elem, doc, &err);
		if (!parsed) {
			struct loc loc = { g->src, (uint32_t)err, 0 };

			diag_at(g->d, DIAG_ERROR, &loc, "invalid JSON: cJSON "
				"failed to parse the value");
			return -1;
		}
		doc = parsed;
	}
	json_path_push_key(&g->c.path, "PolicyVersionList");
	json_path_push_index(&g->c.path, v->index);
	if (!doc) {
		ret = json_ctx_error(&g->c, "missing required key 'Document' "
				     "in the default version");
	} else {
		json_path_push_key(&g->c.path, "Document");
		ret = read_document(g, doc, AWS_POLICY_IDENTITY, &p->doc,
				    "managed policy '%s' version '%s'",
				    p->arn, v->id);
		json_path_pop(&g->c.path);
	}
	g->c.path.depth -= 2;
	cJSON_Delete(parsed);
	return ret;
}

static int read_policy(struct gaad *g, const cJSON *v, struct json_span span)
{
	struct aws_managed_policy *p;
	const cJSON *versions;
	struct version def = { 0 };

	if (expect_object(g, v))
		return -1;
	p = arena_calloc(g->arena, 1, sizeof(*p));
	p->loc = span_loc(g, span);
	if (get_string(g, v, "PolicyName", true, &p->name) ||
	    get_string(g, v, "Arn", true, &p->arn) ||
	    check_arn(g, "Arn", p->arn, "policy", &p->aws_managed) ||
	    define_arn(g, p->arn, &p->loc) ||
	    get_string(g, v, "DefaultVersionId", false, &p->default_version) ||
	    json_get_array(&g->c, v, "PolicyVersionList", true, &versions) ||
	    find_default(g, versions, p->default_version, &def))
		return -1;
	p->default_version = def.id;
	if (read_default_document(g, p, &def))
		return -1;
	ptrmap_put(&g->policy_arns, p->arn, p);
	grow_array((void **)&g->policies, &g->policies_cap, g->npolicies + 1,
		   sizeof(*g->policies));
	g->policies[g->npolicies++] = p;
	return 0;
}

static const char *scan_type_name(enum json_type type)
{
	switch (type) {
	case JSON_NULL:
		return "null";
	case JSON_BOOL:
		return "a boolean";
	case JSON_NUMBER:
		return "a number";
	case JSON_STRING:
		return "a string";
	case JSON_ARRAY:
		return "an array";
	case JSON_OBJECT:
		break;
	}
	return "an object";
}

/* Return whether this export hit the diagnostics' error limit. */
static bool gave_up(const struct gaad *g)
{
	return g->d->stopped && g->d->errors > g->errors_before;
}

typedef int (*element_fn)(struct gaad *g, const cJSON *v,
			  struct json_span span);

/* Versions past this many keep their documents in the tree. */
#define ELIDED_VERSIONS_MAX 64

/*
 * Parse element i of list m. Of a managed policy's versions, only the
 * default one's document counts, and IAM keeps up to five, so the
 * documents become placeholders that read_default_document parses
 * only for the default version.
 */
static cJSON *parse_element(struct gaad *g,
			    const struct json_object_scan *scan,
			    const struct json_member *m, size_t i,
			    element_fn read, size_t *err)
{
	size_t docs[ELIDED_VERSIONS_MAX], n, kept = 0, j;

	g->scan = scan;
	g->member = m;
	g->elem = i;
	if (read != read_policy)
		return json_parse_element(g->src->text, scan, m, i, err);
	n = json_element_find_nested(g->src->text, scan, m, i,
				     "PolicyVersionList", "Document", docs,
				     ELIDED_VERSIONS_MAX);
	/* A placeholder must be shorter than the value it stands for. */
	for (j = 0; j < n; j++)
		if (scan->value_end[docs[j]] - scan->value_start[docs[j]] > 4)
			docs[kept++] = docs[j];
	return json_parse_element_elided(g->src->text, scan, m, i, docs, kept,
					 err);
}

/* Convert each element of one top-level list, one cJSON tree at a time. */
static int read_list(struct gaad *g, struct json_object_scan *scan,
		     const struct json_member *m, element_fn read)
{
	int ret = 0;
	size_t i;

	g->c.path.depth = 0;
	json_path_push_key(&g->c.path, m->key);
	if (m->type != JSON_ARRAY) {
		g->text.root = scan->off;
		g->text.depth = 0;
		return json_ctx_error(&g->c, "expected an array, got %s",
				      scan_type_name(m->type));
	}
	for (i = 0; i < m->nelems && !gave_up(g); i++) {
		struct json_span span = m->elems[i];
		size_t err;
		cJSON *v = parse_element(g, scan, m, i, read, &err);

		if (!v) {
			struct loc loc = { g->src, (uint32_t)err, 0 };

			diag_at(g->d, DIAG_ERROR, &loc, "invalid JSON: cJSON "
				"failed to parse the value");
			return -1;
		}
		g->text.root = span.off;
		g->text.depth = 2;
		g->c.path.depth = 1;
		json_path_push_index(&g->c.path, i);
		if (read(g, v, span))
			ret = -1;
		cJSON_Delete(v);
		json_scratch_reset();
		json_object_scan_forget(scan, m->elem_values[i + 1]);
		source_release_before(g->src, span.off + span.len);
	}
	return ret;
}

static void resolve_ref(struct gaad *g, const struct aws_entity *e,
			struct aws_policy_ref *ref, const char *relation)
{
	ref->policy = ptrmap_get(&g->policy_arns, ref->arn);
	if (!ref->policy)
		diag_at(g->d, DIAG_WARNING, &ref->loc, "%s '%s' %s '%s', "
			"which is not in the export; its permissions are "
			"unknown", entity_keys[e->kind].kind, e->name,
			relation, ref->arn);
}

static void resolve_groups(struct gaad *g, struct aws_entity *e)
{
	size_t i;

	e->groups = arena_calloc(g->arena, e->ngroup_names,
				 sizeof(*e->groups));
	for (i = 0; i < e->ngroup_names; i++) {
		struct json_step steps[2] = { { "GroupList", 0 }, { NULL, i } };
		struct aws_entity *group;
		struct loc loc = e->loc;
		size_t value, end;

		group = ptrmap_get(&g->group_names, e->group_names[i]);
		if (group) {
			e->groups[e->ngroups++] = group;
			continue;
		}
		if (!json_locate(g->src->text, g->src->len, e->loc.off, steps,
				 2, &value, &end, NULL)) {
			loc.off = (uint32_t)value;
			loc.len = (uint32_t)(end - value);
		}
		diag_at(g->d, DIAG_WARNING, &loc, "user '%s' is in group '%s', "
			"which is not in the export; its permissions are "
			"unknown", e->name, e->group_names[i]);
	}
}

static void resolve(struct gaad *g)
{
	int kind;
	size_t i, j;

	for (kind = AWS_USER; kind <= AWS_GROUP; kind++) {
		for (i = 0; i < g->lists[kind].n; i++) {
			struct aws_entity *e = g->lists[kind].items[i];

			for (j = 0; j < e->nattached; j++)
				resolve_ref(g, e, &e->attached[j],
					    "attaches managed policy");
			if (e->boundary.arn)
				resolve_ref(g, e, &e->boundary,
					    "has permissions boundary");
			if (kind == AWS_USER)
				resolve_groups(g, e);
		}
	}
}

static void *arena_copy(struct arena *a, const void *p, size_t n, size_t size)
{
	void *copy = arena_calloc(a, n, size);

	if (n)
		memcpy(copy, p, n * size);
	return copy;
}

static struct aws_export *make_export(struct gaad *g)
{
	struct aws_export *exp = arena_calloc(g->arena, 1, sizeof(*exp));
	struct entity_list *l = g->lists;

	exp->src = g->src;
	exp->users = arena_copy(g->arena, l[AWS_USER].items, l[AWS_USER].n,
				sizeof(*exp->users));
	exp->nusers = l[AWS_USER].n;
	exp->roles = arena_copy(g->arena, l[AWS_ROLE].items, l[AWS_ROLE].n,
				sizeof(*exp->roles));
	exp->nroles = l[AWS_ROLE].n;
	exp->groups = arena_copy(g->arena, l[AWS_GROUP].items, l[AWS_GROUP].n,
				 sizeof(*exp->groups));
	exp->ngroups = l[AWS_GROUP].n;
	exp->policies = arena_copy(g->arena, g->policies, g->npolicies,
				   sizeof(*exp->policies));
	exp->npolicies = g->npolicies;
	return exp;
}

static element_fn reader_for(const char *key)
{
	if (!strcmp(key, "UserDetailList"))
		return read_user;
	if (!strcmp(key, "GroupDetailList"))
		return read_group;
	if (!strcmp(key, "RoleDetailList"))
		return read_role;
	if (!strcmp(key, "Policies"))
		return read_policy;
	return NULL;
}

int aws_gaad_read(struct aws_export **out, struct source *src,
		  struct json_object_scan *scan, struct arena *arena,
		  struct strtab *strtab, struct diag *d)
{
	struct gaad g;
	size_t i;
	int ret = 0, kind;

	memset(&g, 0, sizeof(g));
	g.src = src;
	g.d = d;
	g.arena = arena;
	g.strtab = strtab;
	g.text.text = src->text;
	g.text.len = src->len;
	g.c.src = src;
	g.c.d = d;
	g.c.text = &g.text;
	g.errors_before = d->errors;
	*out = NULL;

	json_scratch_begin();
	for (i = 0; i < scan->nmembers && !gave_up(&g); i++) {
		element_fn read = reader_for(scan->members[i].key);

		if (read && read_list(&g, scan, &scan->members[i], read))
			ret = -1;
	}
	json_scratch_end();
	if (d->errors != g.errors_before)
		ret = -1;
	if (!ret) {
		resolve(&g);
		*out = make_export(&g);
	}

	for (kind = AWS_USER; kind <= AWS_GROUP; kind++)
		free(g.lists[kind].items);
	free(g.policies);
	ptrmap_release(&g.arns);
	ptrmap_release(&g.group_names);
	ptrmap_release(&g.policy_arns);
	return ret;
}
