#include "common.h"
#include "cli.h"

#include <getopt.h>
#include <strings.h>

#include "build.h"
#include "controls.h"
#include "finding.h"
#include "pipeline.h"

static void explain_usage(FILE *out)
{
	fputs("usage: mandate explain RULE\n\n"
	      "Print what a rule checks, why it matters, how to fix a\n"
	      "finding of it, its default severity, and the compliance\n"
	      "controls it maps to. RULE is an id such as MND102 or a name\n"
	      "such as business-owner-missing.\n\n"
	      "options:\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 the rule was explained, 2 it is unknown.\n",
	      out);
}

/* Return the rule whose id (in any case) or name is arg, or NULL. */
static const struct rule *lookup(const char *arg)
{
	const struct rule *table;
	size_t n, i;

	table = rule_table(&n);
	for (i = 0; i < n; i++)
		if (!strcasecmp(arg, table[i].id) ||
		    !strcmp(arg, table[i].name))
			return &table[i];
	return NULL;
}

static void report_unknown(const char *arg)
{
	const struct rule *table;
	const char **names;
	const char *guess;
	size_t n, i;

	table = rule_table(&n);
	names = xcalloc(2 * n, sizeof(*names));
	for (i = 0; i < n; i++) {
		names[i] = table[i].id;
		names[n + i] = table[i].name;
	}
	guess = nearest_name(arg, names, 2 * n);
	diag_plain(&cli.diag, DIAG_ERROR, "unknown rule '%s'", arg);
	if (guess)
		diag_plain(&cli.diag, DIAG_NOTE, "did you mean '%s'?", guess);
	else
		diag_plain(&cli.diag, DIAG_NOTE, "rule ids run from %s to %s",
			   table[0].id, table[n - 1].id);
	free(names);
}

/* Print "label: text" wrapped at 72 columns, then a blank line. */
static void print_paragraph(const char *label, const char *text,
			    const char *end)
{
	size_t col = strlen(label) + 2;
	const char *p = text;

	printf("%s:", label);
	while (*p) {
		size_t len = strcspn(p, " ");

		if (col + 1 + len > 72 && col > strlen(label) + 2) {
			fputs("\n ", stdout);
			col = 1;
		}
		printf(" %.*s", (int)len, p);
		col += 1 + len;
		p += len;
		while (*p == ' ')
			p++;
	}
	printf("%s\n", end);
}

static void print_controls(const struct controls *c, const struct rule *r)
{
	const struct rule_controls *rc = controls_get(c, r->id);
	size_t i;
	int fw;

	fputs("\ncontrols:\n", stdout);
	if (!rc) {
		fputs("  none mapped\n", stdout);
		return;
	}
	for (fw = 0; fw < FW_COUNT; fw++) {
		printf("  %s:", framework_title((enum framework)fw));
		for (i = 0; i < rc->n[fw]; i++)
			printf("%s %s", i ? "," : "", rc->ids[fw][i]);
		putchar('\n');
	}
}

static int explain(const char *arg)
{
	const struct rule *r = lookup(arg);
	struct controls controls;

	if (!r) {
		report_unknown(arg);
		return EXIT_ERROR;
	}
	if (pipeline_load_controls(&controls) < 0)
		return EXIT_ERROR;
	printf("%s %s\n\n", r->id, r->name);
	printf("severity: %s\n\n", severity_name(r->severity));
	print_paragraph("checks", r->summary, ".\n");
	print_paragraph("why", r->rationale, "\n");
	print_paragraph("fix", r->hint, ".");
	print_controls(&controls, r);
	controls_release(&controls);
	return EXIT_PASS;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			explain_usage(stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("explain", "invalid option");
		}
	}
	cli_apply_color();
	if (argc - optind != 1)
		return cli_usage_error("explain", "expected one rule id or "
				       "name, such as MND102");
	return explain(argv[optind]);
}
