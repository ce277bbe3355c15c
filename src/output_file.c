/*
 * output_file.c: atomic report files, a temporary file plus rename (see output_file.h).
 */
#include "output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

static void set_reason(char *error, size_t error_size, const char *what, const char *path, int err) {
  snprintf(error, error_size, "cannot %s %s: %s", what, path, strerror(err));
}

int pf_output_file_open(pf_output_file *file, const char *path, char *error, size_t error_size) {
  memset(file, 0, sizeof(*file));
  const char *slash = strrchr(path, '/');
  size_t directory_length = slash ? (size_t)(slash - path) + 1 : 0;
  const char *base = slash ? slash + 1 : path;
  if (!*base) {
    snprintf(error, error_size, "cannot write %s: not a file name", path);
    return -1;
  }
  struct stat existing;
  if (stat(path, &existing) == 0 && S_ISDIR(existing.st_mode)) {
    set_reason(error, error_size, "write", path, EISDIR);
    return -1;
  }
  /* "<dir>/.<name>.XXXXXX": hidden, and in the same directory so that rename is atomic. */
  size_t length = directory_length + 1 + strlen(base) + 8;
  char *temp_path = pf_xmalloc(length);
  snprintf(temp_path, length, "%.*s.%s.XXXXXX", (int)directory_length, path, base);
  int fd = mkstemp(temp_path);
  if (fd < 0) {
    set_reason(error, error_size, "write", path, errno);
    free(temp_path);
    return -1;
  }
  mode_t mode;
  if (stat(path, &existing) == 0 && S_ISREG(existing.st_mode)) {
    mode = existing.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  if (fchmod(fd, mode) != 0) {
    set_reason(error, error_size, "write", path, errno);
    close(fd);
    unlink(temp_path);
    free(temp_path);
    return -1;
  }
  file->stream = fdopen(fd, "w");
  if (!file->stream) {
    set_reason(error, error_size, "write", path, errno);
    close(fd);
    unlink(temp_path);
    free(temp_path);
    return -1;
  }
  file->path = pf_xstrdup(path);
  file->temp_path = temp_path;
  return 0;
}

static void release(pf_output_file *file) {
  free(file->path);
  free(file->temp_path);
  memset(file, 0, sizeof(*file));
}

int pf_output_file_commit(pf_output_file *file, char *error, size_t error_size) {
  int failed = fflush(file->stream) != 0 || ferror(file->stream);
  int err = failed ? errno : 0;
  if (!failed && fsync(fileno(file->stream)) != 0 && errno != EINVAL && errno != EROFS) {
    failed = 1;
    err = errno;
  }
  if (fclose(file->stream) != 0 && !failed) {
    failed = 1;
    err = errno;
  }
  file->stream = NULL;
  if (!failed && rename(file->temp_path, file->path) != 0) {
    failed = 1;
    err = errno;
  }
  if (failed) {
    set_reason(error, error_size, "write", file->path, err ? err : EIO);
    unlink(file->temp_path);
  }
  release(file);
  return failed ? -1 : 0;
}

void pf_output_file_abort(pf_output_file *file) {
  if (file->stream)
    fclose(file->stream);
  if (file->temp_path)
    unlink(file->temp_path);
  release(file);
}

void pf_output_file_forget(pf_output_file *file) {
  if (file->stream)
    fclose(file->stream); /* nothing was written through it in this process: nothing to flush */
  release(file);
}
