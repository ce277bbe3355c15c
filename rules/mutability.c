/*
 * mutability.c: the shared mutable-value and immutable-annotation tests (see mutability.h).
 */
#include "mutability.h"

#include <stdlib.h>
#include <string.h>

#include "imports.h"

/* Calls that return a fresh mutable container, by qualified name. */
static const char *const mutable_calls[] = {
    "list",
    "dict",
    "set",
    "bytearray",
    "builtins.list",
    "builtins.dict",
    "builtins.set",
    "builtins.bytearray",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.Counter",
    "collections.deque",
    "collections.ChainMap",
    "collections.UserDict",
    "collections.UserList",
    "array.array",
    NULL,
};

/* Names of collections classes that count when written bare with no import binding them
 * (a star import, or code pasted without its imports). */
static const char *const bare_collections[] = {
    "defaultdict", "OrderedDict", "Counter", "deque", "ChainMap", "UserDict", "UserList", NULL,
};

/* Appends the text of a dotted name to `out` (of `size`), without blanks; 0 when it fits. */
static int append_dotted(const pf_context *ctx, TSNode node, char *out, size_t size) {
  uint32_t length;
  const char *text = pf_node_text(ctx, node, &length);
  size_t used = strlen(out);
  for (uint32_t i = 0; i < length; i++) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\\' || text[i] == '\n' || text[i] == '\r')
      continue;
    if (used + 1 >= size)
      return -1;
    out[used++] = text[i];
  }
  out[used] = '\0';
  return 0;
}

/* Whether an import statement binds `name`; writes what it stands for into `target`:
 * `import a.b` binds `a` (a), `import a.b as n` and `from a import b as n` bind `n` (a.b),
 * `from a import b` binds `b` (a.b). A relative import's target starts with its dots. */
static int import_binds(const pf_context *ctx, TSNode statement, const char *name, uint32_t length,
                        char *target, size_t size) {
  int from = pf_node_kind(statement) == PF_KIND_IMPORT_FROM_STATEMENT;
  TSNode module = from ? pf_child(statement, pf_field.MODULE_NAME) : (TSNode){0};
  int found = 0;
  uint32_t count = ts_node_child_count(statement);
  for (uint32_t i = 0; i < count; i++) {
    const char *field = ts_node_field_name_for_child(statement, i);
    if (!field || strcmp(field, "name") != 0)
      continue;
    TSNode imported = ts_node_child(statement, i), bound = imported, path = imported;
    if (pf_node_kind(imported) == PF_KIND_ALIASED_IMPORT) {
      bound = pf_child(imported, pf_field.ALIAS);
      path = pf_child(imported, pf_field.NAME);
    } else if (!from && ts_node_named_child_count(imported)) {
      bound = path = ts_node_named_child(imported, 0); /* import a.b binds a */
    } else if (from && ts_node_named_child_count(imported)) {
      bound = ts_node_named_child(imported, ts_node_named_child_count(imported) - 1);
    }
    uint32_t bound_length;
    const char *bound_text = ts_node_is_null(bound) ? NULL : pf_node_text(ctx, bound, &bound_length);
    if (!bound_text || bound_length != length || memcmp(bound_text, name, length) != 0 ||
        ts_node_is_null(path))
      continue;
    target[0] = '\0';
    if (from) {
      if (ts_node_is_null(module) || append_dotted(ctx, module, target, size) != 0 ||
          strlen(target) + 2 > size)
        continue;
      strcat(target, ".");
    }
    found = append_dotted(ctx, path, target, size) == 0;
  }
  return found;
}

/* The import statements a function or class body holds, directly or in if/try/with/else/
 * except blocks (not in nested functions and classes), in source order. */
struct pf_scope_imports {
  uint32_t count;
  TSNode statements[];
};

/* Collects the frame's imports once per frame, so that each call in a default or a tuple
 * looks at them without walking the body again (which made a class of 4,000 such lines
 * quadratic). */
