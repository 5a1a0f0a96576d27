#include "common.h"
#include "adopt.h"

#include <strings.h>

#include "aws_policy.h"
#include "build.h"
#include "compile.h"
#include "last_access.h"
#include "match.h"
#include "source.h"

/* A grant or deny being built from one or more live statements. */
struct draft {
	bool deny;
	struct actset actions;
	const char **unlisted;		/* exact names the catalog lacks */
	size_t nunlisted;
	const char **resources;		/* sorted, distinct */
	size_t nres;
	const char **conds;		/* `when` lines, sorted */
	size_t nconds;
	const char **comments;		/* sources and notes, in order */
	size_t ncomments;
	const char *key;		/* deny, resources and conditions */
	const char *first;		/* the first action, for sorting */
};

/* An action or service left out as unused, for the closing comment. */
struct unused {
	const char *name;		/* "logs" or "s3:PutObject" */
	int32_t last;
	int32_t completed;		/* when the job that showed it ended */
};

/* A live Deny without conditions, which takes away what it covers. */
struct live_deny {
	const struct aws_statement *s;	/* read as 2012-10-17 */
	const char *label;		/* "inline policy 'p' statement 2" */
	struct actset actions;
};

struct adopter {
	const struct aws_state *st;
	const struct catalog *cat;
	const struct aws_entity *e;
	struct arena arena;		/* every string built here */
	struct live_deny *denies;
	size_t ndenies, denies_cap;
	/*
	 * The actions the permissions boundary allows, when the export has
	 * it (see read_boundary). boundary_note gives the reason grants may
	 * still be wider than the live access it allows.
	 */
	bool bounded;
	struct actset boundary;
	const char *boundary_note;
	struct draft *drafts;
	size_t ndrafts, drafts_cap;
	const char **skipped;		/* comments on what was not adopted */
	size_t nskipped, skipped_cap;
	struct unused *unused;
	size_t nunused, unused_cap;
	size_t ninexact;
};

/*
 * Notes about one statement, collected while it is converted. nexact
 * counts the notes on a change that keeps the spec exact, such as an
 * action a live deny takes away; the others say where it is not exact.
 */
struct notes {
	const char **v;
	size_t n, cap;
	size_t nexact;
};

static void note_add(struct adopter *ad, struct notes *n, const char *fmt,
		     ...) PRINTF_LIKE(3, 4);

static void note_add(struct adopter *ad, struct notes *n, const char *fmt,
		     ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	grow_array((void **)&n->v, &n->cap, n->n + 1, sizeof(*n->v));
	n->v[n->n++] = arena_strdup(&ad->arena, buf_str(&b));
	buf_release(&b);
}

static void skip_add(struct adopter *ad, const char *text)
{
	grow_array((void **)&ad->skipped, &ad->skipped_cap, ad->nskipped + 1,
		   sizeof(*ad->skipped));
	ad->skipped[ad->nskipped++] = text;
	ad->ninexact++;
}

/* Return whether the language can write s as a string. */
static bool writable(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') ||
		    *s == 0x7f)
			return false;
	return true;
}

/* Append s as a spec string literal; s must be writable. */
static void add_string(struct buf *out, const char *s)
{
	buf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addch(out, '\\');
		if (*s == '\n')
			buf_adds(out, "\\n");
		else if (*s == '\t')
			buf_adds(out, "\\t");
		else
			buf_addch(out, *s);
	}
	buf_addch(out, '"');
}

/*
 * Append a comment line: prefix, then text with control characters
 * shown as '?', so that a name from the export cannot end the comment
 * and put its rest into the spec.
 */
