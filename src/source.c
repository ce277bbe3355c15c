/*
 * source.c: loading, decoding and line-indexing one Python source file (see source.h).
 *
 * Owns the PEP 263 declaration scan, the table of encodings we accept (Python's names and
 * aliases mapped to glibc iconv names), strict UTF-8 validation and offset -> position.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "source.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The largest text `length` can describe, and the buffer size needed to notice one byte more. */
#define PF_MAX_TEXT ((size_t)UINT32_MAX)
#if SIZE_MAX > UINT32_MAX
#define PF_MAX_BUFFER (PF_MAX_TEXT + 2)
#else
#define PF_MAX_BUFFER SIZE_MAX
#endif

typedef enum { CODEC_UTF8, CODEC_ICONV, CODEC_UNSUPPORTED } codec_kind;

typedef struct codec {
  const char *name;    /* what pf_source.encoding holds: Python's codec name, '_' -> '-' */
  const char *module;  /* Python's codec module name, a lookup key too */
  const char *iconv;   /* glibc iconv name (CODEC_ICONV only) */
  const char *aliases; /* further lookup keys, space-separated, normalised as in normalise_key() */
  codec_kind kind;
} codec;

/* Python's encodings (and encodings.aliases) that can encode Python source, i.e. the
 * ASCII-compatible ones glibc can convert, plus the UTF-16/32/7 family we refuse by name. */