static const struct pf_scope_imports *scope_imports_of(const pf_context *ctx, pf_frame *frame) {
  if (frame->scope_imports)
    return frame->scope_imports;
  enum { MAX_PENDING = 64 };
  TSNode pending[MAX_PENDING];
  size_t depth = 0;
  TSNode *found = NULL;
  size_t found_count = 0, found_capacity = 0;
  TSNode body = pf_child(frame->node, pf_field.BODY);
  if (!ts_node_is_null(body))
    pending[depth++] = body;
  /* Blocks are scanned in source order: pending holds them last-first. */
  while (depth) {
    TSNode container = pending[--depth];
    size_t pushed_from = depth;
    TSTreeCursor cursor = ts_tree_cursor_new(container);
    for (int more = ts_tree_cursor_goto_first_child(&cursor); more;
         more = ts_tree_cursor_goto_next_sibling(&cursor)) {
      TSNode child = ts_tree_cursor_current_node(&cursor);
      if (!ts_node_is_named(child))
        continue;
      pf_kind kind = pf_node_kind(child);
      if (kind == PF_KIND_IMPORT_STATEMENT || kind == PF_KIND_IMPORT_FROM_STATEMENT) {
        pf_grow((void **)&found, &found_capacity, found_count + 1, sizeof(TSNode));
        found[found_count++] = child;
      } else if ((kind == PF_KIND_BLOCK || kind == PF_KIND_IF_STATEMENT || kind == PF_KIND_TRY_STATEMENT ||
                  kind == PF_KIND_WITH_STATEMENT || kind == PF_KIND_ELSE_CLAUSE ||
                  kind == PF_KIND_ELIF_CLAUSE || kind == PF_KIND_EXCEPT_CLAUSE ||
                  kind == PF_KIND_FINALLY_CLAUSE) &&
                 depth < MAX_PENDING) {
        pending[depth++] = child;
      }
    }
    ts_tree_cursor_delete(&cursor);
    /* Reverse what this container pushed, so its first nested block is scanned first. */
    for (size_t low = pushed_from, high = depth; high > low + 1; low++, high--) {
      TSNode swap = pending[low];
      pending[low] = pending[high - 1];
      pending[high - 1] = swap;
    }
  }
  struct pf_scope_imports *imports =
      pf_arena_alloc(ctx->arena, sizeof(struct pf_scope_imports) + found_count * sizeof(TSNode));
  imports->count = (uint32_t)found_count;
  if (found_count)
    memcpy(imports->statements, found, found_count * sizeof(TSNode));
  free(found);
  frame->scope_imports = imports;
  return imports;
}

/* The qualified name of a dotted expression whose first name an import inside an enclosing
 * function or class body binds (`def outer(): import collections as c; def f(a=c.deque())`),
 * or -1 when none does. The innermost scope that imports the name wins, and within it the
 * last import before `node`; a class body counts only for what stands directly in it (its
 * methods do not see its names). Imports nested in if/try/with/else/except blocks count;
 * those in nested functions and classes do not. */
static int local_import_qualified(const pf_context *ctx, TSNode node, char *out, size_t size) {
  TSNode first = node;
  while (pf_node_kind(first) == PF_KIND_ATTRIBUTE)
    first = pf_child(first, pf_field.OBJECT);
  if (ts_node_is_null(first) || pf_node_kind(first) != PF_KIND_IDENTIFIER || !ctx->frame_count)
    return -1;
  uint32_t length, before = ts_node_start_byte(node);
  const char *name = pf_node_text(ctx, first, &length);
  char target[256];
  for (uint32_t f = ctx->frame_count; f-- > 0;) {
    pf_frame *frame = &ctx->frames[f];
    if (frame->kind == PF_KIND_LAMBDA ||
        (frame->kind == PF_KIND_CLASS_DEFINITION && f != ctx->frame_count - 1u))
      continue;
    const struct pf_scope_imports *imports = scope_imports_of(ctx, frame);
    int found = 0;
    for (uint32_t i = 0; i < imports->count && ts_node_start_byte(imports->statements[i]) < before; i++)
      if (import_binds(ctx, imports->statements[i], name, length, target, sizeof(target)))
        found = 1;
    if (!found)
      continue;
    out[0] = '\0';
    if (strlen(target) + 1 > size)
      return -1;
    strcpy(out, target);
    /* The rest of the dotted expression after its first name. */
    char rest[256] = "";
    if (append_dotted(ctx, node, rest, sizeof(rest)) != 0)
      return -1;
    if (strlen(out) + strlen(rest + length) + 1 > size)
      return -1;
    strcat(out, rest + length);
    return 0;
  }
  return -1;
}

