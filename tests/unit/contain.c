#include "common.h"
#include "unit.h"

#include <cjson/cJSON.h>

#include "arena.h"
#include "aws_policy.h"
#include "buf.h"
#include "catalog.h"
#include "contain.h"
#include "diag.h"
#include "match.h"
#include "source.h"
#include "strtab.h"

/*
 * The containment proof (runtime/contain.h): every Access Analyzer
 * CheckNoNewAccess sample of tests/fixtures/policy-tests against its
 * expected PASS or FAIL, and each construct of the proof in both
 * directions, with the reasons a reviewer reads. Actions are expanded
 * against the committed AWS catalog, as the compiler does.
 */

#define CATALOG_PATH "stdlib/aws/catalog.txt"
#define SAMPLES_PATH "tests/fixtures/policy-tests/access-analyzer-custom-checks.json"

static struct catalog *catalog;
static const char **catalog_names;
static struct arena arena = ARENA_INIT;
static struct strtab strtab;
static bool strtab_ready;
static struct source **sources;	/* parsed documents point into these */
static size_t nsources, sources_cap;

static void release_all(void)
{
	size_t i;

	catalog_free(catalog);
	free(catalog_names);
	for (i = 0; i < nsources; i++)
		source_free(sources[i]);
	free(sources);
	if (strtab_ready)
		strtab_release(&strtab);
	arena_release(&arena);
}

static const struct catalog *the_catalog(void)
{
	struct diag d;
	uint32_t i;

	if (catalog)
		return catalog;
	diag_init(&d, stderr, false);
	if (catalog_load(&catalog, CATALOG_PATH, &catalog_builtin, &d) < 0)
		BUG("cannot load %s", CATALOG_PATH);
	catalog_names = xcalloc(catalog_count(catalog), sizeof(*catalog_names));
	for (i = 0; i < catalog_count(catalog); i++)
		catalog_names[i] = catalog_action_name(catalog, i);
	strtab_init(&strtab, &arena);
	strtab_ready = true;
	atexit(release_all);
	return catalog;
}

static bool applies(void *ctx, size_t action, const char *pattern)
{
	const struct catalog *cat = ctx;

	return catalog_action_applies(cat, catalog_action(cat, (uint32_t)action),
				      pattern) ||
	       match_resource(pattern, "*");
}

static bool overlap(void *ctx, size_t action, const char *a, const char *b)
{
	const struct catalog *cat = ctx;

	return catalog_action_overlap(cat, catalog_action(cat, (uint32_t)action),
				      a, b);
}

/* A prover over the catalog's actions; with_types adds their resource types. */
static struct contain *prover(enum contain_kind kind, bool with_types)
{
	const struct catalog *cat = the_catalog();
	struct contain_options opt = {
		.kind = kind,
		.actions = catalog_names,
		.nactions = catalog_count(cat),
		.applies = with_types ? applies : NULL,
		.applies_ctx = (void *)cat,
		.overlap = with_types ? overlap : NULL,
		.overlap_ctx = (void *)cat,
		.reference_label = "the spec",
		.candidate_label = "the live statement",
		.actions_label = "the AWS catalog",
	};
	struct contain *c;

	if (contain_new(&c, &opt) < 0)
		BUG("out of memory");
	return c;
}

/* Parse a policy document; the test fails when it is not valid. */
static const struct aws_policy_doc *parse(const char *json,
					  enum aws_policy_kind kind)
{
	struct aws_policy_doc *doc = NULL;
	struct source *src;
	struct diag d;

	the_catalog();
	diag_init(&d, stderr, false);
	src = source_from_memory("policy.json", json, strlen(json));
	grow_array((void **)&sources, &sources_cap, nsources + 1,
		   sizeof(*sources));
	sources[nsources++] = src;
	if (aws_policy_parse_source(&doc, src, kind, &arena, &strtab, &d) < 0)
		unit_fail(__FILE__, __LINE__, "invalid policy: %s", json);
	return doc;
}

struct outcome {
	int proved;
	struct contain_gap gap;
};

/* Prove candidate JSON against reference JSON, both of one kind. */
static struct outcome prove(const char *cand, const char *ref,
			    enum contain_kind kind)
{
	enum aws_policy_kind pk = kind == CONTAIN_RESOURCE ? AWS_POLICY_TRUST
							   : AWS_POLICY_IDENTITY;
	struct contain_policy c = { "live", parse(cand, pk) };
	struct contain_policy r = { "spec", parse(ref, pk) };
	struct contain *pv = prover(kind, false);
	struct outcome o;

	memset(&o, 0, sizeof(o));
	if (!c.doc || !r.doc) {
		o.proved = -2;
		contain_free(pv);
		return o;
	}
	CHECK_INT(contain_set_reference(pv, &r, 1), 0);
	o.proved = contain_prove(pv, &c, 1, &o.gap);
	contain_free(pv);
	return o;
}

static struct outcome prove_identity(const char *cand, const char *ref)
{
	return prove(cand, ref, CONTAIN_IDENTITY);
}

#define ALLOW(action, resource) \
	"{\"Effect\": \"Allow\", \"Action\": " action ", \"Resource\": " \
	resource "}"
#define DENY(action, resource) \
	"{\"Effect\": \"Deny\", \"Action\": " action ", \"Resource\": " \
	resource "}"
/* A policy of one, two or three statements. */
#define POLICY(...) \
	"{\"Version\": \"2012-10-17\", \"Statement\": [" \
	JOIN(__VA_ARGS__) "]}"
#define JOIN(...) PICK(__VA_ARGS__, JOIN3, JOIN2, JOIN1, 0)(__VA_ARGS__)
#define PICK(a, b, c, name, ...) name
#define JOIN1(a) a
#define JOIN2(a, b) a ", " b
#define JOIN3(a, b, c) a ", " b ", " c

/* Samples. */

/*
 * Samples whose expected result this proof does not return, with the
 * reason. Each is asserted to return the other result, so a change in
 * either the proof or the data shows up here.
 */
