/*
 * pf000_syntax_error.c: PF000, text the parser could not make sense of.
 *
 * One finding per ERROR node (not descended into, so nested errors are not repeated) and
 * per MISSING node (a token tree-sitter inserted to recover, such as a closing parenthesis).
 * Also a NUL byte anywhere in the file, which CPython refuses. The rest of the file is still
 * linted by every other rule.
 */
#include <string.h>

#include "rule.h"
#include "source.h"

static const char explanation[] =
    "## What it does\n"
    "Reports source that does not parse as Python: a token the grammar cannot place, a token\n"
    "that is missing (an unclosed bracket, a `:` left out), or a NUL byte in the file.\n"
    "\n"
    "## Why is this bad?\n"
    "CPython refuses to compile the file, so the module fails at import time with a\n"
    "`SyntaxError`. pitfall still checks the parts of the file it could parse and reports\n"
    "their findings, but it reports nothing inside the broken region itself.\n"
    "\n"
    "## Example\n"
    "```python\n"
    "def area(width, height:\n"
    "    return width * height\n"
    "```\n"
    "\n"
    "## Fix\n"
    "```python\n"
    "def area(width, height):\n"
    "    return width * height\n"
    "```\n"
    "\n"
    "## Notes\n"
    "The parser recovers from errors by skipping or inserting tokens, so the position is\n"
    "where it noticed the problem, which can be after the actual mistake. Where the parser\n"
    "does not say what it expected, two cases are still named: a `def`, `class`, `if`,\n"
    "`for`, `while`, `with`, `try`, ... header without its `:` (\"expected `:`\", right after\n"
    "the header), and a bracket that is never closed (reported where it opens).\n";

enum { SNIPPET_MAX = 40 };

/* The first line of the node's text, trimmed and shortened to SNIPPET_MAX bytes on a
 * character boundary; returns its length and sets *ellipsis when shortened. */
static uint32_t snippet_of(const pf_context *ctx, TSNode node, const char **text, int *ellipsis) {
  uint32_t length;
  const char *start = pf_node_text(ctx, node, &length);
  uint32_t line_length = 0;
  while (line_length < length && start[line_length] != '\n' && start[line_length] != '\r')
    line_length++;
  while (line_length && (start[line_length - 1] == ' ' || start[line_length - 1] == '\t'))
    line_length--;
  *ellipsis = line_length < length && length > line_length + 1;
  if (line_length > SNIPPET_MAX) {
    line_length = SNIPPET_MAX;
    while (line_length && ((unsigned char)start[line_length] & 0xC0) == 0x80)
      line_length--;
    *ellipsis = 1;
  }
  *text = start;
  return line_length;
}

static int has_backtick(const char *text, uint32_t length) { return memchr(text, '`', length) != NULL; }

/* Keywords that open a compound statement, whose header ends with `:`. */
static const char *const compound_keywords[] = {"def",  "class", "if",     "elif",    "else",  "while", "for",
                                                "with", "try",   "except", "finally", "async", NULL};

static int is_blank_byte(char byte) { return byte == ' ' || byte == '\t' || byte == '\f'; }

/* Whether a byte may continue a name (ASCII letters, digits, `_`, or any byte of a non-ASCII
 * code point). */
