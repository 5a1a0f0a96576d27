#include "common.h"
#include "cli.h"

#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <git2.h>

#include "buf.h"
#include "diff_report.h"
#include "fsutil.h"
#include "gitrev.h"
#include "permdiff.h"
#include "pipeline.h"

struct diff_options {
	const char *repo;
	const char *base;
	const char *head;	/* NULL: the working tree */
	char **revs;		/* positional arguments before "--" */
	size_t nrevs;
	bool separator;		/* "--" ends the revisions */
	char **paths;
	size_t npaths;
	const char *format;
	const char *output;
	bool fail_on_escalation;
};

static void diff_usage(FILE *out)
{
	fputs("usage: mandate diff [OPTIONS] BASE [HEAD] [--] [PATH...]\n\n"
	      "Compile the specs at two git revisions and show, for each\n"
	      "agent, what it may do that it could not before and what it\n"
	      "can no longer do, as catalog actions on resource patterns,\n"
	      "with its owner, justification, expiry and review changes and\n"
	      "the escalations among them, including controls weakened\n"
	      "(boundary, keys, rotation, session, audit, expiry, review),\n"
	      "and changes to the gate, resource classes, escalation paths\n"
	      "and waivers. Agents are paired by the identities they declare,\n"
	      "then by name. Specs are read from the object database:\n"
	      "nothing is checked out and no hook runs. Without HEAD, BASE\n"
	      "is compared with the working tree as git sees it: ignored\n"
	      "files and nested repositories are not read.\n\n"
	      "PATHs, relative to the top of the repository, limit the agents\n"
	      "compared to those in spec files under them (default: all), but\n"
	      "every *.mandate file is read. Without \"--\", a second argument\n"
	      "is HEAD when it is a revision, else a PATH that must exist in\n"
	      "the working tree or at BASE or HEAD; an argument that is both\n"
	      "a revision and a path needs \"--\" after the revisions. A PATH\n"
	      "that leaves the repository is rejected, and symbolic links in\n"
	      "the working tree are skipped with a warning, as the revisions\n"
	      "skip them.\n\n"
	      "options:\n"
	      "  --repo DIR             the repository (default: the one\n"
	      "                         holding the current directory)\n"
	      "  --format FORMAT        text (default), markdown or json\n"
	      "  --fail-on-escalation   exit 1 when a change escalates access\n"
	      "  -o, --output FILE      write to FILE, or stdout when FILE\n"
	      "                         is \"-\"; a spec file read from the\n"
	      "                         working tree is rejected\n"
	      "  --color WHEN           colour the text report: auto (default,\n"
	      "                         on a terminal without NO_COLOR),\n"
	      "                         always or never\n"
	      "  -v, --verbose          log progress on stderr\n"
	      "  -h, --help             show this help\n\n"
	      "Exit status: 0 compared, 1 an escalation with\n"
	      "--fail-on-escalation, 2 could not run.\n", out);
}

/*
 * Rewrite path in place without "." components, empty components and
 * "dir/.." pairs: "./agents//x/../a.mandate" becomes "agents/a.mandate".
 * The result is never longer than the input. Returns -1 when a ".."
 * climbs above the start, so the path leaves the repository.
 */
static int collapse_path(char *path)
{
	char *in = path, *out = path;

	while (*in) {
		size_t len = strcspn(in, "/");

		if ((len == 1 && in[0] == '.') || len == 0) {
			/* "." or an empty component names nothing new */
		} else if (len == 2 && in[0] == '.' && in[1] == '.') {
			if (out == path)
				return -1;
			while (out > path && out[-1] != '/')
				out--;
			if (out > path)
				out--;		/* the '/' before the component */
		} else {
			if (out > path)
				*out++ = '/';
			memmove(out, in, len);
			out += len;
		}
		in += len;
		while (*in == '/')
			in++;
	}
	*out = '\0';
	return 0;
}

/*
 * Collapse each PATH to its form below the top of the repository, and
 * reject one that is absolute or climbs out with "..". An empty result,
 * such as ".", means the whole repository.
 */
