/*
 * pf003_mutable_in_tuple.c: PF003, a tuple with a mutable member where the tuple is hashed
 * or meant to be a constant.
 *
 * Visits every tuple (parenthesized or bare) that is not itself a member of another tuple,
 * decides from the ancestor stack where it stands (a dict key, a set element, the argument
 * of hash(), an element of the display given to set()/frozenset(), or the value assigned to
 * a name at module or class level, also through a conditional expression's branches and
 * one-to-one unpacking), and only then looks through its members, descending
 * into nested tuples with an explicit stack. A member is mutable by the test PF001 uses
 * (mutability.h). Hashed places are errors (the hash always raises TypeError); constants
 * are warnings. Reports at the mutable member, during the walk: no per-file state.
 */
#include <string.h>

#include "mutability.h"
#include "rule.h"

static const char explanation[] =
    "## What it does\n"
    "Flags a tuple that contains a mutable member (a list, dict or set display or\n"
    "comprehension, or a call such as `list()`, `dict()`, `set()`, `bytearray()`, `deque()`:\n"
    "the same test as PF001), directly or inside nested tuples, in two kinds of places:\n"
    "\n"
    "- **error**, where the tuple is hashed, which always raises `TypeError`: a dict display\n"
    "  key, a dict comprehension key, a set display or set comprehension element, the\n"
    "  argument of `hash()`, and an element of the list, tuple or set display (or\n"
    "  comprehension) passed to `set(...)` or `frozenset(...)`;\n"
    "- **warning**, where the tuple is meant to be a constant: the value assigned to a name at\n"
    "  module or class level (`T = (1, [2])`, bare `T = 1, [2]`, annotated, chained, either\n"
    "  branch of a conditional expression, or paired with a plain name by unpacking:\n"
    "  `T, U = (1, [2]), 3` binds the tuple to `T`).\n"
    "\n"
    "## Why is this bad?\n"
    "A tuple is immutable only one level deep: it always holds the same objects, but a list\n"
    "inside it can still change. Its hash is computed from its members, so a tuple with an\n"
    "unhashable member is itself unhashable, and the error appears only when the line runs:\n"
    "\n"
    "```python\n"
    ">>> point = (1, [2, 3])\n"
    ">>> {point: \"label\"}\n"
    "Traceback (most recent call last):\n"
    "  ...\n"
    "TypeError: unhashable type: 'list'\n"
    ">>> hash(point)\n"
    "Traceback (most recent call last):\n"
    "  ...\n"
    "TypeError: unhashable type: 'list'\n"
    "```\n"
    "\n"
    "A module constant written as a tuple promises readers it cannot change; a list inside\n"
    "breaks that promise for every importer of the module:\n"
    "\n"
    "```python\n"
    ">>> DEFAULTS = (\"utf-8\", [\"strict\"])\n"
    ">>> DEFAULTS[1].append(\"ignore\")   # no error: every user now sees the change\n"
    ">>> DEFAULTS\n"
    "('utf-8', ['strict', 'ignore'])\n"
    "```\n"
    "\n"
    "## Example\n"
    "```python\n"
    "DEFAULTS = (\"utf-8\", [\"strict\"])\n"
    "seen = {(\"a\", [1, 2]): True}\n"
    "```\n"
    "\n"
    "## Fix\n"
    "Use an immutable member: a tuple instead of a list, a `frozenset` instead of a set,\n"
    "`types.MappingProxyType({...})` instead of a dict:\n"
    "```python\n"
    "DEFAULTS = (\"utf-8\", (\"strict\",))\n"
    "seen = {(\"a\", (1, 2)): True}\n"
    "```\n"
    "If the member must change, the value is not a constant: use a list or a class.\n"
    "\n"
    "## Not flagged\n"
    "Tuples built inside functions and returned or passed on, tuples assigned by unpacking\n"
    "(`a, b = [], []`), tuples in `for` targets and iterables or inside lists and dict values,\n"
    "`isinstance(x, (list, dict))` (names of types are not mutable values), tuples of only\n"
    "immutable members, subscripts (`a[(i, [0, 1])]` is valid numpy indexing), starred\n"
    "members (`(*[1, 2],)` spreads the list), and default parameter values (PF001 owns\n"
    "those). In hashed places, a call added with `extend-mutable-calls` is not flagged:\n"
    "pitfall cannot know that its objects are unhashable; as a constant's member it is.\n"
    "\n"
    "## Options\n"
    "- `extend-mutable-calls`: more callables that return mutable objects (shared with PF001).\n"
    "\n"
    "## References\n"
    "- Python language reference, \"The standard type hierarchy\" (tuples: \"the collection of\n"
    "  objects directly referenced by an immutable object cannot change\")\n"
    "- Python glossary, \"hashable\"\n";