static const struct sample_exception {
	const char *file_suffix;
	size_t candidate;	/* 0-based */
	const char *reason;
} sample_exceptions[] = {
	/*
	 * The sample's heading expects FAIL because the candidate would act
	 * on the sensitive ACL 'acl-sensitive'. Its Resource is
	 * 'network-acl/acl-123456', however, which the reference's Deny
	 * does not name, so it grants nothing new.
	 */
	{ "ec2-network-acl.md", 2, "resource is not the sensitive ACL" },
};

static const struct sample_exception *find_exception(const char *file,
						     size_t candidate)
{
	size_t i, n = strlen(file);

	for (i = 0; i < ARRAY_SIZE(sample_exceptions); i++) {
		const struct sample_exception *e = &sample_exceptions[i];
		size_t m = strlen(e->file_suffix);

		if (e->candidate == candidate && n >= m &&
		    !strcmp(file + n - m, e->file_suffix))
			return e;
	}
	return NULL;
}

static const struct aws_policy_doc *parse_json(const cJSON *v)
{
	char *text = cJSON_PrintUnformatted(v);
	const struct aws_policy_doc *doc;

	doc = parse(text, AWS_POLICY_IDENTITY);
	cJSON_free(text);
	return doc;
}

/* Run every candidate of one check; returns how many were compared. */
static size_t run_check(struct contain *pv, const cJSON *check,
			size_t *exceptions)
{
	const char *file = cJSON_GetObjectItem(check, "file")->valuestring;
	const cJSON *cands = cJSON_GetObjectItem(check, "candidates");
	struct contain_policy ref = { "reference", NULL };
	const cJSON *cand;
	size_t i = 0;

	ref.doc = parse_json(cJSON_GetObjectItem(check, "reference_policy"));
	CHECK_INT(contain_set_reference(pv, &ref, 1), 0);
	cJSON_ArrayForEach(cand, cands) {
		const char *want = cJSON_GetObjectItem(cand, "expected")->valuestring;
		struct contain_policy c = { "candidate", NULL };
		const struct sample_exception *e = find_exception(file, i);
		struct contain_gap gap;
		bool pass = !strcmp(want, "PASS");
		int got;

		c.doc = parse_json(cJSON_GetObjectItem(cand, "policy"));
		got = contain_prove(pv, &c, 1, &gap);
		if (e) {
			pass = !pass;
			(*exceptions)++;
		}
		if (got != (pass ? 1 : 0))
			unit_fail(__FILE__, __LINE__,
				  "%s candidate %zu: proof returned %d, "
				  "expected %s%s%s (%s)", file, i + 1, got,
				  want, e ? ", reversed: " : "",
				  e ? e->reason : "",
				  got == 0 ? gap.reason : "proved");
		i++;
	}
	return i;
}

static void test_contain__access_analyzer_samples(void)
{
	struct source *src;
	struct diag d;
	cJSON *root;
	const cJSON *check;
	size_t checks = 0, candidates = 0, exceptions = 0;
	struct contain *pv = prover(CONTAIN_IDENTITY, true);

	diag_init(&d, stderr, false);
	if (source_load(&src, SAMPLES_PATH, SOURCE_EXPORT_MAX, &d) < 0)
		BUG("cannot read %s", SAMPLES_PATH);
	root = cJSON_ParseWithLength(src->text, src->len);
	CHECK(root != NULL);
	cJSON_ArrayForEach(check, cJSON_GetObjectItem(root, "checks")) {
		candidates += run_check(pv, check, &exceptions);
		checks++;
	}
	/* Every sample ran, and every listed exception was met. */
	CHECK_INT(checks, 22);
	CHECK_INT(candidates, 103);
	CHECK_INT(exceptions, ARRAY_SIZE(sample_exceptions));
	cJSON_Delete(root);
	source_free(src);
	contain_free(pv);
}

/*
 * Cases of the samples without the catalog's resource types, which the
 * samples test uses: some results depend on them.
 */
static void test_contain__samples_without_types(void)
{
	struct outcome o;

	/*
	 * Without the task-definition ARN format, the region's '*' may run
	 * past ':', so the two families share a string and the reference's
	 * Deny may reach the candidate.
	 */
	o = prove_identity(POLICY(ALLOW("\"ecs:RunTask\"",
					"\"arn:aws:ecs:*:*:task-definition/MyNot:*\"")),
			   POLICY(ALLOW("\"*\"", "\"*\""),
				  DENY("\"ecs:RunTask\"",
				       "\"arn:aws:ecs:*:*:task-definition/My:*\"")));
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_DENIED);

	/* 'arn:aws:ec2:*:*:i-not-sensitive' is no instance ARN at all. */
	o = prove_identity(POLICY(ALLOW("\"ec2:StopInstances\"",
					"\"arn:aws:ec2:*:*:i-not-sensitive\"")),
			   POLICY(ALLOW("\"*\"", "\"*\""),
				  DENY("\"ec2:StopInstances\"",
				       "\"arn:aws:ec2:*:*:instance/i-sensitive\"")));
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("\"s3:GetObject\"",
					"\"arn:aws:s3:*:*:*sensitive*/*\"")),
			   POLICY(ALLOW("\"*\"", "\"*\""),
				  DENY("\"s3:GetObject\"",
				       "\"arn:aws:s3:::my-sensitive-bucket/*\"")));
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_DENIED);
	CHECK_STR(o.gap.action, "s3:GetObject");
	CHECK_STR(o.gap.resource, "arn:aws:s3:*:*:*sensitive*/*");
	CHECK_STR(o.gap.reason, "denied in the spec by statement #2 of "
		  "'spec', and the live statement has no deny that covers it");
}

/* Actions. */

static void test_contain__action_list(void)
{
	const char *ref = POLICY(ALLOW("[\"s3:GetObject\", \"s3:ListBucket\"]",
				       "\"*\""));
	struct outcome o;

	o = prove_identity(POLICY(ALLOW("\"s3:getobject\"", "\"*\"")), ref);
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("[\"s3:GetObject\", \"s3:PutObject\"]",
					"\"arn:aws:s3:::b/*\"")), ref);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_NO_ACTION);
	CHECK_STR(o.gap.action, "s3:PutObject");
	CHECK_STR(o.gap.resource, "arn:aws:s3:::b/*");
	CHECK_STR(o.gap.reason, "the spec does not grant the action");
	CHECK(o.gap.stmt != NULL);
	CHECK_INT(o.gap.stmt ? o.gap.stmt->index : 99, 0);
	CHECK_STR(o.gap.policy->name, "live");
}

