/*
 * toml.c: builds a TOML document's values from the tree-sitter-toml syntax tree (see toml.h).
 *
 * The syntax tree is read with cursors, never by recursion: arrays and inline tables waiting
 * to be filled go on an explicit work list, so `a = [[[[...]]]]` nests as deep as memory
 * allows. Keys are looked up through one hash index per document keyed by (table, key), so a
 * table with many keys costs no more than a small one.
 *
 * TOML's redefinition rules, as bookkeeping on each table (`origin`, `section`):
 *   - a [header] may name a table only once, and not one already made by a dotted key or
 *     written inline; a table it merely passes through ([a.b] passes through a) is implicit
 *     and may get its own header later;
 *   - a dotted key (a.b = 1) creates tables that only keys in the same table section may
 *     extend;
 *   - inline tables and arrays written as values are closed: nothing may be added later;
 *   - [[name]] appends a table to an array of tables, and a header through it extends that
 *     array's last table.
 */
#include "toml.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "tree_guard.h"

const TSLanguage *tree_sitter_toml(void);

/* ts_builtin_sym_error in the runtime: the symbol of ERROR nodes. */
#define TOML_SYMBOL_ERROR ((TSSymbol)-1)

#define TOML_KINDS(X)                                                                                        \
  X(TABLE, "table")                                                                                          \
  X(TABLE_ARRAY_ELEMENT, "table_array_element")                                                              \
  X(PAIR, "pair")                                                                                            \
  X(DOTTED_KEY, "dotted_key")                                                                                \
  X(BARE_KEY, "bare_key")                                                                                    \
  X(QUOTED_KEY, "quoted_key")                                                                                \
  X(STRING, "string")                                                                                        \
  X(INTEGER, "integer")                                                                                      \
  X(FLOAT, "float")                                                                                          \
  X(BOOLEAN, "boolean")                                                                                      \
  X(OFFSET_DATE_TIME, "offset_date_time")                                                                    \
  X(LOCAL_DATE_TIME, "local_date_time")                                                                      \
  X(LOCAL_DATE, "local_date")                                                                                \
  X(LOCAL_TIME, "local_time")                                                                                \
  X(ARRAY, "array")                                                                                          \
  X(INLINE_TABLE, "inline_table")

typedef enum toml_kind {
  KIND_OTHER,
#define TOML_KIND_ENUM(suffix, name) KIND_##suffix,
  TOML_KINDS(TOML_KIND_ENUM)
#undef TOML_KIND_ENUM
      KIND_COUNT
} toml_kind;

static const char *const kind_names[KIND_COUNT] = {[KIND_OTHER] = "",
#define TOML_KIND_NAME(suffix, name) [KIND_##suffix] = name,
                                                   TOML_KINDS(TOML_KIND_NAME)
#undef TOML_KIND_NAME
};

/* pf_toml_value.origin */
enum {
  ORIGIN_VALUE,          /* a scalar, or written as a value: `a = [...]`, `a = {...}` (closed) */
  ORIGIN_IMPLICIT,       /* a table a header passed through */
  ORIGIN_HEADER,         /* a table named by [header] */
  ORIGIN_DOTTED,         /* a table created by a dotted key */
  ORIGIN_ARRAY_OF_TABLES /* an array made by [[header]] */
};

typedef struct index_slot {
  const pf_toml_value *table;
  pf_toml_value *entry;
} index_slot;

typedef struct pending {
  pf_toml_value *container; /* an array or an inline table, still empty */
  TSNode node;
  uint32_t section;
} pending;

typedef struct toml_parser {
  const char *text;
  uint32_t length;
  uint8_t *kind_of_symbol;
  uint32_t symbol_count;
  uint32_t cached_row, cached_offset, cached_column; /* the last position_at() */
  pf_arena *arena;
  pf_toml_error *error;
  int failed;
  uint32_t sections; /* table sections and inline tables seen so far */
  index_slot *slots; /* open addressing, capacity a power of two */
  size_t slot_capacity, slot_used;
  pending *work;
  size_t work_count, work_capacity;
  TSNode *keys; /* the parts of the key being resolved */
  size_t key_capacity;
} toml_parser;

/* ---- positions and errors ---- */

static int is_toml_whitespace(char c) { return c == ' ' || c == '\t'; }

static toml_kind kind_of(const toml_parser *p, TSNode node) {
  TSSymbol symbol = ts_node_symbol(node);
  return symbol < p->symbol_count ? (toml_kind)p->kind_of_symbol[symbol] : KIND_OTHER;
}

/* Row and code point column of a byte offset whose tree-sitter point is known. Values on one
 * long line are visited left to right, so the column of the previous call is the start of
 * the next count: positions cost linear time overall, not quadratic, on a one-line file. */
static pf_position position_at(toml_parser *p, uint32_t offset, TSPoint point) {
  uint32_t line_start = offset >= point.column ? offset - point.column : 0;
  uint32_t from = line_start, column = 1;
  if (p->cached_row == point.row + 1 && p->cached_offset >= line_start && p->cached_offset <= offset) {
    from = p->cached_offset;
    column = p->cached_column;
  }
  column += pf_utf8_count_code_points(p->text + from, offset - from);
  p->cached_row = point.row + 1;
  p->cached_offset = offset;
  p->cached_column = column;
  pf_position position = {point.row + 1, column};
  return position;
}

static pf_position position_of_node(toml_parser *p, TSNode node) {
  return position_at(p, ts_node_start_byte(node), ts_node_start_point(node));
}

/* For offsets no node starts at (an invalid byte): counts lines from the start. */
static pf_position position_of_offset(const char *text, uint32_t offset) {
  uint32_t row = 1, line_start = 0;
  for (uint32_t i = 0; i < offset; i++) {
    if (text[i] == '\n') {
      row++;
      line_start = i + 1;
    }
  }
  uint32_t column = 1;
  for (uint32_t i = line_start; i < offset; i++)
    if (((unsigned char)text[i] & 0xC0) != 0x80)
      column++;
  pf_position position = {row, column};
  return position;
}

