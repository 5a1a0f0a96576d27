#include "common.h"
#include "aws_policy.h"

#include <inttypes.h>
#include <strings.h>

#include "condition.h"

/* The destination of a conversion: storage, interning and policy kind. */
struct policy_out {
	struct arena *arena;
	struct strtab *strtab;
	enum aws_policy_kind kind;
};

static const char *const statement_keys[] = {
	"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
	"Principal", "NotPrincipal", "Condition",
};

/* Indexes into statement_keys, where each negation follows its key. */
enum statement_key {
	STMT_SID,
	STMT_EFFECT,
	STMT_ACTION,
	STMT_NOT_ACTION,
	STMT_RESOURCE,
	STMT_NOT_RESOURCE,
	STMT_PRINCIPAL,
	STMT_NOT_PRINCIPAL,
	STMT_CONDITION,
	STMT_NKEYS
};

/* A statement's members, each NULL when absent, by enum statement_key. */
struct statement_members {
	const cJSON *v[STMT_NKEYS];
};

static const char *const principal_types[] = {
	"AWS", "Service", "Federated", "CanonicalUser",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

bool aws_condition_operator_valid(const char *op)
{
	return condition_operator_known(op);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int aws_url_decode(struct buf *out, const char *s, size_t n, size_t *bad)
{
	size_t i;

	buf_grow(out, n);
	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '+') {
			buf_addch(out, ' ');
			continue;
		}
		if (s[i] != '%') {
			buf_addch(out, s[i]);
			continue;
		}
		hi = i + 1 < n ? hex_digit(s[i + 1]) : -1;
		lo = i + 2 < n ? hex_digit(s[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			*bad = i;
			return -1;
		}
		buf_addch(out, (char)(hi * 16 + lo));
		i += 2;
	}
	return 0;
}

static const char *intern(struct policy_out *o, const char *s)
{
	return strtab_intern_str(o->strtab, s);
}

/* Read a string or an array of strings into an interned array. */
static int string_list(struct json_ctx *c, const cJSON *v,
		       struct policy_out *o, const char ***out, size_t *n)
{
	const cJSON *e;
	size_t i = 0;

	if (cJSON_IsString(v)) {
		*out = arena_alloc(o->arena, sizeof(**out));
		(*out)[0] = intern(o, v->valuestring);
		*n = 1;
		return 0;
	}
	if (!cJSON_IsArray(v))
		return json_ctx_error(c, "expected a string or an array of "
				      "strings, got %s", json_type_name(v));
	*n = (size_t)cJSON_GetArraySize(v);
	*out = arena_calloc(o->arena, *n, sizeof(**out));
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e)) {
			int ret;

			json_path_push_index(&c->path, i);
			ret = json_ctx_error(c, "expected a string, got %s",
					     json_type_name(e));
			json_path_pop(&c->path);
			return ret;
		}
		(*out)[i++] = intern(o, e->valuestring);
	}
	return 0;
}

/*
 * Read the statement member k as a string list when present, and store
 * in *present whether it was there.
 */
static int member_list(struct json_ctx *c, const struct statement_members *sm,
		       enum statement_key k, struct policy_out *o,
		       bool *present, const char ***out, size_t *n)
{
	const cJSON *v = sm->v[k];
	const char *key = statement_keys[k];
	int ret;

	*present = v != NULL;
	if (!v)
		return 0;
	json_path_push_key(&c->path, key);
	ret = string_list(c, v, o, out, n);
	json_path_pop(&c->path);
	return ret;
}

static int key_error(struct json_ctx *c, const char *key, const char *fmt)
{
	int ret;

	json_path_push_key(&c->path, key);
	ret = json_ctx_error_key(c, fmt, key);
	json_path_pop(&c->path);
	return ret;
}

static int principal_values(struct json_ctx *c, const cJSON *v,
			    const char *type, struct policy_out *o,
			    struct aws_statement *st)
{
	const char **values;
	size_t n, i;

	if (string_list(c, v, o, &values, &n))
		return -1;
	for (i = 0; i < n; i++) {
		struct aws_principal *p = &st->principals[st->nprincipals++];

		p->type = intern(o, type);
		p->value = values[i];
	}
	return 0;
}

