#include "common.h"
#include "aws_access.h"

#include <strings.h>

#include "aws_policy.h"

/* A timestamp member: its text and seconds since 1970, or NULL and -1. */
struct stamp {
	const char *text;
	int64_t at;
};

/* The tracked action of a service that was used last. */
struct last_action {
	struct stamp used;
	const char *name;
	size_t index;		/* in TrackedActionsLastAccessed */
};

/* One service-last-accessed file being read. */
struct reader {
	struct source *src;
	struct diag *d;
	struct arena *arena;
	struct strtab *strtab;
	struct json_text text;
	struct json_ctx c;
	const cJSON *root;
	struct aws_access_report *rep;
	const char *tied_by;	/* how the file names its identity */
	struct stamp completed;	/* JobCompletionDate */
};

bool aws_access_top_key(const char *key)
{
	return !strcmp(key, "ServicesLastAccessed") ||
	       !strcmp(key, "EntityDetailsList") || !strcmp(key, "JobStatus");
}

static const char *intern(struct reader *r, const char *s)
{
	return s ? strtab_intern_str(r->strtab, s) : NULL;
}

/* Report an error at member key of the object the path names. */
static int key_error(struct reader *r, const char *key, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

static int key_error(struct reader *r, const char *key, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	json_path_push_key(&r->c.path, key);
	json_ctx_error(&r->c, "%s", buf_str(&msg));
	json_path_pop(&r->c.path);
	buf_release(&msg);
	return -1;
}

/*
 * Read an optional string member; null counts as absent, since SDKs
 * that dump whole responses write null for fields IAM left out.
 */
static int opt_string(struct reader *r, const cJSON *obj, const char *key,
		      const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return key_error(r, key, "expected a string, got %s",
				 json_type_name(v));
	*out = v->valuestring;
	return 0;
}

static int opt_timestamp(struct reader *r, const cJSON *obj, const char *key,
			 struct stamp *out)
{
	const char *s;

	out->text = NULL;
	out->at = -1;
	if (opt_string(r, obj, key, &s))
		return -1;
	if (s && aws_parse_time(s, strlen(s), &out->at))
		return key_error(r, key, "expected an ISO 8601 timestamp such "
				 "as 2024-01-15T10:00:00Z, got '%s'", s);
	out->text = s;
	return 0;
}

static int32_t stamp_day(struct stamp s)
{
	return s.at < 0 ? -1 : (int32_t)(s.at / 86400);
}

/*
 * Read the optional timestamp of a use. A job reports only use before
 * it completed, so a later one means the file was edited or mixes the
 * output of two jobs.
 */
static int read_use(struct reader *r, const cJSON *obj, const char *key,
		    struct stamp *out)
{
	if (opt_timestamp(r, obj, key, out))
		return -1;
	if (out->at > r->completed.at)
		return key_error(r, key, "'%s' is later than JobCompletionDate "
				 "'%s', but a job reports only use before it "
				 "completed; export the job's details again",
				 out->text, r->completed.text);
	return 0;
}

static int expect_object(struct reader *r, const cJSON *v)
{
	if (!cJSON_IsObject(v))
		return json_ctx_error(&r->c, "expected an object, got %s",
				      json_type_name(v));
	return json_check_unique_keys(&r->c, v);
}

/*
 * Return whether c may appear in the name of a user or role. The IAM
 * API Reference (CreateRole, CreateUser) allows letters, digits and
 * "_+=,.@-" in RoleName and UserName, 1 to 64 of them.
 */
static bool identity_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("+=,.@_-", c));
}

/*
 * Return whether arn is the ARN of an IAM user or role:
 * arn:PARTITION:iam::ACCOUNT:role/PATH/NAME. The partition is lowercase
 * letters, digits and '-', and the account 12 digits. The path is
 * printable ASCII without spaces, as CreateRole's Path allows.
 */
