/*
 * diag.c: diagnostic lists, their canonical order, and byte-to-position resolution.
 */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rule.h"

const char *pf_severity_name(pf_severity severity) {
  return severity == PF_SEVERITY_ERROR ? "error" : "warning";
}

pf_diagnostic *pf_diagnostic_list_push(pf_diagnostic_list *list) {
  pf_grow((void **)&list->items, &list->capacity, list->count + 1, sizeof(pf_diagnostic));
  pf_diagnostic *diagnostic = &list->items[list->count++];
  memset(diagnostic, 0, sizeof(*diagnostic));
  return diagnostic;
}

void pf_diagnostic_list_clear(pf_diagnostic_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    free(list->items[i].message);
    free(list->items[i].related_message);
    free(list->items[i].excerpt);
  }
  list->count = 0;
}

void pf_diagnostic_list_free(pf_diagnostic_list *list) {
  pf_diagnostic_list_clear(list);
  free(list->items);
  list->items = NULL;
  list->capacity = 0;
}

static int compare_diagnostics(const void *left_pointer, const void *right_pointer) {
  const pf_diagnostic *left = left_pointer, *right = right_pointer;
  if (left->start.row != right->start.row)
    return left->start.row < right->start.row ? -1 : 1;
  if (left->start.column != right->start.column)
    return left->start.column < right->start.column ? -1 : 1;
  int by_code = strcmp(left->rule->code, right->rule->code);
  if (by_code)
    return by_code;
  if (left->end_byte != right->end_byte)
    return left->end_byte < right->end_byte ? -1 : 1;
  return strcmp(left->message ? left->message : "", right->message ? right->message : "");
}

void pf_diagnostic_list_sort(pf_diagnostic_list *list) {
  if (list->count > 1)
    qsort(list->items, list->count, sizeof(pf_diagnostic), compare_diagnostics);
}

static int compare_start_bytes(const void *left_pointer, const void *right_pointer) {
  const pf_diagnostic *left = left_pointer, *right = right_pointer;
  if (left->start_byte != right->start_byte)
    return left->start_byte < right->start_byte ? -1 : 1;
  return left->end_byte < right->end_byte ? -1 : left->end_byte > right->end_byte;
}

/* Converts in byte order, with one cursor per kind of position, so the cost is linear in the
 * file even when thousands of findings share one long line. */
void pf_diagnostic_list_resolve(pf_diagnostic_list *list, const pf_source *source) {
  if (list->count > 1)
    qsort(list->items, list->count, sizeof(pf_diagnostic), compare_start_bytes);
  pf_position_cursor starts = {0}, ends = {0}, related = {0};
  for (size_t i = 0; i < list->count; i++) {
    pf_diagnostic *diagnostic = &list->items[i];
    diagnostic->start = pf_source_position_from(source, &starts, diagnostic->start_byte);
    diagnostic->end = pf_source_position_from(source, &ends, diagnostic->end_byte);
    if (!diagnostic->noqa_row)
      diagnostic->noqa_row = diagnostic->start.row;
    if (diagnostic->has_related) {
      diagnostic->related_start = pf_source_position_from(source, &related, diagnostic->related_start_byte);
      diagnostic->related_end = pf_source_position_from(source, &related, diagnostic->related_end_byte);
    }
  }
}
