#include "common.h"
#include "fmt.h"

/*
 * The formatter works on a token list of its own, coarser than the
 * scanner's: a word is any run of characters that is not blank,
 * punctuation, a quote or '#'. That is enough because the text has
 * already parsed, and because the formatter only adds or removes
 * whitespace between its tokens, never inside one, so the scanner sees
 * the same tokens in the output as in the input.
 */
enum fmt_token_kind {
	FMT_WORD,
	FMT_STRING,
	FMT_COMMENT,
	FMT_LBRACE,
	FMT_RBRACE,
	FMT_LBRACKET,
	FMT_RBRACKET,
	FMT_EQUALS,
	FMT_COMMA,
};

struct fmt_token {
	enum fmt_token_kind kind;
	const char *s;
	size_t len;
	unsigned newlines;	/* line breaks between it and the token before */
};

struct fmt_tokens {
	struct fmt_token *v;
	size_t n, cap;
};

struct printer {
	struct buf *out;
	const struct fmt_token *t;
	size_t n;
	int depth;
	size_t col;		/* characters on the current line */
	bool line_has_comment;	/* the current line ends in a comment */
	size_t *name_width;	/* per token: aligned width of a field name */
};

#define INDENT 2

static bool word_char(char c)
{
	return !strchr(" \t\r\n{}[]=,\"#", c);
}

static size_t scan_string(const char *s, size_t i, size_t len)
{
	i++;
	while (i < len && s[i] != '"' && s[i] != '\n') {
		if (s[i] == '\\' && i + 1 < len && s[i + 1] != '\n')
			i++;
		i++;
	}
	return i < len && s[i] == '"' ? i + 1 : i;
}

/* Return the kind and length of the token at text[i]. */
static enum fmt_token_kind scan_one(const char *s, size_t i, size_t len,
			       size_t *n)
{
	static const char punct[] = "{}[],";
	static const enum fmt_token_kind kinds[] = {
		FMT_LBRACE, FMT_RBRACE, FMT_LBRACKET, FMT_RBRACKET, FMT_COMMA,
	};
	const char *p = strchr(punct, s[i]);
	size_t j = i;

	if (s[i] == '#') {
		while (j < len && s[j] != '\n')
			j++;
		while (j > i && s[j - 1] == '\r')
			j--;	/* of a CRLF line ending, which becomes LF */
		*n = j - i;
		return FMT_COMMENT;
	}
	if (s[i] == '"') {
		*n = scan_string(s, i, len) - i;
		return FMT_STRING;
	}
	if (s[i] && p) {
		*n = 1;
		return kinds[p - punct];
	}
	/* '==', '<=', '>=' and '!=' are operators, a single '=' is not. */
	if (i + 1 < len && s[i + 1] == '=' && strchr("=<>!", s[i])) {
		*n = 2;
		return FMT_WORD;
	}
	if (s[i] == '=') {
		*n = 1;
		return FMT_EQUALS;
	}
	while (j < len && word_char(s[j]))
		j++;
	*n = j > i ? j - i : 1;
	return FMT_WORD;
}

static void tokenize(const char *s, size_t len, struct fmt_tokens *out)
{
	size_t i = 0;
	unsigned newlines = 0;

	while (i < len) {
		struct fmt_token *t;
		size_t n;

		if (strchr(" \t\r\n", s[i]) && s[i]) {
			newlines += s[i] == '\n';
			i++;
			continue;
		}
		grow_array((void **)&out->v, &out->cap, out->n + 1,
			   sizeof(*out->v));
		t = &out->v[out->n++];
		t->kind = scan_one(s, i, len, &n);
		t->s = s + i;
		t->len = n;
		t->newlines = newlines;
		newlines = 0;
		i += n;
	}
}

static bool is_word(const struct fmt_token *t, const char *w)
{
	return t->kind == FMT_WORD && t->len == strlen(w) &&
	       !memcmp(t->s, w, t->len);
}

/* Return the index of the first token at or after i that is not a comment. */
static size_t skip_comments(const struct printer *pr, size_t i)
{
	while (i < pr->n && pr->t[i].kind == FMT_COMMENT)
		i++;
	return i;
}

