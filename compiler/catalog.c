#include "common.h"
#include "catalog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "match.h"
#include "pagein.h"
#include "source.h"
#include "strtab.h"

/* The catalog file is about 1.5 MB; anything far larger is not one. */
#define CATALOG_MAX ((size_t)64 << 20)

#define GLOBAL_KEYS_FILE "global-condition-keys.txt"

struct catalog {
	struct cat_tables t;
	bool builtin;
	/*
	 * The compiled-in tables, read from the program's file as they
	 * are needed; NULL when parsed, or when they are read in place.
	 */
	struct pagein *pages;
	/*
	 * The small tables, read whole on load, as nearly every run needs
	 * most of their pages: looked up often, they skip the pager.
	 */
	const struct cat_service *services;
	const struct cat_resource_type *rtypes;
	const uint32_t *service_index;
	/* The tables' storage, when parsed from the files. */
	struct {
		char *text;
		size_t text_len, text_cap;
		struct cat_service *services;
		size_t nservices, services_cap;
		struct cat_resource_type *rtypes;
		size_t nrtypes, rtypes_cap;
		struct cat_action *actions;
		size_t nactions, actions_cap;
		uint32_t *lists;
		size_t nlists, lists_cap;
		struct cat_condition_key *keys;
		size_t nkeys, keys_cap;
		struct cat_key_template *templates;
		size_t ntemplates, templates_cap;
		uint32_t *action_index, *service_index, *key_index;
		uint32_t *folded_order;
		bool has_origin;
	} own;
	/* Each resource type's template tokenized, on first use. */
	struct match_template **rtemplates;
	struct overlap_memo *memo;	/* mutable behind a const catalog */
	/*
	 * The pattern last compared with templates, with its hash and,
	 * once a comparison needed them, its tokens: a grant's pattern is
	 * compared with every resource type of many actions in a row.
	 */
	struct {
		char *text;
		size_t cap;
		uint64_t hash;
		struct match_pattern *tokens;
		bool tokenized;
		/*
		 * Per resource type, whether its overlap with the pattern
		 * is known and what it is: the memo, without its lookups,
		 * for a pattern asked of thousands of actions in a row.
		 */
		uint64_t *known, *overlaps;
		int names_star;		/* it matches the text "*": -1 unknown */
	} last;
};

/* A remembered result of match_template_overlap(pattern, arn). */
struct overlap_entry {
	const char *pattern;	/* in the memo's copies; NULL: a free slot */
	uint32_t hash;		/* the low bits of the question's hash */
	uint32_t rtype : 31;	/* index of the resource type */
	uint32_t overlaps : 1;
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
	/* The patterns that entries point to, and the last pattern's copy. */
	char **copies;
	size_t ncopies, copies_cap;
	const char *last_copy;
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
	/* Condition key names already in the pool, by open addressing. */
	uint32_t *names;	/* pool offset + 1 */
	size_t names_cap, nnames;
	bool catalog_file;	/* not the global keys file */
	bool ended;		/* the catalog file's 'E' record was read */
};

/* Fold ASCII letters only, as in IAM names, cheaper than tolower(3). */
static unsigned char lower(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch | 0x20) : ch;
}

/*
 * Hash a name ignoring the case of ASCII letters, 8 bytes at a time.
 * Setting bit 5 of each byte folds 'A'-'Z' onto 'a'-'z'. It folds a few
 * other characters together too, which can only cost a collision, as
 * every lookup compares the names after.
 */
static uint64_t hash_lower_n(const char *s, size_t n)
{
	const uint64_t fold = 0x2020202020202020ULL;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ (w | fold)) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ (w | fold)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 29);
}

static uint64_t hash_lower(const char *s)
{
	return hash_lower_n(s, strlen(s));
}

/* Compare two names folded to lower case, as strcmp does. */
static int fold_cmp(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
		a++, b++;
	return (int)lower((unsigned char)*a) - (int)lower((unsigned char)*b);
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

/* Reserve n bytes and a NUL at the end of the pool, return their offset. */
static uint32_t pool_reserve(struct catalog *c, size_t n)
{
	size_t off = c->own.text_len;

	grow_array((void **)&c->own.text, &c->own.text_cap, off + n + 1, 1);
	c->own.text[off + n] = '\0';
	c->own.text_len = off + n + 1;
	return (uint32_t)off;
}

/* Copy n bytes of s to the string pool, and return their offset. */
static uint32_t pool_add(struct catalog *c, const char *s, size_t n)
{
	uint32_t off = pool_reserve(c, n);

	memcpy(c->own.text + off, s, n);
	return off;
}

/*
 * As pool_add, for "prefix:name" where the prefix is at offset prefix
 * of the pool, which may move as it grows.
 */
static uint32_t pool_join(struct catalog *c, uint32_t prefix,
			  const char *name)
{
	size_t np = strlen(c->own.text + prefix), nn = strlen(name);
	uint32_t off = pool_reserve(c, np + 1 + nn);

	memcpy(c->own.text + off, c->own.text + prefix, np);
	c->own.text[off + np] = ':';
	memcpy(c->own.text + off + np + 1, name, nn);
	return off;
}

/*
 * Add a condition key name to the pool once: the same few hundred
 * names are listed by thousands of actions.
 */
static uint32_t pool_name(struct reader *r, const char *name)
{
	struct catalog *c = r->c;
	size_t mask, i;
	uint32_t off;

	if (2 * (r->nnames + 1) > r->names_cap) {
		size_t cap = r->names_cap ? 2 * r->names_cap : 1024, j;
		uint32_t *names = xcalloc(cap, sizeof(*names));

		for (j = 0; j < r->names_cap; j++) {
			if (!r->names[j])
				continue;
			i = (size_t)hash_bytes(c->own.text + r->names[j] - 1,
					       strlen(c->own.text +
						      r->names[j] - 1));
			while (names[i & (cap - 1)])
				i++;
			names[i & (cap - 1)] = r->names[j];
		}
		free(r->names);
		r->names = names;
		r->names_cap = cap;
	}
	mask = r->names_cap - 1;
	for (i = (size_t)hash_bytes(name, strlen(name)); r->names[i & mask];
	     i++)
		if (!strcmp(c->own.text + r->names[i & mask] - 1, name))
			return r->names[i & mask] - 1;
	off = pool_add(c, name, strlen(name));
	r->names[i & mask] = off + 1;
	r->nnames++;
	return off;
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

static int parse_type(const char *text, uint8_t *type, bool *multi)
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
			*type = (uint8_t)types[i].type;
			return 0;
		}
	}
	return -1;
}

