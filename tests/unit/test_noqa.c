/*
 * test_noqa.c: unit tests for src/noqa.c: the directive parser, finding directives through
 * the syntax tree (and lexically without one), and the row a finding's noqa belongs on.
 */
#include "noqa.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "registry.h"

static pf_arena arena;

/* Parses `comment` as a whole comment at offset 100 of an imaginary file; returns the result
 * and whether a directive was found. */
static int parse(const char *comment, int own_line, pf_noqa_directive *out) {
  return pf_noqa_parse_comment(comment, (uint32_t)strlen(comment), 100, own_line, &arena, out);
}

/* The codes of a directive as written, separated by '|' ("" when none). */
static const char *codes_of(const char *comment, const pf_noqa_directive *directive) {
  static char buffer[256];
  size_t used = 0;
  buffer[0] = '\0';
  for (uint32_t i = 0; i < directive->code_count; i++) {
    const pf_noqa_code *code = &directive->codes[i];
    used += (size_t)snprintf(buffer + used, sizeof(buffer) - used, "%s%.*s", i ? "|" : "",
                             (int)(code->end - code->start), comment + code->start - 100);
  }
  return buffer;
}

static void test_bare_forms(void) {
  const char *bare[] = {"# noqa", "#noqa", "# NOQA", "# NoQa  ", "#\tnoqa", "# noqa # why", "# noqa reason"};
  for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++) {
    pf_noqa_directive d;
    CHECK(parse(bare[i], 0, &d));
    CHECK_EQ_INT(d.scope, PF_NOQA_LINE);
    CHECK_EQ_INT(d.has_colon, 0);
    CHECK_EQ_INT(d.code_count, 0);
    CHECK_EQ_INT(d.start, 100);
  }
}

static void test_code_lists(void) {
  struct {
    const char *comment;
    const char *codes;
    uint32_t codes_end; /* relative to the comment */
    int space_separated;
  } cases[] = {
      {"# noqa: PF001", "PF001", 13, 0},
      {"#noqa:PF001,PF004", "PF001|PF004", 17, 0},
      {"# NOQA: pf001 pf004", "pf001|pf004", 19, 1},
      {"# noqa : PF001 , E501", "PF001|E501", 21, 0},
      {"# noqa:PF001,", "PF001", 12, 0},
      {"# noqa: PF001,,PF002", "PF001|PF002", 20, 0},
      {"# noqa: PF001 the cache is shared", "PF001", 13, 0},
      {"# noqa: PF001 E501 because2 x", "PF001|E501|because2", 27, 1},
      {"# noqa: PF001# reason", "PF001", 13, 0},
      {"# noqa: PF001  # noqa: PF002", "PF001", 13, 0},
      {"# noqa:", "", 7, 0},
      {"# noqa:   ", "", 7, 0},
      {"# noqa: reason", "", 7, 0},
      {"# noqa: PF001x", "", 7, 0},
      {"# noqa: 001", "", 7, 0},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    pf_noqa_directive d;
    CHECK(parse(cases[i].comment, 0, &d));
    CHECK_EQ_INT(d.has_colon, 1);
    CHECK_EQ_STR(codes_of(cases[i].comment, &d), cases[i].codes);
    CHECK_EQ_INT(d.codes_end, 100 + cases[i].codes_end);
    CHECK_EQ_INT(d.end, d.codes_end);
    CHECK_EQ_INT(d.space_separated, cases[i].space_separated);
  }
}

static void test_not_directives(void) {
  const char *none[] = {"# noqa-ish", "# noqa123",      "# this is not noqa: PF001", "# no qa",
                        "# noq",      "# pitfall noqa", "# pitfall: no qa",          "#",
                        "",           "# flake8: noqa"};
  for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
    pf_noqa_directive d;
    CHECK_EQ_INT(parse(none[i], 0, &d), 0);
  }
}

static void test_embedded(void) {
  pf_noqa_directive d;
  const char *comment = "# type: ignore  # noqa: PF001";
  CHECK(parse(comment, 0, &d));
  CHECK_EQ_INT(d.start, 100 + 16);
  CHECK_EQ_STR(codes_of(comment, &d), "PF001");
  comment = "# noqa-ish # NOQA";
  CHECK(parse(comment, 0, &d));
  CHECK_EQ_INT(d.start, 100 + 11);
  CHECK_EQ_INT(d.has_colon, 0);
}

