/*
 * strmap.c: the string-keyed hash map (see strmap.h).
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static size_t hash_key(const char *key) {
  uint64_t hash = 1469598103934665603ull;
  for (; *key; key++) {
    hash ^= (unsigned char)*key;
    hash *= 1099511628211ull;
  }
  return (size_t)(hash ^ (hash >> 32));
}

/* The slot holding `key`, or the empty slot where it would go. Requires capacity > 0. */
static pf_strmap_slot *find_slot(const pf_strmap *map, const char *key) {
  size_t mask = map->capacity - 1;
  for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
    pf_strmap_slot *slot = &map->slots[i];
    if (!slot->key || strcmp(slot->key, key) == 0)
      return slot;
  }
}

int pf_strmap_get(const pf_strmap *map, const char *key, void **value) {
  if (!map->capacity)
    return 0;
  pf_strmap_slot *slot = find_slot(map, key);
  if (!slot->key)
    return 0;
  if (value)
    *value = slot->value;
  return 1;
}

void pf_strmap_put(pf_strmap *map, const char *key, void *value) {
  if ((map->count + 1) * 2 > map->capacity) {
    pf_strmap grown = {pf_xcalloc(map->capacity ? map->capacity * 2 : 32, sizeof(pf_strmap_slot)),
                       map->capacity ? map->capacity * 2 : 32, map->count};
    for (size_t i = 0; i < map->capacity; i++)
      if (map->slots[i].key)
        *find_slot(&grown, map->slots[i].key) = map->slots[i];
    free(map->slots);
    *map = grown;
  }
  pf_strmap_slot *slot = find_slot(map, key);
  if (!slot->key) {
    slot->key = pf_xstrdup(key);
    map->count++;
  }
  slot->value = value;
}

void pf_strmap_free(pf_strmap *map, void (*free_value)(void *value)) {
  for (size_t i = 0; i < map->capacity; i++) {
    if (!map->slots[i].key)
      continue;
    free(map->slots[i].key);
    if (free_value)
      free_value(map->slots[i].value);
  }
  free(map->slots);
  memset(map, 0, sizeof(*map));
}
