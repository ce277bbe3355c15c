/*
 * imports.c: the per-file import table and qualified-name resolution (see imports.h).
 */
#include "imports.h"

#include <stdlib.h>
#include <string.h>

#include "lang.h"

typedef struct binding_buffer {
  pf_import_binding *items;
  size_t count, capacity;
} binding_buffer;

static void add_binding(binding_buffer *buffer, const char *local, const char *qualified) {
  pf_grow((void **)&buffer->items, &buffer->capacity, buffer->count + 1, sizeof(pf_import_binding));
  buffer->items[buffer->count].local = local;
  buffer->items[buffer->count].qualified = qualified;
  buffer->count++;
}

static char *text_of(TSNode node, const pf_source *source, pf_arena *arena) {
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  /* A dotted_name may contain spaces or comments between its parts ("os . path"): keep only
   * the identifiers and dots. */
  char *copy = pf_arena_alloc(arena, end - start + 1);
  size_t length = 0;
  for (uint32_t i = start; i < end; i++) {
    char c = source->text[i];
    if (c != ' ' && c != '\t' && c != '\\' && c != '\n' && c != '\r')
      copy[length++] = c;
  }
  copy[length] = '\0';
  return copy;
}

static void collect_statement(binding_buffer *buffer, TSNode statement, const pf_source *source,
                              pf_arena *arena) {
  pf_kind kind = pf_node_kind(statement);
  if (kind == PF_KIND_IMPORT_STATEMENT) {
    uint32_t count = ts_node_named_child_count(statement);
    for (uint32_t i = 0; i < count; i++) {
      TSNode child = ts_node_named_child(statement, i);
      pf_kind child_kind = pf_node_kind(child);
      if (child_kind == PF_KIND_ALIASED_IMPORT) {
        TSNode name = pf_child(child, pf_field.NAME), alias = pf_child(child, pf_field.ALIAS);
        if (!ts_node_is_null(name) && !ts_node_is_null(alias))
          add_binding(buffer, text_of(alias, source, arena), text_of(name, source, arena));
      } else if (child_kind == PF_KIND_DOTTED_NAME) {
        /* `import os.path` binds `os` to the package os. */
        char *full = text_of(child, source, arena);
        char *dot = strchr(full, '.');
        char *head = dot ? pf_arena_strndup(arena, full, (size_t)(dot - full)) : full;
        add_binding(buffer, head, head);
      }
    }
  } else if (kind == PF_KIND_IMPORT_FROM_STATEMENT) {
    TSNode module = pf_child(statement, pf_field.MODULE_NAME);
    if (ts_node_is_null(module) || pf_node_kind(module) != PF_KIND_DOTTED_NAME)
      return; /* relative imports name this package's modules: nothing we know of */
    char *module_text = text_of(module, source, arena);
    uint32_t count = ts_node_named_child_count(statement);
    for (uint32_t i = 0; i < count; i++) {
      TSNode child = ts_node_named_child(statement, i);
      if (ts_node_eq(child, module))
        continue;
      TSNode name = child, alias = child;
      pf_kind child_kind = pf_node_kind(child);
      if (child_kind == PF_KIND_ALIASED_IMPORT) {
        name = pf_child(child, pf_field.NAME);
        alias = pf_child(child, pf_field.ALIAS);
      } else if (child_kind != PF_KIND_DOTTED_NAME) {
        continue;
      }
      if (ts_node_is_null(name) || ts_node_is_null(alias))
        continue;
      char *name_text = text_of(name, source, arena);
      size_t module_length = strlen(module_text), name_length = strlen(name_text);
      char *qualified = pf_arena_alloc(arena, module_length + 1 + name_length + 1);
      memcpy(qualified, module_text, module_length);
      qualified[module_length] = '.';
      memcpy(qualified + module_length + 1, name_text, name_length + 1);
      add_binding(buffer, text_of(alias, source, arena), qualified);
    }
  }
}

typedef struct name_buffer {
  const char **items;
  size_t count, capacity;
} name_buffer;

