#ifndef MANDATE_COMPILER_AWS_CREDREPORT_H
#define MANDATE_COMPILER_AWS_CREDREPORT_H

#include "aws.h"
#include "json.h"

/*
 * The reader of the IAM credential report, used by aws_state_load once
 * it has recognised the format. The report is CSV with a header row.
 * Columns are found by header name (compared case-insensitively), so
 * their order and any extra columns do not matter. Values N/A,
 * no_information and not_supported read as "none" (-1 for dates,
 * false for flags); timestamps become days since 1970-01-01 (UTC).
 * Quoted fields follow RFC 4180.
 */

/* Return whether text starts with a credential report's CSV header. */
bool aws_credreport_is_csv(const char *text, size_t len);

/*
 * Read src, a credential report in CSV. A malformed row is an error at
 * its file:line:col. A user ARN in two rows is an error. Returns 0, or
 * -1 after reporting every error (up to d's limit) to d.
 */
int aws_credreport_read_csv(struct aws_credential_report **out,
			    struct source *src, struct arena *arena,
			    struct strtab *strtab, struct diag *d);

/*
 * Read src, the JSON output of `aws iam get-credential-report`, whose
 * top-level object scan lists. Content contains the CSV, base64-encoded
 * as the AWS CLI writes it or as plain text. ReportFormat, when present,
 * must be "text/csv". Errors in the CSV point at Content and
 * name the line of the report. Returns 0, or -1 after reporting to d.
 */
int aws_credreport_read_json(struct aws_credential_report **out,
			     struct source *src,
			     const struct json_object_scan *scan,
			     struct arena *arena, struct strtab *strtab,
			     struct diag *d);

/*
 * Decode the n bytes of standard base64 (RFC 4648, with padding, no
 * line breaks) at s into out. Returns 0, or -1 with the offset of the
 * first invalid character, or n for a bad length, in *bad.
 */
int aws_base64_decode(struct buf *out, const char *s, size_t n, size_t *bad);

#endif
