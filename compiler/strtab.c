#include "common.h"
#include "strtab.h"

struct strtab_slot {
	const char *s;
	uint64_t hash;
	size_t len;
};

uint64_t hash_bytes(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * Return the last n < 8 bytes of a string as one word. Loads that may
 * overlap read every byte at once instead of one at a time.
 */
static uint64_t tail_word(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t lo, hi;

	if (n >= 4) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		return (uint64_t)hi << 32 | lo;
	}
	if (n > 0)
		return (uint64_t)u[0] << 16 | (uint64_t)u[n / 2] << 8 | u[n - 1];
	return 0;
}

/*
 * Hash a string for the table. FNV-1a takes a multiply per byte, the
 * main cost of interning a long ARN, so this mixes eight bytes per
 * multiply instead. No output depends on it, because nothing walks
 * the slots in order.
 */
static inline uint64_t hash_string(const char *s, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h = n * k, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	h ^= tail_word(s, n);
	/* MurmurHash3's 64-bit finalizer lets every bit move the index. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

void strtab_init(struct strtab *t, struct arena *arena)
{
	t->arena = arena;
	t->slots = NULL;
	t->cap = 0;
	t->count = 0;
}

void strtab_release(struct strtab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = 0;
	t->count = 0;
}

static inline struct strtab_slot *find_slot(struct strtab_slot *slots, size_t cap,
				     const char *s, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	for (;;) {
		struct strtab_slot *slot = &slots[i];

		if (!slot->s)
			return slot;
		if (slot->hash == h && slot->len == n &&
		    !memcmp(slot->s, s, n))
			return slot;
		i = (i + 1) & (cap - 1);
	}
}

static void rehash(struct strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	struct strtab_slot *slots = xcalloc(cap, sizeof(*slots));
	size_t i;

	for (i = 0; i < t->cap; i++) {
		struct strtab_slot *old = &t->slots[i];

		if (old->s)
			*find_slot(slots, cap, old->s, old->len, old->hash) =
				*old;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
}

const char *strtab_intern(struct strtab *t, const char *s, size_t n)
{
	uint64_t h = hash_string(s, n);
	struct strtab_slot *slot;

	if ((t->count + 1) * 4 >= t->cap * 3)
		rehash(t);
	slot = find_slot(t->slots, t->cap, s, n, h);
	if (!slot->s) {
		slot->s = arena_strndup(t->arena, s, n);
		slot->hash = h;
		slot->len = n;
		t->count++;
	}
	return slot->s;
}

const char *strtab_intern_str(struct strtab *t, const char *s)
{
	return strtab_intern(t, s, strlen(s));
}

const char *strtab_lookup(const struct strtab *t, const char *s, size_t n)
{
	if (!t->cap)
		return NULL;
	return find_slot(t->slots, t->cap, s, n, hash_string(s, n))->s;
}
