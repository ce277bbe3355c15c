/*
 * report.c: the output format table (see report.h) and what its emitters share: paths and
 * URIs, rule lookups, colour choice and per-rule counts. The emitters themselves are in
 * report_text.c, report_json.c, report_sarif.c and report_github.c.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "capture.h"
#include "registry.h"
#include "rule.h"

const pf_output_format pf_output_formats[] = {
    {"concise", "one line per finding: path:row:col: CODE message (the default)", pf_emit_concise, NULL, 0},
    {"full", "each finding with its source lines underlined and the rule's help", pf_emit_full, NULL,
     PF_CAPTURE_EXCERPT},
    {"json", "a JSON array in ruff's schema, for editors", pf_emit_json, pf_emit_statistics_json, 0},
    {"json-lines", "the same JSON objects, one per line", pf_emit_json_lines, pf_emit_statistics_json, 0},
    {"sarif", "SARIF 2.1.0, for GitHub code scanning and other SARIF viewers", pf_emit_sarif, NULL,
     PF_CAPTURE_FINGERPRINT},
    {"github", "GitHub Actions annotations (::error file=...::message)", pf_emit_github, NULL, 0},
};

const size_t pf_output_format_count = sizeof(pf_output_formats) / sizeof(pf_output_formats[0]);

const pf_output_format *pf_output_format_find(const char *name) {
  for (size_t i = 0; i < pf_output_format_count; i++)
    if (strcmp(pf_output_formats[i].name, name) == 0)
      return &pf_output_formats[i];
  return NULL;
}

void pf_report_write(FILE *out, const pf_output_format *format, const pf_run_report *report, int statistics) {
  if (!statistics)
    format->emit(out, report);
  else if (format->emit_statistics)
    format->emit_statistics(out, report);
  else
    pf_emit_statistics_text(out, report);
}

/* The README has a "### PF001 mutable-default-argument" section per rule; its anchor is the
 * heading lowercased with spaces as dashes. */
void pf_rule_url(const pf_rule *rule, char *out, size_t out_size) {
  char lower[16];
  size_t i = 0;
  for (; rule->code[i] && i + 1 < sizeof(lower); i++)
    lower[i] = (char)tolower((unsigned char)rule->code[i]);
  lower[i] = '\0';
  snprintf(out, out_size, "%s/blob/main/README.md#%s-%s", PITFALL_HOMEPAGE, lower, rule->name);
}

size_t pf_run_report_count(const pf_run_report *report) {
  size_t total = 0;
  for (size_t i = 0; i < report->file_count; i++)
    total += report->files[i].diagnostics.count;
  return total;
}

int pf_report_rule_enabled(const pf_run_report *report, size_t rule_index) {
  if (!report->settings || rule_index >= PF_MAX_RULES)
    return 1;
  return report->settings->enabled[rule_index] != 0;
}

size_t pf_report_rule_index(const pf_rule *rule) {
  for (size_t i = 0; i < pf_rule_count; i++)
    if (pf_rules[i] == rule)
      return i;
  size_t index = 0;
  pf_rule_find(rule->code, &index);
  return index;
}

int pf_report_use_color(const char *mode, FILE *stream) {
  if (mode && strcmp(mode, "always") == 0)
    return 1;
  if (mode && strcmp(mode, "never") == 0)
    return 0;
  const char *no_color = getenv("NO_COLOR");
  if (no_color && no_color[0])
    return 0;
  const char *term = getenv("TERM");
  if (term && strcmp(term, "dumb") == 0)
    return 0;
  return isatty(fileno(stream));
}

/* ---- paths and URIs ---- */

/* Removes "." segments, doubled slashes and ".." segments (with the segment before them)
 * from an absolute path, in place. ".." at the root stays at the root. */
static void normalise_absolute(char *path) {
  size_t read = 0, write = 0, length = strlen(path);
  while (read < length) {
    while (read < length && path[read] == '/')
      read++;
    size_t start = read;
    while (read < length && path[read] != '/')
      read++;
    size_t segment = read - start;
    if (segment == 0 || (segment == 1 && path[start] == '.'))
      continue;
    if (segment == 2 && path[start] == '.' && path[start + 1] == '.') {
      while (write > 0 && path[write - 1] != '/')
        write--;
      if (write > 0)
        write--;
      continue;
    }
    path[write++] = '/';
    memmove(path + write, path + start, segment);
    write += segment;
  }
  if (write == 0)
    path[write++] = '/';
  path[write] = '\0';
}

/* `path` joined to the working directory and lexically normalised. */
static char *lexical_absolute(const pf_run_report *report, const char *path) {
  char *joined;
  if (path[0] == '/') {
    joined = pf_xstrdup(path);
  } else {
    size_t base = strlen(report->working_directory), length = strlen(path);
    joined = pf_xmalloc(base + 1 + length + 1);
    memcpy(joined, report->working_directory, base);
    joined[base] = '/';
    memcpy(joined + base + 1, path, length + 1);
  }
  normalise_absolute(joined);
  return joined;
}

/* The file `path` names on disk: the real path of its directory (symlinks and ".." resolved
 * by the file system, as opening it would) plus its own name, so a symlinked file keeps its
 * name. NULL when the directory cannot be resolved (standard input, a vanished file). */
