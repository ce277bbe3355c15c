/*
 * tree_guard.c: finding ERROR nodes libtree-sitter 0.20.7 cannot delete (see tree_guard.h).
 */
#include "tree_guard.h"

#if defined(__SANITIZE_ADDRESS__)
#define PF_LEAK_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PF_LEAK_SANITIZER 1
#endif
#endif
#ifndef PF_LEAK_SANITIZER
#define PF_LEAK_SANITIZER 0
#endif
#if PF_LEAK_SANITIZER
#include <sanitizer/lsan_interface.h>
#endif

/* ts_builtin_sym_error in the runtime: the symbol of ERROR nodes, in every grammar. */
#define PF_SYMBOL_ERROR ((TSSymbol)-1)

/* Far below the 65,535 where the runtime breaks, far above what a real file's error needs. */
enum { HUGE_ERROR_CHILDREN = 16384 };

/* Whether the ERROR node's children leave text other than blanks uncovered: a sign that its
 * child count wrapped around past 65,535. */
static int children_miss_text(TSNode error, const char *text, uint32_t length, pf_blank_byte_fn is_blank) {
  uint32_t covered = ts_node_start_byte(error), end = ts_node_end_byte(error);
  TSTreeCursor cursor = ts_tree_cursor_new(error);
  int missing = 0;
  int more = ts_tree_cursor_goto_first_child(&cursor);
  for (;;) {
    uint32_t until = more ? ts_node_start_byte(ts_tree_cursor_current_node(&cursor)) : end;
    for (uint32_t i = covered; i < until && i < length && !missing; i++)
      missing = !is_blank(text[i]);
    if (!more || missing)
      break;
    uint32_t child_end = ts_node_end_byte(ts_tree_cursor_current_node(&cursor));
    if (child_end > covered)
      covered = child_end;
    more = ts_tree_cursor_goto_next_sibling(&cursor);
  }
  ts_tree_cursor_delete(&cursor);
  return missing;
}

int pf_tree_has_unsafe_error(TSNode root, const char *text, uint32_t length, pf_blank_byte_fn is_blank,
                             TSNode *where) {
  if (length < 65536 || !ts_node_has_error(root))
    return 0;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  int unsafe = 0;
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (ts_node_symbol(node) == PF_SYMBOL_ERROR && (ts_node_child_count(node) > HUGE_ERROR_CHILDREN ||
                                                    children_miss_text(node, text, length, is_blank))) {
      unsafe = 1;
      *where = node;
      break;
    }
    /* Only subtrees that contain an error can contain an ERROR node. */
    if (ts_node_has_error(node) && ts_tree_cursor_goto_first_child(&cursor))
      continue;
    int moved = 0;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor)))
      if (!ts_tree_cursor_goto_parent(&cursor))
        break;
    if (!moved)
      break;
  }
  ts_tree_cursor_delete(&cursor);
  return unsafe;
}

void pf_tree_abandon(TSTree *tree) {
#if PF_LEAK_SANITIZER
  __lsan_ignore_object(tree);
#else
  (void)tree;
#endif
}

void pf_tree_abandon_parser(TSParser *parser) {
#if PF_LEAK_SANITIZER
  __lsan_ignore_object(parser);
#else
  (void)parser;
#endif
}
