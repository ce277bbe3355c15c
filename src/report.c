/*
 * report.c: the output format table and its emitters: `concise` (flake8's
 * path:row:col: CODE message) and `json` (ruff's JSON schema, so editor plugins written for
 * `ruff check --output-format json` read it unchanged, plus `name` and `severity`).
 */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "rule.h"

void pf_rule_url(const char *code, char *out, size_t out_size) {
  char lower[16];
  size_t i = 0;
  for (; code[i] && i + 1 < sizeof(lower); i++)
    lower[i] = (char)tolower((unsigned char)code[i]);
  lower[i] = '\0';
  snprintf(out, out_size, "%s/blob/main/README.md#%s", PITFALL_HOMEPAGE, lower);
}

size_t pf_run_report_count(const pf_run_report *report) {
  size_t total = 0;
  for (size_t i = 0; i < report->file_count; i++)
    total += report->files[i].diagnostics.count;
  return total;
}

static void emit_concise(FILE *out, const pf_run_report *report) {
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_file_result *file = &report->files[f];
    for (size_t i = 0; i < file->diagnostics.count; i++) {
      const pf_diagnostic *d = &file->diagnostics.items[i];
      fprintf(out, "%s:%u:%u: %s %s\n", file->path, d->start.row, d->start.column, d->rule->code, d->message);
    }
  }
}

/* An absolute form of `path` (stdin's "-" stays as it is). */
static char *absolute_path(const pf_run_report *report, const char *path) {
  if (path[0] == '/' || strcmp(path, "-") == 0 || !report->working_directory)
    return pf_xstrdup(path);
  size_t base = strlen(report->working_directory), length = strlen(path);
  char *joined = pf_xmalloc(base + 1 + length + 1);
  memcpy(joined, report->working_directory, base);
  size_t used = base;
  if (used == 0 || joined[used - 1] != '/')
    joined[used++] = '/';
  memcpy(joined + used, path, length + 1);
  return joined;
}

static cJSON *location_object(pf_position position) {
  cJSON *object = cJSON_CreateObject();
  cJSON_AddNumberToObject(object, "row", position.row);
  cJSON_AddNumberToObject(object, "column", position.column);
  return object;
}

static void emit_json(FILE *out, const pf_run_report *report) {
  cJSON *array = cJSON_CreateArray();
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_file_result *file = &report->files[f];
    char *filename = absolute_path(report, file->path);
    for (size_t i = 0; i < file->diagnostics.count; i++) {
      const pf_diagnostic *d = &file->diagnostics.items[i];
      cJSON *item = cJSON_CreateObject();
      char url[512];
      pf_rule_url(d->rule->code, url, sizeof(url));
      cJSON_AddNullToObject(item, "cell");
      cJSON_AddStringToObject(item, "code", d->rule->code);
      cJSON_AddItemToObject(item, "end_location", location_object(d->end));
      cJSON_AddStringToObject(item, "filename", filename);
      cJSON_AddNullToObject(item, "fix");
      cJSON_AddItemToObject(item, "location", location_object(d->start));
      cJSON_AddStringToObject(item, "message", d->message);
      cJSON_AddStringToObject(item, "name", d->rule->name);
      cJSON_AddNumberToObject(item, "noqa_row", d->noqa_row);
      cJSON_AddStringToObject(item, "severity", pf_severity_name(d->severity));
      cJSON_AddStringToObject(item, "url", url);
      cJSON_AddItemToArray(array, item);
    }
    free(filename);
  }
  char *text = cJSON_Print(array);
  if (text) {
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
  }
  cJSON_Delete(array);
}

const pf_output_format pf_output_formats[] = {
    {"concise", "one line per finding: path:row:col: CODE message (the default)", emit_concise},
    {"json", "a JSON array in ruff's schema (code, message, filename, location, end_location, ...)",
     emit_json},
};

const size_t pf_output_format_count = sizeof(pf_output_formats) / sizeof(pf_output_formats[0]);

const pf_output_format *pf_output_format_find(const char *name) {
  for (size_t i = 0; i < pf_output_format_count; i++)
    if (strcmp(pf_output_formats[i].name, name) == 0)
      return &pf_output_formats[i];
  return NULL;
}
