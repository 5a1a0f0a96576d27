#include "common.h"
#include "unit.h"

/* The list of formats that every "not an export" error ends with. */
#define EXPECTED_FORMATS \
	"expected the output of 'aws iam " \
	"get-account-authorization-details' (a JSON object with " \
	"UserDetailList, GroupDetailList, RoleDetailList and Policies), " \
	"the output of 'aws iam get-credential-report' (a JSON object " \
	"with Content), the output of 'aws iam " \
	"get-service-last-accessed-details' (a JSON object with " \
	"JobStatus), a credential report in CSV with a header " \
	"'user,arn,...', or an Organizations path export (a JSON object " \
	"with AccountId and TargetPath)"

#include "aws.h"
#include "aws_credreport.h"
#include "aws_policy.h"
#include "json.h"

/*
 * The AWS importers against real exports (tests/fixtures/aws), the edge
 * cases of tests/fixtures/cases and one malformed export per fault
 * (tests/fixtures/bad). Paths are relative to the repository root.
 */

#define AWS_DIR "tests/fixtures/aws/"
#define CASES_DIR "tests/fixtures/cases/"
#define BAD_DIR "tests/fixtures/bad/"

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

/* Return the first line of s that contains what, or (malloc'd). */
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

/* Load path into st, failing the test with the diagnostics if it fails. */
static struct aws_export *load_export(struct aws_state *st, const char *path,
				      struct capture *cap)
{
	if (aws_state_load(st, path, &cap->d)) {
		unit_fail(__FILE__, __LINE__, "loading %s failed:\n%s", path,
			  capture_text(cap));
		return NULL;
	}
	return st->exports[st->nexports - 1];
}

static struct aws_entity *find_named(struct aws_entity **list, size_t n,
				     const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i]->name, name))
			return list[i];
	return NULL;
}

static const struct aws_managed_policy *
policy_named(const struct aws_export *exp, const char *arn)
{
	size_t i;

	for (i = 0; i < exp->npolicies; i++)
		if (!strcmp(exp->policies[i]->arn, arn))
			return exp->policies[i];
	return NULL;
}

static uint32_t line_of(const struct loc *loc)
{
	uint32_t line, col;

	loc_position(loc, &line, &col);
	return line;
}

static uint32_t column_of(const struct loc *loc)
{
	uint32_t line, col;

	loc_position(loc, &line, &col);
	return col;
}

