/*
 * lint.c: the per-file pipeline and the single tree walk (see lint.h), plus the pf_context
 * services rules call (rule.h): emitting findings, node text, ancestors and frames.
 */
#include "lint.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "capture.h"
#include "imports.h"
#include "lang.h"
#include "noqa.h"
#include "parse_budget.h"
#include "registry.h"
#include "rule.h"
#include "string_literal.h"
#include "tree_guard.h"

/* ts_builtin_sym_error in the runtime: the symbol of ERROR nodes. */
#define PF_SYMBOL_ERROR ((TSSymbol)-1)

typedef struct dispatch_list {
  uint8_t rules[PF_MAX_RULES];
  uint8_t count;
} dispatch_list;

struct pf_linter {
  TSParser *parser; /* its scanner state renewed before each parse (pf_python_parser_refresh) */
  pf_arena arena;
  TSNode *nodes;
  TSFieldId *fields;
  uint8_t *kinds;
  uint32_t *siblings_left; /* per depth: siblings after nodes[depth] still to visit */
  size_t stack_capacity;
  pf_frame *frames;
  size_t frame_capacity;
  dispatch_list dispatch[PF_DISPATCH_KINDS];
  dispatch_list identifier_dispatch[PF_KIND_COUNT]; /* by the parent's kind (pf_rule.identifier_parents) */
  uint8_t ends_with_closing_token[PF_KIND_COUNT];   /* pf_kind_ends_with_closing_token, as a table */
  void **rule_states;                               /* per rule, from the arena, for the current file */
  unsigned capture;                 /* PF_CAPTURE_*: what the output format needs from each file's source */
  int gave_up;                      /* the last pf_lint_source ran out of its parse budget (parse_budget.h) */
  pf_source_buffers source_buffers; /* pf_lint_bytes' line index, reused from file to file */
};

pf_linter *pf_linter_new(void) {
  pf_linter *linter = pf_xcalloc(1, sizeof(pf_linter));
  linter->parser = pf_python_parser_new(); /* fails early when the grammar cannot be loaded */
  for (size_t index = 0; index < pf_rule_count && index < PF_MAX_RULES; index++) {
    const pf_rule *rule = pf_rules[index];
    for (const pf_kind *kind = rule->kinds; kind && *kind != PF_KIND_OTHER; kind++) {
      dispatch_list *list = &linter->dispatch[*kind];
      list->rules[list->count++] = (uint8_t)index;
      if (*kind != PF_KIND_IDENTIFIER)
        continue;
      for (size_t parent = 0; parent < PF_KIND_COUNT; parent++) {
        int wanted = rule->identifier_parents == NULL;
        for (const pf_kind *p = rule->identifier_parents; p && *p != PF_KIND_OTHER && !wanted; p++)
          wanted = *p == (pf_kind)parent;
        if (wanted) {
          dispatch_list *by_parent = &linter->identifier_dispatch[parent];
          by_parent->rules[by_parent->count++] = (uint8_t)index;
        }
      }
    }
  }
  linter->rule_states = pf_xcalloc(pf_rule_count, sizeof(void *));
  for (size_t kind = 0; kind < PF_KIND_COUNT; kind++)
    linter->ends_with_closing_token[kind] = (uint8_t)pf_kind_ends_with_closing_token((pf_kind)kind);
  return linter;
}

void pf_linter_set_capture(pf_linter *linter, unsigned capture) { linter->capture = capture; }

void pf_linter_free(pf_linter *linter) {
  if (!linter)
    return;
  if (linter->parser)
    ts_parser_delete(linter->parser);
  pf_arena_free(&linter->arena);
  free(linter->nodes);
  free(linter->fields);
  free(linter->kinds);
  free(linter->siblings_left);
  free(linter->frames);
  free(linter->rule_states);
  pf_source_buffers_free(&linter->source_buffers);
  free(linter);
}

void pf_file_result_free(pf_file_result *result) {
  free(result->path);
  free(result->error);
  free(result->decode_error);
  pf_diagnostic_list_free(&result->diagnostics);
  memset(result, 0, sizeof(*result));
}

/* ---- services for rules (rule.h) ---- */

static pf_diagnostic *emit_range_v(pf_context *ctx, uint32_t start_byte, uint32_t end_byte,
                                   pf_severity severity, const char *format, va_list args) {
  pf_diagnostic *diagnostic = pf_diagnostic_list_push(ctx->diagnostics);
  diagnostic->rule = ctx->rule;
  pf_severity override = ctx->settings->severity_override[ctx->rule_index];
  diagnostic->severity = override ? override : severity ? severity : ctx->rule->severity;
  diagnostic->start_byte = start_byte;
  diagnostic->end_byte = end_byte < start_byte ? start_byte : end_byte;
  va_list copy;
  va_copy(copy, args);
  int length = vsnprintf(NULL, 0, format, copy);
  va_end(copy);
  diagnostic->message = pf_xmalloc(length > 0 ? (size_t)length + 1 : 1);
  vsnprintf(diagnostic->message, length > 0 ? (size_t)length + 1 : 1, format, args);
  return diagnostic;
}

