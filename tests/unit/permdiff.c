#include "common.h"
#include "unit.h"

#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "finding.h"
#include "permdiff.h"

/*
 * The permission diff (compiler/permdiff.h): two small units compiled
 * from memory against the committed AWS catalog and compared, with the
 * permissions added and removed and the escalations raised.
 */

/* One side: a unit of one file, compiled. */
struct side {
	struct spec_unit unit;
	struct program prog;
	struct findings findings;
};

/* Compile text as the file agents.mandate; fails the test on errors. */
static void side_compile(struct side *s, const char *text)
{
	struct source *src;
	struct diag d;

	unit_init(&s->unit);
	findings_init(&s->findings);
	diag_init(&d, stderr, false);
	src = source_from_memory("agents.mandate", text, strlen(text));
	src->unit_path = xstrdup("agents.mandate");
	if (unit_parse_source(&s->unit, src, &d) < 0 ||
	    unit_check(&s->unit, &d) < 0 ||
	    program_compile(&s->prog, &s->unit, unit_catalog(), &s->findings,
			    &d) < 0)
		unit_fail(__FILE__, __LINE__, "the spec did not compile");
}

static void side_release(struct side *s)
{
	program_release(&s->prog);
	findings_release(&s->findings);
	unit_release(&s->unit);
}

/*
 * The two sides of the last comparison. A diff points into its sides'
 * programs, as the command's does, so they live until the next
 * comparison or the end of the run.
 */
static struct side last_base, last_head;
static bool have_last;

static void release_last(void)
{
	if (!have_last)
		return;
	side_release(&last_base);
	side_release(&last_head);
	have_last = false;
}

/* Compare base with head; the caller releases out. */
static void compare(struct perm_diff *out, const char *base,
		    const char *head)
{
	static bool registered;

	if (!registered) {
		atexit(release_last);
		registered = true;
	}
	release_last();
	side_compile(&last_base, base);
	side_compile(&last_head, head);
	have_last = true;
	perm_diff_compute(out, &last_base.prog, &last_head.prog, NULL, 0, NULL,
			  0);
}

/* Return the kinds of the only agent's escalations as "a,b". */
static char *kinds_of(const struct perm_diff *d)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (d->nagents != 1)
		return xstrdup("(not one agent)");
	for (i = 0; i < d->agents[0].nescalations; i++)
		buf_addf(&b, "%s%s", i ? "," : "",
			 escalation_kind_name(d->agents[0].escalations[i].kind));
	return buf_detach(&b, NULL);
}

#define CHECK_KINDS(d, want)                                            \
	do {                                                            \
		char *got_kinds = kinds_of(d);                          \
		CHECK_STR(got_kinds, want);                             \
		free(got_kinds);                                        \
	} while (0)

#define AGENT(body) "agent \"a\" { kind = workload\n" body "\n}\n"

static void test_permdiff__level_as_list_is_no_change(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant read on aws:sqs \"arn:aws:sqs:*:1:q\""),
		AGENT("grant actions [\"sqs:getqueueurl\", "
		      "\"sqs:GetQueueAttributes\", "
		      "\"sqs:ReceiveMessage\", \"sqs:ListQueueTags\", "
		      "\"sqs:ListDeadLetterSourceQueues\", "
		      "\"sqs:ListMessageMoveTasks\"] on \"arn:aws:sqs:*:1:q\""));
	CHECK_INT(d.nagents, 0);
	CHECK_INT(d.nescalations, 0);
	perm_diff_release(&d);
}

/*
 * A wildcard that expands to actions the agent already had gains
 * nothing, so it does not escalate and the agent is unchanged.
 */
static void test_permdiff__same_actions_new_wildcard_quiet(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant read on aws:sqs \"arn:aws:sqs:*:1:q\""),
		AGENT("grant actions [\"sqs:getqueueurl\", \"sqs:Get*\", "
		      "\"sqs:ReceiveMessage\", \"sqs:ListQueueTags\", "
		      "\"sqs:ListDeadLetterSourceQueues\", "
		      "\"sqs:ListMessageMoveTasks\"] on \"arn:aws:sqs:*:1:q\""));
	CHECK_INT(d.nagents, 0);
	CHECK_INT(d.nescalations, 0);
	perm_diff_release(&d);
}

