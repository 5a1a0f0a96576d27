#include "common.h"
#include "unit.h"

#include "aws_policy.h"
#include "eval.h"
#include "source.h"
#include "strtab.h"

/*
 * IAM's evaluation of one request (runtime/eval.h) on policy documents
 * read by the importer from JSON text, as the simulate command and the
 * drift check read them. In the JSON below a backtick stands for a
 * double quote, so that the documents stay readable in C strings.
 */

#define ALICE "arn:aws:iam::111122223333:user/alice"
#define BOB "arn:aws:iam::111122223333:user/bob"
#define SESSION "arn:aws:sts::111122223333:assumed-role/reader/run-42"
#define READER "arn:aws:iam::111122223333:role/team/reader"
#define OUTSIDER "arn:aws:iam::444455556666:user/carol"
#define OBJECT "arn:aws:s3:::reports/q1.csv"

/* Parsed documents and what they live in. */
struct world {
	struct arena arena;
	struct strtab strtab;
	struct source *sources[64];
	size_t nsources;
};

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	strtab_init(&w->strtab, &w->arena);
}

static void world_release(struct world *w)
{
	size_t i;

	for (i = 0; i < w->nsources; i++)
		source_free(w->sources[i]);
	strtab_release(&w->strtab);
	arena_release(&w->arena);
}

/*
 * Parse json (backticks for quotes) as a policy of kind, or fail with
 * the diagnostics. Warnings (unknown operators) are expected and kept
 * quiet.
 */
static const struct aws_policy_doc *parse(struct world *w,
					  enum aws_policy_kind kind,
					  const char *json)
{
	struct aws_policy_doc *doc = NULL;
	struct source *src;
	struct diag d;
	char *text = xstrdup(json), *p, *messages = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&messages, &len);

	for (p = text; *p; p++)
		if (*p == '`')
			*p = '"';
	src = source_from_memory("policy.json", text, strlen(text));
	free(text);
	if (w->nsources >= ARRAY_SIZE(w->sources))
		BUG("too many test policies");
	w->sources[w->nsources++] = src;
	if (!out)
		BUG("open_memstream failed");
	diag_init(&d, out, false);
	if (aws_policy_parse_source(&doc, src, kind, &w->arena, &w->strtab,
				    &d)) {
		fflush(out);
		unit_fail(__FILE__, __LINE__, "cannot parse %s:\n%s", json,
			  messages ? messages : "");
	}
	fclose(out);
	free(messages);
	return doc;
}

static const struct aws_policy_doc *identity_doc(struct world *w,
						 const char *json)
{
	return parse(w, AWS_POLICY_IDENTITY, json);
}

static const struct aws_policy_doc *resource_doc(struct world *w,
						 const char *json)
{
	return parse(w, AWS_POLICY_RESOURCE, json);
}

/*
 * A request context written as "key=v1|v2;key2=v": '|' separates the
 * values of one key, and a key without '=' has no values.
 */
struct context {
	struct eval_key keys[8];
	const char *values[32];
	char text[1024];
	size_t nkeys;
};

static void context_parse(struct context *c, const char *spec)
{
	size_t nvalues = 0;
	char *p;

	memset(c, 0, sizeof(*c));
	if (!spec || !*spec)
		return;
	snprintf(c->text, sizeof(c->text), "%s", spec);
	for (p = c->text; p;) {
		char *next = strchr(p, ';'), *eq;
		struct eval_key *k = &c->keys[c->nkeys++];

		if (next)
			*next++ = '\0';
		eq = strchr(p, '=');
		k->key = p;
		k->values = &c->values[nvalues];
		if (eq) {
			char *v = eq + 1;

			*eq = '\0';
			for (;;) {
				char *bar = strchr(v, '|');

				if (bar)
					*bar = '\0';
				c->values[nvalues++] = v;
				k->nvalues++;
				if (!bar)
					break;
				v = bar + 1;
			}
		}
		p = next;
	}
}

/* One request: the caller, the action, the resource and the context. */
struct ask {
	enum eval_principal_kind kind;
	const char *principal;
	const char *action;
	const char *resource;
	const char *context;
};

static enum eval_decision ask(const struct eval_policies *pol,
			      const struct ask *a, struct eval_result *out)
{
	struct eval_request req = { a->kind, a->principal, a->action,
				    a->resource, NULL, 0 };
	struct context c;

	context_parse(&c, a->context);
	req.context = c.keys;
	req.ncontext = c.nkeys;
	eval_request(pol, &req, out);
	if (!out->reason[0])
		unit_fail(__FILE__, __LINE__, "empty reason");
	return out->decision;
}

/* Decide alice's request with the given identity policies alone. */
static enum eval_decision ask_identity(const struct eval_policy *policies,
				       size_t n, const char *action,
				       const char *resource,
				       const char *context,
				       struct eval_result *out)
{
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, ALICE, action, resource, context };

	pol.identity = policies;
	pol.nidentity = n;
	return ask(&pol, &a, out);
}

/* Return match i of res, or an empty one after failing the test. */
static const struct eval_match *match_at(const struct eval_result *res,
					 size_t i)
{
	static const struct eval_match none;

	if (i < res->nmatches)
		return &res->matches[i];
	unit_fail(__FILE__, __LINE__, "no match %zu: the result has %zu", i,
		  res->nmatches);
	return &none;
}

#define CHECK_DECISION(got, want, what)                                  \
	do {                                                             \
		int got_ = (int)(got), want_ = (int)(want);               \
		if (got_ != want_)                                       \
			unit_fail(__FILE__, __LINE__, "%s: decision %d, " \
				  "expected %d", (what), got_, want_);     \
	} while (0)

enum {
	ALLOW = EVAL_ALLOW,
	DENY = EVAL_EXPLICIT_DENY,
	NONE = EVAL_IMPLICIT_DENY,
	UNDET = EVAL_UNDETERMINED,
};

/* A condition, a context and the decision of an Allow that has it. */
struct cond_case {
	const char *condition;
	const char *context;
	int want;
};

/*
 * Decide each case with one Allow of s3:GetObject on every resource
 * whose Condition is the case's; version is the document's Version,
 * or NULL for none.
 */
static void check_conditions(const struct cond_case *cases, size_t n,
			     const char *version)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct world w;
		struct eval_policy p = { "inline policy 'conditions'", NULL };
		struct eval_result res;
		struct buf json = BUF_INIT, what = BUF_INIT;

		world_init(&w);
		buf_adds(&json, "{");
		if (version)
			buf_addf(&json, "`Version`: `%s`, ", version);
		buf_addf(&json, "`Statement`: {`Effect`: `Allow`, `Action`: "
			 "`s3:GetObject`, `Resource`: `*`, `Condition`: %s}}",
			 cases[i].condition);
		p.doc = identity_doc(&w, json.data);
		buf_addf(&what, "%s with '%s'", cases[i].condition,
			 cases[i].context);
		if (p.doc)
			CHECK_DECISION(ask_identity(&p, 1, "s3:GetObject",
						    OBJECT, cases[i].context,
						    &res),
				       cases[i].want, what.data);
		buf_release(&json);
		buf_release(&what);
		world_release(&w);
	}
}

static void test_eval__string_operators(void)
{
	static const struct cond_case cases[] = {
		/* Keys ignore case; values do not. */
		{ "{`StringEquals`: {`aws:PrincipalTag/team`: `data`}}",
		  "AWS:principaltag/TEAM=data", ALLOW },
		{ "{`StringEquals`: {`aws:PrincipalTag/team`: `data`}}",
		  "aws:PrincipalTag/team=Data", NONE },
		{ "{`StringEquals`: {`k`: [`a`, `data`]}}", "k=data", ALLOW },
		{ "{`StringEquals`: {`k`: `a`}}", "", NONE },
		{ "{`StringEquals`: {`k`: `a`}}", "other=a", NONE },
		/* A negated operator matches when no value does. */
		{ "{`StringNotEquals`: {`k`: [`a`, `b`]}}", "k=c", ALLOW },
		{ "{`StringNotEquals`: {`k`: [`a`, `b`]}}", "k=a", NONE },
		{ "{`StringNotEquals`: {`k`: [`a`, `b`]}}", "k=b", NONE },
		{ "{`StringNotEquals`: {`k`: `a`}}", "", ALLOW },
		{ "{`StringEqualsIgnoreCase`: {`k`: `DATA`}}", "k=data",
		  ALLOW },
		{ "{`StringEqualsIgnoreCase`: {`k`: `DATA`}}", "k=date",
		  NONE },
		{ "{`StringEqualsIgnoreCase`: {`k`: `\xc3\x84x`}}",
		  "k=\xc3\xa4x", UNDET },
		{ "{`StringEqualsIgnoreCase`: {`k`: `\xc3\x84x`}}",
		  "k=\xc3\x84x", ALLOW },
		{ "{`StringNotEqualsIgnoreCase`: {`k`: `DATA`}}", "k=Data",
		  NONE },
		{ "{`StringNotEqualsIgnoreCase`: {`k`: `DATA`}}", "k=x",
		  ALLOW },
		{ "{`StringLike`: {`k`: `proj-*`}}", "k=proj-7", ALLOW },
		{ "{`StringLike`: {`k`: `proj-*`}}", "k=prod", NONE },
		{ "{`StringLike`: {`k`: `proj-*`}}", "k=PROJ-7", NONE },
		{ "{`StringLike`: {`k`: `a?c`}}", "k=abc", ALLOW },
		{ "{`StringLike`: {`k`: `a?c`}}", "k=ac", NONE },
		{ "{`StringLike`: {`k`: `a?c`}}", "k=a\xc3\xa9" "c", ALLOW },
		{ "{`StringLike`: {`k`: `arn:aws:*`}}", "k=arn:aws:s3:::b",
		  ALLOW },
		{ "{`StringLike`: {`k`: `*a*b*`}}", "k=xxaxxbxx", ALLOW },
		{ "{`StringLike`: {`k`: `*a*b*`}}", "k=xxbxxaxx", NONE },
		{ "{`StringNotLike`: {`k`: [`x*`, `y*`]}}", "k=zed", ALLOW },
		{ "{`StringNotLike`: {`k`: [`x*`, `y*`]}}", "k=yes", NONE },
		{ "{`StringNotLike`: {`k`: [`x*`, `y*`]}}", "", ALLOW },
		{ "{`StringEqualsIfExists`: {`k`: `a`}}", "", ALLOW },
		{ "{`StringEqualsIfExists`: {`k`: `a`}}", "k=b", NONE },
		{ "{`StringEqualsIfExists`: {`k`: `a`}}", "k=a", ALLOW },
		{ "{`StringNotEqualsIfExists`: {`k`: `a`}}", "", ALLOW },
		{ "{`StringNotEqualsIfExists`: {`k`: `a`}}", "k=a", NONE },
		{ "{`StringLikeIfExists`: {`k`: `t2.*`}}", "k=m5.large",
		  NONE },
		/* A single-valued operator on a key with several values. */
		{ "{`StringEquals`: {`k`: `a`}}", "k=a|b", UNDET },
		{ "{`StringEquals`: {`k`: `a`}}", "k", UNDET },
	};

	check_conditions(cases, ARRAY_SIZE(cases), "2012-10-17");
}

