/*
 * report_sarif.c: SARIF 2.1.0, with everything GitHub code scanning requires or recommends.
 *
 * One run: tool.driver lists every rule that can run (not only those that fired) with its
 * descriptions, help (the rule's explanation, as text and Markdown), helpUri, default level
 * and properties (tags, precision, problem.severity); each result names its rule by id and
 * index, has a level, a message, one location relative to %SRCROOT% (the working directory,
 * declared in originalUriBaseIds) with a full region in code point columns, the related
 * location when the rule gave one, and partialFingerprints.primaryLocationLineHash from the
 * fingerprint captured at lint time (capture.c), which survives unrelated lines moving.
 * Files that could not be read or decoded, and paths that could not be expanded, become
 * invocations[0].toolExecutionNotifications, and so do files that crashed the parser;
 * executionSuccessful is false when any file or path could not be read or a file crashed
 * the parser.
 *
 * The output must validate against the OASIS schema; tests/cli/test_sarif.py checks it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "capture.h"
#include "registry.h"
#include "report.h"
#include "rule.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"

static const char *const default_tags[] = {"correctness", NULL};

/* An object with one string member; bytes that are not valid UTF-8 become U+FFFD, so no
 * message, whatever it quotes, can make the log invalid JSON. */
static cJSON *text_object(const char *key, const char *text) {
  cJSON *object = cJSON_CreateObject();
  char *clean = pf_utf8_sanitize(text);
  cJSON_AddStringToObject(object, key, clean);
  free(clean);
  return object;
}

static cJSON *message_object(const char *text) { return text_object("text", text ? text : ""); }

/* Whether a Markdown line starts a block of its own rather than continuing a paragraph: a
 * list item ("- ", "* ", "1. "), a quote, a table row, a heading or a code fence. */
