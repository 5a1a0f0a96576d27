#include "common.h"
#include "report.h"

/*
 * JUnit XML as Jenkins, GitLab and most CI services read it: one
 * testsuites element, one testsuite, and one testcase per agent. The
 * element and attribute names are those of the Jenkins JUnit schema
 * (junit-4.xsd of the Jenkins dtkit project).
 */

/* The start of every JUnit report, up to the first count of test cases. */
#define JUNIT_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<testsuites name=\"mandate check\" tests=\""

enum case_kind {
	CASE_AGENT,
	CASE_IDENTITY,		/* in an export, claimed by no agent */
	CASE_NONE,		/* findings of neither */
};

/* One test case and the findings it reports. */
struct test_case {
	enum case_kind kind;
	const char *name;
	const char *classname;	/* the file the agent or identity is in */
	size_t seq;		/* order added, to keep sorting stable */
	const struct finding **v;
	size_t n, cap;
	size_t failures;
};

/*
 * Append s with XML's markup characters escaped: as an attribute value,
 * where quotes and line breaks must be escaped too, or as element text.
 */
static void add_escaped(struct buf *out, const char *s, bool attribute)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			buf_adds(out, "&amp;");
		else if (c == '<')
			buf_adds(out, "&lt;");
		else if (c == '>')
			buf_adds(out, "&gt;");
		else if (attribute && c == '"')
			buf_adds(out, "&quot;");
		else if (attribute && c == '\n')
			buf_adds(out, "&#10;");
		else if (attribute && c == '\t')
			buf_adds(out, "&#9;");
		else if (c < 0x20 && c != '\n' && c != '\t')
			buf_addch(out, '?');	/* not allowed in XML 1.0 */
		else
			buf_addch(out, (char)c);
	}
}

static void add_xml(struct buf *out, const char *s)
{
	add_escaped(out, s, true);
}

