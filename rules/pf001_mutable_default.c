/*
 * pf001_mutable_default.c: PF001, a mutable object as a parameter default.
 *
 * Collects every mutable default of every def, async def and lambda as the walk enters it,
 * then watches the rest of the walk for statements in that function's body that mutate the
 * parameter (method calls such as .append, item assignment or deletion, also inside an
 * unpacking or for target, augmented assignment). A rebinding of the name in the function's
 * own scope (an assignment, a for, with, except or import target, a walrus, a def or class
 * statement, a case capture) ends the watch from that point to the end of the block it
 * stands in, with no flow analysis: a mutation that some path reaches before a rebinding
 * counts. A comprehension's targets are its own; a nested function that binds the name itself
 * (a parameter or a local assignment) shadows it there.
 * Reports from file_end, once the whole body has been seen: error when the body mutates the
 * default, warning otherwise.
 */
#include <stdlib.h>
#include <string.h>

#include "mutability.h"
#include "rule.h"

static const char explanation[] =
    "## What it does\n"
    "Flags a parameter whose default value is a mutable object: a list, dict or set display or\n"
    "comprehension, or a call such as `list()`, `dict()`, `set()`, `bytearray()`,\n"
    "`collections.defaultdict()`, `deque()`, `Counter()`, `OrderedDict()`, `ChainMap()`,\n"
    "`UserDict()`, `UserList()` or `array.array()` (also through import aliases, at module\n"
    "level or in the enclosing function or class body, as a\n"
    "subscripted call such as `list[int]()`, or inside a walrus). It checks `def`,\n"
    "`async def` and `lambda`, every parameter kind, at any nesting depth.\n"
    "\n"
    "When the function body mutates the parameter (`.append`, `.extend`, `.insert`,\n"
    "`.update`, `.add`, `.pop`, `.remove`, `.clear`, `.setdefault`, `.sort`, item assignment\n"
    "or deletion, augmented assignment), the message names the line and the severity is\n"
    "error: that is the bug itself, not just the risk of one. Item assignment inside an\n"
    "unpacking or `for` target (`items[0], items[1] = ...`, `for items[0] in ...`) counts.\n"
    "\n"
    "A mutation after the body rebinds the name is not one of the default: an assignment\n"
    "(`items = list(items)`), a `for`, `with ... as`, `except ... as` or `import` target, a\n"
    "walrus, a `def` or `class` of that name, or a `case` capture. Neither is a mutation in\n"
    "a nested function that has its own `items` (a parameter or a local), nor one inside a\n"
    "comprehension of its own `items` (`[items.append(1) for items in ...]`).\n"
    "\n"
    "pitfall does not follow control flow: a rebinding hides the mutations after it up to the\n"
    "end of the block it stands in. So a rebinding in one branch of an `if`, `try` or\n"
    "`match` does not hide a mutation in another branch or after the statement, and a `for`\n"
    "target counts as rebound only inside the loop body (the loop may not run): when any path\n"
    "can reach a mutation with the default, the mutation is reported.\n"
    "\n"
    "## Why is this bad?\n"
    "Python evaluates a default value once, when the `def` statement runs, and stores that one\n"
    "object on the function (`f.__defaults__`). Every call that omits the argument receives\n"
    "the same object, so a change made during one call is still there in the next:\n"
    "\n"
    "```python\n"
    ">>> def add_item(item, items=[]):\n"
    "...     items.append(item)\n"
    "...     return items\n"
    ">>> add_item(1)\n"
    "[1]\n"
    ">>> add_item(2)\n"
    "[1, 2]\n"
    "```\n"
    "\n"
    "## Example\n"
    "```python\n"
    "def add_item(item, items=[]):\n"
    "    items.append(item)\n"
    "    return items\n"
    "```\n"
    "\n"
    "## Fix\n"
    "Default to `None` and create the object inside the function:\n"
    "```python\n"
    "def add_item(item, items=None):\n"
    "    if items is None:\n"
    "        items = []\n"
    "    items.append(item)\n"
    "    return items\n"
    "```\n"
    "A read-only default can be an immutable object instead: a tuple, a `frozenset`, or\n"
    "`types.MappingProxyType({...})`.\n"
    "\n"
    "## Not flagged\n"
    "`None`, tuples, frozensets, strings, numbers, `tuple([...])`, `frozenset(...)`,\n"
    "`MappingProxyType(...)` and any other call, and parameters annotated with a read-only\n"
    "type (`Sequence`, `Mapping`, `AbstractSet`, `Iterable`, `Collection`, `tuple`,\n"
    "`frozenset`, or `Optional`/unions of them, also inside a string annotation such as\n"
    "`\"Sequence[int]\"`): the annotation promises the function does not mutate the value.\n"
    "A bare `Counter()` or `deque()` counts only when no import binds the name to something\n"
    "else (`from mylib import deque` is not flagged) and the module does not define it.\n"
    "\n"
    "## Options\n"
    "- `extend-mutable-calls`: more callables that return mutable objects.\n"
    "- `extend-immutable-annotations`: more annotations that exempt a parameter.\n"
    "\n"
    "## References\n"
    "- Python tutorial, \"Default Argument Values\" (the warning under 4.8.1)\n"
    "- Python language reference, \"Function definitions\" (defaults are evaluated once)\n";

