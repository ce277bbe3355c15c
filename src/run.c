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

#include "arena.h"
#include "discover.h"
#include "lint.h"
#include "pool.h"
#include "report.h"
#include "settings.h"

typedef struct error_counter {
  size_t count;
} error_counter;

static void report_discover_error(void *user, const char *path, const char *reason) {
  error_counter *counter = user;
  counter->count++;
  fprintf(stderr, "pitfall: error: %s: %s\n", path, reason);
}

static int compare_results(const void *left, const void *right) {
  return strcmp(((const pf_file_result *)left)->path, ((const pf_file_result *)right)->path);
}

int pf_run_check(const pf_cli *cli) {
  error_counter errors = {0};
  pf_file_list files = {0};
  pf_discover(cli->paths, cli->path_count, &files, report_discover_error, &errors);

  pf_settings settings;
  pf_settings_init_default(&settings);

  pf_file_result *results = pf_xcalloc(files.count ? files.count : 1, sizeof(pf_file_result));
  pf_lint_task *tasks = pf_xcalloc(files.count ? files.count : 1, sizeof(pf_lint_task));
  for (size_t i = 0; i < files.count; i++) {
    const char *path = files.paths[i];
    const char *display = path;
    if (strcmp(path, "-") == 0)
      display = cli->stdin_filename ? cli->stdin_filename : "-";
    tasks[i] = (pf_lint_task){path, display, &settings};
  }
  pf_cache *cache = NULL;
  if (!cli->no_cache && !cli->parse_only) {
    char *cache_directory = pf_cache_choose_directory(cli->cache_dir);
    cache = pf_cache_open(cache_directory, files.count);
    free(cache_directory);
  }
  pf_pool_options pool_options = {cli->threads ? cli->threads : pf_pool_default_threads(), cache,
                                  cli->parse_only};
  pf_pool_lint(tasks, files.count, &pool_options, results);
  free(tasks);
  if (cli->verbose)
    fprintf(stderr, "pitfall: %zu file%s, %u thread%s\n", files.count, files.count == 1 ? "" : "s",
            pool_options.threads, pool_options.threads == 1 ? "" : "s");
  pf_cache_finish(cache, cli->verbose ? stderr : NULL);
  qsort(results, files.count, sizeof(pf_file_result), compare_results);

  char cwd[PATH_MAX];
  pf_run_report report = {results, files.count, getcwd(cwd, sizeof(cwd)) ? cwd : NULL};
  const pf_output_format *format = pf_output_format_find(cli->output_format);
  format->emit(stdout, &report);
  fflush(stdout);

  size_t with_findings = 0;
  for (size_t i = 0; i < files.count; i++) {
    if (results[i].error) {
      errors.count++;
      fprintf(stderr, "pitfall: error: %s: %s\n", results[i].path, results[i].error);
    }
    if (results[i].diagnostics.count)
      with_findings++;
  }
  size_t total = pf_run_report_count(&report);
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
  pf_settings_free(&settings);

  if (errors.count)
    return 2;
  return total && !cli->exit_zero ? 1 : 0;
}
