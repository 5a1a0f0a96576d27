#include "common.h"
#include "report_output.h"

#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fsutil.h"
#include "signal_cleanup.h"

/*
 * The largest earlier report that a failed run reads to recognize it.
 * A larger file is kept, as any file not recognized is.
 */
#define EARLIER_REPORT_MAX ((size_t)256 << 20)

void report_outputs_add_format(struct report_outputs *o, const char *format)
{
	struct report_output *r;

	grow_array((void **)&o->v, &o->cap, o->n + 1, sizeof(*o->v));
	r = &o->v[o->n++];
	memset(r, 0, sizeof(*r));
	r->format = format;
}

int report_outputs_set_path(struct report_outputs *o, const char *path)
{
	struct report_output *last;

	if (!o->n) {
		if (o->leading_output) {
			cli_usage_error(o->command, "-o '%s' and -o '%s' are "
					"for the same report; put a --format "
					"before each -o", o->leading_output,
					path);
			return -1;
		}
		o->leading_output = path;
		return 0;
	}
	last = &o->v[o->n - 1];
	if (last->path) {
		cli_usage_error(o->command, "-o '%s' and -o '%s' are both for "
				"--format %s; put a --format before each -o",
				last->path, path, last->format);
		return -1;
	}
	last->path = path;
	return 0;
}