static bool identity_arn_valid(const char *arn)
{
	const char *p = arn + 4, *name;
	size_t i;

	if (strncmp(arn, "arn:", 4) || *p == ':')
		return false;
	for (; *p != ':'; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') &&
		    *p != '-')
			return false;
	if (strncmp(p, ":iam::", 6))
		return false;
	p += 6;
	for (i = 0; i < 12; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	p += 12;
	if (strncmp(p, ":role/", 6) && strncmp(p, ":user/", 6))
		return false;
	p += 6;
	name = strrchr(p, '/');
	name = name ? name + 1 : p;
	for (; p < name; p++)
		if (*p < 0x21 || *p > 0x7e)
			return false;
	for (i = 0; name[i]; i++)
		if (!identity_name_char(name[i]))
			return false;
	return i >= 1 && i <= 64;
}

static int check_status(struct reader *r)
{
	const char *status, *message = NULL;
	const cJSON *error;

	if (json_get_string(&r->c, r->root, "JobStatus", true, &status))
		return -1;
	if (!strcmp(status, "COMPLETED"))
		return 0;
	if (!strcmp(status, "IN_PROGRESS"))
		return key_error(r, "JobStatus", "the job is still "
				 "IN_PROGRESS; wait, then run 'aws iam "
				 "get-service-last-accessed-details' again");
	error = cJSON_GetObjectItemCaseSensitive(r->root, "Error");
	if (cJSON_IsObject(error)) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(error,
								  "Message");

		message = cJSON_IsString(m) ? m->valuestring : NULL;
	}
	if (!strcmp(status, "FAILED"))
		return key_error(r, "JobStatus", "the job FAILED%s%s; "
				 "generate the report again",
				 message ? ": " : "", message ? message : "");
	return key_error(r, "JobStatus", "expected COMPLETED, IN_PROGRESS or "
			 "FAILED, got '%s'", status);
}

static int check_job(struct reader *r, bool *action_level)
{
	const cJSON *v;
	const char *type, *completed;
	struct stamp created;

	*action_level = false;
	if (check_status(r))
		return -1;
	v = cJSON_GetObjectItemCaseSensitive(r->root, "IsTruncated");
	if (v && !cJSON_IsBool(v))
		return key_error(r, "IsTruncated", "expected true or false");
	if (cJSON_IsTrue(v))
		return key_error(r, "IsTruncated", "the file is one page of a "
				 "paginated result; run the command again "
				 "without --max-items so that the AWS CLI "
				 "fetches every page");
	if (opt_string(r, r->root, "JobType", &type))
		return -1;
	if (type && strcmp(type, "SERVICE_LEVEL") &&
	    strcmp(type, "ACTION_LEVEL"))
		return key_error(r, "JobType", "expected SERVICE_LEVEL or "
				 "ACTION_LEVEL, got '%s'", type);
	*action_level = type && !strcmp(type, "ACTION_LEVEL");
	if (json_get_string(&r->c, r->root, "JobCompletionDate", true,
			    &completed))
		return -1;
	json_path_push_key(&r->c.path, "JobCompletionDate");
	r->rep->completed_loc = json_ctx_loc(&r->c);
	json_path_pop(&r->c.path);
	if (opt_timestamp(r, r->root, "JobCompletionDate", &r->completed) ||
	    opt_timestamp(r, r->root, "JobCreationDate", &created))
		return -1;
	r->rep->completed = stamp_day(r->completed);
	if (created.at > r->completed.at)
		return key_error(r, "JobCompletionDate", "'%s' is earlier than "
				 "JobCreationDate '%s', but a job completes "
				 "after it is created; export the job's "
				 "details again", r->completed.text,
				 created.text);
	return 0;
}

/* An entry's key and its index in the JSON array, for duplicates. */
struct keyed {
	const char *key;
	size_t index;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcasecmp(x->key, y->key);

	if (c)
		return c;
	return (x->index > y->index) - (x->index < y->index);
}

/*
 * Report the later of two entries with the same key (a service, or an
 * identity), which keys[] lists with their indexes in the JSON array.
 */
static int check_unique(struct reader *r, const char *list, const char *what,
			struct keyed *keys, size_t n)
{
	size_t i;

	sort_array(keys, n, sizeof(*keys), cmp_keyed);
	for (i = 1; i < n; i++) {
		if (strcasecmp(keys[i - 1].key, keys[i].key))
			continue;
		json_path_push_key(&r->c.path, list);
		json_path_push_index(&r->c.path, keys[i].index);
		json_ctx_error(&r->c, "duplicate %s '%s'; %s[%zu] has it too",
			       what, keys[i].key, list, keys[i - 1].index);
		json_path_pop(&r->c.path);
		json_path_pop(&r->c.path);
		return -1;
	}
	return 0;
}

static int cmp_actions(const void *a, const void *b)
{
	return strcasecmp(((const struct aws_action_access *)a)->action,
			  ((const struct aws_action_access *)b)->action);
}

/* Read TrackedActionsLastAccessed[i] of the service entry e. */
static int read_tracked_action(struct reader *r, const cJSON *item,
			       struct aws_service_access *e, struct stamp *used)
{
	struct aws_action_access *a = &e->actions[e->nactions];
	const char *name, *colon;
	size_t n = strlen(e->service);

