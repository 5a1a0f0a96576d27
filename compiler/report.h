#ifndef MANDATE_COMPILER_REPORT_H
#define MANDATE_COMPILER_REPORT_H

#include <cJSON.h>

#include "buf.h"
#include "controls.h"
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
	const struct agent *agents;	/* the unit's list, for JUnit */
	const struct controls *controls;	/* NULL: none shown */
};

/*
 * Append the findings and the verdict to out in one format: text in
 * the compiler style of the diagnostics, a JSON object, SARIF 2.1.0,
 * JUnit XML or Markdown. The findings must be sorted with
 * findings_sort. Each finding lists the controls of its rule when
 * m->controls is set.
 */
void report_text(struct buf *out, const struct findings *f,
		 const struct verdict *v, const struct report_meta *m,
		 bool color);

/*
 * Append only the findings of report_text, without counts or verdict;
 * controls may be NULL.
 */
void report_text_findings(struct buf *out, const struct findings *f,
			  const struct verdict *v,
			  const struct controls *controls, bool color);
void report_json(struct buf *out, const struct findings *f,
		 const struct verdict *v, const struct report_meta *m);
void report_sarif(struct buf *out, const struct findings *f,
		  const struct verdict *v, const struct report_meta *m);

/*
 * JUnit XML: one test case per agent, and one per identity of an
 * export that findings name without an agent. Findings at or above the
 * threshold are failures; the others, and waived ones, are listed in
 * the test case's system-out.
 */
void report_junit(struct buf *out, const struct findings *f,
		  const struct verdict *v, const struct report_meta *m);

/* A summary for a pull-request comment or a CI job summary. */
void report_markdown(struct buf *out, const struct findings *f,
		     const struct verdict *v, const struct report_meta *m);

/*
 * Helpers of the report formats. report_json_controls returns a new
 * object of the shown frameworks' controls of a rule, empty when c is
 * NULL; report_json_waiver a new object of a waiver's until, reason and
 * approver. report_json_print appends root as indented JSON and a
 * newline to out, and frees root.
 */
cJSON *report_json_controls(const struct controls *c, const char *rule_id);
cJSON *report_json_waiver(const struct waiver *w);
void report_json_print(struct buf *out, cJSON *root);

/*
 * Return whether text, len bytes, is a report that mandate wrote in
 * format (text, json, sarif, junit or markdown). Each recognizer sits
 * beside its format's writer and checks what the writer puts first, or
 * for text last. A failed check removes an earlier report only when it
 * is one of these, so that it never deletes a file of the user's.
 */
bool report_recognize(const char *format, const char *text, size_t len);
bool report_sarif_recognize(const char *text, size_t len);
bool report_junit_recognize(const char *text, size_t len);
bool report_markdown_recognize(const char *text, size_t len);

/*
 * Return whether the '@' at s, in the text that begins at start, could
 * start a mention in a pull-request comment. It could when it follows
 * no letter, digit or one of ._-+ (as in an e-mail address) and one
 * of those follows it.
 */
bool md_mention_at(const char *start, const char *s);

/*
 * Return the path of a finding's file as SARIF, JUnit and Markdown
 * show it: without a leading "./".
 */
const char *report_path(const char *file);

#endif
