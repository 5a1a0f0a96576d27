#include "common.h"
#include "unit.h"

#include "json.h"
#include "source.h"

/* Return the offset of the first non-whitespace byte, one at a time. */
static size_t skip_ws_bytewise(const char *text, size_t len, size_t pos)
{
	while (pos < len && text[pos] && strchr(" \t\n\r", text[pos]))
		pos++;
	return pos;
}

static void test_json__skip_ws_indents(void)
{
	static const char *const cases[] = {
		"",
		"x",
		" ",
		"\n  x",
		"\n                  \"k\"",
		"\n        x",
		"\n       x",
		"\n         x",
		"                                ]",
		" \t \r\n    \t        x",
		"\n    \n        \n            }",
		"        \t        ",
	};
	size_t i, len, pos;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = strlen(cases[i]);
		for (pos = 0; pos <= len; pos++)
			CHECK_INT(json_skip_ws(cases[i], len, pos),
				  skip_ws_bytewise(cases[i], len, pos));
	}
}

static void test_json__skip_ws_stops_at_len(void)
{
	const char *text = "\n                        x";
	size_t len;

	/* Spaces past len are not part of the text. */
	for (len = 0; len <= strlen(text); len++)
		CHECK_INT(json_skip_ws(text, len, 0),
			  skip_ws_bytewise(text, len, 0));
}

/*
 * Put each kind of byte that ends a run of plain string bytes at every
 * position of the 8-byte words that the skipper reads at once.
 */
static void test_json__string_special_byte_positions(void)
{
	static const struct {
		const char *bytes;
		int ret;
		size_t fault_at;	/* past the plain run, when ret is -1 */
	} cases[] = {
		{ "\\n", 0, 0 },
		{ "\\u00e9", 0, 0 },
		{ "\xc3\xa9", 0, 0 },
		{ "\xf0\x9f\x98\x80", 0, 0 },
		{ "\x01", -1, 0 },
		{ "\x1f", -1, 0 },
		{ "\xff", -1, 0 },
		{ "\\x", -1, 0 },
		{ "\"", -1, 1 },
	};
	size_t i, run, k;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (run = 0; run < 20; run++) {
			struct buf text = BUF_INIT;
			struct json_fault fault;
			size_t root;
			int ret;

			buf_addch(&text, '"');
			for (k = 0; k < run; k++)
				buf_addch(&text, 'a');
			buf_adds(&text, cases[i].bytes);
			buf_adds(&text, "bc\"");
			ret = json_validate(text.data, text.len, &root, &fault);
			CHECK_INT(ret, cases[i].ret);
			if (ret < 0)
				CHECK_INT(fault.off,
					  1 + run + cases[i].fault_at);
			buf_release(&text);
		}
	}
}

static bool want_every_list(const char *key)
{
	(void)key;
	return true;
}

/*
 * Check that got, built from the scan, is the tree cJSON's parser
 * makes of the same text (want, with offsets from json_parse_span):
 * the same types, keys, values, offsets and links, at every node.
 */
static void check_same_tree(const cJSON *got, const cJSON *want)
{
	const cJSON *g, *w;

	CHECK_INT(got->type, want->type);
	CHECK_STR(got->string, want->string);
	CHECK_INT(json_value_off(got), json_value_off(want));
	if (cJSON_IsNumber(want))
		CHECK(got->valuedouble == want->valuedouble);
	else
		CHECK_INT(json_value_end(got), json_value_end(want));
	if (cJSON_IsString(want))
		CHECK_STR(got->valuestring, want->valuestring);
	else
		CHECK(!got->valuestring);
	CHECK(!got->child == !want->child);
	if (want->child)
		CHECK(!got->child->prev == !want->child->prev);
	for (g = got->child, w = want->child; g && w; g = g->next, w = w->next)
		check_same_tree(g, w);
	CHECK(!g);
	CHECK(!w);
}

