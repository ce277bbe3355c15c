#!/usr/bin/env python3
"""Configuration files end to end: which file applies (precedence in one directory, the
closest one up the tree, never merged), every key, the command-line flags that mirror them,
--config, --isolated, --force-exclude and --stdin-filename."""
import json
import os

from clitest import check, finish, remove_tree, run, temporary_tree

# Each file gets PF001 at 1:9 and PF000 at 5:1, so the two rules show what a configuration did.
SRC = "def f(x=[]):\n    return x\n\n\nx = )\n"
BOTH = ["1:9 PF001", "5:1 PF000"]
ONLY_PF001 = ["1:9 PF001"]
ONLY_PF000 = ["5:1 PF000"]
ENV = {"HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1"}


def lint(*arguments, cwd, stdin=None):
    return run("check", *arguments, cwd=cwd, stdin=stdin, env=ENV)


def findings(result):
    """{path: ["ROW:COL CODE", ...]} from concise output."""
    found = {}
    for line in result.stdout.decode().splitlines():
        path, row, column, rest = line.split(":", 3)
        found.setdefault(path, []).append(f"{row}:{column} {rest.split()[0]}")
    return found


def severities(result):
    """{(path, code): severity} from JSON output (paths relative to the run's directory)."""
    return {(os.path.basename(item["filename"]), item["code"]): item["severity"] for item in json.loads(result.stdout)}


# ---- precedence in one directory: .pitfall.toml > pitfall.toml > pyproject.toml ----
root = temporary_tree({
    "x.py": SRC,
    ".pitfall.toml": 'ignore = ["PF000"]\n',
    "pitfall.toml": 'ignore = ["PF001"]\n',
    "pyproject.toml": '[project]\nname = "demo"\n\n[tool.pitfall]\nseverity = { PF001 = "error" }\n',
})
check(".pitfall.toml wins", findings(lint(cwd=root)) == {"x.py": ONLY_PF001}, findings(lint(cwd=root)))
os.remove(os.path.join(root, ".pitfall.toml"))
check("pitfall.toml beats pyproject.toml", findings(lint(cwd=root)) == {"x.py": ONLY_PF000}, findings(lint(cwd=root)))
os.remove(os.path.join(root, "pitfall.toml"))
result = lint("--output-format", "json", cwd=root)
check("pyproject.toml [tool.pitfall] read", severities(result) == {("x.py", "PF001"): "error", ("x.py", "PF000"): "error"},
      result.stdout)
os.remove(os.path.join(root, "pyproject.toml"))
result = lint("--output-format", "json", cwd=root)
check("no configuration: defaults", severities(result) == {("x.py", "PF001"): "warning", ("x.py", "PF000"): "error"},
      result.stdout)
remove_tree(root)

# ---- the closest configuration applies, found upwards from each file; never merged ----
root = temporary_tree({
    "top.py": SRC,
    "pitfall.toml": 'ignore = ["PF000"]\n',
    "a/a.py": SRC,
    "a/pyproject.toml": '[tool.pitfall]\nselect = ["PF000"]\n',
    "a/b/b.py": SRC,
    "a/b/.pitfall.toml": 'severity = { PF001 = "error" }\n',
    "a/b/c/c.py": SRC,
    "a/b/c/d/pyproject.toml": '[project]\nname = "not-pitfall"\n',
    "a/b/c/d/d.py": SRC,
    "e/e.py": SRC,
})
expected = {
    "top.py": ONLY_PF001,
    "a/a.py": ONLY_PF000,
    "a/b/b.py": BOTH,  # its own file: the parents' ignore and select do not carry over
    "a/b/c/c.py": BOTH,
    "a/b/c/d/d.py": BOTH,  # a pyproject.toml without [tool.pitfall] is skipped
    "e/e.py": ONLY_PF001,
}
result = lint(cwd=root)
check("nested: each file uses its closest configuration", findings(result) == expected, findings(result))
result = lint("--output-format", "json", cwd=root)
check("nested: a/b's severity applies below it",
      severities(result)[("c.py", "PF001")] == "error" and severities(result)[("d.py", "PF001")] == "error",
      result.stdout)
result = lint(".", cwd=os.path.join(root, "a", "b", "c"))
check("nested: found upwards from a deeper working directory", findings(result) == {"c.py": BOTH, "d/d.py": BOTH},
      findings(result))
