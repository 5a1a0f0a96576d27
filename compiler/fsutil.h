#ifndef MANDATE_COMPILER_FSUTIL_H
#define MANDATE_COMPILER_FSUTIL_H

struct buf;
struct diag;

/*
 * Write len bytes to path atomically: to a temporary file in the same
 * directory, flushed and synced, then renamed over path. On failure the
 * temporary file is removed, path is untouched, the failure is reported
 * to d, and -1 is returned.
 */
int write_file_atomic(const char *path, const void *data, size_t len,
		      struct diag *d);

/*
 * A temporary file staged beside its target. Until it is committed or
 * discarded, a termination signal removes it (signal_cleanup.h).
 */
struct staged_file {
	char *tmp;		/* NULL once committed or discarded */
	size_t slot;		/* its signal_cleanup entry */
};

/*
 * Write len bytes to a new temporary file beside path, flushed and
 * synced, into *out, which the caller then commits or discards.
 * Returns 0, or -1 after reporting, with *out empty.
 */
int stage_file(const char *path, const void *data, size_t len,
	       struct staged_file *out, struct diag *d);

/*
 * Rename the staged file over path and release it. Returns 0, or -1
 * with errno set and the file still staged, for staged_file_discard.
 */
int staged_file_commit(struct staged_file *s, const char *path);

/* Remove the staged file, if any is left, and release it. */
void staged_file_discard(struct staged_file *s);

/*
 * Write len bytes into the existing file at path, truncating it, so
 * that every hard link to it sees the new content. Unlike
 * write_file_atomic, a failure midway leaves the file cut short.
 * Returns 0, or -1 after reporting to d.
 */
int write_file_in_place(const char *path, const void *data, size_t len,
			struct diag *d);

/*
 * Reject an output path that exists, so that a command which writes a
 * new spec does not replace one by accident. Returns 0 when nothing is
 * at path, or -1 after reporting to d that it exists and that --force
 * overwrites it.
 */
int reject_existing_output(const char *path, struct diag *d);

/*
 * The directories that make_dirs created, oldest first. Until the list
 * is released, a termination signal removes those left empty.
 */
struct created_dirs {
	char **v;
	size_t *slots;		/* their signal_cleanup entries */
	size_t n, cap, slots_cap;
};

#define CREATED_DIRS_INIT { NULL, NULL, 0, 0, 0 }

/*
 * Create dir and its missing parents, and append each directory this
 * call creates to created unless created is NULL. Returns 0, or -1
 * after reporting, with the directories made before the failure listed.
 */
int make_dirs(const char *dir, struct created_dirs *created,
	      struct diag *d);

/*
 * Remove the directories listed in created, newest first, so that a
 * failed write leaves none behind, and free the list. A directory that
 * is not empty stays.
 */
void created_dirs_remove(struct created_dirs *created);

/*
 * Free the list of created. The directories stay, and a termination
 * signal no longer removes them.
 */
void created_dirs_release(struct created_dirs *created);

/*
 * Return whether paths a and b name the same file: the same device and
 * inode when both exist, otherwise the same path once resolved by
 * resolve_path, so that a dangling symbolic link is the file it names.
 * A path whose directory does not exist is compared as spelled.
 */
bool same_file(const char *a, const char *b);

/*
 * Return the absolute path that path names with every symbolic link
 * resolved, as realpath does, but also for a file that does not exist
 * yet. Its directory is resolved, and a dangling link is followed to
 * the path it points to. Returns a string the caller frees, or NULL
 * when the directory does not exist, the links loop, or path ends in a
 * slash.
 */
char *resolve_path(const char *path);

/*
 * Return the file that a write to path replaces, for the caller to
 * free. That is path resolved by realpath, or for a dangling symbolic
 * link the path it points to, resolved as resolve_path does, so that
 * the writer creates that file and keeps the link. Any other path that
 * does not exist is returned as spelled. Returns NULL with errno ELOOP
 * when the links loop.
 */
char *output_target(const char *path);

/*
 * Read the names in dir, except "." and "..", into *names: a NULL-ended
 * array that the caller frees with free_names. They come in the order
 * in which a depth-first walk that does not follow symbolic links
 * visits paths in sorted (strcmp) order, so a subdirectory sorts as its
 * name followed by '/'. Returns 0, or -1 with errno set.
 */
int read_dir_sorted(char ***names, size_t *n, const char *dir);

/* Free a NULL-ended array of names and each name; accepts NULL. */
void free_names(char **names);

/*
 * Append the file at path, at most max bytes, to out. Returns
 * 0, or -1 with errno set: EFBIG when the file is larger than max.
 */
int read_file(const char *path, size_t max, struct buf *out);

#endif
