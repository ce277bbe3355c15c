/*
 * character_names.c: `\N{name}` lookup (see character_names.h).
 */
#include "character_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

/* Longer than any character name or alias (the longest is 88 characters). */
enum { NAME_CAPACITY = 128 };

typedef struct alias {
  const char *name;
  int32_t code_point;
} alias;

/* The aliases of NameAliases.txt (Unicode 14) that ICU's name data does not hold, in
 * strcmp order; `VS1`-`VS256` are computed instead. */
static const alias extra_aliases[] = {
    {"ACK", 0x0006},
    {"ACKNOWLEDGE", 0x0006},
    {"ALERT", 0x0007},
    {"ALM", 0x061C},
    {"APC", 0x009F},
    {"APPLICATION PROGRAM COMMAND", 0x009F},
    {"BACKSPACE", 0x0008},
    {"BEL", 0x0007},
    {"BOM", 0xFEFF},
    {"BPH", 0x0082},
    {"BREAK PERMITTED HERE", 0x0082},
    {"BS", 0x0008},
    {"BYTE ORDER MARK", 0xFEFF},
    {"CAN", 0x0018},
    {"CANCEL", 0x0018},
    {"CANCEL CHARACTER", 0x0094},
    {"CARRIAGE RETURN", 0x000D},
    {"CCH", 0x0094},
    {"CGJ", 0x034F},
    {"CHARACTER TABULATION", 0x0009},
    {"CHARACTER TABULATION SET", 0x0088},
    {"CHARACTER TABULATION WITH JUSTIFICATION", 0x0089},
    {"CONTROL SEQUENCE INTRODUCER", 0x009B},
    {"CR", 0x000D},
    {"CSI", 0x009B},
    {"DATA LINK ESCAPE", 0x0010},
    {"DC1", 0x0011},
    {"DC2", 0x0012},
    {"DC3", 0x0013},
    {"DC4", 0x0014},
    {"DCS", 0x0090},
    {"DEL", 0x007F},
    {"DELETE", 0x007F},
    {"DEVICE CONTROL FOUR", 0x0014},
    {"DEVICE CONTROL ONE", 0x0011},
    {"DEVICE CONTROL STRING", 0x0090},
    {"DEVICE CONTROL THREE", 0x0013},
    {"DEVICE CONTROL TWO", 0x0012},
    {"DLE", 0x0010},
    {"END OF GUARDED AREA", 0x0097},
    {"END OF LINE", 0x000A},
    {"END OF MEDIUM", 0x0019},
    {"END OF PROTECTED AREA", 0x0097},
    {"END OF SELECTED AREA", 0x0087},
    {"END OF TEXT", 0x0003},
    {"END OF TRANSMISSION", 0x0004},
    {"END OF TRANSMISSION BLOCK", 0x0017},
    {"ENQ", 0x0005},
    {"ENQUIRY", 0x0005},
    {"EOL", 0x000A},
    {"EOM", 0x0019},
    {"EOT", 0x0004},
    {"EPA", 0x0097},
    {"ESA", 0x0087},
    {"ESC", 0x001B},
    {"ESCAPE", 0x001B},
    {"ETB", 0x0017},
    {"ETX", 0x0003},
    {"FF", 0x000C},
    {"FILE SEPARATOR", 0x001C},
    {"FORM FEED", 0x000C},
    {"FS", 0x001C},
    {"FSI", 0x2068},
    {"FVS1", 0x180B},
    {"FVS2", 0x180C},
    {"FVS3", 0x180D},
    {"FVS4", 0x180F},
    {"GROUP SEPARATOR", 0x001D},
    {"GS", 0x001D},
    {"HIGH OCTET PRESET", 0x0081},
    {"HOP", 0x0081},
    {"HORIZONTAL TABULATION", 0x0009},
    {"HORIZONTAL TABULATION SET", 0x0088},
    {"HORIZONTAL TABULATION WITH JUSTIFICATION", 0x0089},
    {"HT", 0x0009},
    {"HTJ", 0x0089},
    {"HTS", 0x0088},
    {"IND", 0x0084},
    {"INDEX", 0x0084},
    {"INFORMATION SEPARATOR FOUR", 0x001C},
    {"INFORMATION SEPARATOR ONE", 0x001F},
    {"INFORMATION SEPARATOR THREE", 0x001D},
    {"INFORMATION SEPARATOR TWO", 0x001E},
    {"LF", 0x000A},
    {"LINE FEED", 0x000A},
    {"LINE TABULATION", 0x000B},
    {"LINE TABULATION SET", 0x008A},
    {"LOCKING-SHIFT ONE", 0x000E},
    {"LOCKING-SHIFT ZERO", 0x000F},
    {"LRE", 0x202A},
    {"LRI", 0x2066},
    {"LRM", 0x200E},
    {"LRO", 0x202D},
    {"MESSAGE WAITING", 0x0095},
    {"MMSP", 0x205F},
    {"MVS", 0x180E},
    {"MW", 0x0095},
    {"NAK", 0x0015},
    {"NBH", 0x0083},
    {"NBSP", 0x00A0},
    {"NEGATIVE ACKNOWLEDGE", 0x0015},
    {"NEL", 0x0085},
    {"NEW LINE", 0x000A},
    {"NEXT LINE", 0x0085},
    {"NL", 0x000A},
    {"NNBSP", 0x202F},
    {"NO BREAK HERE", 0x0083},
    {"NUL", 0x0000},
    {"NULL", 0x0000},
    {"OPERATING SYSTEM COMMAND", 0x009D},
    {"OSC", 0x009D},
    {"PAD", 0x0080},
    {"PADDING CHARACTER", 0x0080},
    {"PARTIAL LINE BACKWARD", 0x008C},
    {"PARTIAL LINE DOWN", 0x008B},
    {"PARTIAL LINE FORWARD", 0x008B},
    {"PARTIAL LINE UP", 0x008C},
    {"PDF", 0x202C},
    {"PDI", 0x2069},
    {"PLD", 0x008B},
    {"PLU", 0x008C},
    {"PM", 0x009E},
    {"PRIVACY MESSAGE", 0x009E},
    {"PRIVATE USE ONE", 0x0091},
    {"PRIVATE USE TWO", 0x0092},
    {"PRIVATE USE-1", 0x0091},
    {"PRIVATE USE-2", 0x0092},
    {"PU1", 0x0091},
    {"PU2", 0x0092},
    {"RECORD SEPARATOR", 0x001E},
    {"REVERSE INDEX", 0x008D},
    {"REVERSE LINE FEED", 0x008D},
    {"RI", 0x008D},
    {"RLE", 0x202B},
    {"RLI", 0x2067},
    {"RLM", 0x200F},
    {"RLO", 0x202E},
    {"RS", 0x001E},
    {"SCI", 0x009A},
    {"SET TRANSMIT STATE", 0x0093},
    {"SGC", 0x0099},
    {"SHIFT IN", 0x000F},
    {"SHIFT OUT", 0x000E},
    {"SHY", 0x00AD},
    {"SI", 0x000F},
    {"SINGLE CHARACTER INTRODUCER", 0x009A},
    {"SINGLE GRAPHIC CHARACTER INTRODUCER", 0x0099},
    {"SINGLE SHIFT THREE", 0x008F},
    {"SINGLE SHIFT TWO", 0x008E},
    {"SINGLE-SHIFT-2", 0x008E},
    {"SINGLE-SHIFT-3", 0x008F},
    {"SO", 0x000E},
    {"SOH", 0x0001},
    {"SOS", 0x0098},
    {"SP", 0x0020},
    {"SPA", 0x0096},
    {"SS2", 0x008E},
    {"SS3", 0x008F},
    {"SSA", 0x0086},
    {"ST", 0x009C},
    {"START OF GUARDED AREA", 0x0096},
    {"START OF HEADING", 0x0001},
    {"START OF PROTECTED AREA", 0x0096},
    {"START OF SELECTED AREA", 0x0086},
    {"START OF STRING", 0x0098},
    {"START OF TEXT", 0x0002},
    {"STRING TERMINATOR", 0x009C},
    {"STS", 0x0093},
    {"STX", 0x0002},
    {"SUB", 0x001A},
    {"SUBSTITUTE", 0x001A},
    {"SYN", 0x0016},
    {"SYNCHRONOUS IDLE", 0x0016},
    {"TAB", 0x0009},
    {"UNIT SEPARATOR", 0x001F},
    {"US", 0x001F},
    {"VERTICAL TABULATION", 0x000B},
    {"VERTICAL TABULATION SET", 0x008A},
    {"VT", 0x000B},
    {"VTS", 0x008A},
    {"WJ", 0x2060},
    {"ZWJ", 0x200D},
    {"ZWNBSP", 0xFEFF},
    {"ZWNJ", 0x200C},
    {"ZWSP", 0x200B},
};

