/*
 * run.h: the `pitfall check` command from parsed options to exit status.
 *
 * Owns: the order of a run: discover files, lint each, report in path order, print the
 * summary and errors on stderr, and choose the exit status (0 clean, 1 findings, 2 error).
 */
#ifndef PITFALL_RUN_H
#define PITFALL_RUN_H

#include "cli.h"

int pf_run_check(const pf_cli *cli);

#endif