static int normalize_paths(struct diff_options *opt)
{
	size_t i;

	for (i = 0; i < opt->npaths; i++) {
		char *p = opt->paths[i];
		char *spelled;

		if (p[0] == '/') {
			cli_usage_error("diff", "PATH '%s' must be relative "
					"to the top of the repository", p);
			return -1;
		}
		spelled = xstrdup(p);
		if (collapse_path(p) < 0) {
			diag_plain(&cli.diag, DIAG_ERROR, "PATH '%s' leaves "
				   "the repository; name a path below its "
				   "top", spelled);
			free(spelled);
			return -1;
		}
		free(spelled);
	}
	for (i = 0; i < opt->npaths; i++)
		if (!opt->paths[i][0]) {
			opt->npaths = 0;	/* the whole repository */
			break;
		}
	return 0;
}

/* One side of the comparison, compiled. */
struct side {
	git_tree *tree;		/* NULL: the working tree */
	char commit[GITREV_ID_SIZE];	/* "": the working tree or a tree id */
	struct pipeline pl;
};

/*
 * Warn of each name or condition that the catalog does not know. The
 * expansion leaves out an unknown pattern or invalid condition and keeps
 * an unknown action by name only, so the diff may misstate the grant.
 */
static void warn_unexpanded(const struct pipeline *pl)
{
	size_t i;

	for (i = 0; i < pl->findings.n; i++) {
		const struct finding *f = &pl->findings.v[i];

		if (strcmp(f->rule->id, "MND134") &&
		    strcmp(f->rule->id, "MND136"))
			continue;
		diag_at(&cli.diag, DIAG_WARNING, &f->loc, "%s [%s], so the "
			"diff may not show what the grant was meant to give",
			f->message, f->rule->id);
	}
}

static int load_revision(struct side *s, struct gitrev_repo *r,
			 const char *rev)
{
	struct gitrev_files files = { NULL, 0, 0 };
	int ret;

	if (gitrev_tree(&s->tree, s->commit, r, rev, &cli.diag) < 0)
		return -1;
	/*
	 * Every spec file is read, because one outside the PATHs may hold
	 * the gate, a resource class or an escalation path. Agents are
	 * limited to the PATHs after pairing, by perm_diff_compute.
	 */
	if (gitrev_read_specs(&files, r, s->tree, rev, NULL, 0,
			      &cli.diag) < 0) {
		gitrev_files_release(&files);
		return -1;
	}
	log_info("read %zu spec files at '%s'", files.n, rev);
	ret = pipeline_load_sources(&s->pl, files.v, files.n);
	files.n = 0;		/* the unit took them */
	gitrev_files_release(&files);
	if (ret < 0)
		diag_plain(&cli.diag, DIAG_NOTE, "the specs at revision '%s' "
			   "do not compile", rev);
	else
		warn_unexpanded(&s->pl);
	return ret;
}

/* Name each working-tree spec by its path below the repository's top. */
static void relative_unit_paths(struct spec_unit *u, const char *workdir)
{
	size_t i, n = strlen(workdir);

	for (i = 0; i < u->nsources; i++) {
		struct source *src = u->sources[i];

		if (strncmp(src->path, workdir, n))
			continue;
		free(src->unit_path);
		src->unit_path = xstrdup(src->path + n);
	}
}

/* A list of working-tree files to read, newly allocated paths. */
struct path_list {
	char **v;
	size_t n, cap;
};

static void path_list_add(struct path_list *l, char *path)
{
	grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = path;
}

static bool is_spec_name(const char *name)
{
	size_t n = strlen(name);

	return n > 8 && !strcmp(name + n - 8, ".mandate");
}

/*
 * Warn that the working-tree symbolic link at path is skipped, when it
 * would otherwise have been read: it is named *.mandate, or leads to a
 * directory. The revision side skips symbolic links too, so both sides
 * read the same kind of entry.
 */
