#include "common.h"
#include "cli.h"

#include <ctype.h>

#include <cJSON.h>
#include <getopt.h>

#include "ast.h"
#include "buf.h"
#include "fsutil.h"
#include "source.h"

/* The maximum window, a century, keeps date arithmetic in range. */
#define WITHIN_MAX_DAYS 36500

struct due_options {
	char *const *paths;
	size_t npaths;
	const char *within;
	const char *today;
	const char *format;
	const char *output;
};

/* One review or expiry that falls due. */
struct due_item {
	const struct agent *agent;
	const char *owner;	/* business owner, or NULL */
	const char *what;	/* "review" or "expiry" */
	int32_t date;		/* days since 1970-01-01 */
	int32_t days;		/* date - today: negative when past */
};

struct due_list {
	struct due_item *v;
	size_t n, cap;
};

static void due_usage(FILE *out)
{
	fputs("usage: mandate due [OPTIONS] [PATH...]\n\n"
	      "List the agents whose review (review.last + review.every) or\n"
	      "expiry falls within the window or is already past, grouped by\n"
	      "business owner, from the specs under PATH (default the current\n"
	      "directory). Agents without a review date or an expiry date\n"
	      "are left out; 'mandate check' reports them.\n\n"
	      "options:\n"
	      "  --within DURATION    the window after today, in days or\n"
	      "                       weeks such as 30d or 4w (default 30d)\n"
	      "  --today DATE         the date the window starts, YYYY-MM-DD\n"
	      "                       (default: today in UTC)\n"
	      "  --format FORMAT      text (default) or json\n"
	      "  -o, --output FILE    write to FILE, not stdout; - is stdout\n"
	      "  --color WHEN         auto (default), always or never\n"
	      "  -v, --verbose        log progress on stderr\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 listed (a listing is not a gate), 2 could not "
	      "run.\n", out);
}

/* Parse a window such as 30d or 4w into days; -1 when invalid. */
static int parse_within(const char *s, int32_t *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || (*end != 'd' && *end != 'w') || end[1])
		return -1;
	if (*end == 'w')
		n = n > WITHIN_MAX_DAYS / 7 ? WITHIN_MAX_DAYS + 1 : n * 7;
	if (n > WITHIN_MAX_DAYS)
		return -1;
	*out = (int32_t)n;
	return 0;
}

static void add_item(struct due_list *l, const struct agent *a,
		     const char *what, int32_t date, int32_t today)
{
	struct due_item *it;

	grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	it = &l->v[l->n++];
	it->agent = a;
	it->owner = a->owner.business.s;
	it->what = what;
	it->date = date;
	it->days = date - today;
}

/* Owners in alphabetical order, agents without one last; then by date. */
static int cmp_items(const void *pa, const void *pb)
{
	const struct due_item *a = pa, *b = pb;
	int c;

	if (!a->owner != !b->owner)
		return a->owner ? -1 : 1;
	if (a->owner && (c = strcmp(a->owner, b->owner)))
		return c;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if ((c = strcmp(a->agent->name.s, b->agent->name.s)))
		return c;
	return strcmp(a->what, b->what);
}

static void collect_due(struct due_list *l, const struct spec_unit *u,
			int32_t today, int32_t within)
{
	const struct agent *a;

	for (a = u->agents; a; a = a->next) {
		const struct review_block *r = &a->review;

		if (r->last.set && r->every.set) {
			int64_t date = r->last.days + r->every.seconds / 86400;

			if (date <= (int64_t)today + within)
				add_item(l, a, "review", (int32_t)date, today);
		}
		if (a->expires.set && a->expires.days <= today + within)
			add_item(l, a, "expiry", a->expires.days, today);
	}
	sort_array(l->v, l->n, sizeof(*l->v), cmp_items);
}

static void when_text(int32_t days, char *out, size_t n)
{
	if (days == 0)
		snprintf(out, n, "today");
	else if (days > 0)
		snprintf(out, n, "in %d day%s", days, plural(days));
	else
		snprintf(out, n, "%d day%s ago", -days, plural(-days));
}

static bool same_owner(const struct due_item *a, const struct due_item *b)
{
	if (!a->owner || !b->owner)
		return !a->owner && !b->owner;
	return !strcmp(a->owner, b->owner);
}

static void text_lines(struct buf *out, const struct due_list *l,
		       int32_t today, int32_t within)
{
	char date[11], when[32];
	int width = 0;
	size_t i;

	date_format(today, date);
	if (!l->n) {
		buf_addf(out, "nothing due within %d day%s of %s\n", within,
			 plural(within), date);
		return;
	}
	buf_addf(out, "%zu due within %d day%s of %s, or past\n", l->n,
		 within, plural(within), date);
	for (i = 0; i < l->n; i++)
		if ((int)strlen(l->v[i].agent->name.s) > width)
			width = (int)strlen(l->v[i].agent->name.s);
	for (i = 0; i < l->n; i++) {
		const struct due_item *it = &l->v[i];

		if (i == 0 || !same_owner(it, &l->v[i - 1]))
			buf_addf(out, "\n%s\n", it->owner ? it->owner :
				 "(no business owner)");
		date_format(it->date, date);
		when_text(it->days, when, sizeof(when));
		buf_addf(out, "  %-*s  %-6s  %s  %s\n", width,
			 it->agent->name.s, it->what, date, when);
	}
}

