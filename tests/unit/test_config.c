/*
 * test_config.c: unit tests for src/config.c through its interface: the settings each file
 * gets (enabled rules, severities, name lists, per-file variants shared between files), the
 * exclusion callback, the problems reported for broken files, "did you mean" for every key,
 * and that every code in the rule registry is accepted, so rules added later need no change
 * here. Each case builds a tree under mkdtemp() and removes it afterwards.
 */
#include "config.h"
#include "gitignore.h"
#include "registry.h"
#include "unit.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

static const char *at(const char *relative) {
  static char buffers[8][512];
  static int next;
  char *buffer = buffers[next++ % 8];
  snprintf(buffer, sizeof(buffers[0]), "%s/%s", root, relative);
  return buffer;
}

/* Writes `text` to root/relative, creating directories on the way. */
static void write_file(const char *relative, const char *text) {
  char path[512];
  snprintf(path, sizeof(path), "%s", at(relative));
  for (char *slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    mkdir(path, 0755);
    *slash = '/';
  }
  FILE *file = fopen(path, "w");
  if (!file) {
    fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
    return;
  }
  fputs(text, file);
  fclose(file);
}

static void make_root(void) {
  snprintf(root, sizeof(root), "/tmp/pitfall-config-XXXXXX");
  if (!mkdtemp(root))
    fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
}

static void remove_root(void) {
  char command[600];
  snprintf(command, sizeof(command), "rm -rf '%s'", root);
  if (system(command) != 0)
    fprintf(stderr, "could not remove %s\n", root);
}

/* A resolver for `pitfall check ARGS...` run in root; NULL-terminated arguments. */
static pf_config_resolver *resolver_for(pf_cli *cli, const char **arguments, char *error, size_t error_size) {
  char *argv[32] = {"pitfall", "check"};
  int argc = 2;
  for (size_t i = 0; arguments && arguments[i] && argc < 31; i++)
    argv[argc++] = (char *)arguments[i];
  if (pf_cli_parse(cli, argc, argv) != 0) {
    snprintf(error, error_size, "%.200s", cli->error);
    return NULL;
  }
  return pf_config_resolver_new(cli, root, error, error_size);
}

static size_t rule_index(const char *code) {
  size_t index = 0;
  if (!pf_rule_find(code, &index))
    fprintf(stderr, "no rule %s\n", code);
  return index;
}

