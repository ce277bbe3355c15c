/*
 * report.h: turning the findings of a run into output, one emitter per format.
 *
 * Owns: pf_run_report (every file's result plus the errors met on the way, in path order)
 * and the table of output formats. Every emitter reads the same, already sorted, results
 * and writes only findings to its stream; summaries and errors go to stderr elsewhere.
 */
#ifndef PITFALL_REPORT_H
#define PITFALL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "lint.h"

typedef struct pf_run_report {
  pf_file_result *files; /* sorted by path */
  size_t file_count;
  const char *working_directory; /* absolute; makes relative paths absolute in JSON */
} pf_run_report;

typedef struct pf_output_format {
  const char *name;
  const char *description;
  void (*emit)(FILE *out, const pf_run_report *report);
} pf_output_format;

extern const pf_output_format pf_output_formats[];
extern const size_t pf_output_format_count;

/* The format with this name, or NULL. */
const pf_output_format *pf_output_format_find(const char *name);

/* The URL of a rule's documentation. Writes into `out`. */
void pf_rule_url(const char *code, char *out, size_t out_size);

/* Total findings across files. */
size_t pf_run_report_count(const pf_run_report *report);

#endif
