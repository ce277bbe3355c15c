/*
 * report_text.c: the formats for people: `concise` (flake8's path:row:col: CODE message),
 * `full` (each finding, then its source lines with a line number gutter and the range
 * underlined with carets, then the rule's one-line help, as ruff and rustc show them), and
 * the --statistics table.
 *
 * Source lines come from the excerpt captured at lint time (capture.h); a line cut to a
 * window shows an ellipsis where it goes on. Carets are placed
 * by display width, not by code point: a tab shows as four spaces, East Asian wide
 * characters and emoji take two cells, combining marks none. Control characters in source
 * lines, messages and paths are shown as visible symbols (U+2400..U+2421, U+FFFD), never
 * passed to the terminal. Colour (ANSI) only when pf_run_report.color is set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "registry.h"
#include "report.h"
#include "rule.h"

enum { TAB_WIDTH = 4 };

#define STYLE_BOLD "\x1b[1m"
#define STYLE_CYAN "\x1b[36m"
#define STYLE_GUTTER "\x1b[1;34m"
#define STYLE_ERROR "\x1b[1;31m"
#define STYLE_WARNING "\x1b[1;33m"
#define STYLE_HELP "\x1b[1;36m"
#define STYLE_RESET "\x1b[0m"

typedef struct painter {
  FILE *out;
  int color;
} painter;

static void paint(const painter *p, const char *style) {
  if (p->color)
    fputs(style, p->out);
}

static const char *severity_style(pf_severity severity) {
  return severity == PF_SEVERITY_ERROR ? STYLE_ERROR : STYLE_WARNING;
}

/* ---- UTF-8 and display width ---- */

/* The code point at text[*index], advancing *index past it; a byte that does not start a
 * valid UTF-8 sequence (a file name in a legacy encoding) is U+FFFD, one byte long. */
static uint32_t next_code_point(const char *text, size_t length, size_t *index) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = *index;
  size_t sequence = pf_utf8_sequence_length(s + i, length - i);
  if (sequence == 0) {
    *index = i + 1;
    return 0xFFFD;
  }
  uint32_t c = s[i];
  if (sequence > 1)
    c &= 0x7F >> sequence;
  for (size_t k = 1; k < sequence; k++)
    c = (c << 6) | (s[i + k] & 0x3F);
  *index = i + sequence;
  return c;
}

static int in_ranges(uint32_t c, const uint32_t (*ranges)[2], size_t count) {
  for (size_t i = 0; i < count; i++)
    if (c >= ranges[i][0] && c <= ranges[i][1])
      return 1;
  return 0;
}

/* Cells a code point takes in a terminal (tabs excluded): 0 for combining marks and
 * zero-width characters, 2 for East Asian wide and fullwidth characters and emoji. */
