/*
 * cli.c: parsing argv into pf_cli, and the --help texts (see cli.h).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "edit_distance.h"
#include "report.h"

static const char main_help[] =
    "pitfall: a static analyzer for the Python pitfalls that bite people who believe the\n"
    "language \"just handles it\".\n"
    "\n"
    "Usage:\n"
    "  pitfall check [OPTIONS] [PATH ...]   lint files and directories (default: .)\n"
    "  pitfall rule CODE                    explain a rule (what, why, example, fix)\n"
    "  pitfall rules                        list every rule\n"
    "  pitfall --version                    print the version\n"
    "  pitfall --help                       print this help; `pitfall check --help` for options\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 usage or I/O error.\n";

static const char check_help[] =
    "Usage: pitfall check [OPTIONS] [PATH ...]\n"
    "\n"
    "Lints each PATH: a file (any name), a directory (walked for *.py and *.pyi, skipping\n"
    ".git, .venv, venv, __pycache__, node_modules, build, dist, site-packages and the like\n"
    "unless named), or - for standard input. Default: the current directory.\n"
    "\n"
    "Options:\n"
    "  --output-format FORMAT  how findings are printed (default: concise):\n"
    "%s"
    "  --output-file PATH      write the report to PATH instead of standard output (atomically)\n"
    "  --color WHEN            colour text output: auto (when a terminal; NO_COLOR turns it off),\n"
    "                          always or never (default: auto)\n"
    "  --statistics            print how many findings each code had, sorted by code, instead\n"
    "                          of the findings\n"
    "  --stdin-filename NAME   the file name to show for input read from -; with no PATH,\n"
    "                          standard input is read\n"
    "  --exit-zero             exit 0 even when there are findings (errors still exit 2)\n"
    "  --add-noqa              add `# noqa: CODE` to every line with a finding, so that only\n"
    "                          new findings are reported from then on; a file is rewritten\n"
    "                          atomically, and only when its syntax tree stays the same\n"
    "  --force-exclude         apply excludes to paths named explicitly too (for pre-commit,\n"
    "                          which names every staged file)\n"
    "  -j, --threads N         lint on N threads (default: one per online CPU)\n"
    "  --no-cache              neither read nor write the results cache\n"
    "  --cache-dir DIR         keep the cache in DIR (default: $PITFALL_CACHE_DIR, else\n"
    "                          .pitfall_cache beside each file's configuration or in\n"
    "                          its project root)\n"
    "  -v, --verbose           print the thread count and cache statistics on standard error\n"
    "  -h, --help              print this help\n"
    "\n"
    "Configuration: each file uses the closest .pitfall.toml, pitfall.toml or pyproject.toml\n"
    "with [tool.pitfall], looking in its directory and then upwards (see the README). Lists\n"
    "are comma-separated; codes may be prefixes (PF0) or ALL.\n"
    "  --config PATH           use this configuration file for every file\n"
    "  --isolated              use no configuration file at all\n"
    "  --select CODES          the rules to run, replacing the configuration's selection\n"
    "  --extend-select CODES   more rules to run\n"
    "  --ignore CODES          rules not to run\n"
    "  --exclude PATTERNS      paths to skip, replacing the configured and default excludes\n"
    "  --extend-exclude PATTERNS\n"
    "                          more paths to skip\n"
    "  --no-respect-gitignore  also lint files that .gitignore ignores\n"
    "\n"
    "Findings go to standard output (or --output-file), sorted by path, row, column and code;\n"
    "the summary line and errors go to standard error.\n"
    "\n"
    "`# noqa` or `# noqa: PF001, PF004` at the end of a line suppresses its findings;\n"
    "`# pitfall: noqa` or `# pitfall: noqa: PF003` on a line of its own, the whole file's.\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 usage or I/O error (the other files are still\n"
    "linted and reported).\n";

void pf_cli_print_help(FILE *out, pf_command command) {
  if (command != PF_COMMAND_CHECK) {
    fputs(main_help, out);
    return;
  }
  char formats[2048] = "";
  size_t used = 0;
  for (size_t i = 0; i < pf_output_format_count && used < sizeof(formats); i++) {
    int written = snprintf(formats + used, sizeof(formats) - used, "                            %-10s %s\n",
                           pf_output_formats[i].name, pf_output_formats[i].description);
    if (written > 0)
      used += (size_t)written;
  }
  fprintf(out, check_help, formats);
}

/* Matches "--name VALUE" and "--name=VALUE"; advances *index past what it consumed. */
static int option_value(pf_cli *cli, int argc, char **argv, int *index, const char *name,
                        const char **value) {
  const char *argument = argv[*index];
  size_t length = strlen(name);
  if (strncmp(argument, name, length) != 0)
    return 0;
  if (argument[length] == '=') {
    *value = argument + length + 1;
    return 1;
  }
  if (argument[length] != '\0')
    return 0;
  if (*index + 1 >= argc) {
    snprintf(cli->error, sizeof(cli->error), "option %s needs a value", name);
    *value = NULL;
    return 1;
  }
  *value = argv[++*index];
  return 1;
}