static void test_file_level(void) {
  pf_noqa_directive d;
  CHECK(parse("# pitfall: noqa", 1, &d));
  CHECK_EQ_INT(d.scope, PF_NOQA_FILE);
  CHECK_EQ_INT(d.has_colon, 0);
  CHECK(parse("#PITFALL:NOQA:PF003 pf001", 1, &d));
  CHECK_EQ_INT(d.scope, PF_NOQA_FILE);
  CHECK_EQ_STR(codes_of("#PITFALL:NOQA:PF003 pf001", &d), "PF003|pf001");
  CHECK(parse("# pitfall : noqa : PF003", 1, &d));
  CHECK_EQ_INT(d.scope, PF_NOQA_FILE);
  CHECK(parse("# pitfall: noqa", 0, &d));
  CHECK_EQ_INT(d.scope, PF_NOQA_FILE_MISPLACED);
  CHECK(parse("# generated  # pitfall: noqa: PF001", 1, &d));
  CHECK_EQ_INT(d.scope, PF_NOQA_FILE);
  CHECK_EQ_INT(d.start, 100 + 13);
}

static void test_classification(void) {
  pf_noqa_directive d;
  const char *comment = "# noqa: pf001, PF999, E501, PF1, PFX1, PF001, PF100";
  CHECK(parse(comment, 0, &d));
  CHECK_EQ_INT(d.code_count, 7);
  size_t pf001 = 0, pf100 = 0;
  CHECK(pf_rule_find("PF001", &pf001));
  CHECK(pf_rule_find("PF100", &pf100));
  CHECK_EQ_INT(d.codes[0].rule_index, (int)pf001);
  CHECK_EQ_INT(d.codes[0].is_pf, 1);
  CHECK_EQ_INT(d.codes[1].rule_index, -1);
  CHECK_EQ_INT(d.codes[1].is_pf, 1);
  CHECK_EQ_INT(d.codes[2].rule_index, -1);
  CHECK_EQ_INT(d.codes[2].is_pf, 0);
  CHECK_EQ_INT(d.codes[3].is_pf, 1);
  CHECK_EQ_INT(d.codes[4].is_pf, 0);
  CHECK_EQ_INT(d.codes[0].duplicate, 0);
  CHECK_EQ_INT(d.codes[5].duplicate, 1);
  CHECK_EQ_INT(d.codes[6].rule_index, (int)pf100);
}

/* ---- through a syntax tree ---- */

typedef struct parsed {
  pf_source source;
  TSParser *parser;
  TSTree *tree;
} parsed;

static void parse_source(parsed *p, const char *text) {
  char error[256];
  memset(p, 0, sizeof(*p));
  CHECK_EQ_INT(pf_source_load_bytes(&p->source, text, strlen(text), error, sizeof(error)), PF_LOAD_OK);
  p->parser = ts_parser_new();
  ts_parser_set_language(p->parser, pf_language);
  p->tree = ts_parser_parse_string(p->parser, NULL, p->source.text, p->source.length);
}

static void free_parsed(parsed *p) {
  ts_tree_delete(p->tree);
  ts_parser_delete(p->parser);
  pf_source_free(&p->source);
}

/* The noqa row for the first occurrence of `needle` in the text. */
static uint32_t row_of(const parsed *p, const char *needle) {
  const char *at = strstr(p->source.text, needle);
  CHECK(at != NULL);
  if (!at)
    return 0;
  return pf_noqa_row(&p->source, ts_tree_root_node(p->tree), (uint32_t)(at - p->source.text));
}

