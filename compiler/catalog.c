#include "common.h"
#include "catalog.h"

#include <ctype.h>
#include <strings.h>

#include "diag.h"
#include "match.h"
#include "source.h"
#include "strtab.h"

/* The catalog file is about 1.5 MB; anything far larger is not one. */
#define CATALOG_MAX ((size_t)64 << 20)

struct service_data {
	struct cat_service pub;
	struct cat_resource_type *rtypes;
	size_t nrtypes;
	/* Each resource type's template tokenized, on first use. */
	struct match_template **templates;
};

/*
 * A condition key whose name holds a variable, such as
 * "aws:RequestTag/${TagKey}" or "s3:ExistingObjectTag/<key>".
 */
struct key_template {
	size_t key;			/* index into keys */
	size_t prefix_len;		/* bytes before the variable */
	size_t suffix_len;		/* bytes after it */
};

struct catalog {
	struct arena arena;
	struct source *src;
	char *globals_text;
	const char *origin;
	struct service_data *services;
	size_t nservices, services_cap;
	struct cat_action *actions;
	size_t nactions, actions_cap;
	uint32_t *action_index;		/* open addressing, ids + 1 */
	size_t action_index_cap;
	struct cat_condition_key *keys;
	size_t nkeys, keys_cap;
	uint32_t *key_index;		/* open addressing, key number + 1 */
	size_t key_index_cap;
	struct key_template *templates;
	size_t ntemplates, templates_cap;
	struct overlap_memo *memo;	/* mutable behind a const catalog */
};

/* A remembered result of match_template_overlap(pattern, arn). */
struct overlap_entry {
	uint64_t hash;
	const char *arn;	/* a resource type's template in the catalog */
	char *pattern;		/* owned; NULL for a free slot */
	bool overlaps;
};

/*
 * Results of comparing resource patterns with resource type templates.
 * Every action of a service that acts on one resource type asks the
 * same question of a grant's pattern, so most questions repeat.
 * Patterns of different grants rarely repeat, so at OVERLAP_MEMO_MAX
 * entries the memo starts afresh. It stays small enough to be cached,
 * and it still contains the questions of the grant being expanded.
 * Open addressing.
 */
struct overlap_memo {
	struct overlap_entry *slots;
	size_t n, cap;
};

#define OVERLAP_MEMO_MAX (1u << 13)

/* Parsing state of one catalog file, for error positions. */
struct reader {
	struct catalog *c;
	struct source *src;
	struct diag *d;
	char *line;
	size_t line_off;
	size_t line_len;	/* bytes before the line's newline */
};

/* Fold ASCII letters only, as in IAM names, cheaper than tolower(3). */
static unsigned char lower(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch | 0x20) : ch;
}

static uint64_t hash_lower(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= lower((unsigned char)*s);
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int reader_error(struct reader *r, const char *fmt, ...)
	PRINTF_LIKE(2, 3);

static int reader_error(struct reader *r, const char *fmt, ...)
{
	struct loc loc = { r->src, (uint32_t)r->line_off, 0 };
	char msg[256];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/*
	 * Parsing splits the line in place. Put back its tabs and newline,
	 * so that the excerpt shows the line as written; the file holds no
	 * NUL of its own, as parse_text checks first.
	 */
	if (r->line) {
		for (i = 0; i < r->line_len; i++)
			if (!r->line[i])
				r->line[i] = '\t';
		if (r->line_off + r->line_len < r->src->len)
			r->line[r->line_len] = '\n';
	}
	diag_at(r->d, DIAG_ERROR, &loc, "malformed catalog: %s", msg);
	return -1;
}

/* Split line at tabs into at most max fields; returns the count. */
static size_t split_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;

	fields[n++] = line;
	while ((line = strchr(line, '\t'))) {
		*line++ = '\0';
		if (n == max)
			return max + 1;
		fields[n++] = line;
	}
	return n;
}

static size_t count_items(const char *list)
{
	size_t n = 1;

	if (!strcmp(list, "-"))
		return 0;
	while ((list = strchr(list, ',')))
		list++, n++;
	return n;
}

