/*
 * edit_distance.h: how far a misspelt word is from a known one, for "did you mean"
 * suggestions (unknown commands in cli.c, unknown configuration keys in config.c).
 *
 * Owns: the Levenshtein distance between two short words, exact or folded (case-insensitive,
 * with '_' the same as '-').
 */
#ifndef PITFALL_EDIT_DISTANCE_H
#define PITFALL_EDIT_DISTANCE_H

#include <stddef.h>

/* The edit distance between the first `a_length` bytes of `a` and the string `b`; with
 * `folded`, letters compare case-insensitively and '_' equals '-'. Words over 64 bytes count
 * as far from everything ((size_t)-1). */
size_t pf_edit_distance(const char *a, size_t a_length, const char *b, int folded);

#endif
