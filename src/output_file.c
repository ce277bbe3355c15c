/*
 * output_file.c: atomic report files, a temporary file plus rename, and the special files
 * written directly (see output_file.h).
 */
#define _DEFAULT_SOURCE /* readlink, fchmod, sigaction flags */
#include "output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

/* ---- removing the temporary file when a signal ends the process ---- */

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
#define CLEANUP_SIGNAL_COUNT (sizeof(cleanup_signals) / sizeof(cleanup_signals[0]))

/* Set before the handlers are installed and cleared after they are restored, so the handler
 * only ever reads a complete path. One output file per process. */
static char pending_temp_path[PATH_MAX];
static volatile sig_atomic_t pending_temp_set;
static struct sigaction previous_actions[CLEANUP_SIGNAL_COUNT];
static int handler_installed[CLEANUP_SIGNAL_COUNT];

static void remove_temp_and_die(int signal_number) {
  if (pending_temp_set)
    unlink(pending_temp_path);
  /* SA_RESETHAND restored the default action; the signal is blocked until we return. */
  raise(signal_number);
}

static void guard_temp_path(const char *temp_path) {
  if (strlen(temp_path) >= sizeof(pending_temp_path))
    return; /* cannot happen: mkstemp's path came from a PATH_MAX-bounded name */
  memcpy(pending_temp_path, temp_path, strlen(temp_path) + 1);
  pending_temp_set = 1;
  struct sigaction action;
  memset(&action, 0, sizeof(action));
  action.sa_handler = remove_temp_and_die;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++) {
    struct sigaction current;
    handler_installed[i] = 0;
    if (sigaction(cleanup_signals[i], NULL, &current) != 0 || current.sa_handler == SIG_IGN)
      continue; /* an ignored signal (nohup, a parent ignoring SIGPIPE) stays ignored */
    if (sigaction(cleanup_signals[i], &action, &previous_actions[i]) == 0)
      handler_installed[i] = 1;
  }
}

static void release_temp_guard(void) {
  for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
    if (handler_installed[i]) {
      sigaction(cleanup_signals[i], &previous_actions[i], NULL);
      handler_installed[i] = 0;
    }
  pending_temp_set = 0;
}

/* ---- opening ---- */

static void set_reason(char *error, size_t error_size, const char *what, const char *path, int err) {
  snprintf(error, error_size, "cannot %s %s: %s", what, path, strerror(err));
}

/* Paths that name a file some process already has open: write into it, never replace it. */
static int names_open_file(const char *path) {
  return strncmp(path, "/dev/fd/", 8) == 0 || strcmp(path, "/dev/stdout") == 0 ||
         strcmp(path, "/dev/stderr") == 0 || strncmp(path, "/proc/", 6) == 0;
}

/* The path a chain of symlinks starting at `path` ends at: the first name that is not a
 * symlink (or does not exist). Relative link targets are taken from the link's directory.
 * NULL with errno ELOOP after 40 links, as the kernel counts. */
static char *follow_links(const char *path) {
  char *current = pf_xstrdup(path);
  for (int hops = 0; hops <= 40; hops++) {
    struct stat status;
    if (lstat(current, &status) != 0 || !S_ISLNK(status.st_mode))
      return current;
    char target[PATH_MAX];
    ssize_t length = readlink(current, target, sizeof(target) - 1);
    if (length < 0)
      return current;
    target[length] = '\0';
    char *next;
    const char *slash = strrchr(current, '/');
    if (target[0] == '/' || !slash) {
      next = pf_xstrdup(target);
    } else {
      size_t directory_length = (size_t)(slash - current) + 1;
      next = pf_xmalloc(directory_length + (size_t)length + 1);
      memcpy(next, current, directory_length);
      memcpy(next + directory_length, target, (size_t)length + 1);
    }
    free(current);
    current = next;
  }
  free(current);
  errno = ELOOP;
  return NULL;
}

/* Opens a special file (device, FIFO, an already open file) for writing in place. */
static int open_direct(pf_output_file *file, const char *path, int is_regular, char *error,
                       size_t error_size) {
  int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (is_regular ? O_APPEND : 0));
  if (fd < 0 || !(file->stream = fdopen(fd, "w"))) {
    set_reason(error, error_size, "write", path, errno);
    if (fd >= 0)
      close(fd);
    return -1;
  }
  file->path = pf_xstrdup(path);
  file->target = pf_xstrdup(path);
  return 0;
}

