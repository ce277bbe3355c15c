/*
 * config.c: finding, reading and checking configuration files, and resolving them with the
 * command line into settings and excludes (see config.h).
 *
 * Data: the resolver owns every configuration it has read (`configs`), a cache from each
 * directory looked at to its closest configuration (NULL: none up to the root), and the
 * problems found. A configuration holds what its keys said (rule selectors, patterns, name
 * lists) and, once checked, its resolved settings plus one variant per distinct outcome of
 * its per-file-ignores (shallow copies sharing the name lists, so only `settings` frees them).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "arena.h"
#include "discover.h"
#include "edit_distance.h"
#include "gitignore.h"
#include "glob.h"
#include "paths.h"
#include "registry.h"
#include "strmap.h"
#include "toml.h"

/* Larger files are refused: no configuration comes near, and parsing stays fast. */
enum { MAX_CONFIG_BYTES = 1024 * 1024 };

static const char *const config_file_names[] = {".pitfall.toml", "pitfall.toml", "pyproject.toml"};

typedef struct selector_list {
  char **items; /* upper-case codes or prefixes; "ALL" */
  size_t count, capacity;
} selector_list;

/* One layer of rule selection: a configuration file's, or the command line's. */
typedef struct rule_selection {
  int has_select;
  selector_list select, extend_select, ignore;
} rule_selection;

typedef struct pattern_list {
  pf_glob *items;
  size_t count, capacity;
} pattern_list;

typedef struct per_file_ignore {
  pf_glob glob;
  selector_list codes;
} per_file_ignore;

typedef struct severity_rule {
  char *selector;
  pf_severity severity;
} severity_rule;

typedef struct config {
  char *path;    /* normalized absolute */
  char *display; /* as messages show it */
  char *dir;     /* the base of its relative paths */
  int is_pyproject;
  rule_selection selection;
  int has_exclude;
  pattern_list exclude, extend_exclude;
  int has_respect_gitignore, respect_gitignore;
  per_file_ignore *per_file_ignores;
  size_t per_file_ignore_count, per_file_ignore_capacity;
  severity_rule *severities;
  size_t severity_count, severity_capacity;
  pf_settings settings; /* resolved; owns the name lists */
  pf_settings **variants;
  size_t variant_count, variant_capacity;
} config;

struct pf_config_resolver {
  char *cwd;
  char *stdin_path; /* normalized absolute path standing for "-" */
  int isolated, force_exclude, no_respect_gitignore;
  config *forced; /* --config */
  rule_selection cli_selection;
  int cli_has_exclude;
  pattern_list cli_exclude, cli_extend_exclude;
  pattern_list default_exclude;
  pf_settings default_settings; /* no configuration file: defaults plus the command line */
  pf_strmap closest;            /* directory -> config * (NULL: none) */
  config **configs;
  size_t config_count, config_capacity;
  char **errors;
  size_t error_count, error_capacity;
  pf_gitignore *gitignore;
  pf_strmap ignored_roots; /* command-line path -> (void *)1 when git ignores it */
};

/* ---- small lists ---- */

static void selector_list_add(selector_list *list, const char *code, size_t length) {
  pf_grow((void **)&list->items, &list->capacity, list->count + 1, sizeof(char *));
  char *copy = pf_xstrndup(code, length);
  for (char *c = copy; *c; c++)
    if (*c >= 'a' && *c <= 'z')
      *c = (char)(*c - 'a' + 'A');
  list->items[list->count++] = copy;
}

static void selector_list_free(selector_list *list) {
  for (size_t i = 0; i < list->count; i++)
    free(list->items[i]);
  free(list->items);
  memset(list, 0, sizeof(*list));
}

static void rule_selection_free(rule_selection *selection) {
  selector_list_free(&selection->select);
  selector_list_free(&selection->extend_select);
  selector_list_free(&selection->ignore);
}

static pf_glob *pattern_list_push(pattern_list *list) {
  pf_grow((void **)&list->items, &list->capacity, list->count + 1, sizeof(pf_glob));
  return &list->items[list->count++];
}

static void pattern_list_free(pattern_list *list) {
  for (size_t i = 0; i < list->count; i++)
    pf_glob_free(&list->items[i]);
  free(list->items);
  memset(list, 0, sizeof(*list));
}

static void config_free(config *c) {
  if (!c)
    return;
  free(c->path);
  free(c->display);
  free(c->dir);
  rule_selection_free(&c->selection);
  pattern_list_free(&c->exclude);
  pattern_list_free(&c->extend_exclude);
  for (size_t i = 0; i < c->per_file_ignore_count; i++) {
    pf_glob_free(&c->per_file_ignores[i].glob);
    selector_list_free(&c->per_file_ignores[i].codes);
  }
  free(c->per_file_ignores);
  for (size_t i = 0; i < c->severity_count; i++)
    free(c->severities[i].selector);
  free(c->severities);
  pf_settings_free(&c->settings);
  for (size_t i = 0; i < c->variant_count; i++)
    free(c->variants[i]); /* shallow copies: the name lists belong to c->settings */
  free(c->variants);
  free(c);
}

