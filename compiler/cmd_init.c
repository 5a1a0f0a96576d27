#include "common.h"
#include "cli.h"

#include <getopt.h>

#include "ast.h"
#include "buf.h"
#include "build.h"
#include "fsutil.h"
#include "source.h"

/* A new agent's first expiry: a year after the spec is written. */
#define INIT_EXPIRY_DAYS 365

/* The name the template is tried with before the user's NAME. */
#define INIT_PROBE_NAME "agent"

struct init_options {
	const char *name;
	const char *output;
	const char *today;
	bool force;
};

static void init_usage(FILE *out)
{
	fputs("usage: mandate init NAME [OPTIONS]\n\n"
	      "Write a commented starting spec for a new agent named NAME:\n"
	      "an AI agent with short-lived credentials and logged decisions,\n"
	      "reviewed every 90 days from today and expiring in a year. The\n"
	      "owners and the justification are marked TODO, and 'mandate\n"
	      "check' fails until they are filled in.\n\n"
	      "options:\n"
	      "  -o, --output FILE    write the spec to FILE, not stdout;\n"
	      "                       - is stdout\n"
	      "  --force              overwrite FILE when it exists\n"
	      "  --today DATE         the date of the first review,\n"
	      "                       YYYY-MM-DD (default: today in UTC)\n"
	      "  --color WHEN         auto (default), always or never\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 written, 2 could not run.\n", out);
}

/* Append name as the inside of a spec string, escaping '"' and '\'. */
static void add_escaped(struct buf *out, const char *name)
{
	for (; *name; name++) {
		if (*name == '"' || *name == '\\')
			buf_addch(out, '\\');
		buf_addch(out, *name);
	}
}

/* Fill the template's {{name}}, {{today}} and {{expires}} into out. */
static void fill_template(struct buf *out, const char *tmpl,
			  const char *name, int32_t today)
{
	char date[11];
	const char *p = tmpl;

	while (*p) {
		if (!strncmp(p, "{{name}}", 8)) {
			add_escaped(out, name);
			p += 8;
		} else if (!strncmp(p, "{{today}}", 9)) {
			date_format(today, date);
			buf_adds(out, date);
			p += 9;
		} else if (!strncmp(p, "{{expires}}", 11)) {
			date_format(today + INIT_EXPIRY_DAYS, date);
			buf_adds(out, date);
			p += 11;
		} else {
			buf_addch(out, *p++);
		}
	}
}

/* Return 0 for a usable NAME, or EXIT_ERROR after reporting it. */
static int check_name(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	if (!*p)
		return cli_usage_error("init", "the agent's NAME is empty");
	if (strlen(name) > SPEC_STRING_MAX)
		return cli_usage_error("init", "invalid NAME: it is %zu bytes "
				       "long, more than the maximum of %d "
				       "bytes for a spec string",
				       strlen(name), SPEC_STRING_MAX);
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return cli_usage_error("init", "invalid NAME: it "
					       "contains control character "
					       "0x%02x", *p);
	return 0;
}

/*
 * Parse the spec before writing it, so that a damaged template or a
 * name the language rejects (invalid UTF-8) is caught. Returns 0 when
 * the spec declares one agent, named name. The
 * parser's messages would point into text the user never saw, so they
 * are dropped for one of the caller's own.
 */
static int check_spec(const struct buf *spec, const char *name)
{
	struct spec_unit u;
	struct diag quiet;
	char *text = NULL;
	size_t len = 0;
	FILE *sink = open_memstream(&text, &len);
	int ret;

	if (!sink)
		BUG("cannot open a memory stream: %s", strerror(errno));
	diag_init(&quiet, sink, false);
	unit_init(&u);
	ret = unit_parse_source(&u, source_from_memory("<new spec>",
						       buf_str(spec), spec->len),
				&quiet);
	if (ret == 0 && (u.nagents != 1 || strcmp(u.agents->name.s, name)))
		ret = -1;
	unit_release(&u);
	fclose(sink);
	free(text);
	return ret;
}

static int write_spec(const struct init_options *opt, const struct buf *spec)
{
	if (cli_output_is_stdout(opt->output)) {
		if (fwrite(buf_str(spec), 1, spec->len, stdout) == spec->len &&
		    !fflush(stdout))
			return 0;
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the spec: %s",
			   strerror(errno));
		return -1;
	}
	if (!opt->force && reject_existing_output(opt->output, &cli.diag) < 0)
		return -1;
	return write_file_atomic(opt->output, spec->data, spec->len,
				 &cli.diag);
}

/*
 * Try the template with a name the language takes, so that a template
 * that makes no spec (empty, cut short, not UTF-8) is reported as the
 * damaged file it is and not blamed on the user's NAME.
 */
static int check_template(const struct source *tmpl, int32_t today)
{
	struct buf probe = BUF_INIT;
	int ret;

	fill_template(&probe, tmpl->text, INIT_PROBE_NAME, today);
	ret = check_spec(&probe, INIT_PROBE_NAME);
	buf_release(&probe);
	if (ret < 0)
		diag_path(&cli.diag, DIAG_ERROR, tmpl->path, "does not make "
			  "the spec of one agent named {{name}}; the standard "
			  "library is damaged, so reinstall it");
	return ret;
}

static int run_init(const struct init_options *opt)
{
	struct source *tmpl = NULL;
	struct buf path = BUF_INIT, spec = BUF_INIT;
	char *dir = NULL;
	int32_t today;
	int status = EXIT_ERROR;

	if (check_name(opt->name))
		return EXIT_ERROR;	/* reported with the usage hint */
	if (cli_parse_today(opt->today, &today) < 0)
		goto out;
	dir = cli_stdlib_dir();
	if (!dir)
		goto out;
	buf_addf(&path, "%s/templates/agent.mandate.in", dir);
	if (source_load(&tmpl, buf_str(&path), SOURCE_SPEC_MAX, &cli.diag) < 0)
		goto out;
	/* The template is the one file init reads. */
	if (cli_reject_input_output("init", opt->output,
				    (const char *const *)&tmpl->path, 1,
				    NULL) < 0)
		goto out;
	if (check_template(tmpl, today) < 0)
		goto out;
	fill_template(&spec, tmpl->text, opt->name, today);
	if (check_spec(&spec, opt->name) < 0) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write a spec for the "
			   "agent '%s'; its name must be valid UTF-8 text",
			   opt->name);
		goto out;
	}
	if (write_spec(opt, &spec) < 0)
		goto out;
	if (!cli_output_is_stdout(opt->output))
		log_warn("wrote %s; fill in the values marked TODO, then run "
			 "'mandate check %s'", opt->output, opt->output);
	status = EXIT_PASS;
out:
	if (status == EXIT_ERROR)
		diag_summary(&cli.diag);
	source_free(tmpl);
	buf_release(&path);
	buf_release(&spec);
	free(dir);
	return status;
}

int cmd_init(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "today", required_argument, NULL, 't' },
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct init_options opt = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			opt.output = optarg;
			break;
		case 'f':
			opt.force = true;
			break;
		case 't':
			opt.today = optarg;
			break;
		case 'c':
			if (cli_set_color(optarg) < 0)
				return EXIT_ERROR;
			break;
		case 'h':
			init_usage(stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("init", "invalid option");
		}
	}
	cli_apply_color();
	if (optind >= argc)
		return cli_usage_error("init", "missing NAME, the agent's name");
	if (argc - optind > 1)
		return cli_usage_error("init", "unexpected argument '%s'",
				       argv[optind + 1]);
	opt.name = argv[optind];
	return run_init(&opt);
}