	if (expect_object(r, item) ||
	    json_get_string(&r->c, item, "ActionName", true, &name) ||
	    read_use(r, item, "LastAccessedTime", used))
		return -1;
	a->last_day = stamp_day(*used);
	colon = strchr(name, ':');
	if (!*name || (colon && (colon - name != (ptrdiff_t)n ||
				 strncasecmp(name, e->service, n) ||
				 !colon[1])))
		return key_error(r, "ActionName", "expected an action of "
				 "service '%s' such as 'GetObject', got '%s'",
				 e->service, name);
	a->action = colon ? intern(r, name)
			  : intern(r, arena_printf(r->arena, "%s:%s",
						   e->service, name));
	a->loc = json_node_loc(&r->c, item);
	e->nactions++;
	return 0;
}

/* Read the tracked actions of e, and in *last the one used last. */
static int read_tracked(struct reader *r, const cJSON *obj,
			struct aws_service_access *e, struct last_action *last)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(
		obj, "TrackedActionsLastAccessed");
	const cJSON *item;
	struct keyed *keys;
	size_t i = 0;
	int ret = 0;

	*last = (struct last_action){ { NULL, -1 }, NULL, 0 };
	if (!list || cJSON_IsNull(list))
		return 0;
	if (!cJSON_IsArray(list))
		return key_error(r, "TrackedActionsLastAccessed", "expected an "
				 "array, got %s", json_type_name(list));
	e->action_level = true;
	e->actions = arena_calloc(r->arena, (size_t)cJSON_GetArraySize(list)
					    + 1, sizeof(*e->actions));
	json_path_push_key(&r->c.path, "TrackedActionsLastAccessed");
	cJSON_ArrayForEach(item, list) {
		struct stamp used;

		json_path_push_index(&r->c.path, i);
		if (read_tracked_action(r, item, e, &used))
			ret = -1;
		else if (used.at > last->used.at)
			*last = (struct last_action){
				used, e->actions[e->nactions - 1].action, i
			};
		json_path_pop(&r->c.path);
		i++;
	}
	json_path_pop(&r->c.path);
	if (ret)
		return -1;
	keys = xcalloc(e->nactions + 1, sizeof(*keys));
	for (i = 0; i < e->nactions; i++)
		keys[i] = (struct keyed){ e->actions[i].action, i };
	ret = check_unique(r, "TrackedActionsLastAccessed", "tracked action",
			   keys, e->nactions);
	free(keys);
	sort_array(e->actions, e->nactions, sizeof(*e->actions), cmp_actions);
	return ret;
}

/* Return whether s is a service namespace: letters, digits, '-', '_'. */
static bool namespace_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

static int read_namespace(struct reader *r, const cJSON *obj,
			  const char **out)
{
	if (json_get_string(&r->c, obj, "ServiceNamespace", true, out))
		return -1;
	if (!namespace_valid(*out))
		return key_error(r, "ServiceNamespace", "expected a service "
				 "namespace such as 's3', got '%s'", *out);
	*out = intern(r, *out);
	return 0;
}

/*
 * Report a service last used before one of its tracked actions was:
 * the service was used whenever one of its actions was.
 */
static int service_before_action(struct reader *r, struct stamp used,
				 const struct last_action *last)
{
	if (!used.text)
		return json_ctx_error(&r->c, "LastAuthenticated is missing, "
				      "but tracked action '%s' "
				      "(TrackedActionsLastAccessed[%zu]) was "
				      "last accessed at '%s', and a service is "
				      "used whenever one of its actions is; "
				      "export the job's details again",
				      last->name, last->index,
				      last->used.text);
	return key_error(r, "LastAuthenticated", "'%s' is earlier than the "
			 "LastAccessedTime '%s' of tracked action '%s' "
			 "(TrackedActionsLastAccessed[%zu]), but a service is "
			 "used whenever one of its actions is; export the "
			 "job's details again", used.text, last->used.text,
			 last->name, last->index);
}

/* Read ServicesLastAccessed[i]. */
static int read_service(struct reader *r, const cJSON *item,
			struct aws_service_access *e)
{
	const char *name, *entity;
	struct stamp used;
	struct last_action last;