static void test_eval__numeric_operators(void)
{
	static const struct cond_case cases[] = {
		{ "{`NumericLessThanEquals`: {`s3:max-keys`: `10`}}",
		  "s3:max-keys=10", ALLOW },
		{ "{`NumericLessThanEquals`: {`s3:max-keys`: `10`}}",
		  "s3:max-keys=11", NONE },
		{ "{`NumericLessThanEquals`: {`s3:max-keys`: `10`}}",
		  "s3:max-keys=9.5", ALLOW },
		{ "{`NumericLessThanEquals`: {`s3:max-keys`: 10}}",
		  "s3:max-keys=10", ALLOW },
		{ "{`NumericEquals`: {`n`: `1.50`}}", "n=1.5", ALLOW },
		{ "{`NumericEquals`: {`n`: `-0`}}", "n=0", ALLOW },
		{ "{`NumericEquals`: {`n`: `007`}}", "n=7", ALLOW },
		{ "{`NumericEquals`: {`n`: `12345678901234567890`}}",
		  "n=12345678901234567891", NONE },
		{ "{`NumericNotEquals`: {`n`: [`1`, `2`]}}", "n=3", ALLOW },
		{ "{`NumericNotEquals`: {`n`: [`1`, `2`]}}", "n=2", NONE },
		{ "{`NumericNotEquals`: {`n`: `1`}}", "", ALLOW },
		{ "{`NumericLessThan`: {`n`: `-4`}}", "n=-5", ALLOW },
		{ "{`NumericLessThan`: {`n`: `-4`}}", "n=-4", NONE },
		{ "{`NumericGreaterThan`: {`n`: `-4`}}", "n=-5", NONE },
		{ "{`NumericGreaterThan`: {`n`: `0.1`}}", "n=0.11", ALLOW },
		{ "{`NumericGreaterThanEquals`: {`n`: `3`}}", "n=3", ALLOW },
		{ "{`NumericGreaterThanEquals`: {`n`: `3`}}", "n=2.999",
		  NONE },
		{ "{`NumericEquals`: {`n`: `ten`}}", "n=5", UNDET },
		{ "{`NumericEquals`: {`n`: `5`}}", "n=five", UNDET },
		{ "{`NumericEquals`: {`n`: `1e3`}}", "n=1000", UNDET },
		{ "{`NumericEquals`: {`n`: `5`}}", "", NONE },
		{ "{`NumericLessThanIfExists`: {`n`: `5`}}", "", ALLOW },
		{ "{`NumericLessThanIfExists`: {`n`: `5`}}", "n=6", NONE },
	};

	check_conditions(cases, ARRAY_SIZE(cases), "2012-10-17");
}

static void test_eval__date_operators(void)
{
	static const struct cond_case cases[] = {
		{ "{`DateGreaterThan`: {`aws:CurrentTime`: "
		  "`2026-01-01T00:00:00Z`}}",
		  "aws:CurrentTime=2026-06-01T12:00:00Z", ALLOW },
		{ "{`DateGreaterThan`: {`aws:CurrentTime`: "
		  "`2026-01-01T00:00:00Z`}}",
		  "aws:CurrentTime=2025-12-31T23:59:59Z", NONE },
		{ "{`DateGreaterThan`: {`aws:CurrentTime`: "
		  "`2026-01-01T00:00:00Z`}}",
		  "aws:CurrentTime=2026-01-01T00:00:00Z", NONE },
		/* 1767225600 is 2026-01-01T00:00:00Z. */
		{ "{`DateLessThan`: {`aws:EpochTime`: `1767225600`}}",
		  "aws:EpochTime=1767225599", ALLOW },
		{ "{`DateLessThan`: {`aws:EpochTime`: 1767225600}}",
		  "aws:EpochTime=1767225600", NONE },
		{ "{`DateEquals`: {`d`: `2026-01-01T01:00:00+01:00`}}",
		  "d=2026-01-01T00:00:00Z", ALLOW },
		{ "{`DateEquals`: {`d`: `2025-12-31T19:00-05:00`}}",
		  "d=2026-01-01T00:00:00Z", ALLOW },
		{ "{`DateEquals`: {`d`: `2026-01-01`}}", "d=1767225600",
		  ALLOW },
		{ "{`DateEquals`: {`d`: `2026-01`}}",
		  "d=2026-01-01T00:00:00Z", ALLOW },
		{ "{`DateLessThanEquals`: {`d`: `2026-01-01T00:00:00.5Z`}}",
		  "d=2026-01-01T00:00:00.25Z", ALLOW },
		{ "{`DateLessThanEquals`: {`d`: `2026-01-01T00:00:00.5Z`}}",
		  "d=2026-01-01T00:00:00.75Z", NONE },
		{ "{`DateNotEquals`: {`d`: `2026-01-01T00:00:00Z`}}",
		  "d=2026-01-02T00:00:00Z", ALLOW },
		{ "{`DateNotEquals`: {`d`: `2026-01-01T00:00:00Z`}}",
		  "d=2026-01-01T00:00:00Z", NONE },
		{ "{`DateGreaterThanEquals`: {`d`: `2024-02-29`}}",
		  "d=2024-02-29T00:00:00Z", ALLOW },
		{ "{`DateEquals`: {`d`: `yesterday`}}", "d=1767225600",
		  UNDET },
		{ "{`DateEquals`: {`d`: `2026-02-29`}}", "d=1767225600",
		  UNDET },
		{ "{`DateEquals`: {`d`: `2026-01-01T00:00:00`}}",
		  "d=1767225600", UNDET },
		{ "{`DateEquals`: {`d`: `2026`}}", "d=1767225600", UNDET },
		{ "{`DateGreaterThanEquals`: {`d`: `2026-01-01`}}", "", NONE },
		{ "{`DateNotEqualsIfExists`: {`d`: `2026-01-01`}}", "",
		  ALLOW },
	};

	check_conditions(cases, ARRAY_SIZE(cases), "2012-10-17");
}

static void test_eval__bool_binary_ip(void)
{
	static const struct cond_case cases[] = {
		{ "{`Bool`: {`aws:SecureTransport`: `true`}}",
		  "aws:SecureTransport=true", ALLOW },
		{ "{`Bool`: {`aws:SecureTransport`: `true`}}",
		  "aws:SecureTransport=false", NONE },
		{ "{`Bool`: {`aws:SecureTransport`: true}}",
		  "aws:SecureTransport=true", ALLOW },
		{ "{`Bool`: {`aws:SecureTransport`: `yes`}}",
		  "aws:SecureTransport=true", UNDET },
		{ "{`Bool`: {`aws:SecureTransport`: `true`}}", "", NONE },
		{ "{`BoolIfExists`: {`aws:MultiFactorAuthPresent`: `true`}}",
		  "", ALLOW },
		{ "{`BinaryEquals`: {`b`: `QmluYXJ5`}}", "b=QmluYXJ5", ALLOW },
		{ "{`BinaryEquals`: {`b`: `QmluYXJ5`}}", "b=QmluYXJ6", NONE },
		{ "{`BinaryEquals`: {`b`: `QQ==`}}", "b=QQ==", ALLOW },
		{ "{`BinaryEquals`: {`b`: `not base64!`}}", "b=QQ==", UNDET },
		{ "{`BinaryEquals`: {`b`: `QQ=A`}}", "b=QQ==", UNDET },
		{ "{`IpAddress`: {`aws:SourceIp`: `203.0.113.0/24`}}",
		  "aws:SourceIp=203.0.113.7", ALLOW },
		{ "{`IpAddress`: {`aws:SourceIp`: `203.0.113.0/24`}}",
		  "aws:SourceIp=203.0.114.1", NONE },
		{ "{`IpAddress`: {`aws:SourceIp`: `203.0.113.7`}}",
		  "aws:SourceIp=203.0.113.7", ALLOW },
		{ "{`IpAddress`: {`aws:SourceIp`: `203.0.113.7`}}",
		  "aws:SourceIp=203.0.113.8", NONE },
		{ "{`IpAddress`: {`aws:SourceIp`: `203.0.113.128/25`}}",
		  "aws:SourceIp=203.0.113.127", NONE },
		{ "{`IpAddress`: {`aws:SourceIp`: `0.0.0.0/0`}}",
		  "aws:SourceIp=198.51.100.1", ALLOW },
		{ "{`IpAddress`: {`aws:SourceIp`: `2001:DB8:1234:5678::/64`}}",
		  "aws:SourceIp=2001:db8:1234:5678::1", ALLOW },
		{ "{`IpAddress`: {`aws:SourceIp`: `2001:DB8:1234:5678::/64`}}",
		  "aws:SourceIp=2001:db8:1234:5679::1", NONE },
		{ "{`IpAddress`: {`aws:SourceIp`: `2001:DB8:1234:5678::/64`}}",
		  "aws:SourceIp=203.0.113.7", NONE },
		/* The families never meet, even in blocks of every address. */
		{ "{`IpAddress`: {`aws:SourceIp`: `::/0`}}",
		  "aws:SourceIp=203.0.113.7", NONE },
		{ "{`IpAddress`: {`aws:SourceIp`: `0.0.0.0/0`}}",
		  "aws:SourceIp=2001:db8::1", NONE },
		{ "{`NotIpAddress`: {`aws:SourceIp`: [`10.0.0.0/8`, "
		  "`192.168.0.0/16`]}}", "aws:SourceIp=8.8.8.8", ALLOW },
		{ "{`NotIpAddress`: {`aws:SourceIp`: [`10.0.0.0/8`, "
		  "`192.168.0.0/16`]}}", "aws:SourceIp=10.1.2.3", NONE },
		{ "{`NotIpAddress`: {`aws:SourceIp`: `10.0.0.0/8`}}", "",
		  ALLOW },
		{ "{`IpAddress`: {`aws:SourceIp`: `10.0.0.0/33`}}",
		  "aws:SourceIp=10.0.0.1", UNDET },
		{ "{`IpAddress`: {`aws:SourceIp`: `10.0.0.256`}}",
		  "aws:SourceIp=10.0.0.1", UNDET },
		{ "{`IpAddress`: {`aws:SourceIp`: `10.0.0.0/8`}}",
		  "aws:SourceIp=not-an-ip", UNDET },
		{ "{`IpAddress`: {`aws:SourceIp`: `10.0.0.0/8`}}", "", NONE },
	};

	check_conditions(cases, ARRAY_SIZE(cases), "2012-10-17");
}

