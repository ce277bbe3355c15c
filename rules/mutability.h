/*
 * mutability.h: the one test of "this expression makes a fresh mutable object", shared by
 * PF001 (mutable default arguments) and PF003 (mutable members of tuples).
 *
 * Mutable: list, dict and set displays and comprehensions; calls to list, dict, set,
 * bytearray, collections.{defaultdict, OrderedDict, Counter, deque, ChainMap, UserDict,
 * UserList} and array.array, written plainly, dotted, or through import aliases, including
 * subscripted calls (`list[int]()`); a walrus whose value is mutable; parentheses around any
 * of these; and the settings' extend-mutable-calls names. Not mutable: everything else,
 * including tuple(...), frozenset(...), MappingProxyType(...) and other calls.
 */
#ifndef PITFALL_MUTABILITY_H
#define PITFALL_MUTABILITY_H

#include <stddef.h>

#include "rule.h"

typedef struct pf_mutable_value {
  TSNode node;      /* the mutable expression itself (inside parentheses or a walrus) */
  const char *kind; /* "list", "dict", "set", "bytearray", "collections.deque", ... */
  const char *form; /* "display", "comprehension" or "call" */
} pf_mutable_value;

/* Whether `expression` evaluates to a fresh mutable object; fills *out when it does.
 * `kind` points at static text or into the context's arena. */
int pf_is_mutable_value(const pf_context *ctx, TSNode expression, pf_mutable_value *out);

/* Whether an annotation (a `type` node or its expression) names a type that promises not to
 * be mutated (Sequence, Mapping, tuple, frozenset, Optional/unions of them, ...). */
int pf_is_immutable_annotation(const pf_context *ctx, TSNode annotation);

#endif
