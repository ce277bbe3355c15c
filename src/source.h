/*
 * source.h: loading one Python source file into UTF-8 text the parser and the rules can use.
 *
 * Owns: reading bytes (a file or a stream), stripping a UTF-8 byte order mark, honouring a
 * PEP 263 coding declaration on line 1 or 2 (decoding latin-1, cp1252 and friends to UTF-8
 * with iconv), validating UTF-8, and the line index that turns byte offsets into 1-based
 * rows and Unicode code point columns.
 *
 * Invariants: after pf_source_load succeeds, `text` is valid UTF-8 of `length` bytes followed
 * by a NUL terminator (the text itself may contain NUL bytes, which callers must report);
 * CRLF and lone CR line endings are kept as they are, and every one of them counts as one
 * line break, as Python counts them. Positions are byte offsets into `text`.
 */
#ifndef PITFALL_SOURCE_H
#define PITFALL_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct pf_position {
  uint32_t row;    /* 1-based */
  uint32_t column; /* 1-based, in Unicode code points */
} pf_position;

typedef struct pf_source {
  char *text;                  /* UTF-8, NUL-terminated, owned */
  uint32_t length;             /* bytes, without the terminator */
  uint32_t *line_starts;       /* byte offset where each line starts; line_starts[0] == 0 */
  uint32_t line_count;         /* number of entries in line_starts (>= 1) */
  int had_bom;                 /* a UTF-8 BOM was stripped */
  char encoding[32];           /* declared encoding, normalised ("utf-8" when none) */
  pf_position decode_error_at; /* after PF_LOAD_DECODE: where decoding failed (row 0: unknown) */
  unsigned char borrowed;      /* PF_SOURCE_BORROWED_*: what pf_source_load_in_place did not copy */
} pf_source;

enum {
  PF_SOURCE_BORROWED_TEXT = 1,  /* `text` points into the caller's bytes */
  PF_SOURCE_BORROWED_LINES = 2, /* `line_starts` is a pf_source_buffers' memory */
};

/* Memory that pf_source_load_in_place reuses from one file to the next: the line index.
 * Zero-initialise; release with pf_source_buffers_free once no source loaded through it is
 * in use. */
typedef struct pf_source_buffers {
  uint32_t *line_starts;
  size_t capacity; /* entries */
} pf_source_buffers;
void pf_source_buffers_free(pf_source_buffers *buffers);

/* Why a load failed. PF_LOAD_IO: errno-style I/O failure; PF_LOAD_DECODE: the bytes are not
 * valid in the declared (or default UTF-8) encoding; PF_LOAD_TOO_LARGE: over 4 GiB. */
typedef enum { PF_LOAD_OK = 0, PF_LOAD_IO, PF_LOAD_DECODE, PF_LOAD_TOO_LARGE } pf_load_status;

/* Reads a whole file (path) or stream (fp, when path is NULL), decodes it into `out`.
 * On failure, writes a one-line human-readable reason (without the path) into `error`
 * and leaves `out` empty. */
pf_load_status pf_source_load_file(pf_source *out, const char *path, char *error, size_t error_size);
pf_load_status pf_source_load_stream(pf_source *out, FILE *fp, char *error, size_t error_size);

/* Decodes bytes already in memory (takes no ownership of `bytes`). */
pf_load_status pf_source_load_bytes(pf_source *out, const char *bytes, size_t length, char *error,
                                    size_t error_size);

/* pf_source_load_bytes for a caller that loads file after file: nothing is allocated per
 * file in the common case. When the bytes need no decoding (UTF-8, with or without a BOM),
 * `text` points into `bytes` itself, which must have a NUL at bytes[length] and stay alive
 * and unchanged until pf_source_free; the line index goes into `buffers`, valid until the
 * next load through them. Other encodings are decoded into owned text as usual. Measured with
 * callgrind on the standard library, the copy and the two large allocations per file cost
 * about 2% of the lint: large allocations make glibc consolidate the parser's freed chunks. */
pf_load_status pf_source_load_in_place(pf_source *out, const char *bytes, size_t length,
                                       pf_source_buffers *buffers, char *error, size_t error_size);

/* Frees what the source owns (not what it borrowed). */
void pf_source_free(pf_source *source);

/* Byte offset -> 1-based row and code point column. Offsets past the end clamp to the end. */
pf_position pf_source_position(const pf_source *source, uint32_t byte_offset);

/* The last conversion made through it: converting increasing offsets on one line then costs
 * the distance between them, not the distance from the line start (a minified one-line file
 * with many findings stays linear). Zero-initialise before first use. */
typedef struct pf_position_cursor {
  int valid;
  uint32_t line, offset, column;
} pf_position_cursor;

pf_position pf_source_position_from(const pf_source *source, pf_position_cursor *cursor,
                                    uint32_t byte_offset);

/* 0-based line index containing byte_offset. */
uint32_t pf_source_line_of(const pf_source *source, uint32_t byte_offset);

/* The text of 0-based line `line` without its line break; sets *length. A line past the last
 * gives an empty line at the end of the text (never NULL). */
const char *pf_source_line_text(const pf_source *source, uint32_t line, uint32_t *length);

/* Skips the string literal whose opening quote is text[quote_at] (', ", ''' or """, with
 * backslash escapes, as Python's tokenizer reads them; exact for every valid program but
 * 3.12 f-strings that nest their own quotes). Returns the index of its closing quote's last
 * byte, of the line break that ends an unterminated one-line string, or `length`. */
uint32_t pf_skip_string_literal(const char *text, uint32_t length, uint32_t quote_at);

/* Length of the valid UTF-8 sequence at s (n bytes left, n >= 1), or 0 when it is not valid
 * (a stray continuation byte, an overlong form, a surrogate, a truncated sequence). */
size_t pf_utf8_sequence_length(const unsigned char *s, size_t n);

/* Number of code points in a UTF-8 byte range (the text is valid UTF-8). */
uint32_t pf_utf8_count_code_points(const char *text, uint32_t length);

#endif
