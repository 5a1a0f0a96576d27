#include "common.h"
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "buf.h"
#include "diff_report.h"
#include "fsutil.h"
#include "gitlib.h"
#include "gitrev.h"
#include "permdiff.h"
#include "pipeline.h"
#include "report_output.h"
#include "source.h"

struct diff_options {
	const char *repo;
	const char *base;
	const char *head;	/* NULL: the working tree */
	char **revs;		/* positional arguments before "--" */
	size_t nrevs;
	bool separator;		/* "--" ends the revisions */
	char **paths;		/* below the top of the repository */
	size_t npaths;
	char **owned;		/* the resolved paths, freed at the end */
	char *prefix;		/* see worktree_prefix */
	struct report_outputs outputs;
	bool fail_on_escalation;
	bool merge_base;	/* compare from the merge base of BASE and HEAD */
	char merge_base_id[GITREV_ID_SIZE];
	char *base_label;	/* BASE as the reports name it */
};

static const char *const diff_formats[] = {
	"text", "markdown", "json", NULL,
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
	      "PATHs name the unit compared, as check's paths do: only the\n"
	      "*.mandate files under them are read, on both sides (default:\n"
	      "every one in the repository). They are relative to the current\n"
	      "directory, or to the top of the repository when it is outside\n"
	      "the working tree. Hidden directories are skipped unless a PATH\n"
	      "names them or lies below them. Without \"--\", a second argument\n"
	      "is HEAD when it is a revision, else a PATH that must exist in\n"
	      "the working tree or at BASE or HEAD; an argument that is both\n"
	      "a revision and a path needs \"--\" after the revisions. A PATH\n"
	      "that leaves the repository is rejected, and symbolic links in\n"
	      "the working tree are skipped with a warning, as the revisions\n"
	      "skip them.\n\n"
	      "options:\n"
	      "  --repo DIR             the repository (default: GIT_DIR and\n"
	      "                         GIT_WORK_TREE when set, else the one\n"
	      "                         holding the current directory)\n"
	      "  --format FORMAT        text (default), markdown or json;\n"
	      "                         repeat with -o for several reports\n"
	      "  --fail-on-escalation   exit 1 when a change escalates access\n"
	      "  --merge-base           compare from the merge base of BASE\n"
	      "                         and HEAD (of BASE and the HEAD commit\n"
	      "                         for the working tree), as git diff\n"
	      "                         --merge-base: commits made on BASE\n"
	      "                         after the branch point do not show\n"
	      "  -o, --output FILE      write the report of the --format before\n"
	      "                         it to FILE, or stdout when FILE is\n"
	      "                         \"-\"; files are renamed into place\n"
	      "                         only when every report was written; a\n"
	      "                         spec file read from the working tree\n"
	      "                         is rejected\n"
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

/* Return a followed by b, newly allocated. */
static char *concat(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *s = xmalloc(n);

	snprintf(s, n, "%s%s", a, b);
	return s;
}

/* Return path below dir, or NULL when it is not dir or below it. */
static const char *below_dir(const char *path, const char *dir, size_t n)
{
	if (strncmp(path, dir, n) || (path[n] != '/' && path[n]))
		return NULL;
	return path + n;
}

/*
 * Return the current directory below the top of the working tree, with
 * a final '/', newly allocated. PATHs are taken below it, as git takes
 * them. It is "" at the top, and also when the current directory is
 * outside the working tree (such as with --repo).
 */
static char *worktree_prefix(const struct gitrev_repo *r)
{
	char *cwd = realpath(".", NULL);
	char *top = r->workdir ? realpath(r->workdir, NULL) : NULL;
	char *prefix = NULL;
	size_t n;

	if (cwd && top) {
		n = strlen(top);
		if (!strncmp(cwd, top, n) && cwd[n] == '/')
			prefix = concat(cwd + n + 1, "/");
	}
	free(cwd);
	free(top);
	return prefix ? prefix : xstrdup("");
}

/*
 * Return arg as a path below the top of the repository, collapsed and
 * newly allocated: a relative arg is taken below prefix, and an
 * absolute one must lie in the working tree. Returns NULL when the
 * path leaves the repository.
 */
static char *repo_path(const struct gitrev_repo *r, const char *prefix,
		       const char *arg)
{
	char *path = NULL, *top;
	const char *rel;

	if (arg[0] != '/') {
		path = concat(prefix, arg);
	} else if (r->workdir && (top = realpath(r->workdir, NULL))) {
		/* The top as spelled by libgit2, or resolved. */
		rel = below_dir(arg, r->workdir, strlen(r->workdir) - 1);
		if (!rel)
			rel = below_dir(arg, top, strlen(top));
		if (rel)
			path = xstrdup(rel);
		free(top);
	}
	if (path && collapse_path(path) < 0) {
		free(path);
		path = NULL;
	}
	return path;
}

/*
 * Replace each PATH with its collapsed form below the top of the
 * repository, and reject one that leaves it. An empty result, such as
 * "." at the top, means the whole repository.
 */
static int resolve_paths(struct diff_options *opt, const struct gitrev_repo *r)
{
	size_t i;

	opt->owned = xcalloc(opt->npaths + 1, sizeof(*opt->owned));
	for (i = 0; i < opt->npaths; i++) {
		opt->owned[i] = repo_path(r, opt->prefix, opt->paths[i]);
		if (!opt->owned[i]) {
			diag_plain(&cli.diag, DIAG_ERROR, "PATH '%s' leaves "
				   "the repository; name a path in its working "
				   "tree", opt->paths[i]);
			return -1;
		}
	}
	opt->paths = opt->owned;
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

/*
 * Note, after the specs of one side failed to compile, how to compare
 * one unit when the repository contains several, each in its directory,
 * as errors for a definition repeated in another file suggest.
 */
static void note_units(const struct diff_options *opt,
		       const struct spec_unit *u)
{
	if (!opt->npaths && u->nclashes)
		diag_final_note(&cli.diag, "diff compiles every spec of "
			   "the repository as one unit; when it holds several "
			   "units, compare one by naming its directories as "
			   "check takes them: mandate diff BASE [HEAD] -- "
			   "DIR...");
}

/* Compile the specs under the PATHs at revision rev. */
static int load_revision(struct side *s, struct gitrev_repo *r,
			 const char *rev, const struct diff_options *opt)
{
	struct gitrev_files files = { NULL, 0, 0 };
	int ret;

	if (gitrev_tree(&s->tree, s->commit, r, rev, &cli.diag) < 0)
		return -1;
	if (gitrev_read_specs(&files, r, s->tree, rev, opt->paths,
			      opt->npaths, &cli.diag) < 0) {
		gitrev_files_release(&files);
		return -1;
	}
	log_info("read %zu spec files at '%s'", files.n, rev);
	ret = pipeline_load_sources(&s->pl, files.v, files.n);
	files.n = 0;		/* the unit took them */
	gitrev_files_release(&files);
	if (ret < 0) {
		diag_final_note(&cli.diag, "the specs at revision '%s' do not "
				"compile", rev);
		note_units(opt, &s->pl.unit);
	} else {
		warn_unexpanded(&s->pl);
	}
	return ret;
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
 * Add the spec file at path to out, taking path, unless the index marks
 * it skip-worktree: git takes such a file from the index, and so does
 * gitrev_read_skipped. Returns 0, or -1 after reporting.
 */
static int add_worktree_spec(struct path_list *out, char **path,
			     const struct stat *st, struct gitrev_repo *r)
{
	bool skipped;

	if (gitrev_skips_worktree(&skipped, r, *path + strlen(r->workdir),
				  &cli.diag) < 0)
		return -1;
	if (skipped) {
		log_debug("reading '%s' from the index, which marks it "
			  "skip-worktree", *path + strlen(r->workdir));
		return 0;
	}
	if (check_spec_size(*path, st, r->workdir) < 0)
		return -1;
	path_list_add(out, *path);
	*path = NULL;
	return 0;
}

/*
 * Add to out the regular *.mandate files below dir that git sees, in
 * sorted path order, skipping hidden entries and symbolic links, which
 * are never followed. Returns 0, or -1 after reporting the first fault
 * in that order.
 */
static int walk_worktree(struct path_list *out, const char *dir,
			 struct gitrev_repo *r)
{
	char **names;
	size_t i, count;
	int ret = 0;

	if (read_dir_sorted(&names, &count, dir) < 0) {
		diag_path(&cli.diag, DIAG_ERROR, dir, "cannot read directory: "
			  "%s", strerror(errno));
		return -1;
	}
	for (i = 0; ret == 0 && i < count; i++) {
		const char *name = names[i];
		struct stat st;
		size_t n = strlen(dir) + strlen(name) + 2;
		char *path;
		int seen;

		if (name[0] == '.')
			continue;
		path = xmalloc(n);
		snprintf(path, n, "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", name);
		if (lstat(path, &st) < 0) {
			diag_path(&cli.diag, DIAG_ERROR, path, "cannot read: "
				  "%s", strerror(errno));
			ret = -1;
		} else if (!S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode) &&
			   !(S_ISREG(st.st_mode) && is_spec_name(name))) {
			/* not a spec file: nothing to read */
		} else if ((seen = git_sees(r, path, S_ISDIR(st.st_mode))) < 0) {
			ret = -1;
		} else if (!seen) {
			/* ignored, or another repository */
		} else if (S_ISLNK(st.st_mode)) {
			warn_symlink(path, r->workdir);
		} else if (S_ISDIR(st.st_mode)) {
			ret = walk_worktree(out, path, r);
		} else {
			ret = add_worktree_spec(out, &path, &st, r);
		}
		free(path);
	}
	free_names(names);
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

/* Order two strings given as pointers to char *, for sort_array. */
static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the paths and drop repeats, from PATHs that overlap. */
static void unique_paths(struct path_list *l)
{
	size_t i, n = 0;

	sort_array(l->v, l->n, sizeof(*l->v), cmp_strings);
	for (i = 0; i < l->n; i++) {
		if (n && !strcmp(l->v[n - 1], l->v[i]))
			free(l->v[i]);
		else
			l->v[n++] = l->v[i];
	}
	l->n = n;
}

/*
 * Return -1 after reporting a PATH that lies inside a nested repository,
 * submodule or worktree, whose files the walk never reads, else 0.
 */
static int check_named_parents(struct gitrev_repo *r, const char *rel)
{
	struct buf dir = BUF_INIT;
	struct stat st;
	const char *slash;
	enum gitrev_entry entry = GITREV_ENTRY_SEEN;
	int ret = 0;

	for (slash = strchr(rel, '/'); slash && entry == GITREV_ENTRY_SEEN;
	     slash = strchr(slash + 1, '/')) {
		char *abs;

		buf_reset(&dir);
		buf_add(&dir, rel, (size_t)(slash - rel));
		abs = concat(r->workdir, buf_str(&dir));
		if (stat(abs, &st) == 0 && S_ISDIR(st.st_mode) &&
		    gitrev_worktree_entry(&entry, r, buf_str(&dir), abs, true,
					  &cli.diag) < 0)
			ret = -1;
		free(abs);
		if (ret < 0)
			break;
	}
	if (ret == 0 && entry == GITREV_ENTRY_NESTED) {
		diag_plain(&cli.diag, DIAG_ERROR, "PATH '%s' is inside '%s', "
			   "another git repository (a nested repository, "
			   "submodule or worktree), which diff does not read; "
			   "run mandate diff in that repository", rel,
			   buf_str(&dir));
		ret = -1;
	}
	buf_release(&dir);
	return ret;
}

/*
 * Return -1 after reporting a named PATH that git does not see: another
 * repository, or an entry that git ignores. Reading nothing from it
 * quietly would compare a unit other than the one named.
 */
static int check_named_entry(struct gitrev_repo *r, const char *rel,
			     const char *path, bool dir)
{
	enum gitrev_entry entry;

	if (gitrev_worktree_entry(&entry, r, rel, path, dir, &cli.diag) < 0)
		return -1;
	if (entry == GITREV_ENTRY_NESTED) {
		diag_plain(&cli.diag, DIAG_ERROR, "PATH '%s' is another git "
			   "repository (a nested repository, submodule or "
			   "worktree), which diff does not read; run mandate "
			   "diff in that repository", rel);
		return -1;
	}
	if (entry == GITREV_ENTRY_IGNORED) {
		diag_plain(&cli.diag, DIAG_ERROR, "PATH '%s' is ignored by "
			   "git, so diff does not read it; add it with 'git "
			   "add -f' or change the ignore rules", rel);
		return -1;
	}
	return 0;
}

/*
 * Add to out the spec files at the working-tree path rel, below the
 * top of the repository: the file itself, or those found by walking
 * the directory. A path named is read even when hidden, and rejected
 * when git does not see it. Returns 0, or -1 after reporting.
 */
static int walk_named(struct path_list *out, const char *rel,
		      struct gitrev_repo *r)
{
	char *path = concat(r->workdir, rel);
	struct stat st;
	int ret = 0;

	if (*rel && check_named_parents(r, rel) < 0) {
		free(path);
		return -1;
	}
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			diag_path(&cli.diag, DIAG_ERROR, path, "cannot read: "
				  "%s", strerror(errno));
			ret = -1;
		}		/* else it is only at a revision */
	} else if (!*rel) {
		ret = walk_worktree(out, path, r);
	} else if (!S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode) &&
		   !(S_ISREG(st.st_mode) && is_spec_name(rel))) {
		/* not a spec file: nothing to read */
	} else if (check_named_entry(r, rel, path, S_ISDIR(st.st_mode)) < 0) {
		ret = -1;
	} else if (S_ISLNK(st.st_mode)) {
		warn_symlink(path, r->workdir);
	} else if (S_ISDIR(st.st_mode)) {
		ret = walk_worktree(out, path, r);
	} else {
		ret = add_worktree_spec(out, &path, &st, r);
	}
	free(path);
	return ret;
}