/* Method names that mutate the object they are called on. */
static const char *const mutating_methods[] = {
    "append",
    "extend",
    "insert",
    "update",
    "add",
    "pop",
    "popitem",
    "remove",
    "discard",
    "clear",
    "setdefault",
    "sort",
    "reverse",
    "appendleft",
    "extendleft",
    "popleft",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
    "__setitem__",
    "__delitem__",
    NULL,
};

typedef struct pending_default {
  uint32_t function_start; /* identifies the function's frame */
  const char *parameter;   /* arena */
  const char *function_name;
  TSNode value;
  pf_mutable_value mutable_value;
  uint32_t mutated_row; /* 0: not seen mutated */
  const char *mutation; /* "`.append`", "item assignment", ... */
} pending_default;

/* A name bound in a function's (or class body's) own scope: by an assignment, a for, with,
 * except or import target, a walrus, a def or class statement, a case capture. Between
 * `after` and `until`, that scope's uses of the name no longer mean the parameter's default,
 * and neither do those of functions nested in it. `until` is the end of the block the
 * binding stands in (see binding_limit), so a rebinding in one branch does not hide a
 * mutation in another, or after the branch. */
typedef struct binding {
  uint32_t function_start;
  const char *name; /* into the source text */
  uint32_t length;
  uint32_t after; /* byte offset where the binding takes effect */
  uint32_t until; /* byte offset where it stops being certain */
} binding;

typedef struct pf001_state {
  pending_default *items;
  size_t count, capacity;
  binding *bindings;
  size_t binding_count, binding_capacity;
} pf001_state;

static const char *function_display_name(pf_context *ctx, TSNode function);

/* `function`'s mutable defaults, as pending entries; a def's display name is made only when
 * one is found (is_lambda: none). */
static void collect_defaults(pf_context *ctx, TSNode function, TSNode parameters, int is_lambda,
                             pf001_state *state) {
  /* Without an `=` in its text a parameter list has no defaults (most have none), and its
   * parameters need not be read one by one. */
  if (!pf_node_text_contains(ctx, parameters, '='))
    return;
  const char *function_name = NULL;
  uint32_t count = ts_node_named_child_count(parameters);
  for (uint32_t i = 0; i < count; i++) {
    TSNode parameter = ts_node_named_child(parameters, i);
    pf_kind kind = pf_node_kind(parameter);
    if (kind != PF_KIND_DEFAULT_PARAMETER && kind != PF_KIND_TYPED_DEFAULT_PARAMETER)
      continue;
    TSNode value = pf_child(parameter, pf_field.VALUE);
    TSNode name = pf_child(parameter, pf_field.NAME);
    pf_mutable_value mutable_value;
    if (ts_node_is_null(value) || ts_node_is_null(name) || pf_node_kind(name) != PF_KIND_IDENTIFIER ||
        !pf_is_mutable_value(ctx, value, &mutable_value))
      continue;
    if (kind == PF_KIND_TYPED_DEFAULT_PARAMETER) {
      TSNode annotation = pf_child(parameter, pf_field.TYPE);
      if (!ts_node_is_null(annotation) && pf_is_immutable_annotation(ctx, annotation))
        continue;
    }
    if (!is_lambda && !function_name)
      function_name = function_display_name(ctx, function);
    pf_grow((void **)&state->items, &state->capacity, state->count + 1, sizeof(pending_default));
    pending_default *entry = &state->items[state->count++];
    memset(entry, 0, sizeof(*entry));
    entry->function_start = ts_node_start_byte(function);
    entry->parameter = pf_node_text_dup(ctx, name);
    entry->function_name = function_name;
    entry->value = value;
    entry->mutable_value = mutable_value;
  }
}

