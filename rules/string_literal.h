/*
 * string_literal.h: one scanner of a Python string literal's source text, shared by PF004
 * (escapes in path strings) and PF006 (invalid escapes).
 *
 * Owns: the prefix (r, u, b, f and their combinations, any case), the quote style (' or ",
 * single or triple), and a walk over the literal's content in pieces: runs of plain text,
 * backslash escapes, and the interpolations of f-strings. Each escape comes with its kind,
 * whether Python accepts it, warns about it or refuses to compile it, and the code point or
 * byte it stands for. Offsets are byte offsets into the literal's own text (its prefix is at
 * offset 0).
 *
 * The scanner re-reads the text instead of trusting tree-sitter's escape_sequence nodes,
 * which accept `\8` and `\9` and leave no node at all for an unrecognised escape. It follows
 * CPython's rules (Objects/unicodeobject.c's unicode-escape decoder, bytes_decode_escape):
 *   - raw literals have no escapes;
 *   - `\` + newline (LF, CRLF or CR) is a line continuation: both characters vanish;
 *   - `\\ \' \" \a \b \f \n \r \t \v`, octal `\0`-`\777` (one to three digits), `\xHH`;
 *   - in str only: `\N{name}`, `\uHHHH`, `\UHHHHHHHH` (at most U+10FFFF);
 *   - anything else keeps its backslash and warns (`\d`, `\8`, and `\N`, `\u`, `\U` in bytes),
 *     except a backslash before a non-ASCII character, which CPython's parser keeps silently:
 *     the scanner reports it as plain text;
 *   - octal escapes above `\377` warn (DeprecationWarning in 3.11, SyntaxWarning in 3.12);
 *   - a `\x`, `\u`, `\U` without enough hex digits, a `\U` above U+10FFFF, a `\N` not
 *     followed by `{name}`, and a name Python does not know (character_names.h) are
 *     SyntaxErrors; a bad name's escape spans its braces (`\N{BAD NAME}`).
 * In f-strings, `{{` and `}}` are literal braces; an interpolation `{expression!r:spec}` is
 * skipped, except for its format specification, whose text Python also unescapes: its pieces
 * come with depth > 0. The scanner keeps a small fixed stack for nested format
 * specifications, so its cost is linear in the text and it never recurses.
 *
 * The scanner never reads outside [0, length) and accepts any bytes: a literal that is not
 * well formed (an unknown prefix, a missing closing quote) is scanned as far as it makes sense.
 */
#ifndef PITFALL_STRING_LITERAL_H
#define PITFALL_STRING_LITERAL_H

#include <stddef.h>
#include <stdint.h>

enum {
  PF_STRING_RAW = 1,     /* r or R */
  PF_STRING_BYTES = 2,   /* b or B */
  PF_STRING_FORMAT = 4,  /* f or F */
  PF_STRING_UNICODE = 8, /* u or U (no effect in Python 3) */
};

typedef struct pf_string_literal {
  unsigned flags;         /* PF_STRING_* */
  uint32_t prefix_length; /* bytes before the opening quote */
  char quote;             /* '\'' or '"' */
  uint32_t quote_length;  /* 1 or 3 */
  uint32_t content_start; /* first byte after the opening quote */
  uint32_t content_end;   /* the closing quote, or the end of the text when it is missing */
} pf_string_literal;

/* Reads the prefix and quotes of `text` (a whole literal, prefix to closing quote). Returns 0,
 * or -1 when the text does not start with a valid prefix and a quote. */
int pf_string_literal_parse(const char *text, uint32_t length, pf_string_literal *out);

typedef enum pf_escape_kind {
  PF_ESCAPE_LINE_CONTINUATION, /* `\` + newline: removed */
  PF_ESCAPE_SELF,              /* \\ \' \": the character itself */
  PF_ESCAPE_CONTROL,           /* \a \b \f \n \r \t \v */
  PF_ESCAPE_OCTAL,             /* \0 .. \777 */
  PF_ESCAPE_HEX,               /* \xHH */
  PF_ESCAPE_NAMED,             /* \N{name} */
  PF_ESCAPE_UNICODE,           /* \uHHHH, \UHHHHHHHH */
  PF_ESCAPE_UNRECOGNIZED,      /* \d, \8, ...: the backslash stays */
} pf_escape_kind;

typedef enum pf_escape_validity {
  PF_ESCAPE_VALID,
  PF_ESCAPE_WARNS,     /* compiles, with a warning: an unrecognised escape, octal above \377 */
  PF_ESCAPE_MALFORMED, /* a SyntaxError: truncated \x, \u, \U; bad \N{...}; \U above U+10FFFF */
} pf_escape_validity;

typedef struct pf_escape {
  pf_escape_kind kind;
  pf_escape_validity validity;
  uint32_t offset; /* the backslash */
  uint32_t length; /* bytes from the backslash: `\n` 2, `\x41` 4, `\{` 2 */
  int32_t value;   /* the code point (str) or byte value (bytes) it stands for; -1 when there is
                    * none (a continuation, an unrecognised or malformed escape) */
} pf_escape;

typedef enum pf_piece_kind {
  PF_PIECE_TEXT,          /* plain characters, `{{` and `}}` included */
  PF_PIECE_ESCAPE,        /* see `escape` */
  PF_PIECE_INTERPOLATION, /* the `{` that opens an f-string interpolation */
} pf_piece_kind;

typedef struct pf_string_piece {
  pf_piece_kind kind;
  uint32_t offset, length;
  uint32_t depth; /* 0: the literal part; > 0: inside that many interpolations (a format spec) */
  pf_escape escape;
} pf_string_piece;

enum { PF_STRING_MAX_NESTING = 16 };

typedef struct pf_string_scanner {
  const char *text;
  pf_string_literal literal;
  uint32_t position;
  uint32_t depth; /* entries in use in `levels` */
  struct {
    unsigned char in_format_spec; /* else: inside the expression */
    uint32_t brackets;            /* open (, [ and { inside the expression */
  } levels[PF_STRING_MAX_NESTING];
} pf_string_scanner;

/* Starts a scan of `text`, whose prefix and quotes `literal` describes. */
void pf_string_scanner_init(pf_string_scanner *scanner, const char *text, const pf_string_literal *literal);

/* The next piece of the content, in order. Returns 1 with *piece filled, 0 at the end. */
int pf_string_scanner_next(pf_string_scanner *scanner, pf_string_piece *piece);

/* Whether an escape changes the literal's value from what its source text shows: control,
 * octal, hex, named and unicode escapes, and unrecognised or malformed ones. Not a
 * continuation or \\ \' \". */
int pf_escape_changes_value(const pf_escape *escape);

/* Copies text[0..length) into `out` (out_size > 0, always NUL-terminated), but when it is
 * longer than `limit` bytes only its first code points up to `limit` bytes followed by "…":
 * the cut falls on a code point boundary, so a quoted name never ends inside a character.
 * Returns the bytes written. */
size_t pf_quote_prefix(const char *text, size_t length, size_t limit, char *out, size_t out_size);

/* The most bytes of an escape or character name that messages quote before cutting it. */
enum { PF_QUOTE_LIMIT = 48 };

/* Writes a short English description of what the escape turns into ("a newline", "a tab",
 * "`A`", "U+00E9 `é`", "the byte 0xff", "the character named BULLET") or, for an unrecognised
 * or malformed escape, what goes wrong. Always NUL-terminates `out` (out_size > 0). */
void pf_escape_describe(const char *text, const pf_escape *escape, int bytes, char *out, size_t out_size);

#endif