/* ---- problems ---- */

static void add_error_line(pf_config_resolver *r, char *line) {
  pf_grow((void **)&r->errors, &r->error_capacity, r->error_count + 1, sizeof(char *));
  r->errors[r->error_count++] = line;
}

static void report(pf_config_resolver *r, const config *c, pf_position at, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void report(pf_config_resolver *r, const config *c, pf_position at, const char *format, ...) {
  char message[512];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  size_t length = strlen(c->display) + strlen(message) + 32;
  char *line = pf_xmalloc(length);
  snprintf(line, length, "%s:%u:%u: %s", c->display, at.row ? at.row : 1, at.column ? at.column : 1, message);
  add_error_line(r, line);
}

/* A key or value as a message shows it: at most 60 bytes, control characters as '?'. */
static const char *shown(char *buffer, size_t size, const char *text, size_t length) {
  size_t used = 0;
  for (size_t i = 0; i < length && used + 4 < size && used < 60; i++) {
    unsigned char ch = (unsigned char)text[i];
    buffer[used++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
  }
  if (used < length && used >= 60) {
    memcpy(buffer + used, "...", 3);
    used += 3;
  }
  buffer[used] = '\0';
  return buffer;
}

/* ---- rule codes ---- */

/* Whether `code` (any case) is ALL or a prefix, at least "PF", of some registered rule. The
 * registry decides, so rules added later are accepted without touching this file. */
static int is_known_selector(const char *code, size_t length) {
  if (length == 3 && strncasecmp(code, "ALL", 3) == 0)
    return 1;
  if (length < 2 || strncasecmp(code, "PF", 2) != 0)
    return 0;
  for (size_t i = 0; i < pf_rule_count; i++)
    if (strlen(pf_rules[i]->code) >= length && strncasecmp(pf_rules[i]->code, code, length) == 0)
      return 1;
  return 0;
}

/* How specific a selector is when it matches `code`: -1 when it does not match, 0 for ALL,
 * otherwise its length (PF < PF0 < PF00 < PF001). */
static int selector_specificity(const char *selector, const char *code) {
  if (strcmp(selector, "ALL") == 0)
    return 0;
  size_t length = strlen(selector);
  return strncasecmp(code, selector, length) == 0 ? (int)length : -1;
}

static int best_specificity(const selector_list *list, const char *code) {
  int best = -1;
  for (size_t i = 0; i < list->count; i++) {
    int specificity = selector_specificity(list->items[i], code);
    if (specificity > best)
      best = specificity;
  }
  return best;
}

/* Applies one layer to `enabled`: a layer with `select` starts over from its selection. */
static void apply_selection(unsigned char *enabled, const rule_selection *selection) {
  for (size_t i = 0; i < pf_rule_count && i < PF_MAX_RULES; i++) {
    const char *code = pf_rules[i]->code;
    int on = best_specificity(&selection->select, code);
    int extend = best_specificity(&selection->extend_select, code);
    if (extend > on)
      on = extend;
    int off = best_specificity(&selection->ignore, code);
    int decided = on >= 0 || off >= 0;
    int enable = on > off; /* ignore wins a tie */
    if (selection->has_select)
      enabled[i] = (unsigned char)(decided && enable);
    else if (decided)
      enabled[i] = (unsigned char)enable;
  }
}

/* Splits a comma-separated command-line list; empty items are skipped. */
static int add_cli_selectors(selector_list *list, const char *option, const char *value, char *error,
                             size_t error_size) {
  const char *cursor = value;
  while (*cursor) {
    size_t length = strcspn(cursor, ",");
    const char *item = cursor;
    size_t item_length = length;
    while (item_length && (*item == ' ' || *item == '\t'))
      item++, item_length--;
    while (item_length && (item[item_length - 1] == ' ' || item[item_length - 1] == '\t'))
      item_length--;
    if (item_length) {
      if (!is_known_selector(item, item_length)) {
        char buffer[96];
        snprintf(error, error_size, "%s: unknown rule code or prefix '%s' (`pitfall rules` lists them)",
                 option, shown(buffer, sizeof(buffer), item, item_length));
        return -1;
      }
      selector_list_add(list, item, item_length);
    }
    cursor += length;
    if (*cursor == ',')
      cursor++;
  }
  return 0;
}

/* ---- reading one configuration ---- */

static const char *const known_keys[] = {
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
    "extend-mutable-calls",
    "extend-immutable-annotations",
    "path-calls",
    "severity",
};
enum { KNOWN_KEY_COUNT = sizeof(known_keys) / sizeof(known_keys[0]) };

/* ruff's keys with no pitfall counterpart of that name, and the key that does their job. */
static const char *const ruff_key_equivalents[][2] = {
    {"extend-ignore", "ignore"},
    {"extend-per-file-ignores", "per-file-ignores"},
};

/* The known key closest to `key`, when it is close enough to be the one meant. */
static const char *suggest_key(const char *key, size_t length) {
  for (size_t i = 0; i < sizeof(ruff_key_equivalents) / sizeof(ruff_key_equivalents[0]); i++)
    if (strlen(ruff_key_equivalents[i][0]) == length && memcmp(key, ruff_key_equivalents[i][0], length) == 0)
      return ruff_key_equivalents[i][1];
  const char *best = NULL;
  size_t best_distance = (size_t)-1;
  for (size_t i = 0; i < KNOWN_KEY_COUNT; i++) {
    size_t distance = pf_edit_distance(key, length, known_keys[i], 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = known_keys[i];
    }
  }
  size_t allowed = length / 3 > 2 ? length / 3 : 2;
  return best_distance <= allowed ? best : NULL;
}

/* Whether `value` is an array; reports it when not. */
static int check_array(pf_config_resolver *r, config *c, const pf_toml_value *value, const char *key,
                       const char *items) {
  if (value->type == PF_TOML_ARRAY)
    return 1;
  report(r, c, value->at, "'%s' must be an array of %s, found %s", key, items,
         pf_toml_type_phrase(value->type));
  return 0;
}

/* Whether an item of such an array is a string; reports it when not. */
static int check_string_item(pf_config_resolver *r, config *c, const pf_toml_value *item, const char *key,
                             const char *items) {
  if (item->type == PF_TOML_STRING)
    return 1;
  report(r, c, item->at, "'%s' must hold only strings (%s), found %s", key, items,
         pf_toml_type_phrase(item->type));
  return 0;
}

static void read_selectors(pf_config_resolver *r, config *c, const pf_toml_value *value, const char *key,
                           selector_list *out) {
  if (!check_array(r, c, value, key, "rule codes"))
    return;
  for (const pf_toml_value *item = value->first; item; item = item->next) {
    if (!check_string_item(r, c, item, key, "rule codes"))
      continue;
    if (!is_known_selector(item->string, item->length)) {
      char buffer[96];
      report(r, c, item->at, "unknown rule code or prefix '%s' in '%s' (`pitfall rules` lists them)",
             shown(buffer, sizeof(buffer), item->string, item->length), key);
      continue;
    }
    selector_list_add(out, item->string, item->length);
  }
}

static void read_patterns(pf_config_resolver *r, config *c, const pf_toml_value *value, const char *key,
                          pattern_list *out) {
  if (!check_array(r, c, value, key, "path patterns"))
    return;
  for (const pf_toml_value *item = value->first; item; item = item->next) {
    if (!check_string_item(r, c, item, key, "path patterns"))
      continue;
    char problem[128];
    pf_glob glob;
    if (strlen(item->string) != item->length ||
        pf_glob_compile(&glob, item->string, c->dir, 0, problem, sizeof(problem)) != 0) {
      report(r, c, item->at, "'%s' holds an invalid pattern: %s", key,
             strlen(item->string) != item->length ? "a NUL character" : problem);
      continue;
    }
    *pattern_list_push(out) = glob;
  }
}

/* A dotted Python name: identifiers (ASCII letters, digits, '_', or any non-ASCII byte, not
 * starting with a digit) joined by single dots. */
static int is_dotted_name(const char *text, size_t length) {
  size_t start = 0;
  for (size_t i = 0; i <= length; i++) {
    if (i < length && text[i] != '.') {
      unsigned char c = (unsigned char)text[i];
      int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
      if (!(letter || (c >= '0' && c <= '9' && i > start)))
        return 0;
      continue;
    }
    if (i == start)
      return 0;
    start = i + 1;
  }
  return length > 0;
}

static void read_names(pf_config_resolver *r, config *c, const pf_toml_value *value, const char *key,
                       pf_name_list *out) {
  if (!check_array(r, c, value, key, "dotted names"))
    return;
  for (const pf_toml_value *item = value->first; item; item = item->next) {
    if (!check_string_item(r, c, item, key, "dotted names"))
      continue;
    if (!is_dotted_name(item->string, item->length)) {
      char buffer[96];
      report(r, c, item->at, "'%s' entries must be dotted names such as 'mypackage.Registry', found '%s'",
             key, shown(buffer, sizeof(buffer), item->string, item->length));
      continue;
    }
    if (!pf_name_list_contains(out, item->string, item->length))
      pf_name_list_add(out, item->string);
  }
}

static void read_per_file_ignores(pf_config_resolver *r, config *c, const pf_toml_value *value) {
  if (value->type != PF_TOML_TABLE) {
    report(r, c, value->at,
           "'per-file-ignores' must be a table of path patterns to arrays of rule codes, found %s",
           pf_toml_type_phrase(value->type));
    return;
  }
  for (const pf_toml_value *entry = value->first; entry; entry = entry->next) {
    char problem[128], buffer[96];
    pf_glob glob;
    if (strlen(entry->key) != entry->key_length ||
        pf_glob_compile(&glob, entry->key, c->dir, 1, problem, sizeof(problem)) != 0) {
      report(r, c, entry->key_at, "'per-file-ignores' holds an invalid pattern '%s': %s",
             shown(buffer, sizeof(buffer), entry->key, entry->key_length),
             strlen(entry->key) != entry->key_length ? "a NUL character" : problem);
      continue;
    }
    selector_list codes = {0};
    read_selectors(r, c, entry, "per-file-ignores", &codes);
    pf_grow((void **)&c->per_file_ignores, &c->per_file_ignore_capacity, c->per_file_ignore_count + 1,
            sizeof(per_file_ignore));
    per_file_ignore *item = &c->per_file_ignores[c->per_file_ignore_count++];
    item->glob = glob;
    item->codes = codes;
  }
}

static void read_severities(pf_config_resolver *r, config *c, const pf_toml_value *value) {
  if (value->type != PF_TOML_TABLE) {
    report(r, c, value->at, "'severity' must be a table of rule codes to \"error\" or \"warning\", found %s",
           pf_toml_type_phrase(value->type));
    return;
  }
  for (const pf_toml_value *entry = value->first; entry; entry = entry->next) {
    char buffer[96];
    if (!is_known_selector(entry->key, entry->key_length)) {
      report(r, c, entry->key_at,
             "unknown rule code or prefix '%s' in 'severity' (`pitfall rules` lists them)",
             shown(buffer, sizeof(buffer), entry->key, entry->key_length));
      continue;
    }
    pf_severity severity = 0;
    if (entry->type == PF_TOML_STRING && strcmp(entry->string, "error") == 0)
      severity = PF_SEVERITY_ERROR;
    else if (entry->type == PF_TOML_STRING && strcmp(entry->string, "warning") == 0)
      severity = PF_SEVERITY_WARNING;
    if (!severity) {
      if (entry->type == PF_TOML_STRING)
        report(r, c, entry->at, "the severity of '%s' must be \"error\" or \"warning\", found \"%s\"",
               shown(buffer, sizeof(buffer), entry->key, entry->key_length),
               shown(buffer + 48, sizeof(buffer) - 48, entry->string, entry->length));
      else
        report(r, c, entry->at, "the severity of '%s' must be \"error\" or \"warning\", found %s",
               shown(buffer, sizeof(buffer), entry->key, entry->key_length),
               pf_toml_type_phrase(entry->type));
      continue;
    }
    pf_grow((void **)&c->severities, &c->severity_capacity, c->severity_count + 1, sizeof(severity_rule));
    severity_rule *rule = &c->severities[c->severity_count++];
    selector_list one = {0};
    selector_list_add(&one, entry->key, entry->key_length);
    rule->selector = one.items[0];
    free(one.items);
    rule->severity = severity;
  }
}

/* Reads every key of the configuration table (the document, or [tool.pitfall]). */
static void read_keys(pf_config_resolver *r, config *c, const pf_toml_value *table) {
  for (const pf_toml_value *entry = table->first; entry; entry = entry->next) {
    const char *key = entry->key;
    if (strcmp(key, "select") == 0) {
      c->selection.has_select = 1;
      read_selectors(r, c, entry, key, &c->selection.select);
    } else if (strcmp(key, "extend-select") == 0) {
      read_selectors(r, c, entry, key, &c->selection.extend_select);
    } else if (strcmp(key, "ignore") == 0) {
      read_selectors(r, c, entry, key, &c->selection.ignore);
    } else if (strcmp(key, "per-file-ignores") == 0) {
      read_per_file_ignores(r, c, entry);
    } else if (strcmp(key, "exclude") == 0) {
      c->has_exclude = 1;
      read_patterns(r, c, entry, key, &c->exclude);
    } else if (strcmp(key, "extend-exclude") == 0) {
      read_patterns(r, c, entry, key, &c->extend_exclude);
    } else if (strcmp(key, "respect-gitignore") == 0) {
      if (entry->type != PF_TOML_BOOLEAN) {
        report(r, c, entry->at, "'respect-gitignore' must be true or false, found %s",
               pf_toml_type_phrase(entry->type));
      } else {
        c->has_respect_gitignore = 1;
        c->respect_gitignore = entry->boolean;
      }
    } else if (strcmp(key, "extend-mutable-calls") == 0) {
      read_names(r, c, entry, key, &c->settings.extend_mutable_calls);
    } else if (strcmp(key, "extend-immutable-annotations") == 0) {
      read_names(r, c, entry, key, &c->settings.extend_immutable_annotations);
    } else if (strcmp(key, "path-calls") == 0) {
      read_names(r, c, entry, key, &c->settings.path_calls);
    } else if (strcmp(key, "severity") == 0) {
      read_severities(r, c, entry);
    } else {
      char buffer[96];
      const char *suggestion = suggest_key(entry->key, entry->key_length);
      const char *where = c->is_pyproject ? " in [tool.pitfall]" : "";
      if (suggestion)
        report(r, c, entry->key_at, "unknown key '%s'%s (did you mean '%s'?)",
               shown(buffer, sizeof(buffer), entry->key, entry->key_length), where, suggestion);
      else if (!c->is_pyproject && strcmp(entry->key, "tool") == 0)
        report(r, c, entry->key_at,
               "unknown key 'tool' (outside pyproject.toml the keys go at the top level, "
               "without [tool.pitfall])");
      else
        report(r, c, entry->key_at, "unknown key '%s'%s",
               shown(buffer, sizeof(buffer), entry->key, entry->key_length), where);
    }
  }
}

/* Resolves c->settings from what its keys said and the command line. */
static void resolve_settings(pf_config_resolver *r, config *c) {
  pf_settings *settings = &c->settings;
  pf_settings defaults;
  pf_settings_init_default(&defaults);
  memcpy(settings->enabled, defaults.enabled, sizeof(settings->enabled));
  memset(settings->severity_override, 0, sizeof(settings->severity_override));
  apply_selection(settings->enabled, &c->selection);
  apply_selection(settings->enabled, &r->cli_selection);
  for (size_t i = 0; i < pf_rule_count && i < PF_MAX_RULES; i++) {
    int best = -1;
    for (size_t s = 0; s < c->severity_count; s++) {
      int specificity = selector_specificity(c->severities[s].selector, pf_rules[i]->code);
      if (specificity > best) {
        best = specificity;
        settings->severity_override[i] = c->severities[s].severity;
      }
    }
  }
}

/* Reads a whole file of at most MAX_CONFIG_BYTES. Returns NULL with a reason on failure. */
static char *read_file(const char *path, size_t *length, char *reason, size_t reason_size) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    snprintf(reason, reason_size, "cannot read the file: %s", strerror(errno));
    return NULL;
  }
  char *text = pf_xmalloc(MAX_CONFIG_BYTES + 1);
  size_t used = fread(text, 1, MAX_CONFIG_BYTES + 1, file);
  int failed = ferror(file);
  int saved_errno = errno;
  fclose(file);
  if (failed) {
    snprintf(reason, reason_size, "cannot read the file: %s", strerror(saved_errno));
    free(text);
    return NULL;
  }
  if (used > MAX_CONFIG_BYTES) {
    snprintf(reason, reason_size, "the file is larger than %d KiB, too large for a configuration file",
             MAX_CONFIG_BYTES / 1024);
    free(text);
    return NULL;
  }
  text[used] = '\0';
  *length = used;
  return text;
}

