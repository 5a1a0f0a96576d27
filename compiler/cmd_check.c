#include "common.h"
#include "cli.h"

#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "aws.h"
#include "emit_aws.h"
#include "fsutil.h"
#include "last_access.h"
#include "pipeline.h"
#include "report.h"
#include "rules.h"
#include "version.h"

/*
 * The largest earlier report that a failed run reads to recognize it.
 * A larger file is kept, as any file not recognized is.
 */
#define EARLIER_REPORT_MAX ((size_t)256 << 20)

/*
 * One report of the run: a format and where it goes, a file or stdout
 * (path NULL). A run may write several, each --format to the -o that
 * follows it.
 */
struct report_output {
	const char *format;
	const char *path;
	struct buf text;
	char *tmp;		/* staged beside target until renamed */
	char *target;		/* path with symbolic links resolved */
	bool in_place;		/* a device or pipe: written, not renamed */
};

struct check_options {
	char **paths;
	size_t npaths;
	const char **against;
	size_t nagainst, against_cap;
	struct report_output *outputs;
	size_t noutputs, outputs_cap;
	const char *leading_output;	/* an -o before any --format */
	const char *fail_on;
	const char *today;
};

static const char *const format_names[] = {
	"text", "json", "sarif", "junit", "markdown",
};

static void check_usage(FILE *out)
{
	fputs("usage: mandate check [OPTIONS] [PATH...]\n\n"
	      "Compile the specs under each PATH (files, or directories\n"
	      "searched for *.mandate; default: the current directory), run\n"
	      "the rules, and print the findings and the verdict.\n\n"
	      "options:\n"
	      "  --against EXPORT     compare with a live IAM export; repeat\n"
	      "                       for several (format detected from content)\n"
	      "  --format FORMAT      text (default), json, sarif, junit or\n"
	      "                       markdown; repeat for several reports\n"
	      "  -o, --output FILE    write the report of the --format before\n"
	      "                       it to FILE, not stdout; - is stdout\n"
	      "  --fail-on SEVERITY   lowest severity that fails the gate:\n"
	      "                       info, low, medium, high (default), critical\n"
	      "  --today DATE         the date every date rule uses, YYYY-MM-DD\n"
	      "                       (default: today in UTC)\n"
	      "  --color WHEN         auto (default), always or never\n"
	      "  -v, --verbose        log progress on stderr; twice for more\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 the gate passed, 1 it failed, 2 could not run.\n",
	      out);
}

static int load_exports(struct aws_state *aws, const struct check_options *opt)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < opt->nagainst; i++) {
		log_info("reading export %s", opt->against[i]);
		if (aws_state_load(aws, opt->against[i], &cli.diag) < 0)
			ret = -1;
	}
	if (!ret)
		aws_warn_unused_orgs(aws, &cli.diag);
	return ret;
}

static void render(struct report_output *o, const struct findings *f,
		   const struct verdict *v, const struct report_meta *m)
{
	bool color = false;

	if (!strcmp(o->format, "json"))
		report_json(&o->text, f, v, m);
	else if (!strcmp(o->format, "sarif"))
		report_sarif(&o->text, f, v, m);
	else if (!strcmp(o->format, "junit"))
		report_junit(&o->text, f, v, m);
	else if (!strcmp(o->format, "markdown"))
		report_markdown(&o->text, f, v, m);
	else {
		if (!o->path && cli.color != COLOR_NEVER)
			color = cli.color == COLOR_ALWAYS ||
				cli_stdout_is_terminal();
		report_text(&o->text, f, v, m, color);
	}
}

/*
 * Write a report to a temporary file beside its target, or note that
 * the target is a device or pipe to be written in place. Renaming over
 * a symbolic link would replace the link, so the link is resolved.
 */
static int stage_output(struct report_output *o)
{
	struct stat st;

	if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->in_place = true;
		return 0;
	}
	o->target = realpath(o->path, NULL);
	if (!o->target)
		o->target = xstrdup(o->path);
	return stage_file(o->target, o->text.data, o->text.len, &o->tmp,
			  &cli.diag);
}

