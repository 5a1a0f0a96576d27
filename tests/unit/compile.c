#include "common.h"
#include "unit.h"

#include "buf.h"
#include "catalog.h"
#include "compile.h"
#include "diag.h"
#include "finding.h"

/*
 * Grant expansion and condition typing (compiler/compile.h): small specs
 * parsed from memory, compiled against the committed AWS catalog, with
 * the actions each resource gets, the IAM condition operators, and the
 * MND134, MND135 and MND136 findings with their notes.
 */

struct compiled {
	struct spec_unit unit;
	struct program prog;
	struct findings findings;
	char *diag_text;
	size_t diag_len;
	FILE *diag_out;
	struct diag d;
	bool ok;
};

/*
 * Parse and compile the grants of one agent. body is the text inside
 * the agent's braces; the agent's other fields do not matter here.
 */
static void compile_spec(struct compiled *c, const char *body)
{
	struct buf text = BUF_INIT;
	struct source *src;

	unit_init(&c->unit);
	findings_init(&c->findings);
	c->diag_text = NULL;
	c->diag_out = open_memstream(&c->diag_text, &c->diag_len);
	if (!c->diag_out)
		BUG("open_memstream failed");
	diag_init(&c->d, c->diag_out, false);

	buf_addf(&text, "agent \"test-agent\" { kind = workload\n%s\n}\n",
		 body);
	src = source_from_memory("test.mandate", buf_str(&text), text.len);
	buf_release(&text);
	c->ok = unit_parse_source(&c->unit, src, &c->d) == 0 &&
		unit_check(&c->unit, &c->d) == 0 &&
		program_compile(&c->prog, &c->unit, unit_catalog(),
				&c->findings, &c->d) == 0;
	fflush(c->diag_out);
	if (!c->ok)
		unit_fail(__FILE__, __LINE__, "the spec did not compile:\n%s",
			  c->diag_text ? c->diag_text : "");
	if (!c->ok || c->prog.nagents != 1)
		c->ok = false;
}

static void compiled_release(struct compiled *c)
{
	program_release(&c->prog);
	findings_release(&c->findings);
	unit_release(&c->unit);
	fclose(c->diag_out);
	free(c->diag_text);
}

/* Return grant i of the only agent, or NULL after failing the test. */
static const struct xgrant *grant_at(const struct compiled *c, size_t i)
{
	if (!c->ok)
		return NULL;
	if (i >= c->prog.agents[0].ngrants) {
		unit_fail(__FILE__, __LINE__, "no grant %zu of %zu", i,
			  c->prog.agents[0].ngrants);
		return NULL;
	}
	return &c->prog.agents[0].grants[i];
}

/* Return the actions of one expanded resource as "a,b,c". */
static char *actions_of(const struct xresource *r)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < r->nactions; i++) {
		if (i)
			buf_addch(&b, ',');
		buf_adds(&b, catalog_action_name(unit_catalog(), r->actions[i]));
	}
	return buf_detach(&b, NULL);
}

#define CHECK_ACTIONS(res, want)                                        \
	do {                                                            \
		char *got_actions = actions_of(res);                    \
		CHECK_STR(got_actions, want);                           \
		free(got_actions);                                      \
	} while (0)

/* Return one condition as `Op key=v1|v2`, for comparing in one check. */
static char *cond_text(const struct iam_cond *ic)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_addf(&b, "%s %s=", ic->op, ic->key);
	for (i = 0; i < ic->nvalues; i++)
		buf_addf(&b, "%s%s", i ? "|" : "", ic->values[i]);
	return buf_detach(&b, NULL);
}

/* Return every condition of a grant, one per line. */
static char *conds_text(const struct xgrant *x)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < x->nconds; i++) {
		char *one = cond_text(&x->conds[i]);

		buf_addf(&b, "%s%s", i ? "\n" : "", one);
		free(one);
	}
	return buf_detach(&b, NULL);
}

/* Compile one grant with one `when` and return its IAM conditions. */
static char *conditions_of(const char *when, bool *usable, size_t *nfindings)
{
	struct compiled c;
	struct buf spec = BUF_INIT;
	const struct xgrant *x;
	char *text;

	buf_addf(&spec, "grant actions [\"s3:GetObject\"] on "
		 "\"arn:aws:s3:::b/*\" {\n  because = \"test\"\n  %s\n}",
		 when);
	compile_spec(&c, buf_str(&spec));
	buf_release(&spec);
	x = grant_at(&c, 0);
	text = x ? conds_text(x) : xstrdup("(not compiled)");
	*usable = x && x->usable;
	*nfindings = c.findings.n;
	compiled_release(&c);
	return text;
}