static void warn_symlink(const char *path, const char *workdir)
{
	struct stat st;

	if (!is_spec_name(path) &&
	    !(stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		return;
	diag_plain(&cli.diag, DIAG_WARNING, "skipping symbolic link '%s' in "
		   "the working tree; diff reads only regular files, as git "
		   "stores them", path + strlen(workdir));
}

/*
 * Return whether git sees the working-tree entry at path, below the top
 * of the repository: an untracked entry that git ignores, and a nested
 * repository, worktree or submodule, are left out as git leaves them.
 * Returns 1 when it does, 0 when it does not, -1 after reporting.
 */
static int git_sees(struct gitrev_repo *r, const char *path, bool dir)
{
	const char *rel = path + strlen(r->workdir);
	enum gitrev_entry entry;

	if (gitrev_worktree_entry(&entry, r, rel, path, dir, &cli.diag) < 0)
		return -1;
	if (entry == GITREV_ENTRY_NESTED)
		log_info("skipping '%s', which contains another git repository",
			 rel);
	else if (entry == GITREV_ENTRY_IGNORED)
		log_debug("skipping '%s', which git ignores", rel);
	return entry == GITREV_ENTRY_SEEN;
}

/*
 * Return -1 after reporting a spec file over the size limit, which is
 * rejected before it is read, else 0.
 */
static int check_spec_size(const char *path, const struct stat *st,
			   const char *workdir)
{
	if ((uint64_t)st->st_size <= SOURCE_SPEC_MAX)
		return 0;
	diag_plain(&cli.diag, DIAG_ERROR, "'%s' in the working tree is %lld "
		   "bytes, larger than the limit of %zu bytes for a spec "
		   "file", path + strlen(workdir), (long long)st->st_size,
		   SOURCE_SPEC_MAX);
	return -1;
}

/*
 * Add to out the regular *.mandate files below dir that git sees,
 * skipping hidden entries and symbolic links, which are never
 * followed. Returns 0, or -1 after reporting.
 */
static int walk_worktree(struct path_list *out, const char *dir,
			 struct gitrev_repo *r)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int ret = 0;

	if (!dp) {
		diag_path(&cli.diag, DIAG_ERROR, dir, "cannot read directory: "
			  "%s", strerror(errno));
		return -1;
	}
	while (ret == 0 && (e = readdir(dp))) {
		struct stat st;
		size_t n = strlen(dir) + strlen(e->d_name) + 2;
		char *path;
		int seen;

		if (e->d_name[0] == '.')
			continue;
		path = xmalloc(n);
		snprintf(path, n, "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		if (lstat(path, &st) < 0) {
			diag_path(&cli.diag, DIAG_ERROR, path, "cannot read: "
				  "%s", strerror(errno));
			ret = -1;
		} else if (!S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode) &&
			   !(S_ISREG(st.st_mode) && is_spec_name(e->d_name))) {
			/* not a spec file: nothing to read */
		} else if ((seen = git_sees(r, path, S_ISDIR(st.st_mode))) < 0) {
			ret = -1;
		} else if (!seen) {
			/* ignored, or another repository */
		} else if (S_ISLNK(st.st_mode)) {
			warn_symlink(path, r->workdir);
		} else if (S_ISDIR(st.st_mode)) {
			ret = walk_worktree(out, path, r);
		} else if (check_spec_size(path, &st, r->workdir) < 0) {
			ret = -1;
		} else {
			path_list_add(out, path);
			path = NULL;
		}
		free(path);
	}
	closedir(dp);
	return ret;
}

/* Return whether path, resolved, is the directory top or below it. */
static bool resolves_below(const char *path, const char *top)
{
	char *real = realpath(path, NULL);
	size_t n = strlen(top);
	bool below;

	if (!real)
		return true;		/* gone: nothing to read */
	below = !strncmp(real, top, n) && (real[n] == '/' || !real[n]);
	free(real);
	return below;
}

/*
 * Return -1 after reporting a PATH that resolves outside the repository
 * through a symbolic link, else 0.
 */
