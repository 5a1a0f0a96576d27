#include "common.h"
#include "diff_report.h"
#include "report.h"

#include <cJSON.h>

/* ANSI colours of the text report, used with --color. */
#define COLOR_BOLD "\033[1m"
#define COLOR_RED "\033[31m"
#define COLOR_GREEN "\033[32m"
#define COLOR_ESCALATION "\033[1;31m"
#define COLOR_RESET "\033[0m"

/* Start a coloured span when color is set. */
static void paint(struct buf *b, bool color, const char *code)
{
	if (color)
		buf_adds(b, code);
}

/* "1 agent changed (1 added), 2 escalations" */
static void add_summary(struct buf *b, const struct perm_diff *d)
{
	size_t counts[AGENT_RENAMED + 1] = { 0 };
	const char *sep = " (";
	size_t i;

	for (i = 0; i < d->nagents; i++)
		counts[d->agents[i].change]++;
	buf_addf(b, "%zu agent%s changed", d->nagents,
		 plural((long long)d->nagents));
	for (i = 0; i <= AGENT_RENAMED; i++) {
		if (!counts[i] || i == AGENT_CHANGED)
			continue;
		buf_addf(b, "%s%zu %s", sep, counts[i],
			 agent_change_name((enum agent_change)i));
		sep = ", ";
	}
	if (strcmp(sep, " ("))
		buf_addch(b, ')');
	buf_addf(b, ", %zu escalation%s", d->nescalations,
		 plural((long long)d->nescalations));
}

/* "+ s3:GetObject on R when C and D", with "deny " for a deny; no newline. */
static void add_perm_line(struct buf *b, char sign, const struct perm *p)
{
	size_t i;

	buf_addf(b, "%c %s", sign, p->deny ? "deny " : "");
	buf_add_printable(b, p->action);
	buf_adds(b, " on ");
	buf_add_printable(b, p->resource);
	for (i = 0; i < p->nconds; i++) {
		buf_adds(b, i ? " and " : " when ");
		buf_add_printable(b, p->conds[i]);
	}
}

static void add_value(struct buf *b, const char *v)
{
	if (!v) {
		buf_adds(b, "(unset)");
		return;
	}
	buf_addch(b, '\'');
	buf_add_printable(b, v);
	buf_addch(b, '\'');
}

static void add_agent_head(struct buf *b, const struct agent_diff *ad,
			   bool color)
{
	paint(b, color, COLOR_BOLD);
	buf_adds(b, "agent '");
	buf_add_printable(b, ad->name);
	buf_addf(b, "' %s", agent_change_name(ad->change));
	if (ad->change == AGENT_RENAMED && strcmp(ad->old_name, ad->name)) {
		buf_adds(b, " from '");
		buf_add_printable(b, ad->old_name);
		buf_addch(b, '\'');
	}
	buf_adds(b, " (");
	if (ad->old_file && strcmp(ad->old_file, ad->file)) {
		buf_add_printable(b, ad->old_file);
		buf_adds(b, " -> ");
	}
	buf_add_printable(b, ad->file);
	buf_addch(b, ')');
	paint(b, color, COLOR_RESET);
	buf_addch(b, '\n');
}

