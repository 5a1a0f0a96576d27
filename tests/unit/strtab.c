#include "common.h"
#include "unit.h"

#include "strtab.h"

static void test_strtab__equal_strings_share_a_copy(void)
{
	struct arena arena = ARENA_INIT;
	struct strtab t;
	char text[] = "arn:aws:iam::111122223333:role/nightly";
	const char *a, *b;

	strtab_init(&t, &arena);
	a = strtab_intern(&t, text, strlen(text));
	text[0] = 'X';		/* the table keeps its own copy */
	b = strtab_intern_str(&t, "arn:aws:iam::111122223333:role/nightly");
	CHECK(a == b);
	CHECK_STR(a, "arn:aws:iam::111122223333:role/nightly");
	CHECK(a != text);
	strtab_release(&t);
	arena_release(&arena);
}

static void test_strtab__length_is_part_of_the_key(void)
{
	struct arena arena = ARENA_INIT;
	struct strtab t;
	const char *text = "s3:GetObjectAcl";
	const char *whole, *prefix, *empty;

	strtab_init(&t, &arena);
	whole = strtab_intern(&t, text, strlen(text));
	prefix = strtab_intern(&t, text, 12);
	empty = strtab_intern(&t, text, 0);
	CHECK(whole != prefix);
	CHECK(prefix != empty);
	CHECK_STR(prefix, "s3:GetObject");
	CHECK_STR(empty, "");
	CHECK(strtab_intern(&t, "", 0) == empty);
	strtab_release(&t);
	arena_release(&arena);
}

/*
 * Strings that differ in one byte, at every position of a word and of
 * the tail that follows the last whole word, must stay distinct.
 */
static void test_strtab__one_byte_apart_stays_distinct(void)
{
	struct arena arena = ARENA_INIT;
	struct strtab t;
	char text[24];
	const char *first[sizeof(text)];
	size_t n, i;

	strtab_init(&t, &arena);
	for (n = 1; n <= sizeof(text); n++) {
		memset(text, 'a', sizeof(text));
		for (i = 0; i < n; i++) {
			text[i] = 'b';
			first[i] = strtab_intern(&t, text, n);
			text[i] = 'a';
		}
		for (i = 0; i < n; i++) {
			text[i] = 'b';
			CHECK(strtab_intern(&t, text, n) == first[i]);
			CHECK(strtab_lookup(&t, text, n) == first[i]);
			CHECK_INT(strlen(first[i]), n);
			CHECK(first[i][i] == 'b');
			text[i] = 'a';
		}
	}
	CHECK_INT(t.count, sizeof(text) * (sizeof(text) + 1) / 2);
	strtab_release(&t);
	arena_release(&arena);
}

/* Every string survives the table's growth and is found again after. */
static void test_strtab__many_strings_survive_growth(void)
{
	struct arena arena = ARENA_INIT;
	struct strtab t;
	static const char *kept[5000];
	char text[64];
	size_t i;

	strtab_init(&t, &arena);
	for (i = 0; i < ARRAY_SIZE(kept); i++) {
		snprintf(text, sizeof(text), "arn:aws:iam::111122223333:role/"
			 "bench-agent-%04zu", i);
		kept[i] = strtab_intern_str(&t, text);
	}
	CHECK_INT(t.count, ARRAY_SIZE(kept));
	for (i = 0; i < ARRAY_SIZE(kept); i++) {
		snprintf(text, sizeof(text), "arn:aws:iam::111122223333:role/"
			 "bench-agent-%04zu", i);
		CHECK(strtab_lookup(&t, text, strlen(text)) == kept[i]);
		CHECK_STR(kept[i], text);
	}
	snprintf(text, sizeof(text), "arn:aws:iam::111122223333:role/other");
	CHECK(strtab_lookup(&t, text, strlen(text)) == NULL);
	strtab_release(&t);
	arena_release(&arena);
}

static void test_strtab__lookup_in_empty_table(void)
{
	struct arena arena = ARENA_INIT;
	struct strtab t;

	strtab_init(&t, &arena);
	CHECK(strtab_lookup(&t, "agent", 5) == NULL);
	strtab_release(&t);
	arena_release(&arena);
}

UNIT_MAIN(UNIT_TEST(test_strtab__equal_strings_share_a_copy),
	  UNIT_TEST(test_strtab__length_is_part_of_the_key),
	  UNIT_TEST(test_strtab__one_byte_apart_stays_distinct),
	  UNIT_TEST(test_strtab__many_strings_survive_growth),
	  UNIT_TEST(test_strtab__lookup_in_empty_table))
