/*
 * add_noqa.h: `pitfall check --add-noqa`: suppress every current finding in place, so that
 * pitfall can be adopted in a large codebase at once and report only new findings.
 *
 * Owns: planning the edits (one `# noqa: CODE[, CODE]` per line with findings, at the
 * finding's noqa_row, merged into an existing `# noqa: ...` on that line), checking that the
 * result is safe, and writing it atomically.
 *
 * A file is rewritten only when all of these hold; otherwise it is left untouched and the
 * reason is reported on stderr:
 *   - the edited text parses to the same syntax tree, comments aside (same node kinds,
 *     nesting and token text);
 *   - linting the edited text gives exactly the findings that were not to be suppressed
 *     (PF100's, which no noqa is added for: an unused suppression wants deleting);
 *   - the edited bytes decode to the edited text in the file's own encoding (UTF-8 with or
 *     without BOM, or its PEP 263 coding), so nothing but the added ASCII changes;
 *   - the file did not change while it was being edited.
 * The new content goes to a temporary file in the same directory (same permissions), which
 * then replaces the original with rename(2); a symlink is followed and the link kept.
 */
#ifndef PITFALL_ADD_NOQA_H
#define PITFALL_ADD_NOQA_H

#include <stddef.h>
#include <stdio.h>

#include "lint.h"
#include "settings.h"

typedef struct pf_add_noqa_summary {
  size_t comments_added;    /* new `# noqa: ...` comments */
  size_t comments_extended; /* existing `# noqa: ...` directives given more codes */
  size_t files_changed;
  size_t files_refused; /* left untouched because a check failed */
} pf_add_noqa_summary;

/* Adds noqa comments for the findings of the file at `path`, whose lint result is `result`
 * (pf_lint_path). On success `result->diagnostics` becomes what linting the new content
 * reports (PF100 findings only); on failure `result` is left as it is and one line saying
 * why goes to stderr. */
void pf_add_noqa_file(pf_linter *linter, const char *path, const pf_settings *settings,
                      pf_file_result *result, pf_add_noqa_summary *summary);

/* One line: how many comments were added to how many files. */
void pf_add_noqa_print_summary(FILE *out, const pf_add_noqa_summary *summary);

#endif