/* pf_node_kind that accepts a null node (a missing field), as PF_KIND_OTHER. */
static pf_kind kind_of(TSNode node) { return ts_node_is_null(node) ? PF_KIND_OTHER : pf_node_kind(node); }

/* Where a tuple stands. */
typedef enum tuple_place {
  PLACE_NONE,
  PLACE_DICT_KEY,
  PLACE_DICT_COMPREHENSION_KEY,
  PLACE_SET_ELEMENT,
  PLACE_SET_COMPREHENSION_ELEMENT,
  PLACE_HASH_ARGUMENT,
  PLACE_SET_CALL_ELEMENT, /* element of the iterable given to set()/frozenset() */
  PLACE_MODULE_CONSTANT,
  PLACE_CLASS_CONSTANT,
} tuple_place;

enum { MAX_CONSTANT_NAMES = 8 };

typedef struct placement {
  tuple_place place;
  TSNode callee;       /* for hash() and set()/frozenset() elements: the call's callee */
  const char *builtin; /* which builtin the callee is */
  /* the names assigned, outermost first, for the constant places (`A = B = (...)`) */
  TSNode constant_names[MAX_CONSTANT_NAMES];
  uint32_t constant_count;
} placement;

/* Index of the outermost node of the parenthesized_expression chain that ends at
 * ctx->nodes[index]. */
static uint32_t climb_parentheses(const pf_context *ctx, uint32_t index) {
  while (index > 0 && kind_of(ctx->nodes[index - 1]) == PF_KIND_PARENTHESIZED_EXPRESSION)
    index--;
  return index;
}

/* Like climb_parentheses, also through the branches (not the condition) of conditional
 * expressions: `(1, [2]) if a else (3, [4])` stands where the whole expression does. */
static uint32_t climb_wrappers(const pf_context *ctx, uint32_t index) {
  while (index > 0) {
    TSNode parent = ctx->nodes[index - 1];
    pf_kind kind = kind_of(parent);
    if (kind == PF_KIND_PARENTHESIZED_EXPRESSION ||
        (kind == PF_KIND_CONDITIONAL_EXPRESSION && ts_node_named_child_count(parent) >= 3 &&
         !ts_node_eq(ts_node_named_child(parent, 1), ctx->nodes[index])))
      index--;
    else
      break;
  }
  return index;
}

/* The callee of the call that has the node at ctx->nodes[index] as its only argument, or a
 * null node. */
static TSNode callee_of_only_argument(const pf_context *ctx, uint32_t index) {
  TSNode null_node = {0};
  if (index < 1)
    return null_node;
  TSNode parent = ctx->nodes[index - 1];
  if (kind_of(parent) == PF_KIND_CALL && ctx->fields[index] == pf_field.ARGUMENTS)
    return pf_child(parent, pf_field.FUNCTION); /* f(x for x in y): the generator is the argument list */
  if (kind_of(parent) == PF_KIND_ARGUMENT_LIST && index >= 2 && ts_node_named_child_count(parent) == 1 &&
      kind_of(ctx->nodes[index - 2]) == PF_KIND_CALL)
    return pf_child(ctx->nodes[index - 2], pf_field.FUNCTION);
  return null_node;
}

/* Whether the place's callee is the builtin it must be. Cheap unless the callee is spelled
 * like the builtin: only then may the module be scanned for a definition of that name. */
