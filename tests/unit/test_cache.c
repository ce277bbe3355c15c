/*
 * test_cache.c: unit tests for src/cache.c and pf_settings_hash (src/settings.c): findings
 * survive the round trip field for field, malformed records are refused, the settings hash
 * sees every field, and a saved cache answers by stamp, by content, and never across settings.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "cache.h"
#include "registry.h"
#include "rule.h"
#include "settings.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pf_diagnostic *add(pf_file_result *result, const char *code, pf_severity severity, uint32_t start,
                          uint32_t end, const char *message) {
  pf_diagnostic *d = pf_diagnostic_list_push(&result->diagnostics);
  d->rule = pf_rule_find(code, NULL);
  d->severity = severity;
  d->start_byte = start;
  d->end_byte = end;
  d->start = (pf_position){start + 1, start + 2};
  d->end = (pf_position){end + 3, end + 4};
  d->noqa_row = start + 7;
  d->message = pf_xstrdup(message);
  return d;
}

/* A result with every field of pf_diagnostic set to something distinct. */
static void sample_result(pf_file_result *result) {
  memset(result, 0, sizeof(*result));
  result->path = pf_xstrdup("pkg/module.py");
  add(result, "PF001", PF_SEVERITY_WARNING, 10, 12, "Mutable default for parameter `x` of `f`");
  pf_diagnostic *related = add(result, "PF001", PF_SEVERITY_ERROR, 40, 47, "with a related place: \xc3\xa9");
  related->has_related = 1;
  related->related_start_byte = 100;
  related->related_end_byte = 108;
  related->related_start = (pf_position){9, 5};
  related->related_end = (pf_position){9, 13};
  related->related_message = pf_xstrdup("the method it shadows");
  pf_diagnostic *no_related_message = add(result, "PF000", PF_SEVERITY_ERROR, 0, 0, "Syntax error");
  no_related_message->has_related = 1; /* related_message NULL */
  result->decode_error = pf_xstrdup("invalid UTF-8 at line 3, column 1 (byte 0xff)");
}

static int same_position(pf_position left, pf_position right) {
  return left.row == right.row && left.column == right.column;
}

static int same_string(const char *left, const char *right) {
  return (!left && !right) || (left && right && strcmp(left, right) == 0);
}

static void check_same_findings(const pf_file_result *expected, const pf_file_result *actual) {
  CHECK(same_string(expected->decode_error, actual->decode_error));
  CHECK_EQ_INT(actual->diagnostics.count, expected->diagnostics.count);
  for (size_t i = 0; i < expected->diagnostics.count && i < actual->diagnostics.count; i++) {
    const pf_diagnostic *e = &expected->diagnostics.items[i], *a = &actual->diagnostics.items[i];
    CHECK(e->rule == a->rule);
    CHECK_EQ_INT(a->severity, e->severity);
    CHECK_EQ_INT(a->start_byte, e->start_byte);
    CHECK_EQ_INT(a->end_byte, e->end_byte);
    CHECK(same_position(a->start, e->start));
    CHECK(same_position(a->end, e->end));
    CHECK_EQ_INT(a->noqa_row, e->noqa_row);
    CHECK(same_string(a->message, e->message));
    CHECK_EQ_INT(a->has_related, e->has_related);
    CHECK_EQ_INT(a->related_start_byte, e->related_start_byte);
    CHECK_EQ_INT(a->related_end_byte, e->related_end_byte);
    CHECK(same_position(a->related_start, e->related_start));
    CHECK(same_position(a->related_end, e->related_end));
    CHECK(same_string(a->related_message, e->related_message));
  }
}