/*
 * Return the working-tree path rel, below the top, as messages name it,
 * newly allocated: relative to the current directory when that lies in
 * the working tree, as check names files, else absolute.
 */
static char *display_path(const struct gitrev_repo *r, const char *top,
			  const char *rel)
{
	char *cwd = realpath(".", NULL);
	const char *below = cwd ? below_dir(cwd, top, strlen(top)) : NULL;
	struct buf path = BUF_INIT;
	const char *p;

	if (!below) {
		free(cwd);
		return concat(r->workdir, rel);
	}
	/* Climb out of the current directory to the top, then down. */
	while (*below == '/')
		below++;
	while (*below) {
		size_t n = strcspn(below, "/");

		if (!strncmp(rel, below, n) && rel[n] == '/') {
			rel += n + 1;	/* a common directory */
		} else {
			for (p = below; *p; p++)
				if (*p == '/')
					buf_adds(&path, "../");
			buf_adds(&path, "../");
			break;
		}
		below += n;
		while (*below == '/')
			below++;
	}
	buf_adds(&path, rel);
	free(cwd);
	return buf_detach(&path, NULL);
}

/*
 * Read the working-tree files into out, named by their paths below the
 * top of the repository, then the files of the index marked
 * skip-worktree. Returns 0, or -1 after reporting.
 */