static void text_agent(struct buf *b, const struct agent_diff *ad,
		       const char *indent, bool color)
{
	size_t i;

	for (i = 0; i < ad->nescalations; i++) {
		buf_adds(b, indent);
		paint(b, color, COLOR_ESCALATION);
		buf_addf(b, "escalation [%s]:",
			 escalation_kind_name(ad->escalations[i].kind));
		paint(b, color, COLOR_RESET);
		buf_addch(b, ' ');
		buf_add_printable(b, ad->escalations[i].message);
		buf_addch(b, '\n');
	}
	for (i = 0; i < ad->nfields; i++) {
		const struct field_change *f = &ad->fields[i];
		bool one_side = (ad->change == AGENT_ADDED && !f->from) ||
				(ad->change == AGENT_REMOVED && !f->to);

		buf_addf(b, "%s%s: ", indent, f->field);
		if (one_side) {
			add_value(b, f->from ? f->from : f->to);
		} else {
			add_value(b, f->from);
			buf_adds(b, " -> ");
			add_value(b, f->to);
		}
		buf_addch(b, '\n');
	}
	for (i = 0; i < ad->nids_added; i++) {
		buf_adds(b, indent);
		paint(b, color, COLOR_GREEN);
		buf_adds(b, "+ identity ");
		buf_add_printable(b, ad->ids_added[i]);
		paint(b, color, COLOR_RESET);
		buf_addch(b, '\n');
	}
	for (i = 0; i < ad->nids_removed; i++) {
		buf_adds(b, indent);
		paint(b, color, COLOR_RED);
		buf_adds(b, "- identity ");
		buf_add_printable(b, ad->ids_removed[i]);
		paint(b, color, COLOR_RESET);
		buf_addch(b, '\n');
	}
	for (i = 0; i < ad->nadded; i++) {
		buf_adds(b, indent);
		paint(b, color, COLOR_GREEN);
		add_perm_line(b, '+', &ad->added[i]);
		paint(b, color, COLOR_RESET);
		buf_addch(b, '\n');
	}
	for (i = 0; i < ad->nremoved; i++) {
		buf_adds(b, indent);
		paint(b, color, COLOR_RED);
		add_perm_line(b, '-', &ad->removed[i]);
		paint(b, color, COLOR_RESET);
		buf_addch(b, '\n');
	}
}

static void add_plain_value(struct buf *b, const char *v)
{
	if (v)
		buf_addf(b, "'%s'", v);
	else
		buf_adds(b, "(unset)");
}

/*
 * Append a line's worth of plain text for c, unescaped:
 * "gate fail_on: 'high' -> 'critical'" or
 * "resource class 'payments' removed (was 'restricted')".
 */
static void describe_unit_change(struct buf *b, const struct unit_change *c)
{
	bool waiver = !strcmp(c->kind, "waiver");

	if (!strcmp(c->kind, "gate"))
		buf_adds(b, "gate");
	else if (waiver)
		buf_addf(b, "waiver %s", c->name);
	else
		buf_addf(b, "%s '%s'", !strcmp(c->kind, "resource") ?
			 "resource class" : "escalation path", c->name);
	if (!c->field) {
		buf_addf(b, " %s (", c->before ? "removed" : "added");
		if (waiver)
			buf_adds(b, "until ");
		else
			buf_adds(b, c->before ? "was " : "is ");
		add_plain_value(b, c->before ? c->before : c->after);
		buf_addch(b, ')');
		return;
	}
	buf_addf(b, " %s: ", c->field);
	add_plain_value(b, c->before);
	buf_adds(b, " -> ");
	add_plain_value(b, c->after);
}

static void text_unit(struct buf *b, const struct perm_diff *d, bool color)
{
	struct buf line = BUF_INIT;
	size_t i;

	if (d->nunit)
		buf_addch(b, '\n');
	for (i = 0; i < d->nunit; i++) {
		const struct unit_change *c = &d->unit[i];

		buf_reset(&line);
		describe_unit_change(&line, c);
		buf_adds(b, "unit: ");
		buf_add_printable(b, buf_str(&line));
		buf_addch(b, '\n');
		if (c->message) {
			buf_adds(b, "  ");
			paint(b, color, COLOR_ESCALATION);
			buf_addf(b, "escalation [%s]:",
				 !strcmp(c->kind, "escalation") ?
				 "escalation-path" : c->kind);
			paint(b, color, COLOR_RESET);
			buf_addch(b, ' ');
			buf_add_printable(b, c->message);
			buf_addch(b, '\n');
		}
	}
	buf_release(&line);
}