/* Build a reference that lists every catalog action matching pattern. */
static char *policy_listing(const char *pattern, const char *skip)
{
	const struct catalog *cat = the_catalog();
	struct actset set;
	char *out, *p;
	size_t cap = 128;
	uint32_t id;

	actset_init(&set, catalog_count(cat));
	catalog_match_actions(cat, pattern, &set);
	actset_foreach(&set, id)
		cap += strlen(catalog_action_name(cat, id)) + 4;
	out = xmalloc(cap);
	p = out + snprintf(out, cap, "{\"Statement\": {\"Effect\": \"Allow\", "
			   "\"Action\": [");
	actset_foreach(&set, id) {
		const char *name = catalog_action_name(cat, id);

		if (skip && !strcmp(name, skip))
			continue;
		p += snprintf(p, cap - (size_t)(p - out), "\"%s\",", name);
	}
	p[-1] = ']';
	snprintf(p, cap - (size_t)(p - out), ", \"Resource\": \"*\"}}");
	actset_release(&set);
	return out;
}

static void test_contain__wildcard_against_catalog(void)
{
	char *all = policy_listing("s3:Get*", NULL);
	char *short_one = policy_listing("s3:Get*", "s3:GetObjectTagging");
	const char *cand = POLICY(ALLOW("\"s3:Get*\"", "\"*\""));
	struct outcome o;

	/* The explicit list names every s3 Get action of the catalog. */
	o = prove_identity(cand, all);
	CHECK_INT(o.proved, 1);
	o = prove_identity(cand, short_one);
	CHECK_INT(o.proved, 0);
	CHECK_STR(o.gap.action, "s3:GetObjectTagging");
	CHECK_INT(o.gap.why, CONTAIN_NO_ACTION);
	/* The other direction: a list inside a wildcard. */
	o = prove_identity(all, cand);
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("\"s3:G?tObject\"", "\"*\"")), cand);
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("\"s3:*\"", "\"*\"")), cand);
	CHECK_INT(o.proved, 0);
	CHECK_STR(o.gap.action, "s3:AbortMultipartUpload");
	free(all);
	free(short_one);
}

static void test_contain__not_action(void)
{
	const char *not_iam = "{\"Statement\": {\"Effect\": \"Allow\", "
			      "\"NotAction\": \"iam:*\", \"Resource\": \"*\"}}";
	struct outcome o;

	o = prove_identity(not_iam, POLICY(ALLOW("\"*\"", "\"*\"")));
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("\"s3:PutObject\"", "\"*\"")),
			   not_iam);
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("\"iam:PassRole\"", "\"*\"")),
			   not_iam);
	CHECK_INT(o.proved, 0);
	CHECK_STR(o.gap.action, "iam:PassRole");
	CHECK_INT(o.gap.why, CONTAIN_NO_ACTION);
	o = prove_identity(POLICY(ALLOW("\"*\"", "\"*\"")), not_iam);
	CHECK_INT(o.proved, 0);
	CHECK(!strncmp(o.gap.action, "iam:", 4));
}

static void test_contain__action_not_in_catalog(void)
{
	struct outcome o;

	o = prove_identity(POLICY(ALLOW("\"s3:MadeUpAction\"", "\"*\"")),
			   POLICY(ALLOW("\"s3:*\"", "\"*\"")));
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("\"s3:MadeUpAction\"", "\"*\"")),
			   POLICY(ALLOW("\"s3:Get*\"", "\"*\"")));
	CHECK_INT(o.proved, 0);
	CHECK_STR(o.gap.action, "s3:MadeUpAction");
	CHECK(o.gap.action_index == CONTAIN_NOT_LISTED);
	CHECK_STR(o.gap.reason, "the action is not in the AWS catalog, and "
		  "the spec does not grant it");
	/* A wildcard that matches no catalog action grants nothing. */
	o = prove_identity(POLICY(ALLOW("\"nosuchservice:*\"", "\"*\"")),
			   POLICY(ALLOW("\"s3:GetObject\"", "\"*\"")));
	CHECK_INT(o.proved, 1);
}

/* Resources. */

static void test_contain__resource_narrower(void)
{
	const char *wide = POLICY(ALLOW("\"s3:GetObject\"",
					"\"arn:aws:s3:::b/*\""));
	const char *narrow = POLICY(ALLOW("\"s3:GetObject\"",
					  "\"arn:aws:s3:::b/x/*\""));
	struct outcome o;

	o = prove_identity(narrow, wide);
	CHECK_INT(o.proved, 1);
	o = prove_identity(wide, narrow);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_NARROWER);
	CHECK_STR(o.gap.resource, "arn:aws:s3:::b/*");
	CHECK_STR(o.gap.reason, "the spec grants it on narrower resources");
	/* Each resource of the candidate may be covered by another statement. */
	o = prove_identity(POLICY(ALLOW("\"s3:GetObject\"",
					"[\"arn:aws:s3:::a/1\", \"arn:aws:s3:::b/2\"]")),
			   POLICY(ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::a/*\""),
				  ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"")));
	CHECK_INT(o.proved, 1);
}

static void test_contain__not_resource(void)
{
	const char *all_but_secret =
		"{\"Statement\": {\"Effect\": \"Allow\", \"Action\": "
		"\"s3:GetObject\", \"NotResource\": \"arn:aws:s3:::b/secret/*\"}}";
	struct outcome o;

	o = prove_identity(all_but_secret,
			   POLICY(ALLOW("\"s3:GetObject\"", "\"*\"")));
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("\"s3:GetObject\"",
					"\"arn:aws:s3:::b/public/*\"")),
			   all_but_secret);
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(ALLOW("\"s3:GetObject\"",
					"\"arn:aws:s3:::b/*\"")),
			   all_but_secret);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_NARROWER);
	o = prove_identity(all_but_secret,
			   POLICY(ALLOW("\"s3:GetObject\"",
					"\"arn:aws:s3:::b/*\"")));
	CHECK_INT(o.proved, 0);
	CHECK_STR(o.gap.resource, "*");
}

static void test_contain__policy_variables(void)
{
	const char *own = POLICY(ALLOW("\"s3:GetObject\"",
				       "\"arn:aws:s3:::b/${aws:username}/*\""));
	const char *alice = POLICY(ALLOW("\"s3:GetObject\"",
					 "\"arn:aws:s3:::b/alice/*\""));
	struct outcome o;

	o = prove_identity(own, own);
	CHECK_INT(o.proved, 1);
	o = prove_identity(own, POLICY(ALLOW("\"s3:GetObject\"",
					     "\"arn:aws:s3:::b/*\"")));
	CHECK_INT(o.proved, 1);
	/* A variable of the spec covers only the same variable. */
	o = prove_identity(alice, own);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_NARROWER);
	o = prove_identity(own, alice);
	CHECK_INT(o.proved, 0);
}