#define CHECK_CONDITION(when, want)                                     \
	do {                                                            \
		bool usable_;                                           \
		size_t nfindings_;                                      \
		char *got_conds = conditions_of(when, &usable_,         \
						&nfindings_);           \
		CHECK_STR(got_conds, want);                             \
		CHECK(usable_);                                         \
		CHECK_INT(nfindings_, 0);                               \
		free(got_conds);                                        \
	} while (0)

/* Return the first finding of rule id, or NULL after failing the test. */
static const struct finding *finding_of(const struct compiled *c,
					const char *id, int line)
{
	size_t i;

	for (i = 0; i < c->findings.n; i++)
		if (!strcmp(c->findings.v[i].rule->id, id))
			return &c->findings.v[i];
	unit_fail(__FILE__, line, "no %s finding among %zu", id,
		  c->findings.n);
	return NULL;
}

/*
 * Check that the spec yields exactly one finding, of rule id, with this
 * message and note (NULL for none), at this line and column.
 */
static void check_finding(const char *body, const char *id,
			  const char *message, const char *note,
			  uint32_t want_line, uint32_t want_col, int line)
{
	struct compiled c;
	const struct finding *x;
	const char *file;
	uint32_t got_line, got_col;

	compile_spec(&c, body);
	if (c.findings.n != 1)
		unit_fail(__FILE__, line, "%zu findings, expected 1",
			  c.findings.n);
	x = finding_of(&c, id, line);
	if (x) {
		if (strcmp(x->message, message))
			unit_fail(__FILE__, line, "message '%s', expected "
				  "'%s'", x->message, message);
		if (!note != !x->note || (note && strcmp(x->note, note)))
			unit_fail(__FILE__, line, "note '%s', expected '%s'",
				  x->note ? x->note : "(none)",
				  note ? note : "(none)");
		if (strcmp(x->agent, "test-agent"))
			unit_fail(__FILE__, line, "agent '%s'", x->agent);
		finding_position(x, &file, &got_line, &got_col);
		if (got_line != want_line || got_col != want_col)
			unit_fail(__FILE__, line, "at %u:%u, expected %u:%u",
				  got_line, got_col, want_line, want_col);
	}
	compiled_release(&c);
}

#define CHECK_FINDING(body, id, message, note, line, col) \
	check_finding(body, id, message, note, line, col, __LINE__)

#define S3_READ_OBJECT \
	"s3:GetObject,s3:GetObjectAcl,s3:GetObjectAnnotation," \
	"s3:GetObjectAttributes,s3:GetObjectLegalHold," \
	"s3:GetObjectRetention,s3:GetObjectTagging,s3:GetObjectTorrent," \
	"s3:GetObjectVersion,s3:GetObjectVersionAcl," \
	"s3:GetObjectVersionAnnotation," \
	"s3:GetObjectVersionAnnotationForReplication," \
	"s3:GetObjectVersionAttributes,s3:GetObjectVersionForReplication," \
	"s3:GetObjectVersionTagging,s3:GetObjectVersionTorrent"

#define S3_LIST_BUCKET \
	"s3:ListBucket,s3:ListBucketMultipartUploads,s3:ListBucketVersions"

static void test_compile__level_grant_per_resource(void)
{
	struct compiled c;
	const struct xgrant *x;
	char *names;

	compile_spec(&c,
		     "grant read on aws:s3 [\"arn:aws:s3:::b/*\", "
		     "\"arn:aws:s3:::b\"]");
	x = grant_at(&c, 0);
	if (x) {
		CHECK(x->usable);
		CHECK(!x->deny);
		CHECK_INT(x->levels, ACCESS_READ);
		CHECK_INT(x->nres, 2);
		CHECK_STR(x->res[0].pattern, "arn:aws:s3:::b/*");
		CHECK_ACTIONS(&x->res[0], S3_READ_OBJECT);
		CHECK_STR(x->res[1].pattern, "arn:aws:s3:::b");
		names = actions_of(&x->res[1]);
		CHECK(strstr(names, "s3:GetBucketPolicy,") != NULL);
		CHECK(strstr(names, "s3:GetObject") == NULL);
		CHECK_INT(x->res[1].nactions, 25);
		free(names);
	}
	CHECK_INT(c.findings.n, 0);
	compiled_release(&c);

	compile_spec(&c,
		     "grant list on aws:s3 \"arn:aws:s3:::b\"\n"
		     "grant list on aws:s3 \"*\"");
	x = grant_at(&c, 0);
	if (x) {
		CHECK_INT(x->levels, ACCESS_LIST);
		names = actions_of(&x->res[0]);
		CHECK(strstr(names, S3_LIST_BUCKET) != NULL);
		CHECK(strstr(names, "s3:ListAllMyBuckets") == NULL);
		free(names);
	}
	/* Only "*" names ListAllMyBuckets, which has no resource type. */
	x = grant_at(&c, 1);
	if (x) {
		names = actions_of(&x->res[0]);
		CHECK(strstr(names, "s3:ListAllMyBuckets") != NULL);
		free(names);
	}
	compiled_release(&c);
}

