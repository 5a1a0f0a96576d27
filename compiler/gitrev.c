#include "common.h"
#include "gitrev.h"

#include <sys/stat.h>

#include "build.h"
#include "buf.h"
#include "diag.h"
#include "gitlib.h"
#include "source.h"

static const char *git_message(void)
{
	const git_error *e = git.error_last();

	return e && e->message ? e->message : "libgit2 gave no reason";
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

/*
 * Return whether dir is already the working tree of repo. Setting it
 * again leaked memory under LeakSanitizer with libgit2 1.5.1.
 */
static bool is_workdir(git_repository *repo, const char *dir)
{
	const char *workdir = git.repository_workdir(repo);
	char *real = realpath(dir, NULL);
	size_t n = real ? strlen(real) : 0;
	bool same = workdir && real && !strncmp(workdir, real, n) &&
		    workdir[n] == '/' && !workdir[n + 1];

	free(real);
	return same;
}

/*
 * Open the repository that git would use from the environment. libgit2
 * 1.5.1 fails on GIT_WORK_TREE under GIT_REPOSITORY_OPEN_FROM_ENV
 * ("GIT_WORK_TREE unimplemented"), so that variable is applied here.
 */
static int open_from_env(git_repository **out, const char *git_dir)
{
	const char *work_tree = getenv("GIT_WORK_TREE");
	int err;

	if (!work_tree || !*work_tree)
		return git.repository_open_ext(out, NULL,
					       GIT_REPOSITORY_OPEN_FROM_ENV,
					       NULL);
	if (git_dir)
		err = git.repository_open_ext(out, git_dir,
					      GIT_REPOSITORY_OPEN_NO_SEARCH,
					      NULL);
	else
		err = git.repository_open_ext(out, ".", 0, NULL);
	if (err == 0 && !is_workdir(*out, work_tree))
		err = git.repository_set_workdir(*out, work_tree, 0);
	return err;
}

int gitrev_open(struct gitrev_repo *r, const char *dir, struct diag *d)
{
	const char *git_dir = getenv("GIT_DIR");
	int err;

	memset(r, 0, sizeof(*r));
	if (gitlib_load(d) < 0)
		return -1;
	git.libgit2_init();
	r->initialized = true;
	if (git_dir && !*git_dir)
		git_dir = NULL;
	if (dir) {
		r->dir = xstrdup(dir);
		err = git.repository_open_ext(&r->repo, dir, 0, NULL);
	} else {
		r->dir = xstrdup(git_dir ? git_dir : ".");
		err = open_from_env(&r->repo, git_dir);
	}
	if (err < 0) {
		diag_plain(d, DIAG_ERROR, "'%s' is not in a git repository: "
			   "%s", r->dir, git_message());
		return -1;
	}
	r->workdir = git.repository_workdir(r->repo);
	return 0;
}

void gitrev_close(struct gitrev_repo *r)
{
	if (r->initialized) {
		git.index_free(r->index);
		git.repository_free(r->repo);
		git.libgit2_shutdown();
	}
	free(r->dir);
	memset(r, 0, sizeof(*r));
}

/* Return whether remote.NAME.url is set, NAME being name's first len bytes. */
static bool has_remote(git_repository *repo, const char *name, size_t len)
{
	struct buf key = BUF_INIT;
	git_config *config;
	const char *url;
	bool found;

	/*
	 * Read the URL from a snapshot of the configuration:
	 * git_remote_lookup and git_remote_list leaked PCRE2 match data
	 * under LeakSanitizer with Debian's libgit2 1.5.1.
	 */
	if (git.repository_config_snapshot(&config, repo) < 0)
		return false;
	buf_addf(&key, "remote.%.*s.url", (int)len, name);
	found = git.config_get_string(&url, config, buf_str(&key)) == 0;
	git.config_free(config);
	buf_release(&key);
	return found;
}

/* Return the remote named by the start of "origin/main", or NULL. */
static char *remote_of(git_repository *repo, const char *rev)
{
	const char *slash = strchr(rev, '/');

	if (!slash || !has_remote(repo, rev, (size_t)(slash - rev)))
		return NULL;
	return xstrndup(rev, (size_t)(slash - rev));
}

/* Names that a misspelt revision may have meant, newly allocated. */
struct name_list {
	const char **v;
	size_t n, cap;
};

static void add_name(struct name_list *l, const char *name)
{
	grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = xstrdup(name);
}

static int add_tag_name(const char *name, UNUSED git_oid *id, void *payload)
{
	if (!strncmp(name, "refs/tags/", 10))
		add_name(payload, name + 10);
	return 0;
}

char *gitrev_suggest(struct gitrev_repo *r, const char *rev, struct diag *d)
{
	struct name_list list = { NULL, 0, 0 };
	git_branch_iterator *it;
	git_reference *ref;
	git_branch_t type;
	const char *name, *guess;
	char *found = NULL;
	size_t i;

	if (gitrev_resolves(r, "HEAD"))
		add_name(&list, "HEAD");
	if (git.branch_iterator_new(&it, r->repo, GIT_BRANCH_ALL) == 0) {
		while (git.branch_next(&ref, &type, it) == 0) {
			/* origin/HEAD only points at another branch */
			if (git.reference_type(ref) != GIT_REFERENCE_SYMBOLIC &&
			    git.branch_name(&name, ref) == 0)
				add_name(&list, name);
			git.reference_free(ref);
		}
		git.branch_iterator_free(it);
	}
	git.tag_foreach(r->repo, add_tag_name, &list);
	guess = nearest_name(rev, list.v, list.n);
	if (guess && strcmp(guess, rev)) {
		diag_plain(d, DIAG_NOTE, "did you mean '%s'?", guess);
		found = xstrdup(guess);
	}
	for (i = 0; i < list.n; i++)
		free((char *)list.v[i]);
	free(list.v);
	return found;
}

/*
 * Return the entry number N of rev when it starts with "HEAD@{N}",
 * storing in *end the length of that start, else -1.
 */
static long head_reflog_index(const char *rev, size_t *end)
{
	const char *p = rev + 6;	/* "HEAD@{" */
	size_t digits;

	if (strncmp(rev, "HEAD@{", 6))
		return -1;
	digits = strspn(p, "0123456789");
	if (!digits || digits > 9 || p[digits] != '}')
		return -1;
	*end = 6 + digits + 1;
	return strtol(p, NULL, 10);
}

/*
 * Store in out the commit that HEAD pointed at n moves ago, from HEAD's
 * own reflog as git reads it, and in count the entries of that reflog.
 * Entry 0 is the newest. For n equal to the count, out is the commit
 * the oldest entry moved from, unless HEAD was born there. Returns 0 or
 * GIT_ENOTFOUND.
 */
static int head_reflog_id(git_oid *out, size_t *count,
			  git_repository *repo, size_t n)
{
	git_reflog *reflog;
	const git_reflog_entry *entry;
	int err = GIT_ENOTFOUND;

	*count = 0;
	if (git.reflog_read(&reflog, repo, "HEAD") < 0)
		return GIT_ENOTFOUND;
	*count = git.reflog_entrycount(reflog);
	if (n < *count) {
		entry = git.reflog_entry_byindex(reflog, n);
		git.oid_cpy(out, git.reflog_entry_id_new(entry));
		err = 0;
	} else if (n == *count && n > 0) {
		entry = git.reflog_entry_byindex(reflog, n - 1);
		git.oid_cpy(out, git.reflog_entry_id_old(entry));
		err = git.oid_is_zero(out) ? GIT_ENOTFOUND : 0;
	}
	git.reflog_free(reflog);
	return err;
}

/*
 * Return whether rev selects a reflog entry by date, as "main@{1 day
 * ago}" does. diff rejects dates because libgit2 1.5.1 and git were
 * seen to pick different commits for "HEAD@{yesterday}". Numbers, "-N",
 * "u", "upstream" and "push" are not dates.
 */
static bool has_reflog_date(const char *rev)
{
	static const char *const named[] = { "u", "upstream", "push" };
	const char *p = rev;

	while ((p = strstr(p, "@{")) != NULL) {
		size_t len, i;
		bool date = true;

		p += 2;
		len = strcspn(p, "}");
		if (*p == '-')
			date = strspn(p + 1, "0123456789") != len - 1 ||
			       len < 2;
		else if (len && strspn(p, "0123456789") == len)
			date = false;
		for (i = 0; date && i < ARRAY_SIZE(named); i++)
			if (strlen(named[i]) == len &&
			    !strncasecmp(p, named[i], len))
				date = false;
		if (date)
			return true;
	}
	return false;
}

int gitrev_revparse(git_object **out, struct gitrev_repo *r, const char *rev)
{
	char id[GITREV_ID_SIZE];
	struct buf resolved = BUF_INIT;
	git_oid oid;
	size_t count, end;
	long n = head_reflog_index(rev, &end);
	int err;

	*out = NULL;
	if (has_reflog_date(rev))
		return GIT_EINVALIDSPEC;	/* report_revision explains */
	if (n < 0)
		return git.revparse_single(out, r->repo, rev);

	/* libgit2 1.5.1 reads HEAD@{N} from the current branch's reflog */
	err = head_reflog_id(&oid, &count, r->repo, (size_t)n);
	if (err < 0)
		return err;
	git.oid_tostr(id, sizeof(id), &oid);
	buf_addf(&resolved, "%s%s", id, rev + end);
	err = git.revparse_single(out, r->repo, buf_str(&resolved));
	buf_release(&resolved);
	return err;
}

bool gitrev_resolves(struct gitrev_repo *r, const char *rev)
{
	git_object *obj;

	if (gitrev_revparse(&obj, r, rev) < 0)
		return false;
	git.object_free(obj);
	return true;
}

static void note_shallow(struct gitrev_repo *r, struct diag *d)
{
	if (git.repository_is_shallow(r->repo) == 1)
		diag_plain(d, DIAG_NOTE, "this is a shallow clone, which "
			   "lacks older commits; fetch the whole history with "
			   "git fetch --unshallow, or in CI check out with a "
			   "fetch depth of 0");
}

/*
 * Store in out the names of the remotes, separated by ", ", and return
 * the name of the one to fetch from, newly allocated: "origin" when it
 * exists, else the first, or NULL when there is none.
 */
static char *list_remotes(struct buf *out, git_repository *repo)
{
	git_config *config;
	git_config_iterator *it;
	git_config_entry *entry;
	char *pick = NULL;

	/*
	 * From a snapshot of the configuration, as in has_remote, and with
	 * no regular expression: git_config_iterator_glob_new leaked PCRE2
	 * match data under LeakSanitizer with libgit2 1.5.1.
	 */
	if (git.repository_config_snapshot(&config, repo) < 0)
		return NULL;
	if (git.config_iterator_new(&it, config) == 0) {
		while (git.config_next(&entry, it) == 0) {
			const char *name = entry->name + 7;	/* "remote." */
			size_t len;

			if (strncmp(entry->name, "remote.", 7) ||
			    !has_suffix(name, ".url"))
				continue;
			len = strlen(name) - 4;		/* ".url" */

			buf_addf(out, "%s%.*s", out->len ? ", " : "",
				 (int)len, name);
			if (!pick || (len == 6 && !strncmp(name, "origin", 6))) {
				free(pick);
				pick = xstrndup(name, len);
			}
		}
		git.config_iterator_free(it);
	}
	git.config_free(config);
	return pick;
}

#define HEX_DIGITS "0123456789abcdefABCDEF"

/* Return whether name is a full SHA-1 or SHA-256 object id. */
static bool is_full_id(const char *name)
{
	size_t n = strspn(name, HEX_DIGITS);

	return !name[n] && (n == 40 || n == 64);
}

/*
 * Return whether a name missing here may exist in the remote: the
 * clone is shallow, or fetches only some branches, as CI clones do.
 */
static bool may_exist_upstream(struct gitrev_repo *r)
{
	struct buf remotes = BUF_INIT, key = BUF_INIT;
	char *remote = list_remotes(&remotes, r->repo);
	git_config *config;
	const char *refspec;
	bool partial = false;

	if (remote && git.repository_is_shallow(r->repo) == 1) {
		partial = true;
	} else if (remote &&
		   git.repository_config_snapshot(&config, r->repo) == 0) {
		buf_addf(&key, "remote.%s.fetch", remote);
		partial = git.config_get_string(&refspec, config,
						buf_str(&key)) < 0 ||
			  !strchr(refspec, '*');
		git.config_free(config);
	}
	free(remote);
	buf_release(&remotes);
	buf_release(&key);
	return partial;
}

/*
 * Note how to fetch name, a branch or tag of no remote named in it,
 * from the remote that a clone has, or that it is there already as a
 * remote-tracking branch.
 */
static void note_fetch_name(struct gitrev_repo *r, const char *name,
			    struct diag *d)
{
	struct buf remotes = BUF_INIT, tracking = BUF_INIT;
	char *remote = list_remotes(&remotes, r->repo);

	if (!remote)
		goto out;
	buf_addf(&tracking, "%s/%s", remote, name);
	if (gitrev_resolves(r, buf_str(&tracking))) {
		diag_plain(d, DIAG_NOTE, "the remote-tracking branch '%s' "
			   "exists; compare with it: mandate diff %s",
			   buf_str(&tracking), buf_str(&tracking));
		goto out;
	}
	if (is_full_id(name)) {
		diag_plain(d, DIAG_NOTE, "to fetch commit '%s' from remote "
			   "'%s': git fetch %s %s, or fetch the whole history: "
			   "git fetch --unshallow", name, remote, remote, name);
		goto out;
	}
	diag_plain(d, DIAG_NOTE, "if '%s' is a branch of remote '%s', fetch "
		   "it into a remote-tracking branch, then compare with that: "
		   "git fetch %s %s:refs/remotes/%s/%s, then mandate diff %s",
		   name, remote, remote, name, remote, name,
		   buf_str(&tracking));
	diag_plain(d, DIAG_NOTE, "if '%s' is a tag, fetch it: git fetch %s "
		   "tag %s", name, remote, name);
	if (strspn(name, HEX_DIGITS) == strlen(name))
		diag_plain(d, DIAG_NOTE, "if '%s' is an abbreviated commit "
			   "id, give the full id, or fetch the whole history: "
			   "git fetch --unshallow", name);
out:
	free(remote);
	buf_release(&remotes);
	buf_release(&tracking);
}

/*
 * Note, for "upstream/main" when no remote is named "upstream", that
 * the remote does not exist, and list those that do.
 */
static void note_no_remote(struct gitrev_repo *r, const char *rev,
			   struct diag *d)
{
	struct buf remotes = BUF_INIT;
	int len = (int)strcspn(rev, "/");

	free(list_remotes(&remotes, r->repo));
	if (remotes.len)
		diag_plain(d, DIAG_NOTE, "there is no remote '%.*s' and no "
			   "branch or tag '%s'; the remotes are: %s", len,
			   rev, rev, buf_str(&remotes));
	else
		diag_plain(d, DIAG_NOTE, "there is no remote '%.*s' and no "
			   "branch or tag '%s'; the repository has no "
			   "remotes", len, rev, rev);
	buf_release(&remotes);
}

/*
 * Note how to fetch a revision that is not in the repository, because
 * CI often clones one branch or only its last commit.
 * A plain "git fetch origin main" only sets FETCH_HEAD in a clone of
 * one branch, so the advice names the remote-tracking branch to fetch
 * into. For "origin/mian", the close name that exists is suggested
 * instead of a fetch.
 */
static void note_missing(struct gitrev_repo *r, const char *rev,
			 struct diag *d)
{
	char *guess = NULL, *remote;
	bool plain = !strpbrk(rev, "~^@:{}");

	remote = plain ? remote_of(r->repo, rev) : NULL;
	/*
	 * A name such as "v1" that the clone did not fetch is not a typo
	 * of "v2", so only a name that cannot be upstream gets a guess.
	 */
	if (plain && (remote || !may_exist_upstream(r)))
		guess = gitrev_suggest(r, rev, d);
	if (guess && remote) {
		/* a remote-tracking branch of that name exists: use it */
	} else if (remote) {
		const char *branch = rev + strlen(remote) + 1;

		diag_plain(d, DIAG_NOTE, "to fetch '%s' from remote '%s': git "
			   "fetch %s %s:refs/remotes/%s/%s", rev, remote,
			   remote, branch, remote, branch);
	} else if (plain && strchr(rev, '/')) {
		note_no_remote(r, rev, d);
	} else if (plain && strcmp(rev, "HEAD")) {
		note_fetch_name(r, rev, d);
	}
	note_shallow(r, d);
	free(remote);
	free(guess);
}

static void report_missing(struct gitrev_repo *r, const char *rev,
			   struct diag *d)
{
	diag_plain(d, DIAG_ERROR, "revision '%s' is not in the repository "
		   "at '%s'", rev, r->dir);
	note_missing(r, rev, d);
}

/*
 * Report "A..B" or "A...B": diff compares two revisions, so a range is
 * given as its two ends.
 */
static void report_range(const char *rev, struct diag *d)
{
	const char *dots = strstr(rev, "..");
	bool merge_base = dots[2] == '.';
	const char *head = dots + (merge_base ? 3 : 2);
	int base_len = (int)(dots - rev);

	diag_plain(d, DIAG_ERROR, "revision '%s' is a range, which diff does "
		   "not accept; give BASE and HEAD as two arguments: mandate "
		   "diff %.*s %s", rev, base_len ? base_len : 4,
		   base_len ? rev : "HEAD", *head ? head : "HEAD");
	if (merge_base)
		diag_plain(d, DIAG_NOTE, "to compare with the point where "
			   "the branches split, as '...' does, give the merge "
			   "base: mandate diff $(git merge-base %.*s %s) %s",
			   base_len ? base_len : 4, base_len ? rev : "HEAD",
			   *head ? head : "HEAD", *head ? head : "HEAD");
}

/*
 * Return the length of the start of rev, such as "main" in "main~5^2",
 * when the rest is a walk of '~' and '^' each followed by an optional
 * number, else 0.
 */
static size_t walk_start(const char *rev)
{
	size_t n = strcspn(rev, "~^:@{");
	const char *p = rev + n;

	if (!*p || (*p != '~' && *p != '^'))
		return 0;
	while (*p == '~' || *p == '^') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p ? 0 : n;
}

/*
 * Return whether rev, such as "main~5", walks back from a start that
 * exists: its history is then shorter than the walk, or not fetched.
 */
static bool walks_past_history(struct gitrev_repo *r, const char *rev)
{
	size_t n = strcspn(rev, "~^");
	char *start;
	bool found;

	if (rev[n] != '~' && rev[n] != '^')
		return false;
	if (n && walk_start(rev) != n)
		return false;
	start = xstrndup(rev, n);
	found = gitrev_resolves(r, n ? start : "HEAD");
	free(start);
	return found;
}

/*
 * Store in out the number of parents of the commit that rev names.
 * Returns 0, or -1 when rev names no commit.
 */
static int count_parents(unsigned *out, struct gitrev_repo *r,
			 const char *rev)
{
	git_object *obj, *commit;
	int err;

	*out = 0;
	if (gitrev_revparse(&obj, r, rev) < 0)
		return -1;
	err = git.object_peel(&commit, obj, GIT_OBJECT_COMMIT);
	if (err == 0) {
		*out = git.commit_parentcount((git_commit *)commit);
		git.object_free(commit);
	}
	git.object_free(obj);
	return err < 0 ? -1 : 0;
}

/*
 * Return -1 after reporting that a step "^N" of rev, a walk such as
 * "main~1^2", names a parent that the commit lacks, else 0. The
 * walk is replayed step by step up to the first step that fails.
 */
static int reject_missing_parent(struct gitrev_repo *r, const char *rev,
				 struct diag *d)
{
	size_t n = strcspn(rev, "~^"), resolved;
	struct buf walk = BUF_INIT;
	const char *p = rev + n, *step;
	git_object *obj;
	unsigned parents;
	long number;
	char *end, *commit;
	int ret = 0;

	if (n)
		buf_add(&walk, rev, n);
	else
		buf_adds(&walk, "HEAD");
	do {
		resolved = walk.len;
		step = p++;
		number = strtol(p, &end, 10);
		if (end == p)
			number = 1;
		p = end;
		buf_add(&walk, step, (size_t)(p - step));
		if (gitrev_revparse(&obj, r, buf_str(&walk)) < 0)
			break;
		git.object_free(obj);
	} while (*p);
	commit = xstrndup(buf_str(&walk), resolved);
	if (*step == '^' && number >= 2 &&
	    count_parents(&parents, r, commit) == 0 && parents >= 1 &&
	    (long)parents < number) {
		if (parents == 1)
			diag_plain(d, DIAG_ERROR, "revision '%s' is not in the "
				   "repository at '%s': commit '%s' has only "
				   "one parent", rev, r->dir, commit);
		else
			diag_plain(d, DIAG_ERROR, "revision '%s' is not in the "
				   "repository at '%s': commit '%s' has only "
				   "%u parents", rev, r->dir, commit, parents);
		ret = -1;
	}
	free(commit);
	buf_release(&walk);
	return ret;
}

static void report_past_history(struct gitrev_repo *r, const char *rev,
				struct diag *d)
{
	size_t n = strcspn(rev, "~^");

	if (reject_missing_parent(r, rev, d) < 0)
		return;
	if (git.repository_is_shallow(r->repo) == 1) {
		diag_plain(d, DIAG_ERROR, "revision '%s' is not in the "
			   "repository at '%s': it is older than the commits "
			   "this shallow clone fetched", rev, r->dir);
		note_shallow(r, d);
	} else {
		diag_plain(d, DIAG_ERROR, "revision '%s' is not in the "
			   "repository at '%s': the history of '%.*s' is "
			   "shorter than that", rev, r->dir, n ? (int)n : 4,
			   n ? rev : "HEAD");
	}
}

/* Return whether rev is 1 to 3 hexadecimal digits. */
static bool is_short_hex(const char *rev)
{
	size_t n = strspn(rev, HEX_DIGITS);

	return n > 0 && n < 4 && !rev[n];
}

/*
 * Report a revision that git's syntax allows but diff does not take,
 * or that is malformed; libgit2 rejects all of them alike. Returns
 * whether rev was one.
 */
static bool report_form(const char *rev, struct diag *d)
{
	size_t len = strlen(rev);

	if (!*rev) {
		diag_plain(d, DIAG_ERROR, "the revision is empty; give a "
			   "branch, tag or commit");
	} else if (rev[0] == ':') {
		diag_plain(d, DIAG_ERROR, "revision '%s' names a file in the "
			   "index, which diff does not compare; without HEAD, "
			   "diff compares BASE with the working tree", rev);
	} else if (rev[0] == '^') {
		diag_plain(d, DIAG_ERROR, "revision '%s' excludes the commits "
			   "of '%s', as in git log, which diff does not accept; "
			   "give BASE and HEAD as two arguments", rev, rev + 1);
	} else if (len > 2 && (!strcmp(rev + len - 2, "^!") ||
			       strstr(rev, "^-"))) {
		size_t n = strcspn(rev, "^");

		diag_plain(d, DIAG_ERROR, "revision '%s' is a range, which "
			   "diff does not accept; give BASE and HEAD as two "
			   "arguments: mandate diff %.*s^ %.*s", rev, (int)n,
			   rev, (int)n, rev);
	} else if (strstr(rev, "^{")) {
		diag_plain(d, DIAG_ERROR, "invalid revision '%s': diff "
			   "compares commits and trees, so '^{...}' may name "
			   "only a commit or a tree, as in HEAD^{tree}", rev);
	} else if (strpbrk(rev, "~^") && !strpbrk(rev, ":@") &&
		   !walk_start(rev)) {
		diag_plain(d, DIAG_ERROR, "invalid revision '%s': '~' and '^' "
			   "take only a number, as in HEAD~2 or HEAD^2", rev);
	} else {
		return false;
	}
	return true;
}

/*
 * Return whether the repository has no commits: HEAD is unborn and no
 * reference exists. git_repository_is_empty of libgit2 1.5.1 returns 1
 * only when the unborn branch is "master", not for "git init -b main".
 */
static bool has_no_commits(struct gitrev_repo *r)
{
	git_reference_iterator *it;
	git_reference *ref;
	bool none;

	if (git.repository_head_unborn(r->repo) != 1)
		return false;
	if (git.reference_iterator_new(&it, r->repo) < 0)
		return false;
	none = git.reference_next(&ref, it) < 0;
	if (!none)
		git.reference_free(ref);
	git.reference_iterator_free(it);
	return none;
}

/*
 * Return -1 after reporting that rev, such as "main@{u}", requests the
 * upstream of a branch that has none, or of a detached HEAD, else 0.
 */
static int reject_no_upstream(struct gitrev_repo *r, const char *rev,
			      struct diag *d)
{
	const char *at = strstr(rev, "@{");
	struct buf key = BUF_INIT;
	git_reference *head = NULL;
	git_config *config;
	const char *branch, *remote;
	bool missing = false;
	size_t len;

	if (!at)
		return 0;
	len = strcspn(at + 2, "}");
	if (!((len == 1 && !strncasecmp(at + 2, "u", 1)) ||
	      (len == 8 && !strncasecmp(at + 2, "upstream", 8))))
		return 0;
	if (at == rev || (at - rev == 4 && !strncmp(rev, "HEAD", 4))) {
		if (git.repository_head(&head, r->repo) < 0 ||
		    !git.reference_is_branch(head)) {
			diag_plain(d, DIAG_ERROR, "revision '%s' names the "
				   "upstream of the current branch, but HEAD "
				   "is not on a branch", rev);
			git.reference_free(head);
			return -1;
		}
		branch = git.reference_shorthand(head);
		len = strlen(branch);
	} else {
		branch = rev;
		len = (size_t)(at - rev);
		buf_addf(&key, "refs/heads/%.*s", (int)len, branch);
		if (git.reference_lookup(&head, r->repo, buf_str(&key)) < 0) {
			buf_release(&key);
			return 0;	/* not a branch: reported as missing */
		}
		buf_reset(&key);
	}
	if (git.repository_config_snapshot(&config, r->repo) == 0) {
		buf_addf(&key, "branch.%.*s.remote", (int)len, branch);
		missing = git.config_get_string(&remote, config,
						buf_str(&key)) < 0;
		git.config_free(config);
	}
	if (missing)
		diag_plain(d, DIAG_ERROR, "revision '%s' names the upstream of "
			   "branch '%.*s', which has no upstream; set one with "
			   "git branch --set-upstream-to=REMOTE/BRANCH %.*s",
			   rev, (int)len, branch, (int)len, branch);
	git.reference_free(head);
	buf_release(&key);
	return missing ? -1 : 0;
}

/* Report why rev, which libgit2 failed to resolve with err, is unusable. */
static void report_revision(struct gitrev_repo *r, const char *rev, int err,
			    struct diag *d)
{
	char *why = xstrdup(git_message());	/* later calls reset it */
	const char *colon = strchr(rev, ':');
	char *tree = colon && colon != rev ?
		     xstrndup(rev, (size_t)(colon - rev)) : NULL;
	size_t count, end;
	git_oid id;

	if (gitrev_is_range(rev)) {
		report_range(rev, d);
	} else if (has_no_commits(r)) {
		diag_plain(d, DIAG_ERROR, "revision '%s' is not in the "
			   "repository at '%s', which has no commits yet; "
			   "commit the specs first", rev, r->dir);
	} else if (err != GIT_ENOTFOUND && err != GIT_EAMBIGUOUS &&
		   report_form(rev, d)) {
		/* reported */
	} else if (err == GIT_EAMBIGUOUS && is_short_hex(rev)) {
		diag_plain(d, DIAG_ERROR, "revision '%s' is not a branch or "
			   "tag in the repository at '%s', and an abbreviated "
			   "commit id needs at least 4 hexadecimal digits", rev,
			   r->dir);
		note_missing(r, rev, d);
	} else if (err == GIT_EAMBIGUOUS) {
		diag_plain(d, DIAG_ERROR, "revision '%s' is ambiguous: more "
			   "than one object id starts with it; give more "
			   "hexadecimal digits", rev);
	} else if (err == GIT_ENOTFOUND && tree && gitrev_resolves(r, tree)) {
		diag_plain(d, DIAG_ERROR, "revision '%s' names no file or "
			   "directory: '%s' is not at '%s'", rev, colon + 1,
			   tree);
	} else if (err == GIT_ENOTFOUND && walks_past_history(r, rev)) {
		report_past_history(r, rev, d);
	} else if (reject_no_upstream(r, rev, d) < 0) {
		/* reported */
	} else if (has_reflog_date(rev)) {
		diag_plain(d, DIAG_ERROR, "revision '%s' selects a reflog "
			   "entry by date, which diff does not resolve; give "
			   "the commit id that git rev-parse '%s' prints", rev,
			   rev);
	} else if (err == GIT_ENOTFOUND && head_reflog_index(rev, &end) >= 0 &&
		   head_reflog_id(&id, &count, r->repo,
				  (size_t)head_reflog_index(rev, &end)) < 0) {
		diag_plain(d, DIAG_ERROR, "revision '%s' is not in the "
			   "repository at '%s': the reflog of HEAD has only %zu "
			   "entries", rev, r->dir, count);
	} else if (err == GIT_ENOTFOUND && strstr(rev, "@{")) {
		diag_plain(d, DIAG_ERROR, "revision '%s' is not in the "
			   "repository at '%s': %s", rev, r->dir, why);
	} else if (err == GIT_ENOTFOUND ||
		   git.repository_is_shallow(r->repo) == 1) {
		report_missing(r, rev, d);
	} else {
		diag_plain(d, DIAG_ERROR, "invalid revision '%s': %s; give a "
			   "branch, tag, commit or a form such as HEAD~2", rev,
			   why);
	}
	free(why);
	free(tree);
}

bool gitrev_is_range(const char *rev)
{
	return strstr(rev, "..") && !strchr(rev, ':');
}

/*
 * Return -1 after reporting that the name at the start of rev, such as
 * "dup" in "dup~1", is both a tag and a branch, or a branch of this
 * repository and of a remote. git would warn and pick one by its own
 * order, so a diff could compare with the revision not meant.
 */
static int reject_ambiguous_ref(struct gitrev_repo *r, const char *rev,
				struct diag *d)
{
	static const char *const spaces[] = {
		"refs/tags/", "refs/heads/", "refs/remotes/",
	};
	const char *found[ARRAY_SIZE(spaces)];
	size_t n = strcspn(rev, "~^:@{"), i, nfound = 0;
	struct buf ref = BUF_INIT;
	git_oid id;

	if (!n || !strncmp(rev, "refs/", 5))
		return 0;
	for (i = 0; i < ARRAY_SIZE(spaces); i++) {
		buf_reset(&ref);
		buf_addf(&ref, "%s%.*s", spaces[i], (int)n, rev);
		if (git.reference_name_to_id(&id, r->repo, buf_str(&ref)) == 0)
			found[nfound++] = spaces[i];
	}
	buf_release(&ref);
	if (nfound < 2)
		return 0;
	diag_plain(d, DIAG_ERROR, "revision '%s' is ambiguous: '%.*s' is both "
		   "'%s%.*s' and '%s%.*s'", rev, (int)n, rev, found[1], (int)n,
		   rev, found[0], (int)n, rev);
	diag_plain(d, DIAG_NOTE, "name the one meant in full, such as "
		   "'%s%s' or '%s%s'", found[1], rev, found[0], rev);
	return -1;
}

/* Report that rev names obj, which is not a commit or a tree. */
static void report_not_tree(const char *rev, git_object *obj, struct diag *d)
{
	const char *type = git.object_type2string(git.object_type(obj));
	const char *colon = strchr(rev, ':');

	if (colon && colon != rev) {
		diag_plain(d, DIAG_ERROR, "revision '%s' names a file, not a "
			   "commit or tree; give the commit, and the file "
			   "after '--': mandate diff %.*s -- %s", rev,
			   (int)(colon - rev), rev, colon + 1);
		return;
	}
	diag_plain(d, DIAG_ERROR, "revision '%s' names a %s, not a commit "
		   "or tree; give a branch, tag or commit", rev, type);
}

/*
 * Return -1 after reporting "REV^@", every parent of REV: a set of
 * commits in git, which libgit2 1.5.1 resolves as REV^ without a word.
 */
static int reject_parent_set(const char *rev, struct diag *d)
{
	const char *at = strstr(rev, "^@");

	if (!at)
		return 0;
	diag_plain(d, DIAG_ERROR, "revision '%s' names every parent of "
		   "'%.*s', which diff does not accept; name one parent, as "
		   "in %.*s^1", rev, (int)(at - rev), rev, (int)(at - rev),
		   rev);
	return -1;
}

/*
 * Return -1 after reporting a revision "REV:PATH" that names a
 * directory below the top of REV: its paths would not be the paths
 * of the other side, so every spec would seem renamed. Else 0.
 * NOTE: a tree named by its id is taken as the top of a commit; telling
 * would need a walk of every commit.
 */
static int reject_subtree(struct gitrev_repo *r, const char *rev,
			  const git_tree *tree, struct diag *d)
{
	const char *colon = strchr(rev, ':');
	char *top_rev;
	git_object *top;
	bool same = true;

	if (!colon || colon == rev)
		return 0;
	top_rev = xstrndup(rev, (size_t)(colon - rev));
	if (gitrev_revparse(&top, r, top_rev) == 0) {
		git_object *top_tree;

		if (git.object_peel(&top_tree, top, GIT_OBJECT_TREE) == 0) {
			same = git.oid_equal(git.object_id(top_tree),
					     git.tree_id(tree));
			git.object_free(top_tree);
		}
		git.object_free(top);
	}
	if (!same)
		diag_plain(d, DIAG_ERROR, "revision '%s' names the directory "
			   "'%s', not the top of a commit, so its paths would "
			   "not match the other side's; give the commit, and "
			   "the directory after '--': mandate diff %s -- %s",
			   rev, colon + 1, top_rev, colon + 1);
	free(top_rev);
	return same ? 0 : -1;
}

int gitrev_tree(git_tree **out, char commit[GITREV_ID_SIZE],
		struct gitrev_repo *r, const char *rev, struct diag *d)
{
	git_object *obj = NULL, *peeled = NULL;
	int err;

	*out = NULL;
	commit[0] = '\0';
	if (reject_ambiguous_ref(r, rev, d) < 0 ||
	    reject_parent_set(rev, d) < 0)
		return -1;
	err = gitrev_revparse(&obj, r, rev);
	if (err < 0) {
		report_revision(r, rev, err, d);
		return -1;
	}
	if (git.object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		git.oid_tostr(commit, GITREV_ID_SIZE, git.object_id(peeled));
		git.object_free(peeled);
	}
	err = git.object_peel((git_object **)out, obj, GIT_OBJECT_TREE);
	if (err < 0)
		report_not_tree(rev, obj, d);
	else if (reject_subtree(r, rev, *out, d) < 0)
		err = -1;
	git.object_free(obj);
	if (err < 0) {
		git.tree_free(*out);
		*out = NULL;
	}
	return err < 0 ? -1 : 0;
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

/*
 * Return whether a hidden entry at path is read: one of paths names it,
 * or lies below it. A walk from a directory named skips the hidden
 * entries it finds, as check does.
 */
static bool names_hidden(const char *path, char *const *paths,
			 size_t npaths)
{
	size_t i, n = strlen(path);

	for (i = 0; i < npaths; i++)
		if (!strncmp(paths[i], path, n) &&
		    (paths[i][n] == '\0' || paths[i][n] == '/'))
			return true;
	return false;
}

struct walk {
	struct gitrev_files *out;
	git_repository *repo;
	const char *rev;	/* "" for the index, named ":FILE" as in git */
	const char *where;	/* "at 'REV'" or "in the index", for messages */
	char *const *paths;
	size_t npaths;
	struct diag *d;
	int ret;
	bool too_many;		/* UNIT_FILES_MAX was reached and reported */
};

static int add_blob(struct walk *w, const char *path, const git_oid *id)
{
	git_odb *odb = NULL;
	git_blob *blob;
	struct source *src;
	struct buf name = BUF_INIT;
	git_object_t type;
	size_t size;

	/* Reports name the files in UTF-8, as for the working tree. */
	if (!utf8_valid(path)) {
		buf_addf(&name, "%s:%s", w->rev, path);
		diag_path(w->d, DIAG_ERROR, buf_str(&name), "file name is not "
			  "valid UTF-8; rename the file or its directory");
		buf_release(&name);
		return -1;
	}
	if (w->out->n >= UNIT_FILES_MAX) {
		if (!w->too_many)
			diag_plain(w->d, DIAG_ERROR, "more than %d spec files "
				   "%s; refusing to read them all",
				   UNIT_FILES_MAX, w->where);
		w->too_many = true;
		return -1;
	}

	/*
	 * Read the size from the object's header first, so a blob over the
	 * limit is rejected without being inflated into memory.
	 */
	if (git.repository_odb(&odb, w->repo) < 0 ||
	    git.odb_read_header(&size, &type, odb, id) < 0) {
		diag_plain(w->d, DIAG_ERROR, "cannot read '%s' %s: %s",
			   path, w->where, git_message());
		git.odb_free(odb);
		return -1;
	}
	git.odb_free(odb);
	if (size > SOURCE_SPEC_MAX) {
		diag_plain(w->d, DIAG_ERROR, "'%s' %s is %zu bytes, "
			   "larger than the limit of %zu bytes for a spec file",
			   path, w->where, size, SOURCE_SPEC_MAX);
		return -1;
	}
	if (git.blob_lookup(&blob, w->repo, id) < 0) {
		diag_plain(w->d, DIAG_ERROR, "cannot read '%s' %s: %s",
			   path, w->where, git_message());
		return -1;
	}
	buf_addf(&name, "%s:%s", w->rev, path);
	src = source_from_memory(buf_str(&name), git.blob_rawcontent(blob),
				 (size_t)git.blob_rawsize(blob));
	src->unit_path = xstrdup(path);
	grow_array((void **)&w->out->v, &w->out->cap, w->out->n + 1,
		   sizeof(*w->out->v));
	w->out->v[w->out->n++] = src;
	buf_release(&name);
	git.blob_free(blob);
	return 0;
}

/*
 * Warn that the symbolic link at path is skipped: its target may lie
 * outside the revision, or outside the repository.
 */
static void warn_link(struct walk *w, const char *path)
{
	diag_plain(w->d, DIAG_WARNING, "skipping symbolic link '%s' %s; diff "
		   "reads only regular files", path, w->where);
}

static int visit_entry(const char *root, const git_tree_entry *entry,
		       void *payload)
{
	struct walk *w = payload;
	const char *name = git.tree_entry_name(entry);
	git_filemode_t mode = git.tree_entry_filemode(entry);
	struct buf path = BUF_INIT;
	int ret = 0;

	buf_addf(&path, "%s%s", root, name);
	if (name[0] == '.' && !names_hidden(buf_str(&path), w->paths,
					    w->npaths)) {
		buf_release(&path);
		return mode == GIT_FILEMODE_TREE ? 1 : 0;
	}
	if (mode == GIT_FILEMODE_TREE) {
		ret = dir_needed(buf_str(&path), w->paths, w->npaths) ? 0 : 1;
	} else if ((mode == GIT_FILEMODE_BLOB ||
		    mode == GIT_FILEMODE_BLOB_EXECUTABLE) &&
		   gitrev_path_selected(buf_str(&path), w->paths, w->npaths) &&
		   has_suffix(name, ".mandate")) {
		if (add_blob(w, buf_str(&path), git.tree_entry_id(entry)) < 0)
			w->ret = -1;
	} else if (mode == GIT_FILEMODE_LINK &&
		   gitrev_path_selected(buf_str(&path), w->paths, w->npaths) &&
		   has_suffix(name, ".mandate")) {
		warn_link(w, buf_str(&path));
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
	struct buf where = BUF_INIT;
	struct walk w = { out, r->repo, rev, NULL, paths, npaths, d, 0,
			  false };

	buf_addf(&where, "at '%s'", rev);
	w.where = buf_str(&where);
	if (git.tree_walk(tree, GIT_TREEWALK_PRE, visit_entry, &w) < 0) {
		diag_plain(d, DIAG_ERROR, "cannot read the tree of '%s': %s",
			   rev, git_message());
		w.ret = -1;
	}
	buf_release(&where);
	sort_array(out->v, out->n, sizeof(*out->v), cmp_sources);
	return w.ret;
}

/* Read the index on first use. Returns 0, or -1 after reporting. */
static int load_index(struct gitrev_repo *r, struct diag *d)
{
	if (!r->index && git.repository_index(&r->index, r->repo) < 0) {
		diag_plain(d, DIAG_ERROR, "cannot read the index of '%s': %s",
			   r->dir, git_message());
		return -1;
	}
	return 0;
}

/*
 * Return whether a hidden component of path, one that starts with '.',
 * is skipped because no path names it or lies below it.
 */
static bool hidden_skipped(const char *path, char *const *paths,
			   size_t npaths)
{
	const char *c = path;
	bool skipped = false;

	while (c && !skipped) {
		if (*c == '.') {
			size_t end = (size_t)(c - path) + strcspn(c, "/");
			char *prefix = xstrndup(path, end);

			skipped = !names_hidden(prefix, paths, npaths);
			free(prefix);
		}
		c = strchr(c, '/');
		if (c)
			c++;
	}
	return skipped;
}

int gitrev_skips_worktree(bool *out, struct gitrev_repo *r, const char *path,
			  struct diag *d)
{
	const git_index_entry *e;

	*out = false;
	if (load_index(r, d) < 0)
		return -1;
	e = git.index_get_bypath(r->index, path, 0);
	*out = e && (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE);
	return 0;
}

int gitrev_read_skipped(struct gitrev_files *out, struct gitrev_repo *r,
			char *const *paths, size_t npaths, struct diag *d)
{
	struct walk w = { out, r->repo, "", "in the index", paths, npaths, d,
			  0, false };
	size_t i, n;

	if (load_index(r, d) < 0)
		return -1;
	n = git.index_entrycount(r->index);
	for (i = 0; i < n; i++) {
		const git_index_entry *e = git.index_get_byindex(r->index, i);

		if (!(e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) ||
		    git.index_entry_stage(e) != 0 ||
		    !has_suffix(e->path, ".mandate") ||
		    !gitrev_path_selected(e->path, paths, npaths) ||
		    hidden_skipped(e->path, paths, npaths))
			continue;
		if (e->mode == GIT_FILEMODE_LINK)
			warn_link(&w, e->path);
		else if ((e->mode == GIT_FILEMODE_BLOB ||
			  e->mode == GIT_FILEMODE_BLOB_EXECUTABLE) &&
			 add_blob(&w, e->path, &e->id) < 0)
			w.ret = -1;
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

	git.diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git.diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	*from = *to = NULL;
	*n = 0;
	opts.pathspec.strings = (char **)paths;
	opts.pathspec.count = npaths;
	opts.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	/*
	 * A submodule contains no spec that diff reads. Looking one up also
	 * leaked PCRE2 match data under LeakSanitizer with libgit2 1.5.1.
	 */
	opts.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (head_tree) {
		err = git.diff_tree_to_tree(&diff, r->repo, tree, head_tree,
					    &opts);
	} else {
		opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED |
			      GIT_DIFF_RECURSE_UNTRACKED_DIRS;
		find.flags |= GIT_DIFF_FIND_FOR_UNTRACKED;
		err = git.diff_tree_to_workdir(&diff, r->repo, tree, &opts);
	}
	/*
	 * libgit2 stops pairing renamed files past rename_limit sources, 1000
	 * or diff.renameLimit by default, and would leave the rest as added
	 * and removed: allow as many as the diff has files.
	 */
	if (err == 0) {
		find.rename_limit = git.diff_num_deltas(diff) + 1;
		err = git.diff_find_similar(diff, &find);
	}
	if (err < 0) {
		diag_plain(d, DIAG_ERROR, "cannot compare the trees for "
			   "renamed files: %s", git_message());
		git.diff_free(diff);
		return -1;
	}
	for (i = 0; i < git.diff_num_deltas(diff); i++) {
		const git_diff_delta *delta = git.diff_get_delta(diff, i);

		if (delta->status != GIT_DELTA_RENAMED)
			continue;
		grow_array((void **)from, &cap, *n + 1, sizeof(**from));
		*to = xrealloc(*to, cap * sizeof(**to));
		(*from)[*n] = xstrdup(delta->old_file.path);
		(*to)[*n] = xstrdup(delta->new_file.path);
		(*n)++;
	}
	git.diff_free(diff);
	return 0;
}

/* Return whether path exists, not following a final symbolic link. */
static bool path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int gitrev_worktree_entry(enum gitrev_entry *out, struct gitrev_repo *r,
			  const char *path, const char *abs, bool dir,
			  struct diag *d)
{
	struct buf name = BUF_INIT;
	size_t pos;
	bool tracked;
	int ignored = 0;

	*out = GITREV_ENTRY_SEEN;
	if (load_index(r, d) < 0)
		return -1;
	if (dir) {
		buf_addf(&name, "%s/.git", abs);
		if (path_exists(buf_str(&name))) {
			*out = GITREV_ENTRY_NESTED;
			buf_release(&name);
			return 0;
		}
		buf_reset(&name);
		buf_addf(&name, "%s/", path);
		tracked = git.index_find_prefix(&pos, r->index,
						buf_str(&name)) == 0;
	} else {
		buf_adds(&name, path);
		tracked = git.index_find(&pos, r->index, path) == 0;
	}
	if (!tracked && git.ignore_path_is_ignored(&ignored, r->repo,
						   buf_str(&name)) < 0) {
		diag_plain(d, DIAG_ERROR, "cannot match '%s' against the "
			   "ignore rules: %s", path, git_message());
		buf_release(&name);
		return -1;
	}
	if (ignored)
		*out = GITREV_ENTRY_IGNORED;
	buf_release(&name);
	return 0;
}

bool gitrev_tree_has(git_tree *tree, const char *path)
{
	git_tree_entry *entry;

	if (!*path)
		return true;
	if (git.tree_entry_bypath(&entry, tree, path) < 0)
		return false;
	git.tree_entry_free(entry);
	return true;
}

void gitrev_files_release(struct gitrev_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		source_free(f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/*
 * Resolve rev to the id of the commit it names into out. Returns 0, or
 * -1 after reporting a revision that is missing or names no commit.
 */
static int resolve_commit(git_oid *out, struct gitrev_repo *r,
			  const char *rev, struct diag *d)
{
	char commit[GITREV_ID_SIZE];
	git_tree *tree;

	if (gitrev_tree(&tree, commit, r, rev, d) < 0)
		return -1;
	git.tree_free(tree);
	if (!commit[0]) {
		diag_plain(d, DIAG_ERROR, "--merge-base needs commits, but "
			   "'%s' names a tree", rev);
		return -1;
	}
	if (git.oid_fromstr(out, commit) < 0) {
		diag_plain(d, DIAG_ERROR, "cannot read the commit id of '%s': "
			   "%s", rev, git_message());
		return -1;
	}
	return 0;
}

static int cmp_oids(const void *a, const void *b)
{
	return git.oid_cmp(a, b);
}

/*
 * Store in out, sorted, the ids of start and of every ancestor of it
 * that the repository has, and in *complete whether no parent was
 * missing. Returns 0, or -1 when libgit2 cannot start the walk.
 */
static int list_ancestors(git_oid **out, size_t *n, bool *complete,
			  git_repository *repo, const git_oid *start)
{
	git_revwalk *walk;
	git_oid id;
	size_t cap = 0;
	int err;

	*out = NULL;
	*n = 0;
	*complete = false;
	if (git.revwalk_new(&walk, repo) < 0)
		return -1;
	err = git.revwalk_push(walk, start);
	while (err == 0 && (err = git.revwalk_next(&id, walk)) == 0) {
		grow_array((void **)out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = id;
	}
	*complete = err == GIT_ITEROVER;
	git.revwalk_free(walk);
	sort_array(*out, *n, sizeof(**out), cmp_oids);
	return 0;
}

/*
 * Return whether the merge base of one and two lies beyond the commits
 * a shallow clone fetched: they share no commit that is here, and the
 * history of one of them is cut off. git_merge_base of libgit2 1.5.1
 * fails there with "object not found", and leaks memory doing so.
 */
static bool merge_base_cut_off(struct gitrev_repo *r, const git_oid *one,
			       const git_oid *two)
{
	git_oid *ones = NULL, *twos = NULL;
	size_t n_ones, n_twos, i;
	bool complete_one, complete_two, shared = false;

	if (git.repository_is_shallow(r->repo) != 1)
		return false;
	if (list_ancestors(&ones, &n_ones, &complete_one, r->repo, one) < 0 ||
	    list_ancestors(&twos, &n_twos, &complete_two, r->repo, two) < 0) {
		free(ones);
		return false;
	}
	for (i = 0; i < n_twos && !shared; i++)
		shared = bsearch(&twos[i], ones, n_ones, sizeof(*ones),
				 cmp_oids) != NULL;
	free(ones);
	free(twos);
	return !shared && !(complete_one && complete_two);
}

int gitrev_merge_base(char out[GITREV_ID_SIZE], struct gitrev_repo *r,
		      const char *base, const char *head, struct diag *d)
{
	git_oid one, two, merge_base;
	int err;

	out[0] = '\0';
	if (resolve_commit(&one, r, base, d) < 0 ||
	    resolve_commit(&two, r, head, d) < 0)
		return -1;
	if (merge_base_cut_off(r, &one, &two)) {
		diag_plain(d, DIAG_ERROR, "cannot find the merge base of '%s' "
			   "and '%s': it is not in this shallow clone, whose "
			   "history stops before the two meet", base, head);
		note_shallow(r, d);
		return -1;
	}
	err = git.merge_base(&merge_base, r->repo, &one, &two);
	if (err == GIT_ENOTFOUND) {
		diag_plain(d, DIAG_ERROR, "'%s' and '%s' have no merge base: "
			   "no commit is an ancestor of both", base, head);
		note_shallow(r, d);
		return -1;
	}
	/*
	 * A walk that reaches a parent the clone did not fetch fails with
	 * "object not found", which libgit2 1.5.1 does not tell from other
	 * failures by its code.
	 */
	if (err < 0 && git.repository_is_shallow(r->repo) == 1) {
		diag_plain(d, DIAG_ERROR, "cannot find the merge base of '%s' "
			   "and '%s': it is not in this shallow clone, whose "
			   "history stops before the two meet", base, head);
		note_shallow(r, d);
		return -1;
	}
	if (err < 0) {
		diag_plain(d, DIAG_ERROR, "cannot find the merge base of '%s' "
			   "and '%s': %s", base, head, git_message());
		return -1;
	}
	git.oid_tostr(out, GITREV_ID_SIZE, &merge_base);
	return 0;
}