static int callee_confirmed(const pf_context *ctx, placement *where) {
  if (where->place == PLACE_HASH_ARGUMENT)
    return pf_is_builtin_callable(ctx, where->callee, "hash");
  if (where->place != PLACE_SET_CALL_ELEMENT)
    return 1;
  if (pf_is_builtin_callable(ctx, where->callee, "frozenset"))
    where->builtin = "frozenset";
  else if (pf_is_builtin_callable(ctx, where->callee, "set"))
    where->builtin = "set";
  return where->builtin != NULL;
}

/* The identifiers a constant tuple is bound to: walks up a chain of assignments
 * (`A = B = (1, [2])`) from the one at ctx->nodes[index] and keeps the targets that are plain
 * names, outermost first. Unpacking targets (`a, b = [], []`) bind the members, not the
 * tuple. Returns how many were found. */
static uint32_t constant_targets(const pf_context *ctx, uint32_t index, TSNode *names) {
  TSNode found[MAX_CONSTANT_NAMES];
  uint32_t count = 0;
  for (;;) {
    TSNode assignment = ctx->nodes[index];
    TSNode left = pf_unparenthesize(pf_child(assignment, pf_field.LEFT));
    if (kind_of(left) == PF_KIND_IDENTIFIER && count < MAX_CONSTANT_NAMES)
      found[count++] = left;
    if (index < 1 || kind_of(ctx->nodes[index - 1]) != PF_KIND_ASSIGNMENT ||
        ctx->fields[index] != pf_field.RIGHT)
      break;
    index--;
  }
  for (uint32_t i = 0; i < count; i++)
    names[i] = found[count - 1 - i];
  return count;
}

static int is_sequence(pf_kind kind) {
  return kind == PF_KIND_PATTERN_LIST || kind == PF_KIND_TUPLE_PATTERN || kind == PF_KIND_LIST_PATTERN ||
         kind == PF_KIND_EXPRESSION_LIST || kind == PF_KIND_TUPLE || kind == PF_KIND_LIST;
}

/* The named children of a sequence, without comments, into `members`; -1 when one is
 * starred (then members do not pair one to one) or there are too many. */
static int sequence_members(TSNode sequence, TSNode *members, int capacity) {
  int count = 0;
  uint32_t children = ts_node_named_child_count(sequence);
  for (uint32_t i = 0; i < children; i++) {
    TSNode child = ts_node_named_child(sequence, i);
    pf_kind kind = kind_of(child);
    if (kind == PF_KIND_COMMENT)
      continue;
    if (kind == PF_KIND_LIST_SPLAT || kind == PF_KIND_LIST_SPLAT_PATTERN || count == capacity)
      return -1;
    members[count++] = child;
  }
  return count;
}

/* For a tuple that is one member of the value of an unpacking assignment
 * (`C, D = (1, [2]), 3`): the name it is bound to, when the targets pair one to one with the
 * values and its target is a plain name; else a null node. `member` is the index of the
 * tuple's outermost wrapper, `sequence` the index of the value sequence. */
static TSNode unpacked_target(const pf_context *ctx, uint32_t member, uint32_t sequence) {
  enum { MAX_MEMBERS = 64 };
  TSNode null_node = {0};
  uint32_t top = climb_parentheses(ctx, sequence);
  if (top < 1 || kind_of(ctx->nodes[top - 1]) != PF_KIND_ASSIGNMENT || ctx->fields[top] != pf_field.RIGHT)
    return null_node;
  TSNode left = pf_unparenthesize(pf_child(ctx->nodes[top - 1], pf_field.LEFT));
  if (!is_sequence(kind_of(left)))
    return null_node;
  TSNode targets[MAX_MEMBERS], values[MAX_MEMBERS];
  int target_count = sequence_members(left, targets, MAX_MEMBERS);
  int value_count = sequence_members(ctx->nodes[sequence], values, MAX_MEMBERS);
  if (target_count < 0 || target_count != value_count)
    return null_node;
  for (int i = 0; i < value_count; i++)
    if (ts_node_eq(values[i], ctx->nodes[member])) {
      TSNode target = pf_unparenthesize(targets[i]);
      return kind_of(target) == PF_KIND_IDENTIFIER ? target : null_node;
    }
  return null_node;
}

