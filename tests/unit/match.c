#include "common.h"
#include "unit.h"

#include <time.h>

#include "match.h"

/*
 * IAM's matching of actions and resource ARNs (runtime/match.h). The
 * tests cover the request tables of three IAM evaluation cases and more
 * rows for each kind of fault they stand for. Brute-force loops compare
 * the matcher with small reference matchers written here from the
 * header's description.
 */

/* One Allow or Deny statement with a single action and resource. */
struct stmt {
	bool deny;
	const char *action;
	const char *resource;
};

struct request {
	int row;
	const char *action;
	const char *resource;
	bool allowed;
};

static bool stmt_applies(const struct stmt *s, const char *action,
			 const char *resource)
{
	return match_action(s->action, action) &&
	       match_resource(s->resource, resource);
}

/* IAM's decision without conditions: some Allow applies and no Deny. */
static bool decide(const struct stmt *stmts, size_t n, const char *action,
		   const char *resource)
{
	bool allowed = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!stmt_applies(&stmts[i], action, resource))
			continue;
		if (stmts[i].deny)
			return false;
		allowed = true;
	}
	return allowed;
}

static void check_requests(const struct stmt *stmts, size_t nstmts,
			   const struct request *rows, size_t nrows)
{
	size_t i;

	for (i = 0; i < nrows; i++) {
		bool got = decide(stmts, nstmts, rows[i].action,
				  rows[i].resource);

		if (got != rows[i].allowed)
			unit_fail(__FILE__, __LINE__,
				  "row %d: %s on %s is %s, expected %s",
				  rows[i].row, rows[i].action,
				  rows[i].resource, got ? "allowed" : "denied",
				  rows[i].allowed ? "allowed" : "denied");
	}
}

/*
 * A user's inline policy: s3:DeleteObject* on b1/STAR, s3:*Object on b2/STAR
 * and s3:Get*Version on everything.
 */
#define DEL_PREFIX "s3:DeleteObject*"
#define ANY_OBJECT "s3:*Object"
#define MIDDLE_STAR "s3:Get*Version"

static void test_match__action_wildcard_case_rows(void)
{
	static const struct stmt stmts[] = {
		{ false, DEL_PREFIX, "arn:aws:s3:::b1/*" },
		{ false, ANY_OBJECT, "arn:aws:s3:::b2/*" },
		{ false, MIDDLE_STAR, "*" },
	};
	static const struct request rows[] = {
		{ 1, "s3:DeleteObject", "arn:aws:s3:::b1/k", true },
		{ 2, "s3:DeleteObjectVersion", "arn:aws:s3:::b1/k", true },
		{ 3, "s3:DeleteObjectTagging", "arn:aws:s3:::b1/k", true },
		{ 4, "s3:PutObject", "arn:aws:s3:::b1/k", false },
		{ 5, "s3:GetObject", "arn:aws:s3:::b2/k", true },
		{ 6, "s3:PutObject", "arn:aws:s3:::b2/k", true },
		{ 7, "s3:DeleteObject", "arn:aws:s3:::b2/k", true },
		{ 8, "s3:DeleteObjectTagging", "arn:aws:s3:::b2/k", false },
		{ 9, "s3:GetObjectVersion", "arn:aws:s3:::b9/k", true },
		{ 10, "s3:GetObjectVersionTagging", "arn:aws:s3:::b9/k",
		  false },
		{ 11, "s3:GetBucketVersioning", "arn:aws:s3:::b9", false },
	};

	/* Row 1: the trailing '*' matches zero characters. */
	CHECK(match_action(DEL_PREFIX, "s3:DeleteObject"));
	CHECK(match_resource("arn:aws:s3:::b1/*", "arn:aws:s3:::b1/k"));
	/* Rows 2 and 3. */
	CHECK(match_action(DEL_PREFIX, "s3:DeleteObjectVersion"));
	CHECK(match_action(DEL_PREFIX, "s3:DeleteObjectTagging"));
	/* Row 4: only s3:*Object names PutObject, and not on b1. */
	CHECK(!match_action(DEL_PREFIX, "s3:PutObject"));
	CHECK(match_action(ANY_OBJECT, "s3:PutObject"));
	CHECK(!match_resource("arn:aws:s3:::b2/*", "arn:aws:s3:::b1/k"));
	CHECK(!match_action(MIDDLE_STAR, "s3:PutObject"));
	/* Rows 5 to 7: the leading '*' matches the verb. */
	CHECK(match_action(ANY_OBJECT, "s3:GetObject"));
	CHECK(match_action(ANY_OBJECT, "s3:DeleteObject"));
	CHECK(match_resource("arn:aws:s3:::b2/*", "arn:aws:s3:::b2/k"));
	/* Row 8: s3:*Object is anchored at the end. */
	CHECK(!match_action(ANY_OBJECT, "s3:DeleteObjectTagging"));
	CHECK(!match_resource("arn:aws:s3:::b1/*", "arn:aws:s3:::b2/k"));
	CHECK(!match_action(MIDDLE_STAR, "s3:DeleteObjectTagging"));
	/* Row 9: the middle '*' spans "Object". */
	CHECK(match_action(MIDDLE_STAR, "s3:GetObjectVersion"));
	CHECK(match_resource("*", "arn:aws:s3:::b9/k"));
	/* Row 10: "Version" must end the name. */
	CHECK(!match_action(MIDDLE_STAR, "s3:GetObjectVersionTagging"));
	CHECK(!match_action(ANY_OBJECT, "s3:GetObjectVersionTagging"));
	CHECK(!match_action(DEL_PREFIX, "s3:GetObjectVersionTagging"));
	/* Row 11: GetBucketVersioning ends in "Versioning". */
	CHECK(!match_action(MIDDLE_STAR, "s3:GetBucketVersioning"));
	CHECK(!match_action(ANY_OBJECT, "s3:GetBucketVersioning"));
	CHECK(!match_action(DEL_PREFIX, "s3:GetBucketVersioning"));

	check_requests(stmts, ARRAY_SIZE(stmts), rows, ARRAY_SIZE(rows));
}

/* Zero-length '*' anywhere, and '*' matching long runs. */
static void test_match__action_star_zero_length(void)
{
	CHECK(match_action("s3:Get*Object", "s3:GetObject"));
	CHECK(match_action("s3:*GetObject", "s3:GetObject"));
	CHECK(match_action("*s3:GetObject", "s3:GetObject"));
	CHECK(match_action("s3:GetObject**", "s3:GetObject"));
	CHECK(match_action("s3*:*Get*Object*", "s3:GetObject"));
	CHECK(match_action("*", "s3:GetObject"));
	CHECK(match_action("**", "s3:GetObject"));
	CHECK(match_action("s3:*", "s3:GetObject"));
	CHECK(match_action("s3:*Object*", "s3:GetObjectAcl"));
	CHECK(match_action("s3:*Object*", "s3:PutObject"));
	/* In actions '*' spans ':' as well. */
	CHECK(match_action("*:GetObject", "s3:GetObject"));
	CHECK(match_action("s*", "s3:GetObject"));
	CHECK(match_action("s*Object", "s3:GetObject"));
	CHECK(!match_action("s3:Get*Object", "s3:GetObjec"));
	CHECK(!match_action("*:GetObject", "s3:GetObjects"));
}

/* A pattern must match the whole name: no prefix or suffix left over. */
static void test_match__action_anchored_both_ends(void)
{
	CHECK(!match_action("s3:Get", "s3:GetObject"));
	CHECK(!match_action("3:GetObject", "s3:GetObject"));
	CHECK(!match_action("s3:GetObject", "s3:GetObjectAcl"));
	CHECK(!match_action("s3:GetObject", "xs3:GetObject"));
	CHECK(!match_action("s3:Get*", "xs3:GetObject"));
	CHECK(!match_action("*Object", "s3:GetObjectAcl"));
	CHECK(!match_action("s3:*Object", "s3:GetObject "));
	CHECK(!match_action("Object", "s3:GetObject"));
	CHECK(!match_action("", "s3:GetObject"));
	CHECK(match_action("", ""));
	CHECK(match_action("*", ""));
	CHECK(!match_action("?", ""));
	CHECK(!match_action("s3:GetObject", ""));
}

