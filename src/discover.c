/*
 * discover.c: expands command-line paths into the sorted, duplicate-free list of files to lint.
 *
 * A path named explicitly is taken as written ("-" for stdin, any file whatever its name); a
 * directory is walked recursively for regular *.py and *.pyi files, skipping the default
 * excluded names. Symlinks are followed; a directory whose (st_dev, st_ino) is already on the
 * current walk path is skipped, so symlink cycles terminate. Each directory is read completely
 * and closed before its entries are visited (in byte order), so the walk holds no descriptors
 * while recursing and reports errors in a stable order. Problems go to the caller's callback
 * and the walk continues.
 */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "arena.h"

/* Deeper than this, a walk reports an error instead of recursing. */
#define PF_DISCOVER_MAX_DEPTH 4096

/* Sorted (strcmp) so that the lookup can bsearch. */
static const char *const default_excludes[] = {
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pitfall_cache",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
};

/* One directory on the current walk path, linked to its parent (on the C stack). */
typedef struct walk_frame {
  dev_t dev;
  ino_t ino;
  const struct walk_frame *parent;
} walk_frame;

typedef struct walker {
  pf_file_list *out;
  pf_discover_error_fn on_error;
  void *user;
  size_t errors;
  pf_discover_exclude_fn is_excluded; /* NULL: the default excluded names */
  void *exclude_user;
  const char *root; /* the command-line path being walked */
  /* The regular files emitted so far, by device and inode (open addressing, capacity a
   * power of two): the same file reached under two names is linted once. */
  struct file_identity *seen;
  size_t seen_count, seen_capacity;
} walker;

typedef struct name_list {
  char **items;
  size_t count;
  size_t capacity;
} name_list;

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *const *pf_discover_default_excludes(size_t *count) {
  *count = sizeof default_excludes / sizeof default_excludes[0];
  return default_excludes;
}

int pf_discover_is_default_excluded(const char *name) {
  if (!name)
    return 0;
  size_t n = sizeof default_excludes / sizeof default_excludes[0];
  return bsearch(&name, default_excludes, n, sizeof default_excludes[0], compare_strings) != NULL;
}

void pf_file_list_free(pf_file_list *list) {
  if (!list)
    return;
  for (size_t i = 0; i < list->count; i++)
    free(list->paths[i]);
  free(list->paths);
  list->paths = NULL;
  list->count = 0;
  list->capacity = 0;
}

static void report(walker *w, const char *path, const char *reason) {
  w->errors++;
  if (w->on_error)
    w->on_error(w->user, path, reason);
}

/* Appends `item` (owned) to a growable array; on failure frees it and returns -1. */
static int push_owned(char ***items, size_t *count, size_t *capacity, char *item) {
  if (*count == *capacity) {
    size_t cap = *capacity ? *capacity * 2 : 16;
    if (cap < *capacity || cap > (size_t)-1 / sizeof **items) {
      free(item);
      return -1;
    }
    char **grown = realloc(*items, cap * sizeof **items);
    if (!grown) {
      free(item);
      return -1;
    }
    *items = grown;
    *capacity = cap;
  }
  (*items)[(*count)++] = item;
  return 0;
}

static char *copy_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy)
    memcpy(copy, s, n);
  return copy;
}

/* Takes ownership of `path`; reports (against `path_for_error`) when it cannot be stored. */
typedef struct file_identity {
  dev_t device;
  ino_t inode;
  int used;
} file_identity;

static size_t identity_slot(const file_identity *table, size_t capacity, dev_t device, ino_t inode) {
  size_t slot = (size_t)(((uint64_t)inode * 0x9E3779B97F4A7C15ull) ^ (uint64_t)device) & (capacity - 1);
  while (table[slot].used && !(table[slot].device == device && table[slot].inode == inode))
    slot = (slot + 1) & (capacity - 1);
  return slot;
}