static void fail(toml_parser *p, pf_position at, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(toml_parser *p, pf_position at, const char *format, ...) {
  if (p->failed)
    return;
  p->failed = 1;
  p->error->at = at;
  va_list args;
  va_start(args, format);
  vsnprintf(p->error->message, sizeof(p->error->message), format, args);
  va_end(args);
}

/* Appends `key` to `out` as TOML would write it: bare when it can be, quoted otherwise. */
static void append_key(char *out, size_t size, const char *key, size_t length) {
  size_t used = strlen(out);
  int bare = length > 0;
  for (size_t i = 0; i < length && bare; i++) {
    unsigned char c = (unsigned char)key[i];
    bare = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }
  if (!bare && used + 1 < size)
    out[used++] = '"';
  for (size_t i = 0; i < length && used + 2 < size; i++) {
    unsigned char c = (unsigned char)key[i];
    out[used++] = (c < 0x20 || c == 0x7f || c == '"' || c == '\\') ? '?' : (char)c;
  }
  if (!bare && used + 1 < size)
    out[used++] = '"';
  out[used < size ? used : size - 1] = '\0';
}

static const char *describe_value(const pf_toml_value *value) {
  if (value->type == PF_TOML_TABLE) {
    switch (value->origin) {
    case ORIGIN_HEADER:
      return "a table header";
    case ORIGIN_DOTTED:
      return "a dotted key";
    case ORIGIN_VALUE:
      return "an inline table";
    default:
      return "a table";
    }
  }
  if (value->type == PF_TOML_ARRAY && value->origin == ORIGIN_ARRAY_OF_TABLES)
    return "an array of tables";
  return pf_toml_type_phrase(value->type);
}

const char *pf_toml_type_phrase(pf_toml_type type) {
  switch (type) {
  case PF_TOML_STRING:
    return "a string";
  case PF_TOML_INTEGER:
    return "an integer";
  case PF_TOML_FLOAT:
    return "a float";
  case PF_TOML_BOOLEAN:
    return "a boolean";
  case PF_TOML_DATETIME:
    return "a date-time";
  case PF_TOML_ARRAY:
    return "an array";
  case PF_TOML_TABLE:
    return "a table";
  }
  return "a value";
}

/* A token the parser had to invent. External and hidden tokens have internal names. */
static void report_missing(toml_parser *p, TSNode missing) {
  const char *type = ts_node_type(missing);
  const char *shown = NULL;
  if (strcmp(type, "_line_ending_or_eof") == 0)
    shown = "a line break";
  else if (strcmp(type, "_multiline_basic_string_end") == 0)
    type = "\"\"\"";
  else if (strcmp(type, "_multiline_literal_string_end") == 0)
    type = "'''";
  else if (strcmp(type, "bare_key") == 0)
    shown = "a key";
  else if (type[0] == '_')
    shown = "more text";
  if (shown)
    fail(p, position_of_node(p, missing), "TOML syntax error: expected %s", shown);
  else
    fail(p, position_of_node(p, missing), "TOML syntax error: expected '%s'", type);
}

/* A token shown in a message: its text up to the end of its line, at most 40 bytes. */
static void report_unexpected(toml_parser *p, TSNode leaf, const char *hint) {
  uint32_t start = ts_node_start_byte(leaf), end = ts_node_end_byte(leaf);
  if (end > p->length)
    end = p->length;
  uint32_t shown = end > start ? end - start : 0;
  const char *newline = memchr(p->text + start, '\n', shown);
  if (newline)
    shown = (uint32_t)(newline - (p->text + start));
  if (shown > 40) {
    shown = 40;
    while (shown > 0 && ((unsigned char)p->text[start + shown] & 0xC0) == 0x80)
      shown--;
  }
  int printable = 1;
  for (uint32_t i = 0; i < shown; i++)
    if ((unsigned char)p->text[start + i] < 0x20 || p->text[start + i] == 0x7f)
      printable = 0;
  if (shown == 0)
    fail(p, position_of_node(p, leaf), "TOML syntax error: unexpected end of line%s", hint);
  else if (!printable)
    fail(p, position_of_node(p, leaf), "TOML syntax error: unexpected control character 0x%02x%s",
         (unsigned char)p->text[start], hint);
  else
    fail(p, position_of_node(p, leaf), "TOML syntax error: unexpected '%.*s'%s", (int)shown, p->text + start,
         hint);
}

/* The position just after a node. */
static pf_position position_after(toml_parser *p, TSNode node) {
  return position_at(p, ts_node_end_byte(node), ts_node_end_point(node));
}

static int leaf_is(TSNode leaf, const char *type) {
  /* Only on the error path, where the few anonymous tokens a message depends on are named. */
  return !ts_node_is_named(leaf) && strcmp(ts_node_type(leaf), type) == 0;
}

static int is_quote(TSNode leaf) {
  return leaf_is(leaf, "\"") || leaf_is(leaf, "'") || leaf_is(leaf, "\"\"\"") || leaf_is(leaf, "'''");
}

enum { MAX_ERROR_LEAVES = 256 };

/* Explains an ERROR node. tree-sitter's recovery wraps the whole construct it gave up on, so
 * the node's start is rarely the culprit; its tokens usually tell what went wrong: a value
 * missing after '=', a word that should have been quoted, a string or bracket never closed,
 * a token after a complete value. Otherwise the start of the construct is shown. */
static void report_error_node(toml_parser *p, TSNode error) {
  TSNode leaves[MAX_ERROR_LEAVES];
  size_t count = 0;
  TSTreeCursor cursor = ts_tree_cursor_new(error);
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (ts_tree_cursor_goto_first_child(&cursor))
      continue;
    if (ts_node_symbol(node) == TOML_SYMBOL_ERROR && !ts_node_eq(node, error)) {
      ts_tree_cursor_delete(&cursor);
      report_unexpected(p, node, ""); /* a character no token starts with */
      return;
    }
    if (ts_node_is_missing(node)) {
      ts_tree_cursor_delete(&cursor);
      report_missing(p, node);
      return;
    }
    if (count < MAX_ERROR_LEAVES && ts_node_end_byte(node) > ts_node_start_byte(node))
      leaves[count++] = node;
    int moved = 0;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor)))
      if (!ts_tree_cursor_goto_parent(&cursor) || ts_node_eq(ts_tree_cursor_current_node(&cursor), error))
        break;
    if (!moved)
      break;
  }
  ts_tree_cursor_delete(&cursor);
  if (count == 0) {
    report_unexpected(p, error, "");
    return;
  }
  uint32_t row = ts_node_start_point(leaves[0]).row;
  size_t on_row = 0;
  while (on_row < count && ts_node_start_point(leaves[on_row]).row == row)
    on_row++;
  TSNode last_on_row = leaves[on_row - 1];

  /* Inside an array, an inline table or a header: the first token is the one out of place. */
  TSNode parent = ts_node_parent(error); /* once, on the error path */
  toml_kind parent_kind = ts_node_is_null(parent) ? KIND_OTHER : kind_of(p, parent);
  if (parent_kind == KIND_TABLE || parent_kind == KIND_TABLE_ARRAY_ELEMENT) {
    /* A header whose closing bracket never came: the parser took the next line into it. */
    TSNode before = {0};
    int closed = 0;
    TSTreeCursor walk = ts_tree_cursor_new(parent);
    if (ts_tree_cursor_goto_first_child(&walk)) {
      /* Closed before the error, or after it on the header's own line ([a]] has its
       * stray bracket inside the header). */
      do {
        TSNode child = ts_tree_cursor_current_node(&walk);
        if (ts_node_eq(child, error))
          break;
        closed |= leaf_is(child, "]") || leaf_is(child, "]]");
        before = child;
      } while (ts_tree_cursor_goto_next_sibling(&walk));
      if (!ts_node_is_null(before) && ts_node_start_point(leaves[0]).row == ts_node_end_point(before).row)
        closed = 1;
    }
    ts_tree_cursor_delete(&walk);
    if (!closed && !ts_node_is_null(before)) {
      fail(p, position_after(p, before), "TOML syntax error: expected '%s' to close the table header",
           parent_kind == KIND_TABLE ? "]" : "]]");
      return;
    }
  }
  if (parent_kind == KIND_ARRAY || parent_kind == KIND_INLINE_TABLE || parent_kind == KIND_TABLE ||
      parent_kind == KIND_TABLE_ARRAY_ELEMENT || parent_kind == KIND_PAIR) {
    report_unexpected(p, leaves[0],
                      parent_kind == KIND_ARRAY          ? " in the array"
                      : parent_kind == KIND_INLINE_TABLE ? " in the inline table"
                                                         : "");
    return;
  }
  if (leaf_is(leaves[0], "[") || leaf_is(leaves[0], "[[")) {
    const char *closer = leaf_is(leaves[0], "[") ? "]" : "]]";
    size_t closed_at = 1;
    while (closed_at < on_row && !leaf_is(leaves[closed_at], closer))
      closed_at++;
    if (closed_at == on_row) {
      fail(p, position_after(p, last_on_row), "TOML syntax error: expected '%s' to close the table header",
           closer);
      return;
    }
    if (closed_at + 1 < on_row) {
      report_unexpected(p, leaves[closed_at + 1], " (a table header must end its line)");
      return;
    }
  }
  if (leaf_is(leaves[0], "=")) {
    fail(p, position_of_node(p, leaves[0]), "TOML syntax error: expected a key before '='");
    return;
  }
  size_t equals = 0;
  while (equals < on_row && !leaf_is(leaves[equals], "="))
    equals++;
  if (equals < on_row) {
    if (equals + 1 >= on_row) {
      fail(p, position_after(p, leaves[equals]), "TOML syntax error: expected a value after '='");
      return;
    }
    TSNode value = leaves[equals + 1];
    toml_kind kind = kind_of(p, value);
    if (kind == KIND_BARE_KEY) {
      report_unexpected(p, value, " (a string value needs quotes)");
      return;
    }
    if (is_quote(value)) {
      int closed = 0;
      for (size_t i = equals + 2; i < count && !closed; i++)
        closed = leaf_is(leaves[i], ts_node_type(value));
      if (!closed) {
        fail(p, position_of_node(p, value), "TOML syntax error: this string is never closed");
        return;
      }
    }
    if (leaf_is(value, "[") || leaf_is(value, "{")) {
      const char *closer = leaf_is(value, "[") ? "]" : "}";
      int depth = 0, closed = 0;
      for (size_t i = equals + 1; i < count && !closed; i++) {
        if (leaf_is(leaves[i], ts_node_type(value)))
          depth++;
        else if (leaf_is(leaves[i], closer) && --depth == 0)
          closed = 1;
      }
      if (!closed) {
        fail(p, position_of_node(p, value), "TOML syntax error: this %s is never closed with '%s'",
             *closer == ']' ? "array" : "inline table", closer);
        return;
      }
    }
    if (kind == KIND_INTEGER || kind == KIND_FLOAT || kind == KIND_BOOLEAN) {
      if (equals + 2 < on_row)
        report_unexpected(p, leaves[equals + 2], "");
      else
        fail(p, position_of_node(p, value), "TOML syntax error: invalid value");
      return;
    }
  }
  uint32_t start = ts_node_start_byte(leaves[0]);
  const char *line_end = memchr(p->text + start, '\n', p->length - start);
  uint32_t shown = line_end ? (uint32_t)(line_end - (p->text + start)) : p->length - start;
  while (shown > 0 && (p->text[start + shown - 1] == '\r' || is_toml_whitespace(p->text[start + shown - 1])))
    shown--;
  if (shown > 40) {
    shown = 40;
    while (shown > 0 && ((unsigned char)p->text[start + shown] & 0xC0) == 0x80)
      shown--;
  }
  fail(p, position_of_node(p, leaves[0]), "TOML syntax error: cannot parse '%.*s'", (int)shown,
       p->text + start);
}

