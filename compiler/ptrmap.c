#include "common.h"
#include "ptrmap.h"

static size_t slot_of(const void *key, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (cap - 1);
}

void ptrmap_release(struct ptrmap *m)
{
	free(m->keys);
	free(m->values);
	m->keys = NULL;
	m->values = NULL;
	m->cap = 0;
	m->count = 0;
}

void *ptrmap_get(const struct ptrmap *m, const void *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = slot_of(key, m->cap); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->values[i];
	return NULL;
}

/* Store value for key; returns whether key was new. */
static bool insert(const void **keys, void **values, size_t cap,
		   const void *key, void *value)
{
	size_t i = slot_of(key, cap);
	bool fresh;

	while (keys[i] && keys[i] != key)
		i = (i + 1) & (cap - 1);
	fresh = !keys[i];
	keys[i] = key;
	values[i] = value;
	return fresh;
}

static void rehash(struct ptrmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	const void **keys = xcalloc(cap, sizeof(*keys));
	void **values = xcalloc(cap, sizeof(*values));

	for (i = 0; i < m->cap; i++)
		if (m->keys[i])
			insert(keys, values, cap, m->keys[i], m->values[i]);
	free(m->keys);
	free(m->values);
	m->keys = keys;
	m->values = values;
	m->cap = cap;
}

void ptrmap_put(struct ptrmap *m, const void *key, void *value)
{
	if (!key)
		BUG("NULL key in a ptrmap");
	if ((m->count + 1) * 4 >= m->cap * 3)
		rehash(m);
	if (insert(m->keys, m->values, m->cap, key, value))
		m->count++;
}