static const codec codecs[] = {
    {"utf-8", "utf_8", NULL, "u8 utf utf8 utf8_ucs2 utf8_ucs4 cp65001", CODEC_UTF8},
    {"latin-1", "latin_1", "ISO-8859-1",
     "8859 cp819 csisolatin1 ibm819 iso8859 iso8859_1 iso_8859_1 iso_8859_1_1987 iso_ir_100 l1 latin latin1",
     CODEC_ICONV},
    {"ascii", "ascii", "ANSI_X3.4-1968",
     "646 ansi_x3_4_1968 ansi_x3_4_1986 cp367 csascii ibm367 iso646_us iso_646_irv_1991 iso_ir_6 us us_ascii",
     CODEC_ICONV},
    {"iso8859-2", "iso8859_2", "ISO-8859-2", "csisolatin2 iso_8859_2 iso_8859_2_1987 iso_ir_101 l2 latin2",
     CODEC_ICONV},
    {"iso8859-3", "iso8859_3", "ISO-8859-3", "csisolatin3 iso_8859_3 iso_8859_3_1988 iso_ir_109 l3 latin3",
     CODEC_ICONV},
    {"iso8859-4", "iso8859_4", "ISO-8859-4", "csisolatin4 iso_8859_4 iso_8859_4_1988 iso_ir_110 l4 latin4",
     CODEC_ICONV},
    {"iso8859-5", "iso8859_5", "ISO-8859-5",
     "csisolatincyrillic cyrillic iso_8859_5 iso_8859_5_1988 iso_ir_144", CODEC_ICONV},
    {"iso8859-6", "iso8859_6", "ISO-8859-6",
     "arabic asmo_708 csisolatinarabic ecma_114 iso_8859_6 iso_8859_6_1987 iso_ir_127", CODEC_ICONV},
    {"iso8859-7", "iso8859_7", "ISO-8859-7",
     "csisolatingreek ecma_118 elot_928 greek greek8 iso_8859_7 iso_8859_7_1987 iso_ir_126", CODEC_ICONV},
    {"iso8859-8", "iso8859_8", "ISO-8859-8", "csisolatinhebrew hebrew iso_8859_8 iso_8859_8_1988 iso_ir_138",
     CODEC_ICONV},
    {"iso8859-9", "iso8859_9", "ISO-8859-9", "csisolatin5 iso_8859_9 iso_8859_9_1989 iso_ir_148 l5 latin5",
     CODEC_ICONV},
    {"iso8859-10", "iso8859_10", "ISO-8859-10",
     "csisolatin6 iso_8859_10 iso_8859_10_1992 iso_ir_157 l6 latin6", CODEC_ICONV},
    {"iso8859-11", "iso8859_11", "ISO-8859-11", "iso_8859_11 iso_8859_11_2001 thai", CODEC_ICONV},
    {"iso8859-13", "iso8859_13", "ISO-8859-13", "iso_8859_13 l7 latin7", CODEC_ICONV},
    {"iso8859-14", "iso8859_14", "ISO-8859-14",
     "iso_8859_14 iso_8859_14_1998 iso_celtic iso_ir_199 l8 latin8", CODEC_ICONV},
    {"iso8859-15", "iso8859_15", "ISO-8859-15", "iso_8859_15 l9 latin9", CODEC_ICONV},
    {"iso8859-16", "iso8859_16", "ISO-8859-16", "iso_8859_16 iso_8859_16_2001 iso_ir_226 l10 latin10",
     CODEC_ICONV},
    {"cp1250", "cp1250", "CP1250", "1250 windows_1250", CODEC_ICONV},
    {"cp1251", "cp1251", "CP1251", "1251 windows_1251", CODEC_ICONV},
    {"cp1252", "cp1252", "CP1252", "1252 windows_1252", CODEC_ICONV},
    {"cp1253", "cp1253", "CP1253", "1253 windows_1253", CODEC_ICONV},
    {"cp1254", "cp1254", "CP1254", "1254 windows_1254", CODEC_ICONV},
    {"cp1255", "cp1255", "CP1255", "1255 windows_1255", CODEC_ICONV},
    {"cp1256", "cp1256", "CP1256", "1256 windows_1256", CODEC_ICONV},
    {"cp1257", "cp1257", "CP1257", "1257 windows_1257", CODEC_ICONV},
    {"cp1258", "cp1258", "CP1258", "1258 windows_1258", CODEC_ICONV},
    {"cp437", "cp437", "CP437", "437 cspc8codepage437 ibm437", CODEC_ICONV},
    {"cp850", "cp850", "CP850", "850 cspc850multilingual ibm850", CODEC_ICONV},
    {"cp852", "cp852", "CP852", "852 cspcp852 ibm852", CODEC_ICONV},
    {"cp866", "cp866", "CP866", "866 csibm866 ibm866", CODEC_ICONV},
    {"cp874", "cp874", "CP874", "", CODEC_ICONV},
    {"cp775", "cp775", "CP775", "775 cspc775baltic ibm775", CODEC_ICONV},
    {"cp855", "cp855", "CP855", "855 csibm855 ibm855", CODEC_ICONV},
    {"cp857", "cp857", "CP857", "857 csibm857 ibm857", CODEC_ICONV},
    {"cp858", "cp858", "CP858", "858 csibm858 ibm858", CODEC_ICONV},
    {"cp860", "cp860", "CP860", "860 csibm860 ibm860", CODEC_ICONV},
    {"cp861", "cp861", "CP861", "861 cp_is csibm861 ibm861", CODEC_ICONV},
    {"cp862", "cp862", "CP862", "862 cspc862latinhebrew ibm862", CODEC_ICONV},
    {"cp863", "cp863", "CP863", "863 csibm863 ibm863", CODEC_ICONV},
    {"cp864", "cp864", "CP864", "864 csibm864 ibm864", CODEC_ICONV},
    {"cp865", "cp865", "CP865", "865 csibm865 ibm865", CODEC_ICONV},
    {"cp869", "cp869", "CP869", "869 cp_gr csibm869 ibm869", CODEC_ICONV},
    {"cp1125", "cp1125", "CP1125", "1125 cp866u ibm1125 ruscii", CODEC_ICONV},
    {"ptcp154", "ptcp154", "PT154", "cp154 csptcp154 cyrillic_asian pt154", CODEC_ICONV},
    {"kz1048", "kz1048", "RK1048", "kz_1048 rk1048 strk1048_2002", CODEC_ICONV},
    {"hp-roman8", "hp_roman8", "HP-ROMAN8", "cp1051 cshproman8 ibm1051 r8 roman8", CODEC_ICONV},
    {"koi8-r", "koi8_r", "KOI8-R", "cskoi8r", CODEC_ICONV},
    {"koi8-u", "koi8_u", "KOI8-U", "", CODEC_ICONV},
    {"mac-roman", "mac_roman", "MACINTOSH", "macintosh macroman", CODEC_ICONV},
    {"mac-cyrillic", "mac_cyrillic", "MAC-CYRILLIC", "maccyrillic", CODEC_ICONV},
    {"tis-620", "tis_620", "TIS-620", "iso_ir_166 tis620 tis_620_0 tis_620_2529_0 tis_620_2529_1",
     CODEC_ICONV},
    {"euc-jp", "euc_jp", "EUC-JP", "eucjp u_jis ujis", CODEC_ICONV},
    {"shift-jis", "shift_jis", "SHIFT_JIS", "csshiftjis s_jis shiftjis sjis x_mac_japanese", CODEC_ICONV},
    {"cp932", "cp932", "CP932", "932 ms932 ms_kanji mskanji", CODEC_ICONV},
    {"gbk", "gbk", "GBK", "936 cp936 ms936", CODEC_ICONV},
    {"gb2312", "gb2312", "GB2312",
     "chinese csiso58gb231280 euc_cn euccn eucgb2312_cn gb2312_1980 gb2312_80 iso_ir_58 x_mac_simp_chinese",
     CODEC_ICONV},
    {"gb18030", "gb18030", "GB18030", "gb18030_2000", CODEC_ICONV},
    {"big5", "big5", "BIG5", "big5_tw csbig5 x_mac_trad_chinese", CODEC_ICONV},
    {"big5hkscs", "big5hkscs", "BIG5-HKSCS", "big5_hkscs hkscs", CODEC_ICONV},
    {"cp950", "cp950", "CP950", "950 ms950", CODEC_ICONV},
    {"euc-kr", "euc_kr", "EUC-KR",
     "euckr korean ks_c_5601 ks_c_5601_1987 ks_x_1001 ksc5601 ksx1001 x_mac_korean", CODEC_ICONV},
    {"cp949", "cp949", "CP949", "949 ms949 uhc", CODEC_ICONV},
    {"johab", "johab", "JOHAB", "cp1361 ms1361", CODEC_ICONV},
    {"utf-16", "utf_16", NULL, "u16 utf16", CODEC_UNSUPPORTED},
    {"utf-16-le", "utf_16_le", NULL, "unicodelittleunmarked utf_16le", CODEC_UNSUPPORTED},
    {"utf-16-be", "utf_16_be", NULL, "unicodebigunmarked utf_16be", CODEC_UNSUPPORTED},
    {"utf-32", "utf_32", NULL, "u32 utf32", CODEC_UNSUPPORTED},
    {"utf-32-le", "utf_32_le", NULL, "utf_32le", CODEC_UNSUPPORTED},
    {"utf-32-be", "utf_32_be", NULL, "utf_32be", CODEC_UNSUPPORTED},
    {"utf-7", "utf_7", NULL, "u7 unicode_1_1_utf_7 utf7", CODEC_UNSUPPORTED},
    /* EBCDIC: the declaration itself could not be read as ASCII. */
    {"cp037", "cp037", NULL, "037 csibm037 ebcdic_cp_ca ebcdic_cp_nl ebcdic_cp_us ebcdic_cp_wt ibm037 ibm039",
     CODEC_UNSUPPORTED},
    {"cp273", "cp273", NULL, "273 csibm273 ibm273", CODEC_UNSUPPORTED},
    {"cp424", "cp424", NULL, "424 csibm424 ebcdic_cp_he ibm424", CODEC_UNSUPPORTED},
    {"cp500", "cp500", NULL, "500 csibm500 ebcdic_cp_be ebcdic_cp_ch ibm500", CODEC_UNSUPPORTED},
    {"cp1026", "cp1026", NULL, "1026 csibm1026 ibm1026", CODEC_UNSUPPORTED},
    {"cp1140", "cp1140", NULL, "1140 ibm1140", CODEC_UNSUPPORTED},
};

