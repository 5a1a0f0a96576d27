#ifndef MANDATE_COMPILER_PIPELINE_H
#define MANDATE_COMPILER_PIPELINE_H

#include "compile.h"
#include "controls.h"

/*
 * The steps every subcommand that reads specs shares: load the standard
 * library, parse and check the specs as one unit, and compile them
 * through the AWS catalog. Findings of the compilation (unknown names,
 * grants that match nothing) are collected in findings.
 */
struct pipeline {
	struct spec_unit unit;
	struct catalog *cat;
	struct program prog;
	struct findings findings;
	bool compiled;
};

void pipeline_init(struct pipeline *pl);
void pipeline_release(struct pipeline *pl);

/*
 * Run the steps on the specs under paths. Returns 0, or -1 after
 * reporting to the command line's diagnostics why the run cannot go on.
 */
int pipeline_load(struct pipeline *pl, char *const *paths, size_t npaths);

/*
 * Load the rules' compliance controls from the standard library's
 * controls/rules.txt, which must map at least one rule. Returns 0, or
 * -1 after reporting why not.
 */
int pipeline_load_controls(struct controls *out);

/*
 * Run the same steps on specs already in memory, such as those read
 * from a git revision, and refuse names that build could not write, as
 * check does. The unit takes the sources, also on failure.
 */
int pipeline_load_sources(struct pipeline *pl, struct source **srcs,
			  size_t nsrcs);

#endif