/* Add a condition key, and add a template key to the templates too. */
static int add_key(struct reader *r, const char *name, const char *type)
{
	struct catalog *c = r->c;
	struct cat_condition_key *k;
	const char *var, *end;

	grow_array((void **)&c->own.keys, &c->own.keys_cap, c->own.nkeys + 1,
		   sizeof(*c->own.keys));
	k = &c->own.keys[c->own.nkeys];
	memset(k, 0, sizeof(*k));
	if (parse_type(type, &k->type, &k->multivalued) < 0)
		return reader_error(r, "unknown condition key type '%s'", type);
	var = strstr(name, "${");
	end = var ? strchr(var, '}') : NULL;
	if (!var) {
		var = strchr(name, '<');
		end = var ? strchr(var, '>') : NULL;
	}
	if (strlen(name) > UINT16_MAX)
		return reader_error(r, "condition key name is too long");
	k->name = pool_name(r, name);
	if (var) {
		struct cat_key_template *t;

		grow_array((void **)&c->own.templates, &c->own.templates_cap,
			   c->own.ntemplates + 1, sizeof(*c->own.templates));
		t = &c->own.templates[c->own.ntemplates++];
		t->key = (uint32_t)c->own.nkeys;
		t->prefix_len = (uint16_t)(var - name);
		t->suffix_len = (uint16_t)(end ? strlen(end + 1) : 0);
	}
	c->own.nkeys++;
	return 0;
}

