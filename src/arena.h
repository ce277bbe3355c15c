/*
 * arena.h: a bump allocator for memory that lives exactly as long as one file's lint.
 *
 * Owns: chunks of memory handed out in order and released all at once by pf_arena_reset,
 * which keeps the first chunk for the next file so a worker thread stops allocating once it
 * has seen its largest file. Not thread-safe: each linter (one per thread) has its own.
 */
#ifndef PITFALL_ARENA_H
#define PITFALL_ARENA_H

#include <stddef.h>

typedef struct pf_arena_chunk pf_arena_chunk;

typedef struct pf_arena {
  pf_arena_chunk *head;
  size_t used; /* bytes used in head */
} pf_arena;

/* Zeroed memory, aligned for any type. Aborts with a message when memory is exhausted. */
void *pf_arena_alloc(pf_arena *arena, size_t size);
char *pf_arena_strndup(pf_arena *arena, const char *text, size_t length);
void pf_arena_reset(pf_arena *arena);
void pf_arena_free(pf_arena *arena);

/* malloc/calloc/realloc that report "out of memory" and exit(2) instead of returning NULL. */
void *pf_xmalloc(size_t size);
void *pf_xcalloc(size_t count, size_t size);
void *pf_xrealloc(void *pointer, size_t size);
char *pf_xstrdup(const char *text);
char *pf_xstrndup(const char *text, size_t length);

/* Grows *items (of item_size bytes each) so that it holds at least `needed` items. */
void pf_grow(void **items, size_t *capacity, size_t needed, size_t item_size);

#endif
