/*
 * gitignore.c: repository lookup per directory and ignore queries through libgit2 (see
 * gitignore.h).
 *
 * libgit2 wants paths relative to the repository's working directory, which it reports with
 * symlinks resolved; the directory of each query is therefore resolved with realpath(3) once
 * (cached), and the file name appended. Repositories are found with git_repository_discover
 * (git's own search, which stops at file-system boundaries) and opened once per git
 * directory. libgit2's ownership check (safe.directory) is turned off: pitfall only reads
 * ignore rules, and a checkout owned by another user must be linted the same way.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "gitignore.h"

#include <git2.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "paths.h"
#include "strmap.h"

typedef struct repository {
  git_repository *handle;
  char *git_dir;
} repository;

/* What a directory maps to: its repository (NULL: none) and its path inside the working
 * directory, ending in '/' ("" at the root of the working directory). */
typedef struct directory {
  repository *repository;
  char *prefix;
} directory;

struct pf_gitignore {
  int library_started;   /* git_libgit2_init succeeded (shut down in pf_gitignore_free) */
  int library_failed;    /* it did not: nothing is ignored */
  pf_strmap directories; /* normalized absolute path -> directory */
  repository *repositories;
  size_t repository_count, repository_capacity;
};

static int start_library(pf_gitignore *gitignore) {
  if (!gitignore->library_started && !gitignore->library_failed) {
    if (git_libgit2_init() < 0) {
      gitignore->library_failed = 1;
    } else {
      gitignore->library_started = 1;
      git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    }
  }
  return gitignore->library_started;
}

/* Whether `real` (a resolved absolute directory) or a directory above it holds `.git` (a
 * directory, or the file a worktree or submodule has): cheap stat calls before anything
 * starts libgit2. */
static int below_git_marker(const char *real) {
  char probe[PATH_MAX + 8];
  size_t length = strlen(real);
  if (length >= PATH_MAX)
    return 1; /* let libgit2 decide */
  memcpy(probe, real, length + 1);
  for (;;) {
    size_t base = length == 1 ? 0 : length; /* "/" + ".git" without a double slash */
    memcpy(probe + base, "/.git", 6);
    struct stat st;
    if (stat(probe, &st) == 0)
      return 1;
    if (length <= 1)
      return 0;
    while (length > 1 && probe[length - 1] != '/')
      length--;
    if (length > 1)
      length--;
    probe[length] = '\0';
  }
}

pf_gitignore *pf_gitignore_new(void) { return pf_xcalloc(1, sizeof(pf_gitignore)); }

static void free_directory(void *value) {
  directory *entry = value;
  if (!entry)
    return;
  free(entry->prefix);
  free(entry);
}

void pf_gitignore_free(pf_gitignore *gitignore) {
  if (!gitignore)
    return;
  pf_strmap_free(&gitignore->directories, free_directory);
  for (size_t i = 0; i < gitignore->repository_count; i++) {
    git_repository_free(gitignore->repositories[i].handle);
    free(gitignore->repositories[i].git_dir);
  }
  free(gitignore->repositories);
  if (gitignore->library_started)
    git_libgit2_shutdown();
  free(gitignore);
}

static repository *open_repository(pf_gitignore *gitignore, const char *git_dir) {
  for (size_t i = 0; i < gitignore->repository_count; i++)
    if (strcmp(gitignore->repositories[i].git_dir, git_dir) == 0)
      return gitignore->repositories[i].handle ? &gitignore->repositories[i] : NULL;
  git_repository *handle = NULL;
  if (git_repository_open(&handle, git_dir) != 0 || git_repository_is_bare(handle)) {
    git_repository_free(handle);
    handle = NULL;
  }
  pf_grow((void **)&gitignore->repositories, &gitignore->repository_capacity, gitignore->repository_count + 1,
          sizeof(repository));
  repository *entry = &gitignore->repositories[gitignore->repository_count++];
  entry->handle = handle;
  entry->git_dir = pf_xstrdup(git_dir);
  return handle ? entry : NULL;
}

/* The cached entry for directory `path` (normalized, absolute), computed on first use. */
static directory *lookup_directory(pf_gitignore *gitignore, const char *path) {
  void *found = NULL;
  if (pf_strmap_get(&gitignore->directories, path, &found))
    return found;
  directory *entry = NULL;
  char real[PATH_MAX];
  git_buf git_dir = {0};
  if (realpath(path, real) && below_git_marker(real) && start_library(gitignore) &&
      git_repository_discover(&git_dir, real, 0, NULL) == 0) {
    repository *repo = open_repository(gitignore, git_dir.ptr);
    const char *workdir = repo ? git_repository_workdir(repo->handle) : NULL; /* ends in '/' */
    size_t workdir_length = workdir ? strlen(workdir) : 0, real_length = strlen(real);
    if (workdir && real_length + 1 == workdir_length && strncmp(real, workdir, real_length) == 0) {
      entry = pf_xcalloc(1, sizeof(directory));
      entry->repository = repo;
      entry->prefix = pf_xstrdup("");
    } else if (workdir && real_length >= workdir_length && strncmp(real, workdir, workdir_length) == 0) {
      entry = pf_xcalloc(1, sizeof(directory));
      entry->repository = repo;
      size_t inside = real_length - workdir_length;
      entry->prefix = pf_xmalloc(inside + 2);
      memcpy(entry->prefix, real + workdir_length, inside);
      entry->prefix[inside] = '/';
      entry->prefix[inside + 1] = '\0';
    }
  }
  git_buf_dispose(&git_dir);
  pf_strmap_put(&gitignore->directories, path, entry);
  return entry;
}

int pf_gitignore_is_ignored(pf_gitignore *gitignore, const char *path) {
  size_t parent_length = pf_path_parent_length(path);
  if (parent_length == 0)
    return 0;
  char *parent = pf_xstrndup(path, parent_length);
  directory *entry = lookup_directory(gitignore, parent);
  free(parent);
  if (!entry)
    return 0;
  const char *name = pf_path_name(path);
  size_t prefix_length = strlen(entry->prefix), name_length = strlen(name);
  char *relative = pf_xmalloc(prefix_length + name_length + 1);
  memcpy(relative, entry->prefix, prefix_length);
  memcpy(relative + prefix_length, name, name_length + 1);
  int ignored = 0;
  if (git_ignore_path_is_ignored(&ignored, entry->repository->handle, relative) != 0)
    ignored = 0;
  free(relative);
  return ignored;
}
