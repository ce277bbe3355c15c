/*
 * lang.h: the Python grammar as pitfall sees it: node kinds and field ids, resolved once.
 *
 * Owns: the tree-sitter-python TSLanguage, the table that maps every grammar symbol to a
 * small pitfall kind number (pf_kind), and the field ids rules ask for. Both are filled by
 * pf_lang_init() at start-up, before any thread starts, and are read-only afterwards, so the
 * walk and the rules never compare node type strings.
 *
 * To use a new node kind or field, add one line to PF_NODE_KINDS or PF_FIELDS below.
 */
#ifndef PITFALL_LANG_H
#define PITFALL_LANG_H

#include <stdint.h>
#include <tree_sitter/api.h>

/* X(enum suffix, grammar name): named node kinds the engine and rules dispatch on. */
#define PF_NODE_KINDS(X)                                                                                     \
  X(MODULE, "module")                                                                                        \
  X(COMMENT, "comment")                                                                                      \
  X(IDENTIFIER, "identifier")                                                                                \
  X(ATTRIBUTE, "attribute")                                                                                  \
  X(CALL, "call")                                                                                            \
  X(ARGUMENT_LIST, "argument_list")                                                                          \
  X(KEYWORD_ARGUMENT, "keyword_argument")                                                                    \
  X(SUBSCRIPT, "subscript")                                                                                  \
  X(GENERIC_TYPE, "generic_type")                                                                            \
  X(TYPE, "type")                                                                                            \
  X(TYPE_PARAMETER, "type_parameter")                                                                        \
  X(UNION_TYPE, "union_type")                                                                                \
  X(BINARY_OPERATOR, "binary_operator")                                                                      \
  X(FUNCTION_DEFINITION, "function_definition")                                                              \
  X(CLASS_DEFINITION, "class_definition")                                                                    \
  X(DECORATED_DEFINITION, "decorated_definition")                                                            \
  X(DECORATOR, "decorator")                                                                                  \
  X(LAMBDA, "lambda")                                                                                        \
  X(PARAMETERS, "parameters")                                                                                \
  X(LAMBDA_PARAMETERS, "lambda_parameters")                                                                  \
  X(DEFAULT_PARAMETER, "default_parameter")                                                                  \
  X(TYPED_DEFAULT_PARAMETER, "typed_default_parameter")                                                      \
  X(TYPED_PARAMETER, "typed_parameter")                                                                      \
  X(LIST_SPLAT_PATTERN, "list_splat_pattern")                                                                \
  X(DICTIONARY_SPLAT_PATTERN, "dictionary_splat_pattern")                                                    \
  X(SPLAT_PATTERN, "splat_pattern")                                                                          \
  X(KEYWORD_PATTERN, "keyword_pattern")                                                                      \
  X(CASE_PATTERN, "case_pattern")                                                                            \
  X(CASE_CLAUSE, "case_clause")                                                                              \
  X(AS_PATTERN, "as_pattern")                                                                                \
  X(AS_PATTERN_TARGET, "as_pattern_target")                                                                  \
  X(WITH_CLAUSE, "with_clause")                                                                              \
  X(KEYWORD_SEPARATOR, "keyword_separator")                                                                  \
  X(POSITIONAL_SEPARATOR, "positional_separator")                                                            \
  X(BLOCK, "block")                                                                                          \
  X(EXPRESSION_STATEMENT, "expression_statement")                                                            \
  X(ASSIGNMENT, "assignment")                                                                                \
  X(AUGMENTED_ASSIGNMENT, "augmented_assignment")                                                            \
  X(DELETE_STATEMENT, "delete_statement")                                                                    \
  X(NAMED_EXPRESSION, "named_expression")                                                                    \
  X(PARENTHESIZED_EXPRESSION, "parenthesized_expression")                                                    \
  X(LIST, "list")                                                                                            \
  X(DICTIONARY, "dictionary")                                                                                \
  X(SET, "set")                                                                                              \
  X(TUPLE, "tuple")                                                                                          \
  X(EXPRESSION_LIST, "expression_list")                                                                      \
  X(PATTERN_LIST, "pattern_list")                                                                            \
  X(TUPLE_PATTERN, "tuple_pattern")                                                                          \
  X(LIST_PATTERN, "list_pattern")                                                                            \
  X(PAIR, "pair")                                                                                            \
  X(LIST_COMPREHENSION, "list_comprehension")                                                                \
  X(DICTIONARY_COMPREHENSION, "dictionary_comprehension")                                                    \
  X(SET_COMPREHENSION, "set_comprehension")                                                                  \
  X(GENERATOR_EXPRESSION, "generator_expression")                                                            \
  X(FOR_STATEMENT, "for_statement")                                                                          \
  X(FOR_IN_CLAUSE, "for_in_clause")                                                                          \
  X(IF_STATEMENT, "if_statement")                                                                            \
  X(ELSE_CLAUSE, "else_clause")                                                                              \
  X(ELIF_CLAUSE, "elif_clause")                                                                              \
  X(TRY_STATEMENT, "try_statement")                                                                          \
  X(EXCEPT_CLAUSE, "except_clause")                                                                          \
  X(FINALLY_CLAUSE, "finally_clause")                                                                        \
  X(WITH_STATEMENT, "with_statement")                                                                        \
  X(WHILE_STATEMENT, "while_statement")                                                                      \
  X(IMPORT_STATEMENT, "import_statement")                                                                    \
  X(IMPORT_FROM_STATEMENT, "import_from_statement")                                                          \
  X(FUTURE_IMPORT_STATEMENT, "future_import_statement")                                                      \
  X(ALIASED_IMPORT, "aliased_import")                                                                        \
  X(DOTTED_NAME, "dotted_name")                                                                              \
  X(RELATIVE_IMPORT, "relative_import")                                                                      \
  X(WILDCARD_IMPORT, "wildcard_import")                                                                      \
  X(GLOBAL_STATEMENT, "global_statement")                                                                    \
  X(NONLOCAL_STATEMENT, "nonlocal_statement")                                                                \
  X(RETURN_STATEMENT, "return_statement")                                                                    \
  X(STRING, "string")                                                                                        \
  X(STRING_START, "string_start")                                                                            \
  X(STRING_CONTENT, "string_content")                                                                        \
  X(STRING_END, "string_end")                                                                                \
  X(CONCATENATED_STRING, "concatenated_string")                                                              \
  X(ESCAPE_SEQUENCE, "escape_sequence")                                                                      \
  X(INTERPOLATION, "interpolation")                                                                          \
  X(INTEGER, "integer")                                                                                      \
  X(FLOAT, "float")                                                                                          \
  X(TRUE, "true")                                                                                            \
  X(FALSE, "false")                                                                                          \
  X(NONE, "none")                                                                                            \
  X(ELLIPSIS, "ellipsis")                                                                                    \
  X(UNARY_OPERATOR, "unary_operator")                                                                        \
  X(CONDITIONAL_EXPRESSION, "conditional_expression")                                                        \
  X(BOOLEAN_OPERATOR, "boolean_operator")                                                                    \
  X(COMPARISON_OPERATOR, "comparison_operator")                                                              \
  X(NOT_OPERATOR, "not_operator")                                                                            \
  X(AWAIT, "await")                                                                                          \
  X(LIST_SPLAT, "list_splat")                                                                                \
  X(DICTIONARY_SPLAT, "dictionary_splat")                                                                    \
  X(SLICE, "slice")

