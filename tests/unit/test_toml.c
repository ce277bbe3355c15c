/*
 * test_toml.c: unit tests for src/toml.c: every kind of value and its decoded form, positions
 * of values and keys, TOML's redefinition rules, and the one-line error for each kind of
 * broken document (with its row and column), plus inputs that stress the parser.
 */
#include "toml.h"
#include "unit.h"

#include <math.h>
#include <stdlib.h>

static pf_toml_document document;
static pf_toml_error error;

static const pf_toml_value *parse_ok(const char *text) {
  pf_toml_free(&document);
  if (pf_toml_parse(&document, text, strlen(text), &error) != 0) {
    fprintf(stderr, "unexpected error %u:%u: %s\n  in: %s\n", error.at.row, error.at.column, error.message,
            text);
    return NULL;
  }
  return document.root;
}

/* Parses `text`, which must fail, and returns "ROW:COL: message". */
static const char *parse_error(const char *text) {
  static char line[400];
  pf_toml_free(&document);
  if (pf_toml_parse(&document, text, strlen(text), &error) == 0)
    return "(parsed)";
  CHECK(document.root == NULL);
  snprintf(line, sizeof(line), "%u:%u: %s", error.at.row, error.at.column, error.message);
  return line;
}

/* Follows a dotted path of keys ("a.b.c") through nested tables. */
static const pf_toml_value *at_path(const pf_toml_value *table, const char *path) {
  char buffer[256];
  snprintf(buffer, sizeof(buffer), "%s", path);
  const pf_toml_value *value = table;
  for (char *part = strtok(buffer, "."); part && value; part = strtok(NULL, "."))
    value = pf_toml_get(value, part);
  return value;
}

static void test_scalars(void) {
  const pf_toml_value *root =
      parse_ok("s = \"tab\\there \\\"q\\\" \\\\ \\u00e9\\U0001F600\"\n"
               "lit = 'C:\\Users\\x'\n"
               "i = [0, +17, -17, 1_000, 0xDEAD_beef, 0o755, 0b1101, -9223372036854775808]\n"
               "f = [1.5, -2e3, 6.626e-34, inf, -inf, nan, 1_0.2_5]\n"
               "b = [true, false]\n"
               "d = [1979-05-27T07:32:00Z, 1979-05-27, 07:32:00, 1979-05-27T07:32:00.999]\n");
  if (!root)
    return;
  const pf_toml_value *s = pf_toml_get(root, "s");
  CHECK(s && s->type == PF_TOML_STRING);
  CHECK_EQ_STR(s ? s->string : NULL, "tab\there \"q\" \\ \xC3\xA9\xF0\x9F\x98\x80");
  CHECK_EQ_STR(pf_toml_get(root, "lit")->string, "C:\\Users\\x");
  const pf_toml_value *i = pf_toml_get(root, "i");
  CHECK_EQ_INT(i->count, 8);
  long long expected_integers[] = {0, 17, -17, 1000, 0xDEADBEEF, 0755, 13, INT64_MIN};
  size_t k = 0;
  for (const pf_toml_value *item = i->first; item; item = item->next, k++) {
    CHECK(item->type == PF_TOML_INTEGER);
    CHECK_EQ_INT(item->integer, expected_integers[k]);
  }
  const pf_toml_value *f = pf_toml_get(root, "f")->first;
  CHECK(f->number == 1.5);
  CHECK(f->next->number == -2000.0);
  CHECK(fabs(f->next->next->number - 6.626e-34) < 1e-40);
  CHECK(isinf(f->next->next->next->number) && f->next->next->next->number > 0);
  CHECK(isinf(f->next->next->next->next->number) && f->next->next->next->next->number < 0);
  CHECK(isnan(f->next->next->next->next->next->number));
  CHECK(f->next->next->next->next->next->next->number == 10.25);
  const pf_toml_value *b = pf_toml_get(root, "b");
  CHECK(b->first->type == PF_TOML_BOOLEAN && b->first->boolean == 1 && b->last->boolean == 0);
  const pf_toml_value *d = pf_toml_get(root, "d");
  CHECK(d->first->type == PF_TOML_DATETIME);
  CHECK_EQ_STR(d->first->string, "1979-05-27T07:32:00Z");
  CHECK_EQ_STR(d->last->string, "1979-05-27T07:32:00.999");
}

