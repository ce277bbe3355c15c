/*
 * test_walk.c: the grammar facts the walk in src/lint.c relies on to skip cursor calls:
 *   - a node's visible child count is exactly how many children the cursor steps through,
 *     so the walk can go from a last child straight to its parent;
 *   - the module's children never have a field, so the walk does not look theirs up;
 *   - in a tree without errors, the kinds pf_kind_ends_with_closing_token names end with an
 *     anonymous `)`, `]` or `}`, which the walk does not step onto.
 * Checked with a plain cursor walk over source that uses every statement kind, valid and not,
 * and every bracketed kind with comments, trailing commas and nesting.
 */
#include "lang.h"
#include "lint.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

static const char *const samples[] = {
    "import os, sys as system\nfrom . import x\nfrom __future__ import annotations\n"
    "@decorator(1)\nclass A(B, metaclass=M):\n    '''doc'''\n    x: int = 1\n"
    "    def f(self, a, /, b=[], *args, c: int = {}, **kw) -> None:\n"
    "        global g\n        nonlocal_x = lambda y=(): y\n        return [i for i in a if i]\n"
    "async def g():\n    async with a as b, c:\n        await b\n    async for i in c:\n        yield i\n"
    "match command:\n    case [x, *rest] if x:\n        pass\n    case {'k': v, **kw}:\n        pass\n"
    "    case Point(x=0) | None:\n        pass\n    case _:\n        pass\n"
    "try:\n    pass\nexcept* (E, F) as e:\n    raise\nelse:\n    pass\nfinally:\n    del a[0], b.c\n"
    "while x := f():\n    break\nelse:\n    continue\n"
    "for a, (b, c) in d:\n    print(f'{a!r:>{w}}', *b, **c)\n"
    "type Alias[T] = list[T]\nx = y if z else (w, *v)\nassert x, 'message'\nwith open(p) as f: pass\n"
    "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\nx += 1; y @= 2\nprint >> sys.stderr, 'x'\nexec "
    "'code'\n",
    /* Broken input: ERROR and MISSING nodes. */
    /* Bracketed kinds with comments before the closer, trailing commas, nesting. */
    "f(a,  # c\n  b,\n)\nf(x for x in y)\nf(*a, **k)\ng()\nd[1:2, ...]\nd[a,  # c\n]\n"
    "t = ((1,), (), (\n  2,  # c\n))\nl = [[], [1, [2]],  # c\n]\ns = {1, {2}.pop()}\n"
    "m = {}; m = {1: {}, **m,  # c\n}\nc = [i for i in x  # c\n]\nc = {i for i in x}\n"
    "c = {k: v for k, v in x}\np = (yield)\np = (  # c\n  a\n)\ndef h(a, *, b=(1, 2)  # c\n): pass\n"
    "def k(): pass\nclass C(): pass\nprint(f'{d[1]}', f'{(lambda: [1])()}')\n",
    "def f(:\n  x = (1,\n  y = [\nclass\n  ))) ]\nif x\n  print(\"a)\n",
    "x = (((((((\ndef g(a=[]:\n    return {1: 2,, 3}\n@\n",
};

static void check_sample(TSParser *parser, const char *text) {
  TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)strlen(text));
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  /* Per depth: how many children the cursor stepped through, and how many the node said. */
  uint32_t stepped[256] = {0}, expected[256] = {0};
  uint32_t depth = 0;
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (!ts_node_has_error(ts_tree_root_node(tree)) && pf_kind_ends_with_closing_token(pf_node_kind(node))) {
      uint32_t count = ts_node_child_count(node);
      CHECK(count > 0);
      TSNode last = ts_node_child(node, count - 1);
      const char *type = ts_node_type(last);
      CHECK(!ts_node_is_named(last));
      CHECK(strcmp(type, ")") == 0 || strcmp(type, "]") == 0 || strcmp(type, "}") == 0);
    }
    if (depth == 1)
      CHECK_EQ_INT(ts_tree_cursor_current_field_id(&cursor), 0);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      depth++;
      CHECK(depth < 256);
      stepped[depth] = 1;
      expected[depth] = ts_node_child_count(node);
      continue;
    }
    CHECK_EQ_INT(ts_node_child_count(node), 0);
    for (;;) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        stepped[depth]++;
        break;
      }
      if (!ts_tree_cursor_goto_parent(&cursor))
        goto done;
      CHECK_EQ_INT(stepped[depth], expected[depth]);
      depth--;
    }
  }
done:
  ts_tree_cursor_delete(&cursor);
  ts_tree_delete(tree);
}

int main(void) {
  char error[256];
  CHECK_EQ_INT(pf_lang_init(error, sizeof(error)), 0);
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, pf_language);
  for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
    check_sample(parser, samples[i]);
  /* A module too long for one repeat node: many levels of hidden nodes. */
  size_t lines = 5000;
  char *many = malloc(lines * 6 + 1);
  for (size_t i = 0; i < lines; i++)
    memcpy(many + i * 6, "x = 1\n", 6);
  many[lines * 6] = '\0';
  check_sample(parser, many);
  free(many);
  ts_parser_delete(parser);
  return unit_report("walk");
}
