/*
 * paths.h: lexical path arithmetic for configuration lookup and pattern matching.
 *
 * Owns: turning a path named on the command line (relative to the working directory or
 * absolute) into one normalized absolute form, without touching the file system: no ".",
 * no "..", no repeated or trailing '/'. ".." removes the previous component as text, the way
 * ruff and the shell's `cd -L` treat it, so a path shows the same in every message whether
 * or not a symlink lies on it. Every absolute path in the configuration code is in this form.
 */
#ifndef PITFALL_PATHS_H
#define PITFALL_PATHS_H

#include <stddef.h>

/* `path` made absolute against `cwd` (itself absolute) and normalized; owned by the caller. */
char *pf_path_absolute(const char *cwd, const char *path);

/* Lexically normalizes a '/'-separated path in place, as an absolute path: drops empty and
 * "." segments and lets ".." remove the segment before it ("" becomes "/"). */
void pf_path_normalize_in_place(char *path);

/* The length of the parent of a normalized absolute path: "/a/b" -> 2 ("/a"), "/a" -> 1 ("/"),
 * "/" -> 0 (no parent). */
size_t pf_path_parent_length(const char *path);

/* The last component of a normalized absolute path ("" for "/"). */
const char *pf_path_name(const char *path);

/* Whether normalized absolute `path` lies strictly inside directory `dir`. */
int pf_path_is_inside(const char *path, const char *dir);

/* `path` as shown to the user: relative to `cwd` when inside it, absolute otherwise. Owned. */
char *pf_path_display(const char *path, const char *cwd);

#endif
