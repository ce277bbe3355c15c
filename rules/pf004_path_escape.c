/*
 * pf004_path_escape.c: PF004, backslash escapes in a string literal that looks like a path.
 *
 * Visits every string literal (each part of a concatenation on its own), scans it with the
 * shared scanner (string_literal.h), and when its literal part holds escapes that change its
 * value and the literal is path-like (path_like.h), reports one finding for the literal that
 * lists what each escape turned into. Error when an escape does not compile (a truncated \x,
 * \u, \U or a bad \N{...}), warning otherwise. The message suggests a raw string and a
 * forward-slash spelling of the same literal when they can be written.
 */
#include <stdio.h>
#include <string.h>

#include "path_like.h"
#include "rule.h"
#include "string_literal.h"

static const char explanation[] =
    "## What it does\n"
    "Flags a string literal that looks like a filesystem path and contains backslash escapes\n"
    "that change its value: `\\a \\b \\f \\n \\r \\t \\v`, octal `\\0`-`\\777`, `\\x..`, `\\N{...}`,\n"
    "`\\u....`, `\\U........`, and escapes Python does not recognise (`\\d`, `\\U` with a bad tail).\n"
    "It checks `str`, `bytes` and f-string literals in every quote style (for f-strings, the\n"
    "literal parts only: an interpolation is not inspected). Raw strings are never flagged.\n"
    "One finding per literal lists what each escape turned into.\n"
    "\n"
    "`\\N{...}`, a lone `\\0`, and a valid `\\x..`, `\\u....` or `\\U........` that spells a\n"
    "non-ASCII or control character are listed too, but alone they do not make a finding:\n"
    "nobody types them by accident (`os.fsencode(\"caf\\xe9\")`). One that spells a plain ASCII\n"
    "character does count: in `\"C:\\\\build\\x64\\\\cl.exe\"`, `\\x64` is `d`. A run of `\\n`, `\\r`\n"
    "and `\\t` at the very end of a literal ends a line of text (`\"C:\\\\out.txt\\n\"`, and\n"
    "`\"Q:\\n\"`, a label) and is ignored.\n"
    "\n"
    "A literal is path-like when it starts with a drive letter and a backslash (`C:\\`, `D:\\bk`;\n"
    "a lower-case letter needs a name after it), starts with a UNC or device prefix\n"
    "(`\\\\server\\share`, written `\"\\\\\\\\server\\\\share\"`; `\\\\?\\`, `\\\\.\\`), is made of\n"
    "backslash-separated names ending in a file extension with a separator that text does\n"
    "not use (`data\\\\new\\table.txt`, `vendor\\d\\temp\\file.txt`, `data\\new\\table.txt`), is\n"
    "passed directly to a path-taking call (`open`, `io.open`, the file functions of `os`, the\n"
    "program of `os.exec*`/`os.spawn*`, any `os.path`, `ntpath` or `shutil` function,\n"
    "`glob.glob`, `pathlib.Path` and its siblings, `.joinpath`), or continues an implicit\n"
    "concatenation whose first part is path-like. Text separates words with `\\n`, `\\t` and\n"
    "`\\r`, so two names and one `\\n` or `\\t` (`\"a\\new.txt\"`, `\"Saved\\nresults.csv\"`) are\n"
    "not a path unless passed to a path-taking call; a mix of `\\n` and `\\t` between names is.\n"
    "\n"
    "The severity is error when the literal does not even compile: `\"C:\\Users\\name\"` is a\n"
    "SyntaxError on every Python 3, because `\\U` must be followed by eight hex digits; so is\n"
    "`\"C:\\\\data\\N{BAD NAME}.txt\"`, because `BAD NAME` is not a character name.\n"
    "\n"
    "## Why is this bad?\n"
    "In a normal string literal a backslash starts an escape sequence, so a Windows path\n"
    "written with single backslashes silently becomes another string:\n"
    "\n"
    "```python\n"
    ">>> print(\"C:\\new\\table.txt\")\n"
    "C:\n"
    "ew\table.txt\n"
    "```\n"
    "\n"
    "That is `C:`, a newline, `ew`, a tab and `able.txt`. Opening it fails with a confusing\n"
    "error, or, worse, succeeds on another file. Linters that flag only *invalid* escapes\n"
    "(`\\d`) stay silent here, because `\\n` and `\\t` are valid.\n"
    "\n"
    "## Example\n"
    "```python\n"
    "with open(\"C:\\new\\table.txt\") as handle:\n"
    "    ...\n"
    "```\n"
    "\n"
    "## Fix\n"
    "Use a raw string, forward slashes (Windows accepts them), or `pathlib`:\n"
    "```python\n"
    "with open(r\"C:\\new\\table.txt\") as handle:\n"
    "    ...\n"
    "with open(\"C:/new/table.txt\") as handle:\n"
    "    ...\n"
    "with open(pathlib.PureWindowsPath(\"C:/\", \"new\", \"table.txt\")) as handle:\n"
    "    ...\n"
    "```\n"
    "A raw string cannot end in an odd number of backslashes: `r\"C:\\dir\\\"` does not close.\n"
    "Write `\"C:\\\\dir\\\\\"`, `\"C:/dir/\"` or join the name with `os.path.join` instead.\n"
    "\n"
    "## Not flagged\n"
    "Raw strings; doubled backslashes (`\"C:\\\\new\"`); ordinary text with `\\n` or `\\t`\n"
    "(`\"line\\n\"`, `\"a:\\n\"`, `\"name:\\tvalue\"`, `\"id\\tname\\tfile.csv\"`, `\"pass\\nobj.attr\"`);\n"
    "non-path arguments of path-taking calls (`open(name, newline=\"\\n\")`);\n"
    "deliberate escapes alone (`\"caf\\xe9.txt\"`); escapes inside f-string interpolations.\n"
    "Invalid escapes outside path-like strings are PF006's; inside a path-like string PF004\n"
    "reports them instead, once per literal. The full path-like test is in the README.\n"
    "\n"
    "## Options\n"
    "- `path-calls`: more callables whose positional string arguments are paths, by the\n"
    "  qualified name a call resolves to through the file's imports (`mylib.load`).\n"
    "\n"
    "## References\n"
    "- Python language reference, \"String and Bytes literals\" (the escape sequence table)\n"
    "- Python documentation, \"pathlib: Object-oriented filesystem paths\"\n";