static void test_settings_per_file(void) {
  make_root();
  write_file("pitfall.toml", "select = [\"PF0\"]\n"
                             "ignore = [\"PF000\"]\n"
                             "extend-mutable-calls = [\"mylib.Registry\", \"mylib.Registry\"]\n"
                             "extend-immutable-annotations = [\"mylib.FrozenList\"]\n"
                             "path-calls = [\"mylib.open_path\"]\n"
                             "[severity]\nPF001 = \"error\"\n"
                             "[per-file-ignores]\n\"tests/*\" = [\"PF001\"]\n");
  write_file("sub/pyproject.toml", "[tool.pitfall]\nignore = [\"PF001\"]\n");
  write_file("other/pyproject.toml", "[project]\nname = \"x\"\n");
  pf_cli cli;
  char error[256] = "";
  pf_config_resolver *resolver = resolver_for(&cli, NULL, error, sizeof(error));
  CHECK(resolver != NULL);
  if (!resolver)
    return;
  size_t pf000 = rule_index("PF000"), pf001 = rule_index("PF001");
  const pf_settings *top = pf_config_settings_for(resolver, "a.py");
  CHECK(!top->enabled[pf000] && top->enabled[pf001]);
  CHECK_EQ_INT(top->severity_override[pf001], PF_SEVERITY_ERROR);
  CHECK_EQ_INT(top->severity_override[pf000], 0);
  CHECK_EQ_INT(top->extend_mutable_calls.count, 1); /* repeated names are kept once */
  CHECK(pf_name_list_contains(&top->extend_mutable_calls, "mylib.Registry", 14));
  CHECK(pf_name_list_contains(&top->extend_immutable_annotations, "mylib.FrozenList", 16));
  CHECK(pf_name_list_contains(&top->path_calls, "mylib.open_path", 15));
  CHECK(pf_config_settings_for(resolver, "other/deep/b.py") == top); /* no [tool.pitfall]: skipped */
  CHECK(pf_config_settings_for(resolver, at("c.py")) == top);        /* absolute paths too */

  const pf_settings *tests = pf_config_settings_for(resolver, "tests/t.py");
  CHECK(tests != top && !tests->enabled[pf001] && !tests->enabled[pf000]);
  CHECK_EQ_INT(tests->severity_override[pf001], PF_SEVERITY_ERROR);
  CHECK(tests->extend_mutable_calls.names == top->extend_mutable_calls.names); /* shared, not copied */
  CHECK(pf_config_settings_for(resolver, "tests/u.py") == tests);              /* one variant per outcome */
  CHECK(pf_config_settings_for(resolver, "tests/deep/v.py") == tests);         /* its directory matches */

  const pf_settings *sub = pf_config_settings_for(resolver, "sub/x/y.py");
  CHECK(sub->enabled[pf000] && !sub->enabled[pf001]); /* not merged with the parent's */
  CHECK_EQ_INT(sub->severity_override[pf001], 0);
  CHECK_EQ_INT(sub->extend_mutable_calls.count, 0);
  CHECK_EQ_INT(pf_config_error_count(resolver), 0);
  pf_config_resolver_free(resolver);
  pf_cli_free(&cli);

  /* The command line layers over the configuration: --select starts over. */
  const char *select[] = {"--select", "PF000", "--extend-select=PF001", "--ignore", "PF001", NULL};
  resolver = resolver_for(&cli, select, error, sizeof(error));
  if (resolver) {
    const pf_settings *settings = pf_config_settings_for(resolver, "a.py");
    CHECK(settings->enabled[pf000] && !settings->enabled[pf001]);
    pf_config_resolver_free(resolver);
  }
  pf_cli_free(&cli);

  /* --isolated: the defaults and the command line only. */
  const char *isolated[] = {"--isolated", "--ignore", "PF000", NULL};
  resolver = resolver_for(&cli, isolated, error, sizeof(error));
  if (resolver) {
    const pf_settings *settings = pf_config_settings_for(resolver, "sub/x.py");
    CHECK(!settings->enabled[pf000] && settings->enabled[pf001]);
    CHECK_EQ_INT(settings->severity_override[pf001], 0);
    pf_config_resolver_free(resolver);
  }
  pf_cli_free(&cli);
  remove_root();
}

static void test_excludes(void) {
  make_root();
  write_file("pitfall.toml", "extend-exclude = [\"gen\", \"legacy/*.py\"]\n");
  write_file("sub/pitfall.toml", "exclude = [\"only_this\"]\n");
  pf_cli cli;
  char error[256] = "";
  pf_config_resolver *resolver = resolver_for(&cli, NULL, error, sizeof(error));
  if (!resolver)
    return;
  CHECK_EQ_INT(pf_config_is_excluded(resolver, "gen", ".", 0), 1);
  CHECK_EQ_INT(pf_config_is_excluded(resolver, "pkg/gen", ".", 0), 1);
  CHECK_EQ_INT(pf_config_is_excluded(resolver, "legacy/a.py", ".", 0), 1);
  CHECK_EQ_INT(pf_config_is_excluded(resolver, "legacy/sub/a.py", ".", 0), 0);
  CHECK_EQ_INT(pf_config_is_excluded(resolver, ".venv", ".", 0), 1);       /* defaults kept */
  CHECK_EQ_INT(pf_config_is_excluded(resolver, "sub/.venv", "sub", 0), 0); /* sub's exclude replaces */
  CHECK_EQ_INT(pf_config_is_excluded(resolver, "sub/only_this", "sub", 0), 1);
  CHECK_EQ_INT(pf_config_is_excluded(resolver, "sub/gen", "sub", 0), 0);       /* not merged */
  CHECK_EQ_INT(pf_config_is_excluded(resolver, "gen/a.py", "gen/a.py", 1), 0); /* named: taken */
  pf_config_resolver_free(resolver);
  pf_cli_free(&cli);

  const char *force[] = {"--force-exclude", "--stdin-filename", "gen/new.py", NULL};
  resolver = resolver_for(&cli, force, error, sizeof(error));
  if (resolver) {
    CHECK_EQ_INT(pf_config_is_excluded(resolver, "gen/a.py", "gen/a.py", 1), 1);
    CHECK_EQ_INT(pf_config_is_excluded(resolver, "gen/x/a.py", "gen/x/a.py", 1), 1);
    CHECK_EQ_INT(pf_config_is_excluded(resolver, "keep.py", "keep.py", 1), 0);
    CHECK_EQ_INT(pf_config_is_excluded(resolver, "-", "-", 1), 1);
    CHECK_EQ_INT(pf_config_is_excluded(resolver, "sub/only_this/x.py", "sub/only_this/x.py", 1), 1);
    pf_config_resolver_free(resolver);
  }
  pf_cli_free(&cli);
  remove_root();
}

