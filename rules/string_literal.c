/*
 * string_literal.c: prefixes, quotes and the piece-by-piece scan of a string literal (see
 * string_literal.h).
 */
#include "string_literal.h"

#include "character_names.h"

#include <stdio.h>
#include <string.h>

int pf_string_literal_parse(const char *text, uint32_t length, pf_string_literal *out) {
  memset(out, 0, sizeof(*out));
  uint32_t i = 0;
  unsigned flags = 0;
  /* At most two prefix letters, each at most once: r, u, b, f, br, rb, fr, rf (any case). */
  while (i < length && i < 3) {
    unsigned flag;
    switch (text[i]) {
    case 'r':
    case 'R':
      flag = PF_STRING_RAW;
      break;
    case 'b':
    case 'B':
      flag = PF_STRING_BYTES;
      break;
    case 'f':
    case 'F':
      flag = PF_STRING_FORMAT;
      break;
    case 'u':
    case 'U':
      flag = PF_STRING_UNICODE;
      break;
    default:
      flag = 0;
      break;
    }
    if (!flag)
      break;
    if (flags & flag)
      return -1;
    flags |= flag;
    i++;
  }
  if (i > 2 || i == length || (text[i] != '"' && text[i] != '\''))
    return -1;
  /* u combines with nothing; b and f exclude each other. */
  if ((flags & PF_STRING_UNICODE) && flags != PF_STRING_UNICODE)
    return -1;
  if ((flags & PF_STRING_BYTES) && (flags & PF_STRING_FORMAT))
    return -1;
  char quote = text[i];
  uint32_t quote_length = 1;
  /* A triple quote, unless the literal is the empty string "" itself. */
  if (i + 2 < length && text[i + 1] == quote && text[i + 2] == quote && length - i >= 6)
    quote_length = 3;
  out->flags = flags;
  out->prefix_length = i;
  out->quote = quote;
  out->quote_length = quote_length;
  out->content_start = i + quote_length;
  out->content_end = length;
  if (length >= out->content_start + quote_length) {
    int closed = 1;
    for (uint32_t q = 0; q < quote_length; q++)
      if (text[length - 1 - q] != quote)
        closed = 0;
    /* The closing quote must not be the backslash-escaped quote of an unterminated literal:
     * count the backslashes before it (raw literals too: r"\" never closes). */
    uint32_t backslashes = 0;
    for (uint32_t j = length - quote_length; j > out->content_start && text[j - 1] == '\\'; j--)
      backslashes++;
    if (closed && backslashes % 2 == 0)
      out->content_end = length - quote_length;
  }
  return 0;
}

