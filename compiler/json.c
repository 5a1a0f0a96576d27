#include "common.h"
#include "json.h"

#include <sys/mman.h>
#include <unistd.h>

/* cJSON copies a number into a 64-byte buffer before converting it. */
#define JSON_NUMBER_MAX 63

/* Values whose offsets json_object_scan_forget gives back at once. */
#define FORGET_STEP ((size_t)16 << 10)

/*
 * Byte classes, looked up once per byte on the hot paths. Bit 1 marks
 * JSON whitespace. Bit 2 marks bytes that may appear in a string as they
 * are: printable ASCII other than '"' and '\\'. Bit 4 marks '"', '\\'
 * and the brackets, where skipping a valid value must look closer.
 */
static const unsigned char byte_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	3, 2, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 6, 4, 6, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 6, 2, 6, 2, 2,
};

#define IS_WS(c) (byte_class[(unsigned char)(c)] & 1)
#define IS_PLAIN(c) (byte_class[(unsigned char)(c)] & 2)
#define IS_SPECIAL(c) (byte_class[(unsigned char)(c)] & 4)

/*
 * Return how many of the 8 bytes at p, at most, are spaces before the
 * first other byte. Exports are pretty-printed, so the whitespace
 * between values is a line break and then an indent of 2 or 4 spaces
 * per level: reading the indent 8 bytes at a time saves most of the
 * per-byte loop.
 */
static inline size_t count_spaces8(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	v ^= 0x0101010101010101ULL * ' ';
	if (!v)
		return 8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* The first byte is the lowest: its zero bits count the spaces. */
	return (size_t)__builtin_ctzll(v) / 8;
#else
	{
		size_t n = 0;

		while (p[n] == ' ')
			n++;
		return n;
	}
#endif
}

/* json_skip_ws, inlined where the skipper calls it for every value. */
static inline size_t skip_ws(const char *text, size_t len, size_t pos)
{
	while (pos < len && IS_WS(text[pos])) {
		size_t n;

		pos++;
		do {
			n = len - pos >= 8 ? count_spaces8(text + pos) : 0;
			pos += n;
		} while (n == 8);
	}
	return pos;
}

size_t json_skip_ws(const char *text, size_t len, size_t pos)
{
	return skip_ws(text, len, pos);
}

/*
 * Return how many of the 8 bytes at p are plain string bytes before the
 * first control character, '"', '\\' or byte of 0x80 or more. Each test
 * sets the top bit of a byte that fails it. A borrow may also flag a
 * byte after one that fails, but never one before it, so the lowest
 * flagged byte is the first that fails.
 */
static inline size_t count_plain8(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t v, quote, backslash, fails;

	memcpy(&v, p, 8);
	quote = v ^ (ones * '"');
	backslash = v ^ (ones * '\\');
	fails = (v | ((v - ones * 0x20) & ~v) | ((quote - ones) & ~quote) |
		 ((backslash - ones) & ~backslash)) & high;
	if (!fails)
		return 8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(fails) / 8;
#else
	{
		size_t n = 0;

		while (IS_PLAIN(p[n]))
			n++;
		return n;
	}
#endif
}

