/*
 * pf002_shadowed_method.c: PF002, an instance attribute that shadows a method of its class.
 *
 * One walk collects, per file:
 *   - classes: name, the scope their statement runs in (for name lookups), their base
 *     expressions;
 *   - class-level bindings, in source order: methods with their decorator kind (plain,
 *     classmethod, staticmethod, or exempt: property and friends), and other names bound in
 *     the class body (data, aliases of methods, `classmethod(f)` calls);
 *   - candidate assignments: `X.m = ...` (plain, annotated, augmented, inside unpacking,
 *     `for` and `with` targets), `setattr(X, "m", ...)` and `X.__setattr__("m", ...)`, where
 *     X is the instance (the first parameter of an instance method, or of a lambda assigned
 *     in the class body, of the innermost class that binds it, also from nested functions
 *     and lambdas), or a module-level name last bound to `C(...)`.
 * file_end then resolves base classes of this file (by simple name in the scope of the
 * class statement, or `module.Name` when the module names this file by its path),
 * linearizes each class's ancestors in method resolution order (cycle-safe), finds the
 * binding each candidate's name resolves to, and reports at the assigned attribute, with
 * the method as the related location.
 *
 * Precision: a value that is evidently a callable meant to replace the method (each kind
 * one found in the standard library or a widely used package; the explanation lists them)
 * is not reported. Most of that is decided during the walk, where the scopes are at hand;
 * what needs the whole file (module-level defs, methods of the instance) is left to
 * file_end. The walk also records every rebinding of an instance parameter's name
 * (identifiers in binding positions), so that file_end drops assignments through a name
 * that a scope between the method and the assignment rebinds, and every rebinding of a
 * module-level name, which ends its `obj = C(...)` tracking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutability.h"
#include "rule.h"

static const char explanation[] =
    "## What it does\n"
    "Flags an assignment to an instance attribute whose name is also a method of the\n"
    "instance's class (a plain method, a `@classmethod` or a `@staticmethod`), defined in the\n"
    "class itself or in any base class found in the same file, at any depth. It checks\n"
    "`self.m = ...`, `self.m: T = ...`, `self.m += ...`, targets inside unpacking\n"
    "(`self.a, self.m = ...`), `for self.m in ...`, `with ... as self.m`,\n"
    "`setattr(self, \"m\", ...)`, `object.__setattr__(self, \"m\", ...)` and\n"
    "`self.__setattr__(\"m\", ...)`, where `self` is the first parameter of any instance\n"
    "method (or of a lambda assigned in the class body), whatever its name, also when a\n"
    "nested function or lambda uses it. It also checks a module-level `obj = C(...)`\n"
    "followed by `obj.m = ...`, until `obj` is bound again in any way.\n"
    "\n"
    "The finding is at the assignment and points at the method. Severity is error when the\n"
    "method is a classmethod or staticmethod (calling it on an instance is always meant to\n"
    "reach the class's function), warning for a plain method.\n"
    "\n"
    "## Why is this bad?\n"
    "Attribute lookup on an instance finds the instance's own `__dict__` before a method of\n"
    "its class (methods are non-data descriptors). After the assignment, `obj.m` is the value\n"
    "assigned, for this instance only, and the error that follows does not mention the\n"
    "method at all:\n"
    "\n"
    "```python\n"
    ">>> class Factory:\n"
    "...     @classmethod\n"
    "...     def create(cls):\n"
    "...         return cls()\n"
    "...     def __init__(self, create=True):\n"
    "...         self.create = create\n"
    ">>> Factory().create()\n"
    "Traceback (most recent call last):\n"
    "  ...\n"
    "TypeError: 'bool' object is not callable\n"
    "```\n"
    "\n"
    "Other instances, and the class itself (`Factory.create()`), still reach the method, so\n"
    "the bug shows only on some paths.\n"
    "\n"
    "## Example\n"
    "```python\n"
    "class Person:\n"
    "    def __init__(self, name):\n"
    "        self.name = name\n"
    "\n"
    "    def name(self):\n"
    "        return self._name\n"
    "```\n"
    "\n"
    "## Fix\n"
    "Rename one of them (`self._name`, or `def get_name`), or make the method a `@property`\n"
    "if it is meant to read like an attribute.\n"
    "\n"
    "## Not flagged\n"
    "- Methods decorated with `property` or its `.setter`/`.getter`/`.deleter`, or with a\n"
    "  decorator whose name ends in `property` (`functools.cached_property`,\n"
    "  `abc.abstractproperty`, `enum.property`, `classproperty`, `memoized_property`, ...), or\n"
    "  named `DynamicClassAttribute`, `reify`, `cache_readonly`, `declared_attr`: these make\n"
    "  data descriptors, or are meant to be overwritten in the instance.\n"
    "- `cls.m = ...` inside a classmethod (that replaces the class attribute), and the first\n"
    "  parameter of a staticmethod, `__new__`, `__init_subclass__` and `__class_getitem__`,\n"
    "  also when the class body makes them so the old way (`build = classmethod(build)`).\n"
    "- Assignments through any name other than the instance: a nested class's own `self`, a\n"
    "  free function whose first parameter is called `self`, and the instance's name once a\n"
    "  scope rebinds it (`self = other`, `for self in ...`, `except E as self`, a walrus, an\n"
    "  import, a nested function's own `self`, a comprehension's `for self in ...`).\n"
    "- A value that wraps the method itself through the instance, without calling it:\n"
    "  `self.m = functools.lru_cache()(self.m)`, `self.m = wrap(self.m)`,\n"
    "  `self.m = self.m._original` (deliberate per-instance wrapping).\n"
    "- A value that is evidently a callable replacing the method on purpose. Each case is one\n"
    "  found doing so in the standard library or in widely used packages; any other value is\n"
    "  reported, private methods included:\n"
    "  - a lambda (`ipaddress`: `self.hosts = lambda: [...]`);\n"
    "  - a function defined in the enclosing function (IPython, traitlets:\n"
    "    `self.prompt_for_code = prompt`); not a function of the module, which the instance\n"
    "    does not bind (`obj.m()` would not pass it);\n"
    "  - the builtin `id` as a cheap no-op (`xml.dom.expatbuilder`:\n"
    "    `self._finish_start_element = id`); other builtins are reported;\n"
    "  - another method of the instance (`pyparsing`: `self.parseImpl = self.parseImpl_regex`),\n"
    "    or the method itself, saved in a local and restored (`pdb`:\n"
    "    `completenames = self.completenames` ... `self.completenames = completenames`);\n"
    "  - a bare dotted name ending in the same name, leading underscores aside: delegation to\n"
    "    another object (`tarfile`: `self.read = self.fileobj.read`; `threading`:\n"
    "    `self._is_owned = lock._is_owned`). `self.name = args.name` has the same shape and\n"
    "    is not reported either: pitfall cannot tell an argparse namespace from a lock;\n"
    "  - a module's function named for the method (`encodings.utf_16`:\n"
    "    `self.decode = codecs.utf_16_le_decode`);\n"
    "  - a parameter annotated `Callable[...]` (graphql's `on_error`), not `Optional` of it;\n"
    "  - a parameter assigned directly under `if param:` or `if param is not None:`, so the\n"
    "    method stays the fallback (`json.JSONEncoder`'s `default`, graphql's `serialize`);\n"
    "  - a parameter assigned by a setter named for the method (`idlelib`:\n"
    "    `set_close_hook(self, close_hook)`).\n"
    "- A name bound last in the class by something other than a method (`m = None`,\n"
    "  `m = property(...)`), special names (`__call__`, ...: Python looks them up on the\n"
    "  type), and `self.m: T` without a value (an annotation assigns nothing).\n"
    "- A base written `module.Name` that is not this file's module: `module`, once import\n"
    "  aliases are resolved, must name this file by the last parts of its path\n"
    "  (`import json.util` then `json.util.Base` is this file's `Base` only in `.../json/util.py`).\n"
    "\n"
    "## References\n"
    "- Python language reference, \"Invoking Descriptors\" (instance dictionaries take\n"
    "  precedence over non-data descriptors such as functions)\n"
    "- Python tutorial, \"Random Remarks\" in \"Classes\" (data attributes override method\n"
    "  attributes with the same name)\n";

/* What a name bound in a class body is. */
typedef enum binding_kind {
  BINDING_METHOD,
  BINDING_CLASSMETHOD,
  BINDING_STATICMETHOD,
  BINDING_OTHER, /* data, a property or another exempt descriptor, a nested class */
} binding_kind;

typedef struct binding {
  uint32_t class_index;
  binding_kind kind;
  TSNode name_node; /* where the name is bound (the def's name, or the assigned name) */
} binding;

/* A scope key: 0 is the module, otherwise the start byte of a frame's node + 1. */
typedef uint32_t scope_key;

typedef struct class_record {
  TSNode node;
  const char *name;
  uint32_t name_length;
  scope_key scope;   /* where the class statement runs */
  scope_key *lookup; /* scopes its bases are looked up in, innermost first (arena) */
  uint32_t lookup_count;
  int64_t previous_same_name; /* the previous class of this name in the same scope, or -1 */
  /* Resolved at file_end. */
  int resolved;
  uint32_t *bases; /* arena */
  uint32_t base_count;
  uint32_t *order; /* the class and its ancestors in resolution order (arena) */
  uint32_t order_count;
} class_record;

typedef struct candidate {
  TSNode target;    /* the attribute's name, or the setattr string */
  const char *name; /* into the source */
  uint32_t length;
  int64_t class_index;     /* the instance's class, or -1 when class_expression says */
  TSNode class_expression; /* obj = C(...): the C */
  int64_t mangling_class;  /* the class whose name mangles `self.__m` here, or -1 */
  TSNode value;            /* the value assigned to this target, when known */
  int deliberate;          /* the value is a callable replacement, decided during the walk */
  TSNode value_method;     /* `self.other`: the value is a method of the instance if `other` is one */
  /* For an instance parameter: its name, the scopes where a rebinding of that name would
   * make it something else (the method, the functions and lambdas between it and the
   * assignment, a class body the assignment is directly in), and the method itself: its
   * name and class, so that `m = classmethod(m)` later in the class body can undo it. */
  TSNode instance;
  const scope_key *scopes; /* arena */
  uint32_t scope_count;
  int64_t method_class;
  TSNode method_name;
} candidate;

/* A map from (owner, name) to an index, open addressing; names point into the source. */
typedef struct map_slot {
  const char *name;
  uint32_t length;
  uint32_t owner;
  uint32_t value;
} map_slot;

typedef struct name_map {
  map_slot *slots;
  size_t capacity, count;
} name_map;

/* For the node at one depth of the walk's ancestor stack that is a target container (a
 * list, tuple, parentheses, ...): where the run of target containers it ends begins. Kept
 * per depth so that each container is looked at once, however many names it holds. */
typedef struct target_run {
  TSNode node;              /* the container this entry is about; a null node when none yet */
  uint32_t top;             /* the depth of the run's outermost container */
  uint8_t only_parentheses; /* every container of the run is a parenthesized expression */
} target_run;

/* What method_instance_parameter found for the frame `frame` (a function or lambda node). */
typedef struct frame_parameter {
  TSNode frame;
  int is_method;
  TSNode first; /* its first positional parameter's name (null: none) */
} frame_parameter;

