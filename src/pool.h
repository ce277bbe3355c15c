/*
 * pool.h: linting many files on many threads.
 *
 * Owns: the worker threads (pthreads, one pf_linter and so one tree-sitter parser each), the
 * order files are handed out in (largest first, so that no thread is left with a big file at
 * the end), reading each file once, and asking the cache before linting.
 *
 * Results are written by file index, whatever thread produced them, so the output does not
 * depend on the thread count or on timing. Workers keep nothing of a file once it is done
 * but its findings: no source text, no tree, and the read buffer is reused.
 */
#ifndef PITFALL_POOL_H
#define PITFALL_POOL_H

#include <stdatomic.h>
#include <stddef.h>

#include "cache.h"
#include "lint.h"
#include "settings.h"

typedef struct pf_lint_task {
  const char *path;            /* what to read; "-" reads standard input */
  const char *display_path;    /* shown in output, and what rules see; part of the cache key */
  const pf_settings *settings; /* the effective settings for this file */
} pf_lint_task;

typedef struct pf_pool_options {
  unsigned threads;               /* at least 1 */
  const pf_cache_binding *caches; /* per task: its cache (cache.h); NULL: no cache */
  int parse_only;                 /* read and parse only: the benchmark's floor; results get no findings */
  unsigned capture; /* PF_CAPTURE_* (capture.h): what the output format needs from each source */
  /* The supervisor's (supervisor.h); both NULL when unsupervised. */
  _Atomic size_t *in_progress;  /* per thread: 1 + the index of the file it is on, 0 between files */
  const unsigned char *crashed; /* per file: nonzero (a signal) when it crashed an earlier attempt:
                                 * reported, not linted (pf_lint_crashed) */
} pf_pool_options;

/* The number of online CPUs (at least 1). */
unsigned pf_pool_default_threads(void);

/* Lints `count` tasks into results[0..count-1] (which the caller frees). */
void pf_pool_lint(const pf_lint_task *tasks, size_t count, const pf_pool_options *options,
                  pf_file_result *results);

#endif
