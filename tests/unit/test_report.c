/*
 * test_report.c: unit tests for the report helpers and emitters (src/report*.c) and for the
 * source capture they rely on (src/capture.c): URI encoding, path normalisation, excerpts,
 * fingerprints that survive inserted lines, SARIF relatedLocations and the full format's
 * note (built here by hand, as no rule on this branch sets a related location), GitHub
 * escaping, and control characters kept away from the terminal.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "capture.h"
#include "registry.h"
#include "report.h"
#include "rule.h"
#include "unit.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs an emitter into a heap string. */
static char *emit_to_string(void (*emit)(FILE *, const pf_run_report *), const pf_run_report *report) {
  char *text = NULL;
  size_t size = 0;
  FILE *stream = open_memstream(&text, &size);
  emit(stream, report);
  fclose(stream);
  return text;
}

static void test_uri_encoding(void) {
  char *uri = pf_uri_encode_path("dir with space/it's \"100%\" \xc3\xbc-\xe4\xb8\xad.py");
  CHECK_EQ_STR(uri, "dir%20with%20space/it%27s%20%22100%25%22%20%C3%BC-%E4%B8%AD.py");
  free(uri);
  uri = pf_uri_encode_path("a:b#c?d[e]@f~g_h.i-j");
  CHECK_EQ_STR(uri, "a%3Ab%23c%3Fd%5Be%5D%40f~g_h.i-j");
  free(uri);
}

static void test_paths(void) {
  pf_run_report report = {0};
  report.working_directory = "/home/user/project";
  char *path = pf_report_absolute_path(&report, "./src/../pkg//a.py");
  CHECK_EQ_STR(path, "/home/user/project/pkg/a.py");
  free(path);
  path = pf_report_absolute_path(&report, "/tmp/./x/../y.py");
  CHECK_EQ_STR(path, "/tmp/y.py");
  free(path);
  path = pf_report_absolute_path(&report, "-");
  CHECK_EQ_STR(path, "-");
  free(path);
  path = pf_report_relative_path(&report, "./pkg/a.py");
  CHECK_EQ_STR(path, "pkg/a.py");
  free(path);
  path = pf_report_relative_path(&report, "/home/user/project/b.py");
  CHECK_EQ_STR(path, "b.py");
  free(path);
  CHECK(pf_report_relative_path(&report, "../other/c.py") == NULL);
  CHECK(pf_report_relative_path(&report, "/home/user/projectile/d.py") == NULL);
  CHECK(pf_report_relative_path(&report, "-") == NULL);
  report.working_directory = "/";
  path = pf_report_relative_path(&report, "/etc/e.py");
  CHECK_EQ_STR(path, "etc/e.py");
  free(path);
}

