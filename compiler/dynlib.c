#include "common.h"
#include "dynlib.h"

#include <dlfcn.h>

/* dlsym returns a function as a void *, which must fit in a table. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
	       "function pointers differ in size from void *");

/*
 * Return the dynamic loader's last message, copied, because dlclose
 * may free dlerror's string before the caller prints it.
 */
static const char *dl_message(void)
{
	static char copy[512];
	const char *msg = dlerror();

	snprintf(copy, sizeof(copy), "%s",
		 msg ? msg : "the dynamic loader gave no reason");
	return copy;
}

void *dynlib_open(const char *soname, int flags,
		  const struct dynlib_symbol *symbols, size_t n, void *table,
		  size_t table_size, const char **missing, const char **why)
{
	char *filled = xmalloc(table_size);
	void *handle;
	size_t i;

	*missing = NULL;
	dlerror();
	handle = dlopen(soname, flags);
	if (!handle) {
		*why = dl_message();
		free(filled);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		void *fn;

		dlerror();
		fn = dlsym(handle, symbols[i].name);
		if (!fn) {
			*missing = symbols[i].name;
			*why = dl_message();
			dlclose(handle);
			free(filled);
			return NULL;
		}
		memcpy(filled + symbols[i].offset, &fn, sizeof(fn));
	}
	memcpy(table, filled, table_size);
	free(filled);
	return handle;
}