typedef struct pf002_state {
  class_record *classes;
  size_t class_count, class_capacity;
  binding *bindings;
  size_t binding_count, binding_capacity;
  candidate *candidates;
  size_t candidate_count, candidate_capacity;
  name_map class_names;    /* (scope, class name) -> last class of that name */
  name_map class_bindings; /* (class index, name) -> last binding */
  name_map module_objects; /* (0, name) -> index into object_classes + 1, or 0 when rebound */
  TSNode *object_classes;  /* the C of module-level `name = C(...)` */
  size_t object_count, object_capacity;
  name_map functions; /* (scope, name) of every def in a function, by that function */
  name_map rebound;   /* (scope, name) of every rebinding of an instance parameter's name */
  name_map saved;     /* (function, local) -> index into saved_values + 1 of its last `= a.b`, or 0 */
  TSNode *saved_values;
  size_t saved_count, saved_capacity;
  target_run *target_runs; /* per walk depth, for binding_of_identifier */
  size_t target_run_capacity;
  frame_parameter *frame_parameters; /* per frame index, for method_instance_parameter */
  size_t frame_parameter_capacity;
} pf002_state;

/* pf_node_kind that accepts a null node (a missing field), as PF_KIND_OTHER. */
static pf_kind kind_of(TSNode node) { return ts_node_is_null(node) ? PF_KIND_OTHER : pf_node_kind(node); }

/* ---- the name map ---- */

static uint32_t hash_name(uint32_t owner, const char *name, uint32_t length) {
  uint32_t hash = 2166136261u ^ owner;
  for (uint32_t i = 0; i < length; i++)
    hash = (hash ^ (unsigned char)name[i]) * 16777619u;
  return hash;
}

static map_slot *map_slot_for(const name_map *map, uint32_t owner, const char *name, uint32_t length) {
  size_t mask = map->capacity - 1;
  for (size_t i = hash_name(owner, name, length) & mask;; i = (i + 1) & mask) {
    map_slot *slot = &map->slots[i];
    if (!slot->name ||
        (slot->owner == owner && slot->length == length && memcmp(slot->name, name, length) == 0))
      return slot;
  }
}

static uint32_t *map_find(const name_map *map, uint32_t owner, const char *name, uint32_t length) {
  if (!map->capacity)
    return NULL;
  map_slot *slot = map_slot_for(map, owner, name, length);
  return slot->name ? &slot->value : NULL;
}

static void map_put(name_map *map, uint32_t owner, const char *name, uint32_t length, uint32_t value) {
  if ((map->count + 1) * 2 > map->capacity) {
    name_map bigger = {pf_xcalloc(map->capacity ? map->capacity * 2 : 64, sizeof(map_slot)),
                       map->capacity ? map->capacity * 2 : 64, 0};
    for (size_t i = 0; i < map->capacity; i++)
      if (map->slots[i].name)
        *map_slot_for(&bigger, map->slots[i].owner, map->slots[i].name, map->slots[i].length) = map->slots[i];
    bigger.count = map->count;
    free(map->slots);
    *map = bigger;
  }
  map_slot *slot = map_slot_for(map, owner, name, length);
  if (!slot->name) {
    map->count++;
    slot->name = name;
    slot->length = length;
    slot->owner = owner;
  }
  slot->value = value;
}

/* ---- small helpers ---- */

static int is_dunder(const char *name, uint32_t length) {
  return length > 4 && name[0] == '_' && name[1] == '_' && name[length - 1] == '_' && name[length - 2] == '_';
}

static int text_equals(const char *a, uint32_t a_length, const char *b, uint32_t b_length) {
  return a_length == b_length && memcmp(a, b, a_length) == 0;
}

static scope_key key_of_frame(const pf_frame *frame) {
  return frame ? ts_node_start_byte(frame->node) + 1 : 0;
}

static scope_key current_scope(const pf_context *ctx) { return key_of_frame(pf_enclosing_frame(ctx)); }

/* The instance parameter of a positional first parameter: `self` in `def f(self, ...)`,
 * not `args` in `def f(*args)`. */
static TSNode first_positional_parameter(TSNode function) {
  TSNode null_node = {0};
  TSNode parameters = pf_child(function, pf_field.PARAMETERS);
  if (ts_node_is_null(parameters) || ts_node_named_child_count(parameters) == 0)
    return null_node;
  TSNode first = ts_node_named_child(parameters, 0);
  pf_kind kind = kind_of(first);
  if (kind == PF_KIND_TYPED_PARAMETER && ts_node_named_child_count(first) &&
      kind_of(ts_node_named_child(first, 0)) != PF_KIND_IDENTIFIER)
    return null_node; /* *args: T */
  if (kind != PF_KIND_IDENTIFIER && kind != PF_KIND_DEFAULT_PARAMETER && kind != PF_KIND_TYPED_PARAMETER &&
      kind != PF_KIND_TYPED_DEFAULT_PARAMETER)
    return null_node;
  return pf_parameter_name(first);
}

static int parameters_bind(const pf_context *ctx, TSNode function, const char *name, uint32_t length) {
  TSNode parameters = pf_child(function, pf_field.PARAMETERS);
  if (ts_node_is_null(parameters))
    return 0;
  uint32_t count = ts_node_named_child_count(parameters);
  for (uint32_t i = 0; i < count; i++) {
    TSNode bound = pf_parameter_name(ts_node_named_child(parameters, i));
    uint32_t bound_length;
    if (!ts_node_is_null(bound)) {
      const char *text = pf_node_text(ctx, bound, &bound_length);
      if (text_equals(text, bound_length, name, length))
        return 1;
    }
  }
  return 0;
}

/* Decorator names (the last dotted segment) that make a method something an instance
 * attribute may legitimately replace or that assignment does not reach. Besides these,
 * any name ending in "property" counts. */
static const char *const exempt_decorators[] = {
    "setter", "getter", "deleter", "DynamicClassAttribute", "reify", "cache_readonly", "declared_attr", NULL,
};

static int ends_with_property(const char *name) {
  size_t length = strlen(name);
  if (length < 8)
    return 0;
  const char *tail = name + length - 8;
  return (tail[0] == 'p' || tail[0] == 'P') && strcmp(tail + 1, "roperty") == 0;
}

static int exempt_callable(const char *last_segment) {
  if (ends_with_property(last_segment))
    return 1;
  for (size_t i = 0; exempt_decorators[i]; i++)
    if (strcmp(last_segment, exempt_decorators[i]) == 0)
      return 1;
  return 0;
}

/* The last dotted segment of a decorator or callee (`functools.cached_property` ->
 * `cached_property`), written into `out`; "" when it is not a dotted name. */
static const char *last_segment(const pf_context *ctx, TSNode expression, char *out, size_t size) {
  if (kind_of(expression) == PF_KIND_CALL)
    expression = pf_child(expression, pf_field.FUNCTION);
  if (ts_node_is_null(expression) ||
      pf_qualified_name(ctx->imports, ctx->source, expression, out, size) != 0) {
    out[0] = '\0';
    return out;
  }
  const char *dot = strrchr(out, '.');
  return dot ? dot + 1 : out;
}

/* The kind of a def in a class body, from its decorators and name. `parent` is the node the
 * function_definition hangs from (a decorated_definition when it has decorators). */
static binding_kind method_kind(const pf_context *ctx, TSNode function, TSNode parent) {
  binding_kind kind = BINDING_METHOD;
  TSNode name = pf_child(function, pf_field.NAME);
  if (!ts_node_is_null(name) && pf_node_text_is(ctx, name, "__new__"))
    kind = BINDING_STATICMETHOD;
  else if (!ts_node_is_null(name) && (pf_node_text_is(ctx, name, "__init_subclass__") ||
                                      pf_node_text_is(ctx, name, "__class_getitem__")))
    kind = BINDING_CLASSMETHOD;
  if (ts_node_is_null(parent) || kind_of(parent) != PF_KIND_DECORATED_DEFINITION)
    return kind;
  uint32_t count = ts_node_named_child_count(parent);
  for (uint32_t i = 0; i < count; i++) {
    TSNode decorator = ts_node_named_child(parent, i);
    if (kind_of(decorator) != PF_KIND_DECORATOR || ts_node_named_child_count(decorator) == 0)
      continue;
    char buffer[256];
    const char *last = last_segment(ctx, ts_node_named_child(decorator, 0), buffer, sizeof(buffer));
    if (exempt_callable(last))
      return BINDING_OTHER;
    if (strcmp(last, "classmethod") == 0)
      kind = BINDING_CLASSMETHOD;
    else if (strcmp(last, "staticmethod") == 0)
      kind = BINDING_STATICMETHOD;
  }
  return kind;
}

/* ---- collecting ---- */

static void add_binding(pf002_state *state, uint32_t class_index, const char *name, uint32_t length,
                        TSNode name_node, binding_kind kind) {
  pf_grow((void **)&state->bindings, &state->binding_capacity, state->binding_count + 1, sizeof(binding));
  binding *entry = &state->bindings[state->binding_count];
  entry->class_index = class_index;
  entry->kind = kind;
  entry->name_node = name_node;
  map_put(&state->class_bindings, class_index, name, length, (uint32_t)state->binding_count);
  state->binding_count++;
}

static void add_named_binding(const pf_context *ctx, pf002_state *state, uint32_t class_index,
                              TSNode name_node, binding_kind kind) {
  uint32_t length;
  const char *name = pf_node_text(ctx, name_node, &length);
  add_binding(state, class_index, name, length, name_node, kind);
}

/* The index of the class record for a class frame (classes are recorded as the walk
 * enters them, so a frame's class is always known), or -1. */
static int64_t class_of_frame(const pf002_state *state, const pf_frame *frame) {
  uint32_t start = ts_node_start_byte(frame->node);
  /* Classes are recorded in source order: binary search by start byte. */
  size_t low = 0, high = state->class_count;
  while (low < high) {
    size_t middle = (low + high) / 2;
    uint32_t middle_start = ts_node_start_byte(state->classes[middle].node);
    if (middle_start == start)
      return (int64_t)middle;
    if (middle_start < start)
      low = middle + 1;
    else
      high = middle;
  }
  return -1;
}

static void visit_class(pf_context *ctx, TSNode node, pf002_state *state) {
  TSNode name = pf_child(node, pf_field.NAME);
  if (ts_node_is_null(name))
    return;
  const pf_frame *enclosing = pf_enclosing_frame(ctx);
  if (enclosing && enclosing->kind == PF_KIND_CLASS_DEFINITION) {
    int64_t outer = class_of_frame(state, enclosing);
    if (outer >= 0)
      add_named_binding(ctx, state, (uint32_t)outer, name, BINDING_OTHER);
  }
  pf_grow((void **)&state->classes, &state->class_capacity, state->class_count + 1, sizeof(class_record));
  class_record *record = &state->classes[state->class_count];
  memset(record, 0, sizeof(*record));
  record->node = node;
  record->name = pf_node_text(ctx, name, &record->name_length);
  record->scope = current_scope(ctx);
  /* Bases are evaluated where the class statement runs, which sees that scope, then the
   * enclosing function scopes (not class bodies), then the module. */
  record->lookup = pf_arena_alloc(ctx->arena, ((size_t)ctx->frame_count + 1) * sizeof(scope_key));
  record->lookup[record->lookup_count++] = record->scope;
  for (uint32_t f = ctx->frame_count; f-- > 1;) {
    const pf_frame *frame = &ctx->frames[f - 1];
    if (frame->kind != PF_KIND_CLASS_DEFINITION)
      record->lookup[record->lookup_count++] = key_of_frame(frame);
  }
  if (record->scope != 0)
    record->lookup[record->lookup_count++] = 0;
  uint32_t *previous = map_find(&state->class_names, record->scope, record->name, record->name_length);
  record->previous_same_name = previous ? (int64_t)*previous : -1;
  map_put(&state->class_names, record->scope, record->name, record->name_length,
          (uint32_t)state->class_count);
  state->class_count++;
}

