#include "common.h"
#include "actset.h"

/*
 * Only the words in [lo, hi) have been written; every word outside it
 * is zero by definition and never read. So a set is created without
 * zeroing its 2.7 KiB and cleared in constant time, and a set of one
 * service's actions, whose ids are adjacent, touches a few words.
 */

void actset_init(struct actset *s, uint32_t n)
{
	s->nwords = (n + 63) / 64;
	s->bits = xmalloc((s->nwords ? s->nwords : 1) * sizeof(uint64_t));
	s->count = 0;
	s->lo = s->hi = 0;
}

void actset_release(struct actset *s)
{
	free(s->bits);
	s->bits = NULL;
	s->nwords = 0;
	s->count = 0;
	s->lo = s->hi = 0;
}

void actset_clear(struct actset *s)
{
	s->count = 0;
	s->lo = s->hi = 0;
}

/* Widen the written range to take in words [lo, hi), zeroing new ones. */
static void cover(struct actset *s, uint32_t lo, uint32_t hi)
{
	if (s->lo == s->hi) {
		memset(s->bits + lo, 0, (hi - lo) * sizeof(uint64_t));
		s->lo = lo;
		s->hi = hi;
		return;
	}
	if (lo < s->lo) {
		memset(s->bits + lo, 0, (s->lo - lo) * sizeof(uint64_t));
		s->lo = lo;
	}
	if (hi > s->hi) {
		memset(s->bits + s->hi, 0, (hi - s->hi) * sizeof(uint64_t));
		s->hi = hi;
	}
}

bool actset_add(struct actset *s, uint32_t id)
{
	uint32_t w = id / 64;
	uint64_t mask = (uint64_t)1 << (id % 64);

	if (w >= s->nwords)
		BUG("action id %u outside a set of %u words", id, s->nwords);
	if (w < s->lo || w >= s->hi)
		cover(s, w, w + 1);
	if (s->bits[w] & mask)
		return false;
	s->bits[w] |= mask;
	s->count++;
	return true;
}

bool actset_has(const struct actset *s, uint32_t id)
{
	uint32_t w = id / 64;

	if (w < s->lo || w >= s->hi)
		return false;
	return (s->bits[w] >> (id % 64)) & 1;
}

static uint32_t popcount_all(const struct actset *s)
{
	uint32_t n = 0, i;

	for (i = s->lo; i < s->hi; i++)
		n += (uint32_t)__builtin_popcountll(s->bits[i]);
	return n;
}

void actset_union(struct actset *dst, const struct actset *src)
{
	uint32_t i;

	if (dst->nwords != src->nwords)
		BUG("union of sets of %u and %u words", dst->nwords,
		    src->nwords);
	if (src->lo == src->hi)
		return;
	cover(dst, src->lo, src->hi);
	for (i = src->lo; i < src->hi; i++)
		dst->bits[i] |= src->bits[i];
	dst->count = popcount_all(dst);
}

void actset_subtract(struct actset *dst, const struct actset *src)
{
	uint32_t lo = dst->lo > src->lo ? dst->lo : src->lo;
	uint32_t hi = dst->hi < src->hi ? dst->hi : src->hi;
	uint32_t i;

	if (dst->nwords != src->nwords)
		BUG("difference of sets of %u and %u words", dst->nwords,
		    src->nwords);
	for (i = lo; i < hi; i++)
		dst->bits[i] &= ~src->bits[i];
	dst->count = popcount_all(dst);
}

uint32_t actset_next(const struct actset *s, uint32_t from)
{
	uint32_t w = from / 64;
	uint64_t word;

	if (w < s->lo) {
		w = s->lo;
		from = w * 64;
	}
	if (w >= s->hi)
		return ACTSET_END;
	word = s->bits[w] & (~(uint64_t)0 << (from % 64));
	for (;;) {
		if (word)
			return w * 64 + (uint32_t)__builtin_ctzll(word);
		if (++w >= s->hi)
			return ACTSET_END;
		word = s->bits[w];
	}
}