/* Scan {"List": [ELEMENTS]} and return the scan of its one member. */
static struct source *scan_list(const char *elements,
				struct json_object_scan *scan)
{
	struct buf text = BUF_INIT;
	struct source *src;
	struct diag d;

	buf_addf(&text, "{\n  \"List\": [\n    %s\n  ]\n}\n", elements);
	src = source_from_memory("list.json", text.data, text.len);
	buf_release(&text);
	diag_init(&d, stderr, false);
	CHECK_INT(json_scan_object(scan, src, want_every_list, &d), 0);
	return src;
}

static void test_json__element_tree_as_cjson(void)
{
	static const char *const cases[] = {
		"{}",
		"[]",
		"null",
		"true",
		"false",
		"0",
		"-12.5e+3",
		"1E-7",
		"123456789012345678901234567890",
		"\"\"",
		"\"plain\"",
		"\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"",
		"\"\\u0041\\u00e9\\u20ac \\ud83d\\ude00 \\uFFFF\"",
		"\"caf\xc3\xa9 \xf0\x9f\x98\x80\"",
		"{ \"a\" : 1 , \"b\":[true,false,null] ,\"a\":\"again\" }",
		"{\"k\\u0065y\": {}, \"\\\"\": [], \"\": \"\"}",
		"[[[]], [{}], {\"x\": [1, [2, [3]]]}]",
		"{\n      \"Version\": \"2012-10-17\",\n"
		"      \"Statement\": [\n"
		"        {\"Effect\": \"Allow\", \"Action\": \"s3:*\"}\n"
		"      ]\n"
		"    }",
	};
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct json_object_scan scan;
		struct source *src = scan_list(cases[i], &scan);
		const struct json_member *m = &scan.members[0];
		size_t err = 0;

		CHECK_INT(m->nelems, 1);
		for (k = 0; k < m->nelems; k++) {
			cJSON *got = json_parse_element(src->text, &scan, m, k,
							&err);
			cJSON *want = json_parse_span(src->text,
						      m->elems[k].off,
						      m->elems[k].len, &err);

			CHECK(got);
			CHECK(want);
			if (got && want)
				check_same_tree(got, want);
			cJSON_Delete(got);
			cJSON_Delete(want);
		}
		json_object_scan_release(&scan);
		source_free(src);
	}
}

static void test_json__element_tree_elided(void)
{
	const char *element = "{\"Versions\": ["
			      "{\"Document\": {\"a\": [1]}}, "
			      "{\"Document\": \"text\"}, "
			      "{\"Document\": null}]}";
	struct json_object_scan scan;
	struct source *src = scan_list(element, &scan);
	const struct json_member *m = &scan.members[0];
	size_t docs[4], n, err = 0;
	cJSON *tree, *want, *doc, *parsed, *alone;
	const cJSON *v;
	int k = 0;

	n = json_element_find_nested(src->text, &scan, m, 0, "Versions",
				     "Document", docs, ARRAY_SIZE(docs));
	CHECK_INT(n, 3);
	/* The null is not longer than a placeholder, so it stays. */
	tree = json_parse_element_elided(src->text, &scan, m, 0, docs, 2,
					 &err);
	want = json_parse_span(src->text, m->elems[0].off, m->elems[0].len,
			       &err);
	CHECK(tree);
	CHECK(want);
	if (!tree || !want)
		goto out;
	/* The whole tree is cJSON's but for the placeholders. */
	CHECK_INT(json_value_end(tree), json_value_end(want));
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(tree, "Versions")) {
		doc = cJSON_GetObjectItem(v, "Document");
		CHECK(cJSON_IsNull(doc));
		CHECK(json_is_elided(src->text, doc) == (k < 2));
		parsed = json_parse_elided(src->text, &scan, m, 0, doc, &err);
		alone = json_parse_span(src->text, json_value_off(doc),
					json_value_end(doc) -
					json_value_off(doc), &err);
		CHECK(parsed);
		CHECK(alone);
		if (parsed && alone)
			check_same_tree(parsed, alone);
		cJSON_Delete(parsed);
		cJSON_Delete(alone);
		k++;
	}
	CHECK_INT(k, 3);
