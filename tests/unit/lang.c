#include "common.h"
#include "unit.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"

/*
 * The language front end: specs parsed from memory into the typed syntax
 * tree, the date and duration helpers, and the discovery of spec files
 * in a directory tree.
 */

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

/*
 * Parse text as the file spec.mandate and run the cross-file checks.
 * Returns 0, or -1 when an error was reported to cap.
 */
static int parse_text(struct spec_unit *u, struct capture *cap,
		      const char *text)
{
	struct source *src = source_from_memory("spec.mandate", text,
						strlen(text));
	int ret = unit_parse_source(u, src, &cap->d);

	if (unit_check(u, &cap->d) < 0)
		ret = -1;
	return ret;
}

/* Parse text that must compile, failing the test with what it reported. */
static void parse_clean(struct spec_unit *u, struct capture *cap,
			const char *text, int line)
{
	if (parse_text(u, cap, text) < 0 || cap->d.errors)
		unit_fail(__FILE__, line, "the spec did not compile:\n%s",
			  capture_text(cap));
}

/* Fail unless loc starts at the 1-based line and column given. */
static void check_pos(int at, const struct loc *loc, uint32_t line,
		      uint32_t col)
{
	uint32_t l, c;

	if (!loc->src) {
		unit_fail(__FILE__, at, "location is unset, expected %u:%u",
			  line, col);
		return;
	}
	loc_position(loc, &l, &c);
	if (l != line || c != col)
		unit_fail(__FILE__, at, "location is %u:%u, expected %u:%u", l,
			  c, line, col);
}

#define CHECK_POS(loc, line, col) check_pos(__LINE__, &(loc), (line), (col))

/* Fail unless the diagnostics contain want. */
#define CHECK_REPORTED(cap, want)                                       \
	do {                                                            \
		if (!strstr(capture_text(cap), (want)))                 \
			unit_fail(__FILE__, __LINE__, "no '%s' in:\n%s", \
				  (want), capture_text(cap));           \
	} while (0)

static const char full_agent[] =
	"agent \"ticket-summarizer\" {\n"
	"  kind        = ai_agent\n"
	"  description = \"Drafts weekly summaries\"\n"
	"  owner {\n"
	"    technical = \"alice@example.com\"\n"
	"    business  = \"bob@example.com\"\n"
	"  }\n"
	"  justification = \"Support leads need a weekly digest\"\n"
	"  review      { every = 90d  last = 2026-11-02  by = \"bob@example.com\" }\n"
	"  expires     = 2027-11-01\n"
	"  credentials { rotate = 30d  session = 1h  long_lived_keys = false }\n"
	"  audit       { decisions = required  context = [task, \"request_id\", user] }\n"
	"  identity aws role \"arn:aws:iam::111122223333:role/ticket-summarizer\" {\n"
	"    trusted_by = [\"bedrock.amazonaws.com\", \"lambda.amazonaws.com\"]\n"
	"    boundary   = \"arn:aws:iam::111122223333:policy/agent-boundary\"\n"
	"  }\n"
	"  identity k8s service_account \"support/summarizer\"\n"
	"  grant read on aws:s3 \"arn:aws:s3:::support-exports/tickets/*\" {\n"
	"    because = \"Ticket exports are the input\"\n"
	"  }\n"
	"  grant actions [\"dynamodb:Query\", \"dynamodb:GetItem\"]\n"
	"        on \"arn:aws:dynamodb:us-east-1:111122223333:table/tickets\" {\n"
	"    because  = \"Reads ticket metadata\"\n"
	"    approver = \"sec@example.com\"\n"
	"    when \"dynamodb:LeadingKeys\" in [\"${aws:PrincipalTag/tenant}\"]\n"
	"  }\n"
	"  deny write on aws:s3 [\"arn:aws:s3:::support-exports/*\", \"arn:aws:s3:::audit/*\"]\n"
	"}\n";

static void test_lang__agent_header_and_fields(void)
{
	struct spec_unit u;
	struct capture cap;
	const struct agent *a;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, full_agent, __LINE__);
	CHECK_INT(u.nagents, 1);
	CHECK_INT(u.nsources, 1);
	a = u.agents;
	if (!a)
		goto out;
	CHECK(a->next == NULL);
	CHECK(a->src == u.sources[0]);
	CHECK_STR(a->name.s, "ticket-summarizer");
	CHECK_POS(a->loc, 1, 1);
	CHECK_POS(a->name.loc, 1, 7);
	CHECK_INT(a->kind, AGENT_AI_AGENT);
	CHECK_POS(a->kind_loc, 2, 17);
	CHECK_STR(a->description.s, "Drafts weekly summaries");
	CHECK_POS(a->description.loc, 3, 17);
	CHECK_STR(a->justification.s, "Support leads need a weekly digest");
	CHECK_POS(a->justification.loc, 8, 19);
	CHECK(a->expires.set);
	CHECK_INT(a->expires.days, 21123);	/* 2027-11-01 */
	CHECK_POS(a->expires.loc, 10, 17);
out:
	capture_close(&cap);
	unit_release(&u);
}

