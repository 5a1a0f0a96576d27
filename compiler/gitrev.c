#include "common.h"
#include "gitrev.h"

#include <git2.h>

#include "build.h"
#include "buf.h"
#include "diag.h"
#include "source.h"

static const char *git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

int gitrev_open(struct gitrev_repo *r, const char *dir, struct diag *d)
{
	memset(r, 0, sizeof(*r));
	git_libgit2_init();
	r->dir = xstrdup(dir);
	if (git_repository_open_ext(&r->repo, dir, 0, NULL) < 0) {
		diag_plain(d, DIAG_ERROR, "'%s' is not in a git repository: "
			   "%s", dir, git_message());
		return -1;
	}
	r->workdir = git_repository_workdir(r->repo);
	return 0;
}

void gitrev_close(struct gitrev_repo *r)
{
	git_repository_free(r->repo);
	free(r->dir);
	memset(r, 0, sizeof(*r));
	git_libgit2_shutdown();
}

/* Return the remote named by the start of "origin/main", or NULL. */
static char *remote_of(git_repository *repo, const char *rev)
{
	const char *slash = strchr(rev, '/');
	struct buf key = BUF_INIT;
	git_config *config;
	const char *url;
	char *name = NULL;

	/*
	 * Read remote.NAME.url from a snapshot of the configuration:
	 * git_remote_lookup and git_remote_list leaked PCRE2 match data
	 * under LeakSanitizer with Debian's libgit2 1.5.1.
	 */
	if (!slash || git_repository_config_snapshot(&config, repo) < 0)
		return NULL;
	buf_addf(&key, "remote.%.*s.url", (int)(slash - rev), rev);
	if (git_config_get_string(&url, config, buf_str(&key)) == 0)
		name = xstrndup(rev, (size_t)(slash - rev));
	git_config_free(config);
	buf_release(&key);
	return name;
}

/* Note the local or remote branch whose name is nearest to rev. */
static void suggest_branch(git_repository *repo, const char *rev,
			   struct diag *d)
{
	git_branch_iterator *it;
	git_reference *ref;
	git_branch_t type;
	const char **names = NULL;
	const char *name, *guess;
	size_t n = 0, cap = 0, i;

	if (git_branch_iterator_new(&it, repo, GIT_BRANCH_ALL) < 0)
		return;
	while (git_branch_next(&ref, &type, it) == 0) {
		if (git_branch_name(&name, ref) == 0) {
			grow_array((void **)&names, &cap, n + 1,
				   sizeof(*names));
			names[n++] = xstrdup(name);
		}
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
	guess = nearest_name(rev, names, n);
	if (guess)
		diag_plain(d, DIAG_NOTE, "did you mean '%s'?", guess);
	for (i = 0; i < n; i++)
		free((char *)names[i]);
	free(names);
}

/*
 * Report a revision that is not in the repository, and print how to
 * fetch it, because CI often clones one branch or only its last commit.
 */
static void report_missing(struct gitrev_repo *r, const char *rev,
			   struct diag *d)
{
	char *remote;

	diag_plain(d, DIAG_ERROR, "revision '%s' is not in the repository "
		   "at '%s': %s", rev, r->dir, git_message());
	remote = remote_of(r->repo, rev);
	if (remote) {
		const char *branch = rev + strlen(remote) + 1;

		diag_plain(d, DIAG_NOTE, "fetch the branch first: git fetch "
			   "%s %s:refs/remotes/%s/%s", remote, branch, remote,
			   branch);
	} else if (!strpbrk(rev, "~^@:")) {
		suggest_branch(r->repo, rev, d);
		diag_plain(d, DIAG_NOTE, "check the name, or fetch it first, "
			   "e.g. git fetch origin %s", rev);
	}
	if (git_repository_is_shallow(r->repo) == 1)
		diag_plain(d, DIAG_NOTE, "this is a shallow clone, which "
			   "lacks older commits; fetch the whole history with "
			   "git fetch --unshallow");
	free(remote);
}

int gitrev_tree(git_tree **out, char commit[GITREV_ID_SIZE],
		struct gitrev_repo *r, const char *rev, struct diag *d)
{
	git_object *obj = NULL, *peeled = NULL;
	int err;

