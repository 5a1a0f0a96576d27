#ifndef MANDATE_COMPILER_DRIFT_H
#define MANDATE_COMPILER_DRIFT_H

#include "aws.h"
#include "rules.h"

/* A spec identity and the agent that declares it. */
struct claim {
	const char *arn;
	const struct identity *identity;
	const struct xagent *xa;
};

/*
 * Return every AWS identity the program's specs declare, sorted by ARN
 * for claims_find; the caller frees the array.
 */
struct claim *claims_collect(const struct program *p, size_t *n);

/* Find the claim on arn by binary search; NULL when none. */
const struct claim *claims_find(const struct claim *v, size_t n,
				const char *arn);

struct drift_checker;

struct drift_checker *drift_checker_new(struct check_context *cx);
void drift_checker_free(struct drift_checker *dc);

/*
 * Compare the live identity e with its spec: MND210 for every live
 * action and resource the spec does not grant (after live denies and
 * the permissions boundary), MND211 for declared grants that are not
 * live, MND214 for attached policies missing from the export.
 */
void drift_check(struct drift_checker *dc, const struct claim *c,
		 const struct aws_entity *e);

#endif