static int read_principal(struct json_ctx *c, const cJSON *v,
			  struct policy_out *o, struct aws_statement *st)
{
	const cJSON *m;
	size_t total = 0;

	if (cJSON_IsString(v)) {
		if (strcmp(v->valuestring, "*"))
			return json_ctx_error(c, "expected \"*\" or an object "
					      "such as {\"AWS\": ...}, got "
					      "'%s'", v->valuestring);
		st->principals = arena_alloc(o->arena, sizeof(*st->principals));
		st->principals[0].type = intern(o, "*");
		st->principals[0].value = st->principals[0].type;
		st->nprincipals = 1;
		return 0;
	}
	if (!cJSON_IsObject(v))
		return json_ctx_error(c, "expected \"*\" or an object, got %s",
				      json_type_name(v));
	if (json_check_unique_keys(c, v))
		return -1;
	cJSON_ArrayForEach(m, v) {
		if (!in_list(m->string, principal_types,
			     ARRAY_SIZE(principal_types)))
			return key_error(c, m->string, "unknown principal type "
					 "'%s'; expected AWS, Service, "
					 "Federated or CanonicalUser");
		total += cJSON_IsArray(m) ? (size_t)cJSON_GetArraySize(m) : 1;
	}
	st->principals = arena_calloc(o->arena, total, sizeof(*st->principals));
	cJSON_ArrayForEach(m, v) {
		int ret;

		json_path_push_key(&c->path, m->string);
		ret = principal_values(c, m, m->string, o, st);
		json_path_pop(&c->path);
		if (ret)
			return -1;
	}
	return 0;
}

/*
 * Return the shortest text that reads back as d: 10, 0.5, 1e+21. cJSON
 * keeps only the double, so 1.0 reads back as 1.
 */
static const char *number_text(struct policy_out *o, double d)
{
	char text[40];
	int prec;

	if (d == (double)(int64_t)d && d > -1e15 && d < 1e15) {
		snprintf(text, sizeof(text), "%" PRId64, (int64_t)d);
		return intern(o, text);
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(text, sizeof(text), "%.*g", prec, d);
		if (strtod(text, NULL) == d)
			break;
	}
	return intern(o, text);
}

static int condition_value(struct json_ctx *c, const cJSON *v,
			   struct policy_out *o, const char **out)
{
	if (cJSON_IsString(v))
		*out = intern(o, v->valuestring);
	else if (cJSON_IsBool(v))
		*out = intern(o, cJSON_IsTrue(v) ? "true" : "false");
	else if (cJSON_IsNumber(v))
		*out = number_text(o, v->valuedouble);
	else
		return json_ctx_error(c, "expected a string, number or "
				      "boolean, got %s", json_type_name(v));
	return 0;
}

static int read_condition_key(struct json_ctx *c, const cJSON *v,
			      struct policy_out *o, struct aws_condition *cond)
{
	const cJSON *e;
	size_t i = 0;

	if (!cJSON_IsArray(v)) {
		cond->values = arena_alloc(o->arena, sizeof(*cond->values));
		cond->nvalues = 1;
		return condition_value(c, v, o, &cond->values[0]);
	}
	cond->nvalues = (size_t)cJSON_GetArraySize(v);
	cond->values = arena_calloc(o->arena, cond->nvalues,
				    sizeof(*cond->values));
	cJSON_ArrayForEach(e, v) {
		int ret;

		json_path_push_index(&c->path, i);
		ret = condition_value(c, e, o, &cond->values[i]);
		json_path_pop(&c->path);
		if (ret)
			return -1;
		i++;
	}
	return 0;
}

static int read_operator(struct json_ctx *c, const cJSON *op,
			 struct policy_out *o, struct aws_statement *st)
{
	const cJSON *k;

