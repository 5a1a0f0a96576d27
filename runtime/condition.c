#include "condition.h"

#include <stdint.h>
#include <string.h>

#include "value.h"

/*
 * The rules follow the IAM User Guide, "IAM JSON policy elements:
 * Condition operators", "Creating a condition with multiple keys or
 * values" and "IAM policy elements: Variables and tags". Where those
 * pages leave a case open, the result is TRUTH_UNKNOWN, never a guess.
 */

enum family {
	FAMILY_STRING,
	FAMILY_NUMERIC,
	FAMILY_DATE,
	FAMILY_BOOL,
	FAMILY_BINARY,
	FAMILY_IP,
	FAMILY_ARN,
	FAMILY_NULL,
};

enum test {
	TEST_EQUALS,
	TEST_EQUALS_FOLD,	/* ASCII case ignored */
	TEST_LIKE,		/* '*' and '?' are wildcards */
	TEST_LESS,
	TEST_LESS_EQUALS,
	TEST_GREATER,
	TEST_GREATER_EQUALS,
};

enum set_op {
	SET_NONE,
	SET_ALL,		/* ForAllValues: */
	SET_ANY,		/* ForAnyValue: */
};

struct operator {
	enum family family;
	enum test test;
	bool negated;		/* true when no policy value may match */
	bool if_exists;
	enum set_op set;
};

static const struct base_operator {
	const char *name;
	enum family family;
	enum test test;
	bool negated;
} base_operators[] = {
	{ "StringEquals", FAMILY_STRING, TEST_EQUALS, false },
	{ "StringNotEquals", FAMILY_STRING, TEST_EQUALS, true },
	{ "StringEqualsIgnoreCase", FAMILY_STRING, TEST_EQUALS_FOLD, false },
	{ "StringNotEqualsIgnoreCase", FAMILY_STRING, TEST_EQUALS_FOLD, true },
	{ "StringLike", FAMILY_STRING, TEST_LIKE, false },
	{ "StringNotLike", FAMILY_STRING, TEST_LIKE, true },
	{ "NumericEquals", FAMILY_NUMERIC, TEST_EQUALS, false },
	{ "NumericNotEquals", FAMILY_NUMERIC, TEST_EQUALS, true },
	{ "NumericLessThan", FAMILY_NUMERIC, TEST_LESS, false },
	{ "NumericLessThanEquals", FAMILY_NUMERIC, TEST_LESS_EQUALS, false },
	{ "NumericGreaterThan", FAMILY_NUMERIC, TEST_GREATER, false },
	{ "NumericGreaterThanEquals", FAMILY_NUMERIC, TEST_GREATER_EQUALS,
	  false },
	{ "DateEquals", FAMILY_DATE, TEST_EQUALS, false },
	{ "DateNotEquals", FAMILY_DATE, TEST_EQUALS, true },
	{ "DateLessThan", FAMILY_DATE, TEST_LESS, false },
	{ "DateLessThanEquals", FAMILY_DATE, TEST_LESS_EQUALS, false },
	{ "DateGreaterThan", FAMILY_DATE, TEST_GREATER, false },
	{ "DateGreaterThanEquals", FAMILY_DATE, TEST_GREATER_EQUALS, false },
	{ "Bool", FAMILY_BOOL, TEST_EQUALS, false },
	{ "BinaryEquals", FAMILY_BINARY, TEST_EQUALS, false },
	{ "IpAddress", FAMILY_IP, TEST_EQUALS, false },
	{ "NotIpAddress", FAMILY_IP, TEST_EQUALS, true },
	{ "ArnEquals", FAMILY_ARN, TEST_LIKE, false },
	{ "ArnLike", FAMILY_ARN, TEST_LIKE, false },
	{ "ArnNotEquals", FAMILY_ARN, TEST_LIKE, true },
	{ "ArnNotLike", FAMILY_ARN, TEST_LIKE, true },
	{ "Null", FAMILY_NULL, TEST_EQUALS, false },
};

enum truth truth_and(enum truth a, enum truth b)
{
	if (a == TRUTH_FALSE || b == TRUTH_FALSE)
		return TRUTH_FALSE;
	if (a == TRUTH_UNKNOWN || b == TRUTH_UNKNOWN)
		return TRUTH_UNKNOWN;
	return TRUTH_TRUE;
}

enum truth truth_or(enum truth a, enum truth b)
{
	if (a == TRUTH_TRUE || b == TRUTH_TRUE)
		return TRUTH_TRUE;
	if (a == TRUTH_UNKNOWN || b == TRUTH_UNKNOWN)
		return TRUTH_UNKNOWN;
	return TRUTH_FALSE;
}

