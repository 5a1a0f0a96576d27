#include "common.h"
#include "cli.h"

#include <getopt.h>

#include "adopt.h"
#include "aws.h"
#include "fsutil.h"
#include "last_access.h"
#include "pipeline.h"

struct adopt_options {
	const char **against;
	size_t nagainst, against_cap;
	const char *identity;
	const char *output;
	const char *today;
	bool force;
};

static void adopt_usage(FILE *out)
{
	fputs("usage: mandate adopt --against EXPORT... --identity ARN "
	      "[OPTIONS]\n\n"
	      "Write a starting spec for a live IAM role or user: its grants\n"
	      "from every policy that applies to it, as explicit actions on\n"
	      "resource patterns. With service-last-accessed data for the\n"
	      "identity among the exports, services and actions it did not\n"
	      "use in the 90 days before the data was collected are left out.\n"
	      "Owners, justification, review and expiry are left as lines\n"
	      "marked TODO; 'mandate check' fails until they are filled in.\n\n"
	      "options:\n"
	      "  --against EXPORT     an IAM export; repeat for several\n"
	      "                       (format detected from content)\n"
	      "  --identity ARN       the role or user to adopt\n"
	      "  -o, --output FILE    write the spec to FILE, not stdout;\n"
	      "                       - is stdout\n"
	      "  --force              overwrite FILE when it exists\n"
	      "  --today DATE         the date that decides whether\n"
	      "                       last-accessed data is stale, YYYY-MM-DD\n"
	      "                       (default: today in UTC)\n"
	      "  --color WHEN         auto (default), always or never\n"
	      "  -v, --verbose        log progress on stderr\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 written, 2 could not run.\n", out);
}

/* Warn about last-accessed data older than LAST_ACCESS_STALE days. */
static void warn_stale(const struct aws_state *st, const char *arn,
		       int32_t today)
{
	size_t i, j;

	for (i = 0; i < st->naccess; i++) {
		const struct aws_access_report *r = st->access[i];
		char date[11];
		bool about = false;

		for (j = 0; j < r->nentries && !about; j++)
			about = !strcmp(r->entries[j].arn, arn);
		if (!about || today - r->completed <= LAST_ACCESS_STALE)
			continue;
		date_format(r->completed, date);
		diag_at(&cli.diag, DIAG_WARNING, &r->completed_loc,
			"the service-last-accessed data is %d days old (the job "
			"completed on %s); what it shows unused may have been "
			"used since", today - r->completed, date);
	}
}

/*
 * Return whether opt->output may be written: stdout, a path where
 * nothing is, or any path with --force.
 */
static bool output_allowed(const struct adopt_options *opt)
{
	return cli_output_is_stdout(opt->output) || opt->force ||
	       reject_existing_output(opt->output, &cli.diag) == 0;
}

static int write_spec(const struct adopt_options *opt, const struct buf *spec)
{
	/* Checked again, as the file may have appeared while adopt ran. */
	if (!output_allowed(opt))
		return -1;
	if (!cli_output_is_stdout(opt->output))
		return write_file_atomic(opt->output, spec->data, spec->len,
					 &cli.diag);
	if (fwrite(buf_str(spec), 1, spec->len, stdout) != spec->len ||
	    fflush(stdout)) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the spec: %s",
			   strerror(errno));
		return -1;
	}
	return 0;
}

static int run_adopt(struct adopt_options *opt)
{
	struct pipeline pl;
	struct aws_state aws;
	struct buf spec = BUF_INIT;
	struct adopt_summary sum;
	static char *no_specs[1];	/* the catalog is all adopt needs */
	const struct aws_entity *e;
	int32_t today;
	int status = EXIT_ERROR;
	size_t i;

	pipeline_init(&pl);
	aws_state_init(&aws);
	if (!opt->nagainst) {
		cli_usage_error("adopt", "missing --against EXPORT");
		goto out;
	}
	if (!opt->identity) {
		cli_usage_error("adopt", "missing --identity ARN");
		goto out;
	}
	if (cli_parse_today(opt->today, &today) < 0)
		goto out;
	if (cli_reject_repeated_inputs("adopt", "--against", opt->against,
				       opt->nagainst) < 0 ||
	    cli_reject_input_output("adopt", opt->output, opt->against,
				    opt->nagainst, NULL) < 0 ||
	    !output_allowed(opt))
		goto out;
	if (pipeline_load(&pl, no_specs, 0) < 0 ||
	    cli_reject_input_output("adopt", opt->output, NULL, 0,
				    &pl.unit) < 0)
		goto out;
	for (i = 0; i < opt->nagainst; i++) {
		log_info("reading export %s", opt->against[i]);
		if (aws_state_load(&aws, opt->against[i], &cli.diag) < 0)
			goto out;
	}
	if (last_access_check_inputs(&aws, today, NULL, &cli.diag) < 0)
		goto out;
	e = aws_find_entity(&aws, opt->identity);
	if (!e) {
		diag_plain(&cli.diag, DIAG_ERROR, "no role or user '%s' in the "
			   "exports; give its ARN as IAM prints it, path "
			   "included, and an authorization-details export of "
			   "its account", opt->identity);
		goto out;
	}
	warn_stale(&aws, e->arn, today);
	if (adopt_write(&spec, &aws, pl.cat, e, &sum, &cli.diag) < 0 ||
	    write_spec(opt, &spec) < 0)
		goto out;
	log_warn("wrote a spec for '%s' with %zu grant%s; fill in the owner, "
		 "justification, review and expires fields and a because for "
		 "each grant (the lines marked TODO)", e->arn, sum.ngrants,
		 plural((long long)sum.ngrants));
	if (sum.nleft_out)
		log_warn("left out %zu unused service%s or action%s; the spec "
			 "lists them in a comment", sum.nleft_out,
			 plural((long long)sum.nleft_out),
			 plural((long long)sum.nleft_out));
	if (sum.ninexact)
		log_warn("%zu part%s of the live policies could not be written "
			 "exactly; comments in the spec say which",
			 sum.ninexact, plural((long long)sum.ninexact));
	status = EXIT_PASS;
out:
	if (status == EXIT_ERROR)
		diag_summary(&cli.diag);
	buf_release(&spec);
	aws_state_release(&aws);
	pipeline_release(&pl);
	free(opt->against);
	return status;
}

int cmd_adopt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "against", required_argument, NULL, 'a' },
		{ "identity", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "today", required_argument, NULL, 't' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct adopt_options opt = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			grow_array((void **)&opt.against, &opt.against_cap,
				   opt.nagainst + 1, sizeof(*opt.against));
			opt.against[opt.nagainst++] = optarg;
			break;
		case 'i':
			opt.identity = optarg;
			break;
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
				goto usage_failed;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			free(opt.against);
			adopt_usage(stdout);
			return EXIT_PASS;
		default:
			cli_usage_error("adopt", "invalid option");
			goto usage_failed;
		}
	}
	cli_apply_color();
	if (optind < argc) {
		cli_usage_error("adopt", "unexpected argument '%s'",
				argv[optind]);
		goto usage_failed;
	}
	return run_adopt(&opt);
usage_failed:
	free(opt.against);
	return EXIT_ERROR;
}