	/*
	 * IAM accepts only operators it defines, so an unknown one in a live
	 * export is most likely newer than this program. It is kept, and
	 * the evaluator calls the requests it touches undetermined.
	 */
	if (!aws_condition_operator_valid(op->string)) {
		if (st->sid)
			json_ctx_warning_key(c, "unknown condition operator "
					     "'%s' in statement '%s'; requests "
					     "that the statement could decide "
					     "are undetermined", op->string,
					     st->sid);
		else
			json_ctx_warning_key(c, "unknown condition operator "
					     "'%s'; requests that the "
					     "statement could decide are "
					     "undetermined", op->string);
	}
	if (!cJSON_IsObject(op))
		return json_ctx_error(c, "expected an object of condition "
				      "keys, got %s", json_type_name(op));
	if (json_check_unique_keys(c, op))
		return -1;
	cJSON_ArrayForEach(k, op) {
		struct aws_condition *cond = &st->conds[st->nconds++];
		int ret;

		cond->op = intern(o, op->string);
		cond->key = intern(o, k->string);
		json_path_push_key(&c->path, k->string);
		ret = read_condition_key(c, k, o, cond);
		json_path_pop(&c->path);
		if (ret)
			return -1;
	}
	return 0;
}

static int read_condition(struct json_ctx *c, const cJSON *v,
			  struct policy_out *o, struct aws_statement *st)
{
	const cJSON *op;
	size_t total = 0;

	if (!cJSON_IsObject(v))
		return json_ctx_error(c, "expected an object, got %s",
				      json_type_name(v));
	if (json_check_unique_keys(c, v))
		return -1;
	cJSON_ArrayForEach(op, v)
		if (cJSON_IsObject(op))
			total += (size_t)cJSON_GetArraySize(op);
	st->conds = arena_calloc(o->arena, total, sizeof(*st->conds));
	cJSON_ArrayForEach(op, v) {
		int ret;

		json_path_push_key(&c->path, op->string);
		ret = read_operator(c, op, o, st);
		json_path_pop(&c->path);
		if (ret)
			return -1;
	}
	return 0;
}

/* Report an unknown statement element, suggesting the right spelling. */
static int unknown_statement_key(struct json_ctx *c, const char *key)
{
	size_t i;
	int ret;

	json_path_push_key(&c->path, key);
	for (i = 0; i < ARRAY_SIZE(statement_keys); i++)
		if (!strcasecmp(key, statement_keys[i]))
			break;
	if (i < ARRAY_SIZE(statement_keys))
		ret = json_ctx_error_key(c, "unknown statement element '%s'; "
					 "did you mean '%s'?", key,
					 statement_keys[i]);
	else
		ret = json_ctx_error_key(c, "unknown statement element '%s'",
					 key);
	json_path_pop(&c->path);
	return ret;
}

/*
 * Check that exactly one of member k and its negation, the next key
 * (NotAction for Action), is present or, when forbidden is not NULL,
 * neither: forbidden is then the message for the one found.
 */
static int one_of(struct json_ctx *c, const struct statement_members *sm,
		  enum statement_key k, const char *forbidden)
{
	const char *key = statement_keys[k], *negation = statement_keys[k + 1];
	bool has_key = sm->v[k] != NULL, has_neg = sm->v[k + 1] != NULL;
	int ret;

	if (forbidden) {
		if (has_key || has_neg)
			return key_error(c, has_key ? key : negation,
					 forbidden);
		return 0;
	}
	if (!has_key && !has_neg)
		return json_ctx_error(c, "missing %s or %s", key, negation);
	if (!has_key || !has_neg)
		return 0;
	json_path_push_key(&c->path, negation);
	ret = json_ctx_error_key(c, "a statement has either %s or %s, not "
				 "both", key, negation);
	json_path_pop(&c->path);
	return ret;
}

/* Check that member k and its negation are not both present. */
static int at_most_one(struct json_ctx *c, const struct statement_members *sm,
		       enum statement_key k)
{
	if (!sm->v[k] || !sm->v[k + 1])
		return 0;
	return one_of(c, sm, k, NULL);
}

static int read_effect(struct json_ctx *c, const struct statement_members *sm,
		       struct aws_statement *st)
{
	const char *effect;
	int ret = 0;

	if (json_member_string(c, sm->v[STMT_EFFECT], "Effect", true,
			       &effect))
		return -1;
	if (!strcmp(effect, "Deny")) {
		st->deny = true;
	} else if (strcmp(effect, "Allow")) {
		json_path_push_key(&c->path, "Effect");
		ret = json_ctx_error(c, "expected 'Allow' or 'Deny', got '%s'",
				     effect);
		json_path_pop(&c->path);
	}
	return ret;
}

