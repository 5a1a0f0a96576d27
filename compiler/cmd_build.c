#include "common.h"
#include "cli.h"

#include <cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit_aws.h"
#include "fsutil.h"
#include "pipeline.h"
#include "report.h"
#include "sha256.h"
#include "version.h"

/* An earlier build's manifest larger than this is not read. */
#define MANIFEST_MAX ((size_t)64 << 20)

struct build_options {
	char *const *paths;
	size_t npaths;
	const char *target;
	const char *outdir;
};

static void build_usage(FILE *out)
{
	fputs("usage: mandate build --target aws -o DIR [OPTIONS] [PATH...]\n\n"
	      "Compile the specs under each PATH (default: the current\n"
	      "directory) and write the policies that grant exactly what they\n"
	      "declare, with a manifest of every file and its SHA-256. The\n"
	      "same specs always give the same bytes.\n\n"
	      "options:\n"
	      "  --target TARGET      the provider to emit for: aws\n"
	      "  -o, --output DIR     the directory to write into (required)\n"
	      "  --color WHEN         auto (default), always or never\n"
	      "  -v, --verbose        log progress on stderr; twice for more\n"
	      "  -h, --help           show this help\n\n"
	      "Files of an earlier build that its manifest lists and this\n"
	      "build no longer produces are removed, except a spec the build\n"
	      "read. Nothing is written when a spec has errors, when a file\n"
	      "would replace a spec, or when a policy cannot fit IAM's\n"
	      "limits.\n\n"
	      "Exit status: 0 built; 1 a grant names something the catalog\n"
	      "does not know (MND134, MND136) or a policy does not fit IAM's\n"
	      "limits (MND301), and nothing was written; 2 could not run.\n"
	      "build does not run the gate's rules: run mandate check for\n"
	      "the verdict.\n", out);
}

/* Append manifest.json, listing every other file with its hash. */
static void add_manifest(struct emit_result *r, const char *catalog)
{
	cJSON *doc = cJSON_CreateObject(), *files;
	struct emitted_file *m;
	struct buf text = BUF_INIT;
	char hex[SHA256_HEX_SIZE];
	size_t i;

	cJSON_AddStringToObject(doc, "generator", "mandate " MANDATE_VERSION);
	cJSON_AddStringToObject(doc, "catalog", catalog);
	files = cJSON_AddArrayToObject(doc, "files");
	for (i = 0; i < r->n; i++) {
		cJSON *f = cJSON_CreateObject();

		sha256_hex(hex, r->files[i].data, r->files[i].len);
		cJSON_AddStringToObject(f, "path", r->files[i].path);
		cJSON_AddStringToObject(f, "sha256", hex);
		cJSON_AddNumberToObject(f, "bytes", (double)r->files[i].len);
		cJSON_AddItemToArray(files, f);
	}
	json_pretty(&text, doc, 0);
	buf_addch(&text, '\n');
	cJSON_Delete(doc);
	grow_array((void **)&r->files, &r->cap, r->n + 1, sizeof(*r->files));
	m = &r->files[r->n++];
	m->path = xstrdup("manifest.json");
	m->data = buf_detach(&text, &m->len);
}

static char *out_path(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

/* Return whether a path from an old manifest is safe to remove. */
static bool removable(const char *rel)
{
	const char *p;

	if (strncmp(rel, "aws/", 4) || strstr(rel, "..") || strstr(rel, "//"))
		return false;
	for (p = rel; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("/._-+=,@", *p)))
			return false;
	return true;
}