/* Runs a resolver over a pitfall.toml holding `text` and returns its problems, one per line. */
static const char *problems_of(const char *text) {
  static char lines[2048];
  make_root();
  write_file("pitfall.toml", text);
  pf_cli cli;
  char error[256] = "";
  lines[0] = '\0';
  const char *arguments[] = {"--config", "pitfall.toml", NULL};
  pf_config_resolver *resolver = resolver_for(&cli, arguments, error, sizeof(error));
  if (!resolver) {
    snprintf(lines, sizeof(lines), "(command line) %s", error);
  } else {
    for (size_t i = 0; i < pf_config_error_count(resolver); i++) {
      strncat(lines, pf_config_error(resolver, i), sizeof(lines) - strlen(lines) - 2);
      strncat(lines, "\n", sizeof(lines) - strlen(lines) - 1);
    }
    pf_config_resolver_free(resolver);
  }
  pf_cli_free(&cli);
  remove_root();
  return lines;
}

static void test_did_you_mean(void) {
  struct {
    const char *typo, *key;
  } cases[] = {
      {"selct", "select"},
      {"extend_select", "extend-select"},
      {"ignored", "ignore"},
      {"per-file-ignore", "per-file-ignores"},
      {"excludes", "exclude"},
      {"extendexclude", "extend-exclude"},
      {"respect_gitignore", "respect-gitignore"},
      {"extend-mutable-call", "extend-mutable-calls"},
      {"extend-immutable-annotation", "extend-immutable-annotations"},
      {"path-call", "path-calls"},
      {"severities", "severity"},
      {"SELECT", "select"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char text[128], expected[256];
    snprintf(text, sizeof(text), "%s = 1\n", cases[i].typo);
    snprintf(expected, sizeof(expected), "pitfall.toml:1:1: unknown key '%s' (did you mean '%s'?)\n",
             cases[i].typo, cases[i].key);
    CHECK_EQ_STR(problems_of(text), expected);
  }
  CHECK_EQ_STR(problems_of("target-version = \"py38\"\n"),
               "pitfall.toml:1:1: unknown key 'target-version'\n");
}

static void test_problems(void) {
  CHECK_EQ_STR(problems_of("select = [\"PF001\"]\nignore = 7\n"),
               "pitfall.toml:2:10: 'ignore' must be an array of rule codes, found an integer\n");
  CHECK_EQ_STR(
      problems_of("select = [\"PF001\", \"XYZ\"]\nextend-select = [1.5]\n"),
      "pitfall.toml:1:20: unknown rule code or prefix 'XYZ' in 'select' (`pitfall rules` lists them)\n"
      "pitfall.toml:2:18: 'extend-select' must hold only strings (rule codes), found a float\n");
  CHECK_EQ_STR(problems_of("select = [\n"),
               "pitfall.toml:1:10: TOML syntax error: this array is never closed with ']'\n");
  CHECK_EQ_STR(problems_of(""), "");
  CHECK_EQ_STR(problems_of("select = []\n[severity]\n"), "");
}

/* Every code in the registry, and every prefix of one from "PF" on, is a valid selector: the
 * check consults the registry, so rules registered later are accepted as they come. */
static void test_registry_codes_accepted(void) {
  char text[4096] = "select = [\"ALL\"";
  for (size_t i = 0; i < pf_rule_count; i++) {
    const char *code = pf_rules[i]->code;
    for (size_t length = 2; length <= strlen(code); length++) {
      char item[32];
      snprintf(item, sizeof(item), ", \"%.*s\"", (int)length, code);
      strncat(text, item, sizeof(text) - strlen(text) - 1);
    }
  }
  strncat(text, "]\n", sizeof(text) - strlen(text) - 1);
  CHECK_EQ_STR(problems_of(text), "");
}

int main(void) {
  test_settings_per_file();
  test_excludes();
  test_did_you_mean();
  test_problems();
  test_registry_codes_accepted();
  return unit_report("test_config");
}
