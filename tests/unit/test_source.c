/*
 * test_source.c: unit tests for src/source.c (reading, BOM, PEP 263 decoding, UTF-8 validation,
 * the line index and offset -> position).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "source.h"
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Loads a string literal (NUL bytes inside it included). */
#define LOAD(source, literal, error)                                                                         \
  pf_source_load_bytes((source), (literal), sizeof(literal) - 1, (error), 256)

static int is_zeroed(const pf_source *s) {
  return s->text == NULL && s->line_starts == NULL && s->length == 0 && s->line_count == 0 &&
         s->had_bom == 0 && s->encoding[0] == '\0';
}

static void check_position(const pf_source *s, uint32_t offset, uint32_t row, uint32_t column, int line) {
  pf_position p = pf_source_position(s, offset);
  if (p.row != row || p.column != column)
    fprintf(stderr, "%s:%d: position(%u) is %u:%u, expected %u:%u\n", __FILE__, line, (unsigned)offset,
            (unsigned)p.row, (unsigned)p.column, (unsigned)row, (unsigned)column);
  unit_checks++;
  if (p.row != row || p.column != column)
    unit_failures++;
}
#define CHECK_POSITION(s, offset, row, column) check_position((s), (offset), (row), (column), __LINE__)

/* The text of 0-based line `line`, copied into a static buffer for CHECK_EQ_STR. */
static const char *line_text(const pf_source *s, uint32_t line) {
  static char buffer[256];
  uint32_t length = 12345;
  const char *text = pf_source_line_text(s, line, &length);
  if (!text || length >= sizeof buffer)
    return NULL;
  memcpy(buffer, text, length);
  buffer[length] = '\0';
  return buffer;
}

/* Expects a decode failure with exactly `message`. */
static void check_decode_error(const char *bytes, size_t length, const char *message, int line) {
  pf_source s;
  char error[256];
  pf_load_status status = pf_source_load_bytes(&s, bytes, length, error, sizeof error);
  unit_checks++;
  if (status != PF_LOAD_DECODE || strcmp(error, message) != 0 || !is_zeroed(&s)) {
    unit_failures++;
    fprintf(stderr, "%s:%d: status %d, error \"%s\", expected PF_LOAD_DECODE, \"%s\"\n", __FILE__, line,
            (int)status, status == PF_LOAD_OK ? "" : error, message);
  }
  pf_source_free(&s);
}
#define CHECK_DECODE_ERROR(literal, message)                                                                 \
  check_decode_error((literal), sizeof(literal) - 1, (message), __LINE__)

/* Expects a successful load whose encoding is `encoding` and text is `expected`. */
static void check_decodes(const char *bytes, size_t length, const char *encoding, const char *expected,
                          size_t expected_length, int line) {
  pf_source s;
  char error[256];
  pf_load_status status = pf_source_load_bytes(&s, bytes, length, error, sizeof error);
  unit_checks++;
  if (status != PF_LOAD_OK || strcmp(s.encoding, encoding) != 0 || s.length != expected_length ||
      memcmp(s.text, expected, expected_length) != 0 || s.text[s.length] != '\0') {
    unit_failures++;
    fprintf(stderr, "%s:%d: status %d (%s), encoding \"%s\", expected \"%s\" and the expected text\n",
            __FILE__, line, (int)status, status == PF_LOAD_OK ? "ok" : error, s.encoding, encoding);
  }
  pf_source_free(&s);
}
#define CHECK_DECODES(literal, encoding, expected)                                                           \
  check_decodes((literal), sizeof(literal) - 1, (encoding), (expected), sizeof(expected) - 1, __LINE__)