enum { MAX_LISTED = 6, SUGGESTION_LIMIT = 80 };

typedef struct escape_report {
  char text[512]; /* "`\n` is a newline, `\t` is a tab" */
  size_t used;
  unsigned listed, omitted;
  int malformed;
} escape_report;

static void append(escape_report *report, const char *format_text, size_t length) {
  if (report->used + length + 1 > sizeof(report->text))
    return;
  memcpy(report->text + report->used, format_text, length);
  report->used += length;
  report->text[report->used] = '\0';
}

/* Whether the same escape text was already listed (`\n` twice is listed once). */
static int already_listed(const char *text, const pf_escape *escapes, unsigned count,
                          const pf_escape *escape) {
  for (unsigned i = 0; i < count; i++)
    if (escapes[i].length == escape->length &&
        memcmp(text + escapes[i].offset, text + escape->offset, escape->length) == 0)
      return 1;
  return 0;
}

/* How to respell a literal: as a raw string or with forward slashes, and whether a doubled
 * backslash that opens the literal was meant as two characters (a UNC prefix,
 * "\\server\share" or "\\server\\share\new") rather than one; any other doubled backslash
 * is an escaped one ("C:\\Users\new"). */
typedef struct spelling {
  int forward_slashes;
  int leading_pair_means_two;
  uint32_t trailing; /* pf_path_trailing_start */
} spelling;

/* Copies text[from, to) into buffer (forward slashes for the backslashes that stay backslashes,
 * before non-ASCII characters, in forward-slash mode). */
