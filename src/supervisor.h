/*
 * supervisor.h: keeping one crashing file from taking the whole run down.
 *
 * Owns: the forked child that does a `check` run's linting and reporting, the shared-memory
 * slots where its workers say which file each is on, finding the file(s) that crashed the
 * child, and the list of crashed files the next child reports instead of linting.
 *
 * Why: libtree-sitter 0.20.7 frees memory twice while recovering from errors when an ERROR
 * node gets more than 65,535 children (`def f(:` followed by 70,000 lines of `a b` aborts
 * inside ts_parser_parse). Nothing before the parse can tell, so the parse runs in a child
 * process. The parent discovers files and reads the configuration (so their messages are
 * printed once), then forks one child per attempt before any worker thread exists. A child
 * that exits normally has written everything; the parent exits with its status. A child
 * killed by a crash signal (SEGV, ABRT, BUS, FPE, ILL, TRAP, SYS) has written nothing, since
 * reports are written only after every file is linted: the parent reads which files were in
 * progress, confirms the culprits (one suspect is the culprit; among several, each is linted
 * alone in a short-lived probe child, and those whose probe crashes are the culprits, or all
 * of them when none does), and forks a new child that reports each culprit as one PF000
 * instead of linting it. Every attempt adds at least one culprit, so this ends; a crash with
 * no file in progress is reported as an error (exit 2). Other signals (INT, TERM, PIPE,
 * KILL...) are passed on: the parent removes the temporary output file and dies of the same
 * signal. A child dies with its parent (PR_SET_PDEATHSIG), so killing pitfall kills both.
 *
 * PITFALL_NO_SUPERVISOR=1 in the environment turns all of this off (the run happens in the
 * pitfall process itself, as before), for debuggers and profilers. PITFALL_DEBUG_CRASH_ON=PATH
 * makes linting the file displayed as PATH abort (src/lint.c), so tests can exercise all of
 * this in milliseconds; the real crash takes the runtime about 25 seconds of error recovery
 * to reach.
 */
#ifndef PITFALL_SUPERVISOR_H
#define PITFALL_SUPERVISOR_H

#include <stdatomic.h>
#include <stddef.h>

#include "pool.h"

typedef struct pf_supervisor pf_supervisor;

typedef enum pf_supervisor_role {
  PF_SUPERVISOR_CHILD,   /* this is the child: lint and report, then exit with the status */
  PF_SUPERVISOR_EXITED,  /* parent: the child exited normally; *status is its exit status */
  PF_SUPERVISOR_CRASHED, /* parent: the child crashed, its culprits are marked; call run again */
  PF_SUPERVISOR_FAILED,  /* parent: the child died and nothing can be done (message printed);
                          * *status is 2 */
  PF_SUPERVISOR_KILLED,  /* parent: the child was killed from outside (INT, TERM, PIPE, KILL...);
                          * *status is 128 + the signal: clean up, then pf_supervisor_die_like_child */
} pf_supervisor_role;

/* A supervisor for `file_count` files linted on up to `threads` threads; NULL when
 * PITFALL_NO_SUPERVISOR is set (or shared memory is unavailable): run unsupervised. */
pf_supervisor *pf_supervisor_new(size_t file_count, unsigned threads);

/* Forks the next child. `tasks` are what a probe lints. Must be called before any thread
 * is started. */
pf_supervisor_role pf_supervisor_run(pf_supervisor *supervisor, const pf_lint_task *tasks, int *status);

/* In the child: one slot per worker thread (pool.h), and per file the signal that file
 * crashed an earlier child with (0: none). */
_Atomic size_t *pf_supervisor_slots(pf_supervisor *supervisor);
const unsigned char *pf_supervisor_crashed(const pf_supervisor *supervisor);

/* Kills this process with the signal the child died of (`status` from PF_SUPERVISOR_KILLED). */
_Noreturn void pf_supervisor_die_like_child(int status);

void pf_supervisor_free(pf_supervisor *supervisor);

#endif