static int starts_block(const char *line, size_t length) {
  if (length >= 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ')
    return 1;
  if (length && strchr(">|#", line[0]))
    return 1;
  if (length >= 3 && strncmp(line, "```", 3) == 0)
    return 1;
  size_t digits = 0;
  while (digits < length && line[digits] >= '0' && line[digits] <= '9')
    digits++;
  return digits && digits + 1 < length && line[digits] == '.' && line[digits + 1] == ' ';
}

/* Markdown text with the hard line breaks inside paragraphs and list items removed (a line
 * that continues the one before is joined to it with one space, its indentation dropped),
 * keeping blank lines, each list item, quote, table row and heading on its own line, and
 * code fences as they are. Heap string. */
static char *unwrap_paragraphs(const char *text, size_t length) {
  char *out = pf_xmalloc(length + 1);
  size_t used = 0;
  int in_fence = 0, previous_joinable = 0;
  for (size_t start = 0; start < length;) {
    const char *newline = memchr(text + start, '\n', length - start);
    size_t end = newline ? (size_t)(newline - text) : length;
    const char *line = text + start;
    size_t line_length = end - start;
    int is_fence = line_length >= 3 && strncmp(line, "```", 3) == 0;
    size_t indent = 0;
    while (indent < line_length && line[indent] == ' ')
      indent++;
    int blank = indent == line_length;
    if (used)
      out[used++] = '\n';
    if (in_fence || is_fence) {
      memcpy(out + used, line, line_length);
      used += line_length;
      if (is_fence)
        in_fence = !in_fence;
      previous_joinable = 0;
    } else if (blank) {
      previous_joinable = 0;
    } else {
      if (previous_joinable && !starts_block(line + indent, line_length - indent))
        out[used - 1] = ' '; /* continues the line before */
      else
        indent = 0; /* a new line keeps its indentation */
      memcpy(out + used, line + indent, line_length - indent);
      used += line_length - indent;
      previous_joinable = 1;
    }
    start = end + 1;
  }
  out[used] = '\0';
  return out;
}

/* The explanation's "What it does" section, without its heading, as the full description. */
static char *what_it_does(const pf_rule *rule) {
  static const char heading[] = "## What it does\n";
  const char *explanation = rule->explanation ? rule->explanation : "";
  const char *start = strstr(explanation, heading);
  if (!start)
    return pf_xstrdup(rule->summary);
  start += strlen(heading);
  const char *end = strstr(start, "\n## ");
  size_t length = end ? (size_t)(end - start) : strlen(start);
  while (length && (start[length - 1] == '\n' || start[length - 1] == ' '))
    length--;
  return unwrap_paragraphs(start, length);
}

static cJSON *rule_descriptor(const pf_rule *rule) {
  cJSON *descriptor = cJSON_CreateObject();
  char url[512];
  pf_rule_url(rule, url, sizeof(url));
  const char *level = pf_severity_name(rule->severity);
  cJSON_AddStringToObject(descriptor, "id", rule->code);
  cJSON_AddStringToObject(descriptor, "name", rule->name);
  cJSON_AddItemToObject(descriptor, "shortDescription", message_object(rule->summary));
  char *full = what_it_does(rule);
  cJSON_AddItemToObject(descriptor, "fullDescription", message_object(full));
  free(full);
  /* The same text as `pitfall rule CODE`. */
  size_t help_length = strlen(rule->code) + strlen(rule->name) + strlen(rule->summary) +
                       strlen(rule->explanation ? rule->explanation : "") + 64;
  char *help = pf_xmalloc(help_length);
  snprintf(help, help_length, "# %s %s\n\n%s.\n\nDefault severity: %s.\n\n%s", rule->code, rule->name,
           rule->summary, level, rule->explanation ? rule->explanation : "");
  cJSON *help_object = message_object(help);
  cJSON_AddStringToObject(help_object, "markdown", help);
  free(help);
  cJSON_AddItemToObject(descriptor, "help", help_object);
  cJSON_AddStringToObject(descriptor, "helpUri", url);
  cJSON_AddItemToObject(descriptor, "defaultConfiguration", text_object("level", level));
  cJSON *properties = cJSON_CreateObject();
  cJSON *tags = cJSON_CreateArray();
  for (const char *const *tag = rule->tags ? rule->tags : default_tags; *tag; tag++)
    cJSON_AddItemToArray(tags, cJSON_CreateString(*tag));
  cJSON_AddItemToObject(properties, "tags", tags);
  cJSON_AddStringToObject(properties, "precision", rule->precision ? rule->precision : "high");
  cJSON_AddStringToObject(properties, "problem.severity", level);
  cJSON_AddItemToObject(descriptor, "properties", properties);
  return descriptor;
}

/* artifactLocation for a display path: relative to %SRCROOT% when under the working
 * directory, else an absolute file: URI; standard input without a name has a description
 * instead of a uri. */
static cJSON *artifact_location(const pf_run_report *report, const char *path) {
  cJSON *location = cJSON_CreateObject();
  if (strcmp(path, "-") == 0) {
    /* Standard input without --stdin-filename: no file to name, so no uri (none is required;
     * a made-up one would point at a file that does not exist). */
    cJSON_AddItemToObject(location, "description", message_object("standard input"));
    return location;
  }
  char *relative = pf_report_relative_path(report, path);
  if (relative) {
    char *uri = pf_uri_encode_path(relative);
    cJSON_AddStringToObject(location, "uri", uri);
    cJSON_AddStringToObject(location, "uriBaseId", SRCROOT);
    free(uri);
    free(relative);
    return location;
  }
  char *absolute = pf_report_absolute_path(report, path);
  char *encoded = pf_uri_encode_path(absolute);
  if (absolute[0] == '/') {
    size_t length = strlen(encoded) + 8;
    char *uri = pf_xmalloc(length);
    snprintf(uri, length, "file://%s", encoded);
    cJSON_AddStringToObject(location, "uri", uri);
    free(uri);
  } else {
    cJSON_AddStringToObject(location, "uri", encoded);
  }
  free(encoded);
  free(absolute);
  return location;
}

static cJSON *region_object(pf_position start, pf_position end) {
  cJSON *region = cJSON_CreateObject();
  cJSON_AddNumberToObject(region, "startLine", start.row);
  cJSON_AddNumberToObject(region, "startColumn", start.column);
  cJSON_AddNumberToObject(region, "endLine", end.row);
  cJSON_AddNumberToObject(region, "endColumn", end.column);
  return region;
}

/* A location whose artifactLocation is a copy of `artifact` (worked out once per file: it
 * asks the file system), with a region when `start` is given. */
static cJSON *physical_location(const cJSON *artifact, const pf_position *start, const pf_position *end) {
  cJSON *physical = cJSON_CreateObject();
  cJSON_AddItemToObject(physical, "artifactLocation", cJSON_Duplicate(artifact, 1));
  if (start)
    cJSON_AddItemToObject(physical, "region", region_object(*start, *end));
  cJSON *location = cJSON_CreateObject();
  cJSON_AddItemToObject(location, "physicalLocation", physical);
  return location;
}

/* A fingerprint for findings captured without their source (an undecodable file): the
 * rule and the message without the numbers after "line " and "column ", so that it stays
 * the same when lines are inserted above ("invalid UTF-8 at line 2, column 13 (byte 0xe9)"
 * hashes as "invalid UTF-8 at line , column  (byte 0xe9)"). */
static uint64_t fallback_fingerprint(const pf_diagnostic *d) {
  uint64_t hash = pf_fnv1a(PF_FNV_OFFSET, d->rule->code, strlen(d->rule->code) + 1);
  const char *message = d->message ? d->message : "";
  static const char *const position_words[] = {"line ", "column "};
  size_t start = 0, i = 0;
  while (message[i]) {
    size_t skip_from = 0;
    for (size_t w = 0; w < 2; w++) {
      size_t length = strlen(position_words[w]);
      if (strncmp(message + i, position_words[w], length) == 0 && message[i + length] >= '0' &&
          message[i + length] <= '9')
        skip_from = i + length;
    }
    if (!skip_from) {
      i++;
      continue;
    }
    hash = pf_fnv1a(hash, message + start, skip_from - start);
    i = skip_from;
    while (message[i] >= '0' && message[i] <= '9')
      i++;
    start = i;
  }
  return pf_fnv1a(hash, message + start, i - start);
}

/* Appends `text` to `out` (sized for it doubled) with "[" and "]" escaped as "\[" and "\]":
 * in a SARIF plain text message an unescaped bracket pair followed by "(...)" is an embedded
 * link (SARIF 2.1.0 section 3.11.6), so literal brackets must not look like one. */
static size_t append_escaped(char *out, size_t used, const char *text) {
  for (; *text; text++) {
    if (*text == '[' || *text == ']')
      out[used++] = '\\';
    out[used++] = *text;
  }
  return used;
}

/* A message object whose plain text shows `text` literally (brackets escaped). */
static cJSON *plain_message_object(const char *text) {
  text = text ? text : "";
  char *escaped = pf_xmalloc(2 * strlen(text) + 1);
  escaped[append_escaped(escaped, 0, text)] = '\0';
  cJSON *object = message_object(escaped);
  free(escaped);
  return object;
}

/* The result's message text: the finding's message with literal brackets escaped, and when
 * the rule gave a related location, an embedded link to it (relatedLocations[].id 1):
 * "... ([method `C.m` is defined here](1))", which GitHub code scanning shows as a link. */
static char *result_message(const pf_diagnostic *d) {
  static const char open_link[] = " ([", close_link[] = "](1))";
  const char *message = d->message ? d->message : "";
  const char *related =
      d->has_related && d->related_message && d->related_message[0] ? d->related_message : "related location";
  size_t need = 2 * strlen(message) + 1; /* every byte may be an escaped bracket, then the NUL */
  if (d->has_related)
    need += sizeof(open_link) - 1 + 2 * strlen(related) + sizeof(close_link) - 1;
  char *text = pf_xmalloc(need);
  size_t used = append_escaped(text, 0, message);
  if (d->has_related) {
    memcpy(text + used, open_link, sizeof(open_link) - 1);
    used = append_escaped(text, used + sizeof(open_link) - 1, related);
    memcpy(text + used, close_link, sizeof(close_link) - 1);
    used += sizeof(close_link) - 1;
  }
  text[used] = '\0';
  return text;
}

static cJSON *result_object(const cJSON *artifact, const pf_diagnostic *d, size_t rule_index) {
  cJSON *result = cJSON_CreateObject();
  cJSON_AddStringToObject(result, "ruleId", d->rule->code);
  cJSON_AddNumberToObject(result, "ruleIndex", (double)rule_index);
  cJSON_AddStringToObject(result, "level", pf_severity_name(d->severity));
  char *text = result_message(d);
  cJSON_AddItemToObject(result, "message", message_object(text));
  free(text);
  cJSON *locations = cJSON_CreateArray();
  cJSON_AddItemToArray(locations, physical_location(artifact, &d->start, &d->end));
  cJSON_AddItemToObject(result, "locations", locations);
  if (d->has_related) {
    cJSON *related = physical_location(artifact, &d->related_start, &d->related_end);
    cJSON_AddNumberToObject(related, "id", 1);
    cJSON_AddItemToObject(related, "message", plain_message_object(d->related_message));
    cJSON *related_locations = cJSON_CreateArray();
    cJSON_AddItemToArray(related_locations, related);
    cJSON_AddItemToObject(result, "relatedLocations", related_locations);
  }
  char fingerprint[40];
  uint64_t hash = d->fingerprint ? d->fingerprint : fallback_fingerprint(d);
  snprintf(fingerprint, sizeof(fingerprint), "%016" PRIx64 ":%" PRIu32, hash,
           d->fingerprint_occurrence ? d->fingerprint_occurrence : 1);
  cJSON_AddItemToObject(result, "partialFingerprints", text_object("primaryLocationLineHash", fingerprint));
  return result;
}

static cJSON *notification(const pf_run_report *report, const char *path, const char *level,
                           const char *descriptor, const char *what, const char *reason) {
  cJSON *object = cJSON_CreateObject();
  cJSON_AddStringToObject(object, "level", level);
  size_t length = strlen(path) + strlen(what) + strlen(reason) + 8;
  char *text = pf_xmalloc(length);
  snprintf(text, length, "%s: %s: %s", path, what, reason);
  char *clean = pf_utf8_sanitize(text);
  cJSON_AddItemToObject(object, "message", plain_message_object(clean));
  free(clean);
  free(text);
  cJSON *locations = cJSON_CreateArray();
  cJSON *artifact = artifact_location(report, path);
  cJSON_AddItemToArray(locations, physical_location(artifact, NULL, NULL));
  cJSON_Delete(artifact);
  cJSON_AddItemToObject(object, "locations", locations);
  cJSON_AddItemToObject(object, "descriptor", text_object("id", descriptor));
  return object;
}

static cJSON *invocation_object(const pf_run_report *report) {
  cJSON *invocation = cJSON_CreateObject();
  cJSON *notifications = cJSON_CreateArray();
  int successful = 1;
  for (size_t i = 0; i < report->path_error_count; i++) {
    const pf_path_error *error = &report->path_errors[i];
    cJSON_AddItemToArray(
        notifications, notification(report, error->path, "error", "io-error", "cannot read", error->reason));
    successful = 0;
  }
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_file_result *file = &report->files[f];
    if (file->error) {
      cJSON_AddItemToArray(notifications,
                           notification(report, file->path, "error", "io-error", "cannot read", file->error));
      successful = 0;
    }
    if (file->incomplete == PF_INCOMPLETE_CRASH) {
      /* Reported as one PF000, but the file was not checked: the run did not do its job. */
      cJSON_AddItemToArray(notifications, notification(report, file->path, "error", "parser-crash",
                                                       "not checked", "the parser crashed on this file"));
      successful = 0;
    }
    if (file->decode_error)
      cJSON_AddItemToArray(notifications, notification(report, file->path, "warning", "decode-error",
                                                       "cannot decode", file->decode_error));
  }
  cJSON_AddBoolToObject(invocation, "executionSuccessful", successful);
  if (cJSON_GetArraySize(notifications))
    cJSON_AddItemToObject(invocation, "toolExecutionNotifications", notifications);
  else
    cJSON_Delete(notifications);
  return invocation;
}

