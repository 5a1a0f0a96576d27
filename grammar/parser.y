/*
 * The grammar of the mandate language. Actions call the builders of
 * compiler/build.c, which type each field as it is parsed. Recovery
 * rules at the level of fields, members and top-level items let one run
 * report many errors.
 */
%code top {
#include "common.h"
}

%code requires {
#include "build.h"
}

%code provides {
int yylex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
bool parser_resync(struct parser *p, int lookahead);
void parser_trace(int on);
}

%code {
#include <ctype.h>

#include "diag.h"

static void yyerror(YYLTYPE *loc, struct parser *p, const char *msg);

#define scanner (p->scanner)

/* Resume after a syntax error at the point parser_resync chooses. */
#define RESYNC()                                                        \
	do {                                                            \
		if (parser_resync(p, yychar))                           \
			yyclearin;                                      \
		if (p->skipping)                                        \
			yyerrok;                                        \
	} while (0)
}

%define api.pure full
%define api.token.prefix {TOK_}
%define api.location.type {struct span}
%define parse.error custom
%define parse.lac full
%define parse.trace
%locations
%expect 0

%parse-param {struct parser *p}
%lex-param {void *scanner}

%code {
#define YYLLOC_DEFAULT(cur, rhs, n)                                     \
	do {                                                            \
		if (n) {                                                \
			(cur).off = YYRHSLOC(rhs, 1).off;               \
			(cur).len = YYRHSLOC(rhs, n).off +              \
				    YYRHSLOC(rhs, n).len - (cur).off;   \
		} else {                                                \
			(cur).off = YYRHSLOC(rhs, 0).off +              \
				    YYRHSLOC(rhs, 0).len;               \
			(cur).len = 0;                                  \
		}                                                       \
	} while (0)
}

%union {
	struct token tok;
	struct value *val;
	struct {
		struct value *head, *tail;
	} seq;
}

%token <tok> STRING "string" IDENT "identifier" QNAME "service name"
%token <tok> DURATION "duration" DATE "date" NUMBER "number"
%token <tok> OP "operator"
%token <tok> AGENT "'agent'" GATE "'gate'" RESOURCE "'resource'"
%token <tok> WAIVE "'waive'" ESCALATION "'escalation'"
%token <tok> IDENTITY "'identity'" GRANT "'grant'" DENY "'deny'"
%token <tok> ON "'on'" ACTIONS "'actions'" WHEN "'when'" FOR "'for'"
%token <tok> TRUE "'true'" FALSE "'false'"

%type <val> value list resources grant_target
%type <seq> items
%type <tok> operator opt_service

%%

file:
	%empty
	| file item
	;

item:
	AGENT STRING '{' { build_agent_begin(p, &$1, &$2); }
		members '}' { build_agent_end(p); }
	| GATE '{' { build_gate_begin(p, &$1); }
		fields '}' { build_top_end(p); }
	| RESOURCE STRING '{' { build_resource_begin(p, &$1, &$2); }
		fields '}' { build_top_end(p); }
	| WAIVE IDENT FOR STRING '{' { build_waive_begin(p, &$1, &$2, &$4, NULL); }
		fields '}' { build_top_end(p); }
	| WAIVE IDENT FOR IDENTITY STRING '{' {
		build_waive_begin(p, &$1, &$2, NULL, &$5);
	} fields '}' { build_top_end(p); }
	| ESCALATION STRING '{' { build_escalation_begin(p, &$1, &$2); }
		fields '}' { build_top_end(p); }
	| error { p->block = BLOCK_NONE; RESYNC(); }
	;

members:
	%empty
	| members member
	;

member:
	IDENT '=' value { build_field(p, &$1, $3); }
	| IDENT '{' { build_block_begin(p, &$1); } fields '}' {
		build_block_end(p);
	}
	| IDENTITY IDENT IDENT STRING {
		build_identity_begin(p, &$1, &$2, &$3, &$4);
	} identity_body { build_identity_end(p); }
	| GRANT grant_target ON opt_service resources {
		build_grant_begin(p, false, &$1, $2, false, &$4, $5);
	} grant_body { build_grant_end(p); }
	| GRANT ACTIONS list ON opt_service resources {
		build_grant_begin(p, false, &$1, $3, true, &$5, $6);
	} grant_body { build_grant_end(p); }
	| DENY grant_target ON opt_service resources {
		build_grant_begin(p, true, &$1, $2, false, &$4, $5);
	} grant_body { build_grant_end(p); }
	| DENY ACTIONS list ON opt_service resources {
		build_grant_begin(p, true, &$1, $3, true, &$5, $6);
	} grant_body { build_grant_end(p); }
	| error { build_member_error(p); RESYNC(); }
	;

