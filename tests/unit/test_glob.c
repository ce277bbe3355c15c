/*
 * test_glob.c: unit tests for src/paths.c (lexical normalization and path queries),
 * src/glob.c (name and anchored patterns, `**`, negation, escaping of the base directory)
 * and src/strmap.c.
 */
#include "glob.h"
#include "paths.h"
#include "strmap.h"
#include "unit.h"

#include <stdlib.h>

static void check_absolute(const char *cwd, const char *path, const char *expected) {
  char *absolute = pf_path_absolute(cwd, path);
  CHECK_EQ_STR(absolute, expected);
  free(absolute);
}

static void test_paths(void) {
  check_absolute("/work", "a.py", "/work/a.py");
  check_absolute("/work/", "./a//b/./c.py", "/work/a/b/c.py");
  check_absolute("/a/b", "c/../d/./e", "/a/b/d/e");
  check_absolute("/a/b", "../../../x", "/x");
  check_absolute("/a", "/x//y/", "/x/y");
  check_absolute("/", "..", "/");
  check_absolute("/a/b", ".", "/a/b");
  check_absolute("/a/b", "-", "/a/b/-");

  CHECK_EQ_INT(pf_path_parent_length("/a/b"), 2);
  CHECK_EQ_INT(pf_path_parent_length("/a"), 1);
  CHECK_EQ_INT(pf_path_parent_length("/"), 0);
  CHECK_EQ_STR(pf_path_name("/a/b.py"), "b.py");
  CHECK_EQ_STR(pf_path_name("/"), "");

  CHECK(pf_path_is_inside("/a/b", "/a"));
  CHECK(pf_path_is_inside("/a/b/c", "/a"));
  CHECK(!pf_path_is_inside("/a", "/a"));
  CHECK(!pf_path_is_inside("/ab/c", "/a"));
  CHECK(pf_path_is_inside("/a", "/"));
  CHECK(!pf_path_is_inside("/", "/"));

  char *shown = pf_path_display("/work/p/a.py", "/work");
  CHECK_EQ_STR(shown, "p/a.py");
  free(shown);
  shown = pf_path_display("/other/a.py", "/work");
  CHECK_EQ_STR(shown, "/other/a.py");
  free(shown);
  shown = pf_path_display("/a.py", "/");
  CHECK_EQ_STR(shown, "a.py");
  free(shown);
}

/* Whether `pattern` (relative to `base`) matches `path`. */
static int matches(const char *pattern, const char *base, const char *path) {
  pf_glob glob;
  char error[64];
  if (pf_glob_compile(&glob, pattern, base, 1, error, sizeof(error)) != 0)
    return -1;
  int matched = pf_glob_matches(&glob, path);
  pf_glob_free(&glob);
  return matched;
}

static void test_name_patterns(void) {
  CHECK_EQ_INT(matches("build", "/p", "/p/build"), 1);
  CHECK_EQ_INT(matches("build", "/p", "/elsewhere/deep/build"), 1);
  CHECK_EQ_INT(matches("build", "/p", "/p/builds"), 0);
  CHECK_EQ_INT(matches("*_pb2.py", "/p", "/p/x/api_pb2.py"), 1);
  CHECK_EQ_INT(matches("*.py", "/p", "/p/x/a.pyi"), 0);
  CHECK_EQ_INT(matches("f[0-9].py", "/p", "/p/f7.py"), 1);
  CHECK_EQ_INT(matches("f[0-9].py", "/p", "/p/fx.py"), 0);
  CHECK_EQ_INT(matches("?.py", "/p", "/p/a.py"), 1);
  CHECK_EQ_INT(matches("build/", "/p", "/p/x/build"), 1); /* a trailing '/' is dropped */
  CHECK_EQ_INT(matches(".venv", "/p", "/p/.venv"), 1);
  CHECK_EQ_INT(matches("*", "/p", "/p/.hidden"), 1); /* no special case for dot files */
}