static void test_eval__arn_and_null_operators(void)
{
	static const struct cond_case cases[] = {
		{ "{`ArnLike`: {`aws:SourceArn`: "
		  "`arn:aws:sns:*:111122223333:*`}}",
		  "aws:SourceArn=arn:aws:sns:us-east-1:111122223333:topic",
		  ALLOW },
		{ "{`ArnEquals`: {`aws:SourceArn`: "
		  "`arn:aws:sns:*:111122223333:*`}}",
		  "aws:SourceArn=arn:aws:sns:us-east-1:111122223333:topic",
		  ALLOW },
		{ "{`ArnLike`: {`aws:SourceArn`: "
		  "`arn:aws:sns:*:111122223333:*`}}",
		  "aws:SourceArn=arn:aws:sns:us-east-1:444455556666:topic",
		  NONE },
		/* Each of the six parts is matched on its own. */
		{ "{`ArnLike`: {`aws:SourceArn`: "
		  "`arn:aws:someservice:*:111122223333:finance/*`}}",
		  "aws:SourceArn=arn:aws:someservice:us-east-2:999999999999:"
		  "store/abc:111122223333:finance/document.txt", NONE },
		{ "{`StringLike`: {`aws:SourceArn`: "
		  "`arn:aws:someservice:*:111122223333:finance/*`}}",
		  "aws:SourceArn=arn:aws:someservice:us-east-2:999999999999:"
		  "store/abc:111122223333:finance/document.txt", ALLOW },
		{ "{`ArnLike`: {`aws:SourceArn`: "
		  "`arn:aws:logs:*:*:log-group:*`}}",
		  "aws:SourceArn=arn:aws:logs:us-east-1:111122223333:"
		  "log-group:app:*", ALLOW },
		{ "{`ArnNotEquals`: {`aws:SourceArn`: "
		  "`arn:aws:sns:*:111122223333:*`}}",
		  "aws:SourceArn=arn:aws:sns:us-east-1:444455556666:topic",
		  ALLOW },
		{ "{`ArnNotLike`: {`aws:SourceArn`: "
		  "`arn:aws:sns:*:111122223333:*`}}",
		  "aws:SourceArn=arn:aws:sns:us-east-1:111122223333:topic",
		  NONE },
		{ "{`ArnNotLike`: {`aws:SourceArn`: "
		  "`arn:aws:sns:*:111122223333:*`}}", "", ALLOW },
		{ "{`ArnLike`: {`aws:SourceArn`: `arn:aws:sns:*:*:*`}}",
		  "aws:SourceArn=not-an-arn", UNDET },
		{ "{`ArnLike`: {`aws:SourceArn`: `arn:aws:sns:*:*:*`}}", "",
		  NONE },
		{ "{`Null`: {`aws:TokenIssueTime`: `true`}}", "", ALLOW },
		{ "{`Null`: {`aws:TokenIssueTime`: `true`}}",
		  "aws:TokenIssueTime=2026-01-01T00:00:00Z", NONE },
		{ "{`Null`: {`aws:TokenIssueTime`: true}}", "", ALLOW },
		{ "{`Null`: {`aws:TokenIssueTime`: `false`}}",
		  "aws:TokenIssueTime=2026-01-01T00:00:00Z", ALLOW },
		{ "{`Null`: {`aws:TokenIssueTime`: `false`}}", "", NONE },
		{ "{`Null`: {`aws:TokenIssueTime`: `maybe`}}", "", UNDET },
	};

	check_conditions(cases, ARRAY_SIZE(cases), "2012-10-17");
}