/* The identifier a top-level statement defines, or a null node. */
static TSNode defined_name(TSNode statement) {
  TSNode null_node = {0};
  pf_kind kind = pf_node_kind(statement);
  if (kind == PF_KIND_DECORATED_DEFINITION) {
    statement = pf_child(statement, pf_field.DEFINITION);
    kind = ts_node_is_null(statement) ? PF_KIND_OTHER : pf_node_kind(statement);
  }
  if (kind == PF_KIND_CLASS_DEFINITION || kind == PF_KIND_FUNCTION_DEFINITION)
    return pf_child(statement, pf_field.NAME);
  if (kind == PF_KIND_EXPRESSION_STATEMENT && ts_node_named_child_count(statement) == 1) {
    TSNode assignment = ts_node_named_child(statement, 0);
    if (pf_node_kind(assignment) == PF_KIND_ASSIGNMENT)
      return pf_child(assignment, pf_field.LEFT);
  }
  return null_node;
}

static void collect_definition(name_buffer *names, TSNode statement, const pf_source *source,
                               pf_arena *arena) {
  TSNode name = defined_name(statement);
  if (ts_node_is_null(name) || pf_node_kind(name) != PF_KIND_IDENTIFIER)
    return;
  uint32_t start = ts_node_start_byte(name), end = ts_node_end_byte(name);
  pf_grow((void **)&names->items, &names->capacity, names->count + 1, sizeof(char *));
  names->items[names->count++] = pf_arena_strndup(arena, source->text + start, end - start);
}

static int compare_names(const void *left, const void *right) {
  return strcmp(*(const char *const *)left, *(const char *const *)right);
}

static int is_compound(pf_kind kind) {
  return kind == PF_KIND_IF_STATEMENT || kind == PF_KIND_TRY_STATEMENT || kind == PF_KIND_WITH_STATEMENT ||
         kind == PF_KIND_BLOCK || kind == PF_KIND_ELSE_CLAUSE || kind == PF_KIND_ELIF_CLAUSE ||
         kind == PF_KIND_EXCEPT_CLAUSE || kind == PF_KIND_FINALLY_CLAUSE;
}

typedef struct pending_node {
  TSNode node;
  uint32_t nesting;
} pending_node;

typedef struct pending_stack {
  pending_node *items;
  size_t count, capacity;
} pending_stack;

/* Pushes the named children of `parent` so that they pop in source order (a later import
 * rebinds a name). A cursor, not ts_node_named_child(parent, i): that one descends the
 * parent's hidden repeat nodes from the top on every call, quadratic on a long block. */
static void push_children(pending_stack *stack, TSNode parent, uint32_t nesting) {
  size_t first = stack->count;
  TSTreeCursor cursor = ts_tree_cursor_new(parent);
  for (int more = ts_tree_cursor_goto_first_child(&cursor); more;
       more = ts_tree_cursor_goto_next_sibling(&cursor)) {
    TSNode child = ts_tree_cursor_current_node(&cursor);
    if (!ts_node_is_named(child))
      continue;
    pf_grow((void **)&stack->items, &stack->capacity, stack->count + 1, sizeof(pending_node));
    stack->items[stack->count++] = (pending_node){child, nesting};
  }
  ts_tree_cursor_delete(&cursor);
  for (size_t low = first, high = stack->count; low + 1 < high; low++, high--) {
    pending_node swap = stack->items[low];
    stack->items[low] = stack->items[high - 1];
    stack->items[high - 1] = swap;
  }
}

/* Visits the module's statements and, through compound statements (if/try/with and their
 * clauses and blocks), the imports nested up to MAX_NESTING levels below module level, such
 * as `try: import x` or `if TYPE_CHECKING: from y import z`. Function and class bodies are
 * not entered. The module's statements are read with one cursor; only the inside of a
 * compound statement goes through the (bounded) work stack, never recursion. */