static void visit_function(pf_context *ctx, TSNode node, pf002_state *state) {
  const pf_frame *enclosing = pf_enclosing_frame(ctx);
  TSNode name = pf_child(node, pf_field.NAME);
  if (!ts_node_is_null(name) && enclosing && enclosing->kind != PF_KIND_CLASS_DEFINITION) {
    uint32_t length;
    const char *text = pf_node_text(ctx, name, &length);
    map_put(&state->functions, current_scope(ctx), text, length, 1);
  }
  if (!enclosing || enclosing->kind != PF_KIND_CLASS_DEFINITION)
    return;
  int64_t class_index = class_of_frame(state, enclosing);
  if (ts_node_is_null(name) || class_index < 0)
    return;
  add_named_binding(ctx, state, (uint32_t)class_index, name, method_kind(ctx, node, pf_parent(ctx)));
}

/* Whether frame `f` is a method of the class in frame f - 1: a def in the class body, or a
 * lambda assigned to a name there (`reset = lambda self: ...`). */
static int is_method_frame(const pf_context *ctx, uint32_t f) {
  if (f == 0 || ctx->frames[f - 1].kind != PF_KIND_CLASS_DEFINITION)
    return 0;
  const pf_frame *frame = &ctx->frames[f];
  if (frame->kind == PF_KIND_FUNCTION_DEFINITION)
    return 1;
  return frame->kind == PF_KIND_LAMBDA && frame->depth > 0 &&
         (pf_kind)ctx->kinds[frame->depth - 1] == PF_KIND_ASSIGNMENT &&
         ctx->fields[frame->depth] == pf_field.RIGHT &&
         kind_of(pf_unparenthesize(pf_child(ctx->nodes[frame->depth - 1], pf_field.LEFT))) ==
             PF_KIND_IDENTIFIER;
}

/* Whether frame `f` is a method (is_method_frame), and its first positional parameter: the
 * instance's name. Asked for every enclosing frame of every attribute target and of every
 * bound name, so the answer is kept per frame index until another frame takes that index. */
static int method_instance_parameter(const pf_context *ctx, pf002_state *state, uint32_t f, TSNode *first) {
  if (f >= state->frame_parameter_capacity) {
    size_t old_capacity = state->frame_parameter_capacity;
    pf_grow((void **)&state->frame_parameters, &state->frame_parameter_capacity, (size_t)f + 1,
            sizeof(frame_parameter));
    memset(state->frame_parameters + old_capacity, 0,
           (state->frame_parameter_capacity - old_capacity) * sizeof(frame_parameter));
  }
  frame_parameter *entry = &state->frame_parameters[f];
  if (ts_node_is_null(entry->frame) || !ts_node_eq(entry->frame, ctx->frames[f].node)) {
    entry->frame = ctx->frames[f].node;
    entry->is_method = is_method_frame(ctx, f);
    entry->first = entry->is_method ? first_positional_parameter(ctx->frames[f].node) : (TSNode){0};
  }
  *first = entry->first;
  return entry->is_method;
}

/* The name a method frame binds in its class: the def's name, or the name a lambda is
 * assigned to. */
static TSNode method_name_of(const pf_context *ctx, uint32_t f) {
  const pf_frame *frame = &ctx->frames[f];
  if (frame->kind == PF_KIND_FUNCTION_DEFINITION)
    return pf_child(frame->node, pf_field.NAME);
  return pf_unparenthesize(pf_child(ctx->nodes[frame->depth - 1], pf_field.LEFT));
}

/* What `object` (an identifier) names where it is used: the instance of a class (returns
 * the class index and sets *method_frame to the method whose first parameter it is), or
 * something else (-1). Walks the enclosing scopes outwards, as Python resolves a free name:
 * class bodies are skipped, a function's parameters bind. Rebindings in the bodies are
 * checked at file_end. */
static int64_t instance_class_of(const pf_context *ctx, pf002_state *state, TSNode object,
                                 uint32_t *method_frame) {
  uint32_t length;
  const char *name = pf_node_text(ctx, object, &length);
  for (uint32_t f = ctx->frame_count; f-- > 0;) {
    const pf_frame *frame = &ctx->frames[f];
    if (frame->kind == PF_KIND_CLASS_DEFINITION)
      continue;
    TSNode first;
    if (method_instance_parameter(ctx, state, f, &first)) {
      uint32_t first_length;
      if (!ts_node_is_null(first)) {
        const char *first_text = pf_node_text(ctx, first, &first_length);
        if (text_equals(first_text, first_length, name, length)) {
          if (frame->kind == PF_KIND_FUNCTION_DEFINITION) {
            binding_kind kind = method_kind(ctx, frame->node, ctx->nodes[frame->depth - 1]);
            if (kind == BINDING_CLASSMETHOD || kind == BINDING_STATICMETHOD)
              return -1;
          }
          *method_frame = f;
          return class_of_frame(state, &ctx->frames[f - 1]);
        }
      }
    }
    if (parameters_bind(ctx, frame->node, name, length))
      return -1;
  }
  return -1;
}

/* Whether a comprehension between the walk depth `from` and the visited node binds `name`
 * in one of its `for` clauses: inside the comprehension, the name is that target. The first
 * clause's iterable runs in the enclosing scope and does not see it. */
static int bound_by_comprehension(const pf_context *ctx, uint32_t from, const char *name, uint32_t length);

/* Whether `name` equals `target` once leading underscores are stripped from both
 * (`self._flush = self.stdout.flush`). */
static int same_name_but_underscores(const char *name, uint32_t length, const char *target,
                                     uint32_t target_length) {
  while (length && *name == '_')
    name++, length--;
  while (target_length && *target == '_')
    target++, target_length--;
  return length && text_equals(name, length, target, target_length);
}

/* Whether an expression is a bare dotted name: `a`, `a.b`, `a.b.c` (no calls, no subscripts). */
static int is_dotted_name(TSNode expression) {
  for (int guard = 0; guard < 10000; guard++) {
    expression = pf_unparenthesize(expression);
    pf_kind kind = kind_of(expression);
    if (kind == PF_KIND_IDENTIFIER)
      return 1;
    if (kind != PF_KIND_ATTRIBUTE)
      return 0;
    expression = pf_child(expression, pf_field.OBJECT);
  }
  return 0;
}

/* The parameter node that binds `name` in the innermost function or lambda (class bodies
 * skipped), with the frame index in *frame_index, or a null node. */
static TSNode binding_parameter(const pf_context *ctx, const char *name, uint32_t length,
                                uint32_t *frame_index) {
  TSNode null_node = {0};
  for (uint32_t f = ctx->frame_count; f-- > 0;) {
    const pf_frame *frame = &ctx->frames[f];
    if (frame->kind == PF_KIND_CLASS_DEFINITION)
      continue;
    TSNode parameters = pf_child(frame->node, pf_field.PARAMETERS);
    uint32_t count = ts_node_is_null(parameters) ? 0 : ts_node_named_child_count(parameters);
    for (uint32_t i = 0; i < count; i++) {
      TSNode parameter = ts_node_named_child(parameters, i);
      TSNode bound = pf_parameter_name(parameter);
      uint32_t bound_length;
      if (ts_node_is_null(bound))
        continue;
      const char *text = pf_node_text(ctx, bound, &bound_length);
      if (text_equals(text, bound_length, name, length)) {
        *frame_index = f;
        return parameter;
      }
    }
    return null_node; /* only the innermost function's own parameters */
  }
  return null_node;
}

/* Whether an annotation is `Callable` or `Callable[...]` itself (typing, collections.abc,
 * or a string of it), not Optional/Union of it: a value of that type is always callable. */
static int annotation_is_callable(const pf_context *ctx, TSNode annotation) {
  TSNode type = annotation;
  if (kind_of(type) == PF_KIND_TYPE && ts_node_named_child_count(type) == 1)
    type = ts_node_named_child(type, 0);
  uint32_t length;
  const char *text = pf_node_text(ctx, type, &length);
  if (kind_of(type) == PF_KIND_STRING && length >= 2) {
    text++, length -= 2; /* "Callable[...]": the quotes only; a prefix makes it fail below */
  } else if (kind_of(type) == PF_KIND_GENERIC_TYPE || kind_of(type) == PF_KIND_SUBSCRIPT) {
    TSNode head =
        kind_of(type) == PF_KIND_SUBSCRIPT ? pf_child(type, pf_field.VALUE) : ts_node_named_child(type, 0);
    text = pf_node_text(ctx, head, &length);
  } else if (kind_of(type) != PF_KIND_IDENTIFIER && kind_of(type) != PF_KIND_ATTRIBUTE) {
    return 0;
  }
  /* the dotted head, up to an opening bracket */
  uint32_t head_length = 0;
  while (head_length < length && text[head_length] != '[')
    head_length++;
  static const char *const spellings[] = {"Callable",     "typing.Callable",          "t.Callable",
                                          "abc.Callable", "collections.abc.Callable", NULL};
  for (size_t i = 0; spellings[i]; i++)
    if (text_equals(text, head_length, spellings[i], (uint32_t)strlen(spellings[i])))
      return head_length == length || text[length - 1] == ']';
  return 0;
}

/* Whether the statement being visited (an assignment or a setattr call) sits directly in the
 * body of `if NAME:` or `if NAME is not None:`, with `value` exactly NAME, a parameter of the
 * innermost function: the method is replaced only when a replacement is given, and stays the
 * fallback (json.JSONEncoder's `default`, graphql's `serialize`). */
