/*
 * Fuzz the spec language: the flex scanner, the bison parser and its
 * builders, the cross-file checks and the compilation of grants through
 * the AWS catalog, as `mandate check` runs them on one spec file.
 */
#include "common.h"
#include "fuzz.h"

#include "ast.h"
#include "compile.h"
#include "finding.h"

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
