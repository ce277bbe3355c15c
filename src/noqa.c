/*
 * noqa.c: suppression comments (see noqa.h): the directive parser, finding directives in a
 * file through its syntax tree, the noqa_row of a finding, and the suppression step.
 *
 * Finding directives costs one memchr pass for `#` over the text; only a `#` that starts a
 * directive is looked up in the tree (a descent by byte offset) to make sure it is inside a
 * comment, not a string. Files without a directive pay nothing else.
 */
#include "noqa.h"

#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "registry.h"
#include "rule.h"

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static char to_upper(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c; }

/* Whether text[at..limit) starts with `word` (lower case), ignoring case. */
static int starts_with_word(const char *text, uint32_t limit, uint32_t at, const char *word) {
  size_t length = strlen(word);
  if (limit - at < length)
    return 0;
  for (size_t i = 0; i < length; i++)
    if ((char)(to_upper(text[at + i]) - 'A' + 'a') != word[i])
      return 0;
  return 1;
}

static uint32_t skip_spaces(const char *text, uint32_t limit, uint32_t at) {
  while (at < limit && is_space(text[at]))
    at++;
  return at;
}

enum directive_kind { NOT_A_DIRECTIVE, LINE_DIRECTIVE, FILE_DIRECTIVE };

/* What the `#` at text[at] starts, and where its `noqa` keyword ends (*after_noqa). `noqa`
 * must be followed by the end, whitespace, `:` or `#`: `# noqa-ish` is no directive. */
static enum directive_kind directive_at(const char *text, uint32_t limit, uint32_t at, uint32_t *after_noqa) {
  uint32_t i = skip_spaces(text, limit, at + 1);
  enum directive_kind kind = LINE_DIRECTIVE;
  if (starts_with_word(text, limit, i, "pitfall")) {
    i = skip_spaces(text, limit, i + 7);
    if (i >= limit || text[i] != ':')
      return NOT_A_DIRECTIVE;
    i = skip_spaces(text, limit, i + 1);
    kind = FILE_DIRECTIVE;
  }
  if (!starts_with_word(text, limit, i, "noqa"))
    return NOT_A_DIRECTIVE;
  i += 4;
  if (i < limit && !is_space(text[i]) && text[i] != ':' && text[i] != '#' && text[i] != '\n' &&
      text[i] != '\r')
    return NOT_A_DIRECTIVE;
  *after_noqa = i;
  return kind;
}

/* Whether text[start..end) is a rule code: letters then digits. */
static int is_code(const char *text, uint32_t start, uint32_t end) {
  uint32_t i = start;
  while (i < end && is_alpha(text[i]))
    i++;
  if (i == start || i == end)
    return 0;
  while (i < end && is_digit(text[i]))
    i++;
  return i == end;
}

/* Classifies a code: its rule in the registry, whether it is in the PF namespace. */
static void classify_code(const char *text, pf_noqa_code *code) {
  char upper[16];
  uint32_t length = code->end - code->start;
  code->rule_index = -1;
  code->is_pf = length > 2 && to_upper(text[code->start]) == 'P' && to_upper(text[code->start + 1]) == 'F' &&
                is_digit(text[code->start + 2]);
  if (length >= sizeof(upper))
    return;
  for (uint32_t i = 0; i < length; i++)
    upper[i] = to_upper(text[code->start + i]);
  upper[length] = '\0';
  size_t index;
  if (pf_rule_find(upper, &index))
    code->rule_index = (int)index;
}

/* Parses the directive whose `#` is text[at], bounded by `limit` (the comment's end), with
 * offsets relative to `text` plus `base`. Returns 0 when there is none. */