/* '?' is exactly one character, and one UTF-8 character is one. */
static void test_match__question_mark_one_character(void)
{
	CHECK(match_action("s3:?etObject", "s3:GetObject"));
	CHECK(!match_action("s3:?etObject", "s3:etObject"));
	CHECK(!match_action("s3:?etObject", "s3:GGetObject"));
	CHECK(match_action("s3:???Object", "s3:GetObject"));
	CHECK(match_action("s?:GetObject", "s3:GetObject"));
	CHECK(match_action("s3?GetObject", "s3:GetObject"));
	CHECK(match_action("x:?", "x:\xc3\xa9"));		/* é, 2 bytes */
	CHECK(!match_action("x:??", "x:\xc3\xa9"));
	CHECK(match_action("x:?", "x:\xe2\x82\xac"));		/* €, 3 bytes */
	CHECK(match_action("x:?", "x:\xf0\x9f\x98\x80"));	/* 4 bytes */
	CHECK(!match_action("x:???", "x:\xf0\x9f\x98\x80"));

	CHECK(match_resource("arn:aws:s3:::b/?", "arn:aws:s3:::b/k"));
	CHECK(!match_resource("arn:aws:s3:::b/?", "arn:aws:s3:::b/"));
	CHECK(!match_resource("arn:aws:s3:::b/?", "arn:aws:s3:::b/kk"));
	CHECK(match_resource("arn:aws:s3:::b/?", "arn:aws:s3:::b/\xc3\xa9"));
	CHECK(!match_resource("arn:aws:s3:::b/??",
			      "arn:aws:s3:::b/\xc3\xa9"));
	CHECK(match_resource("arn:aws:s3:::b/?",
			     "arn:aws:s3:::b/\xe6\x97\xa5"));	/* 日 */
	CHECK(match_resource("arn:aws:s3:::b/?x",
			     "arn:aws:s3:::b/\xf0\x9f\x98\x80x"));
	CHECK(!match_resource("arn:aws:s3:::b/????x",
			      "arn:aws:s3:::b/\xf0\x9f\x98\x80x"));
	/* '?' crosses '/' but never ':'. */
	CHECK(match_resource("arn:aws:s3:::b?k", "arn:aws:s3:::b/k"));
	CHECK(!match_resource("arn:aws:s3:::b?k", "arn:aws:s3:::b:k"));
	/* A byte that is not UTF-8 is a character of its own. */
	CHECK(match_resource("arn:aws:s3:::b/?", "arn:aws:s3:::b/\xff"));
	CHECK(match_resource("arn:aws:s3:::b/??", "arn:aws:s3:::b/\xc3x"));
}

/*
 * Two spellings of one character must not meet: a byte that is not
 * UTF-8 never equals a code point, and an overlong encoding of '/' or
 * ':' is neither a separator nor the character itself.
 */
static void test_match__invalid_utf8_stays_distinct(void)
{
	/* "\xc3" then "x", against U+00C3 then "x". */
	CHECK(!match_resource("arn:aws:s3:::b/\xc3x",
			      "arn:aws:s3:::b/\xc3\x83x"));
	CHECK(!match_resource("arn:aws:s3:::b/\xc3\x83x",
			      "arn:aws:s3:::b/\xc3x"));
	CHECK(match_resource("arn:aws:s3:::b/\xc3x", "arn:aws:s3:::b/\xc3x"));
	/* Overlong '/' (C0 AF, E0 80 AF) and ':' (E0 80 BA). */
	CHECK(!match_resource("arn:aws:s3:::b/k", "arn:aws:s3:::b\xc0\xafk"));
	CHECK(!match_resource("arn:aws:s3:::b/k",
			      "arn:aws:s3:::b\xe0\x80\xafk"));
	CHECK(!match_resource("arn:aws:s3:::b:k",
			      "arn:aws:s3:::b\xe0\x80\xbak"));
	CHECK(!match_resource("arn:aws:s3:::b/*", "arn:aws:s3:::b\xe0\x80\xaf"
			      "k"));
	CHECK(!match_action("s3:GetObject", "s3\xe0\x80\xbaGetObject"));
	/* Past U+10FFFF: F4 90 80 80 is not a character. */
	CHECK(!match_resource("arn:aws:s3:::b/?", "arn:aws:s3:::b/"
			      "\xf4\x90\x80\x80"));
	CHECK(match_resource("arn:aws:s3:::b/????", "arn:aws:s3:::b/"
			     "\xf4\x90\x80\x80"));
	CHECK(match_resource("arn:aws:s3:::b/?", "arn:aws:s3:::b/"
			     "\xf4\x8f\xbf\xbf"));	/* U+10FFFF */
}

/*
 * Managed s3:* for everyone, and an inline policy: Deny
 * "s3:deleteobject", Allow "IAM:listusers", Allow iam:GetUser on
 * user/Gita with a capital G.
 */
static void test_match__action_case_resource_case_rows(void)
{
	static const struct stmt stmts[] = {
		{ false, "s3:*", "*" },
		{ true, "s3:deleteobject", "*" },
		{ false, "IAM:listusers", "*" },
		{ false, "iam:GetUser", "arn:aws:iam::111122223333:user/Gita" },
	};
	static const struct request rows[] = {
		{ 1, "s3:DeleteObject", "arn:aws:s3:::b/k", false },
		{ 2, "s3:GetObject", "arn:aws:s3:::b/k", true },
		{ 3, "iam:ListUsers", "*", true },
		{ 4, "iam:GetUser", "arn:aws:iam::111122223333:user/gita",
		  false },
		{ 5, "iam:GetUser", "arn:aws:iam::111122223333:user/Gita",
		  true },
	};

	/* Row 1: the Deny matches whatever the case, and wins. */
	CHECK(match_action("s3:deleteobject", "s3:DeleteObject"));
	CHECK(match_resource("*", "arn:aws:s3:::b/k"));
	CHECK(match_action("s3:*", "s3:DeleteObject"));
	/* Row 2: the Deny does not name GetObject. */
	CHECK(!match_action("s3:deleteobject", "s3:GetObject"));
	CHECK(match_action("s3:*", "s3:GetObject"));
	/* Row 3: service and action name both fold. */
	CHECK(match_action("IAM:listusers", "iam:ListUsers"));
	CHECK(match_resource("*", "*"));
	/* Row 4: "Gita" is not "gita". */
	CHECK(match_action("iam:GetUser", "iam:GetUser"));
	CHECK(!match_resource("arn:aws:iam::111122223333:user/Gita",
			      "arn:aws:iam::111122223333:user/gita"));
	CHECK(!match_action("s3:*", "iam:GetUser"));
	CHECK(!match_action("IAM:listusers", "iam:GetUser"));
	/* Row 5. */
	CHECK(match_resource("arn:aws:iam::111122223333:user/Gita",
			     "arn:aws:iam::111122223333:user/Gita"));

	check_requests(stmts, ARRAY_SIZE(stmts), rows, ARRAY_SIZE(rows));
}

static void test_match__action_case_folding(void)
{
	CHECK(match_action("S3:GETOBJECT", "s3:getobject"));
	CHECK(match_action("s3:getobject", "S3:GetObject"));
	CHECK(match_action("DynamoDB:GetItem", "dynamodb:getitem"));
	CHECK(match_action("DYNAMODB:Get*", "dynamodb:GetItem"));
	CHECK(match_action("s3:*OBJECT", "s3:GetObject"));
	CHECK(match_action("s3:g?tobject", "S3:GETOBJECT"));
	CHECK(match_action_covers("S3:GET*", "s3:getobject"));
	CHECK(match_action_covers("s3:get*", "S3:Get*Acl"));
	/* Folding is ASCII only, as in IAM's action names. */
	CHECK(!match_action("x:\xc3\x89", "x:\xc3\xa9"));	/* É, é */
	/* Folding never makes other characters equal. */
	CHECK(!match_action("s3:Get[Object", "s3:Get{Object"));
	CHECK(!match_action("s3:Get@Object", "s3:Get`Object"));
	/* Without a wildcard, a pattern matches only the whole name. */
	CHECK(!match_action("s3:GetObject", "s3:GetObjectAcl"));
	CHECK(!match_action("s3:GetObjectAcl", "s3:GetObject"));
	CHECK(!match_action("s3:Get*", "s3:Ge"));
	CHECK(!match_action("", "s3:GetObject"));
	CHECK(match_action("", ""));
}

static void test_match__resource_case_sensitive(void)
{
	CHECK(!match_resource("arn:aws:s3:::Bucket/k", "arn:aws:s3:::bucket/k"));
	CHECK(!match_resource("arn:aws:s3:::bucket/K", "arn:aws:s3:::bucket/k"));
	CHECK(!match_resource("ARN:aws:s3:::bucket/k", "arn:aws:s3:::bucket/k"));
	CHECK(!match_resource("arn:AWS:s3:::bucket/k", "arn:aws:s3:::bucket/k"));
	CHECK(!match_resource("arn:aws:S3:::bucket/k", "arn:aws:s3:::bucket/k"));
	CHECK(!match_resource("arn:aws:s3:::bucket/*/K", "arn:aws:s3:::bucket/a/k"));
	CHECK(match_resource("arn:aws:s3:::bucket/*/K", "arn:aws:s3:::bucket/a/K"));
	CHECK(!match_resource_overlap("arn:aws:s3:::B*", "arn:aws:s3:::b*"));
	CHECK(!match_resource_covers("arn:aws:s3:::b*", "arn:aws:s3:::B*"));
	CHECK(!match_template_overlap("arn:aws:s3:::b/k",
				      "arn:${Partition}:S3:::${BucketName}/"
				      "${ObjectName}"));
}

/*
 * A role's inline policy: s3:GetObject on data-bucket/foo/STAR/bar,
 * s3:PutObject on data-bucket/exports:2024/STAR, s3:DeleteObject on
 * data-bucket/STAR/STAR and logs:PutLogEvents on log groups app-STAR of
 * one account in any region.
 */
