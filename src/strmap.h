/*
 * strmap.h: a hash map from strings to pointers, for the per-directory caches of
 * configuration lookup and gitignore (a directory's closest configuration, its repository).
 *
 * Owns: copies of the keys. Values are the caller's; pf_strmap_free can release them.
 * Open addressing with linear probing; the table doubles at half full. Not thread-safe.
 */
#ifndef PITFALL_STRMAP_H
#define PITFALL_STRMAP_H

#include <stddef.h>

typedef struct pf_strmap_slot {
  char *key; /* NULL: empty */
  void *value;
} pf_strmap_slot;

typedef struct pf_strmap {
  pf_strmap_slot *slots;
  size_t capacity; /* a power of two, or 0 */
  size_t count;
} pf_strmap;

/* Whether `key` is present; sets *value when it is and value is not NULL. */
int pf_strmap_get(const pf_strmap *map, const char *key, void **value);
/* Sets the value of `key`, adding the key when absent. */
void pf_strmap_put(pf_strmap *map, const char *key, void *value);
/* Frees the keys and, when free_value is not NULL, calls it on every value. */
void pf_strmap_free(pf_strmap *map, void (*free_value)(void *value));

#endif
