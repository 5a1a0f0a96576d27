#include "common.h"
#include "compile.h"

#include <arpa/inet.h>
#include <strings.h>

#include "buf.h"
#include "match.h"

/* The IAM operators of one key type, indexed by enum cond_op. */
struct op_map {
	const char *ops[COND_ANY_IN + 1];
};

static const struct op_map string_ops = { {
	[COND_EQ] = "StringEquals", [COND_NE] = "StringNotEquals",
	[COND_IN] = "StringEquals", [COND_NOT_IN] = "StringNotEquals",
	[COND_LIKE] = "StringLike", [COND_NOT_LIKE] = "StringNotLike",
	[COND_ANY_IN] = "StringEquals",
} };

static const struct op_map arn_ops = { {
	[COND_EQ] = "ArnEquals", [COND_NE] = "ArnNotEquals",
	[COND_IN] = "ArnEquals", [COND_NOT_IN] = "ArnNotEquals",
	[COND_LIKE] = "ArnLike", [COND_NOT_LIKE] = "ArnNotLike",
	[COND_ANY_IN] = "ArnEquals",
} };

static const struct op_map numeric_ops = { {
	[COND_EQ] = "NumericEquals", [COND_NE] = "NumericNotEquals",
	[COND_IN] = "NumericEquals", [COND_NOT_IN] = "NumericNotEquals",
	[COND_LT] = "NumericLessThan", [COND_LE] = "NumericLessThanEquals",
	[COND_GT] = "NumericGreaterThan",
	[COND_GE] = "NumericGreaterThanEquals",
} };

static const struct op_map date_ops = { {
	[COND_EQ] = "DateEquals", [COND_NE] = "DateNotEquals",
	[COND_IN] = "DateEquals", [COND_NOT_IN] = "DateNotEquals",
	[COND_LT] = "DateLessThan", [COND_LE] = "DateLessThanEquals",
	[COND_GT] = "DateGreaterThan", [COND_GE] = "DateGreaterThanEquals",
} };

static const struct op_map bool_ops = { {
	[COND_EQ] = "Bool", [COND_NE] = "Bool",
} };

static const struct op_map ip_ops = { {
	[COND_EQ] = "IpAddress", [COND_NE] = "NotIpAddress",
	[COND_IN] = "IpAddress", [COND_NOT_IN] = "NotIpAddress",
} };

static const struct op_map binary_ops = { {
	[COND_EQ] = "BinaryEquals", [COND_IN] = "BinaryEquals",
} };

static const struct op_map *const op_maps[] = {
	[COND_TYPE_STRING] = &string_ops,
	[COND_TYPE_ARN] = &arn_ops,
	[COND_TYPE_NUMERIC] = &numeric_ops,
	[COND_TYPE_DATE] = &date_ops,
	[COND_TYPE_BOOL] = &bool_ops,
	[COND_TYPE_IP] = &ip_ops,
	[COND_TYPE_BINARY] = &binary_ops,
};

static const char *const type_names[] = {
	[COND_TYPE_STRING] = "String",
	[COND_TYPE_ARN] = "ARN",
	[COND_TYPE_NUMERIC] = "Numeric",
	[COND_TYPE_DATE] = "Date",
	[COND_TYPE_BOOL] = "Bool",
	[COND_TYPE_IP] = "IP address",
	[COND_TYPE_BINARY] = "Binary",
};


struct compiler {
	struct program *p;
	const struct catalog *cat;
	struct findings *f;
	struct actset set;		/* scratch */
};

/* Return whether s is one or more '*' and nothing else. */
static bool only_stars(const char *s, const char *end)
{
	if (s == end)
		return false;
	for (; s < end; s++)
		if (*s != '*')
			return false;
	return true;
}

bool pattern_is_everything(const char *pattern)
{
	const char *p, *field;
	int i;

	if (only_stars(pattern, pattern + strlen(pattern)))
		return true;
	if (strncmp(pattern, "arn:", 4))
		return false;
	/*
	 * A partition or service field of '*' that ends the pattern
	 * matches the rest of every ARN, as in "arn:*" or "arn:aws:*".
	 */
	p = pattern + 4;
	for (i = 0; i < 2; i++) {
		field = p;
		p = strchr(field, ':');
		if (!p)
			return only_stars(field, field + strlen(field));
		p++;
	}
	/* After the service, only '*' and ':' ending in '*': "::*", "*". */
	if (!*p || p[strlen(p) - 1] != '*')
		return false;
	for (; *p; p++)
		if (*p != ':' && *p != '*')
			return false;
	return true;
}