pf_diagnostic *pf_emit(pf_context *ctx, TSNode node, pf_severity severity, const char *format, ...) {
  va_list args;
  va_start(args, format);
  pf_diagnostic *diagnostic =
      emit_range_v(ctx, ts_node_start_byte(node), ts_node_end_byte(node), severity, format, args);
  va_end(args);
  return diagnostic;
}

pf_diagnostic *pf_emit_range(pf_context *ctx, uint32_t start_byte, uint32_t end_byte, pf_severity severity,
                             const char *format, ...) {
  va_list args;
  va_start(args, format);
  pf_diagnostic *diagnostic = emit_range_v(ctx, start_byte, end_byte, severity, format, args);
  va_end(args);
  return diagnostic;
}

void pf_diagnostic_set_related(pf_diagnostic *diagnostic, TSNode node, const char *message) {
  diagnostic->has_related = 1;
  diagnostic->related_start_byte = ts_node_start_byte(node);
  diagnostic->related_end_byte = ts_node_end_byte(node);
  free(diagnostic->related_message);
  diagnostic->related_message = pf_xstrdup(message ? message : "");
}

const char *pf_node_text(const pf_context *ctx, TSNode node, uint32_t *length) {
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  if (end > ctx->source->length)
    end = ctx->source->length;
  if (start > end)
    start = end;
  *length = end - start;
  return ctx->source->text + start;
}

char *pf_node_text_dup(const pf_context *ctx, TSNode node) {
  uint32_t length;
  const char *text = pf_node_text(ctx, node, &length);
  return pf_arena_strndup(ctx->arena, text, length);
}

int pf_node_text_is(const pf_context *ctx, TSNode node, const char *text) {
  uint32_t length;
  const char *node_text = pf_node_text(ctx, node, &length);
  return strlen(text) == length && memcmp(node_text, text, length) == 0;
}

int pf_node_text_contains(const pf_context *ctx, TSNode node, char byte) {
  uint32_t length;
  const char *text = pf_node_text(ctx, node, &length);
  return memchr(text, byte, length) != NULL;
}

TSNode pf_ancestor(const pf_context *ctx, uint32_t up) {
  if (up > ctx->depth) {
    TSNode null_node = {0};
    return null_node;
  }
  return ctx->nodes[ctx->depth - up];
}

TSNode pf_parent(const pf_context *ctx) { return pf_ancestor(ctx, 1); }

TSFieldId pf_parent_field(const pf_context *ctx) { return ctx->fields[ctx->depth]; }

TSNode pf_child_of_visited(const pf_context *ctx, TSNode node, TSFieldId field) {
  if (field && ctx->first_child_cursor && ctx->nodes && ts_node_eq(node, ctx->nodes[ctx->depth]) &&
      ts_tree_cursor_current_field_id(ctx->first_child_cursor) == field)
    return ctx->first_child;
  return pf_child(node, field);
}

const pf_frame *pf_enclosing_frame(const pf_context *ctx) {
  return ctx->frame_count ? &ctx->frames[ctx->frame_count - 1] : NULL;
}

uint32_t pf_row_of(const pf_context *ctx, uint32_t byte_offset) {
  return pf_source_line_of(ctx->source, byte_offset) + 1;
}

TSNode pf_parameter_name(TSNode parameter) {
  TSNode null_node = {0};
  if (ts_node_is_null(parameter))
    return null_node;
  switch (pf_node_kind(parameter)) {
  case PF_KIND_IDENTIFIER:
    return parameter;
  case PF_KIND_DEFAULT_PARAMETER:
  case PF_KIND_TYPED_DEFAULT_PARAMETER: {
    TSNode name = pf_child(parameter, pf_field.NAME);
    return !ts_node_is_null(name) && pf_node_kind(name) == PF_KIND_IDENTIFIER ? name : null_node;
  }
  case PF_KIND_TYPED_PARAMETER:
  case PF_KIND_LIST_SPLAT_PATTERN:
  case PF_KIND_DICTIONARY_SPLAT_PATTERN: {
    /* typed_parameter holds the name, or a splat pattern holding it (`*args: int`). */
    TSNode inner = ts_node_named_child_count(parameter) ? ts_node_named_child(parameter, 0) : null_node;
    if (!ts_node_is_null(inner) && pf_node_kind(inner) != PF_KIND_IDENTIFIER)
      inner = ts_node_named_child_count(inner) ? ts_node_named_child(inner, 0) : null_node;
    return !ts_node_is_null(inner) && pf_node_kind(inner) == PF_KIND_IDENTIFIER ? inner : null_node;
  }
  default:
    return null_node;
  }
}

