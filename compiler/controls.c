#include "common.h"
#include "controls.h"

#include <ctype.h>

#include "diag.h"
#include "source.h"

/* The mapping file is a few kilobytes, so this only stops a wrong path. */
#define CONTROLS_FILE_MAX ((size_t)1 << 20)

static const char *const keys[FW_COUNT] = { "soc2", "iso27001", "pci_dss" };
static const char *const titles[FW_COUNT] = {
	"SOC 2", "ISO/IEC 27001:2022", "PCI DSS v4.0.1",
};

/* The names of the compact form, which leaves out the versions. */
static const char *const short_titles[FW_COUNT] = {
	"SOC 2", "ISO 27001", "PCI DSS",
};

const char *framework_key(enum framework fw)
{
	return keys[fw];
}

const char *framework_title(enum framework fw)
{
	return titles[fw];
}

/*
 * Return whether id has the shape of a control of the framework:
 * CC6.1 for SOC 2, A.5.15 for ISO/IEC 27001 Annex A, 7.2.5.1 for PCI
 * DSS. This catches a control written under the wrong framework.
 */
static bool control_shape_ok(enum framework fw, const char *id)
{
	const char *p = id;
	int parts = 0;

	if (fw == FW_SOC2 && !strncmp(p, "CC", 2))
		p += 2;
	else if (fw == FW_ISO27001 && !strncmp(p, "A.", 2))
		p += 2;
	else if (fw != FW_PCI_DSS)
		return false;
	for (;;) {
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
		parts++;
		if (*p != '.')
			break;
		p++;
	}
	if (*p)
		return false;
	return fw == FW_PCI_DSS ? parts >= 1 : parts == 2;
}

