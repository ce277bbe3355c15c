/*
 * walk_floor.c: the cost of one walk over every node, for the benchmark's analysis (README,
 * Speed). Parses each file named on the command line with the grammar pitfall uses and, with
 * `walk`, visits every node once with a TSTreeCursor, reading its symbol and nothing else: no
 * rules, no output. Compare the two modes' instruction counts under callgrind:
 *
 *   valgrind --tool=callgrind build/tests/walk_floor parse FILE...
 *   valgrind --tool=callgrind build/tests/walk_floor walk FILE...
 *
 * The ratio is the least any linter that visits every node once pays over the parse with this
 * runtime. Built on request only: cmake --build build --target walk_floor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_python(void);

static char *read_whole(const char *path, size_t *length) {
  FILE *file = fopen(path, "rb");
  if (!file)
    return NULL;
  size_t capacity = 1 << 16, used = 0;
  char *buffer = malloc(capacity);
  size_t got;
  while (buffer && (got = fread(buffer + used, 1, capacity - used, file)) > 0) {
    used += got;
    if (used == capacity) {
      char *grown = realloc(buffer, capacity * 2);
      if (!grown) {
        free(buffer);
        buffer = NULL;
        break;
      }
      buffer = grown;
      capacity *= 2;
    }
  }
  fclose(file);
  *length = used;
  return buffer;
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "parse") != 0 && strcmp(argv[1], "walk") != 0)) {
    fprintf(stderr, "usage: walk_floor parse|walk FILE...\n");
    return 2;
  }
  int walk = strcmp(argv[1], "walk") == 0;
  TSParser *parser = ts_parser_new();
  if (!ts_parser_set_language(parser, tree_sitter_python())) {
    fprintf(stderr, "walk_floor: the grammar's ABI does not match the runtime\n");
    return 2;
  }
  unsigned long long nodes = 0, symbols = 0;
  for (int i = 2; i < argc; i++) {
    size_t length;
    char *text = read_whole(argv[i], &length);
    if (!text) {
      fprintf(stderr, "walk_floor: cannot read %s\n", argv[i]);
      continue;
    }
    TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)length);
    if (tree && walk) {
      TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
      for (;;) {
        nodes++;
        symbols += ts_node_symbol(ts_tree_cursor_current_node(&cursor));
        if (ts_tree_cursor_goto_first_child(&cursor))
          continue;
        while (!ts_tree_cursor_goto_next_sibling(&cursor))
          if (!ts_tree_cursor_goto_parent(&cursor))
            goto walked;
      }
    walked:
      ts_tree_cursor_delete(&cursor);
    }
    if (tree)
      ts_tree_delete(tree);
    free(text);
  }
  ts_parser_delete(parser);
  printf("%d files, %llu nodes (symbol sum %llu)\n", argc - 2, nodes, symbols);
  return 0;
}
