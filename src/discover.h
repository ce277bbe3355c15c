/*
 * discover.h: turning the paths named on the command line into the list of files to lint.
 *
 * Owns: expanding directories recursively into their *.py and *.pyi files, the default
 * directory excludes (the ones ruff skips: .git, .venv, __pycache__, node_modules, build,
 * dist, site-packages, ...), never following a symlink into a directory already being
 * walked, and reporting unreadable paths without stopping.
 *
 * Rules: a path named explicitly is always taken, even when its name is excluded or its
 * extension is not .py; excludes apply only to what a directory walk finds. "-" means stdin.
 * The result is sorted by path (byte order) and free of duplicates, so output never depends
 * on directory order. A regular file reached under several names (`a.py ./a.py`, `. ../here`,
 * a symlink) is listed once, under the first name met: arguments in order, each directory's
 * entries in name order.
 */
#ifndef PITFALL_DISCOVER_H
#define PITFALL_DISCOVER_H

#include <stddef.h>

typedef struct pf_file_list {
  char **paths; /* owned, sorted, unique; "-" stands for stdin */
  size_t count;
  size_t capacity;
} pf_file_list;

/* Called for each path that cannot be walked (missing, unreadable). `reason` is strerror-like. */
typedef void (*pf_discover_error_fn)(void *user, const char *path, const char *reason);

/* Expands `paths` (count of them) into `out`. Returns the number of errors reported. */
size_t pf_discover(const char *const *paths, size_t count, pf_file_list *out, pf_discover_error_fn on_error,
                   void *user);

/* Decides whether `path` is left out: called for each entry a directory walk finds, before it
 * is examined (`named_explicitly` 0; `root` is the command-line path the walk started from),
 * and for each path named on the command line (`named_explicitly` 1, `root` == `path`).
 * Non-zero skips the path and, for a directory, everything below it. */
typedef int (*pf_discover_exclude_fn)(void *user, const char *path, const char *root, int named_explicitly);

typedef struct pf_discover_options {
  pf_discover_error_fn on_error;
  void *error_user;
  pf_discover_exclude_fn is_excluded; /* NULL: walks skip the default excluded names */
  void *exclude_user;
} pf_discover_options;

/* pf_discover with an exclusion callback, which replaces the default excluded names. */
size_t pf_discover_with(const char *const *paths, size_t count, pf_file_list *out,
                        const pf_discover_options *options);

/* The names a walk skips by default, sorted; sets *count. */
const char *const *pf_discover_default_excludes(size_t *count);

void pf_file_list_free(pf_file_list *list);

/* Whether a directory entry of this name is skipped by default during a walk. */
int pf_discover_is_default_excluded(const char *name);

#endif