static void test_permdiff__added_condition_narrows(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant actions [\"sqs:SendMessage\"] "
			  "on \"arn:aws:sqs:*:1:q\""),
		AGENT("grant actions [\"sqs:SendMessage\"] "
		      "on \"arn:aws:sqs:*:1:q\" "
		      "{ when \"aws:SourceVpc\" in [\"vpc-1\"] }"));
	CHECK_INT(d.nagents, 1);
	CHECK_INT(d.agents[0].nadded, 1);
	CHECK_INT(d.agents[0].nremoved, 1);
	CHECK_INT(d.agents[0].added[0].nconds, 1);
	CHECK_STR(d.agents[0].added[0].conds[0],
		  "StringEquals aws:SourceVpc [vpc-1]");
	CHECK_KINDS(&d, "");
	perm_diff_release(&d);
}

static void test_permdiff__one_of_two_conditions_removed(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant actions [\"sqs:ReceiveMessage\"] "
			  "on \"arn:aws:sqs:*:1:q\" "
			  "{ when \"aws:SourceVpc\" in [\"vpc-1\"]\n"
			  "  when \"aws:SecureTransport\" == \"true\" }"),
		AGENT("grant actions [\"sqs:ReceiveMessage\"] "
		      "on \"arn:aws:sqs:*:1:q\" "
		      "{ when \"aws:SecureTransport\" == \"true\" }"));
	CHECK_KINDS(&d, "removed-condition");
	CHECK_STR(d.agents[0].escalations[0].message,
		  "condition StringEquals aws:SourceVpc [vpc-1] no longer "
		  "limits access to 'arn:aws:sqs:*:1:q': sqs:ReceiveMessage");
	perm_diff_release(&d);
}

static void test_permdiff__removed_deny(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant read on aws:sqs \"arn:aws:sqs:*:1:q\"\n"
			  "deny actions [\"sqs:ReceiveMessage\"] "
			  "on \"arn:aws:sqs:*:1:q\""),
		AGENT("grant read on aws:sqs \"arn:aws:sqs:*:1:q\""));
	CHECK_KINDS(&d, "removed-deny");
	CHECK_INT(d.agents[0].nremoved, 1);
	CHECK(d.agents[0].removed[0].deny);
	perm_diff_release(&d);
}

static void test_permdiff__path_completed_by_last_action(void)
{
	struct perm_diff d;
	const char *path = "escalation \"p\" {\n"
			   "  requires = [\"iam:PassRole\", "
			   "\"lambda:CreateFunction\"]\n}\n";
	struct buf base = BUF_INIT, head = BUF_INIT, wider = BUF_INIT;

	buf_addf(&base, "%s%s", path,
		 AGENT("grant actions [\"iam:PassRole\"] on \"*\""));
	buf_addf(&head, "%s%s", path,
		 AGENT("grant actions [\"iam:PassRole\", "
		       "\"lambda:CreateFunction\"] on \"*\""));
	buf_addf(&wider, "%s%s", path,
		 AGENT("grant actions [\"iam:PassRole\", "
		       "\"lambda:CreateFunction\", \"lambda:InvokeFunction\"]"
		       " on \"*\""));
	compare(&d, buf_str(&base), buf_str(&head));
	CHECK_KINDS(&d, "write,wildcard-resource,escalation-path");
	perm_diff_release(&d);

	/* A path already enabled at the base is not new. */
	compare(&d, buf_str(&head), buf_str(&wider));
	CHECK_KINDS(&d, "write,wildcard-resource");
	perm_diff_release(&d);
	buf_release(&base);
	buf_release(&head);
	buf_release(&wider);
}

static void test_permdiff__restricted_class_by_type(void)
{
	struct perm_diff d;
	const char *cls = "resource \"pay\" {\n"
			  "  match = [\"arn:aws:s3:::payments/*\"]\n"
			  "  sensitivity = restricted\n}\n";
	struct buf head = BUF_INIT;

	/* sqs:SendMessage on "*" cannot reach an S3 object. */
	buf_addf(&head, "%s%s", cls,
		 AGENT("grant actions [\"s3:GetObject\", \"sqs:SendMessage\"] "
		       "on \"*\""));
	compare(&d, cls, buf_str(&head));
	CHECK_INT(d.nagents, 1);
	CHECK(d.agents[0].change == AGENT_ADDED);
	CHECK_KINDS(&d, "write,wildcard-resource,restricted");
	CHECK_INT(d.agents[0].escalations[2].nactions, 1);
	CHECK_STR(d.agents[0].escalations[2].actions[0], "s3:GetObject");
	perm_diff_release(&d);
	buf_release(&head);
}

