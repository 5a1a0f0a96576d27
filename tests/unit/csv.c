#include "common.h"
#include "unit.h"

#include "csv.h"

/* CSV fields (compiler/csv.h): quoting, formula escapes and controls. */

/* Return one record of the given fields as csv.c writes it. */
static char *record(const char *const *fields, size_t n)
{
	struct buf out = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		csv_add_field(&out, fields[i], i == 0);
	csv_end_record(&out);
	return buf_detach(&out, NULL);
}

static void check_field(const char *value, const char *want)
{
	const char *fields[] = { value };
	char *got = record(fields, 1);

	CHECK_STR(got, want);
	free(got);
}

static void test_csv__plain_fields_unquoted(void)
{
	const char *fields[] = { "arn:aws:iam::1:role/x", "aws", "", NULL };
	char *got = record(fields, ARRAY_SIZE(fields));

	CHECK_STR(got, "arn:aws:iam::1:role/x,aws,,\r\n");
	free(got);
}

static void test_csv__separators_quoted(void)
{
	check_field("a,b", "\"a,b\"\r\n");
	check_field("say \"hi\"", "\"say \"\"hi\"\"\"\r\n");
	check_field("two\nlines", "\"two\nlines\"\r\n");
	check_field("cr\rhere", "\"cr\rhere\"\r\n");
	check_field("it's", "it's\r\n");
}

static void test_csv__formula_prefixed(void)
{
	check_field("=1+1", "'=1+1\r\n");
	check_field("+1", "'+1\r\n");
	check_field("-1", "'-1\r\n");
	check_field("@SUM(A1)", "'@SUM(A1)\r\n");
	check_field("\tx", "'\tx\r\n");
	check_field("\rx", "\"'\rx\"\r\n");
	check_field("=HYPERLINK(\"u\",\"t\")",
		    "\"'=HYPERLINK(\"\"u\"\",\"\"t\"\")\"\r\n");
	check_field("\n=cr", "\"'\n=cr\"\r\n");
	check_field(" =x@example.com", "' =x@example.com\r\n");
	check_field("  @x", "'  @x\r\n");
	check_field(" plain", " plain\r\n");
	check_field("a=b", "a=b\r\n");
	check_field("x-1", "x-1\r\n");
}

static void test_csv__controls_replaced(void)
{
	check_field("\033[31mred", "?[31mred\r\n");
	check_field("a\001b\177c", "a?b?c\r\n");
	check_field("tab\tin", "tab\tin\r\n");
}

UNIT_MAIN(
	UNIT_TEST(test_csv__plain_fields_unquoted),
	UNIT_TEST(test_csv__separators_quoted),
	UNIT_TEST(test_csv__formula_prefixed),
	UNIT_TEST(test_csv__controls_replaced),
)
