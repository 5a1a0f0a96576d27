/*
 * Fuzz the reader of the IAM credential report: CSV with a header row,
 * and the JSON of `aws iam get-credential-report` whose Content contains
 * the CSV as base64 or as text.
 */
#include "common.h"
#include "fuzz.h"

#include "aws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	enum aws_format format = aws_detect_format(text, size);
	struct aws_state st;
	struct diag d;
	size_t i;

	if (format != AWS_FORMAT_CREDENTIAL_CSV &&
	    format != AWS_FORMAT_CREDENTIAL_JSON)
		return -1;
	diag_init(&d, fuzz_sink(), false);
	aws_state_init(&st);

	if (aws_state_load_source(&st, source_from_memory("fuzz.csv", text,
							  size), &d) == 0) {
		const struct aws_credential_report *rep = st.reports[0];

		for (i = 0; i < rep->nrows; i++)
			if (!aws_find_credentials(&st, rep->rows[i].arn))
				BUG("row of %s is not indexed",
				    rep->rows[i].arn);
	}

	aws_state_release(&st);
	return 0;
}
