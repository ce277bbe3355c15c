/*
 * cache.c: the results cache (see cache.h): its file format, lookups, and atomic saves.
 *
 * File layout (all integers little-endian):
 *
 *   header   magic "PFCACHE\0", u32 format, u32 zero, u64 engine hash, u64 record count,
 *            u64 payload length, u64 XXH3-64 of the payload
 *   payload  records, one per key:
 *            u32 record length (these four bytes included), the record header
 *            (codec_record_header), the key, the findings (codec_findings)
 *
 * A key is the file's path relative to the cache's root (absolute when the file lies outside
 * it), a NUL, and the path the rules saw when that differs (empty when it is the same): PF002
 * reads a module's name from the path as given, so `models.py` and `app/models.py` may have
 * different findings. Relative keys keep a cache valid in a clone elsewhere.
 *
 * The whole file is read into memory at start (it is small: about 100 bytes per file plus
 * the findings), checked, and indexed by path in an open-addressing table that worker
 * threads then only read. Each file of the run has a slot that only its worker writes; the
 * save walks the slots in order, then carries over the old records no slot claimed.
 */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#include "arena.h"
#include "paths.h"
#include "registry.h"
#include "rule.h"
#include "strmap.h"

#define CACHE_FILE_NAME "results.cache"
#define CACHE_TEMP_PREFIX ".results.cache."
#define CACHE_FORMAT 2u
#define HEADER_SIZE 48u
#define MAX_CACHE_FILE ((size_t)1 << 30)
#define PRUNE_AFTER_SECONDS (7 * 24 * 3600) /* an entry no run used for a week is dropped */
#define REFRESH_AFTER_SECONDS (12 * 3600)   /* last_used is rewritten at most this often */
#define RACY_SECONDS 2                      /* younger mtimes are not trusted as stamps */
#define STALE_TEMP_SECONDS 3600             /* temporary files of runs that died are removed */
#define RECORD_STAMPED 1u                   /* header flag: the stamp may be trusted */
#define NULL_STRING 0xFFFFFFFFu

static const unsigned char cache_magic[8] = {'P', 'F', 'C', 'A', 'C', 'H', 'E', '\0'};

/* ---- the codec: one function per structure, run both to write and to read ---------------- */

typedef struct codec {
  int writing;
  unsigned char *data; /* writing: the growing buffer */
  size_t length, capacity;
  const unsigned char *cursor, *end; /* reading */
  int failed;                        /* reading ran out of bytes or met a malformed value */
} codec;

static void put_bytes(codec *c, const void *bytes, size_t count) {
  pf_grow((void **)&c->data, &c->capacity, c->length + count, 1);
  memcpy(c->data + c->length, bytes, count);
  c->length += count;
}

static int take_bytes(codec *c, size_t count, const unsigned char **bytes) {
  if (c->failed || (size_t)(c->end - c->cursor) < count) {
    c->failed = 1;
    return 0;
  }
  *bytes = c->cursor;
  c->cursor += count;
  return 1;
}

static void codec_u64(codec *c, uint64_t *value) {
  unsigned char bytes[8];
  const unsigned char *in;
  if (c->writing) {
    for (int i = 0; i < 8; i++)
      bytes[i] = (unsigned char)(*value >> (8 * i));
    put_bytes(c, bytes, 8);
  } else if (take_bytes(c, 8, &in)) {
    uint64_t result = 0;
    for (int i = 0; i < 8; i++)
      result |= (uint64_t)in[i] << (8 * i);
    *value = result;
  } else {
    *value = 0;
  }
}