static int fault_at(struct json_fault *f, size_t off, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

static int fault_at(struct json_fault *f, size_t off, const char *fmt, ...)
{
	va_list ap;

	f->off = off;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Describe text[i] for a message: 'x', byte 0xNN or end of input. */
static const char *describe(const char *text, size_t len, size_t i,
			    char *out, size_t n)
{
	unsigned char c;

	if (i >= len)
		return "end of input";
	c = (unsigned char)text[i];
	if (c >= 0x20 && c < 0x7f)
		snprintf(out, n, "'%c'", c);
	else
		snprintf(out, n, "byte 0x%02x", c);
	return out;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read the four hex digits at text[i]; -1 when they are not all there. */
static long hex4(const char *text, size_t len, size_t i)
{
	long v = 0;
	size_t k;

	if (len - i < 4 || i > len)
		return -1;
	for (k = 0; k < 4; k++) {
		int h = hex_value(text[i + k]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/*
 * Return the length of the UTF-8 sequence at p (at most n bytes), or 0
 * when it is not valid UTF-8: overlong forms, surrogates and code
 * points past U+10FFFF are rejected as RFC 3629 requires.
 */
static size_t utf8_length(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, k;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 1;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 2;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 3;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n <= need)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (k = 2; k <= need; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return need + 1;
}

static int scan_escape(const char *s, size_t len, size_t *pos,
		       struct json_fault *f)
{
	size_t i = *pos;
	long cp, low;

	if (i + 1 >= len)
		return fault_at(f, len, "unexpected end of input in a string");
	switch (s[i + 1]) {
	case '"': case '\\': case '/': case 'b':
	case 'f': case 'n': case 'r': case 't':
		*pos = i + 2;
		return 0;
	case 'u':
		break;
	default:
		if ((unsigned char)s[i + 1] >= 0x20 &&
		    (unsigned char)s[i + 1] < 0x7f)
			return fault_at(f, i, "invalid escape '\\%c' in a "
					"string", s[i + 1]);
		return fault_at(f, i, "invalid escape: byte 0x%02x after '\\' "
				"in a string", (unsigned char)s[i + 1]);
	}

	cp = hex4(s, len, i + 2);
	if (cp < 0)
		return fault_at(f, i, "invalid escape: '\\u' must be followed "
				"by four hex digits");
	if (cp == 0)
		return fault_at(f, i, "'\\u0000' is not allowed in a string");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fault_at(f, i, "invalid escape: low surrogate "
				"'\\u%04lx' without a high surrogate", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		low = i + 7 < len && s[i + 6] == '\\' && s[i + 7] == 'u'
			? hex4(s, len, i + 8) : -1;
		if (low < 0xdc00 || low > 0xdfff)
			return fault_at(f, i, "invalid escape: high surrogate "
					"'\\u%04lx' is not followed by a low "
					"surrogate", cp);
		*pos = i + 12;
		return 0;
	}
	*pos = i + 6;
	return 0;
}

/* Scan the string whose opening quote is at text[*pos]. */
static int scan_string(const char *s, size_t len, size_t *pos,
		       struct json_fault *f)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = *pos + 1;

	for (;;) {
		unsigned char c;
		size_t n;

		while (len - i >= 8) {
			size_t n8 = count_plain8(p + i);

			i += n8;
			if (n8 < 8)
				break;
		}
		while (i < len && IS_PLAIN(p[i]))
			i++;
		if (i >= len)
			return fault_at(f, *pos, "unterminated string");
		c = p[i];
		if (c == '"') {
			*pos = i + 1;
			return 0;
		}
		if (c == '\\') {
			if (scan_escape(s, len, &i, f))
				return -1;
			continue;
		}
		if (c == '\n' || c == '\r')
			return fault_at(f, *pos, "unterminated string: line "
					"break before the closing quote");
		if (c < 0x20)
			return fault_at(f, i, "control character 0x%02x in a "
					"string must be written as '\\u%04x'",
					c, c);
		n = utf8_length(p + i, len - i);
		if (!n)
			return fault_at(f, i, "invalid UTF-8 byte 0x%02x in a "
					"string", c);
		i += n;
	}
}

/*
 * Scan the string at text[*pos] like scan_string, inline for the
 * common case of plain bytes only. Any other string is scanned again
 * from its start by scan_string.
 */
static inline int scan_plain_string(const char *s, size_t len, size_t *pos,
				    struct json_fault *f)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = *pos + 1;

	while (len - i >= 8) {
		size_t n8 = count_plain8(p + i);

		i += n8;
		if (n8 == 8)
			continue;
		if (p[i] == '"') {
			*pos = i + 1;
			return 0;
		}
		break;
	}
	return scan_string(s, len, pos, f);
}

/* Scan a number as RFC 8259 defines it: no '+', no leading zeros. */
static int scan_number(const char *s, size_t len, size_t *pos,
		       struct json_fault *f)
{
	size_t start = *pos, i = *pos;

	if (s[i] == '-')
		i++;
	if (i >= len || !is_digit(s[i]))
		return fault_at(f, start, "invalid number: expected a digit "
				"after '-'");
	if (s[i] == '0') {
		i++;
		if (i < len && is_digit(s[i]))
			return fault_at(f, start, "invalid number: leading "
					"zeros are not allowed");
	} else {
		while (i < len && is_digit(s[i]))
			i++;
	}
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || !is_digit(s[i]))
			return fault_at(f, start, "invalid number: expected a "
					"digit after '.'");
		while (i < len && is_digit(s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !is_digit(s[i]))
			return fault_at(f, start, "invalid number: expected a "
					"digit in the exponent");
		while (i < len && is_digit(s[i]))
			i++;
	}
	if (i - start > JSON_NUMBER_MAX)
		return fault_at(f, start, "number longer than %d characters",
				JSON_NUMBER_MAX);
	*pos = i;
	return 0;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || c == '_';
}

/* Explain a byte that cannot start a value. */
static int bad_value_start(const char *s, size_t len, size_t i,
			   struct json_fault *f)
{
	char what[16];
	size_t n = 0;

	if (i >= len)
		return fault_at(f, i, "unexpected end of input; expected a "
				"value");
	switch (s[i]) {
	case '/':
		return fault_at(f, i, "comments are not allowed in JSON");
	case '\'':
		return fault_at(f, i, "strings must be enclosed in double "
				"quotes");
	case '+':
		return fault_at(f, i, "invalid number: a leading '+' is not "
				"allowed");
	case '.':
		return fault_at(f, i, "invalid number: expected a digit "
				"before '.'");
	}
	while (i + n < len && n < 24 && is_word_char(s[i + n]))
		n++;
	if (n == 3 && !memcmp(s + i, "NaN", 3))
		return fault_at(f, i, "NaN is not a valid JSON number");
	if (n == 8 && !memcmp(s + i, "Infinity", 8))
		return fault_at(f, i, "Infinity is not a valid JSON number");
	if (n)
		return fault_at(f, i, "invalid literal '%.*s'; expected true, "
				"false, null, a number, a string, an array or "
				"an object", (int)n, s + i);
	return fault_at(f, i, "expected a value, got %s",
			describe(s, len, i, what, sizeof(what)));
}

static int scan_literal(const char *s, size_t len, size_t *pos,
			const char *word, struct json_fault *f)
{
	size_t n = strlen(word);

	if (len - *pos < n || memcmp(s + *pos, word, n) ||
	    (len - *pos > n && is_word_char(s[*pos + n])))
		return bad_value_start(s, len, *pos, f);
	*pos += n;
	return 0;
}

static int scan_scalar(const char *s, size_t len, size_t *pos,
		       struct json_fault *f)
{
	switch (s[*pos]) {
	case '"':
		return scan_plain_string(s, len, pos, f);
	case 't':
		return scan_literal(s, len, pos, "true", f);
	case 'f':
		return scan_literal(s, len, pos, "false", f);
	case 'n':
		return scan_literal(s, len, pos, "null", f);
	}
	if (s[*pos] == '-' || is_digit(s[*pos]))
		return scan_number(s, len, pos, f);
	return bad_value_start(s, len, *pos, f);
}

/* Scan `"key" :` at text[*pos], leaving *pos on the value. */
static int scan_key(const char *s, size_t len, size_t *pos,
		    struct json_fault *f)
{
	char what[16];
	size_t i = *pos;

	if (i >= len)
		return fault_at(f, i, "unexpected end of input; expected a "
				"key");
	if (s[i] == '\'')
		return fault_at(f, i, "keys must be enclosed in double "
				"quotes");
	if (s[i] == '/')
		return fault_at(f, i, "comments are not allowed in JSON");
	if (s[i] != '"')
		return fault_at(f, i, "expected a key in double quotes, got %s",
				describe(s, len, i, what, sizeof(what)));
	if (scan_plain_string(s, len, &i, f))
		return -1;
	i = skip_ws(s, len, i);
	if (i >= len || s[i] != ':')
		return fault_at(f, i, "expected ':' after the key, got %s",
				describe(s, len, i, what, sizeof(what)));
	*pos = skip_ws(s, len, i + 1);
	return 0;
}

static enum json_type type_of(char c)
{
	switch (c) {
	case '{':
		return JSON_OBJECT;
	case '[':
		return JSON_ARRAY;
	case '"':
		return JSON_STRING;
	case 't':
	case 'f':
		return JSON_BOOL;
	case 'n':
		return JSON_NULL;
	}
	return JSON_NUMBER;
}

/*
 * After a value inside a container at text[*pos] (whitespace skipped):
 * consume a ',' or the closing bracket. Returns 1 after a ',' (another
 * member follows), 0 after the closing bracket, -1 on a fault. Inline,
 * because skip_value calls it after every value and the call costs more
 * than the common path through it.
 */
static inline int scan_separator(const char *s, size_t len, size_t *pos,
				 char close, struct json_fault *f)
{
	char what[16];
	size_t i = skip_ws(s, len, *pos), comma;

	if (i >= len)
		return fault_at(f, len, "unexpected end of input; expected "
				"',' or '%c'", close);
	if (s[i] == close) {
		*pos = i + 1;
		return 0;
	}
	if (s[i] == '/')
		return fault_at(f, i, "comments are not allowed in JSON");
	if (s[i] != ',')
		return fault_at(f, i, "expected ',' or '%c' after a value, "
				"got %s", close,
				describe(s, len, i, what, sizeof(what)));
	comma = i;
	i = skip_ws(s, len, i + 1);
	if (i < len && (s[i] == ']' || s[i] == '}'))
		return fault_at(f, comma, "trailing comma before '%c'", s[i]);
	*pos = i;
	return 1;
}

/* Append a value starting at start to scan's offsets; return its index. */
static size_t record_start(struct json_object_scan *scan, size_t start)
{
	if (scan->nvalues == scan->values_cap) {
		grow_array((void **)&scan->value_start, &scan->values_cap,
			   scan->nvalues + 1, sizeof(*scan->value_start));
		scan->value_end = xrealloc(scan->value_end, scan->values_cap *
					   sizeof(*scan->value_end));
	}
	scan->value_start[scan->nvalues] = (uint32_t)start;
	scan->value_end[scan->nvalues] = (uint32_t)start;
	return scan->nvalues++;
}

/*
 * Validate one value like json_skip_value. When rec is not NULL, also
 * append the start and end offsets of every value inside it to rec, in
 * the order the values start.
 */
static int skip_value(const char *s, size_t len, size_t *pos,
		      enum json_type *type, struct json_fault *f,
		      struct json_object_scan *rec)
{
	char stack[JSON_MAX_DEPTH];
	size_t open[JSON_MAX_DEPTH];	/* rec index of each open container */
	size_t depth = 0, i = skip_ws(s, len, *pos), index = 0;

	if (i >= len)
		return bad_value_start(s, len, i, f);
	*type = type_of(s[i]);
	for (;;) {
		char c;

		i = skip_ws(s, len, i);
		if (i >= len)
			return bad_value_start(s, len, i, f);
		c = s[i];
		if (rec)
			index = record_start(rec, i);
		if (c == '{' || c == '[') {
			char close = c == '{' ? '}' : ']';

			if (depth == JSON_MAX_DEPTH)
				return fault_at(f, i, "nesting deeper than %d "
						"levels", JSON_MAX_DEPTH);
			open[depth] = index;
			stack[depth++] = close;
			i = skip_ws(s, len, i + 1);
			if (i >= len || s[i] != close) {
				if (c == '{' && scan_key(s, len, &i, f))
					return -1;
				continue;
			}
			depth--;
			i++;
		} else if (scan_scalar(s, len, &i, f)) {
			return -1;
		}
		if (rec)
			rec->value_end[index] = (uint32_t)i;

		/* Close finished containers until one has another member. */
		for (;;) {
			int more;

			if (!depth) {
				*pos = i;
				return 0;
			}
			more = scan_separator(s, len, &i, stack[depth - 1], f);
			if (more < 0)
				return -1;
			if (more) {
				if (stack[depth - 1] == '}' &&
				    scan_key(s, len, &i, f))
					return -1;
				break;
			}
			depth--;
			if (rec)
				rec->value_end[open[depth]] = (uint32_t)i;
		}
	}
}

int json_skip_value(const char *s, size_t len, size_t *pos,
		    enum json_type *type, struct json_fault *f)
{
	return skip_value(s, len, pos, type, f, NULL);
}

int json_validate(const char *text, size_t len, size_t *root,
		  struct json_fault *f)
{
	enum json_type type;
	size_t i = skip_ws(text, len, 0);

	*root = i;
	if (json_skip_value(text, len, &i, &type, f))
		return -1;
	i = skip_ws(text, len, i);
	if (i < len)
		return fault_at(f, i, "unexpected content after the JSON "
				"value");
	return 0;
}

static size_t skip_valid(const char *text, size_t len, size_t i);

/*
 * Store in each node of the tree parsed from valid text the offset of
 * its value, walking text and tree side by side: a tree lists members
 * and elements in the order the text has them.
 */
static size_t record_offsets(const char *text, size_t len, size_t i,
			     cJSON *node)
{
	cJSON *child;

	i = skip_ws(text, len, i);
	node->valueint = (int)i;
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node)) {
		i = skip_valid(text, len, i);
		goto out;
	}
	i++;
	cJSON_ArrayForEach(child, node) {
		i = skip_ws(text, len, i);
		if (i < len && text[i] == ',')
			i = skip_ws(text, len, i + 1);
		if (cJSON_IsObject(node)) {
			i = skip_valid(text, len, i);
			i = skip_ws(text, len, i) + 1;
		}
		i = record_offsets(text, len, i, child);
	}
	i = skip_ws(text, len, i) + 1;
out:
	if (!cJSON_IsNumber(node))
		node->valuedouble = (double)i;
	return i;
}

/*
 * Building a tree from a scan. The skipper has validated the text and
 * recorded where every value starts and ends, so the tree is built from
 * those offsets instead of running cJSON's parser over the text again.
 * Only keys, strings and numbers have their bytes read. The nodes are
 * the ones cJSON's parser makes, allocated with cJSON_malloc, so that
 * cJSON_Delete frees them.
 */
struct tree_build {
	const char *text;
	const struct json_object_scan *scan;
	size_t last;		/* one past the last value index to build */
	const size_t *elide;	/* values that become placeholders */
	size_t nelide;
};

static inline cJSON *new_node(int type)
{
	cJSON *node = cJSON_malloc(sizeof(*node));

	if (node) {
		memset(node, 0, sizeof(*node));
		node->type = type;
	}
	return node;
}

/* Append the UTF-8 form of the code point cp at out; return its size. */
static size_t put_utf8(char *out, long cp)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Decode the escapes of the n bytes at p, the inside of a string the
 * skipper accepted, into out. Returns the decoded size, which is never
 * more than n: an escape is never shorter than what it stands for.
 */
static size_t decode_escapes(const char *p, size_t n, char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		long cp;

		if (p[i] != '\\') {
			out[o++] = p[i++];
			continue;
		}
		switch (p[i + 1]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			cp = hex4(p, n, i + 2);
			i += 6;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				/* The skipper checked the low surrogate. */
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (hex4(p, n, i + 2) - 0xdc00);
				i += 6;
			}
			o += put_utf8(out + o, cp);
			continue;
		default:	/* '"', '\\' and '/' stand for themselves */
			out[o++] = p[i + 1];
			break;
		}
		i += 2;
	}
	return o;
}