static void test_plain_utf8(void) {
  pf_source s;
  char error[256] = "junk";
  CHECK_EQ_INT(LOAD(&s, "x = 1\ny = '\xc3\xa9'\n", error), PF_LOAD_OK);
  CHECK_EQ_STR(error, "");
  CHECK_EQ_INT(s.length, 15);
  CHECK(memcmp(s.text, "x = 1\ny = '\xc3\xa9'\n", 15) == 0);
  CHECK_EQ_INT(s.text[15], '\0');
  CHECK_EQ_STR(s.encoding, "utf-8");
  CHECK_EQ_INT(s.had_bom, 0);
  CHECK_EQ_INT(s.line_count, 3);
  CHECK_EQ_INT(s.line_starts[0], 0);
  CHECK_EQ_INT(s.line_starts[1], 6);
  CHECK_EQ_INT(s.line_starts[2], 15);
  CHECK_POSITION(&s, 0, 1, 1);
  CHECK_POSITION(&s, 5, 1, 6);  /* the newline itself */
  CHECK_POSITION(&s, 13, 2, 7); /* the quote after é */
  CHECK_EQ_STR(line_text(&s, 1), "y = '\xc3\xa9'");
  pf_source_free(&s);
  CHECK(is_zeroed(&s));
}

static void test_bom(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "\xef\xbb\xbfx = 1\n", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.had_bom, 1);
  CHECK_EQ_INT(s.length, 6);
  CHECK_EQ_STR(s.text, "x = 1\n");
  CHECK_EQ_STR(s.encoding, "utf-8");
  CHECK_EQ_INT(s.line_count, 2);
  CHECK_POSITION(&s, 0, 1, 1);
  CHECK_POSITION(&s, 4, 1, 5);
  pf_source_free(&s);

  CHECK_EQ_INT(LOAD(&s, "\xef\xbb\xbf", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.had_bom, 1);
  CHECK_EQ_INT(s.length, 0);
  CHECK_EQ_INT(s.line_count, 1);
  pf_source_free(&s);

  /* Only a leading BOM is stripped; a partial one is invalid UTF-8. */
  CHECK_DECODE_ERROR("\xef\xbbx", "invalid UTF-8 at line 1, column 1 (byte 0xef)");
  CHECK_DECODES("x\xef\xbb\xbf", "utf-8", "x\xef\xbb\xbf");
}

static void test_bom_with_declaration(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "\xef\xbb\xbf# -*- coding: utf-8 -*-\nx = '\xc3\xa9'\n", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.had_bom, 1);
  CHECK_EQ_STR(s.encoding, "utf-8");
  CHECK_EQ_INT(s.text[0], '#');
  pf_source_free(&s);
  CHECK_DECODES("\xef\xbb\xbf# coding: utf-8-sig\n", "utf-8", "# coding: utf-8-sig\n");
  CHECK_DECODES("\xef\xbb\xbf#!/usr/bin/env python\n# coding=UTF8\n", "utf-8",
                "#!/usr/bin/env python\n# coding=UTF8\n");

  CHECK_DECODE_ERROR("\xef\xbb\xbf# coding: latin-1\nx = 1\n",
                     "encoding 'latin-1' declared on line 1 conflicts with the UTF-8 byte order mark");
  CHECK_DECODE_ERROR("\xef\xbb\xbf\n# vim: fileencoding=cp1252\n",
                     "encoding 'cp1252' declared on line 2 conflicts with the UTF-8 byte order mark");
}

static void test_latin1_line1(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "# -*- coding: latin-1 -*-\nx = '\xe9t\xe9'\n", error), PF_LOAD_OK);
  CHECK_EQ_STR(s.encoding, "latin-1");
  CHECK_EQ_STR(s.text, "# -*- coding: latin-1 -*-\nx = '\xc3\xa9t\xc3\xa9'\n");
  CHECK_EQ_INT(s.length, 26 + 12);
  CHECK_EQ_INT(s.line_count, 3);
  CHECK_EQ_INT(s.line_starts[1], 26);
  /* 't' is character 7 of line 2 in the latin-1 file; it still is after decoding. */
  CHECK_EQ_INT(s.text[26 + 7], 't');
  CHECK_POSITION(&s, 26 + 7, 2, 7);
  CHECK_POSITION(&s, 26 + 10, 2, 9); /* closing quote */
  CHECK_EQ_STR(line_text(&s, 1), "x = '\xc3\xa9t\xc3\xa9'");
  pf_source_free(&s);
}