static int read_principals(struct json_ctx *c,
			   const struct statement_members *sm,
			   struct policy_out *o, struct aws_statement *st)
{
	const char *key = "Principal";
	const cJSON *v = sm->v[STMT_PRINCIPAL];
	int ret;

	if (!v) {
		key = "NotPrincipal";
		v = sm->v[STMT_NOT_PRINCIPAL];
		st->not_principal = true;
	}
	if (!v)
		return 0;
	json_path_push_key(&c->path, key);
	ret = read_principal(c, v, o, st);
	json_path_pop(&c->path);
	return ret;
}

static int read_statement(struct json_ctx *c, const cJSON *s,
			  struct policy_out *o, struct aws_statement *st)
{
	bool trust = o->kind == AWS_POLICY_TRUST, present;
	bool resource = o->kind == AWS_POLICY_RESOURCE;
	struct statement_members sm = { { NULL } };
	const cJSON *m, *cond;

	if (!cJSON_IsObject(s))
		return json_ctx_error(c, "expected a statement object, got %s",
				      json_type_name(s));
	if (json_check_unique_keys(c, s))
		return -1;
	/* Look each member up once; the keys are known to be unique. */
	cJSON_ArrayForEach(m, s) {
		size_t k;

		for (k = 0; k < STMT_NKEYS; k++)
			if (!strcmp(m->string, statement_keys[k]))
				break;
		if (k == STMT_NKEYS)
			return unknown_statement_key(c, m->string);
		sm.v[k] = m;
	}

	if (json_member_string(c, sm.v[STMT_SID], "Sid", false, &st->sid) ||
	    read_effect(c, &sm, st) ||
	    one_of(c, &sm, STMT_ACTION, NULL) ||
	    (!resource && one_of(c, &sm, STMT_RESOURCE, trust
				 ? "'%s' is not allowed in a trust policy"
				 : NULL)) ||
	    (resource && at_most_one(c, &sm, STMT_RESOURCE)) ||
	    one_of(c, &sm, STMT_PRINCIPAL, trust || resource
		   ? NULL : "'%s' is not allowed in an identity-based policy"))
		return -1;
	if (st->sid)
		st->sid = intern(o, st->sid);

	if (member_list(c, &sm, STMT_ACTION, o, &present, &st->actions,
			&st->nactions))
		return -1;
	if (!present && member_list(c, &sm, STMT_NOT_ACTION, o,
				    &st->not_action, &st->actions,
				    &st->nactions))
		return -1;
	if (member_list(c, &sm, STMT_RESOURCE, o, &present, &st->resources,
			&st->nresources))
		return -1;
	if (!present && member_list(c, &sm, STMT_NOT_RESOURCE, o,
				    &st->not_resource, &st->resources,
				    &st->nresources))
		return -1;
	st->resource_implicit = !present && !st->not_resource;
	if (read_principals(c, &sm, o, st))
		return -1;

	cond = sm.v[STMT_CONDITION];
	if (cond) {
		int ret;

		json_path_push_key(&c->path, "Condition");
		ret = read_condition(c, cond, o, st);
		json_path_pop(&c->path);
		return ret;
	}
	return 0;
}

static int read_version(struct json_ctx *c, const cJSON *obj,
			struct policy_out *o, struct aws_policy_doc *doc)
{
	const char *version;
	int ret = 0;

	if (json_get_string(c, obj, "Version", false, &version))
		return -1;
	if (!version)
		return 0;
	if (strcmp(version, "2012-10-17") && strcmp(version, "2008-10-17")) {
		json_path_push_key(&c->path, "Version");
		ret = json_ctx_error(c, "unsupported policy version '%s'; "
				     "expected '2012-10-17' or '2008-10-17'",
				     version);
		json_path_pop(&c->path);
	}
	doc->version = intern(o, version);
	return ret;
}

/*
 * Record where each statement sits in the export. spans are the
 * statements' spans in text t; the mapping to the export walks any
 * encoded string once for all of them.
 */
