/*
 * cli.c: parsing argv into pf_cli, and the --help texts (see cli.h).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
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
    "  --stdin-filename NAME   the file name to show for input read from -\n"
    "  --exit-zero             exit 0 even when there are findings (errors still exit 2)\n"
    "  -j, --threads N         lint on N threads (default: one per online CPU)\n"
    "  --no-cache              neither read nor write the results cache\n"
    "  --cache-dir DIR         keep the cache in DIR (default: $PITFALL_CACHE_DIR, else\n"
    "                          .pitfall_cache in the project root)\n"
    "  -v, --verbose           print the thread count and cache statistics on standard error\n"
    "  -h, --help              print this help\n"
    "\n"
    "Findings go to standard output, sorted by path, row, column and code; the summary line\n"
    "and errors go to standard error.\n"
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

int pf_cli_parse(pf_cli *cli, int argc, char **argv) {
  memset(cli, 0, sizeof(*cli));
  cli->output_format = "concise";
  cli->paths = pf_xcalloc((size_t)argc + 1, sizeof(char *));
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
    return 0;
  }
  if (strcmp(command, "check") == 0) {
    cli->command = PF_COMMAND_CHECK;
    if (parse_check(cli, argc, argv, 2) != 0)
      return -1;
    if (cli->command == PF_COMMAND_CHECK && cli->path_count == 0)
      cli->paths[cli->path_count++] = ".";
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
  snprintf(cli->error, sizeof(cli->error), "unknown command '%s' (did you mean `pitfall check %s`?)", command,
           command);
  return -1;
}

void pf_cli_free(pf_cli *cli) {
  free(cli->paths);
  cli->paths = NULL;
}