enum truth truth_not(enum truth a)
{
	if (a == TRUTH_UNKNOWN)
		return a;
	return a == TRUTH_TRUE ? TRUTH_FALSE : TRUTH_TRUE;
}

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool parse_operator(const char *name, struct operator *out)
{
	static const char suffix[] = "IfExists";
	size_t n, i, suffix_len = sizeof(suffix) - 1;

	memset(out, 0, sizeof(*out));
	if (!strncmp(name, "ForAllValues:", 13)) {
		out->set = SET_ALL;
		name += 13;
	} else if (!strncmp(name, "ForAnyValue:", 12)) {
		out->set = SET_ANY;
		name += 12;
	}
	n = strlen(name);
	if (n > suffix_len && !strcmp(name + n - suffix_len, suffix)) {
		out->if_exists = true;
		n -= suffix_len;
	}
	for (i = 0; i < sizeof(base_operators) / sizeof(base_operators[0]);
	     i++) {
		const struct base_operator *b = &base_operators[i];

		if (strlen(b->name) != n || strncmp(b->name, name, n))
			continue;
		if (b->family == FAMILY_NULL && out->if_exists)
			return false;
		out->family = b->family;
		out->test = b->test;
		out->negated = b->negated;
		return true;
	}
	return false;
}

bool condition_operator_known(const char *op)
{
	struct operator parsed;

	return parse_operator(op, &parsed);
}

const struct eval_key *condition_find_key(const struct eval_request *req,
					  const char *key)
{
	size_t i, j;

	for (i = 0; i < req->ncontext; i++) {
		const char *k = req->context[i].key;

		for (j = 0; k[j] && fold((unsigned char)k[j]) ==
			    fold((unsigned char)key[j]); j++)
			;
		if (!k[j] && !key[j])
			return &req->context[i];
	}
	return NULL;
}

/* Output of a pattern, bounded by its buffer. */
struct out_buf {
	char *s;
	size_t len, size;
	bool full;
};