static int text_is(const pf_context *ctx, TSNode node, const char *name, uint32_t length) {
  if (ts_node_is_null(node) || pf_node_kind(node) != PF_KIND_IDENTIFIER)
    return 0;
  uint32_t node_length;
  const char *text = pf_node_text(ctx, node, &node_length);
  return node_length == length && memcmp(text, name, length) == 0;
}

static int parameters_bind(const pf_context *ctx, TSNode parameters, const char *name, uint32_t length) {
  uint32_t count = ts_node_named_child_count(parameters);
  for (uint32_t i = 0; i < count; i++)
    if (text_is(ctx, pf_parameter_name(ts_node_named_child(parameters, i)), name, length))
      return 1;
  return 0;
}

static int has_default_named(const pf001_state *state, const char *name, uint32_t length) {
  for (size_t i = 0; i < state->count; i++)
    if (strlen(state->items[i].parameter) == length && memcmp(state->items[i].parameter, name, length) == 0)
      return 1;
  return 0;
}

static int bound_in(const pf001_state *state, uint32_t function_start, const char *name, uint32_t length,
                    uint32_t at) {
  for (size_t i = 0; i < state->binding_count; i++) {
    const binding *b = &state->bindings[i];
    if (b->function_start == function_start && b->length == length && at >= b->after && at < b->until &&
        memcmp(b->name, name, length) == 0)
      return 1;
  }
  return 0;
}

/* The pending default that `identifier`, used in the current position, refers to: the
 * innermost enclosing function that owns a default of that name, unless that function has
 * rebound the name by now, or a function in between binds the same name (as a parameter or
 * a local). Class bodies do not form scopes for the functions inside them. */
static pending_default *find_pending(pf_context *ctx, pf001_state *state, TSNode identifier) {
  if (!state->count || ts_node_is_null(identifier) || pf_node_kind(identifier) != PF_KIND_IDENTIFIER)
    return NULL;
  uint32_t length;
  const char *name = pf_node_text(ctx, identifier, &length);
  uint32_t at = ts_node_start_byte(identifier);
  for (uint32_t f = ctx->frame_count; f-- > 0;) {
    const pf_frame *frame = &ctx->frames[f];
    uint32_t start = ts_node_start_byte(frame->node);
    if (frame->kind == PF_KIND_CLASS_DEFINITION) {
      /* A class body's own names are seen by the class body only, not by its methods. */
      if (f == ctx->frame_count - 1u && bound_in(state, start, name, length, at))
        return NULL;
      continue;
    }
    if (bound_in(state, start, name, length, at))
      return NULL;
    for (size_t i = state->count; i-- > 0;) {
      pending_default *entry = &state->items[i];
      if (entry->function_start == start && strlen(entry->parameter) == length &&
          memcmp(entry->parameter, name, length) == 0)
        return entry;
    }
    TSNode parameters = pf_child(frame->node, pf_field.PARAMETERS);
    if (!ts_node_is_null(parameters) && parameters_bind(ctx, parameters, name, length))
      return NULL;
  }
  return NULL;
}

static void mark_mutated(pf_context *ctx, pending_default *entry, TSNode where, const char *how) {
  if (!entry || entry->mutated_row)
    return;
  entry->mutated_row = pf_row_of(ctx, ts_node_start_byte(where));
  entry->mutation = how;
}

