#include "common.h"
#include "unit.h"

#include "aws.h"
#include "buf.h"
#include "catalog.h"
#include "last_access.h"

/*
 * The reader of service-last-accessed data against the real outputs in
 * tests/fixtures/aws and one malformed file per fault in
 * tests/fixtures/bad, and the judgement that rule MND230 and adopt
 * share. Paths are relative to the repository root.
 */

#define AWS_DIR "tests/fixtures/aws/"
#define BAD_DIR "tests/fixtures/bad/"
#define LEVEL1 "arn:aws:iam::123456789012:role/service-role/level1"

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

/* Return the first line of s that contains what, or "" (malloc'd). */
static char *line_with(const char *s, const char *what)
{
	const char *hit = strstr(s, what), *start, *end;

	if (!hit)
		return xstrdup("");
	for (start = hit; start > s && start[-1] != '\n'; start--)
		;
	end = strchr(hit, '\n');
	return xstrndup(start, end ? (size_t)(end - start) : strlen(start));
}

static bool load(struct aws_state *st, const char *path, struct capture *cap)
{
	if (aws_state_load(st, path, &cap->d)) {
		unit_fail(__FILE__, __LINE__, "loading %s failed:\n%s", path,
			  capture_text(cap));
		return false;
	}
	return true;
}

static void test_aws_access__cloudmapper_job_by_entity(void)
{
	const struct aws_service_access *e;
	struct aws_state st;
	struct capture cap;

	aws_state_init(&st);
	capture_open(&cap);
	if (!load(&st, AWS_DIR "cloudmapper-demo-service-last-accessed-job-74"
		  ".json", &cap))
		goto out;
	CHECK_INT(aws_detect_format(st.access[0]->src->text,
				    st.access[0]->src->len),
		  AWS_FORMAT_SERVICE_ACCESS);
	CHECK_INT(st.naccess, 1);
	CHECK_STR(st.access[0]->arn, LEVEL1);
	CHECK_INT(st.access[0]->completed, 18019);	/* 2019-05-03 */
	CHECK(aws_has_service_access(&st, LEVEL1));
	CHECK(!aws_has_service_access(&st, "arn:aws:iam::123456789012:role/"
				      "level3"));
	e = aws_find_service_access(&st, LEVEL1, "LOGS");
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->service, "logs");
		CHECK_INT(e->last_day, 18001);	/* 2019-04-15 */
		CHECK(!e->action_level);
		CHECK_INT(e->nactions, 0);
	}
	CHECK(aws_find_service_access(&st, LEVEL1, "s3") == NULL);
	CHECK_INT(cap.d.errors, 0);
	CHECK_INT(cap.d.warnings, 0);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

/* The file name ties the data to an identity before the entities do. */
static void test_aws_access__identity_by_file_name(void)
{
	struct aws_state st;
	struct capture cap;

	aws_state_init(&st);
	capture_open(&cap);
	if (load(&st, AWS_DIR "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2F"
		 "level3.json", &cap))
		CHECK_STR(st.access[0]->arn,
			  "arn:aws:iam::123456789012:role/level3");
	capture_close(&cap);
	aws_state_release(&st);
}

/* A '+' in the file name is part of the ARN, as IAM names allow it. */
static void test_aws_access__plus_in_file_name(void)
{
	static const char text[] =
		"{\"JobStatus\": \"COMPLETED\", \"JobCompletionDate\": "
		"\"2019-05-03T21:56:43Z\", \"ServicesLastAccessed\": []}";
	struct aws_state st;
	struct capture cap;

	aws_state_init(&st);
	capture_open(&cap);
	CHECK_INT(aws_state_load_source(&st, source_from_memory(
		"arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fa+b.json", text,
		sizeof(text) - 1), &cap.d), 0);
	if (st.naccess)
		CHECK_STR(st.access[0]->arn,
			  "arn:aws:iam::123456789012:role/a+b");
	capture_close(&cap);
	aws_state_release(&st);
}