static void test_round_trip(void) {
  pf_file_result result, decoded = {0};
  sample_result(&result);
  unsigned char *data;
  size_t length;
  pf_cache_encode_findings(&result, &data, &length);
  CHECK(pf_cache_decode_findings(data, length, &decoded));
  check_same_findings(&result, &decoded);
  pf_file_result_free(&decoded);

  /* Every truncation is refused, and leaves no findings behind. */
  size_t refused = 0;
  for (size_t cut = 0; cut < length; cut++) {
    pf_file_result partial = {0};
    refused += !pf_cache_decode_findings(data, cut, &partial);
    CHECK(partial.diagnostics.count == 0 && partial.decode_error == NULL);
    pf_file_result_free(&partial);
  }
  CHECK_EQ_INT(refused, length);

  /* Trailing bytes are refused too. */
  unsigned char *longer = malloc(length + 1);
  memcpy(longer, data, length);
  longer[length] = 0;
  pf_file_result extra = {0};
  CHECK(!pf_cache_decode_findings(longer, length + 1, &extra));
  free(longer);

  /* A rule code this build does not know is refused (a record from another rule table). */
  unsigned char *foreign = malloc(length);
  memcpy(foreign, data, length);
  unsigned char *code = memchr(foreign, 'P', length);
  CHECK(code && memcmp(code, "PF001", 5) == 0);
  if (code)
    memcpy(code, "PX999", 5);
  pf_file_result unknown = {0};
  CHECK(!pf_cache_decode_findings(foreign, length, &unknown));
  free(foreign);
  free(data);
  pf_file_result_free(&result);

  /* No findings at all round-trips to no findings. */
  pf_file_result empty = {0}, empty_decoded = {0};
  pf_cache_encode_findings(&empty, &data, &length);
  CHECK(pf_cache_decode_findings(data, length, &empty_decoded));
  CHECK_EQ_INT(empty_decoded.diagnostics.count, 0);
  CHECK(empty_decoded.decode_error == NULL);
  free(data);
}

static void test_settings_hash(void) {
  pf_settings base, other;
  pf_settings_init_default(&base);
  pf_settings_init_default(&other);
  uint64_t hash = pf_settings_hash(&base);
  CHECK(hash == pf_settings_hash(&other));

  other.enabled[0] = 0;
  CHECK(pf_settings_hash(&other) != hash);
  other.enabled[0] = base.enabled[0];
  other.enabled[PF_MAX_RULES - 1] = 1;
  CHECK(pf_settings_hash(&other) != hash);
  other.enabled[PF_MAX_RULES - 1] = base.enabled[PF_MAX_RULES - 1];
  CHECK(pf_settings_hash(&other) == hash);

  other.severity_override[1] = PF_SEVERITY_ERROR;
  uint64_t error_hash = pf_settings_hash(&other);
  CHECK(error_hash != hash);
  other.severity_override[1] = PF_SEVERITY_WARNING;
  CHECK(pf_settings_hash(&other) != hash && pf_settings_hash(&other) != error_hash);
  other.severity_override[1] = 0;
  CHECK(pf_settings_hash(&other) == hash);

  pf_name_list_add(&other.extend_mutable_calls, "mylib.Bag");
  uint64_t mutable_hash = pf_settings_hash(&other);
  CHECK(mutable_hash != hash);
  pf_settings_free(&other);
  pf_settings_init_default(&other);
  pf_name_list_add(&other.extend_immutable_annotations, "mylib.Bag");
  CHECK(pf_settings_hash(&other) != hash && pf_settings_hash(&other) != mutable_hash);
  pf_settings_free(&other);

  /* Names are length-delimited: ["ab", "c"] and ["a", "bc"] differ. */
  pf_settings first, second;
  pf_settings_init_default(&first);
  pf_settings_init_default(&second);
  pf_name_list_add(&first.extend_mutable_calls, "ab");
  pf_name_list_add(&first.extend_mutable_calls, "c");
  pf_name_list_add(&second.extend_mutable_calls, "a");
  pf_name_list_add(&second.extend_mutable_calls, "bc");
  CHECK(pf_settings_hash(&first) != pf_settings_hash(&second));
  pf_settings_free(&first);
  pf_settings_free(&second);
  pf_settings_free(&base);
}

