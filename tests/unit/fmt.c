#include "common.h"
#include "unit.h"

#include "fmt.h"

/*
 * The formatter: its layout does not depend on how the input was laid
 * out within lines, formatting twice changes nothing, and input that
 * does not parse stays in bounds (the sanitizer builds check that).
 */

static const char spec[] =
	"gate { fail_on = high max_review_interval = 180d }\n"
	"agent \"digest\" {\n"
	"  kind = ai_agent\n"
	"  description = \"Says \\\"hi\\\" to the team\"\n"
	"  owner { technical = \"alice@example.com\" business = \"bob@example.com\" }\n"
	"  audit { decisions = required context = [task, request_id, user] }\n"
	"  grant actions [\"dynamodb:Query\", \"dynamodb:GetItem\", "
	"\"dynamodb:BatchGetItem\", \"dynamodb:Scan\"] on "
	"\"arn:aws:dynamodb:us-east-1:111122223333:table/tickets\" {\n"
	"    because = \"Reads ticket metadata\"\n"
	"    when \"aws:SourceIp\" in [\"10.0.0.0/8\", \"192.168.0.0/16\"]\n"
	"  }\n"
	"}\n";

static char *format(const char *text, size_t len)
{
	struct buf out = BUF_INIT;

	fmt_spec(text, len, &out);
	buf_addch(&out, '\0');	/* so that empty output is "" */
	return buf_detach(&out, NULL);
}

/*
 * Return a copy of spec in which each single space between tokens is
 * one of several runs of blanks, a line break among them.
 */
static char *vary_blanks(unsigned seed)
{
	static const char *const blanks[] = { " ", "\n", "\t", "   ", " \n  " };
	struct buf b = BUF_INIT;
	bool in_string = false;
	size_t i;

	for (i = 0; spec[i]; i++) {
		char c = spec[i];

		if (c == '"' && (i == 0 || spec[i - 1] != '\\'))
			in_string = !in_string;
		/* Indentation may not become a blank line, which fmt keeps. */
		if (c != ' ' || in_string || i == 0 ||
		    strchr(" \n", spec[i - 1]) || strchr(" \n", spec[i + 1])) {
			buf_addch(&b, c);
			continue;
		}
		seed = seed * 1103515245u + 12345u;
		buf_adds(&b, blanks[(seed >> 16) % ARRAY_SIZE(blanks)]);
	}
	return buf_detach(&b, NULL);
}

static void test_fmt__blanks_within_lines_do_not_matter(void)
{
	char *want = format(spec, strlen(spec));
	unsigned seed;

	for (seed = 1; seed <= 200; seed++) {
		char *varied = vary_blanks(seed);
		char *got = format(varied, strlen(varied));

		CHECK_STR(got, want);
		free(got);
		free(varied);
	}
	free(want);
}

static void test_fmt__second_run_changes_nothing(void)
{
	char *once = format(spec, strlen(spec));
	char *twice = format(once, strlen(once));

	CHECK_STR(twice, once);
	free(once);
	free(twice);
}

static void test_fmt__long_list_one_item_a_line(void)
{
	char *got = format(spec, strlen(spec));

	CHECK(strstr(got, "  grant actions [\n"
			  "    \"dynamodb:Query\",\n"
			  "    \"dynamodb:GetItem\",\n"
			  "    \"dynamodb:BatchGetItem\",\n"
			  "    \"dynamodb:Scan\",\n"
			  "  ] on \"arn:aws:dynamodb:us-east-1:111122223333:"
			  "table/tickets\" {\n") != NULL);
	CHECK(strstr(got, "    context   = [task, request_id, user]\n") != NULL);
	CHECK(strstr(got, "}\n\nagent \"digest\" {\n") != NULL);
	free(got);
}

static void test_fmt__input_that_does_not_parse(void)
{
	static const char *const inputs[] = {
		"", "[", "]", "}", "{", "[a,", "a = [b, [c,", "\"open",
		"\"esc\\", "# only", "= = =", "x { y [ , , ] } } }",
		"agent \"a\" { grant [read,] on aws:s3 \"x\" # c\n",
		"\xef\xbb\xbf", "\xef\xbb", "a\0b",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(inputs); i++) {
		size_t len = i == ARRAY_SIZE(inputs) - 1 ? 3 : strlen(inputs[i]);
		char *got = format(inputs[i], len);

		CHECK(got != NULL);
		free(got);
	}
}

UNIT_MAIN(
	UNIT_TEST(test_fmt__blanks_within_lines_do_not_matter),
	UNIT_TEST(test_fmt__second_run_changes_nothing),
	UNIT_TEST(test_fmt__long_list_one_item_a_line),
	UNIT_TEST(test_fmt__input_that_does_not_parse),
)
