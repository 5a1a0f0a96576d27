#ifndef MANDATE_COMPILER_DIFF_REPORT_H
#define MANDATE_COMPILER_DIFF_REPORT_H

#include "buf.h"
#include "permdiff.h"

/*
 * The reports of mandate diff, appended to b. base names the base
 * revision and head the head revision, or NULL for the working tree.
 * Agents, permissions and escalations come in the diff's sorted order,
 * so equal diffs give byte-identical reports.
 */

/*
 * Append a summary line, then each agent with its changes, one a line.
 * color adds ANSI colours: bold headings, escalations in bold red,
 * access gained in green and access lost in red.
 */
void diff_report_text(struct buf *b, const struct perm_diff *d,
		      const char *base, const char *head, bool color);

/*
 * Append Markdown for a pull-request comment to b, which must be empty:
 * a summary line, every escalation, then a section per agent. The
 * report is cut to 60,000 bytes, under GitHub's limit for a comment:
 * escalations and the summary come first, and each list cut ends with
 * "... and N more (see --format json)".
 */
void diff_report_markdown(struct buf *b, const struct perm_diff *d,
			  const char *base, const char *head);

/*
 * Append a JSON object with base, head, escalations and agents.
 * base_commit and head_commit are the full ids of the commits compared,
 * or "" (written as null) for the working tree or a revision naming a
 * tree.
 */
void diff_report_json(struct buf *b, const struct perm_diff *d,
		      const char *base, const char *head,
		      const char *base_commit, const char *head_commit);

/*
 * Return whether the len bytes of text are a diff report in format
 * (text, markdown or json), such as an earlier run left in an -o file.
 */
bool diff_report_recognize(const char *format, const char *text, size_t len);

#endif