/*
 * Write to out the glob of an ARN template, each ${Variable} as '*':
 * "arn:*:s3:::*" for "arn:${Partition}:s3:::${BucketName}".
 */
static void template_glob(struct buf *out, const char *arn)
{
	const char *end;

	while (*arn) {
		if (arn[0] == '$' && arn[1] == '{' &&
		    (end = strchr(arn, '}'))) {
			buf_addch(out, '*');
			arn = end + 1;
		} else {
			buf_addch(out, *arn++);
		}
	}
}

/*
 * Write to out the pattern with a literal partition made '*', as one
 * account lives in one partition: "arn:*:s3:::*" for "arn:aws:s3:::*".
 */
static void any_partition(struct buf *out, const char *pattern)
{
	const char *end;

	if (strncmp(pattern, "arn:", 4) ||
	    !(end = strchr(pattern + 4, ':')) ||
	    strcspn(pattern + 4, "*?") < (size_t)(end - pattern - 4)) {
		buf_adds(out, pattern);
		return;
	}
	buf_addf(out, "arn:*%s", end);
}

void everywhere_init(struct everywhere *e, const struct catalog *cat,
		     const char *pattern)
{
	memset(e, 0, sizeof(*e));
	e->cat = cat;
	e->everything = pattern_is_everything(pattern);
	if (!e->everything)
		any_partition(&e->outer, pattern);
}

void everywhere_release(struct everywhere *e)
{
	buf_release(&e->outer);
	free(e->known);
}

/* Return whether e's pattern covers every ARN of resource type t. */
static bool covers_type(struct everywhere *e,
			const struct cat_resource_type *t)
{
	struct buf glob = BUF_INIT;
	size_t i;
	bool covers;

	/* The actions of one service share a few types, so look back. */
	for (i = 0; i < e->nknown; i++)
		if (e->known[i].type == t)
			return e->known[i].covers;
	template_glob(&glob, catalog_text(e->cat, t->arn));
	covers = match_resource_covers(buf_str(&e->outer), buf_str(&glob));
	buf_release(&glob);
	grow_array((void **)&e->known, &e->cap, e->nknown + 1,
		   sizeof(*e->known));
	e->known[e->nknown].type = t;
	e->known[e->nknown++].covers = covers;
	return covers;
}

bool everywhere_action(struct everywhere *e, const struct cat_action *a)
{
	uint32_t i;

	if (e->everything)
		return true;
	if (!a->nrtypes)
		return false;
	for (i = 0; i < a->nrtypes; i++)
		if (!covers_type(e, catalog_action_rtype(e->cat, a, i)))
			return false;
	return true;
}

bool catalog_action_everywhere(const struct catalog *cat,
			       const struct cat_action *a, const char *pattern)
{
	struct everywhere e;
	bool covers;

	everywhere_init(&e, cat, pattern);
	covers = everywhere_action(&e, a);
	everywhere_release(&e);
	return covers;
}

/* Return "read", or "list or read" for several levels. */
static const char *levels_phrase(unsigned levels)
{
	static char text[96];
	size_t len = 0;
	unsigned bit;

	text[0] = '\0';
	for (bit = 1; bit <= ACCESS_PERMISSIONS; bit <<= 1) {
		if (!(levels & bit))
			continue;
		const char *sep = "";

		levels &= ~bit;
		if (len)
			sep = levels ? ", " : " or ";
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s",
					sep,
					access_level_name((enum access_level)bit));
	}
	return text;
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

static uint32_t *set_to_array(struct compiler *c, const struct actset *s,
			      size_t *n)
{
	uint32_t *v = arena_alloc(&c->p->arena,
				  (s->count ? s->count : 1) * sizeof(*v));
	uint32_t id;
	size_t i = 0;

	actset_foreach(s, id)
		v[i++] = id;
	*n = i;
	return v;
}

static unsigned levels_of(const struct catalog *cat, const uint32_t *ids,
			  size_t n)
{
	unsigned levels = 0;
	size_t i;

	for (i = 0; i < n; i++)
		levels |= catalog_action(cat, ids[i])->level;
	return levels;
}

