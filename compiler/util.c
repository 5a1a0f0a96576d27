#include "common.h"

#include <ctype.h>

#include "buf.h"

void bug_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mandate: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static const char *input_path;

const char *reading_input(const char *path)
{
	const char *previous = input_path;

	input_path = path;
	return previous;
}

/* Print path with '?' for what diagnostics would not show; no malloc. */
static void print_input_path(const char *path)
{
	size_t n = strlen(path);

	while (n > 0) {
		size_t len = utf8_char_len(path, n);

		if (char_is_printable(path, len))
			fwrite(path, 1, len, stderr);
		else
			fputc('?', stderr);
		len = len ? len : 1;
		path += len;
		n -= len;
	}
}

static NORETURN void out_of_memory(size_t size)
{
	if (input_path) {
		print_input_path(input_path);
		fprintf(stderr, ": error: out of memory allocating %zu bytes "
			"while reading this file\n", size);
	} else {
		fprintf(stderr, "mandate: error: out of memory allocating "
			"%zu bytes\n", size);
	}
	exit(EXIT_ERROR);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		out_of_memory(size);
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void grow_array(void **v, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			out_of_memory(SIZE_MAX);
		n *= 2;
	}
	*v = xrealloc(*v, n * elem);
	*cap = n;
}

void sort_array(void *base, size_t n, size_t size,
		int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

const char *plural(long long n)
{
	return n == 1 ? "" : "s";
}

bool text_is_placeholder(const char *text)
{
	static const char *const words[] = {
		"todo", "tbd", "tba", "fixme", "xxx", "n/a", "na", "none",
		"placeholder", "-", "...", "?",
	};
	char word[16];
	const char *p = text;
	size_t i, n;

	while (*p) {
		while (*p && !isalnum((unsigned char)*p) && !strchr("/-.?", *p))
			p++;
		n = 0;
		while (p[n] && (isalnum((unsigned char)p[n]) ||
				strchr("/-.?", p[n])))
			n++;
		if (n && n < sizeof(word)) {
			for (i = 0; i < n; i++)
				word[i] = (char)tolower((unsigned char)p[i]);
			word[n] = '\0';
			for (i = 0; i < ARRAY_SIZE(words); i++)
				if (!strcmp(word, words[i]))
					return true;
		}
		p += n;
	}
	return false;
}

/*
 * Return whether the character of len bytes at s is a control (Unicode
 * category Cc: U+0000 to U+001F and U+007F to U+009F) or a separator.
 * The separators (category Z) are the space, U+00A0, U+1680, U+2000 to
 * U+200A, U+2028, U+2029, U+202F, U+205F and U+3000, the set in the
 * tables of PCRE2 10.42 that tests/unit/address_pattern.c compares.
 */
static bool is_control_or_space(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;

	if (len == 1)
		return u[0] <= 0x20 || u[0] == 0x7f;
	if (len == 2) {
		cp = (uint32_t)(u[0] & 0x1f) << 6 | (u[1] & 0x3f);
		return cp <= 0x9f || cp == 0xa0;
	}
	if (len == 4)
		return false;
	cp = (uint32_t)(u[0] & 0x0f) << 12 | (uint32_t)(u[1] & 0x3f) << 6 |
	     (u[2] & 0x3f);
	return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
	       cp == 0x205f || cp == 0x3000;
}

bool text_is_email(const char *s)
{
	size_t n = strlen(s), at = 0, i, len;
	bool seen_at = false;

	for (i = 0; i < n; i += len) {
		len = utf8_char_len(s + i, n - i);
		if (len == 0 || is_control_or_space(s + i, len))
			return false;
		if (s[i] == '@') {
			if (seen_at)
				return false;
			seen_at = true;
			at = i;
		}
	}
	if (!seen_at || at == 0)
		return false;

	/*
	 * A '.' byte is never part of a longer UTF-8 sequence, and any
	 * byte beside it belongs to at least one character.
	 */
	for (i = at + 2; i + 1 < n; i++)
		if (s[i] == '.')
			return true;
	return false;
}

size_t utf8_char_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	uint32_t cp;

	if (n == 0)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		len = 2, cp = u[0] & 0x1f;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		len = 3, cp = u[0] & 0x0f;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		len = 4, cp = u[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool utf8_valid(const char *s)
{
	size_t n = strlen(s), len;

	for (; n > 0; s += len, n -= len)
		if ((len = utf8_char_len(s, n)) == 0)
			return false;
	return true;
}

size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t prev[64], cur[64];

	if (la >= 64 || lb >= 64)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t v = prev[j - 1] +
				   (tolower((unsigned char)a[i - 1]) !=
				    tolower((unsigned char)b[j - 1]));

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb] > limit ? limit + 1 : prev[lb];
}