/* Whether the file at `path` contains `word` anywhere, read in pieces (for files too large to
 * read whole). A file that cannot be read counts as mentioning it, so that it is reported. */
static int file_mentions(const char *path, const char *word) {
  FILE *file = fopen(path, "rb");
  if (!file)
    return 1;
  size_t word_length = strlen(word), kept = 0;
  char buffer[65536];
  int found = 0;
  for (;;) {
    size_t got = fread(buffer + kept, 1, sizeof(buffer) - kept, file);
    if (got == 0) {
      found = ferror(file) != 0;
      break;
    }
    size_t used = kept + got;
    for (const char *at = buffer; !found && (at = memchr(at, word[0], used - (size_t)(at - buffer))); at++)
      found = used - (size_t)(at - buffer) >= word_length && memcmp(at, word, word_length) == 0;
    if (found)
      break;
    /* Keep the tail that could be the start of a match split across two reads. */
    kept = used < word_length - 1 ? used : word_length - 1;
    memmove(buffer, buffer + used - kept, kept);
  }
  fclose(file);
  return found;
}

static config *new_config(pf_config_resolver *r, const char *path) {
  config *c = pf_xcalloc(1, sizeof(config));
  c->path = pf_xstrdup(path);
  c->display = pf_path_display(path, r->cwd);
  c->dir = pf_xstrndup(path, pf_path_parent_length(path));
  c->is_pyproject = strcmp(pf_path_name(path), "pyproject.toml") == 0;
  pf_settings_init_default(&c->settings);
  pf_grow((void **)&r->configs, &r->config_capacity, r->config_count + 1, sizeof(config *));
  r->configs[r->config_count++] = c;
  return c;
}

