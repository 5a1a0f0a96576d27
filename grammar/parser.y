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
void parser_trace(int on);
}

%code {
#include "diag.h"

static void yyerror(YYLTYPE *loc, struct parser *p, const char *msg);

#define scanner (p->scanner)
}

%define api.pure full
%define api.token.prefix {TOK_}
%define api.location.type {struct span}
%define parse.error custom
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
	| WAIVE IDENT FOR STRING '{' { build_waive_begin(p, &$1, &$2, &$4); }
		fields '}' { build_top_end(p); }
	| ESCALATION STRING '{' { build_escalation_begin(p, &$1, &$2); }
		fields '}' { build_top_end(p); }
	| error '}' { p->block = BLOCK_NONE; yyerrok; }
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
	| error '}' { yyerrok; }
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
	| error '}' { yyerrok; }
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
	| error '}' { yyerrok; }
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

/*
 * Report a syntax error as "unexpected X, expected A, B or C", quoting
 * the text found, and point back at the brace still open when the file
 * ends early or a new item starts inside a block.
 */
static int yyreport_syntax_error(const yypcontext_t *ctx, struct parser *p)
{
	yysymbol_kind_t expected[6];
	yysymbol_kind_t found = yypcontext_token(ctx);
	const YYLTYPE *where = yypcontext_location(ctx);
	struct loc loc = parser_loc(p, *where);
	struct buf msg = BUF_INIT;
	char name[64];
	int n, i;

	if (found == YYSYMBOL_YYerror || found == YYSYMBOL_YYUNDEF)
		return 0;	/* the scanner has reported it */
	if (found == YYSYMBOL_YYEOF) {
		buf_adds(&msg, "unexpected end of file");
	} else {
		symbol_text(found, name, sizeof(name));
		if (where->len && where->len <= 40)
			buf_addf(&msg, "unexpected %s '%.*s'", name,
				 (int)where->len, p->src->text + where->off);
		else
			buf_addf(&msg, "unexpected %s", name);
	}
	n = yypcontext_expected_tokens(ctx, expected, (int)ARRAY_SIZE(expected));
	if (n > 0 && n < (int)ARRAY_SIZE(expected)) {
		buf_adds(&msg, ", expected ");
		for (i = 0; i < n; i++) {
			symbol_text(expected[i], name, sizeof(name));
			buf_addf(&msg, "%s%s", i == 0 ? "" : i == n - 1 ? " or "
								 : ", ",
				 name);
		}
	}
	diag_at(p->d, DIAG_ERROR, &loc, "%s", buf_str(&msg));
	if (p->depth > 0 && p->depth <= BRACES_MAX &&
	    (found == YYSYMBOL_YYEOF || found == YYSYMBOL_AGENT ||
	     found == YYSYMBOL_GATE || found == YYSYMBOL_RESOURCE ||
	     found == YYSYMBOL_WAIVE || found == YYSYMBOL_ESCALATION))
		diag_at(p->d, DIAG_NOTE, &p->braces[p->depth - 1],
			"to match this '{'");
	buf_release(&msg);
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