/* Return the index of the current service's resource type, or -1. */
static long find_rtype(struct catalog *c, const struct cat_service *s,
		       const char *name, size_t n)
{
	uint32_t i;

	for (i = s->rtypes; i < s->rtypes + s->nrtypes; i++) {
		const char *have = c->own.text + c->own.rtypes[i].name;

		if (have[0] == name[0] && !strncmp(have, name, n) && !have[n])
			return (long)i;
	}
	return -1;
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

static void add_list_item(struct catalog *c, uint32_t v)
{
	grow_array((void **)&c->own.lists, &c->own.lists_cap,
		   c->own.nlists + 1, sizeof(*c->own.lists));
	c->own.lists[c->own.nlists++] = v;
}

static int add_action(struct reader *r, char **f)
{
	static const char levels[] = "LRWTP";
	struct catalog *c = r->c;
	struct cat_service *s = &c->own.services[c->own.nservices - 1];
	struct cat_action *a;
	const char *level = strchr(levels, f[2][0]);
	char *list, *item;

	if (!f[2][0] || f[2][1] || !level)
		return reader_error(r, "unknown access level '%s'", f[2]);
	/* Lookups and action ids rely on one sorted entry per name. */
	if (s->count &&
	    strcasecmp(strchr(c->own.text +
			      c->own.actions[c->own.nactions - 1].name, ':') + 1,
		       f[1]) >= 0)
		return reader_error(r, "action '%s' is out of order", f[1]);
	if (count_items(f[3]) > UINT8_MAX)
		return reader_error(r, "action '%s' has more than %u resource "
				    "types", f[1], UINT8_MAX);
	grow_array((void **)&c->own.actions, &c->own.actions_cap,
		   c->own.nactions + 1, sizeof(*c->own.actions));
	a = &c->own.actions[c->own.nactions];
	memset(a, 0, sizeof(*a));
	a->id = (uint32_t)c->own.nactions;
	a->name = pool_join(c, s->prefix, f[1]);
	a->service = (uint16_t)(c->own.nservices - 1);
	a->level = (uint8_t)(1u << (level - levels));

	a->rtypes = (uint32_t)c->own.nlists;
	for (list = count_items(f[3]) ? f[3] : NULL; (item = next_item(&list));) {
		size_t len = strlen(item);
		long rt;

		if (len && item[len - 1] == '*')
			len--;
		rt = find_rtype(c, s, item, len);
		/* Some actions name condition-only entries: skip those. */
		if (rt >= 0) {
			add_list_item(c, (uint32_t)rt);
			a->nrtypes++;
		}
	}
	a->conditions = (uint32_t)c->own.nlists;
	for (list = count_items(f[4]) ? f[4] : NULL; (item = next_item(&list));) {
		add_list_item(c, pool_name(r, item));
		a->nconditions++;
	}
	s->count++;
	c->own.nactions++;
	return 0;
}

static int add_service(struct reader *r, char **f)
{
	struct catalog *c = r->c;
	struct cat_service *s;
	const char *p;

	for (p = f[1]; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '-' && *p != '.')
			break;
	if (*p || !*f[1])
		return reader_error(r, "invalid service prefix '%s'", f[1]);
	if (c->own.nservices &&
	    strcmp(c->own.text +
		   c->own.services[c->own.nservices - 1].prefix, f[1]) >= 0)
		return reader_error(r, "service '%s' is out of order", f[1]);
	if (c->own.nservices >= UINT16_MAX)
		return reader_error(r, "more than %u services", UINT16_MAX);
	grow_array((void **)&c->own.services, &c->own.services_cap,
		   c->own.nservices + 1, sizeof(*c->own.services));
	s = &c->own.services[c->own.nservices++];
	memset(s, 0, sizeof(*s));
	s->prefix = pool_add(c, f[1], strlen(f[1]));
	s->title = pool_add(c, f[2], strlen(f[2]));
	s->first = (uint32_t)c->own.nactions;
	s->rtypes = (uint32_t)c->own.nrtypes;
	return 0;
}

static int add_rtype(struct reader *r, char **f)
{
	struct catalog *c = r->c;
	struct cat_service *s = &c->own.services[c->own.nservices - 1];
	struct cat_resource_type *rt;

	if (s->count)
		return reader_error(r, "resource type '%s' after the service's "
				    "actions", f[1]);
	grow_array((void **)&c->own.rtypes, &c->own.rtypes_cap,
		   c->own.nrtypes + 1, sizeof(*c->own.rtypes));
	rt = &c->own.rtypes[c->own.nrtypes++];
	rt->name = pool_add(c, f[1], strlen(f[1]));
	rt->arn = pool_add(c, f[2], strlen(f[2]));
	s->nrtypes++;
	return 0;
}

/* Return whether text is a decimal number that equals n. */
static bool count_is(const char *text, size_t n)
{
	char digits[32];

	snprintf(digits, sizeof(digits), "%zu", n);
	return !strcmp(text, digits);
}

/*
 * Check the 'E' record that ends the catalog file: the counts of the
 * services and actions before it, so a file cut at a line boundary is
 * not read as a smaller catalog.
 */
static int end_record(struct reader *r, char **f)
{
	struct catalog *c = r->c;

	if (!count_is(f[1], c->own.nservices) ||
	    !count_is(f[2], c->own.nactions))
		return reader_error(r, "record 'E' counts %s services and %s "
				    "actions, but the file has %zu and %zu",
				    f[1], f[2], c->own.nservices,
				    c->own.nactions);
	r->ended = true;
	return 0;
}

/* Parse one record; the line is split in place. */
static int parse_record(struct reader *r)
{
	static const size_t fields_of[] = {
		['V'] = 4, ['S'] = 3, ['R'] = 3, ['K'] = 3, ['A'] = 5,
		['E'] = 3,
	};
	struct catalog *c = r->c;
	char *f[6];
	unsigned char kind = (unsigned char)r->line[0];
	size_t n;

	if (!kind || kind == '#')
		return 0;
	/* Shown raw, the mark would be an invisible start of the record. */
	if (!strncmp(r->line, "\xef\xbb\xbf", 3))
		return reader_error(r, "unexpected byte order mark (U+FEFF); "
				    "remove it");
	if (kind >= ARRAY_SIZE(fields_of) || !fields_of[kind] ||
	    (kind == 'E' && !r->catalog_file) ||
	    (r->line[1] != '\t' && r->line[1] != '\0'))
		return reader_error(r, "unknown record '%.*s'",
				    (int)strcspn(r->line, "\t"), r->line);
	n = split_fields(r->line, f, 5);
	if (n != fields_of[kind])
		return reader_error(r, "record '%c' has %zu field%s, expected "
				    "%zu", kind, n, n == 1 ? "" : "s",
				    fields_of[kind]);
	if (r->ended)
		return reader_error(r, "'%c' record after the 'E' record that "
				    "ends the file", kind);
	if (kind != 'V' && kind != 'K' && !c->own.nservices && kind != 'S' &&
	    kind != 'E')
		return reader_error(r, "'%c' record before any service", kind);
	switch (kind) {
	case 'E':
		return end_record(r, f);
	case 'V': {
		char origin[1024];
		int len = snprintf(origin, sizeof(origin), "%s %s (data of %s)",
				   f[1], f[2], f[3]);

		if (len < 0 || (size_t)len >= sizeof(origin))
			return reader_error(r, "the 'V' record is too long");
		c->t.origin = pool_add(c, origin, (size_t)len);
		c->own.has_origin = true;
		return 0;
	}
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

static int parse_text(struct reader *r)
{
	struct source *src = r->src;
	char *p = src->text, *end = src->text + src->len;
	const char *nul = memchr(src->text, '\0', src->len);

	/* Index the lines while the newlines are still in the text. */
	source_line_of(src, 0, NULL);
	if (nul) {
		r->line_off = (size_t)(nul - src->text);
		return reader_error(r, "the file contains a NUL byte");
	}
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl)
			*nl = '\0';
		r->line = p;
		r->line_off = (size_t)(p - src->text);
		r->line_len = (size_t)((nl ? nl : end) - p);
		if (parse_record(r) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	r->line = NULL;
	return 0;
}

/* Parse the file at path into c's tables. Returns -1 after reporting. */
static int parse_file(struct catalog *c, const char *path, struct reader *r,
		      struct diag *d)
{
	struct stat st;
	int ret;

	r->c = c;
	r->d = d;
	r->line = NULL;
	/* A FIFO with no writer would read as an empty catalog. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		diag_path(d, DIAG_ERROR, path, "not a regular file; the "
			  "standard library is damaged, so reinstall it");
		return -1;
	}
	if (source_load(&r->src, path, CATALOG_MAX, d) < 0)
		return -1;
	ret = parse_text(r);
	source_free(r->src);
	r->src = NULL;
	return ret;
}

static uint32_t index_cap(size_t n)
{
	uint32_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	return cap;
}

static const struct catalog *sort_catalog;

static int cmp_folded(const void *a, const void *b)
{
	const struct catalog *c = sort_catalog;

	return fold_cmp(c->own.text + c->own.actions[*(const uint32_t *)a].name,
			c->own.text + c->own.actions[*(const uint32_t *)b].name);
}

/* Give each service its own table of slots in action_index. */
static void index_actions(struct catalog *c)
{
	uint32_t total = 0, i, id;

	for (i = 0; i < c->own.nservices; i++) {
		struct cat_service *s = &c->own.services[i];

		s->slots = total;
		s->nslots = s->count ? index_cap(s->count) : 0;
		total += s->nslots;
	}
	c->own.action_index = xcalloc(total + 1, sizeof(uint32_t));
	c->t.action_index_cap = total;
	for (i = 0; i < c->own.nservices; i++) {
		const struct cat_service *s = &c->own.services[i];
		uint32_t *table = c->own.action_index + s->slots;

		for (id = s->first; id < s->first + s->count; id++) {
			size_t slot = (size_t)hash_lower(c->own.text +
							 c->own.actions[id].name);

			slot &= s->nslots - 1;
			while (table[slot])
				slot = (slot + 1) & (s->nslots - 1);
			table[slot] = id + 1;
		}
	}
}

/*
 * An entry of service_index: the top 16 bits of the prefix's hash, so
 * that most other prefixes are passed over without reading theirs, then
 * the service's index + 1.
 */
static uint32_t service_entry(uint64_t hash, uint32_t i)
{
	return (uint32_t)(hash >> 48) << 16 | (i + 1);
}

static void index_services(struct catalog *c)
{
	uint32_t cap = index_cap(c->own.nservices), mask = cap - 1, i;

	c->own.service_index = xcalloc(cap, sizeof(uint32_t));
	c->t.service_index_cap = cap;
	for (i = 0; i < c->own.nservices; i++) {
		uint64_t hash = hash_lower(c->own.text +
					   c->own.services[i].prefix);
		size_t slot = (size_t)hash & mask;

		while (c->own.service_index[slot])
			slot = (slot + 1) & mask;
		c->own.service_index[slot] = service_entry(hash, i);
	}
}

static void read_small_tables(struct catalog *c)
{
	c->services = pagein_range(c->pages, c->t.services,
				   c->t.nservices * sizeof(*c->t.services));
	c->rtypes = pagein_range(c->pages, c->t.rtypes,
				 c->t.nrtypes * sizeof(*c->t.rtypes));
	c->service_index = pagein_range(c->pages, c->t.service_index,
					c->t.service_index_cap *
					sizeof(uint32_t));
}

/* Build the lookup tables once every record is in, and publish them. */
static void finish(struct catalog *c)
{
	uint32_t cap, mask, i;

	index_actions(c);
	index_services(c);
	cap = index_cap(c->own.nkeys);
	mask = cap - 1;
	c->own.key_index = xcalloc(cap, sizeof(uint32_t));
	c->t.key_index_cap = cap;
	for (i = 0; i < c->own.nkeys; i++) {
		const char *name = c->own.text + c->own.keys[i].name;
		size_t slot = (size_t)hash_lower(name) & mask;
		bool known = false;

		for (; c->own.key_index[slot]; slot = (slot + 1) & mask) {
			const struct cat_condition_key *k =
				&c->own.keys[c->own.key_index[slot] - 1];

			/* The first definition wins. */
			known = !strcasecmp(c->own.text + k->name, name);
			if (known)
				break;
		}
		if (!known)
			c->own.key_index[slot] = i + 1;
	}
	/* Names are unique ignoring case, so this order is total. */
	c->own.folded_order = xcalloc(c->own.nactions + 1, sizeof(uint32_t));
	for (i = 0; i < c->own.nactions; i++)
		c->own.folded_order[i] = i;
	sort_catalog = c;
	qsort(c->own.folded_order, c->own.nactions, sizeof(uint32_t),
	      cmp_folded);
	sort_catalog = NULL;

	c->t.text = c->own.text;
	c->t.text_len = (uint32_t)c->own.text_len;
	c->t.services = c->own.services;
	c->t.nservices = (uint32_t)c->own.nservices;
	c->t.rtypes = c->own.rtypes;
	c->t.nrtypes = (uint32_t)c->own.nrtypes;
	c->t.actions = c->own.actions;
	c->t.nactions = (uint32_t)c->own.nactions;
	c->t.lists = c->own.lists;
	c->t.nlists = (uint32_t)c->own.nlists;
	c->t.keys = c->own.keys;
	c->t.nkeys = (uint32_t)c->own.nkeys;
	c->t.templates = c->own.templates;
	c->t.ntemplates = (uint32_t)c->own.ntemplates;
	c->t.action_index = c->own.action_index;
	c->t.service_index = c->own.service_index;
	c->t.key_index = c->own.key_index;
	c->t.folded_order = c->own.folded_order;
	read_small_tables(c);
}

/* Return the path of the global keys file beside the catalog at path. */
static char *globals_path(const char *catalog_path)
{
	const char *slash = strrchr(catalog_path, '/');
	size_t dir = slash ? (size_t)(slash - catalog_path + 1) : 0;
	char *path = xmalloc(dir + sizeof(GLOBAL_KEYS_FILE));

	memcpy(path, catalog_path, dir);
	memcpy(path + dir, GLOBAL_KEYS_FILE, sizeof(GLOBAL_KEYS_FILE));
	return path;
}

static struct catalog *catalog_new(void)
{
	struct catalog *c = xcalloc(1, sizeof(*c));

	c->memo = xcalloc(1, sizeof(*c->memo));
	return c;
}

/*
 * A 64-bit hash of a stream of 8-byte words, fast enough to run over
 * the 1.5 MB catalog on every load. Four lanes take every fourth word,
 * so their multiplications overlap instead of waiting on each other.
 */
#define DIGEST_LANES 4

struct digest {
	uint64_t lane[DIGEST_LANES];
};

static uint64_t digest_word(uint64_t h, uint64_t w)
{
	h ^= w * 0x9e3779b97f4a7c15ULL;
	h = (h << 27 | h >> 37) * 0xbf58476d1ce4e5b9ULL;
	return h;
}

/* Digest the whole blocks of 32 bytes at buf; return the bytes used. */
static size_t digest_blocks(struct digest *dg, const unsigned char *buf,
			    size_t len)
{
	size_t i, j;

	for (i = 0; i + 8 * DIGEST_LANES <= len; i += 8 * DIGEST_LANES)
		for (j = 0; j < DIGEST_LANES; j++) {
			uint64_t w;

			memcpy(&w, buf + i + 8 * j, 8);
			dg->lane[j] = digest_word(dg->lane[j], w);
		}
	return i;
}

/* Digest the file at path and its length, after what dg has seen. */
static int digest_file(const char *path, struct digest *dg)
{
	unsigned char buf[1 << 14];
	size_t have = 0, total = 0, i;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > CATALOG_MAX) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (total += (size_t)n) > CATALOG_MAX) {
			close(fd);
			return -1;
		}
		have += (size_t)n;
		i = digest_blocks(dg, buf, have);
		memmove(buf, buf + i, have - i);
		have -= i;
		if (!n)
			break;
	}
	close(fd);
	/* The last 0 to 31 bytes, zero-padded to whole words. */
	for (i = 0; i < have; i += 8) {
		uint64_t w = 0;

		memcpy(&w, buf + i, have - i < 8 ? have - i : 8);
		dg->lane[0] = digest_word(dg->lane[0], w);
	}
	dg->lane[1] = digest_word(dg->lane[1], total);
	return 0;
}

int catalog_digest(const char *path, uint64_t *digest)
{
	char *globals = globals_path(path);
	struct digest dg = { { 0x6d616e6461746531ULL, 1, 2, 3 } };
	uint64_t h = 0;
	int ret = digest_file(path, &dg);
	size_t j;

	if (ret == 0)
		ret = digest_file(globals, &dg);
	free(globals);
	for (j = 0; j < DIGEST_LANES; j++)
		h = digest_word(h, dg.lane[j]);
	*digest = h;
	return ret;
}

int catalog_parse(struct catalog **out, const char *path, struct diag *d)
{
	struct catalog *c = catalog_new();
	struct reader r = { .catalog_file = true };
	char *globals = globals_path(path);

	*out = NULL;
	if (catalog_digest(path, &c->t.digest) < 0)
		c->t.digest = 0;
	if (parse_file(c, path, &r, d) < 0)
		goto fail;
	if (!c->own.nactions) {
		diag_path(d, DIAG_ERROR, path, "malformed catalog: no actions");
		goto fail;
	}
	if (!c->own.has_origin) {
		diag_path(d, DIAG_ERROR, path,
			  "malformed catalog: no 'V' record naming its source");
		goto fail;
	}
	if (!r.ended) {
		diag_path(d, DIAG_ERROR, path, "malformed catalog: no 'E' "
			  "record at the end, so the file is cut short; the "
			  "standard library is damaged, so reinstall it");
		goto fail;
	}
	r.catalog_file = false;
	r.ended = false;
	if (parse_file(c, globals, &r, d) < 0)
		goto fail;
	if (c->own.text_len > UINT32_MAX || c->own.nlists > UINT32_MAX) {
		diag_path(d, DIAG_ERROR, path, "malformed catalog: too large");
		goto fail;
	}
	finish(c);
	free(r.names);
	free(globals);
	*out = c;
	return 0;
fail:
	free(r.names);
	free(globals);
	catalog_free(c);
	return -1;
}


int catalog_load(struct catalog **out, const char *path,
		 const struct cat_tables *builtin, struct diag *d)
{
	struct catalog *c;
	uint64_t digest;

	if (!builtin || catalog_digest(path, &digest) < 0 ||
	    digest != builtin->digest)
		return catalog_parse(out, path, d);
	c = catalog_new();
	c->t = *builtin;
	c->builtin = true;
	if (builtin->block) {
		uint64_t mark[2] = { CATALOG_MARK, builtin->digest };

		c->pages = pagein_open(builtin->block, builtin->block_len,
				       mark, sizeof(mark));
	}
	read_small_tables(c);
	*out = c;
	return 0;
}

void catalog_free(struct catalog *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; c->rtemplates && i < c->t.nrtypes; i++)
		match_template_free(c->rtemplates[i]);
	free(c->rtemplates);
	free(c->last.text);
	free(c->last.known);
	free(c->last.overlaps);
	match_pattern_free(c->last.tokens);
	free(c->own.text);
	free(c->own.services);
	free(c->own.rtypes);
	free(c->own.actions);
	free(c->own.lists);
	free(c->own.keys);
	free(c->own.templates);
	free(c->own.action_index);
	free(c->own.service_index);
	free(c->own.key_index);
	free(c->own.folded_order);
	pagein_free(c->pages);
	if (c->memo) {
		for (i = 0; i < c->memo->ncopies; i++)
			free(c->memo->copies[i]);
		free(c->memo->copies);
		free(c->memo->slots);
		free(c->memo);
	}
	free(c);
}