static void test_eval__set_operators(void)
{
	static const struct cond_case cases[] = {
		{ "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "aws:TagKeys=a|b", ALLOW },
		{ "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "aws:TagKeys=a|c", NONE },
		{ "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "", ALLOW },
		{ "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "aws:TagKeys", ALLOW },
		{ "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "aws:TagKeys=", ALLOW },
		{ "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "aws:TagKeys=c|b", ALLOW },
		{ "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "aws:TagKeys=c|d", NONE },
		{ "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "", NONE },
		{ "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: [`a`, `b`]}}",
		  "aws:TagKeys", NONE },
		{ "{`ForAllValues:StringNotEquals`: {`k`: `a`}}", "k=b|c",
		  ALLOW },
		{ "{`ForAllValues:StringNotEquals`: {`k`: `a`}}", "k=b|a",
		  NONE },
		{ "{`ForAllValues:StringNotEquals`: {`k`: `a`}}", "", ALLOW },
		{ "{`ForAnyValue:StringNotEquals`: {`k`: `a`}}", "k=a|b",
		  ALLOW },
		{ "{`ForAnyValue:StringNotEquals`: {`k`: `a`}}", "k=a", NONE },
		{ "{`ForAnyValue:StringNotEquals`: {`k`: `a`}}", "", NONE },
		{ "{`ForAllValues:StringLike`: {`dynamodb:Attributes`: "
		  "[`Post*`, `Message`]}}",
		  "dynamodb:Attributes=PostDateTime|Message", ALLOW },
		{ "{`ForAllValues:StringLike`: {`dynamodb:Attributes`: "
		  "[`Post*`, `Message`]}}",
		  "dynamodb:Attributes=PostDateTime|UserName", NONE },
		{ "{`ForAnyValue:StringEqualsIfExists`: {`k`: `a`}}", "",
		  ALLOW },
		{ "{`ForAllValues:NumericLessThan`: {`n`: `5`}}", "n=1|x",
		  UNDET },
		{ "{`ForAnyValue:NumericLessThan`: {`n`: `5`}}", "n=1|x",
		  ALLOW },
		{ "{`ForAllValues:NumericLessThan`: {`n`: `5`}}", "n=9|x",
		  NONE },
	};

	check_conditions(cases, ARRAY_SIZE(cases), "2012-10-17");
}

static void test_eval__condition_blocks_combine(void)
{
	static const struct cond_case cases[] = {
		/* Keys of one operator and the operators are ANDed. */
		{ "{`StringEquals`: {`a`: `1`, `b`: `2`}}", "a=1;b=2", ALLOW },
		{ "{`StringEquals`: {`a`: `1`, `b`: `2`}}", "a=1;b=3", NONE },
		{ "{`StringEquals`: {`a`: `1`}, `NumericLessThan`: "
		  "{`n`: `5`}}", "a=1;n=4", ALLOW },
		{ "{`StringEquals`: {`a`: `1`}, `NumericLessThan`: "
		  "{`n`: `5`}}", "a=1;n=6", NONE },
		/* A false condition settles an undecided one. */
		{ "{`StringEquals`: {`a`: `1`}, `NumericLessThan`: "
		  "{`n`: `x`}}", "a=2;n=1", NONE },
		{ "{`StringEquals`: {`a`: `1`}, `NumericLessThan`: "
		  "{`n`: `x`}}", "a=1;n=1", UNDET },
		/* Operators IAM does not define. */
		{ "{`StringEqual`: {`a`: `1`}}", "a=1", UNDET },
		{ "{`NullIfExists`: {`a`: `true`}}", "", UNDET },
		{ "{`ForAllValues:Null`: {`a`: `true`}}", "", UNDET },
		{ "{`stringequals`: {`a`: `1`}}", "a=1", UNDET },
		/* IAM does not say what an empty list of values means. */
		{ "{`StringNotEquals`: {`a`: []}}", "a=1", UNDET },
		{ "{`StringEquals`: {`a`: []}}", "", UNDET },
	};

	check_conditions(cases, ARRAY_SIZE(cases), "2012-10-17");
}

static void test_eval__condition_variables(void)
{
	static const struct cond_case v2012[] = {
		{ "{`StringEquals`: {`s3:prefix`: `home/${aws:username}/`}}",
		  "aws:username=alice;s3:prefix=home/alice/", ALLOW },
		{ "{`StringEquals`: {`s3:prefix`: `home/${aws:username}/`}}",
		  "aws:username=alice;s3:prefix=home/bob/", NONE },
		{ "{`StringEquals`: {`s3:prefix`: `home/${AWS:UserName}/`}}",
		  "aws:username=alice;s3:prefix=home/alice/", ALLOW },
		{ "{`StringLike`: {`s3:prefix`: `home/${aws:username}/*`}}",
		  "aws:username=alice;s3:prefix=home/alice/x/y", ALLOW },
		{ "{`StringEquals`: {`k`: "
		  "`${aws:PrincipalTag/team, 'none'}`}}", "k=none", ALLOW },
		{ "{`StringEquals`: {`k`: "
		  "`${aws:PrincipalTag/team, 'none'}`}}",
		  "aws:PrincipalTag/team=data;k=data", ALLOW },
		{ "{`StringEquals`: {`k`: "
		  "`${aws:PrincipalTag/team, 'none'}`}}",
		  "aws:PrincipalTag/team=data;k=none", NONE },
		/* An absent key without a default matches nothing. */
		{ "{`StringEquals`: {`k`: `${aws:username}`}}", "k=alice",
		  NONE },
		{ "{`StringEquals`: {`k`: `${aws:username}`}}", "k=", NONE },
		{ "{`StringNotEquals`: {`k`: `${aws:username}`}}", "k=alice",
		  UNDET },
		{ "{`StringNotEquals`: {`k`: [`${aws:username}`, `alice`]}}",
		  "k=alice", NONE },
		{ "{`StringLike`: {`k`: `a${*}b`}}", "k=a*b", ALLOW },
		{ "{`StringLike`: {`k`: `a${*}b`}}", "k=axb", NONE },
		{ "{`StringLike`: {`k`: `a*b`}}", "k=axb", ALLOW },
		{ "{`StringLike`: {`k`: `a${?}`}}", "k=a?", ALLOW },
		{ "{`StringLike`: {`k`: `a${?}`}}", "k=ab", NONE },
		{ "{`StringEquals`: {`k`: `${$}{x}`}}", "k=${x}", ALLOW },
		{ "{`StringLike`: {`k`: `${aws:username}`}}",
		  "aws:username=a*;k=abc", UNDET },
		{ "{`StringEquals`: {`k`: `${aws:username}`}}",
		  "aws:username=a*;k=a*", ALLOW },
		{ "{`StringEquals`: {`k`: `${aws:username}`}}",
		  "aws:username=a|b;k=a", UNDET },
		/* A substituted value is text, never a variable. */
		{ "{`StringLike`: {`k`: `${aws:username}`}}",
		  "aws:username=a${$}b;k=a${$}b", ALLOW },
		{ "{`StringLike`: {`k`: `${aws:username}`}}",
		  "aws:username=a${$}b;k=a$b", NONE },
		{ "{`StringEquals`: {`k`: `${aws:username, none}`}}",
		  "k=none", UNDET },
		{ "{`ArnEquals`: {`aws:SourceArn`: "
		  "`arn:aws:iam::111122223333:user/${aws:username}`}}",
		  "aws:username=alice;aws:SourceArn=" ALICE, ALLOW },
		{ "{`Bool`: {`b`: `${aws:x}`}}", "aws:x=true;b=true", ALLOW },
		/* Numeric operators take no variables. */
		{ "{`NumericEquals`: {`n`: `${aws:x}`}}", "aws:x=5;n=5",
		  UNDET },
	};
	static const struct cond_case v2008[] = {
		{ "{`StringEquals`: {`s3:prefix`: `home/${aws:username}/`}}",
		  "aws:username=alice;s3:prefix=home/alice/", NONE },
		{ "{`StringEquals`: {`s3:prefix`: `home/${aws:username}/`}}",
		  "aws:username=alice;s3:prefix=home/${aws:username}/", ALLOW },
		{ "{`StringLike`: {`k`: `${*}`}}", "k=${x}", ALLOW },
		{ "{`StringEquals`: {`k`: `${aws:username, 'x'}`}}",
		  "k=${aws:username, 'x'}", ALLOW },
	};

	check_conditions(v2012, ARRAY_SIZE(v2012), "2012-10-17");
	check_conditions(v2008, ARRAY_SIZE(v2008), NULL);
	check_conditions(v2008, ARRAY_SIZE(v2008), "2008-10-17");
}

/* A resource pattern, a context, a resource and the decision. */
struct resource_case {
	const char *version;	/* NULL: none */
	const char *pattern;
	const char *context;
	const char *resource;
	int want;
};

static void test_eval__resource_variables(void)
{
	static const struct resource_case cases[] = {
		{ "2012-10-17", "arn:aws:s3:::home/${aws:username}/*",
		  "aws:username=alice", "arn:aws:s3:::home/alice/f", ALLOW },
		{ "2012-10-17", "arn:aws:s3:::home/${aws:username}/*",
		  "aws:username=alice", "arn:aws:s3:::home/bob/f", NONE },
		{ "2012-10-17", "arn:aws:s3:::home/${aws:username}/*",
		  "", "arn:aws:s3:::home/alice/f", NONE },
		{ "2012-10-17", "arn:aws:s3:::home/${aws:username}/*",
		  "", "arn:aws:s3:::home/${aws:username}/f", NONE },
		{ NULL, "arn:aws:s3:::home/${aws:username}/*",
		  "aws:username=alice", "arn:aws:s3:::home/alice/f", NONE },
		{ NULL, "arn:aws:s3:::home/${aws:username}/*",
		  "aws:username=alice", "arn:aws:s3:::home/${aws:username}/f",
		  ALLOW },
		{ "2008-10-17", "arn:aws:s3:::home/${aws:username}/*",
		  "aws:username=alice", "arn:aws:s3:::home/alice/f", NONE },
		{ "2012-10-17", "arn:aws:s3:::home/${aws:username, 'shared'}/*",
		  "", "arn:aws:s3:::home/shared/f", ALLOW },
		{ "2012-10-17", "arn:aws:s3:::home/${aws:username, 'shared'}/*",
		  "aws:username=alice", "arn:aws:s3:::home/shared/f", NONE },
		{ "2012-10-17", "arn:aws:s3:::b/${*}", "", "arn:aws:s3:::b/*",
		  ALLOW },
		{ "2012-10-17", "arn:aws:s3:::b/${*}", "", "arn:aws:s3:::b/x",
		  NONE },
		{ "2012-10-17", "arn:aws:s3:::b/${aws:PrincipalTag/team}/*",
		  "aws:principaltag/team=data", "arn:aws:s3:::b/data/x",
		  ALLOW },
		{ "2012-10-17", "arn:aws:s3:::b/${aws:username}",
		  "aws:username=x*", "arn:aws:s3:::b/xy", UNDET },
		{ "2012-10-17", "arn:aws:s3:::b/${aws:username}",
		  "aws:username=${x}", "arn:aws:s3:::b/${x}", ALLOW },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct resource_case *c = &cases[i];
		struct world w;
		struct eval_policy p = { "inline policy 'home'", NULL };
		struct eval_result res;
		struct buf json = BUF_INIT, what = BUF_INIT;

		world_init(&w);
		buf_adds(&json, "{");
		if (c->version)
			buf_addf(&json, "`Version`: `%s`, ", c->version);
		buf_addf(&json, "`Statement`: {`Effect`: `Allow`, `Action`: "
			 "`s3:GetObject`, `Resource`: `%s`}}", c->pattern);
		p.doc = identity_doc(&w, json.data);
		buf_addf(&what, "%s on %s with '%s' (version %s)", c->pattern,
			 c->resource, c->context,
			 c->version ? c->version : "none");
		if (p.doc)
			CHECK_DECISION(ask_identity(&p, 1, "s3:GetObject",
						    c->resource, c->context,
						    &res),
				       c->want, what.data);
		buf_release(&json);
		buf_release(&what);
		world_release(&w);
	}
}

/* A NotResource with an unresolved variable is not guessed. */
static void test_eval__not_resource_variables(void)
{
	struct world w;
	struct eval_policy p[2] = {
		{ "inline policy 'all'", NULL },
		{ "inline policy 'fence'", NULL },
	};
	struct eval_result res;

	world_init(&w);
	p[0].doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				"`Action`: `s3:*`, `Resource`: `*`}}");
	p[1].doc = identity_doc(&w, "{`Version`: `2012-10-17`, `Statement`: "
				"{`Sid`: `OnlyHome`, `Effect`: `Deny`, "
				"`Action`: `s3:*`, `NotResource`: "
				"[`arn:aws:s3:::home/${aws:username}/*`, "
				"`arn:aws:s3:::public/*`]}}");
	if (!p[0].doc || !p[1].doc)
		goto out;
	CHECK_DECISION(ask_identity(p, 2, "s3:GetObject",
				    "arn:aws:s3:::home/alice/f",
				    "aws:username=alice", &res), ALLOW,
		       "own home");
	CHECK_DECISION(ask_identity(p, 2, "s3:GetObject",
				    "arn:aws:s3:::home/bob/f",
				    "aws:username=alice", &res), DENY,
		       "other home");
	CHECK_STR(res.reason, "denied by statement 'OnlyHome' of inline "
		  "policy 'fence'");
	CHECK_DECISION(ask_identity(p, 2, "s3:GetObject",
				    "arn:aws:s3:::public/f", "", &res), ALLOW,
		       "public without a user name");
	CHECK_DECISION(ask_identity(p, 2, "s3:GetObject",
				    "arn:aws:s3:::home/alice/f", "", &res),
		       UNDET, "home without a user name");
	CHECK(res.may_allow);
	CHECK_STR(res.reason, "undetermined: statement 'OnlyHome' of inline "
		  "policy 'fence' cannot be decided: a NotResource variable "
		  "names a key absent from the request");
	CHECK_INT(res.nmatches, 1);
	CHECK(match_at(&res, 0)->undecided);
out:
	world_release(&w);
}

static void test_eval__actions_and_resources(void)
{
	static const struct {
		const char *statement;
		const char *action;
		const char *resource;
		int want;
	} cases[] = {
		{ "`Action`: `S3:getobject`, `Resource`: `*`", "s3:GetObject",
		  OBJECT, ALLOW },
		{ "`Action`: `s3:Get*`, `Resource`: `*`", "s3:GetObject",
		  OBJECT, ALLOW },
		{ "`Action`: `s3:?etObject`, `Resource`: `*`", "s3:GetObject",
		  OBJECT, ALLOW },
		{ "`Action`: `s3:Put*`, `Resource`: `*`", "s3:GetObject",
		  OBJECT, NONE },
		{ "`Action`: `*`, `Resource`: `*`", "ec2:RunInstances", "*",
		  ALLOW },
		{ "`Action`: [], `Resource`: `*`", "s3:GetObject", OBJECT,
		  NONE },
		{ "`Action`: `s3:GetObject`, `Resource`: []", "s3:GetObject",
		  OBJECT, NONE },
		{ "`NotAction`: `iam:*`, `Resource`: `*`", "s3:GetObject",
		  OBJECT, ALLOW },
		{ "`NotAction`: `iam:*`, `Resource`: `*`", "iam:CreateUser",
		  "*", NONE },
		{ "`NotAction`: [], `Resource`: `*`", "iam:CreateUser", "*",
		  NONE },
		{ "`Action`: `s3:*`, `NotResource`: `arn:aws:s3:::secret/*`",
		  "s3:GetObject", "arn:aws:s3:::secret/x", NONE },
		{ "`Action`: `s3:*`, `NotResource`: `arn:aws:s3:::secret/*`",
		  "s3:GetObject", "arn:aws:s3:::public/x", ALLOW },
		{ "`Action`: `s3:*`, `Resource`: `arn:aws:s3:::Reports/*`",
		  "s3:GetObject", OBJECT, NONE },
		{ "`Action`: `s3:*`, `Resource`: `arn:aws:s3:::reports/*`",
		  "s3:GetObject", OBJECT, ALLOW },
		{ "`Action`: `s3:*`, `Resource`: `arn:aws:s3:::report?/*`",
		  "s3:GetObject", OBJECT, ALLOW },
		{ "`Action`: `s3:*`, `Resource`: `arn:aws:s3:::reports`",
		  "s3:GetObject", OBJECT, NONE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct world w;
		struct eval_policy p = { "inline policy 'x'", NULL };
		struct eval_result res;
		struct buf json = BUF_INIT;

		world_init(&w);
		buf_addf(&json, "{`Version`: `2012-10-17`, `Statement`: "
			 "{`Effect`: `Allow`, %s}}", cases[i].statement);
		p.doc = identity_doc(&w, json.data);
		if (p.doc)
			CHECK_DECISION(ask_identity(&p, 1, cases[i].action,
						    cases[i].resource, "",
						    &res),
				       cases[i].want, cases[i].statement);
		buf_release(&json);
		world_release(&w);
	}
}

static void test_eval__deny_across_policies(void)
{
	struct world w;
	struct eval_policy p[3] = {
		{ "managed policy arn:aws:iam::aws:policy/AdministratorAccess",
		  NULL },
		{ "inline policy 'guard' of user/alice", NULL },
		{ "inline policy 'fence' of user/alice", NULL },
	};
	struct eval_result res;

	world_init(&w);
	p[0].doc = identity_doc(&w, "{`Version`: `2012-10-17`, `Statement`: "
				"{`Effect`: `Allow`, `Action`: `*`, "
				"`Resource`: `*`}}");
	p[1].doc = identity_doc(&w, "{`Version`: `2012-10-17`, `Statement`: "
				"[{`Sid`: `NoDelete`, `Effect`: `Deny`, "
				"`Action`: [`s3:Delete*`, `iam:Delete*`], "
				"`Resource`: `*`}]}");
	p[2].doc = identity_doc(&w, "{`Version`: `2012-10-17`, `Statement`: "
				"[{`Effect`: `Allow`, `Action`: `ec2:*`, "
				"`Resource`: `*`}, {`Effect`: `Deny`, "
				"`NotAction`: [`s3:*`, `ec2:*`, `sts:*`], "
				"`Resource`: `*`}]}");
	if (!p[0].doc || !p[1].doc || !p[2].doc)
		goto out;
	CHECK_DECISION(ask_identity(p, 3, "s3:GetObject", OBJECT, "", &res),
		       ALLOW, "read");
	CHECK_STR(res.reason, "allowed by statement #1 of managed policy "
		  "arn:aws:iam::aws:policy/AdministratorAccess");
	CHECK(res.may_allow);
	CHECK(match_at(&res, 0)->policy == &p[0]);
	CHECK_DECISION(ask_identity(p, 3, "s3:DeleteObject", OBJECT, "",
				    &res), DENY, "delete");
	CHECK_STR(res.reason, "denied by statement 'NoDelete' of inline "
		  "policy 'guard' of user/alice");
	CHECK_INT(res.nmatches, 1);
	CHECK_INT(match_at(&res, 0)->role, EVAL_IDENTITY);
	CHECK(!match_at(&res, 0)->undecided);
	CHECK(!res.may_allow);
	/* NotAction in a Deny: everything but the listed is denied. */
	CHECK_DECISION(ask_identity(p, 3, "iam:CreateUser", "*", "", &res),
		       DENY, "iam");
	CHECK_STR(res.reason, "denied by statement #2 of inline policy "
		  "'fence' of user/alice");
	CHECK_DECISION(ask_identity(p, 3, "ec2:RunInstances", "*", "", &res),
		       ALLOW, "ec2");
	/* Every Deny statement that applies is listed. */
	CHECK_DECISION(ask_identity(p, 3, "iam:DeleteUser", "*", "", &res),
		       DENY, "delete user");
	CHECK_INT(res.nmatches, 2);
	CHECK(match_at(&res, 0)->policy == &p[1]);
	CHECK(match_at(&res, 1)->policy == &p[2]);
	CHECK_STR(res.reason, "denied by statement 'NoDelete' of inline "
		  "policy 'guard' of user/alice (and 1 more)");
	CHECK_DECISION(ask_identity(p, 1, "iam:CreateUser", "*", "", &res),
		       ALLOW, "without the fences");
out:
	world_release(&w);
}

static void test_eval__boundary_caps(void)
{
	struct world w;
	struct eval_policy id = { "inline policy 'data' of user/alice", NULL };
	struct eval_policy boundary = {
		"arn:aws:iam::111122223333:policy/agent-boundary", NULL };
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, ALICE, "s3:GetObject", OBJECT,
			 "" };
	struct eval_result res;

	world_init(&w);
	id.doc = identity_doc(&w, "{`Statement`: [{`Effect`: `Allow`, "
			      "`Action`: [`s3:*`, `kms:Decrypt`], "
			      "`Resource`: `*`}]}");
	boundary.doc = identity_doc(&w, "{`Statement`: [{`Effect`: `Allow`, "
				    "`Action`: [`s3:Get*`, `dynamodb:*`], "
				    "`Resource`: `*`}, {`Sid`: `NoKeys`, "
				    "`Effect`: `Deny`, `Action`: `kms:*`, "
				    "`Resource`: `*`}]}");
	if (!id.doc || !boundary.doc)
		goto out;
	pol.identity = &id;
	pol.nidentity = 1;
	pol.boundary = &boundary;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "inside the boundary");
	CHECK_INT(res.nmatches, 2);
	CHECK_INT(match_at(&res, 0)->role, EVAL_IDENTITY);
	CHECK_INT(match_at(&res, 1)->role, EVAL_BOUNDARY);
	a.action = "s3:PutObject";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "outside the boundary");
	CHECK_STR(res.reason, "no statement of permissions boundary "
		  "arn:aws:iam::111122223333:policy/agent-boundary allows "
		  "s3:PutObject on " OBJECT);
	CHECK_INT(res.nmatches, 0);
	/* The boundary grants nothing itself. */
	a.action = "dynamodb:GetItem";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "boundary only");
	CHECK_STR(res.reason, "no identity or resource policy allows "
		  "dynamodb:GetItem on " OBJECT);
	a.action = "kms:Decrypt";
	CHECK_DECISION(ask(&pol, &a, &res), DENY, "deny in the boundary");
	CHECK_STR(res.reason, "denied by statement 'NoKeys' of permissions "
		  "boundary arn:aws:iam::111122223333:policy/agent-boundary");
	pol.boundary = NULL;
	a.action = "s3:PutObject";
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "without the boundary");
out:
	world_release(&w);
}

/* The organization path: root, an OU, the account. */
static void test_eval__scp_levels(void)
{
	struct world w;
	struct eval_policy id = { "inline policy 'ops' of user/alice", NULL };
	struct eval_policy full = { "FullAWSAccess", NULL };
	struct eval_policy s3only = { "S3Only", NULL };
	struct eval_policy deny_iam = { "DenyIamWrites", NULL };
	struct eval_scp_level levels[3] = {
		{ "r-ab12", &full, 1 },
		{ "ou-ab12-workload1", &full, 1 },
		{ "111122223333", &full, 1 },
	};
	struct eval_policy account[2];
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, ALICE, "ec2:DescribeInstances",
			 "*", "" };
	struct eval_result res;

	world_init(&w);
	id.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
			      "`Action`: `*`, `Resource`: `*`}}");
	full.doc = identity_doc(&w, "{`Version`: `2012-10-17`, `Statement`: "
				"{`Effect`: `Allow`, `Action`: `*`, "
				"`Resource`: `*`}}");
	s3only.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				  "`Action`: `s3:*`, `Resource`: `*`}}");
	deny_iam.doc = identity_doc(&w, "{`Statement`: {`Sid`: "
				    "`NoIamWrites`, `Effect`: `Deny`, "
				    "`Action`: [`iam:Create*`, "
				    "`iam:Put*`], `Resource`: `*`}}");
	if (!id.doc || !full.doc || !s3only.doc || !deny_iam.doc)
		goto out;
	pol.identity = &id;
	pol.nidentity = 1;
	pol.scp = levels;
	pol.nscp = 3;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "every level allows");
	CHECK_INT(res.nmatches, 4);
	CHECK_INT(match_at(&res, 3)->role, EVAL_SCP);
	CHECK(match_at(&res, 3)->level == &levels[2]);

	/* The OU keeps only S3: other services stop there. */
	levels[1].policies = &s3only;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "OU without full access");
	CHECK_STR(res.reason, "no statement of the service control policies "
		  "at ou-ab12-workload1 allows ec2:DescribeInstances");
	a.action = "s3:GetObject";
	a.resource = OBJECT;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "S3 through the OU");

	/* A Deny at the account level. */
	account[0] = full;
	account[1] = deny_iam;
	levels[2].policies = account;
	levels[2].npolicies = 2;
	levels[1].policies = &full;
	a.action = "iam:CreateUser";
	a.resource = "*";
	CHECK_DECISION(ask(&pol, &a, &res), DENY, "deny at the account");
	CHECK_STR(res.reason, "denied by statement 'NoIamWrites' of SCP "
		  "DenyIamWrites at 111122223333");
	CHECK_INT(res.nmatches, 1);
	CHECK(match_at(&res, 0)->level == &levels[2]);
	a.action = "iam:GetUser";
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "iam reads");

	/* SCPs grant nothing. */
	pol.nidentity = 0;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "SCP alone");
	CHECK_STR(res.reason, "no identity or resource policy allows "
		  "iam:GetUser on *");

	/* A level with no policy attached blocks everything. */
	pol.nidentity = 1;
	levels[0].npolicies = 0;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "empty level");
	CHECK_STR(res.reason, "no statement of the service control policies "
		  "at r-ab12 allows iam:GetUser");
