#ifndef MANDATE_COMPILER_ACTSET_H
#define MANDATE_COMPILER_ACTSET_H

/*
 * A set of catalog action ids as a bitset. The AWS catalog has about
 * 22,000 actions, so a set costs under 3 KiB and union, difference and
 * membership are word operations.
 */
struct actset {
	uint64_t *bits;
	uint32_t nwords;
	uint32_t count;		/* members */
	uint32_t lo, hi;	/* the words written; the rest are zero */
};

#define ACTSET_END UINT32_MAX

/* Prepare an empty set for ids below n. */
void actset_init(struct actset *s, uint32_t n);
void actset_release(struct actset *s);
void actset_clear(struct actset *s);

/* Add id; returns true when it was not a member before. */
bool actset_add(struct actset *s, uint32_t id);
bool actset_has(const struct actset *s, uint32_t id);

/* Add every member of src to dst; both must have the same size. */
void actset_union(struct actset *dst, const struct actset *src);

/* Remove every member of src from dst. */
void actset_subtract(struct actset *dst, const struct actset *src);

/* Return the smallest member >= from, or ACTSET_END. */
uint32_t actset_next(const struct actset *s, uint32_t from);

#define actset_foreach(s, id) \
	for ((id) = actset_next((s), 0); (id) != ACTSET_END; \
	     (id) = actset_next((s), (id) + 1))

#endif