#define CODEC_UTF8_INDEX 0
#define CODEC_LATIN1_INDEX 1
#define MAX_NAME 64 /* longer declared names cannot be in the table */
#define TOO_LARGE_MESSAGE "file is larger than 4294967295 bytes"

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
set_error(char *error, size_t error_size, const char *format, ...) {
  if (!error || error_size == 0)
    return;
  va_list args;
  va_start(args, format);
  vsnprintf(error, error_size, format, args);
  va_end(args);
}

static void set_errno_error(char *error, size_t error_size, int err) {
  char buffer[256];
#if !defined(_GNU_SOURCE) && _POSIX_C_SOURCE >= 200112L
  if (strerror_r(err, buffer, sizeof buffer) != 0)
    snprintf(buffer, sizeof buffer, "error %d", err);
  const char *text = buffer;
#else
  const char *text = strerror(err);
  (void)buffer;
#endif
  set_error(error, error_size, "%s", text);
}

static int is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.';
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\f'; }

static char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* ---- PEP 263 -------------------------------------------------------------------------- */

typedef struct declaration {
  const char *name; /* as written, not terminated */
  size_t name_length;
  uint32_t line; /* 1 or 2 */
} declaration;

/* Index of the first line break at or after `start`, or n. */
static size_t line_end(const char *s, size_t n, size_t start) {
  while (start < n && s[start] != '\n' && s[start] != '\r')
    start++;
  return start;
}

static size_t after_break(const char *s, size_t n, size_t end) {
  if (end < n && s[end] == '\r' && end + 1 < n && s[end + 1] == '\n')
    return end + 2;
  return end < n ? end + 1 : n;
}

/* `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on one line (without its break), as CPython scans it. */
static int match_coding_spec(const char *s, size_t n, const char **name, size_t *name_length) {
  size_t i = 0;
  while (i < n && is_space(s[i]))
    i++;
  if (i == n || s[i] != '#')
    return 0;
  for (i++; i + 6 < n; i++) {
    if (memcmp(s + i, "coding", 6) != 0 || (s[i + 6] != ':' && s[i + 6] != '='))
      continue;
    size_t begin = i + 7;
    while (begin < n && (s[begin] == ' ' || s[begin] == '\t'))
      begin++;
    size_t end = begin;
    while (end < n && is_name_char(s[end]))
      end++;
    if (end > begin) {
      *name = s + begin;
      *name_length = end - begin;
      return 1;
    }
  }
  return 0;
}

static int is_blank_or_comment(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && is_space(s[i]))
    i++;
  return i == n || s[i] == '#';
}