static int parse_type(const char *text, enum cond_type *type, bool *multi)
{
	static const struct {
		const char *name;
		enum cond_type type;
	} types[] = {
		{ "String", COND_TYPE_STRING }, { "ARN", COND_TYPE_ARN },
		{ "Arn", COND_TYPE_ARN }, { "Numeric", COND_TYPE_NUMERIC },
		{ "Date", COND_TYPE_DATE }, { "Bool", COND_TYPE_BOOL },
		{ "Boolean", COND_TYPE_BOOL }, { "IPAddress", COND_TYPE_IP },
		{ "Binary", COND_TYPE_BINARY },
	};
	size_t i;

	*multi = !strncmp(text, "ArrayOf", 7);
	if (*multi)
		text += 7;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		if (!strcmp(text, types[i].name)) {
			*type = types[i].type;
			return 0;
		}
	}
	return -1;
}

static void index_key(struct catalog *c, size_t n)
{
	size_t mask = c->key_index_cap - 1;
	size_t i = (size_t)hash_lower(c->keys[n].name) & mask;

	while (c->key_index[i]) {
		if (!strcasecmp(c->keys[c->key_index[i] - 1].name,
				c->keys[n].name))
			return;		/* the first definition wins */
		i = (i + 1) & mask;
	}
	c->key_index[i] = (uint32_t)n + 1;
}

/* Add a condition key; templates go to their own list. */
static int add_key(struct reader *r, char *name, const char *type)
{
	struct catalog *c = r->c;
	struct cat_condition_key *k;
	const char *var, *end;

	grow_array((void **)&c->keys, &c->keys_cap, c->nkeys + 1,
		   sizeof(*c->keys));
	k = &c->keys[c->nkeys];
	k->name = name;
	if (parse_type(type, &k->type, &k->multivalued) < 0)
		return reader_error(r, "unknown condition key type '%s'", type);
	var = strstr(name, "${");
	end = var ? strchr(var, '}') : NULL;
	if (!var) {
		var = strchr(name, '<');
		end = var ? strchr(var, '>') : NULL;
	}
	if (var) {
		struct key_template *t;

		grow_array((void **)&c->templates, &c->templates_cap,
			   c->ntemplates + 1, sizeof(*c->templates));
		t = &c->templates[c->ntemplates++];
		t->key = c->nkeys;
		t->prefix_len = (size_t)(var - name);
		t->suffix_len = end ? strlen(end + 1) : 0;
	}
	c->nkeys++;
	return 0;
}

static struct cat_resource_type *find_rtype(struct service_data *s,
					    const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < s->nrtypes; i++)
		if (s->rtypes[i].name[0] == name[0] &&
		    !strncmp(s->rtypes[i].name, name, n) &&
		    !s->rtypes[i].name[n])
			return &s->rtypes[i];
	return NULL;
}

static char *next_item(char **p)
{
	char *item = *p, *comma;

	if (!item)
		return NULL;
	comma = strchr(item, ',');
	if (comma) {
		*comma = '\0';
		*p = comma + 1;
	} else {
		*p = NULL;
	}
	return item;
}

/* Return "prefix:name" without printf, which cost more than the parse. */
static char *join_name(struct arena *arena, const char *prefix,
		       const char *name)
{
	size_t np = strlen(prefix), nn = strlen(name);
	char *p = arena_alloc(arena, np + 1 + nn + 1);

	memcpy(p, prefix, np);
	p[np] = ':';
	memcpy(p + np + 1, name, nn + 1);
	return p;
}

static int add_action(struct reader *r, char **f)
{
	static const char levels[] = "LRWTP";
	struct catalog *c = r->c;
	struct service_data *s = &c->services[c->nservices - 1];
	const struct cat_resource_type **rtypes;
	const char **keys;
	struct cat_action *a;
	const char *level = strchr(levels, f[2][0]);
	char *list, *item;
	size_t n;

	if (!f[2][0] || f[2][1] || !level)
		return reader_error(r, "unknown access level '%s'", f[2]);
	/* Lookups and action ids rely on one sorted entry per name. */
	if (s->pub.count &&
	    strcasecmp(strchr(c->actions[c->nactions - 1].name, ':') + 1,
		       f[1]) >= 0)
		return reader_error(r, "action '%s' is out of order", f[1]);
	grow_array((void **)&c->actions, &c->actions_cap, c->nactions + 1,
		   sizeof(*c->actions));
	a = &c->actions[c->nactions];
	memset(a, 0, sizeof(*a));
	a->id = (uint32_t)c->nactions;
	a->name = join_name(&c->arena, s->pub.prefix, f[1]);
	a->level = (enum access_level)(1u << (level - levels));

	n = count_items(f[3]);
	rtypes = arena_calloc(&c->arena, n + 1, sizeof(*rtypes));
	for (list = n ? f[3] : NULL; (item = next_item(&list));) {
		size_t len = strlen(item);
		struct cat_resource_type *rt;

		if (len && item[len - 1] == '*')
			len--;
		rt = find_rtype(s, item, len);
		/* Some actions name condition-only entries: skip those. */
		if (rt)
			rtypes[a->nrtypes++] = rt;
	}
	a->rtypes = rtypes;

	n = count_items(f[4]);
	keys = arena_calloc(&c->arena, n + 1, sizeof(*keys));
	for (list = n ? f[4] : NULL; (item = next_item(&list));)
		keys[a->nconditions++] = item;
	a->condition_keys = keys;

	s->pub.count++;
	c->nactions++;
	return 0;
}

static int add_service(struct reader *r, char **f)
{
	struct catalog *c = r->c;
	struct service_data *s;
	const char *p;

	for (p = f[1]; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '-' && *p != '.')
			break;
	if (*p || !*f[1])
		return reader_error(r, "invalid service prefix '%s'", f[1]);
	if (c->nservices &&
	    strcmp(c->services[c->nservices - 1].pub.prefix, f[1]) >= 0)
		return reader_error(r, "service '%s' is out of order", f[1]);
	grow_array((void **)&c->services, &c->services_cap, c->nservices + 1,
		   sizeof(*c->services));
	s = &c->services[c->nservices++];
	memset(s, 0, sizeof(*s));
	s->pub.prefix = f[1];
	s->pub.title = f[2];
	s->pub.first = (uint32_t)c->nactions;
	return 0;
}

static int add_rtype(struct reader *r, char **f)
{
	struct service_data *s = &r->c->services[r->c->nservices - 1];
	struct cat_resource_type *rt;

	/* Resource types are few per service; a plain array does. */
	s->rtypes = xrealloc(s->rtypes, (s->nrtypes + 1) * sizeof(*s->rtypes));
	rt = &s->rtypes[s->nrtypes++];
	rt->name = f[1];
	rt->arn = f[2];
	rt->pattern = f[2];
	return 0;
}

/* Parse one record; the line is split in place. */
static int parse_record(struct reader *r)
{
	static const size_t fields_of[] = {
		['V'] = 4, ['S'] = 3, ['R'] = 3, ['K'] = 3, ['A'] = 5,
	};
	char *f[6];
	unsigned char kind = (unsigned char)r->line[0];
	size_t n;

	if (!kind || kind == '#')
		return 0;
	if (kind >= ARRAY_SIZE(fields_of) || !fields_of[kind] ||
	    (r->line[1] != '\t' && r->line[1] != '\0'))
		return reader_error(r, "unknown record '%.*s'",
				    (int)strcspn(r->line, "\t"), r->line);
	n = split_fields(r->line, f, 5);
	if (n != fields_of[kind])
		return reader_error(r, "record '%c' has %zu field%s, expected "
				    "%zu", kind, n, n == 1 ? "" : "s",
				    fields_of[kind]);
	if (kind != 'V' && kind != 'K' && !r->c->nservices && kind != 'S')
		return reader_error(r, "'%c' record before any service", kind);
	switch (kind) {
	case 'V':
		r->c->origin = arena_printf(&r->c->arena, "%s %s (data of %s)",
					    f[1], f[2], f[3]);
		return 0;
	case 'S':
		return add_service(r, f);
	case 'R':
		return add_rtype(r, f);
	case 'K':
		return add_key(r, f[1], f[2]);
	case 'A':
		return add_action(r, f);
	}
	return 0;
}

