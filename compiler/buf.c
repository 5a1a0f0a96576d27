#include "common.h"
#include "buf.h"

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need;

	if (extra > BUF_MAX || b->len + extra + 1 > BUF_MAX) {
		fprintf(stderr, "mandate: error: output larger than %zu bytes\n",
			BUF_MAX);
		exit(EXIT_ERROR);
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	grow_array((void **)&b->data, &b->cap, need, 1);
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	size_t room = 0;
	int n;

	/*
	 * Most text fits in the room the buffer has or a little more, so
	 * one vsnprintf call writes it. A second call follows only when it
	 * did not fit. Near BUF_MAX the text is measured first instead.
	 */
	if (b->len + 65 <= BUF_MAX) {
		buf_grow(b, 64);
		room = b->cap - b->len;
	}
	va_copy(copy, ap);
	n = room ? vsnprintf(b->data + b->len, room, fmt, copy)
		 : vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		BUG("bad format '%s'", fmt);
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_add_spaces(struct buf *b, size_t n)
{
	buf_grow(b, n);
	memset(b->data + b->len, ' ', n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/*
 * Return whether the three bytes at s encode a bidirectional embedding,
 * override or isolate (U+202A to U+202E, U+2066 to U+2069), which can
 * make a terminal show text in another order than it has.
 */
static bool is_bidi_control(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] != 0xe2)
		return false;
	return (u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
	       (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9);
}

bool char_is_printable(const char *s, size_t len)
{
	unsigned char c = (unsigned char)*s;

	return !(len == 0 || c < 0x20 || c == 0x7f ||
		 (c == 0xc2 && (unsigned char)s[1] < 0xa0) ||
		 (len == 3 && is_bidi_control(s)));
}

void buf_add_printable(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	buf_grow(b, n);
	while (n > 0) {
		unsigned char c = (unsigned char)*s;
		size_t len;

		if (c >= 0x20 && c < 0x7f) {	/* plain ASCII, the usual case */
			b->data[b->len++] = (char)c;
			s++;
			n--;
			continue;
		}
		len = utf8_char_len(s, n);
		if (!char_is_printable(s, len)) {
			buf_grow(b, 1);
			b->data[b->len++] = '?';
			len = len ? len : 1;
		} else {
			buf_add(b, s, len);
		}
		s += len;
		n -= len;
	}
	b->data[b->len] = '\0';
}

void buf_add_one_line(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		size_t len = utf8_char_len(s, n);

		if (*s == '\t' || *s == '\n' || *s == '\r')
			buf_addch(b, ' ');
		else if (!char_is_printable(s, len))
			buf_addch(b, '?');
		else
			buf_add(b, s, len);
		len = len ? len : 1;
		s += len;
		n -= len;
	}
}

void buf_add_printable_lines(struct buf *b, const char *s)
{
	const char *nl;

	while ((nl = strchr(s, '\n'))) {
		char *line = xstrndup(s, (size_t)(nl - s));

		buf_add_printable(b, line);
		buf_addch(b, '\n');
		free(line);
		s = nl + 1;
	}
	buf_add_printable(b, s);
}

void buf_add_json_string(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_addch(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		const unsigned char *run = p;

		/* Copy a run of bytes that need no escape at once. */
		while (*p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			buf_add(b, run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (*p < 0x20)
				buf_addf(b, "\\u%04x", *p);
			else
				buf_addch(b, (char)*p);
		}
	}
	buf_addch(b, '"');
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data ? b->data : xstrdup("");

	if (len)
		*len = b->len;
	buf_init(b);
	return p;
}