bool compile_plain_action(const char *s)
{
	const char *colon = strchr(s, ':'), *p;

	if (!colon || colon == s || !colon[1])
		return false;
	for (p = s; *p; p++)
		if (p != colon && !((*p >= 'a' && *p <= 'z') ||
				    (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || *p == '-' ||
				    *p == '_'))
			return false;
	return true;
}

static void report_unknown_action(struct compiler *c, const struct grant *g,
				  const struct sval *name)
{
	const char *colon = strchr(name->s, ':');
	const char *agent = g->agent->name.s;
	struct finding *x;
	const char *guess;
	char prefix[128];

	if (!colon || colon == name->s) {
		findings_add(c->f, "MND134", &name->loc, agent, NULL,
			     "invalid action '%s'; expected service:Action",
			     name->s);
		return;
	}
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(colon - name->s),
		 name->s);
	if (!has_wildcard(prefix) && !catalog_find_service(c->cat, prefix)) {
		x = findings_add(c->f, "MND134", &name->loc, agent, NULL,
				 "unknown service '%s' in action '%s'", prefix,
				 name->s);
		guess = catalog_suggest_service(c->cat, prefix);
		if (guess)
			finding_note(c->f, x, "did you mean '%s'?", guess);
		return;
	}
	if (has_wildcard(name->s)) {
		findings_add(c->f, "MND134", &name->loc, agent, NULL,
			     "action pattern '%s' matches no known action",
			     name->s);
		return;
	}
	x = findings_add(c->f, "MND134", &name->loc, agent, NULL,
			 "unknown action '%s'", name->s);
	guess = catalog_suggest_action(c->cat, name->s);
	if (guess)
		finding_note(c->f, x, "did you mean '%s'?", guess);
}

/*
 * Expand `grant LEVEL on aws:SERVICE RESOURCE...`: per resource, the
 * actions of those levels whose resource types the pattern names.
 */
static void expand_levels(struct compiler *c, struct xgrant *x)
{
	const struct grant *g = x->grant;
	const char *agent = g->agent->name.s;
	const struct cat_service *svc;
	struct finding *f;
	size_t i;

	for (i = 0; i < g->level_names.n; i++) {
		const struct sval *l = &g->level_names.items[i];

		if (access_level_parse(l->s) >= 0)
			continue;
		f = findings_add(c->f, "MND134", &l->loc, agent, NULL,
				 "unknown access level '%s'; expected list, "
				 "read, write, tagging or permissions", l->s);
		if (access_level_suggest(l->s))
			finding_note(c->f, f, "did you mean '%s'?",
				     access_level_suggest(l->s));
		x->usable = false;
	}
	if (!g->service.s || !g->levels) {
		x->usable = false;
		return;
	}
	svc = catalog_find_service(c->cat, g->service.s);
	if (!svc) {
		const char *guess = catalog_suggest_service(c->cat,
							    g->service.s);

		f = findings_add(c->f, "MND134", &g->service.loc, agent, NULL,
				 "unknown service '%s'", g->service.s);
		if (guess)
			finding_note(c->f, f, "did you mean 'aws:%s'?", guess);
		x->usable = false;
		return;
	}
	for (i = 0; i < g->resources.n; i++) {
		const struct sval *r = &g->resources.items[i];
		struct xresource *xr = &x->res[x->nres++];

		actset_clear(&c->set);
		catalog_expand_level(c->cat, svc, g->levels, r->s, &c->set);
		xr->pattern = r->s;
		xr->loc = r->loc;
		xr->actions = set_to_array(c, &c->set, &xr->nactions);
		if (!xr->nactions)
			findings_add(c->f, "MND135", &r->loc, agent, NULL,
				     "no %s action of '%s' acts on '%s', so "
				     "this grants nothing",
				     levels_phrase(g->levels),
				     catalog_text(c->cat, svc->prefix),
				     r->s);
	}
}

/*
 * Expand `grant actions [...] on RESOURCE...`: each name or pattern is
 * looked up in the catalog, and each resource gets the actions that can
 * act on it.
 */