static size_t copy_text(char *buffer, size_t used, const char *text, uint32_t from, uint32_t to,
                        int slashes) {
  for (uint32_t i = from; i < to; i++)
    buffer[used++] =
        slashes && text[i] == '\\' && i + 1 < to && ((unsigned char)text[i + 1] & 0x80) ? '/' : text[i];
  return used;
}

/* Writes the raw or forward-slash spelling of the literal into `out`; returns 0 when it cannot
 * be written that way: a quote, a continuation or a line end escaped, a deliberate escape
 * (\x41, \u00e9, \N{...}, \0: respelling would change it), an escape in a format spec, several
 * lines, too long, or a raw string ending in an odd number of backslashes. */
static int suggest(const char *text, const pf_string_literal *literal, const spelling *how, char *out,
                   size_t out_size) {
  uint32_t length = literal->content_end + literal->quote_length;
  if (length > SUGGESTION_LIMIT || literal->content_end < literal->content_start ||
      memchr(text, '\n', length) || memchr(text, '\r', length))
    return 0;
  size_t used = 0;
  char buffer[2 * SUGGESTION_LIMIT];
  if (!how->forward_slashes)
    buffer[used++] = 'r';
  for (uint32_t i = 0; i < literal->prefix_length; i++)
    if (text[i] != 'u' && text[i] != 'U')
      buffer[used++] = text[i];
  for (uint32_t i = 0; i < literal->quote_length; i++)
    buffer[used++] = literal->quote;
  pf_string_scanner scanner;
  pf_string_scanner_init(&scanner, text, literal);
  pf_string_piece piece;
  uint32_t copied_to = literal->content_start;
  while (pf_string_scanner_next(&scanner, &piece)) {
    if (piece.kind != PF_PIECE_ESCAPE)
      continue;
    const pf_escape *escape = &piece.escape;
    if (piece.depth > 0 || escape->kind == PF_ESCAPE_LINE_CONTINUATION ||
        (escape->kind == PF_ESCAPE_SELF && escape->value != '\\') ||
        (escape->kind != PF_ESCAPE_SELF &&
         pf_path_escape_role_of(text, escape, how->trailing) != PF_PATH_ESCAPE_ACCIDENTAL))
      return 0;
    used = copy_text(buffer, used, text, copied_to, escape->offset, how->forward_slashes);
    char separator = how->forward_slashes ? '/' : '\\';
    buffer[used++] = separator;
    if (escape->kind == PF_ESCAPE_SELF && how->leading_pair_means_two &&
        escape->offset == literal->content_start)
      buffer[used++] = separator;
    /* `\\` becomes one separator (or two); any other escape keeps what follows its backslash. */
    copied_to = escape->offset + (escape->kind == PF_ESCAPE_SELF ? 2 : 1);
  }
  used = copy_text(buffer, used, text, copied_to, literal->content_end, how->forward_slashes);
  if (!how->forward_slashes) {
    size_t backslashes = 0;
    while (backslashes < used && buffer[used - 1 - backslashes] == '\\')
      backslashes++;
    if (backslashes % 2)
      return 0;
  }
  for (uint32_t i = 0; i < literal->quote_length; i++)
    buffer[used++] = literal->quote;
  if (used + 1 > out_size)
    return 0;
  memcpy(out, buffer, used);
  out[used] = '\0';
  return 1;
}