static void test_compile__several_levels_and_deny(void)
{
	struct compiled c;
	const struct xgrant *x;

	compile_spec(&c,
		     "grant [read, write] on aws:dynamodb "
		     "\"arn:aws:dynamodb:us-east-1:111122223333:table/t/"
		     "index/*\" { because = \"test\" }\n"
		     "deny actions [\"dynamodb:DeleteTable\"] on "
		     "\"arn:aws:dynamodb:us-east-1:111122223333:table/t\"");
	x = grant_at(&c, 0);
	if (x) {
		CHECK_INT(x->levels, ACCESS_READ | ACCESS_WRITE);
		CHECK_ACTIONS(&x->res[0],
			      "dynamodb:DescribeContributorInsights,"
			      "dynamodb:PartiQLSelect,dynamodb:Query,"
			      "dynamodb:Scan,dynamodb:SearchVectors,"
			      "dynamodb:UpdateContributorInsights");
	}
	x = grant_at(&c, 1);
	if (x) {
		CHECK(x->deny);
		CHECK(x->usable);
		CHECK_INT(x->levels, ACCESS_WRITE);
		CHECK_ACTIONS(&x->res[0], "dynamodb:DeleteTable");
	}
	CHECK_INT(c.findings.n, 0);
	compiled_release(&c);
}

static void test_compile__action_grant_per_resource(void)
{
	struct compiled c;
	const struct xgrant *x;

	compile_spec(&c,
		     "grant actions [\"s3:GetObject\", \"S3:LISTBUCKET\"] on "
		     "[\"arn:aws:s3:::b/*\", \"arn:aws:s3:::b\"]");
	x = grant_at(&c, 0);
	if (x) {
		CHECK(x->usable);
		CHECK_INT(x->nres, 2);
		CHECK_ACTIONS(&x->res[0], "s3:GetObject");
		CHECK_ACTIONS(&x->res[1], "s3:ListBucket");
		CHECK_INT(x->levels, ACCESS_READ | ACCESS_LIST);
	}
	CHECK_INT(c.findings.n, 0);
	compiled_release(&c);

	compile_spec(&c,
		     "grant actions [\"s3:*Object\", \"s3:DeleteObject*\"] on "
		     "\"arn:aws:s3:::b/*\" { because = \"test\" }");
	x = grant_at(&c, 0);
	if (x)
		CHECK_ACTIONS(&x->res[0],
			      "s3:DeleteObject,s3:DeleteObjectAnnotation,"
			      "s3:DeleteObjectTagging,s3:DeleteObjectVersion,"
			      "s3:DeleteObjectVersionAnnotation,"
			      "s3:DeleteObjectVersionTagging,s3:GetObject,"
			      "s3:PutObject,s3:ReplicateObject,"
			      "s3:RestoreObject");
	compiled_release(&c);

	/* "*" lets every action act, including those without a type. */
	compile_spec(&c, "grant actions [\"s3:ListAllMyBuckets\"] on \"*\"");
	x = grant_at(&c, 0);
	if (x)
		CHECK_ACTIONS(&x->res[0], "s3:ListAllMyBuckets");
	CHECK_INT(c.findings.n, 0);
	compiled_release(&c);
}