static int find_declaration(const char *s, size_t n, declaration *out) {
  size_t end1 = line_end(s, n, 0);
  if (match_coding_spec(s, end1, &out->name, &out->name_length)) {
    out->line = 1;
    return 1;
  }
  if (end1 == n || !is_blank_or_comment(s, end1))
    return 0;
  size_t start2 = after_break(s, n, end1);
  size_t end2 = line_end(s, n, start2);
  if (match_coding_spec(s + start2, end2 - start2, &out->name, &out->name_length)) {
    out->line = 2;
    return 1;
  }
  return 0;
}

/* Python's encodings.normalize_encoding() (runs of punctuation other than '.' become one '_',
 * none at either end), lowercased, with '.' then also turned into '_'. */
static void normalise_key(const char *name, size_t n, char *key) {
  size_t k = 0;
  int punct = 0;
  for (size_t i = 0; i < n; i++) {
    char c = to_lower(name[i]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.') {
      if (punct && k > 0)
        key[k++] = '_';
      key[k++] = c == '.' ? '_' : c;
      punct = 0;
    } else {
      punct = 1;
    }
  }
  key[k] = '\0';
}

static int in_word_list(const char *list, const char *word) {
  size_t length = strlen(word);
  while (*list) {
    const char *end = strchr(list, ' ');
    size_t n = end ? (size_t)(end - list) : strlen(list);
    if (n == length && memcmp(list, word, n) == 0)
      return 1;
    if (!end)
      break;
    list = end + 1;
  }
  return 0;
}

static const codec *find_codec(const char *name, size_t n) {
  if (n >= MAX_NAME)
    return NULL;
  /* CPython's tokenizer (get_normal_name) first: lowercase, '_' -> '-'. */
  char simple[MAX_NAME];
  for (size_t i = 0; i < n; i++)
    simple[i] = name[i] == '_' ? '-' : to_lower(name[i]);
  simple[n] = '\0';
  if (strcmp(simple, "utf-8") == 0 || strncmp(simple, "utf-8-", 6) == 0)
    return &codecs[CODEC_UTF8_INDEX];
  if (strcmp(simple, "latin-1") == 0 || strcmp(simple, "iso-8859-1") == 0 ||
      strcmp(simple, "iso-latin-1") == 0 || strncmp(simple, "latin-1-", 8) == 0 ||
      strncmp(simple, "iso-8859-1-", 11) == 0 || strncmp(simple, "iso-latin-1-", 12) == 0)
    return &codecs[CODEC_LATIN1_INDEX];
  /* Then the codec registry: module names and aliases. */
  char key[MAX_NAME * 2];
  normalise_key(name, n, key);
  for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++)
    if (strcmp(key, codecs[i].module) == 0 || in_word_list(codecs[i].aliases, key))
      return &codecs[i];
  return NULL;
}

/* ---- UTF-8 ---------------------------------------------------------------------------- */

size_t pf_utf8_sequence_length(const unsigned char *s, size_t n) {
  if (s[0] < 0x80)
    return 1;
  size_t need;
  unsigned char low = 0x80, high = 0xBF;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    need = 1;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    need = 2;
    if (s[0] == 0xE0)
      low = 0xA0;
    if (s[0] == 0xED)
      high = 0x9F;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    need = 3;
    if (s[0] == 0xF0)
      low = 0x90;
    if (s[0] == 0xF4)
      high = 0x8F;
  } else {
    return 0;
  }
  if (n <= need || s[1] < low || s[1] > high)
    return 0;
  for (size_t k = 2; k <= need; k++)
    if ((s[k] & 0xC0) != 0x80)
      return 0;
  return need + 1;
}

/* Offset of the first byte of the first invalid sequence, or n when all of s is valid UTF-8. */
static size_t utf8_invalid_at(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      /* Mostly ASCII: skip eight bytes at a time while none has its top bit set. */
      i++;
      while (i + 8 <= n) {
        uint64_t word;
        memcpy(&word, s + i, sizeof(word));
        if (word & UINT64_C(0x8080808080808080))
          break;
        i += 8;
      }
      continue;
    }
    size_t sequence = pf_utf8_sequence_length(s + i, n - i);
    if (!sequence)
      return i; /* continuation byte, overlong form, surrogate, above U+10FFFF, truncated */
    i += sequence;
  }
  return n;
}

uint32_t pf_skip_string_literal(const char *text, uint32_t length, uint32_t quote_at) {
  char quote = text[quote_at];
  int triple = quote_at + 2 < length && text[quote_at + 1] == quote && text[quote_at + 2] == quote;
  uint32_t i = quote_at + (triple ? 3 : 1);
  while (i < length) {
    if (text[i] == '\\') {
      i += 2;
      continue;
    }
    if (text[i] == quote && (!triple || (i + 2 < length && text[i + 1] == quote && text[i + 2] == quote)))
      return i + (triple ? 2 : 0);
    if (!triple && (text[i] == '\n' || text[i] == '\r'))
      return i;
    i++;
  }
  return length;
}

uint32_t pf_utf8_count_code_points(const char *text, uint32_t length) {
  uint32_t count = 0;
  if (!text)
    return 0;
  for (uint32_t i = 0; i < length; i++)
    count += ((unsigned char)text[i] & 0xC0) != 0x80;
  return count;
}