#define DEEP_BAR "arn:aws:s3:::data-bucket/foo/*/bar"
#define COLON_KEY "arn:aws:s3:::data-bucket/exports:2024/*"
#define TWO_LEVELS "arn:aws:s3:::data-bucket/*/*"
#define APP_LOGS "arn:aws:logs:*:111122223333:log-group:app-*"

static void test_match__resource_spans_case_rows(void)
{
	static const struct stmt stmts[] = {
		{ false, "s3:GetObject", DEEP_BAR },
		{ false, "s3:PutObject", COLON_KEY },
		{ false, "s3:DeleteObject", TWO_LEVELS },
		{ false, "logs:PutLogEvents", APP_LOGS },
	};
	static const struct request rows[] = {
		{ 1, "s3:GetObject", "arn:aws:s3:::data-bucket/foo/1/2/bar",
		  true },
		{ 2, "s3:GetObject", "arn:aws:s3:::data-bucket/foo//bar", true },
		{ 3, "s3:GetObject", "arn:aws:s3:::data-bucket/foo/bar", false },
		{ 4, "s3:PutObject",
		  "arn:aws:s3:::data-bucket/exports:2024/jan.csv", true },
		{ 5, "s3:PutObject",
		  "arn:aws:s3:::data-bucket/exports:2025/jan.csv", false },
		{ 6, "s3:DeleteObject", "arn:aws:s3:::data-bucket/tmp/file.txt",
		  true },
		{ 7, "s3:DeleteObject", "arn:aws:s3:::data-bucket/file.txt",
		  false },
		{ 8, "logs:PutLogEvents",
		  "arn:aws:logs:eu-west-1:111122223333:log-group:app-web:"
		  "log-stream:i-0abc", true },
		{ 9, "logs:PutLogEvents",
		  "arn:aws:logs:eu-west-1:444455556666:log-group:app-web:"
		  "log-stream:i-0abc", false },
	};

	/* Row 1: '*' spans "1/2". */
	CHECK(match_resource(DEEP_BAR, "arn:aws:s3:::data-bucket/foo/1/2/bar"));
	/* Row 2: '*' matches nothing between the two slashes. */
	CHECK(match_resource(DEEP_BAR, "arn:aws:s3:::data-bucket/foo//bar"));
	/* Row 3: both slashes around '*' are literal. */
	CHECK(!match_resource(DEEP_BAR, "arn:aws:s3:::data-bucket/foo/bar"));
	/* Row 4: a ':' inside the key is an ordinary literal. */
	CHECK(match_resource(COLON_KEY,
			     "arn:aws:s3:::data-bucket/exports:2024/jan.csv"));
	/* Row 5. */
	CHECK(!match_resource(COLON_KEY,
			      "arn:aws:s3:::data-bucket/exports:2025/jan.csv"));
	/* Row 6: two levels of key. */
	CHECK(match_resource(TWO_LEVELS,
			     "arn:aws:s3:::data-bucket/tmp/file.txt"));
	/* Row 7: one level lacks the second '/'. */
	CHECK(!match_resource(TWO_LEVELS, "arn:aws:s3:::data-bucket/file.txt"));
	/* Row 8: the final '*' runs on past ":log-stream:". */
	CHECK(match_action("logs:PutLogEvents", "logs:PutLogEvents"));
	CHECK(match_resource(APP_LOGS, "arn:aws:logs:eu-west-1:111122223333:"
			     "log-group:app-web:log-stream:i-0abc"));
	/* Row 9: the account differs. */
	CHECK(!match_resource(APP_LOGS, "arn:aws:logs:eu-west-1:444455556666:"
			      "log-group:app-web:log-stream:i-0abc"));

	check_requests(stmts, ARRAY_SIZE(stmts), rows, ARRAY_SIZE(rows));
}

static void test_match__star_spans_slash_in_segment(void)
{
	CHECK(match_resource("arn:aws:s3:::b/*/x", "arn:aws:s3:::b/a/b/c/x"));
	CHECK(match_resource("arn:aws:s3:::b*x", "arn:aws:s3:::b/a/x"));
	CHECK(match_resource("arn:aws:iam::111122223333:role/*-agent",
			     "arn:aws:iam::111122223333:role/team/a/x-agent"));
	/* A '*' inside a segment stops at ':'. */
	CHECK(!match_resource("arn:aws:s3:::b/*/x", "arn:aws:s3:::b/a:c/x"));
	CHECK(!match_resource("arn:aws:ec2:us-*-1:111122223333:instance/i",
			      "arn:aws:ec2:us-east:x-1:111122223333:"
			      "instance/i"));
	CHECK(match_resource("arn:aws:ec2:us-*-1:111122223333:instance/i",
			     "arn:aws:ec2:us-east-1:111122223333:instance/i"));
	CHECK(!match_resource("arn:aws:s3:::b*c", "arn:aws:s3:::b:c"));
	CHECK(match_resource("arn:aws:s3:::b*c", "arn:aws:s3:::bc"));
}

static void test_match__segment_final_star_spans_colon(void)
{
	/* Last character of the region segment. */
	CHECK(match_resource("arn:aws:ec2:*:111122223333:instance/*",
			     "arn:aws:ec2:us-east-1:111122223333:instance/i-1"));
	CHECK(!match_resource("arn:aws:ec2:*:111122223333:instance/*",
			      "arn:aws:ec2:us-east-1:444455556666:"
			      "instance/i-1"));
	CHECK(match_resource("arn:aws:logs:us-east-1:*",
			     "arn:aws:logs:us-east-1:111122223333:log-group:x"));
	CHECK(match_resource("arn:aws:s3:::b/*",
			     "arn:aws:s3:::b/a:b:c"));
	CHECK(match_resource("arn:aws:s3:::b/x*:y",
			     "arn:aws:s3:::b/x1:2:y"));
	CHECK(match_resource("*", "arn:aws:s3:::b/a:b"));
	CHECK(match_resource("*", ""));
	CHECK(match_resource("arn:*", "arn:aws:s3:::b"));
	/* A '*' followed by another wildcard is not the last character. */
	CHECK(!match_resource("arn:aws:s3:::b/*?", "arn:aws:s3:::b/x:y"));
	CHECK(match_resource("arn:aws:s3:::b/?*", "arn:aws:s3:::b/x:y"));
}

