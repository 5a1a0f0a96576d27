#include "common.h"
#include "unit.h"

#include "catalog.h"
#include "diag.h"

int unit_failures;

static const char *current;

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	unit_failures++;
	fprintf(stderr, "%s:%d: %s: ", file, line, current);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Run every test, or only those whose names contain argv[1]. */
int unit_main(const struct unit_test *tests, size_t n, int argc, char **argv)
{
	size_t i, ran = 0;
	int failed_tests = 0;

	for (i = 0; i < n; i++) {
		int before = unit_failures;

		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		current = tests[i].name;
		tests[i].fn();
		ran++;
		if (unit_failures != before)
			failed_tests++;
	}
	printf("%s: %zu tests, %d failed\n", argv[0], ran, failed_tests);
	return failed_tests ? 1 : 0;
}

#define UNIT_CATALOG_PATH "stdlib/aws/catalog.txt"

static struct catalog *committed_catalog;

static void release_catalog(void)
{
	catalog_free(committed_catalog);
	committed_catalog = NULL;
}

const struct catalog *unit_catalog(void)
{
	struct diag d;

	if (committed_catalog)
		return committed_catalog;
	diag_init(&d, stderr, false);
	if (catalog_load(&committed_catalog, UNIT_CATALOG_PATH,
			 &catalog_builtin, &d) < 0)
		BUG("cannot load %s", UNIT_CATALOG_PATH);
	atexit(release_catalog);
	return committed_catalog;
}