static void codec_u32(codec *c, uint32_t *value) {
  unsigned char bytes[4];
  const unsigned char *in;
  if (c->writing) {
    for (int i = 0; i < 4; i++)
      bytes[i] = (unsigned char)(*value >> (8 * i));
    put_bytes(c, bytes, 4);
  } else if (take_bytes(c, 4, &in)) {
    *value = (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 24;
  } else {
    *value = 0;
  }
}

static void codec_i64(codec *c, int64_t *value) {
  uint64_t bits = (uint64_t)*value;
  codec_u64(c, &bits);
  *value = (int64_t)bits;
}

static void codec_int(codec *c, int *value) {
  uint32_t bits = (uint32_t)*value;
  codec_u32(c, &bits);
  *value = (int)(int32_t)bits;
}

static void codec_severity(codec *c, pf_severity *severity) {
  uint32_t bits = (uint32_t)*severity;
  codec_u32(c, &bits);
  if (!c->writing && bits != PF_SEVERITY_WARNING && bits != PF_SEVERITY_ERROR)
    c->failed = 1;
  *severity = bits == PF_SEVERITY_ERROR ? PF_SEVERITY_ERROR : PF_SEVERITY_WARNING;
}

static void codec_position(codec *c, pf_position *position) {
  codec_u32(c, &position->row);
  codec_u32(c, &position->column);
}

/* A heap string (NULL allowed); reading allocates. */
static void codec_string(codec *c, char **text) {
  uint32_t length = c->writing ? (*text ? (uint32_t)strlen(*text) : NULL_STRING) : 0;
  codec_u32(c, &length);
  if (c->writing) {
    if (*text)
      put_bytes(c, *text, length);
    return;
  }
  *text = NULL;
  const unsigned char *bytes;
  if (length == NULL_STRING || !take_bytes(c, length, &bytes))
    return;
  if (memchr(bytes, '\0', length)) {
    c->failed = 1;
    return;
  }
  *text = pf_xstrndup((const char *)bytes, length);
}

/* A rule, stored by its code; reading fails on a code this build does not know. */
static void codec_rule(codec *c, const pf_rule **rule) {
  char code[32] = "";
  if (c->writing) {
    char *text = (char *)(*rule)->code;
    codec_string(c, &text);
    return;
  }
  uint32_t length = 0;
  const unsigned char *bytes;
  codec_u32(c, &length);
  if (length >= sizeof(code) || !take_bytes(c, length, &bytes)) {
    c->failed = 1;
    *rule = NULL;
    return;
  }
  memcpy(code, bytes, length);
  *rule = pf_rule_find(code, NULL);
  if (!*rule)
    c->failed = 1;
}

/* Every field of a pf_diagnostic that a reporter reads, in one place. The same function writes
 * and reads a record, so a field added to pf_diagnostic (a source excerpt for a `full` format,
 * a fix, ...) needs one line here and nothing else: the engine hash covers the binary, so no
 * build ever reads records written by a build with another layout. */
static void codec_diagnostic(codec *c, pf_diagnostic *d) {
  codec_rule(c, &d->rule);
  codec_severity(c, &d->severity);
  codec_u32(c, &d->start_byte);
  codec_u32(c, &d->end_byte);
  codec_position(c, &d->start);
  codec_position(c, &d->end);
  codec_u32(c, &d->noqa_row);
  codec_string(c, &d->message);
  codec_int(c, &d->has_related);
  codec_u32(c, &d->related_start_byte);
  codec_u32(c, &d->related_end_byte);
  codec_position(c, &d->related_start);
  codec_position(c, &d->related_end);
  codec_string(c, &d->related_message);
}

/* The smallest encoded diagnostic: a guard against a count that promises more than is there. */
#define MIN_DIAGNOSTIC_BYTES 72u

/* What a file produced, apart from its path and I/O error (never cached). */
static void codec_findings(codec *c, pf_file_result *result) {
  codec_string(c, &result->decode_error);
  uint32_t count = (uint32_t)result->diagnostics.count;
  codec_u32(c, &count);
  if (c->writing) {
    for (uint32_t i = 0; i < count; i++)
      codec_diagnostic(c, &result->diagnostics.items[i]);
    return;
  }
  if (c->failed || count > (size_t)(c->end - c->cursor) / MIN_DIAGNOSTIC_BYTES) {
    c->failed = 1;
    return;
  }
  for (uint32_t i = 0; i < count && !c->failed; i++)
    codec_diagnostic(c, pf_diagnostic_list_push(&result->diagnostics));
}

typedef struct record_header {
  uint32_t flags; /* RECORD_STAMPED */
  uint64_t settings_hash;
  pf_file_stamp stamp;
  pf_digest content;
  uint64_t last_used; /* seconds since the epoch */
} record_header;

static void codec_record_header(codec *c, record_header *header) {
  codec_u32(c, &header->flags);
  codec_u64(c, &header->settings_hash);
  codec_u64(c, &header->stamp.device);
  codec_u64(c, &header->stamp.inode);
  codec_u64(c, &header->stamp.size);
  codec_i64(c, &header->stamp.mtime_seconds);
  codec_u32(c, &header->stamp.mtime_nanoseconds);
  codec_u64(c, &header->content.low);
  codec_u64(c, &header->content.high);
  codec_u64(c, &header->last_used);
  header->stamp.valid = (header->flags & RECORD_STAMPED) != 0;
}

void pf_cache_encode_findings(const pf_file_result *result, unsigned char **data, size_t *length) {
  codec c = {.writing = 1};
  codec_findings(&c, (pf_file_result *)result); /* writing reads through the pointer only */
  *data = c.data;
  *length = c.length;
}

int pf_cache_decode_findings(const unsigned char *data, size_t length, pf_file_result *out) {
  codec c = {.cursor = data, .end = data + length};
  codec_findings(&c, out);
  if (c.failed || c.cursor != c.end) {
    pf_diagnostic_list_free(&out->diagnostics);
    free(out->decode_error);
    out->decode_error = NULL;
    return 0;
  }
  return 1;
}

/* ---- the cache ---------------------------------------------------------------------------- */

typedef struct entry {
  record_header header;
  const char *path; /* the key, into the loaded file: file path, NUL, display path or nothing */
  uint32_t path_length;
  const unsigned char *findings;
  size_t findings_length;
  const unsigned char *record; /* the whole record, for carrying it over unchanged */
  size_t record_length;
} entry;

typedef enum slot_outcome {
  SLOT_NONE,        /* not looked up (stdin), or a miss not followed by a store */
  SLOT_HIT_STAT,    /* reused: the stamp matched */
  SLOT_HIT_CONTENT, /* reused: the content hash matched; the header has the new stamp */
  SLOT_STORED,      /* linted: `record` is the new record */
  SLOT_DROPPED,     /* the file could not be read: its old entry goes */
} slot_outcome;

typedef struct slot {
  slot_outcome outcome;
  const entry *old; /* the loaded entry for this file's path, if any */
  record_header header;
  int header_changed;
  unsigned char *record;
  size_t record_length;
} slot;

struct pf_cache {
  char *directory;
  char *root; /* what relative keys are relative to */
  char *file_path;
  uint64_t engine_hash;
  int64_t now;          /* seconds since the epoch, when the run started */
  unsigned char *bytes; /* the loaded file */
  size_t byte_count;
  entry *entries;
  size_t entry_count;
  uint32_t *table; /* entry index + 1, 0 for empty; size table_mask + 1 */
  size_t table_mask;
  slot *slots;
  size_t slot_count;
  pf_cache_stats stats;
};

pf_file_stamp pf_file_stamp_of(const struct stat *st) {
  pf_file_stamp stamp = {0};
  stamp.device = (uint64_t)st->st_dev;
  stamp.inode = (uint64_t)st->st_ino;
  stamp.size = (uint64_t)st->st_size;
  stamp.mtime_seconds = (int64_t)st->st_mtim.tv_sec;
  stamp.mtime_nanoseconds = (uint32_t)st->st_mtim.tv_nsec;
  stamp.valid = 1;
  return stamp;
}

pf_digest pf_digest_of(const void *bytes, size_t length) {
  XXH128_hash_t hash = XXH3_128bits(bytes, length);
  pf_digest digest = {hash.low64, hash.high64};
  return digest;
}

static int stamps_equal(const pf_file_stamp *left, const pf_file_stamp *right) {
  return left->valid && right->valid && left->device == right->device && left->inode == right->inode &&
         left->size == right->size && left->mtime_seconds == right->mtime_seconds &&
         left->mtime_nanoseconds == right->mtime_nanoseconds;
}

static char *join(const char *directory, const char *name) {
  size_t length = strlen(directory);
  int slash = length && directory[length - 1] != '/';
  char *joined = pf_xmalloc(length + (size_t)slash + strlen(name) + 1);
  memcpy(joined, directory, length);
  if (slash)
    joined[length] = '/';
  strcpy(joined + length + (size_t)slash, name);
  return joined;
}

static int exists(const char *directory, const char *name) {
  char *path = join(directory, name);
  struct stat st;
  int found = stat(path, &st) == 0;
  free(path);
  return found;
}

int pf_cache_has_project_marker(const char *directory) {
  static const char *const markers[] = {"pyproject.toml", "pitfall.toml", ".pitfall.toml", ".git"};
  for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
    if (exists(directory, markers[i]))
      return 1;
  return 0;
}

char *pf_cache_project_root(const char *cwd) {
  char *root = pf_xstrdup(cwd);
  for (;;) {
    if (pf_cache_has_project_marker(root))
      return root;
    char *slash = strrchr(root, '/');
    if (!slash || slash == root) {
      free(root);
      return pf_xstrdup(cwd); /* no marker up to `/`: the working directory */
    }
    *slash = '\0';
  }
}

char *pf_cache_join(const char *directory, const char *name) { return join(directory, name); }

/* A hash of everything besides a file and its settings that decides its findings: the cache
 * format, the version, the rule table, and the bytes of the running binary (so a rebuild
 * with a changed rule never serves findings of the old one). */
static uint64_t engine_hash(void) {
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  uint32_t format = CACHE_FORMAT;
  XXH3_64bits_update(&state, &format, sizeof(format));
  XXH3_64bits_update(&state, PITFALL_VERSION, sizeof(PITFALL_VERSION));
  for (size_t i = 0; i < pf_rule_count; i++) {
    const pf_rule *rule = pf_rules[i];
    XXH3_64bits_update(&state, rule->code, strlen(rule->code) + 1);
    XXH3_64bits_update(&state, rule->name, strlen(rule->name) + 1);
    uint32_t severity = (uint32_t)rule->severity;
    XXH3_64bits_update(&state, &severity, sizeof(severity));
  }
  int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    unsigned char buffer[1 << 16];
    ssize_t got;
    while ((got = read(fd, buffer, sizeof(buffer))) > 0)
      XXH3_64bits_update(&state, buffer, (size_t)got);
    close(fd);
  }
  return XXH3_64bits_digest(&state);
}

