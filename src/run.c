/*
 * run.c: `pitfall check` (see run.h). A file that cannot be read or decoded is reported on
 * stderr with its path and makes the exit status 2, but every other file is still linted
 * and its findings printed. The linting and reporting run in a supervised child process
 * (supervisor.h), so a file that crashes the parser cannot take the others' findings down.
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
#include "paths.h"
#include "pool.h"
#include "report.h"
#include "settings.h"
#include "supervisor.h"

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

/* What the parent prepares before the checking starts: the files, their settings, where the
 * report goes. */
typedef struct prepared {
  const pf_cli *cli;
  const char *cwd;
  const pf_output_format *format;
  pf_output_file *output_file;
  error_counter *errors;
  const pf_file_list *files;
  const pf_settings **file_settings;
  const pf_lint_task *tasks;
  pf_cache_set *caches; /* NULL: --no-cache */
} prepared;

/* Lints every file and writes the report and the summary: the part of a run the supervisor
 * runs in a child (supervisor.h). `crashed` and `in_progress` are the supervisor's, NULL when
 * unsupervised. Returns the exit status. */
static int check_files(const prepared *run, const unsigned char *crashed, _Atomic size_t *in_progress) {
  const pf_cli *cli = run->cli;
  const pf_output_format *format = run->format;
  const pf_file_list *files = run->files;
  error_counter *errors = run->errors;
  FILE *out = cli->output_file ? run->output_file->stream : stdout;
  char output_error[512];
  pf_file_result *results = pf_xcalloc(files->count ? files->count : 1, sizeof(pf_file_result));
  if (run->caches)
    pf_cache_set_open(run->caches);
  pf_pool_options pool_options = {cli->threads ? cli->threads : pf_pool_default_threads(),
                                  run->caches ? pf_cache_set_bindings(run->caches) : NULL,
                                  cli->parse_only,
                                  cli->statistics ? 0 : format->capture,
                                  in_progress,
                                  crashed};
  pf_pool_lint(run->tasks, files->count, &pool_options, results);
  if (cli->verbose)
    fprintf(stderr, "pitfall: %zu file%s, %u thread%s\n", files->count, files->count == 1 ? "" : "s",
            pool_options.threads, pool_options.threads == 1 ? "" : "s");
  pf_cache_set_finish(run->caches, cli->verbose ? stderr : NULL, stderr);
  pf_add_noqa_summary add_noqa = {0};
  if (cli->add_noqa) {
    /* After linting, one file at a time: each edit is verified by re-parsing the file. */
    pf_linter *linter = pf_linter_new();
    for (size_t i = 0; i < files->count; i++) {
      if (crashed && crashed[i])
        continue; /* it crashed the parser: not edited */
      if (in_progress)
        atomic_store(&in_progress[0], i + 1);
      pf_add_noqa_file(linter, files->paths[i], run->file_settings[i], &results[i], &add_noqa);
      if (in_progress)
        atomic_store(&in_progress[0], 0);
    }
    pf_linter_free(linter);
  }
  qsort(results, files->count, sizeof(pf_file_result), compare_results);

  /* Settings differ per file: the report lists every rule (settings NULL). */
  pf_run_report report = {results,
                          files->count,
                          run->cwd,
                          NULL,
                          errors->paths,
                          errors->count,
                          pf_report_use_color(cli->color, out)};
  pf_report_write(out, format, &report, cli->statistics);
  size_t error_count = errors->count;
  if (!cli->output_file && (fflush(stdout) != 0 || ferror(stdout))) {
    /* A full disk or a closed pipe must not pass for a clean run. */
    error_count++;
    fprintf(stderr, "pitfall: error: cannot write the report to standard output: %s\n", strerror(errno));
  }
  if (cli->output_file && pf_output_file_commit(run->output_file, output_error, sizeof(output_error)) != 0) {
    error_count++;
    fprintf(stderr, "pitfall: error: %s\n", output_error);
  }

  size_t with_findings = 0;
  for (size_t i = 0; i < files->count; i++) {
    if (results[i].error) {
      error_count++;
      fprintf(stderr, "pitfall: error: %s: %s\n", results[i].path, results[i].error);
    }
    if (results[i].incomplete == PF_INCOMPLETE_CRASH)
      fprintf(stderr, "pitfall: %s: the parser crashed on this file; it was not checked (PF000)\n",
              results[i].path);
    if (cli->parse_only && results[i].incomplete == PF_INCOMPLETE_BUDGET)
      fprintf(stderr, "pitfall: %s: the parser gave up (out of its time budget)\n", results[i].path);
    if (results[i].diagnostics.count)
      with_findings++;
  }
  size_t total = pf_run_report_count(&report);
  if (cli->add_noqa)
    pf_add_noqa_print_summary(stderr, &add_noqa);
  if (total)
    fprintf(stderr, "Found %zu problem%s in %zu file%s (%zu file%s checked).\n", total, total == 1 ? "" : "s",
            with_findings, with_findings == 1 ? "" : "s", files->count, files->count == 1 ? "" : "s");
  else
    fprintf(stderr, "No problems found (%zu file%s checked).\n", files->count, files->count == 1 ? "" : "s");
  if (error_count)
    fprintf(stderr, "%zu error%s: see the messages above.\n", error_count, error_count == 1 ? "" : "s");

  for (size_t i = 0; i < files->count; i++)
    pf_file_result_free(&results[i]);
  free(results);
  if (error_count)
    return 2;
  return total && !cli->exit_zero ? 1 : 0;
}