/* 1-based row and code point column of offset `upto` in valid UTF-8 `text`. */
static void locate(const char *text, size_t upto, unsigned long *row, unsigned long *column) {
  unsigned long r = 1, c = 1;
  for (size_t i = 0; i < upto; i++) {
    unsigned char b = (unsigned char)text[i];
    if (b == '\r' || (b == '\n' && (i == 0 || text[i - 1] != '\r'))) {
      r++;
      c = 1;
    } else if (b == '\n') {
      c = 1;
    } else if ((b & 0xC0) != 0x80) {
      c++;
    }
  }
  *row = r;
  *column = c;
}

/* ---- Decoding ------------------------------------------------------------------------- */

/* glibc's SHIFT_JIS reads 0x5C and 0x7E as YEN SIGN and OVERLINE, its JOHAB reads 0x5C as WON
 * SIGN; Python reads them as ASCII, as the backslashes of string escapes need. No double-byte
 * character decodes to those code points, so they are put back. Returns the new length. */
static size_t restore_ascii(const codec *c, char *s, size_t n) {
  int sjis = strcmp(c->module, "shift_jis") == 0, johab = strcmp(c->module, "johab") == 0;
  if (!sjis && !johab)
    return n;
  size_t j = 0;
  for (size_t i = 0; i < n;) {
    if (sjis && n - i >= 2 && memcmp(s + i, "\xC2\xA5", 2) == 0) {
      s[j++] = '\\';
      i += 2;
    } else if (sjis && n - i >= 3 && memcmp(s + i, "\xE2\x80\xBE", 3) == 0) {
      s[j++] = '~';
      i += 3;
    } else if (johab && n - i >= 3 && memcmp(s + i, "\xE2\x82\xA9", 3) == 0) {
      s[j++] = '\\';
      i += 3;
    } else {
      s[j++] = s[i++];
    }
  }
  return j;
}

/* Converts `in` from codec `c` to UTF-8 in a new buffer (NUL-terminated). */
static pf_load_status decode_iconv(const codec *c, const declaration *decl, const char *in, size_t in_length,
                                   char **out_text, size_t *out_length, char *error, size_t error_size,
                                   pf_position *decl_error_at) {
  iconv_t cd = iconv_open("UTF-8", c->iconv);
  if (cd == (iconv_t)-1) {
    set_error(error, error_size, "encoding '%s' declared on line %u is not available in this C library",
              c->name, (unsigned)decl->line);
    return PF_LOAD_DECODE;
  }
  size_t capacity = in_length + in_length / 2 + 16;
  if (capacity > PF_MAX_BUFFER || capacity < in_length)
    capacity = PF_MAX_BUFFER;
  char *buffer = malloc(capacity);
  if (!buffer) {
    iconv_close(cd);
    set_errno_error(error, error_size, ENOMEM);
    return PF_LOAD_IO;
  }
  char *in_pointer = (char *)(uintptr_t)in; /* iconv() does not write through it */
  size_t in_left = in_length;
  char *out_pointer = buffer;
  size_t out_left = capacity - 1;
  int flushing = 0;
  pf_load_status status = PF_LOAD_OK;
  for (;;) {
    size_t result = flushing ? iconv(cd, NULL, NULL, &out_pointer, &out_left)
                             : iconv(cd, &in_pointer, &in_left, &out_pointer, &out_left);
    if (result != (size_t)-1) {
      if (flushing)
        break;
      flushing = 1;
      continue;
    }
    int err = errno;
    size_t used = (size_t)(out_pointer - buffer);
    if (err == E2BIG) {
      if (capacity >= PF_MAX_BUFFER) {
        set_error(error, error_size, "decoded text is larger than 4294967295 bytes");
        status = PF_LOAD_TOO_LARGE;
        break;
      }
      size_t grown = capacity > PF_MAX_BUFFER / 2 ? PF_MAX_BUFFER : capacity * 2;
      char *bigger = realloc(buffer, grown);
      if (!bigger) {
        set_errno_error(error, error_size, ENOMEM);
        status = PF_LOAD_IO;
        break;
      }
      buffer = bigger;
      capacity = grown;
      out_pointer = buffer + used;
      out_left = capacity - 1 - used;
      continue;
    }
    if ((err == EILSEQ || err == EINVAL) && !flushing) {
      unsigned long row, column;
      locate(buffer, used, &row, &column);
      set_error(error, error_size, "invalid %s at line %lu, column %lu (byte 0x%02x)", c->name, row, column,
                (unsigned)(unsigned char)*in_pointer);
      decl_error_at->row = (uint32_t)row;
      decl_error_at->column = (uint32_t)column;
    } else {
      char reason[200];
      set_errno_error(reason, sizeof reason, err);
      set_error(error, error_size, "cannot decode %s: %s", c->name, reason);
    }
    status = PF_LOAD_DECODE;
    break;
  }
  iconv_close(cd);
  if (status != PF_LOAD_OK) {
    free(buffer);
    return status;
  }
  size_t length = restore_ascii(c, buffer, (size_t)(out_pointer - buffer));
  buffer[length] = '\0';
  /* glibc writes valid UTF-8; check anyway, since the whole pipeline relies on it. */
  if (utf8_invalid_at((const unsigned char *)buffer, length) != length) {
    free(buffer);
    set_error(error, error_size, "decoding %s produced invalid UTF-8", c->name);
    return PF_LOAD_DECODE;
  }
  *out_text = buffer;
  *out_length = length;
  return PF_LOAD_OK;
}