static void statement_locs(const struct json_ctx *c, const struct json_text *t,
			   const struct json_span *spans,
			   struct aws_policy_doc *doc)
{
	size_t *offs = xmalloc(2 * doc->nstmts * sizeof(*offs));
	size_t i;

	for (i = 0; i < doc->nstmts; i++) {
		offs[2 * i] = spans[i].off;
		offs[2 * i + 1] = (size_t)spans[i].off + spans[i].len;
	}
	json_text_map(t, offs, 2 * doc->nstmts);
	for (i = 0; i < doc->nstmts; i++) {
		doc->stmts[i].loc.src = c->src;
		doc->stmts[i].loc.off = (uint32_t)offs[2 * i];
		doc->stmts[i].loc.len = (uint32_t)(offs[2 * i + 1] -
						   offs[2 * i]);
	}
	free(offs);
}

static void node_span(const cJSON *v, struct json_span *out)
{
	out->off = (uint32_t)json_value_off(v);
	out->len = (uint32_t)((cJSON_IsNumber(v) ? out->off : json_value_end(v))
			      - out->off);
}

static int read_statements(struct json_ctx *c, const cJSON *list,
			   struct policy_out *o, struct aws_policy_doc *doc)
{
	struct json_span *spans;
	const cJSON *s;
	bool array = cJSON_IsArray(list);
	size_t i = 0;
	int ret = 0;

	if (!array && !cJSON_IsObject(list))
		return json_ctx_error(c, "expected a statement object or an "
				      "array of them, got %s",
				      json_type_name(list));
	doc->nstmts = array ? (size_t)cJSON_GetArraySize(list) : 1;
	doc->stmts = arena_calloc(o->arena, doc->nstmts, sizeof(*doc->stmts));
	spans = xcalloc(doc->nstmts, sizeof(*spans));
	if (!array) {
		node_span(list, &spans[0]);
	} else {
		cJSON_ArrayForEach(s, list)
			node_span(s, &spans[i++]);
		i = 0;
	}
	statement_locs(c, c->text, spans, doc);
	free(spans);

	if (!array)
		return read_statement(c, list, o, &doc->stmts[0]);
	cJSON_ArrayForEach(s, list) {
		doc->stmts[i].index = (uint32_t)i;
		json_path_push_index(&c->path, i);
		ret = read_statement(c, s, o, &doc->stmts[i]);
		json_path_pop(&c->path);
		if (ret)
			break;
		i++;
	}
	return ret;
}

static int read_document(struct json_ctx *c, const cJSON *obj,
			 struct policy_out *o, struct aws_policy_doc **out)
{
	struct aws_policy_doc *doc;
	const cJSON *m, *list;
	const char *id;
	int ret;

	if (json_check_unique_keys(c, obj))
		return -1;
	cJSON_ArrayForEach(m, obj)
		if (strcmp(m->string, "Version") && strcmp(m->string, "Id") &&
		    strcmp(m->string, "Statement"))
			return key_error(c, m->string, "unknown policy element "
					 "'%s'; expected Version, Id or "
					 "Statement");
	doc = arena_calloc(o->arena, 1, sizeof(*doc));
	doc->loc = json_node_loc(c, obj);
	if (read_version(c, obj, o, doc) ||
	    json_get_string(c, obj, "Id", false, &id))
		return -1;
	list = cJSON_GetObjectItemCaseSensitive(obj, "Statement");
	if (!list)
		return json_ctx_error(c, "missing required key 'Statement'");

	json_path_push_key(&c->path, "Statement");
	ret = read_statements(c, list, o, doc);
	json_path_pop(&c->path);
	if (ret)
		return -1;
	*out = doc;
	return 0;
}

/* Decode the string v, the document at c's path, into *text. */
static int decode_string(struct json_ctx *c, const cJSON *v,
			 struct json_text *text, struct buf *decoded)
{
	const char *s = v->valuestring;
	size_t n = strlen(s), start = json_skip_ws(s, n, 0), bad;
	memset(text, 0, sizeof(*text));
	text->up = c->text;
	text->decoded = true;
	text->literal = json_value_off(v);
	text->depth = c->path.depth;
	text->text = s;
	text->len = n;
	if (start < n && s[start] == '{')
		return 0;