/* Reports the first ERROR or MISSING node in document order. */
static void report_syntax_error(toml_parser *p, TSNode root) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (ts_node_is_missing(node)) {
      report_missing(p, node);
      break;
    }
    if (ts_node_symbol(node) == TOML_SYMBOL_ERROR) {
      report_error_node(p, node);
      break;
    }
    if (ts_node_has_error(node)) {
      /* A token the grammar keeps hidden (the line break after a pair or a header) is
       * missing when no visible child holds the error. */
      int child_has_error = 0;
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        do
          child_has_error = ts_node_has_error(ts_tree_cursor_current_node(&cursor));
        while (!child_has_error && ts_tree_cursor_goto_next_sibling(&cursor));
        if (child_has_error)
          continue;
        ts_tree_cursor_goto_parent(&cursor);
      }
      toml_kind kind = kind_of(p, node);
      fail(p, position_after(p, node), "TOML syntax error: expected a line break after the %s",
           kind == KIND_PAIR                                        ? "value"
           : kind == KIND_TABLE || kind == KIND_TABLE_ARRAY_ELEMENT ? "table header"
                                                                    : "text");
      break;
    }
    int moved = 0;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor)))
      if (!ts_tree_cursor_goto_parent(&cursor))
        break;
    if (!moved)
      break;
  }
  ts_tree_cursor_delete(&cursor);
  if (!p->failed) {
    pf_position start = {1, 1};
    fail(p, start, "TOML syntax error");
  }
}