static pf_load_status build_line_index(pf_source *source, pf_source_buffers *buffers, char *error,
                                       size_t error_size) {
  const char *s = source->text;
  size_t n = source->length, breaks = 0;
  /* Without a CR every break is a LF, and memchr finds those far faster than a byte loop. */
  int lf_only = memchr(s, '\r', n) == NULL;
  for (const char *at = s; lf_only && (at = memchr(at, '\n', n - (size_t)(at - s))); at++)
    breaks++;
  for (size_t i = 0; i < n && !lf_only; i++) {
    if (s[i] == '\n' || s[i] == '\r') {
      breaks++;
      if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
        i++;
    }
  }
  if (breaks >= UINT32_MAX) {
    set_error(error, error_size, "file has more than 4294967295 lines");
    return PF_LOAD_TOO_LARGE;
  }
  size_t count = breaks + 1;
  if (count > SIZE_MAX / sizeof(uint32_t)) {
    set_errno_error(error, error_size, ENOMEM);
    return PF_LOAD_IO;
  }
  if (buffers) {
    if (count > buffers->capacity) {
      size_t capacity = buffers->capacity ? buffers->capacity : 1024;
      while (capacity < count)
        capacity = capacity > SIZE_MAX / 2 / sizeof(uint32_t) ? count : capacity * 2;
      uint32_t *grown = realloc(buffers->line_starts, capacity * sizeof(uint32_t));
      if (!grown) {
        set_errno_error(error, error_size, ENOMEM);
        return PF_LOAD_IO;
      }
      buffers->line_starts = grown;
      buffers->capacity = capacity;
    }
    source->line_starts = buffers->line_starts;
    source->borrowed |= PF_SOURCE_BORROWED_LINES;
  } else if (!(source->line_starts = malloc(count * sizeof(uint32_t)))) {
    set_errno_error(error, error_size, ENOMEM);
    return PF_LOAD_IO;
  }
  size_t line = 0;
  source->line_starts[line++] = 0;
  for (const char *at = s; lf_only && (at = memchr(at, '\n', n - (size_t)(at - s))); at++)
    source->line_starts[line++] = (uint32_t)(at - s + 1);
  for (size_t i = 0; i < n && !lf_only; i++) {
    if (s[i] == '\n' || s[i] == '\r') {
      if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
        i++;
      source->line_starts[line++] = (uint32_t)(i + 1);
    }
  }
  source->line_count = (uint32_t)count;
  return PF_LOAD_OK;
}

/* Decodes `raw` into `out`. When `owned` is not NULL it is `raw`, a malloc'd buffer with room
 * for a terminator after `length` bytes, and this function takes it over. With `buffers`
 * (pf_source_load_in_place), UTF-8 text is borrowed from `raw`, which has a NUL at
 * raw[length], and the line index goes into the buffers. */