static int is_identifier_byte(char byte) {
  unsigned char c = (unsigned char)byte;
  return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

/* Where a compound statement's header that lacks its `:` should have it: the header runs from
 * `start` to the first line break outside brackets (a backslash continues it); returns 1 and
 * sets *at to just after its last token when no `:` stands in it outside brackets. Returns 0
 * when the header has its `:` or a bracket is still open at the end of the text. */
static int header_without_colon(const pf_source *source, uint32_t start, uint32_t *at) {
  const char *text = source->text;
  uint32_t length = source->length, depth = 0, last_token_end = start;
  for (uint32_t i = start; i < length; i++) {
    char c = text[i];
    if (c == '\\' && i + 1 < length && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
      i++;
      continue;
    }
    if ((c == '\n' || c == '\r') && depth == 0)
      break;
    if (c == '#') {
      while (i + 1 < length && text[i + 1] != '\n' && text[i + 1] != '\r')
        i++;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r')
      continue;
    if (c == '"' || c == '\'') {
      uint32_t after = pf_skip_string_literal(text, length, i);
      last_token_end = after + 1 < length ? after + 1 : length;
      i = after;
      continue;
    }
    if (c == '(' || c == '[' || c == '{')
      depth++;
    else if ((c == ')' || c == ']' || c == '}') && depth)
      depth--;
    else if (c == ':' && depth == 0 && !(i + 1 < length && text[i + 1] == '='))
      return 0;
    last_token_end = i + 1;
  }
  if (depth)
    return 0;
  *at = last_token_end;
  return 1;
}

/* An ERROR that starts with a compound statement's keyword and whose header has no `:`:
 * reports the missing `:` where it belongs (after the header's last token) and returns 1. */
static int report_missing_colon(pf_context *ctx, TSNode error) {
  TSNode keyword = ts_node_child(error, 0);
  if (ts_node_is_null(keyword) || ts_node_is_named(keyword))
    return 0;
  const char *type = ts_node_type(keyword);
  int compound = 0;
  for (size_t i = 0; compound_keywords[i] && !compound; i++)
    compound = strcmp(type, compound_keywords[i]) == 0;
  /* Only a keyword that starts its line starts a statement (not `for` in a comprehension, or
   * `else` in a conditional expression). */
  uint32_t at = ts_node_start_byte(keyword), line_start = at;
  while (line_start > 0 && ctx->source->text[line_start - 1] != '\n' &&
         ctx->source->text[line_start - 1] != '\r')
    line_start--;
  for (uint32_t i = line_start; i < at && compound; i++)
    compound = is_blank_byte(ctx->source->text[i]);
  if (!compound || !header_without_colon(ctx->source, ts_node_start_byte(keyword), &at))
    return 0;
  /* On one line with the body (`def f(a=[]) pass`), a def's or class's header ends with its
   * parameters (and return annotation) or bases. */
  uint32_t count = ts_node_child_count(error);
  for (uint32_t i = 1; i < count; i++) {
    TSNode child = ts_node_child(error, i);
    const char *child_type = ts_node_type(child);
    if (ts_node_start_byte(child) >= at)
      break;
    if (strcmp(child_type, "parameters") == 0 || strcmp(child_type, "argument_list") == 0) {
      at = ts_node_end_byte(child);
      if (i + 2 < count && strcmp(ts_node_type(ts_node_child(error, i + 1)), "->") == 0)
        at = ts_node_end_byte(ts_node_child(error, i + 2));
      break;
    }
  }
  while (at > 0 && is_blank_byte(ctx->source->text[at - 1]))
    at--;
  /* `async` names its statement with the keyword after it: `async def`, `async for`, `async with`. */
  const char *qualifier = "";
  if (strcmp(type, "async") == 0) {
    const char *text = ctx->source->text;
    uint32_t word = ts_node_end_byte(keyword), end = ctx->source->length;
    while (word < end && is_blank_byte(text[word]))
      word++;
    static const char *const async_keywords[] = {"def", "for", "with"};
    for (size_t i = 0; i < sizeof(async_keywords) / sizeof(async_keywords[0]); i++) {
      size_t length = strlen(async_keywords[i]);
      if (word + length <= end && memcmp(text + word, async_keywords[i], length) == 0 &&
          (word + length == end || !is_identifier_byte(text[word + length]))) {
        qualifier = async_keywords[i];
        break;
      }
    }
  }
  pf_emit_range(ctx, at, at, 0, "Syntax error: expected `:` at the end of the `%s%s%s` header", type,
                qualifier[0] ? " " : "", qualifier);
  return 1;
}

/* The innermost bracket still open at the end of the ERROR's text, which reaches the end of
 * the file: returns 1 and sets *at to it. Strings and comments are skipped. */
static int unclosed_bracket(const pf_context *ctx, TSNode error, uint32_t *at) {
  const char *text = ctx->source->text;
  uint32_t end = ts_node_end_byte(error), length = ctx->source->length;
  enum { MAX_TRACKED = 4096 };
  uint32_t open[MAX_TRACKED];
  uint32_t depth = 0;
  for (uint32_t i = ts_node_start_byte(error); i < end && i < length; i++) {
    char c = text[i];
    if (c == '#') {
      while (i + 1 < end && text[i + 1] != '\n' && text[i + 1] != '\r')
        i++;
    } else if (c == '"' || c == '\'') {
      i = pf_skip_string_literal(text, length, i);
    } else if (c == '(' || c == '[' || c == '{') {
      if (depth < MAX_TRACKED)
        open[depth] = i;
      depth++;
    } else if ((c == ')' || c == ']' || c == '}') && depth) {
      depth--;
    }
  }
  if (!depth || depth > MAX_TRACKED)
    return 0;
  *at = open[depth - 1];
  return 1;
}

static void visit(pf_context *ctx, TSNode node, void *state) {
  (void)state;
  if (ts_node_is_missing(node)) {
    const char *type = ts_node_type(node);
    uint32_t at = ts_node_start_byte(node);
    if (ts_node_is_named(node))
      pf_emit_range(ctx, at, at, 0, "Syntax error: expected %s", type);
    else
      pf_emit_range(ctx, at, at, 0, "Syntax error: expected `%s`", type);
    return;
  }
  /* An ERROR around a NUL byte is the NUL's doing: file_begin reports that once. */
  uint32_t node_length;
  const char *node_text = pf_node_text(ctx, node, &node_length);
  if (memchr(node_text, '\0', node_length))
    return;
  const char *text;
  int ellipsis;
  uint32_t length = snippet_of(ctx, node, &text, &ellipsis);
  uint32_t start = ts_node_start_byte(node);
  if (length == 0) {
    pf_emit_range(ctx, start, start, 0, "Syntax error: invalid syntax");
    return;
  }
  /* Underline the first line of the broken region: the whole region can span the file. */
  const char *quote = has_backtick(text, length) ? "\"" : "`";
  uint32_t end = ts_node_end_byte(node), file_end = ctx->source->length;
  while (file_end > end && strchr(" \t\r\n\f", ctx->source->text[file_end - 1]))
    file_end--;
  uint32_t bracket;
  if (report_missing_colon(ctx, node))
    return;
  if (end >= file_end && unclosed_bracket(ctx, node, &bracket))
    pf_emit_range(ctx, bracket, bracket + 1, 0, "Syntax error: `%c` was never closed",
                  ctx->source->text[bracket]);
  else if (end >= file_end)
    pf_emit_range(ctx, start, start + length, 0,
                  "Syntax error: cannot parse %s%.*s%s%s (the parser found no way to go on before the end of "
                  "the file)",
                  quote, (int)length, text, ellipsis ? "..." : "", quote);
  else if (ts_node_child_count(node) <= 1)
    pf_emit_range(ctx, start, start + length, 0, "Syntax error: unexpected %s%.*s%s%s", quote, (int)length,
                  text, ellipsis ? "..." : "", quote);
  else
    pf_emit_range(ctx, start, start + length, 0, "Syntax error: cannot parse %s%.*s%s%s", quote, (int)length,
                  text, ellipsis ? "..." : "", quote);
}

static void file_begin(pf_context *ctx, void *state) {
  (void)state;
  const char *nul = memchr(ctx->source->text, '\0', ctx->source->length);
  if (nul) {
    uint32_t at = (uint32_t)(nul - ctx->source->text);
    pf_emit_range(ctx, at, at + 1, 0,
                  "Syntax error: source contains a NUL byte, which Python refuses to compile");
  }
}

static const pf_kind kinds[] = {PF_KIND_SYNTAX_ERROR, PF_KIND_OTHER};
static const char *const tags[] = {"correctness", "syntax", NULL};

const pf_rule pf_rule_syntax_error = {
    .code = "PF000",
    .name = "syntax-error",
    .summary = "Source that does not parse as Python",
    .explanation = explanation,
    .severity = PF_SEVERITY_ERROR,
    .kinds = kinds,
    .visit = visit,
    .file_begin = file_begin,
    .tags = tags,
    .precision = "very-high",
};
