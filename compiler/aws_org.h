#ifndef MANDATE_COMPILER_AWS_ORG_H
#define MANDATE_COMPILER_AWS_ORG_H

#include "aws.h"
#include "json.h"

/*
 * An Organizations path export: the service control policies that
 * apply to one member account, level by level from the root.
 *
 *   {
 *     "AccountId": "111122223333",
 *     "ManagementAccountId": "999900001111",      (optional)
 *     "TargetPath": [
 *       { "TargetId": "r-ab12", "Type": "ROOT",
 *         "Policies": [ DESCRIBE-POLICY-OUTPUT, ... ] },
 *       { "TargetId": "ou-ab12-x", "Type": "ORGANIZATIONAL_UNIT",
 *         "Policies": [ ... ] },
 *       { "TargetId": "111122223333", "Type": "ACCOUNT",
 *         "Policies": [ ... ] }
 *     ]
 *   }
 *
 * Each DESCRIBE-POLICY-OUTPUT is what `aws organizations describe-policy
 * --policy-id ID` prints: {"Policy": {"PolicySummary": {...}, "Content":
 * "DOCUMENT"}}. The levels come from `aws organizations list-parents`
 * and the policies of each from `list-policies-for-target --filter
 * SERVICE_CONTROL_POLICY`.
 *
 * Read from scan, which json_scan_object made of src. Returns 0, or -1
 * after reporting to d an error with its JSON path.
 */
int aws_org_read(struct aws_org_path **out, struct source *src,
		 const struct json_object_scan *scan, struct arena *arena,
		 struct strtab *strtab, struct diag *d);

#endif
