#ifndef MANDATE_COMPILER_STRTAB_H
#define MANDATE_COMPILER_STRTAB_H

#include "arena.h"

/*
 * A string interning table. Equal strings intern to the same pointer,
 * so names (agents, ARNs, action names) compare with ==. Strings live in
 * the arena given to strtab_init and die with it.
 */
struct strtab_slot;

struct strtab {
	struct arena *arena;
	struct strtab_slot *slots;
	size_t cap, count;
};

void strtab_init(struct strtab *t, struct arena *arena);
void strtab_release(struct strtab *t);

/* Return the interned copy of the n bytes at s (which need no NUL). */
const char *strtab_intern(struct strtab *t, const char *s, size_t n);
const char *strtab_intern_str(struct strtab *t, const char *s);

/* Return the interned copy if s was interned before, else NULL. */
const char *strtab_lookup(const struct strtab *t, const char *s, size_t n);

/* Return the 64-bit FNV-1a hash of n bytes; stable across runs. */
uint64_t hash_bytes(const void *data, size_t n);

#endif
