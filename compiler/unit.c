#include "common.h"
#include "ast.h"

#include <ctype.h>
#include <strings.h>
#include <sys/stat.h>

#include "build.h"
#include "fsutil.h"
#include "parser.h"
#include "lexer.h"
#include "ptrmap.h"

void unit_init(struct spec_unit *u)
{
	memset(u, 0, sizeof(*u));
	u->arena = (struct arena)ARENA_INIT;
	strtab_init(&u->strtab, &u->arena);
	u->agents_tail = &u->agents;
	u->classes_tail = &u->classes;
	u->waivers_tail = &u->waivers;
	u->escalations_tail = &u->escalations;
}

void unit_release(struct spec_unit *u)
{
	size_t i;

	for (i = 0; i < u->nsources; i++)
		source_free(u->sources[i]);
	free(u->sources);
	strtab_release(&u->strtab);
	arena_release(&u->arena);
	memset(u, 0, sizeof(*u));
}

static bool trace_enabled(const char *phase)
{
	const char *env = getenv("MANDATE_TRACE");
	size_t n = strlen(phase);

	while (env && *env) {
		const char *comma = strchr(env, ',');
		size_t len = comma ? (size_t)(comma - env) : strlen(env);

		if (len == n && !memcmp(env, phase, n))
			return true;
		env = comma ? comma + 1 : NULL;
	}
	return false;
}

/* The phases MANDATE_TRACE names, read once for all the files parsed. */
static struct {
	bool read;
	bool lexer;
	bool parser;
} traces;

static void read_traces(void)
{
	if (traces.read)
		return;
	traces.lexer = trace_enabled("lexer");
	traces.parser = trace_enabled("parser");
	traces.read = true;
}

/*
 * Report each line of src longer than SPEC_LINE_MAX bytes, at its first
 * byte past the limit. Returns whether there was one.
 */
static bool has_long_lines(struct source *src, struct diag *d)
{
	const char *line = src->text, *end = src->text + src->len;
	bool found = false;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;
		size_t len = (size_t)(eol - line);

		if (len > 0 && eol[-1] == '\r')
			len--;
		if (len > SPEC_LINE_MAX) {
			size_t off = (size_t)(line - src->text) + SPEC_LINE_MAX;
			struct loc at = { src, 0, 1 };

			/* Point at the character holding the first byte over. */
			while (((unsigned char)src->text[off] & 0xc0) == 0x80 &&
			       off > (size_t)(line - src->text))
				off--;
			at.off = (uint32_t)off;
			diag_at(d, DIAG_ERROR, &at, "line is %zu bytes long; "
				"the maximum is %d bytes", len, SPEC_LINE_MAX);
			found = true;
		}
		line = nl ? nl + 1 : end;
	}
	return found;
}

/* Return the number of top-level items parsed into u so far. */
static size_t count_items(const struct spec_unit *u)
{
	return u->nagents + u->nclasses + u->nwaivers + u->nescalations +
	       u->gate.present;
}

/* Return whether src is blank: nothing but a byte order mark and spaces. */
static bool source_is_blank(const struct source *src)
{
	size_t i = source_has_bom(src) ? 3 : 0;

	for (; i < src->len; i++)
		if (!isspace((unsigned char)src->text[i]))
			return false;
	return true;
}

/*
 * Report a spec file that declares nothing. It is most likely a file
 * created but never written, or one whose content was lost, and
 * compiling the unit without it would hide that.
 */
static void report_empty(const struct source *src, struct diag *d)
{
	diag_path(d, DIAG_ERROR, src->path, "%s; write an agent or a gate, "
		  "resource or waive block in it, or remove the file",
		  source_is_blank(src) ? "file is empty"
				       : "file declares nothing, only comments");
}

int unit_parse_source(struct spec_unit *u, struct source *src,
		      struct diag *d)
{
	size_t items = count_items(u);
	struct parser p;
	YY_BUFFER_STATE buffer;
	unsigned before = d->errors;
	const char *previous_input;

