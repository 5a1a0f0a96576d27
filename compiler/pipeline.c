#include "common.h"
#include "pipeline.h"

#include "cli.h"

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

int pipeline_load(struct pipeline *pl, char *const *paths, size_t npaths)
{
	char *dir = cli_stdlib_dir();
	char *catalog, *escalations;
	char **all;
	int ret = -1;

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
	if (catalog_load(&pl->cat, catalog, &cli.diag) < 0)
		goto out;
	if (unit_load_paths(&pl->unit, all, npaths + 1, &cli.diag) < 0)
		goto out;
	log_info("compiled %zu agents", pl->unit.nagents);
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
	buf_release(&path);
	free(dir);
	return ret;
}
