/*
 * test_lint.c: the engine end to end on in-memory sources: grammar resolution (lang.c),
 * the single walk (frames, ancestors, ERROR subtrees not descended), dispatch, positions in
 * code points, and the import table.
 */
#include <stdlib.h>
#include <string.h>

#include "imports.h"
#include "lang.h"
#include "lint.h"
#include "registry.h"
#include "settings.h"
#include "source.h"
#include "unit.h"

static pf_linter *linter;
static pf_settings settings;

/* Lints `text` and returns "row:col CODE;" for each finding, in order. */
static const char *lint_text(const char *text) {
  static char summary[4096];
  pf_source source;
  char error[256];
  summary[0] = '\0';
  if (pf_source_load_bytes(&source, text, strlen(text), error, sizeof(error)) != PF_LOAD_OK)
    return "load failed";
  pf_diagnostic_list list = {0};
  pf_lint_source(linter, "test.py", &source, &settings, &list);
  for (size_t i = 0; i < list.count; i++) {
    char item[64];
    snprintf(item, sizeof(item), "%u:%u %s;", list.items[i].start.row, list.items[i].start.column,
             list.items[i].rule->code);
    strncat(summary, item, sizeof(summary) - strlen(summary) - 1);
  }
  pf_diagnostic_list_free(&list);
  pf_source_free(&source);
  return summary;
}

static void test_lang(void) {
  CHECK(pf_language != NULL);
  CHECK_EQ_STR(pf_kind_name(PF_KIND_FUNCTION_DEFINITION), "function_definition");
  CHECK(pf_field.NAME != 0 && pf_field.VALUE != 0 && pf_field.PARAMETERS != 0);
  /* Every symbol named like a kind maps to it, and only named symbols do. */
  for (uint32_t symbol = 0; symbol < pf_symbol_count; symbol++) {
    pf_kind kind = (pf_kind)pf_kind_of_symbol[symbol];
    if (kind == PF_KIND_OTHER)
      continue;
    CHECK(ts_language_symbol_type(pf_language, (TSSymbol)symbol) == TSSymbolTypeRegular);
    CHECK_EQ_STR(ts_language_symbol_name(pf_language, (TSSymbol)symbol), pf_kind_name(kind));
  }
}

static void test_walk_and_frames(void) {
  CHECK_EQ_STR(lint_text("def f(x=[]):\n    pass\n"), "1:9 PF001;");
  /* Mutation seen through a nested function's closure, not through a shadowing parameter. */
  CHECK_EQ_STR(lint_text("def f(x=[]):\n    def g():\n        x.append(1)\n"), "1:9 PF001;");
  CHECK_EQ_STR(lint_text("def f(x=[]):\n    def g(x):\n        x.append(1)\n"), "1:9 PF001;");
  /* Methods and lambdas at depth; the class frame does not hide the function frame. */
  CHECK_EQ_STR(lint_text("class A:\n    def m(self, y={}):\n        f = lambda z=set(): z\n"),
               "2:19 PF001;3:22 PF001;");
  /* Code points, not bytes: two 2-byte characters and a 4-byte emoji before the default. */
  CHECK_EQ_STR(lint_text("s = '\xc3\xa9\xc3\xa9\xf0\x9f\x98\x80'; f = lambda a=[]: a\n"), "1:25 PF001;");
}

static void test_imports(void) {
  /* Aliases bound at module level, inside try/except and nested ifs; later imports rebind. */
  CHECK_EQ_STR(
      lint_text("try:\n    import collections as c\nexcept ImportError:\n    pass\nif True:\n    if x:\n"
                "        from collections import deque as dq\ndef f(a=c.deque(), b=dq()): pass\n"),
      "8:9 PF001;8:22 PF001;");
  CHECK_EQ_STR(
      lint_text("from collections import deque as q\nfrom mylib import thing as q\ndef f(a=q()): pass\n"),
      "");
  CHECK_EQ_STR(lint_text("def g():\n    import collections as c\ndef f(a=c.deque()): pass\n"), "");
}

static void test_errors_are_not_descended(void) {
  /* The broken region yields one PF000; nothing inside it is reported; the rest is linted. */
  const char *result =
      lint_text("def ok(a=[]):\n    pass\n\ndef broken(a=[] b):\n    pass\n\ndef later(c={}):\n    pass\n");
  CHECK(strstr(result, "1:10 PF001;") != NULL);
  CHECK(strstr(result, "7:13 PF001;") != NULL);
  CHECK(strstr(result, "PF000") != NULL);
  /* A bracket never closed: reported where it opens. */
  CHECK_EQ_STR(lint_text("x = (1,\n"), "1:5 PF000;");
}

static void test_deep_nesting_is_iterative(void) {
  /* 10,000 nested lambdas as defaults: a recursive walk would need a very deep C stack. */
  size_t depth = 10000;
  size_t size = depth * 12 + 16;
  char *text = malloc(size);
  size_t used = 0;
  for (size_t i = 0; i < depth; i++) {
    memcpy(text + used, "lambda a=", 9);
    used += 9;
  }
  memcpy(text + used, "[]: 0", 5);
  used += 5;
  for (size_t i = 0; i < depth - 1; i++) {
    memcpy(text + used, ": 0", 3);
    used += 3;
  }
  text[used++] = '\n';
  text[used] = '\0';
  const char *result = lint_text(text);
  CHECK(strstr(result, "PF001") != NULL);
  free(text);
}

int main(void) {
  char error[256];
  if (pf_lang_init(error, sizeof(error)) != 0) {
    fprintf(stderr, "%s\n", error);
    return 1;
  }
  pf_settings_init_default(&settings);
  linter = pf_linter_new();
  test_lang();
  test_walk_and_frames();
  test_imports();
  test_errors_are_not_descended();
  test_deep_nesting_is_iterative();
  pf_linter_free(linter);
  pf_settings_free(&settings);
  return unit_report("lint");
}