static void test_latin1_line2(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\ns = '\xe9'\n", error),
               PF_LOAD_OK);
  CHECK_EQ_STR(s.encoding, "latin-1");
  CHECK_EQ_INT(s.line_count, 4);
  CHECK_EQ_STR(line_text(&s, 2), "s = '\xc3\xa9'");
  CHECK_POSITION(&s, s.line_starts[2] + 7, 3, 7);
  pf_source_free(&s);

  /* Line 1 blank also lets line 2 count, with any line break. */
  CHECK_DECODES("\n# coding: latin-1\n\xe9", "latin-1", "\n# coding: latin-1\n\xc3\xa9");
  CHECK_DECODES("  \t\r\n# coding: latin-1\r\n\xe9", "latin-1", "  \t\r\n# coding: latin-1\r\n\xc3\xa9");
  CHECK_DECODES("#!/usr/bin/python\r# vim: set fileencoding=latin-1 :\rx = '\xe9'\r", "latin-1",
                "#!/usr/bin/python\r# vim: set fileencoding=latin-1 :\rx = '\xc3\xa9'\r");
  /* A first line "# coding:" without a name is just a comment. */
  CHECK_DECODES("# coding:\n# coding: latin-1\n\xe9", "latin-1", "# coding:\n# coding: latin-1\n\xc3\xa9");
}

static void test_declaration_syntax(void) {
  CHECK_DECODES("#coding=latin-1\n\xe9", "latin-1", "#coding=latin-1\n\xc3\xa9");
  CHECK_DECODES(" \t\f# coding:\t latin-1\n\xe9", "latin-1", " \t\f# coding:\t latin-1\n\xc3\xa9");
  CHECK_DECODES("# This file has the encoding: latin-1\n\xe9", "latin-1",
                "# This file has the encoding: latin-1\n\xc3\xa9");
  CHECK_DECODES("# coding: utf-8 coding: latin-1\n", "utf-8", "# coding: utf-8 coding: latin-1\n");
  CHECK_DECODES("# coding: , coding=latin-1\n\xe9", "latin-1", "# coding: , coding=latin-1\n\xc3\xa9");
  /* Not declarations: code before the '#', code on line 1, line 3, no name, "coding" without [:=]. */
  CHECK_DECODE_ERROR("x = 1  # coding: latin-1\n'\xe9'", "invalid UTF-8 at line 2, column 2 (byte 0xe9)");
  CHECK_DECODE_ERROR("x = 1\n# coding: latin-1\ny = '\xe9'\n",
                     "invalid UTF-8 at line 3, column 6 (byte 0xe9)");
  CHECK_DECODE_ERROR("#!/usr/bin/env python\n#\n# coding: latin-1\n\xe9",
                     "invalid UTF-8 at line 4, column 1 (byte 0xe9)");
  CHECK_DECODE_ERROR("# coding: \xe9\n", "invalid UTF-8 at line 1, column 11 (byte 0xe9)");
  CHECK_DECODE_ERROR("# coding latin-1\n\xe9", "invalid UTF-8 at line 2, column 1 (byte 0xe9)");
}

static void test_encoding_names(void) {
  static const char *const names[][2] = {
      {"latin-1", "latin-1"},
      {"latin1", "latin-1"},
      {"LATIN_1", "latin-1"},
      {"iso-8859-1", "latin-1"},
      {"iso_8859_1", "latin-1"},
      {"ISO8859-1", "latin-1"},
      {"l1", "latin-1"},
      {"latin-1-unix", "latin-1"},
      {"cp819", "latin-1"},
      {"iso-latin-1", "latin-1"},
      {"utf-8", "utf-8"},
      {"UTF8", "utf-8"},
      {"utf_8", "utf-8"},
      {"utf-8-sig", "utf-8"},
      {"U8", "utf-8"},
      {"cp65001", "utf-8"},
      {"cp1252", "cp1252"},
      {"windows-1252", "cp1252"},
      {"Windows_1251", "cp1251"},
      {"ISO-8859-15", "iso8859-15"},
      {"latin9", "iso8859-15"},
      {"koi8_r", "koi8-r"},
      {"KOI8-R", "koi8-r"},
      {"us-ascii", "ascii"},
      {"ascii", "ascii"},
      {"ANSI_X3.4-1968", "ascii"},
      {"euc-jp", "euc-jp"},
      {"EUC_JP", "euc-jp"},
      {"Shift_JIS", "shift-jis"},
      {"sjis", "shift-jis"},
      {"cp932", "cp932"},
      {"gbk", "gbk"},
      {"cp936", "gbk"},
      {"gb2312", "gb2312"},
      {"gb18030", "gb18030"},
      {"big5", "big5"},
      {"euc-kr", "euc-kr"},
      {"mac-roman", "mac-roman"},
      {"cp437", "cp437"},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char bytes[128];
    int n = snprintf(bytes, sizeof bytes, "# -*- coding: %s -*-\nx = 1\n", names[i][0]);
    pf_source s;
    char error[256];
    pf_load_status status = pf_source_load_bytes(&s, bytes, (size_t)n, error, sizeof error);
    CHECK_EQ_INT(status, PF_LOAD_OK);
    if (status == PF_LOAD_OK && strcmp(s.encoding, names[i][1]) != 0)
      fprintf(stderr, "  declared '%s' normalised to '%s'\n", names[i][0], s.encoding);
    CHECK_EQ_STR(s.encoding, names[i][1]);
    CHECK_EQ_INT(s.length, (uint32_t)n);
    pf_source_free(&s);
  }
}