/* Reads all of `path` into a malloc'd buffer; 0 when it is missing, unreadable or too large. */
static int read_file(const char *path, unsigned char **bytes, size_t *count) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > MAX_CACHE_FILE) {
    close(fd);
    return 0;
  }
  size_t size = (size_t)st.st_size, used = 0;
  unsigned char *buffer = pf_xmalloc(size ? size : 1);
  while (used < size) {
    ssize_t got = read(fd, buffer + used, size - used);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    used += (size_t)got;
  }
  close(fd);
  *bytes = buffer;
  *count = used; /* a file that shrank meanwhile fails the length check */
  return 1;
}

static uint64_t path_hash(const char *path, size_t length) { return XXH3_64bits(path, length); }

static const entry *find_entry(const pf_cache *cache, const char *path, size_t length) {
  if (!cache->entry_count)
    return NULL;
  for (size_t at = path_hash(path, length) & cache->table_mask;; at = (at + 1) & cache->table_mask) {
    uint32_t index = cache->table[at];
    if (!index)
      return NULL;
    const entry *candidate = &cache->entries[index - 1];
    if (candidate->path_length == length && memcmp(candidate->path, path, length) == 0)
      return candidate;
  }
}

/* Inserts entry `index` unless its path is already there (a duplicate, which is ignored). */
static int insert_entry(pf_cache *cache, size_t index) {
  const entry *added = &cache->entries[index];
  for (size_t at = path_hash(added->path, added->path_length) & cache->table_mask;;
       at = (at + 1) & cache->table_mask) {
    uint32_t existing = cache->table[at];
    if (!existing) {
      cache->table[at] = (uint32_t)index + 1;
      return 1;
    }
    const entry *other = &cache->entries[existing - 1];
    if (other->path_length == added->path_length && memcmp(other->path, added->path, added->path_length) == 0)
      return 0;
  }
}

