/*
 * paths.c: lexical normalization and the small queries on normalized paths (see paths.h).
 */
#include "paths.h"

#include <string.h>

#include "arena.h"

void pf_path_normalize_in_place(char *path) {
  /* Rewrite in place: `out` never passes `in`. */
  char *out = path;
  const char *in = path;
  size_t length = 0;
  while (*in) {
    while (*in == '/')
      in++;
    const char *end = strchr(in, '/');
    size_t part = end ? (size_t)(end - in) : strlen(in);
    if (part == 0)
      break;
    if (part == 1 && in[0] == '.') {
      /* nothing */
    } else if (part == 2 && in[0] == '.' && in[1] == '.') {
      while (length > 0 && out[length - 1] != '/')
        length--;
      if (length > 0)
        length--; /* the '/' before the removed component */
    } else {
      out[length++] = '/';
      memmove(out + length, in, part);
      length += part;
    }
    in += part;
  }
  if (length == 0)
    out[length++] = '/';
  out[length] = '\0';
}

char *pf_path_absolute(const char *cwd, const char *path) {
  size_t cwd_length = path[0] == '/' ? 0 : strlen(cwd), path_length = strlen(path);
  char *joined = pf_xmalloc(cwd_length + path_length + 2);
  memcpy(joined, cwd, cwd_length);
  joined[cwd_length] = '/';
  memcpy(joined + cwd_length + 1, path, path_length + 1);
  pf_path_normalize_in_place(joined);
  return joined;
}

size_t pf_path_parent_length(const char *path) {
  size_t length = strlen(path);
  if (length <= 1)
    return 0;
  while (length > 0 && path[length - 1] != '/')
    length--;
  return length > 1 ? length - 1 : 1;
}

const char *pf_path_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

int pf_path_is_inside(const char *path, const char *dir) {
  size_t dir_length = strlen(dir);
  if (strcmp(dir, "/") == 0)
    return path[0] == '/' && path[1] != '\0';
  return strncmp(path, dir, dir_length) == 0 && path[dir_length] == '/' && path[dir_length + 1] != '\0';
}

char *pf_path_display(const char *path, const char *cwd) {
  if (cwd && pf_path_is_inside(path, cwd))
    return pf_xstrdup(path + strlen(cwd) + (strcmp(cwd, "/") == 0 ? 0 : 1));
  return pf_xstrdup(path);
}
