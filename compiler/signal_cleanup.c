#include "common.h"
#include "signal_cleanup.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

/* The signals that end a run from outside: CI timeouts, cancels, ^C. */
static const int handled[] = { SIGTERM, SIGINT, SIGHUP };

struct cleanup_entry {
	char *path;		/* NULL for a dropped slot */
	char *note;
	size_t note_len;
	bool dir;		/* removed by rmdir, after the files */
};

static struct cleanup_entry *entries;
static size_t nentries, cap;

/* An input file mapped into memory, watched for SIGBUS. */
struct mapped_input {
	const char *base;	/* NULL for a dropped slot */
	size_t len;
	char *note;
	size_t note_len;
};

static struct mapped_input *mapped;
static size_t nmapped, mapped_cap;

static void handled_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < ARRAY_SIZE(handled); i++)
		sigaddset(set, handled[i]);
}

static void block(sigset_t *old)
{
	sigset_t set;

	handled_set(&set);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/*
 * Remove the listed files, then the listed directories newest first.
 * Only async-signal-safe calls: unlink, rmdir and write.
 */
static void remove_listed(void)
{
	size_t i;

	for (i = 0; i < nentries; i++) {
		const struct cleanup_entry *e = &entries[i];

		if (e->path && !e->dir && unlink(e->path) == 0 && e->note &&
		    write(STDERR_FILENO, e->note, e->note_len) < 0)
			break;
	}
	for (i = nentries; i > 0; i--)
		if (entries[i - 1].path && entries[i - 1].dir)
			rmdir(entries[i - 1].path);
}

/*
 * Remove the listed files and directories, then die of sig with its
 * default action, calling only async-signal-safe functions.
 */
static void on_signal(int sig)
{
	sigset_t set;

	remove_listed();
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);	/* only if the default action did not end us */
}

/*
 * Handle a SIGBUS. One the kernel raised for an access inside a mapped
 * input means that its file shrank under the mapping: write the input's
 * note, remove the listed files and exit with EXIT_ERROR. Any other is
 * a bug or came from kill(2): remove the listed files and end the
 * process by the signal's default action once the handler returns.
 */
static void on_bus_error(int sig, siginfo_t *info, void *context)
{
	const char *addr = info->si_addr;
	ssize_t UNUSED written;
	size_t i = nmapped;

	(void)context;
	if (info->si_code > 0)	/* from the kernel, so si_addr is set */
		for (i = 0; i < nmapped; i++)
			if (mapped[i].base && addr >= mapped[i].base &&
			    addr < mapped[i].base + mapped[i].len)
				break;
	if (i == nmapped) {
		remove_listed();
		signal(sig, SIG_DFL);
		raise(sig);	/* pending until the handler returns */
		return;
	}
	written = write(STDERR_FILENO, mapped[i].note, mapped[i].note_len);
	remove_listed();
	_exit(EXIT_ERROR);
}

void signal_cleanup_install(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus_error;
	sa.sa_flags = SA_SIGINFO;
	handled_set(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	handled_set(&sa.sa_mask);	/* a second signal waits its turn */
	for (i = 0; i < ARRAY_SIZE(handled); i++) {
		if (sigaction(handled[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(handled[i], &sa, NULL);
	}
}

/* Append an entry; the caller has blocked the signals. */
static size_t add_blocked(char *path, char *note, bool dir)
{
	struct cleanup_entry *e;

	grow_array((void **)&entries, &cap, nentries + 1, sizeof(*entries));
	e = &entries[nentries++];
	e->path = path;
	e->note = note;
	e->note_len = note ? strlen(note) : 0;
	e->dir = dir;
	return nentries;
}

size_t signal_cleanup_add(const char *path, const char *note)
{
	char *p = xstrdup(path);
	char *n = note ? xstrdup(note) : NULL;
	sigset_t old;
	size_t slot;

	block(&old);
	slot = add_blocked(p, n, false);
	unblock(&old);
	return slot;
}

void signal_cleanup_drop(size_t slot)
{
	struct cleanup_entry e;
	sigset_t old;

	if (!slot)
		return;
	if (slot > nentries || !entries[slot - 1].path)
		BUG("signal cleanup slot %zu is not listed", slot);
	block(&old);
	e = entries[slot - 1];
	entries[slot - 1].path = NULL;
	entries[slot - 1].note = NULL;
	while (nentries && !entries[nentries - 1].path)
		nentries--;
	unblock(&old);
	free(e.path);
	free(e.note);
}

int signal_cleanup_mkstemp(char *template, size_t *slot)
{
	char *path = xstrdup(template);	/* same length, filled below */
	sigset_t old;
	int fd, err;

	block(&old);
	fd = mkstemp(template);
	err = errno;
	if (fd >= 0) {
		memcpy(path, template, strlen(template) + 1);
		*slot = add_blocked(path, NULL, false);
	}
	unblock(&old);
	if (fd < 0) {
		free(path);
		errno = err;
	}
	return fd;
}

int signal_cleanup_mkdir(const char *path, size_t *slot)
{
	char *copy = xstrdup(path);
	sigset_t old;
	int ret, err;

	block(&old);
	ret = mkdir(path, 0755);
	err = errno;
	if (ret == 0)
		*slot = add_blocked(copy, NULL, true);
	unblock(&old);
	if (ret < 0) {
		free(copy);
		errno = err;
	}
	return ret;
}

size_t signal_cleanup_watch(const void *base, size_t len, const char *note)
{
	char *n = xstrdup(note);
	struct mapped_input *m;
	sigset_t old;

	block(&old);
	grow_array((void **)&mapped, &mapped_cap, nmapped + 1,
		   sizeof(*mapped));
	m = &mapped[nmapped++];
	m->base = base;
	m->len = len;
	m->note = n;
	m->note_len = strlen(n);
	unblock(&old);
	return nmapped;
}

void signal_cleanup_unwatch(size_t slot)
{
	char *note;
	sigset_t old;

	if (!slot)
		return;
	if (slot > nmapped || !mapped[slot - 1].base)
		BUG("watched mapping slot %zu is not listed", slot);
	block(&old);
	note = mapped[slot - 1].note;
	mapped[slot - 1].base = NULL;
	mapped[slot - 1].note = NULL;
	while (nmapped && !mapped[nmapped - 1].base)
		nmapped--;
	unblock(&old);
	free(note);
}
