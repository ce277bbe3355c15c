/*
 * settings.c: defaults and the small name lists inside pf_settings.
 */
#include "settings.h"

#include <stdlib.h>
#include <string.h>

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
