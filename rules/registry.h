/*
 * registry.h: the table of every rule pitfall knows, in code order.
 *
 * Adding a rule is one file in rules/ and one line in registry.c. A rule's index in this
 * table is its identity inside the engine (settings, dispatch lists, SARIF ruleIndex).
 */
#ifndef PITFALL_REGISTRY_H
#define PITFALL_REGISTRY_H

#include <stddef.h>

#include "rule.h"

extern const pf_rule *const pf_rules[];
extern const size_t pf_rule_count;

/* The rule with this code (case-insensitive), or NULL. Sets *index when found and index is
 * not NULL. */
const pf_rule *pf_rule_find(const char *code, size_t *index);

#endif