void pf_imports_collect(pf_imports *imports, TSNode module, const pf_source *source, pf_arena *arena) {
  enum { MAX_NESTING = 6 };
  binding_buffer buffer = {0};
  name_buffer names = {0};
  pending_stack stack = {0};
  TSTreeCursor cursor = ts_tree_cursor_new(module);
  for (int more = ts_tree_cursor_goto_first_child(&cursor); more;
       more = ts_tree_cursor_goto_next_sibling(&cursor)) {
    TSNode statement = ts_tree_cursor_current_node(&cursor);
    pf_kind kind = pf_node_kind(statement);
    if (kind == PF_KIND_IMPORT_STATEMENT || kind == PF_KIND_IMPORT_FROM_STATEMENT) {
      collect_statement(&buffer, statement, source, arena);
      continue;
    }
    if (!is_compound(kind)) {
      collect_definition(&names, statement, source, arena);
      continue;
    }
    push_children(&stack, statement, 1);
    while (stack.count) {
      pending_node item = stack.items[--stack.count];
      pf_kind item_kind = pf_node_kind(item.node);
      if (item_kind == PF_KIND_IMPORT_STATEMENT || item_kind == PF_KIND_IMPORT_FROM_STATEMENT)
        collect_statement(&buffer, item.node, source, arena);
      else if (is_compound(item_kind) && item.nesting < MAX_NESTING)
        push_children(&stack, item.node, item.nesting + 1);
    }
  }
  ts_tree_cursor_delete(&cursor);
  free(stack.items);
  /* Move into the arena so the file's lifetime owns it. */
  imports->count = buffer.count;
  imports->bindings = NULL;
  if (buffer.count) {
    imports->bindings = pf_arena_alloc(arena, buffer.count * sizeof(pf_import_binding));
    memcpy(imports->bindings, buffer.items, buffer.count * sizeof(pf_import_binding));
  }
  free(buffer.items);
  imports->definition_count = names.count;
  imports->definitions = NULL;
  if (names.count) {
    qsort(names.items, names.count, sizeof(char *), compare_names);
    imports->definitions = pf_arena_alloc(arena, names.count * sizeof(char *));
    memcpy(imports->definitions, names.items, names.count * sizeof(char *));
  }
  free(names.items);
}

/* Binary search over the sorted definitions: a module of 100,000 functions whose defaults
 * call list() asks once per default. */
int pf_imports_module_defines(const pf_imports *imports, const char *local, size_t length) {
  size_t low = 0, high = imports ? imports->definition_count : 0;
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    const char *name = imports->definitions[middle];
    int order = strncmp(name, local, length);
    if (order == 0)
      order = name[length] == '\0' ? 0 : 1;
    if (order == 0)
      return 1;
    if (order < 0)
      low = middle + 1;
    else
      high = middle;
  }
  return 0;
}

const pf_import_binding *pf_imports_lookup(const pf_imports *imports, const char *local, size_t length) {
  /* The last binding wins, as a later import rebinds the name. */
  for (size_t i = imports->count; i-- > 0;) {
    const char *name = imports->bindings[i].local;
    if (strlen(name) == length && memcmp(name, local, length) == 0)
      return &imports->bindings[i];
  }
  return NULL;
}

int pf_qualified_name(const pf_imports *imports, const pf_source *source, TSNode node, char *out,
                      size_t out_size) {
  /* Collect the attribute chain right to left without recursion. */
  enum { MAX_SEGMENTS = 16 };
  TSNode segments[MAX_SEGMENTS];
  size_t segment_count = 0;
  TSNode current = node;
  while (pf_node_kind(current) == PF_KIND_ATTRIBUTE) {
    if (segment_count == MAX_SEGMENTS)
      return -1;
    TSNode attribute = pf_child(current, pf_field.ATTRIBUTE);
    if (ts_node_is_null(attribute))
      return -1;
    segments[segment_count++] = attribute;
    current = pf_child(current, pf_field.OBJECT);
  }
  if (ts_node_is_null(current) || pf_node_kind(current) != PF_KIND_IDENTIFIER)
    return -1;
  const char *head = source->text + ts_node_start_byte(current);
  size_t head_length = ts_node_end_byte(current) - ts_node_start_byte(current);
  const pf_import_binding *binding = imports ? pf_imports_lookup(imports, head, head_length) : NULL;
  size_t used = 0;
  const char *first = binding ? binding->qualified : head;
  size_t first_length = binding ? strlen(binding->qualified) : head_length;
  if (first_length + 1 > out_size)
    return -1;
  memcpy(out, first, first_length);
  used = first_length;
  for (size_t i = segment_count; i-- > 0;) {
    size_t start = ts_node_start_byte(segments[i]), length = ts_node_end_byte(segments[i]) - start;
    if (used + 1 + length + 1 > out_size)
      return -1;
    out[used++] = '.';
    memcpy(out + used, source->text + start, length);
    used += length;
  }
  out[used] = '\0';
  return 0;
}

int pf_qualified_is(const char *qualified, const char *name) { return strcmp(qualified, name) == 0; }
