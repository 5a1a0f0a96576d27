#ifndef MANDATE_COMPILER_BUF_H
#define MANDATE_COMPILER_BUF_H

/*
 * A growable byte string, always NUL-terminated. Growth past BUF_MAX is
 * a fatal error rather than an unbounded allocation, because every buf
 * holds output derived from inputs that are themselves size-checked.
 */
struct buf {
	char *data;
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }
#define BUF_MAX ((size_t)1 << 31)

void buf_init(struct buf *b);
void buf_release(struct buf *b);

/* Empty b without freeing its storage. */
void buf_reset(struct buf *b);

/* Make room for at least extra more bytes. */
void buf_grow(struct buf *b, size_t extra);

void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Append n spaces, as indentation. */
void buf_add_spaces(struct buf *b, size_t n);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	PRINTF_LIKE(2, 0);

/*
 * Append s with every control character (a byte below 0x20, 0x7f, or
 * U+0080 to U+009F) and every byte that is not UTF-8 replaced by '?'.
 * Text from specs, exports and file names then cannot send escape
 * sequences to a terminal or make the output invalid UTF-8.
 */
void buf_add_printable(struct buf *b, const char *s);

/*
 * Return whether buf_add_printable copies the character of len bytes at
 * s, len being utf8_char_len's result (0 for a byte that is not UTF-8),
 * rather than replacing it by '?'.
 */
bool char_is_printable(const char *s, size_t len);

/*
 * Append s as buf_add_printable does, but with each tab, carriage
 * return and line feed as a space, for text that must stay on one line.
 */
void buf_add_one_line(struct buf *b, const char *s);

/* Append s as buf_add_printable does, but keep its line feeds. */
void buf_add_printable_lines(struct buf *b, const char *s);

/* Append s as a JSON string literal, quotes included. */
void buf_add_json_string(struct buf *b, const char *s);

/* Return the data, never NULL; the buf still owns it. */
const char *buf_str(const struct buf *b);

/* Hand the storage to the caller, who frees it; b is left empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
