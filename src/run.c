/*
 * run.c: `pitfall check` (see run.h). A file that cannot be read or decoded is reported on
 * stderr with its path and makes the exit status 2, but every other file is still linted
 * and its findings printed.
 */
#include "run.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "add_noqa.h"
#include "arena.h"
#include "config.h"
#include "discover.h"
#include "lint.h"
#include "output_file.h"
#include "pool.h"
#include "report.h"
#include "settings.h"

typedef struct error_counter {
  size_t count;
  pf_path_error *paths; /* the discover errors, for reports that list them (SARIF) */
  size_t capacity;
} error_counter;

static void report_discover_error(void *user, const char *path, const char *reason) {
  error_counter *counter = user;
  pf_grow((void **)&counter->paths, &counter->capacity, counter->count + 1, sizeof(pf_path_error));
  counter->paths[counter->count].path = pf_xstrdup(path);
  counter->paths[counter->count].reason = pf_xstrdup(reason);
  counter->count++;
  fprintf(stderr, "pitfall: error: %s: %s\n", path, reason);
}

static int compare_results(const void *left, const void *right) {
  return strcmp(((const pf_file_result *)left)->path, ((const pf_file_result *)right)->path);
}

/* Prints each configuration problem as its own `path:row:col: message` line; returns their number. */
static size_t print_config_errors(const pf_config_resolver *configs) {
  size_t count = pf_config_error_count(configs);
  for (size_t i = 0; i < count; i++)
    fprintf(stderr, "%s\n", pf_config_error(configs, i));
  return count;
}

/* Frees the first `count` recorded path errors (the counter keeps counting other errors). */
static void free_path_errors(error_counter *errors, size_t count) {
  for (size_t i = 0; i < count; i++) {
    free(errors->paths[i].path);
    free(errors->paths[i].reason);
  }
  free(errors->paths);
  errors->paths = NULL;
}

