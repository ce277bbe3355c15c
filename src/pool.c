/*
 * pool.c: the worker pool (see pool.h).
 *
 * The calling thread stats every file (sizes for the order, stamps for the cache), sorts the
 * indexes by size, largest first, then it and threads-1 workers take the next index from an
 * atomic counter until none is left. For each file a worker:
 *   1. asks the cache with the stat stamp (no read at all on a hit);
 *   2. reads the bytes into its reusable buffer, hashes them, and asks again by content;
 *   3. lints the bytes and stores the result in the cache.
 */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tree_sitter/api.h>

#include "arena.h"
#include "capture.h"
#include "lang.h"
#include "parse_budget.h"

/* A read buffer that grew past this is released after its file, so one huge file does not
 * pin its size for the rest of the run. */
#define KEEP_BUFFER_BYTES ((size_t)4 << 20)
#define MAX_FILE_BYTES ((uint64_t)UINT32_MAX)

typedef struct pool {
  const pf_lint_task *tasks;
  size_t count;
  const pf_pool_options *options;
  pf_file_result *results;
  pf_file_stamp *stamps; /* taken before the run, in task order */
  size_t *order;         /* task indexes, largest file first */
  atomic_size_t next;    /* the next position in `order` to hand out */
} pool;

typedef struct worker {
  pool *pool;
  unsigned id;       /* its slot in options->in_progress */
  pf_linter *linter; /* linting */
  TSParser *parser;  /* --parse-only */
  char *buffer;
  size_t capacity;
  const pf_settings *hashed_settings; /* the settings whose hash is `settings_hash` */
  uint64_t settings_hash;
} worker;

unsigned pf_pool_default_threads(void) {
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? (unsigned)online : 1;
}

static void describe_errno(int error, char *reason, size_t reason_size) {
  if (strerror_r(error, reason, reason_size) != 0)
    snprintf(reason, reason_size, "error %d", error);
}

/* Reads the file into the worker's buffer. Returns the length, or -1 with `reason` set;
 * `stamp` gets the stat of the open file, taken before reading. */
static long long read_file(worker *w, const char *path, pf_file_stamp *stamp, char *reason,
                           size_t reason_size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    describe_errno(errno, reason, reason_size);
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    describe_errno(errno, reason, reason_size);
    close(fd);
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    describe_errno(EISDIR, reason, reason_size);
    close(fd);
    return -1;
  }
  if ((uint64_t)st.st_size > MAX_FILE_BYTES) {
    snprintf(reason, reason_size, "file is larger than 4294967295 bytes");
    close(fd);
    return -1;
  }
  *stamp = pf_file_stamp_of(&st);
  size_t used = 0;
  size_t expected = S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
  for (;;) {
    /* Room for the whole file, one byte more to notice growth, and a terminator. */
    if (used + 2 > w->capacity || expected + 2 > w->capacity) {
      size_t needed = (expected > used ? expected : used) + 2;
      if (needed <= w->capacity)
        needed = w->capacity * 2;
      if (needed < 4096)
        needed = 4096;
      w->buffer = pf_xrealloc(w->buffer, needed);
      w->capacity = needed;
    }
    ssize_t got = read(fd, w->buffer + used, w->capacity - 1 - used);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      describe_errno(errno, reason, reason_size);
      close(fd);
      return -1;
    }
    if (got == 0)
      break;
    used += (size_t)got;
    if (used > MAX_FILE_BYTES) {
      snprintf(reason, reason_size, "file is larger than 4294967295 bytes");
      close(fd);
      return -1;
    }
  }
  close(fd);
  w->buffer[used] = '\0';
  return (long long)used;
}

static void release_large_buffer(worker *w) {
  if (w->capacity > KEEP_BUFFER_BYTES) {
    free(w->buffer);
    w->buffer = NULL;
    w->capacity = 0;
  }
}

static uint64_t settings_hash(worker *w, const pf_settings *settings) {
  if (w->hashed_settings != settings) {
    w->settings_hash = pf_settings_hash(settings);
    w->hashed_settings = settings;
  }
  return w->settings_hash;
}

