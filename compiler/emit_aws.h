#ifndef MANDATE_COMPILER_EMIT_AWS_H
#define MANDATE_COMPILER_EMIT_AWS_H

#include "compile.h"

/*
 * Generate the AWS policies that implement a program: for every AWS
 * identity, its identity policy (split across managed policies when
 * larger than IAM's limit), a trust policy for roles, and the tags that
 * carry its owners. Output is a function of the specs alone, so the
 * same specs always give the same bytes.
 */

/* IAM's limit for a customer managed policy, whitespace not counted. */
#define AWS_MANAGED_POLICY_MAX 6144

/* Default quota of managed policies attached to one role or user. */
#define AWS_ATTACHED_POLICIES_MAX 10

struct emitted_file {
	char *path;		/* relative to the output directory */
	char *data;
	size_t len;
};

struct emit_result {
	struct emitted_file *files;	/* sorted by path */
	size_t n, cap;
};

void emit_result_release(struct emit_result *r);

struct buf;
struct cJSON;

/*
 * Append a cJSON tree to b with two-space indents and keys in insertion
 * order, the layout of every file mandate writes.
 */
void json_pretty(struct buf *b, const struct cJSON *v, int depth);

/*
 * Emit every file into out and report policies that cannot fit
 * (MND301) to f. With out NULL, only report: the files are not
 * rendered. Returns 0, or -1 after reporting to d a name that cannot
 * be used as a file name.
 */
int emit_aws(const struct program *p, struct emit_result *out,
	     struct findings *f, struct diag *d);

#endif
