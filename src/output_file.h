/*
 * output_file.h: writing a report to --output-file PATH atomically.
 *
 * Owns: a temporary file in PATH's directory that receives the whole report and is renamed
 * over PATH only once everything was written and flushed to disk, so a reader (a CI upload
 * step, an editor) sees either the previous file or the complete new one, never half of it.
 * The new file gets the mode of the file it replaces, or 0666 less the umask.
 */
#ifndef PITFALL_OUTPUT_FILE_H
#define PITFALL_OUTPUT_FILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct pf_output_file {
  FILE *stream;    /* write the report here */
  char *path;      /* the destination */
  char *temp_path; /* the temporary file beside it */
} pf_output_file;

/* Creates the temporary file. Returns 0, or -1 with a reason in `error`. */
int pf_output_file_open(pf_output_file *file, const char *path, char *error, size_t error_size);

/* Flushes, syncs, closes and renames the temporary file over the destination. Returns 0, or
 * -1 with a reason in `error` (the temporary file is removed and the destination untouched). */
int pf_output_file_commit(pf_output_file *file, char *error, size_t error_size);

/* Closes and removes the temporary file, leaving the destination untouched. */
void pf_output_file_abort(pf_output_file *file);

/* Closes this process's handle on the temporary file and forgets it, leaving the file alone:
 * for the supervisor (supervisor.h), whose child committed or removed it. */
void pf_output_file_forget(pf_output_file *file);

#endif