static int read_worktree(struct gitrev_files *out,
			 const struct path_list *files, struct gitrev_repo *r,
			 const char *top, const struct diff_options *opt)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < files->n && !cli.diag.stopped; i++) {
		const char *rel = files->v[i] + strlen(r->workdir);
		struct source *src;

		if (i == UNIT_FILES_MAX) {
			diag_plain(&cli.diag, DIAG_ERROR, "more than %d spec "
				   "files in the working tree; refusing to read "
				   "them all", UNIT_FILES_MAX);
			return -1;
		}
		/* Reports name the files in UTF-8, as check's do. */
		if (!utf8_valid(rel)) {
			diag_path(&cli.diag, DIAG_ERROR, files->v[i], "file "
				  "name is not valid UTF-8; rename the file or "
				  "its directory");
			ret = -1;
			continue;
		}
		if (source_load(&src, files->v[i], SOURCE_SPEC_MAX,
				&cli.diag) < 0) {
			ret = -1;
			continue;
		}
		src->unit_path = xstrdup(rel);
		free(src->path);
		src->path = display_path(r, top, rel);
		grow_array((void **)&out->v, &out->cap, out->n + 1,
			   sizeof(*out->v));
		out->v[out->n++] = src;
	}
	if (ret == 0)
		ret = gitrev_read_skipped(out, r, opt->paths, opt->npaths,
					  &cli.diag);
	return ret;
}