/*
 * Return whether token i starts a field, a block, a grant, a condition
 * or a top-level item: a name before '=' or '{', or a keyword that only
 * such a line can start with. 'identity' after 'for' names what a
 * waiver covers.
 */
static bool starts_statement(const struct printer *pr, size_t i, size_t prev)
{
	static const char *const keywords[] = {
		"agent", "gate", "resource", "waive", "escalation", "grant",
		"deny", "when", "identity",
	};
	const struct fmt_token *t = &pr->t[i];
	size_t next = skip_comments(pr, i + 1), k;

	if (t->kind != FMT_WORD)
		return false;
	if (next < pr->n && (pr->t[next].kind == FMT_EQUALS ||
			     pr->t[next].kind == FMT_LBRACE))
		return true;
	if (is_word(t, "identity") && prev < pr->n && is_word(&pr->t[prev], "for"))
		return false;
	for (k = 0; k < ARRAY_SIZE(keywords); k++)
		if (is_word(t, keywords[k]))
			return true;
	return false;
}

/*
 * Return the end of the statement that starts at token i: just past its
 * '{', or past its last token before the next statement or '}'. Comments
 * after that last token are left to the caller.
 */
static size_t statement_end(const struct printer *pr, size_t i)
{
	size_t last = i, prev = i, j;

	for (j = i + 1; j < pr->n; j++) {
		const struct fmt_token *t = &pr->t[j];

		if (t->kind == FMT_COMMENT)
			continue;
		if (pr->t[last].kind == FMT_LBRACE || t->kind == FMT_RBRACE ||
		    starts_statement(pr, j, prev))
			break;
		prev = j;
		last = j;
	}
	return last + 1;
}

