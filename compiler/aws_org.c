#include "common.h"
#include "aws_org.h"

#include "aws_policy.h"
#include "strtab.h"

/*
 * Reading an Organizations path export. Each level's policies are the
 * output of `aws organizations describe-policy`, whose Content is the
 * policy document as a JSON string.
 */
struct org_reader {
	struct json_ctx c;
	struct json_text text;
	struct arena *arena;
	struct strtab *strtab;
	struct buf what;
};

static const char *const org_keys[] = {
	"AccountId", "ManagementAccountId", "TargetPath",
};

static const char *const level_keys[] = {
	"TargetId", "Type", "Name", "Policies",
};

static bool in_list(const char *key, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

/* Check that obj is an object with no duplicate or unknown keys. */
static int check_object(struct org_reader *r, const cJSON *obj,
			const char *const *keys, size_t nkeys)
{
	const cJSON *m;

	if (!cJSON_IsObject(obj))
		return json_ctx_error(&r->c, "expected an object, got %s",
				      json_type_name(obj));
	if (json_check_unique_keys(&r->c, obj))
		return -1;
	cJSON_ArrayForEach(m, obj) {
		if (!keys || in_list(m->string, keys, nkeys))
			continue;
		json_path_push_key(&r->c.path, m->string);
		json_ctx_error_key(&r->c, "unknown key '%s'", m->string);
		json_path_pop(&r->c.path);
		return -1;
	}
	return 0;
}

static bool is_account_id(const char *s)
{
	size_t i;

	for (i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[12] == '\0';
}

static int get_account(struct org_reader *r, const cJSON *obj,
		       const char *key, bool required, const char **out)
{
	int ret = 0;

	if (json_get_string(&r->c, obj, key, required, out))
		return -1;
	if (!*out)
		return 0;
	if (!is_account_id(*out)) {
		json_path_push_key(&r->c.path, key);
		ret = json_ctx_error(&r->c, "'%s' is not an AWS account id "
				     "(12 digits)", *out);
		json_path_pop(&r->c.path);
	}
	*out = strtab_intern(r->strtab, *out, strlen(*out));
	return ret;
}

/* Read one describe-policy output: {"Policy": {PolicySummary, Content}}. */
static int read_scp(struct org_reader *r, const cJSON *item,
		    const char *target, struct aws_scp *scp)
{
	const cJSON *policy, *summary, *content;
	const char *name, *arn, *type;
	int ret;

	if (check_object(r, item, NULL, 0) ||
	    json_get_object(&r->c, item, "Policy", true, &policy))
		return -1;
	json_path_push_key(&r->c.path, "Policy");
	ret = json_get_object(&r->c, policy, "PolicySummary", true, &summary);
	if (ret)
		goto out;
	json_path_push_key(&r->c.path, "PolicySummary");
	ret = json_get_string(&r->c, summary, "Name", true, &name) ||
	      json_get_string(&r->c, summary, "Arn", false, &arn) ||
	      json_get_string(&r->c, summary, "Type", false, &type);
	if (!ret && type && strcmp(type, "SERVICE_CONTROL_POLICY")) {
		json_path_push_key(&r->c.path, "Type");
		ret = json_ctx_error(&r->c, "policy type '%s' is not "
				     "SERVICE_CONTROL_POLICY; export only the "
				     "service control policies with "
				     "--filter SERVICE_CONTROL_POLICY", type);
		json_path_pop(&r->c.path);
	}
	json_path_pop(&r->c.path);
	if (ret)
		goto out;
	scp->name = strtab_intern(r->strtab, name, strlen(name));
	scp->arn = arn ? strtab_intern(r->strtab, arn, strlen(arn)) : NULL;
	scp->loc = json_node_loc(&r->c, policy);
	content = cJSON_GetObjectItemCaseSensitive(policy, "Content");
	if (!content) {
		ret = json_ctx_error(&r->c, "missing required key 'Content'");
		goto out;
	}
	json_path_push_key(&r->c.path, "Content");
	buf_reset(&r->what);
	buf_addf(&r->what, "service control policy '%s' at %s", scp->name,
		 target);
	r->c.what = buf_str(&r->what);
	ret = aws_policy_from_json(&scp->doc, &r->c, content,
				   AWS_POLICY_IDENTITY, r->arena, r->strtab);
	r->c.what = NULL;
	json_path_pop(&r->c.path);
out:
	json_path_pop(&r->c.path);
	return ret ? -1 : 0;
}

static int read_level(struct org_reader *r, const cJSON *obj,
		      struct aws_org_level *level)
{
	const char *target, *type;
	const cJSON *list, *item;
	size_t i = 0;
	int ret = 0;

	if (check_object(r, obj, level_keys, ARRAY_SIZE(level_keys)) ||
	    json_get_string(&r->c, obj, "TargetId", true, &target) ||
	    json_get_string(&r->c, obj, "Type", true, &type) ||
	    json_get_array(&r->c, obj, "Policies", true, &list))
		return -1;
	if (strcmp(type, "ROOT") && strcmp(type, "ORGANIZATIONAL_UNIT") &&
	    strcmp(type, "ACCOUNT")) {
		json_path_push_key(&r->c.path, "Type");
		ret = json_ctx_error(&r->c, "expected ROOT, "
				     "ORGANIZATIONAL_UNIT or ACCOUNT, got "
				     "'%s'", type);
		json_path_pop(&r->c.path);
		return ret;
	}
	level->target = strtab_intern(r->strtab, target, strlen(target));
	level->type = strtab_intern(r->strtab, type, strlen(type));
	level->loc = json_node_loc(&r->c, obj);
	level->nscps = (size_t)cJSON_GetArraySize(list);
	level->scps = arena_calloc(r->arena, level->nscps,
				   sizeof(*level->scps));
	json_path_push_key(&r->c.path, "Policies");
	cJSON_ArrayForEach(item, list) {
		struct json_text entry;

		json_path_push_index(&r->c.path, i);
		json_ctx_enter(&r->c, &entry, json_value_off(item));
		ret = read_scp(r, item, level->target, &level->scps[i]);
		json_ctx_leave(&r->c, &entry);
		json_path_pop(&r->c.path);
		if (ret)
			break;
		i++;
	}
	json_path_pop(&r->c.path);
	return ret;
}

/* The path must run from the root down to the account it is for. */
static int check_path(struct org_reader *r, const struct aws_org_path *org)
{
	const struct aws_org_level *last;
	size_t i;

	json_path_push_key(&r->c.path, "TargetPath");
	if (org->nlevels < 2) {
		json_ctx_error(&r->c, "the path needs at least the ROOT and "
			       "the ACCOUNT");
		return -1;
	}
	for (i = 0; i < org->nlevels; i++) {
		const struct aws_org_level *l = &org->levels[i];
		const char *want = i == 0 ? "ROOT"
				   : i + 1 == org->nlevels ? "ACCOUNT"
				   : "ORGANIZATIONAL_UNIT";

		if (!strcmp(l->type, want))
			continue;
		json_path_push_index(&r->c.path, i);
		json_path_push_key(&r->c.path, "Type");
		json_ctx_error(&r->c, "level %zu is %s; the path runs from "
			       "the ROOT through ORGANIZATIONAL_UNIT levels "
			       "to the ACCOUNT", i, l->type);
		return -1;
	}
	last = &org->levels[org->nlevels - 1];
	if (strcmp(last->target, org->account)) {
		json_path_push_index(&r->c.path, org->nlevels - 1);
		json_path_push_key(&r->c.path, "TargetId");
		json_ctx_error(&r->c, "the path ends at '%s', not at "
			       "AccountId '%s'", last->target, org->account);
		return -1;
	}
	json_path_pop(&r->c.path);
	return 0;
}

int aws_org_read(struct aws_org_path **out, struct source *src,
		 const struct json_object_scan *scan, struct arena *arena,
		 struct strtab *strtab, struct diag *d)
{
	struct org_reader r;
	struct aws_org_path *org;
	const cJSON *path, *item;
	cJSON *root;
	size_t err, i = 0;
	int ret = -1;

	*out = NULL;
	root = json_parse_span(src->text, scan->off, src->len - scan->off,
			       &err);
	if (!root) {
		struct loc loc = { src, (uint32_t)err, 0 };

		diag_at(d, DIAG_ERROR, &loc, "invalid JSON: cJSON failed to "
			"parse the value");
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.text.text = src->text;
	r.text.len = src->len;
	r.text.root = scan->off;
	r.c.src = src;
	r.c.d = d;
	r.c.text = &r.text;
	r.arena = arena;
	r.strtab = strtab;

	org = arena_calloc(arena, 1, sizeof(*org));
	org->src = src;
	if (check_object(&r, root, org_keys, ARRAY_SIZE(org_keys)) ||
	    get_account(&r, root, "AccountId", true, &org->account) ||
	    get_account(&r, root, "ManagementAccountId", false,
			&org->management_account) ||
	    json_get_array(&r.c, root, "TargetPath", true, &path))
		goto out;
	org->nlevels = (size_t)cJSON_GetArraySize(path);
	org->levels = arena_calloc(arena, org->nlevels ? org->nlevels : 1,
				   sizeof(*org->levels));
	json_path_push_key(&r.c.path, "TargetPath");
	cJSON_ArrayForEach(item, path) {
		struct json_text entry;
		int bad;

		json_path_push_index(&r.c.path, i);
		json_ctx_enter(&r.c, &entry, json_value_off(item));
		bad = read_level(&r, item, &org->levels[i]);
		json_ctx_leave(&r.c, &entry);
		json_path_pop(&r.c.path);
		if (bad)
			goto out;
		i++;
	}
	json_path_pop(&r.c.path);
	if (check_path(&r, org))
		goto out;
	*out = org;
	ret = 0;
out:
	cJSON_Delete(root);
	buf_release(&r.what);
	return ret;
}