static int guarded_replacement(const pf_context *ctx, TSNode value) {
  value = pf_unparenthesize(value);
  if (ctx->depth < 3 || kind_of(value) != PF_KIND_IDENTIFIER)
    return 0;
  uint32_t value_length, frame_index;
  const char *value_text = pf_node_text(ctx, value, &value_length);
  if (ts_node_is_null(binding_parameter(ctx, value_text, value_length, &frame_index)))
    return 0;
  uint32_t d = ctx->depth;
  while (d > 0 && (pf_kind)ctx->kinds[d - 1] == PF_KIND_ASSIGNMENT)
    d--; /* a = self.m = value */
  if (d < 3 || (pf_kind)ctx->kinds[d - 1] != PF_KIND_EXPRESSION_STATEMENT ||
      (pf_kind)ctx->kinds[d - 2] != PF_KIND_BLOCK || (pf_kind)ctx->kinds[d - 3] != PF_KIND_IF_STATEMENT ||
      ctx->fields[d - 2] != pf_field.CONSEQUENCE)
    return 0;
  TSNode condition = pf_unparenthesize(ts_node_named_child(ctx->nodes[d - 3], 0));
  uint32_t left_length;
  if (kind_of(condition) == PF_KIND_IDENTIFIER) {
    const char *text = pf_node_text(ctx, condition, &left_length);
    return text_equals(text, left_length, value_text, value_length);
  }
  if (kind_of(condition) != PF_KIND_COMPARISON_OPERATOR || ts_node_named_child_count(condition) != 2)
    return 0;
  TSNode left = ts_node_named_child(condition, 0), right = ts_node_named_child(condition, 1);
  const char *left_text = pf_node_text(ctx, left, &left_length);
  if (kind_of(left) != PF_KIND_IDENTIFIER || kind_of(right) != PF_KIND_NONE ||
      !text_equals(left_text, left_length, value_text, value_length))
    return 0;
  /* The operator between them must be `is not`. */
  const char *text = ctx->source->text;
  uint32_t i = ts_node_end_byte(left), end = ts_node_start_byte(right);
  char words[16];
  size_t used = 0;
  for (; i < end && used + 1 < sizeof(words); i++)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\\' && text[i] != '\n' && text[i] != '\r')
      words[used++] = text[i];
  words[used] = '\0';
  return i == end && strcmp(words, "isnot") == 0;
}

/* Whether the innermost function is a setter named `set_m` or `setM` for `name`, and `value`
 * is one of its parameters: a setter whose job is to replace the hook (idlelib's
 * `set_close_hook(self, close_hook)`). */
static int setter_replacement(const pf_context *ctx, const char *name, uint32_t length, TSNode value) {
  value = pf_unparenthesize(value);
  if (kind_of(value) != PF_KIND_IDENTIFIER)
    return 0;
  uint32_t value_length, frame_index;
  const char *value_text = pf_node_text(ctx, value, &value_length);
  if (ts_node_is_null(binding_parameter(ctx, value_text, value_length, &frame_index)))
    return 0;
  const pf_frame *frame = &ctx->frames[frame_index];
  if (frame->kind != PF_KIND_FUNCTION_DEFINITION)
    return 0;
  TSNode function_name = pf_child(frame->node, pf_field.NAME);
  if (ts_node_is_null(function_name))
    return 0;
  uint32_t function_length;
  const char *text = pf_node_text(ctx, function_name, &function_length);
  /* compare "set" + name with the function's name, ignoring case and underscores */
  char expected[160], actual[160];
  size_t e = 0, a = 0;
  const char *prefix = "set";
  for (size_t i = 0; prefix[i]; i++)
    expected[e++] = prefix[i];
  for (uint32_t i = 0; i < length && e + 1 < sizeof(expected); i++)
    if (name[i] != '_')
      expected[e++] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
  for (uint32_t i = 0; i < function_length && a + 1 < sizeof(actual); i++)
    if (text[i] != '_')
      actual[a++] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] - 'A' + 'a' : text[i]);
  return e == a && memcmp(expected, actual, e) == 0;
}

/* Classifies the value assigned to `object.name` during the walk: sets `deliberate` when it
 * is evidently a callable meant to replace the method, or notes what file_end must check.
 * Each case is one found replacing a method on purpose in the standard library or in
 * widely used packages; anything else is reported. */
static void classify_value(const pf_context *ctx, const pf002_state *state, candidate *entry, TSNode object) {
  TSNode value = pf_unparenthesize(entry->value);
  if (ts_node_is_null(value))
    return;
  pf_kind kind = kind_of(value);
  if (kind == PF_KIND_LAMBDA) {
    entry->deliberate = 1; /* ipaddress: self.hosts = lambda: [...] */
    return;
  }
  if (kind == PF_KIND_ATTRIBUTE) {
    TSNode owner = pf_unparenthesize(pf_child(value, pf_field.OBJECT));
    TSNode attribute = pf_child(value, pf_field.ATTRIBUTE);
    if (ts_node_is_null(owner) || ts_node_is_null(attribute) || !is_dotted_name(value))
      return;
    uint32_t length;
    const char *text = pf_node_text(ctx, attribute, &length);
    /* tarfile: self.read = self.fileobj.read; threading: self._is_owned = lock._is_owned;
     * wsgiref: self._flush = self.stdout.flush: delegation to another object's method */
    if (same_name_but_underscores(text, length, entry->name, entry->length)) {
      entry->deliberate = 1;
      return;
    }
    if (kind_of(owner) != PF_KIND_IDENTIFIER)
      return;
    uint32_t owner_length;
    const char *owner_text = pf_node_text(ctx, owner, &owner_length);
    /* encodings: self.decode = codecs.utf_16_le_decode, a module's function named for it */
    if (pf_imports_lookup(ctx->imports, owner_text, owner_length) && length > entry->length &&
        text[length - entry->length - 1] == '_' &&
        memcmp(text + length - entry->length, entry->name, entry->length) == 0) {
      entry->deliberate = 1;
      return;
    }
    /* pyparsing: self.parseImpl = self.parseImpl_regex, if that is a method (file_end) */
    uint32_t object_length;
    const char *object_text = pf_node_text(ctx, object, &object_length);
    if (text_equals(owner_text, owner_length, object_text, object_length))
      entry->value_method = attribute;
    return;
  }
  if (kind != PF_KIND_IDENTIFIER)
    return;
  uint32_t length, frame_index;
  const char *text = pf_node_text(ctx, value, &length);
  TSNode parameter = binding_parameter(ctx, text, length, &frame_index);
  if (!ts_node_is_null(parameter)) {
    /* graphql: `on_error: Callable[[GraphQLError], None]` */
    TSNode annotation = pf_child(parameter, pf_field.TYPE);
    if (!ts_node_is_null(annotation) && annotation_is_callable(ctx, annotation))
      entry->deliberate = 1;
    return;
  }
  /* pdb: `saved = self.m` earlier in the function, then `self.m = saved` restores it */
  for (uint32_t f = ctx->frame_count; f-- > 0;) {
    if (ctx->frames[f].kind == PF_KIND_CLASS_DEFINITION)
      continue;
    uint32_t *index = map_find(&state->saved, key_of_frame(&ctx->frames[f]), text, length);
    if (index && *index) {
      TSNode saved = state->saved_values[*index - 1];
      TSNode saved_object = pf_unparenthesize(pf_child(saved, pf_field.OBJECT));
      uint32_t saved_length, object_length, instance_length;
      const char *saved_name = pf_node_text(ctx, pf_child(saved, pf_field.ATTRIBUTE), &saved_length);
      const char *object_text = pf_node_text(ctx, saved_object, &object_length);
      const char *instance_text = pf_node_text(ctx, object, &instance_length);
      if (kind_of(saved_object) == PF_KIND_IDENTIFIER &&
          text_equals(saved_name, saved_length, entry->name, entry->length) &&
          text_equals(object_text, object_length, instance_text, instance_length))
        entry->deliberate = 1;
    }
    break; /* the innermost function's locals only */
  }
  if (entry->deliberate)
    return;
  /* IPython, traitlets, pyparsing: a function defined in an enclosing function (a closure,
   * which does not need the instance passed) */
  for (uint32_t f = ctx->frame_count; f-- > 0;) {
    if (ctx->frames[f].kind != PF_KIND_CLASS_DEFINITION &&
        map_find(&state->functions, key_of_frame(&ctx->frames[f]), text, length)) {
      entry->deliberate = 1;
      return;
    }
  }
  /* xml.dom.expatbuilder: self._finish_start_element = id, the builtin as a cheap no-op.
   * Other builtins (`self.close = print`) and functions of the module (which are not bound
   * to the instance: `obj.m()` passes no self) are reported. */
  if (text_equals(text, length, "id", 2) && pf_is_builtin_callable(ctx, value, "id"))
    entry->deliberate = 1;
}

static void add_candidate(pf_context *ctx, pf002_state *state, TSNode object, TSNode target, const char *name,
                          uint32_t length, TSNode value, TSNode whole_value, int through_string) {
  if (is_dunder(name, length) || kind_of(object) != PF_KIND_IDENTIFIER)
    return;
  uint32_t method_frame = 0;
  int64_t class_index = instance_class_of(ctx, state, object, &method_frame);
  TSNode class_expression = {0};
  if (class_index < 0) {
    if (ctx->frame_count != 0)
      return;
    uint32_t object_length;
    const char *object_name = pf_node_text(ctx, object, &object_length);
    uint32_t *entry = map_find(&state->module_objects, 0, object_name, object_length);
    if (!entry || *entry == 0 || bound_by_comprehension(ctx, 0, object_name, object_length))
      return;
    class_expression = state->object_classes[*entry - 1];
  } else {
    uint32_t object_length;
    const char *object_name = pf_node_text(ctx, object, &object_length);
    if (bound_by_comprehension(ctx, ctx->frames[method_frame].depth, object_name, object_length))
      return;
  }
  /* `self.__m` is mangled with the name of the class it is written in; a string is not. */
  int64_t mangling_class = -1;
  if (length > 2 && name[0] == '_' && name[1] == '_') {
    if (through_string)
      return;
    for (uint32_t f = ctx->frame_count; f-- > 0 && mangling_class < 0;)
      if (ctx->frames[f].kind == PF_KIND_CLASS_DEFINITION)
        mangling_class = class_of_frame(state, &ctx->frames[f]);
    if (mangling_class < 0)
      return;
  }
  pf_grow((void **)&state->candidates, &state->candidate_capacity, state->candidate_count + 1,
          sizeof(candidate));
  candidate *entry = &state->candidates[state->candidate_count++];
  memset(entry, 0, sizeof(*entry));
  entry->target = target;
  entry->name = name;
  entry->length = length;
  entry->class_index = class_index;
  entry->class_expression = class_expression;
  entry->mangling_class = mangling_class;
  entry->value = value;
  entry->method_class = -1;
  if (class_index >= 0) {
    entry->instance = object;
    entry->method_class = class_index;
    entry->method_name = method_name_of(ctx, method_frame);
    scope_key *scopes = pf_arena_alloc(ctx->arena, (ctx->frame_count - method_frame) * sizeof(scope_key));
    for (uint32_t f = method_frame; f < ctx->frame_count; f++)
      if (ctx->frames[f].kind != PF_KIND_CLASS_DEFINITION || f + 1 == ctx->frame_count)
        scopes[entry->scope_count++] = key_of_frame(&ctx->frames[f]);
    entry->scopes = scopes;
  }
  classify_value(ctx, state, entry, object);
  if (!entry->deliberate && class_index >= 0 &&
      (guarded_replacement(ctx, whole_value) || setter_replacement(ctx, name, length, whole_value)))
    entry->deliberate = 1;
}
/* The value an assignment finally assigns, given its right side: `c` in `a = b = c`. */
static TSNode final_value(TSNode right) {
  TSNode value = right;
  for (int guard = 0; guard < 10000 && kind_of(value) == PF_KIND_ASSIGNMENT; guard++)
    value = pf_child(value, pf_field.RIGHT);
  return value;
}

