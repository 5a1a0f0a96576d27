#include "common.h"
#include "cli.h"

#include <getopt.h>

#include "ast.h"

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
	struct spec_unit unit;
	static char dot[] = ".";
	static char *default_path[] = { dot };
	int c, ret;

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
			if (cli_set_color(optarg) < 0)
				return EXIT_ERROR;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			check_usage(stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("check", "invalid option");
		}
	}
	cli_apply_color();
	opt.paths = optind < argc ? argv + optind : default_path;
	opt.npaths = optind < argc ? (size_t)(argc - optind) : 1;

	unit_init(&unit);
	ret = unit_load_paths(&unit, opt.paths, opt.npaths, &cli.diag);
	if (ret < 0) {
		diag_summary(&cli.diag);
		unit_release(&unit);
		free(opt.against);
		return EXIT_ERROR;
	}
	/* TODO: rules, exports and reports are not wired in yet. */
	unit_release(&unit);
	free(opt.against);
	return EXIT_PASS;
}
