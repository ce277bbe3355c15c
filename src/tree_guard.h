/*
 * tree_guard.h: the workaround for a bug of Debian's libtree-sitter 0.20.7 that every
 * grammar pitfall parses with can hit.
 *
 * Owns: detecting a syntax tree whose deletion would corrupt the heap, and abandoning such a
 * tree instead. The runtime frees part of a tree twice in ts_tree_delete when an ERROR node
 * has more than 65,535 children (a long run of tokens its error recovery could not place,
 * such as 70,000 lines of `a b` after `def f(:`); the node's child count wraps around at the
 * same point, so a wrapped count is recognised by source text that its children leave
 * uncovered. Files shorter than 64 KiB cannot hold that many tokens and are not examined.
 */
#ifndef PITFALL_TREE_GUARD_H
#define PITFALL_TREE_GUARD_H

#include <stdint.h>
#include <tree_sitter/api.h>

/* Whether a byte between tokens is blank for the grammar (whitespace, line breaks, ...). */
typedef int (*pf_blank_byte_fn)(char byte);

/* Whether `root` holds an ERROR node that ts_tree_delete cannot free safely; sets *where to
 * it. `text` is what was parsed. */
int pf_tree_has_unsafe_error(TSNode root, const char *text, uint32_t length, pf_blank_byte_fn is_blank,
                             TSNode *where);

/* Gives up the tree's memory rather than corrupting the heap (once per such file), and tells
 * LeakSanitizer so. */
void pf_tree_abandon(TSTree *tree);

#endif
