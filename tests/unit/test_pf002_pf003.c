/*
 * test_pf002_pf003.c: PF002 (shadowed-method) and PF003 (mutable-in-tuple) through the engine,
 * for what fixtures cannot show: exact messages, the related location PF002 attaches, the
 * module name taken from the path (`pkg.Base` in pkg/__init__.py, nothing on standard
 * input), the extend-mutable-calls setting, and inputs built to be pathological (deep
 * hierarchies, diamond lattices, deeply nested tuples).
 */
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "lint.h"
#include "registry.h"
#include "rule.h"
#include "settings.h"
#include "source.h"
#include "unit.h"

static pf_linter *linter;
static pf_settings settings;

/* Lints `text` as `path` into `list` (the caller frees it). */
static void lint_into(const char *path, const char *text, pf_diagnostic_list *list) {
  pf_source source;
  char error[256];
  memset(list, 0, sizeof(*list));
  if (pf_source_load_bytes(&source, text, strlen(text), error, sizeof(error)) != PF_LOAD_OK)
    return;
  pf_lint_source(linter, path, &source, &settings, list);
  pf_source_free(&source);
}

/* "row:col CODE severity;" for each finding of `path`. */
static const char *lint_summary(const char *path, const char *text) {
  static char summary[8192];
  pf_diagnostic_list list;
  lint_into(path, text, &list);
  summary[0] = '\0';
  for (size_t i = 0; i < list.count; i++) {
    char item[96];
    snprintf(item, sizeof(item), "%u:%u %s %s;", list.items[i].start.row, list.items[i].start.column,
             list.items[i].rule->code, pf_severity_name(list.items[i].severity));
    strncat(summary, item, sizeof(summary) - strlen(summary) - 1);
  }
  pf_diagnostic_list_free(&list);
  return summary;
}

/* The message of the only finding, or a description of what was found instead. */
static const char *only_message(const char *text) {
  static char message[1024];
  pf_diagnostic_list list;
  lint_into("test.py", text, &list);
  if (list.count == 1)
    snprintf(message, sizeof(message), "%s", list.items[0].message);
  else
    snprintf(message, sizeof(message), "%zu findings", list.count);
  pf_diagnostic_list_free(&list);
  return message;
}

static void test_pf002_message_and_related_location(void) {
  const char *text = "class Factory:\n"
                     "    @classmethod\n"
                     "    def create(cls):\n"
                     "        return cls()\n"
                     "\n"
                     "    def __init__(self, create=True):\n"
                     "        self.create = create\n";
  pf_diagnostic_list list;
  lint_into("test.py", text, &list);
  CHECK_EQ_INT(list.count, 1);
  if (list.count == 1) {
    pf_diagnostic *finding = &list.items[0];
    CHECK_EQ_STR(finding->rule->code, "PF002");
    CHECK_EQ_STR(finding->message,
                 "Instance attribute `create` shadows classmethod `Factory.create` (line 3); "
                 "`obj.create()` will call the attribute");
    CHECK_EQ_INT(finding->severity, PF_SEVERITY_ERROR);
    /* reported at the attribute name, pointing at the method's name */
    CHECK_EQ_INT(finding->start.row, 7);
    CHECK_EQ_INT(finding->start.column, 14);
    CHECK_EQ_INT(finding->end.column, 20);
    CHECK(finding->has_related);
    CHECK_EQ_INT(finding->related_start.row, 3);
    CHECK_EQ_INT(finding->related_start.column, 9);
    CHECK_EQ_INT(finding->related_end.column, 15);
    CHECK_EQ_STR(finding->related_message, "classmethod `Factory.create` is defined here");
  }
  pf_diagnostic_list_free(&list);
  /* a plain method: a warning that names the class defining it, a base here */
  CHECK_EQ_STR(
      only_message("class Base:\n    def size(self):\n        return 0\n\n"
                   "class Box(Base):\n    def __init__(self):\n        self.size = 3\n"),
      "Instance attribute `size` shadows method `Base.size` (line 2); `obj.size()` will call the attribute");
  CHECK_EQ_STR(only_message("class S:\n    @staticmethod\n    def make():\n        pass\n"
                            "    def f(self):\n        self.make = 1\n"),
               "Instance attribute `make` shadows staticmethod `S.make` (line 3); `obj.make()` will call the "
               "attribute");
  /* the old spelling, `make = staticmethod(make)`: the kind and line of that binding */
  CHECK_EQ_STR(only_message("class S:\n    def make():\n        pass\n    make = staticmethod(make)\n"
                            "    def f(self):\n        self.make = 1\n"),
               "Instance attribute `make` shadows staticmethod `S.make` (line 4); `obj.make()` will call the "
               "attribute");
}

