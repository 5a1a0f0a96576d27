/*
 * Fuzz the reader of service-last-accessed details (IAM access
 * advisor), with or without entities, and the judgement of each
 * tracked action that the rules and `mandate adopt` make from it.
 */
#include "common.h"
#include "fuzz.h"

#include "aws.h"
#include "last_access.h"

/* 2026-12-01 in days since 1970-01-01, the tests' --today. */
#define FUZZ_TODAY 20788

static void judge_actions(const struct aws_state *st,
			  const struct aws_service_access *e)
{
	const struct catalog *cat = fuzz_catalog();
	const struct aws_service_access *entry;
	int32_t last;
	bool by_action;
	size_t i;

	for (i = 0; i < e->nactions; i++) {
		const struct cat_action *a;

		a = catalog_find_action(cat, e->actions[i].action);
		if (a)
			last_access_judge(st, e->arn, cat, a, &entry, &last,
					  &by_action);
	}
}

static void judge(const struct aws_state *st,
		  const struct aws_access_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nentries; i++) {
		const struct aws_service_access *e = &rep->entries[i];

		if (!aws_find_service_access(st, e->arn, e->service))
			BUG("no entry for %s of %s", e->service, e->arn);
		if (!aws_has_service_access(st, e->arn))
			BUG("no data for %s", e->arn);
		judge_actions(st, e);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	enum aws_format format = aws_detect_format(text, size);
	struct aws_state st;
	struct diag d;

	if (format != AWS_FORMAT_SERVICE_ACCESS &&
	    format != AWS_FORMAT_SERVICE_ACCESS_ENTITIES)
		return -1;
	diag_init(&d, fuzz_sink(), false);
	aws_state_init(&st);

	if (aws_state_load_source(&st, source_from_memory("fuzz.json", text,
							  size), &d) == 0 &&
	    last_access_check_inputs(&st, FUZZ_TODAY, NULL, &d) == 0)
		judge(&st, st.access[0]);

	aws_state_release(&st);
	return 0;
}