	/* Not JSON text, so the IAM API's percent-encoding. */
	if (aws_url_decode(decoded, s, n, &bad)) {
		struct json_fault fault;

		fault.off = bad;
		snprintf(fault.msg, sizeof(fault.msg), "'%%' must be followed "
			 "by two hex digits");
		json_ctx_fault(c, text, "invalid percent-encoding", &fault);
		return -1;
	}
	text->url_encoded = true;
	text->encoded = s;
	text->encoded_len = n;
	text->text = buf_str(decoded);
	text->len = decoded->len;
	return 0;
}

static int from_string(struct json_ctx *c, const cJSON *v,
		       struct policy_out *o, struct aws_policy_doc **out)
{
	struct buf decoded = BUF_INIT;
	const struct json_text *saved = c->text;
	struct json_text text;
	struct json_fault fault;
	cJSON *doc = NULL;
	size_t err;
	int ret = -1;

	if (decode_string(c, v, &text, &decoded))
		goto out;
	if (json_validate(text.text, text.len, &text.root, &fault)) {
		json_ctx_fault(c, &text, text.url_encoded
			       ? "invalid JSON in the percent-decoded document"
			       : "invalid JSON in the policy string",
			       &fault);
		goto out;
	}
	doc = json_parse_span(text.text, 0, text.len, &err);
	if (!doc) {
		fault.off = err;
		snprintf(fault.msg, sizeof(fault.msg), "cJSON failed to parse "
			 "the value");
		json_ctx_fault(c, &text, "invalid JSON", &fault);
		goto out;
	}
	c->text = &text;
	if (!cJSON_IsObject(doc))
		ret = json_ctx_error(c, "expected the policy document to be a "
				     "JSON object, got %s",
				     json_type_name(doc));
	else
		ret = read_document(c, doc, o, out);
	c->text = saved;

out:
	cJSON_Delete(doc);
	buf_release(&decoded);
	return ret;
}

/*
 * Read the document object v, rooting a text at it so that finding the
 * position of an error inside it walks v alone.
 */
static int from_object(struct json_ctx *c, const cJSON *v,
		       struct policy_out *o, struct aws_policy_doc **out)
{
	struct json_text sub;
	int ret;

	json_ctx_enter(c, &sub, json_value_off(v));
	ret = read_document(c, v, o, out);
	json_ctx_leave(c, &sub);
	return ret;
}

int aws_policy_from_json(struct aws_policy_doc **out, struct json_ctx *c,
			 const cJSON *v, enum aws_policy_kind kind,
			 struct arena *arena, struct strtab *strtab)
{
	struct policy_out o = { arena, strtab, kind };

	*out = NULL;
	if (cJSON_IsObject(v))
		return from_object(c, v, &o, out);
	if (cJSON_IsString(v))
		return from_string(c, v, &o, out);
	return json_ctx_error(c, "expected a policy document (an object, or "
			      "a string holding one), got %s",
			      json_type_name(v));
}

int aws_policy_parse_source(struct aws_policy_doc **out, struct source *src,
			    enum aws_policy_kind kind, struct arena *arena,
			    struct strtab *strtab, struct diag *d)
{
	struct json_text text = { src->text, src->len, 0, 0, NULL, false, 0,
				  false, NULL, 0 };
	struct json_ctx c = { src, d, { { { NULL, 0 } }, 0 }, &text, NULL, NULL,
			      NULL };
	struct json_fault fault;
	size_t start = 0, err;
	cJSON *doc;
	int ret;

	*out = NULL;
	if (src->len >= 3 && !memcmp(src->text, "\xef\xbb\xbf", 3))
		start = 3;
	if (json_validate(src->text + start, src->len - start, &text.root,
			  &fault)) {
		struct loc loc = { src, (uint32_t)(fault.off + start), 0 };

		diag_at(d, DIAG_ERROR, &loc, "invalid JSON: %s", fault.msg);
		return -1;
	}
	text.root += start;
	doc = json_parse_span(src->text, start, src->len - start, &err);
	if (!doc) {
		struct loc loc = { src, (uint32_t)err, 0 };

		diag_at(d, DIAG_ERROR, &loc, "invalid JSON: cJSON failed to "
			"parse the value");
		return -1;
	}
	ret = aws_policy_from_json(out, &c, doc, kind, arena, strtab);
	cJSON_Delete(doc);
	return ret;
}