static int parse_at(const char *text, uint32_t limit, uint32_t at, uint32_t base, int own_line,
                    pf_arena *arena, pf_noqa_directive *out) {
  uint32_t after_noqa;
  enum directive_kind kind = directive_at(text, limit, at, &after_noqa);
  if (kind == NOT_A_DIRECTIVE)
    return 0;
  memset(out, 0, sizeof(*out));
  out->scope = kind == LINE_DIRECTIVE ? PF_NOQA_LINE : own_line ? PF_NOQA_FILE : PF_NOQA_FILE_MISPLACED;
  out->start = base + at;
  out->end = base + after_noqa;
  uint32_t i = skip_spaces(text, limit, after_noqa);
  if (i >= limit || text[i] != ':')
    return 1; /* bare */
  out->has_colon = 1;
  out->end = out->codes_end = base + i + 1;
  size_t capacity = 0;
  int comma_seen = 0;
  /* Rules already listed: a repeated rule code is marked as such in constant time, so a
   * comment listing a code 100,000 times costs no more than one listing 100,000 codes. */
  unsigned char listed[PF_MAX_RULES] = {0};
  i++;
  for (;;) {
    while (i < limit && (is_space(text[i]) || text[i] == ',')) {
      if (text[i] == ',' && out->code_count)
        comma_seen = 1;
      i++;
    }
    uint32_t item_end = i;
    while (item_end < limit && !is_space(text[item_end]) && text[item_end] != ',' && text[item_end] != '#' &&
           text[item_end] != '\n' && text[item_end] != '\r')
      item_end++;
    if (item_end == i || !is_code(text, i, item_end))
      break;
    if (out->code_count == capacity) {
      size_t grown = capacity ? capacity * 2 : 4;
      pf_noqa_code *codes = pf_arena_alloc(arena, grown * sizeof(pf_noqa_code));
      if (out->code_count)
        memcpy(codes, out->codes, out->code_count * sizeof(pf_noqa_code));
      out->codes = codes;
      capacity = grown;
    }
    pf_noqa_code *code = &out->codes[out->code_count];
    code->start = i; /* relative to text until the loop ends */
    code->end = item_end;
    classify_code(text, code);
    if (code->rule_index >= 0 && code->rule_index < PF_MAX_RULES) {
      code->duplicate = listed[code->rule_index];
      listed[code->rule_index] = 1;
    }
    out->code_count++;
    out->end = out->codes_end = base + item_end;
    i = item_end;
  }
  for (uint32_t c = 0; c < out->code_count; c++) {
    out->codes[c].start += base;
    out->codes[c].end += base;
  }
  out->space_separated = out->code_count > 1 && !comma_seen;
  return 1;
}

int pf_noqa_parse_comment(const char *text, uint32_t length, uint32_t base, int own_line, pf_arena *arena,
                          pf_noqa_directive *out) {
  for (uint32_t at = 0; at < length; at++)
    if (text[at] == '#' && parse_at(text, length, at, base, own_line, arena, out))
      return 1;
  return 0;
}

/* ---- where directives are ---- */

/* The innermost node containing `byte` (a null node's descendants are never searched). */
static TSNode node_at(TSNode root, uint32_t byte) {
  TSNode node = root;
  for (;;) {
    TSNode child = ts_node_first_child_for_byte(node, byte);
    if (ts_node_is_null(child) || ts_node_start_byte(child) > byte)
      return node;
    node = child;
  }
}

/* Whether only spaces precede `byte` on its line. */
static int starts_its_line(const pf_source *source, uint32_t byte) {
  uint32_t line = pf_source_line_of(source, byte);
  for (uint32_t i = source->line_starts[line]; i < byte; i++)
    if (!is_space(source->text[i]))
      return 0;
  return 1;
}

typedef struct directive_list {
  pf_noqa_index *index;
  size_t capacity;
  pf_arena *arena;
} directive_list;

static void add_comment(directive_list *list, const pf_source *source, uint32_t comment_start,
                        uint32_t comment_end) {
  pf_noqa_directive directive;
  const char *text = source->text + comment_start;
  if (!pf_noqa_parse_comment(text, comment_end - comment_start, comment_start,
                             starts_its_line(source, comment_start), list->arena, &directive))
    return;
  directive.row = pf_source_line_of(source, comment_start) + 1;
  pf_noqa_index *index = list->index;
  if (index->count == list->capacity) {
    size_t grown = list->capacity ? list->capacity * 2 : 8;
    pf_noqa_directive *items = pf_arena_alloc(list->arena, grown * sizeof(pf_noqa_directive));
    if (index->count)
      memcpy(items, index->items, index->count * sizeof(pf_noqa_directive));
    index->items = items;
    list->capacity = grown;
  }
  index->items[index->count++] = directive;
}