	if (expect_object(r, item) ||
	    read_namespace(r, item, &e->service) ||
	    opt_string(r, item, "ServiceName", &name) ||
	    opt_string(r, item, "LastAuthenticatedEntity", &entity) ||
	    read_use(r, item, "LastAuthenticated", &used) ||
	    read_tracked(r, item, e, &last))
		return -1;
	if (last.used.at > used.at)
		return service_before_action(r, used, &last);
	e->last_day = stamp_day(used);
	e->loc = json_node_loc(&r->c, item);
	e->completed = r->rep->completed;
	return 0;
}

/*
 * Return the LastAuthenticatedEntity of every service, if all agree,
 * and in *first the index of the first service that names it.
 */
static const char *common_entity(const cJSON *list, size_t *first)
{
	const char *found = NULL;
	const cJSON *item;
	size_t i = 0;

	cJSON_ArrayForEach(item, list) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(
			item, "LastAuthenticatedEntity");

		i++;
		if (!cJSON_IsString(v))
			continue;
		if (found && strcmp(found, v->valuestring))
			return NULL;
		if (!found)
			*first = i - 1;
		found = v->valuestring;
	}
	return found && identity_arn_valid(found) ? found : NULL;
}

/* Return the location of the value at key of ServicesLastAccessed[i]. */
static struct loc service_member_loc(struct reader *r, size_t i,
				     const char *key)
{
	struct loc loc;

	json_path_push_key(&r->c.path, "ServicesLastAccessed");
	json_path_push_index(&r->c.path, i);
	json_path_push_key(&r->c.path, key);
	loc = json_ctx_loc(&r->c);
	r->c.path.depth -= 3;
	return loc;
}

/* Return the offset of the first NUL or control byte in b, or b->len. */
static size_t first_control(const struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		if ((unsigned char)b->data[i] < 0x20 || b->data[i] == 0x7f)
			break;
	return i;
}

/*
 * Set *out to the ARN that the file name spells, URL-encoded as
 * cloudmapper names per-identity files
 * (arn%3Aaws%3Aiam%3A%3A1234...%3Arole%2Fname), optionally ending in
 * ".json", or to NULL when the name does not start like an ARN. A name
 * that starts like one but is not the ARN of a user or role is an
 * error, since the data would otherwise be tied some other way or to
 * nothing, without a word. Returns 0, or -1 after reporting.
 */
static int arn_from_name(struct reader *r, const char **out)
{
	const char *path = r->src->path, *base = strrchr(path, '/');
	struct buf decoded = BUF_INIT, escaped = BUF_INIT;
	size_t n, bad, i, ctl;
	int ret = 0;

	*out = NULL;
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".json"))
		n -= 5;
	if (!strncasecmp(base, "arn:", 4)) {
		diag_path(r->d, DIAG_ERROR, path, "file name '%s' is an ARN "
			  "that is not URL-encoded; write ':' as %%3A and "
			  "'/' as %%2F, as cloudmapper does", base);
		return -1;
	}
	if (strncasecmp(base, "arn%3A", 6))
		return 0;
	/* A '+' in a file name is itself, not a space as in a query. */
	for (i = 0; i < n; i++)
		if (base[i] == '+')
			buf_adds(&escaped, "%2B");
		else
			buf_addch(&escaped, base[i]);
	if (aws_url_decode(&decoded, escaped.data, escaped.len, &bad) < 0) {
		diag_path(r->d, DIAG_ERROR, path, "file name '%s' is not a "
			  "URL-encoded ARN: a '%%' is not followed by two hex "
			  "digits", base);
		ret = -1;
	} else if ((ctl = first_control(&decoded)) < decoded.len) {
		diag_path(r->d, DIAG_ERROR, path, "file name '%s' decodes to "
			  "text with control character 0x%02x, not the ARN of "
			  "a user or role; rename the file", base,
			  (unsigned char)decoded.data[ctl]);
		ret = -1;
	} else if (!identity_arn_valid(buf_str(&decoded))) {
		diag_path(r->d, DIAG_ERROR, path, "file name '%s' is "
			  "URL-encoded '%s', not the ARN of a user or role "
			  "(arn:PARTITION:iam::ACCOUNT:role/NAME); rename the "
			  "file", base, buf_str(&decoded));
		ret = -1;
	} else {
		*out = intern(r, buf_str(&decoded));
	}
	buf_release(&escaped);
	buf_release(&decoded);
	return ret;
}