/* --select, --ignore and the other flags config.c reads: recorded in order. */
static int setting_option(pf_cli *cli, int argc, char **argv, int *index) {
  static const char *const names[] = {"--select", "--extend-select", "--ignore", "--exclude",
                                      "--extend-exclude"};
  for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
    const char *value = NULL;
    if (!option_value(cli, argc, argv, index, names[n], &value))
      continue;
    if (value) {
      cli->settings[cli->setting_count].option = names[n];
      cli->settings[cli->setting_count++].value = value;
    }
    return 1;
  }
  return 0;
}

/* --threads N: a whole number from 1 to 1024. */
static int parse_threads(pf_cli *cli, const char *value) {
  if (!value)
    return -1;
  char *end = NULL;
  long threads = value[0] >= '0' && value[0] <= '9' ? strtol(value, &end, 10) : 0;
  if (!end || *end || threads < 1 || threads > 1024) {
    snprintf(cli->error, sizeof(cli->error), "option --threads needs a whole number from 1 to 1024, not '%s'",
             value);
    return -1;
  }
  cli->threads = (unsigned)threads;
  return 0;
}

static int parse_check(pf_cli *cli, int argc, char **argv, int start) {
  int only_paths = 0;
  for (int i = start; i < argc; i++) {
    const char *argument = argv[i];
    const char *value = NULL;
    if (only_paths || argument[0] != '-' || strcmp(argument, "-") == 0) {
      cli->paths[cli->path_count++] = argument;
      continue;
    }
    if (strcmp(argument, "--") == 0) {
      only_paths = 1;
    } else if (strcmp(argument, "-h") == 0 || strcmp(argument, "--help") == 0) {
      cli->command = PF_COMMAND_HELP;
      cli->help_for = PF_COMMAND_CHECK;
      return 0;
    } else if (strcmp(argument, "--exit-zero") == 0) {
      cli->exit_zero = 1;
    } else if (strcmp(argument, "--add-noqa") == 0) {
      cli->add_noqa = 1;
    } else if (strcmp(argument, "--force-exclude") == 0) {
      cli->force_exclude = 1;
    } else if (strcmp(argument, "--isolated") == 0) {
      cli->isolated = 1;
    } else if (strcmp(argument, "--no-respect-gitignore") == 0) {
      cli->no_respect_gitignore = 1;
    } else if (option_value(cli, argc, argv, &i, "--config", &value)) {
      if (!value)
        return -1;
      if (cli->config_path && strcmp(cli->config_path, value) != 0) {
        /* One file applies to every file; the earlier one would be dropped unseen (ruff refuses too). */
        snprintf(cli->error, sizeof(cli->error),
                 "--config given twice ('%s', then '%s'): only one configuration file can apply",
                 cli->config_path, value);
        return -1;
      }
      cli->config_path = value;
    } else if (setting_option(cli, argc, argv, &i)) {
      if (cli->error[0])
        return -1;
    } else if (option_value(cli, argc, argv, &i, "--output-format", &value)) {
      if (!value)
        return -1;
      if (!pf_output_format_find(value)) {
        char names[256] = "";
        for (size_t f = 0; f < pf_output_format_count; f++) {
          strncat(names, f ? ", " : "", sizeof(names) - strlen(names) - 1);
          strncat(names, pf_output_formats[f].name, sizeof(names) - strlen(names) - 1);
        }
        snprintf(cli->error, sizeof(cli->error), "unknown output format '%s' (choose one of: %s)", value,
                 names);
        return -1;
      }
      cli->output_format = value;
    } else if (strcmp(argument, "--statistics") == 0) {
      cli->statistics = 1;
    } else if (option_value(cli, argc, argv, &i, "--output-file", &value)) {
      if (!value)
        return -1;
      if (!value[0]) {
        snprintf(cli->error, sizeof(cli->error), "option --output-file needs a file name");
        return -1;
      }
      cli->output_file = value;
    } else if (option_value(cli, argc, argv, &i, "--color", &value)) {
      if (!value)
        return -1;
      if (strcmp(value, "auto") != 0 && strcmp(value, "always") != 0 && strcmp(value, "never") != 0) {
        snprintf(cli->error, sizeof(cli->error),
                 "unknown --color value '%s' (choose one of: auto, always, never)", value);
        return -1;
      }
      cli->color = value;
    } else if (option_value(cli, argc, argv, &i, "--stdin-filename", &value)) {
      if (!value)
        return -1;
      cli->stdin_filename = value;
    } else if (option_value(cli, argc, argv, &i, "--threads", &value) ||
               option_value(cli, argc, argv, &i, "-j", &value) ||
               (strncmp(argument, "-j", 2) == 0 && (value = argument + 2))) { /* -j4 */
      if (parse_threads(cli, value) != 0)
        return -1;
    } else if (strcmp(argument, "--no-cache") == 0) {
      cli->no_cache = 1;
    } else if (option_value(cli, argc, argv, &i, "--cache-dir", &value)) {
      if (!value)
        return -1;
      if (!*value) {
        snprintf(cli->error, sizeof(cli->error), "option --cache-dir needs a directory");
        return -1;
      }
      cli->cache_dir = value;
    } else if (strcmp(argument, "-v") == 0 || strcmp(argument, "--verbose") == 0) {
      cli->verbose = 1;
    } else if (strcmp(argument, "--parse-only") == 0) {
      cli->parse_only = 1;
    } else {
      snprintf(cli->error, sizeof(cli->error), "unknown option '%s' (see `pitfall check --help`)", argument);
      return -1;
    }
  }
  return 0;
}

