#ifndef MANDATE_COMPILER_DYNLIB_H
#define MANDATE_COMPILER_DYNLIB_H

/*
 * A shared library loaded with dlopen into a table of function
 * pointers, for libraries that only some commands need (gitlib.c,
 * pcrelib.c). The callers word their own errors.
 */

/* A member of a caller's table and the name of the symbol it holds. */
struct dynlib_symbol {
	const char *name;
	size_t offset;
};

/*
 * Open the library soname with the dlopen flags and store the address
 * of each of the n symbols at its offset in table. Returns the handle,
 * which stays open until exit. On failure returns NULL, with *missing
 * set to the symbol not found (NULL when the library did not load) and
 * *why to the dynamic loader's message, valid until the next call;
 * table is then left as it was.
 */
void *dynlib_open(const char *soname, int flags,
		  const struct dynlib_symbol *symbols, size_t n, void *table,
		  size_t table_size, const char **missing, const char **why);

#endif
