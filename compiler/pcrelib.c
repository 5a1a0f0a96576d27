#include "common.h"
#include "pcrelib.h"

#include <dlfcn.h>

#include "diag.h"
#include "dynlib.h"

/*
 * The Makefile reads the soname from the libpcre2-8.so that the headers
 * belong to, so the library loaded has the ABI that pcre2.h describes.
 */
#ifndef PCRE2_SONAME
#error "PCRE2_SONAME is undefined: scripts/soname.sh found no libpcre2-8.so with a soname; install PCRE2's development files (libpcre2-dev on Debian)"
#endif

struct pcrelib pcre2;

/* Expand the argument, then quote it: pcre2_match becomes "pcre2_match_8". */
#define QUOTE(x) #x
#define EXPAND_QUOTE(x) QUOTE(x)

/* Each member of struct pcrelib with the name of the symbol it holds. */
static const struct dynlib_symbol symbols[] = {
#define PCRELIB_SYMBOL(name) \
	{ EXPAND_QUOTE(pcre2_##name), offsetof(struct pcrelib, name) },
	PCRELIB_FUNCTIONS(PCRELIB_SYMBOL)
#undef PCRELIB_SYMBOL
};

/* Say once per run how to get PCRE2, after the first error. */
static void note_install(struct diag *d)
{
	static bool noted;

	if (noted)
		return;
	noted = true;
	diag_plain(d, DIAG_NOTE, "a gate's owner_pattern and "
		   "agent_name_pattern are compiled with PCRE2, so install "
		   "the PCRE2 release that provides " PCRE2_SONAME ", or build "
		   "mandate again against the installed PCRE2");
}

int pcrelib_load(struct diag *d, const struct loc *at, const char *field)
{
	static void *handle;
	const char *missing, *why;

	if (handle)
		return 0;

	/*
	 * RTLD_LAZY: PCRE2 needs only the C library, so its own symbols
	 * do not fail to resolve later. Binding them all at once raised
	 * the median peak RSS of 20 checks of the bundled example by
	 * about 30 kB. dynlib_open still looks up each function mandate calls.
	 */
	handle = dynlib_open(PCRE2_SONAME, RTLD_LAZY | RTLD_LOCAL, symbols,
			     ARRAY_SIZE(symbols), &pcre2, sizeof(pcre2),
			     &missing, &why);
	if (handle)
		return 0;
	if (missing)
		diag_at(d, DIAG_ERROR, at, "cannot find '%s' in "
			PCRE2_SONAME ", which '%s' needs: %s", missing, field,
			why);
	else
		diag_at(d, DIAG_ERROR, at, "cannot load " PCRE2_SONAME
			", which '%s' needs: %s", field, why);
	note_install(d);
	return -1;
}