void diff_report_text(struct buf *b, const struct perm_diff *d,
		      const char *base, const char *head, bool color)
{
	size_t i;

	paint(b, color, COLOR_BOLD);
	buf_adds(b, "mandate diff ");
	buf_add_printable(b, base);
	buf_adds(b, " -> ");
	buf_add_printable(b, head ? head : "working tree");
	buf_adds(b, ": ");
	add_summary(b, d);
	paint(b, color, COLOR_RESET);
	buf_addch(b, '\n');
	text_unit(b, d, color);
	for (i = 0; i < d->nagents; i++) {
		buf_addch(b, '\n');
		add_agent_head(b, &d->agents[i], color);
		text_agent(b, &d->agents[i], "  ", color);
	}
}

/*
 * Append text escaped for Markdown: a backslash before \, |, `, *, _, <
 * and [, a space for each tab or line break, and '?' for any other
 * control character. An unescaped backslash
 * would hide itself, as "\." renders as ".". An '@' that could start a
 * mention is written as a character reference, so a pull-request
 * comment notifies no user or team.
 */
static void add_md(struct buf *b, const char *text)
{
	struct buf line = BUF_INIT;
	const char *start, *s;

	buf_add_one_line(&line, text);
	start = buf_str(&line);
	for (s = start; *s; s++) {
		if (md_mention_at(start, s)) {
			buf_adds(b, "&#64;");
			continue;
		}
		if (*s == '\\' || *s == '|' || *s == '`' || *s == '*' ||
		    *s == '_' || *s == '<' || *s == '[')
			buf_addch(b, '\\');
		buf_addch(b, *s);
	}
	buf_release(&line);
}

static void md_fields(struct buf *b, const struct agent_diff *ad)
{
	size_t i;

	if (!ad->nfields)
		return;
	buf_adds(b, "| field | before | after |\n|---|---|---|\n");
	for (i = 0; i < ad->nfields; i++) {
		buf_addf(b, "| %s | ", ad->fields[i].field);
		add_md(b, ad->fields[i].from ? ad->fields[i].from : "(unset)");
		buf_adds(b, " | ");
		add_md(b, ad->fields[i].to ? ad->fields[i].to : "(unset)");
		buf_adds(b, " |\n");
	}
	buf_addch(b, '\n');
}

/*
 * Append a code fence longer than any run of backticks in text, so that
 * a resource pattern cannot end the block early.
 */