/* Decides where the tuple being visited stands. A tuple that is a member of another tuple
 * is left to the outermost one, except the members of a tuple given to set()/frozenset(),
 * which are hashed one by one. */
static placement place_of_tuple(const pf_context *ctx) {
  placement result;
  memset(&result, 0, sizeof(result));
  uint32_t child = climb_wrappers(ctx, ctx->depth);
  if (child == 0)
    return result;
  TSNode parent = ctx->nodes[child - 1];
  TSFieldId field = ctx->fields[child];
  pf_kind parent_kind = kind_of(parent);
  switch (parent_kind) {
  case PF_KIND_PAIR:
    if (field == pf_field.KEY && child >= 2) {
      pf_kind container = kind_of(ctx->nodes[child - 2]);
      if (container == PF_KIND_DICTIONARY)
        result.place = PLACE_DICT_KEY;
      else if (container == PF_KIND_DICTIONARY_COMPREHENSION)
        result.place = PLACE_DICT_COMPREHENSION_KEY;
    }
    break;
  case PF_KIND_SET:
    result.place = PLACE_SET_ELEMENT;
    break;
  case PF_KIND_SET_COMPREHENSION:
    if (field == pf_field.BODY)
      result.place = PLACE_SET_COMPREHENSION_ELEMENT;
    break;
  case PF_KIND_ARGUMENT_LIST:
    if (child >= 2 && ts_node_named_child_count(parent) == 1 &&
        kind_of(ctx->nodes[child - 2]) == PF_KIND_CALL) {
      result.place = PLACE_HASH_ARGUMENT;
      result.callee = pf_child(ctx->nodes[child - 2], pf_field.FUNCTION);
    }
    break;
  case PF_KIND_TUPLE:
  case PF_KIND_EXPRESSION_LIST:
  case PF_KIND_LIST:
  case PF_KIND_LIST_COMPREHENSION:
  case PF_KIND_GENERATOR_EXPRESSION: {
    if ((parent_kind == PF_KIND_LIST_COMPREHENSION || parent_kind == PF_KIND_GENERATOR_EXPRESSION) &&
        field != pf_field.BODY)
      break;
    if (parent_kind == PF_KIND_TUPLE || parent_kind == PF_KIND_EXPRESSION_LIST) {
      const pf_frame *frame = pf_enclosing_frame(ctx);
      TSNode name = unpacked_target(ctx, child, child - 1);
      if (!ts_node_is_null(name) && (!frame || frame->kind == PF_KIND_CLASS_DEFINITION)) {
        result.place = frame ? PLACE_CLASS_CONSTANT : PLACE_MODULE_CONSTANT;
        result.constant_names[0] = name;
        result.constant_count = 1;
        break;
      }
    }
    TSNode callee = callee_of_only_argument(ctx, climb_parentheses(ctx, child - 1));
    if (!ts_node_is_null(callee)) {
      result.place = PLACE_SET_CALL_ELEMENT;
      result.callee = callee;
    }
    break;
  }
  case PF_KIND_ASSIGNMENT: {
    if (field != pf_field.RIGHT)
      break;
    const pf_frame *frame = pf_enclosing_frame(ctx);
    if (frame && frame->kind != PF_KIND_CLASS_DEFINITION)
      break;
    result.constant_count = constant_targets(ctx, child - 1, result.constant_names);
    if (result.constant_count)
      result.place = frame ? PLACE_CLASS_CONSTANT : PLACE_MODULE_CONSTANT;
    break;
  }
  default:
    break;
  }
  return result;
}

/* The name Python's TypeError gives the member's type, or NULL when pitfall cannot be
 * sure the object is unhashable (a call added with extend-mutable-calls). */
