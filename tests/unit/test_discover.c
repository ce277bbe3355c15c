/*
 * test_discover.c: unit tests for src/discover.c. Each case builds what it needs under a
 * mkdtemp() tree and removes it afterwards.
 */
#include "discover.h"
#include "unit.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct errors_seen {
  int calls;
  char last_path[512];
  char last_reason[256];
} errors_seen;

static void record_error(void *user, const char *path, const char *reason) {
  errors_seen *seen = user;
  seen->calls++;
  snprintf(seen->last_path, sizeof seen->last_path, "%s", path);
  snprintf(seen->last_reason, sizeof seen->last_reason, "%s", reason);
}

static char root[256];

/* root + "/" + rel, in one of a few rotating buffers so that several can be live at once. */
static const char *at(const char *rel) {
  static char buffers[16][512];
  static int next;
  char *b = buffers[next++ % 16];
  snprintf(b, sizeof buffers[0], "%s/%s", root, rel);
  return b;
}

static void make_dir(const char *rel) {
  if (mkdir(at(rel), 0755) != 0)
    fprintf(stderr, "mkdir %s: %s\n", rel, strerror(errno));
}

static void make_file(const char *rel) {
  int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    fprintf(stderr, "create %s: %s\n", rel, strerror(errno));
    return;
  }
  close(fd);
}

static void make_link(const char *target, const char *rel) {
  if (symlink(target, at(rel)) != 0)
    fprintf(stderr, "symlink %s: %s\n", rel, strerror(errno));
}

/* rm -rf of `name` relative to the current directory, by chdir, so depth beyond PATH_MAX works.
 * Leaves the current directory where it was when it succeeds. */
static void remove_tree(const char *name) {
  struct stat st;
  if (lstat(name, &st) != 0)
    return;
  if (!S_ISDIR(st.st_mode)) {
    unlink(name);
    return;
  }
  chmod(name, 0755);
  if (chdir(name) != 0)
    return;
  DIR *dir = opendir(".");
  if (dir) {
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
      if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
        continue;
      remove_tree(entry->d_name);
      rewinddir(dir); /* the directory changed under us */
    }
    closedir(dir);
  }
  if (chdir("..") != 0)
    return;
  rmdir(name);
}

/* remove_tree() of an absolute path, restoring the current directory afterwards. */
static void remove_path(const char *path) {
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd))
    return;
  remove_tree(path);
  if (chdir(cwd) != 0)
    fprintf(stderr, "cannot return to %s\n", cwd);
}

/*
 * root/
 *   a.py  b.pyi  notes.txt  link.py -> pkg/sub/deep.py  dangling.txt -> nowhere  pipe.py (fifo)
 *   alias -> pkg/sub
 *   pkg/__init__.py  pkg/build/gen.py  pkg/sub/deep.py  pkg/sub/data.txt
 *   cyc/top.py  cyc/dir/inner.py  cyc/dir/loop -> ..  cyc/dir/self -> .
 *   weird.py/inner.py
 *   venv/lib.py  node_modules/x.py  .git/hook.py  __pycache__/c.py  .pitfall_cache/d.py
 */
static int build_tree(void) {
  snprintf(root, sizeof root, "/tmp/pf_discover_XXXXXX");
  if (!mkdtemp(root)) {
    perror("mkdtemp");
    return -1;
  }
  make_file("a.py");
  make_file("b.pyi");
  make_file("notes.txt");
  make_dir("pkg");
  make_file("pkg/__init__.py");
  make_dir("pkg/sub");
  make_file("pkg/sub/deep.py");
  make_file("pkg/sub/data.txt");
  make_dir("pkg/build");
  make_file("pkg/build/gen.py");
  make_dir("cyc");
  make_file("cyc/top.py");
  make_dir("cyc/dir");
  make_file("cyc/dir/inner.py");
  make_link("..", "cyc/dir/loop");
  make_link(".", "cyc/dir/self");
  make_link("pkg/sub/deep.py", "link.py");
  make_link("nowhere", "dangling.txt");
  make_link("pkg/sub", "alias");
  if (mkfifo(at("pipe.py"), 0644) != 0)
    fprintf(stderr, "mkfifo: %s\n", strerror(errno));
  make_dir("weird.py");
  make_file("weird.py/inner.py");
  make_dir("venv");
  make_file("venv/lib.py");
  make_dir("node_modules");
  make_file("node_modules/x.py");
  make_dir(".git");
  make_file(".git/hook.py");
  make_dir("__pycache__");
  make_file("__pycache__/c.py");
  make_dir(".pitfall_cache");
  make_file(".pitfall_cache/d.py");
  return 0;
}