static void add_fence(struct buf *b, const char *text)
{
	size_t run = 0, longest = 2, i;

	for (; *text; text++) {
		run = *text == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (i = 0; i <= longest; i++)
		buf_addch(b, '`');
}

/*
 * The maximum size of the Markdown report, in bytes. GitHub rejects a
 * pull-request comment over 65,536 characters, and a character takes at
 * least one byte, so this leaves room for text that CI adds around it.
 */
#define MD_MAX 60000

/*
 * Bytes kept free for the notes that close a cut report: one for each
 * kind of list cut and the final line, each under 100 bytes.
 */
#define MD_TAIL 512

/* Return whether extra more bytes fit in the Markdown report b. */
static bool md_fits(const struct buf *b, size_t extra)
{
	return b->len + extra + MD_TAIL <= MD_MAX;
}

/* Append a note that n more items of a list were left out. */
static void md_omitted(struct buf *b, const char *prefix, size_t n,
		       const char *what)
{
	if (n)
		buf_addf(b, "%s... and %zu more%s (see --format json)\n",
			 prefix, n, what);
}

/* Append line i of an agent's identities and permissions, changed. */
static void md_change_line(struct buf *b, const struct agent_diff *ad,
			   size_t i)
{
	if (i < ad->nids_added) {
		buf_addf(b, "+ identity %s\n", ad->ids_added[i]);
		return;
	}
	i -= ad->nids_added;
	if (i < ad->nids_removed) {
		buf_addf(b, "- identity %s\n", ad->ids_removed[i]);
		return;
	}
	i -= ad->nids_removed;
	if (i < ad->nadded)
		add_perm_line(b, '+', &ad->added[i]);
	else
		add_perm_line(b, '-', &ad->removed[i - ad->nadded]);
	buf_addch(b, '\n');
}

/*
 * Append the identities and permissions as a diff block, which renders
 * in colour, with as many lines as fit in room bytes. Returns the number
 * of lines left out.
 */
static size_t md_changes(struct buf *b, const struct agent_diff *ad,
			 size_t room)
{
	struct buf all = BUF_INIT, fence = BUF_INIT, line = BUF_INIT;
	size_t i, n = ad->nids_added + ad->nids_removed + ad->nadded +
			ad->nremoved, kept = 0, used;

	for (i = 0; i < n; i++) {
		buf_reset(&line);
		md_change_line(&line, ad, i);
		buf_add(&all, line.data, line.len);
	}
	if (!n)
		goto out;
	add_fence(&fence, buf_str(&all));
	/* fences, "diff\n", the note of lines left out, blank line */
	used = 2 * fence.len + 5 + 100 + 3;
	if (used > room) {
		/* Not even an empty block fits: MD_TAIL has room for this. */
		md_omitted(b, "", n, " changes");
		buf_addch(b, '\n');
		goto out;
	}
	buf_reset(&all);
	for (i = 0; i < n; i++) {
		buf_reset(&line);
		md_change_line(&line, ad, i);
		if (used + all.len + line.len > room)
			break;
		buf_add(&all, line.data, line.len);
		kept++;
	}
	buf_addf(b, "%sdiff\n%s", buf_str(&fence), buf_str(&all));
	md_omitted(b, "", n - kept, "");
	buf_addf(b, "%s\n\n", buf_str(&fence));
out:
	buf_release(&all);
	buf_release(&fence);
	buf_release(&line);
	return n - kept;
}

/* The heading, file, escalations and fields of an agent's section. */
static void md_agent_head(struct buf *b, const struct agent_diff *ad)
{
	size_t i;

	buf_adds(b, "### ");
	add_md(b, ad->name);
	buf_addf(b, " (%s", agent_change_name(ad->change));
	if (ad->change == AGENT_RENAMED && strcmp(ad->old_name, ad->name)) {
		buf_adds(b, " from ");
		add_md(b, ad->old_name);
	}
	buf_adds(b, ")\n\n");
	if (ad->old_file && strcmp(ad->old_file, ad->file)) {
		add_md(b, ad->old_file);
		buf_adds(b, " → ");
	}
	add_md(b, ad->file);
	buf_adds(b, "\n\n");
	for (i = 0; i < ad->nescalations; i++) {
		buf_addf(b, "- :warning: **%s**: ",
			 escalation_kind_name(ad->escalations[i].kind));
		add_md(b, ad->escalations[i].message);
		buf_addch(b, '\n');
	}
	if (ad->nescalations)
		buf_addch(b, '\n');
	md_fields(b, ad);
}

/*
 * Append an agent's section when its head fits, with as many changes
 * as fit. Returns false, appending nothing, when the head does not.
 */
static bool md_agent(struct buf *b, const struct agent_diff *ad,
		     size_t *omitted)
{
	struct buf head = BUF_INIT;
	bool fits;

	md_agent_head(&head, ad);
	fits = md_fits(b, head.len);
	if (fits) {
		buf_add(b, head.data, head.len);
		*omitted += md_changes(b, ad, MD_MAX - MD_TAIL - b->len);
	}
	buf_release(&head);
	return fits;
}

/* Append the line "- TEXT\n" with text escaped, when it fits. */
static bool md_item(struct buf *b, const char *label, const char *text)
{
	struct buf line = BUF_INIT;
	bool fits;

	buf_adds(&line, "- ");
	if (label) {
		buf_adds(&line, "**");
		add_md(&line, label);
		buf_adds(&line, "**: ");
	}
	add_md(&line, text);
	buf_addch(&line, '\n');
	fits = md_fits(b, line.len);
	if (fits)
		buf_add(b, line.data, line.len);
	buf_release(&line);
	return fits;
}

static size_t md_unit(struct buf *b, const struct perm_diff *d)
{
	struct buf line = BUF_INIT;
	size_t i, omitted = 0;

	if (!d->nunit)
		return 0;
	buf_adds(b, "## Repository-wide changes\n\n");
	for (i = 0; i < d->nunit; i++) {
		buf_reset(&line);
		describe_unit_change(&line, &d->unit[i]);
		if (omitted || !md_item(b, NULL, buf_str(&line)))
			omitted++;
	}
	md_omitted(b, "- ", omitted, " repository-wide changes");
	buf_addch(b, '\n');
	buf_release(&line);
	return omitted;
}

static size_t md_escalations(struct buf *b, const struct perm_diff *d)
{
	size_t i, j, omitted = 0;

	if (!d->nescalations)
		return 0;
	buf_adds(b, "## Escalations\n\n");
	for (i = 0; i < d->nunit; i++)
		if (d->unit[i].message &&
		    (omitted || !md_item(b, "repository",
					 d->unit[i].message)))
			omitted++;
	for (i = 0; i < d->nagents; i++)
		for (j = 0; j < d->agents[i].nescalations; j++)
			if (omitted || !md_item(b, d->agents[i].name,
					d->agents[i].escalations[j].message))
				omitted++;
	md_omitted(b, "- ", omitted, " escalations");
	buf_addch(b, '\n');
	return omitted;
}

void diff_report_markdown(struct buf *b, const struct perm_diff *d,
			  const char *base, const char *head)
{
	size_t i, omitted;

	buf_adds(b, "**mandate diff** ");
	add_md(b, base);
	buf_adds(b, " → ");
	add_md(b, head ? head : "working tree");
	buf_adds(b, ": ");
	add_summary(b, d);
	buf_adds(b, "\n\n");
	omitted = md_escalations(b, d);
	omitted += md_unit(b, d);
	if (d->nagents)
		buf_adds(b, "## Agents\n\n");
	for (i = 0; i < d->nagents; i++)
		if (!md_agent(b, &d->agents[i], &omitted))
			break;
	md_omitted(b, "", d->nagents - i, " agents");
	if (omitted || i < d->nagents)
		buf_addf(b, "\n_The diff is cut to %d bytes to fit a "
			 "pull-request comment._\n", MD_MAX);
	if (b->len > MD_MAX)
		BUG("the Markdown diff is larger than MD_MAX");
}

static cJSON *json_strings(const char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static cJSON *json_perms(const struct perm *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "action", v[i].action);
		cJSON_AddStringToObject(o, "resource", v[i].resource);
		cJSON_AddStringToObject(o, "effect",
					v[i].deny ? "deny" : "allow");
		cJSON_AddItemToObject(o, "conditions",
				      json_strings(v[i].conds, v[i].nconds));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static void json_add_nullable(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *json_agent(const struct agent_diff *ad)
{
	cJSON *o = cJSON_CreateObject(), *a, *ids;
	size_t i;

	cJSON_AddStringToObject(o, "name", ad->name);
	/* A renamed agent is changed, and also carries its earlier name. */
	cJSON_AddStringToObject(o, "change",
				ad->change == AGENT_RENAMED
					? agent_change_name(AGENT_CHANGED)
					: agent_change_name(ad->change));
	cJSON_AddBoolToObject(o, "renamed", ad->change == AGENT_RENAMED);
	cJSON_AddStringToObject(o, "file", ad->file);
	if (ad->change == AGENT_RENAMED) {
		cJSON_AddStringToObject(o, "old_name", ad->old_name);
		cJSON_AddStringToObject(o, "old_file", ad->old_file);
		json_add_nullable(o, "renamed_by", ad->rename_reason);
	}
	a = cJSON_AddArrayToObject(o, "fields");
	for (i = 0; i < ad->nfields; i++) {
		cJSON *f = cJSON_CreateObject();

		cJSON_AddStringToObject(f, "field", ad->fields[i].field);
		json_add_nullable(f, "from", ad->fields[i].from);
		json_add_nullable(f, "to", ad->fields[i].to);
		cJSON_AddItemToArray(a, f);
	}
	ids = cJSON_AddObjectToObject(o, "identities");
	cJSON_AddItemToObject(ids, "added",
			      json_strings(ad->ids_added, ad->nids_added));
	cJSON_AddItemToObject(ids, "removed",
			      json_strings(ad->ids_removed, ad->nids_removed));
	cJSON_AddItemToObject(o, "added", json_perms(ad->added, ad->nadded));
	cJSON_AddItemToObject(o, "removed",
			      json_perms(ad->removed, ad->nremoved));
	a = cJSON_AddArrayToObject(o, "escalations");
	for (i = 0; i < ad->nescalations; i++) {
		const struct perm_escalation *e = &ad->escalations[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "kind",
					escalation_kind_name(e->kind));
		json_add_nullable(x, "principal", e->principal);
		json_add_nullable(x, "resource", e->resource);
		cJSON_AddItemToObject(x, "actions",
				      json_strings(e->actions, e->nactions));
		cJSON_AddStringToObject(x, "message", e->message);
		cJSON_AddItemToArray(a, x);
	}
	return o;
}

static cJSON *json_unit(const struct perm_diff *d)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < d->nunit; i++) {
		const struct unit_change *c = &d->unit[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "kind", c->kind);
		cJSON_AddStringToObject(x, "name", c->name);
		json_add_nullable(x, "field", c->field);
		json_add_nullable(x, "before", c->before);
		json_add_nullable(x, "after", c->after);
		cJSON_AddBoolToObject(x, "escalation", c->message != NULL);
		json_add_nullable(x, "message", c->message);
		cJSON_AddItemToArray(a, x);
	}
	return a;
}

void diff_report_json(struct buf *b, const struct perm_diff *d,
		      const char *base, const char *head,
		      const char *base_commit, const char *head_commit)
{
	cJSON *root = cJSON_CreateObject(), *agents;
	char *text;
	size_t i;

	cJSON_AddStringToObject(root, "base", base);
	json_add_nullable(root, "head", head);
	json_add_nullable(root, "base_commit",
			  *base_commit ? base_commit : NULL);
	json_add_nullable(root, "head_commit",
			  *head_commit ? head_commit : NULL);
	cJSON_AddNumberToObject(root, "escalations", (double)d->nescalations);
	cJSON_AddItemToObject(root, "unit", json_unit(d));
	agents = cJSON_AddArrayToObject(root, "agents");
	for (i = 0; i < d->nagents; i++)
		cJSON_AddItemToArray(agents, json_agent(&d->agents[i]));
	text = cJSON_Print(root);
	buf_adds(b, text);
	buf_addch(b, '\n');
	cJSON_free(text);
	cJSON_Delete(root);
}

/*
 * Return whether the first line of text starts with prefix and contains
 * sep and " escalation", as the summary line of a diff report does.
 */
static bool first_line_has(const char *text, size_t len, const char *prefix,
			   const char *sep)
{
	size_t n = strlen(prefix);
	const char *end = memchr(text, '\n', len);
	size_t line = end ? (size_t)(end - text) : len;
	char *first;
	bool found;

	if (line < n || memcmp(text, prefix, n))
		return false;
	first = xstrndup(text, line);
	found = strstr(first, sep) && strstr(first, " escalation");
	free(first);
	return found;
}

static bool json_recognize(const char *text, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	bool ours = cJSON_IsObject(root) &&
		    cJSON_IsString(cJSON_GetObjectItem(root, "base")) &&
		    cJSON_IsNumber(cJSON_GetObjectItem(root, "escalations")) &&
		    cJSON_IsArray(cJSON_GetObjectItem(root, "unit")) &&
		    cJSON_IsArray(cJSON_GetObjectItem(root, "agents"));

	cJSON_Delete(root);
	return ours;
}

bool diff_report_recognize(const char *format, const char *text, size_t len)
{
	if (!strcmp(format, "json"))
		return json_recognize(text, len);
	if (!strcmp(format, "markdown"))
		return first_line_has(text, len, "**mandate diff** ", " → ");
	if (!strcmp(format, "text"))
		return first_line_has(text, len, "mandate diff ", " -> ");
	BUG("unknown diff format '%s'", format);
}