/* Reads the configuration file at `path` (normalized absolute). Returns the configuration,
 * or NULL for a pyproject.toml that has no [tool.pitfall] (unless `required`). Problems are
 * reported; a broken file still yields a configuration, so that lookups stop at it. */
static config *load_config(pf_config_resolver *r, const char *path, int required) {
  int pyproject = strcmp(pf_path_name(path), "pyproject.toml") == 0;
  char reason[256];
  size_t length = 0;
  char *text = read_file(path, &length, reason, sizeof(reason));
  if (!text) {
    /* A pyproject.toml that never mentions pitfall is some other tool's business, however
     * large it is. */
    if (pyproject && !required && !file_mentions(path, "pitfall"))
      return NULL;
    config *c = new_config(r, path);
    pf_position start = {1, 1};
    report(r, c, start, "%s", reason);
    return c;
  }
  pf_toml_document document;
  pf_toml_error error;
  config *c = NULL;
  if (pf_toml_parse(&document, text, length, &error) != 0) {
    /* A pyproject.toml that never mentions pitfall is some other tool's business. */
    if (!pyproject || required || strstr(text, "pitfall")) {
      c = new_config(r, path);
      report(r, c, error.at, "%s", error.message);
    }
  } else {
    const pf_toml_value *table = document.root;
    int found = 1;
    if (pyproject) {
      const pf_toml_value *tool = pf_toml_get(document.root, "tool");
      table = tool && tool->type == PF_TOML_TABLE ? pf_toml_get(tool, "pitfall") : NULL;
      found = table != NULL;
    }
    if (found || required) {
      c = new_config(r, path);
      if (table && table->type != PF_TOML_TABLE)
        report(r, c, table->at, "[tool.pitfall] must be a table, found %s", pf_toml_type_phrase(table->type));
      else if (table)
        read_keys(r, c, table);
      resolve_settings(r, c);
    }
  }
  pf_toml_free(&document);
  free(text);
  return c;
}