static int cmp_paths(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Return the paths of r's files, sorted, so that each path of an
 * earlier manifest is looked up with a binary search. The caller frees
 * the array; the paths stay r's.
 */
static const char **sorted_paths(const struct emit_result *r)
{
	const char **paths = xcalloc(r->n + 1, sizeof(*paths));
	size_t i;

	for (i = 0; i < r->n; i++)
		paths[i] = r->files[i].path;
	sort_array(paths, r->n, sizeof(*paths), cmp_paths);
	return paths;
}

static bool produced(const char **paths, size_t n, const char *rel)
{
	return bsearch(&rel, paths, n, sizeof(*paths), cmp_paths) != NULL;
}

/*
 * Remove the directories between dir and the removed file at path that
 * are now empty; rmdir leaves any that still hold something.
 */
static void remove_empty_parents(const char *dir, char *path)
{
	size_t root = strlen(dir);
	char *slash;

	while ((slash = strrchr(path, '/')) && (size_t)(slash - path) > root) {
		*slash = '\0';
		if (rmdir(path) < 0)
			break;
	}
}

/*
 * The files of the specs the build read, by device and inode, sorted,
 * so that each output path is checked against all of them with one
 * stat(2) and a binary search.
 */
struct file_ids {
	struct file_id {
		dev_t dev;
		ino_t ino;
		const char *path;
	} *v;
	size_t n;
};

static int cmp_file_ids(const void *a, const void *b)
{
	const struct file_id *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

static void file_ids_init(struct file_ids *ids, const struct spec_unit *u)
{
	size_t i;
	struct stat st;

	ids->v = xcalloc(u->nsources + 1, sizeof(*ids->v));
	ids->n = 0;
	for (i = 0; i < u->nsources; i++) {
		if (stat(u->sources[i]->path, &st) < 0)
			continue;
		ids->v[ids->n].dev = st.st_dev;
		ids->v[ids->n].ino = st.st_ino;
		ids->v[ids->n].path = u->sources[i]->path;
		ids->n++;
	}
	sort_array(ids->v, ids->n, sizeof(*ids->v), cmp_file_ids);
}

/*
 * Return the spec the build read that path names, or NULL. A path that
 * does not exist names no spec, as every spec read exists.
 */
static const char *input_at(const char *path, const struct file_ids *ids)
{
	struct file_id key;
	const struct file_id *hit;
	struct stat st;

	if (stat(path, &st) < 0)
		return NULL;
	key.dev = st.st_dev;
	key.ino = st.st_ino;
	hit = bsearch(&key, ids->v, ids->n, sizeof(*ids->v), cmp_file_ids);
	return hit ? hit->path : NULL;
}

/*
 * Remove the files an earlier build's manifest lists that this build
 * did not write; nothing else in the directory is touched, and no spec
 * the build read.
 */
static void remove_stale(const char *dir, const struct emit_result *r,
			 const struct file_ids *ids)
{
	char *path = out_path(dir, "manifest.json");
	struct buf b = BUF_INIT;
	struct stat st;
	cJSON *doc, *file;
	const char **paths;

	/* Only a regular file: opening a FIFO would wait for a writer. */
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		free(path);
		return;
	}
	if (read_file(path, MANIFEST_MAX, &b) < 0) {
		if (errno == EFBIG)
			log_warn("kept the files of the earlier build: its "
				 "manifest %s is larger than %zu bytes", path,
				 MANIFEST_MAX);
		free(path);
		buf_release(&b);
		return;
	}
	free(path);
	doc = cJSON_Parse(buf_str(&b));
	buf_release(&b);
	paths = sorted_paths(r);
	cJSON_ArrayForEach(file, cJSON_GetObjectItem(doc, "files")) {
		const char *rel = cJSON_GetStringValue(
			cJSON_GetObjectItem(file, "path"));

		if (!rel || !removable(rel) || produced(paths, r->n, rel))
			continue;
		path = out_path(dir, rel);
		if (input_at(path, ids))
			log_warn("kept %s: an earlier manifest lists it, but "
				 "it is a spec this build read", path);
		else if (unlink(path) == 0) {
			log_info("removed %s", path);
			remove_empty_parents(dir, path);
		}
		free(path);
	}
	free(paths);
	cJSON_Delete(doc);
}

/*
 * Return the length of the name that a temporary file called entry was
 * staged for, as stage_file names them ("NAME.tmp.XXXXXX"), or 0.
 */
static size_t staged_for(const char *entry)
{
	size_t n = strlen(entry), i;

	if (n <= strlen(".tmp.XXXXXX") ||
	    memcmp(entry + n - strlen(".tmp.XXXXXX"), ".tmp.", 5))
		return 0;
	for (i = n - 6; i < n; i++)
		if (!isalnum((unsigned char)entry[i]))
			return 0;
	return n - strlen(".tmp.XXXXXX");
}

/*
 * Remove the temporary files that a build killed before it could clean
 * up (SIGKILL, the OOM killer) left beside files this build writes.
 * Each directory of the build is read once; nothing else is touched.
 */
static void remove_leftovers(const char *dir, const struct emit_result *r,
			     const char **paths)
{
	const char **dirs = xcalloc(r->n + 1, sizeof(*dirs));
	struct buf rel = BUF_INIT;
	size_t ndirs = 0, i;

	for (i = 0; i < r->n; i++) {
		const char *slash = strrchr(paths[i], '/');
		size_t n = slash ? (size_t)(slash - paths[i]) : 0;

		/*
		 * Sorted, a directory's files are mostly side by side. A
		 * directory met again later is only read again.
		 */
		if (ndirs && strlen(dirs[ndirs - 1]) == n &&
		    !strncmp(dirs[ndirs - 1], paths[i], n))
			continue;
		dirs[ndirs++] = xstrndup(paths[i], n);
	}
	for (i = 0; i < ndirs; i++) {
		char *full = dirs[i][0] ? out_path(dir, dirs[i])
					: xstrdup(dir);
		DIR *d = opendir(full);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			size_t n = staged_for(e->d_name);
			char *path;

			buf_reset(&rel);
			if (dirs[i][0])
				buf_addf(&rel, "%s/", dirs[i]);
			buf_add(&rel, e->d_name, n);
			if (!n || !produced(paths, r->n, buf_str(&rel)))
				continue;
			path = out_path(full, e->d_name);
			if (unlink(path) == 0)
				log_info("removed %s, left by a build that was "
					 "killed", path);
			free(path);
		}
		if (d)
			closedir(d);
		free(full);
		free((char *)dirs[i]);
	}
	buf_release(&rel);
	free(dirs);
}

