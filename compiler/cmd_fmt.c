#include "common.h"
#include "cli.h"

#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "fmt.h"
#include "fsutil.h"
#include "source.h"

struct fmt_files {
	char **v;
	size_t n;
};

static void fmt_usage(FILE *out)
{
	fputs("usage: mandate fmt [--check] PATH...\n\n"
	      "Rewrite specs in the canonical layout: two spaces of\n"
	      "indentation, one field a line, the '=' of consecutive fields\n"
	      "aligned, lists on one line when they fit in 80 columns and\n"
	      "otherwise one item a line, one blank line between top-level\n"
	      "items. Comments stay where they were. A directory is searched\n"
	      "recursively for *.mandate files. Only files whose layout\n"
	      "changes are written, each atomically, and a file with errors\n"
	      "is never written.\n\n"
	      "options:\n"
	      "  --check              write nothing; list the files that\n"
	      "                       would change\n"
	      "  --color WHEN         auto (default), always or never\n"
	      "  -v, --verbose        log progress on stderr\n"
	      "  -h, --help           show this help\n\n"
	      "Exit status: 0 every file is (now) in canonical layout, 1 with\n"
	      "--check some file would change, 2 a file has errors or could\n"
	      "not be read or written.\n", out);
}

/*
 * Replace the file at path with out. A file with several hard links is
 * written in place, so every name keeps the same content. Others are
 * replaced atomically and given back their permissions, because
 * write_file_atomic makes files 0644. A file without write permission
 * is rejected even for root, whom the kernel would let write.
 */
static int write_keeping_mode(const char *path, const struct buf *out)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		diag_path(&cli.diag, DIAG_ERROR, path, "cannot read: %s",
			  strerror(errno));
		return -1;
	}
	if (!(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) ||
	    (access(path, W_OK) < 0 && (errno == EACCES || errno == EROFS))) {
		diag_path(&cli.diag, DIAG_ERROR, path, "is read-only, so it "
			  "was not rewritten; make it writable to format it");
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_nlink > 1)
		return write_file_in_place(path, out->data, out->len,
					   &cli.diag);
	if (write_file_atomic(path, out->data, out->len, &cli.diag) < 0)
		return -1;
	if ((st.st_mode & 07777) != 0644 &&
	    chmod(path, st.st_mode & 07777) < 0) {
		diag_path(&cli.diag, DIAG_ERROR, path, "cannot restore the "
			  "file's permissions: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Format one file. Returns 0 when it is in canonical layout, 1 when it
 * changed (or, with check, would change), -1 after reporting an error.
 */
static int fmt_file(const char *path, bool check)
{
	struct spec_unit u;
	struct source *src;
	struct buf out = BUF_INIT;
	int ret = -1;

	if (source_load(&src, path, SOURCE_SPEC_MAX, &cli.diag) < 0)
		return -1;
	unit_init(&u);
	/* The unit owns src from here on, even when parsing fails. */
	if (unit_parse_source(&u, src, &cli.diag) < 0)
		goto out;
	fmt_spec(src->text, src->len, &out);
	if (out.len == src->len && !memcmp(out.data, src->text, out.len)) {
		ret = 0;
		goto out;
	}
	if (!check && write_keeping_mode(path, &out) < 0)
		goto out;
	log_info("%s %s", check ? "would reformat" : "reformatted", path);
	ret = 1;
out:
	buf_release(&out);
	unit_release(&u);
	return ret;
}

static int run_fmt(char *const *paths, size_t npaths, bool check)
{
	struct fmt_files files = { NULL, 0 };
	bool errors = false, changed = false;
	size_t i;

	if (unit_find_files(&files.v, &files.n, paths, npaths,
			    &cli.diag) < 0)
		errors = true;
	for (i = 0; i < files.n && !cli.diag.stopped; i++) {
		int r = fmt_file(files.v[i], check);

		if (r < 0)
			errors = true;
		if (r > 0 && check)
			printf("%s\n", files.v[i]);
		changed |= r > 0;
	}
	for (i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	if (errors) {
		diag_summary(&cli.diag);
		return EXIT_ERROR;
	}
	return check && changed ? EXIT_FAIL : EXIT_PASS;
}

int cmd_fmt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'k' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool check = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			check = true;
			break;
		case 'c':
			if (cli_set_color(optarg) < 0)
				return EXIT_ERROR;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			fmt_usage(stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("fmt", "invalid option");
		}
	}
	cli_apply_color();
	if (optind >= argc)
		return cli_usage_error("fmt", "missing PATH; name the spec "
				       "files or directories to format");
	return run_fmt(argv + optind, (size_t)(argc - optind), check);
}