static int parse_text(struct catalog *c, struct source *src, struct diag *d)
{
	struct reader r = { c, src, d, NULL, 0, 0 };
	char *p = src->text, *end = src->text + src->len;
	const char *nul = memchr(src->text, '\0', src->len);

	/* Index the lines while the newlines are still in the text. */
	source_line_of(src, 0, NULL);
	/* Each action is one line: size the array once, not by doubling. */
	if (!c->actions_cap)
		grow_array((void **)&c->actions, &c->actions_cap, src->nlines,
			   sizeof(*c->actions));
	if (nul) {
		r.line_off = (size_t)(nul - src->text);
		return reader_error(&r, "the file contains a NUL byte");
	}
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl)
			*nl = '\0';
		r.line = p;
		r.line_off = (size_t)(p - src->text);
		r.line_len = (size_t)((nl ? nl : end) - p);
		if (parse_record(&r) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static void index_action(struct catalog *c, uint32_t id)
{
	size_t mask = c->action_index_cap - 1;
	size_t i = (size_t)hash_lower(c->actions[id].name) & mask;

	while (c->action_index[i])
		i = (i + 1) & mask;
	c->action_index[i] = id + 1;
}

/* Build the lookup tables once every record is in. */
static void finish(struct catalog *c)
{
	size_t cap = 1, i;

	while (cap < c->nactions * 2)
		cap *= 2;
	c->action_index = xcalloc(cap, sizeof(uint32_t));
	c->action_index_cap = cap;
	for (i = 0; i < c->nactions; i++) {
		c->actions[i].service = &c->services[0].pub;
		index_action(c, (uint32_t)i);
	}
	for (i = 0; i < c->nservices; i++) {
		uint32_t id;

		c->services[i].templates =
			xcalloc(c->services[i].nrtypes + 1,
				sizeof(*c->services[i].templates));

		for (id = c->services[i].pub.first;
		     id < c->services[i].pub.first + c->services[i].pub.count;
		     id++)
			c->actions[id].service = &c->services[i].pub;
	}
	for (cap = 1; cap < c->nkeys * 2; cap *= 2)
		;
	c->key_index = xcalloc(cap, sizeof(uint32_t));
	c->key_index_cap = cap;
	for (i = 0; i < c->nkeys; i++)
		index_key(c, i);
}

static int load_globals(struct catalog *c, const char *catalog_path,
			struct diag *d)
{
	const char *slash = strrchr(catalog_path, '/');
	size_t dir = slash ? (size_t)(slash - catalog_path + 1) : 0;
	char *path = xmalloc(dir + sizeof("global-condition-keys.txt"));
	struct source *src;
	int ret;

	memcpy(path, catalog_path, dir);
	memcpy(path + dir, "global-condition-keys.txt",
	       sizeof("global-condition-keys.txt"));
	ret = source_load(&src, path, CATALOG_MAX, d);
	free(path);
	if (ret < 0)
		return -1;
	ret = parse_text(c, src, d);
	/* Keep the text: key names point into it. */
	c->globals_text = src->text;
	src->text = NULL;
	source_free(src);
	return ret;
}

/*
 * TODO: every run parses the whole 1.5 MB catalog, which takes 36 of
 * the 43 million instructions of a check of one spec. That fixed cost
 * keeps check of a 1 MB export above twice the time of parsing the
 * export with cJSON. A precomputed form that is mapped rather than
 * parsed would remove it.
 */
int catalog_load(struct catalog **out, const char *path, struct diag *d)
{
	struct catalog *c = xcalloc(1, sizeof(*c));

	*out = NULL;
	c->memo = xcalloc(1, sizeof(*c->memo));
	if (source_load(&c->src, path, CATALOG_MAX, d) < 0)
		goto fail;
	if (parse_text(c, c->src, d) < 0)
		goto fail;
	if (!c->nactions) {
		diag_path(d, DIAG_ERROR, path, "malformed catalog: no actions");
		goto fail;
	}
	if (!c->origin) {
		diag_path(d, DIAG_ERROR, path,
			  "malformed catalog: no 'V' record naming its source");
		goto fail;
	}
	if (load_globals(c, path, d) < 0)
		goto fail;
	finish(c);
	*out = c;
	return 0;
fail:
	catalog_free(c);
	return -1;
}

void catalog_free(struct catalog *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nservices; i++) {
		struct service_data *s = &c->services[i];
		size_t j;

		for (j = 0; s->templates && j < s->nrtypes; j++)
			match_template_free(s->templates[j]);
		free(s->templates);
		free(s->rtypes);
	}
	free(c->services);
	free(c->actions);
	free(c->action_index);
	free(c->keys);
	free(c->key_index);
	free(c->templates);
	if (c->memo) {
		for (i = 0; i < c->memo->cap; i++)
			free(c->memo->slots[i].pattern);
		free(c->memo->slots);
		free(c->memo);
	}
	free(c->globals_text);
	source_free(c->src);
	arena_release(&c->arena);
	free(c);
}

