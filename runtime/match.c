#include "match.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every pattern is first turned into a list of tokens, each matching one
 * character of a class, or (a star) any run of characters of that
 * class. Matching, overlap and coverage then walk two token lists side
 * by side. Every transition moves forward in both lists or stays put, so
 * one pass over the pairs in order, keeping two rows, decides each
 * question in time proportional to the product of the lengths and
 * without backtracking.
 */

enum char_class {
	CLASS_LITERAL,		/* one given character */
	CLASS_ANY,		/* any character */
	CLASS_NO_COLON,		/* any character but ':' */
	CLASS_SEGMENT,		/* any character but ':' and '/' */
};

/* Packed in 32 bits: tokens live on the stack, two lists per call. */
struct token {
	uint32_t ch : 21;	/* the character, or a variable's number */
	uint32_t cls : 2;
	uint32_t star : 1;	/* any run, including none */
	uint32_t var : 1;	/* a policy variable such as ${aws:username} */
};

/* A variable turns into two tokens: one character, then a star. */
#define TOKENS_MAX (2 * MATCH_MAX + 2)

enum token_mode {
	MODE_LITERAL,		/* a concrete action or ARN */
	MODE_LITERAL_FOLD,	/* a concrete action, case folded */
	MODE_ACTION,		/* an action pattern, case folded */
	MODE_RESOURCE,		/* a resource pattern */
	MODE_TEMPLATE,		/* a catalog ARN template */
};

/* Policy variables kept per pattern; a pattern with more is refused. */
#define VARIABLES_MAX 16

struct tokens {
	struct token v[TOKENS_MAX];
	size_t n;
	const char *var_name[VARIABLES_MAX];	/* after "${" */
	size_t var_len[VARIABLES_MAX];
	size_t nvars;
};

/*
 * A byte that does not begin a valid UTF-8 sequence in shortest form is
 * one character of its own, numbered above U+10FFFF so that it never
 * equals a real character. Otherwise "\xc3" + "x" would equal U+00C3 +
 * "x", and an overlong '/' or ':' would act as a separator.
 */
#define INVALID_BYTE 0x110000u

