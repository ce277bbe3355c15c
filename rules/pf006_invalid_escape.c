/*
 * pf006_invalid_escape.c: PF006, a backslash escape Python does not recognise.
 *
 * Visits every string literal, scans it with the shared scanner (string_literal.h) and
 * reports each escape that Python keeps with a warning (an unrecognised escape such as `\d`,
 * `\8`, `\N`/`\u`/`\U` in bytes, octal above `\377`) or refuses to compile (a truncated `\x`,
 * `\u`, `\U`, a bad `\N{...}`), at its backslash. A literal that PF004 reports (a path-like
 * literal with an accidental escape, path_like.h) is left to it entirely, format specs
 * included, unless PF004 is turned off.
 */
#include <stdio.h>
#include <string.h>

#include "path_like.h"
#include "registry.h"
#include "rule.h"
#include "string_literal.h"

static const char explanation[] =
    "## What it does\n"
    "Flags each backslash escape that Python does not recognise, in every non-raw `str`,\n"
    "`bytes` and f-string literal, multi-line strings and f-string format specifications\n"
    "included. The finding points at the backslash.\n"
    "\n"
    "- Unrecognised escapes (`\\d`, `\\s`, `\\.`, `\\8`, `\\9`, `\\{` in an f-string): Python keeps\n"
    "  the backslash and warns (DeprecationWarning since 3.6, SyntaxWarning since 3.12; a\n"
    "  future version will make them errors). Warning.\n"
    "- `\\N{...}`, `\\u` and `\\U` in a bytes literal: bytes have no such escapes, so they are\n"
    "  unrecognised too (the backslash stays). Warning.\n"
    "- Octal escapes above `\\377` (`\\400`-`\\777`): Python warns (since 3.11); in bytes the\n"
    "  value is also cut to its low eight bits. Warning.\n"
    "- Malformed escapes: `\\x` without two hex digits, `\\u` without four, `\\U` without eight\n"
    "  or above U+10FFFF, `\\N` without `{name}`. The file does not compile. Error.\n"
    "\n"
    "## Why is this bad?\n"
    "An unrecognised escape usually means the author wanted a literal backslash, most often\n"
    "in a regular expression (`\"\\d+\"`) or a Windows path. It works today only because Python\n"
    "is lenient, and it is one typo away from a valid escape that silently means something\n"
    "else (`\"\\d\"` is fine, `\"\\b\"` is a backspace). Python already warns at compile time and\n"
    "has announced that these will become errors.\n"
    "\n"
    "## Example\n"
    "```python\n"
    "import re\n"
    "digits = re.compile(\"\\d+\\.\\d+\")\n"
    "```\n"
    "\n"
    "## Fix\n"
    "Use a raw string, or double the backslash:\n"
    "```python\n"
    "import re\n"
    "digits = re.compile(r\"\\d+\\.\\d+\")\n"
    "```\n"
    "\n"
    "## Not flagged\n"
    "Raw strings; every valid escape (`\\n`, `\\\\`, `\\x41`, `\\N{BULLET}` in str, `\\0`); a\n"
    "backslash before a non-ASCII character (`\"\\é\"`), which Python keeps without a warning;\n"
    "backslashes inside f-string interpolations (they belong to the expression); path-like\n"
    "strings, which PF004 reports once per literal (see `pitfall rule PF004`).\n"
    "Unlike some linters, `\\N{...}`, `\\u` and `\\U` *are* flagged in bytes, and `\\8`/`\\9` are\n"
    "flagged everywhere.\n"
    "\n"
    "## References\n"
    "- Python language reference, \"String and Bytes literals\" (escape sequences)\n"
    "- What's New in Python 3.12: invalid escape sequences raise SyntaxWarning\n"
    "- pycodestyle W605 invalid-escape-sequence\n";

/* Whether PF004 runs, and so reports the escapes of path-like literals itself. */
static int path_rule_enabled(const pf_context *ctx) {
  size_t index;
  return pf_rule_find("PF004", &index) && ctx->settings->enabled[index];
}

