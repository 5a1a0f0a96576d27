#include "common.h"
#include "unit.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/*
 * text_is_email against PCRE2 itself. The rule it implements is two
 * PCRE2 patterns, both compiled with PCRE2_UTF. The subject must match
 * ADDRESS_PATTERN, also compiled with PCRE2_DOLLAR_ENDONLY, so '$' is
 * the end of the subject and a final newline fails. It must not
 * contain any character that FORBIDDEN matches: a control character
 * or a separator. The subject is NUL-terminated. Any negative return of pcre2_match (no
 * match, or a subject that is not valid UTF-8) counts as no match, and
 * a subject that is not valid UTF-8 never matches ADDRESS_PATTERN.
 */
#define ADDRESS_PATTERN "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"
#define FORBIDDEN "[\\p{Cc}\\p{Z}]"

struct oracle {
	pcre2_code *re;
	pcre2_code *forbidden;
	pcre2_match_data *md;
};

static pcre2_code *compile_or_die(const char *pattern, uint32_t options)
{
	PCRE2_SIZE offset;
	pcre2_code *re;
	int code;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			   options, &code, &offset, NULL);
	if (!re)
		BUG("cannot compile %s", pattern);
	return re;
}

static void oracle_init(struct oracle *o)
{
	o->re = compile_or_die(ADDRESS_PATTERN,
			       PCRE2_UTF | PCRE2_DOLLAR_ENDONLY);
	o->forbidden = compile_or_die(FORBIDDEN, PCRE2_UTF);
	o->md = pcre2_match_data_create(4, NULL);
	if (!o->md)
		BUG("cannot allocate PCRE2 match data");
}

static void oracle_release(struct oracle *o)
{
	pcre2_match_data_free(o->md);
	pcre2_code_free(o->forbidden);
	pcre2_code_free(o->re);
}

static bool oracle_finds(struct oracle *o, pcre2_code *re, const char *s)
{
	return pcre2_match(re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0,
			   o->md, NULL) >= 0;
}

static bool oracle_matches(struct oracle *o, const char *s)
{
	return oracle_finds(o, o->re, s) && !oracle_finds(o, o->forbidden, s);
}

/* Print s with every byte outside printable ASCII as \xNN. */
static void fail_disagree(const char *s, bool by_c, bool by_pcre2)
{
	char shown[256];
	size_t n = 0;

	for (; *s && n + 5 < sizeof(shown); s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\')
			shown[n++] = (char)c;
		else
			n += (size_t)snprintf(shown + n, sizeof(shown) - n,
					      "\\x%02x", c);
	}
	shown[n] = '\0';
	unit_fail(__FILE__, __LINE__, "'%s': the C check returns %d, PCRE2 "
		  "returns %d", shown, by_c, by_pcre2);
}

/* Compare the two on s; returns whether they agree. */
static bool agree(struct oracle *o, const char *s, bool *out_match)
{
	bool by_c = text_is_email(s);
	bool by_pcre2 = oracle_matches(o, s);

	if (by_c != by_pcre2) {
		fail_disagree(s, by_c, by_pcre2);
		return false;
	}
	*out_match = by_c;
	return true;
}

