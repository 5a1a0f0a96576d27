#include "common.h"
#include "gitlib.h"

#include <dlfcn.h>

#include "diag.h"
#include "dynlib.h"

/*
 * The Makefile reads the soname from the libgit2.so that the headers
 * belong to, so the library loaded has the ABI that git2.h describes.
 */
#ifndef LIBGIT2_SONAME
#error "LIBGIT2_SONAME is undefined: scripts/soname.sh found no libgit2.so with a soname; install libgit2's development files (libgit2-dev on Debian)"
#endif

struct gitlib git;

/* Each member of struct gitlib with the name of the symbol it holds. */
static const struct dynlib_symbol symbols[] = {
#define GITLIB_SYMBOL(name) { "git_" #name, offsetof(struct gitlib, name) },
	GITLIB_FUNCTIONS(GITLIB_SYMBOL)
#undef GITLIB_SYMBOL
};

static void note_install(struct diag *d)
{
	diag_plain(d, DIAG_NOTE, "mandate diff reads git repositories with "
		   "libgit2, so install the libgit2 release that provides "
		   LIBGIT2_SONAME ", or build mandate again against the "
		   "installed libgit2");
}

int gitlib_load(struct diag *d)
{
	static void *handle;
	const char *missing, *why;

	if (handle)
		return 0;

	/*
	 * RTLD_NOW makes a missing dependency fail here rather than at the
	 * first call. A library whose functions all resolve stays loaded
	 * until exit, so opening a repository again does not reload it.
	 */
	handle = dynlib_open(LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL, symbols,
			     ARRAY_SIZE(symbols), &git, sizeof(git), &missing,
			     &why);
	if (handle)
		return 0;
	if (missing)
		diag_plain(d, DIAG_ERROR, "cannot find '%s' in "
			   LIBGIT2_SONAME ": %s", missing, why);
	else
		diag_plain(d, DIAG_ERROR, "cannot load " LIBGIT2_SONAME ": %s",
			   why);
	note_install(d);
	return -1;
}