static int check_worktree_path(const char *rel, const char *workdir,
			       const char *top)
{
	size_t len = strlen(workdir) + strlen(rel) + 1;
	char *p = xmalloc(len);
	int ret = 0;

	snprintf(p, len, "%s%s", workdir, rel);
	if (!resolves_below(p, top)) {
		diag_plain(&cli.diag, DIAG_ERROR, "PATH '%s' resolves outside "
			   "the repository through a symbolic link; name a "
			   "path below its top", rel);
		ret = -1;
	}
	free(p);
	return ret;
}

/* Return whether an agent of p has its spec file under the PATHs. */
static bool agents_selected(const struct program *p,
			    const struct diff_options *opt)
{
	size_t i;

	for (i = 0; i < p->nagents; i++)
		if (gitrev_path_selected(p->agents[i].agent->src->unit_path,
					 opt->paths, opt->npaths))
			return true;
	return false;
}

static int load_worktree(struct side *s, struct gitrev_repo *r,
			 const struct diff_options *opt)
{
	struct path_list files = { NULL, 0, 0 };
	char *top;
	size_t i;
	int ret = 0;

	if (!r->workdir) {
		diag_plain(&cli.diag, DIAG_ERROR, "the repository at '%s' has "
			   "no working tree; name the HEAD revision to compare "
			   "with", r->dir);
		return -1;
	}
	top = realpath(r->workdir, NULL);
	if (!top) {
		diag_path(&cli.diag, DIAG_ERROR, r->workdir, "cannot resolve "
			  "the working tree: %s", strerror(errno));
		return -1;
	}
	/* Every spec file is read, as in load_revision. */
	for (i = 0; ret == 0 && i < opt->npaths; i++)
		ret = check_worktree_path(opt->paths[i], r->workdir, top);
	if (ret == 0)
		ret = walk_worktree(&files, r->workdir, r);
	if (ret == 0) {
		ret = pipeline_load(&s->pl, files.v, files.n);
		relative_unit_paths(&s->pl.unit, r->workdir);
		if (ret < 0)
			diag_plain(&cli.diag, DIAG_NOTE, "the specs in the "
				   "working tree do not compile");
		else
			warn_unexpanded(&s->pl);
	}
	for (i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	free(top);
	return ret;
}

static int find_renames(struct file_rename **out, size_t *n,
			struct gitrev_repo *r, struct side *base,
			struct side *head)
{
	char **from, **to;
	size_t i;

	/* Every rename, as a spec may move into the PATHs from outside. */
	if (gitrev_renames(&from, &to, n, r, base->tree, head->tree,
			   NULL, 0, &cli.diag) < 0)
		return -1;
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		(*out)[i].from = from[i];
		(*out)[i].to = to[i];
	}
	free(from);
	free(to);
	return 0;
}

static void free_renames(struct file_rename *renames, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)renames[i].from);
		free((char *)renames[i].to);
	}
	free(renames);
}

static int write_report(const struct diff_options *opt, const struct buf *b)
{
	if (!cli_output_is_stdout(opt->output))
		return write_file_atomic(opt->output, b->data, b->len,
					 &cli.diag);
	if (fwrite(buf_str(b), 1, b->len, stdout) != b->len || fflush(stdout)) {
		diag_plain(&cli.diag, DIAG_ERROR, "cannot write the diff: %s",
			   strerror(errno));
		return -1;
	}
	return 0;
}

/* Return whether rel, below the top of the working tree, exists there. */
static bool worktree_has(const struct gitrev_repo *r, const char *rel)
{
	struct buf path = BUF_INIT;
	struct stat st;
	bool found;

	if (!r->workdir)
		return false;
	buf_addf(&path, "%s%s", r->workdir, rel);
	found = lstat(buf_str(&path), &st) == 0;
	buf_release(&path);
	return found;
}

/*
 * Return whether arg names a path in the working tree or at revision
 * base or head (NULL: none). An absolute path, or one that climbs out
 * with "..", counts as a path, so that normalize_paths rejects it with
 * its own message.
 */