const struct cat_tables *catalog_tables(const struct catalog *c)
{
	return &c->t;
}

bool catalog_is_builtin(const struct catalog *c)
{
	return c->builtin;
}

/*
 * Each record of the tables, read through the pager. Every read of a
 * table below goes through one of these. A read that did not would
 * read the original in place, which is as correct but uses more memory.
 */
static const char *text_at(const struct catalog *c, uint32_t off)
{
	return pagein_string(c->pages, c->t.text + off);
}

static const struct cat_service *service_at(const struct catalog *c,
					    uint32_t i)
{
	return &c->services[i];
}

static const struct cat_resource_type *rtype_at(const struct catalog *c,
						uint32_t i)
{
	return &c->rtypes[i];
}

static const struct cat_action *action_at(const struct catalog *c,
					  uint32_t id)
{
	return pagein_at(c->pages, &c->t.actions[id], sizeof(c->t.actions[id]));
}

static const struct cat_condition_key *key_at(const struct catalog *c,
					      uint32_t i)
{
	return pagein_at(c->pages, &c->t.keys[i], sizeof(c->t.keys[i]));
}

static const struct cat_key_template *template_at(const struct catalog *c,
						  size_t i)
{
	return pagein_at(c->pages, &c->t.templates[i],
			 sizeof(c->t.templates[i]));
}