/* ---- the (table, key) index ---- */

static size_t hash_entry(const pf_toml_value *table, const char *key, size_t length) {
  uint64_t hash = 1469598103934665603ull ^ (uint64_t)(uintptr_t)table;
  for (size_t i = 0; i < length; i++) {
    hash ^= (unsigned char)key[i];
    hash *= 1099511628211ull;
  }
  return (size_t)(hash ^ (hash >> 29));
}

static pf_toml_value *index_find(const toml_parser *p, const pf_toml_value *table, const char *key,
                                 size_t length) {
  if (!p->slot_capacity)
    return NULL;
  size_t mask = p->slot_capacity - 1;
  for (size_t i = hash_entry(table, key, length) & mask;; i = (i + 1) & mask) {
    const index_slot *slot = &p->slots[i];
    if (!slot->entry)
      return NULL;
    if (slot->table == table && slot->entry->key_length == length &&
        memcmp(slot->entry->key, key, length) == 0)
      return slot->entry;
  }
}

static void index_put(toml_parser *p, const pf_toml_value *table, pf_toml_value *entry) {
  if ((p->slot_used + 1) * 2 > p->slot_capacity) {
    size_t capacity = p->slot_capacity ? p->slot_capacity * 2 : 64;
    index_slot *old = p->slots;
    size_t old_capacity = p->slot_capacity;
    p->slots = pf_xcalloc(capacity, sizeof(index_slot));
    p->slot_capacity = capacity;
    p->slot_used = 0;
    for (size_t i = 0; i < old_capacity; i++)
      if (old[i].entry)
        index_put(p, old[i].table, old[i].entry);
    free(old);
  }
  size_t mask = p->slot_capacity - 1;
  size_t i = hash_entry(table, entry->key, entry->key_length) & mask;
  while (p->slots[i].entry)
    i = (i + 1) & mask;
  p->slots[i].table = table;
  p->slots[i].entry = entry;
  p->slot_used++;
}

/* ---- values ---- */

static pf_toml_value *new_value(toml_parser *p, pf_toml_type type, pf_position at) {
  pf_toml_value *value = pf_arena_alloc(p->arena, sizeof(pf_toml_value));
  value->type = type;
  value->at = at;
  return value;
}

static void append(pf_toml_value *container, pf_toml_value *item) {
  if (container->last)
    container->last->next = item;
  else
    container->first = item;
  container->last = item;
  container->count++;
}

static void add_entry(toml_parser *p, pf_toml_value *table, const char *key, size_t length,
                      pf_position key_at, pf_toml_value *value) {
  value->key = key;
  value->key_length = length;
  value->key_at = key_at;
  append(table, value);
  index_put(p, table, value);
}