out:
	world_release(&w);
}

static void test_eval__same_account_resource_policies(void)
{
	struct world w;
	struct eval_policy bucket = { "resource policy reports-bucket", NULL };
	struct eval_policy id = { "inline policy 'read' of user/bob", NULL };
	struct eval_policy boundary = { "agent-boundary", NULL };
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, ALICE, "s3:GetObject", OBJECT,
			 "" };
	struct eval_result res;

	world_init(&w);
	bucket.doc = resource_doc(&w, "{`Version`: `2012-10-17`, "
				  "`Statement`: [{`Sid`: `AliceReads`, "
				  "`Effect`: `Allow`, `Principal`: {`AWS`: "
				  "`" ALICE "`}, `Action`: `s3:GetObject`, "
				  "`Resource`: `arn:aws:s3:::reports/*`}, "
				  "{`Sid`: `AccountLists`, `Effect`: `Allow`, "
				  "`Principal`: {`AWS`: `111122223333`}, "
				  "`Action`: `s3:ListBucket`, `Resource`: "
				  "`arn:aws:s3:::reports`}, {`Sid`: "
				  "`ReaderRole`, `Effect`: `Allow`, "
				  "`Principal`: {`AWS`: `" READER "`}, "
				  "`Action`: `s3:GetObjectTagging`, "
				  "`Resource`: `arn:aws:s3:::reports/*`}, "
				  "{`Sid`: `ThisSession`, `Effect`: `Allow`, "
				  "`Principal`: {`AWS`: `" SESSION "`}, "
				  "`Action`: `s3:GetObjectAcl`, `Resource`: "
				  "`arn:aws:s3:::reports/*`}]}");
	id.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
			      "`Action`: `s3:ListBucket`, `Resource`: `*`}}");
	boundary.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				    "`Action`: `ec2:*`, `Resource`: `*`}}");
	if (!bucket.doc || !id.doc || !boundary.doc)
		goto out;
	pol.resource = &bucket;
	pol.nresource = 1;

	/* Naming the user grants on its own, even past a boundary. */
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "named user");
	CHECK_STR(res.reason, "allowed by statement 'AliceReads' of resource "
		  "policy reports-bucket");
	CHECK_INT(res.nmatches, 1);
	CHECK_INT(match_at(&res, 0)->role, EVAL_RESOURCE);
	pol.boundary = &boundary;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "named user, boundary");
	pol.boundary = NULL;
	a.principal = BOB;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "another user");

	/* Naming the account delegates to identity policies. */
	a.action = "s3:ListBucket";
	a.resource = "arn:aws:s3:::reports";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "account, no identity");
	pol.identity = &id;
	pol.nidentity = 1;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "account and identity");
	CHECK_STR(res.reason, "allowed by statement #1 of inline policy "
		  "'read' of user/bob");

	/* A role's ARN takes its sessions, within the boundary. */
	pol.nidentity = 0;
	a.principal = SESSION;
	a.action = "s3:GetObjectTagging";
	a.resource = OBJECT;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "role names session");
	pol.boundary = &boundary;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "role, boundary");
	/* The session's own ARN is not capped. */
	a.action = "s3:GetObjectAcl";
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "session, boundary");
	a.principal = "arn:aws:sts::111122223333:assumed-role/writer/run-1";
	pol.boundary = NULL;
	a.action = "s3:GetObjectTagging";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "another role's session");