static void test_cp1252(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "# coding: cp1252\np = '\x80' + '\x93q\x94'\n", error), PF_LOAD_OK);
  CHECK_EQ_STR(s.encoding, "cp1252");
  CHECK_EQ_STR(line_text(&s, 1), "p = '\xe2\x82\xac' + '\xe2\x80\x9cq\xe2\x80\x9d'");
  const char *q = strchr(s.text + s.line_starts[1], 'q');
  CHECK(q != NULL);
  if (q)
    CHECK_POSITION(&s, (uint32_t)(q - s.text), 2, 13);
  pf_source_free(&s);

  CHECK_DECODES("# coding: windows-1252\n\x80", "cp1252", "# coding: windows-1252\n\xe2\x82\xac");
  /* 0x81 is undefined in cp1252, as in Python; the column counts decoded characters. */
  CHECK_DECODE_ERROR("# coding: cp1252\n\xe9\x80\x81\n", "invalid cp1252 at line 2, column 3 (byte 0x81)");
  CHECK_DECODE_ERROR("# coding: ascii\r\nx = '\xe9'\n", "invalid ascii at line 2, column 6 (byte 0xe9)");
}

static void test_multibyte_encodings(void) {
  /* Shift_JIS: 0x82A0 is HIRAGANA A; 0x955C is a kanji whose second byte is '\'; a lone 0x5C
   * stays a backslash (glibc alone would give a yen sign). */
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "# coding: shift_jis\ns = '\x82\xa0\x95\x5c\\n~'\n", error), PF_LOAD_OK);
  CHECK_EQ_STR(s.encoding, "shift-jis");
  CHECK_EQ_STR(line_text(&s, 1), "s = '\xe3\x81\x82\xe8\xa1\xa8\\n~'");
  CHECK_POSITION(&s, s.line_starts[1] + 11, 2, 8); /* the backslash, after the two kanji */
  pf_source_free(&s);

  CHECK_DECODES("# coding: euc-jp\n\xa4\xa2", "euc-jp", "# coding: euc-jp\n\xe3\x81\x82");
  CHECK_DECODE_ERROR("# coding: euc-jp\n\xa4\xa2\xa4", "invalid euc-jp at line 2, column 2 (byte 0xa4)");
  CHECK_DECODES("# coding: gbk\n\xd6\xd0", "gbk", "# coding: gbk\n\xe4\xb8\xad");
}

static void test_unknown_encoding(void) {
  CHECK_DECODE_ERROR("# coding: foo\nx = 1\n", "unknown encoding 'foo' declared on line 1");
  CHECK_DECODE_ERROR("#!/usr/bin/python\n# -*- coding: klingon-1 -*-\n",
                     "unknown encoding 'klingon-1' declared on line 2");
  CHECK_DECODE_ERROR("# coding: utf-16\n",
                     "encoding 'utf-16' declared on line 1 cannot encode Python source");
  CHECK_DECODE_ERROR(
      "# coding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
      "unknown encoding 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' "
      "declared on line 1");
}