static void discard_loaded(pf_cache *cache) {
  free(cache->entries);
  free(cache->table);
  free(cache->bytes);
  cache->entries = NULL;
  cache->table = NULL;
  cache->bytes = NULL;
  cache->entry_count = 0;
  cache->byte_count = 0;
}

/* Checks the loaded file and indexes its records. Returns 0 when it must not be trusted. */
static int parse_loaded(pf_cache *cache) {
  if (cache->byte_count < HEADER_SIZE || memcmp(cache->bytes, cache_magic, sizeof(cache_magic)) != 0)
    return 0;
  codec c = {.cursor = cache->bytes + sizeof(cache_magic), .end = cache->bytes + HEADER_SIZE};
  uint32_t format = 0, zero = 1;
  uint64_t engine = 0, count = 0, payload_length = 0, checksum = 0;
  codec_u32(&c, &format);
  codec_u32(&c, &zero);
  codec_u64(&c, &engine);
  codec_u64(&c, &count);
  codec_u64(&c, &payload_length);
  codec_u64(&c, &checksum);
  const unsigned char *payload = cache->bytes + HEADER_SIZE;
  size_t available = cache->byte_count - HEADER_SIZE;
  if (c.failed || format != CACHE_FORMAT || zero != 0 || engine != cache->engine_hash ||
      payload_length != available || XXH3_64bits(payload, available) != checksum || count > available / 16)
    return 0;
  cache->entries = pf_xcalloc(count ? count : 1, sizeof(entry));
  size_t table_size = 16;
  while (table_size < count * 2)
    table_size *= 2;
  cache->table = pf_xcalloc(table_size, sizeof(uint32_t));
  cache->table_mask = table_size - 1;
  c.cursor = payload;
  c.end = payload + available;
  for (uint64_t i = 0; i < count; i++) {
    const unsigned char *start = c.cursor;
    uint32_t record_length = 0, path_length = 0;
    codec_u32(&c, &record_length);
    if (c.failed || record_length < 4 || record_length - 4 > (size_t)(c.end - c.cursor))
      return 0;
    codec record = {.cursor = c.cursor, .end = start + record_length};
    entry *added = &cache->entries[cache->entry_count];
    codec_record_header(&record, &added->header);
    codec_u32(&record, &path_length);
    const unsigned char *path;
    /* a key: a file path (not empty), one NUL, the display path (no NUL) */
    const unsigned char *nul = NULL;
    if (!take_bytes(&record, path_length, &path) || path_length < 2 || path[0] == '\0' ||
        !(nul = memchr(path, '\0', path_length)) ||
        memchr(nul + 1, '\0', path_length - (size_t)(nul + 1 - path)))
      return 0;
    added->path = (const char *)path;
    added->path_length = path_length;
    added->findings = record.cursor;
    added->findings_length = (size_t)(record.end - record.cursor);
    added->record = start;
    added->record_length = record_length;
    if (insert_entry(cache, cache->entry_count))
      cache->entry_count++;
    c.cursor = start + record_length;
  }
  return c.cursor == c.end;
}

pf_cache *pf_cache_open(const char *directory, const char *root, size_t file_count) {
  pf_cache *cache = pf_xcalloc(1, sizeof(pf_cache));
  cache->directory = pf_xstrdup(directory);
  cache->root = pf_xstrdup(root);
  cache->file_path = join(directory, CACHE_FILE_NAME);
  cache->engine_hash = engine_hash();
  cache->now = (int64_t)time(NULL);
  cache->slots = pf_xcalloc(file_count ? file_count : 1, sizeof(slot));
  cache->slot_count = file_count;
  if (read_file(cache->file_path, &cache->bytes, &cache->byte_count)) {
    if (parse_loaded(cache))
      cache->stats.loaded = 1;
    else
      discard_loaded(cache);
  }
  return cache;
}

