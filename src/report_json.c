/*
 * report_json.c: the JSON family. `json` is an array in ruff's schema, so editor plugins
 * written for `ruff check --output-format json` read it unchanged (plus `name`, `severity`
 * and `related`, the finding's related locations: message, filename, location and
 * end_location, an empty list when it has none); `json-lines` is the same objects, one per
 * line, as ALE reads ruff's; and for both, the JSON form of --statistics (code, name,
 * count, fixable), as ruff prints it.
 *
 * Every finding has a non-null `code`, `message`, `filename` (absolute and normalised),
 * `location` and `end_location`; `fix` is always present and null, which is what ruff
 * writes for a finding without an automatic fix.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "registry.h"
#include "report.h"
#include "rule.h"

static cJSON *location_object(pf_position position) {
  cJSON *object = cJSON_CreateObject();
  cJSON_AddNumberToObject(object, "row", position.row);
  cJSON_AddNumberToObject(object, "column", position.column);
  return object;
}

/* Adds a string member; bytes that are not valid UTF-8 (a message quoting a cut source) become
 * U+FFFD, so the output is always valid JSON text. */
static void add_text(cJSON *object, const char *key, const char *text) {
  char *clean = pf_utf8_sanitize(text ? text : "");
  cJSON_AddStringToObject(object, key, clean);
  free(clean);
}

static cJSON *finding_object(const pf_diagnostic *d, const char *filename) {
  cJSON *item = cJSON_CreateObject();
  char url[512];
  pf_rule_url(d->rule, url, sizeof(url));
  cJSON_AddNullToObject(item, "cell");
  cJSON_AddStringToObject(item, "code", d->rule->code);
  cJSON_AddItemToObject(item, "end_location", location_object(d->end));
  cJSON_AddStringToObject(item, "filename", filename);
  cJSON_AddNullToObject(item, "fix");
  cJSON_AddItemToObject(item, "location", location_object(d->start));
  add_text(item, "message", d->message);
  cJSON_AddStringToObject(item, "name", d->rule->name);
  cJSON_AddNumberToObject(item, "noqa_row", d->noqa_row);
  /* Beside ruff's fields: the other places a finding points at (PF002: the shadowed method). */
  cJSON *related = cJSON_CreateArray();
  if (d->has_related) {
    cJSON *place = cJSON_CreateObject();
    add_text(place, "message", d->related_message);
    cJSON_AddStringToObject(place, "filename", filename);
    cJSON_AddItemToObject(place, "location", location_object(d->related_start));
    cJSON_AddItemToObject(place, "end_location", location_object(d->related_end));
    cJSON_AddItemToArray(related, place);
  }
  cJSON_AddItemToObject(item, "related", related);
  cJSON_AddStringToObject(item, "severity", pf_severity_name(d->severity));
  cJSON_AddStringToObject(item, "url", url);
  return item;
}

static void print_json(FILE *out, cJSON *json, int formatted) {
  char *text = formatted ? cJSON_Print(json) : cJSON_PrintUnformatted(json);
  if (text) {
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
  }
}

/* Calls `each` with every finding's object, in report order. */
static void for_each_finding(const pf_run_report *report, void (*each)(cJSON *item, void *user), void *user) {
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_file_result *file = &report->files[f];
    if (!file->diagnostics.count)
      continue;
    char *absolute = pf_report_absolute_path(report, file->path);
    char *filename = pf_utf8_sanitize(absolute);
    free(absolute);
    for (size_t i = 0; i < file->diagnostics.count; i++)
      each(finding_object(&file->diagnostics.items[i], filename), user);
    free(filename);
  }
}

static void add_to_array(cJSON *item, void *array) { cJSON_AddItemToArray(array, item); }

void pf_emit_json(FILE *out, const pf_run_report *report) {
  cJSON *array = cJSON_CreateArray();
  for_each_finding(report, add_to_array, array);
  print_json(out, array, 1);
  cJSON_Delete(array);
}

static void print_line(cJSON *item, void *out) {
  print_json(out, item, 0);
  cJSON_Delete(item);
}

void pf_emit_json_lines(FILE *out, const pf_run_report *report) { for_each_finding(report, print_line, out); }

void pf_emit_statistics_json(FILE *out, const pf_run_report *report) {
  pf_rule_tally *counts = pf_xcalloc(pf_rule_count ? pf_rule_count : 1, sizeof(pf_rule_tally));
  size_t used = pf_report_count_by_rule(report, counts);
  cJSON *array = cJSON_CreateArray();
  for (size_t i = 0; i < used; i++) {
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "code", counts[i].rule->code);
    cJSON_AddStringToObject(item, "name", counts[i].rule->name);
    cJSON_AddNumberToObject(item, "count", (double)counts[i].count);
    cJSON_AddBoolToObject(item, "fixable", 0); /* no rule has an automatic fix */
    cJSON_AddItemToArray(array, item);
  }
  print_json(out, array, 1);
  cJSON_Delete(array);
  free(counts);
}