static void put(struct out_buf *o, const char *s, size_t n)
{
	if (o->full || o->len + n >= o->size) {
		o->full = true;
		return;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* Append s[0..n) with '*', '?' and '$' escaped, so that all is literal. */
static void put_literal(struct out_buf *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '*')
			put(o, "${*}", 4);
		else if (s[i] == '?')
			put(o, "${?}", 4);
		else if (s[i] == '$')
			put(o, "${$}", 4);
		else
			put(o, &s[i], 1);
	}
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/*
 * A policy variable "${name}" or "${name, 'default'}" starting at s
 * (just after "${"): its key, its default and where it ends.
 */
struct variable {
	const char *name;
	size_t name_len;
	const char *def;	/* NULL when there is no default */
	size_t def_len;
	const char *end;	/* just past the closing '}' */
};

/* Parse a variable; false when it is malformed. */
static bool parse_variable(const char *s, struct variable *v)
{
	const char *p = skip_spaces(s), *q;

	v->name = p;
	while (*p && *p != ',' && *p != '}')
		p++;
	if (!*p)
		return false;
	for (q = p; q > v->name && q[-1] == ' '; q--)
		;
	v->name_len = (size_t)(q - v->name);
	v->def = NULL;
	v->def_len = 0;
	if (*p == ',') {
		p = skip_spaces(p + 1);
		if (*p != '\'')
			return false;
		v->def = ++p;
		while (*p && *p != '\'')
			p++;
		if (!*p)
			return false;
		v->def_len = (size_t)(p - v->def);
		p = skip_spaces(p + 1);
		if (*p != '}')
			return false;
	}
	v->end = p + 1;
	return v->name_len > 0;
}

/* Append the value of variable v. */
static enum expand_result put_variable(struct out_buf *o,
				       const struct variable *v,
				       bool wildcards,
				       const struct eval_request *req,
				       const char **why)
{
	char name[256];
	const struct eval_key *k;
	const char *value;
	size_t n;

	if (v->name_len == 1 && strchr("*?$", v->name[0]) && !v->def) {
		char escape[4] = { '$', '{', v->name[0], '}' };

		put(o, escape, 4);
		return EXPAND_OK;
	}
	if (v->name_len >= sizeof(name)) {
		*why = "a policy variable names a key longer than 255 bytes";
		return EXPAND_UNKNOWN;
	}
	memcpy(name, v->name, v->name_len);
	name[v->name_len] = '\0';
	k = condition_find_key(req, name);
	if (k && k->nvalues != 1) {
		*why = "a policy variable names a key without exactly one "
		       "value";
		return EXPAND_UNKNOWN;
	}
	if (!k && !v->def)
		return EXPAND_UNRESOLVED;
	value = k ? k->values[0] : v->def;
	n = k ? strlen(value) : v->def_len;
	if (wildcards && (memchr(value, '*', n) || memchr(value, '?', n))) {
		*why = "a policy variable's value holds '*' or '?', and IAM "
		       "does not say whether they match as wildcards";
		return EXPAND_UNKNOWN;
	}
	put_literal(o, value, n);
	return EXPAND_OK;
}

enum expand_result policyvar_expand(char *out, size_t size, const char *text,
				    bool variables, bool wildcards,
				    const struct eval_request *req,
				    const char **why)
{
	struct out_buf o = { out, 0, size, false };
	const char *p = text;

	out[0] = '\0';
	while (*p) {
		struct variable v;
		enum expand_result r;

		if (p[0] != '$' || p[1] != '{') {
			put(&o, p++, 1);
			continue;
		}
		if (!variables) {
			put(&o, "${$}", 4);
			p++;
			continue;
		}
		if (!parse_variable(p + 2, &v)) {
			*why = "a policy variable is malformed";
			return EXPAND_UNKNOWN;
		}
		r = put_variable(&o, &v, wildcards, req, why);
		if (r != EXPAND_OK)
			return r;
		p = v.end;
	}
	if (o.full) {
		*why = "a pattern is too long once its variables are put in";
		return EXPAND_UNKNOWN;
	}
	return EXPAND_OK;
}

/*
 * Read the pattern element at p: a literal byte (possibly written as an
 * escape such as "${*}") or a wildcard. Returns its length in p.
 */
static size_t pattern_element(const char *p, char *literal, bool *star,
			      bool *any)
{
	*star = *any = false;
	if (p[0] == '$' && p[1] == '{' && p[2] && strchr("*?$", p[2]) &&
	    p[3] == '}') {
		*literal = p[2];
		return 4;
	}
	*literal = p[0];
	*star = p[0] == '*';
	*any = p[0] == '?';
	return 1;
}

/* Return the length of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
	size_t n = 1;

	while (s[n] && ((unsigned char)s[n] & 0xc0) == 0x80 && n < 4)
		n++;
	return n;
}

/*
 * Return whether text[0..tn) matches the escaped pattern p[0..pn): '*'
 * is any run of characters, '?' one character. On a mismatch the last
 * '*' takes one more character and matching resumes after it, which
 * decides in time proportional to the product of the lengths.
 */
static bool glob_match(const char *p, size_t pn, const char *t, size_t tn)
{
	size_t pi = 0, ti = 0, star_p = SIZE_MAX, star_t = 0;

	while (ti < tn) {
		char lit;
		bool star, any;
		size_t len = pi < pn ? pattern_element(p + pi, &lit, &star,
						       &any) : 0;

		if (pi < pn && star) {
			star_p = pi + len;
			star_t = ti;
			pi += len;
		} else if (pi < pn && any) {
			pi += len;
			ti += char_len(t + ti);
		} else if (pi < pn && lit == t[ti]) {
			pi += len;
			ti++;
		} else if (star_p != SIZE_MAX) {
			star_t += char_len(t + star_t);
			ti = star_t;
			pi = star_p;
		} else {
			return false;
		}
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/* Copy the escaped pattern p into out as plain text. */
static void unescape(const char *p, char *out)
{
	while (*p) {
		char lit;
		bool star, any;

		p += pattern_element(p, &lit, &star, &any);
		*out++ = lit;
	}
	*out = '\0';
}

/*
 * Compare two strings ignoring ASCII case. Outside ASCII, IAM's case
 * rules are not documented, so strings that differ there are unknown.
 */
static enum truth equals_fold(const char *a, const char *b, const char **why)
{
	bool wide = false;
	size_t i;

	if (!strcmp(a, b))
		return TRUTH_TRUE;
	for (i = 0; a[i] && b[i]; i++) {
		if ((unsigned char)a[i] >= 0x80 || (unsigned char)b[i] >= 0x80)
			wide = true;
		else if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return TRUTH_FALSE;
	}
	if (a[i] || b[i])
		return TRUTH_FALSE;
	if (wide) {
		*why = "case-insensitive comparison of non-ASCII text";
		return TRUTH_UNKNOWN;
	}
	return TRUTH_TRUE;
}

/* Split an ARN into its six colon-separated parts; false if fewer. */
static bool split_arn(const char *s, const char *part[6], size_t len[6])
{
	int i;

	for (i = 0; i < 5; i++) {
		const char *colon = strchr(s, ':');

		if (!colon)
			return false;
		part[i] = s;
		len[i] = (size_t)(colon - s);
		s = colon + 1;
	}
	part[5] = s;
	len[5] = strlen(s);
	return true;
}

/*
 * Split an escaped pattern the same way. An escape contains no ':', so
 * a plain search for ':' is exact.
 */
static enum truth arn_like(const char *pattern, const char *value,
			   const char **why)
{
	const char *pp[6], *vp[6];
	size_t pl[6], vl[6];
	int i;

	if (!split_arn(pattern, pp, pl) || !split_arn(value, vp, vl)) {
		*why = "an ARN operator's value is not an ARN of six parts";
		return TRUTH_UNKNOWN;
	}
	for (i = 0; i < 6; i++)
		if (!glob_match(pp[i], pl[i], vp[i], vl[i]))
			return TRUTH_FALSE;
	return TRUTH_TRUE;
}

static enum truth compare_result(enum test test, int cmp)
{
	bool r;

	switch (test) {
	case TEST_LESS:
		r = cmp < 0;
		break;
	case TEST_LESS_EQUALS:
		r = cmp <= 0;
		break;
	case TEST_GREATER:
		r = cmp > 0;
		break;
	case TEST_GREATER_EQUALS:
		r = cmp >= 0;
		break;
	default:
		r = cmp == 0;
		break;
	}
	return r ? TRUTH_TRUE : TRUTH_FALSE;
}

static enum truth match_numeric(enum test test, const char *value,
				const char *policy, const char **why)
{
	int cmp;

	if (!value_compare_decimal(value, policy, &cmp)) {
		*why = "a numeric operator's value is not a decimal number";
		return TRUTH_UNKNOWN;
	}
	return compare_result(test, cmp);
}

static enum truth match_date(enum test test, const char *value,
			     const char *policy, const char **why)
{
	int cmp;

	if (!value_compare_date(value, policy, &cmp)) {
		*why = "a date operator's value is neither ISO 8601 nor epoch "
		       "seconds";
		return TRUTH_UNKNOWN;
	}
	return compare_result(test, cmp);
}

static enum truth match_bool(const char *value, const char *policy,
			     const char **why)
{
	bool known = (!strcmp(value, "true") || !strcmp(value, "false")) &&
		     (!strcmp(policy, "true") || !strcmp(policy, "false"));

	if (!known) {
		*why = "a Bool operator's value is not 'true' or 'false'";
		return TRUTH_UNKNOWN;
	}
	return strcmp(value, policy) ? TRUTH_FALSE : TRUTH_TRUE;
}

static enum truth match_binary(const char *value, const char *policy,
			       const char **why)
{
	bool equal;

	if (!value_binary_equal(value, policy, &equal)) {
		*why = "a BinaryEquals value is not base64";
		return TRUTH_UNKNOWN;
	}
	return equal ? TRUTH_TRUE : TRUTH_FALSE;
}

static enum truth match_ip(const char *value, const char *policy,
			   const char **why)
{
	bool in;

	if (!value_ip_in_block(value, policy, &in)) {
		*why = "an IP address operator's value is not an address or "
		       "CIDR block";
		return TRUTH_UNKNOWN;
	}
	return in ? TRUTH_TRUE : TRUTH_FALSE;
}

/* Decide one request value against one expanded policy value. */
static enum truth match_value(const struct operator *op, const char *value,
			      const char *pattern, const char **why)
{
	char plain[PATTERN_MAX];

	if (op->family == FAMILY_ARN)
		return arn_like(pattern, value, why);
	if (op->family == FAMILY_STRING && op->test == TEST_LIKE)
		return glob_match(pattern, strlen(pattern), value,
				  strlen(value)) ? TRUTH_TRUE : TRUTH_FALSE;
	unescape(pattern, plain);
	switch (op->family) {
	case FAMILY_STRING:
		if (op->test == TEST_EQUALS_FOLD)
			return equals_fold(value, plain, why);
		return strcmp(value, plain) ? TRUTH_FALSE : TRUTH_TRUE;
	case FAMILY_NUMERIC:
		return match_numeric(op->test, value, plain, why);
	case FAMILY_DATE:
		return match_date(op->test, value, plain, why);
	case FAMILY_BOOL:
		return match_bool(value, plain, why);
	case FAMILY_BINARY:
		return match_binary(value, plain, why);
	case FAMILY_IP:
		return match_ip(value, plain, why);
	default:
		break;
	}
	*why = "the operator does not compare values";
	return TRUTH_UNKNOWN;
}

/* Policy variables count only in string, ARN and Bool values. */
static bool takes_variables(const struct operator *op)
{
	return op->family == FAMILY_STRING || op->family == FAMILY_ARN ||
	       op->family == FAMILY_BOOL;
}

/*
 * Decide one request value against all of the condition's values: any
 * may match, and for a negated operator none may. A value whose
 * variable has no value matches nothing. Under a negated operator that
 * is unknown, because IAM calls such a statement invalid rather than
 * saying that the value fails to match.
 */
static enum truth test_value(const struct operator *op,
			     const struct aws_condition *c, const char *value,
			     bool variables, const struct eval_request *req,
			     const char **why)
{
	char pattern[PATTERN_MAX];
	bool wildcards = op->test == TEST_LIKE;
	enum truth any = TRUTH_FALSE;
	size_t i;

	for (i = 0; i < c->nvalues && any != TRUTH_TRUE; i++) {
		enum expand_result r;

		r = policyvar_expand(pattern, sizeof(pattern), c->values[i],
				     variables && takes_variables(op),
				     wildcards, req, why);
		if (r == EXPAND_UNKNOWN) {
			any = truth_or(any, TRUTH_UNKNOWN);
			continue;
		}
		if (r == EXPAND_UNRESOLVED) {
			if (op->negated) {
				*why = "a policy variable names a key absent "
				       "from the request";
				any = truth_or(any, TRUTH_UNKNOWN);
			}
			continue;
		}
		any = truth_or(any, match_value(op, value, pattern, why));
	}
	return op->negated ? truth_not(any) : any;
}

/* The Null operator: "true" requires the key to be absent. */
static enum truth test_null(const struct operator *op,
			    const struct aws_condition *c,
			    const struct eval_key *k, const char **why)
{
	enum truth any = TRUTH_FALSE;
	size_t i;

	if (op->set != SET_NONE) {
		*why = "Null with a set operator";
		return TRUTH_UNKNOWN;
	}
	if (k && !k->nvalues) {
		*why = "Null on a key present with no values";
		return TRUTH_UNKNOWN;
	}
	for (i = 0; i < c->nvalues; i++) {
		if (!strcmp(c->values[i], "true")) {
			any = truth_or(any, k ? TRUTH_FALSE : TRUTH_TRUE);
		} else if (!strcmp(c->values[i], "false")) {
			any = truth_or(any, k ? TRUTH_TRUE : TRUTH_FALSE);
		} else {
			*why = "a Null operator's value is not 'true' or "
			       "'false'";
			any = truth_or(any, TRUTH_UNKNOWN);
		}
	}
	return any;
}

/* A set of request values is empty when it has none, or only "". */
static bool empty_set(const struct eval_key *k)
{
	return !k->nvalues || (k->nvalues == 1 && !k->values[0][0]);
}

enum truth condition_eval(const struct aws_condition *c, bool variables,
			  const struct eval_request *req, const char **why)
{
	const struct eval_key *k = condition_find_key(req, c->key);
	struct operator op;
	enum truth all = TRUTH_TRUE, any = TRUTH_FALSE;
	size_t i;

	if (!parse_operator(c->op, &op)) {
		*why = "unknown condition operator";
		return TRUTH_UNKNOWN;
	}
	if (!c->nvalues) {
		*why = "the condition lists no values";
		return TRUTH_UNKNOWN;
	}
	if (op.family == FAMILY_NULL)
		return test_null(&op, c, k, why);
	if (!k) {
		if (op.if_exists || op.set == SET_ALL)
			return TRUTH_TRUE;
		if (op.set == SET_ANY)
			return TRUTH_FALSE;
		return op.negated ? TRUTH_TRUE : TRUTH_FALSE;
	}
	if (op.set == SET_NONE) {
		if (k->nvalues != 1) {
			*why = "the key has several values (or none) but the "
			       "operator takes one";
			return TRUTH_UNKNOWN;
		}
		return test_value(&op, c, k->values[0], variables, req, why);
	}
	if (empty_set(k))
		return op.set == SET_ALL ? TRUTH_TRUE : TRUTH_FALSE;
	for (i = 0; i < k->nvalues; i++) {
		enum truth t = test_value(&op, c, k->values[i], variables, req,
					  why);

		all = truth_and(all, t);
		any = truth_or(any, t);
	}
	return op.set == SET_ALL ? all : any;
}