static size_t text_width(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

static void put(struct printer *pr, const char *s, size_t n)
{
	buf_add(pr->out, s, n);
	pr->col += text_width(s, n);
}

static void start_line(struct printer *pr, int depth, bool blank)
{
	int k;

	if (pr->out->len && pr->out->data[pr->out->len - 1] != '\n')
		buf_addch(pr->out, '\n');
	if (blank && pr->out->len)
		buf_addch(pr->out, '\n');
	pr->col = 0;
	pr->line_has_comment = false;
	for (k = 0; k < depth * INDENT; k++)
		put(pr, " ", 1);
}

static bool at_line_start(const struct printer *pr)
{
	const struct buf *b = pr->out;
	size_t i = b->len;

	while (i > 0 && b->data[i - 1] == ' ')
		i--;
	return i == 0 || b->data[i - 1] == '\n';
}

/* Return the index just past the ']' that closes the '[' at i. */
static size_t list_end(const struct printer *pr, size_t i)
{
	int level = 0;

	for (; i < pr->n; i++) {
		if (pr->t[i].kind == FMT_LBRACKET)
			level++;
		else if (pr->t[i].kind == FMT_RBRACKET && --level == 0)
			return i + 1;
	}
	return pr->n;
}

/*
 * Return the width of tokens [i, end) on one line, or SIZE_MAX when a
 * comment among them forces a line break.
 */
static size_t inline_width(const struct printer *pr, size_t i, size_t end)
{
	size_t w = 0, j;

	for (j = i; j < end; j++) {
		const struct fmt_token *t = &pr->t[j];

		if (t->kind == FMT_COMMENT)
			return SIZE_MAX;
		if (t->kind == FMT_COMMA) {
			if (j + 1 < end && pr->t[j + 1].kind != FMT_RBRACKET)
				w += 2;
			continue;
		}
		if (j > i && t->kind != FMT_RBRACKET &&
		    pr->t[j - 1].kind != FMT_LBRACKET)
			w += 1;
		w += text_width(t->s, t->len);
	}
	return w;
}

/* Return the width of the tokens after a list up to the next list. */
static size_t rest_width(const struct printer *pr, size_t i, size_t end)
{
	size_t w = 0;

	for (; i < end; i++) {
		if (pr->t[i].kind == FMT_LBRACKET ||
		    pr->t[i].kind == FMT_COMMENT)
			break;
		w += 1 + text_width(pr->t[i].s, pr->t[i].len);
	}
	return w;
}

static size_t print_list(struct printer *pr, size_t i, int depth,
			 size_t rest);

static void put_comment(struct printer *pr, const struct fmt_token *t)
{
	put(pr, t->s, t->len);
	pr->line_has_comment = true;
}

/*
 * Print a comment inside a statement: after its token, or on its own
 * line. A comment that followed a dropped comma starts a line when the
 * current one already ends in a comment, which would swallow it.
 */
static void print_comment(struct printer *pr, const struct fmt_token *t, int depth)
{
	if (t->newlines == 0 && !pr->line_has_comment)
		put(pr, " ", 1);
	else
		start_line(pr, depth, false);
	put_comment(pr, t);
}

static void print_inline_list(struct printer *pr, size_t i, size_t end)
{
	size_t j;

	for (j = i; j < end; j++) {
		const struct fmt_token *t = &pr->t[j];

		if (t->kind == FMT_COMMA) {
			if (j + 1 < end && pr->t[j + 1].kind != FMT_RBRACKET)
				put(pr, ", ", 2);
			continue;
		}
		put(pr, t->s, t->len);
	}
}

/* Print a list one item a line, each followed by a comma. */
static void print_long_list(struct printer *pr, size_t i, size_t end,
			    int depth)
{
	size_t j = i + 1;

	put(pr, "[", 1);
	while (j < end - 1) {
		const struct fmt_token *t = &pr->t[j];

		if (t->kind == FMT_COMMA) {
			j++;
		} else if (t->kind == FMT_COMMENT) {
			print_comment(pr, t, depth + 1);
			j++;
		} else {
			start_line(pr, depth + 1, false);
			if (t->kind == FMT_LBRACKET)
				j = print_list(pr, j, depth + 1, 1);
			else
				put(pr, t->s, t->len);
			if (t->kind != FMT_LBRACKET)
				j++;
			put(pr, ",", 1);
		}
	}
	start_line(pr, depth, false);
	put(pr, "]", 1);
}

/*
 * Print the list whose '[' is token i, on one line when it and the
 * rest columns after it fit, and return the index past its ']'.
 */
static size_t print_list(struct printer *pr, size_t i, int depth,
			 size_t rest)
{
	size_t end = list_end(pr, i);
	size_t w = inline_width(pr, i, end);

	if (w != SIZE_MAX && pr->col + w + rest <= FMT_WIDTH)
		print_inline_list(pr, i, end);
	else
		print_long_list(pr, i, end, depth);
	return end;
}

/*
 * Print tokens [i, end) of one statement on a line, breaking it only
 * after a comment and inside lists that do not fit.
 */
static void print_statement(struct printer *pr, size_t i, size_t end)
{
	size_t j = i;

	while (j < end) {
		const struct fmt_token *t = &pr->t[j];

		if (t->kind == FMT_COMMENT) {
			size_t next = skip_comments(pr, j + 1);
			/* A '{' left alone on a line lines up with its '}'. */
			bool brace = next == end - 1 &&
				     pr->t[next].kind == FMT_LBRACE;

			print_comment(pr, t, pr->depth + 1);
			start_line(pr, pr->depth + !brace, false);
			j++;
			continue;
		}
		if (j > i && !at_line_start(pr))
			put(pr, " ", 1);
		if (t->kind == FMT_LBRACKET) {
			size_t after = list_end(pr, j);

			j = print_list(pr, j, pr->depth,
				       rest_width(pr, after, end));
			continue;
		}
		put(pr, t->s, t->len);
		if (j == i)
			while (pr->col < pr->depth * INDENT +
			       pr->name_width[i])
				put(pr, " ", 1);
		j++;
	}
}

static bool is_field(const struct printer *pr, size_t i)
{
	return pr->t[i].kind == FMT_WORD && i + 1 < pr->n &&
	       pr->t[i + 1].kind == FMT_EQUALS;
}

static void end_run(struct printer *pr, size_t *run, size_t *nrun,
		    size_t width)
{
	size_t k;

	for (k = 0; k < *nrun; k++)
		pr->name_width[run[k]] = width;
	*nrun = 0;
}

/*
 * Set the width to which each field's name is padded, so that the '='
 * of fields on consecutive lines of a block line up. A blank line, a
 * comment on a line of its own, or any other statement ends a run.
 * Runs follow from the tokens and blank lines alone, which formatting
 * keeps, so aligned output aligns the same way again.
 */
static void align_fields(struct printer *pr)
{
	size_t *run = xcalloc(pr->n + 1, sizeof(*run));
	size_t nrun = 0, width = 0, i = 0;

	while (i < pr->n) {
		const struct fmt_token *t = &pr->t[i];
		size_t end;

		if (t->kind == FMT_COMMENT || t->kind == FMT_RBRACE) {
			if (t->kind == FMT_RBRACE || t->newlines > 0)
				end_run(pr, run, &nrun, width);
			i++;
			continue;
		}
		if (!is_field(pr, i) || t->newlines > 1)
			end_run(pr, run, &nrun, width);
		if (!nrun)
			width = 0;
		end = statement_end(pr, i);
		if (is_field(pr, i) && pr->t[end - 1].kind != FMT_LBRACE) {
			run[nrun++] = i;
			if (text_width(t->s, t->len) > width)
				width = text_width(t->s, t->len);
		} else {
			end_run(pr, run, &nrun, width);
		}
		i = end;
	}
	end_run(pr, run, &nrun, width);
	free(run);
}

static void print_tokens(struct printer *pr)
{
	size_t i = 0;
	bool after_comment = false;	/* last line a comment at top level */
	bool after_open = false;	/* last line ended with '{' */

	while (i < pr->n) {
		const struct fmt_token *t = &pr->t[i];
		bool blank;
		size_t end;

		if (t->kind == FMT_COMMENT && t->newlines == 0 && i > 0 &&
		    !pr->line_has_comment) {
			put(pr, " ", 1);	/* after the token before it */
			put_comment(pr, t);
			i++;
			continue;
		}
		if (t->kind == FMT_RBRACE) {
			pr->depth -= pr->depth > 0;
			start_line(pr, pr->depth, false);
			put(pr, "}", 1);
			after_comment = after_open = false;
			i++;
			continue;
		}
		if (pr->depth == 0)
			blank = !after_comment || t->newlines > 1;
		else
			blank = !after_open && t->newlines > 1;
		start_line(pr, pr->depth, blank);
		if (t->kind == FMT_COMMENT) {
			put_comment(pr, t);
			after_comment = pr->depth == 0;
			after_open = false;
			i++;
			continue;
		}
		end = statement_end(pr, i);
		print_statement(pr, i, end);
		after_comment = after_open = false;
		i = end;
		if (pr->t[end - 1].kind != FMT_LBRACE)
			continue;
		pr->depth++;
		after_open = true;
		if (i < pr->n && pr->t[i].kind == FMT_RBRACE) {
			put(pr, "}", 1);	/* an empty block: {} */
			pr->depth--;
			after_open = false;
			i++;
		}
	}
}

void fmt_spec(const char *text, size_t len, struct buf *out)
{
	struct fmt_tokens toks = { NULL, 0, 0 };
	struct buf body = BUF_INIT;
	struct printer pr;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		buf_add(out, text, 3);	/* a byte order mark stays */
		text += 3;
		len -= 3;
	}
	tokenize(text, len, &toks);
	memset(&pr, 0, sizeof(pr));
	pr.out = &body;
	pr.t = toks.v;
	pr.n = toks.n;
	pr.name_width = xcalloc(toks.n + 1, sizeof(*pr.name_width));
	align_fields(&pr);
	print_tokens(&pr);
	if (toks.n)
		buf_addch(&body, '\n');
	if (body.len)
		buf_add(out, body.data, body.len);
	buf_release(&body);
	free(pr.name_width);
	free(toks.v);
}
