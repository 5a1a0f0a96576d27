#include "common.h"
#include "cli.h"

#include <cJSON.h>
#include <getopt.h>

#include "aws.h"
#include "buf.h"
#include "csv.h"
#include "drift.h"
#include "fsutil.h"
#include "pipeline.h"
#include "rules.h"

struct inventory_options {
	char *const *paths;
	size_t npaths;
	const char **against;
	size_t nagainst, against_cap;
	const char *format;
	const char *output;
};

/* One row of the inventory. */
struct row {
	const struct aws_entity *e;
	const struct aws_credential_row *creds;
	const struct identity *claim;
	enum nhi_class class;
	const char *export_path;
};

static void inventory_usage(FILE *out)
{
	fputs("usage: mandate inventory --against EXPORT... [OPTIONS] "
	      "[PATH...]\n\n"
	      "List every role and user in the exports with the agent and\n"
	      "owners whose spec (under PATH, default the current directory)\n"
	      "claims it. Workload identities that no spec claims are flagged\n"
	      "UNOWNED.\n\n"
	      "csv writes one RFC 4180 record per identity under a header:\n"
	      "identity, provider, kind, agent, technical_owner,\n"
	      "business_owner, last_review, expiry, last_used (dates as\n"
	      "YYYY-MM-DD, empty when unknown) and unowned (true or false).\n"
	      "A cell that starts with = + - or @ gets a leading ' so that a\n"
	      "spreadsheet does not run it as a formula.\n\n"
	      "options:\n"
	      "  --against EXPORT     an IAM export; repeat for several\n"
	      "  --format FORMAT      text (default), json or csv\n"
	      "  -o, --output FILE    write to FILE, not stdout; - is stdout\n"
	      "  --color WHEN         auto (default), always or never\n"
	      "  -v, --verbose        log progress on stderr\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 listed, 2 could not run.\n", out);
}

static int cmp_rows(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->e->arn,
		      ((const struct row *)b)->e->arn);
}

static struct row *collect_rows(const struct aws_state *st,
				const struct program *p, size_t *n)
{
	struct row *rows = NULL;
	size_t cap = 0, nclaims, i, j, k;
	struct claim *claims = claims_collect(p, &nclaims);

	*n = 0;
	for (i = 0; i < st->nexports; i++) {
		const struct aws_export *x = st->exports[i];
		struct aws_entity **lists[2] = { x->roles, x->users };
		size_t counts[2] = { x->nroles, x->nusers };

		for (k = 0; k < 2; k++)
			for (j = 0; j < counts[k]; j++) {
				const struct claim *c;
				struct row *r;

				grow_array((void **)&rows, &cap, *n + 1,
					   sizeof(*rows));
				r = &rows[(*n)++];
				r->e = lists[k][j];
				r->creds = aws_find_credentials(st, r->e->arn);
				c = claims_find(claims, nclaims, r->e->arn);
				r->claim = c ? c->identity : NULL;
				r->class = aws_classify(r->e, r->creds);
				r->export_path = x->src->path;
			}
	}
	free(claims);
	sort_array(rows, *n, sizeof(*rows), cmp_rows);
	return rows;
}

/* Return the services the role's trust policy lets assume it, as "a, b". */
static void services_of(const struct aws_entity *e, struct buf *out)
{
	size_t i, j;

	if (!e->trust)
		return;
	for (i = 0; i < e->trust->nstmts; i++) {
		const struct aws_statement *s = &e->trust->stmts[i];

		if (s->deny)
			continue;
		for (j = 0; j < s->nprincipals; j++)
			if (!strcmp(s->principals[j].type, "Service"))
				buf_addf(out, "%s%s", out->len ? ", " : "",
					 s->principals[j].value);
	}
}

static int active_keys(const struct row *r)
{
	if (!r->creds)
		return -1;
	return r->creds->keys[0].active + r->creds->keys[1].active;
}