/* Module-level tracking of `name = C(...)`: records or forgets what `name` holds. */
static void track_module_name(pf_context *ctx, pf002_state *state, TSNode name, TSNode value) {
  uint32_t length;
  const char *text = pf_node_text(ctx, name, &length);
  TSNode callee = {0};
  value = pf_unparenthesize(value);
  if (!ts_node_is_null(value) && kind_of(value) == PF_KIND_CALL) {
    TSNode function = pf_child(value, pf_field.FUNCTION);
    pf_kind kind = kind_of(function);
    if (kind == PF_KIND_IDENTIFIER || kind == PF_KIND_ATTRIBUTE)
      callee = function;
  }
  if (ts_node_is_null(callee)) {
    uint32_t *entry = map_find(&state->module_objects, 0, text, length);
    if (entry)
      *entry = 0;
    return;
  }
  pf_grow((void **)&state->object_classes, &state->object_capacity, state->object_count + 1, sizeof(TSNode));
  state->object_classes[state->object_count++] = callee;
  map_put(&state->module_objects, 0, text, length, (uint32_t)state->object_count);
}

enum { MAX_TARGET_NAMES = 64 };

/* The names a target binds (identifiers inside patterns), at most MAX_TARGET_NAMES. */
static size_t target_names(TSNode target, TSNode *names) {
  TSNode pending[MAX_TARGET_NAMES];
  size_t count = 0, found = 0;
  if (ts_node_is_null(target))
    return 0;
  pending[count++] = target;
  while (count && found < MAX_TARGET_NAMES) {
    TSNode node = pending[--count];
    pf_kind kind = kind_of(node);
    if (kind == PF_KIND_IDENTIFIER) {
      names[found++] = node;
      continue;
    }
    if (kind != PF_KIND_PATTERN_LIST && kind != PF_KIND_TUPLE_PATTERN && kind != PF_KIND_LIST_PATTERN &&
        kind != PF_KIND_LIST_SPLAT_PATTERN && kind != PF_KIND_PARENTHESIZED_EXPRESSION &&
        kind != PF_KIND_EXPRESSION_LIST && kind != PF_KIND_TUPLE && kind != PF_KIND_LIST &&
        kind != PF_KIND_LIST_SPLAT)
      continue;
    uint32_t children = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < children && count < MAX_TARGET_NAMES; i++)
      pending[count++] = ts_node_named_child(node, i);
  }
  return found;
}

/* Forgets what a module-level name held: it was rebound. */
static void forget_module_name(pf002_state *state, const char *name, uint32_t length) {
  uint32_t *entry = map_find(&state->module_objects, 0, name, length);
  if (entry)
    *entry = 0;
}

static int is_comprehension(pf_kind kind) {
  return kind == PF_KIND_LIST_COMPREHENSION || kind == PF_KIND_SET_COMPREHENSION ||
         kind == PF_KIND_DICTIONARY_COMPREHENSION || kind == PF_KIND_GENERATOR_EXPRESSION;
}

static int bound_by_comprehension(const pf_context *ctx, uint32_t from, const char *name, uint32_t length) {
  for (uint32_t d = from + 1; d < ctx->depth; d++) {
    if (!is_comprehension((pf_kind)ctx->kinds[d]))
      continue;
    TSNode comprehension = ctx->nodes[d];
    uint32_t children = ts_node_named_child_count(comprehension);
    int first_clause = 1;
    for (uint32_t i = 0; i < children; i++) {
      TSNode clause = ts_node_named_child(comprehension, i);
      if (kind_of(clause) != PF_KIND_FOR_IN_CLAUSE)
        continue;
      int in_first_iterable = first_clause && ts_node_eq(clause, ctx->nodes[d + 1]) && d + 2 <= ctx->depth &&
                              ctx->fields[d + 2] == pf_field.RIGHT;
      first_clause = 0;
      if (in_first_iterable)
        break; /* evaluated outside the comprehension */
      TSNode names[MAX_TARGET_NAMES];
      size_t count = target_names(pf_child(clause, pf_field.LEFT), names);
      for (size_t n = 0; n < count; n++) {
        uint32_t bound_length;
        const char *bound = pf_node_text(ctx, names[n], &bound_length);
        if (text_equals(bound, bound_length, name, length))
          return 1;
      }
    }
  }
  return 0;
}

/* Node kinds a binding target's name may sit in, between the name and the statement. */
static int is_target_container(pf_kind kind) {
  return kind == PF_KIND_PATTERN_LIST || kind == PF_KIND_TUPLE_PATTERN || kind == PF_KIND_LIST_PATTERN ||
         kind == PF_KIND_LIST_SPLAT_PATTERN || kind == PF_KIND_PARENTHESIZED_EXPRESSION ||
         kind == PF_KIND_EXPRESSION_LIST || kind == PF_KIND_TUPLE || kind == PF_KIND_LIST ||
         kind == PF_KIND_LIST_SPLAT;
}

/* Fills state->target_runs[depth] for the target container at that depth of the ancestor
 * stack (depth >= 2): the containers above it that were already looked at for an earlier
 * name are not looked at again, so `x = [[[...a, a...]]]` costs linear time, not
 * depth times names. */
static void target_run_of(const pf_context *ctx, pf002_state *state, uint32_t depth) {
  if (depth >= state->target_run_capacity) {
    size_t old_capacity = state->target_run_capacity;
    pf_grow((void **)&state->target_runs, &state->target_run_capacity, (size_t)depth + 1, sizeof(target_run));
    memset(state->target_runs + old_capacity, 0,
           (state->target_run_capacity - old_capacity) * sizeof(target_run));
  }
  /* The outermost container of the run that has no entry yet. */
  uint32_t low = depth;
  while (low > 1 && !ts_node_eq(state->target_runs[low].node, ctx->nodes[low]) &&
         is_target_container((pf_kind)ctx->kinds[low - 1]))
    low--;
  for (uint32_t at = low; at <= depth; at++) {
    target_run *run = &state->target_runs[at];
    if (at == low && ts_node_eq(run->node, ctx->nodes[at]))
      continue; /* known from an earlier name */
    int parentheses = (pf_kind)ctx->kinds[at] == PF_KIND_PARENTHESIZED_EXPRESSION;
    if (at > low || (at > 1 && is_target_container((pf_kind)ctx->kinds[at - 1]))) {
      /* the container above is in the run and has its entry */
      const target_run *above = &state->target_runs[at - 1];
      run->top = above->top;
      run->only_parentheses = (uint8_t)(above->only_parentheses && parentheses);
    } else {
      run->top = at;
      run->only_parentheses = (uint8_t)parentheses;
    }
    run->node = ctx->nodes[at];
  }
}

/* What the identifier being visited is, as a binding. */
typedef enum name_binding {
  NAME_NOT_BOUND,
  NAME_BOUND,               /* binds the name in the scope it is in */
  NAME_BOUND_BY_ASSIGNMENT, /* `name = ...` (parentheses allowed): visit_assignment tracks it */
  NAME_BOUND_OUTSIDE,       /* a def's or class's name: binds in the scope around it */
  NAME_BOUND_GLOBAL,        /* `global name` */
  NAME_BOUND_COMPREHENSION, /* a comprehension's `for` target: its own scope */
} name_binding;

/* Whether the identifier being visited binds its name, and where: assignment, augmented
 * assignment, `for` and `del` targets (inside unpacking too), a walrus, `import name`,
 * `import a.b`, `from m import name`, any `as name` (import, with, except, match), a def or
 * class name, `global`/`nonlocal`, and match capture patterns. */
static name_binding binding_of_identifier(const pf_context *ctx, pf002_state *state) {
  uint32_t d = ctx->depth;
  if (d == 0)
    return NAME_NOT_BOUND;
  TSNode parent = ctx->nodes[d - 1];
  pf_kind parent_kind = (pf_kind)ctx->kinds[d - 1];
  TSFieldId field = ctx->fields[d];
  switch (parent_kind) {
  case PF_KIND_FUNCTION_DEFINITION:
  case PF_KIND_CLASS_DEFINITION:
    return field == pf_field.NAME ? NAME_BOUND_OUTSIDE : NAME_NOT_BOUND;
  case PF_KIND_NAMED_EXPRESSION:
    return field == pf_field.NAME ? NAME_BOUND : NAME_NOT_BOUND;
  case PF_KIND_GLOBAL_STATEMENT:
    return NAME_BOUND_GLOBAL;
  case PF_KIND_NONLOCAL_STATEMENT:
  case PF_KIND_DELETE_STATEMENT:
    return NAME_BOUND;
  case PF_KIND_ALIASED_IMPORT:
    return field == pf_field.ALIAS ? NAME_BOUND : NAME_NOT_BOUND;
  case PF_KIND_DOTTED_NAME: {
    if (d < 2)
      return NAME_NOT_BOUND;
    pf_kind statement = (pf_kind)ctx->kinds[d - 2];
    int first = ts_node_eq(ts_node_named_child(parent, 0), ctx->nodes[d]);
    if (statement == PF_KIND_IMPORT_STATEMENT)
      return first ? NAME_BOUND : NAME_NOT_BOUND; /* import a.b binds a */
    if (statement == PF_KIND_IMPORT_FROM_STATEMENT)
      return ctx->fields[d - 1] == pf_field.NAME ? NAME_BOUND : NAME_NOT_BOUND;
    /* a capture pattern: `case name:` is a dotted name of one part in a case pattern */
    if (statement == PF_KIND_CASE_PATTERN && ts_node_named_child_count(parent) == 1)
      return NAME_BOUND;
    return NAME_NOT_BOUND;
  }
  default:
    break;
  }
  if (field == pf_field.ALIAS ||
      (d >= 2 && ctx->fields[d - 1] == pf_field.ALIAS && parent_kind == PF_KIND_AS_PATTERN_TARGET))
    return NAME_BOUND; /* except E as name; with x as name; case p as name */
  if (parent_kind == PF_KIND_SPLAT_PATTERN)
    return NAME_BOUND; /* case [*name] */
  /* targets, possibly inside unpacking */
  uint32_t top = d;
  int only_parentheses = 1;
  if (d > 1 && is_target_container(parent_kind)) {
    target_run_of(ctx, state, d - 1);
    top = state->target_runs[d - 1].top;
    only_parentheses = state->target_runs[d - 1].only_parentheses;
  }
  if (top < 1)
    return NAME_NOT_BOUND;
  pf_kind statement = (pf_kind)ctx->kinds[top - 1];
  TSFieldId target_field = ctx->fields[top];
  if (statement == PF_KIND_ASSIGNMENT && target_field == pf_field.LEFT)
    return only_parentheses ? NAME_BOUND_BY_ASSIGNMENT : NAME_BOUND;
  if ((statement == PF_KIND_AUGMENTED_ASSIGNMENT || statement == PF_KIND_FOR_STATEMENT) &&
      target_field == pf_field.LEFT)
    return NAME_BOUND;
  if (statement == PF_KIND_DELETE_STATEMENT)
    return NAME_BOUND;
  if (statement == PF_KIND_FOR_IN_CLAUSE && target_field == pf_field.LEFT)
    return NAME_BOUND_COMPREHENSION;
  if (top >= 2 && statement == PF_KIND_AS_PATTERN_TARGET && ctx->fields[top - 1] == pf_field.ALIAS)
    return NAME_BOUND; /* with x as (a, name) */
  return NAME_NOT_BOUND;
}

