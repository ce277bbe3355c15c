/*
 * cache.h: the per-file results cache, keyed by content, that makes repeated runs cheap.
 *
 * Owns: where each file's cache lives (pf_cache_set, below: beside its configuration, else in
 * its project root), a cache's one file (`DIR/results.cache`, beside a `.gitignore` holding
 * `*` and a CACHEDIR.TAG), reading it, answering lookups from worker threads, and writing it
 * back atomically.
 *
 * One entry per key: the file's path relative to the cache's root and the path rules saw
 * (the display path, on which findings may depend). An entry holds the hash
 * of the settings the file was linted with, the file's stat stamp (device, inode, size,
 * mtime), the XXH3-128 hash of its bytes, when it was last used, and its findings. A stored
 * result is reused when the engine (pitfall version, cache format, rule table, and the
 * binary itself), the settings hash and either
 *   - the stat stamp (the fast path: no read at all), or
 *   - the content hash (after a clone, a checkout or a cache restore changed every mtime)
 * match. A stamp is stored only when the file's mtime is at least two seconds older than the
 * run, so a write in the same clock tick as our read can never be mistaken for no change.
 *
 * Robustness: the file is trusted only when its magic, format, engine hash, length and
 * XXH3-64 checksum all match; anything else (missing, truncated, garbled, another version,
 * another program's file) is an empty cache that the next save replaces, never an error.
 * Saves write a temporary file and rename it over the old one, so concurrent runs never see
 * a partial file: the last one to finish wins. Entries that no run used for a week, and
 * entries whose file is gone, are pruned on save.
 *
 * Threads: after pf_cache_open and until pf_cache_save, pf_cache_lookup and pf_cache_store
 * may be called from any thread, each file index from one thread at a time.
 */
#ifndef PITFALL_CACHE_H
#define PITFALL_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "lint.h"

typedef struct pf_cache pf_cache;

/* What the stat fast path compares. `valid` is 0 when the file could not be stat'ed. */
typedef struct pf_file_stamp {
  uint64_t device, inode, size;
  int64_t mtime_seconds;
  uint32_t mtime_nanoseconds;
  uint32_t valid;
} pf_file_stamp;

typedef struct pf_digest {
  uint64_t low, high;
} pf_digest;

typedef struct pf_cache_stats {
  size_t hits_by_stat;    /* reused without reading the file */
  size_t hits_by_content; /* the stamp differed, the content hash matched */
  size_t misses;          /* linted, and stored */
  size_t pruned;          /* old entries dropped: unused for a week, or their file is gone */
  int loaded;             /* a valid cache file was read */
  int saved;              /* the cache file was rewritten (not needed when nothing changed) */
} pf_cache_stats;

pf_file_stamp pf_file_stamp_of(const struct stat *st);

/* XXH3-128 of a file's bytes. */
pf_digest pf_digest_of(const void *bytes, size_t length);

/* Whether `directory` holds pyproject.toml, pitfall.toml, .pitfall.toml or .git. */
int pf_cache_has_project_marker(const char *directory);

/* The project root of the working directory `cwd` (absolute): its closest ancestor (itself
 * included) that holds a project marker, else `cwd` itself. Returns a malloc'd path. */
char *pf_cache_project_root(const char *cwd);

/* `directory`/`name`, malloc'd. */
char *pf_cache_join(const char *directory, const char *name);

/* Reads the cache in `directory` for a run over `file_count` files (indexes 0..count-1)
 * whose keys are relative to `root` (pf_cache_lookup). Never fails: an unusable cache file
 * reads as an empty cache. */
pf_cache *pf_cache_open(const char *directory, const char *root, size_t file_count);

/* Looks up file `index`: `file` is its path relative to the cache's root (absolute when
 * outside it), `display` the path the rules see and the report shows (findings may depend on
 * it: both make the key), `settings_hash` the hash of the settings it is linted with. With
 * `content` NULL only the stamp is compared; otherwise the content hash is (and `stamp` is
 * the one to store). On a hit, fills `out` (path and findings) and returns 1. */
