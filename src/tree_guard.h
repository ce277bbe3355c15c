/*
 * tree_guard.h: the workaround for a bug of Debian's libtree-sitter 0.20.7 that every
 * grammar pitfall parses with can hit.
 *
 * Owns: detecting a syntax tree whose deletion would corrupt the heap, and abandoning such a
 * tree and the parser that built it instead. An ERROR node with more than 65,535 children (a
 * long run of tokens error recovery could not place: 70,000 lines of `a b` after `def f(:`,
 * or just 20,000 lines of `def f(a) pass`) breaks the runtime: ts_tree_delete frees part of
 * the tree twice, and ts_parser_delete then frees an invalid pointer from the parser's pool
 * of subtrees. The node's child count wraps around at the same point, so a wrapped count is
 * recognised by source text that its children leave uncovered. Files shorter than 64 KiB
 * cannot hold that many tokens and are not examined. This covers a parse that finishes; the
 * bracket pre-scan (lint.c) keeps the worst shapes from the parser, and the supervisor
 * (supervisor.h) covers a crash inside the parse itself.
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

/* Gives up the parser that built such a tree: its pool of freed subtrees holds memory of the
 * broken node, and ts_parser_delete would corrupt the heap the same way. */
void pf_tree_abandon_parser(TSParser *parser);

#endif
