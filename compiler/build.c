#include "common.h"
#include "build.h"

#include <ctype.h>

#include "diag.h"
#include "finding.h"
#include "pcrelib.h"

/* Field names of each block, for "did you mean" notes. */
static const char *const agent_fields[] = {
	"kind", "description", "justification", "expires", "owner",
	"review", "credentials", "audit",
};
static const char *const owner_fields[] = { "technical", "business" };
static const char *const review_fields[] = { "every", "last", "by" };
static const char *const credentials_fields[] = {
	"rotate", "session", "long_lived_keys",
};
static const char *const audit_fields[] = { "decisions", "context" };
static const char *const identity_fields[] = { "trusted_by", "boundary" };
static const char *const grant_fields[] = { "because", "approver" };
static const char *const gate_fields[] = {
	"fail_on", "max_review_interval", "max_rotation", "owner_pattern",
	"agent_name_pattern", "frameworks",
};
static const char *const resource_fields[] = {
	"match", "sensitivity", "environment",
};
static const char *const waive_fields[] = {
	"until", "reason", "approver", "identity",
};
static const char *const escalation_fields[] = { "description", "requires" };
static const char *const agent_blocks[] = {
	"owner", "review", "credentials", "audit",
};

static const char *const kind_names[] = {
	"ai_agent", "service_account", "api_key", "oauth_client", "workload",
};
static const char *const level_names[] = {
	"list", "read", "write", "tagging", "permissions",
};
static const char *const decision_names[] = { "required", "optional", "off" };
static const char *const sensitivity_names[] = {
	"public", "internal", "confidential", "restricted",
};
static const char *const severity_names[] = {
	"info", "low", "medium", "high", "critical",
};
static const char *const framework_names[] = { "soc2", "iso27001", "pci_dss" };
static const char *const provider_names[] = { "aws", "gcp", "azure", "k8s" };
static const char *const operator_names[] = {
	"==", "!=", "in", "not_in", "like", "not_like", "<", "<=", ">", ">=",
	"any_in",
};
static const enum cond_op operator_ops[] = {
	COND_EQ, COND_NE, COND_IN, COND_NOT_IN, COND_LIKE, COND_NOT_LIKE,
	COND_LT, COND_LE, COND_GT, COND_GE, COND_ANY_IN,
};

struct loc parser_loc(const struct parser *p, struct span s)
{
	struct loc loc = { p->src, s.off, s.len };

	return loc;
}

static void error_at(struct parser *p, const struct loc *loc,
		     const char *fmt, ...) PRINTF_LIKE(3, 4);