static int compare_alias(const void *key, const void *element) {
  return strcmp((const char *)key, ((const alias *)element)->name);
}

static int starts_with(const char *text, size_t length, const char *prefix) {
  size_t prefix_length = strlen(prefix);
  return length >= prefix_length && memcmp(text, prefix, prefix_length) == 0;
}

/* `VS1`-`VS16` are U+FE00-U+FE0F, `VS17`-`VS256` U+E0100-U+E01EF (no leading zeros). */
static int32_t variation_selector(const char *upper, size_t length) {
  if (length < 3 || length > 5 || upper[0] != 'V' || upper[1] != 'S' || upper[2] == '0')
    return -1;
  int number = 0;
  for (size_t i = 2; i < length; i++) {
    if (upper[i] < '0' || upper[i] > '9')
      return -1;
    number = number * 10 + (upper[i] - '0');
  }
  if (number < 1 || number > 256)
    return -1;
  return number <= 16 ? 0xfe00 + number - 1 : 0xe0100 + number - 17;
}

static int32_t icu_lookup(UCharNameChoice choice, const char *name) {
  UErrorCode status = U_ZERO_ERROR;
  UChar32 code_point = u_charFromName(choice, name, &status);
  return U_SUCCESS(status) ? (int32_t)code_point : -1;
}