/* The latest use of the identity known from the exports, or "". */
static void last_used(const struct row *r, char out[32])
{
	int32_t best = -1;
	int k;

	out[0] = '\0';
	if (r->e->last_used_day >= 0) {
		date_format(r->e->last_used_day, out);
		return;
	}
	if (!r->creds)
		return;
	best = r->creds->password_last_used;
	for (k = 0; k < 2; k++)
		if (r->creds->keys[k].last_used > best)
			best = r->creds->keys[k].last_used;
	if (best >= 0)
		date_format(best, out);
}

static bool unowned(const struct row *r)
{
	return !r->claim && r->class == NHI_WORKLOAD;
}

/* The cells of one text row, in column order. */
#define COLUMNS 8

static void row_cells(const struct row *r, char cells[COLUMNS][512])
{
	const struct agent *a = r->claim ? r->claim->agent : NULL;
	struct buf svc = BUF_INIT;
	char used[32];
	int k = active_keys(r);
	size_t c;

	last_used(r, used);
	services_of(r->e, &svc);
	snprintf(cells[0], 512, "%s", r->e->kind == AWS_ROLE ? "role" : "user");
	snprintf(cells[1], 512, "%s",
		 r->class == NHI_WORKLOAD ? "workload"
		 : r->class == NHI_SERVICE_LINKED ? "service" : "human");
	snprintf(cells[2], 512, "%s",
		 a ? a->name.s : unowned(r) ? "UNOWNED" : "-");
	snprintf(cells[3], 512, "%s",
		 a && a->owner.technical.s ? a->owner.technical.s : "-");
	snprintf(cells[4], 512, "%s",
		 a && a->owner.business.s ? a->owner.business.s : "-");
	if (k < 0)
		snprintf(cells[5], 512, "-");
	else
		snprintf(cells[5], 512, "%d", k);
	snprintf(cells[6], 512, "%s", *used ? used : "-");
	if (svc.len)
		snprintf(cells[7], 512, "%s (assumed by %s)", r->e->arn,
			 buf_str(&svc));
	else
		snprintf(cells[7], 512, "%s", r->e->arn);
	buf_release(&svc);
	/* Names from the export never send control codes to a terminal. */
	for (c = 0; c < COLUMNS; c++) {
		struct buf clean = BUF_INIT;

		buf_add_printable(&clean, cells[c]);
		snprintf(cells[c], 512, "%s", buf_str(&clean));
		buf_release(&clean);
	}
}

static void text_report(struct buf *out, const struct row *rows, size_t n)
{
	static const char *const heads[COLUMNS] = {
		"KIND", "CLASS", "AGENT", "TECHNICAL OWNER", "BUSINESS OWNER",
		"KEYS", "LAST USED", "IDENTITY",
	};
	char (*cells)[COLUMNS][512] = xcalloc(n + 1, sizeof(*cells));
	size_t width[COLUMNS], i, c, nunowned = 0, nowned = 0;

	for (c = 0; c < COLUMNS; c++)
		width[c] = strlen(heads[c]);
	for (i = 0; i < n; i++) {
		row_cells(&rows[i], cells[i]);
		for (c = 0; c < COLUMNS; c++)
			if (strlen(cells[i][c]) > width[c])
				width[c] = strlen(cells[i][c]);
		if (unowned(&rows[i]))
			nunowned++;
		else if (rows[i].claim)
			nowned++;
	}
	for (c = 0; c + 1 < COLUMNS; c++)
		buf_addf(out, "%-*s  ", (int)width[c], heads[c]);
	buf_addf(out, "%s\n", heads[COLUMNS - 1]);
	for (i = 0; i < n; i++) {
		for (c = 0; c + 1 < COLUMNS; c++)
			buf_addf(out, "%-*s  ", (int)width[c], cells[i][c]);
		buf_addf(out, "%s\n", cells[i][COLUMNS - 1]);
	}
	buf_addf(out, "\n%zu identit%s: %zu claimed by a spec, %zu unowned, "
		 "%zu not workloads\n", n, n == 1 ? "y" : "ies", nowned,
		 nunowned, n - nowned - nunowned);
	free(cells);
}

