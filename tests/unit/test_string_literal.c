/*
 * test_string_literal.c: unit tests for rules/string_literal.c (prefixes, quotes, the piece
 * scan and escape decoding), rules/path_like.c's shape tests, and the path-calls setting
 * that PF004 consults (through the whole linter).
 */
#include "lang.h"
#include "lint.h"
#include "path_like.h"
#include "registry.h"
#include "string_literal.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#define TEXT(literal) (literal), (uint32_t)(sizeof(literal) - 1)

static void test_prefixes(void) {
  static const struct {
    const char *text;
    int ok;
    unsigned flags;
    uint32_t prefix, quote_length;
  } cases[] = {
      {"'a'", 1, 0, 0, 1},
      {"\"a\"", 1, 0, 0, 1},
      {"r'a'", 1, PF_STRING_RAW, 1, 1},
      {"R'a'", 1, PF_STRING_RAW, 1, 1},
      {"u'a'", 1, PF_STRING_UNICODE, 1, 1},
      {"U'a'", 1, PF_STRING_UNICODE, 1, 1},
      {"b'a'", 1, PF_STRING_BYTES, 1, 1},
      {"B'a'", 1, PF_STRING_BYTES, 1, 1},
      {"f'a'", 1, PF_STRING_FORMAT, 1, 1},
      {"F'a'", 1, PF_STRING_FORMAT, 1, 1},
      {"rb'a'", 1, PF_STRING_RAW | PF_STRING_BYTES, 2, 1},
      {"Rb'a'", 1, PF_STRING_RAW | PF_STRING_BYTES, 2, 1},
      {"bR'a'", 1, PF_STRING_RAW | PF_STRING_BYTES, 2, 1},
      {"BR'a'", 1, PF_STRING_RAW | PF_STRING_BYTES, 2, 1},
      {"fr'a'", 1, PF_STRING_RAW | PF_STRING_FORMAT, 2, 1},
      {"rF'a'", 1, PF_STRING_RAW | PF_STRING_FORMAT, 2, 1},
      {"'''a'''", 1, 0, 0, 3},
      {"\"\"\"a\"\"\"", 1, 0, 0, 3},
      {"\"\"", 1, 0, 0, 1},
      {"''''''", 1, 0, 0, 3},
      {"br\"\"\"a\"\"\"", 1, PF_STRING_RAW | PF_STRING_BYTES, 2, 3},
      {"ur'a'", 0, 0, 0, 0},
      {"bf'a'", 0, 0, 0, 0},
      {"rr'a'", 0, 0, 0, 0},
      {"rbf'a'", 0, 0, 0, 0},
      {"x'a'", 0, 0, 0, 0},
      {"abc", 0, 0, 0, 0},
      {"", 0, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    pf_string_literal literal;
    int status = pf_string_literal_parse(cases[i].text, (uint32_t)strlen(cases[i].text), &literal);
    if ((status == 0) != cases[i].ok)
      fprintf(stderr, "case %s\n", cases[i].text);
    CHECK_EQ_INT(status == 0, cases[i].ok);
    if (status != 0 || !cases[i].ok)
      continue;
    CHECK_EQ_INT(literal.flags, cases[i].flags);
    CHECK_EQ_INT(literal.prefix_length, cases[i].prefix);
    CHECK_EQ_INT(literal.quote_length, cases[i].quote_length);
    CHECK_EQ_INT(literal.content_start, cases[i].prefix + cases[i].quote_length);
    CHECK_EQ_INT(literal.content_end, strlen(cases[i].text) - cases[i].quote_length);
  }
}

static void test_unterminated(void) {
  pf_string_literal literal;
  /* The last quote is escaped: the literal never closes, the content runs to the end. */
  CHECK_EQ_INT(pf_string_literal_parse(TEXT("'abc\\'"), &literal), 0);
  CHECK_EQ_INT(literal.content_end, 6);
  CHECK_EQ_INT(pf_string_literal_parse(TEXT("'abc\\\\'"), &literal), 0);
  CHECK_EQ_INT(literal.content_end, 6);
  CHECK_EQ_INT(pf_string_literal_parse(TEXT("\"\"\"abc"), &literal), 0);
  CHECK_EQ_INT(literal.content_end, 6);
  CHECK_EQ_INT(pf_string_literal_parse(TEXT("'"), &literal), 0);
  CHECK_EQ_INT(literal.content_start, 1);
  CHECK_EQ_INT(literal.content_end, 1);
}

/* Scans `text` and writes a compact trace of its pieces: T(offset,length) for text,
 * E(offset,length,kind,validity,value) for escapes, I(offset) for interpolations, each with
 * ":depth" when inside an interpolation. */
static const char *trace(const char *text) {
  static char out[2048];
  size_t used = 0;
  out[0] = '\0';
  pf_string_literal literal;
  if (pf_string_literal_parse(text, (uint32_t)strlen(text), &literal) != 0)
    return "(not a literal)";
  pf_string_scanner scanner;
  pf_string_scanner_init(&scanner, text, &literal);
  pf_string_piece piece;
  while (pf_string_scanner_next(&scanner, &piece) && used < sizeof(out) - 64) {
    int n = 0;
    if (piece.kind == PF_PIECE_TEXT)
      n = snprintf(out + used, sizeof(out) - used, "T(%u,%u)", piece.offset, piece.length);
    else if (piece.kind == PF_PIECE_INTERPOLATION)
      n = snprintf(out + used, sizeof(out) - used, "I(%u)", piece.offset);
    else
      n = snprintf(out + used, sizeof(out) - used, "E(%u,%u,%d,%d,%d)", piece.offset, piece.length,
                   (int)piece.escape.kind, (int)piece.escape.validity, (int)piece.escape.value);
    used += (size_t)n;
    if (piece.depth)
      used += (size_t)snprintf(out + used, sizeof(out) - used, ":%u", piece.depth);
  }
  return out;
}

/* Kinds and validities as numbers, for the traces above. */
enum { CONT = PF_ESCAPE_LINE_CONTINUATION, SELF = PF_ESCAPE_SELF, CTRL = PF_ESCAPE_CONTROL };

static void test_escapes(void) {
  /* Plain text, no escapes. */
  CHECK_EQ_STR(trace("'abc'"), "T(1,3)");
  CHECK_EQ_STR(trace("''"), "");
  /* Control escapes and their values. */
  CHECK_EQ_STR(trace("'\\a\\b\\f\\n\\r\\t\\v'"),
               "E(1,2,2,0,7)E(3,2,2,0,8)E(5,2,2,0,12)E(7,2,2,0,10)E(9,2,2,0,13)E(11,2,2,0,9)E(13,2,2,0,11)");
  /* \\ \' \" stand for themselves. */
  CHECK_EQ_STR(trace("'\\\\\\'\\\"'"), "E(1,2,1,0,92)E(3,2,1,0,39)E(5,2,1,0,34)");
  /* Octal: one to three digits; above \377 warns; \8 and \9 are not octal. */
  CHECK_EQ_STR(trace("'\\0\\12\\101\\1234'"), "E(1,2,3,0,0)E(3,3,3,0,10)E(6,4,3,0,65)E(10,4,3,0,83)T(14,1)");
  CHECK_EQ_STR(trace("'\\400\\777'"), "E(1,4,3,1,256)E(5,4,3,1,511)");
  CHECK_EQ_STR(trace("b'\\777'"), "E(2,4,3,1,255)");
  CHECK_EQ_STR(trace("'\\8\\9'"), "E(1,2,7,1,-1)E(3,2,7,1,-1)");
  /* Hex: exactly two digits, else a SyntaxError. */
  CHECK_EQ_STR(trace("'\\x41\\xfF'"), "E(1,4,4,0,65)E(5,4,4,0,255)");
  CHECK_EQ_STR(trace("'\\x4g'"), "E(1,3,4,2,-1)T(4,1)");
  CHECK_EQ_STR(trace("'\\x'"), "E(1,2,4,2,-1)");
  /* \u and \U in str; the same in bytes are unrecognised. */
  CHECK_EQ_STR(trace("'\\u00e9\\U0001F600'"), "E(1,6,6,0,233)E(7,10,6,0,128512)");
  CHECK_EQ_STR(trace("'\\u12'"), "E(1,4,6,2,-1)");
  CHECK_EQ_STR(trace("'\\Users'"), "E(1,2,6,2,-1)T(3,4)");
  CHECK_EQ_STR(trace("'\\U00110000'"), "E(1,10,6,2,-1)");
  CHECK_EQ_STR(trace("b'\\u00e9\\U0001F600'"), "E(2,2,7,1,-1)T(4,4)E(8,2,7,1,-1)T(10,8)");
  /* \N{name}: valid in str when well formed; unrecognised in bytes. */
  CHECK_EQ_STR(trace("'\\N{BULLET}x'"), "E(1,10,5,0,8226)T(11,1)");
  CHECK_EQ_STR(trace("'\\N{latin small letter a}'"), "E(1,24,5,0,97)");
  /* A name Python does not know is a SyntaxError; the escape spans its braces. */
  CHECK_EQ_STR(trace("'\\N{BAD NAME}'"), "E(1,12,5,2,-1)");
  CHECK_EQ_STR(trace("'\\N{ BULLET}'"), "E(1,11,5,2,-1)");
  CHECK_EQ_STR(trace("'\\N{BULLET }'"), "E(1,11,5,2,-1)");
  CHECK_EQ_STR(trace("'\\N{KEYCAP NUMBER SIGN}'"), "E(1,22,5,2,-1)");
  CHECK_EQ_STR(trace("'\\N{LF}\\N{VS17}\\N{HANGUL SYLLABLE GA}'"),
               "E(1,6,5,0,10)E(7,8,5,0,917760)E(15,22,5,0,44032)");
  CHECK_EQ_STR(trace("'\\N{hangul syllable ga}'"), "E(1,22,5,2,-1)");
  CHECK_EQ_STR(trace("'\\N'"), "E(1,2,5,2,-1)");
  CHECK_EQ_STR(trace("'\\N{}'"), "E(1,4,5,2,-1)");
  CHECK_EQ_STR(trace("'\\N{BULLET'"), "E(1,2,5,2,-1)T(3,7)");
  CHECK_EQ_STR(trace("b'\\N{BULLET}'"), "E(2,2,7,1,-1)T(4,8)");
  /* Unrecognised escapes. A backslash before a non-ASCII character is plain text: CPython
   * keeps it without a warning. */
  CHECK_EQ_STR(trace("'\\d\\s\\.'"), "E(1,2,7,1,-1)E(3,2,7,1,-1)E(5,2,7,1,-1)");
  CHECK_EQ_STR(trace("'\\\xc3\xa9'"), "T(1,3)");
  CHECK_EQ_STR(trace("'a\\\xc3\xa9\\d'"), "T(1,1)T(2,3)E(5,2,7,1,-1)");
  CHECK_EQ_STR(trace("'\xc3\xa9\\d'"), "T(1,2)E(3,2,7,1,-1)");
  /* Line continuations: LF, CRLF and CR. */
  CHECK_EQ_STR(trace("'a\\\nb'"), "T(1,1)E(2,2,0,0,-1)T(4,1)");
  CHECK_EQ_STR(trace("'a\\\r\nb'"), "T(1,1)E(2,3,0,0,-1)T(5,1)");
  CHECK_EQ_STR(trace("'a\\\rb'"), "T(1,1)E(2,2,0,0,-1)T(4,1)");
  /* Triple quotes: escapes on later lines keep their offsets. */
  CHECK_EQ_STR(trace("'''a\n\\d'''"), "T(3,2)E(5,2,7,1,-1)");
  /* Raw strings have no escapes at all. */
  CHECK_EQ_STR(trace("r'\\d\\n'"), "T(2,2)T(4,2)");
  CHECK_EQ_STR(trace("Rb'\\x'"), "T(3,2)");
}

static void test_fstrings(void) {
  /* An interpolation is skipped, `{{` and `}}` are text. */
  CHECK_EQ_STR(trace("f'a{b}\\d'"), "T(2,1)I(3)E(6,2,7,1,-1)");
  CHECK_EQ_STR(trace("f'{{\\d}}'"), "T(2,2)E(4,2,7,1,-1)T(6,2)");
  /* Backslashes and quotes inside the expression belong to it. */
  CHECK_EQ_STR(trace("f'{\"\\\\d\"}\\n'"), "I(2)E(9,2,2,0,10)");
  CHECK_EQ_STR(trace("f'{x[\"}\"]}\\d'"), "I(2)E(10,2,7,1,-1)");
  CHECK_EQ_STR(trace("f'{ {1: 2}[1] }\\d'"), "I(2)E(15,2,7,1,-1)");
  /* A format spec is unescaped too: its pieces have depth 1, nested interpolations depth 2. */
  CHECK_EQ_STR(trace("f'{x:\\t>{w}\\d}\\q'"),
               "I(2)E(5,2,2,0,9):1T(7,1):1I(8):1E(11,2,7,1,-1):1E(14,2,7,1,-1)");
  CHECK_EQ_STR(trace("f'{x!r:\\d}'"), "I(2)E(7,2,7,1,-1):1");
  CHECK_EQ_STR(trace("f'{x!=y}\\d'"), "I(2)E(8,2,7,1,-1)");
  /* \N{...} in an f-string is a named escape, not an interpolation. */
  CHECK_EQ_STR(trace("f'\\N{BULLET}{x}'"), "E(2,10,5,0,8226)I(12)");
  /* `\{` keeps its backslash (a warning) and the brace still opens an interpolation. */
  CHECK_EQ_STR(trace("f'\\{x}'"), "E(2,2,7,1,-1)I(3)");
  /* Raw f-strings: braces still matter, backslashes do not. */
  CHECK_EQ_STR(trace("rf'\\d{x}\\n'"), "T(3,2)I(5)T(8,2)");
  /* Unbalanced input never runs past the text. */
  CHECK_EQ_STR(trace("f'{x'"), "I(2)");
  CHECK_EQ_STR(trace("f'}\\d'"), "T(2,1)E(3,2,7,1,-1)");
  CHECK_EQ_STR(trace("f'{x:{y:{z:{w}}}}'"), "I(2)I(5):1I(8):2I(11):3");
}

static void test_deep_nesting(void) {
  /* Deeper than the scanner's stack: it stops without reading past the text. */
  char text[256];
  size_t used = 0;
  text[used++] = 'f';
  text[used++] = '\'';
  for (int i = 0; i < 40; i++) {
    text[used++] = '{';
    text[used++] = 'x';
    text[used++] = ':';
  }
  text[used++] = '\'';
  text[used] = '\0';
  pf_string_literal literal;
  CHECK_EQ_INT(pf_string_literal_parse(text, (uint32_t)used, &literal), 0);
  pf_string_scanner scanner;
  pf_string_scanner_init(&scanner, text, &literal);
  pf_string_piece piece;
  int pieces = 0;
  while (pf_string_scanner_next(&scanner, &piece) && pieces < 1000)
    pieces++;
  CHECK_EQ_INT(pieces, PF_STRING_MAX_NESTING);
}

static const char *describe(const char *text) {
  static char out[256];
  pf_string_literal literal;
  pf_string_scanner scanner;
  pf_string_piece piece;
  if (pf_string_literal_parse(text, (uint32_t)strlen(text), &literal) != 0)
    return "(not a literal)";
  pf_string_scanner_init(&scanner, text, &literal);
  while (pf_string_scanner_next(&scanner, &piece))
    if (piece.kind == PF_PIECE_ESCAPE) {
      pf_escape_describe(text, &piece.escape, (literal.flags & PF_STRING_BYTES) != 0, out, sizeof(out));
      return out;
    }
  return "(no escape)";
}

static void test_describe(void) {
  CHECK_EQ_STR(describe("'\\n'"), "a newline");
  CHECK_EQ_STR(describe("'\\t'"), "a tab");
  CHECK_EQ_STR(describe("'\\0'"), "a NUL character");
  CHECK_EQ_STR(describe("b'\\0'"), "a NUL byte");
  CHECK_EQ_STR(describe("'\\x41'"), "`A`");
  CHECK_EQ_STR(describe("'\\x20'"), "a space");
  CHECK_EQ_STR(describe("'\\x1b'"), "an escape character (ESC)");
  CHECK_EQ_STR(describe("'\\x85'"), "U+0085");
  CHECK_EQ_STR(describe("b'\\xff'"), "the byte 0xff");
  CHECK_EQ_STR(describe("'\\u00e9'"), "`\xc3\xa9` (U+00E9)");
  CHECK_EQ_STR(describe("'\\ud800'"), "the lone surrogate U+D800");
  CHECK_EQ_STR(describe("'\\N{BULLET}'"), "the character named BULLET (U+2022)");
  CHECK_EQ_STR(describe("'\\N{BAD NAME}'"), "a SyntaxError (`BAD NAME` is not a valid character name)");
  CHECK_EQ_STR(describe("'\\777'"), "`\xc7\xbf` (U+01FF), with a warning (octal above \\377)");
  CHECK_EQ_STR(describe("'\\d'"), "not an escape (Python keeps the backslash and warns)");
  CHECK_EQ_STR(describe("'\\x4'"), "a SyntaxError (`\\x` needs two hex digits)");
  CHECK_EQ_STR(describe("'\\Users'"), "a SyntaxError (`\\U` needs eight hex digits)");
  CHECK_EQ_STR(describe("'\\u12'"), "a SyntaxError (`\\u` needs four hex digits)");
  CHECK_EQ_STR(describe("'\\U00110000'"), "a SyntaxError (it is beyond U+10FFFF, the last code point)");
  CHECK_EQ_STR(describe("'\\N{x'"), "a SyntaxError (`\\N` needs a character name in braces)");
}

static void check_shape(const char *text, pf_path_reason expected, int line) {
  pf_path_reason reason = pf_path_shape(text, (uint32_t)strlen(text));
  unit_checks++;
  if (reason != expected) {
    unit_failures++;
    fprintf(stderr, "%s:%d: shape of %s is %d, expected %d\n", __FILE__, line, text, (int)reason,
            (int)expected);
  }
}
#define CHECK_SHAPE(text, expected) check_shape((text), (expected), __LINE__)

static void test_shapes(void) {
  CHECK_SHAPE("'C:\\new\\table.txt'", PF_PATH_DRIVE);
  CHECK_SHAPE("'c:\\temp'", PF_PATH_DRIVE);
  CHECK_SHAPE("'C:\\\\Program Files\\new'", PF_PATH_DRIVE);
  CHECK_SHAPE("'D:\\db\\x1'", PF_PATH_DRIVE);
  CHECK_SHAPE("f'{root}:\\new'", PF_PATH_NONE); /* an interpolation is never a drive letter */
  CHECK_SHAPE("'a:\\n'", PF_PATH_NONE);         /* a header line, not a directory */
  CHECK_SHAPE("'C:\\n'", PF_PATH_NONE);         /* a label that ends a line */
  CHECK_SHAPE("'E:\\a'", PF_PATH_DRIVE);        /* an upper-case drive needs no body */
  CHECK_SHAPE("'C:/Users/me\\new.txt'", PF_PATH_DRIVE);
  CHECK_SHAPE("'C:\\x64\\new'", PF_PATH_DRIVE);
  CHECK_SHAPE("'C:\\xe9\\new'", PF_PATH_DRIVE);
  CHECK_SHAPE("'\\\\\\\\?\\\\C:\\\\temp\\new'", PF_PATH_UNC);
  CHECK_SHAPE("'\\\\\\\\.\\\\pipe\\\\name\\new'", PF_PATH_UNC);
  CHECK_SHAPE("'\\\\\\\\server\\d\\data\\temp'", PF_PATH_UNC);
  CHECK_SHAPE("'data\\new\\table.parquet'", PF_PATH_SEGMENTS);
  CHECK_SHAPE("'data\\new\\Table.Txt'", PF_PATH_SEGMENTS);
  CHECK_SHAPE("'vendor\\d\\temp\\file.txt'", PF_PATH_SEGMENTS);
  CHECK_SHAPE("'My Documents\\new\\file.txt'", PF_PATH_SEGMENTS);
  CHECK_SHAPE("'id\\tname\\tfile.csv'", PF_PATH_NONE);
  CHECK_SHAPE("'Saved\\nresults.csv'", PF_PATH_NONE);
  CHECK_SHAPE("'self.x\\nself.y'", PF_PATH_NONE);
  CHECK_SHAPE("'a\\new.txt'", PF_PATH_NONE); /* ambiguous: one `\n` between two names is text */
  CHECK_SHAPE("'a:\\rb'", PF_PATH_NONE);
  CHECK_SHAPE("'a:\\nb:\\rc:\\n'", PF_PATH_NONE);
  CHECK_SHAPE("'e:\\xe9, euro:\\u20ac'", PF_PATH_NONE);
  CHECK_SHAPE("'\\\\\\\\server\\\\share'", PF_PATH_UNC);
  CHECK_SHAPE("'\\\\\\\\server\\share'", PF_PATH_UNC);
  CHECK_SHAPE("'\\\\server\\share'", PF_PATH_UNC);
  CHECK_SHAPE("f'\\\\\\\\{host}\\\\share'", PF_PATH_UNC);
  CHECK_SHAPE("'\\\\x9c\\\\x9d'", PF_PATH_NONE); /* escaped byte codes */
  CHECK_SHAPE("b'\\\\\\xd5\\n\\x00'", PF_PATH_NONE);
  CHECK_SHAPE("'\\\\s\\d'", PF_PATH_NONE);                         /* a one-letter host: a regex */
  CHECK_SHAPE("'\\\\endfoot\\n\\\\endlastfoot\\n'", PF_PATH_NONE); /* LaTeX */
  CHECK_SHAPE("'\\\\nopagebreak\\n\\n\\\\raggedleft '", PF_PATH_NONE);
  CHECK_SHAPE("'\\\\server\\a\\b'", PF_PATH_NONE); /* a one-letter share */
  CHECK_SHAPE("'\\\\server\\c$'", PF_PATH_UNC);
  CHECK_SHAPE("'data\\new\\table.txt'", PF_PATH_SEGMENTS);
  CHECK_SHAPE("'.\\new.txt'", PF_PATH_SEGMENTS);
  CHECK_SHAPE("'..\\data\\new.CSV'", PF_PATH_SEGMENTS);
  CHECK_SHAPE("'\\Windows\\new.ini'", PF_PATH_SEGMENTS);
  CHECK_SHAPE("f'{base}\\new.txt'", PF_PATH_NONE); /* one `\n` between two names: text */
  CHECK_SHAPE("'data\\new.Done'", PF_PATH_NONE);   /* mixed-case "extension" */
  CHECK_SHAPE("'data\\new.txt2go'", PF_PATH_NONE);
  CHECK_SHAPE("'\\new.txt'", PF_PATH_NONE); /* one name after a root */
  CHECK_SHAPE("'line one\\nline.two'", PF_PATH_NONE);
  CHECK_SHAPE("'spam\\negg@foo.py'", PF_PATH_NONE);
  CHECK_SHAPE("'test.txt\\n\\roverflow.txt'", PF_PATH_NONE);
  CHECK_SHAPE("'abc\\n.jkl\\rfoo\\r\\n..blue'", PF_PATH_NONE);
  CHECK_SHAPE("'pyth\\xf6n.org'", PF_PATH_NONE); /* a deliberate escape is a character */
  CHECK_SHAPE("'\\d+\\.txt'", PF_PATH_NONE);
  CHECK_SHAPE("'%d\\t%s.%s'", PF_PATH_NONE);
  CHECK_SHAPE("'x'", PF_PATH_NONE);
  CHECK_SHAPE("not a literal", PF_PATH_NONE);
}

/* The roles of a literal's escapes, one letter each: a(ccidental), d(eliberate), i(gnored). */
static const char *roles(const char *text) {
  static char out[64];
  size_t used = 0;
  pf_string_literal literal;
  if (pf_string_literal_parse(text, (uint32_t)strlen(text), &literal) != 0)
    return "(not a literal)";
  uint32_t trailing = pf_path_trailing_start(text, &literal);
  pf_string_scanner scanner;
  pf_string_piece piece;
  pf_string_scanner_init(&scanner, text, &literal);
  while (pf_string_scanner_next(&scanner, &piece) && used < sizeof(out) - 1)
    if (piece.kind == PF_PIECE_ESCAPE)
      out[used++] = "ida"[pf_path_escape_role_of(text, &piece.escape, trailing)];
  out[used] = '\0';
  return out;
}

static void test_escape_roles(void) {
  CHECK_EQ_STR(roles("'C:\\new\\table.txt'"), "aa");
  CHECK_EQ_STR(roles("'C:\\\\x\\x41\\u00e9\\U0001F600\\N{BULLET}\\0'"), "iadddd");
  CHECK_EQ_STR(roles("'\\00\\1\\400\\d\\x4'"), "aaaaa"); /* only a lone \0 is deliberate */
  CHECK_EQ_STR(roles("'C:\\new\\n\\r\\t'"), "aiii");     /* the trailing run ends a line */
  CHECK_EQ_STR(roles("'C:\\new\\n\\x41'"), "aaa");       /* not trailing; `\x41` spells a plain `A` */
  CHECK_EQ_STR(roles("'a\\\nb\\'\\\"'"), "iii");         /* continuation, quotes */
  CHECK_EQ_STR(roles("f'{x}\\n'"), "i");
}

/* Lints `code` with `settings` and returns how many findings of `code_name` it produced. */
static int count_findings(pf_linter *linter, const pf_settings *settings, const char *code,
                          const char *rule) {
  pf_source source;
  char error[256];
  if (pf_source_load_bytes(&source, code, strlen(code), error, sizeof(error)) != PF_LOAD_OK)
    return -1;
  pf_diagnostic_list list = {0};
  pf_lint_source(linter, "test.py", &source, settings, &list);
  int count = 0;
  for (size_t i = 0; i < list.count; i++)
    if (strcmp(list.items[i].rule->code, rule) == 0)
      count++;
  pf_diagnostic_list_free(&list);
  pf_source_free(&source);
  return count;
}

static void test_path_calls_setting(void) {
  char error[256];
  if (pf_lang_init(error, sizeof(error)) != 0) {
    fprintf(stderr, "%s\n", error);
    CHECK(0);
    return;
  }
  pf_linter *linter = pf_linter_new();
  pf_settings settings;
  pf_settings_init_default(&settings);
  /* "temp\new" is not path-like by its text: only the call makes it one. */
  const char *code =
      "import mylib\nfrom mylib import io as mio\nmylib.load('temp\\new')\nmio.save('temp\\new')\n"
      "mylib.load(mode='temp\\new')\nother('temp\\new')\n";
  CHECK_EQ_INT(count_findings(linter, &settings, code, "PF004"), 0);
  pf_name_list_add(&settings.path_calls, "mylib.load");
  CHECK_EQ_INT(count_findings(linter, &settings, code, "PF004"), 1);
  pf_name_list_add(&settings.path_calls, "mylib.io.*");
  CHECK_EQ_INT(count_findings(linter, &settings, code, "PF004"), 2);
  /* A `.*` entry covers the module's functions, not the module itself. */
  pf_settings_free(&settings);
  pf_settings_init_default(&settings);
  pf_name_list_add(&settings.path_calls, "mylib.load.*");
  CHECK_EQ_INT(count_findings(linter, &settings, code, "PF004"), 0);
  /* With PF004 off, PF006 reports the invalid escapes of path-like strings itself. */
  const char *invalid = "open('data\\dump')\n";
  CHECK_EQ_INT(count_findings(linter, &settings, invalid, "PF006"), 0);
  CHECK_EQ_INT(count_findings(linter, &settings, invalid, "PF004"), 1);
  size_t index;
  CHECK(pf_rule_find("PF004", &index) != NULL);
  settings.enabled[index] = 0;
  CHECK_EQ_INT(count_findings(linter, &settings, invalid, "PF006"), 1);
  pf_settings_free(&settings);
  pf_linter_free(linter);
}

int main(void) {
  test_prefixes();
  test_unterminated();
  test_escapes();
  test_fstrings();
  test_deep_nesting();
  test_describe();
  test_shapes();
  test_escape_roles();
  test_path_calls_setting();
  return unit_report("test_string_literal");
}