static void expand_actions(struct compiler *c, struct xgrant *x)
{
	const struct grant *g = x->grant;
	const char *agent = g->agent->name.s;
	struct actset *per_action;
	const char **unlisted;
	size_t i, j, nunlisted = 0;
	bool grants_some = false;

	per_action = xcalloc(g->actions.n ? g->actions.n : 1,
			     sizeof(*per_action));
	unlisted = arena_calloc(&c->p->arena, g->actions.n ? g->actions.n : 1,
				sizeof(*unlisted));
	for (i = 0; i < g->actions.n; i++) {
		const struct sval *a = &g->actions.items[i];
		const struct cat_action *ca;

		actset_init(&per_action[i], catalog_count(c->cat));
		if (has_wildcard(a->s)) {
			if (catalog_match_actions(c->cat, a->s,
						  &per_action[i]) <= 0) {
				report_unknown_action(c, g, a);
				x->usable = false;
			}
			continue;
		}
		ca = catalog_find_action(c->cat, a->s);
		if (!ca) {
			report_unknown_action(c, g, a);
			if (compile_plain_action(a->s))
				unlisted[nunlisted++] = a->s;
			else
				x->usable = false;
			continue;
		}
		actset_add(&per_action[i], ca->id);
	}

	for (j = 0; j < g->resources.n; j++) {
		const struct sval *r = &g->resources.items[j];
		struct xresource *xr = &x->res[x->nres++];
		uint32_t id;

		actset_clear(&c->set);
		for (i = 0; i < g->actions.n; i++)
			actset_foreach(&per_action[i], id)
				if (catalog_action_applies(c->cat,
					catalog_action(c->cat, id), r->s))
					actset_add(&c->set, id);
		xr->pattern = r->s;
		xr->loc = r->loc;
		xr->actions = set_to_array(c, &c->set, &xr->nactions);
		xr->unlisted = unlisted;
		xr->nunlisted = nunlisted;
		if (xr->nactions)
			grants_some = true;
	}

	/*
	 * A resource that none of the actions act on grants nothing. When
	 * no resource gets any action, the findings per action below report
	 * it instead.
	 */
	for (j = 0; j < x->nres && grants_some; j++)
		if (!x->res[j].nactions)
			findings_add(c->f, "MND135", &x->res[j].loc, agent,
				     NULL, "no action of the grant acts on "
				     "'%s', so it grants nothing there",
				     x->res[j].pattern);

	/* An action that applies to none of the resources grants nothing. */
	for (i = 0; i < g->actions.n; i++) {
		const struct sval *a = &g->actions.items[i];
		uint32_t id;
		bool applies = false;

		if (!per_action[i].count)
			continue;
		for (j = 0; j < g->resources.n && !applies; j++)
			actset_foreach(&per_action[i], id)
				if (catalog_action_applies(c->cat,
					catalog_action(c->cat, id),
					g->resources.items[j].s)) {
					applies = true;
					break;
				}
		if (!applies && g->resources.n == 1)
			findings_add(c->f, "MND135", &a->loc, agent, NULL,
				     "'%s' cannot act on '%s', so it grants "
				     "nothing", a->s, g->resources.items[0].s);
		else if (!applies)
			findings_add(c->f, "MND135", &a->loc, agent, NULL,
				     "'%s' cannot act on any resource of this "
				     "grant, so it grants nothing", a->s);
	}
	for (i = 0; i < g->actions.n; i++)
		actset_release(&per_action[i]);
	free(per_action);
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Skip a run of one or more digits; NULL when there is none. */
static const char *skip_digits(const char *s)
{
	if (!is_digit(*s))
		return NULL;
	while (is_digit(*s))
		s++;
	return s;
}

/*
 * Accept a decimal number such as -12 or 3.5, which IAM's Numeric
 * operators take. strtod would also pass "inf", "nan", "0x10", "1e3"
 * and leading blanks, which IAM does not compare as numbers.
 */
static bool is_number(const char *s)
{
	if (*s == '-')
		s++;
	s = skip_digits(s);
	if (s && *s == '.')
		s = skip_digits(s + 1);
	return s && !*s;
}

static bool is_bool(const char *s)
{
	return !strcmp(s, "true") || !strcmp(s, "false");
}

/* Return whether s starts with two digits making at most max. */
static bool two_digits(const char *s, int max)
{
	return is_digit(s[0]) && is_digit(s[1]) &&
	       (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

/*
 * Accept the time of an ISO 8601 timestamp: hh:mm, optional seconds
 * with an optional fraction, then nothing, Z, or an offset +hh:mm.
 */
static bool is_time(const char *s)
{
	if (!two_digits(s, 23) || s[2] != ':' || !two_digits(s + 3, 59))
		return false;
	s += 5;
	if (*s == ':') {
		if (!two_digits(s + 1, 60))	/* 60: a leap second */
			return false;
		s += 3;
		if (*s == '.' && !(s = skip_digits(s + 1)))
			return false;
	}
	if (*s == 'Z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-')
		return two_digits(s + 1, 23) && s[3] == ':' &&
		       two_digits(s + 4, 59) && s[6] == '\0';
	return *s == '\0';
}

/* Accept YYYY-MM-DD, an ISO 8601 timestamp, or epoch seconds. */
static bool is_date(const char *s)
{
	int32_t days;

	if (strlen(s) >= 10 && !date_parse(s, 10, &days))
		return s[10] == '\0' || (s[10] == 'T' && is_time(s + 11));
	return is_number(s);
}

/* Accept an IPv4 or IPv6 address, optionally with a /prefix length. */
static bool is_cidr(const char *s)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned char bytes[sizeof(struct in6_addr)];
	const char *slash = strchr(s, '/'), *end, *p;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int max, bits = 0;

	if (n >= sizeof(addr))
		return false;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, bytes) == 1)
		max = 32;
	else if (inet_pton(AF_INET6, addr, bytes) == 1)
		max = 128;
	else
		return false;
	if (!slash)
		return true;
	end = skip_digits(slash + 1);
	if (!end || *end || end - slash > 4)
		return false;
	for (p = slash + 1; p < end; p++)
		bits = bits * 10 + (*p - '0');
	return bits <= max;
}

