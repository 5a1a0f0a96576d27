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

struct check_options {
	char **paths;
	size_t npaths;
	const char **against;
	size_t nagainst, against_cap;
	const char *format;
	const char *output;
	const char *fail_on;
	const char *today;
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
	      "  --format FORMAT      text (default) or json\n"
	      "  -o, --output FILE    write the report to FILE, not stdout\n"
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

static int emit_report(const struct check_options *opt,
		       const struct findings *f, const struct verdict *v,
		       const struct report_meta *m)
{
	struct buf out = BUF_INIT;
	bool color = false;
	int ret = 0;

	if (!opt->output && cli.color != COLOR_NEVER)
		color = cli.color == COLOR_ALWAYS || cli_stdout_is_terminal();
	if (!strcmp(opt->format, "json"))
		report_json(&out, f, v, m);
	else
		report_text(&out, f, v, m, color);

	if (opt->output)
		ret = write_file_atomic(opt->output, out.data, out.len,
					&cli.diag);
	else if (fwrite(buf_str(&out), 1, out.len, stdout) != out.len ||
		 fflush(stdout) != 0) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the report: "
			   "%s", strerror(errno));
		ret = -1;
	}
	buf_release(&out);
	return ret;
}

/*
 * Remove the report an earlier run left at path, so that a run which
 * could not finish does not leave a report that looks like its own.
 * Only a regular file is removed.
 */
static void remove_stale_report(const char *path)
{
	struct stat st;

	if (path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    unlink(path) == 0)
		log_warn("removed the earlier report %s", path);
}

static int run_check(struct check_options *opt)
{
	struct pipeline pl;
	struct aws_state aws;
	struct emit_result dry = { NULL, 0, 0 };
	struct check_context cx;
	struct verdict verdict;
	struct report_meta meta;
	int status = EXIT_ERROR;
	enum severity fail_on = SEV_HIGH;

	pipeline_init(&pl);
	aws_state_init(&aws);
	memset(&cx, 0, sizeof(cx));

	if (strcmp(opt->format, "text") && strcmp(opt->format, "json")) {
		cli_usage_error("check", "invalid --format '%s'; expected "
				"text or json", opt->format);
		goto out;
	}
	if (opt->fail_on && severity_parse(opt->fail_on, &fail_on) < 0) {
		cli_usage_error("check", "invalid --fail-on '%s'; expected "
				"info, low, medium, high or critical",
				opt->fail_on);
		goto out;
	}
	if (cli_parse_today(opt->today, &cx.today) < 0)
		goto out;
	if (pipeline_load(&pl, opt->paths, opt->npaths) < 0)
		goto out;
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
	if (emit_aws(&pl.prog, &dry, &pl.findings, &cli.diag) < 0)
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
	if (emit_report(opt, &pl.findings, &verdict, &meta) < 0)
		goto out;
	status = verdict.pass ? EXIT_PASS : EXIT_FAIL;
out:
	if (status == EXIT_ERROR) {
		diag_summary(&cli.diag);
		remove_stale_report(opt->output);
	}
	emit_result_release(&dry);
	aws_state_release(&aws);
	pipeline_release(&pl);
	free(opt->against);
	return status;
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
			opt.format = optarg;
			break;
		case 'o':
			opt.output = optarg;
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
				return EXIT_ERROR;
			}
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			free(opt.against);
			check_usage(stdout);
			return EXIT_PASS;
		default:
			free(opt.against);
			return cli_usage_error("check", "invalid option");
		}
	}
	cli_apply_color();
	opt.paths = optind < argc ? argv + optind : default_path;
	opt.npaths = optind < argc ? (size_t)(argc - optind) : 1;
	if (!opt.format)
		opt.format = "text";

	return run_check(&opt);
}