const char *catalog_source(const struct catalog *c)
{
	return c->origin;
}

uint32_t catalog_count(const struct catalog *c)
{
	return (uint32_t)c->nactions;
}

const struct cat_action *catalog_action(const struct catalog *c, uint32_t id)
{
	if (id >= c->nactions)
		BUG("action id %u of %zu", id, c->nactions);
	return &c->actions[id];
}

const struct cat_action *catalog_find_action(const struct catalog *c,
					     const char *name)
{
	size_t mask = c->action_index_cap - 1;
	size_t i = (size_t)hash_lower(name) & mask;

	while (c->action_index[i]) {
		const struct cat_action *a = &c->actions[c->action_index[i] - 1];

		if (!strcasecmp(a->name, name))
			return a;
		i = (i + 1) & mask;
	}
	return NULL;
}

const struct cat_service *catalog_find_service(const struct catalog *c,
					       const char *prefix)
{
	size_t lo = 0, hi = c->nservices;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcasecmp(prefix, c->services[mid].pub.prefix);

		if (!r)
			return &c->services[mid].pub;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static size_t add_service_actions(const struct catalog *c,
				  const struct cat_service *s,
				  const char *pattern, bool all,
				  struct actset *out)
{
	size_t n = 0;
	uint32_t id;

	for (id = s->first; id < s->first + s->count; id++) {
		if (!all && !match_action(pattern, c->actions[id].name))
			continue;
		actset_add(out, id);
		n++;
	}
	return n;
}

int catalog_match_actions(const struct catalog *c, const char *pattern,
			  struct actset *out)
{
	const char *colon = strchr(pattern, ':');
	char service[128];
	size_t i, n = 0;
	bool all;

	if (!strcmp(pattern, "*")) {
		for (i = 0; i < c->nactions; i++)
			actset_add(out, (uint32_t)i);
		return (int)c->nactions;
	}
	if (!colon || (size_t)(colon - pattern) >= sizeof(service))
		return -1;
	memcpy(service, pattern, (size_t)(colon - pattern));
	service[colon - pattern] = '\0';
	all = !strcmp(colon + 1, "*");

	if (!strpbrk(service, "*?")) {
		const struct cat_service *s = catalog_find_service(c, service);

		return s ? (int)add_service_actions(c, s, pattern, all, out) : 0;
	}
	for (i = 0; i < c->nservices; i++)
		if (match_action(service, c->services[i].pub.prefix))
			n += add_service_actions(c, &c->services[i].pub,
						 pattern, all, out);
	return (int)n;
}

static struct overlap_entry *memo_slot(struct overlap_entry *slots,
				       size_t cap, uint64_t hash,
				       const char *pattern, const char *arn)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slots[i].pattern && (slots[i].hash != hash ||
				    slots[i].arn != arn ||
				    strcmp(slots[i].pattern, pattern)))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void memo_grow(struct overlap_memo *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024, i;
	struct overlap_entry *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < m->cap; i++) {
		const struct overlap_entry *e = &m->slots[i];

		if (e->pattern)
			*memo_slot(slots, cap, e->hash, e->pattern, e->arn) = *e;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

static const struct service_data *service_of(const struct cat_service *svc)
{
	return (const struct service_data *)((const char *)svc -
		offsetof(struct service_data, pub));
}

/* Forget every entry, keeping the slots. */
static void memo_clear(struct overlap_memo *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		free(m->slots[i].pattern);
		m->slots[i].pattern = NULL;
	}
	m->n = 0;
}