/* Check one value against the key's type; NULL when it fits. */
static const char *value_problem(enum cond_type type, const char *v)
{
	switch (type) {
	case COND_TYPE_NUMERIC:
		return is_number(v) ? NULL : "a number";
	case COND_TYPE_DATE:
		return is_date(v) ? NULL : "a date such as 2026-01-31";
	case COND_TYPE_BOOL:
		return is_bool(v) ? NULL : "true or false";
	case COND_TYPE_IP:
		return is_cidr(v) ? NULL : "an IP address or CIDR range";
	case COND_TYPE_STRING:
	case COND_TYPE_ARN:
	case COND_TYPE_BINARY:
		return NULL;
	}
	return NULL;
}

const char *cond_iam_operator(enum cond_type type, enum cond_op op)
{
	return op_maps[type]->ops[op];
}

const char *cond_value_problem(enum cond_type type, const char *value)
{
	return value_problem(type, value);
}

static struct iam_cond *add_cond(struct compiler *c, struct xgrant *x,
				 size_t cap)
{
	if (!x->conds)
		x->conds = arena_calloc(&c->p->arena, cap, sizeof(*x->conds));
	return &x->conds[x->nconds++];
}

/*
 * Return whether an earlier `when` of the grant already requires the
 * key to be present. A second Null check on it would repeat the key in
 * the Null block, and a policy with a duplicate key is invalid JSON for
 * IAM.
 */
static bool requires_key(const struct xgrant *x, const char *key)
{
	size_t i;

	for (i = 0; i < x->nconds; i++)
		if (!strcmp(x->conds[i].op, "Null") &&
		    !strcasecmp(x->conds[i].key, key))
			return true;
	return false;
}

/*
 * Type one `when` condition and turn it into IAM operators. A
 * multivalued key (such as aws:TagKeys) gets a ForAllValues or
 * ForAnyValue operator; ForAllValues is also true when the request
 * lacks the key, so it comes with a Null check that requires the key.
 */