static void test_invalid_utf8(void) {
  CHECK_DECODE_ERROR("a\nb\nabcdef\xff", "invalid UTF-8 at line 3, column 7 (byte 0xff)");
  CHECK_DECODE_ERROR("s = '\xc3\x28'",
                     "invalid UTF-8 at line 1, column 6 (byte 0xc3)"); /* bad continuation */
  CHECK_DECODE_ERROR("\xe2\x82x", "invalid UTF-8 at line 1, column 1 (byte 0xe2)");
  CHECK_DECODE_ERROR("\xc0\xaf", "invalid UTF-8 at line 1, column 1 (byte 0xc0)"); /* overlong '/' */
  CHECK_DECODE_ERROR("\xc1\xbf", "invalid UTF-8 at line 1, column 1 (byte 0xc1)");
  CHECK_DECODE_ERROR("x\xe0\x80\xaf", "invalid UTF-8 at line 1, column 2 (byte 0xe0)");
  CHECK_DECODE_ERROR("\xf0\x80\x80\xaf", "invalid UTF-8 at line 1, column 1 (byte 0xf0)");
  CHECK_DECODE_ERROR("\xc3\xa9\xed\xa0\x80", "invalid UTF-8 at line 1, column 2 (byte 0xed)"); /* U+D800 */
  CHECK_DECODE_ERROR("\xed\xbf\xbf", "invalid UTF-8 at line 1, column 1 (byte 0xed)");         /* U+DFFF */
  CHECK_DECODE_ERROR("\xf4\x90\x80\x80", "invalid UTF-8 at line 1, column 1 (byte 0xf4)");     /* U+110000 */
  CHECK_DECODE_ERROR("\xf5\x80\x80\x80", "invalid UTF-8 at line 1, column 1 (byte 0xf5)");
  CHECK_DECODE_ERROR("ab\x80", "invalid UTF-8 at line 1, column 3 (byte 0x80)"); /* lone continuation */
  CHECK_DECODE_ERROR("x = '\xe2\x82", "invalid UTF-8 at line 1, column 6 (byte 0xe2)"); /* truncated at EOF */
  CHECK_DECODE_ERROR("\xf0\x9f\x98", "invalid UTF-8 at line 1, column 1 (byte 0xf0)");
  CHECK_DECODE_ERROR("\xf0\x9f\x98\x80\r\n\xe4\xb8\xad\xff", "invalid UTF-8 at line 2, column 2 (byte 0xff)");
  CHECK_DECODE_ERROR("a\rb\xff", "invalid UTF-8 at line 2, column 2 (byte 0xff)");
  CHECK_DECODE_ERROR("a\r\n\r\n\n\xfe", "invalid UTF-8 at line 4, column 1 (byte 0xfe)");
  CHECK_DECODE_ERROR("# coding: utf-8\n\xff", "invalid UTF-8 at line 2, column 1 (byte 0xff)");
  /* The extremes that are valid. */
  CHECK_DECODES(
      "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
      "utf-8",
      "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
}

static void test_nul_kept(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "a\0b\nc", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.length, 5);
  CHECK_EQ_INT(s.text[1], '\0');
  CHECK_EQ_INT(s.text[2], 'b');
  CHECK_EQ_INT(s.text[5], '\0');
  CHECK_EQ_INT(s.line_count, 2);
  CHECK_POSITION(&s, 2, 1, 3);
  CHECK_POSITION(&s, 4, 2, 1);
  pf_source_free(&s);

  CHECK_DECODES("# coding: latin-1\n\0\xe9", "latin-1", "# coding: latin-1\n\0\xc3\xa9");
}

static void test_crlf(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "a\r\nbc\r\n", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.length, 7);
  CHECK_EQ_INT(s.line_count, 3);
  CHECK_EQ_INT(s.line_starts[1], 3);
  CHECK_EQ_INT(s.line_starts[2], 7);
  CHECK_EQ_STR(line_text(&s, 0), "a");
  CHECK_EQ_STR(line_text(&s, 1), "bc");
  CHECK_EQ_STR(line_text(&s, 2), "");
  CHECK_POSITION(&s, 1, 1, 2); /* \r */
  CHECK_POSITION(&s, 2, 1, 3); /* \n of the same break */
  CHECK_POSITION(&s, 4, 2, 2);
  CHECK_POSITION(&s, 7, 3, 1);
  CHECK_EQ_INT(pf_source_line_of(&s, 2), 0);
  CHECK_EQ_INT(pf_source_line_of(&s, 3), 1);
  pf_source_free(&s);
}