static uint32_t read_u32(const struct catalog *c, const uint32_t *p)
{
	return *(const uint32_t *)pagein_at(c->pages, p, sizeof(*p));
}

static uint32_t list_at(const struct catalog *c, uint32_t i)
{
	return read_u32(c, &c->t.lists[i]);
}

static uint32_t action_slot(const struct catalog *c, size_t i)
{
	return read_u32(c, &c->t.action_index[i]);
}

static uint32_t service_slot(const struct catalog *c, size_t i)
{
	return c->service_index[i];
}

static uint32_t key_slot(const struct catalog *c, size_t i)
{
	return read_u32(c, &c->t.key_index[i]);
}

uint32_t catalog_folded_at(const struct catalog *c, size_t i)
{
	if (i >= c->t.nactions)
		BUG("folded position %zu of %u", i, c->t.nactions);
	return read_u32(c, &c->t.folded_order[i]);
}

const char *catalog_text(const struct catalog *c, uint32_t off)
{
	if (off >= c->t.text_len)
		BUG("catalog text offset %u of %u", off, c->t.text_len);
	return text_at(c, off);
}

const struct cat_service *catalog_service(const struct catalog *c,
					  uint32_t index)
{
	if (index >= c->t.nservices)
		BUG("service %u of %u", index, c->t.nservices);
	return service_at(c, index);
}

