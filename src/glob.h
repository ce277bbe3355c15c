/*
 * glob.h: the path patterns of `exclude`, `extend-exclude` and `per-file-ignores`.
 *
 * Owns: compiling a pattern against the directory it is relative to, and matching it against
 * a normalized absolute path (paths.h). The rules, gitignore's and ruff's where they agree:
 *   - a pattern without '/' matches a name: `build`, `*_pb2.py`, `test_*.py` match a file or
 *     directory of that name at any depth;
 *   - a pattern with '/' is relative to its base directory (the configuration file's, or the
 *     working directory for command-line flags) and matches the whole path: `src/gen`,
 *     `tests/test_*.py`; a leading "./" anchors too (`./build` is the base's own build only),
 *     "../" climbs out of the base, and a pattern starting with '/' is an absolute path;
 *   - a trailing '/' is dropped (`build/` is `build`);
 *   - '*', '?' and '[...]' never match '/' (fnmatch(3), one path segment at a time); `**` as a
 *     whole segment matches any number of directories, none included.
 * Matching never recurses: `**` backtracks with the usual two-pointer loop.
 */
#ifndef PITFALL_GLOB_H
#define PITFALL_GLOB_H

#include <stddef.h>

typedef struct pf_glob {
  char *source;  /* the pattern as written (for messages), without a leading '!' */
  char *pattern; /* anchored: an absolute pattern; otherwise a name pattern */
  int anchored;
  int negated; /* written with a leading '!' (per-file-ignores: files NOT matching) */
} pf_glob;

/* Compiles `pattern` relative to absolute `base_dir`. When `allow_negation`, a leading '!'
 * sets `negated`. Returns 0, or -1 (an empty pattern, or a `[` never closed by `]` in its
 * segment) with a message in `error`. */
int pf_glob_compile(pf_glob *glob, const char *pattern, const char *base_dir, int allow_negation, char *error,
                    size_t error_size);
void pf_glob_free(pf_glob *glob);

/* Whether the pattern matches the normalized absolute `path` itself (`negated` not applied). */
int pf_glob_matches(const pf_glob *glob, const char *path);

#endif
