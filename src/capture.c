/*
 * capture.c: source excerpts and line fingerprints taken at lint time (see capture.h).
 *
 * The fingerprint of a finding hashes its rule, the text of its first line with every
 * whitespace character removed, and how many non-whitespace bytes precede the finding on
 * that line; its occurrence counts the earlier lines of the file whose whitespace-free text
 * is the same. Inserting, deleting or re-indenting other lines changes neither, so code
 * scanning keeps recognising the finding when unrelated code moves.
 */
#include "capture.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "rule.h"

uint64_t pf_fnv1a(uint64_t hash, const void *bytes, size_t length) {
  const unsigned char *data = bytes;
  for (size_t i = 0; i < length; i++) {
    hash ^= data[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}

/* Hashes an integer as 8 little-endian bytes, so fingerprints agree across machines. */
static uint64_t fnv1a_integer(uint64_t hash, uint64_t value) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; i++)
    bytes[i] = (unsigned char)(value >> (8 * i));
  return pf_fnv1a(hash, bytes, sizeof(bytes));
}

static int is_whitespace(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r'; }

static uint64_t stripped_line_hash(const char *text, uint32_t length) {
  uint64_t hash = PF_FNV_OFFSET;
  for (uint32_t i = 0; i < length; i++)
    if (!is_whitespace(text[i]))
      hash = pf_fnv1a(hash, &text[i], 1);
  return hash;
}

/* ---- excerpts ---- */

/* Moves `at` back over up to `count` code points, not before `floor`. */
static uint32_t back_code_points(const char *text, uint32_t at, uint32_t floor, uint32_t count,
                                 uint32_t *moved) {
  *moved = 0;
  while (at > floor && *moved < count) {
    at--;
    while (at > floor && ((unsigned char)text[at] & 0xC0) == 0x80)
      at--;
    (*moved)++;
  }
  return at;
}

/* Moves `at` forward over up to `count` code points, not past `ceiling`. */
static uint32_t forward_code_points(const char *text, uint32_t at, uint32_t ceiling, uint32_t count) {
  for (uint32_t moved = 0; at < ceiling && moved < count; moved++) {
    at++;
    while (at < ceiling && ((unsigned char)text[at] & 0xC0) == 0x80)
      at++;
  }
  return at;
}

/* The part of 1-based `row` to keep: all of it when it has at most PF_EXCERPT_MAX_COLUMNS
 * code points; else a window of that many, from the line's start unless the range starts
 * on this row too far in to be seen. */
static pf_excerpt_line excerpt_window(const pf_diagnostic *diagnostic, const pf_source *source,
                                      uint32_t row) {
  pf_excerpt_line line = {0};
  uint32_t length;
  const char *text = pf_source_line_text(source, row - 1, &length);
  uint32_t line_start = (uint32_t)(text - source->text), line_end = line_start + length;
  uint32_t anchor = line_start, anchor_column = 1;
  if (row == diagnostic->start.row && diagnostic->start_byte >= line_start &&
      diagnostic->start_byte <= line_end) {
    anchor = diagnostic->start_byte;
    anchor_column = diagnostic->start.column;
  }
  /* The whole line when it fits, or when the anchor is near enough its start; else a window
   * starting PF_EXCERPT_LEAD_COLUMNS before the anchor. */
  uint32_t moved = 0, from = line_start;
  int fits = forward_code_points(source->text, line_start, line_end, PF_EXCERPT_MAX_COLUMNS) == line_end;
  if (!fits && anchor_column > PF_EXCERPT_MAX_COLUMNS - PF_EXCERPT_LEAD_COLUMNS)
    from = back_code_points(source->text, anchor, line_start, PF_EXCERPT_LEAD_COLUMNS, &moved);
  else
    anchor_column = 1;
  uint32_t to = forward_code_points(source->text, from, line_end, PF_EXCERPT_MAX_COLUMNS);
  line.row = row;
  line.first_column = anchor_column - moved;
  line.length = to - from;
  line.cut_before = from > line_start;
  line.cut_after = to < line_end;
  line.text = source->text + from; /* repointed into the excerpt's own copy */
  return line;
}

static void capture_excerpt(pf_diagnostic *diagnostic, const pf_source *source) {
  uint32_t first_row = diagnostic->start.row ? diagnostic->start.row : 1;
  uint32_t last_row = diagnostic->end.row;
  /* A range that ends at the start of a line does not show that line. */
  if (last_row > first_row && diagnostic->end.column == 1)
    last_row--;
  if (last_row < first_row)
    last_row = first_row;
  if (first_row > source->line_count)
    first_row = source->line_count;
  if (last_row > source->line_count)
    last_row = source->line_count;
  uint32_t span = last_row - first_row + 1;
  uint32_t count = span <= PF_EXCERPT_MAX_LINES ? span : PF_EXCERPT_HEAD_LINES + 1;

  pf_excerpt_line lines[PF_EXCERPT_MAX_LINES];
  size_t text_bytes = 0;
  for (uint32_t index = 0; index < count; index++) {
    uint32_t row =
        span <= PF_EXCERPT_MAX_LINES || index < PF_EXCERPT_HEAD_LINES ? first_row + index : last_row;
    lines[index] = excerpt_window(diagnostic, source, row);
    text_bytes += lines[index].length;
  }
  size_t header = sizeof(pf_excerpt) + count * sizeof(pf_excerpt_line);
  pf_excerpt *excerpt = pf_xmalloc(header + text_bytes + 1);
  excerpt->line_count = count;
  char *copy = (char *)excerpt + header;
  for (uint32_t index = 0; index < count; index++) {
    excerpt->lines[index] = lines[index];
    memcpy(copy, lines[index].text, lines[index].length);
    excerpt->lines[index].text = copy;
    copy += lines[index].length;
  }
  *copy = '\0';
  free(diagnostic->excerpt);
  diagnostic->excerpt = excerpt;
}

/* ---- fingerprints ---- */

typedef struct line_key {
  uint64_t hash;
  uint32_t line;
} line_key;

static int compare_line_keys(const void *left_pointer, const void *right_pointer) {
  const line_key *left = left_pointer, *right = right_pointer;
  if (left->hash != right->hash)
    return left->hash < right->hash ? -1 : 1;
  return left->line < right->line ? -1 : left->line > right->line;
}

/* occurrence[line] = 1 + the number of earlier lines with the same whitespace-free text;
 * hashes[line] = the hash of that text. Sorting keeps this O(n log n) for any number of
 * findings. */
static void line_occurrences(const pf_source *source, uint64_t *hashes, uint32_t *occurrence) {
  line_key *keys = pf_xmalloc((size_t)source->line_count * sizeof(line_key));
  for (uint32_t line = 0; line < source->line_count; line++) {
    uint32_t length;
    const char *text = pf_source_line_text(source, line, &length);
    hashes[line] = stripped_line_hash(text, length);
    keys[line].hash = hashes[line];
    keys[line].line = line;
  }
  qsort(keys, source->line_count, sizeof(line_key), compare_line_keys);
  uint32_t run = 0;
  for (uint32_t i = 0; i < source->line_count; i++) {
    run = i > 0 && keys[i].hash == keys[i - 1].hash ? run + 1 : 1;
    occurrence[keys[i].line] = run;
  }
  free(keys);
}

static void capture_fingerprints(pf_diagnostic_list *list, const pf_source *source) {
  uint64_t *hashes = pf_xmalloc((size_t)source->line_count * sizeof(uint64_t));
  uint32_t *occurrence = pf_xmalloc((size_t)source->line_count * sizeof(uint32_t));
  line_occurrences(source, hashes, occurrence);
  /* Non-whitespace bytes before each start, counted on from the previous finding of the
   * same line (the list is sorted), so many findings on one long line cost one pass. */
  uint32_t counted_line = UINT32_MAX, counted_to = 0, visible_before = 0;
  for (size_t i = 0; i < list->count; i++) {
    pf_diagnostic *diagnostic = &list->items[i];
    uint32_t line = diagnostic->start.row ? diagnostic->start.row - 1 : 0;
    if (line >= source->line_count)
      line = source->line_count - 1;
    uint32_t length;
    const char *text = pf_source_line_text(source, line, &length);
    uint32_t offset = diagnostic->start_byte - source->line_starts[line];
    if (diagnostic->start_byte < source->line_starts[line] || offset > length)
      offset = length;
    if (line != counted_line || offset < counted_to) {
      counted_line = line;
      counted_to = 0;
      visible_before = 0;
    }
    for (; counted_to < offset; counted_to++)
      visible_before += !is_whitespace(text[counted_to]);
    const char *code = diagnostic->rule->code;
    uint64_t hash = pf_fnv1a(PF_FNV_OFFSET, code, strlen(code) + 1);
    hash = fnv1a_integer(hash, hashes[line]);
    hash = fnv1a_integer(hash, visible_before);
    diagnostic->fingerprint = hash ? hash : 1;
    diagnostic->fingerprint_occurrence = occurrence[line];
  }
  free(hashes);
  free(occurrence);
}

void pf_capture(pf_diagnostic_list *list, const pf_source *source, unsigned what) {
  if (!what || list->count == 0 || !source || !source->text || source->line_count == 0)
    return;
  if (what & PF_CAPTURE_EXCERPT)
    for (size_t i = 0; i < list->count; i++)
      capture_excerpt(&list->items[i], source);
  if (what & PF_CAPTURE_FINGERPRINT)
    capture_fingerprints(list, source);
}
