#include "common.h"
#include "unit.h"

#include "buf.h"
#include "controls.h"
#include "diag.h"
#include "finding.h"
#include "severity.h"

/*
 * The rule table (compiler/rules.c), the compliance controls of each
 * rule (stdlib/controls/rules.txt), and docs/rules.md. The page states
 * every rule in the words of the table: a row of the summary table, and
 * a section with the rule's severity, summary, reason, fix and controls.
 * Paths are relative to the repository root.
 */

#define RULES_DOC "docs/rules.md"
#define CONTROLS_FILE "stdlib/controls/rules.txt"

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

		buf_reset(&line);
		buf_addf(&line, "\nWhy: %s\n", v[i].rationale);
		check_doc_contains(buf_str(&doc), buf_str(&line));
	}
	buf_release(&line);
	buf_release(&doc);
}

static void load_controls(struct controls *c)
{
	struct diag d;

	diag_init(&d, stderr, false);
	CHECK_INT(controls_load(c, CONTROLS_FILE, &d), 0);
}

static void test_rules__every_rule_has_controls(void)
{
	struct controls c;
	const struct rule *v;
	size_t n, i;
	int fw;

	load_controls(&c);
	v = rule_table(&n);
	CHECK_INT(c.n, n);
	for (i = 0; i < n; i++) {
		const struct rule_controls *rc = controls_get(&c, v[i].id);

		if (!rc) {
			unit_fail(__FILE__, __LINE__, CONTROLS_FILE " does "
				  "not map %s", v[i].id);
			continue;
		}
		for (fw = 0; fw < FW_COUNT; fw++)
			if (!rc->n[fw])
				unit_fail(__FILE__, __LINE__, "%s has no %s "
					  "control", v[i].id,
					  framework_key((enum framework)fw));
	}
	controls_release(&c);
}

static void test_rules__every_rule_has_a_reason(void)
{
	const struct rule *v;
	size_t n, i;

	v = rule_table(&n);
	for (i = 0; i < n; i++)
		if (!v[i].rationale || strlen(v[i].rationale) < 20)
			unit_fail(__FILE__, __LINE__, "%s has no reason",
				  v[i].id);
}

/* The controls of each section, as the mapping file states them. */
static void test_rules__doc_states_controls(void)
{
	struct buf doc = BUF_INIT, line = BUF_INIT;
	struct controls c;
	size_t i, j;
	int fw;

	CHECK_INT(read_text(&doc, RULES_DOC), 0);
	load_controls(&c);
	for (i = 0; i < c.n && doc.len; i++) {
		const struct rule_controls *rc = &c.v[i];

		buf_reset(&line);
		buf_adds(&line, "\nControls: ");
		for (fw = 0; fw < FW_COUNT; fw++) {
			buf_addf(&line, "%s%s ", fw ? "; " : "",
				 framework_title((enum framework)fw));
			for (j = 0; j < rc->n[fw]; j++)
				buf_addf(&line, "%s%s", j ? ", " : "",
					 rc->ids[fw][j]);
		}
		buf_adds(&line, ".\n");
		check_doc_contains(buf_str(&doc), buf_str(&line));
	}
	controls_release(&c);
	buf_release(&line);
	buf_release(&doc);
}

static void test_rules__controls_select_frameworks(void)
{
	struct controls c;
	struct buf text = BUF_INIT;
	struct sval names[2];

	memset(names, 0, sizeof(names));
	names[0].s = "pci_dss";
	names[1].s = "soc2";
	load_controls(&c);
	controls_format(&text, &c, controls_get(&c, "MND220"));
	CHECK_STR(buf_str(&text),
		  "SOC 2 CC6.1; ISO 27001 A.5.17, A.8.5; PCI DSS 8.6.3");
	controls_select(&c, names, 2);
	buf_reset(&text);
	controls_format(&text, &c, controls_get(&c, "MND220"));
	CHECK_STR(buf_str(&text), "SOC 2 CC6.1; PCI DSS 8.6.3");
	controls_select(&c, names, 0);
	buf_reset(&text);
	controls_format(&text, &c, controls_get(&c, "MND220"));
	CHECK_STR(buf_str(&text), "SOC 2 CC6.1; PCI DSS 8.6.3");
	CHECK(controls_get(&c, "MND999") == NULL);
	buf_release(&text);
	controls_release(&c);
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
	  UNIT_TEST(test_rules__every_rule_has_controls),
	  UNIT_TEST(test_rules__every_rule_has_a_reason),
	  UNIT_TEST(test_rules__doc_states_controls),
	  UNIT_TEST(test_rules__controls_select_frameworks),
	  UNIT_TEST(test_rules__escalation_covers_live_identities))
