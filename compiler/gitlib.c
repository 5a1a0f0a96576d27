#include "common.h"
#include "gitlib.h"

#include <dlfcn.h>

#include "diag.h"

/*
 * The Makefile reads the soname from the libgit2.so that the headers
 * belong to, so the library loaded has the ABI that git2.h describes.
 */
#ifndef LIBGIT2_SONAME
#error "LIBGIT2_SONAME is undefined: scripts/soname.sh found no libgit2.so with a soname; install libgit2's development files (libgit2-dev on Debian)"
#endif

struct gitlib git;

/* Each member of struct gitlib with the name of the symbol it holds. */
static const struct {
	const char *name;
	size_t offset;
} symbols[] = {
#define GITLIB_SYMBOL(name) { "git_" #name, offsetof(struct gitlib, name) },
	GITLIB_FUNCTIONS(GITLIB_SYMBOL)
#undef GITLIB_SYMBOL
};

/* dlsym returns a function as a void *, which must fit in the table. */
_Static_assert(sizeof(void *) == sizeof(git.libgit2_init),
	       "function pointers differ in size from void *");

static void note_install(struct diag *d)
{
	diag_plain(d, DIAG_NOTE, "mandate diff reads git repositories with "
		   "libgit2, so install the libgit2 release that provides "
		   LIBGIT2_SONAME ", or build mandate again against the "
		   "installed libgit2");
}

static const char *dl_message(void)
{
	const char *msg = dlerror();

	return msg ? msg : "the dynamic loader gave no reason";
}

int gitlib_load(struct diag *d)
{
	static void *handle;
	struct gitlib table;
	size_t i;

	if (handle)
		return 0;

	/*
	 * RTLD_NOW makes a missing dependency fail here rather than at the
	 * first call. A library whose functions all resolve stays loaded
	 * until exit, so opening a repository again does not reload it.
	 */
	dlerror();
	handle = dlopen(LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		diag_plain(d, DIAG_ERROR, "cannot load " LIBGIT2_SONAME ": %s",
			   dl_message());
		note_install(d);
		return -1;
	}

	for (i = 0; i < ARRAY_SIZE(symbols); i++) {
		void *fn;

		dlerror();
		fn = dlsym(handle, symbols[i].name);
		if (!fn) {
			diag_plain(d, DIAG_ERROR, "cannot find '%s' in "
				   LIBGIT2_SONAME ": %s", symbols[i].name,
				   dl_message());
			note_install(d);
			dlclose(handle);
			handle = NULL;
			return -1;
		}
		memcpy((char *)&table + symbols[i].offset, &fn, sizeof(fn));
	}
	git = table;
	return 0;
}