result = lint(os.path.join(root, "a", "a.py"), cwd="/")
check("nested: absolute path from elsewhere", list(findings(result).values()) == [ONLY_PF000], findings(result))
result = lint("../top.py", "b/b.py", cwd=os.path.join(root, "a"))
check("nested: each named file uses its own", findings(result) == {"../top.py": ONLY_PF001, "b/b.py": BOTH},
      findings(result))

# --config imposes one file on every file; --isolated uses none.
result = lint("--config", "a/pyproject.toml", cwd=root)
check("--config applies to every file", all(v == ONLY_PF000 for v in findings(result).values())
      and len(findings(result)) == 6, findings(result))
result = lint("--config=pitfall.toml", "a/b/b.py", cwd=root)
check("--config=PATH", findings(result) == {"a/b/b.py": ONLY_PF001}, findings(result))
result = lint("--isolated", cwd=root)
check("--isolated ignores every configuration", all(v == BOTH for v in findings(result).values())
      and len(findings(result)) == 6, findings(result))
result = lint("--config", "missing.toml", cwd=root)
check("--config missing file: exit 2", result.returncode == 2 and result.stderr.decode() ==
      "pitfall: error: --config: cannot read 'missing.toml': No such file or directory\n", result.stderr)
result = lint("--config", "pitfall.toml", "--config=a/pyproject.toml", cwd=root)
check("--config twice: exit 2", result.returncode == 2 and result.stderr.decode() ==
      "pitfall: error: --config given twice ('pitfall.toml', then 'a/pyproject.toml'): only one configuration file "
      "can apply\n", result.stderr)
result = lint("--config", "pitfall.toml", "--config", "pitfall.toml", "a/b/b.py", cwd=root)
check("--config twice with the same file", findings(result) == {"a/b/b.py": ONLY_PF001}, result.stderr)
result = lint("--config", "pitfall.toml", "--isolated", cwd=root)
check("--config with --isolated: exit 2", result.returncode == 2 and b"cannot be used together" in result.stderr,
      result.stderr)

# --stdin-filename decides which configuration applies to standard input.
result = lint("--stdin-filename", "a/b/new.py", "-", cwd=root, stdin=SRC.encode())
check("stdin placed by --stdin-filename", findings(result) == {"a/b/new.py": BOTH}, findings(result))
result = lint("--stdin-filename", "a/new.py", "-", cwd=root, stdin=SRC.encode())
check("stdin placed in a/", findings(result) == {"a/new.py": ONLY_PF000}, findings(result))
result = lint("-", cwd=root, stdin=SRC.encode())
check("stdin without a name: the working directory's", findings(result) == {"-": ONLY_PF001}, findings(result))
remove_tree(root)

# ---- rule selection: select, extend-select, ignore, prefixes, ALL, specificity ----
def selection(config, *flags):
    tree = temporary_tree({"x.py": SRC, "pitfall.toml": config})
    result = lint(*flags, cwd=tree)
    remove_tree(tree)
    return findings(result).get("x.py", [])


check("select one rule", selection('select = ["PF001"]\n') == ONLY_PF001)
check("select a prefix, any case", selection('select = ["pf00"]\n') == BOTH)
check("select nothing", selection('select = []\n') == [])
check("extend-select adds to select", selection('select = ["PF000"]\nextend-select = ["PF001"]\n') == BOTH)
check("ignore a prefix", selection('ignore = ["PF0"]\n') == [])
check("ALL then ignore", selection('select = ["ALL"]\nignore = ["PF000"]\n') == ONLY_PF001)
check("a more specific select beats a prefix ignore", selection('select = ["PF001"]\nignore = ["PF0"]\n') == ONLY_PF001)
check("a more specific ignore beats a prefix select", selection('select = ["PF0"]\nignore = ["PF001"]\n') == ONLY_PF000)
check("ignore wins a tie", selection('select = ["PF001"]\nignore = ["PF001"]\n') == [])
check("--select replaces the configuration's selection",
      selection('select = ["PF000"]\nignore = ["PF001"]\n', "--select", "PF001") == ONLY_PF001)
check("--extend-select adds", selection('select = ["PF000"]\n', "--extend-select=PF001") == BOTH)
check("--ignore removes", selection('select = ["ALL"]\n', "--ignore", "PF000") == ONLY_PF001)
check("--select with several codes", selection('select = []\n', "--select", "PF000, PF001") == BOTH)
check("repeated --ignore accumulates", selection('', "--ignore", "PF000", "--ignore", "PF001") == [])
tree = temporary_tree({"x.py": SRC})
result = lint("--select", "PF001,PF999", cwd=tree)
check("--select unknown code: exit 2", result.returncode == 2 and result.stderr.decode() ==
      "pitfall: error: --select: unknown rule code or prefix 'PF999' (`pitfall rules` lists them)\n", result.stderr)
