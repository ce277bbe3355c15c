/*
 * capture.h: what reporters need from a file's source, taken while the source is still in
 * memory.
 *
 * The engine reads each file once and releases its text as soon as the file is linted, so
 * a reporter that shows source lines (`full`) or identifies a finding by the content of its
 * line (SARIF partialFingerprints) cannot look at the file again. The output format declares
 * what it needs (pf_output_format.capture), the run copies that into pf_settings.capture,
 * and pf_capture fills the matching pf_diagnostic fields for every finding of the file.
 * Nothing is captured, and nothing costs, when the format needs neither.
 */
#ifndef PITFALL_CAPTURE_H
#define PITFALL_CAPTURE_H

#include "diag.h"
#include "source.h"

enum {
  PF_CAPTURE_EXCERPT = 1u << 0,     /* the finding's source lines (pf_diagnostic.excerpt) */
  PF_CAPTURE_FINGERPRINT = 1u << 1, /* a hash of the finding's line (pf_diagnostic.fingerprint) */
};

/* A range spanning more lines than this is excerpted as its first PF_EXCERPT_HEAD_LINES
 * lines and its last line. */
enum { PF_EXCERPT_MAX_LINES = 6, PF_EXCERPT_HEAD_LINES = 4 };

/* Fills what `what` asks for in every diagnostic of `list`, whose positions must already be
 * resolved against `source`. */
void pf_capture(pf_diagnostic_list *list, const pf_source *source, unsigned what);

/* The 1-based row of excerpt line `index` (0-based) of a diagnostic with an excerpt. */
uint32_t pf_excerpt_row(const pf_diagnostic *diagnostic, uint32_t index);

/* 64-bit FNV-1a, continued from `hash` (start with PF_FNV_OFFSET). */
#define PF_FNV_OFFSET 0xcbf29ce484222325ull
uint64_t pf_fnv1a(uint64_t hash, const void *bytes, size_t length);

#endif