static void check_list(const pf_file_list *list, const char *const *expected, size_t n, int line) {
  CHECK_EQ_INT(list->count, n);
  for (size_t i = 0; i < n && i < list->count; i++) {
    if (strcmp(list->paths[i], expected[i]) != 0)
      fprintf(stderr, "  (list checked at line %d, index %zu)\n", line, i);
    CHECK_EQ_STR(list->paths[i], expected[i]);
  }
  if (list->count != n) {
    fprintf(stderr, "  list checked at line %d was:\n", line);
    for (size_t i = 0; i < list->count; i++)
      fprintf(stderr, "    %s\n", list->paths[i]);
  }
}

#define CHECK_LIST(list, ...)                                                                                \
  do {                                                                                                       \
    const char *const unit_expected[] = {__VA_ARGS__};                                                       \
    check_list((list), unit_expected, sizeof unit_expected / sizeof unit_expected[0], __LINE__);             \
  } while (0)

static void test_default_excludes(void) {
  const char *excluded[] = {".bzr",
                            ".direnv",
                            ".eggs",
                            ".git",
                            ".git-rewrite",
                            ".hg",
                            ".ipynb_checkpoints",
                            ".mypy_cache",
                            ".nox",
                            ".pants.d",
                            ".pyenv",
                            ".pytest_cache",
                            ".pytype",
                            ".ruff_cache",
                            ".svn",
                            ".tox",
                            ".venv",
                            ".vscode",
                            "__pypackages__",
                            "_build",
                            "buck-out",
                            "build",
                            "dist",
                            "node_modules",
                            "site-packages",
                            "venv",
                            "__pycache__",
                            ".pitfall_cache"};
  for (size_t i = 0; i < sizeof excluded / sizeof excluded[0]; i++) {
    if (!pf_discover_is_default_excluded(excluded[i]))
      fprintf(stderr, "  not excluded: %s\n", excluded[i]);
    CHECK(pf_discover_is_default_excluded(excluded[i]));
  }
  const char *kept[] = {"", "src", "pkg", "venv2", ".venv2", "Build", "builds", ".", "..", ".github", "a.py"};
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
    CHECK(!pf_discover_is_default_excluded(kept[i]));
  CHECK(!pf_discover_is_default_excluded(NULL));
}

static void test_walk(void) {
  pf_file_list list = {0};
  errors_seen seen = {0};
  const char *paths[] = {root};
  CHECK_EQ_INT(pf_discover(paths, 1, &list, record_error, &seen), 0);
  CHECK_EQ_INT(seen.calls, 0);
  /* .txt, the fifo, the dangling .txt link and the excluded dirs are skipped; cyc/dir/loop and
   * cyc/dir/self point back into the walk path and are cut; alias (not a cycle) is followed.
   * pkg/sub/deep.py has three names (alias/deep.py, link.py): it is listed once, under the
   * first the walk meets (entries are walked in name order). */
  CHECK_LIST(&list, at("a.py"), at("alias/deep.py"), at("b.pyi"), at("cyc/dir/inner.py"), at("cyc/top.py"),
             at("pkg/__init__.py"), at("weird.py/inner.py"));
  pf_file_list_free(&list);
  CHECK(list.paths == NULL && list.count == 0);
}

static void test_symlink_cycle(void) {
  /* From the top of the cycle: each file once, the links back up (.. and .) are cut. */
  pf_file_list list = {0};
  errors_seen seen = {0};
  const char *top[] = {at("cyc")};
  CHECK_EQ_INT(pf_discover(top, 1, &list, record_error, &seen), 0);
  CHECK_EQ_INT(seen.calls, 0);
  CHECK_LIST(&list, at("cyc/dir/inner.py"), at("cyc/top.py"));
  pf_file_list_free(&list);

  /* From inside it: cyc is not on the walk path of cyc/dir, so it is walked once through
   * loop, and cut when loop/dir comes back to cyc/dir. Still each file once. */
  const char *inside[] = {at("cyc/dir")};
  CHECK_EQ_INT(pf_discover(inside, 1, &list, record_error, &seen), 0);
  CHECK_LIST(&list, at("cyc/dir/inner.py"), at("cyc/dir/loop/top.py"));
  pf_file_list_free(&list);
  CHECK_EQ_INT(seen.calls, 0);
}