TSNode pf_unparenthesize(TSNode node) {
  while (!ts_node_is_null(node) && pf_node_kind(node) == PF_KIND_PARENTHESIZED_EXPRESSION &&
         ts_node_named_child_count(node) == 1)
    node = ts_node_named_child(node, 0);
  return node;
}

/* ---- the walk ---- */

static void ensure_stack(pf_linter *linter, size_t needed) {
  if (needed <= linter->stack_capacity)
    return;
  size_t capacity = linter->stack_capacity;
  pf_grow((void **)&linter->nodes, &capacity, needed, sizeof(TSNode));
  linter->fields = pf_xrealloc(linter->fields, capacity * sizeof(TSFieldId));
  linter->kinds = pf_xrealloc(linter->kinds, capacity * sizeof(uint8_t));
  linter->siblings_left = pf_xrealloc(linter->siblings_left, capacity * sizeof(uint32_t));
  linter->stack_capacity = capacity;
}

static void dispatch(pf_context *ctx, const pf_settings *settings, const dispatch_list *list, TSNode node,
                     void **rule_states) {
  for (uint8_t i = 0; i < list->count; i++) {
    size_t index = list->rules[i];
    if (!settings->enabled[index])
      continue;
    ctx->rule = pf_rules[index];
    ctx->rule_index = index;
    ctx->rule->visit(ctx, node, rule_states[index]);
  }
}

int pf_kind_ends_with_closing_token(pf_kind kind) {
  switch (kind) {
  case PF_KIND_ARGUMENT_LIST:
  case PF_KIND_PARAMETERS:
  case PF_KIND_SUBSCRIPT:
  case PF_KIND_PARENTHESIZED_EXPRESSION:
  case PF_KIND_TUPLE:
  case PF_KIND_LIST:
  case PF_KIND_SET:
  case PF_KIND_DICTIONARY:
  case PF_KIND_LIST_COMPREHENSION:
  case PF_KIND_SET_COMPREHENSION:
  case PF_KIND_DICTIONARY_COMPREHENSION:
  case PF_KIND_GENERATOR_EXPRESSION:
    return 1;
  default:
    return 0;
  }
}

/* Whether a string node is a literal without replacement fields and without syntax errors:
 * its children (string_start, string_content with its escape sequences, string_end) are
 * then read by the rules that visit the string itself (string_literal.h), and no rule
 * visits them, so the walk does not descend. Only an f-string has replacement fields. */
static int is_plain_string(const pf_source *source, TSNode string) {
  if (ts_node_has_error(string))
    return 0;
  uint32_t start = ts_node_start_byte(string), end = ts_node_end_byte(string);
  pf_string_literal literal;
  return end <= source->length && pf_string_literal_parse(source->text + start, end - start, &literal) == 0 &&
         !(literal.flags & PF_STRING_FORMAT);
}

/* The walk visits every node once, in source order, with one TSTreeCursor (except inside
 * ERROR nodes and plain string literals, which it does not enter, and the closing brackets
 * named below). Measured with callgrind on the standard library, the cursor calls are most
 * of what linting adds to the parse, so the loop avoids the ones whose answer it already
 * knows:
 *   - a node's visible child count is O(1), so leaves are not asked for a first child, and
 *     the last child of a node goes straight back to its parent instead of trying for a next
 *     sibling (a failed ts_tree_cursor_goto_next_sibling climbs through hidden nodes);
 *   - the field id is looked up only where someone can read it: for nodes a rule visits and
 *     for nodes with children (every ancestor a rule can see). Other leaves get 0, and so do
 *     the module's children, which never have one;
 *   - a tree without errors has no ERROR or MISSING nodes, so those checks are skipped, and
 *     the closing bracket that ends an argument list, a subscript or a display is not
 *     stepped onto (pf_kind_ends_with_closing_token). */