static void test_multiline_strings(void) {
  const pf_toml_value *root = parse_ok("a = \"\"\"\nfirst\n  second \\\n     third\"\"\"\n"
                                       "b = '''\nraw \\n stays\n'''\n"
                                       "c = \"\"\"quotes \"\" inside\"\"\"\"\n"
                                       "e = \"\"\"\"\"\"\n");
  if (!root)
    return;
  CHECK_EQ_STR(pf_toml_get(root, "a")->string, "first\n  second third");
  CHECK_EQ_STR(pf_toml_get(root, "b")->string, "raw \\n stays\n");
  CHECK_EQ_STR(pf_toml_get(root, "c")->string, "quotes \"\" inside\"");
  CHECK_EQ_STR(pf_toml_get(root, "e")->string, "");
}

static void test_tables_and_keys(void) {
  const pf_toml_value *root = parse_ok("top = 1\n"
                                       "a.b.c = 2\n"
                                       "a.b.d = 3\n"
                                       "\"quoted.key\" = 4\n"
                                       "[tool.pitfall]\n"
                                       "select = [\"PF001\"]\n"
                                       "[tool.pitfall.severity]\n"
                                       "PF001 = \"error\"\n"
                                       "[[items]]\n"
                                       "n = 1\n"
                                       "[[items]]\n"
                                       "n = 2\n"
                                       "[items.sub]\n"
                                       "x = {y.z = 5, w = [1, {v = 6}]}\n"
                                       "[tool]\n"
                                       "other = true\n");
  if (!root)
    return;
  CHECK_EQ_INT(at_path(root, "a.b.c")->integer, 2);
  CHECK_EQ_INT(at_path(root, "a.b.d")->integer, 3);
  CHECK_EQ_INT(pf_toml_get(root, "quoted.key")->integer, 4);
  CHECK(pf_toml_get(root, "quoted") == NULL);
  CHECK_EQ_STR(at_path(root, "tool.pitfall.select")->first->string, "PF001");
  CHECK_EQ_STR(at_path(root, "tool.pitfall.severity.PF001")->string, "error");
  CHECK(at_path(root, "tool.other")->boolean == 1);
  const pf_toml_value *items = pf_toml_get(root, "items");
  CHECK(items->type == PF_TOML_ARRAY && items->count == 2);
  CHECK_EQ_INT(pf_toml_get(items->first, "n")->integer, 1);
  CHECK_EQ_INT(pf_toml_get(items->last, "n")->integer, 2);
  const pf_toml_value *x = at_path(items->last, "sub.x");
  CHECK_EQ_INT(at_path(x, "y.z")->integer, 5);
  CHECK_EQ_INT(pf_toml_get(pf_toml_get(x, "w")->last, "v")->integer, 6);
  /* Entries keep document order. */
  CHECK_EQ_STR(root->first->key, "top");
  CHECK_EQ_STR(root->last->key, "items");
}

static void test_positions(void) {
  /* Columns count code points: "é" is two bytes but one column. */
  const pf_toml_value *root = parse_ok("# comment\n"
                                       "name = \"é\"   # trailing\n"
                                       "  list = [\"é\", \"x\",\n"
                                       "    \"y\"]\n"
                                       "[tool.pitfall]\n"
                                       "\"é\".k = 1\n");
  if (!root)
    return;
  const pf_toml_value *name = pf_toml_get(root, "name");
  CHECK_EQ_INT(name->key_at.row, 2);
  CHECK_EQ_INT(name->key_at.column, 1);
  CHECK_EQ_INT(name->at.row, 2);
  CHECK_EQ_INT(name->at.column, 8);
  const pf_toml_value *list = pf_toml_get(root, "list");
  CHECK_EQ_INT(list->key_at.column, 3);
  CHECK_EQ_INT(list->at.column, 10);
  CHECK_EQ_INT(list->first->next->at.row, 3);
  CHECK_EQ_INT(list->first->next->at.column, 16); /* after ["é", : 3 + 7 + 6 code points */
  CHECK_EQ_INT(list->last->at.row, 4);
  CHECK_EQ_INT(list->last->at.column, 5);
  const pf_toml_value *pitfall = at_path(root, "tool.pitfall");
  CHECK_EQ_INT(pitfall->key_at.row, 5);
  CHECK_EQ_INT(pitfall->key_at.column, 7);
  const pf_toml_value *k = pf_toml_get(pf_toml_get(pitfall, "é"), "k");
  CHECK_EQ_INT(k->key_at.row, 6);
  CHECK_EQ_INT(k->key_at.column, 5);
  CHECK_EQ_INT(k->at.column, 9);
}

static void test_byte_order_mark_and_crlf(void) {
  const pf_toml_value *root = parse_ok("\xEF\xBB\xBFx = 1\r\ny = \"\"\"\r\nz\"\"\"\r\n");
  if (!root)
    return;
  CHECK_EQ_INT(pf_toml_get(root, "x")->at.column, 5);
  CHECK_EQ_STR(pf_toml_get(root, "y")->string, "z");
}