/* Whether a stamp taken now may be trusted by a later run: an mtime in the last couple of
 * seconds could be followed by another write that leaves size and mtime unchanged. */
static int stamp_is_settled(const pf_cache *cache, const pf_file_stamp *stamp) {
  return stamp->valid && stamp->mtime_seconds + RACY_SECONDS <= cache->now;
}

/* The key of `file` shown as `display`: "file\0display", or "file\0" when they are the same. */
static char *make_key(const char *file, const char *display, size_t *length) {
  size_t file_length = strlen(file), display_length = strcmp(file, display) == 0 ? 0 : strlen(display);
  char *key = pf_xmalloc(file_length + display_length + 2);
  memcpy(key, file, file_length + 1);
  memcpy(key + file_length + 1, display, display_length);
  key[file_length + 1 + display_length] = '\0';
  *length = file_length + 1 + display_length;
  return key;
}

int pf_cache_lookup(pf_cache *cache, size_t index, const char *file, const char *display,
                    uint64_t settings_hash, const pf_file_stamp *stamp, const pf_digest *content,
                    pf_file_result *out) {
  slot *s = &cache->slots[index];
  size_t key_length;
  char *key = make_key(file, display, &key_length);
  const entry *old = find_entry(cache, key, key_length);
  free(key);
  s->old = old;
  if (!old || old->header.settings_hash != settings_hash)
    return 0;
  if (content) {
    if (old->header.content.low != content->low || old->header.content.high != content->high)
      return 0;
  } else if (!old->header.stamp.valid || !stamps_equal(&old->header.stamp, stamp)) {
    return 0;
  }
  memset(out, 0, sizeof(*out));
  if (!pf_cache_decode_findings(old->findings, old->findings_length, out))
    return 0;
  out->path = pf_xstrdup(display);
  s->header = old->header;
  if (content) {
    s->outcome = SLOT_HIT_CONTENT;
    s->header.stamp = *stamp;
    s->header.flags = stamp_is_settled(cache, stamp) ? RECORD_STAMPED : 0;
    s->header.stamp.valid = s->header.flags != 0;
    s->header_changed = 1;
  } else {
    s->outcome = SLOT_HIT_STAT;
  }
  if (cache->now - (int64_t)s->header.last_used > REFRESH_AFTER_SECONDS ||
      (int64_t)s->header.last_used > cache->now) {
    s->header.last_used = (uint64_t)cache->now;
    s->header_changed = 1;
  }
  return 1;
}

static void encode_record(codec *c, record_header *header, const char *path, size_t path_length,
                          const unsigned char *findings, size_t findings_length,
                          const pf_file_result *result) {
  size_t start = c->length;
  uint32_t record_length = 0, length = (uint32_t)path_length;
  codec_u32(c, &record_length);
  codec_record_header(c, header);
  codec_u32(c, &length);
  put_bytes(c, path, path_length);
  if (result)
    codec_findings(c, (pf_file_result *)result);
  else if (findings_length)
    put_bytes(c, findings, findings_length);
  record_length = (uint32_t)(c->length - start);
  for (int i = 0; i < 4; i++)
    c->data[start + (size_t)i] = (unsigned char)(record_length >> (8 * i));
}

void pf_cache_store(pf_cache *cache, size_t index, const char *file, const char *display,
                    uint64_t settings_hash, const pf_file_stamp *stamp, const pf_digest *content,
                    const pf_file_result *result) {
  slot *s = &cache->slots[index];
  free(s->record);
  s->record = NULL;
  s->record_length = 0;
  if (result->error || result->incomplete || !*file) {
    s->outcome = s->old ? SLOT_DROPPED : SLOT_NONE;
    return;
  }
  record_header header = {0};
  header.flags = stamp_is_settled(cache, stamp) ? RECORD_STAMPED : 0;
  header.settings_hash = settings_hash;
  header.stamp = *stamp;
  header.content = *content;
  header.last_used = (uint64_t)cache->now;
  codec c = {.writing = 1};
  size_t key_length;
  char *key = make_key(file, display, &key_length);
  encode_record(&c, &header, key, key_length, NULL, 0, result);
  free(key);
  s->record = c.data;
  s->record_length = c.length;
  s->outcome = SLOT_STORED;
}

/* mkdir -p. */
static int make_directories(const char *directory) {
  char *path = pf_xstrdup(directory);
  int status = 0;
  for (char *at = path + 1;; at++) {
    if (*at != '/' && *at != '\0')
      continue;
    char saved = *at;
    *at = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
      status = -1;
      *at = saved;
      break;
    }
    *at = saved;
    if (!saved)
      break;
  }
  free(path);
  struct stat st;
  if (status == 0 && stat(directory, &st) == 0 && !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR; /* a file in its place */
    return -1;
  }
  return status == 0 && stat(directory, &st) == 0 ? 0 : -1;
}