static void add_comment(struct buf *out, const char *prefix, const char *text)
{
	buf_adds(out, prefix);
	buf_add_printable(out, text);
	buf_addch(out, '\n');
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort v and drop repeats; returns the new count. */
static size_t sort_unique(const char **v, size_t n)
{
	size_t i, k = 0;

	sort_array(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		if (!k || strcmp(v[k - 1], v[i]))
			v[k++] = v[i];
	return k;
}

/* Split "ForAllValues:StringLike" into its set prefix and operator. */
static const char *split_op(const char *op, const char **set)
{
	*set = NULL;
	if (!strncasecmp(op, "ForAllValues:", 13)) {
		*set = "ForAllValues";
		return op + 13;
	}
	if (!strncasecmp(op, "ForAnyValue:", 12)) {
		*set = "ForAnyValue";
		return op + 12;
	}
	return op;
}

/* Return whether s has a Null condition on key with the value false. */
static bool requires_key(const struct aws_statement *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->nconds; i++)
		if (!strcasecmp(s->conds[i].op, "Null") &&
		    !strcasecmp(s->conds[i].key, key) &&
		    s->conds[i].nvalues == 1 &&
		    !strcmp(s->conds[i].values[0], "false"))
			return true;
	return false;
}

/*
 * Find the `when` operator that compiles to the IAM operator of live
 * condition c of statement s, for a key of type ck, so that the spec's
 * condition is the live one exactly. Returns it, or -1 with the reason
 * in *why.
 */
static int find_when_op(const struct aws_statement *s,
			const struct aws_condition *c,
			const struct cat_condition_key *ck, const char **why)
{
	static const enum cond_op lists[] = {
		COND_IN, COND_NOT_IN, COND_LIKE, COND_NOT_LIKE,
	};
	static const enum cond_op singles[] = {
		COND_EQ, COND_NE, COND_LT, COND_LE, COND_GT, COND_GE,
	};
	const char *set, *base = split_op(c->op, &set);
	const char *iam;
	size_t i;

	if (set && !ck->multivalued) {
		*why = "the key has one value";
		return -1;
	}
	if (!set && ck->multivalued) {
		*why = "the key has several values, so the spec writes "
		       "ForAllValues or ForAnyValue";
		return -1;
	}
	if (set && !strcmp(set, "ForAnyValue")) {
		iam = cond_iam_operator(ck->type, COND_ANY_IN);
		if (iam && !strcasecmp(iam, base))
			return COND_ANY_IN;
		*why = "any_in writes only ForAnyValue:StringEquals";
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		iam = cond_iam_operator(ck->type, lists[i]);
		if (!iam || strcasecmp(iam, base))
			continue;
		/* The spec adds a Null check to ForAllValues. */
		if (set && lists[i] != COND_NOT_IN &&
		    lists[i] != COND_NOT_LIKE && !requires_key(s, c->key)) {
			*why = "the spec would also require the key to be "
			       "present";
			return -1;
		}
		return lists[i];
	}
	/* '!=' on a Bool key flips the value, so '==' writes Bool. */
	for (i = 0; i < ARRAY_SIZE(singles) && c->nvalues == 1 && !set; i++) {
		iam = cond_iam_operator(ck->type, singles[i]);
		if (iam && !strcasecmp(iam, base) && singles[i] != COND_NE)
			return singles[i];
	}
	*why = "no 'when' operator writes it";
	return -1;
}

/*
 * Write the `when` line for live condition c of statement s into *out.
 * Returns 0, or -1 with the reason it cannot be written in *why.
 */
static int write_condition(struct adopter *ad, const struct aws_statement *s,
			   const struct aws_condition *c, const char **out,
			   const char **why)
{
	const struct cat_condition_key *ck;
	struct buf b = BUF_INIT;
	size_t i;
	int op;

	ck = catalog_find_condition_key(ad->cat, c->key);
	if (!ck) {
		*why = "the AWS catalog does not know the key";
		return -1;
	}
	if (!c->nvalues) {
		*why = "it has no values";
		return -1;
	}
	op = find_when_op(s, c, ck, why);
	if (op < 0)
		return -1;
	if (c->nvalues > SPEC_LIST_MAX) {
		*why = "it has more values than a spec list may hold";
		return -1;
	}
	for (i = 0; i < c->nvalues; i++) {
		if (strlen(c->values[i]) > SPEC_STRING_MAX) {
			*why = "a value is longer than a spec string may be";
			return -1;
		}
		if (!writable(c->values[i]) ||
		    cond_value_problem(ck->type, c->values[i])) {
			*why = "a value does not fit the key's type";
			return -1;
		}
	}
	if (!writable(c->key)) {
		*why = "the key holds control characters";
		return -1;
	}
	buf_adds(&b, "when ");
	add_string(&b, c->key);
	buf_addf(&b, " %s ", cond_op_name((enum cond_op)op));
	if (op == COND_IN || op == COND_NOT_IN || op == COND_LIKE ||
	    op == COND_NOT_LIKE || op == COND_ANY_IN) {
		buf_addch(&b, '[');
		for (i = 0; i < c->nvalues; i++) {
			if (i)
				buf_adds(&b, ", ");
			add_string(&b, c->values[i]);
		}
		buf_addch(&b, ']');
	} else {
		add_string(&b, c->values[0]);
	}
	/* The condition is written on one line, indented by four. */
	if (b.len + 4 > SPEC_LINE_MAX) {
		buf_release(&b);
		*why = "its values do not fit on one spec line";
		return -1;
	}
	*out = arena_strdup(&ad->arena, buf_str(&b));
	buf_release(&b);
	return 0;
}

/* Return whether c is a Null check that a ForAllValues `when` writes. */
static bool implied_null(const struct aws_statement *s,
			 const struct aws_condition *c)
{
	size_t i;

	if (strcasecmp(c->op, "Null") || c->nvalues != 1 ||
	    strcmp(c->values[0], "false"))
		return false;
	for (i = 0; i < s->nconds; i++) {
		const char *set, *base = split_op(s->conds[i].op, &set);

		/* Negated operators (StringNotEquals...) get no Null. */
		if (set && !strcmp(set, "ForAllValues") &&
		    !strstr(base, "Not") &&
		    !strcasecmp(s->conds[i].key, c->key))
			return true;
	}
	return false;
}

/*
 * Convert the statement's conditions. An allow leaves out what cannot
 * be written, with a note; a deny cannot, so it fails with *why set.
 */
static int convert_conditions(struct adopter *ad, const struct aws_statement *s,
			      struct draft *dr, struct notes *notes,
			      const char **why)
{
	size_t i;

	dr->conds = arena_calloc(&ad->arena, s->nconds + 1,
				 sizeof(*dr->conds));
	for (i = 0; i < s->nconds; i++) {
		const struct aws_condition *c = &s->conds[i];
		const char *line, *reason;

		if (implied_null(s, c))
			continue;
		if (!write_condition(ad, s, c, &line, &reason)) {
			dr->conds[dr->nconds++] = line;
			continue;
		}
		if (s->deny) {
			*why = arena_printf(&ad->arena, "its condition '%s' on "
					    "'%s' cannot be written (%s)",
					    c->op, c->key, reason);
			return -1;
		}
		note_add(ad, notes, "condition '%s' on '%s' left out (%s), so "
			 "the grant is broader than the live statement", c->op,
			 c->key, reason);
	}
	dr->nconds = sort_unique(dr->conds, dr->nconds);
	return 0;
}

/* Expand the statement's Action or NotAction into dr->actions. */
static void expand_actions(struct adopter *ad, const struct aws_statement *s,
			   struct draft *dr, struct notes *notes)
{
	uint32_t n = catalog_count(ad->cat), id;
	size_t i;

	actset_init(&dr->actions, n);
	dr->unlisted = arena_calloc(&ad->arena, s->nactions + 1,
				    sizeof(*dr->unlisted));
	for (i = 0; i < s->nactions; i++) {
		const char *a = s->actions[i];

		if (catalog_match_actions(ad->cat, a, &dr->actions) > 0 ||
		    s->not_action)
			continue;
		if (has_wildcard(a)) {
			note_add(ad, notes, "'%s' matches no action of the AWS "
				 "catalog", a);
		} else if (compile_plain_action(a) && writable(a)) {
			dr->unlisted[dr->nunlisted++] = a;
			note_add(ad, notes, "'%s' is not in the AWS catalog; "
				 "the spec names it, and check reports it as "
				 "unknown", a);
		} else {
			note_add(ad, notes, "'%s' is not in the AWS catalog, "
				 "so the spec cannot %s it", a,
				 s->deny ? "deny" : "grant");
		}
	}
	dr->nunlisted = sort_unique(dr->unlisted, dr->nunlisted);
	if (s->not_action) {
		struct actset all;

		actset_init(&all, n);
		for (id = 0; id < n; id++)
			actset_add(&all, id);
		actset_subtract(&all, &dr->actions);
		actset_release(&dr->actions);
		dr->actions = all;
		note_add(ad, notes, "NotAction: every action of the AWS catalog "
			 "but the %zu pattern%s listed", s->nactions,
			 plural((long long)s->nactions));
	}
}

/*
 * Keep the actions that act on some resource of the draft and the
 * resources that some action acts on, as the compiler expands grants.
 */
static void keep_applicable(struct adopter *ad, struct draft *dr,
			    struct notes *notes)
{
	uint32_t n = catalog_count(ad->cat), id;
	struct actset kept;
	bool *used = xcalloc(dr->nres + 1, sizeof(*used));
	size_t i, k = 0;

	actset_init(&kept, n);
	actset_foreach(&dr->actions, id) {
		const struct cat_action *a = catalog_action(ad->cat, id);

		for (i = 0; i < dr->nres; i++)
			if (catalog_action_applies(ad->cat, a,
						   dr->resources[i])) {
				actset_add(&kept, id);
				used[i] = true;
			}
	}
	actset_release(&dr->actions);
	dr->actions = kept;
	for (i = 0; i < dr->nres; i++) {
		/* The catalog cannot say what an unlisted action acts on. */
		if (used[i] || dr->nunlisted)
			dr->resources[k++] = dr->resources[i];
		else if (kept.count)
			note_add(ad, notes, "no action of the statement acts "
				 "on '%s'; left out", dr->resources[i]);
	}
	dr->nres = k;
	free(used);
}

static void add_unused(struct adopter *ad, const char *name, int32_t last,
		       int32_t completed)
{
	size_t i;

	for (i = 0; i < ad->nunused; i++)
		if (!strcmp(ad->unused[i].name, name))
			return;
	grow_array((void **)&ad->unused, &ad->unused_cap, ad->nunused + 1,
		   sizeof(*ad->unused));
	ad->unused[ad->nunused++] = (struct unused){ name, last, completed };
}

/* Leave out the actions that service-last-accessed data shows unused. */
static void drop_unused(struct adopter *ad, struct draft *dr)
{
	struct actset kept;
	uint32_t id;

	actset_init(&kept, catalog_count(ad->cat));
	actset_foreach(&dr->actions, id) {
		const struct cat_action *a = catalog_action(ad->cat, id);
		const struct aws_service_access *entry;
		int32_t last;
		bool by_action;

		if (last_access_judge(ad->st, ad->e->arn, ad->cat, a, &entry,
				      &last, &by_action) != LAST_ACCESS_UNUSED) {
			actset_add(&kept, id);
			continue;
		}
		add_unused(ad, by_action ? catalog_text(ad->cat, a->name)
					 : entry->service, last,
			   entry->completed);
	}
	actset_release(&dr->actions);
	dr->actions = kept;
}

static const char *statement_label(struct adopter *ad, const char *source,
				   const struct aws_statement *s)
{
	if (s->sid && *s->sid && writable(s->sid))
		return arena_printf(&ad->arena, "%s statement '%s'", source,
				    s->sid);
	return arena_printf(&ad->arena, "%s statement %u", source,
			    s->index + 1);
}

static void set_resources(struct adopter *ad, const struct aws_statement *s,
			  struct draft *dr)
{
	size_t i;

	dr->resources = arena_calloc(&ad->arena, s->nresources + 1,
				     sizeof(*dr->resources));
	for (i = 0; i < s->nresources; i++)
		dr->resources[dr->nres++] = s->resources[i];
	dr->nres = sort_unique(dr->resources, dr->nres);
}

static const char *draft_key(struct adopter *ad, const struct draft *dr)
{
	struct buf b = BUF_INIT;
	const char *key;
	size_t i;

	buf_addch(&b, dr->deny ? 'D' : 'A');
	for (i = 0; i < dr->nres; i++)
		buf_addf(&b, "\x1f%s", dr->resources[i]);
	buf_addch(&b, '\x1e');
	for (i = 0; i < dr->nconds; i++)
		buf_addf(&b, "\x1f%s", dr->conds[i]);
	key = arena_strdup(&ad->arena, buf_str(&b));
	buf_release(&b);
	return key;
}

/* Return why the resources of s cannot be written, or NULL. */
static const char *resource_problem(const struct aws_statement *s)
{
	size_t i;

	if (s->not_resource && s->deny)
		return "it uses NotResource, which a deny cannot write";
	if (s->nresources > SPEC_LIST_MAX)
		return "it names more resources than a spec list may hold";
	for (i = 0; i < s->nresources; i++) {
		if (!writable(s->resources[i]) || !*s->resources[i])
			return "a resource cannot be written as a string";
		if (strlen(s->resources[i]) > SPEC_STRING_MAX)
			return "a resource is longer than a spec string may be";
	}
	return NULL;
}

static void add_draft(struct adopter *ad, struct draft *dr,
		      const char *label, struct notes *notes)
{
	size_t i;

	dr->comments = arena_calloc(&ad->arena, notes->n + 2,
				    sizeof(*dr->comments));
	dr->comments[dr->ncomments++] = arena_printf(&ad->arena, "from %s",
						     label);
	for (i = 0; i < notes->n; i++)
		dr->comments[dr->ncomments++] = notes->v[i];
	ad->ninexact += notes->n - notes->nexact;
	dr->key = draft_key(ad, dr);
	grow_array((void **)&ad->drafts, &ad->drafts_cap, ad->ndrafts + 1,
		   sizeof(*ad->drafts));
	ad->drafts[ad->ndrafts++] = *dr;
}

/* Expand the Action or NotAction of s into set, which this initializes. */
static void statement_actions(struct adopter *ad, const struct aws_statement *s,
			      struct actset *set)
{
	uint32_t n = catalog_count(ad->cat), id;
	struct actset listed;
	size_t i;

	actset_init(set, n);
	actset_init(&listed, n);
	for (i = 0; i < s->nactions; i++)
		catalog_match_actions(ad->cat, s->actions[i], &listed);
	if (!s->not_action) {
		actset_union(set, &listed);
	} else {
		for (id = 0; id < n; id++)
			actset_add(set, id);
		actset_subtract(set, &listed);
	}
	actset_release(&listed);
}

/* Return whether the Action or NotAction of s names action. */
static bool statement_names(const struct aws_statement *s, const char *action)
{
	size_t i;

	for (i = 0; i < s->nactions; i++)
		if (match_action(s->actions[i], action))
			return !s->not_action;
	return s->not_action;
}

/* Return whether the Resource or NotResource of s covers pattern. */
static bool statement_covers(const struct aws_statement *s,
			     const char *pattern)
{
	size_t i;

	for (i = 0; i < s->nresources; i++) {
		if (s->not_resource &&
		    match_resource_overlap(s->resources[i], pattern))
			return false;
		if (!s->not_resource &&
		    match_resource_covers(s->resources[i], pattern))
			return true;
	}
	return s->not_resource;
}

static void add_deny(struct adopter *ad, const char *source,
		     const struct aws_statement *s)
{
	struct live_deny *d;

	if (!s->deny || s->nconds)
		return;
	grow_array((void **)&ad->denies, &ad->denies_cap, ad->ndenies + 1,
		   sizeof(*ad->denies));
	d = &ad->denies[ad->ndenies++];
	d->s = s;
	d->label = statement_label(ad, source, s);
	statement_actions(ad, s, &d->actions);
}

static void add_denies_of(struct adopter *ad, const char *source,
			  const struct aws_policy_doc *doc)
{
	size_t i;

	if (!doc)
		return;
	doc = aws_policy_as_2012(&ad->arena, doc);
	for (i = 0; i < doc->nstmts; i++)
		add_deny(ad, source, &doc->stmts[i]);
}

/*
 * Gather the live denies without conditions of e, its groups and its
 * permissions boundary: a grant leaves out what they take away.
 */
static void collect_denies(struct adopter *ad)
{
	const struct aws_entity *e = ad->e;
	size_t i, j;

	for (i = 0; i <= e->ngroups; i++) {
		const struct aws_entity *h = i ? e->groups[i - 1] : e;
		const char *who = h == e ? "" :
			arena_printf(&ad->arena, "group '%s' ", h->name);

		for (j = 0; j < h->ninline; j++) {
			const struct aws_inline_policy *p =
				&h->inline_policies[j];

			add_denies_of(ad, arena_printf(&ad->arena, "%sinline "
						       "policy '%s'", who,
						       p->name), p->doc);
		}
		for (j = 0; j < h->nattached; j++) {
			const struct aws_managed_policy *p =
				h->attached[j].policy;

			if (p)
				add_denies_of(ad, arena_printf(&ad->arena,
							       "%smanaged "
							       "policy '%s'",
							       who, p->name),
					      p->doc);
		}
	}
	if (e->boundary.policy)
		add_denies_of(ad, arena_printf(&ad->arena, "permissions "
					       "boundary '%s'",
					       e->boundary.policy->name),
			      e->boundary.policy->doc);
}

/*
 * Return the first live deny that takes away action (catalog id, or
 * ACTSET_END for an unlisted name) on every resource of dr that the
 * action acts on, or NULL. Each resource may be covered by another
 * deny; the first is returned.
 */
static const struct live_deny *denied(const struct adopter *ad,
				      const struct draft *dr, uint32_t id,
				      const char *name)
{
	const struct live_deny *first = NULL;
	size_t i, k;

	for (i = 0; i < dr->nres; i++) {
		if (id != ACTSET_END &&
		    !catalog_action_applies(ad->cat, catalog_action(ad->cat, id),
					    dr->resources[i]))
			continue;
		for (k = 0; k < ad->ndenies; k++) {
			const struct live_deny *d = &ad->denies[k];
			bool named = id == ACTSET_END
					     ? statement_names(d->s, name)
					     : actset_has(&d->actions, id);

			if (named && statement_covers(d->s, dr->resources[i]))
				break;
		}
		if (k == ad->ndenies)
			return NULL;
		if (!first)
			first = &ad->denies[k];
	}
	return first;
}

/*
 * Leave out of an allow the actions that a live deny without
 * conditions takes away on all its resources: granting them would only
 * be reported as not deployed (MND211).
 */
static void drop_denied(struct adopter *ad, struct draft *dr,
			struct notes *notes)
{
	const struct live_deny *by = NULL, *d;
	const char *example = NULL;
	struct actset removed;
	size_t i, k = 0, n = 0;
	uint32_t id;

	if (!ad->ndenies || !dr->nres)
		return;
	actset_init(&removed, catalog_count(ad->cat));
	actset_foreach(&dr->actions, id) {
		d = denied(ad, dr, id, NULL);
		if (!d)
			continue;
		actset_add(&removed, id);
		if (!n++) {
			by = d;
			example = catalog_action_name(ad->cat, id);
		}
	}
	actset_subtract(&dr->actions, &removed);
	actset_release(&removed);
	for (i = 0; i < dr->nunlisted; i++) {
		d = denied(ad, dr, ACTSET_END, dr->unlisted[i]);
		if (!d) {
			dr->unlisted[k++] = dr->unlisted[i];
			continue;
		}
		if (!n++) {
			by = d;
			example = dr->unlisted[i];
		}
	}
	dr->nunlisted = k;
	if (n == 1)
		note_add(ad, notes, "'%s' left out: %s denies it without "
			 "conditions", example, by->label);
	else if (n)
		note_add(ad, notes, "%zu actions left out that live denies "
			 "without conditions take away, such as '%s' by %s", n,
			 example, by->label);
	notes->nexact += n > 0;
}

/*
 * Return what of the permissions boundary doc grants cannot follow, or
 * NULL when they follow it exactly. Grants take only the actions of its
 * Allow statements, which is exact for statements on "*" without
 * conditions. Its Deny statements without conditions are applied as the
 * identity's own denies are.
 */
static const char *boundary_problem(const struct aws_policy_doc *doc)
{
	size_t i, j;

	for (i = 0; i < doc->nstmts; i++) {
		const struct aws_statement *s = &doc->stmts[i];

		if (s->nconds)
			return "conditions";
		if (s->deny)
			continue;
		if (s->not_resource)
			return "NotResource";
		for (j = 0; j < s->nresources; j++)
			if (strcmp(s->resources[j], "*"))
				return "resources other than '*'";
	}
	return NULL;
}

/*
 * Read the actions the permissions boundary allows into ad->boundary.
 * Any request the boundary allows is for one of them, so a grant
 * narrowed to them still covers the live access.
 */
static void read_boundary(struct adopter *ad)
{
	const struct aws_policy_ref *ref = &ad->e->boundary;
	const struct aws_policy_doc *doc;
	const char *why;
	struct actset allowed;
	size_t i;

	if (!ref->arn)
		return;
	if (!ref->policy || !ref->policy->doc) {
		ad->boundary_note = "the permissions boundary is not in the "
				    "export, so the grants may be wider than "
				    "the live access it allows";
		return;
	}
	doc = ref->policy->doc;
	why = boundary_problem(doc);
	if (why)
		ad->boundary_note = arena_printf(&ad->arena, "the grants take "
						 "only the actions of the "
						 "permissions boundary, not "
						 "its %s, so they may be wider "
						 "than the live access it "
						 "allows", why);
	actset_init(&ad->boundary, catalog_count(ad->cat));
	for (i = 0; i < doc->nstmts; i++) {
		if (doc->stmts[i].deny)
			continue;
		statement_actions(ad, &doc->stmts[i], &allowed);
		actset_union(&ad->boundary, &allowed);
		actset_release(&allowed);
	}
	ad->bounded = true;
}

/* Return whether an Allow of the boundary names action. */
static bool boundary_allows(const struct adopter *ad, const char *action)
{
	const struct aws_policy_doc *doc = ad->e->boundary.policy->doc;
	size_t i;

	for (i = 0; i < doc->nstmts; i++)
		if (!doc->stmts[i].deny &&
		    statement_names(&doc->stmts[i], action))
			return true;
	return false;
}

/* Leave out of an allow the actions the permissions boundary keeps out. */
static void apply_boundary(struct adopter *ad, struct draft *dr,
			   struct notes *notes)
{
	struct actset outside;
	size_t i, k = 0, n;
	uint32_t id;

	if (!ad->bounded)
		return;
	actset_init(&outside, catalog_count(ad->cat));
	actset_foreach(&dr->actions, id)
		if (!actset_has(&ad->boundary, id))
			actset_add(&outside, id);
	n = outside.count;
	actset_subtract(&dr->actions, &outside);
	actset_release(&outside);
	for (i = 0; i < dr->nunlisted; i++)
		if (boundary_allows(ad, dr->unlisted[i]))
			dr->unlisted[k++] = dr->unlisted[i];
	n += dr->nunlisted - k;
	dr->nunlisted = k;
	if (n)
		note_add(ad, notes, "%zu action%s left out that the "
			 "permissions boundary '%s' does not allow", n,
			 plural((long long)n), ad->e->boundary.policy->name);
	notes->nexact += n > 0;
}

/* Convert one live statement into a draft, or a comment saying why not. */
static void adopt_statement(struct adopter *ad, const char *source,
			    const struct aws_statement *s, bool escaped)
{
	const char *label = statement_label(ad, source, s);
	const char *why = resource_problem(s);
	struct draft dr;
	struct notes notes = { NULL, 0, 0, 0 };

	memset(&dr, 0, sizeof(dr));
	dr.deny = s->deny;
	if (why) {
		skip_add(ad, arena_printf(&ad->arena, "%s is not adopted: %s",
					  label, why));
		return;
	}
	if (convert_conditions(ad, s, &dr, &notes, &why)) {
		skip_add(ad, arena_printf(&ad->arena, "%s is not adopted: %s, "
					  "so the spec denies less than the "
					  "live policy", label, why));
		free(notes.v);
		return;
	}
	expand_actions(ad, s, &dr, &notes);
	if (s->not_resource) {
		static const char *const everything[] = { "*" };

		dr.resources = arena_calloc(&ad->arena, 1,
					    sizeof(*dr.resources));
		dr.resources[0] = everything[0];
		dr.nres = 1;
		note_add(ad, &notes, "NotResource: the grant is on every "
			 "resource, more than the live statement");
	} else {
		set_resources(ad, s, &dr);
	}
	if (!s->deny) {
		apply_boundary(ad, &dr, &notes);
		drop_denied(ad, &dr, &notes);
	}
	keep_applicable(ad, &dr, &notes);
	if (!s->deny && aws_has_service_access(ad->st, ad->e->arn))
		drop_unused(ad, &dr);
	if ((!dr.actions.count && !dr.nunlisted) || !dr.nres) {
		actset_release(&dr.actions);
		if (notes.n)
			skip_add(ad, arena_printf(&ad->arena, "%s grants "
						  "nothing the spec can write: "
						  "%s", label, notes.v[0]));
		free(notes.v);
		return;
	}
	if (escaped) {
		note_add(ad, &notes, "the live policy's Version is not "
			 "2012-10-17, so IAM reads '${' in it as literal text; "
			 "written '${$}{' to stay literal");
		notes.nexact++;
	}
	add_draft(ad, &dr, label, &notes);
	free(notes.v);
}

static void adopt_document(struct adopter *ad, const char *source,
			   const struct aws_policy_doc *doc)
{
	const struct aws_policy_doc *literal;
	size_t i;

	if (!doc)
		return;
	literal = aws_policy_as_2012(&ad->arena, doc);
	for (i = 0; i < doc->nstmts; i++) {
		const struct aws_statement *s = &literal->stmts[i];

		adopt_statement(ad, source, s,
				s->resources != doc->stmts[i].resources ||
				s->conds != doc->stmts[i].conds);
	}
}

/* Adopt the policies of e itself or of one of its groups. */
static void adopt_holder(struct adopter *ad, const struct aws_entity *h)
{
	const char *who = h == ad->e ? "" :
		arena_printf(&ad->arena, "group '%s' ", h->name);
	size_t i;

	for (i = 0; i < h->ninline; i++)
		adopt_document(ad, arena_printf(&ad->arena, "%sinline policy "
						"'%s'", who,
						h->inline_policies[i].name),
			       h->inline_policies[i].doc);
	for (i = 0; i < h->nattached; i++) {
		const struct aws_policy_ref *ref = &h->attached[i];

		/* The importer has warned of it. */
		if (!ref->policy) {
			skip_add(ad, arena_printf(&ad->arena, "%smanaged policy "
						  "'%s' is not in the export; "
						  "its permissions are not "
						  "adopted", who, ref->arn));
			continue;
		}
		adopt_document(ad, arena_printf(&ad->arena, "%smanaged policy "
						"'%s'", who, ref->policy->name),
			       ref->policy->doc);
	}
}

static void adopt_groups(struct adopter *ad)
{
	const struct aws_entity *e = ad->e;
	size_t i, j;

	for (i = 0; i < e->ngroups; i++)
		adopt_holder(ad, e->groups[i]);
	for (i = 0; i < e->ngroup_names; i++) {
		for (j = 0; j < e->ngroups; j++)
			if (!strcmp(e->groups[j]->name, e->group_names[i]))
				break;
		if (j < e->ngroups)
			continue;
		skip_add(ad, arena_printf(&ad->arena, "group '%s' is not in "
					  "the export; its permissions are not "
					  "adopted", e->group_names[i]));
	}
}

static int cmp_drafts_key(const void *a, const void *b)
{
	const struct draft *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/*
 * Merge drafts[i..j), which agree on their key, into drafts[i]. Each
 * list is built once for the whole run, so that merging n statements
 * costs time and memory in proportion to n.
 */
static void merge_run(struct adopter *ad, size_t i, size_t j)
{
	struct draft *into = &ad->drafts[i];
	size_t k, ncomments = 0, nunlisted = 0;
	const char **comments, **unlisted;

	for (k = i; k < j; k++) {
		ncomments += ad->drafts[k].ncomments;
		nunlisted += ad->drafts[k].nunlisted;
	}
	comments = arena_calloc(&ad->arena, ncomments + 1, sizeof(*comments));
	unlisted = arena_calloc(&ad->arena, nunlisted + 1, sizeof(*unlisted));
	ncomments = nunlisted = 0;
	for (k = i; k < j; k++) {
		struct draft *dr = &ad->drafts[k];

		memcpy(comments + ncomments, dr->comments,
		       dr->ncomments * sizeof(*comments));
		ncomments += dr->ncomments;
		memcpy(unlisted + nunlisted, dr->unlisted,
		       dr->nunlisted * sizeof(*unlisted));
		nunlisted += dr->nunlisted;
		if (k > i) {
			actset_union(&into->actions, &dr->actions);
			actset_release(&dr->actions);
		}
	}
	into->comments = comments;
	into->ncomments = ncomments;
	into->unlisted = unlisted;
	into->nunlisted = sort_unique(unlisted, nunlisted);
}

/* Merge drafts that agree on deny, resources and conditions. */
static void merge_drafts(struct adopter *ad)
{
	size_t i, j, k = 0;

	sort_array(ad->drafts, ad->ndrafts, sizeof(*ad->drafts),
		   cmp_drafts_key);
	for (i = 0; i < ad->ndrafts; i = j) {
		for (j = i + 1; j < ad->ndrafts &&
		     !strcmp(ad->drafts[i].key, ad->drafts[j].key); j++)
			;
		merge_run(ad, i, j);
		ad->drafts[k++] = ad->drafts[i];
	}
	ad->ndrafts = k;
}

/*
 * Return the draft's actions as written: "*" for the whole catalog,
 * "svc:*" for every action of a service, else each name; sorted.
 */
static const char **render_actions(struct adopter *ad, const struct draft *dr,
				   size_t *n)
{
	const struct catalog *cat = ad->cat;
	const char **v = arena_calloc(&ad->arena, dr->actions.count +
				      dr->nunlisted + 1, sizeof(*v));
	uint32_t id = actset_next(&dr->actions, 0);
	size_t i;

	*n = 0;
	if (dr->actions.count == catalog_count(cat)) {
		v[(*n)++] = "*";
		return v;
	}
	while (id != ACTSET_END) {
		const struct cat_service *svc =
			catalog_service(cat, catalog_action(cat, id)->service);
		uint32_t end = svc->first + svc->count, k, have = 0;

		for (k = svc->first; k < end; k++)
			have += actset_has(&dr->actions, k);
		if (have == svc->count) {
			v[(*n)++] = arena_printf(&ad->arena, "%s:*",
						 catalog_text(cat, svc->prefix));
		} else {
			for (k = svc->first; k < end; k++)
				if (actset_has(&dr->actions, k))
					v[(*n)++] = catalog_action_name(cat,
								   k);
		}
		id = actset_next(&dr->actions, end);
	}
	for (i = 0; i < dr->nunlisted; i++)
		v[(*n)++] = dr->unlisted[i];
	sort_array(v, *n, sizeof(*v), cmp_str);
	return v;
}

static int cmp_drafts_order(const void *a, const void *b)
{
	const struct draft *x = a, *y = b;
	int c;

	if (x->deny != y->deny)
		return x->deny ? 1 : -1;
	c = strcmp(x->first, y->first);
	return c ? c : strcmp(x->key, y->key);
}

/*
 * Append a list of strings as one line when it fits in width columns,
 * else one item a line, for a field indented by indent columns; a
 * single resource needs no brackets.
 */
static void add_list(struct buf *out, const char *const *v, size_t n,
		     size_t width, size_t indent, bool brackets)
{
	size_t i, len = 2;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 4;
	if (n == 1 && !brackets) {
		add_string(out, v[0]);
		return;
	}
	if (len <= width) {
		buf_addch(out, '[');
		for (i = 0; i < n; i++) {
			if (i)
				buf_adds(out, ", ");
			add_string(out, v[i]);
		}
		buf_addch(out, ']');
		return;
	}
	buf_adds(out, "[\n");
	for (i = 0; i < n; i++) {
		buf_addf(out, "%*s", (int)indent + 2, "");
		add_string(out, v[i]);
		buf_adds(out, ",\n");
	}
	buf_addf(out, "%*s]", (int)indent, "");
}

static bool reaches(const struct adopter *ad, const struct draft *dr,
		    unsigned levels)
{
	uint32_t id;

	actset_foreach(&dr->actions, id)
		if (catalog_action(ad->cat, id)->level & levels)
			return true;
	return false;
}

/*
 * Return the columns the text after the last newline of out takes. The
 * search runs back from the end, so it costs the length of that line,
 * not of the whole spec written so far.
 */
static size_t line_length(const struct buf *out)
{
	size_t n = out->len;

	while (n && out->data[n - 1] != '\n')
		n--;
	return out->len - n;
}

static void write_draft(struct adopter *ad, struct buf *out,
			const struct draft *dr)
{
	size_t nactions, i, len;
	const char **actions = render_actions(ad, dr, &nactions);
	struct buf res = BUF_INIT;

	buf_addch(out, '\n');
	for (i = 0; i < dr->ncomments; i++)
		add_comment(out, "  # ", dr->comments[i]);
	buf_addf(out, "  %s actions ", dr->deny ? "deny" : "grant");
	add_list(out, actions, nactions, 60, 2, true);
	add_list(&res, dr->resources, dr->nres, 70, 2, false);
	len = strchr(buf_str(&res), '\n') ? 0 : res.len;
	if (line_length(out) + 4 + len + 2 <= 80)
		buf_adds(out, " on ");
	else
		buf_adds(out, "\n        on ");
	buf_adds(out, buf_str(&res));
	buf_release(&res);
	if (dr->deny && !dr->nconds) {
		buf_addch(out, '\n');
		return;
	}
	buf_adds(out, " {\n");
	if (!dr->deny)
		buf_adds(out, "    # TODO: because = \"why the agent needs "
			 "this access\"\n");
	if (!dr->deny && reaches(ad, dr, ACCESS_PERMISSIONS))
		buf_adds(out, "    # TODO: approver = \"who approved this "
			 "permissions-management access\"\n");
	for (i = 0; i < dr->nconds; i++)
		buf_addf(out, "    %s\n", dr->conds[i]);
	buf_adds(out, "  }\n");
}

/*
 * Return whether a spec can name arn: the policy emitter needs a 12-digit
 * account id and a name of letters, digits and ._-+=,@ (as IAM allows),
 * at most 128 characters long.
 */
static bool spec_arn_valid(const char *arn)
{
	const char *p = strchr(arn + 4, ':'), *name = strrchr(arn, '/');
	size_t i;

	if (strncmp(arn, "arn:", 4) || !p || strncmp(p, ":iam::", 6) ||
	    !name || !name[1] || strlen(name + 1) > 128)
		return false;
	for (i = 0, p += 6; i < 12; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	if (p[12] != ':')
		return false;
	for (p = name + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-+=,@", *p)))
			return false;
	return writable(arn);
}

/*
 * Return the action that the trust policy emitted for trusted_by gives
 * live principal p, or NULL when trusted_by cannot write p. Service
 * principals, accounts and IAM ARNs get sts:AssumeRole, SAML provider
 * ARNs sts:AssumeRoleWithSAML and OIDC provider ARNs
 * sts:AssumeRoleWithWebIdentity. A Federated principal named by host,
 * such as "accounts.google.com" or "cognito-identity.amazonaws.com",
 * has no form in trusted_by.
 */
static const char *trust_action(const struct aws_principal *p)
{
	const char *v = p->value;
	bool arn = !strncmp(v, "arn:", 4);
	bool saml = arn && strstr(v, ":saml-provider/");
	bool oidc = arn && strstr(v, ":oidc-provider/");
	size_t i;

	if (!writable(v) || !strcmp(v, "*"))
		return NULL;
	if (!strcmp(p->type, "Service"))
		return !arn && strstr(v, ".amazonaws.com") ? "sts:AssumeRole"
							   : NULL;
	if (!strcmp(p->type, "Federated"))
		return saml ? "sts:AssumeRoleWithSAML"
		       : oidc ? "sts:AssumeRoleWithWebIdentity" : NULL;
	if (strcmp(p->type, "AWS") || saml || oidc)
		return NULL;
	if (arn)
		return "sts:AssumeRole";
	for (i = 0; i < 12; i++)
		if (v[i] < '0' || v[i] > '9')
			return NULL;
	return v[12] ? NULL : "sts:AssumeRole";
}

/*
 * Note each action of trust statement s that the emitted trust policy
 * does not give the principals adopted from it, whose actions are
 * kept[0..nkept).
 */
static void note_trust_actions(struct adopter *ad, struct notes *notes,
			       const struct aws_statement *s,
			       const char **kept, size_t nkept)
{
	size_t i, k;

	if (s->not_action) {
		note_add(ad, notes, "trust statement %u uses NotAction, which "
			 "trusted_by cannot write", s->index + 1);
		return;
	}
	for (i = 0; i < s->nactions; i++) {
		for (k = 0; k < nkept; k++)
			if (!strcasecmp(s->actions[i], kept[k]))
				break;
		if (k == nkept && nkept)
			note_add(ad, notes, "trust statement %u allows '%s', "
				 "which trusted_by cannot write", s->index + 1,
				 writable(s->actions[i]) ? s->actions[i] : "?");
	}
}

/*
 * Add the principals of trust statement s that trusted_by can write to
 * v, and note the others.
 */
static void adopt_trust_statement(struct adopter *ad, struct notes *notes,
				  const struct aws_statement *s,
				  const char ***v, size_t *n, size_t *cap)
{
	const char *kept[3];
	size_t nkept = 0, j, k;

	if (s->deny || s->not_principal) {
		note_add(ad, notes, "trust statement %u (%s) is not adopted",
			 s->index + 1, s->deny ? "Deny" : "NotPrincipal");
		return;
	}
	if (s->nconds)
		note_add(ad, notes, "trust statement %u has conditions, which "
			 "trusted_by cannot write", s->index + 1);
	for (j = 0; j < s->nprincipals; j++) {
		const struct aws_principal *p = &s->principals[j];
		const char *action = trust_action(p);

		if (!action) {
			note_add(ad, notes, "trust statement %u admits %s "
				 "principal '%s', which trusted_by cannot "
				 "write; check reports it as MND212",
				 s->index + 1, writable(p->type) ? p->type : "?",
				 writable(p->value) ? p->value : "?");
			continue;
		}
		grow_array((void **)v, cap, *n + 1, sizeof(**v));
		(*v)[(*n)++] = p->value;
		for (k = 0; k < nkept && strcmp(kept[k], action); k++)
			;
		if (k == nkept)
			kept[nkept++] = action;
	}
	note_trust_actions(ad, notes, s, kept, nkept);
}

/* Write trusted_by from the role's trust policy, and what it leaves out. */
static void write_trust(struct adopter *ad, struct buf *out)
{
	const struct aws_policy_doc *trust = ad->e->trust;
	const char **v = NULL;
	size_t n = 0, cap = 0, i;
	struct notes notes = { NULL, 0, 0, 0 };

	for (i = 0; trust && i < trust->nstmts; i++)
		adopt_trust_statement(ad, &notes, &trust->stmts[i], &v, &n,
				      &cap);
	n = sort_unique(v, n);
	for (i = 0; i < notes.n; i++)
		add_comment(out, "    # ", notes.v[i]);
	ad->ninexact += notes.n;
	if (n) {
		buf_adds(out, "    trusted_by = ");
		add_list(out, v, n, 60, 4, false);
		buf_addch(out, '\n');
	}
	free(v);
	free(notes.v);
}

static void write_identity(struct adopter *ad, struct buf *out)
{
	const struct aws_entity *e = ad->e;
	bool role = e->kind == AWS_ROLE;
	bool block = role || e->boundary.arn;

	buf_addf(out, "\n  identity aws %s ", role ? "role" : "user");
	add_string(out, e->arn);
	if (!block) {
		buf_addch(out, '\n');
		return;
	}
	buf_adds(out, " {\n");
	if (role)
		write_trust(ad, out);
	if (ad->boundary_note) {
		add_comment(out, "    # ", ad->boundary_note);
		ad->ninexact++;
	}
	if (e->boundary.arn && writable(e->boundary.arn)) {
		buf_adds(out, "    boundary   = ");
		add_string(out, e->boundary.arn);
		buf_addch(out, '\n');
	}
	buf_adds(out, "  }\n");
}

/*
 * Return the agent's name: the identity's name with every character
 * that the policy emitter does not take in a directory name replaced by
 * '-'. IAM's own names are letters, digits and _+=,.@- and stay as
 * they are.
 */
static const char *agent_name(struct adopter *ad)
{
	char *name = arena_strdup(&ad->arena, ad->e->name), *p;

	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._-+=,@", *p)))
			*p = '-';
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		*name = '-';
	return name;
}

static void write_head(struct adopter *ad, struct buf *out)
{
	const struct aws_entity *e = ad->e;
	const char *kind = e->kind == AWS_ROLE ? "role" : "user";

	buf_addf(out, "# A starting spec for the live %s\n", kind);
	add_comment(out, "#   ", e->arn);
	buf_adds(out, "# written by 'mandate adopt' from\n");
	add_comment(out, "#   ", e->loc.src->path);
	buf_adds(out, "# Review each grant, then fill in the lines marked TODO:\n"
		 "# 'mandate check' fails until the owners, justification,\n"
		 "# review and expiry are set.\n");
	buf_adds(out, "agent ");
	add_string(out, agent_name(ad));
	buf_adds(out, " {\n"
		 "  kind        = workload  # TODO: or ai_agent, "
		 "service_account, api_key\n"
		 "  description = ");
	if (writable(e->name))
		add_string(out, arena_printf(&ad->arena, "Adopted from the "
					     "live %s %s", kind, e->name));
	else
		add_string(out, arena_printf(&ad->arena, "Adopted from a "
					     "live %s", kind));
	buf_adds(out, "\n\n"
		 "  # TODO: name the owners, say why the agent exists, and "
		 "record its review.\n"
		 "  # owner {\n"
		 "  #   technical = \"person@example.com\"  # holds the "
		 "credentials, answers alerts\n"
		 "  #   business  = \"person@example.com\"  # justifies the "
		 "scope, approves changes\n"
		 "  # }\n"
		 "  # justification = \"why the business needs this agent\"\n"
		 "  # review  { every = 90d  last = YYYY-MM-DD  by = "
		 "\"person@example.com\" }\n"
		 "  # expires = YYYY-MM-DD\n");
}

static int cmp_unused(const void *a, const void *b)
{
	return strcmp(((const struct unused *)a)->name,
		      ((const struct unused *)b)->name);
}

static void write_left_out(struct adopter *ad, struct buf *out)
{
	char date[11], last[32];
	size_t i;

	if (ad->nskipped) {
		ad->nskipped = sort_unique(ad->skipped, ad->nskipped);
		buf_adds(out, "\n  # Not adopted:\n");
		for (i = 0; i < ad->nskipped; i++)
			add_comment(out, "  #   ", ad->skipped[i]);
	}
	if (!ad->nunused)
		return;
	sort_array(ad->unused, ad->nunused, sizeof(*ad->unused), cmp_unused);
	buf_addf(out, "\n  # Left out as unused: service-last-accessed data "
		 "shows no use in the\n  # %d days before its job "
		 "completed:\n", LAST_ACCESS_WINDOW);
	for (i = 0; i < ad->nunused; i++) {
		last_access_phrase(ad->unused[i].last, last);
		date_format(ad->unused[i].completed, date);
		add_comment(out, "  #   ", arena_printf(&ad->arena, "%s: %s "
							    "(job completed on "
							    "%s)",
							    ad->unused[i].name,
							    last, date));
	}
}

static void adopter_release(struct adopter *ad)
{
	size_t i;

	for (i = 0; i < ad->ndrafts; i++)
		actset_release(&ad->drafts[i].actions);
	for (i = 0; i < ad->ndenies; i++)
		actset_release(&ad->denies[i].actions);
	if (ad->bounded)
		actset_release(&ad->boundary);
	free(ad->denies);
	free(ad->drafts);
	free(ad->skipped);
	free(ad->unused);
	arena_release(&ad->arena);
}

/*
 * Report that the spec of ad->e is larger than SOURCE_SPEC_MAX, the
 * largest spec file that the other commands read.
 */
static void report_too_large(const struct adopter *ad, struct diag *d)
{
	diag_at(d, DIAG_ERROR, &ad->e->loc, "the spec for '%s' would be "
		"larger than the maximum of %zu bytes for a spec file; its "
		"live policies make %zu grant and deny items, so write its "
		"spec by hand with wildcard actions and resources", ad->e->arn,
		SOURCE_SPEC_MAX, ad->ndrafts);
}

int adopt_write(struct buf *out, const struct aws_state *st,
		const struct catalog *cat, const struct aws_entity *e,
		struct adopt_summary *summary, struct diag *d)
{
	struct adopter ad;
	size_t start = out->len, i, n;

	memset(summary, 0, sizeof(*summary));
	if (e->kind == AWS_GROUP) {
		diag_at(d, DIAG_ERROR, &e->loc, "'%s' is a group; adopt writes "
			"the spec of a user or role", e->arn);
		return -1;
	}
	if (!spec_arn_valid(e->arn)) {
		diag_at(d, DIAG_ERROR, &e->loc, "a spec cannot name '%s': it "
			"needs a 12-digit account id and a name of letters, "
			"digits and ._-+=,@", e->arn);
		return -1;
	}
	memset(&ad, 0, sizeof(ad));
	ad.st = st;
	ad.cat = cat;
	ad.e = e;

	read_boundary(&ad);
	collect_denies(&ad);
	adopt_holder(&ad, e);
	if (e->kind == AWS_USER)
		adopt_groups(&ad);
	merge_drafts(&ad);
	for (i = 0; i < ad.ndrafts; i++)
		ad.drafts[i].first = render_actions(&ad, &ad.drafts[i], &n)[0];
	sort_array(ad.drafts, ad.ndrafts, sizeof(*ad.drafts),
		   cmp_drafts_order);

	write_head(&ad, out);
	write_identity(&ad, out);
	for (i = 0; i < ad.ndrafts && out->len - start <= SOURCE_SPEC_MAX; i++)
		write_draft(&ad, out, &ad.drafts[i]);
	write_left_out(&ad, out);
	buf_adds(out, "}\n");
	if (out->len - start > SOURCE_SPEC_MAX) {
		report_too_large(&ad, d);
		adopter_release(&ad);
		return -1;
	}

	summary->ngrants = ad.ndrafts;
	summary->nleft_out = ad.nunused;
	summary->ninexact = ad.ninexact;
	adopter_release(&ad);
	return 0;
}