/* Runs check_files under the supervisor (supervisor.h), or directly when it is turned off.
 * Only the parent returns from here; a child returns the status it exits with. */
static int supervise(const prepared *run) {
  const pf_cli *cli = run->cli;
  unsigned threads = cli->threads ? cli->threads : pf_pool_default_threads();
  pf_supervisor *supervisor = pf_supervisor_new(run->files->count, threads);
  if (!supervisor)
    return check_files(run, NULL, NULL);
  int status = 2;
  for (;;) {
    pf_supervisor_role role = pf_supervisor_run(supervisor, run->tasks, &status);
    if (role == PF_SUPERVISOR_CHILD) {
      status = check_files(run, pf_supervisor_crashed(supervisor), pf_supervisor_slots(supervisor));
      break;
    }
    if (role == PF_SUPERVISOR_EXITED) {
      /* The child wrote and renamed (or removed) the output file; this process only closes it. */
      if (cli->output_file)
        pf_output_file_forget(run->output_file);
      break;
    }
    /* The dead child wrote nothing (reports come last). A special file written directly (a
     * FIFO) stays open for the next child: closing it would show its reader an end of file. */
    int keep_open =
        role == PF_SUPERVISOR_CRASHED && cli->output_file && pf_output_file_is_direct(run->output_file);
    if (cli->output_file && !keep_open)
      pf_output_file_abort(run->output_file);
    if (role == PF_SUPERVISOR_KILLED)
      pf_supervisor_die_like_child(status);
    if (role == PF_SUPERVISOR_FAILED)
      break;
    char output_error[512];
    if (cli->output_file && !keep_open &&
        pf_output_file_open(run->output_file, cli->output_file, output_error, sizeof(output_error)) != 0) {
      fprintf(stderr, "pitfall: error: %s\n", output_error);
      status = 2;
      break;
    }
  }
  pf_supervisor_free(supervisor);
  return status;
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

  pf_lint_task *tasks = pf_xcalloc(files.count ? files.count : 1, sizeof(pf_lint_task));
  for (size_t i = 0; i < files.count; i++) {
    const char *path = files.paths[i];
    const char *display = path;
    if (strcmp(path, "-") == 0)
      display = cli->stdin_filename ? cli->stdin_filename : "-";
    tasks[i] = (pf_lint_task){path, display, file_settings[i]};
  }
  /* Where each file is cached (cache.h); standard input is not. */
  pf_cache_set *caches = NULL;
  if (!cli->no_cache && !cli->parse_only) {
    caches = pf_cache_set_new(cli->cache_dir, cwd, files.count);
    for (size_t i = 0; i < files.count; i++) {
      if (strcmp(files.paths[i], "-") == 0)
        continue;
      char *absolute = pf_path_absolute(cwd, files.paths[i]);
      pf_cache_set_bind(caches, i, absolute, pf_config_directory_for(configs, files.paths[i]));
      free(absolute);
    }
  }
  /* Discovery and configuration happen here, before the supervisor forks, so their messages
   * are printed once however many times the checking child is started. */
  prepared run = {cli, cwd, format, &output_file, &errors, &files, file_settings, tasks, caches};
  int status = supervise(&run);
  pf_cache_set_free(caches);

  free(tasks);
  pf_file_list_free(&files);
  free_path_errors(&errors, errors.count);
  free(file_settings);
  pf_config_resolver_free(configs);
  return status;
}
