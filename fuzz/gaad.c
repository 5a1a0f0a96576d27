/*
 * Fuzz the reader of `aws iam get-account-authorization-details`
 * output: the JSON scanner, the entity and policy readers, the policy
 * documents inside them (URL-encoded or not) and the resolution of
 * attachments, as `mandate check --against EXPORT` loads an export.
 */
#include "common.h"
#include "fuzz.h"

#include "aws.h"
#include "aws_policy.h"

/* Look up what the export defines, as the rules do once it is loaded. */
static void look_up_entities(struct aws_state *st,
			     struct aws_entity **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (aws_find_entity(st, list[i]->arn) != list[i])
			BUG("entity %s is not indexed", list[i]->arn);
		aws_find_credentials(st, list[i]->arn);
	}
}

static void look_up(struct aws_state *st, const struct aws_export *exp)
{
	size_t i;

	look_up_entities(st, exp->users, exp->nusers);
	look_up_entities(st, exp->roles, exp->nroles);
	look_up_entities(st, exp->groups, exp->ngroups);
	for (i = 0; i < exp->npolicies; i++) {
		const struct aws_managed_policy *p = exp->policies[i];

		if (!aws_find_policy(st, p->arn))
			BUG("policy %s is not indexed", p->arn);
		if (p->doc)
			aws_policy_as_2012(&st->arena, p->doc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct aws_state st;
	struct diag d;

	if (aws_detect_format(text, size) != AWS_FORMAT_GAAD)
		return -1;
	diag_init(&d, fuzz_sink(), false);
	aws_state_init(&st);

	if (aws_state_load_source(&st, source_from_memory("fuzz.json", text,
							  size), &d) == 0)
		look_up(&st, st.exports[0]);

	aws_state_release(&st);
	return 0;
}