/*
 * Return the value of the valid string text[off..end), quotes included,
 * decoded into memory from cJSON_malloc, or NULL when out of memory.
 */
static inline char *string_value(const char *text, size_t off, size_t end)
{
	const char *p = text + off + 1;
	size_t n = end - off - 2;
	char *out = cJSON_malloc(n + 1);

	if (!out)
		return NULL;
	if (memchr(p, '\\', n))
		n = decode_escapes(p, n, out);
	else
		memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

/*
 * Return the value of the valid number text[off..end). Like cJSON, read
 * it with strtod, from a copy because the text goes on after it. mandate
 * never calls setlocale, so strtod takes '.' as the decimal point.
 */
static double number_value(const char *text, size_t off, size_t end)
{
	char digits[JSON_NUMBER_MAX + 1];
	size_t n = end - off;	/* the skipper rejects longer numbers */

	memcpy(digits, text + off, n);
	digits[n] = '\0';
	return strtod(digits, NULL);
}

/*
 * Return the offset just past the key of the member whose value starts
 * at value: the text before a value in an object is `"key" :` with
 * whitespace around the colon.
 */
static size_t key_end(const char *text, size_t value)
{
	size_t i = value;

	while (IS_WS(text[i - 1]))
		i--;
	i--;			/* the colon */
	while (IS_WS(text[i - 1]))
		i--;
	return i;
}

static int build_value(struct tree_build *b, size_t *k, cJSON **out);

/*
 * Build the members of the container node at scan index k, whose first
 * member is value *next, and move *next past the last one.
 */
static int build_members(struct tree_build *b, cJSON *node, size_t k,
			 size_t *next)
{
	const struct json_object_scan *scan = b->scan;
	const char *text = b->text;
	size_t end = scan->value_end[k], pos = scan->value_start[k] + 1;
	bool object = text[scan->value_start[k]] == '{';
	cJSON *last = NULL, *child;

	while (*next < b->last && scan->value_start[*next] < end) {
		size_t key = 0, c = *next;

		if (object) {
			/* The key follows the '{' or the ',' after pos. */
			key = skip_ws(text, end, pos);
			if (text[key] == ',')
				key = skip_ws(text, end, key + 1);
		}
		if (build_value(b, next, &child))
			return -1;
		if (last)
			last->next = child;
		else
			node->child = child;
		child->prev = last;
		last = child;
		if (object) {
			child->string = string_value(text, key, key_end(
				text, scan->value_start[c]));
			if (!child->string)
				return -1;
		}
		pos = scan->value_end[c];
	}
	/* cJSON's parser links the first child back to the last. */
	if (node->child)
		node->child->prev = last;
	return 0;
}

/* Return the cJSON type of the valid value that starts with c. */
static int node_type(char c)
{
	switch (c) {
	case '{':
		return cJSON_Object;
	case '[':
		return cJSON_Array;
	case '"':
		return cJSON_String;
	case 't':
		return cJSON_True;
	case 'f':
		return cJSON_False;
	case 'n':
		return cJSON_NULL;
	}
	return cJSON_Number;
}

/*
 * Build the value at scan index *k, with the offsets that
 * json_value_off and json_value_end read, and move *k past it and the
 * values inside it. On failure, *out is what was built so far, for the
 * caller to free, or NULL.
 */
static int build_value(struct tree_build *b, size_t *k, cJSON **out)
{
	const struct json_object_scan *scan = b->scan;
	size_t index = *k, start = scan->value_start[index];
	size_t end = scan->value_end[index];
	int type = node_type(b->text[start]);
	cJSON *node;

	*out = NULL;
	*k = index + 1;
	if (b->nelide && *b->elide == index) {
		/* A placeholder: a null whose offsets are the value's. */
		while (*k < b->last && scan->value_start[*k] < end)
			(*k)++;
		b->elide++;
		b->nelide--;
		type = cJSON_NULL;
	}
	node = new_node(type);
	if (!node)
		return -1;
	*out = node;
	node->valueint = (int)start;
	node->valuedouble = (double)end;
	switch (type) {
	case cJSON_Number:
		node->valuedouble = number_value(b->text, start, end);
		break;
	case cJSON_String:
		node->valuestring = string_value(b->text, start, end);
		return node->valuestring ? 0 : -1;
	case cJSON_Object:
	case cJSON_Array:
		return build_members(b, node, index, k);
	}
	return 0;
}

/*
 * Build the tree of the value at text[off], whose values are first to
 * last of scan. Values whose indexes are in elide (ascending)
 * become placeholders. Returns NULL with *err_off set to off when out
 * of memory.
 */
static cJSON *build_tree(const char *text, size_t off,
			 const struct json_object_scan *scan, size_t first,
			 size_t last, const size_t *elide, size_t nelide,
			 size_t *err_off)
{
	struct tree_build b = { text, scan, last, elide, nelide };
	size_t k = first;
	cJSON *v;

	if (first >= last || scan->value_start[first] != off)
		BUG("no scanned value at offset %zu", off);
	if (build_value(&b, &k, &v)) {
		cJSON_Delete(v);
		*err_off = off;
		return NULL;
	}
	if (k != last || b.nelide)
		BUG("scanned values %zu to %zu are not one value", first,
		    last);
	return v;
}

cJSON *json_parse_element(const char *text,
			  const struct json_object_scan *scan,
			  const struct json_member *m, size_t i, size_t *err_off)
{
	return build_tree(text, m->elems[i].off, scan, m->elem_values[i],
			  m->elem_values[i + 1], NULL, 0, err_off);
}

/*
 * Scratch memory for cJSON while an export is read. Each element's tree
 * lives only until the next element is parsed, so its nodes and strings
 * come from blocks that json_scratch_reset recycles, instead of one
 * malloc and one free each.
 */
struct scratch_block {
	struct scratch_block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

#define SCRATCH_BLOCK_SIZE ((size_t)256 << 10)

static struct scratch_block *scratch;	/* the block in use first */

static void *scratch_alloc(size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	struct scratch_block *b = scratch;
	void *p;

	if (n > SIZE_MAX / 2)
		BUG("scratch request of %zu bytes", n);
	if (!b || b->size - b->used < need) {
		size_t size = need > SCRATCH_BLOCK_SIZE ? need
							 : SCRATCH_BLOCK_SIZE;

		b = xmalloc(sizeof(*b) + size);
		b->next = scratch;
		b->used = 0;
		b->size = size;
		scratch = b;
	}
	p = b->data + b->used;
	b->used += need;
	return p;
}

static void scratch_free(void *p)
{
	(void)p;	/* json_scratch_reset frees the blocks */
}

void json_scratch_begin(void)
{
	cJSON_Hooks hooks = { scratch_alloc, scratch_free };

	cJSON_InitHooks(&hooks);
}

void json_scratch_reset(void)
{
	struct scratch_block *b;

	if (!scratch)
		return;
	while ((b = scratch->next)) {
		scratch->next = b->next;
		free(b);
	}
	scratch->used = 0;
}

void json_scratch_end(void)
{
	cJSON_Hooks hooks = { xmalloc, free };

	json_scratch_reset();
	free(scratch);
	scratch = NULL;
	cJSON_InitHooks(&hooks);
}

/* Return the index of the first value that starts after value k ends. */
static size_t value_after(const struct json_object_scan *scan, size_t k,
			  size_t last)
{
	size_t end = scan->value_end[k];

	for (k++; k < last && scan->value_start[k] < end; k++)
		;
	return k;
}

/*
 * Return whether the value at off is the value of the member key of an
 * object. The bytes before it must be '{' or ',', the quoted key as
 * written and ':', with whitespace between. In valid JSON, a quote
 * after '{' or ',' opens a string, so a longer key or a string value
 * cannot end in that way. A key written with escapes is not seen.
 */
static bool member_key_is(const char *text, size_t off, const char *key)
{
	size_t n = strlen(key), i = off;

	while (i && IS_WS(text[i - 1]))
		i--;
	if (!i || text[--i] != ':')
		return false;
	while (i && IS_WS(text[i - 1]))
		i--;
	if (i < n + 2 || text[i - 1] != '"' || text[i - n - 2] != '"' ||
	    memcmp(text + i - n - 1, key, n))
		return false;
	i -= n + 2;
	while (i && IS_WS(text[i - 1]))
		i--;
	return i && (text[i - 1] == '{' || text[i - 1] == ',');
}

/* Return the index of member key of object k, or SIZE_MAX. */
static size_t find_member(const char *text,
			  const struct json_object_scan *scan, size_t k,
			  size_t last, const char *key)
{
	size_t end = scan->value_end[k], c;

	if (text[scan->value_start[k]] != '{')
		return SIZE_MAX;
	for (c = k + 1; c < last && scan->value_start[c] < end;
	     c = value_after(scan, c, last))
		if (member_key_is(text, scan->value_start[c], key))
			return c;
	return SIZE_MAX;
}

size_t json_element_find_nested(const char *text,
				const struct json_object_scan *scan,
				const struct json_member *m, size_t i,
				const char *list_key, const char *key,
				size_t *out, size_t max)
{
	size_t first = m->elem_values[i], last = m->elem_values[i + 1];
	size_t list = find_member(text, scan, first, last, list_key);
	size_t end, e, n = 0;

	if (list == SIZE_MAX || text[scan->value_start[list]] != '[')
		return 0;
	end = scan->value_end[list];
	for (e = list + 1; e < last && scan->value_start[e] < end && n < max;
	     e = value_after(scan, e, last)) {
		size_t k = find_member(text, scan, e, last, key);

		if (k != SIZE_MAX)
			out[n++] = k;
	}
	return n;
}

cJSON *json_parse_element_elided(const char *text,
				 const struct json_object_scan *scan,
				 const struct json_member *m, size_t i,
				 const size_t *elide, size_t nelide,
				 size_t *err_off)
{
	const struct json_span *span = &m->elems[i];
	size_t from = span->off, j;

	/*
	 * Check the contract json.h states: a value longer than "null"
	 * cannot be a null, so json_is_elided can tell a placeholder.
	 */
	for (j = 0; j < nelide; j++) {
		size_t start = scan->value_start[elide[j]];
		size_t end = scan->value_end[elide[j]];

		if (end - start <= 4 || start < from)
			BUG("value %zu cannot be elided", elide[j]);
		from = end;
	}
	return build_tree(text, span->off, scan, m->elem_values[i],
			  m->elem_values[i + 1], elide, nelide, err_off);
}

bool json_is_elided(const char *text, const cJSON *v)
{
	return cJSON_IsNull(v) && text[json_value_off(v)] != 'n';
}

cJSON *json_parse_elided(const char *text,
			 const struct json_object_scan *scan,
			 const struct json_member *m, size_t i, const cJSON *v,
			 size_t *err_off)
{
	size_t off = json_value_off(v);
	size_t lo = m->elem_values[i], hi = m->elem_values[i + 1];

	/* Values are in the order they start, and no two start together. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (scan->value_start[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == m->elem_values[i + 1] || scan->value_start[lo] != off)
		BUG("no scanned value at offset %zu", off);
	return build_tree(text, off, scan, lo,
			  value_after(scan, lo, m->elem_values[i + 1]), NULL, 0,
			  err_off);
}

size_t json_value_off(const cJSON *v)
{
	return (size_t)v->valueint;
}

size_t json_value_end(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		BUG("the end of a number is not recorded");
	return (size_t)v->valuedouble;
}

cJSON *json_parse_span(const char *text, size_t off, size_t len,
		       size_t *err_off)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text + off, len, &end, 0);

	if (!v) {
		const char *e = cJSON_GetErrorPtr();

		*err_off = e && e >= text + off && e <= text + off + len
			? (size_t)(e - text) : off;
		return NULL;
	}
	if (end != text + off + len &&
	    skip_ws(text, off + len, (size_t)(end - text)) != off + len) {
		*err_off = (size_t)(end - text);
		cJSON_Delete(v);
		return NULL;
	}
	record_offsets(text, off + len, off, v);
	return v;
}

/* Return the decoded key of the string at text[off..end), malloc'd. */
static char *decode_key(const char *text, size_t off, size_t end)
{
	size_t err;
	cJSON *v;
	char *key;

	if (!memchr(text + off, '\\', end - off))
		return xstrndup(text + off + 1, end - off - 2);
	v = json_parse_span(text, off, end - off, &err);
	if (!v || !cJSON_IsString(v))
		BUG("validated key at offset %zu does not parse", off);
	key = xstrdup(v->valuestring);
	cJSON_Delete(v);
	return key;
}

static void report_fault(struct diag *d, struct source *src,
			 const struct json_fault *f)
{
	struct loc loc = { src, (uint32_t)f->off, 0 };

	diag_at(d, DIAG_ERROR, &loc, "invalid JSON: %s", f->msg);
}

static int scan_elements(struct source *src, size_t *pos,
			 struct json_member *m, struct json_object_scan *scan,
			 struct json_fault *f)
{
	const char *s = src->text;
	size_t len = src->len, cap = 0, i = skip_ws(s, len, *pos + 1);
	enum json_type type;
	int more = 1;

	if (i < len && s[i] == ']') {
		*pos = i + 1;
		return 0;
	}
	while (more > 0) {
		size_t start = skip_ws(s, len, i), old_cap = cap;

		i = start;
		grow_array((void **)&m->elems, &cap, m->nelems + 1,
			   sizeof(*m->elems));
		/* One more slot, for where the last element's values end. */
		if (cap != old_cap)
			m->elem_values = xrealloc(m->elem_values, (cap + 1) *
						  sizeof(*m->elem_values));
		m->elem_values[m->nelems] = scan->nvalues;
		if (skip_value(s, len, &i, &type, f, scan))
			return -1;
		m->elems[m->nelems].off = (uint32_t)start;
		m->elems[m->nelems].len = (uint32_t)(i - start);
		m->nelems++;
		m->elem_values[m->nelems] = scan->nvalues;
		source_release_before(src, i);
		more = scan_separator(s, len, &i, ']', f);
	}
	if (more < 0)
		return -1;
	*pos = i;
	return 0;
}

static int scan_member(struct source *src, size_t *pos, struct json_member *m,
		       bool (*want_elems)(const char *),
		       struct json_object_scan *scan, struct json_fault *f)
{
	const char *s = src->text;
	size_t len = src->len, i = *pos, key_end;

	m->key_off = (uint32_t)i;
	if (scan_key(s, len, &i, f))
		return -1;
	key_end = m->key_off;
	if (scan_string(s, len, &key_end, f))
		BUG("key scanned twice differently");
	m->key = decode_key(s, m->key_off, key_end);

	m->value.off = (uint32_t)i;
	if (i < len && s[i] == '[' && want_elems && want_elems(m->key)) {
		m->type = JSON_ARRAY;
		if (scan_elements(src, &i, m, scan, f))
			return -1;
	} else if (json_skip_value(s, len, &i, &m->type, f)) {
		return -1;
	}
	m->value.len = (uint32_t)(i - m->value.off);
	*pos = i;
	return 0;
}

int json_scan_object(struct json_object_scan *out, struct source *src,
		     bool (*want_elems)(const char *key), struct diag *d)
{
	const char *s = src->text;
	size_t len = src->len, i = 0, cap = 0;
	struct json_fault f;
	int more = 1;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	i = skip_ws(s, len, i);
	if (i >= len || s[i] != '{') {
		fault_at(&f, i, i >= len ? "empty file; expected a JSON object"
			 : "expected a JSON object");
		goto fail;
	}
	out->off = (uint32_t)i;
	i = skip_ws(s, len, i + 1);
	if (i < len && s[i] == '}') {
		i++;
		more = 0;
	}
	while (more > 0) {
		struct json_member *m;

		grow_array((void **)&out->members, &cap, out->nmembers + 1,
			   sizeof(*out->members));
		m = &out->members[out->nmembers++];
		memset(m, 0, sizeof(*m));
		if (scan_member(src, &i, m, want_elems, out, &f))
			goto fail;
		source_release_before(src, i);
		more = scan_separator(s, len, &i, '}', &f);
	}
	if (more < 0)
		goto fail;
	i = skip_ws(s, len, i);
	if (i < len) {
		fault_at(&f, i, "unexpected content after the top-level "
			 "object");
		goto fail;
	}
	source_release_all(src);
	return 0;

fail:
	report_fault(d, src, &f);
	json_object_scan_release(out);
	return -1;
}

/*
 * Give back the whole pages of v[from] to v[to - 1]. The array stays
 * allocated. A page only partly inside the range, which may hold
 * malloc's own data or other values, is left alone.
 */
static void forget_offsets(uint32_t *v, size_t from, size_t to)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = ((uintptr_t)(v + from) + page - 1) / page * page;
	uintptr_t end = (uintptr_t)(v + to) / page * page;

	if (start < end)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

void json_object_scan_forget(struct json_object_scan *scan, size_t k)
{
	if (k > scan->nvalues)
		BUG("forgetting %zu of %zu values", k, scan->nvalues);
	if (k < scan->forgotten + FORGET_STEP)
		return;
	forget_offsets(scan->value_start, scan->forgotten, k);
	forget_offsets(scan->value_end, scan->forgotten, k);
	scan->forgotten = k;
}

void json_object_scan_release(struct json_object_scan *scan)
{
	size_t i;

	for (i = 0; i < scan->nmembers; i++) {
		free(scan->members[i].key);
		free(scan->members[i].elems);
		free(scan->members[i].elem_values);
	}
	free(scan->members);
	free(scan->value_start);
	free(scan->value_end);
	memset(scan, 0, sizeof(*scan));
}

void json_path_push_key(struct json_path *p, const char *key)
{
	if (p->depth == JSON_PATH_MAX)
		BUG("JSON path deeper than %d steps", JSON_PATH_MAX);
	p->step[p->depth].key = key;
	p->step[p->depth].index = 0;
	p->depth++;
}

void json_path_push_index(struct json_path *p, size_t index)
{
	if (p->depth == JSON_PATH_MAX)
		BUG("JSON path deeper than %d steps", JSON_PATH_MAX);
	p->step[p->depth].key = NULL;
	p->step[p->depth].index = index;
	p->depth++;
}

void json_path_pop(struct json_path *p)
{
	if (!p->depth)
		BUG("popping an empty JSON path");
	p->depth--;
}

static bool is_identifier(const char *s)
{
	if (!*s || is_digit(*s))
		return false;
	for (; *s; s++)
		if (!is_word_char(*s))
			return false;
	return true;
}

void json_path_format(const struct json_path *p, size_t from, struct buf *out)
{
	size_t i;

	for (i = from; i < p->depth; i++) {
		const struct json_step *st = &p->step[i];

		if (!st->key) {
			buf_addf(out, "[%zu]", st->index);
		} else if (is_identifier(st->key)) {
			if (i > from)
				buf_addch(out, '.');
			buf_adds(out, st->key);
		} else {
			buf_addch(out, '[');
			buf_add_json_string(out, st->key);
			buf_addch(out, ']');
		}
	}
}

/*
 * Skip a value already known to be valid, without checking it again:
 * only quotes, backslashes inside strings and brackets are looked at.
 */
static size_t skip_valid(const char *text, size_t len, size_t i)
{
	size_t depth = 0;
	char c = text[i];

	if (c != '"' && c != '{' && c != '[') {
		while (i < len && !IS_WS(text[i]) && text[i] != ',' &&
		       text[i] != ']' && text[i] != '}')
			i++;
		return i;
	}
	do {
		while (i < len && !IS_SPECIAL(text[i]))
			i++;
		if (i >= len)
			break;
		c = text[i++];
		if (c == '"') {
			while (i < len && text[i] != '"')
				i += text[i] == '\\' ? 2 : 1;
			i++;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	} while (depth && i < len);
	return i < len ? i : len;
}

static bool key_equals(const char *text, size_t off, size_t end,
		       const char *key)
{
	size_t n = end - off - 2;
	char *decoded;
	bool eq;

	if (!memchr(text + off, '\\', end - off))
		return n == strlen(key) && !memcmp(text + off + 1, key, n);
	decoded = decode_key(text, off, end);
	eq = !strcmp(decoded, key);
	free(decoded);
	return eq;
}

/* Move *pos from an object's '{' to the value of the step's key. */
static int enter_key(const char *text, size_t len, size_t *pos,
		     const struct json_step *st, size_t *key_off)
{
	size_t i = *pos, seen = 0;

	if (i >= len || text[i] != '{')
		return -1;
	i = skip_ws(text, len, i + 1);
	while (i < len && text[i] == '"') {
		size_t k = i, end = skip_valid(text, len, i);

		i = skip_ws(text, len, end);
		i = skip_ws(text, len, i + 1);
		if (key_equals(text, k, end, st->key) && seen++ == st->index) {
			*key_off = k;
			*pos = i;
			return 0;
		}
		i = skip_ws(text, len, skip_valid(text, len, i));
		if (i < len && text[i] == ',')
			i = skip_ws(text, len, i + 1);
	}
	return -1;
}

/* Move *pos from an array's '[' to its element number index. */
static int enter_index(const char *text, size_t len, size_t *pos,
		       size_t index)
{
	size_t i = *pos, k;

	if (i >= len || text[i] != '[')
		return -1;
	i = skip_ws(text, len, i + 1);
	for (k = 0; i < len && text[i] != ']'; k++) {
		if (k == index) {
			*pos = i;
			return 0;
		}
		i = skip_ws(text, len, skip_valid(text, len, i));
		if (i < len && text[i] == ',')
			i = skip_ws(text, len, i + 1);
	}
	return -1;
}

int json_locate(const char *text, size_t len, size_t off,
		const struct json_step *steps, size_t n, size_t *value,
		size_t *end, size_t *key_off)
{
	size_t i = skip_ws(text, len, off), k, key = i;

	for (k = 0; k < n; k++) {
		int r;

		if (steps[k].key) {
			r = enter_key(text, len, &i, &steps[k], &key);
		} else {
			r = enter_index(text, len, &i, steps[k].index);
			key = i;
		}
		if (r)
			return -1;
	}
	*value = i;
	if (end)
		*end = skip_valid(text, len, i);
	if (key_off)
		*key_off = key;
	return 0;
}

size_t json_array_spans(const char *text, size_t len, size_t off,
			struct json_span *out, size_t max)
{
	size_t i = skip_ws(text, len, off), n = 0;

	if (i >= len || text[i] != '[')
		return 0;
	i = skip_ws(text, len, i + 1);
	while (n < max && i < len && text[i] != ']') {
		size_t end = skip_valid(text, len, i);

		out[n].off = (uint32_t)i;
		out[n].len = (uint32_t)(end - i);
		n++;
		i = skip_ws(text, len, end);
		if (i < len && text[i] == ',')
			i = skip_ws(text, len, i + 1);
	}
	return n;
}

void json_value_span(const char *text, size_t len, size_t off,
		     struct json_span *out)
{
	size_t i = skip_ws(text, len, off);

	out->off = (uint32_t)i;
	out->len = (uint32_t)(skip_valid(text, len, i) - i);
}

/* Return the number of UTF-8 bytes that the code point cp takes. */
static size_t utf8_size(long cp)
{
	if (cp < 0x80)
		return 1;
	if (cp < 0x800)
		return 2;
	if (cp < 0x10000)
		return 3;
	return 4;
}

/*
 * Map offsets into a JSON string's decoded value to offsets of the
 * escaped text in raw, whose opening quote is at raw[lit]. Offsets that
 * fall inside one escape map to the escape's backslash.
 */
static void map_json_string(const char *raw, size_t len, size_t lit,
			    size_t *offs, size_t n)
{
	size_t j = lit + 1, v = 0, k;

	for (k = 0; k < n; k++) {
		while (v < offs[k] && j < len && raw[j] != '"') {
			size_t adv = 1, produced = 1;

			if (raw[j] == '\\' && j + 1 < len) {
				adv = 2;
				if (raw[j + 1] == 'u') {
					long cp = hex4(raw, len, j + 2);

					adv = 6;
					produced = utf8_size(cp);
					if (cp >= 0xd800 && cp <= 0xdbff) {
						adv = 12;
						produced = 4;
					}
				}
			}
			if (v + produced > offs[k])
				break;
			j += adv;
			v += produced;
		}
		offs[k] = j;
	}
}

/* Map offsets of a percent-decoded text to offsets of its encoding. */
static void map_url(const char *enc, size_t len, size_t *offs, size_t n)
{
	size_t e = 0, d = 0, k;

	for (k = 0; k < n; k++) {
		while (d < offs[k] && e < len) {
			e += enc[e] == '%' ? 3 : 1;
			d++;
		}
		offs[k] = e < len ? e : len;
	}
}

void json_text_map(const struct json_text *t, size_t *offs, size_t n)
{
	for (; t->up; t = t->up) {
		if (!t->decoded)
			continue;
		/* The decoded text was made from the string's cJSON value. */
		if (t->url_encoded)
			map_url(t->encoded, t->encoded_len, offs, n);
		map_json_string(t->up->text, t->up->len, t->literal, offs, n);
	}
}

void json_ctx_enter(struct json_ctx *c, struct json_text *sub, size_t root)
{
	memset(sub, 0, sizeof(*sub));
	sub->text = c->text->text;
	sub->len = c->text->len;
	sub->root = root;
	sub->depth = c->path.depth;
	sub->up = c->text;
	c->text = sub;
}

void json_ctx_leave(struct json_ctx *c, struct json_text *sub)
{
	if (c->text != sub)
		BUG("leaving a JSON text that is not the current one");
	c->text = sub->up;
}

/* Return the innermost text whose root lies on the path. */
static const struct json_text *text_for(const struct json_ctx *c)
{
	const struct json_text *t = c->text;

	while (t->up && t->depth > c->path.depth)
		t = t->up;
	return t;
}

/*
 * Find the path's value in t and return its export location. When at_key,
 * point at the key instead. *local gets the offset inside t's text.
 */
static struct loc locate_path(const struct json_ctx *c,
			      const struct json_text *t, bool at_key,
			      size_t *local)
{
	size_t value = t->root, end, key = t->root, offs[2];
	struct loc loc = { c->src, 0, 0 };

	if (json_locate(t->text, t->len, t->root, c->path.step + t->depth,
			c->path.depth - t->depth, &value, NULL, &key))
		value = t->root;
	/* The underline needs the end of short values only. */
	end = skip_valid(t->text, value + 81 < t->len ? value + 81 : t->len,
			 value);
	offs[0] = at_key ? key : value;
	offs[1] = at_key ? key : end;
	*local = offs[0];
	json_text_map(t, offs, 2);
	loc.off = (uint32_t)offs[0];
	/* Underline short values only; a whole object would be noise. */
	if (!at_key && end - value <= 80 && offs[1] > offs[0])
		loc.len = (uint32_t)(offs[1] - offs[0]);
	return loc;
}

int json_ctx_find(const struct json_ctx *c, const struct json_text **t,
		  size_t *off)
{
	*t = text_for(c);
	return json_locate((*t)->text, (*t)->len, (*t)->root,
			   c->path.step + (*t)->depth,
			   c->path.depth - (*t)->depth, off, NULL, NULL);
}

struct loc json_node_loc(const struct json_ctx *c, const cJSON *v)
{
	size_t offs[2];
	struct loc loc = { c->src, 0, 0 };

	offs[0] = json_value_off(v);
	offs[1] = cJSON_IsNumber(v) ? offs[0] : json_value_end(v);
	json_text_map(c->text, offs, 2);
	loc.off = (uint32_t)offs[0];
	loc.len = (uint32_t)(offs[1] - offs[0]);
	return loc;
}

struct loc json_ctx_loc(const struct json_ctx *c)
{
	size_t local;

	return locate_path(c, text_for(c), false, &local);
}

static void text_position(const char *text, size_t off, uint32_t *line,
			  uint32_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static void note_decoded(const struct json_ctx *c, const struct json_text *t,
			 const struct loc *loc, size_t local)
{
	uint32_t line, col;

	if (!t->decoded)
		return;
	text_position(t->text, local, &line, &col);
	diag_at(c->d, DIAG_NOTE, loc, "at line %u, column %u of the %s",
		line, col, t->url_encoded ? "percent-decoded document"
		: "JSON text in this string");
}

/* Append " (in WHAT)" when c names the thing being read. */
static void add_what(const struct json_ctx *c, struct buf *msg)
{
	va_list ap;

	if (c->what) {
		buf_addf(msg, " (in %s)", c->what);
	} else if (c->what_fmt) {
		buf_adds(msg, " (in ");
		va_copy(ap, *c->what_args);
		buf_vaddf(msg, c->what_fmt, ap);
		va_end(ap);
		buf_addch(msg, ')');
	}
}

static void report(struct json_ctx *c, enum diag_level level, bool at_key,
		   const char *fmt, va_list ap)
{
	const struct json_text *t = text_for(c);
	struct buf msg = BUF_INIT;
	struct loc loc;
	size_t local;

	json_path_format(&c->path, 0, &msg);
	if (msg.len)
		buf_adds(&msg, ": ");
	buf_vaddf(&msg, fmt, ap);
	add_what(c, &msg);
	loc = locate_path(c, t, at_key, &local);
	diag_at(c->d, level, &loc, "%s", buf_str(&msg));
	note_decoded(c, t, &loc, local);
	buf_release(&msg);
}

int json_ctx_error(struct json_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(c, DIAG_ERROR, false, fmt, ap);
	va_end(ap);
	return -1;
}

int json_ctx_error_key(struct json_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(c, DIAG_ERROR, true, fmt, ap);
	va_end(ap);
	return -1;
}

void json_ctx_warning(struct json_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(c, DIAG_WARNING, false, fmt, ap);
	va_end(ap);
}

void json_ctx_warning_key(struct json_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(c, DIAG_WARNING, true, fmt, ap);
	va_end(ap);
}

void json_ctx_fault(struct json_ctx *c, const struct json_text *t,
		    const char *what, const struct json_fault *f)
{
	struct buf msg = BUF_INIT;
	struct loc loc = { c->src, 0, 0 };
	size_t off = f->off;

	json_text_map(t, &off, 1);
	loc.off = (uint32_t)off;
	json_path_format(&c->path, 0, &msg);
	if (msg.len)
		buf_adds(&msg, ": ");
	buf_addf(&msg, "%s: %s", what, f->msg);
	add_what(c, &msg);
	diag_at(c->d, DIAG_ERROR, &loc, "%s", buf_str(&msg));
	if (t->url_encoded || t->text[skip_ws(t->text, t->len, 0)] == '{')
		note_decoded(c, t, &loc, f->off);
	buf_release(&msg);
}

const char *json_type_name(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

/* Check the type of v, the value of member key or NULL when absent. */
static int check_typed(struct json_ctx *c, const cJSON *v, const char *key,
		       bool required, cJSON_bool (*is)(const cJSON *),
		       const char *expected, const cJSON **out)
{
	int ret = 0;

	*out = NULL;
	if (!v) {
		if (required)
			return json_ctx_error(c, "missing required key '%s'",
					      key);
		return 0;
	}
	if (!is(v)) {
		json_path_push_key(&c->path, key);
		ret = json_ctx_error(c, "expected %s, got %s", expected,
				     json_type_name(v));
		json_path_pop(&c->path);
		return ret;
	}
	*out = v;
	return 0;
}

/* Look up key and check its type; *out is NULL when absent. */
static int get_typed(struct json_ctx *c, const cJSON *obj, const char *key,
		     bool required, cJSON_bool (*is)(const cJSON *),
		     const char *expected, const cJSON **out)
{
	return check_typed(c, cJSON_GetObjectItemCaseSensitive(obj, key), key,
			   required, is, expected, out);
}

static cJSON_bool is_string(const cJSON *v)
{
	return cJSON_IsString(v);
}

static cJSON_bool is_array(const cJSON *v)
{
	return cJSON_IsArray(v);
}

static cJSON_bool is_object(const cJSON *v)
{
	return cJSON_IsObject(v);
}

static cJSON_bool is_bool(const cJSON *v)
{
	return cJSON_IsBool(v);
}

int json_get_string(struct json_ctx *c, const cJSON *obj, const char *key,
		    bool required, const char **out)
{
	const cJSON *v;

	*out = NULL;
	if (get_typed(c, obj, key, required, is_string, "a string", &v))
		return -1;
	if (v)
		*out = v->valuestring;
	return 0;
}

int json_member_string(struct json_ctx *c, const cJSON *v, const char *key,
		       bool required, const char **out)
{
	const cJSON *str;

	*out = NULL;
	if (check_typed(c, v, key, required, is_string, "a string", &str))
		return -1;
	if (str)
		*out = str->valuestring;
	return 0;
}

int json_get_array(struct json_ctx *c, const cJSON *obj, const char *key,
		   bool required, const cJSON **out)
{
	return get_typed(c, obj, key, required, is_array, "an array", out);
}

int json_get_object(struct json_ctx *c, const cJSON *obj, const char *key,
		    bool required, const cJSON **out)
{
	return get_typed(c, obj, key, required, is_object, "an object", out);
}

int json_get_bool(struct json_ctx *c, const cJSON *obj, const char *key,
		  bool *present, bool *out)
{
	const cJSON *v;

	*out = false;
	*present = false;
	if (get_typed(c, obj, key, false, is_bool, "true or false", &v))
		return -1;
	if (v) {
		*present = true;
		*out = cJSON_IsTrue(v);
	}
	return 0;
}

struct named_member {
	const char *key;
	size_t pos;
};

static int compare_members(const void *a, const void *b)
{
	const struct named_member *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	if (r)
		return r;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int report_duplicate(struct json_ctx *c, const char *key)
{
	int ret;

	json_path_push_key(&c->path, key);
	c->path.step[c->path.depth - 1].index = 1;
	ret = json_ctx_error_key(c, "duplicate key '%s'", key);
	json_path_pop(&c->path);
	return ret;
}

int json_check_unique_keys(struct json_ctx *c, const cJSON *obj)
{
	struct named_member *m;
	const cJSON *a, *b;
	size_t n = 0, i, first = SIZE_MAX;
	const char *dup = NULL;

	cJSON_ArrayForEach(a, obj)
		n++;
	if (n <= 16) {
		/* Most pairs differ in the first byte: test it inline. */
		cJSON_ArrayForEach(a, obj)
			for (b = a->next; b; b = b->next)
				if (a->string[0] == b->string[0] &&
				    !strcmp(a->string, b->string))
					return report_duplicate(c, a->string);
		return 0;
	}

	/* Sort by key, then find the earliest second occurrence. */
	m = xmalloc(n * sizeof(*m));
	i = 0;
	cJSON_ArrayForEach(a, obj) {
		m[i].key = a->string;
		m[i].pos = i;
		i++;
	}
	qsort(m, n, sizeof(*m), compare_members);
	for (i = 1; i < n; i++) {
		if (strcmp(m[i - 1].key, m[i].key))
			continue;
		if (m[i].pos < first) {
			first = m[i].pos;
			dup = m[i].key;
		}
		while (i + 1 < n && !strcmp(m[i].key, m[i + 1].key))
			i++;
	}
	free(m);
	return dup ? report_duplicate(c, dup) : 0;
}