static bool known_format(const char *name, const char *const *names)
{
	size_t i;

	for (i = 0; names[i]; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/*
 * Check the reports requested: known formats, at most one on stdout,
 * and no file named twice, by any spelling or symbolic link.
 */
static int check_outputs(const struct report_outputs *o,
			 const char *const *names, const char *expected)
{
	const char *on_stdout = NULL;
	size_t i, j;

	for (i = 0; i < o->n; i++) {
		const struct report_output *r = &o->v[i];

		if (!known_format(r->format, names)) {
			cli_usage_error(o->command, "invalid --format '%s'; "
					"expected %s", r->format, expected);
			return -1;
		}
		if (!r->path && on_stdout) {
			cli_usage_error(o->command, "reports '%s' and '%s' "
					"would both go to stdout; give one of "
					"them -o FILE", on_stdout, r->format);
			return -1;
		}
		if (!r->path)
			on_stdout = r->format;
		for (j = 0; r->path && j < i; j++) {
			const char *other = o->v[j].path;

			if (other && same_file(other, r->path)) {
				cli_usage_error(o->command, "-o '%s' and -o "
						"'%s' are the same file; give "
						"each report its own file",
						other, r->path);
				return -1;
			}
		}
	}
	return 0;
}

int report_outputs_finish(struct report_outputs *o, const char *default_format,
			  const char *const *names, const char *expected)
{
	size_t i;

	if (!o->n)
		report_outputs_add_format(o, default_format);
	if (o->leading_output) {
		if (o->v[0].path) {
			cli_usage_error(o->command, "-o '%s' comes before any "
					"--format; put it after the --format "
					"it is for", o->leading_output);
			return -1;
		}
		o->v[0].path = o->leading_output;
	}
	for (i = 0; i < o->n; i++)
		if (cli_output_is_stdout(o->v[i].path))
			o->v[i].path = NULL;
	return check_outputs(o, names, expected);
}

/*
 * Write a report to a temporary file beside its target, or note that
 * the target is a device or pipe to be written in place. Renaming over
 * a symbolic link would replace the link, so the link is resolved.
 */
static int stage_output(struct report_output *r)
{
	struct stat st;

	if (stat(r->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		r->in_place = true;
		return 0;
	}
	r->target = output_target(r->path);
	if (!r->target) {
		diag_path(&cli.diag, DIAG_ERROR, r->path, "cannot write: %s",
			  strerror(errno));
		return -1;
	}
	return stage_file(r->target, r->text.data, r->text.len, &r->staged,
			  &cli.diag);
}

/* Take r's files off the list that a termination signal removes. */
static void drop_slots(struct report_output *r)
{
	signal_cleanup_drop(r->earlier_slot);
	signal_cleanup_drop(r->target_slot);
	r->earlier_slot = 0;
	r->target_slot = 0;
}

static int write_stdout(const struct report_output *r)
{
	if (fwrite(buf_str(&r->text), 1, r->text.len, stdout) !=
	    r->text.len || fflush(stdout) != 0) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the report: "
			   "%s", strerror(errno));
		return -1;
	}
	return 0;
}

int report_outputs_write(struct report_outputs *o)
{
	size_t i;
	int ret = -1;

	for (i = 0; i < o->n; i++)
		if (o->v[i].path && stage_output(&o->v[i]) < 0)
			goto out;
	for (i = 0; i < o->n; i++)
		if (!o->v[i].path && write_stdout(&o->v[i]) < 0)
			goto out;
	for (i = 0; i < o->n; i++) {
		struct report_output *r = &o->v[i];

		if (r->in_place && write_file_atomic(r->path, r->text.data,
						     r->text.len,
						     &cli.diag) < 0)
			goto out;
	}
	/*
	 * A signal between two renames would leave this run's first reports
	 * beside an earlier run's others, so the new ones are listed too.
	 */
	for (i = 0; i < o->n; i++)
		if (o->v[i].staged.tmp)
			o->v[i].target_slot = signal_cleanup_add(o->v[i].target,
								 NULL);
	for (i = 0; i < o->n; i++) {
		struct report_output *r = &o->v[i];

		if (!r->staged.tmp)
			continue;
		if (staged_file_commit(&r->staged, r->target) < 0) {
			diag_path(&cli.diag, DIAG_ERROR, r->path,
				  "cannot write: %s", strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	for (i = 0; i < o->n; i++) {
		staged_file_discard(&o->v[i].staged);
		if (!ret)
			drop_slots(&o->v[i]);
	}
	return ret;
}

/*
 * Return the resolved path of the earlier report at r's file, one that
 * recognize takes for a report of r's format, or NULL. A file kept is
 * named in a warning that names the report kind, unless kind is NULL.
 */
static char *find_earlier(const struct report_output *r,
			  report_recognize_fn recognize, const char *kind)
{
	struct buf text = BUF_INIT;
	struct stat st;
	char *target;

	if (!r->path || stat(r->path, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	target = realpath(r->path, NULL);
	if (!target)
		return NULL;
	if (read_file(target, EARLIER_REPORT_MAX, &text) < 0) {
		if (kind)
			log_warn("kept %s: cannot read it to tell whether it "
				 "is an earlier report: %s", r->path,
				 strerror(errno));
		free(target);
		target = NULL;
	} else if (!recognize(r->format, buf_str(&text), text.len)) {
		if (kind)
			log_warn("kept %s: it does not look like a %s %s "
				 "report, so this failed run did not replace "
				 "or remove it", r->path, kind, r->format);
		free(target);
		target = NULL;
	}
	buf_release(&text);
	return target;
}

void report_outputs_guard_earlier(struct report_outputs *o,
				  report_recognize_fn recognize)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		struct report_output *r = &o->v[i];
		struct buf note = BUF_INIT;
		char *target = find_earlier(r, recognize, NULL);

		if (!target)
			continue;
		/* As log_warn would print it, formatted before any signal. */
		buf_adds(&note, "mandate: removed the earlier report ");
		buf_add_printable(&note, r->path);
		buf_addch(&note, '\n');
		r->earlier_slot = signal_cleanup_add(target, buf_str(&note));
		buf_release(&note);
		free(target);
	}
}

static void remove_earlier(const struct report_output *r,
			   report_recognize_fn recognize, const char *kind)
{
	char *target = find_earlier(r, recognize, kind);

	if (!target)
		return;
	if (unlink(target) == 0)
		log_warn("removed the earlier report %s", r->path);
	else
		log_warn("cannot remove the earlier report %s: %s", r->path,
			 strerror(errno));
	free(target);
}

void report_outputs_remove_earlier(const struct report_outputs *o,
				   report_recognize_fn recognize,
				   const char *kind)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		remove_earlier(&o->v[i], recognize, kind);
}

void report_outputs_release(struct report_outputs *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		buf_release(&o->v[i].text);
		free(o->v[i].target);
		staged_file_discard(&o->v[i].staged);
		drop_slots(&o->v[i]);
	}
	free(o->v);
	memset(o, 0, sizeof(*o));
}
