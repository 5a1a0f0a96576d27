#include "common.h"
#include "unit.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "signal_cleanup.h"

/*
 * The files listed for removal on SIGTERM, SIGINT and SIGHUP
 * (compiler/signal_cleanup.h), and the temporary files that stage_file
 * lists. Each case runs in a child process that raises a real signal.
 * The parent then checks how the child ended and what is left in its
 * directory.
 */

struct scratch {
	char dir[64];
};

static void scratch_init(struct scratch *s)
{
	snprintf(s->dir, sizeof(s->dir), "/tmp/mandate-signal-XXXXXX");
	if (!mkdtemp(s->dir))
		BUG("mkdtemp failed: %s", strerror(errno));
}

/* Return dir/name in a static buffer, one at a time. */
static const char *in_dir(const struct scratch *s, const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", s->dir, name);
	return path;
}

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs("earlier\n", f) < 0 || fclose(f) != 0)
		BUG("cannot create %s", path);
}

/* Return the names left in the directory, joined by spaces. */
static char *left_in(const struct scratch *s)
{
	struct buf b = BUF_INIT;
	char **names;
	size_t n, i;

	if (read_dir_sorted(&names, &n, s->dir) < 0)
		BUG("cannot read %s", s->dir);
	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(&b, ' ');
		buf_adds(&b, names[i]);
	}
	free_names(names);
	return buf_detach(&b, NULL);
}

static void scratch_remove(struct scratch *s)
{
	char **names;
	size_t n, i;

	if (read_dir_sorted(&names, &n, s->dir) == 0) {
		for (i = 0; i < n; i++)
			unlink(in_dir(s, names[i]));
		free_names(names);
	}
	rmdir(s->dir);
}

/* Wait for the child pid and return its wait status. */
static int wait_child(pid_t pid)
{
	int status;

	if (pid < 0)
		BUG("fork failed: %s", strerror(errno));
	if (waitpid(pid, &status, 0) != pid)
		BUG("waitpid failed: %s", strerror(errno));
	return status;
}

/*
 * In a child: stage two files and commit one, stage a third in new
 * directories, list an earlier report, list a file and drop it again,
 * then raise sig.
 */
static void stage_and_raise(const struct scratch *s, int sig)
{
	struct created_dirs created = CREATED_DIRS_INIT;
	struct staged_file staged, committed, nested;
	struct rlimit no_core = { 0, 0 };
	struct diag d;
	char path[128];

	setrlimit(RLIMIT_CORE, &no_core);	/* SIGBUS would dump one */
	diag_init(&d, stderr, false);
	signal_cleanup_install();
	snprintf(path, sizeof(path), "%s", in_dir(s, "policy.json"));
	if (stage_file(path, "{}\n", 3, &staged, &d) < 0)
		_exit(90);
	snprintf(path, sizeof(path), "%s", in_dir(s, "out/aws"));
	if (make_dirs(path, &created, &d) < 0)
		_exit(93);
	snprintf(path, sizeof(path), "%s", in_dir(s, "out/aws/p.json"));
	if (stage_file(path, "{}\n", 3, &nested, &d) < 0)
		_exit(94);
	snprintf(path, sizeof(path), "%s", in_dir(s, "done.json"));
	if (stage_file(path, "{}\n", 3, &committed, &d) < 0 ||
	    staged_file_commit(&committed, path) < 0)
		_exit(91);
	signal_cleanup_add(in_dir(s, "earlier.sarif"), "removed earlier\n");
	signal_cleanup_drop(signal_cleanup_add(in_dir(s, "kept.md"), NULL));
	raise(sig);
	_exit(92);	/* the signal did not end the child */
}

static void check_signal_ends_run(int sig)
{
	struct scratch s;
	char *left;
	int status;
	pid_t pid;

	scratch_init(&s);
	touch(in_dir(&s, "earlier.sarif"));
	touch(in_dir(&s, "kept.md"));
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		stage_and_raise(&s, sig);
	status = wait_child(pid);
	CHECK(WIFSIGNALED(status));
	if (WIFSIGNALED(status))
		CHECK_INT(WTERMSIG(status), sig);
	else
		CHECK_INT(WEXITSTATUS(status), -1);
	left = left_in(&s);
	CHECK_STR(left, "done.json kept.md");
	free(left);
	scratch_remove(&s);
}

static void test_signal_cleanup__sigterm_removes_listed(void)
{
	check_signal_ends_run(SIGTERM);
}

static void test_signal_cleanup__sigint_removes_listed(void)
{
	check_signal_ends_run(SIGINT);
}

static void test_signal_cleanup__sighup_removes_listed(void)
{
	check_signal_ends_run(SIGHUP);
}

/* A SIGBUS outside any mapped input, here from raise(3), is one too. */
static void test_signal_cleanup__sigbus_removes_listed(void)
{
	check_signal_ends_run(SIGBUS);
}

/* A signal ignored at start, as under nohup, neither ends nor cleans. */
static void test_signal_cleanup__ignored_signal_kept(void)
{
	struct scratch s;
	char *left;
	int status;
	pid_t pid;

	scratch_init(&s);
	touch(in_dir(&s, "earlier.sarif"));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		signal(SIGHUP, SIG_IGN);
		signal_cleanup_install();
		signal_cleanup_add(in_dir(&s, "earlier.sarif"), NULL);
		raise(SIGHUP);
		_exit(7);
	}
	status = wait_child(pid);
	CHECK(WIFEXITED(status));
	if (WIFEXITED(status))
		CHECK_INT(WEXITSTATUS(status), 7);
	left = left_in(&s);
	CHECK_STR(left, "earlier.sarif");
	free(left);
	scratch_remove(&s);
}

UNIT_MAIN(UNIT_TEST(test_signal_cleanup__sigterm_removes_listed),
	  UNIT_TEST(test_signal_cleanup__sigint_removes_listed),
	  UNIT_TEST(test_signal_cleanup__sighup_removes_listed),
	  UNIT_TEST(test_signal_cleanup__sigbus_removes_listed),
	  UNIT_TEST(test_signal_cleanup__ignored_signal_kept))