/* Where a binding made by the node being visited stops being certain: the end of the
 * innermost block around it (a branch of an if, try, match or loop body, or the body of the
 * function), or of the function itself (a lambda has no block). */
static uint32_t binding_limit(const pf_context *ctx) {
  const pf_frame *frame = pf_enclosing_frame(ctx);
  for (uint32_t up = 1; up <= ctx->depth; up++) {
    TSNode ancestor = pf_ancestor(ctx, up);
    if (pf_node_kind(ancestor) == PF_KIND_BLOCK)
      return ts_node_end_byte(ancestor);
    if (frame && ctx->depth - up <= frame->depth)
      break;
  }
  return frame ? ts_node_end_byte(frame->node) : UINT32_MAX;
}

static void record_name(pf_context *ctx, pf001_state *state, TSNode identifier, uint32_t after,
                        uint32_t until) {
  const pf_frame *frame = pf_enclosing_frame(ctx);
  if (!frame || ts_node_is_null(identifier) || pf_node_kind(identifier) != PF_KIND_IDENTIFIER)
    return;
  uint32_t length;
  const char *name = pf_node_text(ctx, identifier, &length);
  if (!has_default_named(state, name, length))
    return;
  pf_grow((void **)&state->bindings, &state->binding_capacity, state->binding_count + 1, sizeof(binding));
  binding *b = &state->bindings[state->binding_count++];
  b->function_start = ts_node_start_byte(frame->node);
  b->name = name;
  b->length = length;
  b->after = after;
  b->until = until;
}

/* A binding target (an assignment's left side, a for or comprehension target, a with or
 * except alias): records the names it binds in the innermost scope (identifiers, possibly
 * inside tuple/list patterns and starred targets), in effect from `after` to `until`, and
 * marks item assignments inside it (`a[0], a[1] = ...`, `x, *d[1:] = ...`, `for a[0] in`)
 * as mutations. Patterns nest, so they are opened with an explicit stack. */
static void visit_target(pf_context *ctx, pf001_state *state, TSNode target, uint32_t after, uint32_t until,
                         TSNode statement) {
  if (ts_node_is_null(target))
    return;
  enum { MAX_TARGETS = 64 };
  TSNode stack[MAX_TARGETS];
  size_t depth = 0;
  stack[depth++] = target;
  while (depth) {
    TSNode node = pf_unparenthesize(stack[--depth]);
    pf_kind kind = pf_node_kind(node);
    if (kind == PF_KIND_IDENTIFIER) {
      record_name(ctx, state, node, after, until);
    } else if (kind == PF_KIND_SUBSCRIPT) {
      TSNode base = pf_unparenthesize(pf_child(node, pf_field.VALUE));
      mark_mutated(ctx, find_pending(ctx, state, base), statement, "item assignment");
    } else if (kind == PF_KIND_PATTERN_LIST || kind == PF_KIND_TUPLE_PATTERN ||
               kind == PF_KIND_LIST_PATTERN || kind == PF_KIND_EXPRESSION_LIST || kind == PF_KIND_TUPLE ||
               kind == PF_KIND_LIST || kind == PF_KIND_LIST_SPLAT_PATTERN || kind == PF_KIND_LIST_SPLAT ||
               kind == PF_KIND_AS_PATTERN_TARGET) {
      uint32_t children = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < children && depth < MAX_TARGETS; i++)
        stack[depth++] = ts_node_named_child(node, i);
    }
  }
}

/* x[...] as a target: returns x when the target is a subscript. */
static TSNode subscript_base(TSNode target) {
  TSNode null_node = {0};
  target = pf_unparenthesize(target);
  if (pf_node_kind(target) != PF_KIND_SUBSCRIPT)
    return null_node;
  return pf_unparenthesize(pf_child(target, pf_field.VALUE));
}

