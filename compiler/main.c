#include "common.h"
#include "cli.h"

#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "ast.h"
#include "buf.h"
#include "fsutil.h"
#include "signal_cleanup.h"
#include "source.h"
#include "version.h"


struct cli cli;

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "check", cmd_check,
	  "compile specs, run the rules, and gate on the findings" },
	{ "build", cmd_build,
	  "emit the cloud policies that implement the specs" },
	{ "diff", cmd_diff,
	  "show each agent's change in access between git revisions" },
	{ "inventory", cmd_inventory,
	  "list every identity in the exports with its owners" },
	{ "adopt", cmd_adopt,
	  "write a starting spec for a live role or user" },
	{ "simulate", cmd_simulate,
	  "decide one request offline with IAM's evaluation" },
	{ "due", cmd_due,
	  "list the reviews and expiries that fall due, by owner" },
	{ "fmt", cmd_fmt,
	  "rewrite specs in the canonical layout" },
	{ "init", cmd_init,
	  "write a commented starting spec for a new agent" },
	{ "explain", cmd_explain,
	  "describe a rule, its fix and its compliance controls" },
};

void cli_log(const char *fmt, ...)
{
	struct buf text = BUF_INIT, clean = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&text, fmt, ap);
	va_end(ap);
	/* Paths and names in logs never send control codes to a terminal. */
	buf_add_printable(&clean, buf_str(&text));
	fprintf(stderr, "mandate: %s\n", buf_str(&clean));
	buf_release(&text);
	buf_release(&clean);
}

bool cli_stdout_is_terminal(void)
{
	const char *term = getenv("TERM");

	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") &&
	       !getenv("NO_COLOR");
}

int cli_set_color(const char *when)
{
	if (!strcmp(when, "auto"))
		cli.color = COLOR_AUTO;
	else if (!strcmp(when, "always"))
		cli.color = COLOR_ALWAYS;
	else if (!strcmp(when, "never"))
		cli.color = COLOR_NEVER;
	else {
		diag_plain(&cli.diag, DIAG_ERROR,
			   "invalid --color '%s'; expected auto, always or "
			   "never", when);
		return -1;
	}
	return 0;
}

void cli_apply_color(void)
{
	switch (cli.color) {
	case COLOR_AUTO:
		cli.diag.color = isatty(STDERR_FILENO) && getenv("TERM") &&
				 strcmp(getenv("TERM"), "dumb") &&
				 !getenv("NO_COLOR");
		break;
	case COLOR_ALWAYS:
		cli.diag.color = true;
		break;
	case COLOR_NEVER:
		cli.diag.color = false;
		break;
	}
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	struct buf text = BUF_INIT, clean = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&text, fmt, ap);
	va_end(ap);
	/* Arguments are user text: no control codes reach the terminal. */
	buf_add_printable(&clean, buf_str(&text));
	fprintf(stderr, "mandate %s: error: %s\n"
		"Try 'mandate %s --help' for more information.\n", cmd,
		buf_str(&clean), cmd);
	buf_release(&text);
	buf_release(&clean);
	return EXIT_ERROR;
}

bool cli_output_is_stdout(const char *output)
{
	return !output || !strcmp(output, "-");
}

static int reject_same(const char *cmd, const char *output,
		       const char *input)
{
	if (!same_file(output, input))
		return 0;
	cli_usage_error(cmd, "cannot write '%s': it is the input '%s'; "
			"choose another output", output, input);
	return -1;
}

int cli_reject_input_output(const char *cmd, const char *output,
			    const char *const *paths, size_t n,
			    const struct spec_unit *u)
{
	size_t i;

	if (cli_output_is_stdout(output))
		return 0;
	for (i = 0; i < n; i++)
		if (reject_same(cmd, output, paths[i]) < 0)
			return -1;
	for (i = 0; u && i < u->nsources; i++)
		if (reject_same(cmd, output, u->sources[i]->path) < 0)
			return -1;
	return 0;
}

struct input_id {
	dev_t dev;
	ino_t ino;
	size_t index;		/* in the command line's order */
};

