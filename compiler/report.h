#ifndef MANDATE_COMPILER_REPORT_H
#define MANDATE_COMPILER_REPORT_H

#include "buf.h"
#include "finding.h"

/* The gate's verdict over a sorted list of findings. */
struct verdict {
	size_t counts[SEV_COUNT];	/* findings not waived, by severity */
	size_t waived;
	size_t failing;			/* not waived, at or above fail_on */
	enum severity fail_on;
	bool pass;
};

void verdict_compute(struct verdict *v, const struct findings *f,
		     enum severity fail_on);

/* The facts about the run that a report prints besides its findings. */
struct report_meta {
	const char *tool_version;
	const char *catalog_source;
	int32_t today;
	size_t nagents;
	size_t nexports;
};

/*
 * Append the findings and the verdict to out: text in the compiler
 * style of the diagnostics, or a JSON object. The findings must be
 * sorted with findings_sort.
 */
void report_text(struct buf *out, const struct findings *f,
		 const struct verdict *v, const struct report_meta *m,
		 bool color);

/* Append only the findings of report_text, without counts or verdict. */
void report_text_findings(struct buf *out, const struct findings *f,
			  const struct verdict *v, bool color);
void report_json(struct buf *out, const struct findings *f,
		 const struct verdict *v, const struct report_meta *m);

#endif