static const char *match_mutable_call(const pf_context *ctx, TSNode function) {
  char qualified[256];
  if (pf_node_kind(function) == PF_KIND_SUBSCRIPT || pf_node_kind(function) == PF_KIND_GENERIC_TYPE) {
    /* list[int]() and defaultdict[str, list]() */
    TSNode value = pf_child(function, pf_field.VALUE);
    if (ts_node_is_null(value) && ts_node_named_child_count(function) > 0)
      value = ts_node_named_child(function, 0);
    function = value;
  }
  if (ts_node_is_null(function))
    return NULL;
  int local = local_import_qualified(ctx, function, qualified, sizeof(qualified)) == 0;
  if (!local && pf_qualified_name(ctx->imports, ctx->source, function, qualified, sizeof(qualified)) != 0)
    return NULL;
  /* A bare name no import binds: the builtin or a star-imported collections class, unless
   * the module defines a callable of that name itself. */
  int bare = 0;
  uint32_t length = 0;
  const char *name = NULL;
  if (!local && pf_node_kind(function) == PF_KIND_IDENTIFIER) {
    name = pf_node_text(ctx, function, &length);
    bare = pf_imports_lookup(ctx->imports, name, length) == NULL;
  }
  const char *match = NULL;
  for (size_t i = 0; mutable_calls[i] && !match; i++)
    if (strcmp(qualified, mutable_calls[i]) == 0)
      match = mutable_calls[i];
  for (size_t i = 0; bare && bare_collections[i] && !match; i++)
    if (strlen(bare_collections[i]) == length && memcmp(bare_collections[i], name, length) == 0)
      match = bare_collections[i];
  if (match)
    return bare && pf_imports_module_defines(ctx->imports, name, length) ? NULL : match;
  const pf_name_list *extra = &ctx->settings->extend_mutable_calls;
  if (pf_name_list_contains(extra, qualified, strlen(qualified)))
    return pf_arena_strndup(ctx->arena, qualified, strlen(qualified));
  return NULL;
}

int pf_is_mutable_value(const pf_context *ctx, TSNode expression, pf_mutable_value *out) {
  /* Parentheses and walruses nest; unwrap them in a loop, never by recursion. */
  for (int guard = 0; guard < 1000 && !ts_node_is_null(expression); guard++) {
    pf_kind kind = pf_node_kind(expression);
    if (kind == PF_KIND_PARENTHESIZED_EXPRESSION && ts_node_named_child_count(expression) == 1) {
      expression = ts_node_named_child(expression, 0);
      continue;
    }
    if (kind == PF_KIND_NAMED_EXPRESSION) {
      expression = pf_child(expression, pf_field.VALUE);
      continue;
    }
    const char *type = NULL, *form = NULL;
    switch (kind) {
    case PF_KIND_LIST:
      type = "list", form = "display";
      break;
    case PF_KIND_DICTIONARY:
      type = "dict", form = "display";
      break;
    case PF_KIND_SET:
      type = "set", form = "display";
      break;
    case PF_KIND_LIST_COMPREHENSION:
      type = "list", form = "comprehension";
      break;
    case PF_KIND_DICTIONARY_COMPREHENSION:
      type = "dict", form = "comprehension";
      break;
    case PF_KIND_SET_COMPREHENSION:
      type = "set", form = "comprehension";
      break;
    case PF_KIND_CALL: {
      TSNode function = pf_child(expression, pf_field.FUNCTION);
      if (!ts_node_is_null(function)) {
        type = match_mutable_call(ctx, function);
        form = "call";
      }
      break;
    }
    default:
      break;
    }
    if (!type)
      return 0;
    if (out) {
      out->node = expression;
      out->kind = type;
      out->form = form;
    }
    return 1;
  }
  return 0;
}

/* Type names (last dotted segment) that promise read-only use. */
static const char *const immutable_types[] = {
    "Sequence",    "Mapping",
    "AbstractSet", "Iterable",
    "Collection",  "Container",
    "Reversible",  "Iterator",
    "tuple",       "Tuple",
    "frozenset",   "FrozenSet",
    "str",         "bytes",
    "int",         "float",
    "complex",     "bool",
    "Hashable",    "Sized",
    "ByteString",  "MappingProxyType",
    "KeysView",    "ValuesView",
    "ItemsView",   "NamedTuple",
    NULL,
};

static int last_segment_is(const pf_context *ctx, const pf_source *source, TSNode name,
                           const char *const *list, const pf_name_list *extra) {
  char qualified[256];
  if (pf_qualified_name(ctx->imports, source, name, qualified, sizeof(qualified)) != 0)
    return 0;
  if (extra && pf_name_list_contains(extra, qualified, strlen(qualified)))
    return 1;
  const char *dot = strrchr(qualified, '.');
  const char *last = dot ? dot + 1 : qualified;
  for (size_t i = 0; list[i]; i++)
    if (strcmp(last, list[i]) == 0)
      return 1;
  if (extra) {
    for (size_t i = 0; i < extra->count; i++) {
      const char *extra_dot = strrchr(extra->names[i], '.');
      if (strcmp(extra_dot ? extra_dot + 1 : extra->names[i], qualified) == 0)
        return 1;
    }
  }
  return 0;
}

