#ifndef MANDATE_COMPILER_GITLIB_H
#define MANDATE_COMPILER_GITLIB_H

#include <git2.h>

struct diag;

/*
 * libgit2, loaded with dlopen when mandate diff first opens a
 * repository, so the other commands never pay for mapping it and the
 * libraries it needs. The binary is not linked with -lgit2, so every
 * libgit2 function that mandate calls is a member of the table git,
 * with the prototype that git2.h declares: git.tree_free(tree) calls
 * libgit2's git_tree_free. Types and constants still come from git2.h.
 * A new call into libgit2 needs the function's name in this list,
 * without the git_ prefix.
 */
#define GITLIB_FUNCTIONS(X)						\
	X(blob_free) X(blob_lookup) X(blob_rawcontent) X(blob_rawsize)	\
	X(branch_iterator_free) X(branch_iterator_new) X(branch_name)	\
	X(branch_next)							\
	X(commit_parentcount)						\
	X(config_free) X(config_get_string) X(config_iterator_free)	\
	X(config_iterator_new) X(config_next)				\
	X(diff_find_options_init) X(diff_find_similar) X(diff_free)	\
	X(diff_get_delta) X(diff_num_deltas) X(diff_options_init)	\
	X(diff_tree_to_tree) X(diff_tree_to_workdir)			\
	X(error_last)							\
	X(ignore_path_is_ignored)					\
	X(index_entry_stage) X(index_entrycount) X(index_find)		\
	X(index_find_prefix) X(index_free) X(index_get_byindex)		\
	X(index_get_bypath)						\
	X(libgit2_init) X(libgit2_shutdown)				\
	X(merge_base)							\
	X(object_free) X(object_id) X(object_peel) X(object_type)	\
	X(object_type2string)						\
	X(odb_free) X(odb_read_header)					\
	X(oid_cmp) X(oid_cpy) X(oid_equal) X(oid_fromstr)		\
	X(oid_is_zero) X(oid_tostr)					\
	X(reference_free) X(reference_is_branch)			\
	X(reference_iterator_free) X(reference_iterator_new)		\
	X(reference_lookup) X(reference_name_to_id) X(reference_next)	\
	X(reference_shorthand) X(reference_type)			\
	X(reflog_entry_byindex) X(reflog_entry_id_new)			\
	X(reflog_entry_id_old) X(reflog_entrycount) X(reflog_free)	\
	X(reflog_read)							\
	X(repository_config_snapshot) X(repository_free)		\
	X(repository_head) X(repository_head_unborn)			\
	X(repository_index) X(repository_is_shallow) X(repository_odb)	\
	X(repository_open_ext) X(repository_set_workdir)		\
	X(repository_workdir)						\
	X(revparse_single)						\
	X(revwalk_free) X(revwalk_new) X(revwalk_next) X(revwalk_push)	\
	X(tag_foreach)							\
	X(tree_entry_bypath) X(tree_entry_filemode) X(tree_entry_free)	\
	X(tree_entry_id) X(tree_entry_name) X(tree_free) X(tree_id)	\
	X(tree_walk)

/* The libgit2 functions that mandate calls, resolved with dlsym. */
struct gitlib {
#define GITLIB_MEMBER(name) __typeof__(git_##name) *name;
	GITLIB_FUNCTIONS(GITLIB_MEMBER)
#undef GITLIB_MEMBER
};

/* Filled by gitlib_load. Every member is NULL before it succeeds. */
extern struct gitlib git;

/*
 * Load libgit2 by the soname it had at build time and fill git, or do
 * nothing when an earlier call succeeded. The library stays loaded
 * until the process exits. Returns 0, or -1 after reporting to d, with
 * dlerror's text, that the library cannot be loaded or lacks a
 * function. git is then left as it was.
 */
int gitlib_load(struct diag *d);

#endif