static void visit_call(pf_context *ctx, TSNode call, pf001_state *state) {
  if (!state->count) /* no mutable default pending: nothing to mark (most files) */
    return;
  TSNode function = pf_child_of_visited(ctx, call, pf_field.FUNCTION);
  if (pf_node_kind(function) != PF_KIND_ATTRIBUTE)
    return;
  TSNode object = pf_unparenthesize(pf_child(function, pf_field.OBJECT));
  TSNode method = pf_child(function, pf_field.ATTRIBUTE);
  if (ts_node_is_null(object) || ts_node_is_null(method))
    return;
  for (size_t i = 0; mutating_methods[i]; i++) {
    if (pf_node_text_is(ctx, method, mutating_methods[i])) {
      pending_default *entry = find_pending(ctx, state, object);
      if (entry) {
        size_t length = strlen(mutating_methods[i]) + 4;
        char *how = pf_arena_alloc(ctx->arena, length);
        strcpy(how, "`.");
        strcat(how, mutating_methods[i]);
        strcat(how, "`");
        mark_mutated(ctx, entry, call, how);
      }
      return;
    }
  }
}

static void visit_assignment(pf_context *ctx, TSNode assignment, pf001_state *state, int augmented) {
  if (!state->count) /* no mutable default pending: nothing to mark (most files) */
    return;
  TSNode left = pf_child_of_visited(ctx, assignment, pf_field.LEFT);
  if (ts_node_is_null(left))
    return;
  TSNode base = subscript_base(left);
  if (!ts_node_is_null(base)) {
    mark_mutated(ctx, find_pending(ctx, state, base), assignment,
                 augmented ? "augmented item assignment" : "item assignment");
    return;
  }
  if (augmented) {
    /* `x += [1]` extends the list in place (and rebinds x to the same object). */
    mark_mutated(ctx, find_pending(ctx, state, pf_unparenthesize(left)), assignment, "augmented assignment");
    return;
  }
  /* A plain rebinding: from the end of this statement on, the name is another object. An
   * annotation without a value (`x: list`) binds nothing. */
  if (!ts_node_is_null(pf_child(assignment, pf_field.RIGHT)))
    visit_target(ctx, state, left, ts_node_end_byte(assignment), binding_limit(ctx), assignment);
}

static void visit_delete(pf_context *ctx, TSNode statement, pf001_state *state) {
  if (!state->count) /* no mutable default pending: nothing to mark (most files) */
    return;
  uint32_t count = ts_node_named_child_count(statement);
  for (uint32_t i = 0; i < count; i++) {
    TSNode target = ts_node_named_child(statement, i);
    /* `del x[0], x[1]` parses as one expression_list of targets. */
    int is_list = pf_node_kind(target) == PF_KIND_EXPRESSION_LIST;
    uint32_t targets = is_list ? ts_node_named_child_count(target) : 1;
    for (uint32_t j = 0; j < targets; j++) {
      TSNode base = subscript_base(is_list ? ts_node_named_child(target, j) : target);
      if (!ts_node_is_null(base))
        mark_mutated(ctx, find_pending(ctx, state, base), statement, "item deletion");
    }
  }
}

/* "Class.method" for a method, the plain name otherwise. */
static const char *function_display_name(pf_context *ctx, TSNode function) {
  TSNode name = pf_child(function, pf_field.NAME);
  if (ts_node_is_null(name))
    return "?";
  const pf_frame *frame = pf_enclosing_frame(ctx);
  TSNode class_name =
      frame && frame->kind == PF_KIND_CLASS_DEFINITION ? pf_child(frame->node, pf_field.NAME) : (TSNode){0};
  if (ts_node_is_null(class_name))
    return pf_node_text_dup(ctx, name);
  uint32_t class_length, name_length;
  const char *class_text = pf_node_text(ctx, class_name, &class_length);
  const char *name_text = pf_node_text(ctx, name, &name_length);
  char *text = pf_arena_alloc(ctx->arena, (size_t)class_length + name_length + 2);
  memcpy(text, class_text, class_length);
  text[class_length] = '.';
  memcpy(text + class_length + 1, name_text, name_length);
  text[class_length + 1 + name_length] = '\0';
  return text;
}

/* `with x as a` and `except E as a`: the target after `as` of an as_pattern. */
static TSNode as_pattern_alias(TSNode node) {
  TSNode null_node = {0};
  return !ts_node_is_null(node) && pf_node_kind(node) == PF_KIND_AS_PATTERN ? pf_child(node, pf_field.ALIAS)
                                                                            : null_node;
}