/* Whether `name` is the first parameter of a method enclosing the walk: only those names'
 * rebindings matter. */
static int names_an_instance_parameter(const pf_context *ctx, pf002_state *state, const char *name,
                                       uint32_t length) {
  for (uint32_t f = ctx->frame_count; f-- > 1;) {
    TSNode first;
    if (!method_instance_parameter(ctx, state, f, &first))
      continue;
    uint32_t first_length;
    if (!ts_node_is_null(first)) {
      const char *text = pf_node_text(ctx, first, &first_length);
      if (text_equals(text, first_length, name, length))
        return 1;
    }
  }
  return 0;
}

/* Records the bindings that end what a name meant: a module-level `obj = C(...)` is
 * forgotten when obj is rebound in any way, and an instance parameter's rebinding in a
 * method (or a function or class body between the method and an assignment) is noted for
 * file_end, which then no longer takes the name for the instance in that scope. */
static void visit_identifier(pf_context *ctx, TSNode node, pf002_state *state) {
  name_binding bound_as = binding_of_identifier(ctx, state);
  if (bound_as == NAME_NOT_BOUND || bound_as == NAME_BOUND_COMPREHENSION)
    return;
  uint32_t length;
  const char *name = pf_node_text(ctx, node, &length);
  uint32_t frame_count = ctx->frame_count;
  if (bound_as == NAME_BOUND_OUTSIDE && frame_count)
    frame_count--; /* the def's own frame is already on the stack */
  if (bound_as == NAME_BOUND_GLOBAL || frame_count == 0) {
    if (bound_as != NAME_BOUND_BY_ASSIGNMENT)
      forget_module_name(state, name, length);
    if (frame_count == 0)
      return;
  }
  if (names_an_instance_parameter(ctx, state, name, length))
    map_put(&state->rebound, key_of_frame(&ctx->frames[frame_count - 1]), name, length, 1);
}

/* Binds every name inside a class-level unpacking target as data. */
static void each_class_level_name(const pf_context *ctx, pf002_state *state, uint32_t class_index,
                                  TSNode target) {
  TSNode names[MAX_TARGET_NAMES];
  size_t count = target_names(target, names);
  for (size_t i = 0; i < count; i++)
    add_named_binding(ctx, state, class_index, names[i], BINDING_OTHER);
}

/* The kind of a class-level `name = value`. */
static binding_kind class_level_kind(pf_context *ctx, pf002_state *state, uint32_t class_index,
                                     TSNode value) {
  value = pf_unparenthesize(value);
  pf_kind kind = kind_of(value);
  if (kind == PF_KIND_LAMBDA)
    return BINDING_METHOD;
  if (kind == PF_KIND_IDENTIFIER) {
    /* readline = read: an alias of a method bound earlier in the same class */
    uint32_t length;
    const char *text = pf_node_text(ctx, value, &length);
    uint32_t *index = map_find(&state->class_bindings, class_index, text, length);
    return index ? state->bindings[*index].kind : BINDING_OTHER;
  }
  if (kind == PF_KIND_CALL) {
    TSNode function = pf_child(value, pf_field.FUNCTION);
    if (pf_is_builtin_callable(ctx, function, "classmethod"))
      return BINDING_CLASSMETHOD;
    if (pf_is_builtin_callable(ctx, function, "staticmethod"))
      return BINDING_STATICMETHOD;
  }
  return BINDING_OTHER;
}

static int is_sequence_pattern(pf_kind kind) {
  return kind == PF_KIND_PATTERN_LIST || kind == PF_KIND_TUPLE_PATTERN || kind == PF_KIND_LIST_PATTERN ||
         kind == PF_KIND_EXPRESSION_LIST || kind == PF_KIND_TUPLE || kind == PF_KIND_LIST;
}

/* Whether a sequence has no starred member, so that its members pair one to one. */
static int has_no_star(TSNode sequence) {
  uint32_t count = ts_node_named_child_count(sequence);
  for (uint32_t i = 0; i < count; i++) {
    pf_kind kind = kind_of(ts_node_named_child(sequence, i));
    if (kind == PF_KIND_LIST_SPLAT || kind == PF_KIND_LIST_SPLAT_PATTERN || kind == PF_KIND_COMMENT)
      return 0;
  }
  return 1;
}

/* Every attribute target inside an assignment target, with the value it receives when the
 * unpacking pairs targets and values one to one (`self.a, self.m = 1, f`), else a null
 * value. Iterative: targets can nest. */
static void each_target(pf_context *ctx, pf002_state *state, TSNode target, TSNode value) {
  enum { MAX_PENDING = 64 };
  typedef struct pair {
    TSNode target, value;
  } pair;
  pair pending[MAX_PENDING];
  size_t count = 0;
  TSNode whole_value = value;
  pending[count++] = (pair){target, value};
  while (count) {
    pair current = pending[--count];
    TSNode node = current.target;
    pf_kind kind = kind_of(node);
    if (kind == PF_KIND_ATTRIBUTE) {
      TSNode object = pf_unparenthesize(pf_child(node, pf_field.OBJECT));
      TSNode attribute = pf_child(node, pf_field.ATTRIBUTE);
      if (ts_node_is_null(object) || ts_node_is_null(attribute))
        continue;
      uint32_t length;
      const char *name = pf_node_text(ctx, attribute, &length);
      add_candidate(ctx, state, object, attribute, name, length, current.value, whole_value, 0);
      continue;
    }
    if (kind == PF_KIND_PARENTHESIZED_EXPRESSION) {
      if (ts_node_named_child_count(node) == 1 && count < MAX_PENDING)
        pending[count++] = (pair){ts_node_named_child(node, 0), current.value};
      continue;
    }
    TSNode null_node = {0};
    if (kind == PF_KIND_LIST_SPLAT_PATTERN || kind == PF_KIND_LIST_SPLAT) {
      if (ts_node_named_child_count(node) == 1 && count < MAX_PENDING)
        pending[count++] = (pair){ts_node_named_child(node, 0), null_node};
      continue;
    }
    if (!is_sequence_pattern(kind))
      continue;
    TSNode values = pf_unparenthesize(current.value);
    uint32_t children = ts_node_named_child_count(node);
    int paired = !ts_node_is_null(values) && is_sequence_pattern(kind_of(values)) &&
                 ts_node_named_child_count(values) == children && has_no_star(node) && has_no_star(values);
    for (uint32_t i = children; i-- > 0;)
      if (count < MAX_PENDING)
        pending[count++] =
            (pair){ts_node_named_child(node, i), paired ? ts_node_named_child(values, i) : null_node};
  }
}

/* In a function, `local = a.b` records what `local` holds, for a later `self.m = local`
 * (a method saved, then restored); any other assignment to `local` forgets it. */
static void track_saved_attribute(pf_context *ctx, pf002_state *state, TSNode name, TSNode value) {
  uint32_t length;
  const char *text = pf_node_text(ctx, name, &length);
  scope_key scope = current_scope(ctx);
  value = pf_unparenthesize(value);
  if (kind_of(value) != PF_KIND_ATTRIBUTE ||
      kind_of(pf_unparenthesize(pf_child(value, pf_field.OBJECT))) != PF_KIND_IDENTIFIER) {
    uint32_t *entry = map_find(&state->saved, scope, text, length);
    if (entry)
      *entry = 0;
    return;
  }
  pf_grow((void **)&state->saved_values, &state->saved_capacity, state->saved_count + 1, sizeof(TSNode));
  state->saved_values[state->saved_count++] = value;
  map_put(&state->saved, scope, text, length, (uint32_t)state->saved_count);
}

static void visit_assignment(pf_context *ctx, TSNode node, pf002_state *state, int augmented) {
  TSNode left = pf_child_of_visited(ctx, node, pf_field.LEFT);
  TSNode right = pf_child(node, pf_field.RIGHT);
  if (ts_node_is_null(left) || ts_node_is_null(right))
    return; /* `self.m: int` assigns nothing */
  TSNode value = augmented ? right : final_value(right);
  each_target(ctx, state, left, value);
  TSNode plain = pf_unparenthesize(left);
  const pf_frame *enclosing = pf_enclosing_frame(ctx);
  if (enclosing && enclosing->kind == PF_KIND_CLASS_DEFINITION && !augmented) {
    int64_t class_index = class_of_frame(state, enclosing);
    if (class_index < 0)
      return;
    if (kind_of(plain) == PF_KIND_IDENTIFIER)
      add_named_binding(ctx, state, (uint32_t)class_index, plain,
                        class_level_kind(ctx, state, (uint32_t)class_index, value));
    else
      each_class_level_name(ctx, state, (uint32_t)class_index, left);
    return;
  }
  /* other targets are forgotten by visit_identifier */
  if (ctx->frame_count == 0 && kind_of(plain) == PF_KIND_IDENTIFIER && !augmented)
    track_module_name(ctx, state, plain, value);
  if (ctx->frame_count != 0 && kind_of(plain) == PF_KIND_IDENTIFIER)
    track_saved_attribute(ctx, state, plain, augmented ? (TSNode){0} : value);
}

/* `for self.m in ...` and `[... for self.m in ...]`: attribute targets, with no known value. */
static void visit_for(pf_context *ctx, TSNode node, pf002_state *state) {
  TSNode null_node = {0};
  each_target(ctx, state, pf_child(node, pf_field.LEFT), null_node);
}

/* `with x as self.m:`: the as-targets of each with item. */
static void visit_with(pf_context *ctx, TSNode node, pf002_state *state) {
  TSNode null_node = {0};
  uint32_t clauses = ts_node_named_child_count(node);
  for (uint32_t c = 0; c < clauses; c++) {
    TSNode clause = ts_node_named_child(node, c);
    if (kind_of(clause) != PF_KIND_WITH_CLAUSE)
      continue; /* the body */
    uint32_t items = ts_node_named_child_count(clause);
    for (uint32_t i = 0; i < items; i++) {
      TSNode item_value = pf_child(ts_node_named_child(clause, i), pf_field.VALUE);
      TSNode alias = ts_node_is_null(item_value) ? null_node : pf_child(item_value, pf_field.ALIAS);
      if (!ts_node_is_null(alias) && ts_node_named_child_count(alias) == 1)
        each_target(ctx, state, ts_node_named_child(alias, 0), null_node);
    }
  }
}

/* A plain string literal's contents ("m" in setattr(self, "m", v)); NULL otherwise. */
static const char *string_literal(const pf_context *ctx, TSNode string, uint32_t *length) {
  if (kind_of(string) != PF_KIND_STRING || ts_node_named_child_count(string) != 3)
    return NULL;
  TSNode start = ts_node_named_child(string, 0), content = ts_node_named_child(string, 1),
         end = ts_node_named_child(string, 2);
  if (kind_of(start) != PF_KIND_STRING_START || kind_of(content) != PF_KIND_STRING_CONTENT ||
      kind_of(end) != PF_KIND_STRING_END || ts_node_named_child_count(content) != 0)
    return NULL;
  uint32_t prefix_length;
  const char *prefix = pf_node_text(ctx, start, &prefix_length);
  for (uint32_t i = 0; i < prefix_length; i++)
    if (prefix[i] == 'b' || prefix[i] == 'B')
      return NULL;
  return pf_node_text(ctx, content, length);
}

