#include "common.h"
#include "actset.h"

void actset_init(struct actset *s, uint32_t n)
{
	s->nwords = (n + 63) / 64;
	s->bits = xcalloc(s->nwords ? s->nwords : 1, sizeof(uint64_t));
	s->count = 0;
}

void actset_release(struct actset *s)
{
	free(s->bits);
	s->bits = NULL;
	s->nwords = 0;
	s->count = 0;
}

void actset_clear(struct actset *s)
{
	memset(s->bits, 0, s->nwords * sizeof(uint64_t));
	s->count = 0;
}

bool actset_add(struct actset *s, uint32_t id)
{
	uint64_t mask = (uint64_t)1 << (id % 64);

	if (id / 64 >= s->nwords)
		BUG("action id %u outside a set of %u words", id, s->nwords);
	if (s->bits[id / 64] & mask)
		return false;
	s->bits[id / 64] |= mask;
	s->count++;
	return true;
}

bool actset_has(const struct actset *s, uint32_t id)
{
	if (id / 64 >= s->nwords)
		return false;
	return (s->bits[id / 64] >> (id % 64)) & 1;
}

static uint32_t popcount_all(const struct actset *s)
{
	uint32_t n = 0, i;

	for (i = 0; i < s->nwords; i++)
		n += (uint32_t)__builtin_popcountll(s->bits[i]);
	return n;
}

void actset_union(struct actset *dst, const struct actset *src)
{
	uint32_t i;

	if (dst->nwords != src->nwords)
		BUG("union of sets of %u and %u words", dst->nwords,
		    src->nwords);
	for (i = 0; i < dst->nwords; i++)
		dst->bits[i] |= src->bits[i];
	dst->count = popcount_all(dst);
}

void actset_subtract(struct actset *dst, const struct actset *src)
{
	uint32_t i;

	if (dst->nwords != src->nwords)
		BUG("difference of sets of %u and %u words", dst->nwords,
		    src->nwords);
	for (i = 0; i < dst->nwords; i++)
		dst->bits[i] &= ~src->bits[i];
	dst->count = popcount_all(dst);
}

uint32_t actset_next(const struct actset *s, uint32_t from)
{
	uint32_t w = from / 64;
	uint64_t word;

	if (w >= s->nwords)
		return ACTSET_END;
	word = s->bits[w] & (~(uint64_t)0 << (from % 64));
	for (;;) {
		if (word)
			return w * 64 + (uint32_t)__builtin_ctzll(word);
		if (++w >= s->nwords)
			return ACTSET_END;
		word = s->bits[w];
	}
}
