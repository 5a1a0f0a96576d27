#ifndef MANDATE_COMPILER_CLI_H
#define MANDATE_COMPILER_CLI_H

#include "diag.h"

struct spec_unit;

/*
 * What every subcommand shares: the diagnostics sink, colour, verbosity
 * and where the standard library lives. Each subcommand is
 * cmd_<name>(argc, argv) in compiler/cmd_<name>.c, called with argv[0]
 * set to the subcommand's name, and returns an enum exit_code.
 */
enum color_mode {
	COLOR_AUTO,
	COLOR_ALWAYS,
	COLOR_NEVER,
};

struct cli {
	struct diag diag;
	enum color_mode color;
	int verbose;		/* -v: 1, -vv: 2 */
	const char *argv0;	/* how the binary was invoked */
};

extern struct cli cli;

#define log_info(...) \
	do { if (cli.verbose >= 1) cli_log(__VA_ARGS__); } while (0)
#define log_debug(...) \
	do { if (cli.verbose >= 2) cli_log(__VA_ARGS__); } while (0)
#define log_warn(...) cli_log(__VA_ARGS__)

/* Print "mandate: MESSAGE" on stderr. */
void cli_log(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Parse --color's argument; returns 0, or -1 after reporting it. */
int cli_set_color(const char *when);

/* Return whether stdout is a terminal that takes colour. */
bool cli_stdout_is_terminal(void);

/* Apply the colour mode to the diagnostics sink once options are read. */
void cli_apply_color(void);

/*
 * Return the standard library directory: $MANDATE_STDLIB if set, else
 * ../share/mandate/stdlib beside the installed binary, else ../stdlib
 * beside a binary in the build tree. Returns a newly allocated string,
 * or NULL after reporting that none was found.
 */
char *cli_stdlib_dir(void);

/*
 * Return today's date as days since 1970-01-01 in UTC, or the date
 * given with --today; -1 after reporting a malformed date.
 */
int cli_parse_today(const char *arg, int32_t *out);

/* Report a usage error for cmd and return EXIT_ERROR. */
int cli_usage_error(const char *cmd, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Return whether an -o argument means standard output: NULL or "-". */
bool cli_output_is_stdout(const char *output);

/*
 * Reject an -o that would overwrite an input: output is the same file
 * (see same_file) as one of the n paths, or as a source of u, which may
 * be NULL. Returns 0, or -1 after a usage error for cmd. An output of
 * stdout is never rejected.
 */
int cli_reject_input_output(const char *cmd, const char *output,
			    const char *const *paths, size_t n,
			    const struct spec_unit *u);

/*
 * Reject an export given twice to option: two of the n paths that name
 * the same file, by device and inode, whether spelt alike or through
 * another path or a symbolic link. Loading it twice would report each
 * of its identities as a duplicate. Returns 0, or -1 after a usage
 * error for cmd naming both paths.
 */
int cli_reject_repeated_inputs(const char *cmd, const char *option,
			       const char *const *paths, size_t n);

int cmd_check(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_adopt(int argc, char **argv);
int cmd_due(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif
