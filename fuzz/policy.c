/*
 * Fuzz the IAM policy document reader on a standalone document, as
 * `mandate simulate --resource-policy` reads one: JSON text, or a JSON
 * string that contains the document as JSON or percent-encoded JSON, the
 * way exports carry documents. Each input is read as an identity, a
 * trust and a resource policy, and is also percent-decoded alone.
 */
#include "common.h"
#include "fuzz.h"

#include "aws_policy.h"
#include "buf.h"

static void parse_as(const char *text, size_t size,
		     enum aws_policy_kind kind, struct diag *d)
{
	struct aws_policy_doc *doc;
	struct source *src;
	struct arena arena = ARENA_INIT;
	struct strtab strtab;

	strtab_init(&strtab, &arena);
	src = source_from_memory("fuzz.json", text, size);
	if (aws_policy_parse_source(&doc, src, kind, &arena, &strtab, d) == 0)
		aws_policy_as_2012(&arena, doc);
	source_free(src);
	strtab_release(&strtab);
	arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct buf decoded = BUF_INIT;
	struct diag d;
	size_t bad;

	diag_init(&d, fuzz_sink(), false);
	parse_as(text, size, AWS_POLICY_IDENTITY, &d);
	parse_as(text, size, AWS_POLICY_TRUST, &d);
	parse_as(text, size, AWS_POLICY_RESOURCE, &d);

	if (aws_url_decode(&decoded, text, size, &bad) < 0 && bad >= size)
		BUG("offset %zu of a bad escape is past the end", bad);
	buf_release(&decoded);
	return 0;
}