bool aws_policy_has_variables(const struct aws_policy_doc *doc)
{
	return doc->version && !strcmp(doc->version, "2012-10-17");
}

const char *aws_policy_escape_variables(struct arena *arena,
					const char *text)
{
	struct buf b = BUF_INIT;
	const char *p, *out;

	if (!strstr(text, "${"))
		return text;
	for (p = text; *p; p++) {
		if (p[0] == '$' && p[1] == '{')
			buf_adds(&b, "${$}");
		else
			buf_addch(&b, *p);
	}
	out = arena_strdup(arena, buf_str(&b));
	buf_release(&b);
	return out;
}

/*
 * Escape the strings of v into a copy from arena; returns v itself when
 * none changes.
 */
static const char **escape_strings(struct arena *arena, const char **v,
				   size_t n)
{
	const char **copy = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *s = aws_policy_escape_variables(arena, v[i]);

		if (s == v[i] && !copy)
			continue;
		if (!copy) {
			copy = arena_calloc(arena, n, sizeof(*copy));
			memcpy(copy, v, n * sizeof(*copy));
		}
		copy[i] = s;
	}
	return copy ? copy : v;
}

/* Escape the condition values of s; returns s->conds when none changes. */
static struct aws_condition *escape_conditions(struct arena *arena,
					       const struct aws_statement *s)
{
	struct aws_condition *copy = NULL;
	size_t i;

	for (i = 0; i < s->nconds; i++) {
		const struct aws_condition *c = &s->conds[i];
		const char **values = escape_strings(arena, c->values,
						     c->nvalues);

		if (values == c->values)
			continue;
		if (!copy) {
			copy = arena_calloc(arena, s->nconds, sizeof(*copy));
			memcpy(copy, s->conds, s->nconds * sizeof(*copy));
		}
		copy[i].values = values;
	}
	return copy ? copy : s->conds;
}

const struct aws_policy_doc *
aws_policy_as_2012(struct arena *arena, const struct aws_policy_doc *doc)
{
	struct aws_policy_doc *copy = NULL;
	size_t i;

	if (aws_policy_has_variables(doc))
		return doc;
	for (i = 0; i < doc->nstmts; i++) {
		const struct aws_statement *s = &doc->stmts[i];
		const char **resources = escape_strings(arena, s->resources,
							s->nresources);
		struct aws_condition *conds = escape_conditions(arena, s);

		if (resources == s->resources && conds == s->conds)
			continue;
		if (!copy) {
			copy = arena_alloc(arena, sizeof(*copy));
			*copy = *doc;
			copy->stmts = arena_calloc(arena, doc->nstmts,
						   sizeof(*copy->stmts));
			memcpy(copy->stmts, doc->stmts,
			       doc->nstmts * sizeof(*copy->stmts));
		}
		copy->stmts[i].resources = resources;
		copy->stmts[i].conds = conds;
	}
	return copy ? copy : doc;
}

const char *aws_policy_substitute(struct arena *arena, const char *text,
				  const char *key, const char *value)
{
	struct buf b = BUF_INIT;
	size_t keylen = strlen(key);
	bool replaced = false;
	const char *p = text, *end, *v, *out;

	while (*p) {
		end = p[0] == '$' && p[1] == '{' ? strchr(p + 2, '}') : NULL;
		if (!end || (size_t)(end - p - 2) != keylen ||
		    strncasecmp(p + 2, key, keylen)) {
			buf_addch(&b, *p++);
			continue;
		}
		for (v = value; *v; v++) {
			if (strchr("*?$", *v))
				buf_addf(&b, "${%c}", *v);
			else
				buf_addch(&b, *v);
		}
		replaced = true;
		p = end + 1;
	}
	out = replaced ? arena_strdup(arena, buf_str(&b)) : text;
	buf_release(&b);
	return out;
}
