#ifndef MANDATE_TESTS_UNIT_H
#define MANDATE_TESTS_UNIT_H

#include "common.h"

/*
 * A minimal unit test harness. Each tests/unit/<module>.c defines
 * functions named test_<module>__<behaviour> and lists them with
 * UNIT_TESTS; every CHECK that fails prints its file, line and the
 * values compared, and the binary exits 1 when any check failed.
 */
struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern int unit_failures;

void unit_fail(const char *file, int line, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
int unit_main(const struct unit_test *tests, size_t n, int argc,
	      char **argv);

struct catalog;

/*
 * Return the committed AWS catalog (stdlib/aws/catalog.txt), loaded
 * once for the whole test binary and freed at exit.
 */
const struct catalog *unit_catalog(void);

#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond))                                            \
			unit_fail(__FILE__, __LINE__, "%s", #cond);     \
	} while (0)

#define CHECK_INT(got, want)                                            \
	do {                                                            \
		long long got_ = (long long)(got);                      \
		long long want_ = (long long)(want);                    \
		if (got_ != want_)                                      \
			unit_fail(__FILE__, __LINE__,                   \
				  "%s is %lld, expected %lld", #got,    \
				  got_, want_);                         \
	} while (0)

#define CHECK_STR(got, want)                                            \
	do {                                                            \
		const char *got_ = (got);                               \
		const char *want_ = (want);                             \
		if (!got_ || !want_ ? got_ != want_                     \
				    : strcmp(got_, want_) != 0)         \
			unit_fail(__FILE__, __LINE__,                   \
				  "%s is '%s', expected '%s'", #got,    \
				  got_ ? got_ : "(null)",               \
				  want_ ? want_ : "(null)");            \
	} while (0)

#define UNIT_TEST(fn) { #fn, fn }

#define UNIT_MAIN(...)                                                  \
	int main(int argc, char **argv)                                 \
	{                                                               \
		static const struct unit_test tests_[] = { __VA_ARGS__ }; \
		return unit_main(tests_, ARRAY_SIZE(tests_), argc, argv); \
	}

#endif