/* The configuration file in directory `dir` itself, by precedence, or NULL. */
static config *config_in_directory(pf_config_resolver *r, const char *dir) {
  size_t dir_length = strlen(dir);
  for (size_t i = 0; i < sizeof(config_file_names) / sizeof(config_file_names[0]); i++) {
    size_t name_length = strlen(config_file_names[i]);
    char *path = pf_xmalloc(dir_length + name_length + 2);
    memcpy(path, dir, dir_length);
    size_t used = dir_length;
    if (used == 0 || path[used - 1] != '/')
      path[used++] = '/';
    memcpy(path + used, config_file_names[i], name_length + 1);
    struct stat st;
    config *c = NULL;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
      c = load_config(r, path, 0);
    free(path);
    if (c)
      return c;
  }
  return NULL;
}

/* The closest configuration for directory `dir` (normalized absolute): its own, or its
 * parent's, and so on up to the root. Every directory looked at is cached. */
static config *closest_config(pf_config_resolver *r, const char *dir) {
  if (r->isolated)
    return NULL;
  if (r->forced)
    return r->forced;
  void *cached = NULL;
  if (pf_strmap_get(&r->closest, dir, &cached))
    return cached;
  char **visited = NULL;
  size_t visited_count = 0, visited_capacity = 0;
  char *current = pf_xstrdup(dir);
  config *found = NULL;
  for (;;) {
    if (pf_strmap_get(&r->closest, current, &cached)) {
      found = cached;
      free(current);
      break;
    }
    pf_grow((void **)&visited, &visited_capacity, visited_count + 1, sizeof(char *));
    visited[visited_count++] = current;
    found = config_in_directory(r, current);
    size_t parent_length = pf_path_parent_length(current);
    if (found || parent_length == 0)
      break;
    current = pf_xstrndup(current, parent_length);
  }
  for (size_t i = 0; i < visited_count; i++) {
    pf_strmap_put(&r->closest, visited[i], found);
    free(visited[i]);
  }
  free(visited);
  return found;
}

