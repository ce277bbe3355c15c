/*
 * cli.h: the command line: subcommands, options, --help text, and usage errors.
 *
 * Owns: pf_cli, the parsed form of argv. Parsing never exits and never prints findings; a
 * usage error leaves one message in pf_cli.error and the caller exits with code 2.
 */
#ifndef PITFALL_CLI_H
#define PITFALL_CLI_H

#include <stddef.h>
#include <stdio.h>

typedef enum pf_command {
  PF_COMMAND_HELP,
  PF_COMMAND_VERSION,
  PF_COMMAND_CHECK,
  PF_COMMAND_RULE,
  PF_COMMAND_RULES,
} pf_command;

/* A configuration flag given on the command line (--select, --extend-select, --ignore,
 * --exclude, --extend-exclude), in order; config.c splits and checks the value. */
typedef struct pf_cli_setting {
  const char *option; /* "--select", ... */
  const char *value;  /* comma-separated, as given */
} pf_cli_setting;

typedef struct pf_cli {
  pf_command command;
  const char **paths; /* check: PATH arguments (points into argv); "." when none */
  size_t path_count;
  const char *output_format; /* "concise" unless given */
  const char *stdin_filename;
  const char *rule_code; /* rule: the CODE argument */
  int exit_zero;
  int add_noqa;      /* check: add `# noqa: CODE` to every line with a finding (src/add_noqa.c) */
  int force_exclude; /* check: apply excludes to paths named explicitly too */

  const char *output_file; /* --output-file: write the report there (atomically); NULL: stdout */
  const char *color;       /* --color: "auto" (the default), "always" or "never" */
  int statistics;          /* --statistics: counts per code instead of findings */

  pf_command help_for;      /* help: which command's help to print */
  pf_cli_setting *settings; /* check: configuration flags, in order */
  size_t setting_count;
  const char *config_path;  /* --config */
  int isolated;             /* --isolated */
  int no_respect_gitignore; /* --no-respect-gitignore */
  char error[512];          /* non-empty on a usage error */

  /* check: speed and the cache */
  unsigned threads;      /* --threads/-j N; 0 means one per online CPU */
  int no_cache;          /* --no-cache */
  const char *cache_dir; /* --cache-dir DIR, or NULL */
  int verbose;           /* -v/--verbose: threads and cache statistics on stderr */
  int parse_only;        /* hidden --parse-only, the benchmark's floor: read and parse, no rules */
} pf_cli;

/* Parses argv. Returns 0, or -1 with pf_cli.error set. */
int pf_cli_parse(pf_cli *cli, int argc, char **argv);
void pf_cli_free(pf_cli *cli);

void pf_cli_print_help(FILE *out, pf_command command);

#endif
