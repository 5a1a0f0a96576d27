#include "common.h"
#include "pipeline.h"

#include "cli.h"
#include "emit_aws.h"

void pipeline_init(struct pipeline *pl)
{
	memset(pl, 0, sizeof(*pl));
	unit_init(&pl->unit);
	findings_init(&pl->findings);
}

void pipeline_release(struct pipeline *pl)
{
	if (pl->compiled)
		program_release(&pl->prog);
	findings_release(&pl->findings);
	catalog_free(pl->cat);
	unit_release(&pl->unit);
	memset(pl, 0, sizeof(*pl));
}

/* Return the path of rel in the standard library dir, newly allocated. */
static char *stdlib_file(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *path = xmalloc(n);

	snprintf(path, n, "%s/%s", dir, rel);
	return path;
}

/* Load the catalog at path, naming it if memory runs out. */
static int load_catalog(struct pipeline *pl, const char *path)
{
	const char *previous_input = reading_input(path);
	int ret = catalog_load(&pl->cat, path, &catalog_builtin, &cli.diag);

	reading_input(previous_input);
	return ret;
}

static int compile_unit(struct pipeline *pl)
{
	log_info("compiled %zu agent%s", pl->unit.nagents,
		 plural((long long)pl->unit.nagents));
	pl->compiled = true;
	return program_compile(&pl->prog, &pl->unit, pl->cat, &pl->findings,
			       &cli.diag);
}

/*
 * Report a standard library escalation file that declares no path, as
 * an empty or cut file would otherwise turn MND133 off without a word.
 * A file never read, after an earlier error, is not reported again.
 */
static int check_escalations(const struct spec_unit *u, const char *path)
{
	const struct escalation *e;
	size_t i;

	for (i = 0; i < u->nsources; i++)
		if (!strcmp(u->sources[i]->path, path))
			break;
	if (i == u->nsources)
		return 0;
	for (e = u->escalations; e; e = e->next)
		if (e->loc.src && !strcmp(e->loc.src->path, path))
			return 0;
	diag_path(&cli.diag, DIAG_ERROR, path, "declares no escalation "
		  "path; the standard library is damaged, so reinstall it");
	return -1;
}

int pipeline_load_sources(struct pipeline *pl, struct source **srcs,
			  size_t nsrcs)
{
	char *dir = cli_stdlib_dir();
	char *catalog = NULL, *escalations = NULL;
	struct source *src;
	size_t i = 0;
	int ret = -1;

	if (!dir)
		goto out;
	catalog = stdlib_file(dir, "aws/catalog.txt");
	escalations = stdlib_file(dir, "aws/escalation-paths.mandate");
	if (load_catalog(pl, catalog) < 0)
		goto out;
	if (source_load(&src, escalations, SOURCE_SPEC_MAX, &cli.diag) < 0)
		goto out;
	ret = unit_parse_source(&pl->unit, src, &cli.diag);
	for (; i < nsrcs && !cli.diag.stopped; i++)
		if (unit_parse_source(&pl->unit, srcs[i], &cli.diag) < 0)
			ret = -1;
	if (unit_check(&pl->unit, &cli.diag) < 0)
		ret = -1;
	/* An empty file is an error too, but this one needs a reinstall. */
	if (check_escalations(&pl->unit, escalations) < 0)
		ret = -1;
	if (ret == 0)
		ret = compile_unit(pl);
	/*
	 * Names that build cannot use as file names stop check and
	 * build, so they stop a comparison too.
	 */
	if (ret == 0) {
		/* Its warnings are about files that are not written here. */
		cli.diag.hide_warnings = true;
		ret = emit_aws(&pl->prog, NULL, &pl->findings, &cli.diag);
		cli.diag.hide_warnings = false;
		cli.diag.hiding = false;
	}
out:
	for (; i < nsrcs; i++)
		source_free(srcs[i]);
	free(catalog);
	free(escalations);
	free(dir);
	return ret;
}

int pipeline_load(struct pipeline *pl, char *const *paths, size_t npaths)
{
	char *dir = cli_stdlib_dir();
	char *catalog, *escalations;
	char **all;
	int loaded, ret = -1;

	if (!dir)
		return -1;
	catalog = xmalloc(strlen(dir) + 64);
	escalations = xmalloc(strlen(dir) + 64);
	snprintf(catalog, strlen(dir) + 64, "%s/aws/catalog.txt", dir);
	snprintf(escalations, strlen(dir) + 64,
		 "%s/aws/escalation-paths.mandate", dir);
	all = xcalloc(npaths + 1, sizeof(*all));
	all[0] = escalations;
	memcpy(all + 1, paths, npaths * sizeof(*all));

	log_info("loading the AWS catalog from %s", catalog);
	if (load_catalog(pl, catalog) < 0)
		goto out;
	loaded = unit_load_paths(&pl->unit, all, npaths + 1, &cli.diag);
	/* An empty file is an error too, but this one needs a reinstall. */
	if (check_escalations(&pl->unit, escalations) < 0 || loaded < 0)
		goto out;
	log_info("compiled %zu agent%s", pl->unit.nagents,
		 plural((long long)pl->unit.nagents));
	pl->compiled = true;
	if (program_compile(&pl->prog, &pl->unit, pl->cat, &pl->findings,
			    &cli.diag) < 0)
		goto out;
	ret = 0;
out:
	free(all);
	free(catalog);
	free(escalations);
	free(dir);
	return ret;
}

/*
 * Report the first rule that the controls mapping at path has no line
 * for, as a file cut short would drop the controls of the rules it
 * lost without a word. Returns 0, or -1 after reporting.
 */
static int check_every_rule(const struct controls *c, const char *path)
{
	size_t n, i, missing = 0;
	const struct rule *rules = rule_table(&n);
	const char *first = NULL;

	for (i = 0; i < n; i++) {
		if (controls_get(c, rules[i].id))
			continue;
		if (!missing++)
			first = rules[i].id;
	}
	if (!missing)
		return 0;
	if (missing == 1)
		diag_path(&cli.diag, DIAG_ERROR, path, "has no line for rule "
			  "%s; the standard library is damaged, so reinstall "
			  "it", first);
	else
		diag_path(&cli.diag, DIAG_ERROR, path, "has no line for rule "
			  "%s and %zu more; the standard library is damaged, "
			  "so reinstall it", first, missing - 1);
	return -1;
}

int pipeline_load_controls(struct controls *out)
{
	char *dir = cli_stdlib_dir();
	struct buf path = BUF_INIT;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!dir)
		return -1;
	buf_addf(&path, "%s/controls/rules.txt", dir);
	log_info("loading the compliance controls from %s", buf_str(&path));
	ret = controls_load(out, buf_str(&path), &cli.diag);
	/* An empty file would leave every finding without controls. */
	if (ret == 0 && !out->n) {
		diag_path(&cli.diag, DIAG_ERROR, buf_str(&path), "maps no "
			  "rule to its controls; the standard library is "
			  "damaged, so reinstall it");
		ret = -1;
	}
	if (ret == 0 && check_every_rule(out, buf_str(&path)) < 0) {
		/* Callers release only what loaded without an error. */
		controls_release(out);
		ret = -1;
	}
	buf_release(&path);
	free(dir);
	return ret;
}