static void test_explicit_paths(void) {
  pf_file_list list = {0};
  errors_seen seen = {0};
  const char *paths[] = {at("notes.txt"), at("venv"),    at("pkg/build"),   at("__pycache__/"),
                         at("link.py"),   at("pipe.py"), at("cyc/dir/loop")};
  CHECK_EQ_INT(pf_discover(paths, 7, &list, record_error, &seen), 0);
  CHECK_EQ_INT(seen.calls, 0);
  /* Named explicitly: any extension (a fifo too), excluded names walked, symlinks to files
   * and directories followed and kept as written (no realpath). */
  CHECK_LIST(&list, at("__pycache__/c.py"), at("cyc/dir/loop/dir/inner.py"), at("cyc/dir/loop/top.py"),
             at("link.py"), at("notes.txt"), at("pipe.py"), at("pkg/build/gen.py"), at("venv/lib.py"));
  pf_file_list_free(&list);
}

static void test_missing_path(void) {
  pf_file_list list = {0};
  errors_seen seen = {0};
  const char *paths[] = {at("b.pyi"), at("missing"), at("a.py")};
  CHECK_EQ_INT(pf_discover(paths, 3, &list, record_error, &seen), 1);
  CHECK_EQ_INT(seen.calls, 1);
  CHECK_EQ_STR(seen.last_path, at("missing"));
  CHECK_EQ_STR(seen.last_reason, strerror(ENOENT));
  CHECK_LIST(&list, at("a.py"), at("b.pyi"));
  pf_file_list_free(&list);

  /* No callback: still counted, no crash. A file used as a directory is an error too. */
  const char *more[] = {at("missing"), at("a.py/"), ""};
  CHECK_EQ_INT(pf_discover(more, 3, &list, NULL, NULL), 3);
  CHECK_EQ_INT(list.count, 0);
  pf_file_list_free(&list);

  /* In a walk, a dangling symlink is reported when its name says Python, skipped otherwise. */
  make_link("nowhere", "cyc/ghost.py");
  const char *walk[] = {at("cyc")};
  seen.calls = 0;
  CHECK_EQ_INT(pf_discover(walk, 1, &list, record_error, &seen), 1);
  CHECK_EQ_INT(seen.calls, 1);
  CHECK_EQ_STR(seen.last_path, at("cyc/ghost.py"));
  CHECK_LIST(&list, at("cyc/dir/inner.py"), at("cyc/top.py"));
  pf_file_list_free(&list);
  unlink(at("cyc/ghost.py"));
}

static void test_unreadable_dir(void) {
  if (geteuid() == 0) {
    printf("discover: skipping the unreadable-directory check (running as root, chmod 000 is no barrier)\n");
    return;
  }
  make_dir("locked");
  make_file("locked/hidden.py");
  chmod(at("locked"), 0);
  pf_file_list list = {0};
  errors_seen seen = {0};
  const char *paths[] = {at("pkg/sub/deep.py"), root};
  CHECK_EQ_INT(pf_discover(paths, 2, &list, record_error, &seen), 1);
  CHECK_EQ_INT(seen.calls, 1);
  CHECK_EQ_STR(seen.last_path, at("locked"));
  CHECK_EQ_INT(list.count, 9);
  pf_file_list_free(&list);
  /* Named explicitly, it is reported under its own name. */
  const char *named[] = {at("locked")};
  CHECK_EQ_INT(pf_discover(named, 1, &list, record_error, &seen), 1);
  CHECK_EQ_STR(seen.last_path, at("locked"));
  CHECK_EQ_INT(list.count, 0);
  pf_file_list_free(&list);
  chmod(at("locked"), 0755);
  remove_path(at("locked"));
}

static void test_sort_and_dedup(void) {
  pf_file_list list = {0};
  const char *paths[] = {at("pkg/sub/deep.py"), at("b.pyi"), at("a.py"), at("pkg"), at("a.py"),
                         at("pkg/sub"),         at("b.pyi")};
  CHECK_EQ_INT(pf_discover(paths, 7, &list, NULL, NULL), 0);
  CHECK_LIST(&list, at("a.py"), at("b.pyi"), at("pkg/__init__.py"), at("pkg/sub/deep.py"));
  for (size_t i = 1; i < list.count; i++)
    CHECK(strcmp(list.paths[i - 1], list.paths[i]) < 0);
  pf_file_list_free(&list);
}

static void test_stdin(void) {
  pf_file_list list = {0};
  const char *paths[] = {at("a.py"), "-", "-"};
  CHECK_EQ_INT(pf_discover(paths, 3, &list, NULL, NULL), 0);
  CHECK_LIST(&list, "-", at("a.py"));
  pf_file_list_free(&list);
}