static void test_lang__agent_blocks(void)
{
	struct spec_unit u;
	struct capture cap;
	const struct agent *a;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, full_agent, __LINE__);
	a = u.agents;
	if (!a)
		goto out;

	CHECK(a->owner.present);
	CHECK_POS(a->owner.loc, 4, 3);
	CHECK_STR(a->owner.technical.s, "alice@example.com");
	CHECK_POS(a->owner.technical.loc, 5, 17);
	CHECK_STR(a->owner.business.s, "bob@example.com");
	CHECK_POS(a->owner.business.loc, 6, 17);

	CHECK(a->review.present);
	CHECK_POS(a->review.loc, 9, 3);
	CHECK(a->review.every.set);
	CHECK_INT(a->review.every.seconds, 90 * 86400);
	CHECK_POS(a->review.every.loc, 9, 25);
	CHECK(a->review.last.set);
	CHECK_INT(a->review.last.days, 20759);	/* 2026-11-02 */
	CHECK_POS(a->review.last.loc, 9, 37);
	CHECK_STR(a->review.by.s, "bob@example.com");
	CHECK_POS(a->review.by.loc, 9, 54);

	CHECK(a->credentials.present);
	CHECK_POS(a->credentials.loc, 11, 3);
	CHECK(a->credentials.rotate.set);
	CHECK_INT(a->credentials.rotate.seconds, 30 * 86400);
	CHECK_POS(a->credentials.rotate.loc, 11, 26);
	CHECK(a->credentials.session.set);
	CHECK_INT(a->credentials.session.seconds, 3600);
	CHECK_POS(a->credentials.session.loc, 11, 41);
	CHECK(a->credentials.long_lived_keys.set);
	CHECK(!a->credentials.long_lived_keys.v);
	CHECK_POS(a->credentials.long_lived_keys.loc, 11, 63);

	CHECK(a->audit.present);
	CHECK_POS(a->audit.loc, 12, 3);
	CHECK_INT(a->audit.decisions, AUDIT_REQUIRED);
	CHECK_POS(a->audit.decisions_loc, 12, 29);
	CHECK(a->audit.context.set);
	CHECK_INT(a->audit.context.n, 3);
	CHECK_POS(a->audit.context.loc, 12, 49);
	if (a->audit.context.n == 3) {
		/* Names and strings alike become text. */
		CHECK_STR(a->audit.context.items[0].s, "task");
		CHECK_POS(a->audit.context.items[0].loc, 12, 50);
		CHECK_STR(a->audit.context.items[1].s, "request_id");
		CHECK_POS(a->audit.context.items[1].loc, 12, 56);
		CHECK_STR(a->audit.context.items[2].s, "user");
		CHECK_POS(a->audit.context.items[2].loc, 12, 70);
	}
out:
	capture_close(&cap);
	unit_release(&u);
}

static void test_lang__agent_identities(void)
{
	struct spec_unit u;
	struct capture cap;
	const struct agent *a;
	const struct identity *role, *sa;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, full_agent, __LINE__);
	a = u.agents;
	if (!a)
		goto out;
	CHECK_INT(a->nidentities, 2);
	role = a->identities;
	sa = role ? role->next : NULL;
	if (!role || !sa)
		goto out;
	CHECK(sa->next == NULL);

	CHECK(role->agent == a);
	CHECK_INT(role->provider, PROVIDER_AWS);
	CHECK_INT(role->kind, IDENTITY_AWS_ROLE);
	CHECK_STR(role->id.s,
		  "arn:aws:iam::111122223333:role/ticket-summarizer");
	CHECK_POS(role->loc, 13, 3);
	CHECK_POS(role->id.loc, 13, 21);
	CHECK_INT(role->trusted_by.n, 2);
	CHECK_POS(role->trusted_by.loc, 14, 18);
	if (role->trusted_by.n == 2) {
		CHECK_STR(role->trusted_by.items[0].s, "bedrock.amazonaws.com");
		CHECK_STR(role->trusted_by.items[1].s, "lambda.amazonaws.com");
		CHECK_POS(role->trusted_by.items[1].loc, 14, 44);
	}
	CHECK_STR(role->boundary.s,
		  "arn:aws:iam::111122223333:policy/agent-boundary");
	CHECK_POS(role->boundary.loc, 15, 18);

	CHECK(sa->agent == a);
	CHECK_INT(sa->provider, PROVIDER_K8S);
	CHECK_INT(sa->kind, IDENTITY_K8S_SERVICE_ACCOUNT);
	CHECK_STR(sa->id.s, "support/summarizer");
	CHECK_POS(sa->loc, 17, 3);
	CHECK_POS(sa->id.loc, 17, 32);
	CHECK(!sa->trusted_by.set);
	CHECK(sa->boundary.s == NULL);
out:
	capture_close(&cap);
	unit_release(&u);
}

