/*
 * parse_budget.h: how long one file's parse may take before pitfall gives up on it.
 *
 * Owns: the per-file parse time budget, the one value that bounds a tree-sitter parse. The
 * tree-sitter runtime's error recovery can go quadratic (70,000 lines of `a b` after
 * `x = (` parse for minutes), and nothing before the parse can tell; so every parse gets
 * PF_PARSE_BUDGET_BASE_MS plus PF_PARSE_BUDGET_PER_KIB_US per KiB of source, and a parse
 * that runs out is abandoned: the file gets one PF000 saying so and is not checked.
 *
 * The figure is deliberately generous: the largest files of the standard library parse in
 * well under 0.2 s, so even a machine fifty times slower (a loaded CI runner under a
 * sanitizer) stays inside it. $PITFALL_PARSE_BUDGET_MS, when set to a positive number,
 * replaces the whole budget (for tests and debugging); 0 there means no budget at all.
 */
#ifndef PITFALL_PARSE_BUDGET_H
#define PITFALL_PARSE_BUDGET_H

#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#define PF_PARSE_BUDGET_BASE_MS 10000
#define PF_PARSE_BUDGET_PER_KIB_US 100

/* The budget in microseconds for parsing `length` bytes; 0 means unlimited. */
uint64_t pf_parse_budget_micros(size_t length);

/* Sets the parser's timeout for a parse of `length` bytes; returns the budget. */
uint64_t pf_parse_budget_apply(TSParser *parser, size_t length);

#endif