/*
 * Write every file: all to temporary names first, then rename them, so
 * that a failure part way leaves the earlier build as it was. Each
 * directory made on the way is appended to created.
 */
static int write_all(const char *dir, struct emit_result *r,
		     const struct file_ids *ids, struct created_dirs *created)
{
	struct staged_file *staged = xcalloc(r->n + 1, sizeof(*staged));
	const char **paths = sorted_paths(r);
	size_t i;
	int ret = 0;

	remove_leftovers(dir, r, paths);
	free(paths);
	for (i = 0; i < r->n && !ret; i++) {
		char *path = out_path(dir, r->files[i].path);
		char *slash = strrchr(path, '/');

		*slash = '\0';
		if (make_dirs(path, created, &cli.diag) < 0)
			ret = -1;
		*slash = '/';
		if (!ret && stage_file(path, r->files[i].data, r->files[i].len,
				       &staged[i], &cli.diag) < 0)
			ret = -1;
		free(path);
	}
	if (!ret)
		remove_stale(dir, r, ids);
	/*
	 * TODO: a rename that fails after others succeeded leaves those
	 * files of the new build beside the earlier build's other files.
	 */
	for (i = 0; i < r->n; i++) {
		char *path;

		if (!staged[i].tmp)
			continue;
		path = out_path(dir, r->files[i].path);
		if (ret || staged_file_commit(&staged[i], path) < 0) {
			if (!ret)
				diag_path(&cli.diag, DIAG_ERROR, path,
					  "cannot write: %s", strerror(errno));
			ret = -1;
			staged_file_discard(&staged[i]);
		}
		free(path);
	}
	free(staged);
	return ret;
}

/*
 * Reject a build that would overwrite a spec it read, such as one kept
 * in the output directory under the name of a policy. Returns 0, or -1
 * after a usage error.
 */