static void error_at(struct parser *p, const struct loc *loc,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(p->d, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

static void note_at(struct parser *p, const struct loc *loc, const char *fmt,
		    ...) PRINTF_LIKE(3, 4);

static void note_at(struct parser *p, const struct loc *loc, const char *fmt,
		    ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vat(p->d, DIAG_NOTE, loc, fmt, ap);
	va_end(ap);
}

const char *nearest_name(const char *s, const char *const *names, size_t n)
{
	size_t len = strlen(s), limit = 3, best_d, i;
	const char *best = NULL;

	if (len < 4)
		limit = 1;
	else if (len < 9)
		limit = 2;
	best_d = limit + 1;

	for (i = 0; i < n; i++) {
		size_t d = edit_distance(s, names[i], limit);

		if (d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

static void suggest(struct parser *p, const struct loc *loc, const char *s,
		    const char *const *names, size_t n)
{
	const char *guess = nearest_name(s, names, n);

	if (guess)
		note_at(p, loc, "did you mean '%s'?", guess);
}

/* Write "a, b or c" of names into out. */
static void list_names(struct buf *out, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(out, i == n - 1 ? " or " : ", ");
		buf_adds(out, names[i]);
	}
}

static int find_name(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

struct value *value_new(struct parser *p, enum value_kind kind,
			const struct token *t)
{
	struct value *v = arena_calloc(&p->values, 1, sizeof(*v));

	v->kind = kind;
	v->s = t->s;
	v->n = t->n;
	v->invalid = t->invalid;
	v->loc = t->loc;
	return v;
}

struct value *value_list(struct parser *p, struct value *first,
			 struct span where)
{
	struct value *v = arena_calloc(&p->values, 1, sizeof(*v));
	struct value *item, *last = NULL;

	v->kind = VALUE_LIST;
	v->items = first;
	v->loc = parser_loc(p, where);
	for (item = first; item; item = item->next) {
		if (v->nitems == SPEC_LIST_MAX) {
			error_at(p, &item->loc, "list has more than %d items; "
				 "split it or use a pattern", SPEC_LIST_MAX);
			break;
		}
		if (v->nitems == SPEC_LIST_MAX - 1)
			last = item;
		v->nitems++;
	}
	/* Later checks see the first SPEC_LIST_MAX items only. */
	if (item)
		last->next = NULL;
	return v;
}

void value_append(struct value *list, struct value **tail,
		  struct value *item)
{
	if (*tail)
		(*tail)->next = item;
	else
		list->items = item;
	*tail = item;
	list->nitems++;
}

static const char *kind_phrase(enum value_kind k)
{
	switch (k) {
	case VALUE_STRING:
		return "a string";
	case VALUE_IDENT:
		return "a name";
	case VALUE_DURATION:
		return "a duration";
	case VALUE_DATE:
		return "a date";
	case VALUE_NUMBER:
		return "a number";
	case VALUE_BOOL:
		return "true or false";
	case VALUE_LIST:
		return "a list";
	}
	return "a value";
}

/* Report a field's value of the wrong kind; want names what is expected. */
static void wrong_kind(struct parser *p, const struct token *name,
		       const struct value *v, const char *want)
{
	error_at(p, &v->loc, "'%s' expects %s, got %s", name->s, want,
		 kind_phrase(v->kind));
}

/* Report a field set twice; first is where it was set before. */
static bool already_set(struct parser *p, const struct token *name,
			bool set, const struct loc *first)
{
	if (!set)
		return false;
	error_at(p, &name->loc, "'%s' is already set", name->s);
	if (first->src)
		note_at(p, first, "first set here");
	return true;
}

static void set_string(struct parser *p, const struct token *name,
		       const struct value *v, struct sval *dst)
{
	if (already_set(p, name, dst->s != NULL, &dst->loc))
		return;
	if (v->kind != VALUE_STRING) {
		wrong_kind(p, name, v, "a string in double quotes");
		if (v->kind == VALUE_IDENT)
			note_at(p, &v->loc, "write it in double quotes: "
				"\"%s\"", v->s);
		return;
	}
	dst->s = v->s;
	dst->loc = v->loc;
}

static void set_date(struct parser *p, const struct token *name,
		     const struct value *v, struct dval *dst)
{
	if (already_set(p, name, dst->set, &dst->loc))
		return;
	if (v->invalid)
		return;		/* the scanner has reported it */
	if (v->kind != VALUE_DATE) {
		wrong_kind(p, name, v, "a date such as 2027-01-31");
		return;
	}
	dst->days = (int32_t)v->n;
	dst->set = true;
	dst->loc = v->loc;
}

static void set_duration(struct parser *p, const struct token *name,
			 const struct value *v, struct durval *dst)
{
	if (already_set(p, name, dst->set, &dst->loc))
		return;
	if (v->invalid)
		return;		/* the scanner has reported it */
	if (v->kind != VALUE_DURATION) {
		wrong_kind(p, name, v, "a duration such as 90d");
		if (v->kind == VALUE_NUMBER)
			note_at(p, &v->loc, "a duration needs a unit: s, m, "
				"h, d or w");
		return;
	}
	if (v->n <= 0) {
		error_at(p, &v->loc, "'%s' must be longer than zero", name->s);
		return;
	}
	dst->seconds = v->n;
	dst->set = true;
	dst->loc = v->loc;
}

static void set_bool(struct parser *p, const struct token *name,
		     const struct value *v, struct bval *dst)
{
	if (already_set(p, name, dst->set, &dst->loc))
		return;
	if (v->kind != VALUE_BOOL) {
		wrong_kind(p, name, v, "true or false");
		return;
	}
	dst->v = v->n != 0;
	dst->set = true;
	dst->loc = v->loc;
}

/*
 * Set a list of strings (or names, when idents is true). A single
 * string is taken as a list of one when single is true, as for
 * trusted_by = "bedrock.amazonaws.com".
 */
static void set_list(struct parser *p, const struct token *name,
		     struct value *v, struct slist *dst, bool idents,
		     bool single)
{
	struct value *item;
	size_t i = 0;

	if (already_set(p, name, dst->set, &dst->loc))
		return;
	if (v->kind != VALUE_LIST) {
		if (single && v->kind == VALUE_STRING) {
			dst->items = arena_calloc(&p->u->arena, 1,
						  sizeof(*dst->items));
			dst->items[0].s = v->s;
			dst->items[0].loc = v->loc;
			dst->n = 1;
			dst->set = true;
			dst->loc = v->loc;
			return;
		}
		wrong_kind(p, name, v, single ? "a string or a list" : "a list "
			   "such as [a, b]");
		if (v->kind == VALUE_STRING || v->kind == VALUE_IDENT)
			note_at(p, &v->loc, "write a list, even of one item: "
				"[%.*s]", (int)v->loc.len,
				v->loc.src->text + v->loc.off);
		return;
	}
	dst->items = arena_calloc(&p->u->arena, v->nitems + 1,
				  sizeof(*dst->items));
	for (item = v->items; item; item = item->next) {
		if (item->kind != VALUE_STRING &&
		    !(idents && item->kind == VALUE_IDENT)) {
			error_at(p, &item->loc, "items of '%s' must be %s, got "
				 "%s", name->s,
				 idents ? "names or strings" : "strings",
				 kind_phrase(item->kind));
			continue;
		}
		dst->items[i].s = item->s;
		dst->items[i].loc = item->loc;
		i++;
	}
	dst->n = i;
	dst->set = true;
	dst->loc = v->loc;
}

/*
 * Set an enumerated field from a name; returns its index in names, or
 * -1 after reporting a wrong value.
 */
static int set_enum(struct parser *p, const struct token *name,
		    const struct value *v, const char *const *names,
		    size_t n, bool set, const struct loc *first)
{
	struct buf accepted = BUF_INIT;
	int i;

	if (already_set(p, name, set, first))
		return -1;
	if (v->kind != VALUE_IDENT) {
		wrong_kind(p, name, v, "a name");
		if (v->kind == VALUE_STRING && find_name(v->s, names, n) >= 0)
			note_at(p, &v->loc, "write it without quotes: %s",
				v->s);
		return -1;
	}
	i = find_name(v->s, names, n);
	if (i >= 0)
		return i;
	list_names(&accepted, names, n);
	error_at(p, &v->loc, "invalid value '%s' for '%s'; expected %s",
		 v->s, name->s, buf_str(&accepted));
	buf_release(&accepted);
	suggest(p, &v->loc, v->s, names, n);
	return -1;
}

static void unknown_field(struct parser *p, const struct token *name,
			  const char *block, const char *const *names,
			  size_t n)
{
	error_at(p, &name->loc, "unknown field '%s' in %s", name->s, block);
	suggest(p, &name->loc, name->s, names, n);
}

#define IS(field) (!strcmp(name->s, (field)))
#define UNKNOWN(block, names) \
	unknown_field(p, name, (block), (names), ARRAY_SIZE(names))

static void agent_field(struct parser *p, const struct token *name,
			struct value *v)
{
	struct agent *a = p->agent;
	int i;

	if (IS("kind")) {
		bool written = a->kind_loc.src != NULL;

		i = set_enum(p, name, v, kind_names, ARRAY_SIZE(kind_names),
			     written, &a->kind_loc);
		if (!written)
			a->kind_loc = v->loc;	/* even if invalid */
		if (i >= 0)
			a->kind = (enum agent_kind)(i + 1);
	} else if (IS("description")) {
		set_string(p, name, v, &a->description);
	} else if (IS("justification")) {
		set_string(p, name, v, &a->justification);
	} else if (IS("expires")) {
		set_date(p, name, v, &a->expires);
	} else if (find_name(name->s, agent_blocks,
			     ARRAY_SIZE(agent_blocks)) >= 0) {
		error_at(p, &name->loc, "'%s' is a block; write %s { ... }",
			 name->s, name->s);
	} else if (find_name(name->s, grant_fields,
			     ARRAY_SIZE(grant_fields)) >= 0) {
		error_at(p, &name->loc, "'%s' is a field of a grant; write it "
			 "inside the grant's braces: grant ... { %s = ... }",
			 name->s, name->s);
	} else if (find_name(name->s, identity_fields,
			     ARRAY_SIZE(identity_fields)) >= 0) {
		error_at(p, &name->loc, "'%s' is a field of an identity; write "
			 "it inside the identity's braces: identity ... { %s = "
			 "... }", name->s, name->s);
	} else {
		UNKNOWN("agent", agent_fields);
	}
}

static void owner_field(struct parser *p, const struct token *name,
			struct value *v)
{
	struct owner_block *o = &p->agent->owner;

	if (IS("technical"))
		set_string(p, name, v, &o->technical);
	else if (IS("business"))
		set_string(p, name, v, &o->business);
	else
		UNKNOWN("owner", owner_fields);
}

static void review_field(struct parser *p, const struct token *name,
			 struct value *v)
{
	struct review_block *r = &p->agent->review;

	if (IS("every"))
		set_duration(p, name, v, &r->every);
	else if (IS("last"))
		set_date(p, name, v, &r->last);
	else if (IS("by"))
		set_string(p, name, v, &r->by);
	else
		UNKNOWN("review", review_fields);
}

static void credentials_field(struct parser *p, const struct token *name,
			      struct value *v)
{
	struct credentials_block *c = &p->agent->credentials;

	if (IS("rotate"))
		set_duration(p, name, v, &c->rotate);
	else if (IS("session"))
		set_duration(p, name, v, &c->session);
	else if (IS("long_lived_keys"))
		set_bool(p, name, v, &c->long_lived_keys);
	else
		UNKNOWN("credentials", credentials_fields);
}

static void audit_field(struct parser *p, const struct token *name,
			struct value *v)
{
	struct audit_block *au = &p->agent->audit;
	int i;

	if (IS("decisions")) {
		i = set_enum(p, name, v, decision_names,
			     ARRAY_SIZE(decision_names),
			     au->decisions != AUDIT_UNSET, &au->decisions_loc);
		if (i >= 0) {
			au->decisions = (enum audit_decisions)(i + 1);
			au->decisions_loc = v->loc;
		}
	} else if (IS("context")) {
		set_list(p, name, v, &au->context, true, false);
	} else {
		UNKNOWN("audit", audit_fields);
	}
}

static void identity_field(struct parser *p, const struct token *name,
			   struct value *v)
{
	struct identity *id = p->identity;

	if (IS("trusted_by")) {
		if (id->kind != IDENTITY_AWS_ROLE) {
			error_at(p, &name->loc, "'trusted_by' applies only to "
				 "an aws role");
			return;
		}
		set_list(p, name, v, &id->trusted_by, false, true);
	} else if (IS("boundary")) {
		if (id->provider != PROVIDER_AWS) {
			error_at(p, &name->loc, "'boundary' applies only to "
				 "aws identities");
			return;
		}
		set_string(p, name, v, &id->boundary);
	} else {
		UNKNOWN("identity", identity_fields);
	}
}

static void grant_field(struct parser *p, const struct token *name,
			struct value *v)
{
	struct grant *g = p->grant;

	if (IS("because"))
		set_string(p, name, v, &g->because);
	else if (IS("approver"))
		set_string(p, name, v, &g->approver);
	else
		UNKNOWN(g->deny ? "deny" : "grant", grant_fields);
}

/*
 * Return the loc of a byte offset into the value of the string literal
 * at lit. An escape such as \\ is two bytes of source for one byte of
 * value.
 */
static struct loc string_byte_loc(const struct loc *lit, size_t offset)
{
	const char *text = lit->src->text;
	struct loc at = *lit;
	uint32_t end = lit->off + lit->len;

	at.off = lit->off + 1;		/* after the opening quote */
	while (offset > 0 && at.off + 1 < end) {
		at.off += text[at.off] == '\\' ? 2 : 1;
		offset--;
	}
	at.len = at.off + 1 < end ? 1 : 0;
	return at;
}

/*
 * Compile a gate pattern now, so a bad one is reported where written,
 * at the character PCRE2 names. PCRE2 is loaded here and in
 * rules_spec.c only, so runs without a gate pattern never map it.
 */
static void check_pattern(struct parser *p, const struct sval *s,
			  const char *field)
{
	pcre2_code *re;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE offset;
	struct loc at;
	int code;

	if (!s->s || pcrelib_load(p->d, &s->loc, field) < 0)
		return;
	re = pcre2.compile((PCRE2_SPTR)s->s, PCRE2_ZERO_TERMINATED,
			   PCRELIB_COMPILE_OPTIONS, &code, &offset, NULL);
	if (re) {
		pcre2.code_free(re);
		return;
	}
	pcre2.get_error_message(code, msg, sizeof(msg));
	at = string_byte_loc(&s->loc, offset);
	error_at(p, &at, "invalid regular expression in '%s': %s", field,
		 (const char *)msg);
}

static void gate_field(struct parser *p, const struct token *name,
		       struct value *v)
{
	struct gate *g = &p->u->gate;
	size_t i;
	int k;

	if (IS("fail_on")) {
		k = set_enum(p, name, v, severity_names,
			     ARRAY_SIZE(severity_names), g->fail_on_set,
			     &g->fail_on_loc);
		if (k >= 0) {
			g->fail_on = (enum severity)k;
			g->fail_on_set = true;
			g->fail_on_loc = v->loc;
		}
	} else if (IS("max_review_interval")) {
		set_duration(p, name, v, &g->max_review_interval);
	} else if (IS("max_rotation")) {
		set_duration(p, name, v, &g->max_rotation);
	} else if (IS("owner_pattern")) {
		set_string(p, name, v, &g->owner_pattern);
		check_pattern(p, &g->owner_pattern, "owner_pattern");
	} else if (IS("agent_name_pattern")) {
		set_string(p, name, v, &g->agent_name_pattern);
		check_pattern(p, &g->agent_name_pattern, "agent_name_pattern");
	} else if (IS("frameworks")) {
		set_list(p, name, v, &g->frameworks, true, false);
		for (i = 0; i < g->frameworks.n; i++) {
			const struct sval *f = &g->frameworks.items[i];
			struct buf accepted = BUF_INIT;

			if (find_name(f->s, framework_names,
				      ARRAY_SIZE(framework_names)) >= 0)
				continue;
			list_names(&accepted, framework_names,
				   ARRAY_SIZE(framework_names));
			error_at(p, &f->loc, "unknown framework '%s'; expected "
				 "%s", f->s, buf_str(&accepted));
			buf_release(&accepted);
			suggest(p, &f->loc, f->s, framework_names,
				ARRAY_SIZE(framework_names));
		}
	} else {
		UNKNOWN("gate", gate_fields);
	}
}

static void resource_field(struct parser *p, const struct token *name,
			   struct value *v)
{
	struct resource_class *rc = p->rclass;
	int i;

	if (IS("match")) {
		set_list(p, name, v, &rc->match, false, true);
	} else if (IS("sensitivity")) {
		i = set_enum(p, name, v, sensitivity_names,
			     ARRAY_SIZE(sensitivity_names),
			     rc->sensitivity != SENSITIVITY_UNSET,
			     &rc->sensitivity_loc);
		if (i >= 0) {
			rc->sensitivity = (enum sensitivity)(i + 1);
			rc->sensitivity_loc = v->loc;
		}
	} else if (IS("environment")) {
		if (already_set(p, name, rc->environment.s != NULL,
				&rc->environment.loc))
			return;
		if (v->kind != VALUE_STRING && v->kind != VALUE_IDENT) {
			wrong_kind(p, name, v, "a name or a string");
			return;
		}
		rc->environment.s = v->s;
		rc->environment.loc = v->loc;
	} else {
		UNKNOWN("resource", resource_fields);
	}
}

static void waive_field(struct parser *p, const struct token *name,
			struct value *v)
{
	struct waiver *w = p->waiver;

	if (IS("until"))
		set_date(p, name, v, &w->until);
	else if (IS("reason"))
		set_string(p, name, v, &w->reason);
	else if (IS("approver"))
		set_string(p, name, v, &w->approver);
	else if (IS("identity") && !w->agent.s)
		error_at(p, &name->loc, "this waiver already names its "
			 "identity after 'for'; remove the field");
	else if (IS("identity"))
		set_string(p, name, v, &w->identity);
	else
		UNKNOWN("waive", waive_fields);
}

static void escalation_field(struct parser *p, const struct token *name,
			     struct value *v)
{
	struct escalation *e = p->esc;

	if (IS("description"))
		set_string(p, name, v, &e->description);
	else if (IS("requires"))
		set_list(p, name, v, &e->requires, false, false);
	else
		UNKNOWN("escalation", escalation_fields);
}

void build_field(struct parser *p, const struct token *name,
		 struct value *v)
{
	switch (p->block) {
	case BLOCK_AGENT:
		agent_field(p, name, v);
		break;
	case BLOCK_OWNER:
		owner_field(p, name, v);
		break;
	case BLOCK_REVIEW:
		review_field(p, name, v);
		break;
	case BLOCK_CREDENTIALS:
		credentials_field(p, name, v);
		break;
	case BLOCK_AUDIT:
		audit_field(p, name, v);
		break;
	case BLOCK_IDENTITY:
		identity_field(p, name, v);
		break;
	case BLOCK_GRANT:
		grant_field(p, name, v);
		break;
	case BLOCK_GATE:
		gate_field(p, name, v);
		break;
	case BLOCK_RESOURCE:
		resource_field(p, name, v);
		break;
	case BLOCK_WAIVE:
		waive_field(p, name, v);
		break;
	case BLOCK_ESCALATION:
		escalation_field(p, name, v);
		break;
	case BLOCK_SKIPPED:
	case BLOCK_NONE:
		break;
	}
}

#undef IS
#undef UNKNOWN

void build_agent_begin(struct parser *p, const struct token *kw,
		       const struct token *name)
{
	struct agent *a = arena_calloc(&p->u->arena, 1, sizeof(*a));

	a->name.s = name->s;
	a->name.loc = name->loc;
	a->loc = kw->loc;
	a->src = p->src;
	p->item_syntax_errors = p->syntax_errors;
	if (!*name->s)
		error_at(p, &name->loc, "agent name is empty");
	p->agent = a;
	p->identity_tail = &a->identities;
	p->grant_tail = &a->grants;
	p->block = BLOCK_AGENT;
}

void build_agent_end(struct parser *p)
{
	struct agent *a = p->agent;
	struct buf kinds = BUF_INIT;

	if (!a)
		return;
	/* An invalid kind or a syntax error has been reported already. */
	if (!a->kind_loc.src && p->syntax_errors == p->item_syntax_errors) {
		list_names(&kinds, kind_names, ARRAY_SIZE(kind_names));
		error_at(p, &a->loc, "agent '%s' has no kind; add kind = %s",
			 a->name.s, buf_str(&kinds));
		buf_release(&kinds);
	}
	*p->u->agents_tail = a;
	p->u->agents_tail = &a->next;
	p->u->nagents++;
	p->agent = NULL;
	p->block = BLOCK_NONE;
}

void build_block_begin(struct parser *p, const struct token *name)
{
	struct agent *a = p->agent;
	bool *present = NULL;
	struct loc *where = NULL;
	enum block_kind kind = BLOCK_SKIPPED;

	p->outer = p->block;
	if (p->block == BLOCK_AGENT && a) {
		if (!strcmp(name->s, "owner")) {
			kind = BLOCK_OWNER;
			present = &a->owner.present;
			where = &a->owner.loc;
		} else if (!strcmp(name->s, "review")) {
			kind = BLOCK_REVIEW;
			present = &a->review.present;
			where = &a->review.loc;
		} else if (!strcmp(name->s, "credentials")) {
			kind = BLOCK_CREDENTIALS;
			present = &a->credentials.present;
			where = &a->credentials.loc;
		} else if (!strcmp(name->s, "audit")) {
			kind = BLOCK_AUDIT;
			present = &a->audit.present;
			where = &a->audit.loc;
		}
	}
	if (!present) {
		if (p->block == BLOCK_AGENT &&
		    find_name(name->s, agent_fields,
			      ARRAY_SIZE(agent_fields)) >= 0)
			error_at(p, &name->loc, "'%s' is a field; write %s = "
				 "...", name->s, name->s);
		else {
			error_at(p, &name->loc, "unknown block '%s'%s", name->s,
				 p->block == BLOCK_AGENT ? " in agent" : "");
			if (p->block == BLOCK_AGENT)
				suggest(p, &name->loc, name->s, agent_blocks,
					ARRAY_SIZE(agent_blocks));
		}
		p->block = BLOCK_SKIPPED;
		return;
	}
	if (*present) {
		error_at(p, &name->loc, "a second '%s' block; merge it into "
			 "the first", name->s);
		note_at(p, where, "the first '%s' block is here", name->s);
		p->block = BLOCK_SKIPPED;
		return;
	}
	*present = true;
	*where = name->loc;
	p->block = kind;
}

void build_block_end(struct parser *p)
{
	p->block = p->outer;
}

/*
 * Return whether s is an IAM ARN of the kind: "arn:PARTITION:iam::",
 * a 12-digit account id, then ":role/" or ":user/" and a name.
 */
static bool looks_like_arn(const char *s, const char *kind)
{
	const char *p = s;
	size_t n = strlen(kind), i;

	if (strncmp(p, "arn:", 4))
		return false;
	p = strchr(p + 4, ':');		/* after the partition */
	if (!p || strncmp(p, ":iam::", 6))
		return false;
	p += 6;
	for (i = 0; i < 12; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	p += 12;
	return *p == ':' && !strncmp(p + 1, kind, n) && p[1 + n] == '/' &&
	       p[2 + n] != '\0';
}

/*
 * Return whether s is a GCP service account email: user-managed ones
 * end in .iam.gserviceaccount.com, default ones such as
 * PROJECT_NUMBER-compute@developer.gserviceaccount.com in another
 * subdomain of gserviceaccount.com.
 */
static bool looks_like_gcp_account(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s), m = strlen(".gserviceaccount.com");

	return at && at > s && n > m &&
	       !strcmp(s + n - m, ".gserviceaccount.com") &&
	       (size_t)(at - s) + 1 < n - m;
}

/* Return whether s is a namespace and a name joined by one '/'. */
static bool looks_like_k8s_account(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash && slash > s && slash[1] && !strchr(slash + 1, '/');
}

void build_identity_begin(struct parser *p, const struct token *kw,
			  const struct token *provider,
			  const struct token *kind, const struct token *id)
{
	struct identity *ident = arena_calloc(&p->u->arena, 1,
					      sizeof(*ident));
	struct agent *a = p->agent;
	int prov = find_name(provider->s, provider_names,
			     ARRAY_SIZE(provider_names));
	bool ok = true;

	p->outer = p->block;
	p->block = BLOCK_SKIPPED;
	if (!a)
		return;
	ident->agent = a;
	ident->id.s = id->s;
	ident->id.loc = id->loc;
	ident->loc = kw->loc;
	if (prov < 0) {
		error_at(p, &provider->loc, "unknown provider '%s'; expected "
			 "aws, gcp, azure or k8s", provider->s);
		suggest(p, &provider->loc, provider->s, provider_names,
			ARRAY_SIZE(provider_names));
		return;
	}
	ident->provider = (enum provider)prov;
	switch (ident->provider) {
	case PROVIDER_AWS:
		if (!strcmp(kind->s, "role"))
			ident->kind = IDENTITY_AWS_ROLE;
		else if (!strcmp(kind->s, "user"))
			ident->kind = IDENTITY_AWS_USER;
		else
			ok = false;
		if (ok && !looks_like_arn(id->s, kind->s)) {
			const char *other = ident->kind == IDENTITY_AWS_ROLE
						    ? "user" : "role";

			error_at(p, &id->loc, "'%s' is not an IAM %s ARN; "
				 "expected arn:aws:iam::ACCOUNT:%s/NAME", id->s,
				 kind->s, kind->s);
			if (looks_like_arn(id->s, other))
				note_at(p, &kind->loc, "it is an IAM %s ARN; "
					"write 'identity aws %s'", other,
					other);
			return;
		}
		break;
	case PROVIDER_GCP:
		ident->kind = IDENTITY_GCP_SERVICE_ACCOUNT;
		ok = !strcmp(kind->s, "service_account");
		if (ok && *id->s && !looks_like_gcp_account(id->s)) {
			error_at(p, &id->loc, "'%s' is not a GCP service "
				 "account email; expected "
				 "NAME@PROJECT.iam.gserviceaccount.com", id->s);
			return;
		}
		break;
	case PROVIDER_AZURE:
		ident->kind = IDENTITY_AZURE_SERVICE_PRINCIPAL;
		ok = !strcmp(kind->s, "service_principal");
		break;
	case PROVIDER_K8S:
		ident->kind = IDENTITY_K8S_SERVICE_ACCOUNT;
		ok = !strcmp(kind->s, "service_account");
		if (ok && *id->s && !looks_like_k8s_account(id->s)) {
			error_at(p, &id->loc, "'%s' is not a Kubernetes "
				 "service account; expected NAMESPACE/NAME",
				 id->s);
			return;
		}
		break;
	}
	if (!ok) {
		error_at(p, &kind->loc, "unknown %s identity kind '%s'; "
			 "expected %s", provider->s, kind->s,
			 ident->provider == PROVIDER_AWS ? "role or user"
			 : ident->provider == PROVIDER_AZURE
				 ? "service_principal"
				 : "service_account");
		return;
	}
	if (!*id->s) {
		error_at(p, &id->loc, "identity is empty");
		return;
	}
	*p->identity_tail = ident;
	p->identity_tail = &ident->next;
	a->nidentities++;
	p->identity = ident;
	p->block = BLOCK_IDENTITY;
}

void build_identity_end(struct parser *p)
{
	p->identity = NULL;
	p->block = p->outer;
}

/* Fill the grant's access levels from a name or a list of names. */
static void grant_levels(struct parser *p, struct grant *g,
			 struct value *target)
{
	struct value one = *target, *item;
	struct buf accepted = BUF_INIT;

	if (target->kind != VALUE_LIST) {
		one.next = NULL;
		target = value_list(p, NULL, (struct span){ 0, 0 });
		target->items = &one;
		target->nitems = 1;
		target->loc = one.loc;
	}
	g->by_level = true;
	g->levels_loc = target->loc;
	if (!target->nitems)
		error_at(p, &target->loc, "the list of access levels is empty");
	g->level_names.items = arena_calloc(&p->u->arena, target->nitems + 1,
					    sizeof(*g->level_names.items));
	g->level_names.set = true;
	g->level_names.loc = target->loc;
	for (item = target->items; item; item = item->next) {
		int i;

		if (item->kind != VALUE_IDENT) {
			/* Listed only for a message: most grants have none. */
			if (!accepted.len)
				list_names(&accepted, level_names,
					   ARRAY_SIZE(level_names));
			error_at(p, &item->loc, "expected an access level (%s) "
				 "or 'actions [...]', got %s",
				 buf_str(&accepted), kind_phrase(item->kind));
			continue;
		}
		g->level_names.items[g->level_names.n].s = item->s;
		g->level_names.items[g->level_names.n].loc = item->loc;
		g->level_names.n++;
		/* An unknown level is finding MND134, with a suggestion. */
		i = find_name(item->s, level_names, ARRAY_SIZE(level_names));
		if (i >= 0)
			g->levels |= 1u << i;
	}
	buf_release(&accepted);
}

static void grant_actions(struct parser *p, struct grant *g,
			  const struct token *kw, struct value *list)
{
	struct value *item;
	size_t i = 0;

	g->actions.items = arena_calloc(&p->u->arena, list->nitems + 1,
					sizeof(*g->actions.items));
	g->actions.set = true;
	g->actions.loc = list->loc;
	if (!list->nitems)
		error_at(p, &list->loc, "'actions' needs at least one action");
	for (item = list->items; item; item = item->next) {
		if (item->kind != VALUE_STRING) {
			error_at(p, &item->loc, "actions are strings such as "
				 "\"s3:GetObject\", got %s",
				 kind_phrase(item->kind));
			continue;
		}
		g->actions.items[i].s = item->s;
		g->actions.items[i].loc = item->loc;
		i++;
	}
	g->actions.n = i;
	(void)kw;
}

static void grant_resources(struct parser *p, struct grant *g,
			    struct value *v)
{
	struct value *item;
	size_t i = 0;

	if (v->kind == VALUE_STRING) {
		g->resources.items = arena_calloc(&p->u->arena, 1,
						  sizeof(*g->resources.items));
		g->resources.items[0].s = v->s;
		g->resources.items[0].loc = v->loc;
		g->resources.n = 1;
		g->resources.set = true;
		g->resources.loc = v->loc;
		if (!*v->s)
			error_at(p, &v->loc, "the resource is empty");
		return;
	}
	g->resources.items = arena_calloc(&p->u->arena, v->nitems + 1,
					  sizeof(*g->resources.items));
	g->resources.set = true;
	g->resources.loc = v->loc;
	if (!v->nitems)
		error_at(p, &v->loc, "the list of resources is empty");
	for (item = v->items; item; item = item->next) {
		if (item->kind != VALUE_STRING || !*item->s) {
			error_at(p, &item->loc, "resources are ARN patterns in "
				 "double quotes, got %s",
				 item->kind == VALUE_STRING
					 ? "an empty string"
					 : kind_phrase(item->kind));
			continue;
		}
		g->resources.items[i].s = item->s;
		g->resources.items[i].loc = item->loc;
		i++;
	}
	g->resources.n = i;
}

void build_grant_begin(struct parser *p, bool deny, const struct token *kw,
		       struct value *target, bool actions,
		       const struct token *qname, struct value *resources)
{
	struct grant *g = arena_calloc(&p->u->arena, 1, sizeof(*g));
	struct agent *a = p->agent;

	p->outer = p->block;
	p->block = BLOCK_SKIPPED;
	if (!a)
		return;
	g->agent = a;
	g->deny = deny;
	g->loc = kw->loc;
	g->provider = PROVIDER_AWS;
	if (actions)
		grant_actions(p, g, kw, target);
	else
		grant_levels(p, g, target);

	if (qname->s) {
		const char *colon = strchr(qname->s, ':');
		char provider[16];
		int prov;

		snprintf(provider, sizeof(provider), "%.*s",
			 (int)(colon - qname->s), qname->s);
		prov = find_name(provider, provider_names,
				 ARRAY_SIZE(provider_names));
		if (prov < 0) {
			error_at(p, &qname->loc, "unknown provider '%s' in "
				 "'%s'; expected aws, gcp, azure or k8s",
				 provider, qname->s);
		} else {
			g->provider = (enum provider)prov;
		}
		g->service.s = strtab_intern_str(&p->u->strtab, colon + 1);
		g->service.loc = qname->loc;
	} else if (!actions) {
		/* An omitted service has an empty loc just after 'on'. */
		error_at(p, &qname->loc, "a grant by access level must name its "
			 "service, as in '%s %s on aws:s3 \"ARN\"'", kw->s,
			 target->kind == VALUE_IDENT ? target->s : "read");
	}
	grant_resources(p, g, resources);

	*p->grant_tail = g;
	p->grant_tail = &g->next;
	a->ngrants++;
	p->grant = g;
	p->cond_tail = &g->conds;
	p->block = BLOCK_GRANT;
}

void build_grant_end(struct parser *p)
{
	p->grant = NULL;
	p->block = p->outer;
}

void build_member_error(struct parser *p)
{
	p->grant = NULL;
	p->identity = NULL;
	p->block = BLOCK_AGENT;
}

/* Return the text a condition value stands for, or NULL if it has none. */
static const char *condition_text(struct parser *p, const struct value *v)
{
	char text[32];

	switch (v->kind) {
	case VALUE_STRING:
	case VALUE_IDENT:
	case VALUE_NUMBER:
		return v->s;
	case VALUE_BOOL:
		return v->n ? "true" : "false";
	case VALUE_DATE:
		date_format((int32_t)v->n, text);
		return strtab_intern_str(&p->u->strtab, text);
	case VALUE_DURATION:
		/* A duration stands for its seconds: MultiFactorAuthAge. */
		snprintf(text, sizeof(text), "%lld", (long long)v->n);
		return strtab_intern_str(&p->u->strtab, text);
	case VALUE_LIST:
		break;
	}
	return NULL;
}

void build_condition(struct parser *p, const struct token *kw,
		     const struct token *key, const struct token *op,
		     struct value *v)
{
	struct grant *g = p->grant;
	struct condition *c;
	struct value *item;
	struct buf accepted = BUF_INIT;
	bool takes_list;
	size_t i = 0;
	int k;

	if (!g)
		return;
	k = find_name(op->s, operator_names, ARRAY_SIZE(operator_names));
	if (k < 0) {
		list_names(&accepted, operator_names,
			   ARRAY_SIZE(operator_names));
		error_at(p, &op->loc, "unknown operator '%s'; expected %s",
			 op->s, buf_str(&accepted));
		buf_release(&accepted);
		suggest(p, &op->loc, op->s, operator_names,
			ARRAY_SIZE(operator_names));
		return;
	}
	if (!*key->s) {
		error_at(p, &key->loc, "the condition key is empty");
		return;
	}
	c = arena_calloc(&p->u->arena, 1, sizeof(*c));
	c->key.s = key->s;
	c->key.loc = key->loc;
	c->op_loc = op->loc;
	c->loc = kw->loc;
	c->op = operator_ops[k];
	takes_list = c->op == COND_IN || c->op == COND_NOT_IN ||
		     c->op == COND_ANY_IN || c->op == COND_LIKE ||
		     c->op == COND_NOT_LIKE;
	c->values_is_list = v->kind == VALUE_LIST;
	if (v->kind == VALUE_LIST && !takes_list) {
		error_at(p, &v->loc, "'%s' takes one value; use 'in' for a "
			 "list", op->s);
		return;
	}
	c->values.items = arena_calloc(&p->u->arena,
				       v->kind == VALUE_LIST ? v->nitems + 1
							     : 1,
				       sizeof(*c->values.items));
	c->values.set = true;
	c->values.loc = v->loc;
	for (item = v->kind == VALUE_LIST ? v->items : v; item;
	     item = v->kind == VALUE_LIST ? item->next : NULL) {
		const char *text = condition_text(p, item);

		if (!text) {
			error_at(p, &item->loc, "condition values are strings, "
				 "numbers, dates or true/false, got %s",
				 kind_phrase(item->kind));
			continue;
		}
		c->values.items[i].s = text;
		c->values.items[i].loc = item->loc;
		i++;
	}
	c->values.n = i;
	if (v->kind == VALUE_LIST && !v->nitems)
		error_at(p, &v->loc, "the list of values is empty");

	*p->cond_tail = c;
	p->cond_tail = &c->next;
	g->nconds++;
}

void build_gate_begin(struct parser *p, const struct token *kw)
{
	struct gate *g = &p->u->gate;

	if (g->present) {
		if (kw->loc.src != g->loc.src)
			p->u->nclashes++;
		error_at(p, &kw->loc, "a second gate block; a unit has at "
			 "most one");
		note_at(p, &g->loc, "the first gate block is here");
		p->block = BLOCK_SKIPPED;
		return;
	}
	g->present = true;
	g->loc = kw->loc;
	p->item_syntax_errors = p->syntax_errors;
	p->block = BLOCK_GATE;
}

void build_resource_begin(struct parser *p, const struct token *kw,
			  const struct token *name)
{
	struct resource_class *rc = arena_calloc(&p->u->arena, 1,
						 sizeof(*rc));

	rc->name.s = name->s;
	rc->name.loc = name->loc;
	rc->loc = kw->loc;
	if (!*name->s)
		error_at(p, &name->loc, "resource class name is empty");
	p->rclass = rc;
	p->item_syntax_errors = p->syntax_errors;
	p->block = BLOCK_RESOURCE;
}

/* Suggest the rule id that a lowercase one spells, as in mnd104. */
static void suggest_rule_id(struct parser *p, const struct loc *loc,
			    const char *r)
{
	char upper[8];
	size_t i, n = strlen(r);

	if (n != 6)
		return;
	for (i = 0; i <= n; i++)
		upper[i] = (char)toupper((unsigned char)r[i]);
	if (rule_find(upper))
		note_at(p, loc, "did you mean '%s'?", upper);
}

void build_waive_begin(struct parser *p, const struct token *kw,
		       const struct token *rule, const struct token *agent,
		       const struct token *identity)
{
	struct waiver *w = arena_calloc(&p->u->arena, 1, sizeof(*w));
	const char *r = rule->s;

	w->rule.s = r;
	w->rule.loc = rule->loc;
	if (agent) {
		w->agent.s = agent->s;
		w->agent.loc = agent->loc;
	} else {
		w->identity.s = identity->s;
		w->identity.loc = identity->loc;
	}
	w->loc = kw->loc;
	if (strlen(r) != 6 || strncmp(r, "MND", 3) || !isdigit((unsigned char)r[3]) ||
	    !isdigit((unsigned char)r[4]) || !isdigit((unsigned char)r[5])) {
		error_at(p, &rule->loc, "'%s' is not a rule id; rule ids look "
			 "like MND104", r);
		suggest_rule_id(p, &rule->loc, r);
	} else if (!rule_find(r)) {
		error_at(p, &rule->loc, "unknown rule '%s'", r);
	} else if (!strcmp(r, "MND170") || !strcmp(r, "MND171")) {
		/* A waiver of these would silence the report on waivers. */
		error_at(p, &rule->loc, "rule '%s' reports on waivers and "
			 "cannot be waived; renew or remove the waiver it "
			 "reports", r);
	}
	p->waiver = w;
	p->item_syntax_errors = p->syntax_errors;
	p->block = BLOCK_WAIVE;
}

void build_escalation_begin(struct parser *p, const struct token *kw,
			    const struct token *name)
{
	struct escalation *e = arena_calloc(&p->u->arena, 1, sizeof(*e));

	e->name.s = name->s;
	e->name.loc = name->loc;
	e->loc = kw->loc;
	p->esc = e;
	p->item_syntax_errors = p->syntax_errors;
	p->block = BLOCK_ESCALATION;
}

/*
 * Report a required field that was not written, unless a syntax error
 * in the item may have swallowed it.
 */
static void missing(struct parser *p, const struct loc *at, const char *what,
		    const char *field, const char *example)
{
	if (p->syntax_errors != p->item_syntax_errors)
		return;
	error_at(p, at, "%s has no '%s'; add %s = %s", what, field, field,
		 example);
}

void build_top_end(struct parser *p)
{
	struct spec_unit *u = p->u;
	const char *what;

	switch (p->block) {
	case BLOCK_RESOURCE:
		what = arena_printf(&u->arena, "resource class '%s'",
				    p->rclass->name.s);
		if (!p->rclass->match.set)
			missing(p, &p->rclass->loc, what, "match",
				"[\"arn:aws:s3:::bucket/*\"]");
		*u->classes_tail = p->rclass;
		u->classes_tail = &p->rclass->next;
		u->nclasses++;
		p->rclass = NULL;
		break;
	case BLOCK_WAIVE:
		what = p->waiver->agent.s ?
		       arena_printf(&u->arena, "waiver of %s for '%s'",
				    p->waiver->rule.s, p->waiver->agent.s) :
		       arena_printf(&u->arena, "waiver of %s for identity "
				    "'%s'", p->waiver->rule.s,
				    p->waiver->identity.s);
		if (!p->waiver->until.set)
			missing(p, &p->waiver->loc, what, "until",
				"2027-01-31");
		if (!p->waiver->reason.s)
			missing(p, &p->waiver->loc, what, "reason",
				"\"why the finding is accepted\"");
		if (!p->waiver->approver.s)
			missing(p, &p->waiver->loc, what, "approver",
				"\"person@example.com\"");
		*u->waivers_tail = p->waiver;
		u->waivers_tail = &p->waiver->next;
		u->nwaivers++;
		p->waiver = NULL;
		break;
	case BLOCK_ESCALATION:
		what = arena_printf(&u->arena, "escalation path '%s'",
				    p->esc->name.s);
		if (!p->esc->requires.n)
			missing(p, &p->esc->loc, what, "requires",
				"[\"iam:PassRole\", \"lambda:CreateFunction\"]");
		*u->escalations_tail = p->esc;
		u->escalations_tail = &p->esc->next;
		u->nescalations++;
		p->esc = NULL;
		break;
	default:
		break;
	}
	p->block = BLOCK_NONE;
}
