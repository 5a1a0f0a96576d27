#ifndef MANDATE_FUZZ_FUZZ_H
#define MANDATE_FUZZ_FUZZ_H

#include "catalog.h"
#include "diag.h"

/*
 * What the fuzz targets share. Each target defines the libFuzzer entry
 * point below; fuzz/replay.c calls the same function on files, so that
 * a build without libFuzzer replays the inputs kept in fuzz/regress/.
 *
 * The entry point returns 0, or -1 for an input that is not of the
 * target's format, which libFuzzer then leaves out of the corpus.
 * Everything an input allocates is freed before it returns, so that
 * LeakSanitizer reports what the product leaks.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The standard library of the source tree, set by the Makefile. */
#ifndef FUZZ_STDLIB_DIR
#define FUZZ_STDLIB_DIR "stdlib"
#endif

/*
 * Return a stream that discards what is written, for diagnostics:
 * they are still formatted, excerpts and carets included, but the
 * fuzzer's own output stays readable.
 */
static inline FILE *fuzz_sink(void)
{
	static FILE *sink;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		BUG("cannot open /dev/null: %s", strerror(errno));
	return sink;
}

/*
 * Return the AWS action catalog of the standard library, loaded on the
 * first call and kept for the whole run.
 */
static inline const struct catalog *fuzz_catalog(void)
{
	static struct catalog *cat;
	struct diag d;

	if (cat)
		return cat;
	diag_init(&d, stderr, false);
	if (catalog_load(&cat, FUZZ_STDLIB_DIR "/aws/catalog.txt",
			 &catalog_builtin, &d) < 0)
		BUG("cannot load the catalog from %s", FUZZ_STDLIB_DIR);
	return cat;
}

#endif