/* Whether the literal's value ends in a backslash that a raw string could not spell. */
static int ends_in_backslash(const char *text, const pf_string_literal *literal) {
  return literal->content_end >= literal->content_start + 2 && text[literal->content_end - 1] == '\\' &&
         text[literal->content_end - 2] == '\\';
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

  escape_report report = {0};
  pf_escape listed[MAX_LISTED];
  uint32_t trailing = pf_path_trailing_start(text, &literal);
  pf_string_scanner scanner;
  pf_string_scanner_init(&scanner, text, &literal);
  pf_string_piece piece;
  unsigned accidental = 0;
  while (pf_string_scanner_next(&scanner, &piece)) {
    if (piece.kind != PF_PIECE_ESCAPE || piece.depth > 0)
      continue;
    pf_path_escape_role role = pf_path_escape_role_of(text, &piece.escape, trailing);
    if (role == PF_PATH_ESCAPE_IGNORED)
      continue;
    accidental += role == PF_PATH_ESCAPE_ACCIDENTAL;
    if (piece.escape.validity == PF_ESCAPE_MALFORMED)
      report.malformed = 1;
    if (already_listed(text, listed, report.listed, &piece.escape))
      continue;
    if (report.listed == MAX_LISTED) {
      report.omitted++;
      continue;
    }
    char description[160], quoted[PF_QUOTE_LIMIT + 4], entry[256];
    pf_escape_describe(text, &piece.escape, bytes, description, sizeof(description));
    pf_quote_prefix(text + piece.escape.offset, piece.escape.length, PF_QUOTE_LIMIT, quoted, sizeof(quoted));
    int written =
        snprintf(entry, sizeof(entry), "%s`%s` is %s", report.listed ? ", " : "", quoted, description);
    if (written > 0)
      append(&report, entry, (size_t)written < sizeof(entry) ? (size_t)written : sizeof(entry) - 1);
    listed[report.listed++] = piece.escape;
  }
  if (!accidental)
    return;

  char call[256];
  pf_path_reason reason = pf_string_is_path_like(ctx, node, call, sizeof(call));
  if (!reason)
    return;
  char why[320];
  if (reason == PF_PATH_CALL_ARGUMENT)
    snprintf(why, sizeof(why), "passed to `%s`", call);
  else
    snprintf(why, sizeof(why), "it %s", pf_path_reason_phrase(reason));
  if (report.omitted) {
    char more[64];
    int written = snprintf(more, sizeof(more), ", and %u more", report.omitted);
    if (written > 0)
      append(&report, more, (size_t)written);
  }

  char raw[2 * SUGGESTION_LIMIT + 8], slashes[2 * SUGGESTION_LIMIT + 8], fix[512];
  /* "\\server\share": a leading pair followed by a name is a UNC prefix, two backslashes. */
  uint32_t content = literal.content_start;
  int unc_pair = content + 2 < literal.content_end && text[content] == '\\' && text[content + 1] == '\\' &&
                 text[content + 2] != '\\';
  spelling as_raw = {0, unc_pair, trailing}, as_slashes = {1, unc_pair, trailing};
  int has_raw = suggest(text, &literal, &as_raw, raw, sizeof(raw));
  int has_slashes = suggest(text, &literal, &as_slashes, slashes, sizeof(slashes));
  if (has_raw && has_slashes)
    snprintf(fix, sizeof(fix), "write %s or %s, or use pathlib", raw, slashes);
  else if (has_slashes)
    snprintf(fix, sizeof(fix),
             "write %s (a raw string cannot end in an odd number of backslashes), or use pathlib", slashes);
  else if (ends_in_backslash(text, &literal))
    snprintf(fix, sizeof(fix),
             "use forward slashes or pathlib (a raw string cannot end in an odd number of backslashes)");
  else
    snprintf(fix, sizeof(fix), "use a raw string, forward slashes or pathlib");

  pf_emit(ctx, node, report.malformed ? PF_SEVERITY_ERROR : PF_SEVERITY_WARNING,
          "Backslash escapes %s this path-like string (%s): %s; %s", report.malformed ? "break" : "change",
          why, report.text, fix);
}

static const pf_kind kinds[] = {PF_KIND_STRING, PF_KIND_OTHER};

static const char *const tags[] = {"correctness", "portability", NULL};

const pf_rule pf_rule_path_escape = {
    .code = "PF004",
    .name = "path-escape",
    .summary = "Backslash escapes in a string literal that looks like a filesystem path",
    .explanation = explanation,
    .severity = PF_SEVERITY_WARNING,
    .kinds = kinds,
    .visit = visit,
    .tags = tags,
    .precision = "high",
};
