#ifndef MANDATE_COMPILER_REPORT_OUTPUT_H
#define MANDATE_COMPILER_REPORT_OUTPUT_H

#include "buf.h"
#include "fsutil.h"

/*
 * One report of a run: a format and where it goes, a file or stdout
 * (path NULL). A run may write several, each --format to the -o that
 * follows it, as check and diff do.
 */
struct report_output {
	const char *format;
	const char *path;
	struct buf text;	/* rendered by the command */
	struct staged_file staged;	/* beside target until renamed */
	char *target;		/* path with symbolic links resolved */
	bool in_place;		/* a device or pipe: written, not renamed */
	size_t earlier_slot;	/* signal_cleanup entry of an earlier report */
	size_t target_slot;	/* signal_cleanup entry while renaming */
};

/* Whether text of len bytes is an earlier report in format. */
typedef bool (*report_recognize_fn)(const char *format, const char *text,
				    size_t len);

/* The reports of one command's run, from its --format and -o options. */
struct report_outputs {
	const char *command;	/* for usage errors: "check", "diff" */
	struct report_output *v;
	size_t n, cap;
	const char *leading_output;	/* an -o before any --format */
};

/* Add a report of format, for the -o that follows. */
void report_outputs_add_format(struct report_outputs *o, const char *format);

/*
 * Give path to the report of the last --format. An -o before every
 * --format is for the first one, so `-o FILE --format json` keeps
 * working. Returns 0, or -1 after a usage error.
 */
int report_outputs_set_path(struct report_outputs *o, const char *path);

/*
 * Complete the list after the options were read: a default report of
 * default_format when none was named, the leading -o, and stdout for
 * "-". Then check the formats against the NULL-terminated names
 * (expected lists them for the message), that at most one report goes
 * to stdout and that no file is named twice. Returns 0, or -1 after a
 * usage error.
 */
int report_outputs_finish(struct report_outputs *o, const char *default_format,
			  const char *const *names, const char *expected);

/*
 * List each earlier report at an -o file, one that recognize takes for
 * a report of the same format, for removal by a termination signal
 * (signal_cleanup.h) until this run writes its reports or ends. Call
 * once usage was checked and before the run's work begins, because the
 * signal handler cannot read a file to recognize it.
 */
void report_outputs_guard_earlier(struct report_outputs *o,
				  report_recognize_fn recognize);

/*
 * Write every rendered report. Files are staged first and renamed into
 * place only after stdout and any device or pipe were written, so a
 * failure leaves no file half-written; report_outputs_remove_earlier
 * then removes those already renamed, as a termination signal before
 * the last rename does. Returns 0, or -1 after reporting.
 */
int report_outputs_write(struct report_outputs *o);

/*
 * Remove each report that an earlier run left at an -o file, so that CI
 * does not take it for the report of a run that could not finish. Only
 * a regular file that recognize takes for a report of the same format
 * is removed, through any symbolic link as the writers do; any other
 * file is the user's, and is kept with a warning that names the report
 * kind expected ("mandate", "mandate diff").
 */
void report_outputs_remove_earlier(const struct report_outputs *o,
				   report_recognize_fn recognize,
				   const char *kind);

void report_outputs_release(struct report_outputs *o);

#endif