static void compile_condition(struct compiler *c, struct xgrant *x,
			      const struct condition *cond, size_t cap)
{
	const char *agent = x->grant->agent->name.s;
	const struct cat_condition_key *ck;
	const char *op, *problem;
	struct iam_cond *ic;
	struct finding *f;
	size_t i;

	ck = catalog_find_condition_key(c->cat, cond->key.s);
	if (!ck) {
		findings_add(c->f, "MND136", &cond->key.loc, agent, NULL,
			     "unknown condition key '%s'", cond->key.s);
		x->usable = false;
		return;
	}
	op = op_maps[ck->type]->ops[cond->op];
	if (!op || (cond->op == COND_ANY_IN && !ck->multivalued)) {
		f = findings_add(c->f, "MND136", &cond->op_loc, agent, NULL,
				 "operator '%s' does not apply to '%s', whose "
				 "type is %s%s", cond_op_name(cond->op),
				 cond->key.s, type_names[ck->type],
				 ck->multivalued ? " with several values" : "");
		if (cond->op == COND_ANY_IN && !ck->multivalued)
			finding_note(c->f, f, "use 'in' for a key with one "
				     "value");
		x->usable = false;
		return;
	}
	if (!cond->values.n) {
		findings_add(c->f, "MND136", &cond->loc, agent, NULL,
			     "condition on '%s' has no values", cond->key.s);
		x->usable = false;
		return;
	}
	if (ck->type == COND_TYPE_BOOL && cond->values.n != 1) {
		findings_add(c->f, "MND136", &cond->values.loc, agent, NULL,
			     "'%s' is a Bool key and takes one value",
			     cond->key.s);
		x->usable = false;
		return;
	}
	for (i = 0; i < cond->values.n; i++) {
		const struct sval *v = &cond->values.items[i];

		problem = value_problem(ck->type, v->s);
		if (problem) {
			findings_add(c->f, "MND136", &v->loc, agent, NULL,
				     "'%s' expects %s, got '%s'", cond->key.s,
				     problem, v->s);
			x->usable = false;
			return;
		}
	}

	ic = add_cond(c, x, cap);
	ic->key = cond->key.s;
	ic->nvalues = cond->values.n;
	ic->values = arena_calloc(&c->p->arena, ic->nvalues,
				  sizeof(*ic->values));
	for (i = 0; i < ic->nvalues; i++)
		ic->values[i] = cond->values.items[i].s;
	if (ck->type == COND_TYPE_BOOL && cond->op == COND_NE)
		ic->values[0] = strcmp(ic->values[0], "true") ? "true"
							      : "false";
	if (!ck->multivalued) {
		ic->op = op;
		return;
	}
	if (cond->op == COND_ANY_IN) {
		ic->op = arena_printf(&c->p->arena, "ForAnyValue:%s", op);
		return;
	}
	ic->op = arena_printf(&c->p->arena, "ForAllValues:%s", op);
	if (cond->op == COND_NE || cond->op == COND_NOT_IN ||
	    cond->op == COND_NOT_LIKE || requires_key(x, cond->key.s))
		return;
	ic = add_cond(c, x, cap);
	ic->op = "Null";
	ic->key = cond->key.s;
	ic->nvalues = 1;
	ic->values = arena_calloc(&c->p->arena, 1, sizeof(*ic->values));
	ic->values[0] = "false";
}

static bool same_op_and_key(const struct iam_cond *a, const struct iam_cond *b)
{
	return !strcmp(a->op, b->op) && !strcasecmp(a->key, b->key);
}

static void compile_conditions(struct compiler *c, struct xgrant *x)
{
	const struct grant *g = x->grant;
	const struct condition *cond;
	size_t cap = g->nconds * 2, i, j;

	for (cond = g->conds; cond; cond = cond->next) {
		size_t before = x->nconds;

		compile_condition(c, x, cond, cap);
		/*
		 * IAM joins the values of one operator and key with OR, so
		 * two `when`s that land on the same operator and key could
		 * not both be kept.
		 */
		for (i = before; i < x->nconds; i++)
			for (j = 0; j < before; j++)
				if (same_op_and_key(&x->conds[i],
						    &x->conds[j]) &&
				    strcmp(x->conds[i].op, "Null")) {
					findings_add(c->f, "MND136",
						     &cond->loc,
						     g->agent->name.s, NULL,
						     "a second '%s' condition "
						     "on '%s'; put every value "
						     "in one list",
						     x->conds[i].op,
						     cond->key.s);
					x->usable = false;
				}
	}
}