	grow_array((void **)&u->sources, &u->sources_cap, u->nsources + 1,
		   sizeof(*u->sources));
	u->sources[u->nsources++] = src;
	/* A file with a long line is not scanned, so no token is longer. */
	if (has_long_lines(src, d))
		return -1;

	previous_input = reading_input(src->path);
	memset(&p, 0, sizeof(p));
	p.u = u;
	p.src = src;
	p.d = d;
	p.blank_before = true;
	read_traces();
	p.trace_lexer = traces.lexer;
	parser_trace(traces.parser);
	if (yylex_init_extra(&p, &p.scanner))
		BUG("cannot create the scanner: %s", strerror(errno));
	buffer = yy_scan_bytes(src->text, (int)src->len, p.scanner);
	yyparse(&p);
	yy_delete_buffer(buffer, p.scanner);
	yylex_destroy(p.scanner);
	buf_release(&p.text);
	arena_release(&p.values);
	reading_input(previous_input);
	if (d->errors > before)
		return -1;
	if (count_items(u) == items) {
		report_empty(src, d);
		return -1;
	}
	return 0;
}

/* A spec file found under the paths given. */
struct spec_file {
	char *path;		/* as found, for messages */
	size_t rel;		/* offset in path of the part below its root */
	dev_t dev;		/* the file's identity, to read it once */
	ino_t ino;
};

struct file_list {
	struct spec_file *v;
	size_t n, cap;
};

struct visited {
	dev_t dev;
	ino_t ino;
};

/* A diagnostic of the walk, held back to be printed in path order. */
struct walk_message {
	char *path;
	enum diag_level level;
	char *text;
	size_t seq;		/* keeps one path's messages in order */
};

struct walk {
	struct file_list files;
	struct walk_message *messages;
	size_t nmessages, messages_cap;
	struct visited *dirs;
	size_t ndirs, dirs_cap;
	char **roots;		/* the directories named, symbolic links resolved */
	size_t nroots, roots_cap;
	struct diag *d;
	int errors;
};

/*
 * Hold a diagnostic about path until the walk ends: directories are
 * read in sorted order, but a link to a directory or a directory's own
 * error would still come out of path order.
 */
static void PRINTF_LIKE(4, 5) walk_report(struct walk *w,
					  enum diag_level level,
					  const char *path,
					  const char *fmt, ...)
{
	struct walk_message *m;
	struct buf text = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&text, fmt, ap);
	va_end(ap);
	grow_array((void **)&w->messages, &w->messages_cap, w->nmessages + 1,
		   sizeof(*w->messages));
	m = &w->messages[w->nmessages];
	m->path = xstrdup(path);
	m->level = level;
	m->text = buf_detach(&text, NULL);
	m->seq = w->nmessages++;
}