static void test_lone_cr(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "a\rb\r", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.line_count, 3);
  CHECK_EQ_INT(s.line_starts[1], 2);
  CHECK_EQ_INT(s.line_starts[2], 4);
  CHECK_EQ_STR(line_text(&s, 0), "a");
  CHECK_EQ_STR(line_text(&s, 1), "b");
  CHECK_POSITION(&s, 2, 2, 1);
  CHECK_POSITION(&s, 4, 3, 1);
  pf_source_free(&s);
}

static void test_mixed_endings(void) {
  pf_source s;
  char error[256];
  /* \r\n, \n, \r, then \n\r: two breaks, not one. */
  CHECK_EQ_INT(LOAD(&s, "a\r\nb\nc\rd\n\re", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.line_count, 6);
  static const uint32_t starts[] = {0, 3, 5, 7, 9, 10};
  for (uint32_t i = 0; i < 6 && i < s.line_count; i++)
    CHECK_EQ_INT(s.line_starts[i], starts[i]);
  CHECK_EQ_STR(line_text(&s, 0), "a");
  CHECK_EQ_STR(line_text(&s, 1), "b");
  CHECK_EQ_STR(line_text(&s, 2), "c");
  CHECK_EQ_STR(line_text(&s, 3), "d");
  CHECK_EQ_STR(line_text(&s, 4), "");
  CHECK_EQ_STR(line_text(&s, 5), "e");
  CHECK_POSITION(&s, 10, 6, 1);
  CHECK_POSITION(&s, 11, 6, 2);
  pf_source_free(&s);
}

static void test_unicode_columns(void) {
  pf_source s;
  char error[256];
  /* x = '😀中文' + y : the emoji is 4 bytes, each CJK character 3. */
  CHECK_EQ_INT(
      LOAD(&s, "x = '\xf0\x9f\x98\x80\xe4\xb8\xad\xe6\x96\x87' + y\n\xe4\xb8\xad\xf0\x9f\x98\x80z\n", error),
      PF_LOAD_OK);
  CHECK_POSITION(&s, 5, 1, 6);   /* 😀 */
  CHECK_POSITION(&s, 9, 1, 7);   /* 中 */
  CHECK_POSITION(&s, 12, 1, 8);  /* 文 */
  CHECK_POSITION(&s, 15, 1, 9);  /* ' */
  CHECK_POSITION(&s, 19, 1, 13); /* y */
  CHECK_POSITION(&s, 20, 1, 14); /* \n */
  CHECK_POSITION(&s, 28, 2, 3);  /* z, after 中😀 */
  CHECK_EQ_INT(s.text[28], 'z');
  CHECK_EQ_INT(pf_utf8_count_code_points(s.text, 15), 8);
  CHECK_EQ_INT(pf_utf8_count_code_points(s.text, s.length), 18);
  CHECK_EQ_INT(pf_utf8_count_code_points(s.text, 0), 0);
  CHECK_EQ_INT(pf_utf8_count_code_points(NULL, 5), 0);
  pf_source_free(&s);
}

static void test_empty(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(pf_source_load_bytes(&s, "", 0, error, sizeof error), PF_LOAD_OK);
  CHECK(s.text != NULL);
  CHECK_EQ_INT(s.text[0], '\0');
  CHECK_EQ_INT(s.length, 0);
  CHECK_EQ_INT(s.line_count, 1);
  CHECK_EQ_INT(s.line_starts[0], 0);
  CHECK_EQ_STR(s.encoding, "utf-8");
  CHECK_POSITION(&s, 0, 1, 1);
  CHECK_POSITION(&s, 5, 1, 1);
  CHECK_EQ_INT(pf_source_line_of(&s, 5), 0);
  CHECK_EQ_STR(line_text(&s, 0), "");
  pf_source_free(&s);

  CHECK_EQ_INT(pf_source_load_bytes(&s, NULL, 0, error, sizeof error), PF_LOAD_OK);
  CHECK_EQ_INT(s.line_count, 1);
  pf_source_free(&s);
}

static void test_no_trailing_newline(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "a\nbc", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.line_count, 2);
  CHECK_EQ_INT(s.line_starts[1], 2);
  CHECK_EQ_STR(line_text(&s, 1), "bc");
  CHECK_POSITION(&s, 3, 2, 2);
  CHECK_POSITION(&s, 4, 2, 3); /* EOF */
  pf_source_free(&s);
}