/* Writes `length` bytes as `directory/name` through a temporary file and a rename. */
static int write_atomically(const char *directory, const char *name, const void *bytes, size_t length) {
  char *temporary = join(directory, CACHE_TEMP_PREFIX "XXXXXX");
  int fd = mkstemp(temporary);
  if (fd < 0) {
    free(temporary);
    return -1;
  }
  const unsigned char *at = bytes;
  size_t left = length;
  while (left) {
    ssize_t written = write(fd, at, left);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      break;
    at += written;
    left -= (size_t)written;
  }
  char *target = join(directory, name);
  int status = left == 0 && fchmod(fd, 0644) == 0 ? 0 : -1;
  if (close(fd) != 0)
    status = -1;
  if (status == 0 && rename(temporary, target) != 0)
    status = -1;
  if (status != 0)
    unlink(temporary);
  free(target);
  free(temporary);
  return status;
}

static const char cachedir_tag[] =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pitfall.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n";

/* The directory, its .gitignore and CACHEDIR.TAG. */
static int prepare_directory(const char *directory) {
  if (make_directories(directory) != 0)
    return -1;
  if (!exists(directory, ".gitignore") && write_atomically(directory, ".gitignore", "*\n", 2) != 0)
    return -1;
  if (!exists(directory, "CACHEDIR.TAG"))
    write_atomically(directory, "CACHEDIR.TAG", cachedir_tag, sizeof(cachedir_tag) - 1);
  return 0;
}

/* Removes temporary files that runs which died before their rename left behind. */
static void remove_stale_temporaries(const pf_cache *cache) {
  DIR *dir = opendir(cache->directory);
  if (!dir)
    return;
  struct dirent *item;
  while ((item = readdir(dir))) {
    if (strncmp(item->d_name, CACHE_TEMP_PREFIX, strlen(CACHE_TEMP_PREFIX)) != 0)
      continue;
    char *path = join(cache->directory, item->d_name);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        (int64_t)st.st_mtime + STALE_TEMP_SECONDS < cache->now)
      unlink(path);
    free(path);
  }
  closedir(dir);
}

/* Whether an old entry that no file of this run claimed is kept. */
static int keep_unclaimed(const pf_cache *cache, const entry *old) {
  if ((int64_t)old->header.last_used + PRUNE_AFTER_SECONDS < cache->now)
    return 0;
  /* the key's file part: relative to the root, or absolute */
  char *path = old->path[0] == '/' ? pf_xstrdup(old->path) : join(cache->root, old->path);
  struct stat st;
  int gone = lstat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
  free(path);
  return !gone;
}

static void set_error(char *error, size_t error_size, const char *what, const char *path) {
  if (error && error_size)
    snprintf(error, error_size, "%s %s: %s", what, path, strerror(errno));
}

int pf_cache_save(pf_cache *cache, char *error, size_t error_size) {
  if (error && error_size)
    error[0] = '\0';
  unsigned char *claimed = pf_xcalloc(cache->entry_count ? cache->entry_count : 1, 1);
  int changed = !cache->stats.loaded;
  size_t records = 0;
  for (size_t i = 0; i < cache->slot_count; i++) {
    const slot *s = &cache->slots[i];
    if (s->old)
      claimed[s->old - cache->entries] = 1;
    if (s->outcome == SLOT_STORED || s->outcome == SLOT_DROPPED || s->header_changed ||
        (s->old && s->outcome == SLOT_NONE))
      changed = 1;
  }
  /* Old entries that no file of this run claimed: kept unless unused for a week or gone. */
  unsigned char *keep = pf_xcalloc(cache->entry_count ? cache->entry_count : 1, 1);
  for (size_t i = 0; i < cache->entry_count; i++) {
    if (claimed[i])
      continue;
    keep[i] = (unsigned char)keep_unclaimed(cache, &cache->entries[i]);
    if (!keep[i]) {
      cache->stats.pruned++;
      changed = 1;
    }
  }
  int status = 0;
  if (changed) {
    codec c = {.writing = 1};
    unsigned char header[HEADER_SIZE] = {0};
    put_bytes(&c, header, sizeof(header));
    for (size_t i = 0; i < cache->slot_count; i++) {
      slot *s = &cache->slots[i];
      if (s->outcome == SLOT_STORED) {
        put_bytes(&c, s->record, s->record_length);
        records++;
      } else if (s->outcome == SLOT_HIT_STAT || s->outcome == SLOT_HIT_CONTENT) {
        encode_record(&c, &s->header, s->old->path, s->old->path_length, s->old->findings,
                      s->old->findings_length, NULL);
        records++;
      }
    }
    for (size_t i = 0; i < cache->entry_count; i++) {
      if (!claimed[i] && keep[i]) {
        put_bytes(&c, cache->entries[i].record, cache->entries[i].record_length);
        records++;
      }
    }
    uint32_t format = CACHE_FORMAT, zero = 0;
    uint64_t count = records, payload_length = c.length - HEADER_SIZE;
    uint64_t checksum = XXH3_64bits(c.data + HEADER_SIZE, payload_length);
    codec head = {.writing = 1};
    put_bytes(&head, cache_magic, sizeof(cache_magic));
    codec_u32(&head, &format);
    codec_u32(&head, &zero);
    codec_u64(&head, &cache->engine_hash);
    codec_u64(&head, &count);
    codec_u64(&head, &payload_length);
    codec_u64(&head, &checksum);
    memcpy(c.data, head.data, HEADER_SIZE);
    free(head.data);
    if (prepare_directory(cache->directory) != 0) {
      set_error(error, error_size, "cannot create the cache directory", cache->directory);
      status = -1;
    } else if (write_atomically(cache->directory, CACHE_FILE_NAME, c.data, c.length) != 0) {
      set_error(error, error_size, "cannot write", cache->file_path);
      status = -1;
    } else {
      cache->stats.saved = 1;
      remove_stale_temporaries(cache);
    }
    free(c.data);
  }
  free(claimed);
  free(keep);
  return status;
}