static void test_anchored_patterns(void) {
  CHECK_EQ_INT(matches("src/*.py", "/p", "/p/src/a.py"), 1);
  CHECK_EQ_INT(matches("src/*.py", "/p", "/p/src/sub/a.py"), 0); /* '*' stays in its segment */
  CHECK_EQ_INT(matches("src/*.py", "/p", "/q/src/a.py"), 0);
  CHECK_EQ_INT(matches("src/*.py", "/p", "/p/x/src/a.py"), 0);
  CHECK_EQ_INT(matches("./src/a.py", "/p", "/p/src/a.py"), 1);
  /* A leading "./" anchors a pattern that has no other '/'. */
  CHECK_EQ_INT(matches("./build", "/p", "/p/build"), 1);
  CHECK_EQ_INT(matches("./build", "/p", "/p/x/build"), 0);
  CHECK_EQ_INT(matches("./*.py", "/p", "/p/a.py"), 1);
  CHECK_EQ_INT(matches("./*.py", "/p", "/p/x/a.py"), 0);
  CHECK_EQ_INT(matches(".//build/", "/p", "/p/x/build"), 0);
  CHECK_EQ_INT(matches("../shared/*.py", "/p/q", "/p/shared/x.py"), 1);
  CHECK_EQ_INT(matches("/abs/*.py", "/p", "/abs/x.py"), 1);
  CHECK_EQ_INT(matches("/abs/*.py", "/p", "/p/abs/x.py"), 0);
  CHECK_EQ_INT(matches("docs/**", "/p", "/p/docs/a/b/c.py"), 1);
  CHECK_EQ_INT(matches("docs/**", "/p", "/p/docs"), 1); /* ** matches zero segments too */
  CHECK_EQ_INT(matches("**/test_*.py", "/p", "/p/test_a.py"), 1);
  CHECK_EQ_INT(matches("**/test_*.py", "/p", "/p/x/y/test_a.py"), 1);
  CHECK_EQ_INT(matches("**/test_*.py", "/p", "/q/test_a.py"), 0);
  CHECK_EQ_INT(matches("a/**/b", "/p", "/p/a/b"), 1);
  CHECK_EQ_INT(matches("a/**/b", "/p", "/p/a/x/y/b"), 1);
  CHECK_EQ_INT(matches("a/**/b", "/p", "/p/a/x/c"), 0);
  CHECK_EQ_INT(matches("a/**/b/**/c", "/p", "/p/a/1/b/2/3/c"), 1);
  CHECK_EQ_INT(matches("a/**/b/**/c", "/p", "/p/a/1/b/2/3/d"), 0);
  /* The base directory is taken literally, glob characters and all. */
  CHECK_EQ_INT(matches("src/x.py", "/p[1]", "/p[1]/src/x.py"), 1);
  CHECK_EQ_INT(matches("src/x.py", "/p[1]", "/p1/src/x.py"), 0);
  CHECK_EQ_INT(matches("src/x.py", "/a*b", "/aXb/src/x.py"), 0);
}

static void test_compile(void) {
  pf_glob glob;
  char error[64];
  CHECK_EQ_INT(pf_glob_compile(&glob, "!tests/*", "/p", 1, error, sizeof(error)), 0);
  CHECK(glob.negated && glob.anchored);
  CHECK_EQ_STR(glob.source, "tests/*");
  CHECK_EQ_STR(glob.pattern, "/p/tests/*");
  pf_glob_free(&glob);
  CHECK_EQ_INT(pf_glob_compile(&glob, "!x", "/p", 0, error, sizeof(error)), 0);
  CHECK(!glob.negated); /* negation only where allowed: a name starting with '!' */
  CHECK_EQ_STR(glob.pattern, "!x");
  pf_glob_free(&glob);
  const char *empty[] = {"", "./", ".", "!"};
  for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
    CHECK_EQ_INT(pf_glob_compile(&glob, empty[i], "/p", 1, error, sizeof(error)), -1);
    CHECK_EQ_STR(error, "empty pattern");
  }
}

/* pf_strmap_free's callback: counts the values that are not NULL. */
static void count_value(void *value) {
  if (value)
    (*(int *)value)++;
}

static void test_strmap(void) {
  pf_strmap map = {0};
  void *value = NULL;
  CHECK(!pf_strmap_get(&map, "missing", &value));
  int freed = 0;
  char keys[1000][16];
  for (int i = 0; i < 1000; i++) {
    snprintf(keys[i], sizeof(keys[i]), "/dir/%d", i);
    pf_strmap_put(&map, keys[i], i % 2 ? &freed : NULL);
  }
  CHECK_EQ_INT(map.count, 1000);
  CHECK(pf_strmap_get(&map, "/dir/7", &value) && value == &freed);
  CHECK(pf_strmap_get(&map, "/dir/8", &value) && value == NULL); /* present, with a NULL value */
  pf_strmap_put(&map, "/dir/8", &freed);
  CHECK_EQ_INT(map.count, 1000);
  CHECK(pf_strmap_get(&map, "/dir/8", &value) && value == &freed);
  CHECK(!pf_strmap_get(&map, "/dir/1000", NULL));
  /* free_value sees every value: 500 odd keys and /dir/8 hold one, the rest NULL. */
  int counted = 0;
  for (size_t i = 0; i < map.capacity; i++)
    if (map.slots[i].key && map.slots[i].value)
      map.slots[i].value = &counted;
  pf_strmap_free(&map, count_value);
  CHECK_EQ_INT(counted, 501);
}

int main(void) {
  test_paths();
  test_name_patterns();
  test_anchored_patterns();
  test_compile();
  test_strmap();
  return unit_report("test_glob");
}
