#include "common.h"
#include "unit.h"

#include "buf.h"
#include "finding.h"
#include "severity.h"

/*
 * The rule table (compiler/rules.c) and docs/rules.md, which states
 * every rule in the words of the table: a row of the summary table and
 * a section with the severity, summary and fix of each rule. Paths are
 * relative to the repository root.
 */

#define RULES_DOC "docs/rules.md"

/* Read the whole file at path into out; returns 0 or -1. */
static int read_text(struct buf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	fclose(f);
	return 0;
}

static void test_rules__table_sorted_and_found(void)
{
	const struct rule *v;
	size_t n, i;

	v = rule_table(&n);
	CHECK(n > 0);
	for (i = 1; i < n; i++)
		CHECK(strcmp(v[i - 1].id, v[i].id) < 0);
	for (i = 0; i < n; i++)
		CHECK(rule_find(v[i].id) == &v[i]);
	CHECK(rule_find("MND999") == NULL);
}

static void check_doc_contains(const char *doc, const char *text)
{
	if (!strstr(doc, text))
		unit_fail(__FILE__, __LINE__, RULES_DOC " lacks '%s'", text);
}

static void test_rules__doc_states_each_rule(void)
{
	struct buf doc = BUF_INIT, line = BUF_INIT;
	const struct rule *v;
	size_t n, i;

	CHECK_INT(read_text(&doc, RULES_DOC), 0);
	v = rule_table(&n);
	for (i = 0; i < n && doc.len; i++) {
		const char *sev = severity_name(v[i].severity);

		buf_reset(&line);
		buf_addf(&line, "| %s | %s | %s | %s |\n", v[i].id, v[i].name,
			 sev, v[i].summary);
		check_doc_contains(buf_str(&doc), buf_str(&line));

		buf_reset(&line);
		buf_addf(&line, "## %s %s\n\nSeverity %s. Reported when %s.\n",
			 v[i].id, v[i].name, sev, v[i].summary);
		check_doc_contains(buf_str(&doc), buf_str(&line));

		buf_reset(&line);
		buf_addf(&line, "\nFix: %s.\n", v[i].hint);
		check_doc_contains(buf_str(&doc), buf_str(&line));
	}
	buf_release(&line);
	buf_release(&doc);
}

static void test_rules__escalation_covers_live_identities(void)
{
	const struct rule *r = rule_find("MND133");

	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(strstr(r->summary, "live role's or user's policies") != NULL);
	CHECK_INT(r->severity, SEV_CRITICAL);
}

UNIT_MAIN(UNIT_TEST(test_rules__table_sorted_and_found),
	  UNIT_TEST(test_rules__doc_states_each_rule),
	  UNIT_TEST(test_rules__escalation_covers_live_identities))
