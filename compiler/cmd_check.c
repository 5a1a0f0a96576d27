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
#include "report_output.h"
#include "rules.h"
#include "version.h"

struct check_options {
	char **paths;
	size_t npaths;
	const char **against;
	size_t nagainst, against_cap;
	struct report_outputs outputs;
	const char *fail_on;
	const char *today;
};

static const char *const format_names[] = {
	"text", "json", "sarif", "junit", "markdown", NULL,
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

static int emit_reports(struct check_options *opt, const struct findings *f,
			const struct verdict *v, const struct report_meta *m)
{
	size_t i;

	for (i = 0; i < opt->outputs.n; i++)
		render(&opt->outputs.v[i], f, v, m);
	return report_outputs_write(&opt->outputs);
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

	for (i = 0; i < opt->outputs.n; i++) {
		const char *path = opt->outputs.v[i].path;

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

	pipeline_init(&pl);
	aws_state_init(&aws);
	memset(&cx, 0, sizeof(cx));
	memset(&controls, 0, sizeof(controls));

	if (reject_inputs(opt, NULL) < 0 ||
	    cli_reject_repeated_inputs("check", "--against", opt->against,
				       opt->nagainst) < 0)
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
	report_outputs_guard_earlier(&opt->outputs, report_recognize);
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
		if (usage_ok)
			report_outputs_remove_earlier(&opt->outputs,
						      report_recognize,
						      "mandate");
	}
	report_outputs_release(&opt->outputs);
	controls_release(&controls);
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

	opt.outputs.command = "check";
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			grow_array((void **)&opt.against, &opt.against_cap,
				   opt.nagainst + 1, sizeof(*opt.against));
			opt.against[opt.nagainst++] = optarg;
			break;
		case 'f':
			report_outputs_add_format(&opt.outputs, optarg);
			break;
		case 'o':
			if (report_outputs_set_path(&opt.outputs,
						    optarg) < 0) {
				free(opt.against);
				report_outputs_release(&opt.outputs);
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
				report_outputs_release(&opt.outputs);
				return EXIT_ERROR;
			}
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			free(opt.against);
			report_outputs_release(&opt.outputs);
			check_usage(stdout);
			return EXIT_PASS;
		default:
			free(opt.against);
			report_outputs_release(&opt.outputs);
			return cli_usage_error("check", "invalid option");
		}
	}
	cli_apply_color();
	opt.paths = optind < argc ? argv + optind : default_path;
	opt.npaths = optind < argc ? (size_t)(argc - optind) : 1;
	if (report_outputs_finish(&opt.outputs, "text", format_names,
				  "text, json, sarif, junit or markdown") < 0) {
		free(opt.against);
		report_outputs_release(&opt.outputs);
		return EXIT_ERROR;
	}
	return run_check(&opt);
}