static config *config_for_path(pf_config_resolver *r, const char *path) {
  size_t parent_length = pf_path_parent_length(path);
  if (parent_length == 0)
    return closest_config(r, "/");
  char *parent = pf_xstrndup(path, parent_length);
  config *c = closest_config(r, parent);
  free(parent);
  return c;
}

/* ---- excludes ---- */

static int any_pattern_matches(const pattern_list *list, const char *path) {
  for (size_t i = 0; i < list->count; i++)
    if (pf_glob_matches(&list->items[i], path))
      return 1;
  return 0;
}

/* Whether `path` itself matches the excludes in force for its directory (configuration `c`). */
static int matches_excludes(const pf_config_resolver *r, const config *c, const char *path) {
  const pattern_list *exclude = r->cli_has_exclude    ? &r->cli_exclude
                                : c && c->has_exclude ? &c->exclude
                                                      : &r->default_exclude;
  return any_pattern_matches(exclude, path) || (c && any_pattern_matches(&c->extend_exclude, path)) ||
         any_pattern_matches(&r->cli_extend_exclude, path);
}

/* For a path named on the command line under --force-exclude: the path, or one of its
 * directories up to (not including) the directory of the configuration in force there
 * (the working directory when there is none), matches an exclude. */
static int excluded_with_directories(pf_config_resolver *r, const char *path) {
  char *current = pf_xstrdup(path);
  int excluded = 0;
  for (;;) {
    size_t parent_length = pf_path_parent_length(current);
    if (parent_length == 0)
      break;
    config *c = config_for_path(r, current);
    if (matches_excludes(r, c, current)) {
      excluded = 1;
      break;
    }
    char *parent = pf_xstrndup(current, parent_length);
    if (!pf_path_is_inside(parent, c ? c->dir : r->cwd)) {
      free(parent);
      break;
    }
    free(current);
    current = parent;
  }
  free(current);
  return excluded;
}

