#ifndef MANDATE_COMPILER_GITREV_H
#define MANDATE_COMPILER_GITREV_H

struct diag;
struct source;
struct git_repository;
struct git_tree;
struct git_index;
struct git_object;

/*
 * Specs read from a git repository with libgit2: a revision's tree is
 * walked in the object database and its *.mandate blobs are read as
 * they are stored, so nothing is checked out and no hook or filter
 * runs. Paths are relative to the top of the repository.
 */
struct gitrev_repo {
	struct git_repository *repo;
	char *dir;		/* as the user named it, for messages */
	const char *workdir;	/* with a final '/'; NULL when bare */
	struct git_index *index;	/* read on first use */
	bool initialized;	/* libgit2 was loaded and initialized */
};

/*
 * Open the repository holding dir (searching upwards, as git does), or
 * when dir is NULL the one that git would use: GIT_DIR and
 * GIT_WORK_TREE when set, else the one holding the current directory.
 * Loads libgit2 on first use (gitlib.h). Returns 0, or -1 after
 * reporting to d that libgit2 cannot be loaded or there is no
 * repository. Call gitrev_close in either case.
 */
int gitrev_open(struct gitrev_repo *r, const char *dir, struct diag *d);
void gitrev_close(struct gitrev_repo *r);

/* Size of a buffer for a full hexadecimal object id and its NUL. */
#define GITREV_ID_SIZE 65

/*
 * Resolve a revision (a branch, tag, commit, "origin/main", "HEAD~2")
 * to its tree, which the caller frees with git_tree_free, and store in
 * commit the full hexadecimal id of the commit it names, or "" when it
 * names a tree. When it is not in the repository, the error explains
 * how to fetch it. Returns 0, or -1 after reporting.
 */
int gitrev_tree(struct git_tree **out, char commit[GITREV_ID_SIZE],
		struct gitrev_repo *r, const char *rev, struct diag *d);

/*
 * Store in out the full hexadecimal id of the best common ancestor of
 * the commits that base and head name, as git merge-base finds it.
 * Returns 0, or -1 after reporting a revision that is missing or not a
 * commit, or commits without a common ancestor.
 */
int gitrev_merge_base(char out[GITREV_ID_SIZE], struct gitrev_repo *r,
		      const char *base, const char *head, struct diag *d);

/* Return whether rev is a range such as "v1..HEAD" or "v1...HEAD". */
bool gitrev_is_range(const char *rev);

/*
 * Resolve rev as git does into out, which the caller frees with
 * git_object_free: git_revparse_single, but HEAD@{N} is read from
 * HEAD's own reflog and a reflog date such as @{yesterday} is rejected
 * with GIT_EINVALIDSPEC. Returns 0 or a libgit2 error code.
 */
int gitrev_revparse(struct git_object **out, struct gitrev_repo *r,
		    const char *rev);

/* Return whether rev names an object in the repository. */
bool gitrev_resolves(struct gitrev_repo *r, const char *rev);

/*
 * Note on d the branch, tag or "HEAD" whose name is nearest to rev,
 * when one is within a typo's distance, and return that name newly
 * allocated, or NULL.
 */
char *gitrev_suggest(struct gitrev_repo *r, const char *rev, struct diag *d);

/* Return whether tree has an entry at path, relative to its top ("" is the top). */
bool gitrev_tree_has(struct git_tree *tree, const char *path);

/* How git sees an entry of the working tree. */
enum gitrev_entry {
	GITREV_ENTRY_SEEN,	/* tracked, or untracked and not ignored */
	GITREV_ENTRY_IGNORED,	/* untracked and ignored */
	GITREV_ENTRY_NESTED,	/* a directory of another repository */
};

/*
 * Classify the working-tree entry at path, relative to the top of the
 * repository, whose file system path is abs. dir is true for a
 * directory. Ignore rules are libgit2's: .gitignore files,
 * .git/info/exclude and core.excludesFile. A tracked entry is never
 * ignored, as in git. A directory holding ".git" is a nested
 * repository, worktree or submodule, which git does not look into.
 * Returns 0, or -1 after reporting.
 */
int gitrev_worktree_entry(enum gitrev_entry *out, struct gitrev_repo *r,
			  const char *path, const char *abs, bool dir,
			  struct diag *d);

/*
 * Return whether path, relative to the top of the repository, lies
 * under one of paths (any path when npaths is 0).
 */
bool gitrev_path_selected(const char *path, char *const *paths,
			  size_t npaths);

/* Spec files found at one revision, or in the working tree. */
struct gitrev_files {
	struct source **v;	/* path: "REV:FILE"; unit_path: FILE */
	size_t n, cap;
};

/*
 * Add to out every *.mandate blob of tree under each of paths (all when
 * npaths is 0), in sorted order of path, skipping symbolic links,
 * submodules and the hidden entries that no path names or lies below.
 * rev names the revision in the sources' paths. Returns 0, or -1 after
 * reporting.
 */
int gitrev_read_specs(struct gitrev_files *out, struct gitrev_repo *r,
		      struct git_tree *tree, const char *rev,
		      char *const *paths, size_t npaths, struct diag *d);

/*
 * Store in out whether the index marks path, relative to the top of the
 * repository, skip-worktree, as sparse checkout and "git update-index
 * --skip-worktree" do: git then takes the file from the index, not the
 * working tree. Returns 0, or -1 after reporting.
 */
int gitrev_skips_worktree(bool *out, struct gitrev_repo *r, const char *path,
			  struct diag *d);

/*
 * Add to out the *.mandate files of the index marked skip-worktree under
 * paths, with gitrev_read_specs's rules, named ":FILE" as git names
 * the index's files, and sort all of out by path. Returns 0, or -1
 * after reporting.
 */
int gitrev_read_skipped(struct gitrev_files *out, struct gitrev_repo *r,
			char *const *paths, size_t npaths, struct diag *d);

/*
 * Find the spec files renamed from tree to head_tree, or to the working
 * tree when head_tree is NULL, with git's rename detection. Store in
 * *from and *to, newly allocated arrays of n newly allocated paths, the
 * old and the new name of each. Returns 0, or -1 after reporting.
 */
int gitrev_renames(char ***from, char ***to, size_t *n,
		   struct gitrev_repo *r, struct git_tree *tree,
		   struct git_tree *head_tree, char *const *paths,
		   size_t npaths, struct diag *d);

/* Free the sources not handed on, and the array. */
void gitrev_files_release(struct gitrev_files *f);

#endif
