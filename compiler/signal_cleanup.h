#ifndef MANDATE_COMPILER_SIGNAL_CLEANUP_H
#define MANDATE_COMPILER_SIGNAL_CLEANUP_H

/*
 * Files to remove when SIGTERM, SIGINT or SIGHUP ends a run: the
 * temporary files being staged, and the earlier reports that the run
 * was to replace, so that CI does not take them for this run's. The
 * handler unlinks every listed file, then removes the listed
 * directories newest first, each only if empty. It then ends the
 * process by the same signal, so that its exit status is 128 plus the
 * signal's number.
 *
 * The list changes only while those signals are blocked, so the handler
 * never reads it half changed. The handler makes only async-signal-safe
 * calls and never allocates.
 *
 * The module also watches input files mapped into memory. Reading a
 * page of a mapping whose file was truncated meanwhile raises SIGBUS;
 * the SIGBUS handler then writes the input's note, removes the listed
 * files and directories the same way, and exits with EXIT_ERROR.
 */

/*
 * Install the handler for SIGTERM, SIGINT and SIGHUP, except for a
 * signal ignored when the process started (nohup, or SIGINT in a
 * background job), which stays ignored. Also install the SIGBUS
 * handler. A SIGBUS outside every watched mapping, or sent by kill(2),
 * removes the listed files and ends the process by SIGBUS.
 */
void signal_cleanup_install(void);

/*
 * List path for removal. After removing it the handler writes note to
 * stderr, a whole line; NULL writes nothing. Both are copied. Returns
 * the entry's slot for signal_cleanup_drop, never 0.
 */
size_t signal_cleanup_add(const char *path, const char *note);

/* Take the entry at slot off the list. Slot 0 names no entry. */
void signal_cleanup_drop(size_t slot);

/*
 * Create a file by mkstemp(template) and list it for removal, with the
 * signals blocked in between so that no signal finds the file
 * unlisted. *slot receives the entry's slot. Returns the descriptor,
 * or -1 with errno set and nothing listed.
 */
int signal_cleanup_mkstemp(char *template, size_t *slot);

/*
 * Create the directory path by mkdir and list it for removal, with the
 * signals blocked in between, as signal_cleanup_mkstemp does. Returns
 * 0, or -1 with errno set and nothing listed.
 */
int signal_cleanup_mkdir(const char *path, size_t *slot);

/*
 * Watch the len bytes mapped at base, the text of an input file. A
 * SIGBUS inside them writes note to stderr, a whole line, and exits
 * with EXIT_ERROR after the cleanup. The note is copied. Returns the
 * watch's slot for signal_cleanup_unwatch, never 0.
 */
size_t signal_cleanup_watch(const void *base, size_t len, const char *note);

/* Stop the watch at slot, before the mapping goes. Slot 0 names none. */
void signal_cleanup_unwatch(size_t slot);

#endif