static void test_relative_paths(void) {
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd) || chdir(root) != 0) {
    CHECK(!"cannot enter the test tree");
    return;
  }
  pf_file_list list = {0};
  const char *dot[] = {"."};
  CHECK_EQ_INT(pf_discover(dot, 1, &list, NULL, NULL), 0);
  CHECK_LIST(&list, "a.py", "alias/deep.py", "b.pyi", "cyc/dir/inner.py", "cyc/top.py", "pkg/__init__.py",
             "weird.py/inner.py");
  pf_file_list_free(&list);

  const char *dot_slash[] = {"./", ".//.", "a.py"};
  CHECK_EQ_INT(pf_discover(dot_slash, 3, &list, NULL, NULL), 0);
  CHECK_EQ_INT(list.count, 7); /* the same seven: "./", ".//." and "a.py" name the same files again */
  pf_file_list_free(&list);

  /* Any other path is kept as written: "./" only goes when the root is "." itself, and the
   * join adds no slash of its own to one the user wrote (slashes inside are theirs). */
  const char *as_written[] = {"pkg/", "./weird.py", "./b.pyi", "cyc//dir//"};
  CHECK_EQ_INT(pf_discover(as_written, 4, &list, NULL, NULL), 0);
  CHECK_LIST(&list, "./b.pyi", "./weird.py/inner.py", "cyc//dir/inner.py", "cyc//dir/loop/top.py",
             "pkg/__init__.py", "pkg/sub/deep.py");
  pf_file_list_free(&list);
  if (chdir(cwd) != 0)
    CHECK(!"cannot return to the original directory");
}

static void test_trailing_slash_join(void) {
  char with_slash[600];
  snprintf(with_slash, sizeof with_slash, "%s//", root);
  const char *paths[] = {with_slash};
  pf_file_list list = {0};
  CHECK_EQ_INT(pf_discover(paths, 1, &list, NULL, NULL), 0);
  CHECK_LIST(&list, at("a.py"), at("alias/deep.py"), at("b.pyi"), at("cyc/dir/inner.py"), at("cyc/top.py"),
             at("pkg/__init__.py"), at("weird.py/inner.py"));
  pf_file_list_free(&list);
}

static void test_appends_to_existing_list(void) {
  pf_file_list list = {0};
  const char *first[] = {at("b.pyi")};
  const char *second[] = {at("a.py"), at("b.pyi")};
  CHECK_EQ_INT(pf_discover(first, 1, &list, NULL, NULL), 0);
  CHECK_EQ_INT(pf_discover(second, 2, &list, NULL, NULL), 0);
  CHECK_LIST(&list, at("a.py"), at("b.pyi"));
  pf_file_list_free(&list);
  pf_file_list_free(&list); /* idempotent */
  pf_file_list_free(NULL);
  CHECK_EQ_INT(pf_discover(NULL, 0, &list, NULL, NULL), 0);
  CHECK_EQ_INT(list.count, 0);
}

/* A chain deeper than PATH_MAX: the walk reports one error where paths get too long, keeps
 * what it found above, and neither crashes nor recurses without bound. */
static void test_deep_tree(void) {
  char cwd[1024];
  if (!getcwd(cwd, sizeof cwd) || chdir(root) != 0) {
    CHECK(!"cannot enter the test tree");
    return;
  }
  int built = mkdir("deep", 0755) == 0 && chdir("deep") == 0;
  for (int i = 0; built && i < 1500; i++) {
    if (i == 3)
      close(open("top.py", O_WRONLY | O_CREAT, 0644));
    built = mkdir("abc", 0755) == 0 && chdir("abc") == 0;
  }
  if (built)
    close(open("bottom.py", O_WRONLY | O_CREAT, 0644));
  CHECK(built);
  if (chdir(cwd) != 0)
    CHECK(!"cannot return to the original directory");
  pf_file_list list = {0};
  errors_seen seen = {0};
  const char *paths[] = {at("deep")};
  CHECK_EQ_INT(pf_discover(paths, 1, &list, record_error, &seen), 1);
  CHECK_EQ_INT(seen.calls, 1);
  CHECK_EQ_STR(seen.last_reason, strerror(ENAMETOOLONG));
  CHECK_LIST(&list, at("deep/abc/abc/abc/top.py"));
  pf_file_list_free(&list);
  remove_path(at("deep"));
}

int main(void) {
  test_default_excludes();
  if (build_tree() != 0) {
    CHECK(!"cannot build the test tree");
    return unit_report("discover");
  }
  test_walk();
  test_symlink_cycle();
  test_explicit_paths();
  test_missing_path();
  test_unreadable_dir();
  test_sort_and_dedup();
  test_stdin();
  test_relative_paths();
  test_trailing_slash_join();
  test_appends_to_existing_list();
  test_deep_tree();
  remove_path(root);
  return unit_report("discover");
}