result = lint("--ignore", "E501", cwd=tree)
check("--ignore another tool's code: exit 2", result.returncode == 2 and b"'E501'" in result.stderr, result.stderr)
remove_tree(tree)

# ---- severity per code or prefix ----
tree = temporary_tree({"x.py": SRC, "pitfall.toml": '[severity]\nPF0 = "warning"\nPF001 = "error"\n'})
result = lint("--output-format", "json", cwd=tree)
check("severity: the most specific entry wins",
      severities(result) == {("x.py", "PF001"): "error", ("x.py", "PF000"): "warning"}, result.stdout)
remove_tree(tree)

# ---- per-file-ignores: name patterns, path patterns, directories, negation ----
tree = temporary_tree({
    "pitfall.toml": '[per-file-ignores]\n'
                    '"tests/*" = ["PF001"]\n'
                    '"conftest.py" = ["PF000"]\n'
                    '"!src/**" = ["PF0"]\n'
                    '"src/gen/*_pb2.py" = ["ALL"]\n',
    "tests/t.py": SRC, "tests/deep/t2.py": SRC, "conftest.py": SRC, "src/s.py": SRC, "src/conftest.py": SRC,
    "src/gen/a_pb2.py": SRC, "src/gen/b.py": SRC, "other.py": SRC,
})
result = lint(cwd=tree)
check("per-file-ignores", findings(result) == {
    "src/conftest.py": ONLY_PF001,  # "conftest.py" matches the name in any directory
    "src/gen/b.py": BOTH,
    "src/s.py": BOTH,
}, findings(result))
result = lint("tests/deep", cwd=tree)
check("per-file-ignores: patterns are relative to the configuration, not the working directory",
      findings(result) == {}, findings(result))
result = lint("--stdin-filename", "src/gen/x_pb2.py", "-", cwd=tree, stdin=SRC.encode())
check("per-file-ignores apply to --stdin-filename", findings(result) == {}, findings(result))
remove_tree(tree)

# ---- exclude, extend-exclude, the defaults, and --force-exclude ----
tree = temporary_tree({
    "pitfall.toml": 'extend-exclude = ["generated", "legacy/*.py"]\n',
    "keep.py": SRC, "generated/g.py": SRC, "pkg/generated/g.py": SRC, "legacy/old.py": SRC,
    "legacy/sub/new.py": SRC, ".venv/v.py": SRC, "build/b.py": SRC,
})
names = sorted(findings(lint(cwd=tree)))
check("extend-exclude keeps the default excludes", names == ["keep.py", "legacy/sub/new.py"], names)
names = sorted(findings(lint("generated", "legacy/old.py", cwd=tree)))
check("paths named explicitly are linted", names == ["generated/g.py", "legacy/old.py"], names)
result = lint("--force-exclude", "generated/g.py", "legacy/old.py", "pkg/generated/g.py", ".venv/v.py", "keep.py",
              cwd=tree)
check("--force-exclude applies excludes to named paths (and their directories)",
      sorted(findings(result)) == ["keep.py"] and result.returncode == 1, (findings(result), result.stderr))
result = lint("--force-exclude", "generated/g.py", cwd=tree)
check("--force-exclude with everything excluded: exit 0", result.returncode == 0 and result.stdout == b""
      and b"0 files checked" in result.stderr, result.stderr)
result = lint("--force-exclude", "--stdin-filename", "generated/new.py", "-", cwd=tree, stdin=SRC.encode())
check("--force-exclude applies to --stdin-filename", result.returncode == 0 and result.stdout == b"", result.stdout)
names = sorted(findings(lint("--extend-exclude", "keep.py,legacy", cwd=tree)))
check("--extend-exclude adds to the configuration's", names == [], names)
names = sorted(findings(lint("--exclude", "legacy", cwd=tree)))
check("--exclude replaces the default excludes, the configuration's extend-exclude stays",
      names == [".venv/v.py", "build/b.py", "keep.py"], names)
with open(os.path.join(tree, "pitfall.toml"), "w") as handle:
    handle.write('exclude = ["generated"]\n')