/* A file named for one role whose entities name another is rejected. */
static void test_aws_access__file_name_disagrees(void)
{
	static const char text[] =
		"{\"JobStatus\": \"COMPLETED\", \"JobCompletionDate\": "
		"\"2019-05-03T21:56:43Z\", \"ServicesLastAccessed\": "
		"[{\"ServiceNamespace\": \"logs\", \"LastAuthenticatedEntity\":"
		" \"arn:aws:iam::123456789012:role/level3\"}]}";
	struct aws_state st;
	struct capture cap;
	char *error;

	aws_state_init(&st);
	capture_open(&cap);
	CHECK_INT(aws_state_load_source(&st, source_from_memory(
		"data/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fexfiller",
		text, sizeof(text) - 1), &cap.d), -1);
	CHECK_INT(st.naccess, 0);
	error = line_with(capture_text(&cap), "error:");
	CHECK_STR(error, "data/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2F"
		  "exfiller:1:154: error: ServicesLastAccessed[0]."
		  "LastAuthenticatedEntity: 'arn:aws:iam::123456789012:role/"
		  "level3' is not 'arn:aws:iam::123456789012:role/exfiller', "
		  "the identity this file is for by its file name; the job was "
		  "generated for another identity");
	free(error);
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_access__action_level(void)
{
	const struct aws_service_access *e;
	struct aws_state st;
	struct capture cap;

	aws_state_init(&st);
	capture_open(&cap);
	if (!load(&st, AWS_DIR "level1-access-action-level.json", &cap))
		goto out;
	CHECK_STR(st.access[0]->arn, LEVEL1);
	CHECK_INT(st.access[0]->nentries, 3);
	e = aws_find_service_access(&st, LEVEL1, "s3");
	CHECK(e != NULL);
	if (!e)
		goto out;
	CHECK(e->action_level);
	CHECK_INT(e->last_day, 18006);		/* 2019-04-20 */
	CHECK_INT(e->nactions, 2);
	CHECK_STR(e->actions[0].action, "s3:GetObject");
	CHECK_INT(e->actions[0].last_day, 18006);
	CHECK_STR(e->actions[1].action, "s3:ListBucket");
	CHECK_INT(e->actions[1].last_day, -1);
	e = aws_find_service_access(&st, LEVEL1, "ecr");
	CHECK(e != NULL);
	if (e) {
		CHECK(e->action_level);
		CHECK_INT(e->last_day, 17866);	/* 2018-12-01 */
	}
out:
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_access__with_entities(void)
{
	const struct aws_service_access *admin, *dev;
	struct aws_state st;
	struct capture cap;

	aws_state_init(&st);
	capture_open(&cap);
	if (!load(&st, AWS_DIR "awscli-doc-service-last-accessed-with-"
		  "entities-iam.json", &cap))
		goto out;
	CHECK(st.access[0]->arn == NULL);
	CHECK_INT(st.access[0]->nentries, 2);
	CHECK_INT(st.access[0]->completed, 18170);	/* 2019-10-01 */
	admin = aws_find_service_access(&st, "arn:aws:iam::123456789012:"
					"user/admin", "iam");
	dev = aws_find_service_access(&st, "arn:aws:iam::123456789012:"
				      "user/developer", "iam");
	CHECK(admin != NULL);
	CHECK(dev != NULL);
	if (admin)
		CHECK_INT(admin->last_day, 18169);	/* 2019-09-30 */
	if (dev)
		CHECK_INT(dev->last_day, 18155);	/* 2019-09-16 */
	CHECK(aws_find_service_access(&st, "arn:aws:iam::123456789012:"
				      "user/admin", "s3") == NULL);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

/*
 * A second file of one identity's own job is rejected, whichever job
 * completed later, and the first file's data stays loaded.
 */
static void test_aws_access__second_file_of_identity(void)
{
	static const char older[] =
		"{\"JobStatus\": \"COMPLETED\", \"JobCompletionDate\": "
		"\"2019-01-01T00:00:00Z\", \"Arn\": \"" LEVEL1 "\", "
		"\"ServicesLastAccessed\": [{\"ServiceNamespace\": \"ec2\"}]}";
	const struct aws_service_access *e;
	struct aws_state st;
	struct capture cap;
	char *error, *note;

	aws_state_init(&st);
	capture_open(&cap);
	if (!load(&st, AWS_DIR "cloudmapper-demo-service-last-accessed-job-"
		  "74.json", &cap))
		goto out;
	CHECK_INT(aws_state_load_source(&st, source_from_memory(
		"older.json", older, sizeof(older) - 1), &cap.d), -1);
	CHECK_INT(st.naccess, 1);
	error = line_with(capture_text(&cap), "error:");
	note = line_with(capture_text(&cap), "note:");
	CHECK_STR(error, "older.json:1:80: error: '" LEVEL1 "' already has "
		  "service-last-accessed data from '" AWS_DIR "cloudmapper-"
		  "demo-service-last-accessed-job-74.json'; give one job's "
		  "output per identity, since two jobs can disagree on when a "
		  "service was last used");
	CHECK_STR(note, AWS_DIR "cloudmapper-demo-service-last-accessed-"
		  "job-74.json:8:40: note: '" LEVEL1 "' is first named here");
	free(error);
	free(note);
	e = aws_find_service_access(&st, LEVEL1, "logs");
	CHECK(e != NULL);
	if (e)
		CHECK_INT(e->completed, 18019);
	CHECK(aws_find_service_access(&st, LEVEL1, "ec2") == NULL);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

/*
 * A with-entities file and an identity's own file may both name the
 * identity, but not both report one service of it.
 */
static void test_aws_access__service_in_two_files(void)
{
	static const char s3[] =
		"{\"JobStatus\": \"COMPLETED\", \"JobCompletionDate\": "
		"\"2019-10-01T00:00:00Z\", \"Arn\": \"arn:aws:iam::"
		"123456789012:user/admin\", \"ServicesLastAccessed\": "
		"[{\"ServiceNamespace\": \"s3\"}]}";
	static const char iam[] =
		"{\"JobStatus\": \"COMPLETED\", \"JobCompletionDate\": "
		"\"2019-10-01T00:00:00Z\", \"Arn\": \"arn:aws:iam::"
		"123456789012:user/developer\", \"ServicesLastAccessed\": "
		"[{\"ServiceNamespace\": \"s3\"},\n{\"ServiceNamespace\": "
		"\"IAM\"}]}";
	struct aws_state st;
	struct capture cap;
	char *error;

	aws_state_init(&st);
	capture_open(&cap);
	if (!load(&st, AWS_DIR "awscli-doc-service-last-accessed-with-"
		  "entities-iam.json", &cap))
		goto out;
	CHECK_INT(aws_state_load_source(&st, source_from_memory(
		"admin.json", s3, sizeof(s3) - 1), &cap.d), 0);
	CHECK_INT(aws_state_load_source(&st, source_from_memory(
		"developer.json", iam, sizeof(iam) - 1), &cap.d), -1);
	CHECK_INT(st.naccess, 2);
	error = line_with(capture_text(&cap), "error:");
	CHECK_STR(error, "developer.json:2:1: error: 'arn:aws:iam::"
		  "123456789012:user/developer' already has "
		  "service-last-accessed data for service 'IAM' from '"
		  AWS_DIR "awscli-doc-service-last-accessed-with-entities-"
		  "iam.json'; give each identity's use of a service once, "
		  "since two jobs can disagree on it");
	free(error);
	CHECK(aws_find_service_access(&st, "arn:aws:iam::123456789012:"
				      "user/developer", "s3") == NULL);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

/* The rule and adopt judge by service, then by tracked action. */
static void test_aws_access__judgement(void)
{
	static const struct {
		const char *action;
		enum last_access want;
		int32_t last;
		bool by_action;
	} cases[] = {
		{ "ecr:BatchGetImage", LAST_ACCESS_UNUSED, 17866, false },
		{ "s3:GetObject", LAST_ACCESS_USED, 18006, true },
		{ "s3:ListBucket", LAST_ACCESS_UNUSED, -1, true },
		{ "s3:PutObject", LAST_ACCESS_USED, 18006, false },
		{ "logs:PutLogEvents", LAST_ACCESS_USED, 18001, false },
		{ "dynamodb:GetItem", LAST_ACCESS_UNKNOWN, 0, false },
	};
	struct catalog *cat = NULL;
	struct aws_state st;
	struct capture cap;
	size_t i;

	aws_state_init(&st);
	capture_open(&cap);
	if (catalog_load(&cat, "stdlib/aws/catalog.txt", &catalog_builtin,
			 &cap.d) ||
	    !load(&st, AWS_DIR "level1-access-action-level.json", &cap)) {
		unit_fail(__FILE__, __LINE__, "%s", capture_text(&cap));
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct cat_action *a = catalog_find_action(cat,
							cases[i].action);
		const struct aws_service_access *entry = NULL;
		int32_t last = 0;
		bool by_action = false;
		enum last_access got;

		if (!a) {
			unit_fail(__FILE__, __LINE__, "%s not in the catalog",
				  cases[i].action);
			continue;
		}
		got = last_access_judge(&st, LEVEL1, cat, a, &entry, &last,
					&by_action);
		if (got != cases[i].want)
			unit_fail(__FILE__, __LINE__, "%s judged %d, expected "
				  "%d", cases[i].action, (int)got,
				  (int)cases[i].want);
		if (got == LAST_ACCESS_UNKNOWN)
			continue;
		CHECK_INT(last, cases[i].last);
		CHECK_INT(by_action, cases[i].by_action);
	}
out:
	catalog_free(cat);
	capture_close(&cap);
	aws_state_release(&st);
}

/* One malformed file per fault, with the first error it must get. */
static const struct bad_fixture {
	const char *name;
	const char *error;	/* after "tests/fixtures/bad/NAME:" */
} bad_fixtures[] = {
	{ "access-arn-of-group.json",
	  "5:12: error: Arn: expected the ARN of a user or role "
	  "(arn:PARTITION:iam::ACCOUNT:role/...), got "
	  "'arn:aws:iam::111122223333:group/analysts'" },
	{ "access-bad-job-type.json",
	  "3:16: error: JobType: expected SERVICE_LEVEL or ACTION_LEVEL, got "
	  "'RESOURCE_LEVEL'" },
	{ "access-bad-timestamp.json",
	  "8:34: error: ServicesLastAccessed[0].LastAuthenticated: expected "
	  "an ISO 8601 timestamp such as 2024-01-15T10:00:00Z, got "
	  "'2026-11-31T08:00:00Z'" },
	{ "access-completed-before-created.json",
	  "4:26: error: JobCompletionDate: '2026-11-30T09:59:59Z' is earlier "
	  "than JobCreationDate '2026-11-30T10:00:00Z', but a job completes "
	  "after it is created; export the job's details again" },
	{ "access-completion-date-missing.json",
	  "1:1: error: missing required key 'JobCompletionDate'" },
	{ "access-duplicate-entity.json",
	  "15:9: error: EntityDetailsList[1]: duplicate identity "
	  "'arn:aws:iam::111122223333:role/reporter'; EntityDetailsList[0] "
	  "has it too" },
	{ "access-duplicate-service.json",
	  "11:9: error: ServicesLastAccessed[1]: duplicate service 'S3'; "
	  "ServicesLastAccessed[0] has it too" },
	{ "access-entities-bad-type.json",
	  "11:25: error: EntityDetailsList[0].EntityInfo.Type: expected "
	  "USER, ROLE, GROUP or POLICY, got 'SERVICE'" },
	{ "access-entities-without-namespace.json",
	  "1:1: error: the output of get-service-last-accessed-details-with-"
	  "entities does not name its service; add \"ServiceNamespace\": "
	  "\"NAMESPACE\" beside EntityDetailsList, the value given to "
	  "--service-namespace" },
	{ "access-entity-used-after-completion.json",
	  "15:34: error: EntityDetailsList[0].LastAuthenticated: "
	  "'2026-12-01T00:00:00+00:00' is later than JobCompletionDate "
	  "'2026-11-30T10:00:05Z', but a job reports only use before it "
	  "completed; export the job's details again" },
	{ "access-entity-mismatch.json",
	  "9:40: error: ServicesLastAccessed[0].LastAuthenticatedEntity: "
	  "'arn:aws:iam::111122223333:role/loader' is not "
	  "'arn:aws:iam::111122223333:role/reporter', the identity this file "
	  "is for by its Arn key; the job was generated for another "
	  "identity" },
	{ "access-generate-job-output.json",
	  "1:1: error: this is the output of 'aws iam generate-service-last-"
	  "accessed-details', which only names the job; export 'aws iam "
	  "get-service-last-accessed-details --job-id ID' instead" },
	{ "access-job-failed.json",
	  "2:18: error: JobStatus: the job FAILED: The entity was deleted; "
	  "generate the report again" },
	{ "access-key-misspelt.json",
	  "6:3: error: ServiceLastAccessed: unknown key in "
	  "service-last-accessed details, a likely misspelling of "
	  "'ServicesLastAccessed'; correct it, or the data under this key "
	  "would be ignored" },
	{ "access-job-in-progress.json",
	  "2:18: error: JobStatus: the job is still IN_PROGRESS; wait, then "
	  "run 'aws iam get-service-last-accessed-details' again" },
	{ "access-namespace-missing.json",
	  "7:9: error: ServicesLastAccessed[0]: missing required key "
	  "'ServiceNamespace'" },
	{ "access-no-identity.json",
	  "1:1: error: the service-last-accessed data does not say which "
	  "user or role it is for; add \"Arn\": \"arn:aws:iam::ACCOUNT:role/"
	  "NAME\" beside ServicesLastAccessed, the ARN that generate-service-"
	  "last-accessed-details was given" },
	{ "access-service-before-action.json",
	  "9:34: error: ServicesLastAccessed[0].LastAuthenticated: "
	  "'2026-01-01T00:00:00Z' is earlier than the LastAccessedTime "
	  "'2026-11-01T00:00:00Z' of tracked action 's3:PutObject' "
	  "(TrackedActionsLastAccessed[1]), but a service is used whenever "
	  "one of its actions is; export the job's details again" },
	{ "access-service-unused-action-used.json",
	  "8:9: error: ServicesLastAccessed[0]: LastAuthenticated is missing, "
	  "but tracked action 's3:GetObject' (TrackedActionsLastAccessed[0]) "
	  "was last accessed at '2026-06-01T00:00:00Z', and a service is used "
	  "whenever one of its actions is; export the job's details again" },
	{ "access-services-not-array.json",
	  "6:29: error: ServicesLastAccessed: expected an array, got an "
	  "object" },
	{ "access-tracked-action-of-other-service.json",
	  "14:35: error: ServicesLastAccessed[0].TrackedActionsLastAccessed[0]"
	  ".ActionName: expected an action of service 's3' such as "
	  "'GetObject', got 'ec2:RunInstances'" },
	{ "access-tracked-action-after-completion.json",
	  "16:41: error: ServicesLastAccessed[0].TrackedActionsLastAccessed[0]"
	  ".LastAccessedTime: '2026-11-30T10:00:06Z' is later than "
	  "JobCompletionDate '2026-11-30T10:00:05Z', but a job reports only "
	  "use before it completed; export the job's details again" },
	{ "access-truncated.json",
	  "7:20: error: IsTruncated: the file is one page of a paginated "
	  "result; run the command again without --max-items so that the "
	  "AWS CLI fetches every page" },
	{ "access-used-after-completion.json",
	  "8:34: error: ServicesLastAccessed[0].LastAuthenticated: "
	  "'2026-12-25T08:00:00Z' is later than JobCompletionDate "
	  "'2026-11-30T10:00:05Z', but a job reports only use before it "
	  "completed; export the job's details again" },
};

static void test_aws_access__bad_fixtures(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_fixtures); i++) {
		const struct bad_fixture *b = &bad_fixtures[i];
		struct aws_state st;
		struct capture cap;
		struct buf path = BUF_INIT, want = BUF_INIT;
		char *got;

		buf_addf(&path, BAD_DIR "%s", b->name);
		buf_addf(&want, "%s:%s", path.data, b->error);
		aws_state_init(&st);
		capture_open(&cap);
		if (aws_state_load(&st, path.data, &cap.d) != -1)
			unit_fail(__FILE__, __LINE__, "%s loaded", b->name);
		CHECK_INT(st.naccess, 0);
		got = line_with(capture_text(&cap), ": error: ");
		CHECK_STR(got, want.data);
		free(got);
		capture_close(&cap);
		aws_state_release(&st);
		buf_release(&path);
		buf_release(&want);
	}
}

UNIT_MAIN(
	UNIT_TEST(test_aws_access__cloudmapper_job_by_entity),
	UNIT_TEST(test_aws_access__identity_by_file_name),
	UNIT_TEST(test_aws_access__plus_in_file_name),
	UNIT_TEST(test_aws_access__file_name_disagrees),
	UNIT_TEST(test_aws_access__action_level),
	UNIT_TEST(test_aws_access__with_entities),
	UNIT_TEST(test_aws_access__second_file_of_identity),
	UNIT_TEST(test_aws_access__service_in_two_files),
	UNIT_TEST(test_aws_access__judgement),
	UNIT_TEST(test_aws_access__bad_fixtures),
)