static void test_lang__agent_grants(void)
{
	struct spec_unit u;
	struct capture cap;
	const struct agent *a;
	const struct grant *level_grant, *action_grant, *deny_grant;
	const struct condition *c;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, full_agent, __LINE__);
	a = u.agents;
	if (!a)
		goto out;
	CHECK_INT(a->ngrants, 3);
	level_grant = a->grants;
	action_grant = level_grant ? level_grant->next : NULL;
	deny_grant = action_grant ? action_grant->next : NULL;
	if (!level_grant || !action_grant || !deny_grant)
		goto out;
	CHECK(deny_grant->next == NULL);

	CHECK(level_grant->agent == a);
	CHECK(!level_grant->deny);
	CHECK(level_grant->by_level);
	CHECK_INT(level_grant->levels, ACCESS_READ);
	CHECK_INT(level_grant->level_names.n, 1);
	CHECK_STR(level_grant->level_names.items[0].s, "read");
	CHECK_POS(level_grant->levels_loc, 18, 9);
	CHECK_INT(level_grant->provider, PROVIDER_AWS);
	CHECK_STR(level_grant->service.s, "s3");
	CHECK_POS(level_grant->service.loc, 18, 17);
	CHECK_INT(level_grant->resources.n, 1);
	CHECK_STR(level_grant->resources.items[0].s,
		  "arn:aws:s3:::support-exports/tickets/*");
	CHECK_POS(level_grant->resources.items[0].loc, 18, 24);
	CHECK_STR(level_grant->because.s, "Ticket exports are the input");
	CHECK_POS(level_grant->because.loc, 19, 15);
	CHECK(level_grant->approver.s == NULL);
	CHECK_INT(level_grant->nconds, 0);
	CHECK_POS(level_grant->loc, 18, 3);

	CHECK(!action_grant->by_level);
	CHECK_INT(action_grant->levels, 0);
	CHECK(!action_grant->level_names.set);
	CHECK(action_grant->service.s == NULL);
	CHECK_INT(action_grant->actions.n, 2);
	CHECK_POS(action_grant->actions.loc, 21, 17);
	if (action_grant->actions.n == 2) {
		CHECK_STR(action_grant->actions.items[0].s, "dynamodb:Query");
		CHECK_STR(action_grant->actions.items[1].s, "dynamodb:GetItem");
		CHECK_POS(action_grant->actions.items[1].loc, 21, 36);
	}
	CHECK_STR(action_grant->resources.items[0].s,
		  "arn:aws:dynamodb:us-east-1:111122223333:table/tickets");
	CHECK_POS(action_grant->resources.items[0].loc, 22, 12);
	CHECK_STR(action_grant->because.s, "Reads ticket metadata");
	CHECK_STR(action_grant->approver.s, "sec@example.com");
	CHECK_POS(action_grant->approver.loc, 24, 16);
	CHECK_INT(action_grant->nconds, 1);
	c = action_grant->conds;
	if (c) {
		CHECK(c->next == NULL);
		CHECK_STR(c->key.s, "dynamodb:LeadingKeys");
		CHECK_POS(c->loc, 25, 5);
		CHECK_POS(c->key.loc, 25, 10);
		CHECK_INT(c->op, COND_IN);
		CHECK_POS(c->op_loc, 25, 33);
		CHECK(c->values_is_list);
		CHECK_INT(c->values.n, 1);
		CHECK_STR(c->values.items[0].s, "${aws:PrincipalTag/tenant}");
		CHECK_POS(c->values.items[0].loc, 25, 37);
	}

	CHECK(deny_grant->deny);
	CHECK(deny_grant->by_level);
	CHECK_INT(deny_grant->levels, ACCESS_WRITE);
	CHECK_POS(deny_grant->loc, 27, 3);
	CHECK_INT(deny_grant->resources.n, 2);
	CHECK_POS(deny_grant->resources.loc, 27, 24);
	if (deny_grant->resources.n == 2) {
		CHECK_STR(deny_grant->resources.items[0].s,
			  "arn:aws:s3:::support-exports/*");
		CHECK_STR(deny_grant->resources.items[1].s, "arn:aws:s3:::audit/*");
		CHECK_POS(deny_grant->resources.items[1].loc, 27, 59);
	}
	CHECK(deny_grant->because.s == NULL);
out:
	capture_close(&cap);
	unit_release(&u);
}

/* A field that was not written keeps its zero value. */
static void test_lang__unwritten_fields_are_unset(void)
{
	struct spec_unit u;
	struct capture cap;
	const struct agent *a;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, "agent \"bare\" { kind = api_key }\n", __LINE__);
	a = u.agents;
	if (a) {
		CHECK_INT(a->kind, AGENT_API_KEY);
		CHECK(a->description.s == NULL);
		CHECK(a->justification.s == NULL);
		CHECK(!a->owner.present);
		CHECK(a->owner.technical.s == NULL);
		CHECK(!a->review.present);
		CHECK(!a->review.every.set);
		CHECK(!a->expires.set);
		CHECK(!a->credentials.present);
		CHECK(!a->credentials.long_lived_keys.set);
		CHECK(!a->audit.present);
		CHECK_INT(a->audit.decisions, AUDIT_UNSET);
		CHECK(!a->audit.context.set);
		CHECK_INT(a->nidentities, 0);
		CHECK_INT(a->ngrants, 0);
	}
	CHECK(!u.gate.present);
	CHECK_INT(u.nclasses, 0);
	CHECK_INT(u.nwaivers, 0);
	capture_close(&cap);
	unit_release(&u);
}