grant_target:
	IDENT { $$ = value_new(p, VALUE_IDENT, &$1); }
	| list
	;

opt_service:
	%empty { $$.s = NULL; $$.n = 0; $$.loc = parser_loc(p, @$); }
	| QNAME
	;

resources:
	STRING { $$ = value_new(p, VALUE_STRING, &$1); }
	| list
	;

identity_body:
	%empty
	| '{' fields '}'
	;

grant_body:
	%empty
	| '{' grant_members '}'
	;

grant_members:
	%empty
	| grant_members grant_member
	;

grant_member:
	IDENT '=' value { build_field(p, &$1, $3); }
	| WHEN STRING operator value { build_condition(p, &$1, &$2, &$3, $4); }
	| error { RESYNC(); }
	;

operator:
	OP
	| IDENT
	;

fields:
	%empty
	| fields field
	;

field:
	IDENT '=' value { build_field(p, &$1, $3); }
	| IDENTITY '=' value { build_field(p, &$1, $3); }	/* of a waiver */
	| error { RESYNC(); }
	;

value:
	STRING { $$ = value_new(p, VALUE_STRING, &$1); }
	| IDENT { $$ = value_new(p, VALUE_IDENT, &$1); }
	| DURATION { $$ = value_new(p, VALUE_DURATION, &$1); }
	| DATE { $$ = value_new(p, VALUE_DATE, &$1); }
	| NUMBER { $$ = value_new(p, VALUE_NUMBER, &$1); }
	| TRUE { $1.n = 1; $$ = value_new(p, VALUE_BOOL, &$1); }
	| FALSE { $1.n = 0; $$ = value_new(p, VALUE_BOOL, &$1); }
	| list
	;

list:
	'[' ']' { $$ = value_list(p, NULL, @$); }
	| '[' items ']' { $$ = value_list(p, $2.head, @$); }
	| '[' items ',' ']' { $$ = value_list(p, $2.head, @$); }
	;

items:
	value { $$.head = $1; $$.tail = $1; }
	| items ',' value {
		$$ = $1;
		$$.tail->next = $3;
		$$.tail = $3;
	}
	;

%%

#undef scanner

/* Return how a token is named in messages, without bison's quotes. */
static void symbol_text(yysymbol_kind_t sym, char *out, size_t n)
{
	const char *name = yysymbol_name(sym);
	size_t len = strlen(name);

	if (sym == YYSYMBOL_YYEOF) {
		snprintf(out, n, "end of file");
		return;
	}
	if (len >= 2 && name[0] == '"' && name[len - 1] == '"')
		snprintf(out, n, "%.*s", (int)(len - 2), name + 1);
	else
		snprintf(out, n, "%s", name);
}

static bool starts_value(yysymbol_kind_t sym)
{
	return sym == YYSYMBOL_STRING || sym == YYSYMBOL_IDENT ||
	       sym == YYSYMBOL_DURATION || sym == YYSYMBOL_DATE ||
	       sym == YYSYMBOL_NUMBER || sym == YYSYMBOL_TRUE ||
	       sym == YYSYMBOL_FALSE || sym == YYTRANSLATE('[');
}

static bool has_symbol(const yysymbol_kind_t *v, int n, yysymbol_kind_t sym)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] == sym)
			return true;
	return false;
}

/*
 * Write "A, B or C" of the expected tokens to out and return how many
 * were named. The tokens a value starts with are named together as
 * "a value", and the end of file is left out. At the end of a file
 * inside a block only the '}' is named, because that is what is
 * missing. A list of more than six names is left out.
 */
static int expected_text(struct buf *out, const yysymbol_kind_t *expected,
			 int n, yysymbol_kind_t found)
{
	const char *names[YYNTOKENS];
	char text[YYNTOKENS][64];
	int count = 0, i;
	bool value = has_symbol(expected, n, YYSYMBOL_STRING) &&
		     has_symbol(expected, n, YYSYMBOL_DURATION) &&
		     has_symbol(expected, n, YYTRANSLATE('['));

	if (found == YYSYMBOL_YYEOF && has_symbol(expected, n, YYTRANSLATE('}'))) {
		buf_adds(out, "'}'");
		return 1;
	}
	if (value)
		names[count++] = "a value";
	for (i = 0; i < n; i++) {
		if (expected[i] == YYSYMBOL_YYEOF ||
		    (value && starts_value(expected[i])))
			continue;
		/* Among fields, 'identity' is a field name like any other. */
		if (expected[i] == YYSYMBOL_IDENTITY &&
		    has_symbol(expected, n, YYSYMBOL_IDENT) &&
		    !has_symbol(expected, n, YYSYMBOL_GRANT))
			continue;
		symbol_text(expected[i], text[i], sizeof(text[i]));
		names[count++] = text[i];
	}
	if (count > 6)
		return 0;
	for (i = 0; i < count; i++)
		buf_addf(out, "%s%s", i == 0 ? "" : i == count - 1 ? " or " : ", ",
			 names[i]);
	return count;
}