out:
	world_release(&w);
}

static void test_eval__cross_account(void)
{
	struct world w;
	struct eval_policy bucket = { "resource policy shared-bucket", NULL };
	struct eval_policy id = { "inline policy 'reach' of user/carol",
				  NULL };
	struct eval_policy boundary = { "carol-boundary", NULL };
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, OUTSIDER, "s3:GetObject",
			 "arn:aws:s3:::shared/x", "" };
	struct eval_result res;

	world_init(&w);
	bucket.doc = resource_doc(&w, "{`Version`: `2012-10-17`, "
				  "`Statement`: [{`Sid`: `Carol`, `Effect`: "
				  "`Allow`, `Principal`: {`AWS`: `" OUTSIDER
				  "`}, `Action`: `s3:GetObject`, "
				  "`Resource`: `arn:aws:s3:::shared/*`}, "
				  "{`Sid`: `TheirAccount`, `Effect`: "
				  "`Allow`, `Principal`: {`AWS`: "
				  "`arn:aws:iam::444455556666:root`}, "
				  "`Action`: `s3:ListBucket`, `Resource`: "
				  "`arn:aws:s3:::shared`}]}");
	id.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
			      "`Action`: `s3:*`, `Resource`: `*`}}");
	boundary.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				    "`Action`: `s3:List*`, `Resource`: `*`}}");
	if (!bucket.doc || !id.doc || !boundary.doc)
		goto out;
	pol.resource_account = "111122223333";
	pol.resource = &bucket;
	pol.nresource = 1;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "resource side only");
	CHECK_STR(res.reason, "no identity policy allows s3:GetObject on "
		  "arn:aws:s3:::shared/x, which a request to account "
		  "111122223333 needs");
	pol.identity = &id;
	pol.nidentity = 1;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "both sides");
	CHECK_STR(res.reason, "allowed by statement #1 of inline policy "
		  "'reach' of user/carol and statement 'Carol' of resource "
		  "policy shared-bucket");
	CHECK_INT(res.nmatches, 2);
	pol.nresource = 0;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "identity side only");
	CHECK_STR(res.reason, "no resource policy of account 111122223333 "
		  "allows s3:GetObject on arn:aws:s3:::shared/x for " OUTSIDER);
	/* Naming the account is enough across accounts, with identity. */
	pol.nresource = 1;
	a.action = "s3:ListBucket";
	a.resource = "arn:aws:s3:::shared";
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "account named");
	pol.boundary = &boundary;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "within the boundary");
	a.action = "s3:GetObject";
	a.resource = "arn:aws:s3:::shared/x";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "boundary across accounts");
	CHECK_STR(res.reason, "no statement of permissions boundary "
		  "carol-boundary allows s3:GetObject on "
		  "arn:aws:s3:::shared/x");
	/* The same bucket in carol's own account: the grant suffices. */
	pol.boundary = NULL;
	pol.nidentity = 0;
	pol.resource_account = NULL;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "same account");
out:
	world_release(&w);
}