static pf_file_stamp stamp_of(uint64_t inode, uint64_t size, int64_t mtime) {
  pf_file_stamp stamp = {0};
  stamp.device = 1;
  stamp.inode = inode;
  stamp.size = size;
  stamp.mtime_seconds = mtime;
  stamp.mtime_nanoseconds = 5;
  stamp.valid = 1;
  return stamp;
}

static void test_cache_file(void) {
  char directory[] = "/tmp/pitfall-unit-cache-XXXXXX";
  CHECK(mkdtemp(directory) != NULL);
  char cache_directory[128];
  snprintf(cache_directory, sizeof(cache_directory), "%s/nested/cache", directory);
  const char *path = "pkg/module.py"; /* does not exist: pruned once no run claims it */

  pf_file_result result;
  sample_result(&result);
  pf_digest content = pf_digest_of("def f(x=[]): pass\n", 18);
  pf_file_stamp old = stamp_of(7, 18, 1000000000);

  /* A first run stores the result. */
  pf_cache *cache = pf_cache_open(cache_directory, directory, 1);
  pf_file_result out = {0};
  CHECK(!pf_cache_lookup(cache, 0, path, path, 42, &old, NULL, &out));
  pf_cache_store(cache, 0, path, path, 42, &old, &content, &result);
  char error[256];
  CHECK_EQ_INT(pf_cache_save(cache, error, sizeof(error)), 0);
  pf_cache_stats stats = pf_cache_get_stats(cache);
  CHECK(!stats.loaded && stats.saved && stats.misses == 1);
  pf_cache_close(cache);

  /* The directory holds a .gitignore of `*`. */
  char gitignore[256];
  snprintf(gitignore, sizeof(gitignore), "%s/.gitignore", cache_directory);
  FILE *file = fopen(gitignore, "r");
  char line[16] = "";
  CHECK(file && fgets(line, sizeof(line), file));
  CHECK_EQ_STR(line, "*\n");
  if (file)
    fclose(file);

  /* Same stamp: a hit without the content. */
  cache = pf_cache_open(cache_directory, directory, 1);
  CHECK(pf_cache_get_stats(cache).loaded);
  CHECK(pf_cache_lookup(cache, 0, path, path, 42, &old, NULL, &out));
  CHECK_EQ_STR(out.path, path);
  check_same_findings(&result, &out);
  pf_file_result_free(&out);
  stats = pf_cache_get_stats(cache);
  CHECK(stats.hits_by_stat == 1 && stats.misses == 0);
  CHECK_EQ_INT(pf_cache_save(cache, error, sizeof(error)), 0);
  CHECK(!pf_cache_get_stats(cache).saved); /* nothing changed: not rewritten */
  pf_cache_close(cache);

  /* Another settings hash: a miss, by stamp and by content. */
  cache = pf_cache_open(cache_directory, directory, 1);
  CHECK(!pf_cache_lookup(cache, 0, path, path, 43, &old, NULL, &out));
  CHECK(!pf_cache_lookup(cache, 0, path, path, 43, &old, &content, &out));
  /* Another stamp (a checkout touched it), same content: a hit by content. */
  pf_file_stamp touched = stamp_of(8, 18, 1000000100);
  CHECK(!pf_cache_lookup(cache, 0, path, path, 42, &touched, NULL, &out));
  CHECK(pf_cache_lookup(cache, 0, path, path, 42, &touched, &content, &out));
  check_same_findings(&result, &out);
  pf_file_result_free(&out);
  CHECK_EQ_INT(pf_cache_get_stats(cache).hits_by_content, 1);
  CHECK_EQ_INT(pf_cache_save(cache, error, sizeof(error)), 0);
  CHECK(pf_cache_get_stats(cache).saved); /* the new stamp is recorded */
  pf_cache_close(cache);

  /* The new stamp now hits; the old one does not. Other content misses. */
  cache = pf_cache_open(cache_directory, directory, 2);
  CHECK(pf_cache_lookup(cache, 0, path, path, 42, &touched, NULL, &out));
  pf_file_result_free(&out);
  CHECK(!pf_cache_lookup(cache, 1, path, path, 42, &old, NULL, &out));
  pf_digest changed = pf_digest_of("def f(x=()): pass\n", 18);
  CHECK(!pf_cache_lookup(cache, 1, path, path, 42, &old, &changed, &out));
  CHECK(!pf_cache_lookup(cache, 1, "other.py", "other.py", 42, &touched, &content, &out));
  pf_cache_close(cache);

  /* A run that does not check the path, whose file does not exist, prunes its entry. */
  cache = pf_cache_open(cache_directory, directory, 0);
  CHECK_EQ_INT(pf_cache_save(cache, error, sizeof(error)), 0);
  CHECK_EQ_INT(pf_cache_get_stats(cache).pruned, 1);
  pf_cache_close(cache);
  cache = pf_cache_open(cache_directory, directory, 1);
  CHECK(!pf_cache_lookup(cache, 0, path, path, 42, &touched, &content, &out));
  pf_cache_close(cache);

  /* A file that cannot be read drops its entry: results with an error are not stored. */
  cache = pf_cache_open(cache_directory, directory, 1);
  pf_cache_store(cache, 0, path, path, 42, &old, &content, &result);
  CHECK_EQ_INT(pf_cache_save(cache, error, sizeof(error)), 0);
  pf_cache_close(cache);
  cache = pf_cache_open(cache_directory, directory, 1);
  pf_file_stamp moved = stamp_of(9, 1, 1);
  CHECK(!pf_cache_lookup(cache, 0, path, path, 42, &moved, NULL, &out));
  pf_file_result failed = {0};
  failed.error = pf_xstrdup("Permission denied");
  pf_cache_store(cache, 0, path, path, 42, &old, NULL, &failed);
  pf_file_result_free(&failed);
  CHECK_EQ_INT(pf_cache_save(cache, error, sizeof(error)), 0);
  pf_cache_close(cache);
  cache = pf_cache_open(cache_directory, directory, 1);
  CHECK(!pf_cache_lookup(cache, 0, path, path, 42, &old, &content, &out));
  pf_cache_close(cache);

  /* A stamp with a recent mtime is not trusted by the next run; the content still is. */
  pf_file_stamp fresh = stamp_of(10, 18, (int64_t)time(NULL));
  cache = pf_cache_open(cache_directory, directory, 1);
  pf_cache_store(cache, 0, path, path, 42, &fresh, &content, &result);
  CHECK_EQ_INT(pf_cache_save(cache, error, sizeof(error)), 0);
  pf_cache_close(cache);
  cache = pf_cache_open(cache_directory, directory, 1);
  CHECK(!pf_cache_lookup(cache, 0, path, path, 42, &fresh, NULL, &out));
  CHECK(pf_cache_lookup(cache, 0, path, path, 42, &fresh, &content, &out));
  pf_file_result_free(&out);
  pf_cache_close(cache);

  /* A cache directory that cannot be created is an error of the save only. */
  char blocked[160];
  snprintf(blocked, sizeof(blocked), "%s/nested/cache/.gitignore/sub", directory);
  cache = pf_cache_open(blocked, directory, 1);
  pf_cache_store(cache, 0, path, path, 42, &old, &content, &result);
  CHECK_EQ_INT(pf_cache_save(cache, error, sizeof(error)), -1);
  CHECK(strstr(error, "cannot create the cache directory") != NULL);
  pf_cache_close(cache);

  pf_file_result_free(&result);
  char command[256];
  snprintf(command, sizeof(command), "rm -rf '%s'", directory);
  CHECK_EQ_INT(system(command), 0);
}

int main(void) {
  test_round_trip();
  test_settings_hash();
  test_cache_file();
  return unit_report("cache");
}
