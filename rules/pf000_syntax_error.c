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
    "where it noticed the problem, which can be after the actual mistake.\n";

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
  if (end >= file_end)
    pf_emit_range(ctx, start, start + length, 0,
                  "Syntax error: unexpected end of file while parsing %s%.*s%s%s", quote, (int)length, text,
                  ellipsis ? "..." : "", quote);
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