static void test_compile__string_and_arn_operators(void)
{
	CHECK_CONDITION("when \"aws:SourceVpc\" == \"vpc-1\"",
			"StringEquals aws:SourceVpc=vpc-1");
	CHECK_CONDITION("when \"aws:SourceVpc\" != \"vpc-1\"",
			"StringNotEquals aws:SourceVpc=vpc-1");
	CHECK_CONDITION("when \"aws:SourceVpc\" in [\"vpc-1\", \"vpc-2\"]",
			"StringEquals aws:SourceVpc=vpc-1|vpc-2");
	CHECK_CONDITION("when \"aws:SourceVpc\" not_in [\"vpc-1\"]",
			"StringNotEquals aws:SourceVpc=vpc-1");
	CHECK_CONDITION("when \"aws:userid\" like \"AROA*:alice\"",
			"StringLike aws:userid=AROA*:alice");
	CHECK_CONDITION("when \"aws:userid\" not_like [\"AIDA*\"]",
			"StringNotLike aws:userid=AIDA*");
	CHECK_CONDITION("when \"aws:PrincipalTag/team\" == \"data\"",
			"StringEquals aws:PrincipalTag/team=data");
	CHECK_CONDITION("when \"s3:prefix\" like \"home/*\"",
			"StringLike s3:prefix=home/*");
	CHECK_CONDITION("when \"aws:SourceArn\" == "
			"\"arn:aws:sns:us-east-1:111122223333:t\"",
			"ArnEquals aws:SourceArn="
			"arn:aws:sns:us-east-1:111122223333:t");
	CHECK_CONDITION("when \"aws:PrincipalArn\" like "
			"\"arn:aws:iam::*:role/agent-*\"",
			"ArnLike aws:PrincipalArn=arn:aws:iam::*:role/agent-*");
	CHECK_CONDITION("when \"aws:PrincipalArn\" not_like "
			"[\"arn:aws:iam::*:role/admin\"]",
			"ArnNotLike aws:PrincipalArn=arn:aws:iam::*:role/admin");
}

static void test_compile__numeric_date_bool_ip_operators(void)
{
	CHECK_CONDITION("when \"aws:MultiFactorAuthAge\" < 3600",
			"NumericLessThan aws:MultiFactorAuthAge=3600");
	CHECK_CONDITION("when \"aws:MultiFactorAuthAge\" <= 1h",
			"NumericLessThanEquals aws:MultiFactorAuthAge=3600");
	CHECK_CONDITION("when \"aws:MultiFactorAuthAge\" > \"0.5\"",
			"NumericGreaterThan aws:MultiFactorAuthAge=0.5");
	CHECK_CONDITION("when \"aws:MultiFactorAuthAge\" >= -1",
			"NumericGreaterThanEquals aws:MultiFactorAuthAge=-1");
	CHECK_CONDITION("when \"aws:MultiFactorAuthAge\" != 7",
			"NumericNotEquals aws:MultiFactorAuthAge=7");
	CHECK_CONDITION("when \"aws:CurrentTime\" < 2027-01-01",
			"DateLessThan aws:CurrentTime=2027-01-01");
	CHECK_CONDITION("when \"aws:CurrentTime\" >= "
			"\"2026-06-01T08:30:00Z\"",
			"DateGreaterThanEquals aws:CurrentTime="
			"2026-06-01T08:30:00Z");
	CHECK_CONDITION("when \"aws:CurrentTime\" > "
			"\"2026-06-01T08:30:00.250+02:00\"",
			"DateGreaterThan aws:CurrentTime="
			"2026-06-01T08:30:00.250+02:00");
	CHECK_CONDITION("when \"aws:EpochTime\" <= \"1767225600\"",
			"DateLessThanEquals aws:EpochTime=1767225600");
	CHECK_CONDITION("when \"aws:SecureTransport\" == true",
			"Bool aws:SecureTransport=true");
	/* "!= true" is IAM's Bool with the other value. */
	CHECK_CONDITION("when \"aws:SecureTransport\" != true",
			"Bool aws:SecureTransport=false");
	CHECK_CONDITION("when \"aws:ViaAWSService\" != false",
			"Bool aws:ViaAWSService=true");
	CHECK_CONDITION("when \"aws:SourceIp\" in [\"10.0.0.0/8\", "
			"\"192.0.2.1\"]",
			"IpAddress aws:SourceIp=10.0.0.0/8|192.0.2.1");
	CHECK_CONDITION("when \"aws:SourceIp\" not_in [\"2001:db8::/32\"]",
			"NotIpAddress aws:SourceIp=2001:db8::/32");
	CHECK_CONDITION("when \"aws:SourceIp\" == \"::1\"",
			"IpAddress aws:SourceIp=::1");
}