/* String annotations ("Sequence[int]") are parsed as expressions of their own, each into a
 * small tree whose text is the string's contents in parentheses. Source 0 is the file. */
enum { MAX_ANNOTATION_STRINGS = 8 };

typedef struct annotation_sources {
  pf_source sources[MAX_ANNOTATION_STRINGS + 1];
  TSTree *trees[MAX_ANNOTATION_STRINGS];
  size_t count; /* parsed strings */
  TSParser *parser;
} annotation_sources;

/* Parses a plain string annotation; returns its expression (a parenthesized_expression), or
 * a null node when the string has a prefix other than r/u, escapes, interpolations, or does
 * not parse as a single expression. */
static TSNode parse_string_annotation(const pf_context *ctx, annotation_sources *strings, TSNode string,
                                      const pf_source *source) {
  TSNode null_node = {0};
  if (strings->count == MAX_ANNOTATION_STRINGS)
    return null_node;
  uint32_t children = ts_node_named_child_count(string);
  if (children < 2)
    return null_node;
  TSNode start = ts_node_named_child(string, 0), end = ts_node_named_child(string, children - 1);
  if (pf_node_kind(start) != PF_KIND_STRING_START || pf_node_kind(end) != PF_KIND_STRING_END)
    return null_node;
  for (uint32_t i = 1; i + 1 < children; i++) {
    TSNode part = ts_node_named_child(string, i);
    if (pf_node_kind(part) != PF_KIND_STRING_CONTENT || ts_node_named_child_count(part) != 0)
      return null_node; /* an interpolation or an escape sequence */
  }
  for (uint32_t i = ts_node_start_byte(start); i < ts_node_end_byte(start); i++) {
    char c = source->text[i];
    if (c != '"' && c != '\'' && c != 'r' && c != 'R' && c != 'u' && c != 'U')
      return null_node; /* b"", f"" */
  }
  uint32_t content_start = ts_node_end_byte(start), content_end = ts_node_start_byte(end);
  if (content_end < content_start)
    return null_node;
  uint32_t length = content_end - content_start;
  char *text = pf_arena_alloc(ctx->arena, (size_t)length + 3);
  text[0] = '(';
  memcpy(text + 1, source->text + content_start, length);
  text[length + 1] = ')';
  text[length + 2] = '\0';
  if (!strings->parser) {
    strings->parser = ts_parser_new();
    if (!strings->parser || !ts_parser_set_language(strings->parser, pf_language))
      return null_node;
  }
  TSTree *tree = ts_parser_parse_string(strings->parser, NULL, text, length + 2);
  if (!tree)
    return null_node;
  strings->trees[strings->count] = tree;
  pf_source *parsed = &strings->sources[++strings->count];
  memset(parsed, 0, sizeof(*parsed));
  parsed->text = text;
  parsed->length = length + 2;
  TSNode root = ts_tree_root_node(tree);
  if (ts_node_has_error(root) || ts_node_named_child_count(root) != 1)
    return null_node;
  TSNode statement = ts_node_named_child(root, 0);
  if (pf_node_kind(statement) != PF_KIND_EXPRESSION_STATEMENT || ts_node_named_child_count(statement) != 1)
    return null_node;
  TSNode expression = ts_node_named_child(statement, 0);
  return pf_node_kind(expression) == PF_KIND_PARENTHESIZED_EXPRESSION ? expression : null_node;
}

typedef struct annotation_item {
  TSNode node;
  uint32_t source; /* index into annotation_sources.sources */
} annotation_item;

/* Works through an explicit list of pending type expressions, so deeply nested unions cannot
 * exhaust the C stack. Every pending expression must be immutable (or None). */
