#include "common.h"
#include "unit.h"

#include "json.h"

/* Return the offset of the first non-whitespace byte, one at a time. */
static size_t skip_ws_bytewise(const char *text, size_t len, size_t pos)
{
	while (pos < len && text[pos] && strchr(" \t\n\r", text[pos]))
		pos++;
	return pos;
}

static void test_json__skip_ws_indents(void)
{
	static const char *const cases[] = {
		"",
		"x",
		" ",
		"\n  x",
		"\n                  \"k\"",
		"\n        x",
		"\n       x",
		"\n         x",
		"                                ]",
		" \t \r\n    \t        x",
		"\n    \n        \n            }",
		"        \t        ",
	};
	size_t i, len, pos;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = strlen(cases[i]);
		for (pos = 0; pos <= len; pos++)
			CHECK_INT(json_skip_ws(cases[i], len, pos),
				  skip_ws_bytewise(cases[i], len, pos));
	}
}

static void test_json__skip_ws_stops_at_len(void)
{
	const char *text = "\n                        x";
	size_t len;

	/* Spaces past len are not part of the text. */
	for (len = 0; len <= strlen(text); len++)
		CHECK_INT(json_skip_ws(text, len, 0),
			  skip_ws_bytewise(text, len, 0));
}

UNIT_MAIN(
	UNIT_TEST(test_json__skip_ws_indents),
	UNIT_TEST(test_json__skip_ws_stops_at_len),
)
