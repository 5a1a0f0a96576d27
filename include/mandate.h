#ifndef MANDATE_H
#define MANDATE_H

/*
 * libmandate: the part of mandate that runs beside an agent. This
 * version provides IAM's matching of actions and resources, the same
 * code the compiler's drift check uses, so that a decision made at run
 * time agrees with what the compiler proved.
 *
 * Nothing here allocates, prints or keeps state; every function may be
 * called from any thread.
 */

#include <stdbool.h>

#define MANDATE_VERSION_MAJOR 0
#define MANDATE_VERSION_MINOR 1

/* Return the library's version as "MAJOR.MINOR.PATCH". */
const char *mandate_version(void);

/*
 * Return whether an action such as "s3:GetObject" matches an IAM action
 * pattern such as "s3:Get*". Matching ignores ASCII case; '*' matches
 * any run of characters and '?' one. NULL arguments never match.
 */
bool mandate_action_matches(const char *pattern, const char *action);

/*
 * Return whether a resource ARN matches an IAM resource pattern. The
 * comparison is case-sensitive; '*' matches within one colon-separated
 * segment, and past ':' when it ends a segment; '?' matches one
 * character. NULL arguments never match.
 */
bool mandate_resource_matches(const char *pattern, const char *resource);

#endif