static void test_pf002_module_name_from_path(void) {
  const char *text = "class Base:\n    def run(self):\n        pass\n\n"
                     "class Sub(pkg.Base):\n    def __init__(self):\n        self.run = 0\n";
  /* pkg/__init__.py is module `pkg`; pkg/other.py is not */
  CHECK_EQ_STR(lint_summary("src/pkg/__init__.py", text), "7:14 PF002 warning;");
  CHECK_EQ_STR(lint_summary("pkg/__init__.py", text), "7:14 PF002 warning;");
  CHECK_EQ_STR(lint_summary("src/pkg/other.py", text), "");
  CHECK_EQ_STR(lint_summary("__init__.py", text), "");
  CHECK_EQ_STR(lint_summary("-", text), "");
  /* a module named by the file, through an import alias of a package path */
  CHECK_EQ_STR(lint_summary("app/models.py",
                            "import app.models as models\n" /**/
                            "class Base:\n    def run(self):\n        pass\n"
                            "class Sub(models.Base):\n    def f(self):\n        self.run = 0\n"),
               "7:14 PF002 warning;");
  /* `json.util` and an alias of `other.util` are other modules named util, unless the path
   * ends with their parts */
  const char *json_util = "import json.util\n"
                          "class Base:\n    def run(self):\n        pass\n"
                          "class Sub(json.util.Base):\n    def f(self):\n        self.run = 0\n";
  CHECK_EQ_STR(lint_summary("pkg/util.py", json_util), "");
  CHECK_EQ_STR(lint_summary("util.py", json_util), "");
  CHECK_EQ_STR(lint_summary("src/json/util.py", json_util), "7:14 PF002 warning;");
  CHECK_EQ_STR(lint_summary("json/util/__init__.py", json_util), "7:14 PF002 warning;");
  const char *theirs = "from other import util as theirs\n"
                       "class Base:\n    def run(self):\n        pass\n"
                       "class Sub(theirs.Base):\n    def f(self):\n        self.run = 0\n";
  CHECK_EQ_STR(lint_summary("mine/util.py", theirs), "");
  CHECK_EQ_STR(lint_summary("other/util.py", theirs), "7:14 PF002 warning;");
  CHECK_EQ_STR(lint_summary("-", theirs), "");
  /* a path with too few parts to tell does not match: `models.py` for `app.models` */
  const char *models = "import app.models as models\n"
                       "class Base:\n    def run(self):\n        pass\n"
                       "class Sub(models.Base):\n    def f(self):\n        self.run = 0\n";
  CHECK_EQ_STR(lint_summary("models.py", models), "");
  CHECK_EQ_STR(lint_summary("./app/models.py", models), "7:14 PF002 warning;");
  CHECK_EQ_STR(lint_summary("/src/app/models.pyi", models), "7:14 PF002 warning;");
}

/* A chain of `count` classes, each deriving from the previous; the first defines `run`, the
 * last assigns it. */
static char *class_chain(size_t count) {
  size_t size = count * 48 + 128;
  char *text = malloc(size);
  size_t used = (size_t)snprintf(text, size, "class C0:\n    def run(self):\n        pass\n");
  for (size_t i = 1; i < count; i++)
    used += (size_t)snprintf(text + used, size - used, "class C%zu(C%zu):\n    pass\n", i, i - 1);
  snprintf(text + used, size - used, "class Last(C%zu):\n    def f(self):\n        self.run = 0\n",
           count - 1);
  return text;
}

static void test_pf002_pathological_hierarchies(void) {
  /* a deep chain is followed to its root */
  char *text = class_chain(1000);
  CHECK(strstr(lint_summary("test.py", text), "PF002 warning;") != NULL);
  free(text);
  /* past the walk limit the search stops early, without crashing */
  text = class_chain(6000);
  CHECK_EQ_STR(lint_summary("test.py", text), "");
  free(text);
  /* a lattice of diamonds: 2^40 paths, each class listed once */
  size_t levels = 40, size = levels * 160 + 256, used = 0;
  text = malloc(size);
  used += (size_t)snprintf(text + used, size - used,
                           "class L0:\n    def run(self):\n        pass\n"
                           "class R0(L0):\n    pass\n");
  for (size_t i = 1; i < levels; i++)
    used += (size_t)snprintf(text + used, size - used,
                             "class L%zu(L%zu, R%zu):\n    pass\nclass R%zu(L%zu, R%zu):\n    pass\n", i,
                             i - 1, i - 1, i, i - 1, i - 1);
  snprintf(text + used, size - used, "class Top(L%zu, R%zu):\n    def f(self):\n        self.run = 0\n",
           levels - 1, levels - 1);
  CHECK(strstr(lint_summary("test.py", text), "PF002 warning;") != NULL);
  free(text);
  /* a class listed as its own base, and mutual cycles */
  CHECK_EQ_STR(lint_summary("test.py", "class A(B):\n    def f(self):\n        self.run = 0\n"
                                       "class B(A):\n    def run(self):\n        pass\n"),
               "3:14 PF002 warning;");
}