const struct cat_resource_type *
catalog_action_rtype(const struct catalog *c, const struct cat_action *a,
		     uint32_t i)
{
	if (i >= a->nrtypes)
		BUG("resource type %u of %u", i, (unsigned)a->nrtypes);
	return rtype_at(c, list_at(c, a->rtypes + i));
}

const char *catalog_action_key(const struct catalog *c,
			       const struct cat_action *a, uint32_t i)
{
	if (i >= a->nconditions)
		BUG("condition key %u of %u", i, a->nconditions);
	return text_at(c, list_at(c, a->conditions + i));
}

const char *catalog_action_name(const struct catalog *c, uint32_t id)
{
	return text_at(c, catalog_action(c, id)->name);
}

const char *catalog_source(const struct catalog *c)
{
	return text_at(c, c->t.origin);
}

uint32_t catalog_count(const struct catalog *c)
{
	return c->t.nactions;
}

const struct cat_action *catalog_action(const struct catalog *c, uint32_t id)
{
	if (id >= c->t.nactions)
		BUG("action id %u of %u", id, c->t.nactions);
	return action_at(c, id);
}

/* Return the action of the service s named name, or NULL. */
static const struct cat_action *find_in_service(const struct catalog *c,
						const struct cat_service *s,
						const char *name)
{
	size_t mask = s->nslots - 1, i;
	uint32_t slot;

	if (!s->nslots)
		return NULL;
	for (i = (size_t)hash_lower(name) & mask;
	     (slot = action_slot(c, s->slots + i)); i = (i + 1) & mask) {
		const struct cat_action *a = action_at(c, slot - 1);

		if (!strcasecmp(text_at(c, a->name), name))
			return a;
	}
	return NULL;
}

/*
 * Return the service whose prefix is the n bytes at prefix, or NULL.
 * With name, return instead the action called name, looked for in each
 * service whose entry matches without comparing prefixes, because only
 * the right service can contain it.
 */
static const void *find_service(const struct catalog *c, const char *prefix,
				size_t n, const char *name)
{
	size_t mask = c->t.service_index_cap - 1;
	uint64_t hash = hash_lower_n(prefix, n);
	uint32_t top = (uint32_t)(hash >> 48), entry;
	size_t i;

	for (i = (size_t)hash & mask; (entry = service_slot(c, i));
	     i = (i + 1) & mask) {
		const struct cat_service *s;
		const char *text;

		if (entry >> 16 != top)
			continue;
		s = service_at(c, (entry & 0xffff) - 1);
		if (name) {
			const struct cat_action *a =
				find_in_service(c, s, name);

			if (a)
				return a;
			continue;
		}
		text = text_at(c, s->prefix);
		if (!strncasecmp(text, prefix, n) && !text[n])
			return s;
	}
	return NULL;
}

const struct cat_action *catalog_find_action(const struct catalog *c,
					     const char *name)
{
	const char *colon = strchr(name, ':');

	if (!colon)
		return NULL;
	return find_service(c, name, (size_t)(colon - name), name);
}

const struct cat_service *catalog_find_service(const struct catalog *c,
					       const char *prefix)
{
	return find_service(c, prefix, strlen(prefix), NULL);
}

/*
 * The records of one service's actions, read at once, with their names
 * or their lists when asked for: for loops over a whole service.
 */
struct service_view {
	const struct cat_action *actions;	/* [0] is the first action */
	const char *text;			/* the pool, from its start */
	const uint32_t *lists;			/* the lists, from their start */
};