pf_cache_stats pf_cache_get_stats(const pf_cache *cache) {
  pf_cache_stats stats = cache->stats;
  for (size_t i = 0; i < cache->slot_count; i++) {
    slot_outcome outcome = cache->slots[i].outcome;
    stats.hits_by_stat += outcome == SLOT_HIT_STAT;
    stats.hits_by_content += outcome == SLOT_HIT_CONTENT;
    stats.misses += outcome == SLOT_STORED;
  }
  return stats;
}

void pf_cache_close(pf_cache *cache) {
  if (!cache)
    return;
  for (size_t i = 0; i < cache->slot_count; i++)
    free(cache->slots[i].record);
  free(cache->slots);
  discard_loaded(cache);
  free(cache->directory);
  free(cache->root);
  free(cache->file_path);
  free(cache);
}

void pf_cache_finish(pf_cache *cache, FILE *verbose, FILE *warnings) {
  if (!cache)
    return;
  char error[1024];
  int status = pf_cache_save(cache, error, sizeof(error));
  if (verbose) {
    pf_cache_stats stats = pf_cache_get_stats(cache);
    fprintf(verbose,
            "pitfall: cache: %zu hits (%zu by stat, %zu by content), %zu misses, %zu pruned, %s; %s\n",
            stats.hits_by_stat + stats.hits_by_content, stats.hits_by_stat, stats.hits_by_content,
            stats.misses, stats.pruned,
            stats.saved   ? "saved"
            : status == 0 ? "unchanged"
                          : "not saved",
            cache->directory);
  }
  if (status != 0 && warnings)
    fprintf(warnings, "pitfall: warning: cache not saved (the next run is not faster): %s\n", error);
  pf_cache_close(cache);
}

/* ---- the caches of one run ---------------------------------------------------------------- */

typedef struct cache_place {
  char *directory;
  char *root;
  size_t file_count;
  pf_cache *cache; /* open: between pf_cache_set_open and pf_cache_set_finish */
} cache_place;

struct pf_cache_set {
  char *override;   /* --cache-dir or PITFALL_CACHE_DIR, or NULL */
  char *cwd_root;   /* the working directory's project root */
  pf_strmap places; /* cache directory -> place number + 1 */
  cache_place *place_list;
  size_t place_count, place_capacity;
  pf_strmap roots;  /* directory -> its project root (malloc'd), or NULL: none above it */
  size_t *place_of; /* per file: place number + 1, 0 when not cached */
  pf_cache_binding *bindings;
  char **files; /* per file: its key path */
  size_t file_count;
};

pf_cache_set *pf_cache_set_new(const char *option_directory, const char *cwd, size_t file_count) {
  pf_cache_set *set = pf_xcalloc(1, sizeof(pf_cache_set));
  const char *environment = getenv("PITFALL_CACHE_DIR");
  if (option_directory && *option_directory)
    set->override = pf_xstrdup(option_directory);
  else if (environment && *environment)
    set->override = pf_xstrdup(environment);
  set->cwd_root = pf_cache_project_root(cwd);
  set->file_count = file_count;
  set->place_of = pf_xcalloc(file_count ? file_count : 1, sizeof(size_t));
  set->bindings = pf_xcalloc(file_count ? file_count : 1, sizeof(pf_cache_binding));
  set->files = pf_xcalloc(file_count ? file_count : 1, sizeof(char *));
  return set;
}

/* The closest ancestor of normalized absolute directory `directory` (itself included) that
 * holds a project marker, or NULL; remembered per directory. */
static const char *marked_root(pf_cache_set *set, const char *directory) {
  void *known = NULL;
  if (pf_strmap_get(&set->roots, directory, &known))
    return known;
  const char *root = NULL;
  if (pf_cache_has_project_marker(directory)) {
    root = directory;
  } else {
    size_t parent_length = pf_path_parent_length(directory);
    if (parent_length) {
      char *parent = pf_xstrndup(directory, parent_length);
      root = marked_root(set, parent);
      free(parent);
    }
  }
  char *copy = root ? pf_xstrdup(root) : NULL;
  pf_strmap_put(&set->roots, directory, copy);
  return copy;
}

