/*
 * registry.c: the const table of rules (see registry.h). Keep it sorted by code.
 */
#include "registry.h"

#include <strings.h>

extern const pf_rule pf_rule_syntax_error;
extern const pf_rule pf_rule_mutable_default_argument;
extern const pf_rule pf_rule_shadowed_method;
extern const pf_rule pf_rule_mutable_in_tuple;
extern const pf_rule pf_rule_path_escape;
extern const pf_rule pf_rule_unreachable_default;
extern const pf_rule pf_rule_invalid_escape;
extern const pf_rule pf_rule_unused_noqa;

/* One rule per line, so that adding a rule is adding a line. */
/* clang-format off */
const pf_rule *const pf_rules[] = {
    &pf_rule_syntax_error,
    &pf_rule_mutable_default_argument,
    &pf_rule_shadowed_method,
    &pf_rule_mutable_in_tuple,
    &pf_rule_path_escape,
    &pf_rule_unreachable_default,
    &pf_rule_invalid_escape,
    &pf_rule_unused_noqa,
};
/* clang-format on */

const size_t pf_rule_count = sizeof(pf_rules) / sizeof(pf_rules[0]);

const pf_rule *pf_rule_find(const char *code, size_t *index) {
  for (size_t i = 0; i < pf_rule_count; i++) {
    if (strcasecmp(pf_rules[i]->code, code) == 0) {
      if (index)
        *index = i;
      return pf_rules[i];
    }
  }
  return NULL;
}