static const char *unhashable_type_name(const pf_mutable_value *value) {
  static const char *const names[][2] = {
      {"list", "list"},
      {"dict", "dict"},
      {"set", "set"},
      {"bytearray", "bytearray"},
      {"builtins.list", "list"},
      {"builtins.dict", "dict"},
      {"builtins.set", "set"},
      {"builtins.bytearray", "bytearray"},
      {"collections.defaultdict", "collections.defaultdict"},
      {"defaultdict", "collections.defaultdict"},
      {"collections.OrderedDict", "collections.OrderedDict"},
      {"OrderedDict", "collections.OrderedDict"},
      {"collections.Counter", "Counter"},
      {"Counter", "Counter"},
      {"collections.deque", "collections.deque"},
      {"deque", "collections.deque"},
      {"collections.ChainMap", "ChainMap"},
      {"ChainMap", "ChainMap"},
      {"collections.UserDict", "UserDict"},
      {"UserDict", "UserDict"},
      {"collections.UserList", "UserList"},
      {"UserList", "UserList"},
      {"array.array", "array.array"},
  };
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (strcmp(value->kind, names[i][0]) == 0)
      return names[i][1];
  return NULL;
}

/* "a mutable list", "a mutable set comprehension", "a mutable `collections.deque()`". */
static const char *describe_member(pf_context *ctx, const pf_mutable_value *value) {
  const char *form = strcmp(value->form, "comprehension") == 0 ? " comprehension" : "";
  int call = strcmp(value->form, "call") == 0;
  size_t length = strlen(value->kind) + 32;
  char *text = pf_arena_alloc(ctx->arena, length);
  strcpy(text, call ? "a mutable `" : "a mutable ");
  strcat(text, value->kind);
  strcat(text, call ? "()`" : form);
  return text;
}

/* The member's source text for the message: its first line, at most 40 bytes, cut at a
 * UTF-8 character boundary; when shortened, "..." and the closing bracket of a display or
 * call (`[1, 2, ...]`, `deque(...)`). */
static const char *excerpt(pf_context *ctx, TSNode node) {
  enum { MAX_EXCERPT = 40 };
  uint32_t length;
  const char *text = pf_node_text(ctx, node, &length);
  uint32_t cut = 0;
  while (cut < length && cut < MAX_EXCERPT && text[cut] != '\n' && text[cut] != '\r')
    cut++;
  int shortened = cut < length;
  if (shortened)
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
      cut--;
  while (shortened && cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == '\t'))
    cut--;
  char closing = shortened && length && strchr(")]}", text[length - 1]) ? text[length - 1] : '\0';
  char *copy = pf_arena_alloc(ctx->arena, (size_t)cut + 5);
  memcpy(copy, text, cut);
  if (shortened) {
    memcpy(copy + cut, "...", 3);
    copy[cut + 3] = closing;
  }
  return copy;
}

/* "`A`", "`A` and `B`", "`A`, `B` and `C`": the names a constant is assigned to. */
static const char *all_names(pf_context *ctx, const placement *where) {
  size_t size = 1;
  for (uint32_t i = 0; i < where->constant_count; i++)
    size += ts_node_end_byte(where->constant_names[i]) - ts_node_start_byte(where->constant_names[i]) + 8;
  char *text = pf_arena_alloc(ctx->arena, size);
  text[0] = '\0';
  for (uint32_t i = 0; i < where->constant_count; i++) {
    if (i)
      strcat(text, i + 1 == where->constant_count ? " and " : ", ");
    strcat(text, "`");
    strcat(text, pf_node_text_dup(ctx, where->constant_names[i]));
    strcat(text, "`");
  }
  return text;
}

