/*
 * arena.c: the per-file bump allocator and the checked allocation wrappers (see arena.h).
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pf_arena_chunk {
  pf_arena_chunk *next;
  size_t size;
  max_align_t data[];
};

enum { PF_ARENA_CHUNK = 64 * 1024 };

static void out_of_memory(void) {
  fputs("pitfall: error: out of memory\n", stderr);
  exit(2);
}

void *pf_xmalloc(size_t size) {
  void *pointer = malloc(size ? size : 1);
  if (!pointer)
    out_of_memory();
  return pointer;
}

void *pf_xcalloc(size_t count, size_t size) {
  void *pointer = calloc(count ? count : 1, size ? size : 1);
  if (!pointer)
    out_of_memory();
  return pointer;
}

void *pf_xrealloc(void *pointer, size_t size) {
  void *grown = realloc(pointer, size ? size : 1);
  if (!grown)
    out_of_memory();
  return grown;
}

char *pf_xstrndup(const char *text, size_t length) {
  char *copy = pf_xmalloc(length + 1);
  memcpy(copy, text, length);
  copy[length] = '\0';
  return copy;
}

char *pf_xstrdup(const char *text) { return pf_xstrndup(text, strlen(text)); }

void pf_grow(void **items, size_t *capacity, size_t needed, size_t item_size) {
  if (needed <= *capacity)
    return;
  size_t grown = *capacity ? *capacity : 8;
  while (grown < needed) {
    if (grown > SIZE_MAX / 2 / item_size)
      out_of_memory();
    grown *= 2;
  }
  *items = pf_xrealloc(*items, grown * item_size);
  *capacity = grown;
}

void *pf_arena_alloc(pf_arena *arena, size_t size) {
  size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (!arena->head || arena->used + size > arena->head->size) {
    size_t chunk_size = size > PF_ARENA_CHUNK ? size : PF_ARENA_CHUNK;
    pf_arena_chunk *chunk = pf_xmalloc(sizeof(pf_arena_chunk) + chunk_size);
    chunk->size = chunk_size;
    chunk->next = arena->head;
    arena->head = chunk;
    arena->used = 0;
  }
  void *result = (char *)arena->head->data + arena->used;
  arena->used += size;
  memset(result, 0, size);
  return result;
}

char *pf_arena_strndup(pf_arena *arena, const char *text, size_t length) {
  char *copy = pf_arena_alloc(arena, length + 1);
  memcpy(copy, text, length);
  copy[length] = '\0';
  return copy;
}

void pf_arena_reset(pf_arena *arena) {
  if (!arena->head)
    return;
  /* Keep the oldest chunk (the last in the list) when it is the standard size. */
  pf_arena_chunk *chunk = arena->head, *keep = NULL;
  while (chunk) {
    pf_arena_chunk *next = chunk->next;
    if (!next && chunk->size == PF_ARENA_CHUNK)
      keep = chunk;
    else
      free(chunk);
    chunk = next;
  }
  if (keep)
    keep->next = NULL;
  arena->head = keep;
  arena->used = 0;
}

void pf_arena_free(pf_arena *arena) {
  pf_arena_chunk *chunk = arena->head;
  while (chunk) {
    pf_arena_chunk *next = chunk->next;
    free(chunk);
    chunk = next;
  }
  arena->head = NULL;
  arena->used = 0;
}