void pf_cache_set_bind(pf_cache_set *set, size_t index, const char *absolute, const char *config_directory) {
  const char *root = set->override ? set->cwd_root : config_directory;
  if (!root) {
    size_t parent_length = pf_path_parent_length(absolute);
    char *parent = pf_xstrndup(absolute, parent_length ? parent_length : 1);
    root = marked_root(set, parent);
    free(parent);
  }
  if (!root)
    root = set->cwd_root;
  char *directory = set->override ? pf_xstrdup(set->override) : join(root, ".pitfall_cache");
  void *known = NULL;
  size_t place;
  if (pf_strmap_get(&set->places, directory, &known)) {
    place = (size_t)(uintptr_t)known - 1;
  } else {
    pf_grow((void **)&set->place_list, &set->place_capacity, set->place_count + 1, sizeof(cache_place));
    place = set->place_count++;
    set->place_list[place] = (cache_place){pf_xstrdup(directory), pf_xstrdup(root), 0, NULL};
    pf_strmap_put(&set->places, directory, (void *)(uintptr_t)(place + 1));
  }
  free(directory);
  cache_place *p = &set->place_list[place];
  set->place_of[index] = place + 1;
  set->bindings[index].index = p->file_count++;
  free(set->files[index]);
  set->files[index] = pf_path_display(absolute, p->root);
}

static int compare_places(const void *left, const void *right) {
  return strcmp(((const cache_place *)left)->directory, ((const cache_place *)right)->directory);
}

void pf_cache_set_open(pf_cache_set *set) {
  if (set->place_count > 1) {
    /* in the order of their directories, for the statistics lines; renumber the files */
    size_t *renumber = pf_xcalloc(set->place_count, sizeof(size_t));
    for (size_t i = 0; i < set->place_count; i++)
      set->place_list[i].file_count = i; /* the old number, carried through the sort */
    qsort(set->place_list, set->place_count, sizeof(cache_place), compare_places);
    for (size_t i = 0; i < set->place_count; i++) {
      renumber[set->place_list[i].file_count] = i;
      set->place_list[i].file_count = 0;
    }
    for (size_t i = 0; i < set->file_count; i++)
      if (set->place_of[i]) {
        set->place_of[i] = renumber[set->place_of[i] - 1] + 1;
        set->place_list[set->place_of[i] - 1].file_count++;
      }
    free(renumber);
    /* the per-cache indexes stay valid: they only have to be distinct and below the count */
    size_t *next = pf_xcalloc(set->place_count, sizeof(size_t));
    for (size_t i = 0; i < set->file_count; i++)
      if (set->place_of[i])
        set->bindings[i].index = next[set->place_of[i] - 1]++;
    free(next);
    pf_strmap_free(&set->places, NULL);
    memset(&set->places, 0, sizeof(set->places));
    for (size_t i = 0; i < set->place_count; i++)
      pf_strmap_put(&set->places, set->place_list[i].directory, (void *)(uintptr_t)(i + 1));
  }
  for (size_t i = 0; i < set->place_count; i++)
    set->place_list[i].cache =
        pf_cache_open(set->place_list[i].directory, set->place_list[i].root, set->place_list[i].file_count);
  for (size_t i = 0; i < set->file_count; i++) {
    set->bindings[i].cache = set->place_of[i] ? set->place_list[set->place_of[i] - 1].cache : NULL;
    set->bindings[i].file = set->files[i];
  }
}

const pf_cache_binding *pf_cache_set_bindings(const pf_cache_set *set) { return set->bindings; }

void pf_cache_set_finish(pf_cache_set *set, FILE *verbose, FILE *warnings) {
  if (!set || set->place_count == 0) {
    if (verbose)
      fputs("pitfall: cache: off\n", verbose);
    return;
  }
  for (size_t i = 0; i < set->place_count; i++) {
    pf_cache_finish(set->place_list[i].cache, verbose, warnings);
    set->place_list[i].cache = NULL;
  }
  for (size_t i = 0; i < set->file_count; i++)
    set->bindings[i].cache = NULL;
}

static void free_value(void *value) { free(value); }

void pf_cache_set_free(pf_cache_set *set) {
  if (!set)
    return;
  for (size_t i = 0; i < set->place_count; i++) {
    pf_cache_close(set->place_list[i].cache);
    free(set->place_list[i].directory);
    free(set->place_list[i].root);
  }
  free(set->place_list);
  pf_strmap_free(&set->places, NULL);
  pf_strmap_free(&set->roots, free_value);
  for (size_t i = 0; i < set->file_count; i++)
    free(set->files[i]);
  free(set->files);
  free(set->place_of);
  free(set->bindings);
  free(set->override);
  free(set->cwd_root);
  free(set);
}
