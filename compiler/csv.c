#include "common.h"
#include "csv.h"

/*
 * Return whether a spreadsheet could read s as a formula: it starts
 * with = + - @, a tab, CR or LF, or with blanks before one of = + - @,
 * which some spreadsheets skip.
 */
static bool starts_formula(const char *s)
{
	const char *p = s;

	if (*s && strchr("\t\r\n", *s))
		return true;
	while (*p == ' ')
		p++;
	return *p && strchr("=+-@", *p);
}

static bool needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

static void add_char(struct buf *out, unsigned char c)
{
	if (c == '"')
		buf_adds(out, "\"\"");
	else if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		 c == 0x7f)
		buf_addch(out, '?');
	else
		buf_addch(out, (char)c);
}

void csv_add_field(struct buf *out, const char *value, bool first)
{
	const char *p;
	bool quote;

	if (!first)
		buf_addch(out, ',');
	if (!value)
		return;
	quote = needs_quotes(value);
	if (quote)
		buf_addch(out, '"');
	if (starts_formula(value))
		buf_addch(out, '\'');
	for (p = value; *p; p++)
		add_char(out, (unsigned char)*p);
	if (quote)
		buf_addch(out, '"');
}

void csv_end_record(struct buf *out)
{
	buf_adds(out, "\r\n");
}
