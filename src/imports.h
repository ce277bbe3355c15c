/*
 * imports.h: what the names bound by a file's imports refer to, for qualified-name lookups.
 *
 * Owns: a per-file table built from the module's top-level import statements (including
 * those nested in top-level if/try/with blocks, such as `if TYPE_CHECKING:`), and the
 * resolution of a name or dotted expression to the qualified name it stands for:
 *   import collections as c              c.deque      -> collections.deque
 *   from collections import deque as dq  dq           -> collections.deque
 *   import os.path                       os.path.join -> os.path.join
 *   (no import)                          list         -> list
 * Also the names the module itself defines at top level (class, def, assignment), which
 * shadow builtins. Built before the walk from the module's direct children only, so it
 * costs a handful of nodes per statement, not a second walk. Memory comes from the file's arena.
 */
#ifndef PITFALL_IMPORTS_H
#define PITFALL_IMPORTS_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "arena.h"
#include "source.h"

typedef struct pf_import_binding {
  const char *local;     /* the name bound in the module: "c", "dq", "os" */
  const char *qualified; /* what it stands for: "collections", "collections.deque", "os" */
} pf_import_binding;

typedef struct pf_imports {
  pf_import_binding *bindings;
  size_t count;
  /* Names the module itself defines at top level: `class X`, `def f` (decorated too) and
   * plain `name = ...` assignments, sorted (strcmp) for binary search. */
  const char **definitions;
  size_t definition_count;
} pf_imports;

void pf_imports_collect(pf_imports *imports, TSNode module, const pf_source *source, pf_arena *arena);

/* Writes the qualified name of an identifier or attribute chain (a.b.c) into `out`, with the
 * first segment resolved through the imports. Returns 0 on success, -1 when the expression is
 * not a plain dotted name or does not fit. */
int pf_qualified_name(const pf_imports *imports, const pf_source *source, TSNode node, char *out,
                      size_t out_size);

/* Whether a qualified name equals `name` exactly. */
int pf_qualified_is(const char *qualified, const char *name);

/* Whether the module defines `local` itself (a class, a function or an assignment at top
 * level), which shadows a builtin or star-imported name of the same spelling. */
int pf_imports_module_defines(const pf_imports *imports, const char *local, size_t length);

/* The binding for a local name, or NULL. */
const pf_import_binding *pf_imports_lookup(const pf_imports *imports, const char *local, size_t length);

#endif