static char *real_file_path(const pf_run_report *report, const char *path) {
  if (strcmp(path, "-") == 0 || (path[0] != '/' && !report->working_directory))
    return NULL;
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return NULL;
  size_t directory_length = slash ? (size_t)(slash - path) + 1 : 0;
  size_t base = path[0] == '/' ? 0 : strlen(report->working_directory) + 1;
  char *directory = pf_xmalloc(base + directory_length + 2);
  if (base) {
    memcpy(directory, report->working_directory, base - 1);
    directory[base - 1] = '/';
  }
  memcpy(directory + base, path, directory_length);
  directory[base + directory_length] = '.';
  directory[base + directory_length + 1] = '\0';
  char *real_directory = realpath(directory, NULL);
  free(directory);
  if (!real_directory)
    return NULL;
  size_t real_length = strlen(real_directory), name_length = strlen(name);
  char *real = pf_xmalloc(real_length + 1 + name_length + 1);
  memcpy(real, real_directory, real_length);
  size_t used = real_length;
  if (used == 0 || real[used - 1] != '/')
    real[used++] = '/';
  memcpy(real + used, name, name_length + 1);
  free(real_directory);
  return real;
}

static int same_file(const char *left, const char *right) {
  struct stat a, b;
  return stat(left, &a) == 0 && stat(right, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

char *pf_report_absolute_path(const pf_run_report *report, const char *path) {
  if (strcmp(path, "-") == 0 || (path[0] != '/' && !report->working_directory))
    return pf_xstrdup(path);
  char *lexical = lexical_absolute(report, path);
  if (!strstr(path, ".."))
    return lexical; /* without "..", text and file system agree */
  /* "link/../a.py" through a symlinked directory is not "a.py": the file system decides. */
  char *real = real_file_path(report, path);
  if (real && !same_file(lexical, real)) {
    free(lexical);
    return real;
  }
  free(real);
  return lexical;
}

/* `absolute` relative to directory `root` (both normalised) when strictly inside it, else NULL. */
static char *relative_to(const char *absolute, const char *root) {
  size_t root_length = strlen(root);
  if (root_length == 1) /* "/" */
    root_length = 0;
  if (strncmp(absolute, root, root_length) == 0 && absolute[root_length] == '/' && absolute[root_length + 1])
    return pf_xstrdup(absolute + root_length + 1);
  return NULL;
}

char *pf_report_relative_path(const pf_run_report *report, const char *path) {
  if (strcmp(path, "-") == 0 || !report->working_directory || report->working_directory[0] != '/')
    return NULL;
  /* The file system first: the real file under the real working directory. */
  char *real = real_file_path(report, path);
  char *real_root = real ? realpath(report->working_directory, NULL) : NULL;
  char *relative = real && real_root ? relative_to(real, real_root) : NULL;
  free(real_root);
  if (!relative) {
    /* By text, when that names the same file: a path under the working directory through a
     * symlink to a directory outside it is still that path to the repository. */
    char *lexical = lexical_absolute(report, path);
    char *root = pf_xstrdup(report->working_directory);
    normalise_absolute(root);
    if (!real || same_file(lexical, real))
      relative = relative_to(lexical, root);
    free(root);
    free(lexical);
  }
  free(real);
  return relative;
}

static int is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

char *pf_uri_encode_path(const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  size_t length = strlen(path);
  char *encoded = pf_xmalloc(length * 3 + 1);
  size_t used = 0;
  for (size_t i = 0; i < length; i++) {
    unsigned char c = (unsigned char)path[i];
    if (is_unreserved(c) || c == '/') {
      encoded[used++] = (char)c;
    } else {
      encoded[used++] = '%';
      encoded[used++] = hex[c >> 4];
      encoded[used++] = hex[c & 15];
    }
  }
  encoded[used] = '\0';
  return encoded;
}

char *pf_utf8_sanitize(const char *text) {
  size_t length = strlen(text);
  char *clean = pf_xmalloc(length * 3 + 1);
  size_t used = 0;
  for (size_t i = 0; i < length;) {
    size_t sequence = pf_utf8_sequence_length((const unsigned char *)text + i, length - i);
    if (sequence) {
      memcpy(clean + used, text + i, sequence);
      used += sequence;
      i += sequence;
    } else {
      memcpy(clean + used, "\xEF\xBF\xBD", 3);
      used += 3;
      i++;
    }
  }
  clean[used] = '\0';
  return clean;
}

/* ---- statistics ---- */

static int compare_counts(const void *left, const void *right) {
  return strcmp(((const pf_rule_tally *)left)->rule->code, ((const pf_rule_tally *)right)->rule->code);
}

size_t pf_report_count_by_rule(const pf_run_report *report, pf_rule_tally *counts) {
  size_t used = 0;
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_diagnostic_list *list = &report->files[f].diagnostics;
    for (size_t i = 0; i < list->count; i++) {
      const pf_rule *rule = list->items[i].rule;
      size_t slot = 0;
      while (slot < used && counts[slot].rule != rule)
        slot++;
      if (slot == used) {
        if (used == pf_rule_count)
          continue;
        counts[used].rule = rule;
        counts[used].count = 0;
        used++;
      }
      counts[slot].count++;
    }
  }
  qsort(counts, used, sizeof(pf_rule_tally), compare_counts);
  return used;
}