static void test_utf8_sanitize(void) {
  char *clean = pf_utf8_sanitize("caf\xe9-\xc3\xa9-\xed\xa0\x80");
  CHECK_EQ_STR(clean, "caf\xef\xbf\xbd-\xc3\xa9-\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  free(clean);
}

/* Pushes a finding of `rule` over [start, end) of `source`. */
static pf_diagnostic *push(pf_diagnostic_list *list, const pf_rule *rule, uint32_t start, uint32_t end) {
  pf_diagnostic *d = pf_diagnostic_list_push(list);
  d->rule = rule;
  d->severity = rule->severity;
  d->start_byte = start;
  d->end_byte = end;
  d->message = strdup("message");
  return d;
}

static uint32_t offset_of(const pf_source *source, const char *needle) {
  return (uint32_t)(strstr(source->text, needle) - source->text);
}

/* An excerpt as text: "ROW:FIRST_COLUMN|<TEXT>|" per line, with "..." where it was cut. */
static const char *describe(const pf_diagnostic *d) {
  static char buffer[4096];
  size_t used = 0;
  buffer[0] = '\0';
  if (!d->excerpt)
    return "(none)";
  for (uint32_t i = 0; i < d->excerpt->line_count; i++) {
    const pf_excerpt_line *line = &d->excerpt->lines[i];
    used += (size_t)snprintf(buffer + used, sizeof(buffer) - used, "%u:%u|%s%.*s%s|\n", line->row,
                             line->first_column, line->cut_before ? "..." : "", (int)line->length, line->text,
                             line->cut_after ? "..." : "");
  }
  return buffer;
}

static void test_excerpt(void) {
  static const char text[] = "x = 1\r\ndef f(a={\r\n  1: 2,\r\n}):\r\n  pass\r\n";
  pf_source source;
  char error[256];
  CHECK(pf_source_load_bytes(&source, text, sizeof(text) - 1, error, sizeof(error)) == PF_LOAD_OK);
  const pf_rule *rule = pf_rule_find("PF001", NULL);
  pf_diagnostic_list list = {0};
  uint32_t open = offset_of(&source, "{"), close = offset_of(&source, "}") + 1;
  push(&list, rule, open, close);
  push(&list, rule, offset_of(&source, "pass"), offset_of(&source, "pass") + 4);
  pf_diagnostic_list_resolve(&list, &source);
  pf_capture(&list, &source, PF_CAPTURE_EXCERPT);
  CHECK_EQ_STR(describe(&list.items[0]), "2:1|def f(a={|\n3:1|  1: 2,|\n4:1|}):|\n");
  CHECK_EQ_STR(describe(&list.items[1]), "5:1|  pass|\n");
  CHECK(list.items[0].fingerprint == 0); /* not asked for */
  pf_diagnostic_list_free(&list);
  pf_source_free(&source);

  /* A range of 10 lines keeps its first PF_EXCERPT_HEAD_LINES lines and its last. */
  static const char tall[] = "v = [\n1,\n2,\n3,\n4,\n5,\n6,\n7,\n8,\n]\n";
  CHECK(pf_source_load_bytes(&source, tall, sizeof(tall) - 1, error, sizeof(error)) == PF_LOAD_OK);
  push(&list, rule, offset_of(&source, "["), offset_of(&source, "]") + 1);
  pf_diagnostic_list_resolve(&list, &source);
  pf_capture(&list, &source, PF_CAPTURE_EXCERPT);
  CHECK_EQ_STR(describe(&list.items[0]), "1:1|v = [|\n2:1|1,|\n3:1|2,|\n4:1|3,|\n10:1|]|\n");
  pf_diagnostic_list_free(&list);
  pf_source_free(&source);

  /* A long line is cut to a window that starts PF_EXCERPT_LEAD_COLUMNS code points before the
   * range and is PF_EXCERPT_MAX_COLUMNS long; columns count code points (the CJK before). */
  char wide[2048] = "s = '";
  for (int i = 0; i < 100; i++)
    strcat(wide, "\xe4\xb8\xad"); /* 100 x U+4E2D */
  strcat(wide, "'; f = lambda a=[]: a");
  for (int i = 0; i < 300; i++)
    strcat(wide, " ");
  strcat(wide, "\n");
  CHECK(pf_source_load_bytes(&source, wide, strlen(wide), error, sizeof(error)) == PF_LOAD_OK);
  uint32_t at = offset_of(&source, "[]");
  push(&list, rule, at, at + 2);
  pf_diagnostic_list_resolve(&list, &source);
  pf_capture(&list, &source, PF_CAPTURE_EXCERPT);
  const pf_excerpt_line *line = &list.items[0].excerpt->lines[0];
  CHECK_EQ_INT(list.items[0].start.column, 5 + 100 + 16 + 1); /* "s = '", CJK, "'; f = lambda a=" */
  CHECK_EQ_INT(line->first_column, list.items[0].start.column - PF_EXCERPT_LEAD_COLUMNS);
  CHECK(line->cut_before && line->cut_after);
  CHECK_EQ_INT(pf_utf8_count_code_points(line->text, line->length), PF_EXCERPT_MAX_COLUMNS);
  pf_diagnostic_list_free(&list);
  pf_source_free(&source);

  /* A long line whose range starts early is kept from its start; a line that fits is whole,
   * however far in its range starts. */
  char early[512] = "f = lambda a=[]: a  #";
  for (int i = 0; i < 200; i++)
    strcat(early, "z");
  strcat(early, "\ng = lambda b=[]: b  #");
  for (int i = 0; i < 100; i++)
    strcat(early, "y");
  strcat(early, "; h = lambda c=[]: c\n");
  CHECK(pf_source_load_bytes(&source, early, strlen(early), error, sizeof(error)) == PF_LOAD_OK);
  at = offset_of(&source, "a=[]") + 2;
  push(&list, rule, at, at + 2);
  at = offset_of(&source, "c=[]") + 2;
  push(&list, rule, at, at + 2);
  pf_diagnostic_list_resolve(&list, &source);
  pf_capture(&list, &source, PF_CAPTURE_EXCERPT);
  line = &list.items[0].excerpt->lines[0];
  CHECK(line->first_column == 1 && !line->cut_before && line->cut_after &&
        line->length == PF_EXCERPT_MAX_COLUMNS);
  line = &list.items[1].excerpt->lines[0];
  CHECK_EQ_INT(list.items[1].start.column, 137);
  CHECK(line->first_column == 1 && !line->cut_before && !line->cut_after && line->length == 141);
  pf_diagnostic_list_free(&list);
  pf_source_free(&source);
}

/* The fingerprint and occurrence of the finding over `needle` (its `nth` match, 0-based). */
static void fingerprint_of(const char *text, const char *needle, int nth, uint64_t *hash,
                           uint32_t *occurrence) {
  pf_source source;
  char error[256];
  pf_source_load_bytes(&source, text, strlen(text), error, sizeof(error));
  const char *at = source.text;
  for (int i = 0; i <= nth; i++)
    at = strstr(i ? at + 1 : at, needle);
  pf_diagnostic_list list = {0};
  uint32_t start = (uint32_t)(at - source.text);
  push(&list, pf_rule_find("PF001", NULL), start, start + (uint32_t)strlen(needle));
  pf_diagnostic_list_resolve(&list, &source);
  pf_capture(&list, &source, PF_CAPTURE_FINGERPRINT);
  *hash = list.items[0].fingerprint;
  *occurrence = list.items[0].fingerprint_occurrence;
  pf_diagnostic_list_free(&list);
  pf_source_free(&source);
}

static void test_fingerprints(void) {
  uint64_t base, moved, reindented, other_rule_place, second;
  uint32_t base_occurrence, moved_occurrence, reindented_occurrence, other_occurrence, second_occurrence;
  fingerprint_of("def f(a=[]):\n    pass\n", "[]", 0, &base, &base_occurrence);
  fingerprint_of("import os\n\n\nx = 1\ndef f(a=[]):\n    pass\n", "[]", 0, &moved, &moved_occurrence);
  fingerprint_of("if True:\n    def f( a = [] ):\n        pass\n", "[]", 0, &reindented,
                 &reindented_occurrence);
  CHECK(base != 0);
  CHECK(base == moved);
  CHECK_EQ_INT(base_occurrence, 1);
  CHECK_EQ_INT(moved_occurrence, 1);
  CHECK(base == reindented); /* whitespace does not count */
  /* Another place in the same line is another finding. */
  fingerprint_of("def f(a=[], b=[]):\n    pass\n", "[]", 1, &other_rule_place, &other_occurrence);
  fingerprint_of("def f(a=[], b=[]):\n    pass\n", "[]", 0, &second, &second_occurrence);
  CHECK(other_rule_place != second);
  /* The same line twice: the second one is occurrence 2, and stays so when lines move. */
  fingerprint_of("def f(a=[]):\n    pass\ndef f(a=[]):\n    pass\n", "[]", 1, &second, &second_occurrence);
  CHECK(second == base); /* same rule, line and place: only the occurrence tells them apart */
  CHECK_EQ_INT(second_occurrence, 2);
  fingerprint_of("# top\n\ndef f(a=[]):\n    pass\n\n\ndef f(a=[]):\n    pass\n", "[]", 1, &moved,
                 &moved_occurrence);
  CHECK(second == moved);
  CHECK_EQ_INT(moved_occurrence, 2);
}

/* A report of one file with one PF001 finding on row 3 pointing back at row 1. */
static void related_report(pf_run_report *report, pf_file_result *file) {
  memset(file, 0, sizeof(*file));
  file->path = strdup("pkg/a b.py");
  pf_diagnostic *d = push(&file->diagnostics, pf_rule_find("PF001", NULL), 0, 0);
  d->start = (pf_position){3, 5};
  d->end = (pf_position){3, 9};
  d->has_related = 1;
  d->related_start = (pf_position){1, 7};
  d->related_end = (pf_position){1, 12};
  d->related_message = strdup("the method it shadows");
  memset(report, 0, sizeof(*report));
  report->files = file;
  report->file_count = 1;
  report->working_directory = "/srv/project";
}

static void test_sarif_related_location(void) {
  pf_run_report report;
  pf_file_result file;
  related_report(&report, &file);
  char *text = emit_to_string(pf_emit_sarif, &report);
  cJSON *log = cJSON_Parse(text);
  CHECK(log != NULL);
  cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(log, "runs"), 0);
  cJSON *result = cJSON_GetArrayItem(cJSON_GetObjectItem(run, "results"), 0);
  cJSON *related = cJSON_GetArrayItem(cJSON_GetObjectItem(result, "relatedLocations"), 0);
  CHECK(related != NULL);
  cJSON *physical = cJSON_GetObjectItem(related, "physicalLocation");
  cJSON *artifact = cJSON_GetObjectItem(physical, "artifactLocation");
  cJSON *region = cJSON_GetObjectItem(physical, "region");
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(artifact, "uri")), "pkg/a%20b.py");
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(artifact, "uriBaseId")), "%SRCROOT%");
  CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(region, "startLine")), 1);
  CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(region, "startColumn")), 7);
  CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(region, "endLine")), 1);
  CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(region, "endColumn")), 12);
  CHECK_EQ_INT(cJSON_GetNumberValue(cJSON_GetObjectItem(related, "id")), 1);
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(related, "message"), "text")),
               "the method it shadows");
  cJSON *base = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "originalUriBaseIds"), "%SRCROOT%");
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(base, "uri")), "file:///srv/project/");
  /* ruleIndex points at the rule in driver.rules. */
  int index = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(result, "ruleIndex"));
  cJSON *rule = cJSON_GetArrayItem(
      cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"), "driver"), "rules"), index);
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rule, "id")), "PF001");
  cJSON_Delete(log);
  free(text);

  /* Without a related location there is no relatedLocations key. */
  file.diagnostics.items[0].has_related = 0;
  text = emit_to_string(pf_emit_sarif, &report);
  CHECK(strstr(text, "relatedLocations") == NULL);
  free(text);
  file.diagnostics.items[0].has_related = 1;

  text = emit_to_string(pf_emit_full, &report);
  CHECK(strstr(text, "  = note: pkg/a b.py:1:7: the method it shadows\n") != NULL);
  free(text);
  pf_file_result_free(&file);
}