static void walk(pf_linter *linter, pf_context *ctx, const pf_settings *settings, TSNode root) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  size_t frame_capacity = linter->frame_capacity;
  int has_error = ts_node_has_error(root);
  /* A node the cursor stepped onto before its parent was dispatched (the first child), so
   * that it is not asked for again. */
  int stepped = 0;
  TSNode stepped_node = {0};
  for (;;) {
    TSNode node = stepped ? stepped_node : ts_tree_cursor_current_node(&cursor);
    linter->nodes[depth] = node; /* the stack has room: the descent below made it */
    ctx->depth = depth;

    uint32_t child_count = ts_node_child_count(node);
    TSSymbol symbol = ts_node_symbol(node);
    pf_kind kind = symbol < pf_symbol_count ? (pf_kind)pf_kind_of_symbol[symbol] : PF_KIND_OTHER;
    linter->kinds[depth] = (uint8_t)kind;
    int is_error = has_error && symbol == PF_SYMBOL_ERROR;
    int is_missing = has_error && !is_error && ts_node_is_missing(node);
    const dispatch_list *rules = kind == PF_KIND_IDENTIFIER && depth
                                     ? &linter->identifier_dispatch[linter->kinds[depth - 1]]
                                     : &linter->dispatch[kind];
    int wanted = is_error || is_missing || rules->count;
    /* The module has no fields (module: repeat(_statement); tests/unit/test_walk.c checks it),
     * and the lookup climbs its hidden repeat nodes: log(statements) steps for each one. */
    linter->fields[depth] =
        depth > 1 && (child_count || wanted) ? ts_tree_cursor_current_field_id(&cursor) : 0;
    stepped = 0;

    /* ERROR subtrees are reported once and not descended into, and neither are string
     * literals without replacement fields (below). A node a rule visits is stepped into
     * before the visit, so that the rule reads its first child from ctx. */
    int descend = child_count && !is_error && !(kind == PF_KIND_STRING && is_plain_string(ctx->source, node));
    if (wanted) {
      ctx->first_child_cursor = NULL; /* pf_child_of_visited: no first child known */
      if (descend && kind != PF_KIND_OTHER && !is_missing && ts_tree_cursor_goto_first_child(&cursor)) {
        stepped = 1;
        stepped_node = ts_tree_cursor_current_node(&cursor);
        ctx->first_child = stepped_node;
        ctx->first_child_cursor = &cursor;
      }
    }

    if (is_error || is_missing) {
      dispatch(ctx, settings, &linter->dispatch[PF_KIND_SYNTAX_ERROR], node, linter->rule_states);
    } else if (kind != PF_KIND_OTHER) {
      dispatch(ctx, settings, rules, node, linter->rule_states);
      if (kind == PF_KIND_CLASS_DEFINITION || kind == PF_KIND_FUNCTION_DEFINITION || kind == PF_KIND_LAMBDA) {
        pf_grow((void **)&linter->frames, &frame_capacity, ctx->frame_count + 1, sizeof(pf_frame));
        linter->frame_capacity = frame_capacity;
        ctx->frames = linter->frames;
        ctx->frames[ctx->frame_count].node = node;
        ctx->frames[ctx->frame_count].kind = kind;
        ctx->frames[ctx->frame_count].depth = depth;
        ctx->frames[ctx->frame_count].scope_imports = NULL;
        ctx->frame_count++;
      }
    }

    if (stepped || (descend && ts_tree_cursor_goto_first_child(&cursor))) {
      depth++;
      if (depth >= linter->stack_capacity) {
        ensure_stack(linter, (size_t)depth + 1);
        ctx->nodes = linter->nodes;
        ctx->fields = linter->fields;
        ctx->kinds = linter->kinds;
      }
      linter->siblings_left[depth] = child_count - 1;
      continue;
    }
    for (;;) {
      if (depth == 0) {
        ctx->first_child_cursor = NULL;
        ts_tree_cursor_delete(&cursor);
        return;
      }
      /* A closing bracket is the last child of the kinds pf_kind_ends_with_closing_token
       * names (a tenth of the steps in the standard library): go up instead of onto it. */
      uint32_t left = linter->siblings_left[depth];
      if (left > 1 ||
          (left == 1 && (has_error || !linter->ends_with_closing_token[linter->kinds[depth - 1]]))) {
        linter->siblings_left[depth]--;
        if (ts_tree_cursor_goto_next_sibling(&cursor)) {
          /* A sibling ends the class, function or lambda frames at its depth and below. */
          while (ctx->frame_count && ctx->frames[ctx->frame_count - 1].depth >= depth)
            ctx->frame_count--;
          break;
        }
      }
      ts_tree_cursor_goto_parent(&cursor);
      depth--;
    }
  }
}

static int ends_with(const char *text, const char *suffix) {
  size_t length = strlen(text), suffix_length = strlen(suffix);
  return length >= suffix_length && strcmp(text + length - suffix_length, suffix) == 0;
}

/* CPython's tokenizer refuses more than 200 nested brackets ("too many nested
 * parentheses"), counting the braces of f-string replacement fields as brackets; pitfall
 * reports that and still parses and checks the file. The tree-sitter runtime handles any depth
 * of well-formed brackets (its parse, balance and delete keep their own stacks), but not error
 * recovery with many brackets open: it wraps all of them into one ERROR node, and an ERROR
 * node with more than 65,535 children corrupts the heap of libtree-sitter 0.20.7 (measured:
 * 66,000 brackets left open, or closed by the wrong kind, crash it; 65,000 do not). So a file
 * is not parsed when more than UNSAFE_OPEN_BRACKETS are open where its brackets go wrong: at
 * a closing bracket of another kind or with none open, where a string ends with replacement
 * fields open, at the end of the file, or where f-strings nest deeper than the grammar's
 * scanner can follow (it keeps at most GRAMMAR_STRING_LIMIT open strings in its saved state,
 * so from there on it reads quotes and braces differently from Python, and 70,000 nested
 * f-strings, balanced for Python, crash the runtime the same way). Brackets are not the only
 * way to such an ERROR node: 20,000 lines of `def f(a) pass` build one with no nesting at all,
 * which no scan short of parsing foresees; tree_guard.h keeps a finished parse of that kind
 * from corrupting the heap, and the crash supervisor (supervisor.h) covers what remains. */