static const struct {
	const char *s;
	bool match;
} cases[] = {
	{ "a@b.c", true },
	{ "ana.silva@example.com", true },
	{ "", false },
	{ "@b.c", false },
	{ "a@", false },
	{ "a@.c", false },		/* no character before the '.' */
	{ "a@b.", false },		/* none after it */
	{ "a@.b.c", true },		/* the domain's first '.' is a char */
	{ "a@b.c.", true },
	{ "a@b..c", true },
	{ "a@bc", false },
	{ "a.b@c", false },		/* the '.' must follow the '@' */
	{ "a@@b.c", false },
	{ "a@b@c.d", false },
	{ "a@b.c\n", false },		/* '$' is the end, not before a LF */
	{ "a@b.c\n\n", false },
	{ "a@b.\n", false },
	{ "\n", false },
	{ "a@b.c\nx", false },
	{ "\na@b.c", false },
	{ "a\n@b.c", false },
	{ "a@b.c\r\n", false },
	{ "a@b.c\r", false },
	{ "a@b.c ", false },
	{ " a@b.c", false },
	{ "a\t@b.c", false },
	{ "a@b\v.c", false },		/* VT is in \s */
	{ "a@b.c\v", false },
	{ "a@b.c\f", false },
	{ "\xc3\xa9@\xc3\xbc.\xc3\x9f", true },		/* é@ü.ß */
	{ "a@b.c\xc2\x85", false },	/* U+0085 NEL, a control */
	{ "a\xc2\xa0@b.c", false },	/* U+00A0 NO-BREAK SPACE */
	{ "a@b\xe2\x80\xa8.c", false },	/* U+2028 LINE SEPARATOR */
	{ "a@b.c\xe3\x80\x80", false },	/* U+3000 IDEOGRAPHIC SPACE */
	{ "a\x01@b.c", false },
	{ "a@b.c\x1f", false },
	{ "a@b.c\x7f", false },		/* DEL */
	{ "a@b.c\xc2\x80", false },	/* U+0080, the first C1 control */
	{ "a@b.c\xc2\x9f", false },	/* U+009F, the last */
	{ "a@b.c\xc2\xa1", true },	/* U+00A1, just after NO-BREAK SPACE */
	{ "a@b.c\xe1\x9a\x80", false },	/* U+1680 OGHAM SPACE MARK */
	{ "a@b.c\xe2\x80\x80", false },	/* U+2000, the first of a run */
	{ "a@b.c\xe2\x80\x8a", false },	/* U+200A, the last */
	{ "a@b.c\xe2\x80\x8b", true },	/* U+200B is a format character */
	{ "a@b.c\xe2\x80\xa9", false },	/* U+2029 */
	{ "a@b.c\xe2\x80\xaf", false },	/* U+202F */
	{ "a@b.c\xe2\x81\x9f", false },	/* U+205F */
	{ "a@b.c\xe1\xa0\x8e", true },	/* U+180E, no separator since 6.3 */
	{ "a@b.c\xef\xbf\xbf", true },	/* U+FFFF, a noncharacter */
	{ "a@b.c\xf4\x8f\xbf\xbf", true },	/* U+10FFFF */
	{ "a@b.c\xff", false },		/* not UTF-8 */
	{ "a@b.c\xfe", false },
	{ "a@b.c\xc3", false },		/* truncated */
	{ "a@b.c\xe2\x82", false },
	{ "a@b.c\xa9", false },		/* stray continuation byte */
	{ "a@b\xc0\xae" "c", false },	/* overlong '.' */
	{ "a@b.c\xe0\x80\xae", false },
	{ "a@b.c\xed\xa0\x80", false },	/* U+D800, a surrogate */
	{ "a@b.c\xf4\x90\x80\x80", false },	/* above U+10FFFF */
	{ "a@b.c\xf8\x88\x80\x80\x80", false },	/* five bytes */
	{ "a@b.c\n\xff", false },
	{ "\xff" "a@b.c", false },
};

static void test_address_pattern__table(void)
{
	struct oracle o;
	size_t i;

	oracle_init(&o);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		bool match;

		if (!agree(&o, cases[i].s, &match))
			continue;
		if (match != cases[i].match)
			unit_fail(__FILE__, __LINE__, "case %zu: both return "
				  "%d, expected %d", i, match,
				  cases[i].match);
	}
	oracle_release(&o);
}

/* The pieces that generated subjects are made of. */
static const char *const pieces[] = {
	"@", ".", " ", "\t", "\n", "\v", "\f", "\r", "a", "b",
	"\xc3\xa9",		/* é, two bytes */
	"\xff",			/* never valid in UTF-8 */
	"\x01",			/* a control */
	"\xc2\xa0",		/* NO-BREAK SPACE, a separator */
};

