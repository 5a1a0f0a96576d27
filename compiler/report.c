#include "common.h"
#include "report.h"

#include <cJSON.h>

/* Detail lines shown per finding in text; JSON carries all of them. */
#define TEXT_DETAILS_MAX 10

#define COLOR_BOLD "\033[1m"
#define COLOR_RED "\033[1;31m"
#define COLOR_MAGENTA "\033[1;35m"
#define COLOR_CYAN "\033[1;36m"
#define COLOR_RESET "\033[0m"

void verdict_compute(struct verdict *v, const struct findings *f,
		     enum severity fail_on)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	v->fail_on = fail_on;
	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];

		if (x->waiver) {
			v->waived++;
			continue;
		}
		v->counts[x->severity]++;
		if (x->severity >= fail_on)
			v->failing++;
	}
	v->pass = v->failing == 0;
}

static void add_excerpt(struct buf *out, const struct loc *loc, bool color)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (!mem)
		BUG("open_memstream failed");
	loc_print_excerpt(mem, color, loc);
	fclose(mem);
	buf_add(out, text, len);
	free(text);
}

static void text_finding(struct buf *out, const struct finding *x,
			 const struct verdict *v, const struct controls *controls,
			 bool color)
{
	bool failing = x->severity >= v->fail_on;
	const char *level = failing ? "error" : "warning";
	const char *file;
	uint32_t line, col;
	size_t i;

	finding_position(x, &file, &line, &col);
	if (file) {
		if (color)
			buf_adds(out, COLOR_BOLD);
		buf_add_printable(out, file);
		buf_addf(out, color ? ":%u:%u:" COLOR_RESET " " : ":%u:%u: ",
			 line, col);
	}
	else
		buf_adds(out, color ? COLOR_BOLD "mandate:" COLOR_RESET " "
				    : "mandate: ");
	if (color)
		buf_addf(out, "%s%s:" COLOR_RESET " ",
			 failing ? COLOR_RED : COLOR_MAGENTA, level);
	else
		buf_addf(out, "%s: ", level);
	buf_addf(out, "%s [%s %s]\n", x->message, x->rule->id,
		 severity_name(x->severity));
	if (file)
		add_excerpt(out, &x->loc, color);
	for (i = 0; i < x->ndetails && i < TEXT_DETAILS_MAX; i++)
		buf_addf(out, "    - %s\n", x->details[i]);
	if (x->ndetails > TEXT_DETAILS_MAX)
		buf_addf(out, "    ... and %zu more (--format json lists "
			 "all)\n", x->ndetails - TEXT_DETAILS_MAX);
	if (x->note) {
		if (file) {
			buf_add_printable(out, file);
			buf_addf(out, ":%u:%u: ", line, col);
		}
		buf_addf(out, color ? COLOR_CYAN "note:" COLOR_RESET " %s\n"
				    : "note: %s\n", x->note);
	}
	if (x->hint)
		buf_addf(out, "    fix: %s\n", x->hint);
	if (controls) {
		struct buf list = BUF_INIT;

		controls_format(&list, controls,
				controls_get(controls, x->rule->id));
		if (list.len)
			buf_addf(out, "    controls: %s\n", buf_str(&list));
		buf_release(&list);
	}
}

void report_text_findings(struct buf *out, const struct findings *f,
			  const struct verdict *v,
			  const struct controls *controls, bool color)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!f->v[i].waiver)
			text_finding(out, &f->v[i], v, controls, color);
}

void report_text(struct buf *out, const struct findings *f,
		 const struct verdict *v, const struct report_meta *m,
		 bool color)
{
	size_t shown = f->n - v->waived;
	int s;

	report_text_findings(out, f, v, m->controls, color);
	if (shown)
		buf_addch(out, '\n');
	buf_addf(out, "%zu finding%s", shown, shown == 1 ? "" : "s");
	if (shown) {
		const char *sep = ": ";

		for (s = SEV_CRITICAL; s >= SEV_INFO; s--) {
			if (!v->counts[s])
				continue;
			buf_addf(out, "%s%zu %s", sep, v->counts[s],
				 severity_name((enum severity)s));
			sep = ", ";
		}
	}
	if (v->waived)
		buf_addf(out, " (%zu waived)", v->waived);
	buf_addch(out, '\n');
	if (v->pass)
		buf_addf(out, "verdict: %spass%s (nothing at or above %s)\n",
			 color ? "\033[1;32m" : "", color ? COLOR_RESET : "",
			 severity_name(v->fail_on));
	else
		buf_addf(out, "verdict: %sfail%s (%zu finding%s at or above "
			 "%s)\n", color ? COLOR_RED : "",
			 color ? COLOR_RESET : "", v->failing,
			 v->failing == 1 ? "" : "s",
			 severity_name(v->fail_on));
}

static cJSON *json_string_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

cJSON *report_json_controls(const struct controls *c, const char *rule_id)
{
	const struct rule_controls *rc = c ? controls_get(c, rule_id) : NULL;
	cJSON *o = cJSON_CreateObject();
	size_t i;
	int fw;

	for (fw = 0; rc && fw < FW_COUNT; fw++) {
		cJSON *list;

		if (!c->shown[fw])
			continue;
		list = cJSON_AddArrayToObject(o, framework_key(fw));
		for (i = 0; i < rc->n[fw]; i++)
			cJSON_AddItemToArray(list,
					     cJSON_CreateString(rc->ids[fw][i]));
	}
	return o;
}

cJSON *report_json_waiver(const struct waiver *w)
{
	cJSON *o = cJSON_CreateObject();
	char date[11] = "";

	if (w->until.set)
		date_format(w->until.days, date);
	cJSON_AddStringToObject(o, "until", date);
	cJSON_AddItemToObject(o, "reason", json_string_or_null(w->reason.s));
	cJSON_AddItemToObject(o, "approver",
			      json_string_or_null(w->approver.s));
	return o;
}