static void test_redefinitions(void) {
  CHECK_EQ_STR(parse_error("a = 1\na = 2\n"), "2:1: invalid TOML: duplicate key a (first defined at 1:1)");
  CHECK_EQ_STR(parse_error("[a]\nx = 1\n[b]\n[a]\n"),
               "4:2: invalid TOML: table [a] is defined twice (first at 1:2)");
  CHECK_EQ_STR(parse_error("a.b = 1\n[a]\n"),
               "2:2: invalid TOML: [a] is already defined as a dotted key at 1:1");
  CHECK_EQ_STR(parse_error("[a]\nb.c = 1\n[a.b]\n"),
               "3:4: invalid TOML: [a.b] is already defined as a dotted key at 2:1");
  CHECK_EQ_STR(parse_error("a = {}\n[a.b]\n"),
               "2:2: invalid TOML: a is already defined as an inline table at 1:1, which cannot be extended");
  CHECK_EQ_STR(parse_error("a = {b = 1}\na.c = 2\n"),
               "2:1: invalid TOML: key a is already defined as an inline table at 1:1");
  CHECK_EQ_STR(parse_error("a = [1]\n[[a]]\n"),
               "2:3: invalid TOML: [[a]] is already defined as an array at 1:1");
  CHECK_EQ_STR(parse_error("[[a]]\n[a]\n"),
               "2:2: invalid TOML: [a] is already defined as an array of tables at 1:3");
  CHECK_EQ_STR(parse_error("[x]\ny = 1\n[x.y]\n"),
               "3:4: invalid TOML: [x.y] is already defined as an integer at 2:1");
  CHECK_EQ_STR(parse_error("[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n"),
               "4:3: invalid TOML: key c is already defined as a table header at 1:6");
  CHECK_EQ_STR(parse_error("x = {a = 1, a = 2}\n"),
               "1:13: invalid TOML: duplicate key a (first defined at 1:6)");
  /* What TOML allows: a header for a table a previous header only passed through, sub-tables
   * of dotted-key tables, and dotted keys through implicit tables. */
  CHECK(parse_ok("[a.b.c]\n[a]\nb.d = 1\n") != NULL);
  CHECK(parse_ok("[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n") != NULL);
  CHECK(parse_ok("[a.b]\nx = 1\n[a]\ny = 2\n") != NULL);
}

static void test_value_errors(void) {
  CHECK_EQ_STR(parse_error("x = \"\\uD800\"\n"), "1:6: invalid TOML: \\uD800 is not a Unicode scalar value");
  CHECK_EQ_STR(parse_error("x = \"\\U00110000\"\n"),
               "1:6: invalid TOML: \\U00110000 is not a Unicode scalar value");
  CHECK_EQ_STR(parse_error("x = 9223372036854775808\n"),
               "1:5: invalid TOML: integer out of range (TOML integers are 64-bit)");
  CHECK(parse_ok("x = -9223372036854775808\n") != NULL);
  CHECK_EQ_STR(parse_error("x = \"\xC3\xA9\xFF\"\n"), "1:7: invalid TOML: the file is not valid UTF-8");
  CHECK_EQ_STR(parse_error("x = \"\xED\xA0\x80\"\n"), "1:6: invalid TOML: the file is not valid UTF-8");
  CHECK_EQ_STR(parse_error("x = \"\xC0\xAF\"\n"), "1:6: invalid TOML: the file is not valid UTF-8");
}