static void test_offsets_at_and_after_eof(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(LOAD(&s, "ab\n", error), PF_LOAD_OK);
  CHECK_EQ_INT(s.line_count, 2);
  CHECK_EQ_INT(s.line_starts[1], 3);
  CHECK_POSITION(&s, 3, 2, 1);
  CHECK_POSITION(&s, 4, 2, 1);
  CHECK_POSITION(&s, 1000, 2, 1);
  CHECK_POSITION(&s, UINT32_MAX, 2, 1);
  CHECK_EQ_INT(pf_source_line_of(&s, 3), 1);
  CHECK_EQ_INT(pf_source_line_of(&s, UINT32_MAX), 1);
  CHECK_EQ_STR(line_text(&s, 1), "");
  uint32_t length = 99;
  const char *past = pf_source_line_text(&s, 7, &length);
  CHECK(past != NULL);
  CHECK_EQ_INT(length, 0);
  CHECK(pf_source_line_text(&s, 0, NULL) == s.text);
  pf_source_free(&s);
}

static void test_stream(void) {
  FILE *fp = tmpfile();
  CHECK(fp != NULL);
  if (!fp)
    return;
  static const char content[] = "# coding: latin-1\r\nname = 'Ren\xe9'\r\n";
  fwrite(content, 1, sizeof content - 1, fp);
  rewind(fp);
  pf_source s;
  char error[256];
  CHECK_EQ_INT(pf_source_load_stream(&s, fp, error, sizeof error), PF_LOAD_OK);
  CHECK_EQ_STR(s.encoding, "latin-1");
  CHECK_EQ_STR(s.text, "# coding: latin-1\r\nname = 'Ren\xc3\xa9'\r\n");
  CHECK_EQ_INT(s.line_count, 3);
  CHECK_EQ_STR(line_text(&s, 1), "name = 'Ren\xc3\xa9'");
  pf_source_free(&s);
  fclose(fp);

  /* A stream of unknown size (no file descriptor) bigger than the first buffer. */
  size_t size = 100000;
  char *big = malloc(size);
  CHECK(big != NULL);
  if (!big)
    return;
  for (size_t i = 0; i < size; i++)
    big[i] = i % 10 == 9 ? '\n' : 'a';
  fp = fmemopen(big, size, "rb");
  CHECK(fp != NULL);
  if (fp) {
    CHECK_EQ_INT(pf_source_load_stream(&s, fp, error, sizeof error), PF_LOAD_OK);
    CHECK_EQ_INT(s.length, size);
    CHECK_EQ_INT(s.line_count, size / 10 + 1);
    CHECK(memcmp(s.text, big, size) == 0);
    CHECK_POSITION(&s, (uint32_t)size - 1, (uint32_t)(size / 10), 10);
    pf_source_free(&s);
    fclose(fp);
  }
  free(big);

  CHECK_EQ_INT(pf_source_load_stream(&s, NULL, error, sizeof error), PF_LOAD_IO);
  CHECK(is_zeroed(&s));
}

static void test_file(void) {
  char path[] = "/tmp/pitfall_test_source_XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0)
    return;
  static const char content[] = "\xef\xbb\xbfprint('h\xc3\xa9')\r\n";
  CHECK_EQ_INT(write(fd, content, sizeof content - 1), (long long)(sizeof content - 1));
  close(fd);
  pf_source s;
  char error[256];
  CHECK_EQ_INT(pf_source_load_file(&s, path, error, sizeof error), PF_LOAD_OK);
  CHECK_EQ_INT(s.had_bom, 1);
  CHECK_EQ_STR(s.text, "print('h\xc3\xa9')\r\n");
  CHECK_EQ_INT(s.line_count, 2);
  CHECK_POSITION(&s, 12, 1, 12); /* \r: p r i n t ( ' h é ' ) */
  pf_source_free(&s);

  /* Over 4 GiB - 1 byte, from the size alone (a sparse file, where the file system allows it). */
  fd = open(path, O_WRONLY | O_TRUNC);
  if (fd >= 0 && ftruncate(fd, (off_t)UINT32_MAX + 1) == 0) {
    close(fd);
    CHECK_EQ_INT(pf_source_load_file(&s, path, error, sizeof error), PF_LOAD_TOO_LARGE);
    CHECK_EQ_STR(error, "file is larger than 4294967295 bytes");
    CHECK(is_zeroed(&s));
  } else if (fd >= 0) {
    close(fd);
  }
  unlink(path);
}

