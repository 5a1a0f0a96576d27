#include "common.h"
#include "unit.h"

#include "buf.h"

static size_t char_len(const char *s)
{
	return utf8_char_len(s, strlen(s));
}

static void test_utf8__valid_lengths(void)
{
	CHECK_INT(char_len("a"), 1);
	CHECK_INT(char_len("\x7f"), 1);
	CHECK_INT(char_len("\xc2\x80"), 2);		/* U+0080 */
	CHECK_INT(char_len("\xc3\xa9x"), 2);		/* U+00E9 */
	CHECK_INT(char_len("\xe0\xa0\x80"), 3);		/* U+0800 */
	CHECK_INT(char_len("\xed\x9f\xbf"), 3);		/* U+D7FF */
	CHECK_INT(char_len("\xee\x80\x80"), 3);		/* U+E000 */
	CHECK_INT(char_len("\xef\xbb\xbf"), 3);		/* U+FEFF */
	CHECK_INT(char_len("\xf0\x90\x80\x80"), 4);	/* U+10000 */
	CHECK_INT(char_len("\xf4\x8f\xbf\xbf"), 4);	/* U+10FFFF */
}

static void test_utf8__invalid_rejected(void)
{
	CHECK_INT(utf8_char_len("", 0), 0);
	CHECK_INT(char_len("\x80"), 0);			/* stray continuation */
	CHECK_INT(char_len("\xbf"), 0);
	CHECK_INT(char_len("\xc0\xaf"), 0);		/* overlong '/' */
	CHECK_INT(char_len("\xc1\xbf"), 0);
	CHECK_INT(char_len("\xe0\x80\xaf"), 0);		/* overlong, 3 bytes */
	CHECK_INT(char_len("\xf0\x80\x80\xaf"), 0);	/* overlong, 4 bytes */
	CHECK_INT(char_len("\xed\xa0\x80"), 0);		/* U+D800 */
	CHECK_INT(char_len("\xed\xbf\xbf"), 0);		/* U+DFFF */
	CHECK_INT(char_len("\xf4\x90\x80\x80"), 0);	/* U+110000 */
	CHECK_INT(char_len("\xf5\x80\x80\x80"), 0);
	CHECK_INT(char_len("\xff"), 0);
	CHECK_INT(char_len("\xc3"), 0);			/* truncated */
	CHECK_INT(char_len("\xe2\x82"), 0);
	CHECK_INT(char_len("\xe2\x82x"), 0);
	CHECK_INT(utf8_char_len("\xc3\xa9", 1), 0);	/* cut by n */
}

static void check_printable(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	buf_add_printable(&b, in);
	CHECK_STR(buf_str(&b), want);
	buf_release(&b);
}

static void test_utf8__printable_replaces(void)
{
	check_printable("caf\xc3\xa9", "caf\xc3\xa9");
	check_printable("caf\xe9", "caf?");
	check_printable("a\xed\xa0\x80z", "a???z");
	check_printable("new\nline", "new?line");
	check_printable("\033[31m", "?[31m");
	check_printable("c1\xc2\x9b" "x", "c1?x");	/* U+009B, a CSI */
	check_printable("nbsp\xc2\xa0", "nbsp\xc2\xa0");
	check_printable("rlo\xe2\x80\xae" "x", "rlo?x");	/* U+202E */
	check_printable("lri\xe2\x81\xa6" "x", "lri?x");	/* U+2066 */
	check_printable("dash\xe2\x80\x94", "dash\xe2\x80\x94");
}

UNIT_MAIN(
	UNIT_TEST(test_utf8__valid_lengths),
	UNIT_TEST(test_utf8__invalid_rejected),
	UNIT_TEST(test_utf8__printable_replaces),
)