static int code_point_width(uint32_t c) {
  static const uint32_t zero[][2] = {
      {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
      {0x064B, 0x065F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
      {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF},
      {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
  };
  static const uint32_t wide[][2] = {
      {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
      {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
      {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
      {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
      {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
      {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
      {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
      {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
      {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
      {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
      {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
      {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF},
      {0x20000, 0x3FFFD},
  };
  if (c < 0x300)
    return 1;
  if (in_ranges(c, zero, sizeof(zero) / sizeof(zero[0])))
    return 0;
  return in_ranges(c, wide, sizeof(wide) / sizeof(wide[0])) ? 2 : 1;
}

static int is_control(uint32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

/* Writes one code point as it should appear: tabs expanded, control characters replaced
 * by their visible symbols. */
static void put_code_point(FILE *out, uint32_t c, int expand_tabs) {
  if (c == '\t' && expand_tabs) {
    fputs("    ", out);
  } else if (is_control(c)) {
    /* U+2400 + c for C0, U+2421 for DEL, U+FFFD for C1. */
    uint32_t shown = c < 0x20 ? 0x2400 + c : c == 0x7F ? 0x2421 : 0xFFFD;
    fputc((int)(0xE0 | (shown >> 12)), out);
    fputc((int)(0x80 | ((shown >> 6) & 0x3F)), out);
    fputc((int)(0x80 | (shown & 0x3F)), out);
  } else {
    char bytes[4];
    size_t n = 0;
    if (c < 0x80) {
      bytes[n++] = (char)c;
    } else if (c < 0x800) {
      bytes[n++] = (char)(0xC0 | (c >> 6));
      bytes[n++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      bytes[n++] = (char)(0xE0 | (c >> 12));
      bytes[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
      bytes[n++] = (char)(0x80 | (c & 0x3F));
    } else {
      bytes[n++] = (char)(0xF0 | (c >> 18));
      bytes[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
      bytes[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
      bytes[n++] = (char)(0x80 | (c & 0x3F));
    }
    fwrite(bytes, 1, n, out);
  }
}

static int shown_width(uint32_t c) {
  if (c == '\t')
    return TAB_WIDTH;
  if (is_control(c))
    return 1;
  return code_point_width(c);
}

/* Writes text with control characters made visible (tabs too, in one-line output). */
static void put_visible(FILE *out, const char *text, int expand_tabs) {
  size_t length = strlen(text);
  for (size_t i = 0; i < length;) {
    unsigned char b = (unsigned char)text[i];
    if (b >= 0x20 && b < 0x7F) {
      fputc(b, out);
      i++;
      continue;
    }
    put_code_point(out, next_code_point(text, length, &i), expand_tabs);
  }
}

/* ---- concise ---- */

static void put_header(const painter *p, const char *path, const pf_diagnostic *d) {
  paint(p, STYLE_BOLD);
  put_visible(p->out, path, 0);
  paint(p, STYLE_RESET);
  paint(p, STYLE_CYAN);
  fputc(':', p->out);
  paint(p, STYLE_RESET);
  fprintf(p->out, "%u", d->start.row);
  paint(p, STYLE_CYAN);
  fputc(':', p->out);
  paint(p, STYLE_RESET);
  fprintf(p->out, "%u", d->start.column);
  paint(p, STYLE_CYAN);
  fputc(':', p->out);
  paint(p, STYLE_RESET);
  fputc(' ', p->out);
  paint(p, severity_style(d->severity));
  fputs(d->rule->code, p->out);
  paint(p, STYLE_RESET);
  fputc(' ', p->out);
  put_visible(p->out, d->message, 0);
  fputc('\n', p->out);
}

void pf_emit_concise(FILE *out, const pf_run_report *report) {
  painter p = {out, report->color};
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_file_result *file = &report->files[f];
    for (size_t i = 0; i < file->diagnostics.count; i++)
      put_header(&p, file->path, &file->diagnostics.items[i]);
  }
}

/* ---- full ---- */

static int digits(uint32_t value) {
  int count = 1;
  while (value >= 10) {
    value /= 10;
    count++;
  }
  return count;
}

static void put_gutter(const painter *p, int width, const char *label) {
  paint(p, STYLE_GUTTER);
  fprintf(p->out, "%*s |", width, label);
  paint(p, STYLE_RESET);
}

static void put_repeated(FILE *out, char c, size_t count) {
  for (size_t i = 0; i < count; i++)
    fputc(c, out);
}

/* The part of the finding's range on an excerpt line, as 1-based code point columns
 * [from, to) of the source line; returns 0 when nothing on that line is underlined. */
static int underline_on_line(const pf_diagnostic *d, const pf_excerpt_line *line, uint32_t last_column,
                             uint32_t *from, uint32_t *to) {
  uint32_t first_visible = line->first_column;
  if (!line->cut_before)
    for (uint32_t i = 0;
         i < line->length && (line->text[i] == ' ' || line->text[i] == '\t' || line->text[i] == '\f'); i++)
      first_visible++;
  *from = line->row == d->start.row ? d->start.column : first_visible;
  *to = line->row == d->end.row ? d->end.column : last_column + 1;
  if (line->row == d->start.row && line->row == d->end.row)
    return 1; /* a single-line range, possibly empty: always shown */
  if (line->row != d->start.row && *from > last_column)
    return 0; /* a blank line inside the range */
  return *to > *from || line->row == d->start.row;
}

/* U+2026, marking where a long line was cut. */
static const char ellipsis[] = "\xe2\x80\xa6";

static void put_source_line(const painter *p, const pf_diagnostic *d, const pf_excerpt_line *line, int gutter,
                            int is_last) {
  char number[16];
  snprintf(number, sizeof(number), "%u", line->row);
  put_gutter(p, gutter, number);
  uint32_t count = 0;
  for (size_t i = 0; i < line->length; count++)
    next_code_point(line->text, line->length, &i);
  uint32_t last_column = line->first_column + count - 1; /* of the text kept */

  uint32_t from, to;
  int underlined = underline_on_line(d, line, last_column, &from, &to);
  size_t width_before = 0, width_inside = 0;
  if (line->length || line->cut_before)
    fputc(' ', p->out);
  if (line->cut_before) {
    fputs(ellipsis, p->out);
    width_before++;
  }
  uint32_t column = line->first_column;
  for (size_t i = 0; i < line->length; column++) {
    uint32_t c = next_code_point(line->text, line->length, &i);
    put_code_point(p->out, c, 1);
    int width = shown_width(c);
    if (column < from)
      width_before += (size_t)width;
    else if (column < to)
      width_inside += (size_t)width;
  }
  if (line->cut_after)
    fputs(ellipsis, p->out);
  fputc('\n', p->out);
  if (!underlined)
    return;
  if (from > last_column + 1 && !line->cut_after) /* a column past the end: just after it */
    width_before += from - last_column - 1;
  put_gutter(p, gutter, "");
  fputc(' ', p->out);
  put_repeated(p->out, ' ', width_before);
  paint(p, severity_style(d->severity));
  put_repeated(p->out, '^', width_inside ? width_inside : 1);
  if (is_last) {
    fputc(' ', p->out);
    fputs(d->rule->code, p->out);
  }
  paint(p, STYLE_RESET);
  fputc('\n', p->out);
}

static int excerpt_gutter(const pf_diagnostic *d) {
  return d->excerpt && d->excerpt->line_count ? digits(d->excerpt->lines[d->excerpt->line_count - 1].row) : 1;
}

static void put_excerpt(const painter *p, const pf_diagnostic *d) {
  const pf_excerpt *excerpt = d->excerpt;
  int gutter = excerpt_gutter(d);
  put_gutter(p, gutter, "");
  fputc('\n', p->out);
  for (uint32_t index = 0; index < excerpt->line_count; index++) {
    const pf_excerpt_line *line = &excerpt->lines[index];
    if (index > 0 && line->row != excerpt->lines[index - 1].row + 1) {
      paint(p, STYLE_GUTTER);
      fputs("...\n", p->out); /* the lines between are not shown, as rustc marks them */
      paint(p, STYLE_RESET);
    }
    put_source_line(p, d, line, gutter, index + 1 == excerpt->line_count);
  }
  put_gutter(p, gutter, "");
  fputc('\n', p->out);
}

static void put_note(const painter *p, int gutter, const char *label, const char *format_text) {
  fprintf(p->out, "%*s ", gutter, "");
  paint(p, STYLE_HELP);
  fprintf(p->out, "= %s:", label);
  paint(p, STYLE_RESET);
  fputc(' ', p->out);
  put_visible(p->out, format_text, 0);
  fputc('\n', p->out);
}

void pf_emit_full(FILE *out, const pf_run_report *report) {
  painter p = {out, report->color};
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_file_result *file = &report->files[f];
    for (size_t i = 0; i < file->diagnostics.count; i++) {
      const pf_diagnostic *d = &file->diagnostics.items[i];
      put_header(&p, file->path, d);
      int gutter = excerpt_gutter(d);
      if (d->excerpt)
        put_excerpt(&p, d);
      if (d->has_related) {
        size_t length = strlen(file->path) + strlen(d->related_message ? d->related_message : "") + 64;
        char *note = pf_xmalloc(length);
        snprintf(note, length, "%s:%u:%u: %s", file->path, d->related_start.row, d->related_start.column,
                 d->related_message ? d->related_message : "");
        put_note(&p, gutter, "note", note);
        free(note);
      }
      size_t length = strlen(d->rule->summary) + strlen(d->rule->code) + 64;
      char *help = pf_xmalloc(length);
      snprintf(help, length, "%s; see `pitfall rule %s`", d->rule->summary, d->rule->code);
      put_note(&p, gutter, "help", help);
      free(help);
      fputc('\n', out);
    }
  }
}

/* ---- statistics ---- */

void pf_emit_statistics_text(FILE *out, const pf_run_report *report) {
  pf_rule_tally *counts = pf_xcalloc(pf_rule_count ? pf_rule_count : 1, sizeof(pf_rule_tally));
  size_t used = pf_report_count_by_rule(report, counts);
  size_t widest = 0;
  for (size_t i = 0; i < used; i++) {
    int width = snprintf(NULL, 0, "%zu", counts[i].count);
    if ((size_t)width > widest)
      widest = (size_t)width;
  }
  for (size_t i = 0; i < used; i++)
    fprintf(out, "%*zu  %s  %s\n", (int)widest, counts[i].count, counts[i].rule->code, counts[i].rule->name);
  free(counts);
}