static uint64_t pattern_hash(const char *pattern)
{
	return hash_bytes(pattern, strlen(pattern));
}

/*
 * Return match_template_overlap(pattern, arn), remembered in memo. The
 * caller hashes the pattern once with pattern_hash for all the
 * templates it compares the pattern with.
 */
static bool template_overlap(struct overlap_memo *m, const char *pattern,
			     uint64_t phash, const struct service_data *s,
			     const struct cat_resource_type *rt)
{
	const char *arn = rt->arn;
	struct match_template **t = &s->templates[rt - s->rtypes];
	uint64_t hash = phash ^
			((uint64_t)(uintptr_t)arn * 0x9e3779b97f4a7c15u);
	struct overlap_entry *e;
	bool overlaps;

	if (m->cap) {
		e = memo_slot(m->slots, m->cap, hash, pattern, arn);
		if (e->pattern)
			return e->overlaps;
	}
	if (!*t)
		*t = match_template_new(arn);
	overlaps = *t ? match_template_overlap_with(pattern, *t)
		      : match_template_overlap(pattern, arn);
	if (m->n >= OVERLAP_MEMO_MAX)
		memo_clear(m);
	if (2 * (m->n + 1) > m->cap)
		memo_grow(m);
	e = memo_slot(m->slots, m->cap, hash, pattern, arn);
	e->hash = hash;
	e->arn = arn;
	e->pattern = xstrdup(pattern);
	e->overlaps = overlaps;
	m->n++;
	return overlaps;
}

bool catalog_action_applies(const struct catalog *c,
			    const struct cat_action *a, const char *pattern)
{
	uint64_t phash;
	uint32_t i;

	if (!strcmp(pattern, "*"))
		return true;
	if (!a->nrtypes)
		return false;
	phash = pattern_hash(pattern);
	for (i = 0; i < a->nrtypes; i++)
		if (template_overlap(c->memo, pattern, phash,
				     service_of(a->service), a->rtypes[i]))
			return true;
	return false;
}

bool catalog_action_overlap(const struct catalog *c,
			    const struct cat_action *a, const char *p,
			    const char *q)
{
	uint32_t i;

	if (match_resource(p, "*") && match_resource(q, "*"))
		return true;
	/* "*" names every resource, so the other pattern decides. */
	if (!strcmp(p, "*"))
		return catalog_action_applies(c, a, q);
	if (!strcmp(q, "*"))
		return catalog_action_applies(c, a, p);
	for (i = 0; i < a->nrtypes; i++)
		if (match_resource_overlap_in(p, q, a->rtypes[i]->arn))
			return true;
	return false;
}

uint32_t catalog_expand_level(const struct catalog *c,
			      const struct cat_service *svc, unsigned levels,
			      const char *pattern, struct actset *out)
{
	const struct service_data *s = service_of(svc);
	bool everything = !strcmp(pattern, "*");
	bool *overlaps = xcalloc(s->nrtypes + 1, sizeof(bool));
	uint64_t phash = everything ? 0 : pattern_hash(pattern);
	uint32_t id, n = 0;
	size_t i;

	/* Each resource type is compared with the pattern once. */
	for (i = 0; i < s->nrtypes; i++)
		overlaps[i] = everything ||
			      template_overlap(c->memo, pattern, phash, s,
					       &s->rtypes[i]);
	for (id = svc->first; id < svc->first + svc->count; id++) {
		const struct cat_action *a = &c->actions[id];
		bool applies = everything;
		uint32_t k;

		if (!(a->level & levels))
			continue;
		for (k = 0; k < a->nrtypes && !applies; k++)
			applies = overlaps[a->rtypes[k] - s->rtypes];
		if (applies && actset_add(out, id))
			n++;
	}
	free(overlaps);
	return n;
}