static void test_eval__principal_forms(void)
{
	static const struct {
		const char *principal_json;
		enum eval_principal_kind kind;
		const char *caller;
		int want;
	} cases[] = {
		{ "`*`", EVAL_PRINCIPAL_ANONYMOUS, NULL, ALLOW },
		{ "{`AWS`: `*`}", EVAL_PRINCIPAL_ANONYMOUS, NULL, ALLOW },
		{ "{`AWS`: [`*`]}", EVAL_PRINCIPAL_ANONYMOUS, NULL, ALLOW },
		{ "`*`", EVAL_PRINCIPAL_IAM, BOB, ALLOW },
		{ "`*`", EVAL_PRINCIPAL_SERVICE, "lambda.amazonaws.com",
		  ALLOW },
		{ "{`AWS`: `111122223333`}", EVAL_PRINCIPAL_ANONYMOUS, NULL,
		  NONE },
		{ "{`AWS`: `" ALICE "`}", EVAL_PRINCIPAL_ANONYMOUS, NULL,
		  NONE },
		{ "{`Service`: `lambda.amazonaws.com`}",
		  EVAL_PRINCIPAL_SERVICE, "lambda.amazonaws.com", ALLOW },
		{ "{`Service`: [`sns.amazonaws.com`, `lambda.amazonaws.com`]}",
		  EVAL_PRINCIPAL_SERVICE, "lambda.amazonaws.com", ALLOW },
		{ "{`Service`: `lambda.amazonaws.com`}",
		  EVAL_PRINCIPAL_SERVICE, "sns.amazonaws.com", NONE },
		{ "{`Service`: `lambda.amazonaws.com`}", EVAL_PRINCIPAL_IAM,
		  ALICE, NONE },
		{ "{`AWS`: `" ALICE "`}", EVAL_PRINCIPAL_SERVICE,
		  "lambda.amazonaws.com", NONE },
		{ "{`Federated`: `cognito-identity.amazonaws.com`}",
		  EVAL_PRINCIPAL_FEDERATED, "cognito-identity.amazonaws.com",
		  ALLOW },
		{ "{`Federated`: `arn:aws:iam::111122223333:saml-provider/"
		  "corp`}", EVAL_PRINCIPAL_FEDERATED,
		  "cognito-identity.amazonaws.com", NONE },
		{ "{`CanonicalUser`: `79a59df900b949e55d96a1e698fbaced`}",
		  EVAL_PRINCIPAL_CANONICAL_USER,
		  "79a59df900b949e55d96a1e698fbaced", ALLOW },
		{ "{`CanonicalUser`: `79a59df900b949e55d96a1e698fbaced`}",
		  EVAL_PRINCIPAL_FEDERATED,
		  "79a59df900b949e55d96a1e698fbaced", NONE },
		{ "{`AWS`: `" READER "`}", EVAL_PRINCIPAL_IAM, SESSION,
		  ALLOW },
		{ "{`AWS`: `" SESSION "`}", EVAL_PRINCIPAL_IAM, SESSION,
		  ALLOW },
		{ "{`AWS`: `" READER "`}", EVAL_PRINCIPAL_IAM, READER, ALLOW },
		{ "{`AWS`: `arn:aws:iam::111122223333:role/writer`}",
		  EVAL_PRINCIPAL_IAM, SESSION, NONE },
		{ "{`AWS`: `arn:aws:iam::111122223333:role/team/readers`}",
		  EVAL_PRINCIPAL_IAM, SESSION, NONE },
		{ "{`AWS`: `arn:aws:iam::111122223333:role/team/reade`}",
		  EVAL_PRINCIPAL_IAM, SESSION, NONE },
		{ "{`AWS`: `arn:aws:iam::444455556666:role/team/reader`}",
		  EVAL_PRINCIPAL_IAM, SESSION, NONE },
		{ "{`AWS`: `arn:aws:iam::111122223333:root`}",
		  EVAL_PRINCIPAL_IAM, "arn:aws:iam::111122223333:root",
		  ALLOW },
		/* IAM takes no wildcard in a principal but "*". */
		{ "{`AWS`: `arn:aws:iam::111122223333:user/*`}",
		  EVAL_PRINCIPAL_IAM, ALICE, UNDET },
		{ "{`AWS`: `arn:aws:iam::111122223333:user/b*`}",
		  EVAL_PRINCIPAL_IAM, ALICE, NONE },
		{ "{`AWS`: `arn:aws:iam::111122223333:role/team/*`}",
		  EVAL_PRINCIPAL_IAM, SESSION, UNDET },
		{ "{`AWS`: `arn:aws:iam::111122223333:role/ops/*`}",
		  EVAL_PRINCIPAL_IAM, SESSION, UNDET },
		{ "{`AWS`: `arn:aws:iam::111122223333:user/*`}",
		  EVAL_PRINCIPAL_IAM, SESSION, NONE },
		{ "{`AWS`: `arn:aws:iam::444455556666:role/*`}",
		  EVAL_PRINCIPAL_IAM, SESSION, NONE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct world w;
		struct eval_policy p = { "resource policy bucket", NULL };
		struct eval_policies pol = { 0 };
		struct ask a = { cases[i].kind, cases[i].caller,
				 "s3:GetObject", OBJECT, "" };
		struct eval_result res;
		struct buf json = BUF_INIT, what = BUF_INIT;

		world_init(&w);
		buf_addf(&json, "{`Statement`: {`Effect`: `Allow`, "
			 "`Principal`: %s, `Action`: `s3:GetObject`, "
			 "`Resource`: `arn:aws:s3:::reports/*`}}",
			 cases[i].principal_json);
		buf_addf(&what, "%s for %s", cases[i].principal_json,
			 cases[i].caller ? cases[i].caller : "anonymous");
		p.doc = resource_doc(&w, json.data);
		pol.resource = &p;
		pol.nresource = 1;
		if (p.doc)
			CHECK_DECISION(ask(&pol, &a, &res), cases[i].want,
				       what.data);
		buf_release(&json);
		buf_release(&what);
		world_release(&w);
	}
}

static void test_eval__not_principal(void)
{
	struct world w;
	struct eval_policy p = { "resource policy bucket", NULL };
	struct eval_policy boundary = { "agent-boundary", NULL };
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, ALICE, "s3:GetObject", OBJECT,
			 "" };
	struct eval_result res;

	world_init(&w);
	p.doc = resource_doc(&w, "{`Statement`: [{`Effect`: `Allow`, "
			     "`Principal`: `*`, `Action`: `s3:*`}, {`Sid`: "
			     "`OnlyAlice`, `Effect`: `Deny`, `NotPrincipal`: "
			     "{`AWS`: [`" ALICE "`, `111122223333`]}, "
			     "`Action`: `s3:*`}, {`Sid`: `NotBob`, `Effect`: "
			     "`Allow`, `NotPrincipal`: {`AWS`: [`" BOB "`, "
			     "`111122223333`]}, "
			     "`Action`: `sqs:*`}, {`Sid`: `NeedsAccount`, "
			     "`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `"
			     READER "`}, `Action`: `s3:DeleteObject`}]}");
	boundary.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				    "`Action`: `*`, `Resource`: `*`}}");
	if (!p.doc || !boundary.doc)
		goto out;
	pol.resource = &p;
	pol.nresource = 1;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "alice is excepted");
	a.principal = BOB;
	CHECK_DECISION(ask(&pol, &a, &res), DENY, "bob is not");
	CHECK_STR(res.reason, "denied by statement 'OnlyAlice' of resource "
		  "policy bucket");
	a.kind = EVAL_PRINCIPAL_ANONYMOUS;
	a.principal = NULL;
	CHECK_DECISION(ask(&pol, &a, &res), DENY, "anonymous is not");
	/* Allow with NotPrincipal: everyone else, even anonymous. */
	a.action = "sqs:SendMessage";
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "anonymous sends");
	a.kind = EVAL_PRINCIPAL_IAM;
	a.principal = BOB;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "bob may not send");
	a.principal = ALICE;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "alice sends");
	/* A session is excepted only with its role and its account. */
	a.principal = SESSION;
	a.action = "s3:DeleteObject";
	CHECK_DECISION(ask(&pol, &a, &res), DENY, "role without account");
	CHECK_INT(res.nmatches, 2);
	/* With a permissions boundary, a NotPrincipal Deny takes all. */
	a.principal = ALICE;
	a.action = "s3:GetObject";
	pol.boundary = &boundary;
	CHECK_DECISION(ask(&pol, &a, &res), DENY, "boundary and NotPrincipal");
out:
	world_release(&w);
}

/* A grant to everyone under a boundary that does not allow. */
static void test_eval__everyone_under_boundary(void)
{
	struct world w;
	struct eval_policy p = { "resource policy public-bucket", NULL };
	struct eval_policy boundary = { "agent-boundary", NULL };
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, ALICE, "s3:GetObject", OBJECT,
			 "" };
	struct eval_result res;

	world_init(&w);
	p.doc = resource_doc(&w, "{`Statement`: {`Sid`: `Public`, `Effect`: "
			     "`Allow`, `Principal`: `*`, `Action`: "
			     "`s3:GetObject`}}");
	boundary.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				    "`Action`: `ec2:*`, `Resource`: `*`}}");
	if (!p.doc || !boundary.doc)
		goto out;
	pol.resource = &p;
	pol.nresource = 1;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "no boundary");
	pol.boundary = &boundary;
	CHECK_DECISION(ask(&pol, &a, &res), UNDET, "boundary denies");
	CHECK(res.may_allow);
	CHECK_INT(res.nmatches, 1);
	CHECK(match_at(&res, 0)->undecided);
	CHECK_STR(res.reason, "undetermined: statement 'Public' of resource "
		  "policy public-bucket cannot be decided: a grant to every "
		  "principal under a permissions boundary that does not "
		  "allow, which IAM does not document");
	a.action = "s3:PutObject";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "not granted at all");
out:
	world_release(&w);
}

/* A role's trust policy: statements without Resource apply to the role. */
static void test_eval__trust_policy(void)
{
	struct world w;
	struct eval_policy trust = { "trust policy of role/reporter", NULL };
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_SERVICE, "lambda.amazonaws.com",
			 "sts:AssumeRole",
			 "arn:aws:iam::111122223333:role/reporter", "" };
	struct eval_result res;

	world_init(&w);
	trust.doc = parse(&w, AWS_POLICY_TRUST, "{`Version`: `2012-10-17`, "
			  "`Statement`: {`Effect`: `Allow`, `Principal`: "
			  "{`Service`: `lambda.amazonaws.com`}, `Action`: "
			  "`sts:AssumeRole`, `Condition`: {`StringEquals`: "
			  "{`aws:SourceAccount`: `111122223333`}}}}");
	if (!trust.doc)
		goto out;
	pol.resource = &trust;
	pol.nresource = 1;
	CHECK(trust.doc->stmts[0].resource_implicit);
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "no source account");
	CHECK_STR(res.reason, "no resource policy allows sts:AssumeRole on "
		  "arn:aws:iam::111122223333:role/reporter for service "
		  "lambda.amazonaws.com");
	a.context = "aws:SourceAccount=111122223333";
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "from the account");
	a.action = "sts:TagSession";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "another action");
	a.kind = EVAL_PRINCIPAL_ANONYMOUS;
	a.principal = NULL;
	a.action = "sts:AssumeRole";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "anonymous");
	CHECK_STR(res.reason, "no resource policy allows sts:AssumeRole on "
		  "arn:aws:iam::111122223333:role/reporter for anonymous "
		  "callers");
out:
	world_release(&w);
}