int pf_cache_lookup(pf_cache *cache, size_t index, const char *file, const char *display,
                    uint64_t settings_hash, const pf_file_stamp *stamp, const pf_digest *content,
                    pf_file_result *out);

/* Records the fresh result of file `index` for the next run. Results with an I/O error are
 * not stored (the file's old entry, if any, is dropped), and neither are incomplete ones (a
 * parse that ran out of its time budget, a file that crashed the parser): whether a parse
 * fits its budget depends on the machine's load, not only on the file, so the next run tries
 * again rather than being made cheaper by repeating a result that checked nothing. */
void pf_cache_store(pf_cache *cache, size_t index, const char *file, const char *display,
                    uint64_t settings_hash, const pf_file_stamp *stamp, const pf_digest *content,
                    const pf_file_result *result);

/* Writes the cache back when anything changed. Returns 0, or -1 with a reason in `error`;
 * a failure only means the next run is not faster. */
int pf_cache_save(pf_cache *cache, char *error, size_t error_size);

/* Saves, prints the statistics line on `verbose` when it is not NULL, and closes. Never
 * fails: a cache that cannot be written is a warning on `warnings` (when not NULL), since it
 * costs the next run time, not correctness; the exit status does not change. */
void pf_cache_finish(pf_cache *cache, FILE *verbose, FILE *warnings);

pf_cache_stats pf_cache_get_stats(const pf_cache *cache);

/* ---- the caches of one run ----
 * Each file is cached in `.pitfall_cache/` beside the configuration that applies to it (the
 * closest one found from its directory up), else in its project root: the closest ancestor
 * of the file holding pyproject.toml, pitfall.toml, .pitfall.toml or .git, else the project
 * root of the working directory (pf_cache_project_root). `--cache-dir` or PITFALL_CACHE_DIR
 * put every file in one cache instead, whose keys are relative to the working directory's
 * project root. A run over two projects so reads and writes two caches. */
typedef struct pf_cache_set pf_cache_set;

/* Where file `index` of the run is cached, for pf_pool_lint: NULL cache for none. */
typedef struct pf_cache_binding {
  pf_cache *cache;
  size_t index;     /* its index in that cache */
  const char *file; /* its path relative to that cache's root (absolute outside it) */
} pf_cache_binding;

/* A set for `file_count` files (none bound yet). `option_directory` is --cache-dir (NULL or
 * empty: none; then PITFALL_CACHE_DIR is read), `cwd` the absolute working directory. */
pf_cache_set *pf_cache_set_new(const char *option_directory, const char *cwd, size_t file_count);

/* Binds file `index`, at normalized absolute path `absolute`, to its cache; `config_directory`
 * is the directory of the configuration file found for it by location (NULL: none, or one
 * imposed by --config, or --isolated). Files not bound (standard input) are not cached. */
void pf_cache_set_bind(pf_cache_set *set, size_t index, const char *absolute, const char *config_directory);

/* Reads every cache the bound files use (in the process that lints). */
void pf_cache_set_open(pf_cache_set *set);

/* Per file: its binding (all NULL before pf_cache_set_open). */
const pf_cache_binding *pf_cache_set_bindings(const pf_cache_set *set);

/* Saves and closes every open cache, printing each one's statistics line on `verbose`, in the
 * order of their directories ("cache: off" when there is none) and a warning on `warnings`
 * for each that could not be saved. The set can be opened again. */
void pf_cache_set_finish(pf_cache_set *set, FILE *verbose, FILE *warnings);

void pf_cache_set_free(pf_cache_set *set);
void pf_cache_close(pf_cache *cache);

/* Exposed for unit tests: serialises a result's findings (every field the reporters use) and
 * reads them back. pf_cache_decode_findings returns 0 on malformed input, leaving `out`
 * without findings. */
void pf_cache_encode_findings(const pf_file_result *result, unsigned char **data, size_t *length);
int pf_cache_decode_findings(const unsigned char *data, size_t length, pf_file_result *out);

#endif