int pf_run_check(const pf_cli *cli) {
  char cwd[PATH_MAX], problem[512];
  if (!getcwd(cwd, sizeof(cwd))) {
    fprintf(stderr, "pitfall: error: cannot determine the current directory: %s\n", strerror(errno));
    return 2;
  }
  pf_config_resolver *configs = pf_config_resolver_new(cli, cwd, problem, sizeof(problem));
  if (!configs || print_config_errors(configs)) {
    if (!configs)
      fprintf(stderr, "pitfall: error: %s\n", problem);
    pf_config_resolver_free(configs);
    return 2;
  }
  const pf_output_format *format = pf_output_format_find(cli->output_format);
  pf_output_file output_file = {0};
  char output_error[512];
  if (cli->output_file &&
      pf_output_file_open(&output_file, cli->output_file, output_error, sizeof(output_error)) != 0) {
    fprintf(stderr, "pitfall: error: %s\n", output_error);
    pf_config_resolver_free(configs);
    return 2;
  }
  FILE *out = cli->output_file ? output_file.stream : stdout;
  error_counter errors = {0};
  pf_file_list files = {0};
  pf_discover_options discover_options = {report_discover_error, &errors, pf_config_is_excluded, configs};
  pf_discover_with(cli->paths, cli->path_count, &files, &discover_options);

  /* Every file's settings are known before linting starts, and so is every broken
   * configuration: then nothing is linted. */
  const pf_settings **file_settings = pf_xcalloc(files.count ? files.count : 1, sizeof(pf_settings *));
  for (size_t i = 0; i < files.count; i++)
    file_settings[i] = pf_config_settings_for(configs, files.paths[i]);
  if (print_config_errors(configs)) {
    if (cli->output_file)
      pf_output_file_abort(&output_file);
    free_path_errors(&errors, errors.count);
    free(file_settings);
    pf_file_list_free(&files);
    pf_config_resolver_free(configs);
    return 2;
  }

  pf_file_result *results = pf_xcalloc(files.count ? files.count : 1, sizeof(pf_file_result));
  pf_lint_task *tasks = pf_xcalloc(files.count ? files.count : 1, sizeof(pf_lint_task));
  for (size_t i = 0; i < files.count; i++) {
    const char *path = files.paths[i];
    const char *display = path;
    if (strcmp(path, "-") == 0)
      display = cli->stdin_filename ? cli->stdin_filename : "-";
    tasks[i] = (pf_lint_task){path, display, file_settings[i]};
  }
  pf_cache *cache = NULL;
  if (!cli->no_cache && !cli->parse_only) {
    char *cache_directory = pf_cache_choose_directory(cli->cache_dir);
    cache = pf_cache_open(cache_directory, files.count);
    free(cache_directory);
  }
  pf_pool_options pool_options = {cli->threads ? cli->threads : pf_pool_default_threads(), cache,
                                  cli->parse_only, cli->statistics ? 0 : format->capture};
  pf_pool_lint(tasks, files.count, &pool_options, results);
  free(tasks);
  if (cli->verbose)
    fprintf(stderr, "pitfall: %zu file%s, %u thread%s\n", files.count, files.count == 1 ? "" : "s",
            pool_options.threads, pool_options.threads == 1 ? "" : "s");
  pf_cache_finish(cache, cli->verbose ? stderr : NULL);
  pf_add_noqa_summary add_noqa = {0};
  if (cli->add_noqa) {
    /* After linting, one file at a time: each edit is verified by re-parsing the file. */
    pf_linter *linter = pf_linter_new();
    for (size_t i = 0; i < files.count; i++)
      pf_add_noqa_file(linter, files.paths[i], file_settings[i], &results[i], &add_noqa);
    pf_linter_free(linter);
  }
  qsort(results, files.count, sizeof(pf_file_result), compare_results);

  size_t path_error_count = errors.count;
  /* Settings differ per file: the report lists every rule (settings NULL). */
  pf_run_report report = {
      results, files.count, cwd, NULL, errors.paths, path_error_count, pf_report_use_color(cli->color, out)};
  pf_report_write(out, format, &report, cli->statistics);
  fflush(stdout);
  if (cli->output_file && pf_output_file_commit(&output_file, output_error, sizeof(output_error)) != 0) {
    errors.count++;
    fprintf(stderr, "pitfall: error: %s\n", output_error);
  }

  size_t with_findings = 0;
  for (size_t i = 0; i < files.count; i++) {
    if (results[i].error) {
      errors.count++;
      fprintf(stderr, "pitfall: error: %s: %s\n", results[i].path, results[i].error);
    }
    if (cli->parse_only && results[i].incomplete)
      fprintf(stderr, "pitfall: %s: the parser gave up (out of its time budget)\n", results[i].path);
    if (results[i].diagnostics.count)
      with_findings++;
  }
  size_t total = pf_run_report_count(&report);
  if (cli->add_noqa)
    pf_add_noqa_print_summary(stderr, &add_noqa);
  if (total)
    fprintf(stderr, "Found %zu problem%s in %zu file%s (%zu file%s checked).\n", total, total == 1 ? "" : "s",
            with_findings, with_findings == 1 ? "" : "s", files.count, files.count == 1 ? "" : "s");
  else
    fprintf(stderr, "No problems found (%zu file%s checked).\n", files.count, files.count == 1 ? "" : "s");
  if (errors.count)
    fprintf(stderr, "%zu error%s: see the messages above.\n", errors.count, errors.count == 1 ? "" : "s");

  for (size_t i = 0; i < files.count; i++)
    pf_file_result_free(&results[i]);
  free(results);
  pf_file_list_free(&files);
  free_path_errors(&errors, path_error_count);
  free(file_settings);
  pf_config_resolver_free(configs);

  if (errors.count)
    return 2;
  return total && !cli->exit_zero ? 1 : 0;
}