static void view_service(const struct catalog *c, const struct cat_service *s,
			 bool names, bool lists, struct service_view *v)
{
	uint32_t lo = UINT32_MAX, hi = 0, i;

	v->text = pagein_base(c->pages, c->t.text);
	v->lists = pagein_base(c->pages, c->t.lists);
	if (!s->count) {
		v->actions = NULL;
		return;
	}
	v->actions = pagein_range(c->pages, &c->t.actions[s->first],
				       s->count * sizeof(struct cat_action));
	if (names) {
		for (i = 0; i < s->count; i++) {
			lo = v->actions[i].name < lo ? v->actions[i].name : lo;
			hi = v->actions[i].name > hi ? v->actions[i].name : hi;
		}
		pagein_range(c->pages, c->t.text + lo, hi - lo);
		text_at(c, hi);
	}
	if (lists) {
		lo = UINT32_MAX;
		hi = 0;
		for (i = 0; i < s->count; i++) {
			const struct cat_action *a = &v->actions[i];

			if (!a->nrtypes)
				continue;
			lo = a->rtypes < lo ? a->rtypes : lo;
			hi = a->rtypes + a->nrtypes > hi ? a->rtypes + a->nrtypes
							 : hi;
		}
		if (hi)
			pagein_range(c->pages, &c->t.lists[lo],
					  (hi - lo) * sizeof(uint32_t));
	}
}

static size_t add_service_actions(const struct catalog *c,
				  const struct cat_service *s,
				  const char *pattern, bool all,
				  struct actset *out)
{
	struct service_view v;
	size_t n = 0;
	uint32_t i;