/* Denies. */

static void test_contain__reference_deny(void)
{
	const char *ref = POLICY(ALLOW("\"s3:*\"", "\"*\""),
				 "{\"Sid\": \"KeepLogs\", \"Effect\": \"Deny\", "
				 "\"Action\": \"s3:DeleteObject\", "
				 "\"Resource\": \"arn:aws:s3:::logs/*\"}");
	struct outcome o;

	o = prove_identity(POLICY(ALLOW("\"s3:DeleteObject\"", "\"*\"")), ref);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_DENIED);
	CHECK_STR(o.gap.reason, "denied in the spec by statement 'KeepLogs' "
		  "of 'spec', and the live statement has no deny that covers "
		  "it");
	CHECK(o.gap.ref_stmt != NULL);
	CHECK_INT(o.gap.ref_stmt ? o.gap.ref_stmt->index : 99, 1);
	/* A deny of the candidate covering the reference's deny. */
	o = prove_identity(POLICY(ALLOW("\"s3:DeleteObject\"", "\"*\""),
				  DENY("\"s3:Delete*\"", "\"arn:aws:s3:::logs/*\"")),
			   ref);
	CHECK_INT(o.proved, 1);
	/* One that covers only part of it does not prove anything. */
	o = prove_identity(POLICY(ALLOW("\"s3:DeleteObject\"", "\"*\""),
				  DENY("\"s3:Delete*\"",
				       "\"arn:aws:s3:::logs/2026/*\"")),
			   ref);
	CHECK_INT(o.proved, 0);
	/* Nor does one under a condition the reference's deny lacks. */
	o = prove_identity(POLICY(ALLOW("\"s3:DeleteObject\"", "\"*\""),
				  "{\"Effect\": \"Deny\", \"Action\": \"*\", "
				  "\"Resource\": \"*\", \"Condition\": {"
				  "\"Bool\": {\"aws:SecureTransport\": \"false\"}}}"),
			   ref);
	CHECK_INT(o.proved, 0);
	/* A candidate resource outside the reference's deny needs no deny. */
	o = prove_identity(POLICY(ALLOW("\"s3:DeleteObject\"",
					"\"arn:aws:s3:::tmp/*\"")), ref);
	CHECK_INT(o.proved, 1);
}

static void test_contain__conditional_reference_deny(void)
{
	const char *ref = POLICY(ALLOW("\"s3:*\"", "\"*\""),
				 "{\"Effect\": \"Deny\", \"Action\": \"s3:*\", "
				 "\"Resource\": \"*\", \"Condition\": {"
				 "\"Bool\": {\"aws:SecureTransport\": \"false\"}}}");
	struct outcome o;

	o = prove_identity(POLICY(ALLOW("\"s3:GetObject\"", "\"*\"")), ref);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_DENIED);
	/* The same deny, with the same condition, on the candidate side. */
	o = prove_identity(POLICY(ALLOW("\"s3:GetObject\"", "\"*\""),
				  "{\"Effect\": \"Deny\", \"Action\": \"*\", "
				  "\"Resource\": \"*\", \"Condition\": {"
				  "\"Bool\": {\"aws:SecureTransport\": \"false\"}}}"),
			   ref);
	CHECK_INT(o.proved, 1);
}

static void test_contain__candidate_deny_removes_grant(void)
{
	const char *ref = POLICY(ALLOW("\"s3:GetObject\"", "\"*\""));
	struct outcome o;

	o = prove_identity(POLICY(ALLOW("[\"s3:GetObject\", \"s3:PutObject\"]",
					"\"*\""),
				  DENY("\"s3:PutObject\"", "\"*\"")),
			   ref);
	CHECK_INT(o.proved, 1);
	/* A conditional deny may not apply, so the grant remains. */
	o = prove_identity(POLICY(ALLOW("[\"s3:GetObject\", \"s3:PutObject\"]",
					"\"*\""),
				  "{\"Effect\": \"Deny\", \"Action\": "
				  "\"s3:PutObject\", \"Resource\": \"*\", "
				  "\"Condition\": {\"StringEquals\": "
				  "{\"aws:SourceVpc\": \"vpc-1\"}}}"),
			   ref);
	CHECK_INT(o.proved, 0);
	CHECK_STR(o.gap.action, "s3:PutObject");
	/* A deny on the reference side never widens it. */
	o = prove_identity(ref, POLICY(DENY("\"s3:GetObject\"", "\"*\"")));
	CHECK_INT(o.proved, 0);
}

/* Conditions. */

#define COND_ALLOW(op, key, values) \
	"{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", " \
	"\"Resource\": \"*\", \"Condition\": {\"" op "\": {\"" key "\": " \
	values "}}}"

static void test_contain__condition_values(void)
{
	const char *ref = POLICY(COND_ALLOW("StringEquals", "aws:SourceVpc",
					    "[\"vpc-1\", \"vpc-2\"]"));
	struct outcome o;

	o = prove_identity(POLICY(COND_ALLOW("StringEquals", "AWS:sourcevpc",
					     "\"vpc-1\"")), ref);
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(COND_ALLOW("StringEquals", "aws:SourceVpc",
					     "[\"vpc-1\", \"vpc-3\"]")), ref);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_CONDITION);
	CHECK_STR(o.gap.reason, "the spec grants it only under condition "
		  "StringEquals 'aws:SourceVpc', which the live statement's "
		  "condition StringEquals 'aws:SourceVpc' does not imply");
	o = prove_identity(POLICY(ALLOW("\"s3:GetObject\"", "\"*\"")), ref);
	CHECK_INT(o.proved, 0);
	CHECK_STR(o.gap.reason, "the spec grants it only under condition "
		  "StringEquals 'aws:SourceVpc' that the live statement lacks");
	CHECK(o.gap.ref_cond != NULL);
	/* Conditions only narrow a candidate that the reference covers. */
	o = prove_identity(ref, POLICY(ALLOW("\"s3:GetObject\"", "\"*\"")));
	CHECK_INT(o.proved, 1);
}