/* setattr(self, "m", v), object.__setattr__(self, "m", v) and self.__setattr__("m", v). */
static void visit_call(pf_context *ctx, TSNode node, pf002_state *state) {
  /* Nearly every call is none of these, so the callee is tested first, by its text, before
   * the other field lookups (each one a walk over a node's children in libtree-sitter). */
  static const char setattr_method[] = "__setattr__";
  TSNode function = pf_child_of_visited(ctx, node, pf_field.FUNCTION);
  pf_kind kind = kind_of(function);
  uint32_t function_length = 0;
  const char *function_text =
      kind == PF_KIND_ATTRIBUTE ? pf_node_text(ctx, function, &function_length) : NULL;
  if (kind == PF_KIND_IDENTIFIER
          ? !pf_node_text_is(ctx, function, "setattr")
          : kind != PF_KIND_ATTRIBUTE || function_length < sizeof(setattr_method) - 1 ||
                memcmp(function_text + function_length - (sizeof(setattr_method) - 1), setattr_method,
                       sizeof(setattr_method) - 1) != 0)
    return;
  TSNode arguments = pf_child(node, pf_field.ARGUMENTS);
  if (ts_node_is_null(arguments) || kind_of(arguments) != PF_KIND_ARGUMENT_LIST)
    return;
  uint32_t argument_count = ts_node_named_child_count(arguments);
  TSNode object;
  uint32_t first = 1; /* the name's argument */
  if (kind == PF_KIND_IDENTIFIER) {
    if (!pf_is_builtin_callable(ctx, function, "setattr"))
      return;
    object = ts_node_named_child(arguments, 0);
  } else {
    TSNode owner = pf_child(function, pf_field.OBJECT);
    TSNode attribute = pf_child(function, pf_field.ATTRIBUTE);
    if (ts_node_is_null(attribute) || !pf_node_text_is(ctx, attribute, setattr_method))
      return;
    if (pf_is_builtin_callable(ctx, owner, "object")) {
      object = ts_node_named_child(arguments, 0);
    } else {
      object = owner; /* self.__setattr__("m", v) */
      first = 0;
    }
  }
  if (argument_count != first + 2)
    return;
  object = pf_unparenthesize(object);
  TSNode string = ts_node_named_child(arguments, first);
  TSNode value = ts_node_named_child(arguments, first + 1);
  uint32_t length;
  const char *name = string_literal(ctx, string, &length);
  if (name && length)
    add_candidate(ctx, state, object, string, name, length, value, value, 1);
}

static void visit(pf_context *ctx, TSNode node, void *opaque) {
  pf002_state *state = opaque;
  switch (kind_of(node)) {
  case PF_KIND_CLASS_DEFINITION:
    visit_class(ctx, node, state);
    break;
  case PF_KIND_FUNCTION_DEFINITION:
    visit_function(ctx, node, state);
    break;
  case PF_KIND_ASSIGNMENT:
    visit_assignment(ctx, node, state, 0);
    break;
  case PF_KIND_AUGMENTED_ASSIGNMENT:
    visit_assignment(ctx, node, state, 1);
    break;
  case PF_KIND_CALL:
    visit_call(ctx, node, state);
    break;
  case PF_KIND_FOR_STATEMENT:
  case PF_KIND_FOR_IN_CLAUSE:
    visit_for(ctx, node, state);
    break;
  case PF_KIND_WITH_STATEMENT:
    visit_with(ctx, node, state);
    break;
  case PF_KIND_IDENTIFIER:
    visit_identifier(ctx, node, state);
    break;
  default:
    break;
  }
}
/* ---- resolving, at file_end ---- */

/* Whether `module` (dotted: "pkg.models") is this file's module: its parts are the last
 * parts of the file's path as given, without .py/.pyi, and without a final __init__ (a
 * package). A path with too few parts to tell (`models.py` for `app.models`) does not
 * match: the result depends on the path and the source only. Standard input has no module. */
static int path_is_module(const char *path, const char *module) {
  if (!path || strcmp(path, "-") == 0 || !module[0])
    return 0;
  size_t end = strlen(path);
  const char *base = strrchr(path, '/');
  size_t base_start = base ? (size_t)(base - path) + 1 : 0;
  const char *dot = strrchr(path + base_start, '.');
  if (dot && (strcmp(dot, ".py") == 0 || strcmp(dot, ".pyi") == 0))
    end = (size_t)(dot - path);
  if (end - base_start == 8 && strncmp(path + base_start, "__init__", 8) == 0) {
    if (base_start == 0)
      return 0;
    end = base_start - 1; /* the package directory */
  }
  /* compare the module's parts with the path's, from the end */
  size_t module_end = strlen(module);
  for (;;) {
    size_t module_start = module_end;
    while (module_start > 0 && module[module_start - 1] != '.')
      module_start--;
    size_t part_start = end;
    while (part_start > 0 && path[part_start - 1] != '/')
      part_start--;
    if (end == part_start || end - part_start != module_end - module_start ||
        memcmp(path + part_start, module + module_start, end - part_start) != 0)
      return 0;
    if (module_start == 0)
      return 1;
    if (part_start == 0)
      return 0; /* the path ran out first */
    module_end = module_start - 1;
    end = part_start - 1;
  }
}

/* The class named `name` that a reference at byte `position` sees, looking in `lookup`
 * scopes in order: in the first scope that has one, the last defined before the reference,
 * else the first defined after it. A class statement's own bases are looked up at the
 * class's start, so `class Popen(Popen)` finds the earlier Popen, never itself. -1 when
 * there is none. */
static int64_t find_class(const pf002_state *state, const scope_key *lookup, uint32_t lookup_count,
                          const char *name, uint32_t length, uint32_t position) {
  for (uint32_t s = 0; s < lookup_count; s++) {
    uint32_t *last = map_find(&state->class_names, lookup[s], name, length);
    if (!last)
      continue;
    int64_t after = -1;
    for (int64_t index = (int64_t)*last; index >= 0; index = state->classes[index].previous_same_name) {
      uint32_t start = ts_node_start_byte(state->classes[index].node);
      if (start < position)
        return index;
      if (start > position)
        after = index;
    }
    if (after >= 0)
      return after;
  }
  return -1;
}

/* Resolves a class expression (`Base`, `module.Base`, `Base[T]`) to a class of this file. */
static int64_t resolve_class(const pf_context *ctx, const pf002_state *state, TSNode expression,
                             uint32_t position, const scope_key *lookup, uint32_t lookup_count) {
  expression = pf_unparenthesize(expression);
  pf_kind kind = kind_of(expression);
  if (kind == PF_KIND_SUBSCRIPT)
    expression = pf_child(expression, pf_field.VALUE);
  else if (kind == PF_KIND_GENERIC_TYPE && ts_node_named_child_count(expression))
    expression = ts_node_named_child(expression, 0);
  kind = kind_of(expression);
  if (kind == PF_KIND_IDENTIFIER) {
    uint32_t length;
    const char *name = pf_node_text(ctx, expression, &length);
    return find_class(state, lookup, lookup_count, name, length, position);
  }
  if (kind != PF_KIND_ATTRIBUTE)
    return -1;
  /* `module.Name`: the module, once import aliases are resolved, must be this file's */
  char qualified[256];
  if (pf_qualified_name(ctx->imports, ctx->source, expression, qualified, sizeof(qualified)) != 0)
    return -1;
  char *last_dot = strrchr(qualified, '.');
  if (!last_dot)
    return -1;
  *last_dot = '\0';
  if (!path_is_module(ctx->path, qualified))
    return -1;
  static const scope_key module_scope[] = {0};
  return find_class(state, module_scope, 1, last_dot + 1, (uint32_t)strlen(last_dot + 1), position);
}

static void resolve_bases(const pf_context *ctx, pf002_state *state, uint32_t index) {
  class_record *record = &state->classes[index];
  if (record->resolved)
    return;
  record->resolved = 1;
  TSNode superclasses = pf_child(record->node, pf_field.SUPERCLASSES);
  if (ts_node_is_null(superclasses))
    return;
  uint32_t count = ts_node_named_child_count(superclasses);
  record->bases = pf_arena_alloc(ctx->arena, (count ? count : 1) * sizeof(uint32_t));
  for (uint32_t i = 0; i < count; i++) {
    TSNode base = ts_node_named_child(superclasses, i);
    pf_kind kind = kind_of(base);
    if (kind == PF_KIND_KEYWORD_ARGUMENT || kind == PF_KIND_LIST_SPLAT || kind == PF_KIND_DICTIONARY_SPLAT ||
        kind == PF_KIND_COMMENT)
      continue;
    int64_t resolved = resolve_class(ctx, state, base, ts_node_start_byte(record->node), record->lookup,
                                     record->lookup_count);
    if (resolved >= 0 && (uint32_t)resolved != index)
      record->bases[record->base_count++] = (uint32_t)resolved;
  }
}

/* Scratch space for linearize, allocated once per file. */
enum { MAX_WALK = 4096 };

typedef struct walk_frame {
  uint32_t class_index, next_base;
} walk_frame;

typedef struct linearizer {
  uint32_t walk[MAX_WALK];
  walk_frame stack[MAX_WALK];
  unsigned char *on_path; /* per class, all zero between calls */
  unsigned char *seen;    /* per class, all zero between calls */
} linearizer;

/* The class and its ancestors in this file, in resolution order: a depth-first walk of the
 * bases, left to right, keeping only the last occurrence of each class (which matches C3
 * for the hierarchies Python accepts, diamonds included). Cycles (`class A(B)`,
 * `class B(A)`, possible with classes defined twice) are cut where they close. */
static void linearize(const pf_context *ctx, pf002_state *state, linearizer *scratch, uint32_t index) {
  class_record *record = &state->classes[index];
  if (record->order)
    return;
  size_t walk_count = 0, depth = 0;
  int truncated = 0;
  scratch->stack[depth++] = (walk_frame){index, 0};
  scratch->on_path[index] = 1;
  scratch->walk[walk_count++] = index;
  while (depth) {
    walk_frame *top = &scratch->stack[depth - 1];
    resolve_bases(ctx, state, top->class_index);
    const class_record *current = &state->classes[top->class_index];
    if (top->next_base >= current->base_count) {
      scratch->on_path[top->class_index] = 0;
      depth--;
      continue;
    }
    uint32_t base = current->bases[top->next_base++];
    if (scratch->on_path[base])
      continue;
    if (walk_count == MAX_WALK) {
      truncated = 1;
      break;
    }
    scratch->on_path[base] = 1;
    scratch->walk[walk_count++] = base;
    scratch->stack[depth++] = (walk_frame){base, 0};
  }
  while (depth)
    scratch->on_path[scratch->stack[--depth].class_index] = 0;
  /* Keep the last occurrence of each class; a truncated walk keeps the first instead. */
  uint32_t *order = pf_arena_alloc(ctx->arena, walk_count * sizeof(uint32_t));
  size_t order_count = 0;
  if (truncated) {
    for (size_t i = 0; i < walk_count; i++)
      if (!scratch->seen[scratch->walk[i]]++)
        order[order_count++] = scratch->walk[i];
  } else {
    for (size_t i = walk_count; i-- > 0;)
      if (!scratch->seen[scratch->walk[i]]++)
        order[order_count++] = scratch->walk[i];
    for (size_t i = 0; i < order_count / 2; i++) {
      uint32_t swap = order[i];
      order[i] = order[order_count - 1 - i];
      order[order_count - 1 - i] = swap;
    }
  }
  for (size_t i = 0; i < order_count; i++)
    scratch->seen[order[i]] = 0;
  record->order = order;
  record->order_count = (uint32_t)order_count;
}

