/*
 * settings.h: the effective settings one file is linted with.
 *
 * Owns: which rules run, per-code severity overrides, and the extra names rules consult
 * (mutable calls for PF001/PF003, immutable annotations for PF001). The CLI (and, later,
 * configuration files) build these; rules only read them, so one settings value may be
 * shared by every worker thread.
 */
#ifndef PITFALL_SETTINGS_H
#define PITFALL_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum { PF_MAX_RULES = 64 };

typedef struct pf_name_list {
  char **names;
  size_t count;
  size_t capacity;
} pf_name_list;

/* Every field, for whoever hashes or compares settings (a cache key must cover them all):
 *   enabled, severity_override, extend_mutable_calls, extend_immutable_annotations, path_calls.
 * Configuration files (config.c) fill them: select/extend-select/ignore and per-file-ignores
 * decide `enabled`, `severity` decides `severity_override`, and the three name-list keys
 * fill the lists of the same names.
 * Every field must also be hashed by pf_settings_hash() (settings.c): the cache trusts a stored
 * result only when the hash of the settings it was computed with is unchanged, so a field the
 * hash misses lets a settings change serve stale findings. */
typedef struct pf_settings {
  unsigned char enabled[PF_MAX_RULES];         /* by registry index */
  pf_severity severity_override[PF_MAX_RULES]; /* 0: the rule's own severity */
  pf_name_list extend_mutable_calls;           /* dotted names treated as mutable */
  pf_name_list extend_immutable_annotations;   /* annotations that exempt PF001 */
  pf_name_list path_calls;                     /* extra path-taking callables (PF004) */
} pf_settings;

/* All rules enabled, nothing extended. */
void pf_settings_init_default(pf_settings *settings);
void pf_settings_free(pf_settings *settings);

/* A 64-bit hash of every field: equal settings give equal hashes, in any process. */
uint64_t pf_settings_hash(const pf_settings *settings);

void pf_name_list_add(pf_name_list *list, const char *name);
int pf_name_list_contains(const pf_name_list *list, const char *name, size_t length);
void pf_name_list_free(pf_name_list *list);

#endif