static cJSON *json_finding(const struct finding *x,
			   const struct controls *controls)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *details;
	const char *file;
	uint32_t line, col;
	size_t i;

	finding_position(x, &file, &line, &col);
	cJSON_AddStringToObject(o, "rule", x->rule->id);
	cJSON_AddStringToObject(o, "name", x->rule->name);
	cJSON_AddStringToObject(o, "severity", severity_name(x->severity));
	cJSON_AddItemToObject(o, "agent", json_string_or_null(x->agent));
	cJSON_AddItemToObject(o, "identity",
			      json_string_or_null(x->identity));
	cJSON_AddItemToObject(o, "file", json_string_or_null(file));
	if (file) {
		cJSON_AddNumberToObject(o, "line", line);
		cJSON_AddNumberToObject(o, "column", col);
	} else {
		cJSON_AddNullToObject(o, "line");
		cJSON_AddNullToObject(o, "column");
	}
	cJSON_AddStringToObject(o, "message", x->message);
	cJSON_AddItemToObject(o, "note", json_string_or_null(x->note));
	cJSON_AddItemToObject(o, "hint", json_string_or_null(x->hint));
	details = cJSON_AddArrayToObject(o, "details");
	for (i = 0; i < x->ndetails; i++)
		cJSON_AddItemToArray(details,
				     cJSON_CreateString(x->details[i]));
	cJSON_AddItemToObject(o, "controls",
			      report_json_controls(controls, x->rule->id));
	cJSON_AddBoolToObject(o, "waived", x->waiver != NULL);
	if (x->waiver)
		cJSON_AddItemToObject(o, "waiver",
				      report_json_waiver(x->waiver));
	return o;
}

void report_json(struct buf *out, const struct findings *f,
		 const struct verdict *v, const struct report_meta *m)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *tool, *counts, *list;
	char today[11];
	size_t i;
	int s;

	date_format(m->today, today);
	tool = cJSON_AddObjectToObject(root, "tool");
	cJSON_AddStringToObject(tool, "name", "mandate");
	cJSON_AddStringToObject(tool, "version", m->tool_version);
	cJSON_AddStringToObject(tool, "catalog", m->catalog_source);
	cJSON_AddStringToObject(root, "today", today);
	cJSON_AddStringToObject(root, "fail_on", severity_name(v->fail_on));
	cJSON_AddStringToObject(root, "verdict", v->pass ? "pass" : "fail");
	cJSON_AddNumberToObject(root, "agents", (double)m->nagents);
	cJSON_AddNumberToObject(root, "exports", (double)m->nexports);
	counts = cJSON_AddObjectToObject(root, "counts");
	for (s = SEV_CRITICAL; s >= SEV_INFO; s--)
		cJSON_AddNumberToObject(counts, severity_name((enum severity)s),
					(double)v->counts[s]);
	cJSON_AddNumberToObject(counts, "waived", (double)v->waived);
	cJSON_AddNumberToObject(counts, "failing", (double)v->failing);
	list = cJSON_AddArrayToObject(root, "findings");
	for (i = 0; i < f->n; i++)
		cJSON_AddItemToArray(list, json_finding(&f->v[i],
							m->controls));

	report_json_print(out, root);
}

void report_json_print(struct buf *out, cJSON *root)
{
	char *text = cJSON_Print(root);

	if (!text)
		BUG("cJSON_Print failed");
	buf_adds(out, text);
	buf_addch(out, '\n');
	cJSON_free(text);
	cJSON_Delete(root);
}

const char *report_path(const char *file)
{
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	return file;
}

/*
 * Return the start of the line before the one that starts at end, the
 * last byte of text being a newline; NULL when there is none.
 */
static const char *line_before(const char *text, const char *end)
{
	const char *p = end - 1;

	if (p < text || *p != '\n')
		return NULL;
	while (p > text && p[-1] != '\n')
		p--;
	return p;
}

/*
 * Recognize a text report by its last two lines, the counts ("N
 * findings...") and the verdict. A report written to a file has no
 * colour, so the lines are plain.
 */
static bool text_recognize(const char *text, size_t len)
{
	const char *verdict = line_before(text, text + len);
	const char *counts = verdict ? line_before(text, verdict) : NULL;
	size_t n;

	if (!counts)
		return false;
	n = (size_t)(text + len - verdict);
	if (n < 16 || (strncmp(verdict, "verdict: pass (", 15) &&
		       strncmp(verdict, "verdict: fail (", 15)) ||
	    memcmp(verdict + n - 2, ")\n", 2))
		return false;
	n = strspn(counts, "0123456789");
	return n > 0 && !strncmp(counts + n, " finding", 8);
}

static bool json_recognize(const char *text, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	const char *tool = cJSON_GetStringValue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(root, "tool"), "name"));
	bool ours = cJSON_IsObject(root) && tool && !strcmp(tool, "mandate") &&
		    cJSON_IsString(cJSON_GetObjectItem(root, "verdict")) &&
		    cJSON_IsArray(cJSON_GetObjectItem(root, "findings"));

	cJSON_Delete(root);
	return ours;
}

bool report_recognize(const char *format, const char *text, size_t len)
{
	if (!strcmp(format, "json"))
		return json_recognize(text, len);
	if (!strcmp(format, "sarif"))
		return report_sarif_recognize(text, len);
	if (!strcmp(format, "junit"))
		return report_junit_recognize(text, len);
	if (!strcmp(format, "markdown"))
		return report_markdown_recognize(text, len);
	if (!strcmp(format, "text"))
		return text_recognize(text, len);
	BUG("unknown report format '%s'", format);
}