/*
 * A multivalued key gets ForAllValues, which is also true when the key
 * is absent, so a Null check requires the key; any_in gets ForAnyValue.
 */
static void test_compile__multivalued_keys(void)
{
	CHECK_CONDITION("when \"aws:TagKeys\" in [\"env\", \"team\"]",
			"ForAllValues:StringEquals aws:TagKeys=env|team\n"
			"Null aws:TagKeys=false");
	CHECK_CONDITION("when \"aws:TagKeys\" like [\"team-*\"]",
			"ForAllValues:StringLike aws:TagKeys=team-*\n"
			"Null aws:TagKeys=false");
	CHECK_CONDITION("when \"aws:TagKeys\" any_in [\"env\"]",
			"ForAnyValue:StringEquals aws:TagKeys=env");
	/* Excluding values needs no key: no values means none excluded. */
	CHECK_CONDITION("when \"aws:TagKeys\" not_in [\"owner\"]",
			"ForAllValues:StringNotEquals aws:TagKeys=owner");
	CHECK_CONDITION("when \"dynamodb:LeadingKeys\" in "
			"[\"${aws:PrincipalTag/tenant}\"]",
			"ForAllValues:StringEquals dynamodb:LeadingKeys="
			"${aws:PrincipalTag/tenant}\n"
			"Null dynamodb:LeadingKeys=false");
	CHECK_CONDITION("when \"aws:PrincipalOrgPaths\" any_in "
			"[\"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*\"]",
			"ForAnyValue:StringEquals aws:PrincipalOrgPaths="
			"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*");
	CHECK_CONDITION("when \"aws:CalledVia\" any_in "
			"[\"athena.amazonaws.com\"]",
			"ForAnyValue:StringEquals aws:CalledVia="
			"athena.amazonaws.com");
}

/* Several conditions stay in order, each with its own operator. */
static void test_compile__several_conditions(void)
{
	struct compiled c;
	const struct xgrant *x;
	char *text;

	compile_spec(&c,
		     "grant write on aws:s3 \"arn:aws:s3:::b/*\" {\n"
		     "  because = \"test\"\n"
		     "  when \"aws:SourceIp\" in [\"10.0.0.0/8\"]\n"
		     "  when \"aws:SecureTransport\" == true\n"
		     "  when \"aws:TagKeys\" in [\"env\"]\n"
		     "}");
	x = grant_at(&c, 0);
	if (x) {
		text = conds_text(x);
		CHECK_STR(text, "IpAddress aws:SourceIp=10.0.0.0/8\n"
			  "Bool aws:SecureTransport=true\n"
			  "ForAllValues:StringEquals aws:TagKeys=env\n"
			  "Null aws:TagKeys=false");
		free(text);
		CHECK(x->usable);
	}
	CHECK_INT(c.findings.n, 0);
	compiled_release(&c);
}

static void test_compile__unknown_names(void)
{
	CHECK_FINDING("grant actions [\"s3:GetObjet\"] on \"arn:aws:s3:::b/*\"",
		      "MND134", "unknown action 's3:GetObjet'",
		      "did you mean 's3:GetObject'?", 2, 16);
	CHECK_FINDING("grant actions [\"dynamodb:GetItme\"] on "
		      "\"arn:aws:dynamodb:us-east-1:111122223333:table/t\"",
		      "MND134", "unknown action 'dynamodb:GetItme'",
		      "did you mean 'dynamodb:GetItem'?", 2, 16);
	CHECK_FINDING("grant actions [\"s3:CompletelyUnrelatedName\"] on "
		      "\"arn:aws:s3:::b/*\"",
		      "MND134", "unknown action 's3:CompletelyUnrelatedName'",
		      NULL, 2, 16);
	CHECK_FINDING("grant actions [\"s4:GetObject\"] on \"arn:aws:s3:::b/*\"",
		      "MND134", "unknown service 's4' in action 's4:GetObject'",
		      "did you mean 's3'?", 2, 16);
	CHECK_FINDING("grant actions [\"s4:Get*\"] on \"arn:aws:s3:::b/*\"",
		      "MND134", "unknown service 's4' in action 's4:Get*'",
		      "did you mean 's3'?", 2, 16);
	CHECK_FINDING("grant actions [\"s3:Nothing*\"] on \"arn:aws:s3:::b/*\"",
		      "MND134",
		      "action pattern 's3:Nothing*' matches no known action",
		      NULL, 2, 16);
	CHECK_FINDING("grant actions [\"GetObject\"] on \"arn:aws:s3:::b/*\"",
		      "MND134",
		      "invalid action 'GetObject'; expected service:Action",
		      NULL, 2, 16);
	CHECK_FINDING("grant reed on aws:s3 \"arn:aws:s3:::b/*\"", "MND134",
		      "unknown access level 'reed'; expected list, read, "
		      "write, tagging or permissions",
		      "did you mean 'read'?", 2, 7);
	CHECK_FINDING("grant read on aws:s4 \"arn:aws:s3:::b/*\"", "MND134",
		      "unknown service 's4'", "did you mean 'aws:s3'?", 2, 15);
	CHECK_FINDING("grant read on aws:nosuchservice \"arn:aws:s3:::b/*\"",
		      "MND134", "unknown service 'nosuchservice'", NULL, 2, 15);
}