/* Whether git ignores the command-line path a walk started from. Naming an ignored
 * directory lints it: gitignore then does not apply inside that walk. */
static int root_is_ignored(pf_config_resolver *r, const char *root) {
  void *cached = NULL;
  if (pf_strmap_get(&r->ignored_roots, root, &cached))
    return cached != NULL;
  char *absolute = pf_path_absolute(r->cwd, root);
  int ignored = pf_gitignore_is_ignored(r->gitignore, absolute);
  free(absolute);
  pf_strmap_put(&r->ignored_roots, root, ignored ? (void *)1 : NULL);
  return ignored;
}

int pf_config_is_excluded(void *user, const char *path, const char *root, int named_explicitly) {
  pf_config_resolver *r = user;
  if (named_explicitly) {
    if (!r->force_exclude)
      return 0;
    if (strcmp(path, "-") == 0)
      return r->stdin_path && excluded_with_directories(r, r->stdin_path);
    char *absolute = pf_path_absolute(r->cwd, path);
    int excluded = excluded_with_directories(r, absolute);
    free(absolute);
    return excluded;
  }
  char *absolute = pf_path_absolute(r->cwd, path);
  config *c = config_for_path(r, absolute);
  int excluded = matches_excludes(r, c, absolute);
  if (!excluded && !r->no_respect_gitignore && (!c || !c->has_respect_gitignore || c->respect_gitignore))
    excluded = !root_is_ignored(r, root) && pf_gitignore_is_ignored(r->gitignore, absolute);
  free(absolute);
  return excluded;
}

/* ---- settings per file ---- */

/* Whether the pattern matches `path` or one of its directories inside `boundary`. */
static int matches_path_or_directory(const pf_glob *glob, const char *path, const char *boundary) {
  char *current = pf_xstrdup(path);
  int matched = 0;
  for (;;) {
    if (pf_glob_matches(glob, current)) {
      matched = 1;
      break;
    }
    size_t parent_length = pf_path_parent_length(current);
    if (parent_length == 0)
      break;
    current[parent_length] = '\0';
    if (!pf_path_is_inside(current, boundary))
      break;
  }
  free(current);
  return matched;
}

const pf_settings *pf_config_settings_for(pf_config_resolver *r, const char *path) {
  char *absolute = strcmp(path, "-") == 0 ? pf_xstrdup(r->stdin_path) : pf_path_absolute(r->cwd, path);
  config *c = config_for_path(r, absolute);
  if (!c) {
    free(absolute);
    return &r->default_settings;
  }
  if (c->per_file_ignore_count == 0) {
    free(absolute);
    return &c->settings;
  }
  unsigned char enabled[PF_MAX_RULES];
  memcpy(enabled, c->settings.enabled, sizeof(enabled));
  for (size_t i = 0; i < c->per_file_ignore_count; i++) {
    const per_file_ignore *ignore = &c->per_file_ignores[i];
    int matched = matches_path_or_directory(&ignore->glob, absolute, c->dir);
    if (matched == ignore->glob.negated)
      continue;
    for (size_t rule = 0; rule < pf_rule_count && rule < PF_MAX_RULES; rule++)
      if (best_specificity(&ignore->codes, pf_rules[rule]->code) >= 0)
        enabled[rule] = 0;
  }
  free(absolute);
  if (memcmp(enabled, c->settings.enabled, sizeof(enabled)) == 0)
    return &c->settings;
  for (size_t i = 0; i < c->variant_count; i++)
    if (memcmp(c->variants[i]->enabled, enabled, sizeof(enabled)) == 0)
      return c->variants[i];
  pf_settings *variant = pf_xmalloc(sizeof(pf_settings));
  *variant = c->settings;
  memcpy(variant->enabled, enabled, sizeof(enabled));
  pf_grow((void **)&c->variants, &c->variant_capacity, c->variant_count + 1, sizeof(pf_settings *));
  c->variants[c->variant_count++] = variant;
  return variant;
}

const char *pf_config_directory_for(pf_config_resolver *r, const char *path) {
  if (r->isolated || r->forced)
    return NULL;
  char *absolute = strcmp(path, "-") == 0 ? pf_xstrdup(r->stdin_path) : pf_path_absolute(r->cwd, path);
  config *c = config_for_path(r, absolute);
  free(absolute);
  return c ? c->dir : NULL; /* a located file's own directory */
}