static void test_syntax_errors(void) {
  CHECK_EQ_STR(parse_error("select = PF001\n"),
               "1:10: TOML syntax error: unexpected 'PF001' (a string value needs quotes)");
  CHECK_EQ_STR(parse_error("respect-gitignore = yes\n"),
               "1:21: TOML syntax error: unexpected 'yes' (a string value needs quotes)");
  CHECK_EQ_STR(parse_error("a = \n"), "1:4: TOML syntax error: expected a value after '='");
  CHECK_EQ_STR(parse_error("= 1\n"), "1:1: TOML syntax error: expected a key before '='");
  CHECK_EQ_STR(parse_error("[tool.pitfall\nx = 1\n"),
               "1:14: TOML syntax error: expected ']' to close the table header");
  CHECK_EQ_STR(parse_error("[[a]\n"), "1:5: TOML syntax error: expected ']]' to close the table header");
  CHECK_EQ_STR(parse_error("[tool.pitfall\nselect = []\n"),
               "1:14: TOML syntax error: expected ']' to close the table header");
  CHECK_EQ_STR(parse_error("[a] x = 1\n"),
               "1:5: TOML syntax error: unexpected 'x' (a table header must end its line)");
  CHECK_EQ_STR(parse_error("x = \"abc\n"), "1:5: TOML syntax error: this string is never closed");
  CHECK_EQ_STR(parse_error("x = 'abc\n"), "1:5: TOML syntax error: this string is never closed");
  CHECK_EQ_STR(parse_error("x = [1, 2\n"), "1:5: TOML syntax error: this array is never closed with ']'");
  CHECK_EQ_STR(parse_error("x = {a = 1\n"),
               "1:5: TOML syntax error: this inline table is never closed with '}'");
  CHECK_EQ_STR(parse_error("select = [\"PF001\"\nignore = []\n"),
               "2:1: TOML syntax error: unexpected 'ignore' in the array");
  CHECK_EQ_STR(parse_error("x = [1 2]\n"), "1:8: TOML syntax error: unexpected '2' in the array");
  /* Of two commas in a row, the parser keeps the second as the separator. */
  CHECK_EQ_STR(parse_error("x = [1,, 2]\n"), "1:7: TOML syntax error: unexpected ',' in the array");
  CHECK_EQ_STR(parse_error("x = {a = 1 b = 2}\n"),
               "1:12: TOML syntax error: unexpected 'b' in the inline table");
  CHECK_EQ_STR(parse_error("a = 1 b = 2\n"), "1:6: TOML syntax error: expected a line break after the value");
  CHECK_EQ_STR(parse_error("x = \"a\" \"b\"\n"),
               "1:8: TOML syntax error: expected a line break after the value");
  CHECK_EQ_STR(parse_error("x = \"\\q\"\n"), "1:6: TOML syntax error: unexpected '\\'");
  CHECK_EQ_STR(parse_error("x = 00\n"), "1:6: TOML syntax error: unexpected '0'");
  CHECK_EQ_STR(parse_error("x = 1.\n"), "1:6: TOML syntax error: unexpected '.'");
  CHECK_EQ_STR(parse_error("x.= 1\n"), "1:3: TOML syntax error: expected a key");
  CHECK_EQ_STR(parse_error("x = {a = [1}\n"), "1:12: TOML syntax error: expected ']'");
  CHECK_EQ_STR(parse_error("[a]]\n"), "1:3: TOML syntax error: unexpected ']'");
  CHECK_EQ_STR(parse_error("x = 1\n\xC3\xA9 = 2\n"), "2:1: TOML syntax error: unexpected '\xC3\xA9'");
  CHECK_EQ_STR(parse_error("x = 1\x01\n"), "1:6: TOML syntax error: unexpected control character 0x01");
}

/* Inputs that nest or repeat far beyond any real file: no recursion, no crash, and a clear
 * error where the runtime's recovery would otherwise corrupt its own heap. */
static void test_stress(void) {
  enum { DEPTH = 100000 };
  char *text = malloc(DEPTH * 2 + 16);
  size_t n = 0;
  memcpy(text, "a = ", 4);
  n = 4;
  for (int i = 0; i < DEPTH; i++)
    text[n++] = '[';
  for (int i = 0; i < DEPTH; i++)
    text[n++] = ']';
  text[n++] = '\n';
  text[n] = '\0';
  const pf_toml_value *root = parse_ok(text);
  const pf_toml_value *value = root ? pf_toml_get(root, "a") : NULL;
  int depth = 0;
  while (value && value->type == PF_TOML_ARRAY && value->first) {
    value = value->first;
    depth++;
  }
  CHECK_EQ_INT(depth, DEPTH - 1);

  /* 70,000 unclosed brackets: an ERROR node past 65,535 children. */
  n = 4;
  for (int i = 0; i < 70000; i++)
    text[n++] = '[';
  text[n++] = '\n';
  text[n] = '\0';
  CHECK_EQ_STR(parse_error(text),
               "1:1: TOML syntax error: cannot parse the text from here (too many tokens out of place)");

  /* A header with many dotted parts. */
  n = 0;
  text[n++] = '[';
  for (int i = 0; i < 20000; i++) {
    text[n++] = i ? '.' : 'k';
    if (i)
      text[n++] = 'k';
  }
  memcpy(text + n, "]\nx = 1\n", 9);
  CHECK(parse_ok(text) != NULL);
  free(text);
}

int main(void) {
  test_scalars();
  test_multiline_strings();
  test_tables_and_keys();
  test_positions();
  test_byte_order_mark_and_crlf();
  test_redefinitions();
  test_value_errors();
  test_syntax_errors();
  test_stress();
  pf_toml_free(&document);
  return unit_report("test_toml");
}