static void test_github_escaping(void) {
  pf_run_report report;
  pf_file_result file;
  related_report(&report, &file);
  free(file.path);
  file.path = strdup("odd,name:1%.py");
  free(file.diagnostics.items[0].message);
  file.diagnostics.items[0].message = strdup("100% wrong:\r\nsee a, b");
  char *text = emit_to_string(pf_emit_github, &report);
  CHECK_EQ_STR(text, "::warning title=pitfall (PF001),file=odd%2Cname%3A1%25.py,line=3,col=5,endLine=3,"
                     "endColumn=9::100%25 wrong:%0D%0Asee a, b\n");
  free(text);
  pf_file_result_free(&file);
}

static void test_control_characters(void) {
  pf_run_report report;
  pf_file_result file;
  related_report(&report, &file);
  file.diagnostics.items[0].has_related = 0;
  free(file.diagnostics.items[0].message);
  file.diagnostics.items[0].message = strdup("bad \x1b[31mred\x7f");
  char *text = emit_to_string(pf_emit_concise, &report);
  CHECK_EQ_STR(text, "pkg/a b.py:3:5: PF001 bad \xe2\x90\x9b[31mred\xe2\x90\xa1\n");
  free(text);
  report.color = 1;
  text = emit_to_string(pf_emit_concise, &report);
  CHECK(strstr(text, "\x1b[1m") != NULL && strstr(text, "\x1b[0m") != NULL);
  free(text);
  pf_file_result_free(&file);
}