static void test_io_errors(void) {
  pf_source s;
  char error[256];
  CHECK_EQ_INT(pf_source_load_file(&s, "/nonexistent/pitfall/x.py", error, sizeof error), PF_LOAD_IO);
  CHECK_EQ_STR(error, strerror(ENOENT));
  CHECK(is_zeroed(&s));
  pf_source_free(&s);
  CHECK_EQ_INT(pf_source_load_file(&s, "/tmp", error, sizeof error), PF_LOAD_IO);
  CHECK_EQ_STR(error, strerror(EISDIR));
  CHECK(is_zeroed(&s));
}

static void test_too_large_bytes(void) {
#if SIZE_MAX > UINT32_MAX
  /* The length alone decides; the bytes are never read. */
  pf_source s;
  char error[256];
  CHECK_EQ_INT(pf_source_load_bytes(&s, "x", (size_t)UINT32_MAX + 1, error, sizeof error), PF_LOAD_TOO_LARGE);
  CHECK_EQ_STR(error, "file is larger than 4294967295 bytes");
  CHECK(is_zeroed(&s));
#endif
}

static void test_error_buffer_and_free(void) {
  pf_source s;
  CHECK_EQ_INT(pf_source_load_bytes(&s, "\xff", 1, NULL, 0), PF_LOAD_DECODE);
  CHECK(is_zeroed(&s));
  char small[8];
  CHECK_EQ_INT(pf_source_load_bytes(&s, "\xff", 1, small, sizeof small), PF_LOAD_DECODE);
  CHECK_EQ_STR(small, "invalid");

  pf_source zero;
  memset(&zero, 0, sizeof zero);
  pf_source_free(&zero);
  pf_source_free(&zero);
  pf_source_free(NULL);
  CHECK(is_zeroed(&zero));
  CHECK_POSITION(&zero, 10, 1, 1);
  CHECK_EQ_INT(pf_source_line_of(&zero, 10), 0);
  uint32_t length = 5;
  CHECK(pf_source_line_text(&zero, 0, &length) != NULL);
  CHECK_EQ_INT(length, 0);
}

static void test_skip_string_literal(void) {
  const char *text = "x = 'a\\'b' + \"\"\"q\n\"\" \"\"\" + 'open\nz";
  uint32_t length = (uint32_t)strlen(text);
  /* 'a\'b' closes at its own quote, past the escaped one. */
  CHECK_EQ_INT(pf_skip_string_literal(text, length, 4), 9);
  /* """q<newline>"" """ closes at the last of three quotes, past the two inside. */
  CHECK_EQ_INT(pf_skip_string_literal(text, length, 13), 23);
  /* An unterminated one-line string ends at its line break; a triple one at the end. */
  CHECK_EQ_INT(pf_skip_string_literal(text, length, 27), 32);
  CHECK_EQ_INT(pf_skip_string_literal("'''never", 8, 0), 8);
}

int main(void) {
  test_skip_string_literal();
  test_plain_utf8();
  test_bom();
  test_bom_with_declaration();
  test_latin1_line1();
  test_latin1_line2();
  test_declaration_syntax();
  test_encoding_names();
  test_cp1252();
  test_multibyte_encodings();
  test_unknown_encoding();
  test_invalid_utf8();
  test_nul_kept();
  test_crlf();
  test_lone_cr();
  test_mixed_endings();
  test_unicode_columns();
  test_empty();
  test_no_trailing_newline();
  test_offsets_at_and_after_eof();
  test_stream();
  test_file();
  test_io_errors();
  test_too_large_bytes();
  test_error_buffer_and_free();
  return unit_report("source");
}