void pf_string_scanner_init(pf_string_scanner *scanner, const char *text, const pf_string_literal *literal) {
  memset(scanner, 0, sizeof(*scanner));
  scanner->text = text;
  scanner->literal = *literal;
  scanner->position = literal->content_start;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads `digits` hex digits at text[at..]: returns the count found (stops at the first
 * non-hex character or at `end`) and their value in *value. */
static uint32_t read_hex(const char *text, uint32_t at, uint32_t end, uint32_t digits, uint32_t *value) {
  uint32_t found = 0, result = 0;
  while (found < digits && at + found < end) {
    int digit = hex_value(text[at + found]);
    if (digit < 0)
      break;
    result = result * 16 + (uint32_t)digit;
    found++;
  }
  *value = result;
  return found;
}

/* Decodes the escape whose backslash is at `at` (at + 1 < end). */
static void decode_escape(const pf_string_scanner *scanner, uint32_t at, uint32_t end, pf_escape *escape) {
  const char *text = scanner->text;
  int bytes = (scanner->literal.flags & PF_STRING_BYTES) != 0;
  char c = text[at + 1];
  memset(escape, 0, sizeof(*escape));
  escape->offset = at;
  escape->length = 2;
  escape->value = -1;
  escape->validity = PF_ESCAPE_VALID;
  switch (c) {
  case '\n':
    escape->kind = PF_ESCAPE_LINE_CONTINUATION;
    return;
  case '\r':
    escape->kind = PF_ESCAPE_LINE_CONTINUATION;
    if (at + 2 < end && text[at + 2] == '\n')
      escape->length = 3;
    return;
  case '\\':
  case '\'':
  case '"':
    escape->kind = PF_ESCAPE_SELF;
    escape->value = c;
    return;
  case 'a':
  case 'b':
  case 'f':
  case 'n':
  case 'r':
  case 't':
  case 'v': {
    static const char letters[] = "abfnrtv";
    static const int values[] = {7, 8, 12, 10, 13, 9, 11};
    escape->kind = PF_ESCAPE_CONTROL;
    escape->value = values[strchr(letters, c) - letters];
    return;
  }
  case 'x': {
    uint32_t value;
    uint32_t found = read_hex(text, at + 2, end, 2, &value);
    escape->kind = PF_ESCAPE_HEX;
    escape->length = 2 + found;
    if (found < 2)
      escape->validity = PF_ESCAPE_MALFORMED;
    else
      escape->value = (int32_t)value;
    return;
  }
  default:
    break;
  }
  if (c >= '0' && c <= '7') {
    uint32_t value = 0, length = 1;
    while (length <= 3 && at + length < end && text[at + length] >= '0' && text[at + length] <= '7') {
      value = value * 8 + (uint32_t)(text[at + length] - '0');
      length++;
    }
    escape->kind = PF_ESCAPE_OCTAL;
    escape->length = length;
    escape->value = (int32_t)(bytes ? (value & 0xff) : value);
    if (value > 0377)
      escape->validity = PF_ESCAPE_WARNS;
    return;
  }
  if (!bytes && (c == 'u' || c == 'U')) {
    uint32_t digits = c == 'u' ? 4 : 8, value;
    uint32_t found = read_hex(text, at + 2, end, digits, &value);
    escape->kind = PF_ESCAPE_UNICODE;
    escape->length = 2 + found;
    if (found < digits || value > 0x10ffff)
      escape->validity = PF_ESCAPE_MALFORMED;
    else
      escape->value = (int32_t)value;
    return;
  }
  if (!bytes && c == 'N') {
    escape->kind = PF_ESCAPE_NAMED;
    escape->validity = PF_ESCAPE_MALFORMED;
    if (at + 2 >= end || text[at + 2] != '{')
      return;
    /* The name runs to the first `}` (on the same line); Python looks it up in Unicode's
     * names and aliases (character_names.h). */
    uint32_t close = at + 3;
    while (close < end && text[close] != '}' && text[close] != '\n' && text[close] != '\r' &&
           text[close] != '\\' && text[close] != '{')
      close++;
    if (close < end && text[close] == '}') {
      escape->length = close + 1 - at;
      escape->value = pf_character_from_name(text + at + 3, close - at - 3);
      if (escape->value >= 0)
        escape->validity = PF_ESCAPE_VALID;
    }
    return;
  }
  escape->kind = PF_ESCAPE_UNRECOGNIZED;
  escape->validity = PF_ESCAPE_WARNS;
}

/* Skips a string literal nested in an f-string expression, starting at its quote; returns the
 * position after its closing quote (or `end`). */
static uint32_t skip_nested_string(const char *text, uint32_t at, uint32_t end) {
  char quote = text[at];
  int triple = at + 2 < end && text[at + 1] == quote && text[at + 2] == quote;
  uint32_t i = at + (triple ? 3 : 1);
  while (i < end) {
    if (text[i] == '\\') {
      i += 2;
      continue;
    }
    if (text[i] == quote) {
      if (!triple)
        return i + 1;
      if (i + 2 < end && text[i + 1] == quote && text[i + 2] == quote)
        return i + 3;
    }
    i++;
  }
  return end;
}

/* Advances through an f-string expression up to the `}` that ends its interpolation (popping
 * it) or the `:` that starts its format spec, or to the end of the content. */
static void skip_expression(pf_string_scanner *scanner, uint32_t end) {
  const char *text = scanner->text;
  uint32_t *brackets = &scanner->levels[scanner->depth - 1].brackets;
  while (scanner->position < end) {
    char c = text[scanner->position];
    if (c == '"' || c == '\'') {
      scanner->position = skip_nested_string(text, scanner->position, end);
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      (*brackets)++;
    } else if (c == ')' || c == ']' || (c == '}' && *brackets)) {
      if (*brackets)
        (*brackets)--;
    } else if (c == '}') {
      scanner->position++;
      scanner->depth--;
      return;
    } else if (c == ':' && !*brackets) {
      scanner->position++;
      scanner->levels[scanner->depth - 1].in_format_spec = 1;
      return;
    }
    scanner->position++;
  }
}

int pf_string_scanner_next(pf_string_scanner *scanner, pf_string_piece *piece) {
  const char *text = scanner->text;
  uint32_t end = scanner->literal.content_end;
  int raw = (scanner->literal.flags & PF_STRING_RAW) != 0;
  int format = (scanner->literal.flags & PF_STRING_FORMAT) != 0;
  for (;;) {
    /* Inside an interpolation's expression: nothing to report until it ends. */
    while (scanner->depth && !scanner->levels[scanner->depth - 1].in_format_spec && scanner->position < end)
      skip_expression(scanner, end);
    if (scanner->position >= end)
      return 0;
    uint32_t at = scanner->position;
    char c = text[at];
    memset(piece, 0, sizeof(*piece));
    piece->offset = at;
    piece->depth = scanner->depth;
    /* A backslash before a non-ASCII character stays a backslash without a warning (CPython's
     * parser escapes it before decoding), so it is plain text. */
    if (c == '\\' && !raw && at + 1 < end && !((unsigned char)text[at + 1] & 0x80)) {
      piece->kind = PF_PIECE_ESCAPE;
      decode_escape(scanner, at, end, &piece->escape);
      piece->length = piece->escape.length;
      /* In an f-string, `\{` keeps its backslash and the brace still opens an interpolation. */
      char next = text[at + 1];
      scanner->position = at + (format && (next == '{' || next == '}') ? 1 : piece->escape.length);
      return 1;
    }
    if (format && c == '{') {
      if (!scanner->depth && at + 1 < end && text[at + 1] == '{') {
        piece->kind = PF_PIECE_TEXT;
        piece->length = 2;
        scanner->position = at + 2;
        return 1;
      }
      scanner->position = at + 1;
      if (scanner->depth == PF_STRING_MAX_NESTING) {
        scanner->position = end; /* deeper than any real program: stop here */
        return 0;
      }
      scanner->levels[scanner->depth].in_format_spec = 0;
      scanner->levels[scanner->depth].brackets = 0;
      scanner->depth++;
      piece->kind = PF_PIECE_INTERPOLATION;
      piece->length = 1;
      return 1;
    }
    if (format && c == '}') {
      if (scanner->depth) { /* the end of a format spec, and of its interpolation */
        scanner->depth--;
        scanner->position = at + 1;
        continue;
      }
      piece->kind = PF_PIECE_TEXT;
      piece->length = at + 1 < end && text[at + 1] == '}' ? 2 : 1;
      scanner->position = at + piece->length;
      return 1;
    }
    /* A run of plain text. */
    uint32_t i = at + 1;
    while (i < end && text[i] != '\\' && !(format && (text[i] == '{' || text[i] == '}')))
      i++;
    piece->kind = PF_PIECE_TEXT;
    piece->length = i - at;
    scanner->position = i;
    return 1;
  }
}

int pf_escape_changes_value(const pf_escape *escape) {
  return escape->kind != PF_ESCAPE_LINE_CONTINUATION && escape->kind != PF_ESCAPE_SELF;
}

static const char *control_name(int32_t value) {
  switch (value) {
  case 0:
    return "a NUL character";
  case 7:
    return "a bell (BEL)";
  case 8:
    return "a backspace";
  case 9:
    return "a tab";
  case 10:
    return "a newline";
  case 11:
    return "a vertical tab";
  case 12:
    return "a form feed";
  case 13:
    return "a carriage return";
  case 27:
    return "an escape character (ESC)";
  default:
    return NULL;
  }
}

/* Encodes a code point as UTF-8 into out (5 bytes); returns 0 for surrogates. */
static int encode_utf8(int32_t value, char *out) {
  if (value < 0x80) {
    out[0] = (char)value;
    out[1] = '\0';
  } else if (value < 0x800) {
    out[0] = (char)(0xc0 | (value >> 6));
    out[1] = (char)(0x80 | (value & 0x3f));
    out[2] = '\0';
  } else if (value >= 0xd800 && value < 0xe000) {
    return 0;
  } else if (value < 0x10000) {
    out[0] = (char)(0xe0 | (value >> 12));
    out[1] = (char)(0x80 | ((value >> 6) & 0x3f));
    out[2] = (char)(0x80 | (value & 0x3f));
    out[3] = '\0';
  } else {
    out[0] = (char)(0xf0 | (value >> 18));
    out[1] = (char)(0x80 | ((value >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((value >> 6) & 0x3f));
    out[3] = (char)(0x80 | (value & 0x3f));
    out[4] = '\0';
  }
  return 1;
}

size_t pf_quote_prefix(const char *text, size_t length, size_t limit, char *out, size_t out_size) {
  static const char ellipsis[] = "\xE2\x80\xA6";
  size_t keep = length;
  if (length > limit || length >= out_size) {
    size_t room = out_size > sizeof(ellipsis) ? out_size - sizeof(ellipsis) : 0;
    keep = limit < room ? limit : room;
    while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80) /* not inside a code point */
      keep--;
  }
  memcpy(out, text, keep);
  if (keep < length && out_size > sizeof(ellipsis)) {
    memcpy(out + keep, ellipsis, sizeof(ellipsis) - 1);
    out[keep + sizeof(ellipsis) - 1] = '\0';
    return keep + sizeof(ellipsis) - 1;
  }
  out[keep] = '\0';
  return keep;
}

void pf_escape_describe(const char *text, const pf_escape *escape, int bytes, char *out, size_t out_size) {
  const char *source = text + escape->offset;
  out[0] = '\0';
  if (escape->validity == PF_ESCAPE_MALFORMED) {
    const char *need = "";
    switch (escape->kind) {
    case PF_ESCAPE_HEX:
      need = "`\\x` needs two hex digits";
      break;
    case PF_ESCAPE_UNICODE:
      if (escape->length == (source[1] == 'u' ? 6u : 10u))
        need = "it is beyond U+10FFFF, the last code point";
      else
        need = source[1] == 'u' ? "`\\u` needs four hex digits" : "`\\U` needs eight hex digits";
      break;
    case PF_ESCAPE_NAMED:
      if (escape->length > 4) {
        char name[PF_QUOTE_LIMIT + 4];
        pf_quote_prefix(source + 3, escape->length - 4, PF_QUOTE_LIMIT, name, sizeof(name));
        snprintf(out, out_size, "a SyntaxError (`%s` is not a valid character name)", name);
      } else
        snprintf(out, out_size, "a SyntaxError (`\\N` needs a character name in braces)");
      return;
    default:
      break;
    }
    snprintf(out, out_size, "a SyntaxError (%s)", need);
    return;
  }
  switch (escape->kind) {
  case PF_ESCAPE_LINE_CONTINUATION:
    snprintf(out, out_size, "a line continuation (removed)");
    return;
  case PF_ESCAPE_UNRECOGNIZED:
    snprintf(out, out_size, "not an escape (Python keeps the backslash and warns)");
    return;
  case PF_ESCAPE_NAMED:
    snprintf(out, out_size, "the character named %.*s (U+%04X)", (int)(escape->length - 4), source + 3,
             (unsigned)escape->value);
    return;
  default:
    break;
  }
  const char *suffix = escape->validity == PF_ESCAPE_WARNS ? ", with a warning (octal above \\377)" : "";
  int32_t value = escape->value;
  const char *name = control_name(value);
  if (name && !(bytes && value == 0))
    snprintf(out, out_size, "%s%s", name, suffix);
  else if (bytes && value == 0)
    snprintf(out, out_size, "a NUL byte%s", suffix);
  else if (value > 0x20 && value < 0x7f && value != '`')
    snprintf(out, out_size, "`%c`%s", (char)value, suffix);
  else if (value == ' ')
    snprintf(out, out_size, "a space%s", suffix);
  else if (bytes)
    snprintf(out, out_size, "the byte 0x%02x%s", (unsigned)value, suffix);
  else if (value < 0xa0) /* C0 and C1 controls, DEL and the backtick have no useful glyph */
    snprintf(out, out_size, "U+%04X%s", (unsigned)value, suffix);
  else {
    char glyph[5];
    if (encode_utf8(value, glyph))
      snprintf(out, out_size, "`%s` (U+%04X)%s", glyph, (unsigned)value, suffix);
    else
      snprintf(out, out_size, "the lone surrogate U+%04X%s", (unsigned)value, suffix);
  }
}