/* A SARIF message of one byte with an empty related message: the buffer holds the message,
 * " ([related location](1))" and the NUL exactly (the ASan build catches an overflow). */
static void test_sarif_short_message_with_empty_related(void) {
  pf_run_report report;
  pf_file_result file;
  related_report(&report, &file);
  pf_diagnostic *d = &file.diagnostics.items[0];
  free(d->message);
  d->message = strdup("x");
  free(d->related_message);
  d->related_message = strdup("");
  char *text = emit_to_string(pf_emit_sarif, &report);
  cJSON *log = cJSON_Parse(text);
  CHECK(log != NULL);
  cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(log, "runs"), 0);
  cJSON *result = cJSON_GetArrayItem(cJSON_GetObjectItem(run, "results"), 0);
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(result, "message"), "text")),
               "x ([related location](1))");
  cJSON_Delete(log);
  free(text);
  /* And with no message at all. */
  free(d->message);
  d->message = NULL;
  text = emit_to_string(pf_emit_sarif, &report);
  CHECK(strstr(text, "\" ([related location](1))\"") != NULL);
  free(text);
  pf_file_result_free(&file);
}

/* Whether `text` is valid UTF-8 throughout. */
static int valid_utf8(const char *text) {
  size_t length = strlen(text);
  for (size_t i = 0; i < length;) {
    size_t sequence = pf_utf8_sequence_length((const unsigned char *)text + i, length - i);
    if (!sequence)
      return 0;
    i += sequence;
  }
  return 1;
}