/* Characters special in regular expressions are literal in IAM. */
static void test_match__regex_characters_literal(void)
{
	static const struct {
		const char *pattern;
		const char *literal;	/* the pattern itself, no wildcard */
		const char *other;	/* what a regex would also match */
	} cases[] = {
		{ "arn:aws:s3:::a.b", "arn:aws:s3:::a.b", "arn:aws:s3:::axb" },
		{ "arn:aws:s3:::a+b", "arn:aws:s3:::a+b", "arn:aws:s3:::aab" },
		{ "arn:aws:s3:::(a)", "arn:aws:s3:::(a)", "arn:aws:s3:::a" },
		{ "arn:aws:s3:::a$", "arn:aws:s3:::a$", "arn:aws:s3:::a" },
		{ "arn:aws:s3:::^a", "arn:aws:s3:::^a", "arn:aws:s3:::a" },
		{ "arn:aws:s3:::[ab]", "arn:aws:s3:::[ab]", "arn:aws:s3:::a" },
		{ "arn:aws:s3:::a|b", "arn:aws:s3:::a|b", "arn:aws:s3:::a" },
		{ "arn:aws:s3:::a{2}", "arn:aws:s3:::a{2}", "arn:aws:s3:::aa" },
		{ "arn:aws:s3:::a\\b", "arn:aws:s3:::a\\b", "arn:aws:s3:::ab" },
		{ "arn:aws:s3:::a%2Fb", "arn:aws:s3:::a%2Fb", "arn:aws:s3:::a/b" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (!match_resource(cases[i].pattern, cases[i].literal))
			unit_fail(__FILE__, __LINE__, "'%s' does not match "
				  "itself", cases[i].pattern);
		if (match_resource(cases[i].pattern, cases[i].other))
			unit_fail(__FILE__, __LINE__, "'%s' matches '%s'",
				  cases[i].pattern, cases[i].other);
	}
	CHECK(match_action("s3:Get.Object", "s3:Get.Object"));
	CHECK(!match_action("s3:Get.bject", "s3:GetObject"));
	CHECK(!match_action("s3:Get.*", "s3:GetObject"));
	CHECK(!match_action("s3:(Get|Put)Object", "s3:GetObject"));
	CHECK(!match_action("s3:Get+Object", "s3:GetObject"));
	CHECK(!match_action("s3:GetObject$", "s3:GetObject"));
	/* A backslash does not escape the '*' after it. */
	CHECK(match_resource("arn:aws:s3:::a\\*", "arn:aws:s3:::a\\xyz"));
	CHECK(!match_resource("arn:aws:s3:::a\\*", "arn:aws:s3:::a*"));
	/* A literal "$" or brace that starts no variable is plain text. */
	CHECK(match_resource("arn:aws:s3:::b/$x{y}/*", "arn:aws:s3:::b/$x{y}/k"));
	CHECK(match_resource("arn:aws:s3:::b/${}/*", "arn:aws:s3:::b/${}/k"));
}

/*
 * A policy variable has one value per request, which the evaluator
 * substitutes before matching; unsubstituted, it matches no resource.
 * For overlap it may be anything, and for coverage only the same
 * variable, or a star taking any character, covers it.
 */
static void test_match__policy_variables(void)
{
	CHECK(!match_resource("arn:aws:s3:::b/${aws:username}/*",
			      "arn:aws:s3:::b/alice/k"));
	CHECK(!match_resource("arn:aws:s3:::b/${aws:username}/*",
			      "arn:aws:s3:::b/${aws:username}/k"));
	CHECK(match_resource("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*"));
	CHECK(!match_resource("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x"));
	CHECK(match_resource_overlap("arn:aws:s3:::${aws:PrincipalTag/b}/*",
				     "arn:aws:s3:::reports/x"));
	CHECK(match_template_overlap(
		"arn:aws:s3:::${aws:PrincipalTag/tenant}-data/*",
		"arn:${Partition}:s3:::${BucketName}/${ObjectName}"));
	/* The same variable covers itself, whatever the case of its key. */
	CHECK(match_resource_covers("arn:aws:s3:::${aws:username}/*",
				    "arn:aws:s3:::${AWS:UserName}/k/*"));
	/* A variable never covers a wildcard or another variable. */
	CHECK(!match_resource_covers("arn:aws:s3:::${aws:username}/*",
				     "arn:aws:s3:::*/*"));
	CHECK(!match_resource_covers("arn:aws:s3:::${aws:username}/*",
				     "arn:aws:s3:::${aws:userid}/*"));
	CHECK(!match_resource_covers("arn:aws:s3:::b${aws:username}",
				     "arn:aws:s3:::b"));
	/* A wildcard covers a variable only where it may take any character. */
	CHECK(match_resource_covers("arn:aws:s3:::*",
				    "arn:aws:s3:::${aws:PrincipalTag/b}/*"));
	CHECK(!match_resource_covers("arn:aws:s3:::*/x",
				     "arn:aws:s3:::${aws:PrincipalTag/b}/x"));
}

static void test_match__resource_overlap(void)
{
	CHECK(match_resource_overlap("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"));
	CHECK(match_resource_overlap("arn:aws:s3:::b/k", "arn:aws:s3:::b/*"));
	CHECK(!match_resource_overlap("arn:aws:s3:::b/*", "arn:aws:s3:::c/*"));
	CHECK(match_resource_overlap("arn:aws:s3:::b/a*", "arn:aws:s3:::b/*z"));
	CHECK(!match_resource_overlap("arn:aws:s3:::b/a*x", "arn:aws:s3:::b/*y"));
	CHECK(match_resource_overlap("*", "arn:aws:s3:::b/k"));
	CHECK(match_resource_overlap("arn:aws:s3:::b?", "arn:aws:s3:::*c"));
	CHECK(!match_resource_overlap("arn:aws:s3:::b?", "arn:aws:s3:::b:"));
	/* A middle '*' cannot produce ':', a final one can. */
	CHECK(!match_resource_overlap("arn:aws:s3:::a*b", "arn:aws:s3:::a:b"));
	CHECK(match_resource_overlap("arn:aws:s3:::a*", "arn:aws:s3:::a:b"));
	CHECK(!match_resource_overlap("arn:aws:s3:::a*b", "arn:aws:s3:::a*:*b"));
	CHECK(match_resource_overlap("arn:aws:s3:::a*b", "arn:aws:s3:::a*?b"));
	/* Different accounts never overlap. */
	CHECK(!match_resource_overlap("arn:aws:iam::111122223333:role/*",
				      "arn:aws:iam::444455556666:role/*"));
	CHECK(match_resource_overlap("arn:aws:iam::*:role/*",
				     "arn:aws:iam::444455556666:role/x"));
	CHECK(!match_resource_overlap("", "x"));
	CHECK(match_resource_overlap("", ""));
	CHECK(match_resource_overlap("", "*"));
}

#define S3_BUCKET "arn:${Partition}:s3:::${BucketName}"
#define S3_OBJECT "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
#define S3_ACCESS_POINT \
	"arn:${Partition}:s3:${Region}:${Account}:accesspoint/" \
	"${AccessPointName}"

static void test_match__template_overlap_s3(void)
{
	CHECK(match_template_overlap("arn:aws:s3:::bucket/prefix/*", S3_OBJECT));
	CHECK(!match_template_overlap("arn:aws:s3:::bucket/prefix/*",
				      S3_BUCKET));
	CHECK(match_template_overlap("arn:aws:s3:::bucket", S3_BUCKET));
	CHECK(!match_template_overlap("arn:aws:s3:::bucket", S3_OBJECT));
	CHECK(match_template_overlap("arn:aws:s3:::bucket*", S3_BUCKET));
	CHECK(match_template_overlap("arn:aws:s3:::bucket*", S3_OBJECT));
	CHECK(match_template_overlap("arn:aws:s3:::*", S3_BUCKET));
	CHECK(match_template_overlap("arn:aws:s3:::*", S3_OBJECT));
	CHECK(match_template_overlap("*", S3_OBJECT));
	CHECK(match_template_overlap("arn:aws-cn:s3:::b", S3_BUCKET));
	/* Variables stand for at least one character. */
	CHECK(!match_template_overlap("arn:aws:s3:::bucket/", S3_OBJECT));
	CHECK(!match_template_overlap("arn:aws:s3:::", S3_BUCKET));
	CHECK(!match_template_overlap("arn::s3:::b", S3_BUCKET));
	/* A bucket name contains no '/', so '?' then needs a key after it. */
	CHECK(match_template_overlap("arn:aws:s3:::b?", S3_BUCKET));
	CHECK(!match_template_overlap("arn:aws:s3:::b?", S3_OBJECT));
	CHECK(match_template_overlap("arn:aws:s3:::b?*", S3_OBJECT));
	CHECK(!match_template_overlap("arn:aws:s3:::a/b", S3_BUCKET));
	/* An object key, the template's last variable, may hold ':'. */
	CHECK(match_template_overlap("arn:aws:s3:::b/a:b", S3_OBJECT));
	CHECK(match_template_overlap("arn:aws:s3:::b/a/b/c", S3_OBJECT));
	/* Access points have a region and an account; buckets do not. */
	CHECK(match_template_overlap("arn:aws:s3:us-east-1:111122223333:"
				     "accesspoint/ap", S3_ACCESS_POINT));
	CHECK(!match_template_overlap("arn:aws:s3:us-east-1:111122223333:"
				      "accesspoint/ap", S3_OBJECT));
	CHECK(!match_template_overlap("arn:aws:s3:::bucket/k",
				      S3_ACCESS_POINT));
	CHECK(!match_template_overlap("arn:aws:s3:us-east-1:111122223333:"
				      "accesspoint/ap/object/k",
				      S3_ACCESS_POINT));
}

#define DDB_TABLE \
	"arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"
#define DDB_INDEX DDB_TABLE "/index/${IndexName}"
#define DDB_STREAM DDB_TABLE "/stream/${StreamLabel}"
#define DDB_GLOBAL \
	"arn:${Partition}:dynamodb::${Account}:global-table/" \
	"${GlobalTableName}"
#define DDB_ARN "arn:aws:dynamodb:us-east-1:111122223333:"

static void test_match__template_overlap_dynamodb(void)
{
	CHECK(match_template_overlap(DDB_ARN "table/tickets", DDB_TABLE));
	CHECK(!match_template_overlap(DDB_ARN "table/tickets", DDB_INDEX));
	CHECK(!match_template_overlap(DDB_ARN "table/tickets", DDB_STREAM));
	CHECK(match_template_overlap(DDB_ARN "table/tickets/index/*",
				     DDB_INDEX));
	CHECK(!match_template_overlap(DDB_ARN "table/tickets/index/*",
				      DDB_TABLE));
	CHECK(!match_template_overlap(DDB_ARN "table/tickets/index/*",
				      DDB_STREAM));
	CHECK(match_template_overlap(DDB_ARN "table/tickets/index/by-date",
				     DDB_INDEX));
	/* A table name contains no '/', so an index needs both names. */
	CHECK(!match_template_overlap(DDB_ARN "table/tickets/index/",
				      DDB_INDEX));
	CHECK(!match_template_overlap(DDB_ARN "table/tickets/index/a/b",
				      DDB_INDEX));
	CHECK(match_template_overlap(DDB_ARN "table/tickets*", DDB_TABLE));
	CHECK(match_template_overlap(DDB_ARN "table/tickets*", DDB_INDEX));
	CHECK(match_template_overlap(DDB_ARN "table/*", DDB_TABLE));
	CHECK(match_template_overlap(DDB_ARN "table/*", DDB_INDEX));
	CHECK(match_template_overlap(DDB_ARN "table/tickets/stream/*",
				     DDB_STREAM));
	CHECK(!match_template_overlap(DDB_ARN "table/tickets/stream/*",
				      DDB_INDEX));
	CHECK(match_template_overlap("arn:aws:dynamodb::111122223333:"
				     "global-table/g", DDB_GLOBAL));
	CHECK(!match_template_overlap("arn:aws:dynamodb::111122223333:"
				      "global-table/g", DDB_TABLE));
	CHECK(!match_template_overlap("arn:aws:dynamodb::111122223333:"
				      "table/t", DDB_TABLE));
}

#define LOG_GROUP \
	"arn:${Partition}:logs:${Region}:${Account}:log-group:" \
	"${LogGroupName}"
#define LOG_STREAM LOG_GROUP ":log-stream:${LogStreamName}"
#define LOG_DESTINATION \
	"arn:${Partition}:logs:${Region}:${Account}:destination:" \
	"${DestinationName}"
#define LOG_ARN "arn:aws:logs:us-east-1:111122223333:"

static void test_match__template_overlap_logs(void)
{
	CHECK(match_template_overlap(LOG_ARN "log-group:/aws/lambda/fn",
				     LOG_GROUP));
	CHECK(!match_template_overlap(LOG_ARN "log-group:/aws/lambda/fn",
				      LOG_STREAM));
	CHECK(!match_template_overlap(LOG_ARN "log-group:/aws/lambda/fn",
				      LOG_DESTINATION));
	/* The usual "log-group:NAME:*" names the group and its streams. */
	CHECK(match_template_overlap(LOG_ARN "log-group:/aws/lambda/fn:*",
				     LOG_GROUP));
	CHECK(match_template_overlap(LOG_ARN "log-group:/aws/lambda/fn:*",
				     LOG_STREAM));
	CHECK(match_template_overlap(LOG_ARN "log-group:app:log-stream:s1",
				     LOG_STREAM));
	CHECK(match_template_overlap(LOG_ARN "log-group:a/b:log-stream:c/d",
				     LOG_STREAM));
	/* A group name inside a stream ARN contains no ':'. */
	CHECK(!match_template_overlap(LOG_ARN "log-group:a:b:log-stream:s",
				      LOG_STREAM));
	CHECK(!match_template_overlap(LOG_ARN "log-group:app:log-stream:",
				      LOG_STREAM));
	CHECK(match_template_overlap(LOG_ARN "destination:d",
				     LOG_DESTINATION));
	CHECK(!match_template_overlap(LOG_ARN "destination:d", LOG_GROUP));
	CHECK(match_template_overlap("arn:aws:logs:*:111122223333:"
				     "log-group:app-*", LOG_GROUP));
	CHECK(match_template_overlap("arn:aws:logs:*:111122223333:"
				     "log-group:app-*", LOG_STREAM));
}

#define IAM_ROLE "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
#define IAM_USER "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"
#define IAM_ASSUMED \
	"arn:${Partition}:iam::${Account}:assumed-role/${RoleName}/" \
	"${RoleSessionName}"
#define IAM_ARN "arn:aws:iam::111122223333:"

static void test_match__template_overlap_iam_paths(void)
{
	CHECK(match_template_overlap(IAM_ARN "role/x", IAM_ROLE));
	CHECK(match_template_overlap(IAM_ARN "role/service-role/x", IAM_ROLE));
	CHECK(match_template_overlap(IAM_ARN "role/a/b/c/x", IAM_ROLE));
	CHECK(match_template_overlap(IAM_ARN "role/*", IAM_ROLE));
	CHECK(match_template_overlap(IAM_ARN "role/team-*/agent", IAM_ROLE));
	CHECK(!match_template_overlap(IAM_ARN "role/x", IAM_USER));
	CHECK(!match_template_overlap(IAM_ARN "user/x", IAM_ROLE));
	CHECK(!match_template_overlap(IAM_ARN "role/", IAM_ROLE));
	CHECK(match_template_overlap("arn:aws:iam::*:role/x", IAM_ROLE));
	/* A session name is one segment, not a path. */
	CHECK(match_template_overlap(IAM_ARN "assumed-role/r/s", IAM_ASSUMED));
	CHECK(!match_template_overlap(IAM_ARN "assumed-role/r", IAM_ASSUMED));
	CHECK(!match_template_overlap(IAM_ARN "assumed-role/r/s/t",
				      IAM_ASSUMED));
	CHECK(!match_template_overlap(IAM_ARN "assumed-role/a/b/c/d",
				      IAM_ASSUMED));
}

/*
 * Some ARN templates of the AWS catalog hold a literal '*' for "any":
 * Braket devices in every region and account, Amplify backend APIs.
 */
static void test_match__template_star_is_wildcard(void)
{
	static const char braket[] =
		"arn:${Partition}:braket:*:*:device/${DeviceType}/"
		"${Provider}/${DeviceId}";
	static const char amplify[] =
		"arn:${Partition}:amplifybackend:${Region}:${Account}:"
		"/backend/${AppId}/api/*";

	CHECK(match_template_overlap("arn:aws:braket:us-east-1:111122223333:"
				     "device/qpu/ionq/Aria-1", braket));
	CHECK(match_template_overlap("arn:aws:braket:::device/qpu/ionq/x",
				     braket));
	CHECK(!match_template_overlap("arn:aws:braket:us-east-1:"
				      "111122223333:device/qpu/ionq",
				      braket));
	CHECK(match_template_overlap("arn:aws:amplifybackend:us-east-1:"
				     "111122223333:/backend/app1/api/myapi",
				     amplify));
	CHECK(match_template_overlap("arn:aws:amplifybackend:us-east-1:"
				     "111122223333:/backend/app1/api/",
				     amplify));
	CHECK(!match_template_overlap("arn:aws:amplifybackend:us-east-1:"
				      "111122223333:/backend/app1/auth/x",
				      amplify));
}

static void test_match__resource_covers(void)
{
	CHECK(match_resource_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/k/*"));
	CHECK(!match_resource_covers("arn:aws:s3:::b/k/*", "arn:aws:s3:::b/*"));
	CHECK(match_resource_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"));
	CHECK(!match_resource_covers("arn:aws:s3:::b/k", "arn:aws:s3:::b/*"));
	CHECK(match_resource_covers("arn:aws:s3:::b/k", "arn:aws:s3:::b/k"));
	CHECK(!match_resource_covers("arn:aws:s3:::b/k", "arn:aws:s3:::b/K"));
	/* A pattern without wildcards covers only itself. */
	CHECK(!match_resource_covers("arn:aws:s3:::b/k", "arn:aws:s3:::b/k*"));
	CHECK(!match_resource_covers("arn:aws:s3:::b/k", "arn:aws:s3:::b/"));
	CHECK(!match_resource_covers("arn:aws:s3:::b/k", "arn:aws:s3:::b/?"));
	CHECK(!match_resource_covers("arn:aws:s3:::bx/*", "arn:aws:s3:::b"));
	CHECK(!match_resource_covers("arn:aws:s3:::b/k", "arn:aws:s3:::b/k/*"));
	/* A pattern covers itself, but not a wider one with its prefix. */
	CHECK(match_resource_covers("arn:aws:s3:::b?/*", "arn:aws:s3:::b?/*"));
	CHECK(!match_resource_covers("arn:aws:s3:::b?/*", "arn:aws:s3:::b*/x"));
	/* A '$' that opens no variable is a plain character. */
	CHECK(match_resource_covers("arn:aws:s3:::b$x", "arn:aws:s3:::b$x"));
	CHECK(!match_resource_covers("arn:aws:s3:::b$x", "arn:aws:s3:::b$y"));
	CHECK(match_resource_covers("*", "arn:aws:s3:::b/*"));
	CHECK(match_resource_covers("*", "*"));
	CHECK(!match_resource_covers("arn:*", "*"));
	CHECK(match_resource_covers("arn:aws:s3:::b/*/x",
				    "arn:aws:s3:::b/a*/x"));
	CHECK(match_resource_covers("arn:aws:s3:::a*", "arn:aws:s3:::a*b"));
	CHECK(!match_resource_covers("arn:aws:s3:::a*b", "arn:aws:s3:::a*"));
	/* A middle '*' never yields ':', so a final one is wider. */
	CHECK(!match_resource_covers("arn:aws:s3:::a*b",
				     "arn:aws:s3:::a*:b"));
	CHECK(match_resource_covers("arn:aws:s3:::a*", "arn:aws:s3:::a?"));
	CHECK(!match_resource_covers("arn:aws:s3:::a?", "arn:aws:s3:::a*"));
	CHECK(!match_resource_covers("arn:aws:s3:::ab", "arn:aws:s3:::a?"));
	CHECK(match_resource_covers("arn:aws:s3:::a?", "arn:aws:s3:::ab"));
	CHECK(!match_resource_covers("arn:aws:s3:::a?", "arn:aws:s3:::a:"));
	CHECK(match_resource_covers("arn:aws:ec2:*:111122223333:instance/*",
				    "arn:aws:ec2:us-east-1:111122223333:"
				    "instance/i-1"));
	CHECK(!match_resource_covers("arn:aws:ec2:*:111122223333:instance/*",
				     "arn:aws:ec2:us-east-1:*:instance/i-1"));

	CHECK(match_action_covers("s3:*", "s3:Get*"));
	CHECK(!match_action_covers("s3:Get*", "s3:*"));
	CHECK(match_action_covers("*", "iam:*"));
	CHECK(match_action_covers("s3:?et*", "s3:Get*"));
	CHECK(!match_action_covers("s3:Get*", "s3:?et*"));
	CHECK(match_action_covers("s3:*Object", "s3:Get*Object"));
	CHECK(!match_action_covers("s3:*Object", "s3:Get*"));
	CHECK(match_action_covers("s3:GetObject", "S3:GETOBJECT"));
	CHECK(!match_action_covers("s3:GetObject", "s3:GetObjectAcl"));
}

/*
 * Brute force: every pattern over a small alphabet, up to PAT_MAX
 * characters, against every string up to STR_MAX characters. The
 * reference matchers below follow the header's wording, by backtracking.
 */
#define PAT_MAX 4
#define STR_MAX 5
#define STRINGS_MAX 1400	/* 1 + 4 + ... + 4^5 = 1365 */
#define WORDS ((STRINGS_MAX + 63) / 64)

struct universe {
	char (*strings)[STR_MAX + 1];
	size_t nstrings;
	char (*patterns)[PAT_MAX + 1];
	size_t npatterns;
	uint64_t (*bits)[WORDS];	/* per pattern: strings it matches */
};

/* Resources: '*' stays in its segment unless it ends one; '?' is not ':'. */
static bool ref_resource(const char *p, const char *s)
{
	const char *t;
	bool final;

	if (!*p)
		return !*s;
	if (*p == '*') {
		final = p[1] == ':' || p[1] == '\0';
		for (t = s;; t++) {
			if (ref_resource(p + 1, t))
				return true;
			if (!*t || (*t == ':' && !final))
				return false;
		}
	}
	if (!*s)
		return false;
	if (*p == '?')
		return *s != ':' && ref_resource(p + 1, s + 1);
	return *p == *s && ref_resource(p + 1, s + 1);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Actions: '*' is any run, '?' any one character; ASCII case folded. */
static bool ref_action(const char *p, const char *s)
{
	const char *t;

	if (!*p)
		return !*s;
	if (*p == '*') {
		for (t = s;; t++) {
			if (ref_action(p + 1, t))
				return true;
			if (!*t)
				return false;
		}
	}
	if (!*s)
		return false;
	if (*p == '?')
		return ref_action(p + 1, s + 1);
	return lower(*p) == lower(*s) && ref_action(p + 1, s + 1);
}

/* Fill out with every string over alphabet of length 0 to max. */
static size_t enumerate(const char *alphabet, size_t max, char *out,
			size_t width, size_t cap)
{
	size_t k = strlen(alphabet), n = 0, len, i;

	for (len = 0; len <= max; len++) {
		size_t count = 1, code;

		for (i = 0; i < len; i++)
			count *= k;
		for (code = 0; code < count; code++) {
			size_t c = code;

			if (n == cap)
				BUG("enumerate: more than %zu strings", cap);
			for (i = 0; i < len; i++, c /= k)
				out[n * width + i] = alphabet[c % k];
			out[n * width + len] = '\0';
			n++;
		}
	}
	return n;
}

static void universe_init(struct universe *u, const char *pattern_alphabet,
			  const char *string_alphabet,
			  bool (*ref)(const char *, const char *))
{
	size_t cap = 1, k = strlen(pattern_alphabet), i, j, power = 1;

	for (i = 0; i < PAT_MAX; i++) {
		power *= k;
		cap += power;
	}
	u->strings = xcalloc(STRINGS_MAX, sizeof(*u->strings));
	u->nstrings = enumerate(string_alphabet, STR_MAX, u->strings[0],
				sizeof(*u->strings), STRINGS_MAX);
	u->patterns = xcalloc(cap, sizeof(*u->patterns));
	u->npatterns = enumerate(pattern_alphabet, PAT_MAX, u->patterns[0],
				 sizeof(*u->patterns), cap);
	u->bits = xcalloc(u->npatterns, sizeof(*u->bits));
	for (i = 0; i < u->npatterns; i++)
		for (j = 0; j < u->nstrings; j++)
			if (ref(u->patterns[i], u->strings[j]))
				u->bits[i][j / 64] |= 1ULL << (j % 64);
}

static void universe_release(struct universe *u)
{
	free(u->strings);
	free(u->patterns);
	free(u->bits);
}

static bool has(const struct universe *u, size_t pattern, size_t string)
{
	return u->bits[pattern][string / 64] >> (string % 64) & 1;
}

static size_t count_plain(const char *p)
{
	size_t n = 0;

	for (; *p; p++)
		n += *p != '*';
	return n;
}

/* Return the first string that both a and b match, or NULL. */
static const char *common_string(const struct universe *u, const uint64_t *a,
				 const uint64_t *b)
{
	size_t w;

	for (w = 0; w < WORDS; w++)
		if (a[w] & b[w])
			return u->strings[w * 64 + (size_t)__builtin_ctzll(a[w] &
								       b[w])];
	return NULL;
}

/* Return a string that inner matches and outer does not, or NULL. */
static const char *escaping_string(const struct universe *u,
				   const uint64_t *outer, const uint64_t *inner)
{
	size_t w;

	for (w = 0; w < WORDS; w++)
		if (inner[w] & ~outer[w])
			return u->strings[w * 64 +
					  (size_t)__builtin_ctzll(inner[w] &
								  ~outer[w])];
	return NULL;
}

static bool has_wildcard(const char *p)
{
	return strpbrk(p, "*?") != NULL;
}

/* Stop reporting after this many failures of one kind. */
#define REPORT_MAX 10

static void test_match__brute_force_resource(void)
{
	struct universe u;
	size_t i, j, wrong_match = 0, wrong_overlap = 0, unsound = 0;
	size_t incomplete = 0;

	universe_init(&u, "ab/:*?", "ab/:", ref_resource);
	for (i = 0; i < u.npatterns; i++) {
		const char *p = u.patterns[i];

		for (j = 0; j < u.nstrings; j++) {
			bool got = match_resource(p, u.strings[j]);

			if (got == has(&u, i, j) || ++wrong_match > REPORT_MAX)
				continue;
			unit_fail(__FILE__, __LINE__, "match_resource('%s', "
				  "'%s') is %d", p, u.strings[j], got);
		}
	}
	for (i = 0; i < u.npatterns; i++) {
		for (j = 0; j < u.npatterns; j++) {
			const char *a = u.patterns[i], *b = u.patterns[j];
			bool overlap = match_resource_overlap(a, b);
			bool covers = match_resource_covers(a, b);
			const char *witness = common_string(&u, u.bits[i],
							     u.bits[j]);
			const char *escape = escaping_string(&u, u.bits[i],
							      u.bits[j]);

			/*
			 * A shortest common string needs a character from a
			 * non-star token of a or b for each of its own, so
			 * strings up to STR_MAX decide short pairs exactly.
			 */
			if ((overlap && !witness &&
			     count_plain(a) + count_plain(b) <= STR_MAX) ||
			    (!overlap && witness)) {
				if (++wrong_overlap <= REPORT_MAX)
					unit_fail(__FILE__, __LINE__,
						  "match_resource_overlap('%s', "
						  "'%s') is %d, common string "
						  "'%s'", a, b, overlap,
						  witness ? witness : "(none)");
			}
			if (covers && escape && ++unsound <= REPORT_MAX)
				unit_fail(__FILE__, __LINE__,
					  "match_resource_covers('%s', '%s') "
					  "but '%s' escapes", a, b, escape);
			/* Coverage of a concrete string is exact. */
			if (!has_wildcard(b) && covers != !escape &&
			    ++incomplete <= REPORT_MAX)
				unit_fail(__FILE__, __LINE__,
					  "match_resource_covers('%s', '%s') "
					  "is %d", a, b, covers);
		}
		/* Every pattern covers itself, and "*" covers it. */
		if (!match_resource_covers(u.patterns[i], u.patterns[i]))
			unit_fail(__FILE__, __LINE__, "'%s' does not cover "
				  "itself", u.patterns[i]);
		if (!match_resource_covers("*", u.patterns[i]))
			unit_fail(__FILE__, __LINE__, "'*' does not cover "
				  "'%s'", u.patterns[i]);
	}
	CHECK_INT(wrong_match, 0);
	CHECK_INT(wrong_overlap, 0);
	CHECK_INT(unsound, 0);
	CHECK_INT(incomplete, 0);
	/* The universe is what the loops assume it is. */
	CHECK_INT(u.nstrings, 1365);
	CHECK_INT(u.npatterns, 1555);
	universe_release(&u);
}

static void test_match__brute_force_action(void)
{
	struct universe u;
	size_t i, j, wrong_match = 0, unsound = 0, incomplete = 0;

	universe_init(&u, "aAb:*?", "aBb:", ref_action);
	for (i = 0; i < u.npatterns; i++) {
		const char *p = u.patterns[i];

		for (j = 0; j < u.nstrings; j++) {
			bool got = match_action(p, u.strings[j]);

			if (got == has(&u, i, j) || ++wrong_match > REPORT_MAX)
				continue;
			unit_fail(__FILE__, __LINE__, "match_action('%s', "
				  "'%s') is %d", p, u.strings[j], got);
		}
	}
	for (i = 0; i < u.npatterns; i++) {
		for (j = 0; j < u.npatterns; j++) {
			const char *a = u.patterns[i], *b = u.patterns[j];
			bool covers = match_action_covers(a, b);
			const char *escape = escaping_string(&u, u.bits[i],
							      u.bits[j]);

			if (covers && escape && ++unsound <= REPORT_MAX)
				unit_fail(__FILE__, __LINE__,
					  "match_action_covers('%s', '%s') "
					  "but '%s' escapes", a, b, escape);
			if (!has_wildcard(b) && covers != !escape &&
			    ++incomplete <= REPORT_MAX)
				unit_fail(__FILE__, __LINE__,
					  "match_action_covers('%s', '%s') "
					  "is %d", a, b, covers);
		}
	}
	CHECK_INT(wrong_match, 0);
	CHECK_INT(unsound, 0);
	CHECK_INT(incomplete, 0);
	universe_release(&u);
}

/*
 * Templates over 'a', '/', ':' and two variables: ${V}, one segment
 * without '/' or ':', and ${ObjectName}, a path that may contain ':'
 * when it ends the template.
 */
static bool ref_template(const char *t, const char *s)
{
	const char *end;
	bool path, last;

	if (!*t)
		return !*s;
	if (t[0] == '$') {
		path = t[2] == 'O';
		end = strchr(t, '}') + 1;
		last = *end == '\0';
		for (; *s; s++) {
			if (*s == ':' && !(path && last))
				return false;
			if (*s == '/' && !path)
				return false;
			if (ref_template(end, s + 1))
				return true;
		}
		return false;
	}
	return *s && *t == *s && ref_template(t + 1, s + 1);
}

/* Return the characters a shortest string of template t needs. */
static size_t template_min_length(const char *t)
{
	size_t n = 0;

	for (; *t; n++)
		t = *t == '$' ? strchr(t, '}') + 1 : t + 1;
	return n;
}

static void test_match__brute_force_template(void)
{
	static const char *const pieces[] = {
		"a", "/", ":", "${V}", "${ObjectName}",
	};
	struct universe u;
	char templates[781][64];
	uint64_t tbits[WORDS];
	size_t ntemplates = 0, len, i, j, k, wrong = 0, differ = 0;

	universe_init(&u, "ab/:*?", "ab/:", ref_resource);
	/* Every sequence of up to four pieces. */
	for (len = 0; len <= 4; len++) {
		size_t count = 1, code;

		for (i = 0; i < len; i++)
			count *= ARRAY_SIZE(pieces);
		for (code = 0; code < count; code++) {
			size_t c = code;

			char *end = templates[ntemplates++];

			for (i = 0; i < len; i++, c /= ARRAY_SIZE(pieces)) {
				const char *piece =
					pieces[c % ARRAY_SIZE(pieces)];

				memcpy(end, piece, strlen(piece));
				end += strlen(piece);
			}
			*end = '\0';
		}
	}
	CHECK_INT(ntemplates, ARRAY_SIZE(templates));
	for (k = 0; k < ntemplates; k++) {
		const char *t = templates[k];
		struct match_template *tokens = match_template_new(t);

		CHECK(tokens != NULL);
		memset(tbits, 0, sizeof(tbits));
		for (j = 0; j < u.nstrings; j++)
			if (ref_template(t, u.strings[j]))
				tbits[j / 64] |= 1ULL << (j % 64);
		for (i = 0; i < u.npatterns; i++) {
			const char *p = u.patterns[i];
			bool got = match_template_overlap(p, t);
			bool want = common_string(&u, u.bits[i], tbits);

			/* The tokenized template gives the same result. */
			if (tokens && match_template_overlap_with(p, tokens) !=
					      got && ++differ <= REPORT_MAX)
				unit_fail(__FILE__, __LINE__,
					  "match_template_overlap_with('%s', "
					  "'%s') is not %d", p, t, got);
			/* Too long a shortest common string to enumerate. */
			if (got && !want &&
			    count_plain(p) + template_min_length(t) > STR_MAX)
				continue;
			if (got != want && ++wrong <= REPORT_MAX)
				unit_fail(__FILE__, __LINE__,
					  "match_template_overlap('%s', '%s') "
					  "is %d", p, t, got);
		}
		match_template_free(tokens);
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(differ, 0);
	universe_release(&u);
}

/* Backtracking would take exponential time on this pattern. */
static void test_match__pathological_pattern_fast(void)
{
	static const char pattern[] = "a*a*a*a*a*a*a*a*a*a*b";
	char *text = xmalloc(2001), *arn = xmalloc(2048 + 1);
	clock_t start;
	double seconds;

	memset(text, 'a', 2000);
	text[2000] = '\0';
	memcpy(arn, "arn:aws:s3:::", 13);
	memset(arn + 13, 'a', 2035);
	arn[2048] = '\0';

	start = clock();
	CHECK(!match_action(pattern, text));
	CHECK(!match_resource(pattern, text));
	CHECK(!match_resource("arn:aws:s3:::a*a*a*a*a*a*a*a*a*a*b", arn));
	CHECK(match_resource("arn:aws:s3:::a*a*a*a*a*a*a*a*a*a*", arn));
	CHECK(match_resource_overlap(pattern, "*b"));
	CHECK(!match_resource_overlap(pattern, text));
	CHECK(!match_resource_covers(pattern, text));
	CHECK(match_action_covers("a*", pattern));
	text[1999] = 'b';
	CHECK(match_action(pattern, text));
	CHECK(match_resource(pattern, text));
	seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	/* Each call is under a million steps, and sanitizers slow them. */
	if (seconds > 1.0)
		unit_fail(__FILE__, __LINE__, "took %.2f s", seconds);
	free(text);
	free(arn);
}

/* Return a new string of n copies of the UTF-8 character c. */
static char *repeat(const char *c, size_t n)
{
	size_t len = strlen(c), i;
	char *s = xmalloc(n * len + 1);

	for (i = 0; i < n; i++)
		memcpy(s + i * len, c, len);
	s[n * len] = '\0';
	return s;
}

/* Past MATCH_MAX characters nothing matches and nothing is proved. */
static void test_match__inputs_over_max(void)
{
	char *at_max = repeat("a", MATCH_MAX);
	char *over = repeat("a", MATCH_MAX + 1);
	char *wide_at_max = repeat("\xc3\xa9", MATCH_MAX);
	char *wide_over = repeat("\xc3\xa9", MATCH_MAX + 1);
	char *stars = repeat("*", MATCH_MAX + 1);

	CHECK(match_resource("*", at_max));
	CHECK(match_resource(at_max, at_max));
	CHECK(match_action("*", at_max));
	CHECK(!match_resource("*", over));
	CHECK(!match_resource(over, over));
	CHECK(!match_action("*", over));
	CHECK(!match_action(over, over));
	/* The limit counts characters, not bytes. */
	CHECK(match_resource("*", wide_at_max));
	CHECK(!match_resource("*", wide_over));
	CHECK(!match_resource(stars, "arn:aws:s3:::b"));

	CHECK(match_resource_covers("*", at_max));
	CHECK(match_resource_covers(at_max, at_max));
	CHECK(match_resource_covers(wide_at_max, wide_at_max));
	CHECK(!match_resource_covers(wide_over, wide_over));
	CHECK(!match_resource_covers(stars, stars));
	CHECK(!match_resource_covers("*", over));
	CHECK(!match_resource_covers(over, over));
	CHECK(!match_action_covers("*", over));
	/* Overlap cannot be ruled out, so it is assumed. */
	CHECK(match_resource_overlap(over, "b"));
	CHECK(match_resource_overlap("b", over));
	CHECK(match_template_overlap(over, S3_BUCKET));
	CHECK(!match_resource_overlap(at_max, "b"));
	CHECK(!match_template_overlap(at_max, S3_BUCKET));
	CHECK(match_template_new(over) == NULL);

	free(at_max);
	free(over);
	free(wide_at_max);
	free(wide_over);
	free(stars);
}

#define ECS_TASK_DEFINITION \
	"arn:${Partition}:ecs:${Region}:${Account}:task-definition/" \
	"${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}"

static void test_match__overlap_in_template(void)
{
	const char *mine = "arn:aws:ecs:*:*:task-definition/a:*";
	const char *theirs = "arn:aws:ecs:*:*:task-definition/b:*";

	/* Alone, the region's '*' may run past ':' and meet the other. */
	CHECK(match_resource_overlap(mine, theirs));
	CHECK(!match_resource_overlap_in(mine, theirs, ECS_TASK_DEFINITION));
	CHECK(match_resource_overlap_in(mine, "arn:aws:ecs:*:*:task-definition/*",
					ECS_TASK_DEFINITION));
	CHECK(match_resource_overlap_in(mine, "*", ECS_TASK_DEFINITION));
	CHECK(!match_resource_overlap_in(mine, "*", S3_OBJECT));
	CHECK(match_resource_overlap_in("arn:aws:s3:::b/*", "arn:aws:s3:::*/x",
					S3_OBJECT));
	CHECK(!match_resource_overlap_in("arn:aws:s3:::b/*", "arn:aws:s3:::*/x",
					 S3_BUCKET));
	CHECK(!match_resource_overlap_in("arn:aws:s3:::b/*", "arn:aws:s3:::c/*",
					 S3_OBJECT));
	/* A variable may take any value, as a star. */
	CHECK(match_resource_overlap_in("arn:aws:s3:::b/${aws:username}/*",
					"arn:aws:s3:::b/alice/x", S3_OBJECT));
}

/*
 * Three-way overlap against a concrete witness and against the two-way
 * tests: a resource matched by both patterns and the template proves
 * overlap, and overlap needs every two of the three to overlap.
 */
static void test_match__brute_force_overlap_in(void)
{
	static const char *const templates[] = {
		S3_BUCKET, S3_OBJECT, S3_ACCESS_POINT, ECS_TASK_DEFINITION,
	};
	static const char *const arns[] = {
		"arn:aws:s3:::b", "arn:aws:s3:::b/k/1", "arn:aws:s3:::b/a:b",
		"arn:aws:s3:us-east-1:111122223333:accesspoint/ap",
		"arn:aws:ecs:us-east-1:111122223333:task-definition/a:3",
		"arn:aws:ecs:r:a:task-definition/a:1:task-definition/b:2",
	};
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	int round;

	for (round = 0; round < 20000; round++) {
		const char *arn = arns[round % ARRAY_SIZE(arns)];
		const char *tpl = templates[(round / 7) % ARRAY_SIZE(templates)];
		char a[128], b[128];
		bool got;
		int side;

		/* Each pattern is the ARN with random runs turned into wildcards. */
		for (side = 0; side < 2; side++) {
			char *p = side ? b : a;
			size_t n = strlen(arn), i, o = 0;

			for (i = 0; i < n; i++) {
				seed ^= seed << 13;
				seed ^= seed >> 7;
				seed ^= seed << 17;
				if (seed % 9 == 0) {
					p[o++] = '*';
					i += seed / 9 % 5;
				} else if (seed % 9 == 1) {
					p[o++] = '?';
				} else {
					p[o++] = arn[i];
				}
			}
			p[o] = '\0';
		}
		got = match_resource_overlap_in(a, b, tpl);
		if (match_resource(a, arn) && match_resource(b, arn) &&
		    match_template_overlap(arn, tpl) && !got)
			unit_fail(__FILE__, __LINE__, "'%s' and '%s' both match "
				  "'%s' of '%s' but do not overlap in it", a, b,
				  arn, tpl);
		if (got && !(match_resource_overlap(a, b) &&
			     match_template_overlap(a, tpl) &&
			     match_template_overlap(b, tpl)))
			unit_fail(__FILE__, __LINE__, "'%s' and '%s' overlap "
				  "in '%s' but not two by two", a, b, tpl);
	}
}

/* Stops match_pattern_each_anchor at the hash of outer's anchor. */
static bool anchor_equals(void *arg, uint64_t hash)
{
	return *(const uint64_t *)arg == hash;
}

/*
 * Check that tokenized patterns give match_resource_covers's result, and
 * that inner contains the anchor of every outer that covers it, which the
 * cover index of diff relies on to skip the others.
 */
static void check_pattern_covers(const char *outer, const char *inner)
{
	struct match_pattern *po = match_pattern_new(outer);
	struct match_pattern *pi = match_pattern_new(inner);
	struct match_anchor a;
	bool want = match_resource_covers(outer, inner);

	if (!po || !pi) {
		unit_fail(__FILE__, __LINE__, "'%s' or '%s' not tokenized",
			  outer, inner);
		goto out;
	}
	if (match_pattern_covers(po, pi) != want)
		unit_fail(__FILE__, __LINE__, "match_pattern_covers('%s', "
			  "'%s') differs from match_resource_covers", outer,
			  inner);
	match_pattern_anchor(&a, po, 42);
	if (want && !match_pattern_each_anchor(pi, a.prefix, a.len, 42,
					       anchor_equals, &a.hash))
		unit_fail(__FILE__, __LINE__, "'%s' covers '%s' but its "
			  "anchor is not among those of '%s'", outer, inner,
			  inner);
out:
	match_pattern_free(po);
	match_pattern_free(pi);
}

static void test_match__pattern_covers_and_anchors(void)
{
	static const char *const patterns[] = {
		"arn:aws:s3:::*x1/*", "arn:aws:s3:::*x12/*",
		"arn:aws:s3:::*y1/*", "arn:aws:s3:::*1/*",
		"arn:aws:s3:::*x1/a*", "arn:aws:s3:::*", "*",
		"arn:aws:s3:::b?x/a1", "arn:aws:s3:::*x/*1",
		"arn:aws:s3:::bkt1/*", "arn:aws:s3:::bkt1/data/x",
		"arn:aws:s3:::bkt1/*/*", "arn:aws:s3:::*1*/*",
		"arn:aws:s3:::${aws:username}/*",
		"arn:aws:s3:::${AWS:UserName}/x/*",
		"arn:aws:s3:::b/${aws:username}/*",
		"arn:aws:s3:::a$b*", "arn:aws:s3:::a${$}bc",
		"arn:aws:s3:::a${*}b", "arn:aws:s3:::a*b",
		"arn:aws:s3:::\xc3\xa9t\xc3\xa9/*",
		"arn:aws:s3:::*t\xc3\xa9/*",
		"arn:aws:iam::*:role/*", "arn:aws:iam::1:role/x*",
		"arn:*:iam::*:role/x", "arn:aws:iam::1:role/x",
	};
	uint64_t seed = 88172645463325252ULL;
	size_t i, j, round;

	for (i = 0; i < ARRAY_SIZE(patterns); i++)
		for (j = 0; j < ARRAY_SIZE(patterns); j++)
			check_pattern_covers(patterns[i], patterns[j]);
	/* Random patterns over a few characters, wildcards and separators. */
	for (round = 0; round < 20000; round++) {
		static const char *const pieces[] = {
			"a", "b", "/", ":", "*", "?", "ab", "${aws:userid}",
		};
		char p[2][6 * 13 + 1];	/* six pieces, the longest 13 */
		int side, k;

		for (side = 0; side < 2; side++) {
			size_t o = 0;

			p[side][0] = '\0';
			for (k = 0; k < 6; k++) {
				const char *piece;

				seed ^= seed << 13;
				seed ^= seed >> 7;
				seed ^= seed << 17;
				piece = pieces[seed % ARRAY_SIZE(pieces)];
				memcpy(p[side] + o, piece, strlen(piece) + 1);
				o += strlen(piece);
			}
		}
		check_pattern_covers(p[0], p[1]);
	}
}

UNIT_MAIN(
	UNIT_TEST(test_match__action_wildcard_case_rows),
	UNIT_TEST(test_match__action_star_zero_length),
	UNIT_TEST(test_match__action_anchored_both_ends),
	UNIT_TEST(test_match__question_mark_one_character),
	UNIT_TEST(test_match__invalid_utf8_stays_distinct),
	UNIT_TEST(test_match__action_case_resource_case_rows),
	UNIT_TEST(test_match__action_case_folding),
	UNIT_TEST(test_match__resource_case_sensitive),
	UNIT_TEST(test_match__resource_spans_case_rows),
	UNIT_TEST(test_match__star_spans_slash_in_segment),
	UNIT_TEST(test_match__segment_final_star_spans_colon),
	UNIT_TEST(test_match__regex_characters_literal),
	  UNIT_TEST(test_match__policy_variables),
	UNIT_TEST(test_match__resource_overlap),
	UNIT_TEST(test_match__template_overlap_s3),
	UNIT_TEST(test_match__template_overlap_dynamodb),
	UNIT_TEST(test_match__template_overlap_logs),
	UNIT_TEST(test_match__template_overlap_iam_paths),
	UNIT_TEST(test_match__template_star_is_wildcard),
	UNIT_TEST(test_match__resource_covers),
	UNIT_TEST(test_match__pattern_covers_and_anchors),
	UNIT_TEST(test_match__brute_force_resource),
	UNIT_TEST(test_match__brute_force_action),
	UNIT_TEST(test_match__brute_force_template),
	UNIT_TEST(test_match__pathological_pattern_fast),
	UNIT_TEST(test_match__inputs_over_max),
	UNIT_TEST(test_match__overlap_in_template),
	UNIT_TEST(test_match__brute_force_overlap_in),
)