static void utf8_append(char *out, size_t *used, uint32_t code_point) {
  if (code_point < 0x80) {
    out[(*used)++] = (char)code_point;
  } else if (code_point < 0x800) {
    out[(*used)++] = (char)(0xC0 | (code_point >> 6));
    out[(*used)++] = (char)(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out[(*used)++] = (char)(0xE0 | (code_point >> 12));
    out[(*used)++] = (char)(0x80 | ((code_point >> 6) & 0x3F));
    out[(*used)++] = (char)(0x80 | (code_point & 0x3F));
  } else {
    out[(*used)++] = (char)(0xF0 | (code_point >> 18));
    out[(*used)++] = (char)(0x80 | ((code_point >> 12) & 0x3F));
    out[(*used)++] = (char)(0x80 | ((code_point >> 6) & 0x3F));
    out[(*used)++] = (char)(0x80 | (code_point & 0x3F));
  }
}

/* Decodes a string or quoted key node: basic ("..."), literal ('...') and their multi-line
 * forms. The grammar has already checked the shape; this undoes escapes and checks that
 * \u and \U name Unicode scalar values. */
static int decode_string(toml_parser *p, TSNode node, const char **out, size_t *out_length) {
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  const char *text = p->text + start;
  uint32_t length = end - start;
  char quote = length ? text[0] : '"';
  uint32_t delimiter = length >= 6 && text[1] == quote && text[2] == quote ? 3 : 1;
  if (length < 2 * delimiter) {
    fail(p, position_of_node(p, node), "TOML syntax error: malformed string");
    return -1;
  }
  const char *body = text + delimiter;
  uint32_t body_length = length - 2 * delimiter;
  if (delimiter == 3) { /* a newline right after the opening delimiter is trimmed */
    if (body_length >= 1 && body[0] == '\n') {
      body++;
      body_length--;
    } else if (body_length >= 2 && body[0] == '\r' && body[1] == '\n') {
      body += 2;
      body_length -= 2;
    }
  }
  char *decoded = pf_arena_alloc(p->arena, (size_t)body_length + 1);
  size_t used = 0;
  if (quote == '\'') {
    memcpy(decoded, body, body_length);
    used = body_length;
  } else {
    for (uint32_t i = 0; i < body_length; i++) {
      char c = body[i];
      if (c != '\\') {
        decoded[used++] = c;
        continue;
      }
      if (i + 1 >= body_length)
        break;
      char escape = body[++i];
      if (delimiter == 3 && (is_toml_whitespace(escape) || escape == '\n' || escape == '\r')) {
        /* A line-ending backslash: drop it and all whitespace and newlines after it. */
        while (i + 1 < body_length &&
               (is_toml_whitespace(body[i + 1]) || body[i + 1] == '\n' || body[i + 1] == '\r'))
          i++;
        continue;
      }
      switch (escape) {
      case 'b':
        decoded[used++] = '\b';
        break;
      case 't':
        decoded[used++] = '\t';
        break;
      case 'n':
        decoded[used++] = '\n';
        break;
      case 'f':
        decoded[used++] = '\f';
        break;
      case 'r':
        decoded[used++] = '\r';
        break;
      case '"':
        decoded[used++] = '"';
        break;
      case '\\':
        decoded[used++] = '\\';
        break;
      case 'u':
      case 'U': {
        uint32_t digits = escape == 'u' ? 4 : 8, code_point = 0;
        for (uint32_t d = 0; d < digits; d++) {
          char h = i + 1 + d < body_length ? body[i + 1 + d] : 0;
          uint32_t nibble = h >= '0' && h <= '9'   ? (uint32_t)(h - '0')
                            : h >= 'a' && h <= 'f' ? (uint32_t)(h - 'a' + 10)
                            : h >= 'A' && h <= 'F' ? (uint32_t)(h - 'A' + 10)
                                                   : 16;
          if (nibble == 16) {
            code_point = 0xFFFFFFFFu;
            break;
          }
          code_point = code_point * 16 + nibble;
        }
        if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
          /* Point at the backslash: offset of body + i - 1 within the file. */
          uint32_t at = (uint32_t)(body - p->text) + i - 1;
          fail(p, position_of_offset(p->text, at), "invalid TOML: \\%c%.*s is not a Unicode scalar value",
               escape, (int)digits, body + i + 1);
          return -1;
        }
        utf8_append(decoded, &used, code_point); /* never longer than the escape it replaces */
        i += digits;
        break;
      }
      default:
        fail(p, position_of_offset(p->text, (uint32_t)(body - p->text) + i - 1),
             "TOML syntax error: invalid escape sequence \\%c", escape);
        return -1;
      }
    }
  }
  decoded[used] = '\0';
  *out = decoded;
  *out_length = used;
  return 0;
}

/* Copies the node's text without underscores into `buffer`. Returns 0, or -1 when too long. */
static int digits_of(const toml_parser *p, TSNode node, char *buffer, size_t size) {
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  size_t used = 0;
  for (uint32_t i = start; i < end; i++) {
    if (p->text[i] == '_')
      continue;
    if (used + 1 >= size)
      return -1;
    buffer[used++] = p->text[i];
  }
  buffer[used] = '\0';
  return 0;
}

static int decode_integer(toml_parser *p, TSNode node, int64_t *out) {
  char buffer[96];
  const char *digits = buffer;
  int negative = 0, base = 10;
  if (digits_of(p, node, buffer, sizeof(buffer)) == 0) {
    if (*digits == '+' || *digits == '-')
      negative = *digits++ == '-';
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'o' || digits[1] == 'b')) {
      base = digits[1] == 'x' ? 16 : digits[1] == 'o' ? 8 : 2;
      digits += 2;
    }
    errno = 0;
    char *rest = NULL;
    unsigned long long magnitude = strtoull(digits, &rest, base);
    if (errno == 0 && rest && *rest == '\0') {
      if (!negative && magnitude <= (unsigned long long)INT64_MAX) {
        *out = (int64_t)magnitude;
        return 0;
      }
      if (negative && magnitude <= (unsigned long long)INT64_MAX + 1ull) {
        *out = magnitude == (unsigned long long)INT64_MAX + 1ull ? INT64_MIN : -(int64_t)magnitude;
        return 0;
      }
    }
  }
  fail(p, position_of_node(p, node), "invalid TOML: integer out of range (TOML integers are 64-bit)");
  return -1;
}