static bool names_path(struct gitrev_repo *r, const char *arg,
		       const char *base, const char *head)
{
	const char *revs[] = { base, head };
	char *rel = xstrdup(arg);
	bool found = arg[0] == '/' || collapse_path(rel) < 0 ||
		     worktree_has(r, rel);
	size_t i;

	for (i = 0; !found && i < 2; i++) {
		git_object *obj, *tree;

		if (!revs[i] || git_revparse_single(&obj, r->repo,
						    revs[i]) < 0)
			continue;
		if (git_object_peel(&tree, obj, GIT_OBJECT_TREE) == 0) {
			found = gitrev_tree_has((git_tree *)tree, rel);
			git_object_free(tree);
		}
		git_object_free(obj);
	}
	free(rel);
	return found;
}

/*
 * Return -1 after reporting an argument that names both a revision and
 * a path in the working tree, which git too rejects without "--".
 */
static int reject_ambiguous(struct gitrev_repo *r, const char *arg)
{
	char *rel = xstrdup(arg);
	bool path = collapse_path(rel) == 0 && worktree_has(r, rel);

	free(rel);
	if (!path)
		return 0;
	diag_plain(&cli.diag, DIAG_ERROR, "'%s' is both a revision and a "
		   "path in the working tree", arg);
	diag_plain(&cli.diag, DIAG_NOTE, "put '--' after the revisions to "
		   "say which: mandate diff BASE [HEAD] -- PATH...");
	return -1;
}

/*
 * Report an argument that is neither a revision nor a path, or a range
 * given as HEAD, which gitrev_tree explains.
 */
static void report_unknown_argument(struct gitrev_repo *r, const char *arg)
{
	if (gitrev_is_range(arg)) {
		char commit[GITREV_ID_SIZE];
		git_tree *tree;

		if (gitrev_tree(&tree, commit, r, arg, &cli.diag) == 0)
			git_tree_free(tree);
		return;
	}
	diag_plain(&cli.diag, DIAG_ERROR, "'%s' is neither a revision nor a "
		   "path in the repository at '%s'", arg, r->dir);
	free(gitrev_suggest(r, arg, &cli.diag));
	diag_plain(&cli.diag, DIAG_NOTE, "to limit the diff to a PATH that "
		   "is not there yet, put it after '--': mandate diff BASE "
		   "[HEAD] -- PATH...");
}

/*
 * Split the positional arguments into BASE, HEAD and PATHs, as git
 * does. Before a "--", each argument must be unambiguous: the second
 * is HEAD when it names a revision, and an argument taken as a PATH
 * must exist in the working tree or at BASE or HEAD. After "--", every
 * argument is a PATH, present or not.
 */
static int split_revisions(struct diff_options *opt, struct gitrev_repo *r)
{
	size_t first_path = 1, i;

	if (!opt->nrevs) {
		cli_usage_error("diff", "missing BASE revision");
		return -1;
	}
	opt->base = opt->revs[0];
	if (opt->separator) {
		opt->head = opt->nrevs > 1 ? opt->revs[1] : NULL;
		return 0;
	}
	if (!gitrev_resolves(r, opt->base))
		return 0;	/* load_revision reports it */
	if (reject_ambiguous(r, opt->base) < 0)
		return -1;
	if (opt->nrevs >= 2 && gitrev_resolves(r, opt->revs[1])) {
		if (reject_ambiguous(r, opt->revs[1]) < 0)
			return -1;
		opt->head = opt->revs[1];
		first_path = 2;
	}
	for (i = first_path; i < opt->nrevs; i++)
		if (!names_path(r, opt->revs[i], opt->base, opt->head)) {
			report_unknown_argument(r, opt->revs[i]);
			return -1;
		}
	opt->paths = opt->revs + first_path;
	opt->npaths = opt->nrevs - first_path;
	return 0;
}

/*
 * Return whether the text report is coloured: with --color always, or
 * auto on a terminal without NO_COLOR, and never in an -o file.
 */
static bool text_color(const struct diff_options *opt)
{
	if (!cli_output_is_stdout(opt->output) || cli.color == COLOR_NEVER)
		return false;
	return cli.color == COLOR_ALWAYS || cli_stdout_is_terminal();
}