static void test_noqa_rows(void) {
  parsed p;
  parse_source(&p, "x = 1\n"                       /* 1 */
                   "def f(a=[], doc=\"\"\"FIRST\n" /* 2 */
                   "INSIDE \\d\n"                  /* 3 */
                   "\"\"\"):\n"                    /* 4 */
                   "    pass\n"                    /* 5 */
                   "y = \"\"\"A\n"                 /* 6 */
                   "\"\"\" + '''B\n"               /* 7 */
                   "''' + 2  # CHAIN\n"            /* 8 */
                   "z = LEFT + \\\n"               /* 9 */
                   "    RIGHT\n"                   /* 10 */
                   "w = 3  # ends in \\\n"         /* 11 */
                   "v = f'''{TOP}\n"               /* 12 */
                   "{g(\"\"\"NESTED\n"             /* 13 */
                   "\"\"\")}'''\n"                 /* 14 */
                   "u = [SPANS,\n"                 /* 15 */
                   "  2]\n"                        /* 16 */
                   "LAST = 1");                    /* 17 */
  CHECK_EQ_INT(row_of(&p, "x = 1"), 1);
  CHECK_EQ_INT(row_of(&p, "a=[]"), 4);   /* the line ends inside the docstring */
  CHECK_EQ_INT(row_of(&p, "FIRST"), 4);  /* inside the string */
  CHECK_EQ_INT(row_of(&p, "INSIDE"), 4); /* an escape on a middle line */
  CHECK_EQ_INT(row_of(&p, "pass"), 5);
  CHECK_EQ_INT(row_of(&p, "A\n"), 8); /* the first string ends on a line ending in the next */
  CHECK_EQ_INT(row_of(&p, "CHAIN"), 8);
  CHECK_EQ_INT(row_of(&p, "LEFT"), 10);  /* a backslash continuation */
  CHECK_EQ_INT(row_of(&p, "w = 3"), 11); /* a backslash inside a comment continues nothing */
  CHECK_EQ_INT(row_of(&p, "TOP"), 14);   /* an f-string with a nested multi-line string */
  CHECK_EQ_INT(row_of(&p, "NESTED"), 14);
  CHECK_EQ_INT(row_of(&p, "SPANS"), 15); /* a multi-line finding: its first line */
  CHECK_EQ_INT(row_of(&p, "LAST"), 17);  /* the last line has no line break */
  TSNode no_tree = {0};
  CHECK_EQ_INT(pf_noqa_row(&p.source, no_tree, 10), 2);
  free_parsed(&p);
}

static void test_collect(void) {
  parsed p;
  parse_source(&p, "a = '# noqa'  # noqa: PF001\n"
                   "b = \"\"\"\n"
                   "# pitfall: noqa\n"
                   "\"\"\"\n"
                   "# pitfall: noqa: PF003\n"
                   "c = f\"{1}# noqa\"\n"
                   "d = 1  # x # noqa # noqa: PF001\n"
                   "def broken(:  # noqa: PF000\n"
                   "    pass\n");
  TSNode root = ts_tree_root_node(p.tree);
  pf_noqa_index index;
  pf_noqa_collect(&index, &p.source, root, &arena);
  CHECK_EQ_INT(index.count, 4);
  if (index.count == 4) {
    CHECK_EQ_INT(index.items[0].row, 1);
    CHECK_EQ_INT(index.items[0].start, 14);
    CHECK_EQ_INT(index.items[0].code_count, 1);
    CHECK_EQ_INT(index.items[1].row, 5);
    CHECK_EQ_INT(index.items[1].scope, PF_NOQA_FILE);
    CHECK_EQ_INT(index.items[2].row, 7);
    CHECK_EQ_INT(index.items[2].has_colon, 0); /* the first directive of the comment counts */
    CHECK_EQ_INT(index.items[3].row, 8);       /* a comment inside a syntax error */
    CHECK_EQ_INT(pf_noqa_find_row(&index, 7), 2);
    CHECK_EQ_INT(pf_noqa_find_row(&index, 6), -1);
  }
  /* Without a tree, the lexical scan finds the same directives. */
  TSNode no_tree = {0};
  pf_noqa_index lexical;
  pf_noqa_collect(&lexical, &p.source, no_tree, &arena);
  CHECK_EQ_INT(lexical.count, index.count);
  for (size_t i = 0; i < lexical.count && i < index.count; i++) {
    CHECK_EQ_INT(lexical.items[i].row, index.items[i].row);
    CHECK_EQ_INT(lexical.items[i].start, index.items[i].start);
  }
  free_parsed(&p);
}

int main(void) {
  char error[256];
  if (pf_lang_init(error, sizeof(error)) != 0) {
    fprintf(stderr, "%s\n", error);
    return 1;
  }
  test_bare_forms();
  test_code_lists();
  test_not_directives();
  test_embedded();
  test_file_level();
  test_classification();
  test_noqa_rows();
  test_collect();
  pf_arena_free(&arena);
  return unit_report("noqa");
}