static void test_lang__lists(void)
{
	static const char text[] =
		"gate { frameworks = [soc2, \"pci_dss\",] }\n"
		"resource \"one\" { match = \"arn:aws:s3:::one/*\" }\n"
		"resource \"two\" {\n"
		"  match = [\n"
		"    \"arn:aws:s3:::two\",\n"
		"    \"arn:aws:s3:::two/*\",\n"
		"  ]\n"
		"  sensitivity = restricted\n"
		"  environment = production\n"
		"}\n"
		"agent \"a\" {\n"
		"  kind = workload\n"
		"  audit { context = [] }\n"
		"  identity aws role \"arn:aws:iam::111122223333:role/a\" {\n"
		"    trusted_by = \"ecs-tasks.amazonaws.com\"\n"
		"  }\n"
		"}\n";
	struct spec_unit u;
	struct capture cap;
	const struct resource_class *one, *two;
	const struct identity *id;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, text, __LINE__);

	/* A trailing comma adds no item; names and strings mix. */
	CHECK(u.gate.present);
	CHECK_INT(u.gate.frameworks.n, 2);
	if (u.gate.frameworks.n == 2) {
		CHECK_STR(u.gate.frameworks.items[0].s, "soc2");
		CHECK_STR(u.gate.frameworks.items[1].s, "pci_dss");
	}
	CHECK_POS(u.gate.frameworks.loc, 1, 21);

	/* A single string where a list of strings is accepted is a list. */
	CHECK_INT(u.nclasses, 2);
	one = u.classes;
	two = one ? one->next : NULL;
	if (one) {
		CHECK_STR(one->name.s, "one");
		CHECK_INT(one->match.n, 1);
		CHECK_STR(one->match.items[0].s, "arn:aws:s3:::one/*");
		CHECK_POS(one->match.loc, 2, 26);
		CHECK_INT(one->sensitivity, SENSITIVITY_UNSET);
		CHECK(one->environment.s == NULL);
	}
	if (two) {
		CHECK_INT(two->match.n, 2);
		CHECK_POS(two->match.loc, 4, 11);
		CHECK_POS(two->match.items[1].loc, 6, 5);
		CHECK_INT(two->sensitivity, SENSITIVITY_RESTRICTED);
		CHECK_STR(two->environment.s, "production");
		CHECK_POS(two->loc, 3, 1);
	}

	/* An empty list is set but contains nothing. */
	if (u.agents) {
		CHECK(u.agents->audit.context.set);
		CHECK_INT(u.agents->audit.context.n, 0);
		id = u.agents->identities;
		CHECK(id != NULL);
		if (id) {
			CHECK_INT(id->trusted_by.n, 1);
			CHECK_STR(id->trusted_by.items[0].s,
				  "ecs-tasks.amazonaws.com");
			CHECK_POS(id->trusted_by.loc, 15, 18);
		}
	}
	capture_close(&cap);
	unit_release(&u);
}

static void test_lang__condition_operators(void)
{
	static const char text[] =
		"agent \"a\" {\n"
		"  kind = ai_agent\n"
		"  grant read on aws:s3 \"arn:aws:s3:::b/*\" {\n"
		"    when \"k1\" == \"v\"\n"
		"    when \"k2\" != v\n"
		"    when \"k3\" in [\"a\", \"b\"]\n"
		"    when \"k4\" not_in [c]\n"
		"    when \"k5\" like \"logs/*\"\n"
		"    when \"k6\" not_like [\"tmp/*\"]\n"
		"    when \"k7\" < 10\n"
		"    when \"k8\" <= -2.5\n"
		"    when \"k9\" > 2027-06-30\n"
		"    when \"k10\" >= true\n"
		"    when \"k11\" any_in [false, 1w]\n"
		"  }\n"
		"}\n";
	static const struct {
		const char *key;
		enum cond_op op;
		bool is_list;
		size_t n;
		const char *first;
	} want[] = {
		{ "k1", COND_EQ, false, 1, "v" },
		{ "k2", COND_NE, false, 1, "v" },
		{ "k3", COND_IN, true, 2, "a" },
		{ "k4", COND_NOT_IN, true, 1, "c" },
		{ "k5", COND_LIKE, false, 1, "logs/*" },
		{ "k6", COND_NOT_LIKE, true, 1, "tmp/*" },
		{ "k7", COND_LT, false, 1, "10" },
		{ "k8", COND_LE, false, 1, "-2.5" },
		{ "k9", COND_GT, false, 1, "2027-06-30" },
		{ "k10", COND_GE, false, 1, "true" },
		{ "k11", COND_ANY_IN, true, 2, "false" },
	};
	struct spec_unit u;
	struct capture cap;
	const struct condition *c;
	size_t i = 0;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, text, __LINE__);
	if (!u.agents || !u.agents->grants)
		goto out;
	CHECK_INT(u.agents->grants->nconds, ARRAY_SIZE(want));
	for (c = u.agents->grants->conds; c && i < ARRAY_SIZE(want);
	     c = c->next, i++) {
		CHECK_STR(c->key.s, want[i].key);
		CHECK_INT(c->op, want[i].op);
		CHECK_STR(cond_op_name(c->op), cond_op_name(want[i].op));
		CHECK_INT(c->values_is_list, want[i].is_list);
		CHECK_INT(c->values.n, want[i].n);
		if (c->values.n)
			CHECK_STR(c->values.items[0].s, want[i].first);
		CHECK_POS(c->loc, (uint32_t)(4 + i), 5);
	}
	c = u.agents->grants->conds;
	if (c && c->next) {
		CHECK_POS(c->op_loc, 4, 15);
		CHECK_POS(c->next->op_loc, 5, 15);
	}
	/* The last condition: a duration is its seconds. */
	for (c = u.agents->grants->conds; c && c->next; c = c->next)
		;
	if (c && c->values.n == 2)
		CHECK_STR(c->values.items[1].s, "604800");
out:
	capture_close(&cap);
	unit_release(&u);
}

/* A duration in a condition, as for aws:MultiFactorAuthAge, is seconds. */
static void test_lang__condition_duration_is_seconds(void)
{
	static const char text[] =
		"agent \"a\" {\n"
		"  kind = ai_agent\n"
		"  grant read on aws:s3 \"arn:aws:s3:::b/*\" {\n"
		"    when \"aws:MultiFactorAuthAge\" <= 1h\n"
		"    when \"aws:MultiFactorAuthAge\" < 90s\n"
		"  }\n"
		"}\n";
	struct spec_unit u;
	struct capture cap;
	const struct condition *c;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, text, __LINE__);
	c = u.agents && u.agents->grants ? u.agents->grants->conds : NULL;
	CHECK(c != NULL);
	if (c) {
		CHECK_INT(c->values.n, 1);
		CHECK_STR(c->values.items[0].s, "3600");
		CHECK_POS(c->values.items[0].loc, 4, 38);
		CHECK(c->next != NULL);
		if (c->next)
			CHECK_STR(c->next->values.items[0].s, "90");
	}
	capture_close(&cap);
	unit_release(&u);
}

