/*
 * Fuzz the reader of an Organizations path export: the levels from the
 * root to one account and the service control policies at each, whose
 * documents are JSON text inside a string.
 */
#include "common.h"
#include "fuzz.h"

#include "aws.h"
#include "aws_policy.h"

static void look_up(struct aws_state *st, const struct aws_org_path *org)
{
	size_t i, j;

	if (aws_find_org(st, org->account) != org)
		BUG("account %s is not indexed", org->account);
	for (i = 0; i < org->nlevels; i++)
		for (j = 0; j < org->levels[i].nscps; j++)
			if (org->levels[i].scps[j].doc)
				aws_policy_as_2012(&st->arena,
						   org->levels[i].scps[j].doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct aws_state st;
	struct diag d;

	if (aws_detect_format(text, size) != AWS_FORMAT_ORGANIZATION)
		return -1;
	diag_init(&d, fuzz_sink(), false);
	aws_state_init(&st);

	if (aws_state_load_source(&st, source_from_memory("fuzz.json", text,
							  size), &d) == 0) {
		look_up(&st, st.orgs[0]);
		aws_warn_unused_orgs(&st, &d);
	}

	aws_state_release(&st);
	return 0;
}