/* Comments found lexically, for a file that could not be parsed: strings are skipped the
 * way Python's tokenizer skips them (exact for every valid program but 3.12 f-strings that
 * nest their own quotes). */
static void collect_lexically(directive_list *list, const pf_source *source) {
  const char *text = source->text;
  uint32_t length = source->length;
  for (uint32_t i = 0; i < length; i++) {
    char c = text[i];
    if (c == '#') {
      uint32_t start = i;
      while (i < length && text[i] != '\n' && text[i] != '\r')
        i++;
      add_comment(list, source, start, i);
    } else if (c == '"' || c == '\'') {
      i = pf_skip_string_literal(text, length, i);
    }
  }
}

void pf_noqa_collect(pf_noqa_index *index, const pf_source *source, TSNode root, pf_arena *arena) {
  memset(index, 0, sizeof(*index));
  directive_list list = {index, 0, arena};
  if (ts_node_is_null(root)) {
    collect_lexically(&list, source);
    return;
  }
  const char *text = source->text;
  uint32_t length = source->length, searched_to = 0;
  for (const char *hash = memchr(text, '#', length); hash;
       hash = hash + 1 < text + length ? memchr(hash + 1, '#', length - (uint32_t)(hash + 1 - text)) : NULL) {
    uint32_t at = (uint32_t)(hash - text), after_noqa;
    if (at < searched_to || directive_at(text, length, at, &after_noqa) == NOT_A_DIRECTIVE)
      continue;
    TSNode node = node_at(root, at);
    if (pf_node_kind(node) != PF_KIND_COMMENT)
      continue;
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    if (end > length)
      end = length;
    add_comment(&list, source, start, end);
    searched_to = end; /* one directive per comment: the first */
  }
}

long pf_noqa_find_row(const pf_noqa_index *index, uint32_t row) {
  size_t low = 0, high = index->count;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    if (index->items[middle].row < row)
      low = middle + 1;
    else
      high = middle;
  }
  return low < index->count && index->items[low].row == row ? (long)low : -1;
}

/* ---- noqa_row ---- */

/* When the line break at `byte` lies inside a string literal, sets *end_line to the 0-based
 * line where the outermost such string ends and returns 1. */
static int line_break_in_string(const pf_source *source, TSNode root, uint32_t byte, uint32_t *end_line) {
  TSNode node = root;
  for (;;) {
    TSNode child = ts_node_first_child_for_byte(node, byte);
    if (ts_node_is_null(child) || ts_node_start_byte(child) > byte)
      return 0;
    if (pf_node_kind(child) == PF_KIND_STRING && ts_node_start_byte(child) < byte) {
      uint32_t end = ts_node_end_byte(child);
      *end_line = pf_source_line_of(source, end ? end - 1 : 0);
      return 1;
    }
    node = child;
  }
}

static uint32_t noqa_row_of_line(const pf_source *source, TSNode root, uint32_t line) {
  if (ts_node_is_null(root))
    return line + 1;
  while (line + 1 < source->line_count) {
    uint32_t length;
    const char *line_text = pf_source_line_text(source, line, &length);
    uint32_t line_break = source->line_starts[line] + length, end_line;
    if (line_break_in_string(source, root, line_break, &end_line) && end_line > line) {
      line = end_line;
      continue;
    }
    if (length && line_text[length - 1] == '\\' &&
        pf_node_kind(node_at(root, line_break - 1)) != PF_KIND_COMMENT) {
      line++; /* a backslash continuation */
      continue;
    }
    break;
  }
  return line + 1;
}

uint32_t pf_noqa_row(const pf_source *source, TSNode root, uint32_t byte_offset) {
  return noqa_row_of_line(source, root, pf_source_line_of(source, byte_offset));
}

/* ---- suppression ---- */

static int rule_index_of(const pf_rule *rule) {
  for (size_t i = 0; i < pf_rule_count; i++)
    if (pf_rules[i] == rule)
      return (int)i;
  return -1;
}

/* Whether the directive names the rule, marking the codes that do as used. */
static int directive_names(pf_noqa_directive *directive, int rule_index) {
  int named = 0;
  for (uint32_t i = 0; i < directive->code_count; i++) {
    if (directive->codes[i].rule_index == rule_index) {
      directive->codes[i].used = 1;
      named = 1;
    }
  }
  return named;
}