static int cmp_messages(const void *a, const void *b)
{
	const struct walk_message *x = a, *y = b;
	int r = strcmp(x->path, y->path);

	if (r)
		return r;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Print the walk's diagnostics in sorted path order, and free them. */
static void flush_messages(struct walk *w)
{
	size_t i;

	sort_array(w->messages, w->nmessages, sizeof(*w->messages),
		   cmp_messages);
	for (i = 0; i < w->nmessages; i++) {
		diag_path(w->d, w->messages[i].level, w->messages[i].path,
			  "%s", w->messages[i].text);
		free(w->messages[i].path);
		free(w->messages[i].text);
	}
	free(w->messages);
	w->messages = NULL;
	w->nmessages = w->messages_cap = 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Return whether s is valid UTF-8 text. */
static bool text_is_utf8(const char *s)
{
	size_t n = strlen(s), len;

	for (; n > 0; s += len, n -= len) {
		if ((unsigned char)*s < 0x80)
			len = 1;	/* ASCII, as most names are */
		else if ((len = utf8_char_len(s, n)) == 0)
			return false;
	}
	return true;
}

/* Return a new string of dir, a '/' unless dir ends in one, and name. */
static char *join_path(const char *dir, size_t dir_len, const char *name)
{
	size_t name_len = strlen(name);
	bool slash = dir[dir_len - 1] != '/';
	char *path = xmalloc(dir_len + slash + name_len + 1);

	memcpy(path, dir, dir_len);
	path[dir_len] = '/';
	memcpy(path + dir_len + slash, name, name_len + 1);
	return path;
}

/*
 * Add a spec file. rel is where, in path, the part below the directory
 * the user named begins; a file named directly keeps its base name.
 */
static void add_file(struct walk *w, const char *path, size_t rel,
		     const struct stat *st)
{
	struct spec_file *f;

	/* Reports name the part below the directory named, as UTF-8. */
	if (!text_is_utf8(path + rel)) {
		walk_report(w, DIAG_ERROR, path, "file name is not valid "
			    "UTF-8; rename the file or its directory");
		w->errors++;
		return;
	}
	if (w->files.n >= UNIT_FILES_MAX) {
		if (w->files.n == UNIT_FILES_MAX)
			walk_report(w, DIAG_ERROR, path,
				    "more than %d spec files; refusing to read "
				    "them all", UNIT_FILES_MAX);
		w->errors++;
		w->files.n++;
		return;
	}
	grow_array((void **)&w->files.v, &w->files.cap, w->files.n + 1,
		   sizeof(*w->files.v));
	f = &w->files.v[w->files.n++];
	f->path = xstrdup(path);
	f->rel = rel;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
}

/* Return whether path is dir or lies below it. */
static bool path_is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		n--;		/* the root directory, "/" */
	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

/*
 * Return whether path, found in a directory walk, is not a symbolic
 * link or leads inside a directory the user named, and report it
 * otherwise. A link out of the tree could pull any file on the machine
 * into the unit and into its diagnostics.
 */
static bool link_stays_inside(struct walk *w, const char *path)
{
	struct stat st;
	char *target;
	size_t i;
	bool inside = false;

	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return true;
	target = realpath(path, NULL);
	if (!target) {
		walk_report(w, DIAG_ERROR, path, "cannot resolve the "
			    "symbolic link: %s", strerror(errno));
		return false;
	}
	for (i = 0; i < w->nroots && !inside; i++)
		inside = path_is_below(target, w->roots[i]);
	if (!inside)
		walk_report(w, DIAG_ERROR, path, "symbolic link leads to "
			    "'%s', outside the directories named; name that "
			    "path too, or remove the link", target);
	free(target);
	return inside;
}

static void walk_dir(struct walk *w, const char *dir, size_t root,
		     const struct stat *st);

/* Add the entry name of dir when it is a spec file, or walk into it. */
static void walk_entry(struct walk *w, const char *dir, const char *name,
		       size_t root)
{
	struct stat sub;
	char *path = join_path(dir, strlen(dir), name);

	if (stat(path, &sub) < 0) {
		walk_report(w, DIAG_ERROR, path, "cannot read: %s",
			    strerror(errno));
		w->errors++;
	} else if (!S_ISDIR(sub.st_mode) && !has_suffix(name, ".mandate")) {
		;	/* not a spec, so never read */
	} else if (!link_stays_inside(w, path)) {
		w->errors++;
	} else if (S_ISDIR(sub.st_mode)) {
		walk_dir(w, path, root, &sub);
	} else if (S_ISREG(sub.st_mode)) {
		add_file(w, path, root + (path[root] == '/'), &sub);
	} else {
		/* Opening a FIFO would wait for a writer. */
		walk_report(w, DIAG_WARNING, path, "skipping: not a regular "
			    "file");
	}
	free(path);
}

/*
 * Add every *.mandate file under dir, skipping hidden entries, in
 * sorted path order. root is the length of the directory the user
 * named, a prefix of dir.
 */
static void walk_dir(struct walk *w, const char *dir, size_t root,
		     const struct stat *st)
{
	char **names;
	size_t i, n;

	for (i = 0; i < w->ndirs; i++) {
		if (w->dirs[i].dev == st->st_dev && w->dirs[i].ino == st->st_ino) {
			walk_report(w, DIAG_ERROR, dir, "symbolic link loop: "
				    "this directory is already being read");
			w->errors++;
			return;
		}
	}
	if (read_dir_sorted(&names, &n, dir) < 0) {
		walk_report(w, DIAG_ERROR, dir, "cannot read directory: %s",
			    strerror(errno));
		w->errors++;
		return;
	}
	grow_array((void **)&w->dirs, &w->dirs_cap, w->ndirs + 1,
		   sizeof(*w->dirs));
	w->dirs[w->ndirs].dev = st->st_dev;
	w->dirs[w->ndirs].ino = st->st_ino;
	w->ndirs++;
	for (i = 0; i < n; i++)
		if (names[i][0] != '.')
			walk_entry(w, dir, names[i], root);
	free_names(names);
	w->ndirs--;
}

static int cmp_paths(const void *a, const void *b)
{
	const struct spec_file *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/* Order by the file named, then by path. */
static int cmp_files(const void *a, const void *b)
{
	const struct spec_file *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return cmp_paths(a, b);
}

/*
 * Keep one path per file, the first in sorted order. A file may be named
 * several times and by several paths, such as "agents/a.mandate",
 * "./agents/a.mandate" or a symbolic link. Then sort by path, so that
 * the order the paths were given in does not matter.
 */
static void unique_files(struct file_list *files)
{
	size_t i, j;

	sort_array(files->v, files->n, sizeof(*files->v), cmp_files);
	for (i = 0, j = 0; i < files->n; i++) {
		if (j && files->v[j - 1].dev == files->v[i].dev &&
		    files->v[j - 1].ino == files->v[i].ino) {
			free(files->v[i].path);
			continue;
		}
		files->v[j++] = files->v[i];
	}
	files->n = j;
	sort_array(files->v, files->n, sizeof(*files->v), cmp_paths);
}

/* Remember a directory the user named, before any walk starts. */
static void add_root(struct walk *w, const char *dir)
{
	char *real = realpath(dir, NULL);

	if (!real) {
		walk_report(w, DIAG_ERROR, dir, "cannot resolve: %s",
			    strerror(errno));
		w->errors++;
		return;
	}
	grow_array((void **)&w->roots, &w->roots_cap, w->nroots + 1,
		   sizeof(*w->roots));
	w->roots[w->nroots++] = real;
}

/* Find the spec files under paths; returns the number of errors. */
static int walk_paths(struct walk *w, char *const *paths, size_t npaths,
		      struct diag *d)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	w->d = d;
	for (i = 0; i < npaths; i++) {
		struct stat st;

		if (stat(paths[i], &st) < 0) {
			walk_report(w, DIAG_ERROR, paths[i], "cannot read: %s",
				    strerror(errno));
			w->errors++;
		} else if (S_ISDIR(st.st_mode)) {
			add_root(w, paths[i]);
		} else {
			add_file(w, paths[i],
				 (size_t)(base_name(paths[i]) - paths[i]), &st);
		}
	}
	/* Every root is known before a walk checks a link against them. */
	for (i = 0; i < npaths; i++) {
		struct stat st;

		if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk_dir(w, paths[i], strlen(paths[i]), &st);
	}
	if (w->files.n <= UNIT_FILES_MAX)
		unique_files(&w->files);
	flush_messages(w);
	return w->errors;
}

static void walk_release(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->files.n && i < UNIT_FILES_MAX; i++)
		free(w->files.v[i].path);
	free(w->files.v);
	free(w->dirs);
	for (i = 0; i < w->nroots; i++)
		free(w->roots[i]);
	free(w->roots);
}

int unit_find_files(char ***out, size_t *n, char *const *paths,
		    size_t npaths, struct diag *d)
{
	struct walk w;
	int ret = walk_paths(&w, paths, npaths, d) ? -1 : 0;
	size_t i;

	*n = w.files.n <= UNIT_FILES_MAX ? w.files.n : 0;
	*out = xcalloc(*n + 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		(*out)[i] = w.files.v[i].path;
		w.files.v[i].path = NULL;
	}
	walk_release(&w);
	return ret;
}

int unit_load_paths(struct spec_unit *u, char *const *paths, size_t npaths,
		    struct diag *d)
{
	struct walk w;
	size_t i;
	int ret = 0;

	if (walk_paths(&w, paths, npaths, d)) {
		ret = -1;
		goto out;
	}
	/*
	 * TODO: the files' total size has no limit of its own, so 100,000
	 * files of up to 8 MiB each are all held in memory at once.
	 */
	for (i = 0; i < w.files.n && !d->stopped; i++) {
		struct source *src;

		if (source_load(&src, w.files.v[i].path, SOURCE_SPEC_MAX,
				d) < 0) {
			ret = -1;
			continue;
		}
		src->unit_path = xstrdup(w.files.v[i].path + w.files.v[i].rel);
		if (unit_parse_source(u, src, d) < 0)
			ret = -1;
	}
	if (unit_check(u, d) < 0)
		ret = -1;
out:
	walk_release(&w);
	return ret;
}

static void first_defined(struct diag *d, const struct loc *loc,
			  const char *what)
{
	diag_at(d, DIAG_NOTE, loc, "%s is first defined here", what);
}

/* Note the declared agent whose name is nearest to a misspelt one. */
static void suggest_agent(const struct spec_unit *u, struct diag *d,
			  const struct sval *name)
{
	const char **names = xcalloc(u->nagents + 1, sizeof(*names));
	const struct agent *a;
	const char *guess;
	size_t n = 0;

	for (a = u->agents; a; a = a->next)
		names[n++] = a->name.s;
	guess = nearest_name(name->s, names, n);
	if (guess)
		diag_at(d, DIAG_NOTE, &name->loc, "did you mean '%s'?", guess);
	free(names);
}

/* Return whether a and b are both NULL or the same string. */
static bool same_name(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

/*
 * Return whether the owner's text names the approver's address. Blanks
 * and control characters around the owner's address do not hide it:
 * "a@b.c\n" is still a@b.c, though not a valid address itself.
 */
static bool same_person(const char *owner, const char *approver)
{
	size_t n;

	while (*owner && (unsigned char)*owner <= ' ')
		owner++;
	n = strlen(owner);
	while (n && ((unsigned char)owner[n - 1] <= ' ' ||
		     owner[n - 1] == 0x7f))
		n--;
	return n == strlen(approver) && !strncasecmp(owner, approver, n);
}

/*
 * Check what one waiver states: a real reason, an approver's address,
 * and an approver other than the technical owner of the agent waived
 * (owner, NULL when no spec claims the waived identity).
 */
static void check_waiver_fields(struct diag *d, const struct waiver *w,
				const struct agent *owner)
{
	const struct sval *tech = owner ? &owner->owner.technical : NULL;

	if (w->reason.s && is_blank(w->reason.s))
		diag_at(d, DIAG_ERROR, &w->reason.loc, "waiver reason is "
			"empty; say why the finding is accepted");
	else if (w->reason.s && text_is_placeholder(w->reason.s))
		diag_at(d, DIAG_ERROR, &w->reason.loc, "waiver reason '%s' is "
			"a placeholder; say why the finding is accepted",
			w->reason.s);
	if (!w->approver.s)
		return;
	if (!text_is_email(w->approver.s)) {
		diag_at(d, DIAG_ERROR, &w->approver.loc, "waiver approver "
			"'%s' is not an email address", w->approver.s);
		return;
	}
	if (tech && tech->s && same_person(tech->s, w->approver.s)) {
		diag_at(d, DIAG_ERROR, &w->approver.loc, "waiver approver "
			"'%s' is the technical owner of agent '%s'; someone "
			"else must approve the waiver", w->approver.s,
			owner->name.s);
		diag_at(d, DIAG_NOTE, &tech->loc, "the technical owner is "
			"named here");
	}
}

/* A waiver and its place in the unit's list. */
struct waiver_ref {
	const struct waiver *w;
	size_t pos;
};

static int cmp_names(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Order waivers by rule, agent and identity, then by place in the list. */
static int cmp_waiver_refs(const void *a, const void *b)
{
	const struct waiver_ref *x = a, *y = b;
	int r = strcmp(x->w->rule.s, y->w->rule.s);

	if (!r)
		r = cmp_names(x->w->agent.s, y->w->agent.s);
	if (!r)
		r = cmp_names(x->w->identity.s, y->w->identity.s);
	if (!r)
		r = (x->pos > y->pos) - (x->pos < y->pos);
	return r;
}

/*
 * Return an array that holds, for the waiver at each place in the
 * unit's list, the first waiver of the same rule for the same target,
 * or NULL when that is the waiver itself. The caller frees the array.
 * Sorting keeps this O(n log n) in units with many waivers.
 */
static const struct waiver **find_repeated_waivers(const struct spec_unit *u)
{
	const struct waiver **first;
	struct waiver_ref *refs;
	const struct waiver *w;
	size_t n = 0, i, group = 0;

	for (w = u->waivers; w; w = w->next)
		n++;
	first = xcalloc(n + 1, sizeof(*first));
	refs = xcalloc(n + 1, sizeof(*refs));
	for (w = u->waivers, i = 0; w; w = w->next, i++) {
		refs[i].w = w;
		refs[i].pos = i;
	}
	sort_array(refs, n, sizeof(*refs), cmp_waiver_refs);
	for (i = 1; i < n; i++) {
		const struct waiver *a = refs[group].w, *b = refs[i].w;

		if (strcmp(a->rule.s, b->rule.s) ||
		    !same_name(a->agent.s, b->agent.s) ||
		    !same_name(a->identity.s, b->identity.s))
			group = i;
		else
			first[refs[i].pos] = a;
	}
	free(refs);
	return first;
}

/* Report a waiver of the same rule for the same target as an earlier one. */
static void report_repeated_waiver(struct diag *d, const struct waiver *w,
				   const struct waiver *first)
{
	diag_at(d, DIAG_ERROR, &w->loc, "duplicate waiver of %s for the same "
		"%s", w->rule.s, w->agent.s ? "agent" : "identity");
	diag_at(d, DIAG_NOTE, &first->loc, "the first waiver is here");
}

/* Count a definition at again that repeats one of another file. */
static void count_clash(struct spec_unit *u, const struct loc *first,
			const struct loc *again)
{
	if (first->src != again->src)
		u->nclashes++;
}

int unit_check(struct spec_unit *u, struct diag *d)
{
	struct ptrmap agents = PTRMAP_INIT, ids = PTRMAP_INIT;
	struct ptrmap classes = PTRMAP_INIT, paths = PTRMAP_INIT;
	const struct agent *a;
	const struct identity *id;
	const struct resource_class *rc;
	const struct escalation *e;
	const struct waiver *w, **repeated = find_repeated_waivers(u);
	unsigned before = d->errors;
	size_t pos = 0;

	for (a = u->agents; a; a = a->next) {
		const struct agent *first = ptrmap_get(&agents, a->name.s);

		if (first) {
			count_clash(u, &first->name.loc, &a->name.loc);
			diag_at(d, DIAG_ERROR, &a->name.loc,
				"duplicate agent name '%s'", a->name.s);
			first_defined(d, &first->name.loc, "the agent");
			continue;
		}
		ptrmap_put(&agents, a->name.s, (void *)a);
		for (id = a->identities; id; id = id->next) {
			const struct identity *other = ptrmap_get(&ids,
								  id->id.s);

			if (other && other->agent == a) {
				diag_at(d, DIAG_ERROR, &id->id.loc,
					"identity '%s' is declared twice",
					id->id.s);
				first_defined(d, &other->id.loc,
					      "the identity");
				continue;
			}
			if (other) {
				count_clash(u, &other->id.loc, &id->id.loc);
				diag_at(d, DIAG_ERROR, &id->id.loc,
					"identity '%s' is already claimed by "
					"agent '%s'", id->id.s,
					other->agent->name.s);
				diag_at(d, DIAG_NOTE, &other->id.loc,
					"agent '%s' claims it here",
					other->agent->name.s);
				continue;
			}
			ptrmap_put(&ids, id->id.s, (void *)id);
		}
	}
	for (rc = u->classes; rc; rc = rc->next) {
		const struct resource_class *first = ptrmap_get(&classes,
								rc->name.s);

		if (first) {
			count_clash(u, &first->name.loc, &rc->name.loc);
			diag_at(d, DIAG_ERROR, &rc->name.loc,
				"duplicate resource class '%s'", rc->name.s);
			first_defined(d, &first->name.loc, "the class");
			continue;
		}
		ptrmap_put(&classes, rc->name.s, (void *)rc);
	}
	for (e = u->escalations; e; e = e->next) {
		const struct escalation *first = ptrmap_get(&paths, e->name.s);

		if (first) {
			count_clash(u, &first->name.loc, &e->name.loc);
			diag_at(d, DIAG_ERROR, &e->name.loc,
				"duplicate escalation path '%s'", e->name.s);
			first_defined(d, &first->name.loc, "the path");
			continue;
		}
		ptrmap_put(&paths, e->name.s, (void *)e);
	}
	for (w = u->waivers; w; w = w->next, pos++) {
		const struct agent *target;
		const struct identity *i;

		if (repeated[pos])
			report_repeated_waiver(d, w, repeated[pos]);
		if (!w->agent.s) {
			/* An identity, perhaps unclaimed. */
			i = ptrmap_get(&ids, w->identity.s);
			check_waiver_fields(d, w, i ? i->agent : NULL);
			continue;
		}
		target = ptrmap_get(&agents, w->agent.s);
		check_waiver_fields(d, w, target);
		if (!target) {
			diag_at(d, DIAG_ERROR, &w->agent.loc,
				"waiver names agent '%s', which no spec "
				"declares", w->agent.s);
			suggest_agent(u, d, &w->agent);
			continue;
		}
		if (!w->identity.s)
			continue;
		for (i = target->identities; i; i = i->next)
			if (i->id.s == w->identity.s)
				break;
		if (!i)
			diag_at(d, DIAG_ERROR, &w->identity.loc,
				"agent '%s' declares no identity '%s'",
				w->agent.s, w->identity.s);
	}
	ptrmap_release(&agents);
	ptrmap_release(&ids);
	ptrmap_release(&classes);
	ptrmap_release(&paths);
	free(repeated);
	return d->errors > before ? -1 : 0;
}

const char *agent_kind_name(enum agent_kind k)
{
	static const char *const names[] = {
		[AGENT_KIND_UNSET] = "unset", [AGENT_AI_AGENT] = "ai_agent",
		[AGENT_SERVICE_ACCOUNT] = "service_account",
		[AGENT_API_KEY] = "api_key", [AGENT_OAUTH_CLIENT] = "oauth_client",
		[AGENT_WORKLOAD] = "workload",
	};

	return names[k];
}

const char *identity_kind_name(enum identity_kind k)
{
	static const char *const names[] = {
		[IDENTITY_AWS_ROLE] = "role", [IDENTITY_AWS_USER] = "user",
		[IDENTITY_GCP_SERVICE_ACCOUNT] = "service_account",
		[IDENTITY_AZURE_SERVICE_PRINCIPAL] = "service_principal",
		[IDENTITY_K8S_SERVICE_ACCOUNT] = "service_account",
	};

	return names[k];
}

const char *provider_name(enum provider p)
{
	static const char *const names[] = {
		[PROVIDER_AWS] = "aws", [PROVIDER_GCP] = "gcp",
		[PROVIDER_AZURE] = "azure", [PROVIDER_K8S] = "k8s",
	};

	return names[p];
}

static const char *const level_names[] = {
	"list", "read", "write", "tagging", "permissions",
};

const char *access_level_name(enum access_level one)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(level_names); i++)
		if ((unsigned)one == 1u << i)
			return level_names[i];
	BUG("access level %u", (unsigned)one);
}

int access_level_parse(const char *name)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(level_names); i++)
		if (!strcmp(name, level_names[i]))
			return (int)(1u << i);
	return -1;
}