/* Return the edit distance of a and b ignoring case, or max + 1. */
static size_t distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[256], prev_row[256], prev2[256];
	size_t best = SIZE_MAX;

	if (la >= 255 || lb >= 255 || (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		prev_row[j] = j;
	memset(prev2, 0, sizeof(prev2));
	for (i = 1; i <= la; i++) {
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t cost = ca != cb;
			size_t v = prev_row[j - 1] + cost;

			if (prev_row[j] + 1 < v)
				v = prev_row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			/* A swap of two neighbours counts as one edit. */
			if (i > 1 && j > 1 &&
			    ca == tolower((unsigned char)b[j - 2]) &&
			    cb == tolower((unsigned char)a[i - 2]) &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		memcpy(prev2, prev_row, (lb + 1) * sizeof(size_t));
		memcpy(prev_row, row, (lb + 1) * sizeof(size_t));
	}
	return prev_row[lb];
}

/* The largest edit distance still taken for a typo of a name of len. */
static size_t typo_budget(size_t len)
{
	if (len < 4)
		return 1;
	if (len < 9)
		return 2;
	return 3;
}

const char *catalog_suggest_action(const struct catalog *c, const char *name)
{
	const char *colon = strchr(name, ':');
	const struct cat_service *s;
	const char *best = NULL;
	size_t best_d, id;
	char service[128];

	if (!colon || (size_t)(colon - name) >= sizeof(service))
		return NULL;
	memcpy(service, name, (size_t)(colon - name));
	service[colon - name] = '\0';
	s = catalog_find_service(c, service);
	if (!s)
		return NULL;
	best_d = typo_budget(strlen(colon + 1));
	for (id = s->first; id < s->first + s->count; id++) {
		const char *cand = strchr(c->actions[id].name, ':') + 1;
		size_t d = distance(colon + 1, cand, best_d);

		if (d <= best_d && (!best || d < best_d)) {
			best = c->actions[id].name;
			best_d = d;
		}
	}
	return best;
}

const char *catalog_suggest_service(const struct catalog *c,
				    const char *prefix)
{
	const char *best = NULL;
	size_t best_d = typo_budget(strlen(prefix)), i;

	for (i = 0; i < c->nservices; i++) {
		size_t d = distance(prefix, c->services[i].pub.prefix, best_d);

		if (d <= best_d && (!best || d < best_d)) {
			best = c->services[i].pub.prefix;
			best_d = d;
		}
	}
	return best;
}

const struct cat_condition_key *
catalog_find_condition_key(const struct catalog *c, const char *key)
{
	size_t mask = c->key_index_cap - 1, i, n = strlen(key), best_fixed = 0;
	const struct cat_condition_key *best = NULL;

	for (i = (size_t)hash_lower(key) & mask; c->key_index[i];
	     i = (i + 1) & mask) {
		const struct cat_condition_key *k =
			&c->keys[c->key_index[i] - 1];

		if (!strcasecmp(k->name, key))
			return k;
	}
	/*
	 * The variable stands for any non-empty text. When several
	 * templates fit, as "events:Metadata/${MetadataKey}" and
	 * "events:Metadata/${MetadataKey}/Matcher" both fit
	 * "events:Metadata/a/Matcher", the one with the most fixed text wins.
	 */
	for (i = 0; i < c->ntemplates; i++) {
		const struct key_template *t = &c->templates[i];
		const struct cat_condition_key *k = &c->keys[t->key];
		size_t fixed = t->prefix_len + t->suffix_len;

		if (n <= fixed || (best && fixed <= best_fixed))
			continue;
		if (strncasecmp(key, k->name, t->prefix_len) ||
		    strcasecmp(key + n - t->suffix_len,
			       k->name + strlen(k->name) - t->suffix_len))
			continue;
		best = k;
		best_fixed = fixed;
	}
	return best;
}
