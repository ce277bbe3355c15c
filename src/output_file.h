/*
 * output_file.h: writing a report to --output-file PATH atomically.
 *
 * Owns: a temporary file in the destination's directory that receives the whole report and
 * is renamed over the destination only once everything was written and flushed to disk, so
 * a reader (a CI upload step, an editor) sees either the previous file or the complete new
 * one, never half of it. The new file gets the mode of the file it replaces, or 0666 less
 * the umask.
 *
 * The destination is what PATH finally names: a symlink is followed (to the end of a chain,
 * even when its target does not exist yet) and the temporary file is made beside the real
 * file, so the link stays a link. A destination that exists but is not a regular file (a
 * device such as /dev/null, a FIFO) cannot be replaced: it is opened and written directly,
 * as the shell's `>` would, and so are /dev/stdout, /dev/stderr, /dev/fd/N and /proc/...
 * paths, which name an already open file. A socket cannot be opened at all: it is an error
 * that names the path.
 *
 * While a temporary file exists, SIGINT, SIGTERM, SIGHUP and SIGPIPE remove it before the
 * process dies of the signal: the handler unlinks a path prepared in advance (async-signal
 * safe) and re-raises the signal with its default action. Forked children inherit this.
 * The signals are blocked from just before the temporary file is created until the handler
 * is installed, so none can slip in between.
 */
#ifndef PITFALL_OUTPUT_FILE_H
#define PITFALL_OUTPUT_FILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct pf_output_file {
  FILE *stream;    /* write the report here */
  char *path;      /* the destination, as given */
  char *target;    /* the file the destination names, symlinks followed */
  char *temp_path; /* the temporary file beside the target; NULL when written directly */
} pf_output_file;

/* Creates the temporary file (or opens a special file). Returns 0, or -1 with a reason in
 * `error`. */
int pf_output_file_open(pf_output_file *file, const char *path, char *error, size_t error_size);

/* Flushes, syncs, closes and renames the temporary file over the target. Returns 0, or -1
 * with a reason in `error` (the temporary file is removed and the target untouched). */
int pf_output_file_commit(pf_output_file *file, char *error, size_t error_size);

/* Closes and removes the temporary file, leaving the destination untouched. */
void pf_output_file_abort(pf_output_file *file);

/* Closes this process's handle on the temporary file and forgets it, leaving the file alone:
 * for the supervisor (supervisor.h), whose child committed or removed it. */
void pf_output_file_forget(pf_output_file *file);

/* Whether the report is written straight into the destination (a special file), where there
 * is no temporary file to start again with. */
int pf_output_file_is_direct(const pf_output_file *file);

#endif
