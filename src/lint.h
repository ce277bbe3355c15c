/*
 * lint.h: linting one file: load, parse once, walk once, dispatch to rules, collect findings,
 * drop the ones a `noqa` comment suppresses (src/noqa.c).
 *
 * Owns: pf_linter, the per-thread state (a tree-sitter parser reused for every file, the
 * walk's node stack, the per-file arena and the dispatch table), and pf_file_result, what one
 * file produced. pf_lint_* is pure: the same bytes and settings give the same result.
 *
 * The walk is iterative (a TSTreeCursor plus an explicit stack), so no file can overflow the
 * C stack however deeply it nests. ERROR subtrees get one PF000 finding each and are not
 * descended into, so no other rule reports on text the parser could not make sense of.
 */
#ifndef PITFALL_LINT_H
#define PITFALL_LINT_H

#include "diag.h"
#include "lang.h"
#include "settings.h"
#include "source.h"

typedef struct pf_linter pf_linter;

enum { PF_INCOMPLETE_NONE, PF_INCOMPLETE_BUDGET /* out of parse budget */, PF_INCOMPLETE_CRASH };

typedef struct pf_file_result {
  char *path;                     /* as shown in output; owned */
  pf_diagnostic_list diagnostics; /* sorted, positions resolved */
  char *error;                    /* owned; non-NULL when the file could not be read (exit 2) */
  char *decode_error;             /* owned; non-NULL when its bytes could not be decoded: also a PF000 */
  int incomplete;                 /* PF_INCOMPLETE_*: the file was not checked; one PF000 says so,
                                   * and such a result is never cached */
} pf_file_result;

/* Requires pf_lang_init() to have succeeded. */
pf_linter *pf_linter_new(void);
void pf_linter_free(pf_linter *linter);

/* What every file linted from now on keeps of its source for the output format
 * (PF_CAPTURE_* in capture.h): a property of the run, not of any file's settings. */
void pf_linter_set_capture(pf_linter *linter, unsigned capture);

/* Lints already-loaded text. `path` is the display path (its .pyi suffix marks a stub). */
void pf_lint_source(pf_linter *linter, const char *path, const pf_source *source, const pf_settings *settings,
                    pf_diagnostic_list *out);

/* Loads `path` ("-" reads stdin) and lints it; `display_path` names it in output. */
void pf_lint_path(pf_linter *linter, const char *path, const char *display_path, const pf_settings *settings,
                  pf_file_result *out);

/* Lints a file's bytes already read into memory (the worker pool reads them once, to hash them
 * for the cache too); `display_path` names it in output. bytes[length] must be a NUL: the
 * text is linted in place (pf_source_load_in_place), not copied. */
void pf_lint_bytes(pf_linter *linter, const char *bytes, size_t length, const char *display_path,
                   const pf_settings *settings, pf_file_result *out);

/* A file that crashed an earlier attempt at checking it (supervisor.h), killed by signal
 * `signal_number`: not parsed; one PF000 at 1:1 says so, noqa comments apply as for any file
 * without a tree. */
void pf_lint_crashed(pf_linter *linter, const char *bytes, size_t length, const char *display_path,
                     const pf_settings *settings, int signal_number, pf_file_result *out);

void pf_file_result_free(pf_file_result *result);

/* Whether a node of `kind` ends with a closing bracket token (`)`, `]`, `}`) in a tree
 * without errors: the walk does not step onto that last child, which no rule visits.
 * tests/unit/test_walk.c checks the grammar against it. */
int pf_kind_ends_with_closing_token(pf_kind kind);

#endif
