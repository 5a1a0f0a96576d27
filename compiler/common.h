#ifndef MANDATE_COMPILER_COMMON_H
#define MANDATE_COMPILER_COMMON_H

/*
 * Included first by every compiler source file: the C library headers
 * the compiler uses everywhere, a few attribute macros, the memory
 * helpers that exit on exhaustion, and the exit codes shared by every
 * subcommand.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNUSED __attribute__((unused))
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#define NORETURN __attribute__((noreturn))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The exit status of every subcommand. */
enum exit_code {
	EXIT_PASS = 0,		/* ran; the gate passed or the command succeeded */
	EXIT_FAIL = 1,		/* ran; a finding at or above the threshold */
	EXIT_ERROR = 2,		/* could not run: usage, input or internal error */
};

/* Report a broken internal invariant and abort; never for user input. */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
NORETURN void bug_at(const char *file, int line, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

/*
 * Allocate or exit with status 2 and a message when memory runs out.
 * The compiler is a short-lived process, so it does not try to recover.
 */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Name path as the input being read, so that running out of memory is
 * reported against it, until the next call; NULL names none. Returns
 * the previous name, for the caller to restore when it is done. path
 * must live until then.
 */
const char *reading_input(const char *path);

/*
 * Grow *v, an array of elem-sized items with capacity *cap, so that it
 * has room for at least need items. The capacity doubles, which keeps
 * appends amortised constant.
 */
void grow_array(void **v, size_t *cap, size_t need, size_t elem);

/* Return "" when n is 1 and "s" otherwise, for "%d day%s" in messages. */
const char *plural(long long n);

/*
 * Sort n items with qsort. Fewer than two items need no sorting, so an
 * empty array that was never allocated (NULL) never reaches qsort.
 */
void sort_array(void *base, size_t n, size_t size,
		int (*cmp)(const void *, const void *));

/*
 * Return the edit distance (Levenshtein, ignoring ASCII case) of a and
 * b, or limit + 1 when it is larger or either string has 64 bytes or
 * more.
 */
size_t edit_distance(const char *a, const char *b, size_t limit);

/*
 * Return whether text contains a placeholder word such as "TODO", "tbd" or
 * "n/a" in place of a real statement.
 */
bool text_is_placeholder(const char *text);

/*
 * Return whether s has the form of an email address. It must be valid
 * UTF-8 that matches ^[^@\s]+@[^@\s]+\.[^@\s]+$ as PCRE2 matches it
 * with PCRE2_UTF and PCRE2_DOLLAR_ENDONLY. It must contain no control
 * character or separator (Unicode categories Cc and Z), so no final
 * newline either. That is one '@' with text before it, and a '.'
 * with text on both sides in the part after it. This is the check of
 * an owner's address (rule MND103) and of a waiver's approver.
 */
bool text_is_email(const char *s);

/*
 * Return the length in bytes (1 to 4) of the UTF-8 character at the
 * start of the n bytes at s. Returns 0 for a stray continuation byte,
 * a truncated sequence, an overlong form, a surrogate or a code point
 * above U+10FFFF.
 */
size_t utf8_char_len(const char *s, size_t n);

/* Return whether the string s is valid UTF-8, by utf8_char_len's rules. */
bool utf8_valid(const char *s);

#include "banned.h"

#endif