static void compile_grant(struct compiler *c, struct xgrant *x,
			  const struct grant *g)
{
	size_t i;

	x->grant = g;
	x->deny = g->deny;
	x->usable = true;
	x->res = arena_calloc(&c->p->arena, g->resources.n ? g->resources.n
							   : 1,
			      sizeof(*x->res));
	if (g->by_level)
		expand_levels(c, x);
	else
		expand_actions(c, x);
	for (i = 0; i < x->nres; i++)
		x->levels |= levels_of(c->cat, x->res[i].actions,
				       x->res[i].nactions);
	compile_conditions(c, x);
}

static int compile_escalations(struct compiler *c, const struct spec_unit *u,
			       struct diag *d)
{
	const struct escalation *e;
	struct program *p = c->p;
	size_t i;
	int ret = 0;

	p->escalations = arena_calloc(&p->arena, u->nescalations + 1,
				      sizeof(*p->escalations));
	for (e = u->escalations; e; e = e->next) {
		struct xescalation *xe = &p->escalations[p->nescalations++];

		xe->esc = e;
		xe->actions = arena_calloc(&p->arena, e->requires.n + 1,
					   sizeof(*xe->actions));
		for (i = 0; i < e->requires.n; i++) {
			const struct sval *a = &e->requires.items[i];
			const struct cat_action *ca;

			ca = catalog_find_action(c->cat, a->s);
			if (!ca) {
				diag_at(d, DIAG_ERROR, &a->loc,
					"escalation path '%s' names unknown "
					"action '%s'", e->name.s, a->s);
				ret = -1;
				continue;
			}
			xe->actions[xe->nactions++] = ca->id;
		}
	}
	return ret;
}

int program_compile(struct program *p, const struct spec_unit *u,
		    const struct catalog *cat, struct findings *f,
		    struct diag *d)
{
	struct compiler c = { p, cat, f, { 0 } };
	const struct agent *a;
	size_t n = 0;
	int ret;

	memset(p, 0, sizeof(*p));
	p->unit = u;
	p->cat = cat;
	actset_init(&c.set, catalog_count(cat));
	p->agents = arena_calloc(&p->arena, u->nagents + 1,
				 sizeof(*p->agents));
	for (a = u->agents; a; a = a->next) {
		struct xagent *xa = &p->agents[n++];
		const struct grant *g;

		xa->agent = a;
		xa->grants = arena_calloc(&p->arena, a->ngrants + 1,
					  sizeof(*xa->grants));
		for (g = a->grants; g; g = g->next) {
			if (g->provider != PROVIDER_AWS) {
				/* TODO: expand GCP, Azure and Kubernetes grants. */
				diag_at(d, DIAG_WARNING, &g->loc,
					"%s grants are not checked or built "
					"yet; this grant is ignored",
					provider_name(g->provider));
				continue;
			}
			compile_grant(&c, &xa->grants[xa->ngrants++], g);
		}
	}
	p->nagents = n;
	ret = compile_escalations(&c, u, d);
	actset_release(&c.set);
	return ret;
}

void xagent_allowed_actions(const struct xagent *xa, struct actset *out)
{
	struct actset denied;
	size_t i, j, k;

	actset_init(&denied, out->nwords * 64);
	for (i = 0; i < xa->ngrants; i++) {
		const struct xgrant *x = &xa->grants[i];

		for (j = 0; j < x->nres; j++) {
			const struct xresource *r = &x->res[j];

			if (x->deny && (x->nconds ||
					!pattern_is_everything(r->pattern)))
				continue;
			for (k = 0; k < r->nactions; k++)
				actset_add(x->deny ? &denied : out,
					   r->actions[k]);
		}
	}
	actset_subtract(out, &denied);
	actset_release(&denied);
}

void program_release(struct program *p)
{
	arena_release(&p->arena);
}

static bool values_equal(const struct iam_cond *a, const struct iam_cond *b)
{
	size_t i, j;

	if (a->nvalues != b->nvalues)
		return false;
	for (i = 0; i < a->nvalues; i++) {
		for (j = 0; j < b->nvalues; j++)
			if (!strcmp(a->values[i], b->values[j]))
				break;
		if (j == b->nvalues)
			return false;
	}
	return true;
}

bool iam_cond_equal(const struct iam_cond *a, const struct iam_cond *b)
{
	return !strcasecmp(a->op, b->op) && !strcasecmp(a->key, b->key) &&
	       values_equal(a, b);
}