static void test_contain__condition_operators(void)
{
	struct outcome o;

	/* Negated operators: more excluded values are stricter. */
	o = prove_identity(POLICY(COND_ALLOW("StringNotEquals", "aws:SourceVpc",
					     "[\"vpc-1\", \"vpc-2\"]")),
			   POLICY(COND_ALLOW("StringNotEquals", "aws:SourceVpc",
					     "\"vpc-1\"")));
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(COND_ALLOW("StringNotEquals", "aws:SourceVpc",
					     "\"vpc-1\"")),
			   POLICY(COND_ALLOW("StringNotEquals", "aws:SourceVpc",
					     "[\"vpc-1\", \"vpc-2\"]")));
	CHECK_INT(o.proved, 0);
	/* IfExists is weaker than the plain operator. */
	o = prove_identity(POLICY(COND_ALLOW("StringEquals", "aws:SourceVpc",
					     "\"vpc-1\"")),
			   POLICY(COND_ALLOW("StringEqualsIfExists",
					     "aws:SourceVpc", "\"vpc-1\"")));
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(COND_ALLOW("StringEqualsIfExists",
					     "aws:SourceVpc", "\"vpc-1\"")),
			   POLICY(COND_ALLOW("StringEquals", "aws:SourceVpc",
					     "\"vpc-1\"")));
	CHECK_INT(o.proved, 0);
	/* Another operator proves nothing, even where it would hold. */
	o = prove_identity(POLICY(COND_ALLOW("StringEquals", "aws:SourceVpc",
					     "\"vpc-1\"")),
			   POLICY(COND_ALLOW("StringLike", "aws:SourceVpc",
					     "\"vpc-*\"")));
	CHECK_INT(o.proved, 0);
	o = prove_identity(POLICY(COND_ALLOW("ForAllValues:StringEquals",
					     "aws:TagKeys", "\"team\"")),
			   POLICY(COND_ALLOW("ForAnyValue:StringEquals",
					     "aws:TagKeys", "\"team\"")));
	CHECK_INT(o.proved, 0);
	o = prove_identity(POLICY(COND_ALLOW("ForAllValues:StringEquals",
					     "aws:TagKeys", "\"team\"")),
			   POLICY(COND_ALLOW("ForAllValues:StringEquals",
					     "aws:TagKeys", "[\"team\", \"env\"]")));
	CHECK_INT(o.proved, 1);
	/* Key names ignore case, tag keys are compared exactly. */
	o = prove_identity(POLICY(COND_ALLOW("StringEquals",
					     "AWS:PRINCIPALTAG/team", "\"a\"")),
			   POLICY(COND_ALLOW("StringEquals",
					     "aws:PrincipalTag/team", "\"a\"")));
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(COND_ALLOW("StringEquals",
					     "aws:PrincipalTag/Team", "\"a\"")),
			   POLICY(COND_ALLOW("StringEquals",
					     "aws:PrincipalTag/team", "\"a\"")));
	CHECK_INT(o.proved, 0);
	/* A policy variable in a value is compared as text. */
	o = prove_identity(POLICY(COND_ALLOW("StringEquals", "s3:prefix",
					     "\"${aws:username}/\"")),
			   POLICY(COND_ALLOW("StringEquals", "s3:prefix",
					     "\"${aws:username}/\"")));
	CHECK_INT(o.proved, 1);
	o = prove_identity(POLICY(COND_ALLOW("StringEquals", "s3:prefix",
					     "\"alice/\"")),
			   POLICY(COND_ALLOW("StringEquals", "s3:prefix",
					     "\"${aws:username}/\"")));
	CHECK_INT(o.proved, 0);
}

/* Principals of trust policies. */

#define TRUST(principal) \
	"{\"Statement\": {\"Effect\": \"Allow\", \"Action\": " \
	"\"sts:AssumeRole\", \"Principal\": " principal "}}"

static struct outcome prove_trust(const char *cand, const char *ref)
{
	return prove(cand, ref, CONTAIN_RESOURCE);
}

static void test_contain__trust_principals(void)
{
	const char *lambda = TRUST("{\"Service\": \"lambda.amazonaws.com\"}");
	const char *account = TRUST("{\"AWS\": \"111122223333\"}");
	struct outcome o;

	o = prove_trust(lambda, lambda);
	CHECK_INT(o.proved, 1);
	o = prove_trust(TRUST("{\"Service\": [\"lambda.amazonaws.com\", "
			      "\"ec2.amazonaws.com\"]}"), lambda);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_PRINCIPAL);
	CHECK_STR(o.gap.resource, "*");
	CHECK_STR(o.gap.reason, "the spec grants it to fewer principals than "
		  "the live statement admits");
	o = prove_trust(TRUST("\"*\""), lambda);
	CHECK_INT(o.proved, 0);
	o = prove_trust(TRUST("{\"AWS\": \"*\"}"), account);
	CHECK_INT(o.proved, 0);
	o = prove_trust(lambda, TRUST("\"*\""));
	CHECK_INT(o.proved, 1);
	/* An account id and its root ARN are one principal. */
	o = prove_trust(TRUST("{\"AWS\": \"arn:aws:iam::111122223333:root\"}"),
			account);
	CHECK_INT(o.proved, 1);
	o = prove_trust(TRUST("{\"AWS\": \"arn:aws:iam::444455556666:root\"}"),
			account);
	CHECK_INT(o.proved, 0);
}