static void test_lang__level_grants(void)
{
	static const char text[] =
		"agent \"a\" {\n"
		"  kind = ai_agent\n"
		"  grant [list, read, tagging] on aws:s3 \"arn:aws:s3:::b\"\n"
		"  grant [write, permissions] on aws:iam \"arn:aws:iam::1:role/x\"\n"
		"  grant wrtie on aws:s3 \"arn:aws:s3:::b/*\"\n"
		"  grant [read, raed] on gcp:storage \"projects/p/buckets/b\"\n"
		"  deny actions [\"s3:DeleteObject\"] on aws:s3 \"arn:aws:s3:::b/*\"\n"
		"}\n";
	struct spec_unit u;
	struct capture cap;
	const struct grant *g[5] = { NULL };
	const struct grant *it;
	size_t n = 0;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, text, __LINE__);
	if (!u.agents)
		goto out;
	CHECK_INT(u.agents->ngrants, 5);
	for (it = u.agents->grants; it && n < 5; it = it->next)
		g[n++] = it;
	if (n != 5)
		goto out;

	CHECK(g[0]->by_level);
	CHECK_INT(g[0]->levels, ACCESS_LIST | ACCESS_READ | ACCESS_TAGGING);
	CHECK_INT(g[0]->level_names.n, 3);
	CHECK_POS(g[0]->levels_loc, 3, 9);
	CHECK_POS(g[0]->level_names.items[2].loc, 3, 22);

	CHECK_INT(g[1]->levels, ACCESS_WRITE | ACCESS_PERMISSIONS);
	CHECK_STR(g[1]->service.s, "iam");

	/* An unknown level is left for the rules, which suggest a name. */
	CHECK(g[2]->by_level);
	CHECK_INT(g[2]->levels, 0);
	CHECK_INT(g[2]->level_names.n, 1);
	CHECK_STR(g[2]->level_names.items[0].s, "wrtie");
	CHECK_POS(g[2]->level_names.items[0].loc, 5, 9);
	CHECK_STR(access_level_suggest("wrtie"), "write");
	CHECK_INT(access_level_parse("wrtie"), -1);
	CHECK_INT(access_level_parse("tagging"), ACCESS_TAGGING);
	CHECK_STR(access_level_name(ACCESS_PERMISSIONS), "permissions");

	CHECK_INT(g[3]->levels, ACCESS_READ);
	CHECK_INT(g[3]->level_names.n, 2);
	CHECK_STR(g[3]->level_names.items[1].s, "raed");
	CHECK_INT(g[3]->provider, PROVIDER_GCP);
	CHECK_STR(g[3]->service.s, "storage");

	CHECK(g[4]->deny);
	CHECK(!g[4]->by_level);
	CHECK_INT(g[4]->actions.n, 1);
	CHECK_STR(g[4]->service.s, "s3");
out:
	capture_close(&cap);
	unit_release(&u);
}

static void test_lang__top_level_items(void)
{
	static const char text[] =
		"agent \"digest\" { kind = ai_agent\n"
		"  identity aws role \"arn:aws:iam::111122223333:role/digest\" }\n"
		"gate {\n"
		"  fail_on             = medium\n"
		"  max_review_interval = 26w\n"
		"  max_rotation        = 2160h\n"
		"  owner_pattern       = \"^[a-z]+@example\\\\.com$\"\n"
		"  agent_name_pattern  = \"^[a-z-]+$\"\n"
		"}\n"
		"waive MND104 for \"digest\" {\n"
		"  identity = \"arn:aws:iam::111122223333:role/digest\"\n"
		"  until    = 2027-01-31\n"
		"  reason   = \"One person runs this team\"\n"
		"  approver = \"carol@example.com\"\n"
		"}\n"
		"escalation \"pass-role\" {\n"
		"  description = \"passes a role to a new function\"\n"
		"  requires    = [\"iam:PassRole\", \"lambda:CreateFunction\"]\n"
		"}\n";
	struct spec_unit u;
	struct capture cap;
	const struct waiver *w;
	const struct escalation *e;
	int32_t days = 0;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, text, __LINE__);

	CHECK(u.gate.present);
	CHECK_POS(u.gate.loc, 3, 1);
	CHECK(u.gate.fail_on_set);
	CHECK_INT(u.gate.fail_on, SEV_MEDIUM);
	CHECK_INT(u.gate.max_review_interval.seconds, 26 * 7 * 86400);
	CHECK_INT(u.gate.max_rotation.seconds, 90 * 86400);
	/* The string's escape \\ stands for one backslash. */
	CHECK_STR(u.gate.owner_pattern.s, "^[a-z]+@example\\.com$");
	CHECK_STR(u.gate.agent_name_pattern.s, "^[a-z-]+$");

	CHECK_INT(u.nwaivers, 1);
	w = u.waivers;
	if (w) {
		CHECK_STR(w->rule.s, "MND104");
		CHECK_POS(w->rule.loc, 10, 7);
		CHECK_STR(w->agent.s, "digest");
		CHECK_STR(w->identity.s, "arn:aws:iam::111122223333:role/digest");
		CHECK(w->until.set);
		CHECK(date_parse("2027-01-31", 10, &days) == 0);
		CHECK_INT(w->until.days, days);
		CHECK_STR(w->reason.s, "One person runs this team");
		CHECK_STR(w->approver.s, "carol@example.com");
		CHECK_POS(w->loc, 10, 1);
	}

	CHECK_INT(u.nescalations, 1);
	e = u.escalations;
	if (e) {
		CHECK_STR(e->name.s, "pass-role");
		CHECK_STR(e->description.s, "passes a role to a new function");
		CHECK_INT(e->requires.n, 2);
		CHECK_STR(e->requires.items[1].s, "lambda:CreateFunction");
	}
	capture_close(&cap);
	unit_release(&u);
}

