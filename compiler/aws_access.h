#ifndef MANDATE_COMPILER_AWS_ACCESS_H
#define MANDATE_COMPILER_AWS_ACCESS_H

#include "aws.h"
#include "json.h"

/*
 * The reader of service-last-accessed data (IAM access advisor), used
 * by aws_state_load once it has recognised the format:
 *
 * - `aws iam get-service-last-accessed-details --job-id ID`: the
 *   services one identity may use, each with when it last used it
 *   (ServicesLastAccessed), and for a job generated with
 *   --granularity ACTION_LEVEL the tracked actions of some services
 *   (TrackedActionsLastAccessed);
 * - `aws iam get-service-last-accessed-details-with-entities --job-id
 *   ID --service-namespace NS`: for one service, when each user and
 *   role last used it (EntityDetailsList).
 *
 * Neither output names what it describes, so a file must name it:
 * - the first kind names its identity by an "Arn" key added beside
 *   ServicesLastAccessed (the ARN given to
 *   generate-service-last-accessed-details); failing that, by a file
 *   name that is the URL-encoded ARN with an optional ".json", as
 *   cloudmapper stores per-identity data; failing that, by
 *   LastAuthenticatedEntity when it names one user or role. A job
 *   generated for a group or a managed policy must carry "Arn",
 *   because its LastAuthenticatedEntity names the members that used
 *   it, and only users and roles are accepted;
 * - the second kind names its service by a "ServiceNamespace" key
 *   added beside EntityDetailsList (the value given to
 *   --service-namespace).
 * Either is an error that says how to fix it when it is missing.
 *
 * A job that is not COMPLETED, a truncated page (IsTruncated: true) and
 * a LastAuthenticatedEntity that is not the identity the file is for
 * are errors. So are dates that no job reports: a use later than
 * JobCompletionDate, a JobCompletionDate earlier than JobCreationDate,
 * and a service last used before one of its tracked actions was. These
 * are compared in whole seconds, so a fraction of a second is ignored.
 */

/* Return whether key marks service-last-accessed output. */
bool aws_access_top_key(const char *key);

/*
 * Convert src, whose top-level object scan lists, into a new report in
 * arena, with strings interned in strtab. Returns 0, or -1 after
 * reporting every error (up to d's limit) to d.
 */
int aws_access_read(struct aws_access_report **out, struct source *src,
		    const struct json_object_scan *scan, bool with_entities,
		    struct arena *arena, struct strtab *strtab,
		    struct diag *d);

#endif