enum { PYTHON_NESTING_LIMIT = 200, UNSAFE_OPEN_BRACKETS = 20000, GRAMMAR_STRING_LIMIT = 255 };

typedef struct bracket_scan {
  uint32_t deepest;          /* the deepest nesting of brackets and replacement fields */
  uint32_t too_deep_at;      /* the bracket that first exceeds PYTHON_NESTING_LIMIT */
  uint32_t open_where_wrong; /* the most brackets open where the brackets go wrong */
} bracket_scan;

/* What stands open during the scan, innermost last. */
typedef enum open_kind {
  OPEN_BRACKET,    /* (, [ or {, closed by `closer` */
  OPEN_FIELD,      /* an f-string's replacement field: code up to its `}` or format spec */
  OPEN_FIELD_SPEC, /* a replacement field past its `:`: text, nested fields, then `}` */
  OPEN_FORMATTED,  /* an f-string's text (its quote and whether triple and raw) */
} open_kind;

typedef struct open_item {
  uint8_t kind;        /* open_kind */
  char closer;         /* OPEN_BRACKET: the closing bracket; the others: the quote of their f-string */
  uint8_t triple, raw; /* of their f-string */
} open_item;

typedef struct bracket_scanner {
  const char *text;
  uint32_t length;
  open_item *open;
  size_t open_count, open_capacity;
  uint32_t brackets;  /* brackets and replacement fields open */
  uint32_t formatted; /* f-strings open */
  bracket_scan scan;
} bracket_scanner;