/* Only resource policies decide for service principals. */
static void test_eval__service_ignores_caller_policies(void)
{
	struct world w;
	struct eval_policy queue = { "queue", NULL };
	struct eval_policy deny_all = { "DenyAll", NULL };
	struct eval_scp_level level = { "r-ab12", &deny_all, 1 };
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_SERVICE, "sns.amazonaws.com",
			 "sqs:SendMessage",
			 "arn:aws:sqs:us-east-1:111122223333:jobs", "" };
	struct eval_result res;

	world_init(&w);
	queue.doc = resource_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				 "`Principal`: {`Service`: "
				 "`sns.amazonaws.com`}, `Action`: "
				 "`sqs:SendMessage`, `Resource`: "
				 "`arn:aws:sqs:*:111122223333:jobs`}}");
	deny_all.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Deny`, "
				    "`Action`: `*`, `Resource`: `*`}}");
	if (!queue.doc || !deny_all.doc)
		goto out;
	pol.resource = &queue;
	pol.nresource = 1;
	pol.identity = &deny_all;
	pol.nidentity = 1;
	pol.boundary = &deny_all;
	pol.scp = &level;
	pol.nscp = 1;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "service");
	CHECK_INT(res.nmatches, 1);
	a.kind = EVAL_PRINCIPAL_IAM;
	a.principal = ALICE;
	CHECK_DECISION(ask(&pol, &a, &res), DENY, "the same for alice");
out:
	world_release(&w);
}

static void test_eval__undecided_statements(void)
{
	struct world w;
	struct eval_policy odd = { "inline policy 'odd'", NULL };
	struct eval_policy plain = { "inline policy 'plain'", NULL };
	struct eval_policy odd_deny = { "inline policy 'odd-deny'", NULL };
	struct eval_policy deny = { "inline policy 'deny'", NULL };
	struct eval_policy set[3];
	struct eval_result res;

	world_init(&w);
	odd.doc = identity_doc(&w, "{`Statement`: {`Sid`: `Odd`, `Effect`: "
			       "`Allow`, `Action`: `s3:*`, `Resource`: `*`, "
			       "`Condition`: {`StringEqual`: {`k`: `a`}}}}");
	plain.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				 "`Action`: `s3:GetObject`, `Resource`: "
				 "`*`}}");
	odd_deny.doc = identity_doc(&w, "{`Statement`: {`Sid`: `MaybeDeny`, "
				    "`Effect`: `Deny`, `Action`: `s3:*`, "
				    "`Resource`: `*`, `Condition`: "
				    "{`NumericLessThan`: {`n`: `many`}}}}");
	deny.doc = identity_doc(&w, "{`Statement`: {`Sid`: `NoGet`, "
				"`Effect`: `Deny`, `Action`: `s3:GetObject`, "
				"`Resource`: `*`}}");
	if (!odd.doc || !plain.doc || !odd_deny.doc || !deny.doc)
		goto out;

	/* An undecided Allow alone decides the request. */
	CHECK_DECISION(ask_identity(&odd, 1, "s3:GetObject", OBJECT, "k=a",
				    &res), UNDET, "odd allow");
	CHECK_STR(res.reason, "undetermined: statement 'Odd' of inline "
		  "policy 'odd' cannot be decided: unknown condition operator "
		  "'StringEqual'");
	CHECK(res.may_allow);
	CHECK_INT(res.nmatches, 1);
	CHECK(match_at(&res, 0)->undecided);
	CHECK(match_at(&res, 0)->cond == &odd.doc->stmts[0].conds[0]);
	CHECK(match_at(&res, 0)->stmt == &odd.doc->stmts[0]);
	/* It does not touch a request its action does not match. */
	CHECK_DECISION(ask_identity(&odd, 1, "ec2:RunInstances", "*", "",
				    &res), NONE, "odd allow, other action");

	/* Another statement allows anyway. */
	set[0] = odd;
	set[1] = plain;
	CHECK_DECISION(ask_identity(set, 2, "s3:GetObject", OBJECT, "",
				    &res), ALLOW, "odd and plain");
	CHECK_STR(res.reason, "allowed by statement #1 of inline policy "
		  "'plain'");

	/* An undecided Deny against an allow. */
	set[0] = plain;
	set[1] = odd_deny;
	CHECK_DECISION(ask_identity(set, 2, "s3:GetObject", OBJECT, "n=3",
				    &res), UNDET, "maybe denied");
	CHECK(res.may_allow);
	CHECK_STR(res.reason, "undetermined: statement 'MaybeDeny' of inline "
		  "policy 'odd-deny' cannot be decided: NumericLessThan on "
		  "'n': a numeric operator's value is not a decimal number");
	/* A key it needs is absent: the Deny is settled as not applying. */
	CHECK_DECISION(ask_identity(set, 2, "s3:GetObject", OBJECT, "",
				    &res), ALLOW, "deny without its key");
	/* With nothing to allow, only the kind of deny is open. */
	CHECK_DECISION(ask_identity(&odd_deny, 1, "s3:GetObject", OBJECT,
				    "n=3", &res), UNDET, "deny or nothing");
	CHECK(!res.may_allow);

	/* A definite Deny elsewhere settles it. */
	set[2] = deny;
	CHECK_DECISION(ask_identity(set, 3, "s3:GetObject", OBJECT, "n=3",
				    &res), DENY, "definite deny");
	CHECK_STR(res.reason, "denied by statement 'NoGet' of inline policy "
		  "'deny'");
out:
	world_release(&w);
}

/* Undecided statements in the caps: an SCP level and a boundary. */
static void test_eval__undecided_caps(void)
{
	struct world w;
	struct eval_policy id = { "inline policy 'all'", NULL };
	struct eval_policy odd = { "OddScp", NULL };
	struct eval_policy full = { "FullAWSAccess", NULL };
	struct eval_policy level0[1], level1[2];
	struct eval_scp_level levels[2] = {
		{ "r-ab12", level0, 1 },
		{ "ou-ab12-odd", level1, 1 },
	};
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, ALICE, "s3:GetObject", OBJECT,
			 "" };
	struct eval_result res;

	world_init(&w);
	id.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
			      "`Action`: `*`, `Resource`: `*`}}");
	odd.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
			       "`Action`: `*`, `Resource`: `*`, `Condition`: "
			       "{`DateLessThan`: {`aws:CurrentTime`: "
			       "`soon`}}}}");
	full.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
				"`Action`: `*`, `Resource`: `*`}}");
	if (!id.doc || !odd.doc || !full.doc)
		goto out;
	level0[0] = full;
	level1[0] = odd;
	level1[1] = full;
	pol.identity = &id;
	pol.nidentity = 1;
	pol.scp = levels;
	pol.nscp = 2;
	a.context = "aws:CurrentTime=2026-01-01T00:00:00Z";
	CHECK_DECISION(ask(&pol, &a, &res), UNDET, "undecided SCP level");
	CHECK_INT(res.nmatches, 1);
	CHECK_INT(match_at(&res, 0)->role, EVAL_SCP);
	CHECK(match_at(&res, 0)->level == &levels[1]);
	CHECK_STR(res.reason, "undetermined: statement #1 of SCP OddScp at "
		  "ou-ab12-odd cannot be decided: DateLessThan on "
		  "'aws:CurrentTime': a date operator's value is neither ISO "
		  "8601 nor epoch seconds");
	/* FullAWSAccess at the same level settles it. */
	levels[1].npolicies = 2;
	CHECK_DECISION(ask(&pol, &a, &res), ALLOW, "level also has full");
	/* An undecided boundary. */
	levels[1].npolicies = 1;
	pol.nscp = 0;
	pol.boundary = &odd;
	CHECK_DECISION(ask(&pol, &a, &res), UNDET, "undecided boundary");
	CHECK_INT(res.nmatches, 1);
	CHECK_INT(match_at(&res, 0)->role, EVAL_BOUNDARY);
	/* No identity allow: the boundary cannot matter. */
	pol.nidentity = 0;
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "boundary without grant");
out:
	world_release(&w);
}

static void test_eval__bad_requests(void)
{
	struct eval_policies pol = { 0 };
	struct ask a = { EVAL_PRINCIPAL_IAM, "alice", "s3:GetObject", OBJECT,
			 "" };
	struct eval_result res;

	CHECK_DECISION(ask(&pol, &a, &res), UNDET, "not an ARN");
	CHECK_STR(res.reason, "principal 'alice' is not the ARN of a user, "
		  "role, assumed-role session, federated user or root");
	a.principal = "arn:aws:iam::1111:user/alice";
	CHECK_DECISION(ask(&pol, &a, &res), UNDET, "short account");
	a.principal = ALICE;
	a.action = NULL;
	CHECK_DECISION(ask(&pol, &a, &res), UNDET, "no action");
	CHECK_STR(res.reason, "the request has no action");
	a.action = "s3:GetObject";
	CHECK_DECISION(ask(&pol, &a, &res), NONE, "nothing attached");
	CHECK_STR(eval_decision_name(EVAL_ALLOW), "allow");
	CHECK_STR(eval_decision_name(EVAL_EXPLICIT_DENY), "deny");
	CHECK_STR(eval_decision_name(EVAL_IMPLICIT_DENY), "deny");
	CHECK_STR(eval_decision_name(EVAL_UNDETERMINED), "undetermined");
}

/* The reason is cut short, never overrun, with long names. */
static void test_eval__long_reason(void)
{
	struct world w;
	struct eval_policy p = { NULL, NULL };
	struct eval_result res;
	char name[600];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	p.name = name;
	world_init(&w);
	p.doc = identity_doc(&w, "{`Statement`: {`Effect`: `Allow`, "
			     "`Action`: `*`, `Resource`: `*`}}");
	if (p.doc) {
		CHECK_DECISION(ask_identity(&p, 1, "s3:GetObject", OBJECT, "",
					    &res), ALLOW, "long name");
		CHECK_INT(strlen(res.reason), sizeof(res.reason) - 1);
		CHECK(!strncmp(res.reason, "allowed by statement #1 of nnn",
			       29));
	}
	world_release(&w);
}

UNIT_MAIN(
	UNIT_TEST(test_eval__string_operators),
	UNIT_TEST(test_eval__numeric_operators),
	UNIT_TEST(test_eval__date_operators),
	UNIT_TEST(test_eval__bool_binary_ip),
	UNIT_TEST(test_eval__arn_and_null_operators),
	UNIT_TEST(test_eval__set_operators),
	UNIT_TEST(test_eval__condition_blocks_combine),
	UNIT_TEST(test_eval__condition_variables),
	UNIT_TEST(test_eval__resource_variables),
	UNIT_TEST(test_eval__not_resource_variables),
	UNIT_TEST(test_eval__actions_and_resources),
	UNIT_TEST(test_eval__deny_across_policies),
	UNIT_TEST(test_eval__boundary_caps),
	UNIT_TEST(test_eval__scp_levels),
	UNIT_TEST(test_eval__same_account_resource_policies),
	UNIT_TEST(test_eval__cross_account),
	UNIT_TEST(test_eval__principal_forms),
	UNIT_TEST(test_eval__not_principal),
	UNIT_TEST(test_eval__everyone_under_boundary),
	UNIT_TEST(test_eval__trust_policy),
	UNIT_TEST(test_eval__service_ignores_caller_policies),
	UNIT_TEST(test_eval__undecided_statements),
	UNIT_TEST(test_eval__undecided_caps),
	UNIT_TEST(test_eval__bad_requests),
	UNIT_TEST(test_eval__long_reason)
)
