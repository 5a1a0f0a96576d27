#include "common.h"
#include "diff_report.h"

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
		buf_addf(b, "%s%s: ", indent, ad->fields[i].field);
		add_value(b, ad->fields[i].from);
		buf_adds(b, " -> ");
		add_value(b, ad->fields[i].to);
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
			buf_adds(b, "escalation [unit]:");
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
 * Append s escaped for Markdown: a backslash before |, `, *, _, < and [,
 * and a space for each control character.
 */
static void add_md(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '`' || *s == '*' || *s == '_' ||
		    *s == '<' || *s == '[')
			buf_addch(b, '\\');
		buf_addch(b, (unsigned char)*s < 0x20 ? ' ' : *s);
	}
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

/* Identities and permissions as a diff block, which renders in colour. */
static void md_changes(struct buf *b, const struct agent_diff *ad)
{
	struct buf lines = BUF_INIT;
	size_t i;

	for (i = 0; i < ad->nids_added; i++)
		buf_addf(&lines, "+ identity %s\n", ad->ids_added[i]);
	for (i = 0; i < ad->nids_removed; i++)
		buf_addf(&lines, "- identity %s\n", ad->ids_removed[i]);
	for (i = 0; i < ad->nadded; i++) {
		add_perm_line(&lines, '+', &ad->added[i]);
		buf_addch(&lines, '\n');
	}
	for (i = 0; i < ad->nremoved; i++) {
		add_perm_line(&lines, '-', &ad->removed[i]);
		buf_addch(&lines, '\n');
	}
	if (lines.len) {
		add_fence(b, buf_str(&lines));
		buf_addf(b, "diff\n%s", buf_str(&lines));
		add_fence(b, buf_str(&lines));
		buf_adds(b, "\n\n");
	}
	buf_release(&lines);
}

static void md_agent(struct buf *b, const struct agent_diff *ad)
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
	md_changes(b, ad);
}

static void md_unit(struct buf *b, const struct perm_diff *d)
{
	struct buf line = BUF_INIT;
	size_t i;

	if (!d->nunit)
		return;
	buf_adds(b, "## Repository-wide changes\n\n");
	for (i = 0; i < d->nunit; i++) {
		buf_reset(&line);
		describe_unit_change(&line, &d->unit[i]);
		buf_adds(b, "- ");
		add_md(b, buf_str(&line));
		buf_addch(b, '\n');
	}
	buf_addch(b, '\n');
	buf_release(&line);
}

void diff_report_markdown(struct buf *b, const struct perm_diff *d,
			  const char *base, const char *head)
{
	size_t i, j;

	buf_adds(b, "**mandate diff** ");
	add_md(b, base);
	buf_adds(b, " → ");
	add_md(b, head ? head : "working tree");
	buf_adds(b, ": ");
	add_summary(b, d);
	buf_adds(b, "\n\n");
	if (d->nescalations) {
		buf_adds(b, "## Escalations\n\n");
		for (i = 0; i < d->nunit; i++) {
			if (!d->unit[i].message)
				continue;
			buf_adds(b, "- **repository**: ");
			add_md(b, d->unit[i].message);
			buf_addch(b, '\n');
		}
		for (i = 0; i < d->nagents; i++)
			for (j = 0; j < d->agents[i].nescalations; j++) {
				buf_adds(b, "- **");
				add_md(b, d->agents[i].name);
				buf_adds(b, "**: ");
				add_md(b, d->agents[i].escalations[j].message);
				buf_addch(b, '\n');
			}
		buf_addch(b, '\n');
	}
	md_unit(b, d);
	if (d->nagents)
		buf_adds(b, "## Agents\n\n");
	for (i = 0; i < d->nagents; i++)
		md_agent(b, &d->agents[i]);
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
	cJSON_AddStringToObject(o, "change", agent_change_name(ad->change));
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