/* Copy the text of the token before the current one into out. */
static void previous_text(const struct parser *p, char *out, size_t n)
{
	snprintf(out, n, "%.*s", (int)p->prev_span.len,
		 p->src->text + p->prev_span.off);
}

/*
 * After a name that starts a line inside a block, the parser wants '='
 * or '{'. When that name is near a keyword that starts a member, as
 * 'grnat' is near 'grant', add a note naming the keyword at the name.
 */
static bool misspelt_keyword(struct parser *p)
{
	static const char *const members[] = {
		"grant", "deny", "identity", "when",
	};
	struct loc at = parser_loc(p, p->prev_span);
	const char *guess;
	char word[64];

	previous_text(p, word, sizeof(word));
	guess = nearest_name(word, members, ARRAY_SIZE(members));
	if (!guess)
		return false;
	diag_at(p->d, DIAG_NOTE, &at, "did you mean '%s'?", guess);
	return true;
}

/*
 * A block of an agent written inside another block, as in 'review {'
 * inside 'owner { ...', most likely means the outer block lacks its
 * '}'. Point at the outer block's '{' and say where to close it.
 */
static bool unclosed_block(struct parser *p)
{
	static const char *const blocks[] = {
		"owner", "review", "credentials", "audit",
	};
	char word[64];
	size_t i;

	if (p->depth < 2 || p->depth > BRACES_MAX)
		return false;
	previous_text(p, word, sizeof(word));
	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		if (!strcmp(word, blocks[i]))
			break;
	if (i == ARRAY_SIZE(blocks))
		return false;
	diag_at(p->d, DIAG_NOTE, &p->braces[p->depth - 2], "this '{' is "
		"never closed; add '}' before '%s'", word);
	return true;
}

/*
 * Add a note with the likely fix: the keyword an identifier misspells,
 * the quotes a name lacks, the brackets a single string lacks, and
 * constructs written where they cannot appear.
 */
static void add_hint(struct parser *p, const struct loc *loc,
		     yysymbol_kind_t found, const yysymbol_kind_t *expected,
		     int n)
{
	const char *keywords[YYNTOKENS], *guess;
	char text[YYNTOKENS][64], word[64];
	int nkeywords = 0, i;

	if (n == 1 && expected[0] == YYSYMBOL_STRING &&
	    found == YYSYMBOL_IDENT) {
		diag_at(p->d, DIAG_NOTE, loc, "write it as a string in double "
			"quotes: \"%.*s\"", (int)loc->len,
			p->src->text + loc->off);
		return;
	}
	/* An unquoted ARN scans as a service name, then stray colons. */
	if (found == YYSYMBOL_QNAME && has_symbol(expected, n, YYSYMBOL_STRING)) {
		diag_at(p->d, DIAG_NOTE, loc, "write ARNs and other patterns "
			"as strings in double quotes");
		return;
	}
	if (n == 1 && expected[0] == YYTRANSLATE('[') &&
	    found == YYSYMBOL_STRING) {
		diag_at(p->d, DIAG_NOTE, loc, "write a list, even of one item: "
			"[%.*s]", (int)loc->len, p->src->text + loc->off);
		return;
	}
	if (found == YYTRANSLATE('=') && has_symbol(expected, n, YYSYMBOL_OP)) {
		diag_at(p->d, DIAG_NOTE, loc, "compare with '=='");
		return;
	}
	if (found == YYTRANSLATE('{') && n == 1 &&
	    expected[0] == YYTRANSLATE('=') && unclosed_block(p))
		return;
	if (found == YYTRANSLATE('{') && n == 1 &&
	    expected[0] == YYTRANSLATE('=')) {
		diag_at(p->d, DIAG_NOTE, loc, "only an agent holds blocks; "
			"this block holds fields such as '%.*s = ...'",
			(int)p->prev_span.len, p->src->text + p->prev_span.off);
		return;
	}
	if (found == YYSYMBOL_WHEN) {
		diag_at(p->d, DIAG_NOTE, loc, "a 'when' condition belongs "
			"inside the braces of a grant");
		return;
	}
	if (n == 2 && has_symbol(expected, n, YYTRANSLATE('=')) &&
	    has_symbol(expected, n, YYTRANSLATE('{')) && misspelt_keyword(p))
		return;
	if (found != YYSYMBOL_IDENT)
		return;
	for (i = 0; i < n; i++) {
		const char *name = yysymbol_name(expected[i]);

		if (name[0] != '\'' || !isalpha((unsigned char)name[1]))
			continue;	/* not a keyword such as 'agent' */
		snprintf(text[i], sizeof(text[i]), "%.*s",
			 (int)strlen(name) - 2, name + 1);
		keywords[nkeywords++] = text[i];
	}
	snprintf(word, sizeof(word), "%.*s", (int)loc->len,
		 p->src->text + loc->off);
	guess = nearest_name(word, keywords, (size_t)nkeywords);
	if (guess)
		diag_at(p->d, DIAG_NOTE, loc, "did you mean '%s'?", guess);
}