out:
	cJSON_Delete(tree);
	cJSON_Delete(want);
	json_object_scan_release(&scan);
	source_free(src);
}

/*
 * Forgetting the offsets of converted elements, in order, leaves later
 * elements building the same trees, and zeroes whole pages of offsets.
 */
static void test_json__forget_keeps_later_elements(void)
{
	struct buf elements = BUF_INIT;
	struct json_object_scan scan;
	struct source *src;
	const struct json_member *m;
	size_t i, zeroed = 0;

	for (i = 0; i < 20000; i++)
		buf_addf(&elements, "%s{\"Name\": \"e%zu\", \"Tags\": [1, "
			 "2, 3]}", i ? ", " : "", i);
	src = scan_list(buf_str(&elements), &scan);
	buf_release(&elements);
	m = &scan.members[0];
	CHECK_INT(m->nelems, 20000);
	for (i = 0; i < m->nelems; i++) {
		size_t err = 0;
		cJSON *got = json_parse_element(src->text, &scan, m, i, &err);
		cJSON *want = json_parse_span(src->text, m->elems[i].off,
					      m->elems[i].len, &err);

		CHECK(got);
		CHECK(want);
		if (got && want)
			check_same_tree(got, want);
		cJSON_Delete(got);
		cJSON_Delete(want);
		json_object_scan_forget(&scan, m->elem_values[i + 1]);
	}
	CHECK(scan.forgotten > 0);
	for (i = 0; i < scan.forgotten; i++)
		zeroed += scan.value_start[i] == 0;
	CHECK(zeroed > scan.forgotten / 2);
	json_object_scan_release(&scan);
	source_free(src);
}

static void test_json__member_string_checks(void)
{
	const char *text = "{\"Sid\": 5, \"Effect\": \"Allow\"}";
	struct source *src = source_from_memory("doc.json", text,
						strlen(text));
	struct json_text root = { src->text, src->len, 0, 0, NULL, false, 0,
				  false, NULL, 0 };
	struct json_ctx c = { src, NULL, { { { NULL, 0 } }, 0 }, &root, NULL,
			      NULL, NULL };
	cJSON *obj = cJSON_Parse(text);
	char *messages = NULL;
	size_t size = 0;
	const char *out = "unset";
	struct diag d;
	FILE *f = open_memstream(&messages, &size);

	diag_init(&d, f, false);
	c.d = &d;
	CHECK_INT(json_member_string(&c, cJSON_GetObjectItem(obj, "Effect"),
				     "Effect", true, &out), 0);
	CHECK_STR(out, "Allow");
	CHECK_INT(json_member_string(&c, NULL, "Action", false, &out), 0);
	CHECK(out == NULL);
	CHECK_INT(d.errors, 0);
	CHECK_INT(json_member_string(&c, NULL, "Action", true, &out), -1);
	CHECK_INT(json_member_string(&c, cJSON_GetObjectItem(obj, "Sid"),
				     "Sid", false, &out), -1);
	CHECK(out == NULL);
	CHECK_INT(d.errors, 2);
	fclose(f);
	CHECK(strstr(messages, "doc.json:1:1: error: missing required key "
			       "'Action'") != NULL);
	CHECK(strstr(messages, "doc.json:1:9: error: Sid: expected a string, "
			       "got a number") != NULL);
	free(messages);
	cJSON_Delete(obj);
	source_free(src);
}

UNIT_MAIN(
	UNIT_TEST(test_json__skip_ws_indents),
	UNIT_TEST(test_json__skip_ws_stops_at_len),
	UNIT_TEST(test_json__string_special_byte_positions),
	UNIT_TEST(test_json__element_tree_as_cjson),
	UNIT_TEST(test_json__element_tree_elided),
	UNIT_TEST(test_json__forget_keeps_later_elements),
	UNIT_TEST(test_json__member_string_checks),
)