/* Equal names intern to one pointer, which the cross-file checks use. */
static void test_lang__names_are_interned(void)
{
	static const char text[] =
		"agent \"a\" { kind = ai_agent  audit { context = [task] } }\n"
		"agent \"b\" { kind = ai_agent  audit { context = [\"task\"] } }\n";
	struct spec_unit u;
	struct capture cap;

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, text, __LINE__);
	if (u.agents && u.agents->next) {
		CHECK(u.agents->audit.context.items[0].s ==
		      u.agents->next->audit.context.items[0].s);
		CHECK(u.agents->name.s != u.agents->next->name.s);
	}
	capture_close(&cap);
	unit_release(&u);
}

static void test_lang__date_parse(void)
{
	static const struct {
		const char *text;
		int32_t days;		/* -1: rejected */
	} cases[] = {
		{ "1970-01-01", 0 },
		{ "1970-01-02", 1 },
		{ "1970-12-31", 364 },
		{ "2000-02-29", 11016 },	/* divisible by 400: leap */
		{ "2026-12-01", 20788 },
		{ "2028-02-29", 21243 },
		{ "2038-01-19", 24855 },
		{ "9999-12-31", 2932896 },
		{ "2027-02-29", -1 },
		{ "2100-02-29", -1 },		/* divisible by 100: not leap */
		{ "2027-04-31", -1 },
		{ "2027-13-01", -1 },
		{ "2027-00-10", -1 },
		{ "2027-01-00", -1 },
		{ "1969-12-31", -1 },
		{ "2027-1-01", -1 },
		{ "2027/01/01", -1 },
		{ "2027-01-0x", -1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int32_t days = -1;
		int ret = date_parse(cases[i].text, strlen(cases[i].text),
				     &days);

		if (cases[i].days < 0) {
			if (ret == 0)
				unit_fail(__FILE__, __LINE__, "'%s' accepted "
					  "as day %d", cases[i].text, days);
			continue;
		}
		if (ret != 0) {
			unit_fail(__FILE__, __LINE__, "'%s' rejected",
				  cases[i].text);
			continue;
		}
		CHECK_INT(days, cases[i].days);
	}
}

static void test_lang__date_explain(void)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{ "2027-02-29", "February 2027 has 28 days" },
		{ "2028-02-30", "February 2028 has 29 days" },
		{ "2027-04-31", "April 2027 has 30 days" },
		{ "2027-01-00", "January 2027 has 31 days" },
		{ "2027-13-01", "there is no month 13" },
		{ "1969-12-31", "dates before 1970-01-01 are not supported" },
		{ "2027-1-01", "expected YYYY-MM-DD" },
	};
	char why[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		date_explain(cases[i].text, strlen(cases[i].text), why,
			     sizeof(why));
		CHECK_STR(why, cases[i].why);
	}
}

/* Every day from 1970 to past 2200 formats back to the text it parses. */
static void test_lang__date_format_round_trip(void)
{
	char text[11];
	int32_t day, parsed;
	int failures = 0;

	for (day = 0; day < 84000 && failures < 5; day++) {
		date_format(day, text);
		parsed = -1;
		if (date_parse(text, strlen(text), &parsed) < 0 ||
		    parsed != day) {
			unit_fail(__FILE__, __LINE__, "day %d formats as '%s', "
				  "which parses as %d", day, text, parsed);
			failures++;
		}
	}
	date_format(0, text);
	CHECK_STR(text, "1970-01-01");
	date_format(21243, text);
	CHECK_STR(text, "2028-02-29");
	date_format(21244, text);
	CHECK_STR(text, "2028-03-01");
}

static void test_lang__durations(void)
{
	static const char text[] =
		"agent \"a\" {\n"
		"  kind = ai_agent\n"
		"  review      { every = 1w }\n"
		"  credentials { rotate = 7d  session = 45s }\n"
		"}\n"
		"gate { max_review_interval = 168h  max_rotation = 10080m }\n";
	struct spec_unit u;
	struct capture cap;
	char out[32];

	unit_init(&u);
	capture_open(&cap);
	parse_clean(&u, &cap, text, __LINE__);
	if (u.agents) {
		CHECK_INT(u.agents->review.every.seconds, 604800);
		CHECK_INT(u.agents->credentials.rotate.seconds,
			  u.agents->review.every.seconds);
		CHECK_INT(u.agents->credentials.session.seconds, 45);
	}
	CHECK_INT(u.gate.max_review_interval.seconds, 604800);
	CHECK_INT(u.gate.max_rotation.seconds, 604800);

	duration_format(604800, out);
	CHECK_STR(out, "7d");			/* weeks only from 52w up */
	duration_format(52 * 604800, out);
	CHECK_STR(out, "52w");
	duration_format(90 * 86400, out);
	CHECK_STR(out, "90d");
	duration_format(3600, out);
	CHECK_STR(out, "1h");
	duration_format(120, out);
	CHECK_STR(out, "2m");
	duration_format(90, out);
	CHECK_STR(out, "90s");
	capture_close(&cap);
	unit_release(&u);
}