const char *access_level_suggest(const char *name)
{
	return nearest_name(name, level_names, ARRAY_SIZE(level_names));
}

const char *cond_op_name(enum cond_op op)
{
	static const char *const names[] = {
		[COND_EQ] = "==", [COND_NE] = "!=", [COND_IN] = "in",
		[COND_NOT_IN] = "not_in", [COND_LIKE] = "like",
		[COND_NOT_LIKE] = "not_like", [COND_LT] = "<",
		[COND_LE] = "<=", [COND_GT] = ">", [COND_GE] = ">=",
		[COND_ANY_IN] = "any_in",
	};

	return names[op];
}

const char *sensitivity_name(enum sensitivity s)
{
	static const char *const names[] = {
		[SENSITIVITY_UNSET] = "unset", [SENSITIVITY_PUBLIC] = "public",
		[SENSITIVITY_INTERNAL] = "internal",
		[SENSITIVITY_CONFIDENTIAL] = "confidential",
		[SENSITIVITY_RESTRICTED] = "restricted",
	};

	return names[s];
}

/*
 * Days from 1970-01-01 to a civil date and back, for the proleptic
 * Gregorian calendar (the algorithm of Howard Hinnant's "chrono-
 * Compatible Low-Level Date Algorithms").
 */
static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
	int era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
	int era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (int)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static const unsigned month_days[] = {
	31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
};

