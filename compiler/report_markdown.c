#include "common.h"

#include "report.h"

#include <ctype.h>

/*
 * A Markdown summary in GitHub Flavored Markdown, for a pull-request
 * comment or $GITHUB_STEP_SUMMARY: the verdict, the counts by severity,
 * and tables of the findings by agent and of the waived ones.
 */

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-' ||
	       c == '+';
}

bool md_mention_at(const char *start, const char *s)
{
	return *s == '@' && (s == start || !name_char(s[-1])) &&
	       name_char(s[1]);
}

/*
 * Append text as a table cell. Characters that Markdown or a GFM table
 * would read as markup get a backslash, which CommonMark allows before
 * any ASCII punctuation. Tabs and line breaks become spaces because a
 * row is one line, and other control characters become '?'. An '@'
 * that could start a mention is a character reference, so the comment
 * notifies no user or team.
 */
static void add_cell(struct buf *out, const char *text)
{
	struct buf line = BUF_INIT;
	const char *start, *s;

	buf_add_one_line(&line, text);
	start = buf_str(&line);
	for (s = start; *s; s++) {
		if (md_mention_at(start, s)) {
			buf_adds(out, "&#64;");
			continue;
		}
		if (strchr("\\`*_[]<>|~&$#!", *s))
			buf_addch(out, '\\');
		buf_addch(out, *s);
	}
	buf_release(&line);
}

static void add_cell_f(struct buf *out, const char *fmt, ...)
	PRINTF_LIKE(2, 3);

static void add_cell_f(struct buf *out, const char *fmt, ...)
{
	struct buf text = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&text, fmt, ap);
	va_end(ap);
	add_cell(out, buf_str(&text));
	buf_release(&text);
}

static const char *who(const struct finding *x)
{
	if (x->agent)
		return x->agent;
	return x->identity ? x->identity : "";
}

/* Order findings by agent, then unclaimed identities, keeping report order. */
static int cmp_by_agent(const void *pa, const void *pb)
{
	const struct finding *a = *(const struct finding *const *)pa;
	const struct finding *b = *(const struct finding *const *)pb;
	int r;

	if ((a->agent == NULL) != (b->agent == NULL))
		return a->agent ? -1 : 1;
	r = strcmp(who(a), who(b));
	if (r)
		return r;
	return (a > b) - (a < b);
}

static void add_location(struct buf *out, const struct finding *x)
{
	const char *file;
	uint32_t line, col;

	finding_position(x, &file, &line, &col);
	if (file)
		add_cell_f(out, "%s:%u:%u", report_path(file), line, col);
}

static void add_row(struct buf *out, const struct finding *x,
		    const struct controls *controls)
{
	struct buf list = BUF_INIT;

	buf_adds(out, "| ");
	add_cell(out, who(x));
	buf_adds(out, " | ");
	add_cell_f(out, "%s %s", x->rule->id, x->rule->name);
	buf_addf(out, " | %s | ", severity_name(x->severity));
	add_location(out, x);
	buf_adds(out, " | ");
	add_cell(out, x->message);
	if (controls) {
		controls_format(&list, controls,
				controls_get(controls, x->rule->id));
		buf_adds(out, " | ");
		add_cell(out, buf_str(&list));
	}
	buf_adds(out, " |\n");
	buf_release(&list);
}

static void add_waived_row(struct buf *out, const struct finding *x)
{
	char until[11] = "";

	if (x->waiver->until.set)
		date_format(x->waiver->until.days, until);
	buf_adds(out, "| ");
	add_cell(out, who(x));
	buf_adds(out, " | ");
	add_cell_f(out, "%s %s", x->rule->id, x->rule->name);
	buf_adds(out, " | ");
	add_location(out, x);
	buf_adds(out, " | ");
	add_cell(out, x->message);
	buf_adds(out, " | ");
	add_cell(out, x->waiver->reason.s ? x->waiver->reason.s : "");
	buf_adds(out, " | ");
	add_cell(out, x->waiver->approver.s ? x->waiver->approver.s : "");
	buf_addf(out, " | %s |\n", until);
}

/* The heading every Markdown report starts with, before the verdict. */
#define MARKDOWN_HEAD "## mandate check: "

static void add_summary(struct buf *out, const struct verdict *v)
{
	int s;

	buf_addf(out, MARKDOWN_HEAD "%s\n\n", v->pass ? "pass" : "fail");
	if (v->pass)
		buf_addf(out, "The gate passed: no finding at or above %s.\n\n",
			 severity_name(v->fail_on));
	else
		buf_addf(out, "The gate failed: %zu finding%s at or above "
			 "%s.\n\n", v->failing, plural((long long)v->failing),
			 severity_name(v->fail_on));
	buf_adds(out, "| severity | findings |\n|---|---:|\n");
	for (s = SEV_CRITICAL; s >= SEV_INFO; s--)
		buf_addf(out, "| %s | %zu |\n", severity_name((enum severity)s),
			 v->counts[s]);
	buf_addf(out, "| waived | %zu |\n", v->waived);
}

void report_markdown(struct buf *out, const struct findings *f,
		     const struct verdict *v, const struct report_meta *m)
{
	const struct finding **order = xcalloc(f->n + 1, sizeof(*order));
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		order[n++] = &f->v[i];
	sort_array(order, n, sizeof(*order), cmp_by_agent);

	add_summary(out, v);
	if (n > v->waived) {
		buf_addf(out, "\n### Findings by agent\n\n"
			 "| agent | rule | severity | location | message |%s\n"
			 "|---|---|---|---|---|%s\n",
			 m->controls ? " controls |" : "",
			 m->controls ? "---|" : "");
		for (i = 0; i < n; i++)
			if (!order[i]->waiver)
				add_row(out, order[i], m->controls);
	}
	if (v->waived) {
		buf_adds(out, "\n### Waived\n\n"
			 "| agent | rule | location | message | reason | "
			 "approver | until |\n"
			 "|---|---|---|---|---|---|---|\n");
		for (i = 0; i < n; i++)
			if (order[i]->waiver)
				add_waived_row(out, order[i]);
	}
	free(order);
}

bool report_markdown_recognize(const char *text, size_t len)
{
	size_t n = strlen(MARKDOWN_HEAD);

	if (len < n || memcmp(text, MARKDOWN_HEAD, n))
		return false;
	text += n;
	len -= n;
	return (len >= 6 && !memcmp(text, "pass\n\n", 6)) ||
	       (len >= 6 && !memcmp(text, "fail\n\n", 6));
}