static void report(pf_context *ctx, uint32_t start, const char *text, const pf_escape *escape, int bytes) {
  int length = (int)escape->length;
  const char *source = text + escape->offset;
  uint32_t from = start + escape->offset, to = from + escape->length;
  if (escape->validity == PF_ESCAPE_MALFORMED) {
    char description[160], quoted[PF_QUOTE_LIMIT + 4];
    pf_escape_describe(text, escape, bytes, description, sizeof(description));
    pf_quote_prefix(source, escape->length, PF_QUOTE_LIMIT, quoted, sizeof(quoted));
    pf_emit_range(ctx, from, to, PF_SEVERITY_ERROR, "Malformed escape sequence `%s`: %s", quoted,
                  description);
  } else if (escape->kind == PF_ESCAPE_OCTAL) {
    if (bytes)
      pf_emit_range(ctx, from, to, PF_SEVERITY_WARNING,
                    "Octal escape `%.*s` is above `\\377`: Python warns, and the byte is cut to 0x%02x; use "
                    "`\\x%02x` or a value up to `\\377`",
                    length, source, (unsigned)escape->value, (unsigned)escape->value);
    else
      pf_emit_range(ctx, from, to, PF_SEVERITY_WARNING,
                    "Octal escape `%.*s` is above `\\377`: Python warns about it; write `\\u%04x` instead",
                    length, source, (unsigned)escape->value);
  } else if (bytes && (source[1] == 'N' || source[1] == 'u' || source[1] == 'U')) {
    pf_emit_range(
        ctx, from, to, PF_SEVERITY_WARNING,
        "Invalid escape sequence `%.*s` in a bytes literal: bytes have no `\\%c` escape, so Python keeps "
        "the backslash and warns; encode a str (\"...\".encode()) or use `\\x..` bytes",
        length, source, source[1]);
  } else {
    pf_emit_range(ctx, from, to, PF_SEVERITY_WARNING,
                  "Invalid escape sequence `%.*s`: Python keeps the backslash and warns; use a raw string or "
                  "`\\%.*s`",
                  length, source, length, source);
  }
}

static void visit(pf_context *ctx, TSNode node, void *state) {
  (void)state;
  uint32_t length;
  const char *text = pf_node_text(ctx, node, &length);
  if (!memchr(text, '\\', length)) /* most literals: nothing to scan */
    return;
  pf_string_literal literal;
  if (pf_string_literal_parse(text, length, &literal) != 0 || (literal.flags & PF_STRING_RAW))
    return;
  int bytes = (literal.flags & PF_STRING_BYTES) != 0;
  uint32_t start = ts_node_start_byte(node);
  int path_like = -1; /* not computed yet */
  pf_string_scanner scanner;
  pf_string_scanner_init(&scanner, text, &literal);
  pf_string_piece piece;
  while (pf_string_scanner_next(&scanner, &piece)) {
    if (piece.kind != PF_PIECE_ESCAPE || piece.escape.validity == PF_ESCAPE_VALID)
      continue;
    /* A literal PF004 reports gets that one finding, format specs included. */
    if (path_like < 0)
      path_like = path_rule_enabled(ctx) && pf_path_has_accidental_escape(text, &literal) &&
                  pf_string_is_path_like(ctx, node, NULL, 0) != PF_PATH_NONE;
    if (path_like)
      return;
    report(ctx, start, text, &piece.escape, bytes);
  }
}

static const pf_kind kinds[] = {PF_KIND_STRING, PF_KIND_OTHER};

static const char *const tags[] = {"correctness", "deprecation", NULL};

const pf_rule pf_rule_invalid_escape = {
    .code = "PF006",
    .name = "invalid-escape-sequence",
    .summary = "Backslash escape that Python does not recognise or cannot compile",
    .explanation = explanation,
    .severity = PF_SEVERITY_WARNING,
    .kinds = kinds,
    .visit = visit,
    .tags = tags,
    .precision = "very-high",
};