/* The command `word` is a misspelling of (at most two edits away), or NULL. */
static const char *close_command(const char *word) {
  static const char *const commands[] = {"check", "rule", "rules", "help", "version"};
  const char *best = NULL;
  size_t best_distance = 3;
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
    size_t distance = pf_edit_distance(word, strlen(word), commands[i], 0);
    if (distance < best_distance) {
      best = commands[i];
      best_distance = distance;
    }
  }
  return best;
}

/* Whether argv[1] is an option of `pitfall check`: parsing argv[1..] as its arguments does
 * not stop at argv[1] as an unknown option. */
static int is_check_option(int argc, char **argv) {
  pf_cli trial;
  memset(&trial, 0, sizeof(trial));
  trial.paths = pf_xcalloc((size_t)argc + 1, sizeof(char *));
  trial.settings = pf_xcalloc((size_t)argc + 1, sizeof(pf_cli_setting));
  char unknown[sizeof(trial.error)];
  snprintf(unknown, sizeof(unknown), "unknown option '%s' ", argv[1]);
  int known = parse_check(&trial, argc, argv, 1) == 0 || strncmp(trial.error, unknown, strlen(unknown)) != 0;
  pf_cli_free(&trial);
  return known;
}

/* The error for an unknown first argument: a misspelt command, an option that belongs after
 * `check`, or a path given without `check`. */
static void explain_unknown_command(pf_cli *cli, int argc, char **argv) {
  const char *command = argv[1];
  const char *close = command[0] != '-' ? close_command(command) : NULL;
  if (close)
    snprintf(cli->error, sizeof(cli->error), "unknown command '%s' (did you mean `pitfall %s`?)", command,
             close);
  else if (command[0] == '-' && !is_check_option(argc, argv))
    snprintf(cli->error, sizeof(cli->error), "unknown option '%s' (see `pitfall --help`)", command);
  else
    snprintf(cli->error, sizeof(cli->error), "unknown command '%s' (did you mean `pitfall check %s`?)",
             command, command);
}

int pf_cli_parse(pf_cli *cli, int argc, char **argv) {
  memset(cli, 0, sizeof(*cli));
  cli->output_format = "concise";
  cli->color = "auto";
  cli->paths = pf_xcalloc((size_t)argc + 1, sizeof(char *));
  cli->settings = pf_xcalloc((size_t)argc + 1, sizeof(pf_cli_setting));
  if (argc < 2) {
    cli->command = PF_COMMAND_HELP;
    return 0;
  }
  const char *command = argv[1];
  if (strcmp(command, "-h") == 0 || strcmp(command, "--help") == 0 || strcmp(command, "help") == 0) {
    cli->command = PF_COMMAND_HELP;
    return 0;
  }
  if (strcmp(command, "-V") == 0 || strcmp(command, "--version") == 0 || strcmp(command, "version") == 0) {
    cli->command = PF_COMMAND_VERSION;
    if (argc != 2) {
      snprintf(cli->error, sizeof(cli->error), "`pitfall %s` takes no arguments", command);
      return -1;
    }
    return 0;
  }
  if (strcmp(command, "check") == 0) {
    cli->command = PF_COMMAND_CHECK;
    if (parse_check(cli, argc, argv, 2) != 0)
      return -1;
    /* No path: the current directory, or standard input when it is given a name (as ruff
     * does: editors pipe the buffer with --stdin-filename and no path). */
    if (cli->command == PF_COMMAND_CHECK && cli->path_count == 0)
      cli->paths[cli->path_count++] = cli->stdin_filename ? "-" : ".";
    for (size_t i = 0; cli->command == PF_COMMAND_CHECK && cli->add_noqa && i < cli->path_count; i++) {
      if (strcmp(cli->paths[i], "-") == 0) {
        snprintf(cli->error, sizeof(cli->error),
                 "--add-noqa edits files in place and cannot read standard input");
        return -1;
      }
    }
    return 0;
  }
  if (strcmp(command, "rule") == 0) {
    cli->command = PF_COMMAND_RULE;
    if (argc != 3) {
      snprintf(cli->error, sizeof(cli->error), "`pitfall rule` takes exactly one rule code, such as PF001");
      return -1;
    }
    cli->rule_code = argv[2];
    return 0;
  }
  if (strcmp(command, "rules") == 0) {
    cli->command = PF_COMMAND_RULES;
    if (argc != 2) {
      snprintf(cli->error, sizeof(cli->error), "`pitfall rules` takes no arguments");
      return -1;
    }
    return 0;
  }
  explain_unknown_command(cli, argc, argv);
  return -1;
}

void pf_cli_free(pf_cli *cli) {
  free(cli->paths);
  cli->paths = NULL;
  free(cli->settings);
  cli->settings = NULL;
}