int32_t pf_character_from_name(const char *name, size_t length) {
  if (length == 0 || length >= NAME_CAPACITY)
    return -1;
  char upper[NAME_CAPACITY], written[NAME_CAPACITY];
  for (size_t i = 0; i < length; i++) {
    char c = name[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '-'))
      return -1;
    written[i] = c;
    upper[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
  }
  upper[length] = written[length] = '\0';
  /* Python computes these two families itself, from capitals only; any other spelling is
   * looked up in its table, which does not hold them. */
  static const char hangul[] = "HANGUL SYLLABLE ", ideograph[] = "CJK UNIFIED IDEOGRAPH-";
  if (starts_with(upper, length, hangul) || starts_with(upper, length, ideograph)) {
    if (strcmp(upper, written) != 0)
      return -1;
    if (!starts_with(upper, length, ideograph))
      return icu_lookup(U_UNICODE_CHAR_NAME, upper);
    /* Four or five hex digits ("04E00" too); the code point must be a unified ideograph. */
    size_t digits = length - (sizeof(ideograph) - 1);
    if ((digits != 4 && digits != 5) || strspn(upper + sizeof(ideograph) - 1, "0123456789ABCDEF") != digits)
      return -1;
    unsigned long value = strtoul(upper + sizeof(ideograph) - 1, NULL, 16);
    char canonical[NAME_CAPACITY];
    snprintf(canonical, sizeof(canonical), "%s%04lX", ideograph, value);
    return icu_lookup(U_UNICODE_CHAR_NAME, canonical);
  }
  if (starts_with(upper, length, "TANGUT IDEOGRAPH-"))
    return -1;
  int32_t code_point = icu_lookup(U_UNICODE_CHAR_NAME, upper);
  if (code_point < 0)
    code_point = icu_lookup(U_CHAR_NAME_ALIAS, upper);
  if (code_point < 0)
    code_point = variation_selector(upper, length);
  if (code_point < 0) {
    const alias *found = bsearch(upper, extra_aliases, sizeof(extra_aliases) / sizeof(extra_aliases[0]),
                                 sizeof(extra_aliases[0]), compare_alias);
    code_point = found ? found->code_point : -1;
  }
  return code_point;
}