static void visit_with(pf_context *ctx, TSNode statement, pf001_state *state) {
  uint32_t until = binding_limit(ctx);
  uint32_t count = ts_node_named_child_count(statement);
  for (uint32_t i = 0; i < count; i++) {
    TSNode clause = ts_node_named_child(statement, i);
    if (pf_node_kind(clause) != PF_KIND_WITH_CLAUSE)
      continue;
    uint32_t items = ts_node_named_child_count(clause);
    for (uint32_t j = 0; j < items; j++) {
      TSNode item = ts_node_named_child(clause, j);
      TSNode alias = as_pattern_alias(pf_child(item, pf_field.VALUE));
      if (!ts_node_is_null(alias))
        visit_target(ctx, state, alias, ts_node_end_byte(item), until, statement);
    }
  }
}

/* `except E as a`: `a` is bound in the handler only (Python deletes it at the handler's end). */
static void visit_except(pf_context *ctx, TSNode clause, pf001_state *state) {
  uint32_t count = ts_node_named_child_count(clause);
  for (uint32_t i = 0; i < count; i++) {
    TSNode alias = as_pattern_alias(ts_node_named_child(clause, i));
    if (!ts_node_is_null(alias))
      visit_target(ctx, state, alias, ts_node_end_byte(alias), ts_node_end_byte(clause), clause);
  }
}

/* `import a.b` binds `a`, `import c as d` and `from m import c as d` bind `d`, `from m import c`
 * binds `c`. */
static void visit_import(pf_context *ctx, TSNode statement, pf001_state *state) {
  uint32_t after = ts_node_end_byte(statement), until = binding_limit(ctx);
  uint32_t count = ts_node_child_count(statement);
  for (uint32_t i = 0; i < count; i++) {
    const char *field = ts_node_field_name_for_child(statement, i);
    if (!field || strcmp(field, "name") != 0)
      continue;
    TSNode name = ts_node_child(statement, i);
    if (pf_node_kind(name) == PF_KIND_ALIASED_IMPORT)
      name = pf_child(name, pf_field.ALIAS);
    else if (pf_node_kind(name) == PF_KIND_DOTTED_NAME && ts_node_named_child_count(name))
      name = ts_node_named_child(name, 0);
    record_name(ctx, state, name, after, until);
  }
}

/* The names a case clause's pattern captures (`case [*a]`, `case {"k": a}`, `case C(x=a)`,
 * `case b as a`, `case a`), bound in the clause's block. The pattern is walked with a cursor. */
static void visit_case_block(pf_context *ctx, TSNode block, TSNode clause, pf001_state *state) {
  uint32_t after = ts_node_start_byte(block), until = ts_node_end_byte(clause);
  uint32_t count = ts_node_named_child_count(clause);
  for (uint32_t i = 0; i < count; i++) {
    TSNode pattern = ts_node_named_child(clause, i);
    if (pf_node_kind(pattern) != PF_KIND_CASE_PATTERN)
      continue;
    TSTreeCursor cursor = ts_tree_cursor_new(pattern);
    /* The ancestors of the cursor's node, kept as it moves (ts_node_parent climbs from the
     * root each time); parents[0] is the pattern's own parent. */
    TSNode *parents = NULL;
    size_t parent_capacity = 0, depth = 0;
    pf_grow((void **)&parents, &parent_capacity, 1, sizeof(TSNode));
    parents[0] = clause;
    for (;;) {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      TSNode parent = parents[depth];
      if (pf_node_kind(node) == PF_KIND_IDENTIFIER &&
          (pf_node_kind(parent) == PF_KIND_SPLAT_PATTERN ||
           (pf_node_kind(parent) == PF_KIND_AS_PATTERN && ts_node_eq(node, ts_node_named_child(parent, 1)))))
        record_name(ctx, state, node, after, until);
      else if (pf_node_kind(node) == PF_KIND_DOTTED_NAME && ts_node_named_child_count(node) == 1 &&
               (pf_node_kind(parent) == PF_KIND_CASE_PATTERN ||
                pf_node_kind(parent) == PF_KIND_KEYWORD_PATTERN))
        record_name(ctx, state, ts_node_named_child(node, 0), after, until);
      if (ts_tree_cursor_goto_first_child(&cursor)) {
        pf_grow((void **)&parents, &parent_capacity, depth + 2, sizeof(TSNode));
        parents[++depth] = node;
        continue;
      }
      int moved = 0;
      while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor))) {
        if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor))
          break;
        depth--;
      }
      if (!moved)
        break;
    }
    free(parents);
    ts_tree_cursor_delete(&cursor);
  }
}

