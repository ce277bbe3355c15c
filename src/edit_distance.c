/*
 * edit_distance.c: the Levenshtein distance behind "did you mean" (see edit_distance.h).
 */
#include "edit_distance.h"

#include <string.h>

enum { LONGEST_WORD = 64 };

static char fold(char c) {
  if (c >= 'A' && c <= 'Z')
    return (char)(c - 'A' + 'a');
  return c == '_' ? '-' : c;
}

size_t pf_edit_distance(const char *a, size_t a_length, const char *b, int folded) {
  size_t b_length = strlen(b);
  if (a_length > LONGEST_WORD || b_length > LONGEST_WORD)
    return (size_t)-1;
  size_t row[LONGEST_WORD + 1];
  for (size_t j = 0; j <= b_length; j++)
    row[j] = j;
  for (size_t i = 1; i <= a_length; i++) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b_length; j++) {
      size_t above = row[j];
      int same = folded ? fold(a[i - 1]) == fold(b[j - 1]) : a[i - 1] == b[j - 1];
      size_t best = diagonal + (same ? 0 : 1);
      if (above + 1 < best)
        best = above + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diagonal = above;
    }
  }
  return row[b_length];
}