/* A rejected duration is reported once, not again as zero. */
static void test_lang__invalid_durations(void)
{
	static const char text[] =
		"agent \"a\" {\n"
		"  kind = ai_agent\n"
		"  review      { every = 3mo }\n"
		"  credentials { rotate = 0d  session = 9999999999999999999s }\n"
		"}\n";
	struct spec_unit u;
	struct capture cap;

	unit_init(&u);
	capture_open(&cap);
	CHECK_INT(parse_text(&u, &cap, text), -1);
	CHECK_INT(cap.d.errors, 3);
	CHECK_REPORTED(&cap, "spec.mandate:3:25: error: invalid duration "
		       "'3mo'");
	CHECK_REPORTED(&cap, "spec.mandate:4:26: error: 'rotate' must be "
		       "longer than zero");
	CHECK_REPORTED(&cap, "spec.mandate:4:40: error: duration "
		       "'9999999999999999999s' is too long");
	if (u.agents) {
		CHECK(!u.agents->review.every.set);
		CHECK(!u.agents->credentials.rotate.set);
		CHECK(!u.agents->credentials.session.set);
	}
	capture_close(&cap);
	unit_release(&u);
}

/*
 * After a syntax error the parser resumes on the next line, and a
 * missing '}' before an agent still lets that agent be built.
 */
static void test_lang__recovery_keeps_later_items(void)
{
	static const char text[] =
		"agent \"one\" {\n"
		"  kind ai_agent\n"
		"  description = \"First\"\n"
		"  owner {\n"
		"    technical = \"a@example.com\"\n"
		"\n"
		"agent \"two\" {\n"
		"  kind = workload\n"
		"}\n";
	struct spec_unit u;
	struct capture cap;
	const struct agent *one, *two;

	unit_init(&u);
	capture_open(&cap);
	CHECK_INT(parse_text(&u, &cap, text), -1);
	CHECK_INT(cap.d.errors, 2);
	CHECK_REPORTED(&cap, "spec.mandate:2:8: error: unexpected identifier "
		       "'ai_agent', expected '{' or '='");
	CHECK_REPORTED(&cap, "spec.mandate:7:1: error: missing '}' before "
		       "'agent'");
	CHECK_REPORTED(&cap, "spec.mandate:4:9: note: to match this '{'");
	CHECK_INT(u.nagents, 2);
	one = u.agents;
	two = one ? one->next : NULL;
	if (one) {
		CHECK_STR(one->name.s, "one");
		CHECK_INT(one->kind, AGENT_KIND_UNSET);
		CHECK_STR(one->description.s, "First");
		CHECK_STR(one->owner.technical.s, "a@example.com");
	}
	if (two) {
		CHECK_STR(two->name.s, "two");
		CHECK_INT(two->kind, AGENT_WORKLOAD);
	}
	capture_close(&cap);
	unit_release(&u);
}