static pf_load_status load(pf_source *out, char *owned, const char *raw, size_t length,
                           pf_source_buffers *buffers, char *error, size_t error_size) {
  char *text = NULL;
  size_t text_length = 0;
  pf_load_status status = PF_LOAD_OK;
  int bom = 0;
  const char *body = raw;
  size_t body_length = length;
  const codec *c = &codecs[CODEC_UTF8_INDEX];
  declaration decl = {NULL, 0, 0};
  if (length > PF_MAX_TEXT) {
    set_error(error, error_size, TOO_LARGE_MESSAGE);
    status = PF_LOAD_TOO_LARGE;
    goto done;
  }
  if (length >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
    bom = 1;
    body += 3;
    body_length -= 3;
  }
  if (find_declaration(body, body_length, &decl)) {
    int shown = decl.name_length > MAX_NAME ? MAX_NAME : (int)decl.name_length;
    c = find_codec(decl.name, decl.name_length);
    if (!c) {
      set_error(error, error_size, "unknown encoding '%.*s' declared on line %u", shown, decl.name,
                (unsigned)decl.line);
      out->decode_error_at.row = (uint32_t)decl.line;
      out->decode_error_at.column = 1;
      status = PF_LOAD_DECODE;
      goto done;
    }
    if (c->kind == CODEC_UNSUPPORTED) {
      set_error(error, error_size, "encoding '%.*s' declared on line %u cannot encode Python source", shown,
                decl.name, (unsigned)decl.line);
      out->decode_error_at.row = (uint32_t)decl.line;
      out->decode_error_at.column = 1;
      status = PF_LOAD_DECODE;
      goto done;
    }
    if (bom && c->kind != CODEC_UTF8) {
      set_error(error, error_size,
                "encoding '%.*s' declared on line %u conflicts with the UTF-8 byte order mark", shown,
                decl.name, (unsigned)decl.line);
      out->decode_error_at.row = (uint32_t)decl.line;
      out->decode_error_at.column = 1;
      status = PF_LOAD_DECODE;
      goto done;
    }
  }

  if (c->kind == CODEC_UTF8) {
    size_t bad = utf8_invalid_at((const unsigned char *)body, body_length);
    if (bad != body_length) {
      unsigned long row, column;
      locate(body, bad, &row, &column);
      set_error(error, error_size, "invalid UTF-8 at line %lu, column %lu (byte 0x%02x)", row, column,
                (unsigned)(unsigned char)body[bad]);
      out->decode_error_at.row = (uint32_t)row;
      out->decode_error_at.column = (uint32_t)column;
      status = PF_LOAD_DECODE;
      goto done;
    }
    if (buffers) {
      out->text = (char *)body; /* never written through: see PF_SOURCE_BORROWED_TEXT */
      out->borrowed |= PF_SOURCE_BORROWED_TEXT;
      text_length = body_length;
    } else if (owned) {
      memmove(owned, body, body_length);
      text = owned;
      owned = NULL;
    } else if (!(text = malloc(body_length + 1))) {
      set_errno_error(error, error_size, ENOMEM);
      status = PF_LOAD_IO;
      goto done;
    } else if (body_length) {
      memcpy(text, body, body_length);
    }
    if (text) {
      text[body_length] = '\0';
      text_length = body_length;
    }
  } else {
    status = decode_iconv(c, &decl, body, body_length, &text, &text_length, error, error_size,
                          &out->decode_error_at);
    if (status != PF_LOAD_OK)
      goto done;
    if (text_length > PF_MAX_TEXT) {
      set_error(error, error_size, "decoded text is larger than 4294967295 bytes");
      status = PF_LOAD_TOO_LARGE;
      goto done;
    }
  }

  if (text)
    out->text = text;
  out->length = (uint32_t)text_length;
  out->had_bom = bom;
  snprintf(out->encoding, sizeof out->encoding, "%s", c->name);
  text = NULL;
  status = build_line_index(out, buffers, error, error_size);
  if (status != PF_LOAD_OK)
    pf_source_free(out);

done:
  free(owned);
  free(text);
  return status;
}

pf_load_status pf_source_load_bytes(pf_source *out, const char *bytes, size_t length, char *error,
                                    size_t error_size) {
  if (error && error_size)
    error[0] = '\0';
  if (!out || (!bytes && length)) {
    set_errno_error(error, error_size, EINVAL);
    return PF_LOAD_IO;
  }
  memset(out, 0, sizeof *out);
  return load(out, NULL, bytes ? bytes : "", length, NULL, error, error_size);
}

pf_load_status pf_source_load_in_place(pf_source *out, const char *bytes, size_t length,
                                       pf_source_buffers *buffers, char *error, size_t error_size) {
  if (error && error_size)
    error[0] = '\0';
  if (!out || !bytes || !buffers || bytes[length] != '\0') {
    set_errno_error(error, error_size, EINVAL);
    return PF_LOAD_IO;
  }
  memset(out, 0, sizeof *out);
  return load(out, NULL, bytes, length, buffers, error, error_size);
}

void pf_source_buffers_free(pf_source_buffers *buffers) {
  free(buffers->line_starts);
  memset(buffers, 0, sizeof *buffers);
}

/* Reads fp to its end into a malloc'd buffer with room for a terminator. `hint` is the
 * expected size (0 when unknown). */
static pf_load_status read_all(FILE *fp, size_t hint, char **out_buffer, size_t *out_length, char *error,
                               size_t error_size) {
  size_t capacity = hint < PF_MAX_BUFFER - 2 ? hint + 2 : PF_MAX_BUFFER;
  if (capacity < 4096)
    capacity = 4096;
  char *buffer = malloc(capacity);
  if (!buffer) {
    set_errno_error(error, error_size, ENOMEM);
    return PF_LOAD_IO;
  }
  size_t length = 0;
  for (;;) {
    if (length == capacity - 1) {
      if (capacity >= PF_MAX_BUFFER) {
        /* Room for exactly one byte over the limit was used up: surely too large. */
        free(buffer);
        set_error(error, error_size, TOO_LARGE_MESSAGE);
        return PF_LOAD_TOO_LARGE;
      }
      size_t grown = capacity > PF_MAX_BUFFER / 2 ? PF_MAX_BUFFER : capacity * 2;
      char *bigger = realloc(buffer, grown);
      if (!bigger) {
        free(buffer);
        set_errno_error(error, error_size, ENOMEM);
        return PF_LOAD_IO;
      }
      buffer = bigger;
      capacity = grown;
    }
    size_t want = capacity - 1 - length;
    errno = 0;
    size_t got = fread(buffer + length, 1, want, fp);
    length += got;
    if (got < want) {
      if (ferror(fp)) {
        int err = errno ? errno : EIO;
        free(buffer);
        set_errno_error(error, error_size, err);
        return PF_LOAD_IO;
      }
      if (feof(fp))
        break;
    }
  }
  *out_buffer = buffer;
  *out_length = length;
  return PF_LOAD_OK;
}

