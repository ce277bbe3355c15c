/*
 * unit.h: the minimal assertion macros every tests/unit/test_*.c uses. Each test file is its
 * own executable whose main() calls its cases and returns unit_report(): non-zero when any
 * check failed, with the file and line of each failure on stderr.
 */
#ifndef PITFALL_UNIT_H
#define PITFALL_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_checks;
static int unit_failures;

#define CHECK(cond)                                                                                          \
  do {                                                                                                       \
    unit_checks++;                                                                                           \
    if (!(cond)) {                                                                                           \
      unit_failures++;                                                                                       \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                               \
    }                                                                                                        \
  } while (0)

#define CHECK_EQ_INT(actual, expected)                                                                       \
  do {                                                                                                       \
    long long unit_a = (long long)(actual), unit_e = (long long)(expected);                                  \
    unit_checks++;                                                                                           \
    if (unit_a != unit_e) {                                                                                  \
      unit_failures++;                                                                                       \
      fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n", __FILE__, __LINE__, #actual, unit_a, unit_e);    \
    }                                                                                                        \
  } while (0)

#define CHECK_EQ_STR(actual, expected)                                                                       \
  do {                                                                                                       \
    const char *unit_a = (actual), *unit_e = (expected);                                                     \
    unit_checks++;                                                                                           \
    if (!unit_a || strcmp(unit_a, unit_e) != 0) {                                                            \
      unit_failures++;                                                                                       \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual,                 \
              unit_a ? unit_a : "(null)", unit_e);                                                           \
    }                                                                                                        \
  } while (0)

static inline int unit_report(const char *suite) {
  printf("%s: %d passed, %d failed\n", suite, unit_checks - unit_failures, unit_failures);
  return unit_failures ? 1 : 0;
}

#endif