	*out = NULL;
	commit[0] = '\0';
	err = git_revparse_single(&obj, r->repo, rev);
	if (err == GIT_ENOTFOUND || (err < 0 &&
				     git_repository_is_shallow(r->repo) == 1)) {
		report_missing(r, rev, d);
		return -1;
	}
	if (err < 0) {
		diag_plain(d, DIAG_ERROR, "invalid revision '%s': %s", rev,
			   git_message());
		return -1;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		git_oid_tostr(commit, GITREV_ID_SIZE, git_object_id(peeled));
		git_object_free(peeled);
	}
	err = git_object_peel((git_object **)out, obj, GIT_OBJECT_TREE);
	git_object_free(obj);
	if (err < 0) {
		diag_plain(d, DIAG_ERROR, "revision '%s' names no commit or "
			   "tree: %s", rev, git_message());
		return -1;
	}
	return 0;
}

bool gitrev_path_selected(const char *path, char *const *paths,
			  size_t npaths)
{
	size_t i, n;

	if (!npaths)
		return true;
	for (i = 0; i < npaths; i++) {
		n = strlen(paths[i]);
		if (!n || (!strncmp(path, paths[i], n) &&
			   (path[n] == '\0' || path[n] == '/')))
			return true;
	}
	return false;
}

/*
 * Return whether a directory must be walked: it lies under a path named,
 * or a path named lies under it.
 */
static bool dir_needed(const char *dir, char *const *paths, size_t npaths)
{
	size_t i, n = strlen(dir);

	if (!npaths)
		return true;
	for (i = 0; i < npaths; i++)
		if (gitrev_path_selected(dir, paths + i, 1) ||
		    (!strncmp(paths[i], dir, n) && paths[i][n] == '/'))
			return true;
	return false;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

struct walk {
	struct gitrev_files *out;
	git_repository *repo;
	const char *rev;
	char *const *paths;
	size_t npaths;
	struct diag *d;
	int ret;
	bool too_many;		/* UNIT_FILES_MAX was reached and reported */
};

static int add_blob(struct walk *w, const char *path, const git_oid *id)
{
	git_blob *blob;
	struct source *src;
	struct buf name = BUF_INIT;
	git_object_size_t size;

	if (git_blob_lookup(&blob, w->repo, id) < 0) {
		diag_plain(w->d, DIAG_ERROR, "cannot read '%s' at '%s': %s",
			   path, w->rev, git_message());
		return -1;
	}
	if (w->out->n >= UNIT_FILES_MAX) {
		if (!w->too_many)
			diag_plain(w->d, DIAG_ERROR, "more than %d spec files "
				   "at '%s'; refusing to read them all",
				   UNIT_FILES_MAX, w->rev);
		w->too_many = true;
		git_blob_free(blob);
		return -1;
	}
	size = git_blob_rawsize(blob);
	if (size > SOURCE_SPEC_MAX) {
		diag_plain(w->d, DIAG_ERROR, "'%s' at '%s' is larger than %zu "
			   "bytes", path, w->rev, SOURCE_SPEC_MAX);
		git_blob_free(blob);
		return -1;
	}
	buf_addf(&name, "%s:%s", w->rev, path);
	src = source_from_memory(buf_str(&name), git_blob_rawcontent(blob),
				 (size_t)size);
	src->unit_path = xstrdup(path);
	grow_array((void **)&w->out->v, &w->out->cap, w->out->n + 1,
		   sizeof(*w->out->v));
	w->out->v[w->out->n++] = src;
	buf_release(&name);
	git_blob_free(blob);
	return 0;
}

static int visit_entry(const char *root, const git_tree_entry *entry,
		       void *payload)
{
	struct walk *w = payload;
	const char *name = git_tree_entry_name(entry);
	git_filemode_t mode = git_tree_entry_filemode(entry);
	struct buf path = BUF_INIT;
	int ret = 0;

	if (name[0] == '.')
		return mode == GIT_FILEMODE_TREE ? 1 : 0;
	buf_addf(&path, "%s%s", root, name);
	if (mode == GIT_FILEMODE_TREE) {
		ret = dir_needed(buf_str(&path), w->paths, w->npaths) ? 0 : 1;
	} else if ((mode == GIT_FILEMODE_BLOB ||
		    mode == GIT_FILEMODE_BLOB_EXECUTABLE) &&
		   gitrev_path_selected(buf_str(&path), w->paths, w->npaths) &&
		   has_suffix(name, ".mandate")) {
		if (add_blob(w, buf_str(&path), git_tree_entry_id(entry)) < 0)
			w->ret = -1;
	}
	buf_release(&path);
	return ret;
}

static int cmp_sources(const void *a, const void *b)
{
	const struct source *const *x = a, *const *y = b;

	return strcmp((*x)->unit_path, (*y)->unit_path);
}

int gitrev_read_specs(struct gitrev_files *out, struct gitrev_repo *r,
		      git_tree *tree, const char *rev, char *const *paths,
		      size_t npaths, struct diag *d)
{
	struct walk w = { out, r->repo, rev, paths, npaths, d, 0, false };

	if (git_tree_walk(tree, GIT_TREEWALK_PRE, visit_entry, &w) < 0) {
		diag_plain(d, DIAG_ERROR, "cannot read the tree of '%s': %s",
			   rev, git_message());
		return -1;
	}
	sort_array(out->v, out->n, sizeof(*out->v), cmp_sources);
	return w.ret;
}

int gitrev_renames(char ***from, char ***to, size_t *n,
		   struct gitrev_repo *r, git_tree *tree, git_tree *head_tree,
		   char *const *paths, size_t npaths, struct diag *d)
{
	git_diff_options opts;
	git_diff_find_options find;
	git_diff *diff = NULL;
	size_t i, cap = 0;
	int err;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	*from = *to = NULL;
	*n = 0;
	opts.pathspec.strings = (char **)paths;
	opts.pathspec.count = npaths;
	opts.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (head_tree) {
		err = git_diff_tree_to_tree(&diff, r->repo, tree, head_tree,
					    &opts);
	} else {
		opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED |
			      GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		find.flags |= GIT_DIFF_FIND_FOR_UNTRACKED;
		err = git_diff_tree_to_workdir(&diff, r->repo, tree, &opts);
	}
	if (err == 0)
		err = git_diff_find_similar(diff, &find);
	if (err < 0) {
		diag_plain(d, DIAG_ERROR, "cannot compare the trees for "
			   "renamed files: %s", git_message());
		git_diff_free(diff);
		return -1;
	}
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *delta = git_diff_get_delta(diff, i);

		if (delta->status != GIT_DELTA_RENAMED)
			continue;
		grow_array((void **)from, &cap, *n + 1, sizeof(**from));
		*to = xrealloc(*to, cap * sizeof(**to));
		(*from)[*n] = xstrdup(delta->old_file.path);
		(*to)[*n] = xstrdup(delta->new_file.path);
		(*n)++;
	}
	git_diff_free(diff);
	return 0;
}

void gitrev_files_release(struct gitrev_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		source_free(f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}
