/*
 * report_github.c: GitHub Actions workflow commands, one annotation per finding:
 *
 *   ::error title=pitfall (PF001),file=src/a.py,line=5,col=26,endLine=5,endColumn=28::message
 *
 * `error` or `warning` follows the finding's severity. The file is relative to the working
 * directory (the checkout, in a workflow) when it lies under it; standard input without
 * --stdin-filename gets no file property. GitHub's escaping: in the message `%`, CR and LF
 * become %25, %0D and %0A; in property values `:` and `,` become %3A and %2C as well. Other
 * control characters, which the runner would copy into the log raw (ESC starts a terminal
 * escape sequence), are shown as their Unicode pictures (U+241B for ESC); C1 controls
 * become U+FFFD.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rule.h"

static void put_escaped(FILE *out, const char *text, int is_property) {
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    switch (*c) {
    case '%':
      fputs("%25", out);
      break;
    case '\r':
      fputs("%0D", out);
      break;
    case '\n':
      fputs("%0A", out);
      break;
    case ':':
      fputs(is_property ? "%3A" : ":", out);
      break;
    case ',':
      fputs(is_property ? "%2C" : ",", out);
      break;
    case '\t':
      fputc('\t', out);
      break;
    default:
      if (*c < 0x20) { /* ESC and the other C0 controls: their pictures, U+2400 + c */
        fputc(0xE2, out);
        fputc(0x90, out);
        fputc(0x80 + *c, out);
      } else if (*c == 0x7F) {
        fputs("\u2421", out);
      } else if (*c == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F) { /* C1 controls (CSI...) */
        fputs("\uFFFD", out);
        c++;
      } else {
        fputc(*c, out);
      }
    }
  }
}

void pf_emit_github(FILE *out, const pf_run_report *report) {
  for (size_t f = 0; f < report->file_count; f++) {
    const pf_file_result *file = &report->files[f];
    if (!file->diagnostics.count)
      continue;
    /* Standard input without --stdin-filename has no file to annotate: no file property. */
    int has_file = strcmp(file->path, "-") != 0;
    char *relative = pf_report_relative_path(report, file->path);
    char *path = pf_utf8_sanitize(relative ? relative : file->path);
    free(relative);
    for (size_t i = 0; i < file->diagnostics.count; i++) {
      const pf_diagnostic *d = &file->diagnostics.items[i];
      char title[64];
      snprintf(title, sizeof(title), "pitfall (%s)", d->rule->code);
      fprintf(out, "::%s title=", pf_severity_name(d->severity));
      put_escaped(out, title, 1);
      if (has_file) {
        fputs(",file=", out);
        put_escaped(out, path, 1);
      }
      fprintf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u::", d->start.row, d->start.column, d->end.row,
              d->end.column);
      char *message = pf_utf8_sanitize(d->message ? d->message : ""); /* never invalid UTF-8 */
      put_escaped(out, message, 0);
      free(message);
      fputc('\n', out);
    }
    free(path);
  }
}
