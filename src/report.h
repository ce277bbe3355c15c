/*
 * report.h: turning the findings of a run into output, one emitter per format.
 *
 * Owns: pf_run_report (every file's result plus the errors met on the way, in path order),
 * the table of output formats, and the helpers the emitters share: paths made absolute or
 * relative to the working directory, RFC 3986 URIs, rule URLs, colour, statistics.
 *
 * Every emitter reads the same, already sorted, results and writes only findings (or, with
 * --statistics, the counts) to its stream; the summary and errors go to stderr elsewhere.
 * The emitters live in report_text.c (concise, full), report_json.c (json, json-lines),
 * report_sarif.c and report_github.c.
 */
#ifndef PITFALL_REPORT_H
#define PITFALL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "lint.h"
#include "settings.h"

struct pf_rule;

/* A path that could not be expanded into files (missing, unreadable directory). */
typedef struct pf_path_error {
  char *path;
  char *reason;
} pf_path_error;

typedef struct pf_run_report {
  pf_file_result *files; /* sorted by path */
  size_t file_count;
  const char *working_directory; /* absolute; NULL when unknown */
  const pf_settings *settings;   /* which rules could run; NULL: all of them */
  const pf_path_error *path_errors;
  size_t path_error_count;
  int color; /* text formats may use ANSI colours */
} pf_run_report;

typedef struct pf_output_format {
  const char *name;
  const char *description;
  void (*emit)(FILE *out, const pf_run_report *report);
  /* --statistics in this format (NULL: the text table). */
  void (*emit_statistics)(FILE *out, const pf_run_report *report);
  unsigned capture; /* PF_CAPTURE_* (capture.h): what the emitter needs from the source */
} pf_output_format;

extern const pf_output_format pf_output_formats[];
extern const size_t pf_output_format_count;

/* The format with this name, or NULL. */
const pf_output_format *pf_output_format_find(const char *name);

/* Writes the report, or its statistics, in `format`. */
void pf_report_write(FILE *out, const pf_output_format *format, const pf_run_report *report, int statistics);

/* The URL of a rule's documentation. Writes into `out`. */
void pf_rule_url(const struct pf_rule *rule, char *out, size_t out_size);

/* Total findings across files. */
size_t pf_run_report_count(const pf_run_report *report);

/* Whether a rule is listed as able to run in this report (enabled in its settings). */
int pf_report_rule_enabled(const pf_run_report *report, size_t rule_index);

/* The registry index of a rule. */
size_t pf_report_rule_index(const struct pf_rule *rule);

/* Colour for text output: "always" and "never" decide; "auto" means yes when the stream is
 * a terminal, TERM is not "dumb" and NO_COLOR is unset or empty. */
int pf_report_use_color(const char *mode, FILE *stream);

/* `path` made absolute against the working directory and lexically normalised ("." and ".."
 * segments and doubled slashes removed), as ruff writes it; but when a ".." follows a
 * symlinked directory, so that the text names another file than the file system does, the
 * real directory plus the file's name. Stdin's "-" stays as it is. Heap string. */
char *pf_report_absolute_path(const pf_run_report *report, const char *path);

/* `path` relative to the working directory when it lies under it, else NULL (and for
 * stdin's "-"). The real path of the file's directory is compared with the real working
 * directory, so "link/../a.py" and absolute paths through a symlinked working directory come
 * out right; failing that (a path not on disk, or one under the working directory through a
 * symlink that leads out of it), the text of the path. Heap string. */
char *pf_report_relative_path(const pf_run_report *report, const char *path);

/* Percent-encodes a path for a URI (RFC 3986): every byte but the unreserved characters
 * (ALPHA DIGIT - . _ ~) and "/" becomes %XX. Heap string. */
char *pf_uri_encode_path(const char *path);

/* A copy of `text` in which every byte that is not part of valid UTF-8 becomes U+FFFD, so
 * that a file name in a legacy encoding cannot make JSON output invalid. Heap string. */
char *pf_utf8_sanitize(const char *text);

/* One count per rule that fired, sorted by code. */
typedef struct pf_rule_tally {
  const struct pf_rule *rule;
  size_t count;
} pf_rule_tally;

/* Fills `counts` (sized for pf_rule_count entries) and returns how many rules fired. */
size_t pf_report_count_by_rule(const pf_run_report *report, pf_rule_tally *counts);

/* The emitters, for the table in report.c. */
void pf_emit_concise(FILE *out, const pf_run_report *report);
void pf_emit_full(FILE *out, const pf_run_report *report);
void pf_emit_statistics_text(FILE *out, const pf_run_report *report);
void pf_emit_json(FILE *out, const pf_run_report *report);
void pf_emit_json_lines(FILE *out, const pf_run_report *report);
void pf_emit_statistics_json(FILE *out, const pf_run_report *report);
void pf_emit_sarif(FILE *out, const pf_run_report *report);
void pf_emit_github(FILE *out, const pf_run_report *report);

#endif
