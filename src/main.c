/*
 * main.c: the pitfall binary's entry point: parses the command line and runs the command.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lang.h"
#include "registry.h"
#include "run.h"

static int print_rule(const char *code) {
  const pf_rule *rule = pf_rule_find(code, NULL);
  if (!rule) {
    fprintf(stderr, "pitfall: error: unknown rule '%s' (`pitfall rules` lists them)\n", code);
    return 2;
  }
  printf("# %s %s\n\n%s.\n\nDefault severity: %s.\n\n%s", rule->code, rule->name, rule->summary,
         pf_severity_name(rule->severity), rule->explanation);
  return 0;
}

static int print_rules(void) {
  for (size_t i = 0; i < pf_rule_count; i++)
    printf("%-6s %-28s %-8s %s\n", pf_rules[i]->code, pf_rules[i]->name,
           pf_severity_name(pf_rules[i]->severity), pf_rules[i]->summary);
  return 0;
}

int main(int argc, char **argv) {
  pf_cli cli;
  if (pf_cli_parse(&cli, argc, argv) != 0) {
    fprintf(stderr, "pitfall: error: %s\n", cli.error);
    pf_cli_free(&cli);
    return 2;
  }
  int status = 0;
  char error[256];
  switch (cli.command) {
  case PF_COMMAND_HELP:
    pf_cli_print_help(stdout, cli.help_for);
    break;
  case PF_COMMAND_VERSION:
    printf("pitfall %s\n", PITFALL_VERSION);
    break;
  case PF_COMMAND_RULE:
    status = print_rule(cli.rule_code);
    break;
  case PF_COMMAND_RULES:
    status = print_rules();
    break;
  case PF_COMMAND_CHECK:
    if (pf_lang_init(error, sizeof(error)) != 0) {
      fprintf(stderr, "pitfall: error: %s\n", error);
      status = 2;
      break;
    }
    status = pf_run_check(&cli);
    break;
  }
  pf_cli_free(&cli);
  return status;
}