/* Split s into year, month and day. Returns -1 unless it is YYYY-MM-DD. */
static int date_fields(const char *s, size_t n, int *y, unsigned *m,
		       unsigned *d)
{
	unsigned i;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = 0;
	for (i = 0; i < 4; i++)
		*y = *y * 10 + (s[i] - '0');
	*m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
	*d = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
	return 0;
}

static unsigned days_in_month(int y, unsigned m)
{
	return month_days[m - 1] + (m == 2 && leap(y));
}

int date_parse(const char *s, size_t n, int32_t *days)
{
	int y;
	unsigned m, d;

	if (date_fields(s, n, &y, &m, &d) < 0)
		return -1;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

void date_explain(const char *s, size_t n, char *why, size_t size)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November",
		"December",
	};
	int y;
	unsigned m, d;

	if (date_fields(s, n, &y, &m, &d) < 0)
		snprintf(why, size, "expected YYYY-MM-DD");
	else if (m < 1 || m > 12)
		snprintf(why, size, "there is no month %02u", m);
	else if (d < 1 || d > days_in_month(y, m))
		snprintf(why, size, "%s %d has %u days", months[m - 1], y,
			 days_in_month(y, m));
	else if (y < 1970)
		snprintf(why, size, "dates before 1970-01-01 are not "
			 "supported");
	else
		snprintf(why, size, "it is valid");
}

void date_format(int32_t days, char out[11])
{
	int y;
	unsigned m, d;
	char text[32];

	civil_from_days(days, &y, &m, &d);
	snprintf(text, sizeof(text), "%04d-%02u-%02u", y % 10000, m % 100,
		 d % 100);
	memcpy(out, text, 10);
	out[10] = '\0';
}

void duration_format(int64_t seconds, char out[32])
{
	if (seconds % 604800 == 0 && seconds >= 604800 * 52)
		snprintf(out, 32, "%lldw", (long long)(seconds / 604800));
	else if (seconds % 86400 == 0)
		snprintf(out, 32, "%lldd", (long long)(seconds / 86400));
	else if (seconds % 3600 == 0)
		snprintf(out, 32, "%lldh", (long long)(seconds / 3600));
	else if (seconds % 60 == 0)
		snprintf(out, 32, "%lldm", (long long)(seconds / 60));
	else
		snprintf(out, 32, "%llds", (long long)seconds);
}