static int decode_float(toml_parser *p, TSNode node, double *out) {
  char buffer[512];
  if (digits_of(p, node, buffer, sizeof(buffer)) != 0) {
    fail(p, position_of_node(p, node), "invalid TOML: float literal too long");
    return -1;
  }
  const char *text = buffer;
  int negative = *text == '-';
  if (*text == '+' || *text == '-')
    text++;
  if (strcmp(text, "inf") == 0)
    *out = negative ? -HUGE_VAL : HUGE_VAL;
  else if (strcmp(text, "nan") == 0)
    *out = NAN;
  else
    *out = strtod(buffer, NULL);
  return 0;
}

/* ---- building ---- */

static void push_pending(toml_parser *p, pf_toml_value *container, TSNode node, uint32_t section) {
  pf_grow((void **)&p->work, &p->work_capacity, p->work_count + 1, sizeof(pending));
  pending *item = &p->work[p->work_count++];
  item->container = container;
  item->node = node;
  item->section = section;
}

/* A value node becomes a value; arrays and inline tables are filled later from the work list. */
static pf_toml_value *make_value(toml_parser *p, TSNode node) {
  pf_position at = position_of_node(p, node);
  pf_toml_value *value = NULL;
  switch (kind_of(p, node)) {
  case KIND_STRING:
    value = new_value(p, PF_TOML_STRING, at);
    if (decode_string(p, node, &value->string, &value->length) != 0)
      return NULL;
    return value;
  case KIND_INTEGER:
    value = new_value(p, PF_TOML_INTEGER, at);
    return decode_integer(p, node, &value->integer) == 0 ? value : NULL;
  case KIND_FLOAT:
    value = new_value(p, PF_TOML_FLOAT, at);
    return decode_float(p, node, &value->number) == 0 ? value : NULL;
  case KIND_BOOLEAN:
    value = new_value(p, PF_TOML_BOOLEAN, at);
    value->boolean = p->text[ts_node_start_byte(node)] == 't';
    return value;
  case KIND_OFFSET_DATE_TIME:
  case KIND_LOCAL_DATE_TIME:
  case KIND_LOCAL_DATE:
  case KIND_LOCAL_TIME: {
    value = new_value(p, PF_TOML_DATETIME, at);
    uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
    value->string = pf_arena_strndup(p->arena, p->text + start, end - start);
    value->length = end - start;
    return value;
  }
  case KIND_ARRAY:
    value = new_value(p, PF_TOML_ARRAY, at);
    push_pending(p, value, node, 0);
    return value;
  case KIND_INLINE_TABLE:
    value = new_value(p, PF_TOML_TABLE, at);
    value->section = ++p->sections;
    push_pending(p, value, node, value->section);
    return value;
  default:
    fail(p, at, "TOML syntax error: expected a value");
    return NULL;
  }
}

/* Collects the parts of a key node (bare, quoted or dotted) into p->keys, in order. A dotted
 * key nests to the left, (((a . b) . c) . d), so it is unwound with a loop. Returns the count. */
static size_t collect_key_parts(toml_parser *p, TSNode key) {
  size_t count = 0;
  for (;;) {
    TSNode part = key;
    int dotted = kind_of(p, key) == KIND_DOTTED_KEY;
    if (dotted) {
      uint32_t children = ts_node_named_child_count(key);
      part = ts_node_named_child(key, children - 1);
    }
    pf_grow((void **)&p->keys, &p->key_capacity, count + 1, sizeof(TSNode));
    p->keys[count++] = part;
    if (!dotted)
      break;
    key = ts_node_named_child(key, 0);
  }
  for (size_t i = 0; i < count / 2; i++) {
    TSNode swap = p->keys[i];
    p->keys[i] = p->keys[count - 1 - i];
    p->keys[count - 1 - i] = swap;
  }
  return count;
}

static int decode_key(toml_parser *p, TSNode part, const char **key, size_t *length) {
  if (kind_of(p, part) == KIND_QUOTED_KEY)
    return decode_string(p, part, key, length);
  uint32_t start = ts_node_start_byte(part), end = ts_node_end_byte(part);
  *key = pf_arena_strndup(p->arena, p->text + start, end - start);
  *length = end - start;
  return 0;
}

static void describe_parts(toml_parser *p, size_t count, char *out, size_t size) {
  out[0] = '\0';
  for (size_t i = 0; i < count; i++) {
    const char *key;
    size_t length;
    if (decode_key(p, p->keys[i], &key, &length) != 0)
      return;
    size_t used = strlen(out);
    if (i && used + 1 < size) {
      out[used] = '.';
      out[used + 1] = '\0';
    }
    append_key(out, size, key, length);
  }
}

/* The first named child of `node` that is not a comment, after skipping `skip` of them. */
static TSNode named_child_skipping_comments(const toml_parser *p, TSNode node, unsigned skip) {
  TSNode none = {0};
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (!ts_tree_cursor_goto_first_child(&cursor)) {
    ts_tree_cursor_delete(&cursor);
    return none;
  }
  do {
    TSNode child = ts_tree_cursor_current_node(&cursor);
    if (!ts_node_is_named(child) || kind_of(p, child) == KIND_OTHER)
      continue;
    if (skip-- == 0) {
      ts_tree_cursor_delete(&cursor);
      return child;
    }
  } while (ts_tree_cursor_goto_next_sibling(&cursor));
  ts_tree_cursor_delete(&cursor);
  return none;
}