/* Records a regular file's identity; returns 1 when it was already recorded. */
static int seen_before(walker *w, const struct stat *st) {
  if (2 * (w->seen_count + 1) > w->seen_capacity) {
    size_t capacity = w->seen_capacity ? 2 * w->seen_capacity : 256;
    file_identity *table = pf_xcalloc(capacity, sizeof(file_identity));
    for (size_t i = 0; i < w->seen_capacity; i++)
      if (w->seen[i].used)
        table[identity_slot(table, capacity, w->seen[i].device, w->seen[i].inode)] = w->seen[i];
    free(w->seen);
    w->seen = table;
    w->seen_capacity = capacity;
  }
  size_t slot = identity_slot(w->seen, w->seen_capacity, st->st_dev, st->st_ino);
  if (w->seen[slot].used)
    return 1;
  w->seen[slot] = (file_identity){st->st_dev, st->st_ino, 1};
  w->seen_count++;
  return 0;
}

/* Adds `path` (owned) to the list. `st`, when given, is the path's stat: a regular file
 * already emitted under another name (`a.py ./a.py`, `. ../here`, a symlink) is dropped, so the
 * first name given for it is the one linted and shown. */
static void emit_owned(walker *w, char *path, const char *path_for_error, const struct stat *st) {
  if (!path) {
    report(w, path_for_error, strerror(ENOMEM));
    return;
  }
  if (st && S_ISREG(st->st_mode) && seen_before(w, st)) {
    free(path);
    return;
  }
  if (push_owned(&w->out->paths, &w->out->count, &w->out->capacity, path) != 0)
    report(w, path_for_error, strerror(ENOMEM));
}

/* `base` + "/" + `name`, without doubling slashes; an empty base yields `name` alone. */
static char *join_path(const char *base, const char *name) {
  size_t base_len = strlen(base), name_len = strlen(name);
  while (base_len > 1 && base[base_len - 1] == '/')
    base_len--;
  int slash = base_len > 0 && base[base_len - 1] != '/';
  if (base_len > (size_t)-1 - name_len - 2)
    return NULL;
  char *joined = malloc(base_len + (size_t)slash + name_len + 1);
  if (!joined)
    return NULL;
  memcpy(joined, base, base_len);
  if (slash)
    joined[base_len] = '/';
  memcpy(joined + base_len + (size_t)slash, name, name_len + 1);
  return joined;
}

/* Whether `path` names the current directory: ".", "./", "./.", ".//" and the like. */
static int is_current_dir(const char *path) {
  if (path[0] != '.')
    return 0;
  for (const char *p = path; *p;) {
    if (*p == '/') {
      p++;
    } else if (p[0] == '.' && (p[1] == '/' || p[1] == '\0')) {
      p++;
    } else {
      return 0;
    }
  }
  return 1;
}

static int has_suffix(const char *name, size_t len, const char *suffix) {
  size_t n = strlen(suffix);
  return len > n && memcmp(name + len - n, suffix, n) == 0; /* a bare ".py" has no stem: skipped */
}

static int is_python_name(const char *name) {
  size_t len = strlen(name);
  return has_suffix(name, len, ".py") || has_suffix(name, len, ".pyi");
}

static int on_walk_path(const walk_frame *frame, const struct stat *st) {
  for (; frame; frame = frame->parent)
    if (frame->dev == st->st_dev && frame->ino == st->st_ino)
      return 1;
  return 0;
}

static void free_names(name_list *names) {
  for (size_t i = 0; i < names->count; i++)
    free(names->items[i]);
  free(names->items);
}

/* Reads the entries of `path` (minus ".", ".." and excluded names) into `names`, sorted.
 * Returns -1 when the directory cannot be opened at all (already reported). */
static int read_names(walker *w, const char *path, name_list *names) {
  DIR *dir = opendir(path);
  if (!dir) {
    report(w, path, strerror(errno));
    return -1;
  }
  for (;;) {
    errno = 0;
    struct dirent *entry = readdir(dir);
    if (!entry) {
      if (errno != 0)
        report(w, path, strerror(errno));
      break;
    }
    const char *name = entry->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
        (!w->is_excluded && pf_discover_is_default_excluded(name)))
      continue;
    char *copy = copy_string(name);
    if (!copy || push_owned(&names->items, &names->count, &names->capacity, copy) != 0) {
      report(w, path, strerror(ENOMEM));
      break;
    }
  }
  closedir(dir);
  if (names->count > 1)
    qsort(names->items, names->count, sizeof *names->items, compare_strings);
  return 0;
}