int pf_output_file_open(pf_output_file *file, const char *path, char *error, size_t error_size) {
  memset(file, 0, sizeof(*file));
  if (!*path || path[strlen(path) - 1] == '/') {
    snprintf(error, error_size, "cannot write %s: not a file name", path);
    return -1;
  }
  struct stat existing;
  int exists = stat(path, &existing) == 0;
  if (exists && S_ISDIR(existing.st_mode)) {
    set_reason(error, error_size, "write", path, EISDIR);
    return -1;
  }
  if (exists && S_ISSOCK(existing.st_mode)) { /* open() cannot write a socket (ENXIO) */
    snprintf(error, error_size,
             "cannot write %s: it is a socket; --output-file writes a regular file, a device or a FIFO",
             path);
    return -1;
  }
  if (exists && (!S_ISREG(existing.st_mode) || names_open_file(path)))
    return open_direct(file, path, S_ISREG(existing.st_mode), error, error_size);

  char *target = follow_links(path);
  if (!target) {
    set_reason(error, error_size, "write", path, errno);
    return -1;
  }
  const char *slash = strrchr(target, '/');
  size_t directory_length = slash ? (size_t)(slash - target) + 1 : 0;
  const char *base = slash ? slash + 1 : target;
  /* "<dir>/.<name>.XXXXXX": hidden, and in the target's directory so that rename is atomic. */
  size_t length = directory_length + 1 + strlen(base) + 8;
  char *temp_path = pf_xmalloc(length);
  snprintf(temp_path, length, "%.*s.%s.XXXXXX", (int)directory_length, target, base);
  /* The cleanup signals wait from before the file exists until its handler is in place, so no
   * signal can end the process between the two and leave the file behind. */
  sigset_t cleanup_set, previous_set;
  sigemptyset(&cleanup_set);
  for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
    sigaddset(&cleanup_set, cleanup_signals[i]);
  pthread_sigmask(SIG_BLOCK, &cleanup_set, &previous_set);
  int fd = length <= PATH_MAX ? mkstemp(temp_path) : (errno = ENAMETOOLONG, -1);
  int mkstemp_error = errno;
  if (fd >= 0)
    guard_temp_path(temp_path);
  pthread_sigmask(SIG_SETMASK, &previous_set, NULL);
  if (fd < 0) {
    set_reason(error, error_size, "write", path, mkstemp_error);
    free(temp_path);
    free(target);
    return -1;
  }
  mode_t mode;
  if (stat(target, &existing) == 0 && S_ISREG(existing.st_mode)) {
    mode = existing.st_mode & 07777;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  if (fchmod(fd, mode) != 0 || !(file->stream = fdopen(fd, "w"))) {
    set_reason(error, error_size, "write", path, errno);
    close(fd);
    unlink(temp_path);
    release_temp_guard();
    free(temp_path);
    free(target);
    return -1;
  }
  file->path = pf_xstrdup(path);
  file->target = target;
  file->temp_path = temp_path;
  return 0;
}

int pf_output_file_is_direct(const pf_output_file *file) { return file->stream && !file->temp_path; }

static void release(pf_output_file *file) {
  if (file->temp_path)
    release_temp_guard();
  free(file->path);
  free(file->target);
  free(file->temp_path);
  memset(file, 0, sizeof(*file));
}

int pf_output_file_commit(pf_output_file *file, char *error, size_t error_size) {
  int failed = fflush(file->stream) != 0 || ferror(file->stream);
  int err = failed ? errno : 0;
  if (!failed && file->temp_path && fsync(fileno(file->stream)) != 0 && errno != EINVAL && errno != EROFS) {
    failed = 1;
    err = errno;
  }
  if (fclose(file->stream) != 0 && !failed) {
    failed = 1;
    err = errno;
  }
  file->stream = NULL;
  if (!failed && file->temp_path && rename(file->temp_path, file->target) != 0) {
    failed = 1;
    err = errno;
  }
  if (failed) {
    set_reason(error, error_size, "write", file->path, err ? err : EIO);
    if (file->temp_path)
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