static void test_pf003_messages(void) {
  CHECK_EQ_STR(only_message("d = {(1, [2, 3]): 'a'}\n"),
               "Tuple used as a dict key contains `[2, 3]`, a mutable list: hashing the tuple raises "
               "`TypeError: unhashable type: 'list'`");
  CHECK_EQ_STR(only_message("import collections\ns = {(1, collections.Counter())}\n"),
               "Tuple used as a set element contains `collections.Counter()`, a mutable "
               "`collections.Counter()`: hashing the tuple raises `TypeError: unhashable type: 'Counter'`");
  CHECK_EQ_STR(only_message("h = frozenset([(1, {k: 1 for k in 'ab'})])\n"),
               "Tuple used as an element of `frozenset(...)` contains `{k: 1 for k in 'ab'}`, a mutable dict "
               "comprehension: hashing the tuple raises `TypeError: unhashable type: 'dict'`");
  CHECK_EQ_STR(
      only_message("T = (1, 2, [3, 4])\n"),
      "Tuple assigned to `T` at module level contains `[3, 4]`, a mutable list: `T` can still change "
      "through it, and hashing it raises `TypeError: unhashable type: 'list'`");
  CHECK_EQ_STR(
      only_message("class K:\n    T = (1, bytearray(3))\n"),
      "Tuple assigned to `T` at class level contains `bytearray(3)`, a mutable `bytearray()`: `T` can "
      "still change through it, and hashing it raises `TypeError: unhashable type: 'bytearray'`");
  /* every name of a chain, the first one as the constant */
  CHECK_EQ_STR(
      only_message("A = B = (1, {})\n"),
      "Tuple assigned to `A` and `B` at module level contains `{}`, a mutable dict: `A` can still change "
      "through it, and hashing it raises `TypeError: unhashable type: 'dict'`");
  CHECK_EQ_STR(
      only_message("A = B = C = (1, [])\n"),
      "Tuple assigned to `A`, `B` and `C` at module level contains `[]`, a mutable list: `A` can still "
      "change through it, and hashing it raises `TypeError: unhashable type: 'list'`");
  /* a long or multi-line member is shortened, with its closing bracket */
  CHECK_EQ_STR(only_message("T = (1, [\n    2,\n])\n"),
               "Tuple assigned to `T` at module level contains `[...]`, a mutable list: `T` can still change "
               "through it, and hashing it raises `TypeError: unhashable type: 'list'`");
}

static void test_pf003_extend_mutable_calls(void) {
  pf_name_list_add(&settings.extend_mutable_calls, "mylib.Registry");
  const char *text = "from mylib import Registry\n"
                     "CONSTANT = (1, Registry())\n"
                     "lookup = {(1, Registry()): 2}\n";
  /* a constant: flagged, without claiming a TypeError; hashed: not known to raise */
  CHECK_EQ_STR(lint_summary("test.py", text), "2:16 PF003 warning;");
  CHECK_EQ_STR(only_message("from mylib import Registry\nCONSTANT = (1, Registry())\n"),
               "Tuple assigned to `CONSTANT` at module level contains `Registry()`, a mutable "
               "`mylib.Registry()`: `CONSTANT` can still change through it");
  pf_name_list_free(&settings.extend_mutable_calls);
}

static void test_pf003_deep_tuples(void) {
  /* 150 nested tuples (CPython accepts 200 brackets) with a list at the bottom */
  size_t depth = 150, size = depth * 8 + 64, used = 0;
  char *text = malloc(size);
  used += (size_t)snprintf(text, size, "X = ");
  for (size_t i = 0; i < depth; i++)
    used += (size_t)snprintf(text + used, size - used, "(1, ");
  used += (size_t)snprintf(text + used, size - used, "[2]");
  for (size_t i = 0; i < depth; i++)
    used += (size_t)snprintf(text + used, size - used, ")");
  snprintf(text + used, size - used, "\n");
  char expected[64];
  snprintf(expected, sizeof(expected), "1:%zu PF003 warning;", 5 + depth * 4);
  CHECK_EQ_STR(lint_summary("test.py", text), expected);
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
  test_pf002_message_and_related_location();
  test_pf002_module_name_from_path();
  test_pf002_pathological_hierarchies();
  test_pf003_messages();
  test_pf003_extend_mutable_calls();
  test_pf003_deep_tuples();
  pf_linter_free(linter);
  pf_settings_free(&settings);
  return unit_report("pf002_pf003");
}