/* A comprehension's targets are bound inside the comprehension only (its own scope). */
static void visit_comprehension(pf_context *ctx, TSNode comprehension, pf001_state *state) {
  uint32_t count = ts_node_named_child_count(comprehension);
  for (uint32_t i = 0; i < count; i++) {
    TSNode clause = ts_node_named_child(comprehension, i);
    if (pf_node_kind(clause) == PF_KIND_FOR_IN_CLAUSE)
      visit_target(ctx, state, pf_child(clause, pf_field.LEFT), ts_node_start_byte(comprehension),
                   ts_node_end_byte(comprehension), comprehension);
  }
}

static void visit(pf_context *ctx, TSNode node, void *opaque) {
  pf001_state *state = opaque;
  switch (pf_node_kind(node)) {
  case PF_KIND_FUNCTION_DEFINITION: {
    /* `def a` rebinds `a` in the enclosing scope once the statement has run. */
    if (state->count)
      record_name(ctx, state, pf_child(node, pf_field.NAME), ts_node_end_byte(node), binding_limit(ctx));
    TSNode parameters = pf_child(node, pf_field.PARAMETERS);
    if (!ts_node_is_null(parameters))
      collect_defaults(ctx, node, parameters, 0, state);
    break;
  }
  case PF_KIND_CLASS_DEFINITION:
    if (state->count)
      record_name(ctx, state, pf_child(node, pf_field.NAME), ts_node_end_byte(node), binding_limit(ctx));
    break;
  case PF_KIND_LAMBDA: {
    TSNode parameters = pf_child(node, pf_field.PARAMETERS);
    if (!ts_node_is_null(parameters))
      collect_defaults(ctx, node, parameters, 1, state);
    break;
  }
  case PF_KIND_CALL:
    visit_call(ctx, node, state);
    break;
  case PF_KIND_ASSIGNMENT:
    visit_assignment(ctx, node, state, 0);
    break;
  case PF_KIND_AUGMENTED_ASSIGNMENT:
    visit_assignment(ctx, node, state, 1);
    break;
  case PF_KIND_DELETE_STATEMENT:
    visit_delete(ctx, node, state);
    break;
  case PF_KIND_FOR_STATEMENT: {
    /* The target is bound in the body only for certain: the loop may run zero times. */
    TSNode left = pf_child(node, pf_field.LEFT), right = pf_child(node, pf_field.RIGHT);
    TSNode body = pf_child(node, pf_field.BODY);
    if (state->count && !ts_node_is_null(left))
      visit_target(ctx, state, left, ts_node_end_byte(ts_node_is_null(right) ? left : right),
                   ts_node_is_null(body) ? ts_node_end_byte(node) : ts_node_end_byte(body), node);
    break;
  }
  case PF_KIND_LIST_COMPREHENSION:
  case PF_KIND_SET_COMPREHENSION:
  case PF_KIND_DICTIONARY_COMPREHENSION:
  case PF_KIND_GENERATOR_EXPRESSION:
    if (state->count)
      visit_comprehension(ctx, node, state);
    break;
  case PF_KIND_WITH_STATEMENT:
    if (state->count)
      visit_with(ctx, node, state);
    break;
  case PF_KIND_EXCEPT_CLAUSE:
    if (state->count)
      visit_except(ctx, node, state);
    break;
  case PF_KIND_IMPORT_STATEMENT:
  case PF_KIND_IMPORT_FROM_STATEMENT:
    if (state->count)
      visit_import(ctx, node, state);
    break;
  case PF_KIND_BLOCK:
    if (state->count && pf_node_kind(pf_parent(ctx)) == PF_KIND_CASE_CLAUSE)
      visit_case_block(ctx, node, pf_parent(ctx), state);
    break;
  case PF_KIND_NAMED_EXPRESSION: {
    /* A walrus in a parameter default binds in the enclosing scope, not in this function. */
    TSNode name = pf_child(node, pf_field.NAME);
    const pf_frame *frame = pf_enclosing_frame(ctx);
    TSNode parameters = frame ? pf_child(frame->node, pf_field.PARAMETERS) : (TSNode){0};
    int in_signature = !ts_node_is_null(parameters) &&
                       ts_node_start_byte(node) >= ts_node_start_byte(parameters) &&
                       ts_node_end_byte(node) <= ts_node_end_byte(parameters);
    if (state->count && !ts_node_is_null(name) && !in_signature)
      record_name(ctx, state, name, ts_node_end_byte(node), binding_limit(ctx));
    break;
  }
  default:
    break;
  }
}