	view_service(c, s, !all, false, &v);
	for (i = 0; i < s->count; i++) {
		if (!all && !match_action(pattern, v.text + v.actions[i].name))
			continue;
		actset_add(out, s->first + i);
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
		for (i = 0; i < c->t.nactions; i++)
			actset_add(out, (uint32_t)i);
		return (int)c->t.nactions;
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
	for (i = 0; i < c->t.nservices; i++) {
		const struct cat_service *s = service_at(c, (uint32_t)i);

		if (match_action(service, text_at(c, s->prefix)))
			n += add_service_actions(c, s, pattern, all, out);
	}
	return (int)n;
}

static struct overlap_entry *memo_slot(struct overlap_entry *slots,
				       size_t cap, uint64_t hash,
				       const char *pattern, uint32_t rtype)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slots[i].pattern && (slots[i].hash != (uint32_t)hash ||
				    slots[i].rtype != rtype ||
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
			*memo_slot(slots, cap, e->hash, e->pattern, e->rtype) =
				*e;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

/* Forget every entry, keeping the slots. */
static void memo_clear(struct overlap_memo *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		m->slots[i].pattern = NULL;
	for (i = 0; i < m->ncopies; i++)
		free(m->copies[i]);
	m->ncopies = 0;
	m->last_copy = NULL;
	m->n = 0;
}

/* Return the memo's copy of the last pattern, made on first use. */
static const char *memo_copy(struct overlap_memo *m, const char *pattern)
{
	if (!m->last_copy) {
		grow_array((void **)&m->copies, &m->copies_cap,
			   m->ncopies + 1, sizeof(*m->copies));
		m->copies[m->ncopies] = xstrdup(pattern);
		m->last_copy = m->copies[m->ncopies++];
	}
	return m->last_copy;
}

/*
 * Make pattern the last pattern, hashed. The memo and the tokens are
 * caches, so they change behind a const catalog.
 */
static struct catalog *use_pattern(const struct catalog *cc,
				   const char *pattern)
{
	struct catalog *c = (struct catalog *)cc;
	size_t n;

	if (c->last.text && !strcmp(c->last.text, pattern))
		return c;
	n = strlen(pattern);
	grow_array((void **)&c->last.text, &c->last.cap, n + 1, 1);
	memcpy(c->last.text, pattern, n + 1);
	c->last.hash = hash_bytes(pattern, n);
	c->last.names_star = -1;
	c->memo->last_copy = NULL;
	if (c->last.known) {
		memset(c->last.known, 0,
		       (c->t.nrtypes / 64 + 1) * sizeof(uint64_t));
		memset(c->last.overlaps, 0,
		       (c->t.nrtypes / 64 + 1) * sizeof(uint64_t));
	}
	match_pattern_free(c->last.tokens);
	c->last.tokens = NULL;
	c->last.tokenized = false;
	return c;
}

/*
 * Return match_template_overlap(the last pattern, the ARN of resource
 * type rtype), remembered in the memo.
 */
static bool template_overlap(struct catalog *c, uint32_t rtype)
{
	struct overlap_memo *m = c->memo;
	const char *pattern = c->last.text;
	const char *arn = text_at(c, rtype_at(c, rtype)->arn);
	uint64_t hash = c->last.hash ^
			((uint64_t)(rtype + 1) * 0x9e3779b97f4a7c15u);
	struct match_template *t;
	struct overlap_entry *e;
	bool overlaps;

	if (m->cap) {
		e = memo_slot(m->slots, m->cap, hash, pattern, rtype);
		if (e->pattern)
			return e->overlaps;
	}
	if (!c->rtemplates)
		c->rtemplates = xcalloc(c->t.nrtypes + 1,
					sizeof(*c->rtemplates));
	if (!c->rtemplates[rtype])
		c->rtemplates[rtype] = match_template_new(arn);
	if (!c->last.tokenized) {
		c->last.tokens = match_pattern_new(pattern);
		c->last.tokenized = true;
	}
	t = c->rtemplates[rtype];
	if (t && c->last.tokens)
		overlaps = match_pattern_overlap(c->last.tokens, t);
	else if (t)
		overlaps = match_template_overlap_with(pattern, t);
	else
		overlaps = match_template_overlap(pattern, arn);
	if (m->n >= OVERLAP_MEMO_MAX)
		memo_clear(m);
	if (2 * (m->n + 1) > m->cap)
		memo_grow(m);
	e = memo_slot(m->slots, m->cap, hash, pattern, rtype);
	e->hash = (uint32_t)hash;
	e->rtype = rtype & 0x7fffffff;
	e->pattern = memo_copy(m, pattern);
	e->overlaps = overlaps;
	m->n++;
	return overlaps;
}

bool catalog_action_applies(const struct catalog *cc,
			    const struct cat_action *a, const char *pattern)
{
	struct catalog *c;
	uint32_t i;

	if (!strcmp(pattern, "*"))
		return true;
	if (!a->nrtypes)
		return false;
	c = use_pattern(cc, pattern);
	if (!c->last.known) {
		c->last.known = xcalloc(c->t.nrtypes / 64 + 1,
					sizeof(uint64_t));
		c->last.overlaps = xcalloc(c->t.nrtypes / 64 + 1,
					   sizeof(uint64_t));
	}
	for (i = 0; i < a->nrtypes; i++) {
		uint32_t rt = list_at(c, a->rtypes + i);
		uint64_t bit = (uint64_t)1 << (rt % 64);

		if (!(c->last.known[rt / 64] & bit)) {
			c->last.known[rt / 64] |= bit;
			if (template_overlap(c, rt))
				c->last.overlaps[rt / 64] |= bit;
		}
		if (c->last.overlaps[rt / 64] & bit)
			return true;
	}
	return false;
}

bool catalog_action_overlap(const struct catalog *c,
			    const struct cat_action *a, const char *p,
			    const char *q)
{
	uint32_t i;

	/*
	 * "*" names every resource, so the other pattern decides: it
	 * overlaps "*" itself, the resource of an action without types,
	 * when it matches that text, and otherwise through a's types.
	 */
	if (!strcmp(p, "*") || !strcmp(q, "*")) {
		const char *other = strcmp(p, "*") ? p : q;
		struct catalog *mc = use_pattern(c, other);

		if (mc->last.names_star < 0)
			mc->last.names_star = match_resource(other, "*");
		return mc->last.names_star ||
		       catalog_action_applies(c, a, other);
	}
	if (match_resource(p, "*") && match_resource(q, "*"))
		return true;
	for (i = 0; i < a->nrtypes; i++)
		if (match_resource_overlap_in(p, q,
					      catalog_text(c,
						catalog_action_rtype(c, a, i)->arn)))
			return true;
	return false;
}

uint32_t catalog_expand_level(const struct catalog *c,
			      const struct cat_service *svc, unsigned levels,
			      const char *pattern, struct actset *out)
{
	bool everything = !strcmp(pattern, "*");
	bool *overlaps = xcalloc(svc->nrtypes + 1, sizeof(bool));
	struct catalog *mc = everything ? NULL : use_pattern(c, pattern);
	struct service_view v;
	uint32_t n = 0, i;

	/* Each resource type is compared with the pattern once. */
	for (i = 0; i < svc->nrtypes; i++)
		overlaps[i] = everything ||
			      template_overlap(mc, svc->rtypes + i);
	view_service(c, svc, false, true, &v);
	for (i = 0; i < svc->count; i++) {
		const struct cat_action *a = &v.actions[i];
		bool applies = everything;
		uint32_t k;

		if (!(a->level & levels))
			continue;
		for (k = 0; k < a->nrtypes && !applies; k++)
			applies = overlaps[v.lists[a->rtypes + k] -
					   svc->rtypes];
		if (applies && actset_add(out, svc->first + i))
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
		const char *cand = strchr(text_at(c, action_at(c, id)->name),
					  ':') + 1;
		size_t d = distance(colon + 1, cand, best_d);

		if (d <= best_d && (!best || d < best_d)) {
			best = text_at(c, action_at(c, id)->name);
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

	for (i = 0; i < c->t.nservices; i++) {
		const char *cand = text_at(c, service_at(c, i)->prefix);
		size_t d = distance(prefix, cand, best_d);

		if (d <= best_d && (!best || d < best_d)) {
			best = cand;
			best_d = d;
		}
	}
	return best;
}

const struct cat_condition_key *
catalog_find_condition_key(const struct catalog *c, const char *key)
{
	size_t mask = c->t.key_index_cap - 1, i, n = strlen(key), best_fixed = 0;
	const struct cat_condition_key *best = NULL;

	for (i = (size_t)hash_lower(key) & mask; key_slot(c, i);
	     i = (i + 1) & mask) {
		const struct cat_condition_key *k =
			key_at(c, key_slot(c, i) - 1);

		if (!strcasecmp(text_at(c, k->name), key))
			return k;
	}
	/*
	 * The variable stands for any non-empty text. When several
	 * templates fit, as "events:Metadata/${MetadataKey}" and
	 * "events:Metadata/${MetadataKey}/Matcher" both fit
	 * "events:Metadata/a/Matcher", the one with the most fixed text wins.
	 */
	for (i = 0; i < c->t.ntemplates; i++) {
		const struct cat_key_template *t = template_at(c, i);
		const struct cat_condition_key *k = key_at(c, t->key);
		const char *name = text_at(c, k->name);
		size_t fixed = (size_t)t->prefix_len + t->suffix_len;

		if (n <= fixed || (best && fixed <= best_fixed))
			continue;
		if (strncasecmp(key, name, t->prefix_len) ||
		    strcasecmp(key + n - t->suffix_len,
			       name + strlen(name) - t->suffix_len))
			continue;
		best = k;
		best_fixed = fixed;
	}
	return best;
}