static int is_identifier_byte(unsigned char byte) {
  return byte == '_' || byte >= 0x80 || (byte >= '0' && byte <= '9') ||
         ((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z');
}

/* The string prefix before the quote at text[quote_at]: sets *formatted and *raw. */
static void string_prefix(const char *text, uint32_t quote_at, int *formatted, int *raw) {
  uint32_t start = quote_at;
  while (start > 0 && quote_at - start < 3 && is_identifier_byte((unsigned char)text[start - 1]))
    start--;
  *formatted = *raw = 0;
  if (quote_at - start > 2 || (start > 0 && is_identifier_byte((unsigned char)text[start - 1])))
    return; /* a name before the quote, not a prefix */
  for (uint32_t i = start; i < quote_at; i++) {
    char letter = (char)(text[i] | 0x20);
    if (letter != 'f' && letter != 'r' && letter != 'b' && letter != 'u')
      return;
  }
  for (uint32_t i = start; i < quote_at; i++) {
    *formatted |= (text[i] | 0x20) == 'f';
    *raw |= (text[i] | 0x20) == 'r';
  }
}

static void note_wrong(bracket_scanner *scanner) {
  if (scanner->brackets > scanner->scan.open_where_wrong)
    scanner->scan.open_where_wrong = scanner->brackets;
}

static void push_open(bracket_scanner *scanner, open_kind kind, char closer, int triple, int raw,
                      uint32_t at) {
  if (scanner->open_count >= scanner->open_capacity)
    pf_grow((void **)&scanner->open, &scanner->open_capacity, scanner->open_count + 1, sizeof(open_item));
  scanner->open[scanner->open_count++] = (open_item){(uint8_t)kind, closer, (uint8_t)triple, (uint8_t)raw};
  if (kind == OPEN_FORMATTED) {
    if (++scanner->formatted > GRAMMAR_STRING_LIMIT)
      note_wrong(scanner);
    return;
  }
  if (++scanner->brackets > scanner->scan.deepest) {
    scanner->scan.deepest = scanner->brackets;
    if (scanner->brackets == PYTHON_NESTING_LIMIT + 1)
      scanner->scan.too_deep_at = at;
  }
}

static void pop_open(bracket_scanner *scanner) {
  if (scanner->open[--scanner->open_count].kind == OPEN_FORMATTED)
    scanner->formatted--;
  else
    scanner->brackets--;
}

/* Ends the innermost f-string where its text ends early (its quote inside a format spec, a
 * line break in a one-line one): what it left open is where the brackets go wrong. */
static void end_formatted(bracket_scanner *scanner) {
  if (scanner->open[scanner->open_count - 1].kind != OPEN_FORMATTED)
    note_wrong(scanner);
  while (scanner->open_count && scanner->open[scanner->open_count - 1].kind != OPEN_FORMATTED)
    pop_open(scanner);
  if (scanner->open_count)
    pop_open(scanner);
}

/* Reads f-string text (top is OPEN_FORMATTED) or format spec text (OPEN_FIELD_SPEC) from
 * text[i]; returns the index of the last byte it acted on. */
static uint32_t scan_formatted_text(bracket_scanner *scanner, uint32_t i) {
  const char *text = scanner->text;
  uint32_t length = scanner->length;
  open_item top = scanner->open[scanner->open_count - 1];
  char quote = top.closer;
  int triple = top.triple, raw = top.raw;
  for (; i < length; i++) {
    char c = text[i];
    if (c == '\\') {
      if (!raw && i + 2 < length && text[i + 1] == 'N' && text[i + 2] == '{') {
        i += 3; /* \N{NAME} is a character, not a replacement field */
        while (i < length && text[i] != '}' && text[i] != quote && text[i] != '\n')
          i++;
        if (i < length && text[i] != '}')
          i--;
      } else if (i + 1 < length && text[i + 1] != '{' &&
                 (!raw || text[i + 1] == quote || text[i + 1] == '\\')) {
        i++; /* an escaped byte; a backslash before a brace leaves the brace a brace */
      }
    } else if (c == '{') {
      if (top.kind == OPEN_FORMATTED && i + 1 < length && text[i + 1] == '{') {
        i++; /* {{ is a brace */
        continue;
      }
      push_open(scanner, OPEN_FIELD, quote, triple, raw, i);
      return i;
    } else if (c == '}') {
      if (top.kind == OPEN_FIELD_SPEC) {
        pop_open(scanner);
        return i;
      }
      if (i + 1 < length && text[i + 1] == '}')
        i++;
    } else if (c == quote && (!triple || (i + 2 < length && text[i + 1] == quote && text[i + 2] == quote))) {
      end_formatted(scanner);
      return i + (triple ? 2 : 0);
    } else if (!triple && (c == '\n' || c == '\r')) {
      end_formatted(scanner);
      return i;
    }
  }
  return length;
}

/* Scans the brackets of the text, skipping comments and string literals but following the
 * replacement fields of f-strings, nested ones too (an approximation of Python's tokenizer
 * that is exact for every valid program). */
static bracket_scan scan_brackets(const pf_source *source) {
  /* The bytes the scan acts on in code; it skips runs of the others in a tight loop. */
  static const unsigned char acts_on[256] = {['#'] = 1, ['"'] = 1, ['\''] = 1, ['('] = 1, ['['] = 1,
                                             ['{'] = 1, [')'] = 1, [']'] = 1,  ['}'] = 1, [':'] = 1};
  bracket_scanner scanner = {.text = source->text, .length = source->length};
  const char *text = source->text;
  uint32_t length = source->length;
  for (uint32_t i = 0; i < length; i++) {
    if (scanner.open_count) {
      uint8_t kind = scanner.open[scanner.open_count - 1].kind;
      if (kind == OPEN_FORMATTED || kind == OPEN_FIELD_SPEC) {
        i = scan_formatted_text(&scanner, i);
        continue;
      }
    }
    while (i < length && !acts_on[(unsigned char)text[i]])
      i++;
    if (i == length)
      break;
    char c = text[i];
    if (c == '#') {
      while (i < length && text[i] != '\n' && text[i] != '\r')
        i++;
    } else if (c == '"' || c == '\'') {
      int formatted, raw;
      string_prefix(text, i, &formatted, &raw);
      if (!formatted) {
        i = pf_skip_string_literal(text, length, i);
        continue;
      }
      int triple = i + 2 < length && text[i + 1] == c && text[i + 2] == c;
      push_open(&scanner, OPEN_FORMATTED, c, triple, raw, i);
      i += triple ? 2 : 0;
    } else if (c == ':') {
      /* A colon directly in a replacement field starts its format spec (a lambda or walrus
       * there needs parentheses). */
      if (scanner.open_count && scanner.open[scanner.open_count - 1].kind == OPEN_FIELD)
        scanner.open[scanner.open_count - 1].kind = OPEN_FIELD_SPEC;
    } else if (c == '(' || c == '[' || c == '{') {
      push_open(&scanner, OPEN_BRACKET, c == '(' ? ')' : c == '[' ? ']' : '}', 0, 0, i);
    } else {
      const open_item *top = scanner.open_count ? &scanner.open[scanner.open_count - 1] : NULL;
      int matches = top && (top->kind == OPEN_FIELD ? c == '}' : top->closer == c);
      if (!matches)
        note_wrong(&scanner);
      if (top)
        pop_open(&scanner);
    }
  }
  note_wrong(&scanner);
  free(scanner.open);
  return scanner.scan;
}

/* What every file's findings go through last, whether or not it could be parsed: positions,
 * noqa suppression (through the tree's comments when there is a tree), order, and what the
 * output format keeps of the source. */
static void finish_file(pf_linter *linter, const pf_source *source, const pf_settings *settings, TSNode root,
                        pf_diagnostic_list *out) {
  pf_diagnostic_list_resolve(out, source);
  pf_noqa_apply(source, root, settings, &linter->arena, out);
  pf_diagnostic_list_sort(out);
  pf_capture(out, source, linter->capture);
  pf_arena_reset(&linter->arena);
}

/* Between two tokens of Python source, only these can stand (comments are tokens). */
static int is_python_blank(char byte) {
  return byte == ' ' || byte == '\t' || byte == '\f' || byte == '\n' || byte == '\r' || byte == '\\';
}

void pf_lint_source(pf_linter *linter, const char *path, const pf_source *source, const pf_settings *settings,
                    pf_diagnostic_list *out) {
  linter->gave_up = 0;
  bracket_scan brackets = scan_brackets(source);
  int skip_parse = brackets.open_where_wrong > UNSAFE_OPEN_BRACKETS;
  size_t syntax_rule = 0;
  if (brackets.deepest > PYTHON_NESTING_LIMIT && pf_rule_find("PF000", &syntax_rule) &&
      settings->enabled[syntax_rule]) {
    pf_context report = {0};
    report.source = source;
    report.settings = settings;
    report.diagnostics = out;
    report.rule = pf_rules[syntax_rule];
    report.rule_index = syntax_rule;
    pf_emit_range(&report, brackets.too_deep_at, brackets.too_deep_at + 1, 0,
                  "Syntax error: too many nested parentheses (%u levels; Python allows %d)%s",
                  brackets.deepest, PYTHON_NESTING_LIMIT,
                  skip_parse ? "; with that many brackets unclosed, mismatched or in f-strings nested too "
                               "deep for the parser, "
                               "the file was not checked further"
                             : "");
  }
  TSNode no_tree = {0};
  if (skip_parse) {
    finish_file(linter, source, settings, no_tree, out);
    return;
  }
  TSParser *parser = linter->parser;
  pf_python_parser_refresh(parser);
  uint64_t budget = pf_parse_budget_apply(parser, source->length);
  TSTree *tree = ts_parser_parse_string(parser, NULL, source->text, source->length);
  if (!tree) {
    /* Out of budget (parse_budget.h): the file is reported, not checked. */
    linter->gave_up = 1;
    pf_context report = {0};
    report.source = source;
    report.settings = settings;
    report.diagnostics = out;
    if (pf_rule_find("PF000", &syntax_rule) && settings->enabled[syntax_rule]) {
      report.rule = pf_rules[syntax_rule];
      report.rule_index = syntax_rule;
      pf_emit_range(&report, 0, 0, 0,
                    "Syntax error: the parser gave up after %.1f seconds (its error recovery is too slow on "
                    "this text); the file was not checked",
                    (double)budget / 1e6);
    }
    finish_file(linter, source, settings, no_tree, out);
    return;
  }
  TSNode root = ts_tree_root_node(tree);
  pf_imports imports = {0};
  pf_imports_collect(&imports, root, source, &linter->arena);

  pf_context ctx = {0};
  ctx.path = path;
  ctx.source = source;
  ctx.settings = settings;
  ctx.imports = &imports;
  ctx.arena = &linter->arena;
  ctx.is_stub = ends_with(path, ".pyi");
  ctx.diagnostics = out;
  ctx.frames = linter->frames;
  ensure_stack(linter, 64);
  ctx.nodes = linter->nodes;
  ctx.fields = linter->fields;
  ctx.kinds = linter->kinds;
  linter->nodes[0] = root;
  linter->fields[0] = 0;
  linter->kinds[0] = (uint8_t)pf_node_kind(root);

  for (size_t index = 0; index < pf_rule_count; index++) {
    const pf_rule *rule = pf_rules[index];
    linter->rule_states[index] = NULL;
    if (!settings->enabled[index])
      continue;
    if (rule->state_size)
      linter->rule_states[index] = pf_arena_alloc(&linter->arena, rule->state_size);
    if (rule->file_begin) {
      ctx.rule = rule;
      ctx.rule_index = index;
      rule->file_begin(&ctx, linter->rule_states[index]);
    }
  }
  walk(linter, &ctx, settings, root);
  ctx.depth = 0;
  ctx.frame_count = 0;
  for (size_t index = 0; index < pf_rule_count; index++) {
    const pf_rule *rule = pf_rules[index];
    if (!settings->enabled[index] || !rule->file_end)
      continue;
    ctx.rule = rule;
    ctx.rule_index = index;
    rule->file_end(&ctx, linter->rule_states[index]);
  }
  finish_file(linter, source, settings, root, out);
  TSNode unsafe;
  if (pf_tree_has_unsafe_error(root, source->text, source->length, is_python_blank, &unsafe)) {
    /* The walk did not enter that ERROR node; deleting it would corrupt the heap, and so would
     * the parser's pool of freed subtrees, which shares its memory: both are given up, and the
     * next file gets a new parser. */
    pf_tree_abandon(tree);
    pf_tree_abandon_parser(linter->parser);
    linter->parser = pf_python_parser_new();
  } else {
    ts_tree_delete(tree);
  }
}

/* Lints what pf_source_load_* produced (`status`, and `reason` when it failed), then frees it. */
static void lint_loaded(pf_linter *linter, pf_load_status status, pf_source source, const char *reason,
                        const char *display_path, const pf_settings *settings, pf_file_result *out) {
  if (status == PF_LOAD_DECODE) {
    /* Undecodable bytes are Python's SyntaxError, not an I/O failure: a PF000 finding at the
     * first bad byte (exit status 1), like any other syntax error. */
    out->decode_error = pf_xstrdup(reason);
    size_t index = 0;
    if (pf_rule_find("PF000", &index) && settings->enabled[index]) {
      pf_diagnostic *diagnostic = pf_diagnostic_list_push(&out->diagnostics);
      diagnostic->rule = pf_rules[index];
      diagnostic->severity =
          settings->severity_override[index] ? settings->severity_override[index] : pf_rules[index]->severity;
      diagnostic->start = source.decode_error_at.row ? source.decode_error_at : (pf_position){1, 1};
      diagnostic->end = diagnostic->start;
      diagnostic->noqa_row = diagnostic->start.row;
      size_t length = strlen(reason) + 64;
      diagnostic->message = pf_xmalloc(length);
      snprintf(diagnostic->message, length, "Syntax error: the file cannot be decoded: %s", reason);
    }
    pf_source_free(&source);
    return;
  }
  if (status != PF_LOAD_OK) {
    out->error = pf_xstrdup(reason);
    return;
  }
  const char *crash_on = getenv("PITFALL_DEBUG_CRASH_ON");
  if (crash_on && strcmp(crash_on, display_path) == 0)
    abort(); /* a debugging hook: how tests crash a run quickly (supervisor.h) */
  pf_lint_source(linter, display_path, &source, settings, &out->diagnostics);
  out->incomplete = linter->gave_up ? PF_INCOMPLETE_BUDGET : PF_INCOMPLETE_NONE;
  pf_source_free(&source);
}

void pf_lint_path(pf_linter *linter, const char *path, const char *display_path, const pf_settings *settings,
                  pf_file_result *out) {
  memset(out, 0, sizeof(*out));
  out->path = pf_xstrdup(display_path);
  pf_source source = {0};
  char reason[256];
  pf_load_status status = strcmp(path, "-") == 0
                              ? pf_source_load_stream(&source, stdin, reason, sizeof(reason))
                              : pf_source_load_file(&source, path, reason, sizeof(reason));
  lint_loaded(linter, status, source, reason, display_path, settings, out);
}

void pf_lint_bytes(pf_linter *linter, const char *bytes, size_t length, const char *display_path,
                   const pf_settings *settings, pf_file_result *out) {
  memset(out, 0, sizeof(*out));
  out->path = pf_xstrdup(display_path);
  pf_source source = {0};
  char reason[256];
  pf_load_status status =
      pf_source_load_in_place(&source, bytes, length, &linter->source_buffers, reason, sizeof(reason));
  lint_loaded(linter, status, source, reason, display_path, settings, out);
}

void pf_lint_crashed(pf_linter *linter, const char *bytes, size_t length, const char *display_path,
                     const pf_settings *settings, int signal_number, pf_file_result *out) {
  memset(out, 0, sizeof(*out));
  out->path = pf_xstrdup(display_path);
  out->incomplete = PF_INCOMPLETE_CRASH;
  pf_source source = {0};
  char reason[256];
  if (pf_source_load_bytes(&source, bytes, length, reason, sizeof(reason)) != PF_LOAD_OK) {
    pf_source_free(&source);
    memset(&source, 0, sizeof(source));
    pf_source_load_bytes(&source, "", 0, reason, sizeof(reason));
  }
  size_t syntax_rule = 0;
  if (pf_rule_find("PF000", &syntax_rule) && settings->enabled[syntax_rule]) {
    pf_context report = {0};
    report.source = &source;
    report.settings = settings;
    report.diagnostics = &out->diagnostics;
    report.rule = pf_rules[syntax_rule];
    report.rule_index = syntax_rule;
    pf_emit_range(
        &report, 0, 0, 0,
        "Syntax error: the parser (libtree-sitter 0.20.7) crashed on this file (%s); it was not checked",
        strsignal(signal_number));
  }
  TSNode no_tree = {0};
  finish_file(linter, &source, settings, no_tree, &out->diagnostics);
  pf_source_free(&source);
}