static void parse_only(worker *w, const pf_lint_task *task, pf_file_result *out) {
  memset(out, 0, sizeof(*out));
  out->path = pf_xstrdup(task->display_path);
  pf_file_stamp stamp;
  char reason[256];
  long long length = read_file(w, task->path, &stamp, reason, sizeof(reason));
  if (length < 0) {
    out->error = pf_xstrdup(reason);
    return;
  }
  /* A fresh scanner state per file, as pf_lint_source has, so that the floor the benchmark
   * compares against pays the same per-file set-up. */
  pf_python_parser_refresh(w->parser);
  pf_parse_budget_apply(w->parser, (size_t)length);
  TSTree *tree = ts_parser_parse_string(w->parser, NULL, w->buffer, (uint32_t)length);
  if (tree) {
    ts_tree_delete(tree);
  } else {
    /* Out of budget: parse-only results hold no findings; run.c names the file on stderr. */
    ts_parser_reset(w->parser);
    out->incomplete = 1;
  }
  release_large_buffer(w);
}

/* A cached result holds no source excerpts or fingerprints (capture.h): they depend on the
 * output format, not on the file. When the format needs them, take them from the file's
 * bytes now (decoding only, no parse), so a hit reports exactly what a fresh lint would. */
static void recapture(worker *w, const pf_lint_task *task, pf_file_result *out, long long length) {
  unsigned capture = w->pool->options->capture;
  if (!capture || out->decode_error || out->diagnostics.count == 0)
    return;
  if (length < 0) {
    pf_file_stamp stamp;
    char reason[256];
    length = read_file(w, task->path, &stamp, reason, sizeof(reason));
    if (length < 0)
      return;
  }
  pf_source source;
  char reason[256];
  if (pf_source_load_bytes(&source, w->buffer, (size_t)length, reason, sizeof(reason)) == PF_LOAD_OK) {
    pf_capture(&out->diagnostics, &source, capture);
    pf_source_free(&source);
  }
}

static void lint_one(worker *w, size_t index) {
  pool *p = w->pool;
  const pf_lint_task *task = &p->tasks[index];
  pf_file_result *out = &p->results[index];
  const pf_cache_binding *binding = p->options->caches ? &p->options->caches[index] : NULL;
  pf_cache *cache = binding ? binding->cache : NULL;
  if (p->options->crashed && p->options->crashed[index]) {
    /* Not parsed again: reported, with noqa applied from its bytes (stdin cannot be reread). */
    pf_file_stamp stamp;
    char reason[256];
    long long length =
        strcmp(task->path, "-") == 0 ? 0 : read_file(w, task->path, &stamp, reason, sizeof(reason));
    if (length < 0) {
      memset(out, 0, sizeof(*out));
      out->path = pf_xstrdup(task->display_path);
      out->error = pf_xstrdup(reason);
      return;
    }
    pf_lint_crashed(w->linter, length ? w->buffer : "", (size_t)length, task->display_path, task->settings,
                    p->options->crashed[index], out);
    release_large_buffer(w);
    return;
  }
  if (strcmp(task->path, "-") == 0) {
    pf_lint_path(w->linter, task->path, task->display_path, task->settings, out);
    return;
  }
  if (p->options->parse_only) {
    parse_only(w, task, out);
    return;
  }
  uint64_t hash = cache ? settings_hash(w, task->settings) : 0;
  if (cache && pf_cache_lookup(cache, binding->index, binding->file, task->display_path, hash,
                               &p->stamps[index], NULL, out)) {
    recapture(w, task, out, -1);
    release_large_buffer(w);
    return;
  }
  pf_file_stamp stamp = {0};
  char reason[256];
  long long length = read_file(w, task->path, &stamp, reason, sizeof(reason));
  if (length < 0) {
    memset(out, 0, sizeof(*out));
    out->path = pf_xstrdup(task->display_path);
    out->error = pf_xstrdup(reason);
    if (cache)
      pf_cache_store(cache, binding->index, binding->file, task->display_path, hash, &stamp, NULL, out);
    return;
  }
  pf_digest digest = {0, 0};
  if (cache) {
    digest = pf_digest_of(w->buffer, (size_t)length);
    if (pf_cache_lookup(cache, binding->index, binding->file, task->display_path, hash, &stamp, &digest,
                        out)) {
      recapture(w, task, out, length);
      release_large_buffer(w);
      return;
    }
  }
  pf_lint_bytes(w->linter, w->buffer, (size_t)length, task->display_path, task->settings, out);
  release_large_buffer(w);
  if (cache)
    pf_cache_store(cache, binding->index, binding->file, task->display_path, hash, &stamp, &digest, out);
}

