/*
 * capture.h: what reporters need from a file's source, taken while the source is still in
 * memory.
 *
 * The engine reads each file once and releases its text as soon as the file is linted, so
 * a reporter that shows source lines (`full`) or identifies a finding by the content of its
 * line (SARIF partialFingerprints) cannot look at the file again. The output format declares
 * what it needs (pf_output_format.capture), the run hands that to the linter (pf_linter_set_capture),
 * and pf_capture fills the matching pf_diagnostic fields for every finding of the file.
 * Nothing is captured, and nothing costs, when the format needs neither.
 *
 * Bounds: an excerpt holds at most PF_EXCERPT_MAX_LINES lines of at most
 * PF_EXCERPT_MAX_COLUMNS code points each (a window around the range on longer lines), and
 * the work per finding does not grow with the length of its line, so a minified file with a
 * huge line and many findings costs neither quadratic time nor quadratic memory.
 */
#ifndef PITFALL_CAPTURE_H
#define PITFALL_CAPTURE_H

#include "diag.h"
#include "source.h"

enum {
  PF_CAPTURE_EXCERPT = 1u << 0,     /* the finding's source lines (pf_diagnostic.excerpt) */
  PF_CAPTURE_FINGERPRINT = 1u << 1, /* a hash of the finding's line (pf_diagnostic.fingerprint) */
};

enum {
  /* A range spanning more lines than PF_EXCERPT_MAX_LINES is excerpted as its first
   * PF_EXCERPT_HEAD_LINES lines and its last line. */
  PF_EXCERPT_MAX_LINES = 6,
  PF_EXCERPT_HEAD_LINES = 4,
  /* A longer line is cut to a window of this many code points, from the line's start, or,
   * when the range starts past column PF_EXCERPT_MAX_COLUMNS - PF_EXCERPT_LEAD_COLUMNS,
   * from PF_EXCERPT_LEAD_COLUMNS code points before the range. */
  PF_EXCERPT_MAX_COLUMNS = 160,
  PF_EXCERPT_LEAD_COLUMNS = 40,
};

/* One source line, or the window of it that is kept. */
typedef struct pf_excerpt_line {
  uint32_t row;                        /* 1-based */
  uint32_t first_column;               /* 1-based code point column of text[0] in the line */
  uint32_t length;                     /* bytes of text (no line break, not NUL-terminated) */
  unsigned char cut_before, cut_after; /* the line goes on before / after the text */
  const char *text;
} pf_excerpt_line;

/* One allocation (free() releases it): the lines in row order; rows are consecutive except
 * between the head and the last line of an elided range. */
typedef struct pf_excerpt {
  uint32_t line_count;
  pf_excerpt_line lines[];
} pf_excerpt;

/* Fills what `what` asks for in every diagnostic of `list`, whose positions must already be
 * resolved against `source` and which must be sorted (pf_diagnostic_list_sort). */
void pf_capture(pf_diagnostic_list *list, const pf_source *source, unsigned what);

/* 64-bit FNV-1a, continued from `hash` (start with PF_FNV_OFFSET). */
#define PF_FNV_OFFSET 0xcbf29ce484222325ull
uint64_t pf_fnv1a(uint64_t hash, const void *bytes, size_t length);

#endif