/* file:// URI of the working directory, ending in "/" as SARIF requires of a base. */
static char *srcroot_uri(const pf_run_report *report) {
  const char *directory = report->working_directory ? report->working_directory : "/";
  pf_run_report root_only = {0};
  char *absolute = pf_report_absolute_path(&root_only, directory);
  char *encoded = pf_uri_encode_path(absolute);
  size_t length = strlen(encoded) + 16;
  char *uri = pf_xmalloc(length);
  snprintf(uri, length, "file://%s%s", encoded, encoded[strlen(encoded) - 1] == '/' ? "" : "/");
  free(encoded);
  free(absolute);
  return uri;
}

void pf_emit_sarif(FILE *out, const pf_run_report *report) {
  /* descriptor_of[registry index] = index in driver.rules, or -1 */
  long *descriptor_of = pf_xcalloc(pf_rule_count ? pf_rule_count : 1, sizeof(long));
  cJSON *rules = cJSON_CreateArray();
  long listed = 0;
  for (size_t i = 0; i < pf_rule_count; i++) {
    descriptor_of[i] = -1;
    if (pf_report_rule_enabled(report, i)) {
      cJSON_AddItemToArray(rules, rule_descriptor(pf_rules[i]));
      descriptor_of[i] = listed++;
    }
  }

  cJSON *results = cJSON_CreateArray();
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_file_result *file = &report->files[f];
    cJSON *artifact = file->diagnostics.count ? artifact_location(report, file->path) : NULL;
    for (size_t i = 0; i < file->diagnostics.count; i++) {
      const pf_diagnostic *d = &file->diagnostics.items[i];
      size_t registry_index = pf_report_rule_index(d->rule);
      if (descriptor_of[registry_index] < 0) { /* a finding of a rule not listed: list it */
        cJSON_AddItemToArray(rules, rule_descriptor(d->rule));
        descriptor_of[registry_index] = listed++;
      }
      cJSON_AddItemToArray(results, result_object(artifact, d, (size_t)descriptor_of[registry_index]));
    }
    cJSON_Delete(artifact);
  }
  free(descriptor_of);

  cJSON *driver = cJSON_CreateObject();
  cJSON_AddStringToObject(driver, "name", "pitfall");
  cJSON_AddStringToObject(driver, "version", PITFALL_VERSION);
  cJSON_AddStringToObject(driver, "semanticVersion", PITFALL_VERSION);
  cJSON_AddStringToObject(driver, "informationUri", PITFALL_HOMEPAGE);
  cJSON_AddItemToObject(driver, "rules", rules);
  cJSON *tool = cJSON_CreateObject();
  cJSON_AddItemToObject(tool, "driver", driver);

  cJSON *run = cJSON_CreateObject();
  cJSON_AddItemToObject(run, "tool", tool);
  cJSON *invocations = cJSON_CreateArray();
  cJSON_AddItemToArray(invocations, invocation_object(report));
  cJSON_AddItemToObject(run, "invocations", invocations);
  cJSON *base_ids = cJSON_CreateObject();
  char *root = srcroot_uri(report);
  cJSON *srcroot = text_object("uri", root);
  free(root);
  cJSON_AddItemToObject(srcroot, "description", message_object("The directory pitfall ran in."));
  cJSON_AddItemToObject(base_ids, SRCROOT, srcroot);
  cJSON_AddItemToObject(run, "originalUriBaseIds", base_ids);
  cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
  cJSON_AddItemToObject(run, "results", results);

  cJSON *log = cJSON_CreateObject();
  cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA);
  cJSON_AddStringToObject(log, "version", "2.1.0");
  cJSON *runs = cJSON_CreateArray();
  cJSON_AddItemToArray(runs, run);
  cJSON_AddItemToObject(log, "runs", runs);

  char *text = cJSON_Print(log);
  if (text) {
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
  }
  cJSON_Delete(log);
}