static int reject_inputs(const char *dir, const struct emit_result *r,
			 const struct file_ids *ids)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < r->n && !ret; i++) {
		char *path = out_path(dir, r->files[i].path);
		const char *input = input_at(path, ids);

		if (input) {
			cli_usage_error("build", "cannot write '%s': it is the "
					"input '%s'; choose another output",
					path, input);
			ret = -1;
		}
		free(path);
	}
	return ret;
}

/*
 * Return the finding that stops the build, or NULL: a name the catalog
 * does not know or an invalid condition changes what a policy grants,
 * and a policy too large for IAM cannot be deployed.
 */
static const struct finding *blocking_finding(const struct findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		const char *id = f->v[i].rule->id;

		if (!strcmp(id, "MND134") || !strcmp(id, "MND136") ||
		    !strcmp(id, "MND301"))
			return &f->v[i];
	}
	return NULL;
}

static int run_build(const struct build_options *opt)
{
	struct pipeline pl;
	struct file_ids ids = { NULL, 0 };
	struct emit_result files = { NULL, 0, 0 };
	struct verdict verdict;
	const struct finding *stop;
	struct buf report = BUF_INIT;
	struct created_dirs created = CREATED_DIRS_INIT;
	int status = EXIT_ERROR;
	size_t i;

	pipeline_init(&pl);
	if (pipeline_load(&pl, opt->paths, opt->npaths) < 0)
		goto out;
	if (emit_aws(&pl.prog, &files, &pl.findings, &cli.diag) < 0)
		goto out;
	findings_sort(&pl.findings);

	/* The compiler's own findings show on stderr, as diagnostics do. */
	verdict_compute(&verdict, &pl.findings, SEV_HIGH);
	report_text_findings(&report, &pl.findings, &verdict, NULL,
			     cli.diag.color);
	fputs(buf_str(&report), stderr);
	stop = blocking_finding(&pl.findings);
	if (stop) {
		diag_plain(&cli.diag, DIAG_ERROR, "nothing written: %s",
			   !strcmp(stop->rule->id, "MND301")
				   ? "a policy does not fit IAM's limits"
				   : "a grant names something the catalog "
				     "does not know");
		status = EXIT_FAIL;
		goto out;
	}
	add_manifest(&files, catalog_source(pl.cat));
	file_ids_init(&ids, &pl.unit);
	if (reject_inputs(opt->outdir, &files, &ids) < 0)
		goto out;
	if (make_dirs(opt->outdir, &created, &cli.diag) < 0 ||
	    write_all(opt->outdir, &files, &ids, &created) < 0) {
		created_dirs_remove(&created);
		goto out;
	}
	for (i = 0; i < files.n; i++)
		printf("%s/%s\n", opt->outdir, files.files[i].path);
	status = EXIT_PASS;
out:
	if (status == EXIT_ERROR)
		diag_summary(&cli.diag);
	buf_release(&report);
	created_dirs_release(&created);
	free(ids.v);
	emit_result_release(&files);
	pipeline_release(&pl);
	return status;
}

int cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "color", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_options opt = { 0 };
	static char dot[] = ".";
	static char *default_path[] = { dot };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			opt.target = optarg;
			break;
		case 'o':
			opt.outdir = optarg;
			break;
		case 'c':
			if (cli_set_color(optarg) < 0)
				return EXIT_ERROR;
			break;
		case 'v':
			cli.verbose++;
			break;
		case 'h':
			build_usage(stdout);
			return EXIT_PASS;
		default:
			return cli_usage_error("build", "invalid option");
		}
	}
	cli_apply_color();
	if (!opt.target)
		return cli_usage_error("build", "missing --target; expected "
				       "aws");
	if (strcmp(opt.target, "aws"))
		return cli_usage_error("build", "target '%s' is not "
				       "supported; expected aws", opt.target);
	if (!opt.outdir)
		return cli_usage_error("build", "missing -o DIR");
	opt.paths = optind < argc ? argv + optind : default_path;
	opt.npaths = optind < argc ? (size_t)(argc - optind) : 1;
	return run_build(&opt);
}