/* Decide which identity the file describes; see aws_access.h. */
static int tie_identity(struct reader *r, const cJSON *list)
{
	struct loc top = { r->src, (uint32_t)json_value_off(r->root), 1 };
	const char *arn, *named;
	size_t first = 0;

	if (opt_string(r, r->root, "Arn", &arn))
		return -1;
	if (arn && !identity_arn_valid(arn))
		return key_error(r, "Arn", "expected the ARN of a user or "
				 "role (arn:PARTITION:iam::ACCOUNT:role/...), "
				 "got '%s'", arn);
	if (arn_from_name(r, &named) < 0)
		return -1;
	if (arn && named && strcmp(arn, named))
		return key_error(r, "Arn", "'%s' is not '%s', the ARN that "
				 "the file name spells; rename the file or "
				 "correct the key", arn, named);
	r->tied_by = "its Arn key";
	if (arn) {
		json_path_push_key(&r->c.path, "Arn");
		r->rep->arn_loc = json_ctx_loc(&r->c);
		json_path_pop(&r->c.path);
	}
	if (!arn) {
		arn = named;
		r->tied_by = "its file name";
		r->rep->arn_loc = top;
	}
	if (!arn) {
		arn = common_entity(list, &first);
		r->tied_by = "LastAuthenticatedEntity";
		if (arn)
			r->rep->arn_loc = service_member_loc(
				r, first, "LastAuthenticatedEntity");
	}
	if (!arn) {
		diag_at(r->d, DIAG_ERROR, &top, "the service-last-accessed "
			"data does not say which user or role it is for; add "
			"\"Arn\": \"arn:aws:iam::ACCOUNT:role/NAME\" beside "
			"ServicesLastAccessed, the ARN that "
			"generate-service-last-accessed-details was given");
		return -1;
	}
	r->rep->arn = intern(r, arn);
	return 0;
}

/*
 * Check that every LastAuthenticatedEntity is the identity itself: for
 * a user or role, nothing else can use its permissions.
 */
static int check_entities(struct reader *r, const cJSON *list)
{
	const cJSON *item;
	size_t i = 0;
	int ret = 0;

	json_path_push_key(&r->c.path, "ServicesLastAccessed");
	cJSON_ArrayForEach(item, list) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(
			item, "LastAuthenticatedEntity");

		json_path_push_index(&r->c.path, i++);
		if (cJSON_IsString(v) && strcmp(v->valuestring, r->rep->arn))
			ret = key_error(r, "LastAuthenticatedEntity", "'%s' is "
					"not '%s', the identity this file is "
					"for by %s; the job was generated for "
					"another identity", v->valuestring,
					r->rep->arn, r->tied_by);
		json_path_pop(&r->c.path);
	}
	json_path_pop(&r->c.path);
	return ret;
}

static int cmp_services(const void *a, const void *b)
{
	return strcasecmp(((const struct aws_service_access *)a)->service,
			  ((const struct aws_service_access *)b)->service);
}

static int cmp_entities(const void *a, const void *b)
{
	return strcmp(((const struct aws_service_access *)a)->arn,
		      ((const struct aws_service_access *)b)->arn);
}

static int read_services(struct reader *r, bool action_level)
{
	const cJSON *list, *item;
	struct keyed *keys;
	size_t i = 0;
	int ret = 0;

	if (json_get_array(&r->c, r->root, "ServicesLastAccessed", true,
			   &list) ||
	    tie_identity(r, list) || check_entities(r, list))
		return -1;
	r->rep->entries = arena_calloc(r->arena,
				       (size_t)cJSON_GetArraySize(list) + 1,
				       sizeof(*r->rep->entries));
	json_path_push_key(&r->c.path, "ServicesLastAccessed");
	cJSON_ArrayForEach(item, list) {
		struct aws_service_access *e =
			&r->rep->entries[r->rep->nentries];

		json_path_push_index(&r->c.path, i++);
		e->arn = r->rep->arn;
		if (read_service(r, item, e))
			ret = -1;
		e->action_level |= action_level;
		r->rep->nentries++;
		json_path_pop(&r->c.path);
	}
	json_path_pop(&r->c.path);
	if (ret)
		return -1;
	keys = xcalloc(r->rep->nentries + 1, sizeof(*keys));
	for (i = 0; i < r->rep->nentries; i++)
		keys[i] = (struct keyed){ r->rep->entries[i].service, i };
	ret = check_unique(r, "ServicesLastAccessed", "service", keys,
			   r->rep->nentries);
	free(keys);
	sort_array(r->rep->entries, r->rep->nentries,
		   sizeof(*r->rep->entries), cmp_services);
	return ret;
}