/* Whether the value refers to the method itself through the instance without calling it:
 * `wrap(self.m)`, `functools.lru_cache()(self.m)`, `self.m._original` (the per-instance
 * wrapping the issue allows). `len(args.m)` or `self.m()` do not count. Iterative, bounded. */
static int wraps_own_method(const pf_context *ctx, TSNode value, TSNode instance, const char *name,
                            uint32_t length) {
  enum { MAX_PENDING = 256, MAX_VISITED = 20000 };
  TSNode pending[MAX_PENDING];
  size_t count = 0, visited = 0;
  if (ts_node_is_null(value) || ts_node_is_null(instance))
    return 0;
  uint32_t instance_length;
  const char *instance_name = pf_node_text(ctx, instance, &instance_length);
  pending[count++] = value;
  while (count && visited++ < MAX_VISITED) {
    TSNode node = pending[--count];
    if (kind_of(node) == PF_KIND_ATTRIBUTE) {
      TSNode object = pf_unparenthesize(pf_child(node, pf_field.OBJECT));
      TSNode attribute = pf_child(node, pf_field.ATTRIBUTE);
      uint32_t attribute_length, object_length;
      const char *text = ts_node_is_null(attribute) ? NULL : pf_node_text(ctx, attribute, &attribute_length);
      const char *object_text =
          kind_of(object) == PF_KIND_IDENTIFIER ? pf_node_text(ctx, object, &object_length) : NULL;
      if (text && object_text && text_equals(text, attribute_length, name, length) &&
          text_equals(object_text, object_length, instance_name, instance_length))
        return 1;
    }
    uint32_t children = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < children && count < MAX_PENDING; i++) {
      TSNode child = ts_node_named_child(node, i);
      /* self.m() calls the method: its result is not the method */
      if (kind_of(node) == PF_KIND_CALL && ts_node_eq(child, pf_child(node, pf_field.FUNCTION)) &&
          kind_of(child) == PF_KIND_ATTRIBUTE) {
        TSNode object = pf_child(child, pf_field.OBJECT);
        if (!ts_node_is_null(object))
          pending[count++] = object;
        continue;
      }
      pending[count++] = child;
    }
  }
  return 0;
}

static int same_class_name(const class_record *a, const class_record *b) {
  const char *a_name = a->name, *b_name = b->name;
  uint32_t a_length = a->name_length, b_length = b->name_length;
  while (a_length && *a_name == '_')
    a_name++, a_length--;
  while (b_length && *b_name == '_')
    b_name++, b_length--;
  return text_equals(a_name, a_length, b_name, b_length);
}

/* The binding `name` resolves to on an instance of `record`'s class, and the class that
 * holds it. With `mangling`, the name is private (`__m`): only classes whose name mangles
 * like `mangling`'s can hold it. */
static const binding *lookup_binding(const pf002_state *state, const class_record *record, const char *name,
                                     uint32_t length, const class_record *mangling,
                                     const class_record **owner) {
  for (uint32_t i = 0; i < record->order_count; i++) {
    const class_record *candidate_class = &state->classes[record->order[i]];
    if (mangling && !same_class_name(candidate_class, mangling))
      continue;
    uint32_t *index = map_find(&state->class_bindings, record->order[i], name, length);
    if (index) {
      *owner = candidate_class;
      return &state->bindings[*index];
    }
  }
  return NULL;
}

/* Whether the instance's name is rebound in one of the scopes between its method and the
 * assignment (`self = other`, `for self in ...`, a nested function's own `self`, ...): from
 * then on, in that scope, it may be anything. */
static int instance_is_rebound(const pf_context *ctx, const pf002_state *state, const candidate *entry) {
  if (ts_node_is_null(entry->instance) || !state->rebound.count)
    return 0;
  uint32_t length;
  const char *name = pf_node_text(ctx, entry->instance, &length);
  for (uint32_t i = 0; i < entry->scope_count; i++)
    if (map_find(&state->rebound, entry->scopes[i], name, length))
      return 1;
  return 0;
}

/* Whether the method whose first parameter was taken for the instance is a classmethod or
 * staticmethod after all: `build = classmethod(build)` later in the class body. */
static int method_is_not_instance_method(const pf_context *ctx, const pf002_state *state,
                                         const candidate *entry) {
  if (entry->method_class < 0 || ts_node_is_null(entry->method_name))
    return 0;
  uint32_t length;
  const char *name = pf_node_text(ctx, entry->method_name, &length);
  uint32_t *index = map_find(&state->class_bindings, (uint32_t)entry->method_class, name, length);
  return index && (state->bindings[*index].kind == BINDING_CLASSMETHOD ||
                   state->bindings[*index].kind == BINDING_STATICMETHOD);
}

static void file_end(pf_context *ctx, void *opaque) {
  pf002_state *state = opaque;
  static const scope_key module_scope[] = {0};
  linearizer *scratch = NULL;
  for (size_t i = 0; i < state->candidate_count; i++) {
    const candidate *entry = &state->candidates[i];
    if (entry->deliberate || instance_is_rebound(ctx, state, entry) ||
        method_is_not_instance_method(ctx, state, entry))
      continue;
    int64_t class_index = entry->class_index;
    if (class_index < 0)
      class_index = resolve_class(ctx, state, entry->class_expression,
                                  ts_node_start_byte(entry->class_expression), module_scope, 1);
    if (class_index < 0)
      continue;
    if (!scratch) {
      scratch = pf_xmalloc(sizeof(linearizer)); /* 48 KB that linearize writes before it reads */
      scratch->on_path = pf_xcalloc(state->class_count, 1);
      scratch->seen = pf_xcalloc(state->class_count, 1);
    }
    linearize(ctx, state, scratch, (uint32_t)class_index);
    const class_record *record = &state->classes[class_index];
    const class_record *owner = NULL;
    const class_record *mangling = entry->mangling_class >= 0 ? &state->classes[entry->mangling_class] : NULL;
    const binding *found = lookup_binding(state, record, entry->name, entry->length, mangling, &owner);
    if (!found || found->kind == BINDING_OTHER)
      continue;
    const class_record *other_owner;
    if (wraps_own_method(ctx, entry->value, entry->instance, entry->name, entry->length))
      continue;
    if (!ts_node_is_null(entry->value_method)) {
      /* self.getEvent = self._slurp: replaced by another method of the instance */
      uint32_t method_length;
      const char *method = pf_node_text(ctx, entry->value_method, &method_length);
      const binding *other = lookup_binding(state, record, method, method_length, NULL, &other_owner);
      if (other && other->kind != BINDING_OTHER)
        continue;
    }
    const char *kind = found->kind == BINDING_CLASSMETHOD    ? "classmethod"
                       : found->kind == BINDING_STATICMETHOD ? "staticmethod"
                                                             : "method";
    int length = (int)entry->length, class_length = (int)owner->name_length;
    uint32_t row = pf_row_of(ctx, ts_node_start_byte(found->name_node));
    pf_diagnostic *diagnostic = pf_emit(
        ctx, entry->target, found->kind == BINDING_METHOD ? PF_SEVERITY_WARNING : PF_SEVERITY_ERROR,
        "Instance attribute `%.*s` shadows %s `%.*s.%.*s` (line %u); `obj.%.*s()` will call the attribute",
        length, entry->name, kind, class_length, owner->name, length, entry->name, row, length, entry->name);
    char related[512];
    snprintf(related, sizeof(related), "%s `%.*s.%.*s` is defined here", kind, class_length, owner->name,
             length < 200 ? length : 200, entry->name);
    pf_diagnostic_set_related(diagnostic, found->name_node, related);
  }
  if (scratch) {
    free(scratch->on_path);
    free(scratch->seen);
    free(scratch);
  }
  free(state->classes);
  free(state->target_runs);
  free(state->frame_parameters);
  free(state->bindings);
  free(state->candidates);
  free(state->object_classes);
  free(state->class_names.slots);
  free(state->class_bindings.slots);
  free(state->module_objects.slots);
  free(state->functions.slots);
  free(state->rebound.slots);
  free(state->saved.slots);
  free(state->saved_values);
  memset(state, 0, sizeof(*state));
}

static const pf_kind kinds[] = {
    PF_KIND_CLASS_DEFINITION,
    PF_KIND_FUNCTION_DEFINITION,
    PF_KIND_ASSIGNMENT,
    PF_KIND_AUGMENTED_ASSIGNMENT,
    PF_KIND_CALL,
    PF_KIND_FOR_STATEMENT,
    PF_KIND_FOR_IN_CLAUSE,
    PF_KIND_WITH_STATEMENT,
    PF_KIND_IDENTIFIER,
    PF_KIND_OTHER,
};
/* The parents under which binding_of_identifier can find a binding: its switch's cases,
 * the parents with an `alias` field whose value can be an identifier (aliased_import,
 * except_clause), splat patterns, the target containers (is_target_container) and the
 * statements whose targets bind. Every other identifier is NAME_NOT_BOUND there. */
static const pf_kind identifier_parents[] = {
    PF_KIND_FUNCTION_DEFINITION,
    PF_KIND_CLASS_DEFINITION,
    PF_KIND_NAMED_EXPRESSION,
    PF_KIND_GLOBAL_STATEMENT,
    PF_KIND_NONLOCAL_STATEMENT,
    PF_KIND_DELETE_STATEMENT,
    PF_KIND_ALIASED_IMPORT,
    PF_KIND_DOTTED_NAME,
    PF_KIND_EXCEPT_CLAUSE,
    PF_KIND_AS_PATTERN_TARGET,
    PF_KIND_SPLAT_PATTERN,
    PF_KIND_PATTERN_LIST,
    PF_KIND_TUPLE_PATTERN,
    PF_KIND_LIST_PATTERN,
    PF_KIND_LIST_SPLAT_PATTERN,
    PF_KIND_PARENTHESIZED_EXPRESSION,
    PF_KIND_EXPRESSION_LIST,
    PF_KIND_TUPLE,
    PF_KIND_LIST,
    PF_KIND_LIST_SPLAT,
    PF_KIND_ASSIGNMENT,
    PF_KIND_AUGMENTED_ASSIGNMENT,
    PF_KIND_FOR_STATEMENT,
    PF_KIND_FOR_IN_CLAUSE,
    PF_KIND_OTHER,
};
static const char *const tags[] = {"correctness", "reliability", NULL};

const pf_rule pf_rule_shadowed_method = {
    .code = "PF002",
    .name = "shadowed-method",
    .summary = "Instance attribute assigned with the name of a method, which it hides for that instance",
    .explanation = explanation,
    .severity = PF_SEVERITY_WARNING,
    .kinds = kinds,
    .identifier_parents = identifier_parents,
    .visit = visit,
    .state_size = sizeof(pf002_state),
    .file_end = file_end,
    .tags = tags,
    .precision = "high",
};