/* Whether the finding is suppressed, marking what suppresses it as used. */
static int suppressed(pf_noqa_index *index, const pf_diagnostic *diagnostic) {
  int rule_index = rule_index_of(diagnostic->rule);
  int result = index->file_all || (rule_index >= 0 && index->file_rules[rule_index]);
  if (rule_index >= 0 && index->file_rules[rule_index] && !index->file_rules_marked[rule_index]) {
    index->file_rules_marked[rule_index] = 1;
    for (size_t i = 0; i < index->count; i++)
      if (index->items[i].scope == PF_NOQA_FILE)
        directive_names(&index->items[i], rule_index);
  }
  long at = pf_noqa_find_row(index, diagnostic->noqa_row);
  if (at >= 0 && index->items[at].scope == PF_NOQA_LINE) {
    pf_noqa_directive *directive = &index->items[at];
    if (!directive->has_colon) {
      directive->used = 1;
      result = 1;
    } else if (rule_index >= 0 && directive_names(directive, rule_index)) {
      result = 1;
    }
  }
  return result;
}

static void drop_suppressed(pf_diagnostic_list *diagnostics, const unsigned char *drop) {
  size_t kept = 0;
  for (size_t i = 0; i < diagnostics->count; i++) {
    pf_diagnostic *diagnostic = &diagnostics->items[i];
    if (drop[i]) {
      free(diagnostic->message);
      free(diagnostic->related_message);
      continue;
    }
    if (kept != i)
      diagnostics->items[kept] = *diagnostic;
    kept++;
  }
  diagnostics->count = kept;
}

void pf_noqa_apply(const pf_source *source, TSNode root, const pf_settings *settings, pf_arena *arena,
                   pf_diagnostic_list *diagnostics) {
  uint32_t cached_line = UINT32_MAX, cached_row = 0;
  for (size_t i = 0; i < diagnostics->count; i++) {
    pf_diagnostic *diagnostic = &diagnostics->items[i];
    uint32_t line = pf_source_line_of(source, diagnostic->start_byte);
    if (line != cached_line) {
      cached_line = line;
      cached_row = noqa_row_of_line(source, root, line);
    }
    diagnostic->noqa_row = cached_row;
  }

  pf_noqa_index index;
  pf_noqa_collect(&index, source, root, arena);
  if (!index.count)
    return;
  for (size_t i = 0; i < index.count; i++) {
    const pf_noqa_directive *directive = &index.items[i];
    if (directive->scope != PF_NOQA_FILE)
      continue;
    if (!directive->has_colon)
      index.file_all = 1;
    for (uint32_t c = 0; c < directive->code_count; c++)
      if (directive->codes[c].rule_index >= 0 && directive->codes[c].rule_index < PF_MAX_RULES)
        index.file_rules[directive->codes[c].rule_index] = 1;
  }

  size_t found = diagnostics->count;
  unsigned char *drop = pf_arena_alloc(arena, found + 1);
  for (size_t i = 0; i < found; i++)
    drop[i] = (unsigned char)suppressed(&index, &diagnostics->items[i]);

  size_t unused_noqa;
  if (!index.file_all && pf_rule_find("PF100", &unused_noqa) && settings->enabled[unused_noqa]) {
    pf_context ctx = {0};
    ctx.source = source;
    ctx.settings = settings;
    ctx.arena = arena;
    ctx.diagnostics = diagnostics;
    ctx.rule = pf_rules[unused_noqa];
    ctx.rule_index = unused_noqa;
    pf_unused_noqa_report(&ctx, &index);
    if (diagnostics->count > found) {
      unsigned char *grown = pf_arena_alloc(arena, diagnostics->count);
      memcpy(grown, drop, found);
      drop = grown;
      pf_diagnostic_list added = {diagnostics->items + found, diagnostics->count - found, 0};
      pf_diagnostic_list_resolve(&added, source);
      for (size_t i = found; i < diagnostics->count; i++) {
        pf_diagnostic *diagnostic = &diagnostics->items[i];
        diagnostic->noqa_row = noqa_row_of_line(source, root, diagnostic->start.row - 1);
        drop[i] = (unsigned char)suppressed(&index, diagnostic);
      }
    }
  }
  drop_suppressed(diagnostics, drop);
}