static int compare(struct buf *out, bool *escalated, struct gitrev_repo *r,
		   const struct diff_options *opt)
{
	struct side base, head;
	struct file_rename *renames = NULL;
	struct perm_diff d = { ARENA_INIT, NULL, 0, NULL, 0, 0 };
	size_t nrenames = 0;
	int ret = -1;

	memset(&base, 0, sizeof(base));
	memset(&head, 0, sizeof(head));
	pipeline_init(&base.pl);
	pipeline_init(&head.pl);
	if (load_revision(&base, r, opt->base) < 0)
		goto out;
	if (opt->head ? load_revision(&head, r, opt->head) < 0
		      : load_worktree(&head, r, opt) < 0)
		goto out;
	if (!opt->head && cli_reject_input_output("diff", opt->output, NULL,
						  0, &head.pl.unit) < 0)
		goto out;
	if (!agents_selected(&base.pl.prog, opt) &&
	    !agents_selected(&head.pl.prog, opt)) {
		diag_plain(&cli.diag, DIAG_ERROR, "no agent specs found at "
			   "either side under the paths given; name the "
			   "directories that hold the *.mandate files");
		goto out;
	}
	if (find_renames(&renames, &nrenames, r, &base, &head) < 0)
		goto out;
	perm_diff_compute(&d, &base.pl.prog, &head.pl.prog, renames,
			  nrenames, opt->paths, opt->npaths);
	if (!strcmp(opt->format, "json"))
		diff_report_json(out, &d, opt->base, opt->head,
				 base.commit, head.commit);
	else if (!strcmp(opt->format, "markdown"))
		diff_report_markdown(out, &d, opt->base, opt->head);
	else
		diff_report_text(out, &d, opt->base, opt->head,
				 text_color(opt));
	*escalated = d.nescalations > 0;
	ret = 0;
out:
	perm_diff_release(&d);
	free_renames(renames, nrenames);
	git_tree_free(base.tree);
	git_tree_free(head.tree);
	pipeline_release(&base.pl);
	pipeline_release(&head.pl);
	return ret;
}

static int run_diff(struct diff_options *opt)
{
	struct gitrev_repo r;
	struct buf out = BUF_INIT;
	bool escalated = false;
	int status = EXIT_ERROR;

	if (strcmp(opt->format, "text") && strcmp(opt->format, "json") &&
	    strcmp(opt->format, "markdown"))
		return cli_usage_error("diff", "invalid --format '%s'; "
				       "expected text, markdown or json",
				       opt->format);
	if (gitrev_open(&r, opt->repo ? opt->repo : ".", &cli.diag) < 0)
		goto out;
	if (split_revisions(opt, &r) < 0 || normalize_paths(opt) < 0)
		goto out;
	if (compare(&out, &escalated, &r, opt) < 0 ||
	    write_report(opt, &out) < 0)
		goto out;
	status = escalated && opt->fail_on_escalation ? EXIT_FAIL : EXIT_PASS;
out:
	if (status == EXIT_ERROR)
		diag_summary(&cli.diag);
	buf_release(&out);
	gitrev_close(&r);
	return status;
}

/* Return the index of "--" in argv, or argc when there is none. */
static int find_separator(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i;
	return argc;
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on-escalation", no_argument, NULL, 'E' },
		{ "output", required_argument, NULL, 'o' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct diff_options opt = { 0 };
	int sep = find_separator(argc, argv);
	int c;

	optind = 1;
	while ((c = getopt_long(sep, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt.repo = optarg;
			break;
		case 'f':
			opt.format = optarg;
			break;
		case 'E':
			opt.fail_on_escalation = true;
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
			diff_usage(stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("diff", "invalid option");
		}
	}
	cli_apply_color();
	opt.revs = argv + optind;
	opt.nrevs = (size_t)(sep - optind);
	if (sep < argc) {
		opt.separator = true;
		opt.paths = argv + sep + 1;
		opt.npaths = (size_t)(argc - sep - 1);
	}
	if (opt.nrevs > 2 && sep < argc)
		return cli_usage_error("diff", "expected at most BASE and "
				       "HEAD before '--'");
	if (!opt.format)
		opt.format = "text";
	return run_diff(&opt);
}