static cJSON *json_row(const struct row *r)
{
	const struct agent *a = r->claim ? r->claim->agent : NULL;
	cJSON *o = cJSON_CreateObject(), *owners, *svc;
	struct buf list = BUF_INIT;
	char used[32];
	size_t i, j;
	int k = active_keys(r);

	cJSON_AddStringToObject(o, "provider", "aws");
	cJSON_AddStringToObject(o, "kind",
				r->e->kind == AWS_ROLE ? "role" : "user");
	cJSON_AddStringToObject(o, "id", r->e->arn);
	cJSON_AddStringToObject(o, "class", nhi_class_name(r->class));
	if (a)
		cJSON_AddStringToObject(o, "agent", a->name.s);
	else
		cJSON_AddNullToObject(o, "agent");
	if (a) {
		owners = cJSON_AddObjectToObject(o, "owners");
		if (a->owner.technical.s)
			cJSON_AddStringToObject(owners, "technical",
						a->owner.technical.s);
		else
			cJSON_AddNullToObject(owners, "technical");
		if (a->owner.business.s)
			cJSON_AddStringToObject(owners, "business",
						a->owner.business.s);
		else
			cJSON_AddNullToObject(owners, "business");
	} else {
		cJSON_AddNullToObject(o, "owners");
	}
	cJSON_AddBoolToObject(o, "unowned", unowned(r));
	svc = cJSON_AddArrayToObject(o, "assumable_by_services");
	if (r->e->trust)
		for (i = 0; i < r->e->trust->nstmts; i++)
			for (j = 0; j < r->e->trust->stmts[i].nprincipals; j++) {
				const struct aws_principal *p =
					&r->e->trust->stmts[i].principals[j];

				if (!r->e->trust->stmts[i].deny &&
				    !strcmp(p->type, "Service"))
					cJSON_AddItemToArray(svc,
						cJSON_CreateString(p->value));
			}
	if (k < 0)
		cJSON_AddNullToObject(o, "active_access_keys");
	else
		cJSON_AddNumberToObject(o, "active_access_keys", k);
	last_used(r, used);
	if (*used)
		cJSON_AddStringToObject(o, "last_used", used);
	else
		cJSON_AddNullToObject(o, "last_used");
	cJSON_AddStringToObject(o, "export", r->export_path);
	buf_release(&list);
	return o;
}

static void json_report(struct buf *out, const struct row *rows, size_t n)
{
	cJSON *root = cJSON_CreateObject(), *list, *counts;
	size_t i, nunowned = 0, nowned = 0;
	char *text;

	list = cJSON_AddArrayToObject(root, "identities");
	for (i = 0; i < n; i++) {
		cJSON_AddItemToArray(list, json_row(&rows[i]));
		if (unowned(&rows[i]))
			nunowned++;
		else if (rows[i].claim)
			nowned++;
	}
	counts = cJSON_AddObjectToObject(root, "counts");
	cJSON_AddNumberToObject(counts, "identities", (double)n);
	cJSON_AddNumberToObject(counts, "claimed", (double)nowned);
	cJSON_AddNumberToObject(counts, "unowned", (double)nunowned);
	text = cJSON_Print(root);
	buf_adds(out, text);
	buf_addch(out, '\n');
	cJSON_free(text);
	cJSON_Delete(root);
}

/* Format a date of a spec into out, or "" when the spec has none. */
static const char *spec_date(const struct dval *d, char out[11])
{
	out[0] = '\0';
	if (d->set)
		date_format(d->days, out);
	return out;
}

static void csv_row(struct buf *out, const struct row *r)
{
	const struct agent *a = r->claim ? r->claim->agent : NULL;
	char review[11] = "", expiry[11] = "", used[32];

	last_used(r, used);
	if (a) {
		spec_date(&a->review.last, review);
		spec_date(&a->expires, expiry);
	}
	csv_add_field(out, r->e->arn, true);
	csv_add_field(out, "aws", false);
	csv_add_field(out, r->e->kind == AWS_ROLE ? "role" : "user", false);
	csv_add_field(out, a ? a->name.s : NULL, false);
	csv_add_field(out, a ? a->owner.technical.s : NULL, false);
	csv_add_field(out, a ? a->owner.business.s : NULL, false);
	csv_add_field(out, review, false);
	csv_add_field(out, expiry, false);
	csv_add_field(out, used, false);
	csv_add_field(out, unowned(r) ? "true" : "false", false);
	csv_end_record(out);
}