/* X(enum suffix, grammar field name) */
#define PF_FIELDS(X)                                                                                         \
  X(NAME, "name")                                                                                            \
  X(VALUE, "value")                                                                                          \
  X(TYPE, "type")                                                                                            \
  X(LEFT, "left")                                                                                            \
  X(RIGHT, "right")                                                                                          \
  X(BODY, "body")                                                                                            \
  X(PARAMETERS, "parameters")                                                                                \
  X(FUNCTION, "function")                                                                                    \
  X(ARGUMENTS, "arguments")                                                                                  \
  X(OBJECT, "object")                                                                                        \
  X(ATTRIBUTE, "attribute")                                                                                  \
  X(KEY, "key")                                                                                              \
  X(SUPERCLASSES, "superclasses")                                                                            \
  X(DEFINITION, "definition")                                                                                \
  X(MODULE_NAME, "module_name")                                                                              \
  X(ALIAS, "alias")                                                                                          \
  X(SUBSCRIPT, "subscript")                                                                                  \
  X(OPERATOR, "operator")                                                                                    \
  X(EXPRESSION, "expression")                                                                                \
  X(RETURN_TYPE, "return_type")                                                                              \
  X(ARGUMENT, "argument")                                                                                    \
  X(CONSEQUENCE, "consequence")                                                                              \
  X(ALTERNATIVE, "alternative")

typedef enum pf_kind {
  PF_KIND_OTHER = 0, /* anything no rule asked about, anonymous tokens included */
#define PF_KIND_ENUM(suffix, name) PF_KIND_##suffix,
  PF_NODE_KINDS(PF_KIND_ENUM)
#undef PF_KIND_ENUM
      PF_KIND_COUNT
} pf_kind;

typedef struct pf_fields {
#define PF_FIELD_MEMBER(suffix, name) TSFieldId suffix;
  PF_FIELDS(PF_FIELD_MEMBER)
#undef PF_FIELD_MEMBER
} pf_fields;

/* Filled once by pf_lang_init(); read-only afterwards. */
extern const TSLanguage *pf_language;
extern pf_fields pf_field;
extern uint8_t *pf_kind_of_symbol; /* indexed by TSSymbol */
extern uint32_t pf_symbol_count;

/* Resolves kinds and fields. Returns 0, or -1 with a message in `error` when the grammar's
 * ABI is not one the runtime loads or a kind/field name is unknown to the grammar. */
int pf_lang_init(char *error, size_t error_size);

/* A parser for pf_language (after pf_lang_init()); exits with status 2 when the grammar
 * cannot be loaded. */
TSParser *pf_python_parser_new(void);

/* Gives `parser` a new external-scanner state (and resets it) before a file's parse. A
 * parser's state outlives ts_parser_reset: tree-sitter-python's scanner keeps whether it is
 * inside an f-string across parses (its deserialize of an empty state leaves that flag
 * alone), so a file after one that ended inside a broken f-string was parsed differently
 * from the same file alone, and findings depended on the thread count and the order of
 * files. Setting the language again destroys the scanner's state and creates it anew,
 * keeping the parser's grown buffers: nothing measurable in callgrind, where a new parser per
 * file cost 3% of the parse. */
void pf_python_parser_refresh(TSParser *parser);

const char *pf_kind_name(pf_kind kind);

static inline pf_kind pf_node_kind(TSNode node) {
  TSSymbol symbol = ts_node_symbol(node);
  return symbol < pf_symbol_count ? (pf_kind)pf_kind_of_symbol[symbol] : PF_KIND_OTHER;
}

static inline TSNode pf_child(TSNode node, TSFieldId field) { return ts_node_child_by_field_id(node, field); }

#endif