/* Names and owners from the specs never send control codes to a terminal. */
static void text_report(struct buf *out, const struct due_list *l,
			int32_t today, int32_t within)
{
	struct buf text = BUF_INIT;

	text_lines(&text, l, today, within);
	buf_add_printable_lines(out, buf_str(&text));
	buf_release(&text);
}

static cJSON *json_item(const struct due_item *it)
{
	cJSON *o = cJSON_CreateObject();
	uint32_t line, col;
	char date[11];

	date_format(it->date, date);
	loc_position(&it->agent->loc, &line, &col);
	cJSON_AddStringToObject(o, "agent", it->agent->name.s);
	cJSON_AddStringToObject(o, "due", it->what);
	cJSON_AddStringToObject(o, "date", date);
	cJSON_AddNumberToObject(o, "days", it->days);
	cJSON_AddStringToObject(o, "file", it->agent->src->path);
	cJSON_AddNumberToObject(o, "line", line);
	return o;
}

/*
 * Write {"today", "within_days", "owners": [{"owner", "items": [...]}]}
 * with owner null for the agents without a business owner.
 */
static void json_report(struct buf *out, const struct due_list *l,
			int32_t today, int32_t within)
{
	cJSON *root = cJSON_CreateObject(), *owners, *items = NULL;
	char date[11], *text;
	size_t i;

	date_format(today, date);
	cJSON_AddStringToObject(root, "today", date);
	cJSON_AddNumberToObject(root, "within_days", within);
	owners = cJSON_AddArrayToObject(root, "owners");
	for (i = 0; i < l->n; i++) {
		const struct due_item *it = &l->v[i];

		if (i == 0 || !same_owner(it, &l->v[i - 1])) {
			cJSON *group = cJSON_CreateObject();

			if (it->owner)
				cJSON_AddStringToObject(group, "owner",
							it->owner);
			else
				cJSON_AddNullToObject(group, "owner");
			items = cJSON_AddArrayToObject(group, "items");
			cJSON_AddItemToArray(owners, group);
		}
		cJSON_AddItemToArray(items, json_item(it));
	}
	text = cJSON_Print(root);
	buf_adds(out, text);
	buf_addch(out, '\n');
	cJSON_free(text);
	cJSON_Delete(root);
}

static int write_report(const struct due_options *opt, const struct buf *b)
{
	if (!cli_output_is_stdout(opt->output))
		return write_file_atomic(opt->output, b->data, b->len,
					 &cli.diag);
	if (fwrite(buf_str(b), 1, b->len, stdout) != b->len || fflush(stdout)) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the list: %s",
			   strerror(errno));
		return -1;
	}
	return 0;
}

static int run_due(const struct due_options *opt)
{
	struct spec_unit u;
	struct due_list l = { NULL, 0, 0 };
	struct buf out = BUF_INIT;
	int32_t today, within = 30;
	int status = EXIT_ERROR;

	unit_init(&u);
	if (strcmp(opt->format, "text") && strcmp(opt->format, "json")) {
		cli_usage_error("due", "invalid --format '%s'; expected text "
				"or json", opt->format);
		goto out;
	}
	if (opt->within && parse_within(opt->within, &within) < 0) {
		cli_usage_error("due", "invalid --within '%s'; expected days "
				"or weeks such as 30d or 4w, at most 36500d",
				opt->within);
		goto out;
	}
	if (cli_parse_today(opt->today, &today) < 0)
		goto out;
	if (cli_reject_input_output("due", opt->output,
				    (const char *const *)opt->paths,
				    opt->npaths, NULL) < 0)
		goto out;
	if (unit_load_paths(&u, opt->paths, opt->npaths, &cli.diag) < 0 ||
	    cli_reject_input_output("due", opt->output, NULL, 0, &u) < 0)
		goto out;

	collect_due(&l, &u, today, within);
	if (!strcmp(opt->format, "json"))
		json_report(&out, &l, today, within);
	else
		text_report(&out, &l, today, within);
	if (write_report(opt, &out) < 0)
		goto out;
	status = EXIT_PASS;
out:
	if (status == EXIT_ERROR)
		diag_summary(&cli.diag);
	free(l.v);
	buf_release(&out);
	unit_release(&u);
	return status;
}

int cmd_due(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "within", required_argument, NULL, 'w' },
		{ "today", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct due_options opt = { 0 };
	static char dot[] = ".";
	static char *default_path[] = { dot };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			opt.within = optarg;
			break;
		case 't':
			opt.today = optarg;
			break;
		case 'f':
			opt.format = optarg;
			break;
		case 'o':
			opt.output = optarg;
			break;
		case 'c':
			if (cli_set_color(optarg) < 0)
				return EXIT_ERROR;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			due_usage(stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("due", "invalid option");
		}
	}
	cli_apply_color();
	opt.paths = optind < argc ? argv + optind : default_path;
	opt.npaths = optind < argc ? (size_t)(argc - optind) : 1;
	if (!opt.format)
		opt.format = "text";
	return run_due(&opt);
}
