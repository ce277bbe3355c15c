/*
 * diag.h: diagnostics, the one currency between rules, the engine and every reporter.
 *
 * Owns: the pf_diagnostic record, per-file lists of them, and their canonical order.
 * Rules emit byte ranges; the engine fills in rows and code point columns (pf_position)
 * before the file's source is released, so reporters never need the source again.
 * Messages are heap strings owned by the list.
 */
#ifndef PITFALL_DIAG_H
#define PITFALL_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "source.h"

struct pf_rule;

typedef enum pf_severity { PF_SEVERITY_WARNING = 1, PF_SEVERITY_ERROR = 2 } pf_severity;

const char *pf_severity_name(pf_severity severity);

typedef struct pf_diagnostic {
  const struct pf_rule *rule;
  pf_severity severity;
  uint32_t start_byte, end_byte; /* end exclusive */
  pf_position start, end;        /* 1-based, end exclusive */
  uint32_t noqa_row;             /* the row where a `# noqa` for this finding belongs */
  char *message;
  /* A second place the finding points at (PF002: the shadowed method). */
  int has_related;
  uint32_t related_start_byte, related_end_byte;
  pf_position related_start, related_end;
  char *related_message;
  /* Taken from the source at lint time, only when the output format asks (capture.h). */
  struct pf_excerpt *excerpt;      /* the finding's source lines; NULL when not taken */
  uint64_t fingerprint;            /* rule, line content and place in the line; 0 when not taken */
  uint32_t fingerprint_occurrence; /* 1 + earlier lines of the file with the same content */
} pf_diagnostic;

typedef struct pf_diagnostic_list {
  pf_diagnostic *items;
  size_t count;
  size_t capacity;
} pf_diagnostic_list;

/* Appends a zeroed diagnostic and returns it. */
pf_diagnostic *pf_diagnostic_list_push(pf_diagnostic_list *list);
void pf_diagnostic_list_clear(pf_diagnostic_list *list);
void pf_diagnostic_list_free(pf_diagnostic_list *list);

/* Sorts by (row, column, code, end, message): the order every reporter prints. */
void pf_diagnostic_list_sort(pf_diagnostic_list *list);

/* Fills start/end/related positions (and noqa_row from the start) from byte offsets. */
void pf_diagnostic_list_resolve(pf_diagnostic_list *list, const pf_source *source);

#endif
