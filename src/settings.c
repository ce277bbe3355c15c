/*
 * settings.c: defaults and the small name lists inside pf_settings.
 */
#include "settings.h"

#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#include "arena.h"
#include "registry.h"

void pf_settings_init_default(pf_settings *settings) {
  memset(settings, 0, sizeof(*settings));
  for (size_t i = 0; i < pf_rule_count && i < PF_MAX_RULES; i++)
    settings->enabled[i] = 1;
}

void pf_settings_free(pf_settings *settings) {
  pf_name_list_free(&settings->extend_mutable_calls);
  pf_name_list_free(&settings->extend_immutable_annotations);
  pf_name_list_free(&settings->path_calls);
}

/* pf_settings_hash() must cover every field. This size check trips when a field is added, as a
 * reminder: hash the new field below, then update the size. */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(sizeof(pf_settings) == 392,
               "pf_settings changed: hash the new field in pf_settings_hash(), then update this size");
#endif

static void hash_name_list(XXH3_state_t *state, const pf_name_list *list) {
  uint64_t count = list->count;
  XXH3_64bits_update(state, &count, sizeof(count));
  for (size_t i = 0; i < list->count; i++) {
    uint64_t length = strlen(list->names[i]);
    XXH3_64bits_update(state, &length, sizeof(length));
    XXH3_64bits_update(state, list->names[i], length);
  }
}

uint64_t pf_settings_hash(const pf_settings *settings) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  XXH3_64bits_update(&state, settings->enabled, sizeof(settings->enabled));
  for (size_t i = 0; i < PF_MAX_RULES; i++) {
    uint32_t severity = (uint32_t)settings->severity_override[i];
    XXH3_64bits_update(&state, &severity, sizeof(severity));
  }
  hash_name_list(&state, &settings->extend_mutable_calls);
  hash_name_list(&state, &settings->extend_immutable_annotations);
  hash_name_list(&state, &settings->path_calls);
  return XXH3_64bits_digest(&state);
}

void pf_name_list_add(pf_name_list *list, const char *name) {
  pf_grow((void **)&list->names, &list->capacity, list->count + 1, sizeof(char *));
  list->names[list->count++] = pf_xstrdup(name);
}

int pf_name_list_contains(const pf_name_list *list, const char *name, size_t length) {
  for (size_t i = 0; i < list->count; i++)
    if (strlen(list->names[i]) == length && memcmp(list->names[i], name, length) == 0)
      return 1;
  return 0;
}

void pf_name_list_free(pf_name_list *list) {
  for (size_t i = 0; i < list->count; i++)
    free(list->names[i]);
  free(list->names);
  memset(list, 0, sizeof(*list));
}