static pf_load_status load_stream(pf_source *out, FILE *fp, char *error, size_t error_size) {
  size_t hint = 0;
  struct stat st;
  if (fstat(fileno(fp), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      set_errno_error(error, error_size, EISDIR);
      return PF_LOAD_IO;
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      if ((uintmax_t)st.st_size > PF_MAX_TEXT) {
        set_error(error, error_size, TOO_LARGE_MESSAGE);
        return PF_LOAD_TOO_LARGE;
      }
      hint = (size_t)st.st_size;
    }
  }
  char *buffer = NULL;
  size_t length = 0;
  pf_load_status status = read_all(fp, hint, &buffer, &length, error, error_size);
  if (status != PF_LOAD_OK)
    return status;
  return load(out, buffer, buffer, length, NULL, error, error_size);
}

pf_load_status pf_source_load_stream(pf_source *out, FILE *fp, char *error, size_t error_size) {
  if (error && error_size)
    error[0] = '\0';
  if (!out || !fp) {
    set_errno_error(error, error_size, EINVAL);
    return PF_LOAD_IO;
  }
  memset(out, 0, sizeof *out);
  return load_stream(out, fp, error, error_size);
}

pf_load_status pf_source_load_file(pf_source *out, const char *path, char *error, size_t error_size) {
  if (!path)
    return pf_source_load_stream(out, stdin, error, error_size);
  if (error && error_size)
    error[0] = '\0';
  if (!out) {
    set_errno_error(error, error_size, EINVAL);
    return PF_LOAD_IO;
  }
  memset(out, 0, sizeof *out);
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    set_errno_error(error, error_size, errno);
    return PF_LOAD_IO;
  }
  pf_load_status status = load_stream(out, fp, error, error_size);
  fclose(fp);
  return status;
}

void pf_source_free(pf_source *source) {
  if (!source)
    return;
  if (!(source->borrowed & PF_SOURCE_BORROWED_TEXT))
    free(source->text);
  if (!(source->borrowed & PF_SOURCE_BORROWED_LINES))
    free(source->line_starts);
  memset(source, 0, sizeof *source);
}

/* ---- Positions ------------------------------------------------------------------------ */

uint32_t pf_source_line_of(const pf_source *source, uint32_t byte_offset) {
  if (!source || !source->line_starts || source->line_count == 0)
    return 0;
  if (byte_offset > source->length)
    byte_offset = source->length;
  uint32_t low = 0, high = source->line_count - 1;
  while (low < high) {
    uint32_t middle = low + (high - low + 1) / 2;
    if (source->line_starts[middle] <= byte_offset)
      low = middle;
    else
      high = middle - 1;
  }
  return low;
}

pf_position pf_source_position_from(const pf_source *source, pf_position_cursor *cursor,
                                    uint32_t byte_offset) {
  pf_position position = {1, 1};
  if (!source || !source->text || !source->line_starts || source->line_count == 0)
    return position;
  if (byte_offset > source->length)
    byte_offset = source->length;
  uint32_t line = pf_source_line_of(source, byte_offset);
  uint32_t start = source->line_starts[line], column = 1;
  if (cursor && cursor->valid && cursor->line == line && cursor->offset >= start &&
      cursor->offset <= byte_offset) {
    start = cursor->offset;
    column = cursor->column;
  }
  position.row = line + 1;
  position.column = column + pf_utf8_count_code_points(source->text + start, byte_offset - start);
  if (cursor) {
    cursor->valid = 1;
    cursor->line = line;
    cursor->offset = byte_offset;
    cursor->column = position.column;
  }
  return position;
}

pf_position pf_source_position(const pf_source *source, uint32_t byte_offset) {
  return pf_source_position_from(source, NULL, byte_offset);
}

const char *pf_source_line_text(const pf_source *source, uint32_t line, uint32_t *length) {
  if (length)
    *length = 0;
  if (!source || !source->text || !source->line_starts || source->line_count == 0)
    return "";
  if (line >= source->line_count)
    return source->text + source->length;
  uint32_t start = source->line_starts[line];
  uint32_t end = source->length;
  if (line + 1 < source->line_count) {
    end = source->line_starts[line + 1];
    if (end - start >= 2 && source->text[end - 2] == '\r' && source->text[end - 1] == '\n')
      end -= 2;
    else
      end -= 1;
  }
  if (length)
    *length = end - start;
  return source->text + start;
}