static void *work(void *argument) {
  worker *w = argument;
  pool *p = w->pool;
  if (p->options->parse_only) {
    w->linter = pf_linter_new(); /* for files that crashed an earlier attempt */
    w->parser = pf_python_parser_new();
  } else {
    w->linter = pf_linter_new();
    pf_linter_set_capture(w->linter, p->options->capture);
  }
  for (;;) {
    size_t position = atomic_fetch_add(&p->next, 1);
    if (position >= p->count)
      break;
    size_t index = p->order[position];
    if (p->options->in_progress)
      atomic_store_explicit(&p->options->in_progress[w->id], index + 1, memory_order_relaxed);
    lint_one(w, index);
    if (p->options->in_progress)
      atomic_store_explicit(&p->options->in_progress[w->id], 0, memory_order_relaxed);
  }
  pf_linter_free(w->linter);
  if (w->parser)
    ts_parser_delete(w->parser);
  free(w->buffer);
  return NULL;
}

typedef struct sized_index {
  uint64_t size;
  size_t index;
} sized_index;

static int larger_first(const void *left_pointer, const void *right_pointer) {
  const sized_index *left = left_pointer, *right = right_pointer;
  if (left->size != right->size)
    return left->size > right->size ? -1 : 1;
  return left->index < right->index ? -1 : left->index > right->index;
}

void pf_pool_lint(const pf_lint_task *tasks, size_t count, const pf_pool_options *options,
                  pf_file_result *results) {
  pool p = {tasks, count, options, results, NULL, NULL, 0};
  p.stamps = pf_xcalloc(count ? count : 1, sizeof(pf_file_stamp));
  p.order = pf_xcalloc(count ? count : 1, sizeof(size_t));
  sized_index *sizes = pf_xcalloc(count ? count : 1, sizeof(sized_index));
  for (size_t i = 0; i < count; i++) {
    struct stat st;
    if (strcmp(tasks[i].path, "-") != 0 && stat(tasks[i].path, &st) == 0)
      p.stamps[i] = pf_file_stamp_of(&st);
    sizes[i].size = p.stamps[i].size;
    sizes[i].index = i;
  }
  qsort(sizes, count, sizeof(sized_index), larger_first);
  for (size_t i = 0; i < count; i++)
    p.order[i] = sizes[i].index;
  free(sizes);
  atomic_init(&p.next, 0);

  unsigned threads = options->threads ? options->threads : 1;
  if (threads > count)
    threads = count ? (unsigned)count : 1;
  worker *workers = pf_xcalloc(threads, sizeof(worker));
  pthread_t *handles = pf_xcalloc(threads, sizeof(pthread_t));
  unsigned started = 0;
  for (unsigned t = 1; t < threads; t++) {
    workers[t].pool = &p;
    workers[t].id = t;
    if (pthread_create(&handles[t], NULL, work, &workers[t]) != 0)
      break; /* fewer threads: the ones running take the remaining files */
    started = t;
  }
  workers[0].pool = &p;
  work(&workers[0]);
  for (unsigned t = 1; t <= started; t++)
    pthread_join(handles[t], NULL);
  free(handles);
  free(workers);
  free(p.order);
  free(p.stamps);
}