/* Messages holding bytes that are not UTF-8 (a code point cut in half, a stray continuation
 * byte) come out of the JSON, SARIF and GitHub emitters with U+FFFD in their place. */
static void test_invalid_utf8_in_messages(void) {
  pf_run_report report;
  pf_file_result file;
  related_report(&report, &file);
  pf_diagnostic *d = &file.diagnostics.items[0];
  free(d->message);
  d->message = strdup("name `\xC3\xA9\xC3");
  free(d->related_message);
  d->related_message = strdup("here \x80");
  void (*const emitters[])(FILE *, const pf_run_report *) = {pf_emit_json, pf_emit_json_lines, pf_emit_sarif,
                                                             pf_emit_github};
  for (size_t i = 0; i < sizeof(emitters) / sizeof(emitters[0]); i++) {
    char *text = emit_to_string(emitters[i], &report);
    CHECK(valid_utf8(text));
    CHECK(strstr(text, "name `\xC3\xA9\xEF\xBF\xBD") != NULL);
    if (emitters[i] != pf_emit_github)
      CHECK(strstr(text, "here \xEF\xBF\xBD") != NULL);
    free(text);
  }
  char *text = emit_to_string(pf_emit_json, &report);
  cJSON *findings = cJSON_Parse(text);
  CHECK(findings != NULL);
  CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(findings, 0), "message")),
               "name `\xC3\xA9\xEF\xBF\xBD");
  cJSON_Delete(findings);
  free(text);
  pf_file_result_free(&file);
}

int main(void) {
  test_uri_encoding();
  test_paths();
  test_utf8_sanitize();
  test_excerpt();
  test_fingerprints();
  test_sarif_related_location();
  test_github_escaping();
  test_control_characters();
  test_sarif_short_message_with_empty_related();
  test_invalid_utf8_in_messages();
  return unit_report("test_report");
}