/* Write text to dir/rel, creating the directories in between. */
static void write_spec(const char *dir, const char *rel, const char *text)
{
	char path[512];
	char *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			BUG("cannot create %s: %s", path, strerror(errno));
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f)
		BUG("cannot create %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

/* Remove path and everything under it, without following links. */
static void remove_tree(const char *path)
{
	struct stat st;
	DIR *dp;
	struct dirent *e;

	if (lstat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0755);
	dp = opendir(path);
	while (dp && (e = readdir(dp))) {
		char sub[512];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		remove_tree(sub);
	}
	if (dp)
		closedir(dp);
	rmdir(path);
}

static char *make_temp_dir(void)
{
	char tmpl[] = "/tmp/mandate-lang-XXXXXX";

	if (!mkdtemp(tmpl))
		BUG("mkdtemp failed: %s", strerror(errno));
	return xstrdup(tmpl);
}

static void test_lang__load_paths_tree(void)
{
	static const char *const order[] = { "in-a-b", "in-a", "in-b", "top" };
	char *dir = make_temp_dir();
	char file[512], slashed[512], link[512];
	char *paths[3];
	struct spec_unit u;
	struct capture cap;
	const struct agent *a;
	size_t i = 0;

	write_spec(dir, "top.mandate", "agent \"top\" { kind = workload }\n");
	write_spec(dir, "b/one.mandate", "agent \"in-b\" { kind = workload }\n");
	write_spec(dir, "a/z.mandate", "agent \"in-a\" { kind = workload }\n");
	write_spec(dir, "a/b/y.mandate",
		   "agent \"in-a-b\" { kind = workload }\n");
	/* Hidden entries and other suffixes are never read. */
	write_spec(dir, ".git/hooks.mandate", "agent {\n");
	write_spec(dir, "a/.draft.mandate", "agent {\n");
	write_spec(dir, "a/notes.txt", "agent {\n");
	write_spec(dir, "a/spec.mandate.orig", "agent {\n");
	/* A second name of top.mandate inside the tree. */
	snprintf(link, sizeof(link), "%s/zz.mandate", dir);
	if (symlink("top.mandate", link) < 0)
		BUG("symlink failed: %s", strerror(errno));

	/* A file of the tree, then the tree twice, once with a slash. */
	snprintf(file, sizeof(file), "%s/top.mandate", dir);
	snprintf(slashed, sizeof(slashed), "%s/", dir);
	paths[0] = file;
	paths[1] = dir;
	paths[2] = slashed;

	unit_init(&u);
	capture_open(&cap);
	CHECK_INT(unit_load_paths(&u, paths, 3, &cap.d), 0);
	CHECK_STR(capture_text(&cap), "");
	CHECK_INT(u.nsources, 4);
	CHECK_INT(u.nagents, 4);
	/* Sorted by path: a/b/y, a/z, b/one, top, as "a/b/" < "a/z". */
	for (a = u.agents; a && i < ARRAY_SIZE(order); a = a->next, i++)
		CHECK_STR(a->name.s, order[i]);
	if (u.nsources == 4)
		CHECK_STR(u.sources[3]->path, file);
	capture_close(&cap);
	unit_release(&u);
	remove_tree(dir);
	free(dir);
}

static void test_lang__load_paths_symlink_loop(void)
{
	char *dir = make_temp_dir();
	char link[512], want[600];
	char *paths[1];
	struct spec_unit u;
	struct capture cap;

	write_spec(dir, "sub/a.mandate", "agent \"a\" { kind = workload }\n");
	snprintf(link, sizeof(link), "%s/sub/back", dir);
	if (symlink("..", link) < 0)
		BUG("symlink failed: %s", strerror(errno));
	paths[0] = dir;

	unit_init(&u);
	capture_open(&cap);
	CHECK_INT(unit_load_paths(&u, paths, 1, &cap.d), -1);
	CHECK_INT(cap.d.errors, 1);
	snprintf(want, sizeof(want), "%s: error: symbolic link loop: this "
		 "directory is already being read\n", link);
	CHECK_STR(capture_text(&cap), want);
	/* Nothing is parsed when the tree cannot be read whole. */
	CHECK_INT(u.nagents, 0);
	capture_close(&cap);
	unit_release(&u);
	remove_tree(dir);
	free(dir);
}

/*
 * Load dir, whose subdirectory "locked" has mode 000 and so cannot be
 * opened. Root, whom modes do not stop, loads it as user 65534 (nobody
 * on Debian), switching its effective user id there and back.
 */
static int load_with_locked_dir(struct spec_unit *u, char *dir,
				struct diag *d)
{
	char locked[512];
	bool as_root = geteuid() == 0;
	int ret;

	snprintf(locked, sizeof(locked), "%s/locked", dir);
	if (chmod(dir, 0755) < 0 || chmod(locked, 0) < 0)
		BUG("chmod failed: %s", strerror(errno));
	if (as_root && seteuid(65534) < 0)
		BUG("seteuid failed: %s", strerror(errno));
	ret = unit_load_paths(u, &dir, 1, d);
	if (as_root && seteuid(0) < 0)
		BUG("seteuid failed: %s", strerror(errno));
	chmod(locked, 0755);
	return ret;
}

static void test_lang__load_paths_unreadable_dir(void)
{
	char *dir = make_temp_dir();
	char want[600];
	struct spec_unit u;
	struct capture cap;

	write_spec(dir, "a.mandate", "agent \"a\" { kind = workload }\n");
	write_spec(dir, "locked/b.mandate", "agent \"b\" { kind = workload }\n");

	unit_init(&u);
	capture_open(&cap);
	CHECK_INT(load_with_locked_dir(&u, dir, &cap.d), -1);
	CHECK_INT(cap.d.errors, 1);
	snprintf(want, sizeof(want), "%s/locked: error: cannot read "
		 "directory: ", dir);
	CHECK_REPORTED(&cap, want);
	CHECK_INT(u.nagents, 0);
	capture_close(&cap);
	unit_release(&u);
	remove_tree(dir);
	free(dir);
}

static void test_lang__load_paths_missing(void)
{
	char missing[] = "/nonexistent/mandate/specs";
	char *paths[1] = { missing };
	struct spec_unit u;
	struct capture cap;

	unit_init(&u);
	capture_open(&cap);
	CHECK_INT(unit_load_paths(&u, paths, 1, &cap.d), -1);
	CHECK_STR(capture_text(&cap), "/nonexistent/mandate/specs: error: "
		  "cannot read: No such file or directory\n");
	capture_close(&cap);
	unit_release(&u);
}

UNIT_MAIN(
	UNIT_TEST(test_lang__agent_header_and_fields),
	UNIT_TEST(test_lang__agent_blocks),
	UNIT_TEST(test_lang__agent_identities),
	UNIT_TEST(test_lang__agent_grants),
	UNIT_TEST(test_lang__unwritten_fields_are_unset),
	UNIT_TEST(test_lang__lists),
	UNIT_TEST(test_lang__condition_operators),
	UNIT_TEST(test_lang__condition_duration_is_seconds),
	UNIT_TEST(test_lang__level_grants),
	UNIT_TEST(test_lang__top_level_items),
	UNIT_TEST(test_lang__names_are_interned),
	UNIT_TEST(test_lang__date_parse),
	UNIT_TEST(test_lang__date_explain),
	UNIT_TEST(test_lang__date_format_round_trip),
	UNIT_TEST(test_lang__durations),
	UNIT_TEST(test_lang__invalid_durations),
	UNIT_TEST(test_lang__recovery_keeps_later_items),
	UNIT_TEST(test_lang__load_paths_tree),
	UNIT_TEST(test_lang__load_paths_symlink_loop),
	UNIT_TEST(test_lang__load_paths_unreadable_dir),
	UNIT_TEST(test_lang__load_paths_missing),
)
