/*
 * glob.c: compiling and matching path patterns (see glob.h). fnmatch(3) matches within one
 * segment; this file only splits paths into segments and handles `**` between them.
 */
#include "glob.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "paths.h"

/* `text` with fnmatch's special characters escaped, so a base directory named `a[1]` is
 * taken literally when a pattern is anchored to it. */
static char *escape_literal(const char *text) {
  size_t length = strlen(text);
  char *escaped = pf_xmalloc(length * 2 + 1);
  size_t used = 0;
  for (size_t i = 0; i < length; i++) {
    if (strchr("*?[]\\", text[i]))
      escaped[used++] = '\\';
    escaped[used++] = text[i];
  }
  escaped[used] = '\0';
  return escaped;
}

/* Whether a '[' is never closed by a ']' within its path segment. fnmatch(3) would take
 * such a '[' literally, which is seldom what was meant. A backslash escapes the next byte;
 * `[!` and `[^` negate, and a ']' right after the opening (or the negation) is a member. */
static int has_unclosed_bracket(const char *pattern) {
  for (size_t i = 0; pattern[i]; i++) {
    if (pattern[i] == '\\') {
      if (pattern[i + 1])
        i++;
      continue;
    }
    if (pattern[i] != '[')
      continue;
    size_t j = i + 1;
    if (pattern[j] == '!' || pattern[j] == '^')
      j++;
    if (pattern[j] == ']')
      j++;
    while (pattern[j] && pattern[j] != ']' && pattern[j] != '/')
      j++;
    if (pattern[j] != ']')
      return 1;
    i = j;
  }
  return 0;
}

int pf_glob_compile(pf_glob *glob, const char *pattern, const char *base_dir, int allow_negation, char *error,
                    size_t error_size) {
  memset(glob, 0, sizeof(*glob));
  if (allow_negation && pattern[0] == '!') {
    glob->negated = 1;
    pattern++;
  }
  size_t length = strlen(pattern);
  while (length > 1 && pattern[length - 1] == '/')
    length--;
  char *text = pf_xstrndup(pattern, length);
  const char *body = text;
  while (body[0] == '.' && body[1] == '/') {
    body += 2;
    while (*body == '/')
      body++;
  }
  if (*body == '\0' || strcmp(body, ".") == 0) {
    snprintf(error, error_size, "empty pattern");
    free(text);
    return -1;
  }
  if (has_unclosed_bracket(body)) {
    snprintf(error, error_size, "unclosed '[' in '%s' (write '[[]' for a literal '[')", pattern);
    free(text);
    return -1;
  }
  glob->source = pf_xstrdup(pattern);
  /* A leading "./" anchors a pattern to its base directory even when no '/' is left (as
   * in ruff and .gitignore): `./gen` is the base's own gen, `gen` any gen. */
  int dot_slash = body != text;
  if (!dot_slash && !strchr(body, '/')) {
    glob->pattern = pf_xstrdup(body);
  } else {
    glob->anchored = 1;
    if (body[0] == '/') {
      glob->pattern = pf_xstrdup(body);
    } else {
      char *base = escape_literal(base_dir);
      size_t base_length = strlen(base), body_length = strlen(body);
      glob->pattern = pf_xmalloc(base_length + body_length + 2);
      memcpy(glob->pattern, base, base_length);
      glob->pattern[base_length] = '/';
      memcpy(glob->pattern + base_length + 1, body, body_length + 1);
      free(base);
    }
    pf_path_normalize_in_place(glob->pattern);
  }
  free(text);
  return 0;
}

void pf_glob_free(pf_glob *glob) {
  free(glob->source);
  free(glob->pattern);
  memset(glob, 0, sizeof(*glob));
}

/* Splits a '/'-separated copy in place into its non-empty segments; returns the count. */
static size_t split_segments(char *text, char **segments, size_t capacity) {
  size_t count = 0;
  char *state = NULL;
  for (char *part = strtok_r(text, "/", &state); part; part = strtok_r(NULL, "/", &state))
    if (count < capacity)
      segments[count++] = part;
  return count;
}

static size_t count_segments(const char *text) {
  size_t count = 1;
  for (; *text; text++)
    count += *text == '/';
  return count;
}

static int match_segments(char **pattern, size_t pattern_count, char **path, size_t path_count) {
  size_t pi = 0, si = 0, star_pi = 0, star_si = 0;
  int have_star = 0;
  while (si < path_count) {
    if (pi < pattern_count && strcmp(pattern[pi], "**") == 0) {
      have_star = 1;
      star_pi = pi++;
      star_si = si;
      continue;
    }
    if (pi < pattern_count && fnmatch(pattern[pi], path[si], 0) == 0) {
      pi++;
      si++;
      continue;
    }
    if (!have_star)
      return 0;
    pi = star_pi + 1;
    si = ++star_si;
  }
  while (pi < pattern_count && strcmp(pattern[pi], "**") == 0)
    pi++;
  return pi == pattern_count;
}

int pf_glob_matches(const pf_glob *glob, const char *path) {
  if (!glob->anchored)
    return fnmatch(glob->pattern, pf_path_name(path), 0) == 0;
  char *pattern_copy = pf_xstrdup(glob->pattern), *path_copy = pf_xstrdup(path);
  size_t pattern_capacity = count_segments(pattern_copy), path_capacity = count_segments(path_copy);
  char **segments = pf_xmalloc((pattern_capacity + path_capacity) * sizeof(char *));
  size_t pattern_count = split_segments(pattern_copy, segments, pattern_capacity);
  size_t path_count = split_segments(path_copy, segments + pattern_capacity, path_capacity);
  int matched = match_segments(segments, pattern_count, segments + pattern_capacity, path_count);
  free(segments);
  free(pattern_copy);
  free(path_copy);
  return matched;
}
