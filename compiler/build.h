#ifndef MANDATE_COMPILER_BUILD_H
#define MANDATE_COMPILER_BUILD_H

#include "ast.h"
#include "buf.h"

/*
 * The builders the grammar's actions call to fill the typed syntax tree.
 * Every block writes its fields as `name = value`. The builders check
 * each name and value against the schema of the block being parsed, so
 * a type error is reported where it is written.
 */

/* Byte span of a token or rule, for bison's locations. */
struct span {
	uint32_t off;
	uint32_t len;
};

/* A token's text (interned) or number, with where it was written. */
struct token {
	const char *s;
	int64_t n;		/* seconds of a duration, days of a date */
	bool invalid;		/* rejected and reported by the scanner */
	struct loc loc;
};

enum value_kind {
	VALUE_STRING,
	VALUE_IDENT,
	VALUE_DURATION,
	VALUE_DATE,
	VALUE_NUMBER,
	VALUE_BOOL,
	VALUE_LIST,
};

struct value {
	enum value_kind kind;
	const char *s;		/* string, identifier or number text */
	int64_t n;		/* seconds, days or 0/1 */
	bool invalid;		/* rejected and reported by the scanner */
	struct value *items;	/* a list's first item */
	size_t nitems;
	struct value *next;	/* the next item of the enclosing list */
	struct loc loc;
};

/* The block whose fields are being parsed. */
enum block_kind {
	BLOCK_NONE,
	BLOCK_AGENT,
	BLOCK_OWNER,
	BLOCK_REVIEW,
	BLOCK_CREDENTIALS,
	BLOCK_AUDIT,
	BLOCK_IDENTITY,
	BLOCK_GRANT,
	BLOCK_GATE,
	BLOCK_RESOURCE,
	BLOCK_WAIVE,
	BLOCK_ESCALATION,
	BLOCK_SKIPPED,		/* an unknown block: its fields are ignored */
};

#define BRACES_MAX 64

/*
 * Limits of the language, each reported where the input passes it and
 * listed in mandate(5) under LIMITS. No token spans a line, so the line
 * limit bounds every token, and the others are tighter.
 */
#define SPEC_LINE_MAX 4096	/* bytes in a line, without its newline */
#define SPEC_STRING_MAX 2048	/* bytes in a string's value */
#define SPEC_WORD_MAX 256	/* bytes in an unquoted word or number */
#define SPEC_LIST_MAX 10000	/* items in one list */
#define SPEC_LIST_DEPTH_MAX 16	/* lists open inside one another */

/* The state of parsing one source, shared by the scanner and parser. */
struct parser {
	void *scanner;
	struct spec_unit *u;
	struct source *src;
	struct diag *d;
	uint32_t off;			/* the scanner's byte offset */
	struct buf text;		/* the string being scanned */
	/*
	 * The values of fields, which the parser only reads to fill the
	 * unit, so they are freed when the file is parsed.
	 */
	struct arena values;
	uint32_t string_start;
	bool string_bol;		/* match_bol of its opening quote */
	bool blank_before;		/* only blanks before off on its line */
	bool match_bol;			/* the same, for the last match's start */
	struct loc braces[BRACES_MAX];	/* open braces, for "to match" notes */
	int depth;
	int lists;			/* '[' open since the last '{', '}' or '=' */
	bool trace_lexer;
	unsigned syntax_errors;		/* reported by the scanner or parser */
	unsigned item_syntax_errors;	/* syntax_errors when the item began */

	/* The last token the scanner returned, for error recovery. */
	struct span tok_span;
	struct span prev_span;		/* the token returned before it */
	int tok_depth;			/* brace depth before it */
	bool tok_bol;			/* nothing but blanks before it on its line */
	uint32_t tok_end;		/* where a later end of file is reported */
	bool skipping;			/* dropping tokens up to a resync point */
	int skip_depth;			/* the brace depth of the resync point */
	bool eof_reported;		/* the end of file was already reported */
	int closes_pending;		/* '}' to insert before the held token */
	int held;			/* a keyword kept back behind them, or 0 */
	struct token held_tok;
	struct span held_span;

	enum block_kind block;		/* where fields go */
	enum block_kind outer;		/* the block a sub-block sits in */
	struct agent *agent;
	struct identity *identity, **identity_tail;
	struct grant *grant, **grant_tail;
	struct condition **cond_tail;
	struct resource_class *rclass;
	struct waiver *waiver;
	struct escalation *esc;
};

/* Return a loc in the parser's source. */
struct loc parser_loc(const struct parser *p, struct span s);

struct value *value_new(struct parser *p, enum value_kind kind,
			const struct token *t);
struct value *value_list(struct parser *p, struct value *first,
			 struct span where);
/* Append item to the list whose last item is *tail. */
void value_append(struct value *list, struct value **tail,
		  struct value *item);

void build_agent_begin(struct parser *p, const struct token *kw,
		       const struct token *name);
void build_agent_end(struct parser *p);
void build_block_begin(struct parser *p, const struct token *name);
void build_block_end(struct parser *p);
void build_field(struct parser *p, const struct token *name,
		 struct value *v);
void build_identity_begin(struct parser *p, const struct token *kw,
			  const struct token *provider,
			  const struct token *kind, const struct token *id);
void build_identity_end(struct parser *p);

/*
 * Start a grant or deny. target is a level or a list of levels, or the
 * list of actions when actions is true. qname is "aws:s3" or NULL.
 */
void build_grant_begin(struct parser *p, bool deny, const struct token *kw,
		       struct value *target, bool actions,
		       const struct token *qname, struct value *resources);
void build_grant_end(struct parser *p);

/*
 * Return to the agent's own fields after a syntax error in one of its
 * members. The recovery skips the member's end action, so a grant,
 * identity or block left open would otherwise take the fields that
 * follow.
 */
void build_member_error(struct parser *p);
void build_condition(struct parser *p, const struct token *kw,
		     const struct token *key, const struct token *op,
		     struct value *v);

void build_gate_begin(struct parser *p, const struct token *kw);
void build_resource_begin(struct parser *p, const struct token *kw,
			  const struct token *name);
/* A waiver names either one agent or one identity; the other is NULL. */
void build_waive_begin(struct parser *p, const struct token *kw,
		       const struct token *rule, const struct token *agent,
		       const struct token *identity);
void build_escalation_begin(struct parser *p, const struct token *kw,
			    const struct token *name);

/* End a top-level block other than an agent: check required fields. */
void build_top_end(struct parser *p);

/*
 * Return the nearest of names[0..n) to s within a typo's distance, or
 * NULL. Shared with the checks that suggest agent and rule names.
 */
const char *nearest_name(const char *s, const char *const *names, size_t n);

#endif
