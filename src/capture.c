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

uint32_t pf_excerpt_row(const pf_diagnostic *diagnostic, uint32_t index) {
  uint32_t span = diagnostic->excerpt_last_row - diagnostic->excerpt_first_row + 1;
  if (diagnostic->excerpt_line_count < span && index + 1 == diagnostic->excerpt_line_count)
    return diagnostic->excerpt_last_row;
  return diagnostic->excerpt_first_row + index;
}

/* ---- excerpts ---- */

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

  free(diagnostic->excerpt);
  diagnostic->excerpt_first_row = first_row;
  diagnostic->excerpt_last_row = last_row;
  diagnostic->excerpt_line_count = count;
  size_t size = 1;
  for (int pass = 0; pass < 2; pass++) {
    size_t used = 0;
    for (uint32_t index = 0; index < count; index++) {
      uint32_t length;
      const char *text = pf_source_line_text(source, pf_excerpt_row(diagnostic, index) - 1, &length);
      if (pass == 1) {
        memcpy(diagnostic->excerpt + used, text, length);
        diagnostic->excerpt[used + length] = '\n';
      }
      used += (size_t)length + 1;
    }
    if (pass == 0) {
      size = used + 1;
      diagnostic->excerpt = pf_xmalloc(size);
    } else {
      diagnostic->excerpt[used] = '\0';
    }
  }
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
  for (size_t i = 0; i < list->count; i++) {
    pf_diagnostic *diagnostic = &list->items[i];
    uint32_t line = diagnostic->start.row ? diagnostic->start.row - 1 : 0;
    if (line >= source->line_count)
      line = source->line_count - 1;
    uint32_t length;
    const char *text = pf_source_line_text(source, line, &length);
    uint32_t offset = diagnostic->start_byte - source->line_starts[line];
    if (offset > length)
      offset = length;
    uint32_t visible_before = 0;
    for (uint32_t b = 0; b < offset; b++)
      visible_before += !is_whitespace(text[b]);
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