static void report(pf_context *ctx, const placement *where, const pf_mutable_value *value) {
  const char *type_name = unhashable_type_name(value);
  const char *member = excerpt(ctx, value->node);
  const char *what = describe_member(ctx, value);
  const char *used_as = NULL;
  switch (where->place) {
  case PLACE_DICT_KEY:
    used_as = "used as a dict key";
    break;
  case PLACE_DICT_COMPREHENSION_KEY:
    used_as = "used as a dict comprehension key";
    break;
  case PLACE_SET_ELEMENT:
    used_as = "used as a set element";
    break;
  case PLACE_SET_COMPREHENSION_ELEMENT:
    used_as = "used as a set comprehension element";
    break;
  case PLACE_HASH_ARGUMENT:
    used_as = "passed to `hash()`";
    break;
  case PLACE_SET_CALL_ELEMENT:
    used_as = strcmp(where->builtin, "set") == 0 ? "used as an element of `set(...)`"
                                                 : "used as an element of `frozenset(...)`";
    break;
  case PLACE_MODULE_CONSTANT:
  case PLACE_CLASS_CONSTANT: {
    char *name = pf_node_text_dup(ctx, where->constant_names[0]);
    const char *names = all_names(ctx, where);
    const char *level = where->place == PLACE_MODULE_CONSTANT ? "module" : "class";
    if (type_name)
      pf_emit(ctx, value->node, PF_SEVERITY_WARNING,
              "Tuple assigned to %s at %s level contains `%s`, %s: `%s` can still change through it, and "
              "hashing it raises `TypeError: unhashable type: '%s'`",
              names, level, member, what, name, type_name);
    else
      pf_emit(ctx, value->node, PF_SEVERITY_WARNING,
              "Tuple assigned to %s at %s level contains `%s`, %s: `%s` can still change through it", names,
              level, member, what, name);
    return;
  }
  case PLACE_NONE:
    return;
  }
  if (!type_name)
    return; /* not known to be unhashable */
  pf_emit(ctx, value->node, PF_SEVERITY_ERROR,
          "Tuple %s contains `%s`, %s: hashing the tuple raises `TypeError: unhashable type: '%s'`", used_as,
          member, what, type_name);
}

/* Looks through the members of `tuple` and of the tuples nested in it (iteratively: the
 * nesting can be deep) and reports each mutable one. */
static void check_members(pf_context *ctx, TSNode tuple, const placement *where) {
  enum { INITIAL_PENDING = 32 };
  TSNode initial[INITIAL_PENDING];
  TSNode *pending = initial;
  size_t count = 0, capacity = INITIAL_PENDING;
  pending[count++] = tuple;
  while (count) {
    TSNode current = pending[--count];
    uint32_t members = ts_node_named_child_count(current);
    /* Push in reverse so members are reported in source order. */
    for (uint32_t i = members; i-- > 0;) {
      TSNode member = ts_node_named_child(current, i);
      TSNode inner = pf_unparenthesize(member);
      pf_kind kind = kind_of(inner);
      if (kind == PF_KIND_TUPLE) {
        if (count == capacity) {
          TSNode *bigger = pf_arena_alloc(ctx->arena, capacity * 2 * sizeof(TSNode));
          memcpy(bigger, pending, count * sizeof(TSNode));
          pending = bigger;
          capacity *= 2;
        }
        pending[count++] = inner;
        continue;
      }
      if (kind == PF_KIND_LIST_SPLAT || kind == PF_KIND_COMMENT)
        continue; /* (*[1, 2],) spreads the list's items into the tuple */
      pf_mutable_value value;
      if (pf_is_mutable_value(ctx, member, &value))
        report(ctx, where, &value);
    }
  }
}

static void visit(pf_context *ctx, TSNode node, void *state) {
  (void)state;
  placement where = place_of_tuple(ctx);
  if (where.place != PLACE_NONE && callee_confirmed(ctx, &where))
    check_members(ctx, node, &where);
}

static const pf_kind kinds[] = {PF_KIND_TUPLE, PF_KIND_EXPRESSION_LIST, PF_KIND_OTHER};
static const char *const tags[] = {"correctness", "reliability", NULL};

const pf_rule pf_rule_mutable_in_tuple = {
    .code = "PF003",
    .name = "mutable-in-tuple",
    .summary = "Tuple with a mutable member where it is hashed or meant to be a constant",
    .explanation = explanation,
    .severity = PF_SEVERITY_WARNING,
    .kinds = kinds,
    .visit = visit,
    .tags = tags,
    .precision = "high",
};
