/*
 * gen_catalog: compile the standard library's AWS catalog into C.
 *
 *   gen_catalog CATALOG OUTPUT.c
 *
 * parses CATALOG (stdlib/aws/catalog.txt) and the global condition keys
 * beside it, as mandate would, and writes their tables as constant C
 * arrays defining catalog_builtin. A binary built with them finds the
 * catalog's actions without parsing 1.5 MB of text on every run. It
 * still reads the files, to check that they are the ones built in.
 */
#include "common.h"
#include "catalog.h"

#include <errno.h>
#include <unistd.h>

#include "diag.h"
#include "pagein.h"

/* Write s as the body of a C string literal, in lines of about 100. */
static void put_text(FILE *f, const char *s, size_t n)
{
	size_t i, col = 0;

	fputs("\t\"", f);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		/* '?' is escaped too, as "??=" would be a trigraph. */
		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' &&
		    ch != '?') {
			fputc(ch, f);
			col++;
		} else {
			fprintf(f, "\\%03o", ch);
			col += 4;
		}
		if (col >= 96 && i + 1 < n) {
			fputs("\"\n\t\"", f);
			col = 0;
		}
	}
	fputs("\"", f);
}

static void put_u32s(FILE *f, const uint32_t *v, size_t n)
{
	size_t i;

	fputc('{', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%u,", i % 12 ? " " : "\n\t", v[i]);
	/* One more, so that an empty table is still a valid array. */
	fputs("\n\t0\n},\n", f);
}

/* Declare the block that contains every table, so they lie together. */
static void put_block_type(FILE *f, const struct cat_tables *t)
{
	/*
	 * Aligned and sized to whole 64 kB, the fault-around window of
	 * Linux's default fault_around_bytes, so that a fault on other
	 * constant data never maps pages of the block.
	 */
	fputs("static const struct __attribute__((aligned(65536))) {\n"
	      "\tuint64_t mark[2];\n", f);
	fprintf(f, "\tchar text[%u];\n", t->text_len + 1);
	fprintf(f, "\tstruct cat_service services[%u];\n", t->nservices + 1);
	fprintf(f, "\tstruct cat_resource_type rtypes[%u];\n", t->nrtypes + 1);
	fprintf(f, "\tstruct cat_action actions[%u];\n", t->nactions + 1);
	fprintf(f, "\tstruct cat_condition_key keys[%u];\n", t->nkeys + 1);
	fprintf(f, "\tstruct cat_key_template templates[%u];\n",
		t->ntemplates + 1);
	fprintf(f, "\tuint32_t lists[%u];\n", t->nlists + 1);
	fprintf(f, "\tuint32_t action_index[%u];\n", t->action_index_cap + 1);
	fprintf(f, "\tuint32_t service_index[%u];\n",
		t->service_index_cap + 1);
	fprintf(f, "\tuint32_t key_index[%u];\n", t->key_index_cap + 1);
	fprintf(f, "\tuint32_t folded_order[%u];\n} block = {\n",
		t->nactions + 1);
}

static void put_records(FILE *f, const struct cat_tables *t)
{
	uint32_t i;

	fputs("{\n", f);
	for (i = 0; i < t->nservices; i++) {
		const struct cat_service *s = &t->services[i];

		fprintf(f, "\t{ %u, %u, %u, %u, %u, %u, %u, %u },\n",
			s->prefix, s->title, s->first, s->count, s->rtypes,
			s->nrtypes, s->slots, s->nslots);
	}
	fputs("\t{ 0 }\n},\n{\n", f);
	for (i = 0; i < t->nrtypes; i++)
		fprintf(f, "\t{ %u, %u },\n", t->rtypes[i].name,
			t->rtypes[i].arn);
	fputs("\t{ 0 }\n},\n{\n", f);
	for (i = 0; i < t->nactions; i++) {
		const struct cat_action *a = &t->actions[i];

		fprintf(f, "\t{ %u, %u, %u, %u, %u, %u, %u, %u },\n", a->id,
			a->name, a->service, a->level, a->nrtypes, a->rtypes,
			a->conditions, a->nconditions);
	}
	fputs("\t{ 0 }\n},\n{\n", f);
	for (i = 0; i < t->nkeys; i++)
		fprintf(f, "\t{ %u, %u, %s },\n", t->keys[i].name,
			t->keys[i].type,
			t->keys[i].multivalued ? "true" : "false");
	fputs("\t{ 0 }\n},\n{\n", f);
	for (i = 0; i < t->ntemplates; i++)
		fprintf(f, "\t{ %u, %u, %u },\n", t->templates[i].key,
			t->templates[i].prefix_len, t->templates[i].suffix_len);
	fputs("\t{ 0 }\n},\n", f);
}

static void write_tables(FILE *f, const struct cat_tables *t,
			 const char *source)
{
	fprintf(f, "/*\n * The tables of %s and the global condition keys "
		"beside it,\n * written by gen_catalog; do not edit.\n */\n",
		source);
	fputs("#include \"common.h\"\n#include \"catalog.h\"\n\n", f);

	put_block_type(f, t);
	fprintf(f, "{ 0x%016llxULL, 0x%016llxULL },\n",
		(unsigned long long)CATALOG_MARK,
		(unsigned long long)t->digest);
	put_text(f, t->text, t->text_len);
	fputs(",\n", f);
	put_records(f, t);
	put_u32s(f, t->lists, t->nlists);
	put_u32s(f, t->action_index, t->action_index_cap);
	put_u32s(f, t->service_index, t->service_index_cap);
	put_u32s(f, t->key_index, t->key_index_cap);
	put_u32s(f, t->folded_order, t->nactions);
	fputs("};\n\n", f);

	fputs("const struct cat_tables catalog_builtin = {\n", f);
	fprintf(f, "\t.text = block.text,\n\t.text_len = %u,\n"
		"\t.origin = %u,\n", t->text_len, t->origin);
	fprintf(f, "\t.services = block.services,\n\t.nservices = %u,\n",
		t->nservices);
	fprintf(f, "\t.rtypes = block.rtypes,\n\t.nrtypes = %u,\n",
		t->nrtypes);
	fprintf(f, "\t.actions = block.actions,\n\t.nactions = %u,\n",
		t->nactions);
	fprintf(f, "\t.lists = block.lists,\n\t.nlists = %u,\n", t->nlists);
	fprintf(f, "\t.keys = block.keys,\n\t.nkeys = %u,\n", t->nkeys);
	fprintf(f, "\t.templates = block.templates,\n"
		"\t.ntemplates = %u,\n", t->ntemplates);
	fprintf(f, "\t.action_index = block.action_index,\n"
		"\t.action_index_cap = %u,\n", t->action_index_cap);
	fprintf(f, "\t.service_index = block.service_index,\n"
		"\t.service_index_cap = %u,\n", t->service_index_cap);
	fprintf(f, "\t.key_index = block.key_index,\n"
		"\t.key_index_cap = %u,\n", t->key_index_cap);
	fputs("\t.folded_order = block.folded_order,\n", f);
	fputs("\t.block = &block,\n\t.block_len = sizeof(block),\n", f);
	fprintf(f, "\t.digest = 0x%016llxULL,\n};\n",
		(unsigned long long)t->digest);
}

/*
 * Report a string of the pool that is a page long or more, which the
 * program could not read through its pager (pagein_string).
 */
static bool long_string(const struct cat_tables *t)
{
	uint32_t off = 0;

	while (off < t->text_len) {
		size_t n = strlen(t->text + off);

		if (n + 1 >= PAGEIN_PAGE) {
			fprintf(stderr, "gen_catalog: the string at offset %u "
				"is %zu bytes long, more than a page\n", off, n);
			return true;
		}
		off += (uint32_t)n + 1;
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *out_path;
	struct catalog *c;
	struct diag d;
	uint64_t digest;
	bool failed;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_catalog CATALOG OUTPUT.c\n");
		return 2;
	}
	out_path = argv[2];
	diag_init(&d, stderr, false);
	if (catalog_parse(&c, argv[1], &d) < 0)
		return 2;
	if (catalog_digest(argv[1], &digest) < 0 ||
	    digest != catalog_tables(c)->digest) {
		fprintf(stderr, "gen_catalog: %s changed while it was read\n",
			argv[1]);
		return 2;
	}
	if (long_string(catalog_tables(c)))
		return 2;
	f = fopen(out_path, "w");
	if (!f) {
		fprintf(stderr, "gen_catalog: %s: %s\n", out_path,
			strerror(errno));
		return 2;
	}
	write_tables(f, catalog_tables(c), argv[1]);
	failed = fflush(f) || ferror(f);
	if (fclose(f) || failed) {
		fprintf(stderr, "gen_catalog: %s: write failed\n", out_path);
		unlink(out_path);
		return 2;
	}
	catalog_free(c);
	return 0;
}