static void csv_report(struct buf *out, const struct row *rows, size_t n)
{
	static const char *const heads[] = {
		"identity", "provider", "kind", "agent", "technical_owner",
		"business_owner", "last_review", "expiry", "last_used",
		"unowned",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(heads); i++)
		csv_add_field(out, heads[i], i == 0);
	csv_end_record(out);
	for (i = 0; i < n; i++)
		csv_row(out, &rows[i]);
}

static int run_inventory(struct inventory_options *opt)
{
	struct pipeline pl;
	struct aws_state aws;
	struct buf out = BUF_INIT;
	struct row *rows = NULL;
	size_t nrows = 0, i;
	int status = EXIT_ERROR;

	pipeline_init(&pl);
	aws_state_init(&aws);
	if (strcmp(opt->format, "text") && strcmp(opt->format, "json") &&
	    strcmp(opt->format, "csv")) {
		cli_usage_error("inventory", "invalid --format '%s'; expected "
				"text, json or csv", opt->format);
		goto out;
	}
	if (!opt->nagainst) {
		cli_usage_error("inventory", "missing --against EXPORT");
		goto out;
	}
	if (cli_reject_repeated_inputs("inventory", "--against",
				       opt->against, opt->nagainst) < 0 ||
	    cli_reject_input_output("inventory", opt->output, opt->against,
				    opt->nagainst, NULL) < 0 ||
	    cli_reject_input_output("inventory", opt->output,
				    (const char *const *)opt->paths,
				    opt->npaths, NULL) < 0)
		goto out;
	if (pipeline_load(&pl, opt->paths, opt->npaths) < 0 ||
	    cli_reject_input_output("inventory", opt->output, NULL, 0,
				    &pl.unit) < 0)
		goto out;
	for (i = 0; i < opt->nagainst; i++)
		if (aws_state_load(&aws, opt->against[i], &cli.diag) < 0)
			goto out;
	if (!aws.nexports) {
		diag_plain(&cli.diag, DIAG_ERROR, "the inventory lists the "
			   "roles and users of 'aws iam "
			   "get-account-authorization-details' exports, and "
			   "none was given");
		goto out;
	}

	rows = collect_rows(&aws, &pl.prog, &nrows);
	if (!strcmp(opt->format, "json"))
		json_report(&out, rows, nrows);
	else if (!strcmp(opt->format, "csv"))
		csv_report(&out, rows, nrows);
	else
		text_report(&out, rows, nrows);
	if (!cli_output_is_stdout(opt->output)) {
		if (write_file_atomic(opt->output, out.data, out.len,
				      &cli.diag) < 0)
			goto out;
	} else if (fwrite(buf_str(&out), 1, out.len, stdout) != out.len ||
		   fflush(stdout)) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the inventory: "
			   "%s", strerror(errno));
		goto out;
	}
	status = EXIT_PASS;
out:
	if (status == EXIT_ERROR)
		diag_summary(&cli.diag);
	free(rows);
	buf_release(&out);
	aws_state_release(&aws);
	pipeline_release(&pl);
	free(opt->against);
	return status;
}

int cmd_inventory(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "against", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct inventory_options opt = { 0 };
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
		case 'c':
			if (cli_set_color(optarg) < 0)
				goto usage_failed;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			free(opt.against);
			inventory_usage(stdout);
			return EXIT_PASS;
		default:
			cli_usage_error("inventory", "invalid option");
			goto usage_failed;
		}
	}
	cli_apply_color();
	opt.paths = optind < argc ? argv + optind : default_path;
	opt.npaths = optind < argc ? (size_t)(argc - optind) : 1;
	if (!opt.format)
		opt.format = "text";
	return run_inventory(&opt);
usage_failed:
	free(opt.against);
	return EXIT_ERROR;
}
