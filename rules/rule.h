/*
 * rule.h: the interface every rule implements, and what a rule may see while it runs.
 *
 * A rule is data plus callbacks: its code, name, one-line summary, the explanation that
 * `pitfall rule CODE` prints, its default severity, the node kinds it wants, and `visit`.
 * The engine walks each file's tree once and calls `visit` for every node of a wanted kind,
 * in source order (a parent before its children). Rules that need to see the whole file
 * before deciding keep per-file state (`state_size` bytes, zeroed for each file) and report
 * from `file_end`.
 *
 * Rules allocate only from ctx->arena (released after the file), keep no global mutable
 * state, and may run on many threads at once.
 */
#ifndef PITFALL_RULE_H
#define PITFALL_RULE_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "arena.h"
#include "diag.h"
#include "imports.h"
#include "lang.h"
#include "settings.h"
#include "source.h"

/* A pseudo kind for the `kinds` list: ERROR nodes and MISSING nodes (PF000). */
#define PF_KIND_SYNTAX_ERROR ((pf_kind)PF_KIND_COUNT)
#define PF_DISPATCH_KINDS (PF_KIND_COUNT + 1)

/* An enclosing scope: a class, function or lambda, and the walk depth of its node. */
typedef struct pf_frame {
  TSNode node;
  pf_kind kind; /* PF_KIND_CLASS_DEFINITION, PF_KIND_FUNCTION_DEFINITION or PF_KIND_LAMBDA */
  uint32_t depth;
  /* The import statements of the frame's body in source order, collected the first time a
   * rule helper needs them (mutability.c), from the arena; NULL until then. */
  struct pf_scope_imports *scope_imports;
} pf_frame;

typedef struct pf_context pf_context;

typedef struct pf_rule {
  const char *code;        /* "PF001" */
  const char *name;        /* "mutable-default-argument" */
  const char *summary;     /* one line, no trailing period */
  const char *explanation; /* Markdown: What it does / Why is this bad? / Example / Fix / References */
  pf_severity severity;    /* default; a finding may raise or lower it */
  const pf_kind *kinds;    /* wanted node kinds, terminated by PF_KIND_OTHER */
  /* Optional, when `kinds` has PF_KIND_IDENTIFIER: visit an identifier only when its parent
   * is of one of these kinds (terminated by PF_KIND_OTHER). Identifiers are a fifth of all
   * nodes; a rule that cares about few of them spares the walk a field lookup and a visit
   * for each of the others. NULL: every identifier. */
  const pf_kind *identifier_parents;
  void (*visit)(pf_context *ctx, TSNode node, void *state);
  size_t state_size;
  void (*file_begin)(pf_context *ctx, void *state);
  void (*file_end)(pf_context *ctx, void *state);
  /* Optional, for SARIF (GitHub code scanning): NULL-terminated tags such as "correctness",
   * and how rarely the rule is wrong: "very-high", "high", "medium" or "low". When NULL,
   * reporters use {"correctness"} and "high". */
  const char *const *tags;
  const char *precision;
} pf_rule;

struct pf_context {
  const char *path; /* as shown in output */
  const pf_source *source;
  const pf_settings *settings;
  const pf_imports *imports;
  pf_arena *arena;
  int is_stub; /* a .pyi file */
  /* The walk: nodes[0] is the module, nodes[depth] the node being visited, fields[i] the
   * field id under which nodes[i] hangs from nodes[i - 1] (0 when none), kinds[i] the
   * pf_kind of nodes[i] (read it there rather than asking the node again). */
  TSNode *nodes;
  TSFieldId *fields;
  const uint8_t *kinds;
  /* While a node is visited: its first child, on which the walk's cursor already stands
   * (null cursor: none, a leaf). Read through pf_child_of_visited. */
  TSNode first_child;
  const TSTreeCursor *first_child_cursor;
  uint32_t depth;
  pf_frame *frames; /* enclosing class/function/lambda nodes, outermost first */
  uint32_t frame_count;
  /* Set by the engine around each callback. */
  const pf_rule *rule;
  size_t rule_index;
  pf_diagnostic_list *diagnostics;
};

/* Reports a finding of the running rule over [start_byte, end_byte) with a printf-style
 * message; `severity` 0 means the rule's default (a severity override in the settings wins).
 * Returns the diagnostic so that callers may add a related location. */
pf_diagnostic *pf_emit(pf_context *ctx, TSNode node, pf_severity severity, const char *format, ...)
    __attribute__((format(printf, 4, 5)));
pf_diagnostic *pf_emit_range(pf_context *ctx, uint32_t start_byte, uint32_t end_byte, pf_severity severity,
                             const char *format, ...) __attribute__((format(printf, 5, 6)));
void pf_diagnostic_set_related(pf_diagnostic *diagnostic, TSNode node, const char *message);

/* The node's source text (not NUL-terminated) and its length. */
const char *pf_node_text(const pf_context *ctx, TSNode node, uint32_t *length);
/* The node's text copied into the arena, NUL-terminated. */
char *pf_node_text_dup(const pf_context *ctx, TSNode node);
/* Whether the node's text is exactly `text`. */
int pf_node_text_is(const pf_context *ctx, TSNode node, const char *text);
/* Whether the node's source text contains `byte`: a cheap test of the text before reading the
 * node's children (each child lookup walks the children in libtree-sitter). */
int pf_node_text_contains(const pf_context *ctx, TSNode node, char byte);

/* The parent of the node being visited (a null node at the module), and its field. */
TSNode pf_parent(const pf_context *ctx);
TSFieldId pf_parent_field(const pf_context *ctx);
/* pf_child(node, field) for the node being visited: its first child when that is the field's
 * (the walk is already there), else the lookup, which walks the node's children in
 * libtree-sitter. `node` may be any node; only the visited one gets the shortcut. */
TSNode pf_child_of_visited(const pf_context *ctx, TSNode node, TSFieldId field);
/* The ancestor `up` levels above the visited node (1 = parent); a null node past the root. */
TSNode pf_ancestor(const pf_context *ctx, uint32_t up);

/* The innermost enclosing frame, or NULL at module level. The node being visited is not its
 * own frame: visiting a function_definition, the frame returned is the one around it. */
const pf_frame *pf_enclosing_frame(const pf_context *ctx);

/* 1-based row of a byte offset. */
uint32_t pf_row_of(const pf_context *ctx, uint32_t byte_offset);

/* The identifier a parameter binds (`x`, `x=1`, `x: int`, `x: int = 1`, `*x`, `**x`,
 * `*x: int`), or a null node for separators (`/`, `*`) and anything else. */
TSNode pf_parameter_name(TSNode parameter);

/* Strips parenthesized_expression wrappers. */
TSNode pf_unparenthesize(TSNode node);

#endif
