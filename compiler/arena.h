#ifndef MANDATE_COMPILER_ARENA_H
#define MANDATE_COMPILER_ARENA_H

/*
 * A bump allocator for data that lives exactly as long as one
 * compilation or one loaded export: tokens, AST nodes, interned
 * strings, imported policies. Nothing is freed on its own; arena_release
 * frees every block at once.
 */
struct arena_block;

struct arena {
	struct arena_block *head;
	size_t total;		/* bytes handed out, for statistics */
};

#define ARENA_INIT { NULL, 0 }

/* Return size bytes aligned for any type; exits on exhaustion. */
void *arena_alloc(struct arena *a, size_t size);

/* Return zeroed storage for n objects of size bytes each. */
void *arena_calloc(struct arena *a, size_t n, size_t size);

/* Return a NUL-terminated copy of the n bytes at s. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

/* Return a formatted string allocated from the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Free every block; the arena may be used again afterwards. */
void arena_release(struct arena *a);

#endif