static void test_aws_import__cloudmapper_demo_gaad(void)
{
	struct aws_state st;
	struct capture cap;
	struct aws_export *exp;
	struct aws_entity *user, *role;
	const struct aws_managed_policy *mfa;
	const struct aws_statement *block;
	char *warning;

	aws_state_init(&st);
	capture_open(&cap);
	exp = load_export(&st, AWS_DIR "cloudmapper-demo-gaad.json", &cap);
	if (!exp)
		goto out;
	CHECK_INT(exp->nusers, 2);
	CHECK_INT(exp->ngroups, 1);
	CHECK_INT(exp->nroles, 4);
	CHECK_INT(exp->npolicies, 2);
	/* Its users and its group are in account 'aws', unlike IAM's. */
	CHECK_INT(cap.d.warnings, 3);
	warning = line_with(capture_text(&cap), "UserDetailList[1]");
	CHECK_STR(warning, AWS_DIR "cloudmapper-demo-gaad.json:436:20: "
		  "warning: UserDetailList[1].Arn: account 'aws' in "
		  "'arn:aws:iam::aws:user/USER' is not a 12-digit account id; "
		  "IAM writes it only in the ARNs of AWS managed policies");
	free(warning);

	/* bad_role trusts any AWS principal. */
	role = aws_find_entity(&st, "arn:aws:iam::123456789012:role/bad_role");
	CHECK(role != NULL);
	if (role) {
		CHECK_INT(role->trust->nstmts, 1);
		CHECK_INT(role->trust->stmts[0].nprincipals, 1);
		CHECK_STR(role->trust->stmts[0].principals[0].type, "AWS");
		CHECK_STR(role->trust->stmts[0].principals[0].value, "*");
		CHECK_INT(role->nattached, 1);
		CHECK(role->attached[0].policy != NULL);
		CHECK_STR(role->inline_policies[0].name, "dostuff");
	}

	/* USER is in GROUP_WITH_BAD_INLINE_POLICY, resolved to the group. */
	user = aws_find_entity(&st, "arn:aws:iam::aws:user/USER");
	CHECK(user != NULL);
	if (user) {
		CHECK_INT(user->ngroups, 1);
		CHECK(user->groups[0] == exp->groups[0]);
		CHECK_STR(user->groups[0]->name,
			  "GROUP_WITH_BAD_INLINE_POLICY");
	}

	/* The MFA policy's last statement: Deny with NotAction "iam:*". */
	mfa = policy_named(exp, "arn:aws:iam::123456789012:policy/"
			   "BAD_MFA_POLICY");
	CHECK(mfa != NULL);
	if (mfa) {
		CHECK_STR(mfa->default_version, "v1");
		CHECK_INT(mfa->doc->nstmts, 5);
		block = &mfa->doc->stmts[4];
		CHECK(block->deny);
		CHECK(block->not_action);
		CHECK_INT(block->nactions, 1);
		CHECK_STR(block->actions[0], "iam:*");
		CHECK_STR(block->sid, "BlockAnyAccessOtherThanAboveUnless"
			  "SignedInWithMFA");
		CHECK_INT(block->nconds, 1);
		CHECK_STR(block->conds[0].op, "BoolIfExists");
		CHECK_STR(block->conds[0].key, "aws:MultiFactorAuthPresent");
		CHECK_STR(block->conds[0].values[0], "false");
		CHECK_INT(line_of(&block->loc), 212);
		CHECK_INT(column_of(&block->loc), 29);
	}
	mfa = policy_named(exp, "arn:aws:iam::aws:policy/service-role/"
			   "AmazonEC2RoleforSSM");
	CHECK(mfa != NULL);
	if (mfa) {
		CHECK(mfa->aws_managed);
		CHECK_STR(mfa->default_version, "v8");
		CHECK_INT(mfa->doc->nstmts, 8);
	}
out:
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__cloudsplaining_example_gaad(void)
{
	struct aws_state st;
	struct capture cap;
	struct aws_export *exp;
	struct aws_entity *sso, *quick, *user;
	const struct aws_managed_policy *p;
	const struct aws_statement *stmt;
	size_t i, aws_managed = 0;

	aws_state_init(&st);
	capture_open(&cap);
	exp = load_export(&st, AWS_DIR "cloudsplaining-example.json", &cap);
	if (!exp)
		goto out;
	CHECK_INT(exp->nusers, 41);
	CHECK_INT(exp->ngroups, 3);
	CHECK_INT(exp->nroles, 75);
	CHECK_INT(exp->npolicies, 56);
	CHECK_INT(cap.d.warnings, 0);
	for (i = 0; i < exp->npolicies; i++)
		aws_managed += exp->policies[i]->aws_managed;
	CHECK_INT(aws_managed, 12);

	/* An SSO role trusted through SAML federation. */
	sso = aws_find_entity(&st, "arn:aws:iam::200611803367:role/"
			      "aws-reserved/sso.amazonaws.com/"
			      "AWSReservedSSO_AdministratorAccess_"
			      "dc6414f7f2ab04fc");
	CHECK(sso != NULL);
	if (sso) {
		stmt = &sso->trust->stmts[0];
		CHECK_STR(sso->path, "/aws-reserved/sso.amazonaws.com/");
		CHECK_STR(stmt->principals[0].type, "Federated");
		CHECK_STR(stmt->principals[0].value,
			  "arn:aws:iam::200611803367:saml-provider/"
			  "AWSSSO_b937d2dff24f2774_DO_NOT_DELETE");
		CHECK_STR(stmt->conds[0].op, "StringEquals");
		CHECK_STR(stmt->conds[0].key, "SAML:aud");
		CHECK_STR(stmt->conds[0].values[0],
			  "https://signin.aws.amazon.com/saml");
		CHECK_STR(sso->last_used, "2023-03-21 09:35:50+00:00");
		CHECK_INT(sso->last_used_day, 19437);
	}

	quick = exp->roles[0];
	CHECK_STR(quick->name, "AWS-QuickSetup-EnableCRecording-1clff_"
		  "ap-northeast-1");
	CHECK_INT(quick->ntags, 3);
	CHECK_STR(quick->tags[0].key, "QuickSetupVersion");
	CHECK_STR(quick->tags[0].value, "1.2");
	CHECK_INT(quick->last_used_day, 19211);

	/* A user's group, and the group's attachment, both resolved. */
	user = find_named(exp->users, exp->nusers, "privesc-sre-user");
	CHECK(user != NULL);
	if (user) {
		CHECK_INT(user->ngroup_names, 1);
		CHECK_INT(user->ngroups, 1);
		CHECK_STR(user->groups[0]->name, "privesc-sre-group");
		CHECK_INT(user->groups[0]->nattached, 1);
		CHECK(user->groups[0]->attached[0].policy ==
		      aws_find_policy(&st, "arn:aws:iam::200611803367:policy/"
				      "privesc-sre-admin-policy"));
		CHECK(user->groups[0]->attached[0].policy != NULL);
	}

	p = aws_find_policy(&st, "arn:aws:iam::200611803367:policy/"
			    "fn4-exploitableNotAction");
	CHECK(p != NULL);
	if (p) {
		stmt = &p->doc->stmts[0];
		CHECK_INT(p->doc->nstmts, 1);
		CHECK(stmt->not_action);
		CHECK(!stmt->deny);
		CHECK_INT(stmt->nactions, 3);
		CHECK_STR(stmt->actions[0], "iam:Update*");
		CHECK_STR(stmt->actions[2], "iam:Attach*");
		CHECK_STR(stmt->resources[0], "*");
	}
	p = aws_find_policy(&st, "arn:aws:iam::200611803367:policy/"
			    "privesc21-PassExistingRoleToNewDataPipeline");
	CHECK(p != NULL);
	if (p)
		CHECK_INT(p->doc->nstmts, 2);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__cloudsplaining_small_gaads(void)
{
	struct aws_state st;
	struct capture cap;
	struct aws_export *exp;
	struct aws_entity *user;
	char *warning;

	aws_state_init(&st);
	capture_open(&cap);
	exp = load_export(&st, AWS_DIR "cloudsplaining-authz-details-for-"
			  "overrides-complete.json", &cap);
	if (exp) {
		CHECK_INT(exp->nusers, 1);
		CHECK_INT(exp->ngroups, 1);
		CHECK_INT(exp->nroles, 2);
		CHECK_INT(exp->npolicies, 3);
		CHECK_INT(cap.d.warnings, 0);
		user = exp->users[0];
		CHECK_STR(user->name, "BlakeBortles");
		CHECK_INT(user->ngroups, 1);
		CHECK_STR(user->groups[0]->name, "GOATGroup");
		CHECK_INT(user->groups[0]->nattached, 2);
		CHECK(user->groups[0]->attached[0].policy != NULL);
		CHECK(user->groups[0]->attached[0].policy->aws_managed);
	}

	/*
	 * v2 contains the same account's identities, so it needs a state of
	 * its own. It attaches AdministratorAccess but leaves it out.
	 */
	aws_state_release(&st);
	aws_state_init(&st);
	exp = load_export(&st, AWS_DIR "cloudsplaining-example_authz_v2.json",
			  &cap);
	if (exp) {
		CHECK_INT(exp->nusers, 1);
		CHECK_INT(exp->ngroups, 1);
		CHECK_INT(exp->nroles, 2);
		CHECK_INT(exp->npolicies, 2);
		CHECK_INT(cap.d.warnings, 1);
		CHECK_STR(exp->groups[0]->attached[0].arn,
			  "arn:aws:iam::aws:policy/AdministratorAccess");
		CHECK(exp->groups[0]->attached[0].policy == NULL);
		CHECK_INT(line_of(&exp->groups[0]->attached[0].loc), 27);
	}
	warning = line_with(capture_text(&cap), "warning:");
	CHECK_STR(warning, AWS_DIR "cloudsplaining-example_authz_v2.json:"
		  "27:24: warning: group 'GOAT' attaches managed policy "
		  "'arn:aws:iam::aws:policy/AdministratorAccess', which is not "
		  "in the export; its permissions are unknown");
	free(warning);
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__localstack_snapshots(void)
{
	struct aws_state st;
	struct capture cap;
	struct aws_export *exp;
	struct aws_entity *role;
	char *warning;

	aws_state_init(&st);
	capture_open(&cap);
	exp = load_export(&st, AWS_DIR "localstack-snapshot-no_filter.json",
			  &cap);
	if (exp) {
		CHECK_INT(exp->nusers, 1);
		CHECK_INT(exp->ngroups, 1);
		CHECK_INT(exp->nroles, 1);
		CHECK_INT(exp->npolicies, 1);
		CHECK_STR(exp->policies[0]->default_version, "v1");
		CHECK_STR(exp->policies[0]->doc->stmts[0].actions[0],
			  "s3:ListBucket");
	}
	aws_state_release(&st);

	/* Same placeholder ARNs: a separate state, or they would clash. */
	aws_state_init(&st);
	exp = load_export(&st, AWS_DIR "localstack-snapshot-with_inline_"
			  "policies.json", &cap);
	if (exp) {
		CHECK_INT(exp->nusers, 1);
		CHECK_INT(exp->ngroups, 1);
		CHECK_INT(exp->nroles, 1);
		CHECK_INT(exp->npolicies, 0);
		CHECK_INT(exp->users[0]->ninline, 1);
		CHECK_STR(exp->users[0]->inline_policies[0].name,
			  "<policy-name:3>");
		CHECK_INT(exp->groups[0]->ninline, 1);
		CHECK_INT(exp->roles[0]->ninline, 1);
	}
	aws_state_release(&st);

	aws_state_init(&st);
	exp = load_export(&st, AWS_DIR "localstack-snapshot-filter_role.json",
			  &cap);
	if (exp) {
		CHECK_INT(exp->nusers, 0);
		CHECK_INT(exp->nroles, 1);
		role = exp->roles[0];
		CHECK_STR(role->path, "/my-path/");
		CHECK_INT(role->ntags, 2);
		CHECK_STR(role->tags[1].key, "someotherkey");
		CHECK_STR(role->tags[1].value, "someothervalue");
		CHECK_INT(role->nattached, 1);
		CHECK(role->attached[0].policy == NULL);
		CHECK(role->last_used == NULL);
		CHECK_INT(role->last_used_day, -1);
	}
	warning = line_with(capture_text(&cap), "warning:");
	CHECK_STR(warning, AWS_DIR "localstack-snapshot-filter_role.json:"
		  "21:24: warning: role '<role-name:1>' attaches managed "
		  "policy 'arn:<partition>:iam::111111111111:policy/"
		  "<policy-name:1>', "
		  "which is not in the export; its permissions are unknown");
	free(warning);
	CHECK_INT(cap.d.warnings, 1);
	CHECK_INT(cap.d.errors, 0);
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__statement_object_case(void)
{
	struct aws_state st;
	struct capture cap;
	struct aws_export *exp;
	struct aws_entity *dana;
	const struct aws_statement *stmt;

	aws_state_init(&st);
	capture_open(&cap);
	exp = load_export(&st, CASES_DIR "01-statement-object.json", &cap);
	if (!exp)
		goto out;
	CHECK_INT(cap.d.warnings, 0);
	dana = aws_find_entity(&st, "arn:aws:iam::111122223333:user/dana");
	CHECK(dana != NULL);
	if (!dana)
		goto out;
	CHECK_INT(dana->nattached, 1);
	CHECK(dana->attached[0].policy != NULL);
	if (!dana->attached[0].policy)
		goto out;
	CHECK_INT(dana->attached[0].policy->doc->nstmts, 1);
	stmt = &dana->attached[0].policy->doc->stmts[0];
	CHECK_STR(stmt->sid, "IntakeUpload");
	CHECK_INT(stmt->nactions, 1);
	CHECK_STR(stmt->actions[0], "s3:PutObject");
	CHECK_STR(stmt->resources[0], "arn:aws:s3:::intake-bucket/*");
	CHECK_INT(line_of(&stmt->loc), 37);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__action_string_case(void)
{
	struct aws_state st;
	struct capture cap;
	struct aws_entity *role;
	const struct aws_policy_doc *doc;

	aws_state_init(&st);
	capture_open(&cap);
	if (!load_export(&st, CASES_DIR "02-action-string-not-list.json",
			 &cap))
		goto out;
	role = aws_find_entity(&st, "arn:aws:iam::111122223333:role/"
			       "reporting");
	CHECK(role != NULL);
	if (!role)
		goto out;
	doc = role->inline_policies[0].doc;
	CHECK_INT(doc->nstmts, 2);
	CHECK_INT(doc->stmts[0].nactions, 1);
	CHECK_STR(doc->stmts[0].actions[0], "s3:*");
	CHECK_INT(doc->stmts[0].nresources, 1);
	CHECK_STR(doc->stmts[0].resources[0], "*");
	CHECK_INT(doc->stmts[1].nactions, 1);
	CHECK_STR(doc->stmts[1].actions[0], "cloudwatch:GetMetricData");
	CHECK_INT(doc->stmts[1].index, 1);
	CHECK_STR(role->trust->stmts[0].principals[0].type, "Service");
	CHECK_STR(role->trust->stmts[0].principals[0].value,
		  "ec2.amazonaws.com");
	CHECK_STR(role->trust->stmts[0].actions[0], "sts:AssumeRole");
	CHECK_INT(role->trust->stmts[0].nresources, 0);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__url_encoded_documents_case(void)
{
	struct aws_state st;
	struct capture cap;
	struct aws_entity *kim, *lee, *svc;
	const struct aws_managed_policy *media;
	const struct aws_statement *stmt;

	aws_state_init(&st);
	capture_open(&cap);
	if (!load_export(&st, CASES_DIR "20-gaad-url-encoded-documents.json",
			 &cap))
		goto out;
	CHECK_INT(cap.d.warnings, 0);
	kim = aws_find_entity(&st, "arn:aws:iam::111122223333:user/kim");
	lee = aws_find_entity(&st, "arn:aws:iam::111122223333:user/lee");
	svc = aws_find_entity(&st, "arn:aws:iam::111122223333:role/svc");
	media = aws_find_policy(&st, "arn:aws:iam::111122223333:policy/"
				"media-read");
	CHECK(kim != NULL);
	CHECK(lee != NULL);
	CHECK(svc != NULL);
	CHECK(media != NULL);
	if (!kim || !lee || !svc || !media)
		goto out;

	/* Decoded once: the literal %3A of the ARN stays as it is. */
	stmt = &kim->inline_policies[0].doc->stmts[0];
	CHECK_STR(kim->inline_policies[0].doc->version, "2012-10-17");
	CHECK_STR(stmt->sid, "TagApi");
	CHECK_STR(stmt->actions[0], "apigateway:PUT");
	CHECK_STR(stmt->resources[0], "arn:aws:apigateway:eu-central-1::/tags/"
		  "arn%3Aaws%3Aapigateway%3Aeu-central-1%3A%3A%2Frestapis%2F"
		  "a1b2c3d4e5");
	/* The statement's '{' is the %7B at line 12, column 116. */
	CHECK_INT(line_of(&stmt->loc), 12);
	CHECK_INT(column_of(&stmt->loc), 116);

	CHECK(kim->attached[0].policy == media);
	CHECK_INT(media->doc->stmts[0].nresources, 2);
	CHECK_STR(media->doc->stmts[0].resources[0],
		  "arn:aws:s3:::media-bucket/a+b/*");
	CHECK_STR(media->doc->stmts[0].resources[1],
		  "arn:aws:s3:::media-bucket/caf\xc3\xa9/*");
	CHECK_STR(lee->inline_policies[0].doc->stmts[0].actions[0],
		  "s3:ListBucket");
	CHECK_STR(svc->trust->stmts[0].principals[0].type, "Service");
	CHECK_STR(svc->trust->stmts[0].principals[0].value,
		  "lambda.amazonaws.com");
out:
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__trailing_comma_case(void)
{
	struct aws_state st;
	struct aws_policy_doc *doc = NULL;
	struct source *src;
	struct capture cap;
	char *error;

	aws_state_init(&st);
	capture_open(&cap);
	CHECK_INT(aws_state_load(&st, CASES_DIR "22-trailing-comma-strict-"
				 "json.json", &cap.d), -1);
	CHECK_INT(st.nexports, 0);
	error = line_with(capture_text(&cap), "error:");
	CHECK_STR(error, CASES_DIR "22-trailing-comma-strict-json.json:9:28: "
		  "error: invalid JSON: trailing comma before ']'");
	free(error);
	capture_close(&cap);

	/* The same as a standalone identity policy. */
	capture_open(&cap);
	CHECK_INT(source_load(&src, CASES_DIR "22-trailing-comma-strict-"
			      "json.json", SOURCE_EXPORT_MAX, &cap.d), 0);
	CHECK_INT(aws_policy_parse_source(&doc, src, AWS_POLICY_IDENTITY,
					  &st.arena, &st.strtab, &cap.d), -1);
	CHECK(doc == NULL);
	error = line_with(capture_text(&cap), "error:");
	CHECK_STR(error, CASES_DIR "22-trailing-comma-strict-json.json:9:28: "
		  "error: invalid JSON: trailing comma before ']'");
	free(error);
	source_free(src);
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__credential_report_csv(void)
{
	struct aws_state st;
	struct capture cap;
	const struct aws_credential_row *root, *rome, *kaleb;

	aws_state_init(&st);
	capture_open(&cap);
	CHECK_INT(aws_state_load(&st, AWS_DIR "c7n-unused-keys.csv", &cap.d),
		  0);
	CHECK_INT(st.nreports, 1);
	if (!st.nreports)
		goto out;
	CHECK_INT(st.reports[0]->nrows, 8);
	root = aws_find_credentials(&st, "arn:aws:iam::619193117841:root");
	rome = aws_find_credentials(&st, "arn:aws:iam::619193117841:user/rome");
	kaleb = aws_find_credentials(&st, "arn:aws:iam::619193117841:user/"
				     "kaleb");
	CHECK(root != NULL);
	CHECK(rome != NULL);
	CHECK(kaleb != NULL);
	if (!root || !rome || !kaleb)
		goto out;
	CHECK_STR(root->user, "<root_account>");
	CHECK_INT(root->created, 13799);
	CHECK(!root->password_enabled);
	CHECK(root->keys[0].active);
	CHECK_INT(root->keys[0].last_rotated, 15205);
	CHECK_INT(root->keys[0].last_used, 16620);
	CHECK(!root->keys[1].active);
	CHECK_INT(root->keys[1].last_used, -1);
	CHECK_INT(rome->keys[0].last_rotated, 17130);
	CHECK_INT(rome->keys[0].last_used, 17130);
	CHECK(kaleb->password_enabled);
	CHECK_INT(kaleb->password_last_used, -1);
	CHECK_INT(kaleb->keys[0].last_used, -1);
	CHECK_INT(line_of(&rome->loc), 7);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__credential_report_duplicate_row(void)
{
	struct aws_state st;
	struct capture cap;
	struct source *src, *edited;
	struct buf text = BUF_INIT;
	const struct aws_credential_row *andrew, *christopher, *kit;
	const char *dup;
	char *error, *note;
	size_t line_start;

	aws_state_init(&st);
	capture_open(&cap);
	CHECK_INT(aws_state_load(&st, AWS_DIR "c7n-account-credential-"
				 "report.csv", &cap.d), -1);
	CHECK_INT(st.nreports, 0);
	error = line_with(capture_text(&cap), "error:");
	note = line_with(capture_text(&cap), "note:");
	CHECK_STR(error, AWS_DIR "c7n-account-credential-report.csv:10:13: "
		  "error: duplicate row for 'arn:aws:iam::644160558196:user/"
		  "christopher'");
	CHECK_STR(note, AWS_DIR "c7n-account-credential-report.csv:9:1: "
		  "note: the first row for 'arn:aws:iam::644160558196:user/"
		  "christopher' is here");
	free(error);
	free(note);

	/* Without its first christopher row, the other 20 rows load. */
	if (source_load(&src, AWS_DIR "c7n-account-credential-report.csv",
			SOURCE_EXPORT_MAX, &cap.d)) {
		CHECK(!"c7n-account-credential-report.csv is readable");
		goto out;
	}
	dup = strstr(src->text, "\nchristopher,");
	CHECK(dup != NULL);
	if (!dup)
		goto out;
	line_start = (size_t)(dup - src->text) + 1;
	buf_add(&text, src->text, line_start);
	buf_adds(&text, dup + 1 + strcspn(dup + 1, "\n") + 1);
	edited = source_from_memory("edited.csv", text.data, text.len);
	buf_release(&text);
	source_free(src);
	CHECK_INT(aws_state_load_source(&st, edited, &cap.d), 0);
	CHECK_INT(st.nreports, 1);
	if (!st.nreports)
		goto out;
	CHECK_INT(st.reports[0]->nrows, 20);
	andrew = aws_find_credentials(&st, "arn:aws:iam::644160558196:user/"
				      "andrew");
	christopher = aws_find_credentials(&st, "arn:aws:iam::644160558196:"
					   "user/christopher");
	kit = aws_find_credentials(&st, "arn:aws:iam::644160558196:user/kit");
	CHECK(andrew != NULL);
	CHECK(christopher != NULL);
	CHECK(kit != NULL);
	if (!andrew || !christopher || !kit)
		goto out;
	CHECK_INT(andrew->keys[1].last_rotated, 17043);
	CHECK_INT(andrew->keys[1].last_used, 17094);
	CHECK_INT(andrew->keys[0].last_used, -1);
	CHECK(!andrew->mfa_active);
	CHECK_INT(christopher->keys[0].last_rotated, 17058);
	CHECK_INT(christopher->keys[0].last_used, 17126);
	CHECK(kit->keys[0].active);
	CHECK(kit->keys[1].active);
	CHECK_INT(kit->keys[1].last_rotated, 17074);
	CHECK_INT(kit->keys[1].last_used, 17128);
	CHECK_INT(aws_find_credentials(&st, "arn:aws:iam::644160558196:"
				       "root")->created, 16937);
out:
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__credential_report_json(void)
{
	static const char *const files[] = {
		AWS_DIR "cloudmapper-demo-get-credential-report.json",
		AWS_DIR "cloudmapper-demo-get-credential-report-base64.json",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		struct aws_state st;
		struct capture cap;
		const struct aws_credential_row *root, *user;

		aws_state_init(&st);
		capture_open(&cap);
		CHECK_INT(aws_state_load(&st, files[i], &cap.d), 0);
		CHECK_INT(st.nreports, 1);
		if (st.nreports)
			CHECK_INT(st.reports[0]->nrows, 3);
		root = aws_find_credentials(&st, "arn:aws:iam::123456789012:"
					    "root");
		user = aws_find_credentials(&st, "arn:aws:iam::123456789012:"
					    "user/user");
		CHECK(root != NULL);
		CHECK(user != NULL);
		if (root && user) {
			CHECK(root->mfa_active);
			CHECK(root->keys[0].active);
			CHECK_INT(root->keys[0].last_rotated, 17858);
			CHECK_INT(root->keys[0].last_used, 17862);
			CHECK(user->password_enabled);
			CHECK_INT(user->password_last_used, 17658);
			CHECK_INT(user->keys[0].last_rotated, 18023);
			CHECK(user->keys[1].active);
			CHECK_INT(user->keys[1].last_used, 17658);
			/* A row of wrapped content points at Content. */
			CHECK_INT(line_of(&user->loc), 2);
		}
		capture_close(&cap);
		aws_state_release(&st);
	}
}

/* One malformed export per fault, with the first error it must get. */
static const struct bad_fixture {
	const char *name;
	const char *error;	/* after "tests/fixtures/bad/NAME:" */
} bad_fixtures[] = {
	{ "action-and-notaction.json",
	  "33:17: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0].NotAction: a statement has either Action or "
	  "NotAction, not both (in role 'reporter' inline policy "
	  "'read-reports')" },
	{ "action-not-string.json",
	  "33:19: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0].Action[1]: expected a string, got a number (in role "
	  "'reporter' inline policy 'read-reports')" },
	{ "bad-escape.json",
	  "6:16: error: invalid JSON: invalid escape '\\x' in a string" },
	{ "bad-last-used-date.json",
	  "41:25: error: RoleDetailList[0].RoleLastUsed.LastUsedDate: "
	  "expected an ISO 8601 timestamp such as 2024-01-15T10:00:00Z, got "
	  "'yesterday'" },
	{ "bad-version.json",
	  "27:24: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Version: unsupported policy version '2012-10-18'; expected "
	  "'2012-10-17' or '2008-10-17' (in role 'reporter' inline policy "
	  "'read-reports')" },
	{ "comment.json",
	  "6:20: error: invalid JSON: comments are not allowed in JSON" },
	{ "condition-null-value.json",
	  "35:38: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0].Condition.StringEquals[\"aws:SourceVpc\"]: expected "
	  "a string, number or boolean, got null (in role 'reporter' inline "
	  "policy 'read-reports')" },
	{ "content-after-object.json",
	  "45:1: error: invalid JSON: unexpected content after the top-level "
	  "object" },
	{ "control-char.json",
	  "6:17: error: invalid JSON: control character 0x09 in a string "
	  "must be written as '\\u0009'" },
	{ "credential-report-bad-boolean.csv",
	  "3:102: error: column 'access_key_1_active': expected 'true' or "
	  "'false', got 'yes'" },
	{ "credential-report-bad-cert.csv",
	  "3:194: error: column 'cert_1_active': expected 'true' or 'false', "
	  "got 'bogus'" },
	{ "credential-report-invalid-utf8.csv",
	  "3:1: error: field 1 of the row is not valid UTF-8" },
	{ "credential-report-user-arn-mismatch.csv",
	  "3:11: error: column 'arn': 'arn:aws:iam::111122223333:user/"
	  "somebody-else' is not the ARN of user 'ci-deploy'" },
	{ "credential-report-bad-date.csv",
	  "3:107: error: column 'access_key_1_last_rotated': expected an ISO "
	  "8601 timestamp, N/A or no_information, got "
	  "'2021-13-06T07:08:10+00:00'" },
	{ "credential-report-duplicate-row.csv",
	  "4:11: error: duplicate row for "
	  "'arn:aws:iam::111122223333:user/ci-deploy'" },
	{ "credential-report-json-bad-base64.json",
	  "2:14: error: Content: neither CSV text nor base64: 886 characters "
	  "is not a multiple of 4" },
	{ "credential-report-json-bad-row.json",
	  "2:14: error: Content: line 3 of the report: column "
	  "'access_key_1_last_rotated': expected an ISO 8601 timestamp, N/A "
	  "or no_information, got 'last tuesday'" },
	{ "credential-report-cut-in-header.csv",
	  "1:401: error: the credential report has no rows; a complete "
	  "report lists at least the root user, so this one may be "
	  "truncated" },
	{ "credential-report-json-content-number.json",
	  "2:14: error: Content: expected a string, got a number" },
	{ "credential-report-json-format.json",
	  "3:19: error: ReportFormat: expected \"text/csv\", got 'text/html'" },
	{ "credential-report-json-key-wrong-case.json",
	  "3:3: error: reportformat: unknown key in a credential report; "
	  "keys are case-sensitive, so write 'ReportFormat', or the data "
	  "under this key would be ignored" },
	{ "credential-report-missing-column.csv",
	  "1:1: error: the header has no 'access_key_2_active' column" },
	{ "credential-report-short-row.csv",
	  "3:1: error: row has 21 fields, but the header has 22" },
	{ "credential-report-unterminated-quote.csv",
	  "3:1: error: unterminated quoted field" },
	{ "deep-nesting.json",
	  "1:533: error: invalid JSON: nesting deeper than 512 levels" },
	{ "default-version-bad-document.json",
	  "15:27: error: Policies[0].PolicyVersionList[0].Document."
	  "Statement[0].Effect: expected 'Allow' or 'Deny', got 'Maybe' (in "
	  "managed policy 'arn:aws:iam::111122223333:policy/reports' version "
	  "'v1')" },
	{ "default-version-mismatch.json",
	  "41:27: error: Policies[0].DefaultVersionId: DefaultVersionId is "
	  "'v1' but version 'v2' is marked as the default" },
	{ "default-version-unknown.json",
	  "26:27: error: Policies[0].DefaultVersionId: DefaultVersionId 'v3' "
	  "names no version in PolicyVersionList" },
	{ "document-number.json",
	  "26:29: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument: "
	  "expected a policy document (an object, or a string holding one), "
	  "got a number (in role 'reporter' inline policy 'read-reports')" },
	{ "document-unknown-element.json",
	  "35:13: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Comment: unknown policy element 'Comment'; expected Version, Id "
	  "or Statement (in role 'reporter' inline policy 'read-reports')" },
	{ "duplicate-arn.json",
	  "46:14: error: RoleDetailList[1].Arn: duplicate ARN "
	  "'arn:aws:iam::111122223333:role/reporter'" },
	{ "duplicate-key.json",
	  "31:17: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0].Effect: duplicate key 'Effect' (in role 'reporter' "
	  "inline policy 'read-reports')" },
	{ "duplicate-top-level-key.json",
	  "44:3: error: duplicate key 'Policies'" },
	{ "duplicate-version-id.json",
	  "36:24: error: Policies[0].PolicyVersionList[1].VersionId: "
	  "duplicate version 'v1'" },
	{ "effect-lowercase.json",
	  "30:27: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0].Effect: expected 'Allow' or 'Deny', got 'allow' (in "
	  "role 'reporter' inline policy 'read-reports')" },
	{ "empty.json",
	  "1:1: error: empty file; " EXPECTED_FORMATS },
	{ "gaad-key-misspelt.json",
	  "4:3: error: RoleDetailLst: unknown key in an account "
	  "authorization details export, a likely misspelling of "
	  "'RoleDetailList'; correct it, or the data under this key would "
	  "be ignored" },
	{ "gaad-key-wrong-case.json",
	  "4:3: error: roleDetailList: unknown key in an account "
	  "authorization details export; keys are case-sensitive, so write "
	  "'RoleDetailList', or the data under this key would be ignored" },
	{ "group-arn-other-path.json",
	  "8:14: error: GroupDetailList[0].Arn: 'arn:aws:iam::111122223333:"
	  "group/aws-service-role/analysts' has the path '/aws-service-role/', "
	  "not Path '/'" },
	{ "invalid-utf8.json",
	  "6:20: error: invalid JSON: invalid UTF-8 byte 0xe9 in a string" },
	{ "is-truncated.json",
	  "44:18: error: IsTruncated: the export is one page of a paginated "
	  "result; export again without --max-items so that the AWS CLI "
	  "fetches every page" },
	{ "next-token.json",
	  "44:16: error: NextToken: the export is one page of a paginated "
	  "result; export again without --max-items so that the AWS CLI "
	  "fetches every page" },
	{ "json-string-bad-json.json",
	  "26:76: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument: "
	  "invalid JSON in the policy string: expected a value, got '}' (in "
	  "role 'reporter' inline policy 'read-reports')" },
	{ "leading-zero.json",
	  "40:23: error: invalid JSON: invalid number: leading zeros are not "
	  "allowed" },
	{ "list-not-array.json",
	  "2:21: error: UserDetailList: expected an array, got an object" },
	{ "lone-surrogate.json",
	  "6:17: error: invalid JSON: invalid escape: high surrogate "
	  "'\\ud800' is not followed by a low surrogate" },
	{ "missing-action.json",
	  "29:15: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0]: missing Action or NotAction (in role 'reporter' "
	  "inline policy 'read-reports')" },
	{ "missing-colon.json",
	  "6:14: error: invalid JSON: expected ':' after the key, got '\"'" },
	{ "missing-resource.json",
	  "29:15: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0]: missing Resource or NotResource (in role 'reporter' "
	  "inline policy 'read-reports')" },
	{ "missing-role-name.json",
	  "5:5: error: RoleDetailList[0]: missing required key 'RoleName'" },
	{ "mixed-shape.json",
	  "1:1: error: unrecognized export: " EXPECTED_FORMATS },
	{ "nan.json",
	  "40:23: error: invalid JSON: NaN is not a valid JSON number" },
	{ "no-default-version.json",
	  "9:28: error: Policies[0].PolicyVersionList: no version is marked "
	  "as the default (IsDefaultVersion) and DefaultVersionId is missing" },
	{ "nul-escape.json",
	  "7:26: error: invalid JSON: '\\u0000' is not allowed in a string" },
	{ "org-content-not-json.json",
	  "36:115: error: TargetPath[1].Policies[0].Policy.Content: "
	  "invalid JSON in the policy string: trailing comma before "
	  "'}' (in service control policy 'WorkloadServicesOnly' at "
	  "ou-ab12-workload1)" },
	{ "org-level-without-policies.json",
	  "23:5: error: TargetPath[1]: missing required key 'Policies'" },
	{ "org-not-scp.json",
	  "15:23: error: TargetPath[0].Policies[0].Policy.PolicySummary"
	  ".Type: policy type 'RESOURCE_CONTROL_POLICY' is not "
	  "SERVICE_CONTROL_POLICY; export only the service control "
	  "policies with --filter SERVICE_CONTROL_POLICY" },
	{ "org-path-ends-elsewhere.json",
	  "42:19: error: TargetPath[2].TargetId: the path ends at "
	  "'444455556666', not at AccountId '111122223333'" },
	{ "org-path-without-root.json",
	  "7:15: error: TargetPath[0].Type: level 0 is "
	  "ORGANIZATIONAL_UNIT; the path runs from the ROOT through "
	  "ORGANIZATIONAL_UNIT levels to the ACCOUNT" },
	{ "org-scp-with-principal.json",
	  "66:138: error: TargetPath[2].Policies[1].Policy.Content.Stat"
	  "ement[0].Principal: 'Principal' is not allowed in an "
	  "identity-based policy (in service control policy "
	  "'DenyIamWrites' at 111122223333)" },
	{ "org-short-account-id.json",
	  "2:16: error: AccountId: '1111222233' is not an AWS account "
	  "id (12 digits)" },
	{ "policy-name-not-string.json",
	  "25:25: error: RoleDetailList[0].RolePolicyList[0].PolicyName: "
	  "expected a string, got a number" },
	{ "principal-bad-string.json",
	  "16:26: error: RoleDetailList[0].AssumeRolePolicyDocument."
	  "Statement[0].Principal: expected \"*\" or an object such as "
	  "{\"AWS\": ...}, got 'lambda.amazonaws.com' (in the trust policy "
	  "of role 'reporter')" },
	{ "principal-in-identity-policy.json",
	  "33:17: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0].Principal: 'Principal' is not allowed in an "
	  "identity-based policy (in role 'reporter' inline policy "
	  "'read-reports')" },
	{ "principal-unknown-type.json",
	  "17:15: error: RoleDetailList[0].AssumeRolePolicyDocument."
	  "Statement[0].Principal.Services: unknown principal type "
	  "'Services'; expected AWS, Service, Federated or CanonicalUser (in "
	  "the trust policy of role 'reporter')" },
	{ "resource-in-trust-policy.json",
	  "20:13: error: RoleDetailList[0].AssumeRolePolicyDocument."
	  "Statement[0].Resource: 'Resource' is not allowed in a trust "
	  "policy (in the trust policy of role 'reporter')" },
	{ "role-arn-of-user.json",
	  "9:14: error: RoleDetailList[0].Arn: expected the ARN of a role "
	  "(arn:PARTITION:iam::ACCOUNT:role/...), got "
	  "'arn:aws:iam::111122223333:user/reporter'" },
	{ "role-arn-other-name.json",
	  "9:14: error: RoleDetailList[0].Arn: 'arn:aws:iam::111122223333:"
	  "role/notreporter' names role 'notreporter', not RoleName "
	  "'reporter'" },
	{ "role-arn-other-path.json",
	  "9:14: error: RoleDetailList[0].Arn: 'arn:aws:iam::111122223333:"
	  "role/reporter' has the path '/', not Path '/ops/'" },
	{ "role-arn-short-account.json",
	  "9:14: error: RoleDetailList[0].Arn: account '1111' in "
	  "'arn:aws:iam::1111:role/reporter' is not an AWS account id (12 "
	  "digits)" },
	{ "role-without-trust.json",
	  "5:5: error: RoleDetailList[0]: missing required key "
	  "'AssumeRolePolicyDocument'" },
	{ "single-quotes.json",
	  "6:7: error: invalid JSON: keys must be enclosed in double quotes" },
	{ "statement-element-wrong-case.json",
	  "32:17: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0].effect: unknown statement element 'effect'; did you "
	  "mean 'Effect'? (in role 'reporter' inline policy 'read-reports')" },
	{ "statement-missing.json",
	  "26:29: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument: "
	  "missing required key 'Statement' (in role 'reporter' inline "
	  "policy 'read-reports')" },
	{ "statement-not-object.json",
	  "29:15: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0]: expected a statement object, got a string (in role "
	  "'reporter' inline policy 'read-reports')" },
	{ "tag-without-value.json",
	  "40:9: error: RoleDetailList[0].Tags[0]: missing required key "
	  "'Value'" },
	{ "top-level-array.json",
	  "1:1: error: the top-level value is an array, not an object; "
	  EXPECTED_FORMATS },
	{ "top-level-scalar.json",
	  "1:1: error: the top-level value is a string, not an object; "
	  EXPECTED_FORMATS },
	{ "trailing-comma-array.json",
	  "39:19: error: invalid JSON: trailing comma before ']'" },
	{ "trailing-comma-object.json",
	  "40:45: error: invalid JSON: trailing comma before '}'" },
	{ "truncated.json",
	  "19:23: error: invalid JSON: unterminated string" },
	{ "trust-without-principal.json",
	  "14:11: error: RoleDetailList[0].AssumeRolePolicyDocument."
	  "Statement[0]: missing Principal or NotPrincipal (in the trust "
	  "policy of role 'reporter')" },
	{ "two-default-versions.json",
	  "37:31: error: Policies[0].PolicyVersionList[1].IsDefaultVersion: "
	  "versions 'v1' and 'v2' are both marked as the default" },
	{ "unknown-shape.json",
	  "1:1: error: unrecognized export: " EXPECTED_FORMATS },
	{ "unknown-statement-element.json",
	  "32:17: error: RoleDetailList[0].RolePolicyList[0].PolicyDocument."
	  "Statement[0].Actions: unknown statement element 'Actions' (in "
	  "role 'reporter' inline policy 'read-reports')" },
	{ "unrecognized.txt",
	  "1:1: error: unrecognized export: " EXPECTED_FORMATS },
	{ "unterminated-string.json",
	  "7:19: error: invalid JSON: unterminated string" },
	{ "user-arn-other-name.json",
	  "7:14: error: UserDetailList[0].Arn: 'arn:aws:iam::111122223333:"
	  "user/notbob' names user 'notbob', not UserName 'bob'" },
	{ "url-bad-effect.json",
	  "11:218: error: RoleDetailList[0].AssumeRolePolicyDocument."
	  "Statement[0].Effect: expected 'Allow' or 'Deny', got 'Permit' (in "
	  "the trust policy of role 'reporter')" },
	{ "url-bad-percent.json",
	  "26:134: error: RoleDetailList[0].RolePolicyList[0]."
	  "PolicyDocument: invalid percent-encoding: '%' must be followed by "
	  "two hex digits (in role 'reporter' inline policy 'read-reports')" },
	{ "url-decodes-to-invalid-json.json",
	  "26:359: error: RoleDetailList[0].RolePolicyList[0]."
	  "PolicyDocument: invalid JSON in the percent-decoded document: "
	  "expected ':' after the key, got ',' (in role 'reporter' inline "
	  "policy 'read-reports')" },
	{ "whitespace-only.json",
	  "3:1: error: empty file; " EXPECTED_FORMATS },
};

static void test_aws_import__bad_fixtures(void)
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
		CHECK_INT(st.nexports + st.nreports, 0);
		got = line_with(capture_text(&cap), ": error: ");
		CHECK_STR(got, want.data);
		free(got);
		capture_close(&cap);
		aws_state_release(&st);
		buf_release(&path);
		buf_release(&want);
	}
}

/*
 * An operator IAM does not define is kept with a warning at its key
 * that names the policy, so the evaluator can call the requests it
 * touches undetermined.
 */
/*
 * A top-level key unlike every known one may be a field that AWS added,
 * so it only gets a warning, while one that resembles a known key is a
 * misspelling and an error. A file that no key identifies gets a note
 * for a key that resembles one that would.
 */
static void test_aws_import__unknown_top_level_keys(void)
{
	static const struct {
		const char *text;
		int ret;
		const char *line;	/* the first diagnostic */
	} cases[] = {
		{ "{\"Policies\": [], \"ResponseMetadata\": {}}", 0,
		  "keys.json:1:18: warning: unknown key 'ResponseMetadata' in "
		  "an account authorization details export; ignored" },
		{ "{\"Policies\": [], \"Marker\": \"m\", \"Makers\": 1}", -1,
		  "keys.json:1:33: error: Makers: unknown key in an account "
		  "authorization details export, a likely misspelling of "
		  "'Marker'; correct it, or the data under this key would be "
		  "ignored" },
		{ "{\"Policies\": [], \"UserDetailsList\": []}", -1,
		  "keys.json:1:18: error: UserDetailsList: unknown key in an "
		  "account authorization details export, a likely misspelling "
		  "of 'UserDetailList'; correct it, or the data under this key "
		  "would be ignored" },
		{ "{\"JobStatus\": \"COMPLETED\", \"JobCompletionDate\": "
		  "\"2019-05-03T21:56:43Z\", \"Arn\": \"arn:aws:iam::"
		  "123456789012:role/x\", \"ServicesLastAccessed\": [], "
		  "\"JobId\": \"j\"}", 0,
		  "keys.json:1:144: warning: unknown key 'JobId' in "
		  "service-last-accessed details; ignored" },
		{ "{\"roleDetailList\": []}", -1,
		  "keys.json:1:2: note: did you mean 'RoleDetailList'?" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct aws_state st;
		struct capture cap;
		char *got;

		aws_state_init(&st);
		capture_open(&cap);
		CHECK_INT(aws_state_load_source(&st, source_from_memory(
			"keys.json", cases[i].text, strlen(cases[i].text)),
			&cap.d), cases[i].ret);
		got = line_with(capture_text(&cap), strstr(cases[i].line,
							   ": ") + 2);
		CHECK_STR(got, cases[i].line);
		free(got);
		capture_close(&cap);
		aws_state_release(&st);
	}
}

static void test_aws_import__unknown_operator_warns(void)
{
	static const struct {
		const char *name, *op;
	} cases[] = {
		{ "condition-unknown-operator.json", "StringEqual" },
		{ "condition-null-if-exists.json", "NullIfExists" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct aws_state st;
		struct capture cap;
		struct aws_export *exp;
		struct aws_entity *role;
		struct buf path = BUF_INIT, want = BUF_INIT;
		char *got;

		buf_addf(&path, "tests/fixtures/warn/%s", cases[i].name);
		buf_addf(&want, "%s:34:19: warning: RoleDetailList[0]."
			 "RolePolicyList[0].PolicyDocument.Statement[0]."
			 "Condition.%s: unknown condition operator '%s'; "
			 "requests that the statement could decide are "
			 "undetermined (in role 'reporter' inline policy "
			 "'read-reports')", path.data, cases[i].op,
			 cases[i].op);
		aws_state_init(&st);
		capture_open(&cap);
		exp = load_export(&st, path.data, &cap);
		CHECK(exp != NULL);
		CHECK_INT(cap.d.errors, 0);
		CHECK_INT(cap.d.warnings, 1);
		got = line_with(capture_text(&cap), ": warning: ");
		CHECK_STR(got, want.data);
		free(got);
		role = aws_find_entity(&st, "arn:aws:iam::111122223333:role/"
				       "reporter");
		CHECK(role != NULL);
		if (role && role->ninline == 1) {
			const struct aws_statement *s =
				&role->inline_policies[0].doc->stmts[0];

			CHECK_INT(s->nconds, 1);
			if (s->nconds == 1) {
				CHECK_STR(s->conds[0].op, cases[i].op);
				CHECK_STR(s->conds[0].key, "aws:SourceVpc");
			}
		} else {
			CHECK(role != NULL);
			if (role)
				CHECK(role->ninline == 1);
		}
		capture_close(&cap);
		aws_state_release(&st);
		buf_release(&path);
		buf_release(&want);
	}
}

/* Make an export with one AWS-managed policy and one role in account. */
static struct source *export_in_account(const char *name, const char *account)
{
	struct buf b = BUF_INIT;
	struct source *src;

	buf_addf(&b, "{\"RoleDetailList\": [{\"RoleName\": \"ops\", \"Arn\": "
		 "\"arn:aws:iam::%s:role/ops\", \"AssumeRolePolicyDocument\": "
		 "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": "
		 "{\"AWS\": \"%s\"}, \"Action\": \"sts:AssumeRole\"}}, "
		 "\"AttachedManagedPolicies\": [{\"PolicyArn\": "
		 "\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}]}],\n"
		 "\"Policies\": [{\"PolicyName\": \"ReadOnlyAccess\", \"Arn\": "
		 "\"arn:aws:iam::aws:policy/ReadOnlyAccess\", "
		 "\"DefaultVersionId\": \"v2\", \"PolicyVersionList\": "
		 "[{\"VersionId\": \"v2\", \"Document\": {\"Statement\": "
		 "[{\"Effect\": \"Allow\", \"Action\": \"s3:Get*\", "
		 "\"Resource\": \"*\"}]}}]}]}\n", account, account);
	src = source_from_memory(name, b.data, b.len);
	buf_release(&b);
	return src;
}

/* Every message about one document names it, not only the first. */
static void test_aws_import__each_warning_names_policy(void)
{
	const char *path = "tests/fixtures/warn/"
			   "condition-unknown-operators-twice.json";
	const char *ops[] = { "StringEqual", "StringLikeIfExist" };
	struct aws_state st;
	struct capture cap;
	const char *text;
	size_t i;

	aws_state_init(&st);
	capture_open(&cap);
	CHECK(load_export(&st, path, &cap) != NULL);
	CHECK_INT(cap.d.warnings, 2);
	text = capture_text(&cap);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		struct buf want = BUF_INIT;
		char *got;

		buf_addf(&want, "unknown condition operator '%s'", ops[i]);
		got = line_with(text, want.data);
		buf_reset(&want);
		buf_addf(&want, "%s:%d:19: warning: RoleDetailList[0]."
			 "RolePolicyList[0].PolicyDocument.Statement[%zu]."
			 "Condition.%s: unknown condition operator '%s'; "
			 "requests that the statement could decide are "
			 "undetermined (in role 'reporter' inline policy "
			 "'read-reports')", path, i ? 44 : 34, i, ops[i],
			 ops[i]);
		CHECK_STR(got, want.data);
		free(got);
		buf_release(&want);
	}
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__duplicates_across_exports(void)
{
	struct aws_state st;
	struct capture cap;
	const struct aws_managed_policy *first;
	char *error, *note;

	aws_state_init(&st);
	capture_open(&cap);

	/* Two accounts may both export the same AWS-managed policy. */
	CHECK_INT(aws_state_load_source(&st, export_in_account("a.json",
					"111111111111"), &cap.d), 0);
	CHECK_INT(aws_state_load_source(&st, export_in_account("b.json",
					"222222222222"), &cap.d), 0);
	CHECK_INT(st.nexports, 2);
	first = aws_find_policy(&st, "arn:aws:iam::aws:policy/ReadOnlyAccess");
	CHECK(first != NULL);
	CHECK(first == st.exports[0]->policies[0]);
	CHECK(st.exports[1]->roles[0]->attached[0].policy ==
	      st.exports[1]->policies[0]);
	CHECK(st.exports[0]->roles[0]->trust->version == NULL);
	CHECK_INT(cap.d.errors, 0);

	/* The same role again is an error, and adds nothing. */
	CHECK_INT(aws_state_load_source(&st, export_in_account("c.json",
					"111111111111"), &cap.d), -1);
	CHECK_INT(st.nexports, 2);
	error = line_with(capture_text(&cap), "error:");
	note = line_with(capture_text(&cap), "note:");
	CHECK_STR(error, "c.json:1:48: error: duplicate ARN "
		  "'arn:aws:iam::111111111111:role/ops': already loaded from "
		  "'a.json'");
	CHECK_STR(note, "a.json:1:48: note: "
		  "'arn:aws:iam::111111111111:role/ops' is first defined here");
	free(error);
	free(note);
	CHECK(aws_find_entity(&st, "arn:aws:iam::222222222222:role/ops") ==
	      st.exports[1]->roles[0]);
	CHECK(aws_find_entity(&st, "arn:aws:iam::333333333333:role/ops") ==
	      NULL);
	CHECK(aws_find_credentials(&st, "arn:aws:iam::111111111111:root") ==
	      NULL);
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__condition_values_as_text(void)
{
	static const char policy[] =
		"{\"Version\": \"2008-10-17\", \"Statement\": [{\"Effect\": "
		"\"Deny\", \"NotAction\": [], \"NotResource\": [\"arn:aws:s3:::"
		"a\", \"arn:aws:s3:::b\"], \"Condition\": {\"Bool\": "
		"{\"aws:SecureTransport\": false}, \"NumericLessThan\": "
		"{\"s3:max-keys\": [10, 2.5]}, \"ForAnyValue:StringLike"
		"IfExists\": {\"aws:TagKeys\": []}}}]}";
	struct aws_state st;
	struct capture cap;
	struct aws_policy_doc *doc = NULL;
	struct source *src = source_from_memory("policy.json", policy,
						sizeof(policy) - 1);
	const struct aws_statement *stmt;

	aws_state_init(&st);
	capture_open(&cap);
	CHECK_INT(aws_policy_parse_source(&doc, src, AWS_POLICY_IDENTITY,
					  &st.arena, &st.strtab, &cap.d), 0);
	if (!doc)
		goto out;
	stmt = &doc->stmts[0];
	CHECK_STR(doc->version, "2008-10-17");
	CHECK(stmt->deny);
	CHECK(stmt->not_action);
	CHECK(stmt->not_resource);
	CHECK_INT(stmt->nactions, 0);
	CHECK_INT(stmt->nresources, 2);
	CHECK_INT(stmt->nconds, 3);
	CHECK_STR(stmt->conds[0].op, "Bool");
	CHECK_STR(stmt->conds[0].values[0], "false");
	CHECK_INT(stmt->conds[1].nvalues, 2);
	CHECK_STR(stmt->conds[1].values[0], "10");
	CHECK_STR(stmt->conds[1].values[1], "2.5");
	CHECK_STR(stmt->conds[2].op, "ForAnyValue:StringLikeIfExists");
	CHECK_INT(stmt->conds[2].nvalues, 0);
	CHECK_INT(column_of(&stmt->loc), 41);
out:
	source_free(src);
	capture_close(&cap);
	aws_state_release(&st);
}

static void test_aws_import__timestamps(void)
{
	static const struct {
		const char *text;
		int32_t days;	/* -1: rejected */
	} cases[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2016-11-21T18:44:00+00:00", 17126 },
		{ "2022-08-07 12:56:48+00:00", 19211 },
		{ "2000-02-29T00:00:00Z", 11016 },
		{ "2024-01-15T23:30:00-05:00", 19738 },
		{ "2019-05-07T15:35:54.123Z", 18023 },
		{ "2021-02-29T00:00:00Z", -1 },
		{ "2021-13-01T00:00:00Z", -1 },
		{ "2021-01-01T24:00:00Z", -1 },
		{ "2021-01-01T00:00:00", -1 },
		{ "2021-01-01T00:00:00+0000", -1 },
		{ "2021-01-01", -1 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "N/A", -1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int32_t days = -1;
		int ret = aws_parse_timestamp(cases[i].text,
					      strlen(cases[i].text), &days);

		if (cases[i].days < 0) {
			if (ret != -1)
				unit_fail(__FILE__, __LINE__, "'%s' accepted",
					  cases[i].text);
		} else if (ret || days != cases[i].days) {
			unit_fail(__FILE__, __LINE__, "'%s' is day %d, "
				  "expected %d", cases[i].text, (int)days,
				  (int)cases[i].days);
		}
	}
}

static void test_aws_import__decoders(void)
{
	struct buf out = BUF_INIT;
	size_t bad = 0;

	CHECK_INT(aws_url_decode(&out, "%7B%22a%22+%3A%2B%C3%A9", 23, &bad), 0);
	CHECK_STR(out.data, "{\"a\" :+\xc3\xa9");
	buf_reset(&out);
	CHECK_INT(aws_url_decode(&out, "ab%4", 4, &bad), -1);
	CHECK_INT(bad, 2);
	buf_reset(&out);
	CHECK_INT(aws_base64_decode(&out, "dXNlcixhcm4=", 12, &bad), 0);
	CHECK_STR(out.data, "user,arn");
	buf_reset(&out);
	CHECK_INT(aws_base64_decode(&out, "dXNlcg==", 8, &bad), 0);
	CHECK_STR(out.data, "user");
	CHECK_INT(aws_base64_decode(&out, "dX=lcg==", 8, &bad), -1);
	CHECK_INT(bad, 2);
	CHECK_INT(aws_base64_decode(&out, "dXNlc", 5, &bad), -1);
	CHECK_INT(bad, 5);
	buf_release(&out);
}

static void test_aws_import__format_detection(void)
{
	static const char gaad[] = "{\"Marker\": \"x\", \"Policies\": []}";
	static const char report[] = "\xef\xbb\xbf{ \"Content\": \"\" }";
	static const char csv[] = "arn,user\n";
	static const char other[] = "{\"bindings\": []}";

	CHECK_INT(aws_detect_format(gaad, strlen(gaad)), AWS_FORMAT_GAAD);
	CHECK_INT(aws_detect_format(report, strlen(report)),
		  AWS_FORMAT_CREDENTIAL_JSON);
	CHECK_INT(aws_detect_format(csv, strlen(csv)),
		  AWS_FORMAT_CREDENTIAL_CSV);
	CHECK_INT(aws_detect_format(other, strlen(other)), AWS_FORMAT_UNKNOWN);
	CHECK_INT(aws_detect_format("", 0), AWS_FORMAT_UNKNOWN);
}

static void test_aws_import__strict_json(void)
{
	static const struct {
		const char *text;
		size_t off;	/* SIZE_MAX: valid */
		const char *msg;
	} cases[] = {
		{ "{\"a\": [1, 2.5e-3, -0, true, null, "
		  "\"\\u00e9\\ud83d\\ude00\"]}", SIZE_MAX, NULL },
		{ "[1,]", 2, "trailing comma before ']'" },
		{ "{\"a\": 01}", 6, "invalid number: leading zeros are not "
		  "allowed" },
		{ "[1.]", 1, "invalid number: expected a digit after '.'" },
		{ "[-]", 1, "invalid number: expected a digit after '-'" },
		{ "[Infinity]", 1, "Infinity is not a valid JSON number" },
		{ "[True]", 1, "invalid literal 'True'; expected true, false, "
		  "null, a number, a string, an array or an object" },
		{ "[\"a\tb\"]", 3, "control character 0x09 in a string must be "
		  "written as '\\u0009'" },
		{ "[\"\\udc00\"]", 2, "invalid escape: low surrogate '\\udc00' "
		  "without a high surrogate" },
		{ "[\"\xc0\xaf\"]", 2, "invalid UTF-8 byte 0xc0 in a string" },
		{ "[\"\xed\xa0\x80\"]", 2,
		  "invalid UTF-8 byte 0xed in a string" },
		{ "{\"a\" 1}", 5, "expected ':' after the key, got '1'" },
		{ "{a: 1}", 1, "expected a key in double quotes, got 'a'" },
		{ "[1 2]", 3, "expected ',' or ']' after a value, got '2'" },
		{ "[1] x", 4, "unexpected content after the JSON value" },
		{ "[", 1, "unexpected end of input; expected a value" },
		{ "", 0, "unexpected end of input; expected a value" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct json_fault fault;
		size_t root;
		int ret = json_validate(cases[i].text, strlen(cases[i].text),
					&root, &fault);

		if (cases[i].off == SIZE_MAX) {
			if (ret)
				unit_fail(__FILE__, __LINE__, "'%s' rejected: "
					  "%s", cases[i].text, fault.msg);
			continue;
		}
		if (!ret) {
			unit_fail(__FILE__, __LINE__, "'%s' accepted",
				  cases[i].text);
			continue;
		}
		CHECK_INT(fault.off, cases[i].off);
		CHECK_STR(fault.msg, cases[i].msg);
	}
}

/* "${" of a policy read as literal text is written with IAM's escape. */
static void test_aws_import__escape_variables(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "arn:aws:s3:::home/*", "arn:aws:s3:::home/*" },
		{ "home/${aws:username}/*", "home/${$}{aws:username}/*" },
		{ "${a}${b}", "${$}{a}${$}{b}" },
		{ "${$}", "${$}{$}" },
		{ "cost $5 {x}", "cost $5 {x}" },
		{ "ends in $", "ends in $" },
	};
	struct arena arena = ARENA_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_STR(aws_policy_escape_variables(&arena, cases[i].text),
			  cases[i].want);
	/* Text without "${" is returned as it is, not copied. */
	CHECK(aws_policy_escape_variables(&arena, cases[0].text) ==
	      cases[0].text);
	arena_release(&arena);
}

/* A name put for ${aws:username} is escaped, and only that key changes. */
static void test_aws_import__substitute_variable(void)
{
	static const struct {
		const char *text, *value, *want;
	} cases[] = {
		{ "home/${aws:username}/*", "ana", "home/ana/*" },
		{ "home/${AWS:UserName}/*", "ana", "home/ana/*" },
		{ "${aws:username}-${aws:username}", "b", "b-b" },
		{ "home/${aws:userid}/*", "ana", "home/${aws:userid}/*" },
		{ "home/${aws:username, 'x'}/*", "ana",
		  "home/${aws:username, 'x'}/*" },
		{ "home/${$}{aws:username}/*", "ana",
		  "home/${$}{aws:username}/*" },
		{ "home/${aws:username}", "a*b?c$", "home/a${*}b${?}c${$}" },
		{ "home/${aws:username", "ana", "home/${aws:username" },
	};
	struct arena arena = ARENA_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_STR(aws_policy_substitute(&arena, cases[i].text,
						"aws:username", cases[i].value),
			  cases[i].want);
	arena_release(&arena);
}

/* A document without Version 2012-10-17 gets an escaped copy. */
static void test_aws_import__policy_as_2012(void)
{
	static const char *resources[] = { "home/${aws:username}/*" };
	static const char *values[] = { "${aws:username}/*" };
	struct aws_condition cond = { "StringLike", "s3:prefix", values, 1 };
	struct aws_statement stmt = { 0 };
	struct aws_policy_doc doc = { 0 };
	const struct aws_policy_doc *copy;
	struct arena arena = ARENA_INIT;

	stmt.resources = resources;
	stmt.nresources = 1;
	stmt.conds = &cond;
	stmt.nconds = 1;
	doc.stmts = &stmt;
	doc.nstmts = 1;

	doc.version = "2012-10-17";
	CHECK(aws_policy_as_2012(&arena, &doc) == &doc);

	doc.version = "2008-10-17";
	copy = aws_policy_as_2012(&arena, &doc);
	CHECK(copy != &doc);
	CHECK_STR(copy->stmts[0].resources[0], "home/${$}{aws:username}/*");
	CHECK_STR(copy->stmts[0].conds[0].values[0], "${$}{aws:username}/*");
	CHECK_STR(doc.stmts[0].resources[0], "home/${aws:username}/*");

	doc.version = NULL;
	copy = aws_policy_as_2012(&arena, &doc);
	CHECK_STR(copy->stmts[0].resources[0], "home/${$}{aws:username}/*");
	arena_release(&arena);
}

UNIT_MAIN(
	UNIT_TEST(test_aws_import__cloudmapper_demo_gaad),
	UNIT_TEST(test_aws_import__cloudsplaining_example_gaad),
	UNIT_TEST(test_aws_import__cloudsplaining_small_gaads),
	UNIT_TEST(test_aws_import__localstack_snapshots),
	UNIT_TEST(test_aws_import__statement_object_case),
	UNIT_TEST(test_aws_import__action_string_case),
	UNIT_TEST(test_aws_import__url_encoded_documents_case),
	UNIT_TEST(test_aws_import__trailing_comma_case),
	UNIT_TEST(test_aws_import__credential_report_csv),
	UNIT_TEST(test_aws_import__credential_report_duplicate_row),
	UNIT_TEST(test_aws_import__credential_report_json),
	UNIT_TEST(test_aws_import__bad_fixtures),
	UNIT_TEST(test_aws_import__unknown_top_level_keys),
	UNIT_TEST(test_aws_import__unknown_operator_warns),
	UNIT_TEST(test_aws_import__each_warning_names_policy),
	UNIT_TEST(test_aws_import__duplicates_across_exports),
	UNIT_TEST(test_aws_import__condition_values_as_text),
	UNIT_TEST(test_aws_import__timestamps),
	UNIT_TEST(test_aws_import__decoders),
	UNIT_TEST(test_aws_import__format_detection),
	UNIT_TEST(test_aws_import__strict_json),
	UNIT_TEST(test_aws_import__escape_variables),
	UNIT_TEST(test_aws_import__substitute_variable),
	UNIT_TEST(test_aws_import__policy_as_2012),
)