static void test_compile__grants_that_match_nothing(void)
{
	struct compiled c;
	const struct xgrant *x;

	CHECK_FINDING("grant read on aws:s3 \"arn:aws:s3:::b/\"", "MND135",
		      "no read action of 's3' acts on 'arn:aws:s3:::b/', so "
		      "this grants nothing", NULL, 2, 22);
	CHECK_FINDING("grant [list, read] on aws:s3 "
		      "\"arn:aws:dynamodb:us-east-1:111122223333:table/t\"",
		      "MND135",
		      "no list or read action of 's3' acts on "
		      "'arn:aws:dynamodb:us-east-1:111122223333:table/t', so "
		      "this grants nothing", NULL, 2, 30);
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on \"arn:aws:s3:::b\"",
		      "MND135", "'s3:GetObject' cannot act on "
		      "'arn:aws:s3:::b', so it grants nothing", NULL, 2, 16);
	CHECK_FINDING("grant actions [\"s3:ListAllMyBuckets\"] on "
		      "[\"arn:aws:s3:::*\", \"arn:aws:s3:::b/*\"]",
		      "MND135", "'s3:ListAllMyBuckets' cannot act on any "
		      "resource of this grant, so it grants nothing", NULL, 2,
		      16);
	/* A resource that none of the grant's actions act on. */
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on "
		      "[\"arn:aws:s3:::b/*\", \"arn:aws:s3:::b\"]",
		      "MND135", "no action of the grant acts on "
		      "'arn:aws:s3:::b', so it grants nothing there", NULL, 2,
		      56);

	/* The grant is valid, so it stays usable and grants no actions. */
	compile_spec(&c, "grant read on aws:s3 \"arn:aws:s3:::b/\"");
	x = grant_at(&c, 0);
	if (x) {
		CHECK(x->usable);
		CHECK_INT(x->res[0].nactions, 0);
	}
	compiled_release(&c);
}

static void test_compile__invalid_conditions(void)
{
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on \"arn:aws:s3:::b/*\" "
		      "{\n  when \"aws:NoSuchKey\" == \"x\"\n}",
		      "MND136", "unknown condition key 'aws:NoSuchKey'", NULL,
		      3, 8);
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on \"arn:aws:s3:::b/*\" "
		      "{\n  when \"aws:SourceVpc\" < \"x\"\n}",
		      "MND136", "operator '<' does not apply to "
		      "'aws:SourceVpc', whose type is String", NULL, 3, 24);
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on \"arn:aws:s3:::b/*\" "
		      "{\n  when \"aws:SourceIp\" like [\"10.*\"]\n}",
		      "MND136", "operator 'like' does not apply to "
		      "'aws:SourceIp', whose type is IP address", NULL, 3, 23);
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on \"arn:aws:s3:::b/*\" "
		      "{\n  when \"aws:SourceVpc\" any_in [\"vpc-1\"]\n}",
		      "MND136", "operator 'any_in' does not apply to "
		      "'aws:SourceVpc', whose type is String",
		      "use 'in' for a key with one value", 3, 24);
	/* A multivalued key that has no any_in operator gets no such note. */
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on \"arn:aws:s3:::b/*\" "
		      "{\n  when \"apigateway:Request/ApiKeyRequired\" any_in "
		      "[true]\n}",
		      "MND136", "operator 'any_in' does not apply to "
		      "'apigateway:Request/ApiKeyRequired', whose type is Bool "
		      "with several values", NULL, 3, 44);
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on \"arn:aws:s3:::b/*\" "
		      "{\n  when \"aws:SecureTransport\" in [true, false]\n}",
		      "MND136", "operator 'in' does not apply to "
		      "'aws:SecureTransport', whose type is Bool", NULL, 3, 30);
	CHECK_FINDING("grant actions [\"s3:GetObject\"] on \"arn:aws:s3:::b/*\" "
		      "{\n  when \"aws:SourceVpc\" == \"a\"\n"
		      "  when \"aws:SourceVpc\" == \"b\"\n}",
		      "MND136", "a second 'StringEquals' condition on "
		      "'aws:SourceVpc'; put every value in one list", NULL, 4,
		      3);
}