static int cmp_cases(const void *pa, const void *pb)
{
	const struct test_case *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Sort as cmp_cases, and equal names in the order they were added. */
static int cmp_cases_stable(const void *pa, const void *pb)
{
	const struct test_case *a = pa, *b = pb;
	int r = cmp_cases(pa, pb);

	if (r)
		return r;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static struct test_case *find_case(struct test_case *cases, size_t n,
				   enum case_kind kind, const char *name)
{
	struct test_case key = { .kind = kind, .name = name };

	return bsearch(&key, cases, n, sizeof(*cases), cmp_cases);
}

static void case_of(const struct finding *x, enum case_kind *kind,
		    const char **name)
{
	if (x->agent) {
		*kind = CASE_AGENT;
		*name = x->agent;
	} else if (x->identity) {
		*kind = CASE_IDENTITY;
		*name = x->identity;
	} else {
		*kind = CASE_NONE;
		*name = "";
	}
}

static void add_case(struct test_case **cases, size_t *n, size_t *cap,
		     enum case_kind kind, const char *name,
		     const char *classname)
{
	struct test_case *c;

	grow_array((void **)cases, cap, *n + 1, sizeof(**cases));
	c = &(*cases)[(*n)++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->name = name;
	c->classname = classname;
	c->seq = *n - 1;
}

/*
 * Return the test cases sorted by kind and name: every agent of the
 * unit, and each agent or identity that only findings name. Each gets
 * its findings in report order.
 */
static struct test_case *collect_cases(const struct findings *f,
				       const struct verdict *v,
				       const struct report_meta *m,
				       size_t *ncases)
{
	struct test_case *cases = NULL;
	size_t n = 0, cap = 0, i, j;
	const struct agent *a;

	for (a = m->agents; a; a = a->next)
		add_case(&cases, &n, &cap, CASE_AGENT, a->name.s,
			 a->name.loc.src ? report_path(a->name.loc.src->path)
					 : "mandate");
	for (i = 0; i < f->n; i++) {
		const char *file, *name;
		enum case_kind kind;
		uint32_t line, col;

		case_of(&f->v[i], &kind, &name);
		finding_position(&f->v[i], &file, &line, &col);
		add_case(&cases, &n, &cap, kind, name,
			 file ? report_path(file) : "mandate");
	}
	sort_array(cases, n, sizeof(*cases), cmp_cases_stable);
	/* Keep the first of each name: an agent's own entry comes first. */
	for (i = 0, j = 0; i < n; i++)
		if (!j || cmp_cases(&cases[j - 1], &cases[i]))
			cases[j++] = cases[i];
	n = j;

	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		struct test_case *c;
		enum case_kind kind;
		const char *name;

		case_of(x, &kind, &name);
		c = find_case(cases, n, kind, name);
		if (!c)
			BUG("no test case for a finding");
		grow_array((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
		c->v[c->n++] = x;
		if (!x->waiver && x->severity >= v->fail_on)
			c->failures++;
	}
	*ncases = n;
	return cases;
}

/* Append a finding's text: where, what, details, fix and controls. */
static void add_finding_text(struct buf *out, const struct finding *x,
			     const struct controls *controls)
{
	struct buf text = BUF_INIT, list = BUF_INIT;
	const char *file;
	uint32_t line, col;
	size_t i;

	finding_position(x, &file, &line, &col);
	if (file)
		buf_addf(&text, "%s:%u:%u: ", report_path(file), line, col);
	buf_addf(&text, "%s [%s %s]\n", x->message, x->rule->id,
		 severity_name(x->severity));
	for (i = 0; i < x->ndetails; i++)
		buf_addf(&text, "  - %s\n", x->details[i]);
	if (x->note)
		buf_addf(&text, "note: %s\n", x->note);
	if (x->hint)
		buf_addf(&text, "fix: %s\n", x->hint);
	if (controls)
		controls_format(&list, controls,
				controls_get(controls, x->rule->id));
	if (list.len)
		buf_addf(&text, "controls: %s\n", buf_str(&list));
	if (x->waiver)
		buf_addf(&text, "waived: %s (approver %s)\n",
			 x->waiver->reason.s ? x->waiver->reason.s : "",
			 x->waiver->approver.s ? x->waiver->approver.s : "");
	add_escaped(out, buf_str(&text), false);
	buf_release(&list);
	buf_release(&text);
}

static void add_case_xml(struct buf *out, const struct test_case *c,
			 const struct verdict *v,
			 const struct controls *controls)
{
	size_t i, others = 0;

	buf_adds(out, "    <testcase name=\"");
	add_xml(out, c->kind == CASE_NONE ? "(no agent or identity)"
					  : c->name);
	buf_adds(out, "\" classname=\"");
	add_xml(out, c->classname);
	buf_adds(out, "\" time=\"0\"");
	if (c->n == 0) {
		buf_adds(out, "/>\n");
		return;
	}
	buf_adds(out, ">\n");
	for (i = 0; i < c->n; i++) {
		const struct finding *x = c->v[i];

		if (x->waiver || x->severity < v->fail_on) {
			others++;
			continue;
		}
		buf_adds(out, "      <failure type=\"");
		add_xml(out, x->rule->id);
		buf_adds(out, "\" message=\"");
		add_xml(out, x->message);
		buf_adds(out, "\">");
		add_finding_text(out, x, controls);
		buf_adds(out, "</failure>\n");
	}
	if (others) {
		buf_adds(out, "      <system-out>");
		for (i = 0; i < c->n; i++)
			if (c->v[i]->waiver || c->v[i]->severity < v->fail_on)
				add_finding_text(out, c->v[i], controls);
		buf_adds(out, "</system-out>\n");
	}
	buf_adds(out, "    </testcase>\n");
}

static void add_property(struct buf *out, const char *name, const char *value)
{
	buf_adds(out, "      <property name=\"");
	add_xml(out, name);
	buf_adds(out, "\" value=\"");
	add_xml(out, value);
	buf_adds(out, "\"/>\n");
}

void report_junit(struct buf *out, const struct findings *f,
		  const struct verdict *v, const struct report_meta *m)
{
	size_t ncases, nfailed = 0, i;
	struct test_case *cases = collect_cases(f, v, m, &ncases);
	char today[11];

	for (i = 0; i < ncases; i++)
		nfailed += cases[i].failures != 0;
	date_format(m->today, today);
	buf_addf(out, JUNIT_HEAD "%zu\" failures=\"%zu\" errors=\"0\">\n",
		 ncases, nfailed);
	buf_addf(out, "  <testsuite name=\"mandate check\" tests=\"%zu\" "
		 "failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", ncases,
		 nfailed);
	buf_adds(out, "    <properties>\n");
	add_property(out, "verdict", v->pass ? "pass" : "fail");
	add_property(out, "fail_on", severity_name(v->fail_on));
	add_property(out, "today", today);
	add_property(out, "mandate", m->tool_version);
	buf_adds(out, "    </properties>\n");
	for (i = 0; i < ncases; i++) {
		add_case_xml(out, &cases[i], v, m->controls);
		free(cases[i].v);
	}
	buf_adds(out, "  </testsuite>\n</testsuites>\n");
	free(cases);
}

bool report_junit_recognize(const char *text, size_t len)
{
	return len >= strlen(JUNIT_HEAD) &&
	       !memcmp(text, JUNIT_HEAD, strlen(JUNIT_HEAD));
}