/* ---- the resolver ---- */

static int add_cli_patterns(pattern_list *list, const char *option, const char *value, const char *cwd,
                            char *error, size_t error_size) {
  const char *cursor = value;
  while (*cursor) {
    size_t length = strcspn(cursor, ",");
    char *item = pf_xstrndup(cursor, length);
    char problem[128];
    pf_glob glob;
    if (length && pf_glob_compile(&glob, item, cwd, 0, problem, sizeof(problem)) != 0) {
      snprintf(error, error_size, "%s: %s", option, problem);
      free(item);
      return -1;
    }
    if (length)
      *pattern_list_push(list) = glob;
    free(item);
    cursor += length;
    if (*cursor == ',')
      cursor++;
  }
  return 0;
}

static int read_cli(pf_config_resolver *r, const pf_cli *cli, char *error, size_t error_size) {
  for (size_t i = 0; i < cli->setting_count; i++) {
    const char *option = cli->settings[i].option, *value = cli->settings[i].value;
    int status = 0;
    if (strcmp(option, "--select") == 0) {
      r->cli_selection.has_select = 1;
      status = add_cli_selectors(&r->cli_selection.select, option, value, error, error_size);
    } else if (strcmp(option, "--extend-select") == 0) {
      status = add_cli_selectors(&r->cli_selection.extend_select, option, value, error, error_size);
    } else if (strcmp(option, "--ignore") == 0) {
      status = add_cli_selectors(&r->cli_selection.ignore, option, value, error, error_size);
    } else if (strcmp(option, "--exclude") == 0) {
      r->cli_has_exclude = 1;
      status = add_cli_patterns(&r->cli_exclude, option, value, r->cwd, error, error_size);
    } else if (strcmp(option, "--extend-exclude") == 0) {
      status = add_cli_patterns(&r->cli_extend_exclude, option, value, r->cwd, error, error_size);
    }
    if (status != 0)
      return -1;
  }
  return 0;
}

pf_config_resolver *pf_config_resolver_new(const pf_cli *cli, const char *cwd, char *error,
                                           size_t error_size) {
  pf_config_resolver *r = pf_xcalloc(1, sizeof(pf_config_resolver));
  r->cwd = pf_path_absolute("/", cwd);
  r->stdin_path = pf_path_absolute(r->cwd, cli->stdin_filename ? cli->stdin_filename : "-");
  r->isolated = cli->isolated;
  r->force_exclude = cli->force_exclude;
  r->no_respect_gitignore = cli->no_respect_gitignore;
  r->gitignore = pf_gitignore_new();
  size_t default_count = 0;
  const char *const *defaults = pf_discover_default_excludes(&default_count);
  for (size_t i = 0; i < default_count; i++) {
    char problem[64];
    pf_glob_compile(pattern_list_push(&r->default_exclude), defaults[i], "/", 0, problem, sizeof(problem));
  }
  if (read_cli(r, cli, error, error_size) != 0) {
    pf_config_resolver_free(r);
    return NULL;
  }
  pf_settings_init_default(&r->default_settings);
  apply_selection(r->default_settings.enabled, &r->cli_selection);
  if (cli->config_path) {
    if (cli->isolated) {
      snprintf(error, error_size, "--config and --isolated cannot be used together");
      pf_config_resolver_free(r);
      return NULL;
    }
    char *path = pf_path_absolute(r->cwd, cli->config_path);
    struct stat st;
    int stat_failed = stat(path, &st) != 0;
    if (stat_failed || !S_ISREG(st.st_mode)) {
      snprintf(error, error_size, "--config: cannot read '%s': %s", cli->config_path,
               stat_failed ? strerror(errno) : "not a regular file");
      free(path);
      pf_config_resolver_free(r);
      return NULL;
    }
    r->forced = load_config(r, path, 1);
    free(path);
  }
  return r;
}

void pf_config_resolver_free(pf_config_resolver *r) {
  if (!r)
    return;
  free(r->cwd);
  free(r->stdin_path);
  rule_selection_free(&r->cli_selection);
  pattern_list_free(&r->cli_exclude);
  pattern_list_free(&r->cli_extend_exclude);
  pattern_list_free(&r->default_exclude);
  pf_settings_free(&r->default_settings);
  pf_strmap_free(&r->closest, NULL);
  pf_strmap_free(&r->ignored_roots, NULL);
  for (size_t i = 0; i < r->config_count; i++)
    config_free(r->configs[i]);
  free(r->configs);
  for (size_t i = 0; i < r->error_count; i++)
    free(r->errors[i]);
  free(r->errors);
  pf_gitignore_free(r->gitignore);
  free(r);
}

size_t pf_config_error_count(const pf_config_resolver *r) { return r->error_count; }

const char *pf_config_error(const pf_config_resolver *r, size_t index) {
  return index < r->error_count ? r->errors[index] : NULL;
}
