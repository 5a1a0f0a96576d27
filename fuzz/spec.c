/*
 * Fuzz the spec language: the flex scanner, the bison parser and its
 * builders, the cross-file checks and the compilation of grants through
 * the AWS catalog, as `mandate check` runs them on one spec file. A spec
 * that parses is also formatted as `mandate fmt` does it, and the
 * result must parse again and be its own canonical layout.
 */
#include "common.h"
#include "fuzz.h"

#include "ast.h"
#include "compile.h"
#include "finding.h"
#include "fmt.h"

/* Return whether text parses without an error. */
static bool parses(const char *text, size_t len)
{
	struct spec_unit unit;
	struct diag d;
	int ret;

	diag_init(&d, fuzz_sink(), false);
	unit_init(&unit);
	ret = unit_parse_source(&unit, source_from_memory("fuzz.mandate",
							  text, len), &d);
	unit_release(&unit);
	return ret == 0;
}

/* Check fmt_spec's promises on text, a spec that parses. */
static void check_format(const char *text, size_t len)
{
	struct buf once = BUF_INIT, twice = BUF_INIT;

	fmt_spec(text, len, &once);
	if (!parses(once.data ? once.data : "", once.len))
		BUG("the formatted spec does not parse");
	fmt_spec(once.data ? once.data : "", once.len, &twice);
	if (once.len != twice.len ||
	    (once.len && memcmp(once.data, twice.data, once.len)))
		BUG("formatting the formatted spec changed it");
	buf_release(&once);
	buf_release(&twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog *cat = fuzz_catalog();
	struct spec_unit unit;
	struct findings findings;
	struct program prog;
	struct source *src;
	struct diag d;
	int ret;

	if (size > SOURCE_SPEC_MAX)
		return -1;
	diag_init(&d, fuzz_sink(), false);
	unit_init(&unit);
	findings_init(&findings);

	src = source_from_memory("fuzz.mandate", (const char *)data, size);
	ret = unit_parse_source(&unit, src, &d);
	if (ret == 0)
		check_format(src->text, src->len);
	if (unit_check(&unit, &d) < 0)
		ret = -1;
	if (ret == 0) {
		program_compile(&prog, &unit, cat, &findings, &d);
		program_release(&prog);
	}

	findings_release(&findings);
	unit_release(&unit);
	return 0;
}