/* Decode one UTF-8 character. */
static uint32_t next_char(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = s[0], min;
	int len, i;

	if (c < 0x80) {
		*p = s + 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, c &= 0x07, min = 0x10000;
	else
		goto invalid;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto invalid;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto invalid;
	*p = s + len;
	return c;
invalid:
	*p = s + 1;
	return INVALID_BYTE | s[0];
}

static uint32_t fold(uint32_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

/*
 * Template variables whose values may contain '/', besides those whose
 * names end in "Path". They are S3 object keys, CloudWatch Logs group
 * and stream names (Lambda writes streams such as
 * "2026/01/31/[$LATEST]..."), Secrets Manager secret names, SSM
 * parameter hierarchies, ECR repository namespaces, KMS aliases
 * ("alias/aws/s3") and AWS IoT topics.
 */
#define NAME(s) { s, sizeof(s) - 1 }
static const struct {
	const char *name;
	size_t len;
} path_variables[] = {
	NAME("ObjectName"), NAME("ObjectKey"), NAME("Key"),
	NAME("LogGroupName"), NAME("LogStreamName"), NAME("SecretId"),
	NAME("ParameterNameWithoutLeadingSlash"), NAME("RepositoryName"),
	NAME("Alias"), NAME("TopicName"), NAME("TopicFilter"),
};
#undef NAME

/*
 * Return the class of the template variable s[0..n): most stand for one
 * path segment, but a path may hold '/', and when a path ends the
 * template it may hold ':' too.
 */
static uint8_t variable_class(const char *s, size_t n, bool last)
{
	bool path = ends_with(s, n, "Path");
	size_t i;

	for (i = 0; i < sizeof(path_variables) / sizeof(path_variables[0]);
	     i++)
		if (path_variables[i].len == n &&
		    !memcmp(s, path_variables[i].name, n))
			path = true;
	if (!path)
		return CLASS_SEGMENT;
	return last ? CLASS_ANY : CLASS_NO_COLON;
}

static bool push(struct tokens *t, uint32_t ch, uint8_t cls, uint8_t star)
{
	if (t->n >= TOKENS_MAX)
		return false;
	/* One store of the whole token, not four of bit-fields. */
	t->v[t->n++] = (struct token){
		.ch = ch & 0x1fffff, .cls = cls & 3, .star = star & 1,
	};
	return true;
}

/*
 * Add the policy variable name[0..n) of a resource pattern as a token
 * that stands for any run of characters: the value substituted at
 * request time is unknown here. IAM's escapes ${*}, ${?} and ${$} stand
 * for the character itself.
 */
static bool push_variable(struct tokens *t, const char *name, size_t n)
{
	if (n == 1 && strchr("*?$", name[0]))
		return push(t, (unsigned char)name[0], CLASS_LITERAL, 0);
	if (t->nvars >= VARIABLES_MAX || !push(t, (uint32_t)t->nvars,
					       CLASS_ANY, 1))
		return false;
	t->v[t->n - 1].var = 1;
	t->var_name[t->nvars] = name;
	t->var_len[t->nvars] = n;
	t->nvars++;
	return true;
}

/* Turn s into tokens; false when it is longer than MATCH_MAX. */
static bool tokenize(const char *s, enum token_mode mode, struct tokens *t)
{
	const unsigned char *p = (const unsigned char *)s;
	bool folding = mode == MODE_LITERAL_FOLD || mode == MODE_ACTION;
	size_t chars = 0;

	t->n = 0;
	t->nvars = 0;
	while (*p) {
		uint32_t c;

		if (++chars > MATCH_MAX)
			return false;
		/* Most characters are plain ASCII, alike in every mode. */
		if (*p < 0x80 && *p != '$' && *p != '*' && *p != '?') {
			c = folding ? fold(*p) : *p;
			p++;
			if (!push(t, c, CLASS_LITERAL, 0))
				return false;
			continue;
		}
		if (mode == MODE_RESOURCE && p[0] == '$' && p[1] == '{') {
			const char *name = (const char *)p + 2;
			const char *end = strchr(name, '}');

			if (end && end > name) {
				p = (const unsigned char *)end + 1;
				if (!push_variable(t, name,
						   (size_t)(end - name)))
					return false;
				continue;
			}
		}
		if (mode == MODE_TEMPLATE && p[0] == '$' && p[1] == '{') {
			const char *name = (const char *)p + 2;
			const char *end = strchr(name, '}');
			uint8_t cls;

			if (end) {
				p = (const unsigned char *)end + 1;
				cls = variable_class(name, (size_t)(end - name),
						     *p == '\0');
				if (!push(t, 0, cls, 0) || !push(t, 0, cls, 1))
					return false;
				continue;
			}
		}
		c = next_char(&p);
		switch (mode) {
		case MODE_LITERAL:
			break;
		case MODE_LITERAL_FOLD:
			c = fold(c);
			break;
		case MODE_ACTION:
			c = fold(c);
			if (c == '*' || c == '?') {
				if (!push(t, 0, CLASS_ANY, c == '*'))
					return false;
				continue;
			}
			break;
		case MODE_RESOURCE:
		case MODE_TEMPLATE:
			/*
			 * A '*' ending a segment may run past ':'. Templates
			 * use '*' too, for "any region" or "any name".
			 */
			if (c == '*') {
				bool last = *p == ':' || *p == '\0';

				if (!push(t, 0, last ? CLASS_ANY : CLASS_NO_COLON,
					  1))
					return false;
				continue;
			}
			if (c == '?' && mode == MODE_RESOURCE) {
				if (!push(t, 0, CLASS_NO_COLON, 0))
					return false;
				continue;
			}
			break;
		}
		if (!push(t, c, CLASS_LITERAL, 0))
			return false;
	}
	return true;
}

static bool class_has(uint8_t cls, uint32_t c)
{
	switch (cls) {
	case CLASS_ANY:
		return true;
	case CLASS_NO_COLON:
		return c != ':';
	case CLASS_SEGMENT:
		return c != ':' && c != '/';
	}
	return false;
}

/* Return whether some character is in both tokens' classes. */
static bool tokens_meet(const struct token *a, const struct token *b)
{
	if (a->cls == CLASS_LITERAL && b->cls == CLASS_LITERAL)
		return a->ch == b->ch;
	if (a->cls == CLASS_LITERAL)
		return class_has(b->cls, a->ch);
	if (b->cls == CLASS_LITERAL)
		return class_has(a->cls, b->ch);
	return true;	/* every class holds some ordinary character */
}

/* Return whether every character of inner's class is in outer's. */
static bool class_contains(const struct token *outer,
			   const struct token *inner)
{
	if (outer->cls == CLASS_LITERAL)
		return inner->cls == CLASS_LITERAL && inner->ch == outer->ch;
	if (inner->cls == CLASS_LITERAL)
		return class_has(outer->cls, inner->ch);
	if (outer->cls == CLASS_ANY)
		return true;
	if (outer->cls == CLASS_NO_COLON)
		return inner->cls != CLASS_ANY;
	return inner->cls == CLASS_SEGMENT;
}

/* Return whether two variable tokens name the same variable. */
static bool same_variable(const struct tokens *a, const struct token *ta,
			  const struct tokens *b, const struct token *tb)
{
	size_t n = a->var_len[ta->ch];
	size_t i;

	if (n != b->var_len[tb->ch])
		return false;
	/* Condition keys, and so variables, ignore case. */
	for (i = 0; i < n; i++)
		if (fold((unsigned char)a->var_name[ta->ch][i]) !=
		    fold((unsigned char)b->var_name[tb->ch][i]))
			return false;
	return true;
}

/* Return whether t is one literal character: no star, no variable. */
static bool plain(const struct token *t)
{
	return t->cls == CLASS_LITERAL && !t->star && !t->var;
}

/* The first and last true cells of a row, empty while lo > hi. */
struct span {
	size_t lo, hi;
};

/* Set row[j] and return the new last true cell of a row ending at hi. */
static size_t mark(bool *row, size_t j, size_t hi)
{
	row[j] = true;
	return j > hi ? j : hi;
}

/* Set row[j] and widen reach to take it in. */
static void reach_mark(bool *row, size_t j, struct span *reach)
{
	row[j] = true;
	if (j < reach->lo)
		reach->lo = j;
	if (j > reach->hi)
		reach->hi = j;
}

enum walk {
	WALK_OVERLAP,	/* some string is matched by both lists */
	WALK_COVERS,	/* every string of a (inner) is matched by b */
};

/*
 * Decide a question about token lists a and b by walking pairs (i, j):
 * being at (i, j) means a[0..i) and b[0..j) can account for the same
 * text. Rows i and i + 1 are all that is kept.
 *
 * A policy variable may take any value, so for overlap it is a star. For
 * coverage, a variable of the inner list must be taken by a star of the
 * outer one that allows any character, but a variable of the outer list
 * covers only the same variable: it has one value per request, not all.
 */
static bool walk(const struct tokens *a, const struct tokens *b,
		 enum walk kind)
{
	bool row[2][TOKENS_MAX + 1];
	const struct token *av = a->v, *bv = b->v;
	size_t an = a->n, bn = b->n;
	size_t i, j, lo, hi;

	/*
	 * Plain characters at either end can only be matched by each
	 * other, so the common ones are stripped before the walk, and a
	 * difference there decides it at once. The walk then costs little
	 * for the many pairs of ARNs that differ in a name.
	 */
	while (an && bn && plain(av) && plain(bv)) {
		if (av->ch != bv->ch)
			return false;
		av++, bv++, an--, bn--;
	}
	while (an && bn && plain(&av[an - 1]) && plain(&bv[bn - 1])) {
		if (av[an - 1].ch != bv[bn - 1].ch)
			return false;
		an--, bn--;
	}

	memset(row[0], 0, (bn + 1) * sizeof(bool));
	row[0][0] = true;
	/*
	 * Row i is false outside [lo, hi], so only that range is visited.
	 * Plain characters move along a diagonal, which keeps the range
	 * narrow unless stars widen it.
	 */
	lo = hi = 0;
	for (i = 0; i <= an; i++) {
		bool *cur = row[i & 1], *next = row[(i + 1) & 1];
		struct span reach = { SIZE_MAX, 0 };

		memset(next, 0, (bn + 1) * sizeof(bool));
		for (j = lo; j <= hi; j++) {
			const struct token *ta = i < an ? &av[i] : NULL;
			const struct token *tb = j < bn ? &bv[j] : NULL;

			if (!cur[j])
				continue;
			/* b's star, then a's, matches nothing. */
			if (tb && tb->star && !(kind == WALK_COVERS && tb->var))
				hi = mark(cur, j + 1, hi);
			if (kind == WALK_OVERLAP && ta && ta->star)
				reach_mark(next, j, &reach);
			if (!ta || !tb)
				continue;
			if (kind == WALK_OVERLAP) {
				if (!tokens_meet(ta, tb))
					continue;
				if (ta->star && tb->star)
					continue;	/* stays at (i, j) */
				if (ta->star)
					hi = mark(cur, j + 1, hi);
				else
					reach_mark(next, tb->star ? j : j + 1,
						   &reach);
				continue;
			}
			/* Coverage: b's token must take all of a's. */
			if (tb->var) {
				if (ta->var && same_variable(a, ta, b, tb))
					reach_mark(next, j + 1, &reach);
				continue;
			}
			if (!class_contains(tb, ta))
				continue;
			if (ta->star && !tb->star)
				continue;
			reach_mark(next, tb->star ? j : j + 1, &reach);
		}
		if (i == an)
			return cur[bn];
		if (reach.lo > reach.hi)	/* row i + 1 is all false */
			return false;
		lo = reach.lo;
		hi = reach.hi;
	}
	return false;
}

/* Return whether token t admits character ch. */
static bool token_has(const struct token *t, uint32_t ch)
{
	return t->cls == CLASS_LITERAL ? t->ch == ch : class_has(t->cls, ch);
}

/* Return whether some character is in all three tokens' classes. */
static bool tokens_meet3(const struct token *a, const struct token *b,
			 const struct token *c)
{
	const struct token *lit = a->cls == CLASS_LITERAL ? a
				  : b->cls == CLASS_LITERAL ? b
				  : c->cls == CLASS_LITERAL ? c : NULL;

	if (!lit)
		return true;	/* every class holds some ordinary character */
	return token_has(a, lit->ch) && token_has(b, lit->ch) &&
	       token_has(c, lit->ch);
}

/* Cells of one row of walk3; longer inputs are reported as overlapping. */
#define WALK3_CELLS 16384

/*
 * Return whether some string is matched by all three token lists, by
 * walking triples (i, j, k) as walk does pairs. Every move keeps each
 * position or moves it forward and changes at least one, so in
 * lexicographic order a triple comes after every triple that leads to
 * it.
 */
static bool walk3(const struct tokens *a, const struct tokens *b,
		  const struct tokens *c)
{
	static_assert(WALK3_CELLS <= 65536, "rows must fit on the stack");
	bool row[2][WALK3_CELLS];
	size_t w = c->n + 1, cells = (b->n + 1) * w;
	size_t i, j, k;

	if (cells > WALK3_CELLS)
		return true;	/* unknown: overlap stays possible */
	memset(row[0], 0, cells * sizeof(bool));
	row[0][0] = true;
	for (i = 0; i <= a->n; i++) {
		bool *cur = row[i & 1], *next = row[(i + 1) & 1];
		const struct token *ta = i < a->n ? &a->v[i] : NULL;

		memset(next, 0, cells * sizeof(bool));
		for (j = 0; j <= b->n; j++)
			for (k = 0; k <= c->n; k++) {
				const struct token *tb = j < b->n ? &b->v[j] : NULL;
				const struct token *tc = k < c->n ? &c->v[k] : NULL;

				if (!cur[j * w + k])
					continue;
				/* A star matches nothing. */
				if (ta && ta->star)
					next[j * w + k] = true;
				if (tb && tb->star)
					cur[(j + 1) * w + k] = true;
				if (tc && tc->star)
					cur[j * w + k + 1] = true;
				if (!ta || !tb || !tc || !tokens_meet3(ta, tb, tc))
					continue;
				if (ta->star && tb->star && tc->star)
					continue;	/* stays at (i, j, k) */
				(ta->star ? cur : next)[(tb->star ? j : j + 1) * w +
							(tc->star ? k : k + 1)] = true;
			}
		if (i == a->n)
			return cur[b->n * w + c->n];
	}
	return false;
}

bool match_action(const char *pattern, const char *action)
{
	size_t i, plain_len = strcspn(pattern, "*?");
	struct tokens p, s;

	/*
	 * The characters before the first wildcard are literal, so the
	 * action must start with them, ignoring case. Most actions of a
	 * service that a pattern is tried on differ there.
	 */
	for (i = 0; i < plain_len; i++)
		if (fold((unsigned char)pattern[i]) !=
		    fold((unsigned char)action[i]))
			return false;
	if (!pattern[plain_len] && plain_len <= MATCH_MAX)
		return !action[plain_len];
	if (!tokenize(pattern, MODE_ACTION, &p) ||
	    !tokenize(action, MODE_LITERAL_FOLD, &s))
		return false;
	return walk(&s, &p, WALK_COVERS);
}

bool match_resource(const char *pattern, const char *resource)
{
	struct tokens p, s;

	if (!tokenize(pattern, MODE_RESOURCE, &p) ||
	    !tokenize(resource, MODE_LITERAL, &s))
		return false;
	return walk(&s, &p, WALK_COVERS);
}

bool match_resource_overlap(const char *a, const char *b)
{
	struct tokens ta, tb;

	if (!tokenize(a, MODE_RESOURCE, &ta) ||
	    !tokenize(b, MODE_RESOURCE, &tb))
		return true;	/* unknown: callers treat overlap as possible */
	return walk(&ta, &tb, WALK_OVERLAP);
}

bool match_template_overlap(const char *pattern, const char *arn_template)
{
	struct tokens tp, tt;

	if (!tokenize(pattern, MODE_RESOURCE, &tp) ||
	    !tokenize(arn_template, MODE_TEMPLATE, &tt))
		return true;
	return walk(&tp, &tt, WALK_OVERLAP);
}

struct match_template {
	size_t n;
	struct token v[];
};

struct match_template *match_template_new(const char *arn_template)
{
	struct match_template *t;
	struct tokens tt;

	if (!tokenize(arn_template, MODE_TEMPLATE, &tt))
		return NULL;
	t = malloc(sizeof(*t) + tt.n * sizeof(*t->v));
	if (!t)
		return NULL;
	t->n = tt.n;
	memcpy(t->v, tt.v, tt.n * sizeof(*t->v));
	return t;
}

void match_template_free(struct match_template *t)
{
	free(t);
}

bool match_template_overlap_with(const char *pattern,
				 const struct match_template *t)
{
	struct tokens tp, tt;

	if (!tokenize(pattern, MODE_RESOURCE, &tp))
		return true;
	/* A template has no policy variables, only its tokens to copy. */
	tt.n = t->n;
	tt.nvars = 0;
	memcpy(tt.v, t->v, t->n * sizeof(*t->v));
	return walk(&tp, &tt, WALK_OVERLAP);
}

/*
 * The pattern's text is kept after the tokens, for the cheap tests of
 * match_pattern_covers and for the names of its policy variables.
 */
struct match_pattern {
	size_t n;
	size_t nvars;
	size_t var_off[VARIABLES_MAX];	/* of each name in text */
	size_t var_len[VARIABLES_MAX];
	const char *text;
	struct token v[];
};

struct match_pattern *match_pattern_new(const char *pattern)
{
	struct match_pattern *p;
	struct tokens tp;
	size_t len = strlen(pattern) + 1, i;
	char *text;

	if (!tokenize(pattern, MODE_RESOURCE, &tp))
		return NULL;
	p = malloc(sizeof(*p) + tp.n * sizeof(*p->v) + len);
	if (!p)
		return NULL;
	p->n = tp.n;
	memcpy(p->v, tp.v, tp.n * sizeof(*p->v));
	text = (char *)(p->v + tp.n);
	memcpy(text, pattern, len);
	p->text = text;
	p->nvars = tp.nvars;
	for (i = 0; i < tp.nvars; i++) {
		p->var_off[i] = (size_t)(tp.var_name[i] - pattern);
		p->var_len[i] = tp.var_len[i];
	}
	return p;
}

/* Fill t with the tokens and policy variables of p. */
static void pattern_tokens(struct tokens *t, const struct match_pattern *p)
{
	size_t i;

	t->n = p->n;
	memcpy(t->v, p->v, p->n * sizeof(*p->v));
	t->nvars = p->nvars;
	for (i = 0; i < p->nvars; i++) {
		t->var_name[i] = p->text + p->var_off[i];
		t->var_len[i] = p->var_len[i];
	}
}

void match_pattern_free(struct match_pattern *p)
{
	free(p);
}

bool match_pattern_overlap(const struct match_pattern *p,
			   const struct match_template *t)
{
	struct tokens tp, tt;

	/* An overlap walk reads no variable names, only the tokens. */
	tp.n = p->n;
	tp.nvars = 0;
	memcpy(tp.v, p->v, p->n * sizeof(*p->v));
	tt.n = t->n;
	tt.nvars = 0;
	memcpy(tt.v, t->v, t->n * sizeof(*t->v));
	return walk(&tp, &tt, WALK_OVERLAP);
}

bool match_resource_overlap_in(const char *a, const char *b,
			       const char *arn_template)
{
	struct tokens ta, tb, tt;

	if (!tokenize(a, MODE_RESOURCE, &ta) ||
	    !tokenize(b, MODE_RESOURCE, &tb) ||
	    !tokenize(arn_template, MODE_TEMPLATE, &tt))
		return true;
	return walk3(&ta, &tb, &tt);
}

/* Return the length of the shortest string that t matches. */
static size_t min_length(const struct tokens *t)
{
	size_t n = 0, i;

	for (i = 0; i < t->n; i++)
		n += !t->v[i].star;
	return n;
}

/* Return whether the tokens of outer prove that it covers inner's. */
static bool tokens_cover(const struct tokens *to, const struct tokens *ti)
{
	/*
	 * Every string outer matches has at least one character for each
	 * token that is not a star, and inner matches a string with just
	 * one for each of its own. So an outer that needs more characters
	 * than that cannot cover inner, as "arn:*:s3:::data/x" cannot
	 * cover the "arn:*:s3:::*" of every bucket.
	 */
	if (min_length(to) > min_length(ti))
		return false;
	return walk(ti, to, WALK_COVERS);
}

bool match_resource_covers(const char *outer, const char *inner)
{
	size_t plain_len = strcspn(outer, "*?$");
	struct tokens to, ti;

	/*
	 * The plain characters that outer starts with are literal tokens,
	 * which only the same characters of inner fit in. So inner must
	 * start with the same bytes, and when outer is all plain, inner
	 * must equal it. A pattern with no variable covers itself. Most
	 * pairs compared are decided so, without building tokens.
	 */
	if (strncmp(outer, inner, plain_len))
		return false;
	if (!outer[plain_len] && plain_len <= MATCH_MAX)
		return !inner[plain_len];
	if (!strchr(outer + plain_len, '$') && !strcmp(outer, inner) &&
	    strlen(outer) <= MATCH_MAX)
		return true;

	if (!tokenize(outer, MODE_RESOURCE, &to) ||
	    !tokenize(inner, MODE_RESOURCE, &ti))
		return false;	/* not proved */
	return tokens_cover(&to, &ti);
}

bool match_pattern_covers(const struct match_pattern *outer,
			  const struct match_pattern *inner)
{
	size_t plain_len = strcspn(outer->text, "*?$");
	struct tokens to, ti;

	/* The same cheap tests as match_resource_covers, in its order. */
	if (strncmp(outer->text, inner->text, plain_len))
		return false;
	if (!outer->text[plain_len] && plain_len <= MATCH_MAX)
		return !inner->text[plain_len];
	if (!strchr(outer->text + plain_len, '$') &&
	    !strcmp(outer->text, inner->text) &&
	    strlen(outer->text) <= MATCH_MAX)
		return true;
	pattern_tokens(&to, outer);
	pattern_tokens(&ti, inner);
	return tokens_cover(&to, &ti);
}

#define FNV_PRIME 1099511628211ULL

static uint64_t hash_tokens(uint64_t h, const struct token *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ v[i].ch) * FNV_PRIME;
	return h;
}

/* Return how many plain tokens p starts with. */
static size_t plain_prefix(const struct match_pattern *p)
{
	size_t n = 0;

	while (n < p->n && plain(&p->v[n]))
		n++;
	return n;
}

void match_pattern_anchor(struct match_anchor *out,
			  const struct match_pattern *outer, uint64_t seed)
{
	size_t prefix = plain_prefix(outer), start = 0, len = 0, i, run;

	/* The first longest run of plain tokens after the prefix. */
	for (i = prefix; i < outer->n; i += run ? run : 1) {
		for (run = 0; i + run < outer->n && plain(&outer->v[i + run]);
		     run++)
			;
		if (run > len)
			start = i, len = run;
	}
	if (len > MATCH_ANCHOR_MAX)
		len = MATCH_ANCHOR_MAX;
	out->prefix = prefix;
	out->len = len;
	out->hash = hash_tokens(hash_tokens(seed, outer->v, prefix),
				outer->v + start, len);
}

bool match_pattern_each_anchor(const struct match_pattern *inner,
			       size_t prefix, size_t len, uint64_t seed,
			       match_anchor_fn fn, void *arg)
{
	uint64_t h;
	size_t t, run = 0;

	if (plain_prefix(inner) < prefix)
		return false;
	h = hash_tokens(seed, inner->v, prefix);
	if (!len)
		return fn(arg, h);
	/* run counts the plain tokens that end at t. */
	for (t = prefix; t < inner->n; t++) {
		run = plain(&inner->v[t]) ? run + 1 : 0;
		if (run >= len &&
		    fn(arg, hash_tokens(h, inner->v + t + 1 - len, len)))
			return true;
	}
	return false;
}

bool match_action_covers(const char *outer, const char *inner)
{
	struct tokens to, ti;

	if (!tokenize(outer, MODE_ACTION, &to) ||
	    !tokenize(inner, MODE_ACTION, &ti))
		return false;
	return walk(&ti, &to, WALK_COVERS);
}