#define SHORT_MAX 5	/* every string of up to this many pieces */
#define LONG_COUNT 200000
#define LONG_MAX_PIECES 18

/* Join the pieces numbered by digits[0..n) into out. */
static void join_pieces(char *out, const size_t *digits, size_t n)
{
	size_t i, len = 0, piece;

	for (i = 0; i < n; i++) {
		piece = strlen(pieces[digits[i]]);
		memcpy(out + len, pieces[digits[i]], piece);
		len += piece;
	}
	out[len] = '\0';
}

/*
 * Every string of 0 to SHORT_MAX pieces (579,195 of them), which covers
 * each shape of a short address and of its near misses.
 */
static void test_address_pattern__every_short_string(void)
{
	struct oracle o;
	size_t digits[SHORT_MAX], n, i, matched = 0, total = 0;
	char s[SHORT_MAX * 2 + 1];
	bool match;

	oracle_init(&o);
	for (n = 0; n <= SHORT_MAX; n++) {
		memset(digits, 0, sizeof(digits));
		for (;;) {
			join_pieces(s, digits, n);
			if (!agree(&o, s, &match))
				goto out;
			matched += match;
			total++;
			for (i = 0; i < n && ++digits[i] == ARRAY_SIZE(pieces);
			     i++)
				digits[i] = 0;
			if (i == n)
				break;
		}
	}
	CHECK_INT(total, 579195);
	/* X@Y.Z, each of X, Y and Z one of a, b, é and '.': 4 * 4 * 4 */
	CHECK_INT(matched, 64);
out:
	oracle_release(&o);
}

static uint64_t next_random(uint64_t *state)
{
	/* xorshift64 from a fixed seed: the same strings on every run */
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Indexes in pieces of those that [^@\s] matches. */
static const size_t plain_pieces[] = { 1, 8, 9, 10 };

/* Append 1 to max pieces that [^@\s] matches; returns the new count. */
static size_t add_plain(size_t *digits, size_t n, size_t max, uint64_t *state)
{
	size_t count = 1 + next_random(state) % max;

	while (count-- > 0)
		digits[n++] = plain_pieces[next_random(state) %
					   ARRAY_SIZE(plain_pieces)];
	return n;
}

/*
 * Fill digits with an address of up to 15 pieces, then change up to
 * three pieces to, or add, any piece at all, so that about half match
 * and the rest miss by little. Returns the number of pieces.
 */
static size_t random_subject(size_t *digits, uint64_t *state)
{
	size_t n = 0, changes, at;

	n = add_plain(digits, n, 5, state);
	digits[n++] = 0;					/* @ */
	n = add_plain(digits, n, 4, state);
	digits[n++] = 1;					/* . */
	n = add_plain(digits, n, 4, state);
	for (changes = next_random(state) % 4; changes > 0; changes--) {
		at = next_random(state) % (n + 1);
		if (at == n)
			n++;
		digits[at] = next_random(state) % ARRAY_SIZE(pieces);
	}
	return n;
}

/* LONG_COUNT strings made by random_subject. */
static void test_address_pattern__random_long_strings(void)
{
	struct oracle o;
	size_t digits[LONG_MAX_PIECES], n, k, matched = 0;
	char s[LONG_MAX_PIECES * 2 + 1];
	uint64_t state = 0x9e3779b97f4a7c15u;
	bool match;

	oracle_init(&o);
	for (k = 0; k < LONG_COUNT; k++) {
		n = random_subject(digits, &state);
		join_pieces(s, digits, n);
		if (!agree(&o, s, &match))
			goto out;
		matched += match;
	}
	CHECK(matched > LONG_COUNT / 4);
	CHECK(LONG_COUNT - matched > LONG_COUNT / 4);
out:
	oracle_release(&o);
}

UNIT_MAIN(
	UNIT_TEST(test_address_pattern__table),
	UNIT_TEST(test_address_pattern__every_short_string),
	UNIT_TEST(test_address_pattern__random_long_strings),
)