#define SALES "arn:aws:s3:::fernbrook-reports/sales/*"
#define REPORTS "arn:aws:s3:::fernbrook-reports/*"
#define S3_READ "[\"s3:GetObject\", \"s3:GetObjectVersion\"]"

/* The actions kept on the narrower pattern are no removal. */
static void test_permdiff__widened_resource_removes_nothing(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant actions " S3_READ " on \"" SALES "\""),
		AGENT("grant actions " S3_READ " on \"" REPORTS "\""));
	CHECK_INT(d.nagents, 1);
	CHECK_INT(d.agents[0].nadded, 2);
	CHECK_STR(d.agents[0].added[0].resource, REPORTS);
	CHECK_INT(d.agents[0].nremoved, 0);
	perm_diff_release(&d);
}

/* The narrower pattern was in effect at the base, so it adds nothing. */
static void test_permdiff__narrowed_resource_adds_nothing(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant actions " S3_READ " on \"" REPORTS "\""),
		AGENT("grant actions " S3_READ " on \"" SALES "\""));
	CHECK_INT(d.nagents, 1);
	CHECK_INT(d.agents[0].nadded, 0);
	CHECK_INT(d.agents[0].nremoved, 2);
	CHECK_STR(d.agents[0].removed[0].resource, REPORTS);
	CHECK_KINDS(&d, "");
	perm_diff_release(&d);
}

/* A cover must give the same action under the same conditions. */
static void test_permdiff__cover_needs_same_conditions(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant actions [\"s3:GetObject\"] on \"" SALES
			  "\""),
		AGENT("grant actions [\"s3:GetObject\"] on \"" REPORTS "\" "
		      "{ when \"aws:SourceVpc\" in [\"vpc-1\"] }\n"
		      "grant actions [\"s3:PutObject\"] on \"" REPORTS
		      "\""));
	CHECK_INT(d.nagents, 1);
	CHECK_INT(d.agents[0].nremoved, 1);
	CHECK_STR(d.agents[0].removed[0].action, "s3:GetObject");
	CHECK_STR(d.agents[0].removed[0].resource, SALES);
	perm_diff_release(&d);
}

/* A deny widened still denies, so it is no removed deny. */
static void test_permdiff__widened_deny_not_removed(void)
{
	struct perm_diff d;

	compare(&d, AGENT("grant actions " S3_READ " on \"" REPORTS "\"\n"
			  "deny actions [\"s3:GetObject\"] on \"" SALES
			  "\""),
		AGENT("grant actions " S3_READ " on \"" REPORTS "\"\n"
		      "deny actions [\"s3:GetObject\"] on \"" REPORTS
		      "\""));
	CHECK_INT(d.nagents, 1);
	CHECK_INT(d.agents[0].nremoved, 0);
	CHECK_KINDS(&d, "");
	perm_diff_release(&d);
}

UNIT_MAIN(
	UNIT_TEST(test_permdiff__level_as_list_is_no_change),
	UNIT_TEST(test_permdiff__same_actions_new_wildcard_quiet),
	UNIT_TEST(test_permdiff__added_condition_narrows),
	UNIT_TEST(test_permdiff__one_of_two_conditions_removed),
	UNIT_TEST(test_permdiff__removed_deny),
	UNIT_TEST(test_permdiff__path_completed_by_last_action),
	UNIT_TEST(test_permdiff__restricted_class_by_type),
	UNIT_TEST(test_permdiff__widened_resource_removes_nothing),
	UNIT_TEST(test_permdiff__narrowed_resource_adds_nothing),
	UNIT_TEST(test_permdiff__cover_needs_same_conditions),
	UNIT_TEST(test_permdiff__widened_deny_not_removed),
)
