#ifndef MANDATE_COMPILER_AWS_GAAD_H
#define MANDATE_COMPILER_AWS_GAAD_H

#include "aws.h"
#include "json.h"

/*
 * The reader of `aws iam get-account-authorization-details` output,
 * used by aws_state_load once it has recognised the format.
 */

/* Return whether key is one of the export's four top-level lists. */
bool aws_gaad_list_key(const char *key);

/*
 * Convert the export whose top-level object scan lists, one element at
 * a time, into a new struct aws_export in arena, with strings interned
 * in strtab. Attachments, permissions boundaries and groups are
 * resolved within the export; what is missing is reported as a
 * warning. Duplicate ARNs inside the export are errors; duplicates
 * across exports are the caller's to check. Returns 0, or -1 after
 * reporting every error (up to d's limit) to d. The offsets in scan of
 * the values of converted elements are given back as the conversion
 * goes (json_object_scan_forget).
 */
int aws_gaad_read(struct aws_export **out, struct source *src,
		  struct json_object_scan *scan, struct arena *arena,
		  struct strtab *strtab, struct diag *d);

#endif