/* `key = value` (a pair node) inside `table`, in table section `section`. */
static void add_pair(toml_parser *p, pf_toml_value *table, TSNode pair, uint32_t section) {
  TSNode key = named_child_skipping_comments(p, pair, 0);
  TSNode value_node = named_child_skipping_comments(p, pair, 1);
  if (ts_node_is_null(key) || ts_node_is_null(value_node)) {
    fail(p, position_of_node(p, pair), "TOML syntax error: expected key = value");
    return;
  }
  size_t count = collect_key_parts(p, key);
  for (size_t i = 0; i < count && !p->failed; i++) {
    const char *name;
    size_t length;
    if (decode_key(p, p->keys[i], &name, &length) != 0)
      return;
    pf_position key_at = position_of_node(p, p->keys[i]);
    pf_toml_value *existing = index_find(p, table, name, length);
    if (i + 1 == count) {
      if (existing) {
        char shown[128] = "";
        append_key(shown, sizeof(shown), name, length);
        fail(p, key_at, "invalid TOML: duplicate key %s (first defined at %u:%u)", shown,
             existing->key_at.row, existing->key_at.column);
        return;
      }
      pf_toml_value *value = make_value(p, value_node);
      if (value)
        add_entry(p, table, name, length, key_at, value);
      return;
    }
    if (!existing) {
      pf_toml_value *created = new_value(p, PF_TOML_TABLE, key_at);
      created->origin = ORIGIN_DOTTED;
      created->section = section;
      add_entry(p, table, name, length, key_at, created);
      table = created;
    } else if (existing->type == PF_TOML_TABLE &&
               (existing->origin == ORIGIN_IMPLICIT ||
                (existing->origin == ORIGIN_DOTTED && existing->section == section))) {
      existing->origin = ORIGIN_DOTTED;
      existing->section = section;
      table = existing;
    } else {
      char shown[128] = "";
      append_key(shown, sizeof(shown), name, length);
      fail(p, key_at, "invalid TOML: key %s is already defined as %s at %u:%u", shown,
           describe_value(existing), existing->key_at.row, existing->key_at.column);
      return;
    }
  }
}

/* A [header] or [[header]]: finds or creates its table and returns it. */
static pf_toml_value *open_table(toml_parser *p, pf_toml_value *root, TSNode header, int array_of_tables) {
  TSNode key = named_child_skipping_comments(p, header, 0);
  if (ts_node_is_null(key)) {
    fail(p, position_of_node(p, header), "TOML syntax error: expected a table name");
    return NULL;
  }
  size_t count = collect_key_parts(p, key);
  pf_toml_value *table = root;
  for (size_t i = 0; i < count && !p->failed; i++) {
    const char *name;
    size_t length;
    if (decode_key(p, p->keys[i], &name, &length) != 0)
      return NULL;
    pf_position key_at = position_of_node(p, p->keys[i]);
    pf_toml_value *existing = index_find(p, table, name, length);
    int last = i + 1 == count;
    if (!existing) {
      pf_toml_value *created = new_value(p, PF_TOML_TABLE, key_at);
      created->origin = last ? ORIGIN_HEADER : ORIGIN_IMPLICIT;
      if (last && array_of_tables) {
        pf_toml_value *array = new_value(p, PF_TOML_ARRAY, key_at);
        array->origin = ORIGIN_ARRAY_OF_TABLES;
        add_entry(p, table, name, length, key_at, array);
        append(array, created);
      } else {
        add_entry(p, table, name, length, key_at, created);
      }
      table = created;
      continue;
    }
    char shown[256];
    describe_parts(p, i + 1, shown, sizeof(shown));
    if (!last) {
      if (existing->type == PF_TOML_TABLE && existing->origin != ORIGIN_VALUE) {
        table = existing;
      } else if (existing->type == PF_TOML_ARRAY && existing->origin == ORIGIN_ARRAY_OF_TABLES) {
        table = existing->last;
      } else {
        fail(p, key_at, "invalid TOML: %s is already defined as %s at %u:%u, which cannot be extended", shown,
             describe_value(existing), existing->key_at.row, existing->key_at.column);
        return NULL;
      }
      continue;
    }
    if (array_of_tables) {
      if (existing->type == PF_TOML_ARRAY && existing->origin == ORIGIN_ARRAY_OF_TABLES) {
        pf_toml_value *created = new_value(p, PF_TOML_TABLE, key_at);
        created->origin = ORIGIN_HEADER;
        append(existing, created);
        return created;
      }
      fail(p, key_at, "invalid TOML: [[%s]] is already defined as %s at %u:%u", shown,
           describe_value(existing), existing->key_at.row, existing->key_at.column);
      return NULL;
    }
    if (existing->type == PF_TOML_TABLE && existing->origin == ORIGIN_IMPLICIT) {
      existing->origin = ORIGIN_HEADER;
      existing->at = key_at;
      existing->key_at = key_at;
      return existing;
    }
    if (existing->type == PF_TOML_TABLE && existing->origin == ORIGIN_HEADER)
      fail(p, key_at, "invalid TOML: table [%s] is defined twice (first at %u:%u)", shown,
           existing->key_at.row, existing->key_at.column);
    else
      fail(p, key_at, "invalid TOML: [%s] is already defined as %s at %u:%u", shown, describe_value(existing),
           existing->key_at.row, existing->key_at.column);
    return NULL;
  }
  return p->failed ? NULL : table;
}