void controls_release(struct controls *c)
{
	size_t i, j;
	int fw;

	for (i = 0; i < c->n; i++)
		for (fw = 0; fw < FW_COUNT; fw++) {
			for (j = 0; j < c->v[i].n[fw]; j++)
				free(c->v[i].ids[fw][j]);
			free(c->v[i].ids[fw]);
		}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

struct reader {
	struct source *src;
	struct diag *d;
};

static int PRINTF_LIKE(4, 5) error_at(struct reader *r, size_t off,
				      size_t len, const char *fmt, ...)
{
	struct loc loc = { r->src, (uint32_t)off, (uint32_t)len };
	va_list ap;

	va_start(ap, fmt);
	diag_vat(r->d, DIAG_ERROR, &loc, fmt, ap);
	va_end(ap);
	return -1;
}

static int find_framework(const char *s, size_t len)
{
	int fw;

	for (fw = 0; fw < FW_COUNT; fw++)
		if (strlen(keys[fw]) == len && !strncmp(s, keys[fw], len))
			return fw;
	return -1;
}

/* Parse "FRAMEWORK=ID,ID" at [off, off + len) into rc. */
static int parse_field(struct reader *r, struct rule_controls *rc,
		       size_t off, size_t len)
{
	const char *text = r->src->text;
	const char *eq = memchr(text + off, '=', len);
	size_t klen, pos, end = off + len;
	int fw;

	if (!eq)
		return error_at(r, off, len, "expected FRAMEWORK=CONTROL,...");
	klen = (size_t)(eq - (text + off));
	fw = find_framework(text + off, klen);
	if (fw < 0)
		return error_at(r, off, klen, "unknown framework '%.*s'; "
				"expected soc2, iso27001 or pci_dss",
				(int)klen, text + off);
	if (rc->ids[fw])
		return error_at(r, off, klen, "framework '%s' given twice",
				keys[fw]);
	for (pos = off + klen + 1; pos <= end; pos++) {
		size_t stop = pos;
		char *id;

		while (stop < end && text[stop] != ',')
			stop++;
		id = xstrndup(text + pos, stop - pos);
		rc->ids[fw] = xrealloc(rc->ids[fw],
				       (rc->n[fw] + 1) * sizeof(char *));
		rc->ids[fw][rc->n[fw]++] = id;
		if (!control_shape_ok((enum framework)fw, id))
			return error_at(r, pos, stop - pos, "invalid %s "
					"control '%s'", titles[fw], id);
		pos = stop;
	}
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Parse one line that is not blank or a comment into a new entry. */
static int parse_line(struct reader *r, struct controls *c, size_t off,
		      size_t end)
{
	const char *text = r->src->text;
	struct rule_controls *rc;
	const struct rule *rule;
	size_t pos = off, stop;
	char *id;
	int fw;

	while (pos < end && !is_blank(text[pos]))
		pos++;
	id = xstrndup(text + off, pos - off);
	rule = rule_find(id);
	free(id);
	if (!rule)
		return error_at(r, off, pos - off, "unknown rule '%.*s'",
				(int)(pos - off), text + off);
	if (controls_get(c, rule->id))
		return error_at(r, off, pos - off, "rule %s mapped twice",
				rule->id);
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	rc = &c->v[c->n++];
	memset(rc, 0, sizeof(*rc));
	rc->rule = rule;
	for (;;) {
		while (pos < end && is_blank(text[pos]))
			pos++;
		if (pos >= end)
			break;
		stop = pos;
		while (stop < end && !is_blank(text[stop]))
			stop++;
		if (parse_field(r, rc, pos, stop - pos) < 0)
			return -1;
		pos = stop;
	}
	for (fw = 0; fw < FW_COUNT; fw++)
		if (!rc->ids[fw])
			return error_at(r, off, end - off, "rule %s has no "
					"%s controls; add %s=...", rule->id,
					keys[fw], keys[fw]);
	return 0;
}

static int cmp_entries(const void *pa, const void *pb)
{
	const struct rule_controls *a = pa, *b = pb;

	return strcmp(a->rule->id, b->rule->id);
}

int controls_load(struct controls *out, const char *path, struct diag *d)
{
	struct reader r = { NULL, d };
	const char *previous_input;
	size_t pos = 0;
	int fw, ret = 0;

	memset(out, 0, sizeof(*out));
	for (fw = 0; fw < FW_COUNT; fw++)
		out->shown[fw] = true;
	if (source_load(&r.src, path, CONTROLS_FILE_MAX, d) < 0)
		return -1;
	previous_input = reading_input(path);
	while (pos < r.src->len && !ret) {
		const char *nl = memchr(r.src->text + pos, '\n',
					r.src->len - pos);
		size_t end = nl ? (size_t)(nl - r.src->text) : r.src->len;
		size_t first = pos;

		while (first < end && is_blank(r.src->text[first]))
			first++;
		if (first < end && r.src->text[first] != '#')
			ret = parse_line(&r, out, first, end);
		pos = end + 1;
	}
	reading_input(previous_input);
	if (ret < 0)
		controls_release(out);
	else
		sort_array(out->v, out->n, sizeof(*out->v), cmp_entries);
	source_free(r.src);
	return ret;
}

void controls_select(struct controls *c, const struct sval *names, size_t n)
{
	size_t i;
	int fw;

	if (!n)
		return;
	for (fw = 0; fw < FW_COUNT; fw++)
		c->shown[fw] = false;
	for (i = 0; i < n; i++) {
		fw = find_framework(names[i].s, strlen(names[i].s));
		if (fw >= 0)
			c->shown[fw] = true;
	}
}

const struct rule_controls *controls_get(const struct controls *c,
					 const char *id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].rule->id, id))
			return &c->v[i];
	return NULL;
}

void controls_format(struct buf *out, const struct controls *c,
		     const struct rule_controls *rc)
{
	const char *sep = "";
	size_t i;
	int fw;

	if (!rc)
		return;
	for (fw = 0; fw < FW_COUNT; fw++) {
		if (!c->shown[fw])
			continue;
		buf_addf(out, "%s%s ", sep, short_titles[fw]);
		for (i = 0; i < rc->n[fw]; i++)
			buf_addf(out, "%s%s", i ? ", " : "", rc->ids[fw][i]);
		sep = "; ";
	}
}