static int check_annotation(const pf_context *ctx, TSNode annotation, annotation_sources *strings) {
  enum { MAX_PENDING = 64 };
  annotation_item pending[MAX_PENDING];
  size_t count = 0, processed = 0;
  pending[count++] = (annotation_item){annotation, 0};
  const pf_name_list *extra = &ctx->settings->extend_immutable_annotations;
  while (count) {
    annotation_item item = pending[--count];
    TSNode node = item.node;
    const pf_source *source = &strings->sources[item.source];
    if (++processed > 256)
      return 0;
    pf_kind kind = pf_node_kind(node);
    if (kind == PF_KIND_TYPE || kind == PF_KIND_PARENTHESIZED_EXPRESSION) {
      if (ts_node_named_child_count(node) != 1)
        return 0;
      pending[count++] = (annotation_item){ts_node_named_child(node, 0), item.source};
      continue;
    }
    if (kind == PF_KIND_NONE)
      continue;
    if (kind == PF_KIND_BINARY_OPERATOR || kind == PF_KIND_UNION_TYPE) {
      /* X | Y: both sides must be immutable. */
      if (kind == PF_KIND_BINARY_OPERATOR) {
        TSNode op = pf_child(node, pf_field.OPERATOR);
        if (ts_node_is_null(op) || ts_node_end_byte(op) - ts_node_start_byte(op) != 1 ||
            source->text[ts_node_start_byte(op)] != '|')
          return 0;
      }
      uint32_t children = ts_node_named_child_count(node);
      if (count + children > MAX_PENDING)
        return 0;
      for (uint32_t i = 0; i < children; i++)
        pending[count++] = (annotation_item){ts_node_named_child(node, i), item.source};
      continue;
    }
    if (kind == PF_KIND_STRING) {
      /* A forward reference: judge the expression the string holds. */
      TSNode expression = parse_string_annotation(ctx, strings, node, source);
      if (ts_node_is_null(expression))
        return 0;
      pending[count++] = (annotation_item){expression, (uint32_t)strings->count};
      continue;
    }
    TSNode base = node, arguments = {0};
    if (kind == PF_KIND_SUBSCRIPT) {
      base = pf_child(node, pf_field.VALUE);
      arguments = node;
    } else if (kind == PF_KIND_GENERIC_TYPE) {
      base = ts_node_named_child(node, 0);
      arguments = ts_node_named_child_count(node) > 1 ? ts_node_named_child(node, 1) : arguments;
    }
    if (ts_node_is_null(base))
      return 0;
    char qualified[256];
    if (pf_qualified_name(ctx->imports, source, base, qualified, sizeof(qualified)) != 0)
      return 0;
    const char *dot = strrchr(qualified, '.');
    const char *last = dot ? dot + 1 : qualified;
    if (!ts_node_is_null(arguments) && (strcmp(last, "Optional") == 0 || strcmp(last, "Union") == 0 ||
                                        strcmp(last, "Annotated") == 0 || strcmp(last, "Final") == 0)) {
      /* Every argument must be immutable for Union/Optional; only the first counts for
       * Annotated and Final. A generic_type wraps its arguments in one type_parameter. */
      int only_first = strcmp(last, "Annotated") == 0 || strcmp(last, "Final") == 0;
      uint32_t children = ts_node_named_child_count(arguments);
      size_t added = 0;
      for (uint32_t i = 0; i < children && !(only_first && added); i++) {
        TSNode child = ts_node_named_child(arguments, i);
        if (kind == PF_KIND_SUBSCRIPT && ts_node_eq(child, base))
          continue;
        if (pf_node_kind(child) == PF_KIND_TYPE_PARAMETER) {
          uint32_t inner = ts_node_named_child_count(child);
          for (uint32_t j = 0; j < inner && !(only_first && added); j++) {
            if (count >= MAX_PENDING)
              return 0;
            pending[count++] = (annotation_item){ts_node_named_child(child, j), item.source};
            added++;
          }
          continue;
        }
        if (count >= MAX_PENDING)
          return 0;
        pending[count++] = (annotation_item){child, item.source};
        added++;
      }
      if (!added)
        return 0;
      continue;
    }
    if (!last_segment_is(ctx, source, base, immutable_types, extra))
      return 0;
  }
  return 1;
}

int pf_is_immutable_annotation(const pf_context *ctx, TSNode annotation) {
  annotation_sources strings;
  memset(&strings, 0, sizeof(strings));
  strings.sources[0] = *ctx->source;
  int immutable = check_annotation(ctx, annotation, &strings);
  for (size_t i = 0; i < strings.count; i++)
    ts_tree_delete(strings.trees[i]);
  if (strings.parser)
    ts_parser_delete(strings.parser);
  return immutable;
}

int pf_is_builtin_callable(const pf_context *ctx, TSNode function, const char *name) {
  char qualified[256];
  if (ts_node_is_null(function) ||
      pf_qualified_name(ctx->imports, ctx->source, function, qualified, sizeof(qualified)) != 0)
    return 0;
  if (strncmp(qualified, "builtins.", 9) == 0 && strcmp(qualified + 9, name) == 0)
    return 1;
  if (strcmp(qualified, name) != 0 || pf_node_kind(function) != PF_KIND_IDENTIFIER)
    return 0;
  uint32_t length = (uint32_t)strlen(name);
  return pf_imports_lookup(ctx->imports, name, length) == NULL &&
         !pf_imports_module_defines(ctx->imports, name, length);
}