/* Fills the arrays and inline tables waiting on the work list (which may grow meanwhile). */
static void drain_pending(toml_parser *p) {
  while (p->work_count && !p->failed) {
    pending item = p->work[--p->work_count];
    TSTreeCursor cursor = ts_tree_cursor_new(item.node);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      do {
        TSNode child = ts_tree_cursor_current_node(&cursor);
        toml_kind kind = kind_of(p, child);
        if (!ts_node_is_named(child) || kind == KIND_OTHER)
          continue;
        if (item.container->type == PF_TOML_ARRAY) {
          pf_toml_value *value = make_value(p, child);
          if (value)
            append(item.container, value);
        } else if (kind == KIND_PAIR) {
          add_pair(p, item.container, child, item.section);
        }
      } while (!p->failed && ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
  }
}

/* The pairs directly inside `node` (the document, a table or an array-of-tables element). */
static void add_pairs_of(toml_parser *p, pf_toml_value *table, TSNode node, uint32_t section) {
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (kind_of(p, child) == KIND_PAIR) {
        add_pair(p, table, child, section);
        drain_pending(p);
      }
    } while (!p->failed && ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

static void build(toml_parser *p, pf_toml_value *root, TSNode document) {
  add_pairs_of(p, root, document, 0);
  TSTreeCursor cursor = ts_tree_cursor_new(document);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      toml_kind kind = kind_of(p, child);
      if (kind != KIND_TABLE && kind != KIND_TABLE_ARRAY_ELEMENT)
        continue;
      pf_toml_value *table = open_table(p, root, child, kind == KIND_TABLE_ARRAY_ELEMENT);
      if (table)
        add_pairs_of(p, table, child, ++p->sections);
    } while (!p->failed && ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

/* Offset of the first byte that is not part of valid UTF-8 (overlong forms, surrogates and
 * values past U+10FFFF included), or `length` when all of it is valid. */
static size_t first_invalid_utf8(const unsigned char *text, size_t length) {
  size_t i = 0;
  while (i < length) {
    unsigned char c = text[i];
    size_t extra;
    uint32_t minimum, code_point;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, minimum = 0x80, code_point = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, minimum = 0x800, code_point = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, minimum = 0x10000, code_point = c & 0x07;
    } else {
      return i;
    }
    for (size_t k = 1; k <= extra; k++) {
      if (i + k >= length || (text[i + k] & 0xC0) != 0x80)
        return i;
      code_point = (code_point << 6) | (text[i + k] & 0x3F);
    }
    if (code_point < minimum || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF))
      return i;
    i += extra + 1;
  }
  return length;
}

enum { PARSE_BUDGET_MICROSECONDS = 5000000 };

static int is_toml_blank(char c) { return is_toml_whitespace(c) || c == '\n' || c == '\r'; }

int pf_toml_parse(pf_toml_document *document, const char *text, size_t length, pf_toml_error *error) {
  memset(document, 0, sizeof(*document));
  memset(error, 0, sizeof(*error));
  if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    length -= 3;
  }
  if (length > UINT32_MAX / 2) {
    error->at.row = error->at.column = 1;
    snprintf(error->message, sizeof(error->message), "file too large to be a configuration file");
    return -1;
  }
  toml_parser p = {0};
  p.text = text;
  p.length = (uint32_t)length;
  p.arena = &document->arena;
  p.error = error;
  size_t invalid = first_invalid_utf8((const unsigned char *)text, length);
  if (invalid < length) {
    fail(&p, position_of_offset(text, (uint32_t)invalid), "invalid TOML: the file is not valid UTF-8");
    return -1;
  }

  const TSLanguage *language = tree_sitter_toml();
  TSParser *parser = ts_parser_new();
  if (!parser || !ts_parser_set_language(parser, language)) {
    if (parser)
      ts_parser_delete(parser);
    pf_position start = {1, 1};
    fail(&p, start, "cannot load the tree-sitter-toml grammar");
    return -1;
  }
  p.symbol_count = ts_language_symbol_count(language);
  p.kind_of_symbol = pf_xcalloc(p.symbol_count ? p.symbol_count : 1, 1);
  for (uint32_t symbol = 0; symbol < p.symbol_count; symbol++) {
    if (ts_language_symbol_type(language, (TSSymbol)symbol) != TSSymbolTypeRegular)
      continue;
    const char *name = ts_language_symbol_name(language, (TSSymbol)symbol);
    for (int kind = 1; kind < KIND_COUNT; kind++)
      if (strcmp(name, kind_names[kind]) == 0)
        p.kind_of_symbol[symbol] = (uint8_t)kind;
  }

  /* Error recovery is superlinear on long runs of misplaced tokens; no real configuration file
   * comes near this budget, and an adversarial one must not hang the run. */
  ts_parser_set_timeout_micros(parser, PARSE_BUDGET_MICROSECONDS);
  TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)length);
  if (!tree) {
    pf_position start = {1, 1};
    fail(&p, start, "TOML syntax error: the file is too broken to parse (gave up after %d seconds)",
         PARSE_BUDGET_MICROSECONDS / 1000000);
  } else {
    TSNode root_node = ts_tree_root_node(tree);
    if (ts_node_has_error(root_node)) {
      TSNode unsafe;
      if (pf_tree_has_unsafe_error(root_node, p.text, p.length, is_toml_blank, &unsafe)) {
        /* Its children cannot be trusted to explain the error, and it cannot be deleted. */
        fail(&p, position_of_node(&p, unsafe),
             "TOML syntax error: cannot parse the text from here (too many tokens out of place)");
        pf_tree_abandon(tree);
        pf_tree_abandon_parser(parser); /* its pool of subtrees shares the node's memory */
        tree = NULL;
        parser = NULL;
      } else {
        report_syntax_error(&p, root_node);
      }
    } else {
      pf_position start = {1, 1};
      pf_toml_value *root = new_value(&p, PF_TOML_TABLE, start);
      root->origin = ORIGIN_HEADER;
      build(&p, root, root_node);
      if (!p.failed)
        document->root = root;
    }
    if (tree)
      ts_tree_delete(tree);
  }
  if (parser)
    ts_parser_delete(parser);
  free(p.kind_of_symbol);
  free(p.slots);
  free(p.work);
  free(p.keys);
  return p.failed ? -1 : 0;
}

void pf_toml_free(pf_toml_document *document) {
  pf_arena_free(&document->arena);
  document->root = NULL;
}

const pf_toml_value *pf_toml_get(const pf_toml_value *table, const char *key) {
  if (!table || table->type != PF_TOML_TABLE)
    return NULL;
  size_t length = strlen(key);
  for (const pf_toml_value *entry = table->first; entry; entry = entry->next)
    if (entry->key_length == length && memcmp(entry->key, key, length) == 0)
      return entry;
  return NULL;
}
