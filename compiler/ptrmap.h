#ifndef MANDATE_COMPILER_PTRMAP_H
#define MANDATE_COMPILER_PTRMAP_H

/*
 * A hash map keyed by pointer identity, for interned strings: an ARN
 * interned in a strtab finds its entity in one probe on average. Keys
 * and values are borrowed; the map owns only its table.
 */
struct ptrmap {
	const void **keys;
	void **values;
	size_t cap, count;
};

#define PTRMAP_INIT { NULL, NULL, 0, 0 }

void ptrmap_release(struct ptrmap *m);

/* Return the value stored for key, or NULL. key must not be NULL. */
void *ptrmap_get(const struct ptrmap *m, const void *key);

/* Store value for key, replacing any earlier value. */
void ptrmap_put(struct ptrmap *m, const void *key, void *value);

#endif
