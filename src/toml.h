/*
 * toml.h: TOML documents as a tree of values with positions, parsed with tree-sitter-toml.
 *
 * Owns: turning the syntax tree of a TOML file into values (strings with their escapes
 * decoded, 64-bit integers, floats, booleans, date-times kept as written, arrays, inline
 * tables, tables and arrays of tables, dotted keys expanded into nested tables), each with
 * the 1-based row and code point column where it (and its key) starts. The grammar decides
 * what is syntactically valid; this module adds what TOML requires beyond the grammar: valid
 * UTF-8, no key defined twice, no table header repeated, no table reopened with dotted keys
 * or extended after being written inline, Unicode escapes that name a scalar value, integers
 * that fit in 64 bits.
 *
 * A document that breaks any of these rules gives one error: its position and a message.
 * Nothing here recurses on the nesting depth of the document.
 *
 * Memory: every value of a document lives in the document's arena; pf_toml_free releases it.
 */
#ifndef PITFALL_TOML_H
#define PITFALL_TOML_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "source.h"

typedef enum pf_toml_type {
  PF_TOML_STRING,
  PF_TOML_INTEGER,
  PF_TOML_FLOAT,
  PF_TOML_BOOLEAN,
  PF_TOML_DATETIME,
  PF_TOML_ARRAY,
  PF_TOML_TABLE,
} pf_toml_type;

typedef struct pf_toml_value pf_toml_value;

struct pf_toml_value {
  pf_toml_type type;
  pf_position at; /* where the value starts; a table defined by a header: the header's key */
  /* In a table: this entry's key (decoded, NUL-terminated, may hold NUL bytes) and where the
   * key (for a dotted key, the part that named this entry) starts. NULL in an array. */
  const char *key;
  size_t key_length;
  pf_position key_at;
  /* STRING: the decoded text; DATETIME: the text as written. NUL-terminated. */
  const char *string;
  size_t length;
  int64_t integer;
  double number;
  int boolean;
  /* ARRAY: its items; TABLE: its entries, both in document order. */
  pf_toml_value *first, *last;
  size_t count;
  pf_toml_value *next;
  /* How a table or array came to be, and in which table section (internal bookkeeping for
   * TOML's rules on redefinition). */
  unsigned char origin;
  uint32_t section;
};

typedef struct pf_toml_document {
  pf_arena arena;
  pf_toml_value *root; /* a table; NULL when parsing failed */
} pf_toml_document;

typedef struct pf_toml_error {
  pf_position at;
  char message[256];
} pf_toml_error;

/* Parses `length` bytes of `text` (a leading UTF-8 byte order mark is skipped). Returns 0,
 * or -1 with `error` filled (and no root). Call pf_toml_free in both cases. */
int pf_toml_parse(pf_toml_document *document, const char *text, size_t length, pf_toml_error *error);
void pf_toml_free(pf_toml_document *document);

/* The entry of `table` whose key is `key` (NUL-terminated), or NULL. */
const pf_toml_value *pf_toml_get(const pf_toml_value *table, const char *key);

/* "a string", "an integer", "an array", ... for messages about wrong types. */
const char *pf_toml_type_phrase(pf_toml_type type);

#endif