static void test_contain__deny_on_account(void)
{
	const char *ref = "{\"Statement\": [{\"Effect\": \"Allow\", "
			  "\"Action\": \"sts:AssumeRole\", \"Principal\": "
			  "{\"AWS\": \"*\"}}, {\"Effect\": \"Deny\", "
			  "\"Action\": \"sts:AssumeRole\", \"Principal\": "
			  "{\"AWS\": \"111122223333\"}}]}";
	struct outcome o;

	/* A deny on an account reaches every role of that account. */
	o = prove_trust(TRUST("{\"AWS\": \"arn:aws:iam::111122223333:role/x\"}"),
			ref);
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_DENIED);
	o = prove_trust(TRUST("{\"AWS\": \"arn:aws:iam::444455556666:role/x\"}"),
			ref);
	CHECK_INT(o.proved, 1);
}

static void test_contain__not_principal(void)
{
	const char *all_but = "{\"Statement\": {\"Effect\": \"Allow\", "
			      "\"Action\": \"sts:AssumeRole\", \"NotPrincipal\": "
			      "{\"AWS\": \"arn:aws:iam::111122223333:root\"}}}";
	struct outcome o;

	o = prove_trust(all_but, TRUST("\"*\""));
	CHECK_INT(o.proved, 1);
	o = prove_trust(all_but, TRUST("{\"AWS\": \"444455556666\"}"));
	CHECK_INT(o.proved, 0);
	o = prove_trust(TRUST("{\"AWS\": \"444455556666\"}"), all_but);
	CHECK_INT(o.proved, 1);
	o = prove_trust(TRUST("{\"AWS\": \"111122223333\"}"), all_but);
	CHECK_INT(o.proved, 0);
	/* An account reaches the role that the reference leaves out. */
	o = prove_trust(TRUST("{\"AWS\": \"111122223333\"}"),
			"{\"Statement\": {\"Effect\": \"Allow\", "
			"\"Action\": \"sts:AssumeRole\", \"NotPrincipal\": "
			"{\"AWS\": \"arn:aws:iam::111122223333:role/z\"}}}");
	CHECK_INT(o.proved, 0);
	CHECK_INT(o.gap.why, CONTAIN_PRINCIPAL);
}

/* Checking one statement reports every gap, in order. */

struct gap_list {
	char lines[8][160];
	size_t n;
};

static int collect_gap(void *ctx, const struct contain_gap *gap)
{
	struct gap_list *l = ctx;

	if (l->n < ARRAY_SIZE(l->lines))
		snprintf(l->lines[l->n], sizeof(l->lines[0]), "%s on %s: %d",
			 gap->action, gap->resource, (int)gap->why);
	l->n++;
	return 0;
}

