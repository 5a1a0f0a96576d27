#ifndef MANDATE_COMPILER_LAST_ACCESS_H
#define MANDATE_COMPILER_LAST_ACCESS_H

#include "aws.h"
#include "catalog.h"
#include "drift.h"

/*
 * The judgement of an identity's use of one action from
 * service-last-accessed data. Rule MND230 and `mandate adopt` share it,
 * so an adopted spec keeps exactly what the rule would not report.
 *
 * An action counts as used when its service was used within the
 * LAST_ACCESS_WINDOW days before the job completed, unless the job was
 * action-level and lists the action as a tracked action that was not
 * used in that window. A service that the data does not list tells
 * nothing, because IAM lists only the services the identity's policies
 * allow, so such an action is LAST_ACCESS_UNKNOWN.
 */
#define LAST_ACCESS_WINDOW 90
/* Data older than this many days before --today gets a warning. */
#define LAST_ACCESS_STALE 30

enum last_access {
	LAST_ACCESS_UNKNOWN,
	LAST_ACCESS_USED,
	LAST_ACCESS_UNUSED,
};

/*
 * Judge action a of identity arn. When the data covers its service,
 * *entry is set to that service's entry and *last to the day of the
 * last use that decided (-1: none in the tracking period). *by_action
 * is true when a tracked action's own date decided.
 */
enum last_access last_access_judge(const struct aws_state *st,
				   const char *arn, const struct catalog *cat,
				   const struct cat_action *a,
				   const struct aws_service_access **entry,
				   int32_t *last, bool *by_action);

/* Write "on 2019-04-15" or "never" (in the tracking period) into out. */
void last_access_phrase(int32_t day, char out[32]);

/*
 * Check the service-last-accessed data in st against today and the
 * other inputs, once every export is loaded; check and adopt both call
 * it. A job that completed after today is an error, since the data
 * cannot come from the future. A file for one identity that neither an
 * authorization-details export contains nor a spec of prog declares
 * gets a warning, since nothing uses its data. prog is NULL when no
 * specs were read. Returns 0, or -1 after reporting the errors to d.
 */
int last_access_check_inputs(const struct aws_state *st, int32_t today,
			     const struct program *prog, struct diag *d);

/*
 * MND230 for every declared grant of the claims whose identity has
 * service-last-accessed data, and a warning on stderr for each file of
 * such data older than LAST_ACCESS_STALE days before cx->today.
 */
void last_access_check(struct check_context *cx, const struct claim *claims,
		       size_t nclaims);

#endif