static int cmp_input_ids(const void *pa, const void *pb)
{
	const struct input_id *a = pa, *b = pb;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

int cli_reject_repeated_inputs(const char *cmd, const char *option,
			       const char *const *paths, size_t n)
{
	struct input_id *ids = xcalloc(n + 1, sizeof(*ids));
	size_t i, count = 0, first = 0, again = SIZE_MAX;
	struct stat st;

	/* A path that cannot be read is reported when it is loaded. */
	for (i = 0; i < n; i++) {
		if (stat(paths[i], &st) < 0)
			continue;
		ids[count].dev = st.st_dev;
		ids[count].ino = st.st_ino;
		ids[count].index = i;
		count++;
	}
	sort_array(ids, count, sizeof(*ids), cmp_input_ids);
	/* Of all repeats, name the one given earliest on the command line. */
	for (i = 1; i < count; i++)
		if (ids[i].dev == ids[i - 1].dev &&
		    ids[i].ino == ids[i - 1].ino && ids[i].index < again) {
			first = ids[i - 1].index;
			again = ids[i].index;
		}
	free(ids);
	if (again == SIZE_MAX)
		return 0;
	if (!strcmp(paths[first], paths[again]))
		cli_usage_error(cmd, "'%s' is given to %s twice; give each "
				"export once", paths[again], option);
	else
		cli_usage_error(cmd, "'%s' and '%s' are the same file, given "
				"to %s twice; give each export once",
				paths[first], paths[again], option);
	return -1;
}

int cli_parse_today(const char *arg, int32_t *out)
{
	time_t now;

	if (arg) {
		if (date_parse(arg, strlen(arg), out) < 0) {
			diag_plain(&cli.diag, DIAG_ERROR,
				   "invalid --today '%s'; expected a date "
				   "such as 2026-11-02", arg);
			return -1;
		}
		return 0;
	}
	now = time(NULL);
	*out = (int32_t)(now / 86400);
	return 0;
}

static bool has_catalog(const char *path)
{
	char probe[PATH_MAX];
	FILE *f;

	if (snprintf(probe, sizeof(probe), "%s/aws/catalog.txt", path) >=
	    (int)sizeof(probe))
		return false;
	f = fopen(probe, "r");
	if (!f)
		return false;
	fclose(f);
	return true;
}

char *cli_stdlib_dir(void)
{
	const char *env = getenv("MANDATE_STDLIB");
	char self[PATH_MAX], candidate[PATH_MAX + 32];
	ssize_t n;
	char *slash;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	slash = n > 0 ? memchr(self, '/', (size_t)n) : NULL;
	if (slash) {
		self[n] = '\0';
		*strrchr(self, '/') = '\0';
		snprintf(candidate, sizeof(candidate),
			 "%s/../share/mandate/stdlib", self);
		if (has_catalog(candidate))
			return xstrdup(candidate);
		snprintf(candidate, sizeof(candidate), "%s/../stdlib", self);
		if (has_catalog(candidate))
			return xstrdup(candidate);
		diag_plain(&cli.diag, DIAG_ERROR,
			   "standard library not found beside the binary in "
			   "%s: neither %s/../share/mandate/stdlib nor "
			   "%s/../stdlib has aws/catalog.txt; set "
			   "MANDATE_STDLIB to its directory", self, self, self);
		return NULL;
	}
	diag_plain(&cli.diag, DIAG_ERROR,
		   "standard library not found: the binary's own path is "
		   "unknown (/proc/self/exe cannot be read); set "
		   "MANDATE_STDLIB to its directory");
	return NULL;
}

/*
 * Return the command's status, unless writing its results to stdout
 * failed (a full disk, a closed pipe): a run whose output was lost
 * could not finish, so it exits 2.
 */
static int finish(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	if (status == EXIT_ERROR)
		return status;		/* the command reported it */
	fprintf(stderr, "mandate: error: cannot write the output: %s\n",
		strerror(errno));
	return EXIT_ERROR;
}

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: mandate [--version] [--help] COMMAND [ARGS]\n\n"
	      "mandate compiles agent specs, checks them against live IAM\n"
	      "exports, and gates CI on the result.\n\ncommands:\n", out);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s  %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nRun 'mandate COMMAND --help' for a command's options.\n"
	      "Exit status: 0 passed, 1 the gate failed, 2 could not run.\n",
	      out);
}

int main(int argc, char **argv)
{
	size_t i;
	int j;

	cJSON_Hooks hooks = { xmalloc, free };

	cJSON_InitHooks(&hooks);
	/*
	 * Past the file size limit (ulimit -f), write() then fails with
	 * EFBIG and the run reports it and cleans up, where the signal
	 * would kill it with temporary files left behind.
	 */
	signal(SIGXFSZ, SIG_IGN);
	signal_cleanup_install();
	cli.argv0 = argv[0];
	diag_init(&cli.diag, stderr, false);
	cli_apply_color();

	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return finish(EXIT_PASS);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("mandate %s\n", MANDATE_VERSION);
		return finish(EXIT_PASS);
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		/* getopt names the command by argv[0] in its messages. */
		static char name[64];

		if (strcmp(argv[1], commands[i].name))
			continue;
		/*
		 * No option value or path may be empty. diff and init print
		 * their own messages, which name what was expected.
		 */
		for (j = 2; j < argc && commands[i].run != cmd_diff &&
			    commands[i].run != cmd_init; j++)
			if (!*argv[j]) {
				fprintf(stderr, "mandate %s: error: argument %d "
					"is empty; name a file or give a "
					"value\n", commands[i].name, j - 1);
				return EXIT_ERROR;
			}
		snprintf(name, sizeof(name), "mandate %s", commands[i].name);
		argv[1] = name;
		return finish(commands[i].run(argc - 1, argv + 1));
	}

	fprintf(stderr, "mandate: error: unknown command '%s'\n", argv[1]);
	fprintf(stderr, "Run 'mandate --help' for the list of commands.\n");
	return EXIT_ERROR;
}