/*
 * Report a line left unfinished, when the token after it starts the
 * next line: "missing a value after '='", with the caret just after
 * that last token, where the text is missing. Returns false when the
 * error is not of that kind.
 */
static bool report_unfinished(struct parser *p, yysymbol_kind_t found,
			      const struct buf *wanted)
{
	struct span prev = p->prev_span;
	struct loc at = parser_loc(p, (struct span){ prev.off + prev.len, 0 });

	if (!p->tok_bol || found == YYSYMBOL_YYEOF || !prev.len || !wanted->len)
		return false;
	if (prev.len <= 40)
		diag_at(p->d, DIAG_ERROR, &at, "missing %s after '%.*s'",
			buf_str(wanted), (int)prev.len, p->src->text + prev.off);
	else
		diag_at(p->d, DIAG_ERROR, &at, "missing %s at the end of the "
			"line", buf_str(wanted));
	return true;
}

/*
 * Report a syntax error as "unexpected X, expected A, B or C", quoting
 * the text found, and point back at the brace still open when the file
 * ends early.
 */
static int yyreport_syntax_error(const yypcontext_t *ctx, struct parser *p)
{
	yysymbol_kind_t expected[YYNTOKENS];
	yysymbol_kind_t found = yypcontext_token(ctx);
	const YYLTYPE *where = yypcontext_location(ctx);
	struct loc loc = parser_loc(p, *where);
	struct buf msg = BUF_INIT, wanted = BUF_INIT;
	char name[64];
	int n;

	if (found == YYSYMBOL_YYerror || found == YYSYMBOL_YYUNDEF)
		return 0;	/* the scanner has reported it */
	if (found == YYSYMBOL_YYEOF && p->eof_reported)
		return 0;	/* an unterminated string ran to the end */
	p->syntax_errors++;
	if (found == YYTRANSLATE('}') && p->tok_depth == 0) {
		diag_at(p->d, DIAG_ERROR, &loc, "unmatched '}'");
		return 0;
	}
	n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
	expected_text(&wanted, expected, n, found);
	/* When the block could end here, the token itself is the fault. */
	if (!has_symbol(expected, n, YYTRANSLATE('}')) &&
	    report_unfinished(p, found, &wanted)) {
		buf_release(&wanted);
		return 0;
	}
	symbol_text(found, name, sizeof(name));
	if (found == YYSYMBOL_YYEOF || name[0] == '\'' || !where->len ||
	    where->len > 40)
		buf_addf(&msg, "unexpected %s", name);
	else
		buf_addf(&msg, "unexpected %s '%.*s'", name, (int)where->len,
			 p->src->text + where->off);
	if (wanted.len)
		buf_addf(&msg, ", expected %s", buf_str(&wanted));
	diag_at(p->d, DIAG_ERROR, &loc, "%s", buf_str(&msg));
	buf_release(&msg);
	buf_release(&wanted);
	add_hint(p, &loc, found, expected, n);
	if (found == YYSYMBOL_YYEOF && p->depth > 0 && p->depth <= BRACES_MAX)
		diag_at(p->d, DIAG_NOTE, &p->braces[p->depth - 1],
			"to match this '{'");
	return 0;
}

static void yyerror(YYLTYPE *loc, struct parser *p, const char *msg)
{
	struct loc at = parser_loc(p, *loc);

	diag_at(p->d, DIAG_ERROR, &at, "%s", msg);
}

void parser_trace(int on)
{
	yydebug = on;
}