names = sorted(findings(lint(cwd=tree)))
check("exclude replaces the default excludes",
      names == [".venv/v.py", "build/b.py", "keep.py", "legacy/old.py", "legacy/sub/new.py"], names)
remove_tree(tree)

# Patterns of a nested configuration are relative to its own directory.
tree = temporary_tree({
    "pitfall.toml": 'extend-exclude = ["sub/skip"]\n',
    "sub/pitfall.toml": 'extend-exclude = ["inner"]\n',
    "sub/skip/x.py": SRC, "sub/inner/y.py": SRC, "sub/z.py": SRC, "inner/w.py": SRC,
})
names = sorted(findings(lint(cwd=tree)))
check("each directory uses the excludes of its closest configuration",
      names == ["inner/w.py", "sub/skip/x.py", "sub/z.py"], names)
remove_tree(tree)

# A leading "./" anchors a pattern to the configuration's directory; without it a name
# matches at any depth.
tree = temporary_tree({
    "pitfall.toml": 'extend-exclude = ["./gen"]\n[per-file-ignores]\n"./conftest.py" = ["PF001"]\n',
    "gen/a.py": SRC, "src/gen/b.py": SRC, "conftest.py": SRC, "src/conftest.py": SRC,
})
result = lint(cwd=tree)
check("'./gen' and './conftest.py' are the configuration's own only",
      findings(result) == {"conftest.py": ONLY_PF000, "src/conftest.py": BOTH, "src/gen/b.py": BOTH}, findings(result))
remove_tree(tree)

# Command-line patterns are relative to the working directory; a --config file's patterns,
# to that file's directory.
tree = temporary_tree({
    "conf/strict.toml": 'extend-exclude = ["../pkg/skip"]\n', "pkg/skip/a.py": SRC, "pkg/b.py": SRC,
    "pkg/sub/skip/c.py": SRC,
})
names = sorted(findings(lint("--config", "conf/strict.toml", cwd=tree)))
check("--config: patterns relative to the configuration file", names == ["pkg/b.py", "pkg/sub/skip/c.py"], names)
names = sorted(findings(lint("--extend-exclude", "sub/skip", cwd=os.path.join(tree, "pkg"))))
check("--extend-exclude: patterns relative to the working directory", names == ["b.py", "skip/a.py"], names)
remove_tree(tree)

# ---- extend-mutable-calls, extend-immutable-annotations, path-calls ----
tree = temporary_tree({
    "pitfall.toml": 'extend-mutable-calls = ["mylib.Registry"]\n'
                    'extend-immutable-annotations = ["mylib.FrozenList"]\n'
                    'path-calls = ["mylib.open_path", "shutil.copy"]\n',
    "m.py": "import mylib\nfrom mylib import FrozenList\n\n\n"
            "def f(x=mylib.Registry()):\n    return x\n\n\n"
            "def g(y: FrozenList = []):\n    return y\n",
})
check("extend-mutable-calls and extend-immutable-annotations",
      findings(lint(cwd=tree)) == {"m.py": ["5:9 PF001"]}, findings(lint(cwd=tree)))
check("without them, the opposite", findings(lint("--isolated", cwd=tree)) == {"m.py": ["9:23 PF001"]},
      findings(lint("--isolated", cwd=tree)))
remove_tree(tree)

# extend-mutable-calls feeds PF003 too, where a tuple is meant to be a constant; where it is
# hashed only built-in containers are flagged (an instance of a user class may be hashable).
tree = temporary_tree({
    "pitfall.toml": 'extend-mutable-calls = ["mylib.Registry"]\n',
    "t.py": "from mylib import Registry as R\n\nDEFAULTS = (1, R())\nKEYS = {(1, R()): 2}\nOTHER = (1, R2())\n",
})
check("extend-mutable-calls in PF003", findings(lint(cwd=tree)) == {"t.py": ["3:16 PF003"]}, findings(lint(cwd=tree)))
check("PF003 without it", findings(lint("--isolated", cwd=tree)) == {}, findings(lint("--isolated", cwd=tree)))
remove_tree(tree)

# ---- help lists every configuration flag ----
help_text = run("check", "--help").stdout.decode()
for flag in ("--config", "--isolated", "--select", "--extend-select", "--ignore", "--exclude", "--extend-exclude",
             "--no-respect-gitignore", "--force-exclude", "--stdin-filename"):
    check(f"--help mentions {flag}", flag in help_text)

finish()