/* Read EntityDetailsList[i]; a group or policy entry sets *skip. */
static int read_entity(struct reader *r, const cJSON *item,
		       const char *service, struct aws_service_access *e,
		       bool *skip)
{
	const cJSON *info;
	const char *arn, *type;
	struct stamp used;

	*skip = false;
	if (expect_object(r, item) ||
	    json_get_object(&r->c, item, "EntityInfo", true, &info) ||
	    read_use(r, item, "LastAuthenticated", &used))
		return -1;
	e->last_day = stamp_day(used);
	json_path_push_key(&r->c.path, "EntityInfo");
	if (expect_object(r, info) ||
	    json_get_string(&r->c, info, "Arn", true, &arn) ||
	    json_get_string(&r->c, info, "Type", true, &type)) {
		json_path_pop(&r->c.path);
		return -1;
	}
	if (strcmp(type, "USER") && strcmp(type, "ROLE") &&
	    strcmp(type, "GROUP") && strcmp(type, "POLICY")) {
		key_error(r, "Type", "expected USER, ROLE, GROUP or POLICY, "
			  "got '%s'", type);
		json_path_pop(&r->c.path);
		return -1;
	}
	*skip = strcmp(type, "USER") && strcmp(type, "ROLE");
	if (!*skip && !identity_arn_valid(arn)) {
		key_error(r, "Arn", "expected the ARN of a user or role, got "
			  "'%s'", arn);
		json_path_pop(&r->c.path);
		return -1;
	}
	json_path_pop(&r->c.path);
	e->arn = intern(r, arn);
	e->service = service;
	e->completed = r->rep->completed;
	e->loc = json_node_loc(&r->c, item);
	return 0;
}

static int read_entities(struct reader *r)
{
	const cJSON *list, *item;
	const char *service;
	struct keyed *keys;
	size_t i = 0;
	int ret = 0;

	if (json_get_array(&r->c, r->root, "EntityDetailsList", true, &list))
		return -1;
	if (!cJSON_GetObjectItemCaseSensitive(r->root, "ServiceNamespace")) {
		struct loc loc = { r->src, (uint32_t)json_value_off(r->root),
				   1 };

		diag_at(r->d, DIAG_ERROR, &loc, "the output of "
			"get-service-last-accessed-details-with-entities does "
			"not name its service; add \"ServiceNamespace\": "
			"\"NAMESPACE\" beside EntityDetailsList, the value "
			"given to --service-namespace");
		return -1;
	}
	if (read_namespace(r, r->root, &service))
		return -1;
	r->rep->entries = arena_calloc(r->arena,
				       (size_t)cJSON_GetArraySize(list) + 1,
				       sizeof(*r->rep->entries));
	keys = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*keys));
	json_path_push_key(&r->c.path, "EntityDetailsList");
	cJSON_ArrayForEach(item, list) {
		struct aws_service_access *e =
			&r->rep->entries[r->rep->nentries];
		bool skip;

		json_path_push_index(&r->c.path, i);
		if (read_entity(r, item, service, e, &skip))
			ret = -1;
		else if (!skip)
			keys[r->rep->nentries++] = (struct keyed){ e->arn, i };
		json_path_pop(&r->c.path);
		i++;
	}
	json_path_pop(&r->c.path);
	if (!ret)
		ret = check_unique(r, "EntityDetailsList", "identity", keys,
				   r->rep->nentries);
	free(keys);
	if (ret)
		return -1;
	sort_array(r->rep->entries, r->rep->nentries,
		   sizeof(*r->rep->entries), cmp_entities);
	return 0;
}

int aws_access_read(struct aws_access_report **out, struct source *src,
		    const struct json_object_scan *scan, bool with_entities,
		    struct arena *arena, struct strtab *strtab,
		    struct diag *d)
{
	struct reader r;
	bool action_level;
	size_t err;
	cJSON *root;
	int ret;

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
	r.src = src;
	r.d = d;
	r.arena = arena;
	r.strtab = strtab;
	r.text.text = src->text;
	r.text.len = src->len;
	r.text.root = scan->off;
	r.c.src = src;
	r.c.d = d;
	r.c.text = &r.text;
	r.root = root;
	r.rep = arena_calloc(arena, 1, sizeof(*r.rep));
	r.rep->src = src;

	ret = check_job(&r, &action_level);
	if (!ret && with_entities)
		ret = read_entities(&r);
	else if (!ret)
		ret = read_services(&r, action_level);
	cJSON_Delete(root);
	if (!ret)
		*out = r.rep;
	return ret;
}
