/*
 * parse_budget.c: the per-file parse time budget (see parse_budget.h). No state: the
 * environment is read on each call (getenv is safe from any thread as long as nobody
 * calls setenv, which pitfall never does).
 */
#include "parse_budget.h"

#include <stdlib.h>

uint64_t pf_parse_budget_micros(size_t length) {
  const char *override = getenv("PITFALL_PARSE_BUDGET_MS");
  if (override && *override) {
    char *end = NULL;
    unsigned long long milliseconds = strtoull(override, &end, 10);
    if (end && *end == '\0')
      return (uint64_t)milliseconds * 1000;
  }
  return (uint64_t)PF_PARSE_BUDGET_BASE_MS * 1000 + (uint64_t)(length / 1024) * PF_PARSE_BUDGET_PER_KIB_US;
}

uint64_t pf_parse_budget_apply(TSParser *parser, size_t length) {
  uint64_t budget = pf_parse_budget_micros(length);
  ts_parser_set_timeout_micros(parser, budget);
  return budget;
}
