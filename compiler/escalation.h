#ifndef MANDATE_COMPILER_ESCALATION_H
#define MANDATE_COMPILER_ESCALATION_H

#include "aws.h"
#include "drift.h"

/*
 * MND133 on live identities: the privilege-escalation paths of the
 * standard library checked against what a user or role of an export may
 * do through all of its policies together.
 */
struct escalation_checker;

/* Index the program's escalation paths by action. Free with _free. */
struct escalation_checker *escalation_checker_new(struct check_context *cx);
void escalation_checker_free(struct escalation_checker *ec);

/*
 * Report MND133 when user or role e is allowed every action of one or
 * more paths. What e is allowed is the union of its inline and attached
 * managed policies, and for a user its groups' policies. Actions those
 * deny without conditions, or its permissions boundary does not allow,
 * are taken away. c is the spec claim on e, or NULL. A claimed
 * identity's finding is placed at the identity in the spec and names the
 * agent, an unclaimed one's at the identity in the export. Policies
 * missing from the export are skipped, and a permissions boundary
 * missing from it caps nothing.
 */
void escalation_check_live(struct escalation_checker *ec,
			   const struct aws_entity *e, const struct claim *c);

#endif