/* Compile the specs under the PATHs in the working tree. */
static int load_worktree(struct side *s, struct gitrev_repo *r,
			 const struct diff_options *opt)
{
	struct path_list files = { NULL, 0, 0 };
	struct gitrev_files sources = { NULL, 0, 0 };
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
	for (i = 0; ret == 0 && i < opt->npaths; i++)
		ret = check_worktree_path(opt->paths[i], r->workdir, top);
	for (i = 0; ret == 0 && i < opt->npaths; i++)
		ret = walk_named(&files, opt->paths[i], r);
	if (ret == 0 && !opt->npaths)
		ret = walk_named(&files, "", r);
	unique_paths(&files);
	if (ret == 0)
		ret = read_worktree(&sources, &files, r, top, opt);
	if (ret == 0) {
		log_info("read %zu spec files in the working tree",
			 sources.n);
		ret = pipeline_load_sources(&s->pl, sources.v, sources.n);
		sources.n = 0;	/* the unit took them */
		if (ret < 0) {
			diag_final_note(&cli.diag, "the specs in the working "
					"tree do not compile");
			note_units(opt, &s->pl.unit);
		} else {
			warn_unexpanded(&s->pl);
		}
	}
	for (i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	gitrev_files_release(&sources);
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
 * base or head (NULL: none). A path that leaves the repository counts
 * as a path, so that resolve_paths rejects it with its own message.
 */
static bool names_path(struct gitrev_repo *r, const char *prefix,
		       const char *arg, const char *base, const char *head)
{
	const char *revs[] = { base, head };
	char *rel = repo_path(r, prefix, arg);
	bool found = !rel || worktree_has(r, rel);
	size_t i;

	for (i = 0; !found && i < 2; i++) {
		git_object *obj, *tree;

		if (!revs[i] || gitrev_revparse(&obj, r, revs[i]) < 0)
			continue;
		if (git.object_peel(&tree, obj, GIT_OBJECT_TREE) == 0) {
			found = gitrev_tree_has((git_tree *)tree, rel);
			git.object_free(tree);
		}
		git.object_free(obj);
	}
	free(rel);
	return found;
}

/*
 * Return -1 after reporting an argument that names both a revision and
 * a path in the working tree, which git too rejects without "--".
 */
static int reject_ambiguous(struct gitrev_repo *r, const char *prefix,
			    const char *arg)
{
	char *rel = repo_path(r, prefix, arg);
	bool path = rel && worktree_has(r, rel);

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
 * Report an argument that is neither a revision nor a path. One in a
 * revision's syntax, such as a range or HEAD~5, gitrev_tree explains as
 * it does for BASE.
 */
static void report_unknown_argument(struct gitrev_repo *r, const char *arg)
{
	if (gitrev_is_range(arg) || strpbrk(arg, "~^") || strstr(arg, "@{")) {
		char commit[GITREV_ID_SIZE];
		git_tree *tree;

		if (gitrev_tree(&tree, commit, r, arg, &cli.diag) == 0)
			git.tree_free(tree);
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
	if (reject_ambiguous(r, opt->prefix, opt->base) < 0)
		return -1;
	if (opt->nrevs >= 2 && gitrev_resolves(r, opt->revs[1])) {
		if (reject_ambiguous(r, opt->prefix, opt->revs[1]) < 0)
			return -1;
		opt->head = opt->revs[1];
		first_path = 2;
	}
	for (i = first_path; i < opt->nrevs; i++) {
		if (names_path(r, opt->prefix, opt->revs[i], opt->base,
			       opt->head))
			continue;
		if (opt->head && gitrev_resolves(r, opt->revs[i]))
			diag_plain(&cli.diag, DIAG_ERROR, "'%s' is a third "
				   "revision, but diff compares two: BASE and "
				   "HEAD ('%s' and '%s')", opt->revs[i],
				   opt->base, opt->head);
		else
			report_unknown_argument(r, opt->revs[i]);
		return -1;
	}
	opt->paths = opt->revs + first_path;
	opt->npaths = opt->nrevs - first_path;
	return 0;
}

/*
 * Return whether the text report r is coloured: with --color always,
 * or auto on a terminal without NO_COLOR, and never in an -o file.
 */
static bool text_color(const struct report_output *r)
{
	if (r->path || cli.color == COLOR_NEVER)
		return false;
	return cli.color == COLOR_ALWAYS || cli_stdout_is_terminal();
}

/* Render the comparison d into each report of opt. */
static void render_reports(struct diff_options *opt, const struct perm_diff *d,
			   const char *base_commit, const char *head_commit)
{
	const char *base = opt->base_label ? opt->base_label : opt->base;
	size_t i;

	for (i = 0; i < opt->outputs.n; i++) {
		struct report_output *r = &opt->outputs.v[i];

		if (!strcmp(r->format, "json"))
			diff_report_json(&r->text, d, base, opt->head,
					 base_commit, head_commit);
		else if (!strcmp(r->format, "markdown"))
			diff_report_markdown(&r->text, d, base, opt->head);
		else
			diff_report_text(&r->text, d, base, opt->head,
					 text_color(r));
	}
}

/* Return -1 after rejecting an -o file that is a spec file read. */
static int reject_spec_outputs(const struct diff_options *opt,
			       const struct spec_unit *u)
{
	size_t i;

	for (i = 0; i < opt->outputs.n; i++)
		if (cli_reject_input_output("diff", opt->outputs.v[i].path,
					    NULL, 0, u) < 0)
			return -1;
	return 0;
}

/*
 * Compare the two sides into the reports of opt. Sets *usage_error when
 * the failure is -o naming a spec read, so that the file is left alone.
 */
static int compare(bool *escalated, bool *usage_error,
		   struct gitrev_repo *r, struct diff_options *opt)
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
	if (load_revision(&base, r, opt->base, opt) < 0)
		goto out;
	if (opt->head ? load_revision(&head, r, opt->head, opt) < 0
		      : load_worktree(&head, r, opt) < 0)
		goto out;
	if (!opt->head && reject_spec_outputs(opt, &head.pl.unit) < 0) {
		*usage_error = true;
		goto out;
	}
	if (!base.pl.prog.nagents && !head.pl.prog.nagents) {
		diag_plain(&cli.diag, DIAG_ERROR, "no agent specs found at "
			   "either side under the paths given; name the "
			   "directories that hold the *.mandate files");
		goto out;
	}
	if (find_renames(&renames, &nrenames, r, &base, &head) < 0)
		goto out;
	perm_diff_compute(&d, &base.pl.prog, &head.pl.prog, renames,
			  nrenames, opt->paths, opt->npaths);
	render_reports(opt, &d, base.commit, head.commit);
	*escalated = d.nescalations > 0;
	ret = 0;
out:
	perm_diff_release(&d);
	free_renames(renames, nrenames);
	git.tree_free(base.tree);
	git.tree_free(head.tree);
	pipeline_release(&base.pl);
	pipeline_release(&head.pl);
	return ret;
}

/*
 * Replace BASE with the merge base of BASE and HEAD, or of BASE and the
 * commit HEAD names when HEAD is the working tree, as git diff
 * --merge-base does: a branch is then compared with the point where it
 * left BASE, and commits made on BASE since do not show as changes.
 */
static int use_merge_base(struct diff_options *opt, struct gitrev_repo *r)
{
	const char *head = opt->head ? opt->head : "HEAD";
	struct buf label = BUF_INIT;

	if (gitrev_merge_base(opt->merge_base_id, r, opt->base, head,
			      &cli.diag) < 0)
		return -1;
	buf_addf(&label, "%.12s (merge base of %s and %s)",
		 opt->merge_base_id, opt->base, head);
	opt->base_label = buf_detach(&label, NULL);
	log_info("comparing from %s", opt->base_label);
	opt->base = opt->merge_base_id;
	return 0;
}

static int run_diff(struct diff_options *opt)
{
	struct gitrev_repo r;
	bool escalated = false, usage_error = false;
	int status = EXIT_ERROR;
	size_t i;

	if (gitrev_open(&r, opt->repo, &cli.diag) < 0)
		goto out;
	opt->prefix = worktree_prefix(&r);
	if (split_revisions(opt, &r) < 0 || resolve_paths(opt, &r) < 0) {
		usage_error = true;
		goto out;
	}
	report_outputs_guard_earlier(&opt->outputs, diff_report_recognize);
	if (opt->merge_base && use_merge_base(opt, &r) < 0)
		goto out;
	if (compare(&escalated, &usage_error, &r, opt) < 0 ||
	    report_outputs_write(&opt->outputs) < 0)
		goto out;
	status = escalated && opt->fail_on_escalation ? EXIT_FAIL : EXIT_PASS;
out:
	if (status == EXIT_ERROR) {
		diag_summary(&cli.diag);
		/* A usage error never touches the files. */
		if (!usage_error)
			report_outputs_remove_earlier(&opt->outputs,
						      diff_report_recognize,
						      "mandate diff");
	}
	gitrev_close(&r);
	for (i = 0; opt->owned && opt->owned[i]; i++)
		free(opt->owned[i]);
	free(opt->owned);
	free(opt->prefix);
	free(opt->base_label);
	report_outputs_release(&opt->outputs);
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

/*
 * Read the options before "--" at sep into opt. Returns 0, 1 after
 * printing the help, or -1 after a usage error.
 */
static int parse_options(struct diff_options *opt, int sep, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on-escalation", no_argument, NULL, 'E' },
		{ "merge-base", no_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(sep, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			opt->repo = optarg;
			break;
		case 'f':
			report_outputs_add_format(&opt->outputs, optarg);
			break;
		case 'E':
			opt->fail_on_escalation = true;
			break;
		case 'm':
			opt->merge_base = true;
			break;
		case 'o':
			if (report_outputs_set_path(&opt->outputs, optarg) < 0)
				return -1;
			break;
		case 'c':
			if (cli_set_color(optarg) < 0)
				return -1;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			diff_usage(stdout);
			return 1;
		default:
			cli_usage_error("diff", "invalid option");
			return -1;
		}
	}
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_options opt = { 0 };
	int sep = find_separator(argc, argv);
	int ret;

	opt.outputs.command = "diff";
	ret = parse_options(&opt, sep, argv);
	if (ret == 0) {
		cli_apply_color();
		opt.revs = argv + optind;
		opt.nrevs = (size_t)(sep - optind);
		if (sep < argc) {
			opt.separator = true;
			opt.paths = argv + sep + 1;
			opt.npaths = (size_t)(argc - sep - 1);
		}
		if (opt.nrevs > 2 && sep < argc) {
			cli_usage_error("diff", "expected at most BASE and "
					"HEAD before '--'");
			ret = -1;
		}
	}
	if (ret == 0 && report_outputs_finish(&opt.outputs, "text",
					      diff_formats,
					      "text, markdown or json") < 0)
		ret = -1;
	if (ret != 0) {
		report_outputs_release(&opt.outputs);
		return ret < 0 ? EXIT_ERROR : EXIT_PASS;
	}
	return run_diff(&opt);
}