/* Values that do not fit the key's type, one finding each. */
static void test_compile__condition_values_typed(void)
{
	static const struct {
		const char *when;
		const char *message;
	} cases[] = {
		{ "\"aws:MultiFactorAuthAge\" < \"soon\"",
		  "'aws:MultiFactorAuthAge' expects a number, got 'soon'" },
		{ "\"aws:MultiFactorAuthAge\" < \"inf\"",
		  "'aws:MultiFactorAuthAge' expects a number, got 'inf'" },
		{ "\"aws:MultiFactorAuthAge\" < \"nan\"",
		  "'aws:MultiFactorAuthAge' expects a number, got 'nan'" },
		{ "\"aws:MultiFactorAuthAge\" < \"0x10\"",
		  "'aws:MultiFactorAuthAge' expects a number, got '0x10'" },
		{ "\"aws:MultiFactorAuthAge\" < \" 5\"",
		  "'aws:MultiFactorAuthAge' expects a number, got ' 5'" },
		{ "\"aws:MultiFactorAuthAge\" < \"1e3\"",
		  "'aws:MultiFactorAuthAge' expects a number, got '1e3'" },
		{ "\"aws:MultiFactorAuthAge\" < \"\"",
		  "'aws:MultiFactorAuthAge' expects a number, got ''" },
		{ "\"aws:CurrentTime\" < \"tomorrow\"",
		  "'aws:CurrentTime' expects a date such as 2026-01-31, got "
		  "'tomorrow'" },
		{ "\"aws:CurrentTime\" < \"2026-02-30\"",
		  "'aws:CurrentTime' expects a date such as 2026-01-31, got "
		  "'2026-02-30'" },
		{ "\"aws:CurrentTime\" < \"2026-01-31Tnoon\"",
		  "'aws:CurrentTime' expects a date such as 2026-01-31, got "
		  "'2026-01-31Tnoon'" },
		{ "\"aws:CurrentTime\" < \"2026-01-31T25:00:00Z\"",
		  "'aws:CurrentTime' expects a date such as 2026-01-31, got "
		  "'2026-01-31T25:00:00Z'" },
		{ "\"aws:SecureTransport\" == \"yes\"",
		  "'aws:SecureTransport' expects true or false, got 'yes'" },
		{ "\"aws:SourceIp\" == \"not-an-ip\"",
		  "'aws:SourceIp' expects an IP address or CIDR range, got "
		  "'not-an-ip'" },
		{ "\"aws:SourceIp\" == \"deadbeef.\"",
		  "'aws:SourceIp' expects an IP address or CIDR range, got "
		  "'deadbeef.'" },
		{ "\"aws:SourceIp\" == \"10.0.0.256\"",
		  "'aws:SourceIp' expects an IP address or CIDR range, got "
		  "'10.0.0.256'" },
		{ "\"aws:SourceIp\" == \"10.0.0.0/33\"",
		  "'aws:SourceIp' expects an IP address or CIDR range, got "
		  "'10.0.0.0/33'" },
		{ "\"aws:SourceIp\" == \"10.0.0.0/\"",
		  "'aws:SourceIp' expects an IP address or CIDR range, got "
		  "'10.0.0.0/'" },
		{ "\"aws:SourceIp\" == \"2001:db8::/129\"",
		  "'aws:SourceIp' expects an IP address or CIDR range, got "
		  "'2001:db8::/129'" },
		{ "\"aws:SourceIp\" == \":::\"",
		  "'aws:SourceIp' expects an IP address or CIDR range, got "
		  "':::'" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct compiled c;
		struct buf spec = BUF_INIT;
		const struct finding *x;
		const struct xgrant *g;

		buf_addf(&spec, "grant actions [\"s3:GetObject\"] on "
			 "\"arn:aws:s3:::b/*\" {\n  when %s\n}", cases[i].when);
		compile_spec(&c, buf_str(&spec));
		buf_release(&spec);
		if (c.findings.n != 1) {
			unit_fail(__FILE__, __LINE__, "when %s: %zu findings, "
				  "expected 1", cases[i].when, c.findings.n);
		}
		x = c.findings.n ? &c.findings.v[0] : NULL;
		if (x && strcmp(x->message, cases[i].message))
			unit_fail(__FILE__, __LINE__, "when %s: '%s', "
				  "expected '%s'", cases[i].when, x->message,
				  cases[i].message);
		if (x && strcmp(x->rule->id, "MND136"))
			unit_fail(__FILE__, __LINE__, "when %s: rule %s",
				  cases[i].when, x->rule->id);
		g = grant_at(&c, 0);
		if (g && g->usable)
			unit_fail(__FILE__, __LINE__, "when %s: grant still "
				  "usable", cases[i].when);
		compiled_release(&c);
	}
}

static void test_compile__unknown_grant_unusable(void)
{
	struct compiled c;
	const struct xgrant *x;

	/*
	 * An exact name the catalog lacks is kept by name: the grant still
	 * declares it, so the drift check does not call it excess.
	 */
	compile_spec(&c,
		     "grant actions [\"s3:GetObject\", \"s3:GetObjet\"] on "
		     "\"arn:aws:s3:::b/*\"");
	x = grant_at(&c, 0);
	if (x) {
		CHECK(x->usable);
		CHECK_ACTIONS(&x->res[0], "s3:GetObject");
		CHECK(x->res[0].nunlisted == 1);
		if (x->res[0].nunlisted == 1)
			CHECK_STR(x->res[0].unlisted[0], "s3:GetObjet");
	}
	compiled_release(&c);

	/* A pattern that matches nothing declares nothing one can keep. */
	compile_spec(&c,
		     "grant actions [\"s3:GetObject\", \"s3:Fetch*\"] on "
		     "\"arn:aws:s3:::b/*\"");
	x = grant_at(&c, 0);
	if (x) {
		CHECK(!x->usable);
		/* What is known still expands. */
		CHECK_ACTIONS(&x->res[0], "s3:GetObject");
		CHECK(x->res[0].nunlisted == 0);
	}
	compiled_release(&c);
}

static void test_compile__pattern_is_everything(void)
{
	CHECK(pattern_is_everything("*"));
	CHECK(pattern_is_everything("arn:aws:s3:*:*:*"));
	CHECK(pattern_is_everything("arn:aws:s3:::*"));
	CHECK(!pattern_is_everything("arn:aws:s3:::b*"));
	CHECK(!pattern_is_everything("arn:aws:s3:::b/*"));
	CHECK(!pattern_is_everything("arn:aws:s3"));
	CHECK(pattern_is_everything("**"));
	CHECK(pattern_is_everything("arn:*"));
	CHECK(pattern_is_everything("arn:*:*"));
	CHECK(pattern_is_everything("arn:aws:*"));
	CHECK(pattern_is_everything("arn:aws:dynamodb:*"));
	CHECK(!pattern_is_everything("arn:aws:dynamodb:us-east-1:*:*"));
	CHECK(!pattern_is_everything("arn:aws:dynamodb:*:"));
	CHECK(!pattern_is_everything("arn:aws:s3:::"));
	CHECK(!pattern_is_everything("arn:aws"));
}

UNIT_MAIN(
	UNIT_TEST(test_compile__level_grant_per_resource),
	UNIT_TEST(test_compile__several_levels_and_deny),
	UNIT_TEST(test_compile__action_grant_per_resource),
	UNIT_TEST(test_compile__string_and_arn_operators),
	UNIT_TEST(test_compile__numeric_date_bool_ip_operators),
	UNIT_TEST(test_compile__multivalued_keys),
	UNIT_TEST(test_compile__several_conditions),
	UNIT_TEST(test_compile__unknown_names),
	UNIT_TEST(test_compile__grants_that_match_nothing),
	UNIT_TEST(test_compile__invalid_conditions),
	UNIT_TEST(test_compile__condition_values_typed),
	UNIT_TEST(test_compile__unknown_grant_unusable),
	UNIT_TEST(test_compile__pattern_is_everything),
)
