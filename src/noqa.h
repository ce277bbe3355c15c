/*
 * noqa.h: suppression comments: finding them, parsing them, and dropping what they suppress.
 *
 * Owns: the `# noqa` directive syntax (ruff's), the row a finding's `noqa` belongs on
 * (noqa_row), and the per-file suppression step of the lint pipeline, which also feeds PF100
 * (rules/pf100_unused_noqa.c) with what each directive did.
 *
 * Syntax, all case-insensitive:
 *   # noqa                      suppresses every finding whose noqa_row is this line
 *   # noqa: PF001, PF004        only those codes; commas and/or spaces separate codes, spaces
 *   #noqa:PF001 PF004           around the colon are optional; the list ends at the first item
 *                               that is not a code ([A-Za-z]+[0-9]+), so a reason may follow
 *   # pitfall: noqa             on a line of its own: suppresses the whole file
 *   # pitfall: noqa: PF003      on a line of its own: those codes in the whole file
 * A directive may follow other text in its comment (`# type: ignore  # noqa: PF001`); only
 * the first directive of a comment counts. `#` inside a string literal is not a comment: the
 * syntax tree decides what is one.
 *
 * noqa_row: a comment cannot go on a line that ends inside a multi-line string or with a
 * backslash continuation, so a finding's noqa belongs on the first line, from the one where
 * the finding starts, that ends in neither: the line where the string ends, for a finding in
 * (or on the same line as the opening of) a triple-quoted string. A finding spanning several
 * lines otherwise belongs on its first line.
 *
 * Everything per file lives in the caller's arena; nothing here keeps global state.
 */
#ifndef PITFALL_NOQA_H
#define PITFALL_NOQA_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "arena.h"
#include "diag.h"
#include "settings.h"
#include "source.h"

typedef enum pf_noqa_scope {
  PF_NOQA_LINE,           /* # noqa ... */
  PF_NOQA_FILE,           /* # pitfall: noqa ... on a line of its own */
  PF_NOQA_FILE_MISPLACED, /* # pitfall: noqa ... after code on its line: suppresses nothing */
} pf_noqa_scope;

typedef struct pf_noqa_code {
  uint32_t start, end;     /* byte offsets of the code's text */
  int rule_index;          /* index in the rule registry, or -1 when no rule has this code */
  unsigned char is_pf;     /* its letters are PF: pitfall's own namespace */
  unsigned char duplicate; /* a rule's code listed earlier in the same directive */
  unsigned char used;      /* a finding it names was on its line (file scope: in its file) */
} pf_noqa_code;

typedef struct pf_noqa_directive {
  pf_noqa_scope scope;
  uint32_t row;        /* 1-based row of the comment */
  uint32_t start, end; /* the directive: from its `#` to the end of its last code (or of `noqa`/`:`) */
  int has_colon;       /* `noqa:`: a code list follows; with no code it is malformed */
  pf_noqa_code *codes;
  uint32_t code_count; /* 0 and no colon: a bare noqa, which suppresses everything */
  uint32_t codes_end;  /* where more codes would go: after the last code, or after the colon */
  int space_separated; /* the codes are separated by spaces only (no comma) */
  unsigned char used;  /* a bare directive that suppressed something */
} pf_noqa_directive;

typedef struct pf_noqa_index {
  pf_noqa_directive *items; /* in source order, one per comment at most */
  size_t count;
  /* The file-level state after pf_noqa_apply: a valid bare `# pitfall: noqa` anywhere, and
   * which rules (by registry index) a `# pitfall: noqa: CODES` exempts. */
  int file_all;
  unsigned char file_rules[PF_MAX_RULES];
  /* Rules whose codes in the file-level directives are already marked used (once per rule,
   * not once per finding). */
  unsigned char file_rules_marked[PF_MAX_RULES];
} pf_noqa_index;

/* Parses one comment, `text` being its source text from its first `#` (`length` bytes) and
 * `base` the byte offset of that `#` in the file. `own_line` says whether only whitespace
 * precedes the comment on its line. Fills *out (offsets absolute, codes from the arena) and
 * returns 1 when the comment holds a directive, 0 otherwise. */
int pf_noqa_parse_comment(const char *text, uint32_t length, uint32_t base, int own_line, pf_arena *arena,
                          pf_noqa_directive *out);

/* Every directive in the file, in source order. `root` is the file's syntax tree; when it is
 * a null node (a file too deeply nested to parse) comments are found by a lexical scan. */
void pf_noqa_collect(pf_noqa_index *index, const pf_source *source, TSNode root, pf_arena *arena);

/* The index of the directive on 1-based `row`, or -1. */
long pf_noqa_find_row(const pf_noqa_index *index, uint32_t row);

/* The 1-based row where a `noqa` for a finding starting at `byte_offset` belongs (see above).
 * `root` may be a null node: then it is the row of the offset. */
uint32_t pf_noqa_row(const pf_source *source, TSNode root, uint32_t byte_offset);

/* The suppression step of the lint pipeline, run on one file's findings after every rule,
 * with positions resolved: sets each finding's noqa_row, marks which directives were used,
 * lets PF100 report unused ones (when enabled), and removes every suppressed finding.
 * The caller sorts the list afterwards. */
void pf_noqa_apply(const pf_source *source, TSNode root, const pf_settings *settings, pf_arena *arena,
                   pf_diagnostic_list *diagnostics);

/* PF100, implemented in rules/pf100_unused_noqa.c: reports through pf_emit_range (ctx has the
 * file, its settings and PF100 as the running rule) every code the index shows unused or
 * unknown, duplicated codes, `noqa:` lists with no code, and misplaced file-level directives. */
struct pf_context;
void pf_unused_noqa_report(struct pf_context *ctx, const pf_noqa_index *index);

#endif
