/*
 * lang.c: resolves pitfall's node kinds and field ids against tree-sitter-python at start-up.
 * Every grammar symbol whose name matches a kind maps to it (aliases share names, so one kind
 * can cover several symbols); anonymous tokens map to PF_KIND_OTHER.
 */
#include "lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const TSLanguage *tree_sitter_python(void);

const TSLanguage *pf_language;
pf_fields pf_field;
uint8_t *pf_kind_of_symbol;
uint32_t pf_symbol_count;

static const char *const kind_names[PF_KIND_COUNT] = {[PF_KIND_OTHER] = "(other)",
#define PF_KIND_NAME(suffix, name) [PF_KIND_##suffix] = name,
                                                      PF_NODE_KINDS(PF_KIND_NAME)
#undef PF_KIND_NAME
};

const char *pf_kind_name(pf_kind kind) {
  return (unsigned)kind < PF_KIND_COUNT ? kind_names[kind] : "(invalid)";
}

int pf_lang_init(char *error, size_t error_size) {
  if (pf_language)
    return 0;
  const TSLanguage *language = tree_sitter_python();
  uint32_t version = ts_language_version(language);
  if (version < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION || version > TREE_SITTER_LANGUAGE_VERSION) {
    snprintf(error, error_size,
             "tree-sitter-python has parser ABI %u, the tree-sitter runtime loads %d to %d", version,
             TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION, TREE_SITTER_LANGUAGE_VERSION);
    return -1;
  }
  _Static_assert(PF_KIND_COUNT < 256, "pf_kind must fit in a byte");
  uint32_t count = ts_language_symbol_count(language);
  uint8_t *table = calloc(count ? count : 1, 1);
  if (!table) {
    snprintf(error, error_size, "out of memory");
    return -1;
  }
  int found[PF_KIND_COUNT] = {0};
  for (uint32_t symbol = 0; symbol < count; symbol++) {
    if (ts_language_symbol_type(language, (TSSymbol)symbol) != TSSymbolTypeRegular)
      continue;
    const char *name = ts_language_symbol_name(language, (TSSymbol)symbol);
    for (int kind = 1; kind < PF_KIND_COUNT; kind++) {
      if (strcmp(name, kind_names[kind]) == 0) {
        table[symbol] = (uint8_t)kind;
        found[kind] = 1;
        break;
      }
    }
  }
  for (int kind = 1; kind < PF_KIND_COUNT; kind++) {
    if (!found[kind]) {
      snprintf(error, error_size, "tree-sitter-python has no node kind '%s'", kind_names[kind]);
      free(table);
      return -1;
    }
  }
#define PF_FIELD_RESOLVE(suffix, name)                                                                       \
  pf_field.suffix = ts_language_field_id_for_name(language, name, (uint32_t)strlen(name));                   \
  if (!pf_field.suffix) {                                                                                    \
    snprintf(error, error_size, "tree-sitter-python has no field '%s'", name);                               \
    free(table);                                                                                             \
    return -1;                                                                                               \
  }
  PF_FIELDS(PF_FIELD_RESOLVE)
#undef PF_FIELD_RESOLVE
  pf_kind_of_symbol = table;
  pf_symbol_count = count;
  pf_language = language;
  return 0;
}

static void grammar_failed(void) {
  fputs("pitfall: error: cannot load the tree-sitter-python grammar\n", stderr);
  exit(2);
}

TSParser *pf_python_parser_new(void) {
  TSParser *parser = ts_parser_new();
  if (!parser || !ts_parser_set_language(parser, pf_language))
    grammar_failed();
  return parser;
}

void pf_python_parser_refresh(TSParser *parser) {
  if (!ts_parser_set_language(parser, pf_language))
    grammar_failed();
}