static void test_contain__every_gap_of_statement(void)
{
	struct contain_policy c = {
		"live", parse(POLICY(ALLOW("[\"s3:PutObject\", \"s3:GetObject\"]",
					   "[\"arn:aws:s3:::a/*\", \"arn:aws:s3:::b/*\"]")),
			      AWS_POLICY_IDENTITY),
	};
	struct contain_policy r = {
		"spec", parse(POLICY(ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::a/*\"")),
			      AWS_POLICY_IDENTITY),
	};
	struct contain *pv = prover(CONTAIN_IDENTITY, false);
	struct gap_list l = { .n = 0 };

	CHECK_INT(contain_set_reference(pv, &r, 1), 0);
	CHECK_INT(contain_set_candidate(pv, &c, 1), 0);
	CHECK_INT(contain_check_statement(pv, 0, 0, collect_gap, &l), 3);
	/* A statement that does not exist is an error, not a proof. */
	CHECK_INT(contain_check_statement(pv, 0, 1, collect_gap, &l), -1);
	CHECK_INT(contain_check_statement(pv, 1, 0, collect_gap, &l), -1);
	CHECK_INT(l.n, 3);
	/* Catalog order: s3:GetObject comes before s3:PutObject. */
	CHECK_STR(l.lines[0], "s3:PutObject on arn:aws:s3:::a/*: 0");
	CHECK_STR(l.lines[1], "s3:GetObject on arn:aws:s3:::b/*: 1");
	CHECK_STR(l.lines[2], "s3:PutObject on arn:aws:s3:::b/*: 0");
	contain_free(pv);
}

/*
 * Random small policies, checked against a reference evaluator written
 * here: whenever the prover returns a proof, no request of a grid of
 * actions, resources and condition values may be allowed by the
 * candidate and not by the reference.
 */

static const char *const grid_actions[] = {
	"s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances",
};
static const char *const action_patterns[] = {
	"*", "s3:*", "s3:Get*", "s3:GetObject", "s3:PutObject",
	"s3:?utObject", "ec2:RunInstances", "s3:ListBucket",
};
static const char *const resource_patterns[] = {
	"*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", "arn:aws:s3:::b/x/1",
	"arn:aws:s3:::c/*", "arn:aws:s3:::*/x/*", "arn:aws:s3:::b",
	"arn:aws:s3:::${aws:username}/*",
};
static const char *const grid_resources[] = {
	"arn:aws:s3:::b/x/1", "arn:aws:s3:::b/y", "arn:aws:s3:::c/x/2",
	"arn:aws:s3:::b", "arn:aws:s3:::d/x/3", "arn:aws:s3:::alice/x/1",
};
static const char *const condition_ops[] = {
	"StringEquals", "StringNotEquals", "StringEqualsIfExists",
	"StringNotEqualsIfExists",
};
/* Values of aws:SourceVpc in the grid; NULL when the request has none. */
static const char *const grid_vpcs[] = { NULL, "vpc-1", "vpc-2", "vpc-3" };

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* Append one random statement to out. */
static void random_statement(struct buf *out)
{
	unsigned nres = 1 + rnd(2), i;

	buf_addf(out, "{\"Effect\": \"%s\", \"%s\": [\"%s\", \"%s\"], ",
		   rnd(10) < 3 ? "Deny" : "Allow",
		   rnd(10) < 2 ? "NotAction" : "Action",
		   action_patterns[rnd(ARRAY_SIZE(action_patterns))],
		   action_patterns[rnd(ARRAY_SIZE(action_patterns))]);
	buf_addf(out, "\"%s\": [", rnd(10) < 2 ? "NotResource" : "Resource");
	for (i = 0; i < nres; i++)
		buf_addf(out, "%s\"%s\"", i ? ", " : "",
			   resource_patterns[rnd(ARRAY_SIZE(resource_patterns))]);
	buf_addf(out, "]");
	if (rnd(10) < 4)
		buf_addf(out, ", \"Condition\": {\"%s\": {\"aws:SourceVpc\": "
			   "[\"vpc-%u\", \"vpc-%u\"]}}",
			   condition_ops[rnd(ARRAY_SIZE(condition_ops))],
			   1 + rnd(2), 1 + rnd(3));
	buf_addf(out, "}");
}

static char *random_policy(void)
{
	struct buf out = BUF_INIT;
	unsigned n = 1 + rnd(3), i;

	buf_addf(&out, "{\"Statement\": [");
	for (i = 0; i < n; i++) {
		if (i)
			buf_addf(&out, ", ");
		random_statement(&out);
	}
	buf_addf(&out, "]}");
	return buf_detach(&out, NULL);
}

static bool listed(const struct aws_condition *c, const char *v)
{
	size_t i;

	for (i = 0; i < c->nvalues; i++)
		if (!strcmp(c->values[i], v))
			return true;
	return false;
}

/* IAM's result for the four operators of the grid. */
static bool condition_holds(const struct aws_condition *c, const char *vpc)
{
	bool if_exists = strstr(c->op, "IfExists") != NULL;
	bool negated = strstr(c->op, "Not") != NULL;

	if (!vpc)
		return if_exists || negated;
	return negated ? !listed(c, vpc) : listed(c, vpc);
}

static bool applies_to(const struct aws_statement *s, const char *action,
		       const char *resource, const char *vpc)
{
	bool a = false, r = false;
	size_t i;

	for (i = 0; i < s->nactions; i++)
		a = a || match_action(s->actions[i], action);
	/* The request is alice's, so ${aws:username} is "alice". */
	for (i = 0; i < s->nresources; i++) {
		const char *p = s->resources[i];

		r = r || (strstr(p, "${aws:username}")
				  ? !strncmp(resource, "arn:aws:s3:::alice/", 19)
				  : match_resource(p, resource));
	}
	if (a == s->not_action || r == s->not_resource)
		return false;
	for (i = 0; i < s->nconds; i++)
		if (!condition_holds(&s->conds[i], vpc))
			return false;
	return true;
}

static bool allows(const struct aws_policy_doc *doc, const char *action,
		   const char *resource, const char *vpc)
{
	bool allowed = false;
	size_t i;

	for (i = 0; i < doc->nstmts; i++) {
		if (!applies_to(&doc->stmts[i], action, resource, vpc))
			continue;
		if (doc->stmts[i].deny)
			return false;
		allowed = true;
	}
	return allowed;
}

/* Return a request the candidate allows and the reference does not. */
static bool find_counterexample(const struct aws_policy_doc *cand,
				const struct aws_policy_doc *ref,
				char *out, size_t n)
{
	size_t a, r, v;

	for (a = 0; a < ARRAY_SIZE(grid_actions); a++)
		for (r = 0; r < ARRAY_SIZE(grid_resources); r++)
			for (v = 0; v < ARRAY_SIZE(grid_vpcs); v++) {
				const char *ac = grid_actions[a];
				const char *rs = grid_resources[r];
				const char *vp = grid_vpcs[v];

				if (!allows(cand, ac, rs, vp) ||
				    allows(ref, ac, rs, vp))
					continue;
				snprintf(out, n, "%s on %s with vpc %s", ac, rs,
					 vp ? vp : "(none)");
				return true;
			}
	return false;
}

static void test_contain__random_policies_sound(void)
{
	struct contain_options opt = {
		.kind = CONTAIN_IDENTITY,
		.actions = grid_actions,
		.nactions = ARRAY_SIZE(grid_actions),
	};
	struct contain *pv;
	size_t round, proofs = 0, refutable = 0;

	if (contain_new(&pv, &opt) < 0)
		BUG("out of memory");
	for (round = 0; round < 3000; round++) {
		char *cand_text = random_policy(), *ref_text = random_policy();
		struct contain_policy cand = { "candidate",
			parse(cand_text, AWS_POLICY_IDENTITY) };
		struct contain_policy ref = { "reference",
			parse(ref_text, AWS_POLICY_IDENTITY) };
		struct contain_gap gap;
		char request[160];
		bool counter;

		CHECK_INT(contain_set_reference(pv, &ref, 1), 0);
		counter = find_counterexample(cand.doc, ref.doc, request,
					      sizeof(request));
		refutable += counter;
		if (contain_prove(pv, &cand, 1, &gap) == 1) {
			proofs++;
			if (counter)
				unit_fail(__FILE__, __LINE__,
					  "proved, but %s is allowed by %s "
					  "and not by %s", request, cand_text,
					  ref_text);
		}
		free(cand_text);
		free(ref_text);
	}
	/* The rounds include proofs and refutations, so both sides ran. */
	CHECK(proofs > 300);
	CHECK(refutable > 300);
	contain_free(pv);
}

/*
 * The same for random trust policies: principals of a grid of callers,
 * with an account standing for every principal in it, as a Deny reads
 * it.
 */

struct caller {
	const char *type;	/* "AWS" or "Service" */
	const char *arn;
	const char *account;	/* NULL for a service */
};

static const struct caller grid_callers[] = {
	{ "AWS", "arn:aws:iam::111122223333:role/x", "111122223333" },
	{ "AWS", "arn:aws:iam::111122223333:role/z", "111122223333" },
	{ "AWS", "arn:aws:iam::444455556666:role/y", "444455556666" },
	{ "Service", "lambda.amazonaws.com", NULL },
	{ "Service", "ec2.amazonaws.com", NULL },
};
static const char *const principal_values[] = {
	"\"*\"", "{\"AWS\": \"*\"}", "{\"AWS\": \"111122223333\"}",
	"{\"AWS\": \"arn:aws:iam::111122223333:root\"}",
	"{\"AWS\": \"arn:aws:iam::111122223333:role/x\"}",
	"{\"AWS\": [\"arn:aws:iam::444455556666:role/y\", "
	"\"arn:aws:iam::111122223333:role/z\"]}",
	"{\"Service\": \"lambda.amazonaws.com\"}",
	"{\"Service\": [\"lambda.amazonaws.com\", \"ec2.amazonaws.com\"]}",
};
static const char *const trust_actions[] = {
	"sts:AssumeRole", "sts:TagSession",
};

static char *random_trust_policy(void)
{
	struct buf out = BUF_INIT;
	unsigned n = 1 + rnd(3), i;

	buf_addf(&out, "{\"Statement\": [");
	for (i = 0; i < n; i++) {
		buf_addf(&out, "%s{\"Effect\": \"%s\", \"Action\": \"%s\", "
			 "\"%s\": %s", i ? ", " : "",
			 rnd(10) < 3 ? "Deny" : "Allow",
			 rnd(3) ? "sts:AssumeRole" : "sts:*",
			 rnd(10) < 2 ? "NotPrincipal" : "Principal",
			 principal_values[rnd(ARRAY_SIZE(principal_values))]);
		if (rnd(10) < 3)
			buf_addf(&out, ", \"Condition\": {\"StringEquals\": "
				 "{\"aws:SourceVpc\": \"vpc-%u\"}}", 1 + rnd(2));
		buf_addf(&out, "}");
	}
	buf_addf(&out, "]}");
	return buf_detach(&out, NULL);
}

static bool principal_matches(const struct aws_principal *p,
			      const struct caller *who)
{
	if (!strcmp(p->type, "*"))
		return true;
	if (strcmp(p->type, who->type))
		return false;
	if (!strcmp(p->value, "*") || !strcmp(p->value, who->arn))
		return true;
	if (!who->account)
		return false;
	return !strcmp(p->value, who->account) ||
	       (!strncmp(p->value, "arn:aws:iam::", 13) &&
		!strncmp(p->value + 13, who->account, 12) &&
		!strcmp(p->value + 25, ":root"));
}

static bool trust_applies(const struct aws_statement *s, const char *action,
			  const struct caller *who, const char *vpc)
{
	bool a = false, p = false;
	size_t i;

	for (i = 0; i < s->nactions; i++)
		a = a || match_action(s->actions[i], action);
	for (i = 0; i < s->nprincipals; i++)
		p = p || principal_matches(&s->principals[i], who);
	if (!a || p == s->not_principal)
		return false;
	for (i = 0; i < s->nconds; i++)
		if (!condition_holds(&s->conds[i], vpc))
			return false;
	return true;
}

static bool trust_allows(const struct aws_policy_doc *doc, const char *action,
			 const struct caller *who, const char *vpc)
{
	bool allowed = false;
	size_t i;

	for (i = 0; i < doc->nstmts; i++) {
		if (!trust_applies(&doc->stmts[i], action, who, vpc))
			continue;
		if (doc->stmts[i].deny)
			return false;
		allowed = true;
	}
	return allowed;
}

static bool find_trust_counterexample(const struct aws_policy_doc *cand,
				      const struct aws_policy_doc *ref,
				      char *out, size_t n)
{
	size_t a, w, v;

	for (a = 0; a < ARRAY_SIZE(trust_actions); a++)
		for (w = 0; w < ARRAY_SIZE(grid_callers); w++)
			for (v = 0; v < ARRAY_SIZE(grid_vpcs); v++) {
				const char *ac = trust_actions[a];
				const struct caller *who = &grid_callers[w];
				const char *vp = grid_vpcs[v];

				if (!trust_allows(cand, ac, who, vp) ||
				    trust_allows(ref, ac, who, vp))
					continue;
				snprintf(out, n, "%s by %s with vpc %s", ac,
					 who->arn, vp ? vp : "(none)");
				return true;
			}
	return false;
}

static void test_contain__random_trust_sound(void)
{
	struct contain_options opt = {
		.kind = CONTAIN_RESOURCE,
		.actions = trust_actions,
		.nactions = ARRAY_SIZE(trust_actions),
	};
	struct contain *pv;
	size_t round, proofs = 0, refutable = 0;

	if (contain_new(&pv, &opt) < 0)
		BUG("out of memory");
	for (round = 0; round < 3000; round++) {
		char *cand_text = random_trust_policy();
		char *ref_text = random_trust_policy();
		struct contain_policy cand = { "candidate",
			parse(cand_text, AWS_POLICY_TRUST) };
		struct contain_policy ref = { "reference",
			parse(ref_text, AWS_POLICY_TRUST) };
		struct contain_gap gap;
		char request[160];
		bool counter;

		CHECK_INT(contain_set_reference(pv, &ref, 1), 0);
		counter = find_trust_counterexample(cand.doc, ref.doc, request,
						    sizeof(request));
		refutable += counter;
		if (contain_prove(pv, &cand, 1, &gap) == 1) {
			proofs++;
			if (counter)
				unit_fail(__FILE__, __LINE__,
					  "proved, but %s is allowed by %s "
					  "and not by %s", request, cand_text,
					  ref_text);
		}
		free(cand_text);
		free(ref_text);
	}
	CHECK(proofs > 300);
	CHECK(refutable > 300);
	contain_free(pv);
}

UNIT_MAIN(
	UNIT_TEST(test_contain__access_analyzer_samples),
	UNIT_TEST(test_contain__samples_without_types),
	UNIT_TEST(test_contain__action_list),
	UNIT_TEST(test_contain__wildcard_against_catalog),
	UNIT_TEST(test_contain__not_action),
	UNIT_TEST(test_contain__action_not_in_catalog),
	UNIT_TEST(test_contain__resource_narrower),
	UNIT_TEST(test_contain__not_resource),
	UNIT_TEST(test_contain__policy_variables),
	UNIT_TEST(test_contain__reference_deny),
	UNIT_TEST(test_contain__conditional_reference_deny),
	UNIT_TEST(test_contain__candidate_deny_removes_grant),
	UNIT_TEST(test_contain__condition_values),
	UNIT_TEST(test_contain__condition_operators),
	UNIT_TEST(test_contain__trust_principals),
	UNIT_TEST(test_contain__deny_on_account),
	UNIT_TEST(test_contain__not_principal),
	UNIT_TEST(test_contain__every_gap_of_statement),
	UNIT_TEST(test_contain__random_policies_sound),
	UNIT_TEST(test_contain__random_trust_sound),
)