static int write_stdout(const struct report_output *o)
{
	if (fwrite(buf_str(&o->text), 1, o->text.len, stdout) !=
	    o->text.len || fflush(stdout) != 0) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the report: "
			   "%s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Write every report. Files are staged first and renamed into place
 * only after stdout and any device or pipe were written, so a failure
 * leaves no file half-written: the staged files are removed here, and
 * run_check removes the reports that were already renamed.
 */
static int emit_reports(struct check_options *opt, const struct findings *f,
			const struct verdict *v, const struct report_meta *m)
{
	size_t i;
	int ret = -1;

	for (i = 0; i < opt->noutputs; i++)
		render(&opt->outputs[i], f, v, m);
	for (i = 0; i < opt->noutputs; i++)
		if (opt->outputs[i].path && stage_output(&opt->outputs[i]) < 0)
			goto out;
	for (i = 0; i < opt->noutputs; i++)
		if (!opt->outputs[i].path && write_stdout(&opt->outputs[i]) < 0)
			goto out;
	for (i = 0; i < opt->noutputs; i++) {
		struct report_output *o = &opt->outputs[i];

		if (o->in_place && write_file_atomic(o->path, o->text.data,
						     o->text.len,
						     &cli.diag) < 0)
			goto out;
	}
	for (i = 0; i < opt->noutputs; i++) {
		struct report_output *o = &opt->outputs[i];

		if (!o->tmp)
			continue;
		if (rename(o->tmp, o->target) < 0) {
			diag_path(&cli.diag, DIAG_ERROR, o->path,
				  "cannot write: %s", strerror(errno));
			goto out;
		}
		free(o->tmp);
		o->tmp = NULL;
	}
	ret = 0;
out:
	for (i = 0; i < opt->noutputs; i++) {
		if (opt->outputs[i].tmp)
			unlink(opt->outputs[i].tmp);
		free(opt->outputs[i].tmp);
		opt->outputs[i].tmp = NULL;
	}
	return ret;
}

/*
 * Remove the report an earlier run left at the output's file, so that
 * CI does not take it for the report of a run that could not finish.
 * Only a regular file that is recognisably a mandate report of the same
 * format is removed, through any symbolic link as the writers do. Any
 * other file is the user's, and is kept with a warning.
 */
static void remove_earlier_report(const struct report_output *o)
{
	struct buf text = BUF_INIT;
	struct stat st;
	char *target;

	if (!o->path || stat(o->path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	target = realpath(o->path, NULL);
	if (!target)
		return;
	if (read_file(target, EARLIER_REPORT_MAX, &text) < 0)
		log_warn("kept %s: cannot read it to tell whether it is an "
			 "earlier report: %s", o->path, strerror(errno));
	else if (!report_recognize(o->format, buf_str(&text), text.len))
		log_warn("kept %s: it does not look like a mandate %s report, "
			 "so this failed run did not replace or remove it",
			 o->path, o->format);
	else if (unlink(target) == 0)
		log_warn("removed the earlier report %s", o->path);
	else
		log_warn("cannot remove the earlier report %s: %s", o->path,
			 strerror(errno));
	buf_release(&text);
	free(target);
}

static bool known_format(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(format_names); i++)
		if (!strcmp(name, format_names[i]))
			return true;
	return false;
}

/*
 * Check the reports requested: known formats, at most one on stdout,
 * and no file named twice, by any spelling or symbolic link. Returns
 * 0, or -1 after a usage error.
 */
static int check_outputs(const struct check_options *opt)
{
	const char *on_stdout = NULL;
	size_t i, j;

	for (i = 0; i < opt->noutputs; i++) {
		const struct report_output *o = &opt->outputs[i];

		if (!known_format(o->format)) {
			cli_usage_error("check", "invalid --format '%s'; "
					"expected text, json, sarif, junit or "
					"markdown", o->format);
			return -1;
		}
		if (!o->path && on_stdout) {
			cli_usage_error("check", "reports '%s' and '%s' would "
					"both go to stdout; give one of them "
					"-o FILE", on_stdout, o->format);
			return -1;
		}
		if (!o->path)
			on_stdout = o->format;
		for (j = 0; o->path && j < i; j++) {
			const char *other = opt->outputs[j].path;

			if (other && same_file(other, o->path)) {
				cli_usage_error("check", "-o '%s' and -o '%s' "
						"are the same file; give each "
						"report its own file", other,
						o->path);
				return -1;
			}
		}
	}
	return 0;
}

/*
 * Reject a report file that is an input: an export, or a spec, either
 * named on the command line (u NULL) or loaded into u. Returns 0, or
 * -1 after a usage error.
 */
static int reject_inputs(const struct check_options *opt,
			 const struct spec_unit *u)
{
	size_t i;

	for (i = 0; i < opt->noutputs; i++) {
		const char *path = opt->outputs[i].path;

		if (cli_reject_input_output("check", path, opt->against,
					    opt->nagainst, u) < 0)
			return -1;
		if (!u && cli_reject_input_output("check", path,
				(const char *const *)opt->paths, opt->npaths,
				NULL) < 0)
			return -1;
	}
	return 0;
}

static int run_check(struct check_options *opt)
{
	struct pipeline pl;
	struct aws_state aws;
	struct check_context cx;
	struct verdict verdict;
	struct report_meta meta;
	struct controls controls;
	int status = EXIT_ERROR;
	enum severity fail_on = SEV_HIGH;
	bool usage_ok = false;	/* a usage error never touches the files */
	size_t i;

	pipeline_init(&pl);
	aws_state_init(&aws);
	memset(&cx, 0, sizeof(cx));
	memset(&controls, 0, sizeof(controls));

	if (check_outputs(opt) < 0 || reject_inputs(opt, NULL) < 0)
		goto out;
	if (opt->fail_on && severity_parse(opt->fail_on, &fail_on) < 0) {
		cli_usage_error("check", "invalid --fail-on '%s'; expected "
				"info, low, medium, high or critical",
				opt->fail_on);
		goto out;
	}
	if (cli_parse_today(opt->today, &cx.today) < 0)
		goto out;
	usage_ok = true;
	if (pipeline_load(&pl, opt->paths, opt->npaths) < 0)
		goto out;
	if (reject_inputs(opt, &pl.unit) < 0) {
		usage_ok = false;
		goto out;
	}
	if (pipeline_load_controls(&controls) < 0)
		goto out;
	controls_select(&controls, pl.unit.gate.frameworks.items,
			pl.unit.gate.frameworks.n);
	if (load_exports(&aws, opt) < 0 ||
	    last_access_check_inputs(&aws, cx.today, &pl.prog, &cli.diag) < 0)
		goto out;
	/*
	 * A run that found no spec must not pass: the paths are probably
	 * wrong. With exports it still lists every identity as unowned.
	 */
	if (!pl.unit.nagents && !opt->nagainst) {
		diag_plain(&cli.diag, DIAG_ERROR, "no agent specs found in "
			   "the paths given; name the directories that hold "
			   "the *.mandate files");
		goto out;
	}

	cx.unit = &pl.unit;
	cx.prog = &pl.prog;
	cx.cat = pl.cat;
	cx.aws = opt->nagainst ? &aws : NULL;
	cx.f = &pl.findings;
	cx.d = &cli.diag;
	gate_settings_from_unit(&cx.gate, &pl.unit);
	if (opt->fail_on)
		cx.gate.fail_on = fail_on;
	if (rules_spec_run(&cx, &cli.diag) < 0)
		goto out;
	/* Generating the policies finds those too large to deploy. */
	if (emit_aws(&pl.prog, NULL, &pl.findings, &cli.diag) < 0)
		goto out;
	rules_aws_run(&cx);
	rules_apply_waivers(&cx);
	findings_sort(&pl.findings);

	verdict_compute(&verdict, &pl.findings, cx.gate.fail_on);
	meta.tool_version = MANDATE_VERSION;
	meta.catalog_source = catalog_source(pl.cat);
	meta.today = cx.today;
	meta.nagents = pl.unit.nagents;
	meta.nexports = opt->nagainst;
	meta.agents = pl.unit.agents;
	meta.controls = &controls;
	if (emit_reports(opt, &pl.findings, &verdict, &meta) < 0)
		goto out;
	status = verdict.pass ? EXIT_PASS : EXIT_FAIL;
out:
	if (status == EXIT_ERROR) {
		diag_summary(&cli.diag);
		for (i = 0; usage_ok && i < opt->noutputs; i++)
			remove_earlier_report(&opt->outputs[i]);
	}
	for (i = 0; i < opt->noutputs; i++) {
		buf_release(&opt->outputs[i].text);
		free(opt->outputs[i].target);
	}
	free(opt->outputs);
	controls_release(&controls);
	aws_state_release(&aws);
	pipeline_release(&pl);
	free(opt->against);
	return status;
}

static void add_output(struct check_options *opt, const char *format)
{
	struct report_output *o;

	grow_array((void **)&opt->outputs, &opt->outputs_cap,
		   opt->noutputs + 1, sizeof(*opt->outputs));
	o = &opt->outputs[opt->noutputs++];
	memset(o, 0, sizeof(*o));
	o->format = format;
}

/*
 * Give path to the report of the last --format. An -o before every
 * --format is for the first one, so `-o FILE --format json` keeps
 * working. Returns 0, or -1 after a usage error.
 */
static int set_output_path(struct check_options *opt, const char *path)
{
	struct report_output *last;

	if (!opt->noutputs) {
		if (opt->leading_output) {
			cli_usage_error("check", "-o '%s' and -o '%s' are for "
					"the same report; put a --format "
					"before each -o", opt->leading_output,
					path);
			return -1;
		}
		opt->leading_output = path;
		return 0;
	}
	last = &opt->outputs[opt->noutputs - 1];
	if (last->path) {
		cli_usage_error("check", "-o '%s' and -o '%s' are both for "
				"--format %s; put a --format before each -o",
				last->path, path, last->format);
		return -1;
	}
	last->path = path;
	return 0;
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "against", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "today", required_argument, NULL, 't' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct check_options opt = { 0 };
	static char dot[] = ".";
	static char *default_path[] = { dot };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			grow_array((void **)&opt.against, &opt.against_cap,
				   opt.nagainst + 1, sizeof(*opt.against));
			opt.against[opt.nagainst++] = optarg;
			break;
		case 'f':
			add_output(&opt, optarg);
			break;
		case 'o':
			if (set_output_path(&opt, optarg) < 0) {
				free(opt.against);
				free(opt.outputs);
				return EXIT_ERROR;
			}
			break;
		case 'F':
			opt.fail_on = optarg;
			break;
		case 't':
			opt.today = optarg;
			break;
		case 'c':
			if (cli_set_color(optarg) < 0) {
				free(opt.against);
				free(opt.outputs);
				return EXIT_ERROR;
			}
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			free(opt.against);
			free(opt.outputs);
			check_usage(stdout);
			return EXIT_PASS;
		default:
			free(opt.against);
			free(opt.outputs);
			return cli_usage_error("check", "invalid option");
		}
	}
	cli_apply_color();
	opt.paths = optind < argc ? argv + optind : default_path;
	opt.npaths = optind < argc ? (size_t)(argc - optind) : 1;
	if (!opt.noutputs)
		add_output(&opt, "text");
	if (opt.leading_output) {
		if (opt.outputs[0].path) {
			free(opt.against);
			free(opt.outputs);
			return cli_usage_error("check", "-o '%s' comes before "
					       "any --format; put it after "
					       "the --format it is for",
					       opt.leading_output);
		}
		opt.outputs[0].path = opt.leading_output;
	}
	for (c = 0; (size_t)c < opt.noutputs; c++)
		if (cli_output_is_stdout(opt.outputs[c].path))
			opt.outputs[c].path = NULL;
	return run_check(&opt);
}