/* "list", "dict" or "set" for displays and comprehensions; "`collections.deque()` object"
 * for calls (by qualified name, so an alias such as `dq()` is spelled out). */
static const char *describe(const pf_context *ctx, const pf_mutable_value *value) {
  if (strcmp(value->form, "call") != 0)
    return value->kind;
  size_t length = strlen(value->kind) + 16;
  char *text = pf_arena_alloc(ctx->arena, length);
  strcpy(text, "`");
  strcat(text, value->kind);
  strcat(text, "()` object");
  return text;
}

static void file_end(pf_context *ctx, void *opaque) {
  pf001_state *state = opaque;
  for (size_t i = 0; i < state->count; i++) {
    pending_default *entry = &state->items[i];
    const char *what = describe(ctx, &entry->mutable_value);
    const char *name = entry->function_name ? entry->function_name : "a lambda";
    const char *tick = entry->function_name ? "`" : "";
    if (entry->mutated_row)
      pf_emit(
          ctx, entry->value, PF_SEVERITY_ERROR,
          "Mutable default for parameter `%s` of %s%s%s is mutated in the body (%s on line %u): every call "
          "without `%s` shares and changes the same %s",
          entry->parameter, tick, name, tick, entry->mutation, entry->mutated_row, entry->parameter, what);
    else
      pf_emit(ctx, entry->value, PF_SEVERITY_WARNING,
              "Mutable default for parameter `%s` of %s%s%s: this %s is created once, when the function is "
              "defined, and shared by every call",
              entry->parameter, tick, name, tick, what);
  }
  free(state->items);
  free(state->bindings);
  memset(state, 0, sizeof(*state));
}

static const pf_kind kinds[] = {
    PF_KIND_FUNCTION_DEFINITION,
    PF_KIND_LAMBDA,
    PF_KIND_CALL,
    PF_KIND_ASSIGNMENT,
    PF_KIND_AUGMENTED_ASSIGNMENT,
    PF_KIND_DELETE_STATEMENT,
    PF_KIND_FOR_STATEMENT,
    PF_KIND_NAMED_EXPRESSION,
    PF_KIND_CLASS_DEFINITION,
    PF_KIND_LIST_COMPREHENSION,
    PF_KIND_SET_COMPREHENSION,
    PF_KIND_DICTIONARY_COMPREHENSION,
    PF_KIND_GENERATOR_EXPRESSION,
    PF_KIND_WITH_STATEMENT,
    PF_KIND_EXCEPT_CLAUSE,
    PF_KIND_IMPORT_STATEMENT,
    PF_KIND_IMPORT_FROM_STATEMENT,
    PF_KIND_BLOCK,
    PF_KIND_OTHER,
};
static const char *const tags[] = {"correctness", "reliability", NULL};

const pf_rule pf_rule_mutable_default_argument = {
    .code = "PF001",
    .name = "mutable-default-argument",
    .summary = "Mutable object used as a parameter default, shared by every call",
    .explanation = explanation,
    .severity = PF_SEVERITY_WARNING,
    .kinds = kinds,
    .visit = visit,
    .state_size = sizeof(pf001_state),
    .file_end = file_end,
    .tags = tags,
    .precision = "high",
};