/* Walks the directory `path` (whose identity is `frame`, at `depth`). Results are `prefix`
 * joined with entry names; `prefix` is `path` except at a root naming ".", where it is "". */
static void walk_dir(walker *w, const char *path, const char *prefix, size_t depth, const walk_frame *frame) {
  name_list names = {0};
  if (read_names(w, path, &names) != 0)
    return;
  for (size_t i = 0; i < names.count; i++) {
    const char *name = names.items[i];
    char *child = join_path(prefix, name);
    if (!child) {
      report(w, path, strerror(ENOMEM));
      continue;
    }
    struct stat st;
    int stat_error = stat(child, &st) == 0 ? 0 : errno;
    /* What the walk would take or report: directories, Python files, and unreadable entries
     * (a dangling symlink is noise unless it looks like a Python file). Only these are
     * offered to the exclusion callback, which need not see every README. */
    int relevant = stat_error ? stat_error != ENOENT || is_python_name(name)
                              : S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && is_python_name(name));
    if (!relevant || (w->is_excluded && w->is_excluded(w->exclude_user, child, w->root, 0))) {
      free(child);
      continue;
    }
    if (stat_error) {
      report(w, child, strerror(stat_error));
      free(child);
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (on_walk_path(frame, &st)) {
        /* A symlink back into the walk path: skipping it is what makes cycles terminate. */
      } else if (depth + 1 > PF_DISCOVER_MAX_DEPTH) {
        report(w, child, "directory nesting too deep");
      } else {
        walk_frame sub = {st.st_dev, st.st_ino, frame};
        walk_dir(w, child, child, depth + 1, &sub);
      }
      free(child);
    } else if (S_ISREG(st.st_mode) && is_python_name(name)) {
      emit_owned(w, child, path, &st);
    } else {
      free(child);
    }
  }
  free_names(&names);
}

static void discover_one(walker *w, const char *path) {
  w->root = path;
  if (w->is_excluded && w->is_excluded(w->exclude_user, path, path, 1))
    return;
  if (strcmp(path, "-") == 0) {
    emit_owned(w, copy_string(path), path, NULL);
    return;
  }
  struct stat st;
  if (stat(path, &st) != 0) {
    report(w, path, strerror(errno));
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    walk_frame root = {st.st_dev, st.st_ino, NULL};
    walk_dir(w, path, is_current_dir(path) ? "" : path, 0, &root);
  } else if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
    /* Named explicitly: taken whatever its name. Pipes and character devices too, so that
     * process substitution (<(...)) and /dev/stdin work; the loader reports read errors. */
    emit_owned(w, copy_string(path), path, &st);
  } else {
    report(w, path, "not a regular file or directory");
  }
}

/* Sorts the whole list by strcmp and drops repeated paths. */
static void sort_unique(pf_file_list *list) {
  if (list->count < 2)
    return;
  qsort(list->paths, list->count, sizeof *list->paths, compare_strings);
  size_t kept = 1;
  for (size_t i = 1; i < list->count; i++) {
    if (strcmp(list->paths[i], list->paths[kept - 1]) == 0) {
      free(list->paths[i]);
    } else {
      list->paths[kept++] = list->paths[i];
    }
  }
  list->count = kept;
}

/* Appends to `out` (which must be zero-initialised or hold an earlier result), then sorts and
 * deduplicates everything in it. */
size_t pf_discover(const char *const *paths, size_t count, pf_file_list *out, pf_discover_error_fn on_error,
                   void *user) {
  pf_discover_options options = {on_error, user, NULL, NULL};
  return pf_discover_with(paths, count, out, &options);
}

size_t pf_discover_with(const char *const *paths, size_t count, pf_file_list *out,
                        const pf_discover_options *options) {
  walker w = {out,
              options->on_error,
              options->error_user,
              0,
              options->is_excluded,
              options->exclude_user,
              NULL,
              NULL,
              0,
              0};
  if (!out)
    return 0;
  for (size_t i = 0; paths && i < count; i++) {
    if (paths[i])
      discover_one(&w, paths[i]);
  }
  free(w.seen);
  sort_unique(out);
  return w.errors;
}
