#!/usr/bin/env python3
"""Broken configuration files: exit status 2, nothing on standard output, and exactly one
`path:row:col: message` line on standard error per problem (columns in code points), for
every kind of problem: unknown keys (with "did you mean"), wrong types, unknown rule codes,
bad values, TOML syntax errors and TOML's own rules. Nothing is linted then."""
import os

from clitest import check, finish, remove_tree, run, temporary_tree

SRC = "def f(x=[]):\n    return x\n"
ENV = {"HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1"}


def errors_of(files, *arguments, cwd_relative="."):
    tree = temporary_tree(files)
    result = run("check", *arguments, cwd=os.path.join(tree, cwd_relative), env=ENV)
    remove_tree(tree)
    return result


def expect(name, files, lines, *arguments, cwd_relative="."):
    result = errors_of(files, *arguments, cwd_relative=cwd_relative)
    got = result.stderr.decode().splitlines()
    check(name, result.returncode == 2 and result.stdout == b"" and got == lines,
          f"exit {result.returncode}, stdout {result.stdout!r}, stderr {got}")


def pitfall_toml(text):
    return {"x.py": SRC, "pitfall.toml": text}


# Unknown keys, with a suggestion when one is close.
expect("unknown key, did you mean", pitfall_toml('selct = ["PF001"]\n'),
       ["pitfall.toml:1:1: unknown key 'selct' (did you mean 'select'?)"])
expect("snake_case key", pitfall_toml('extend_exclude = ["x"]\n'),
       ["pitfall.toml:1:1: unknown key 'extend_exclude' (did you mean 'extend-exclude'?)"])
expect("ruff's extend-ignore", pitfall_toml('extend-ignore = ["PF001"]\nextend-per-file-ignores = {}\n'),
       ["pitfall.toml:1:1: unknown key 'extend-ignore' (did you mean 'ignore'?)",
        "pitfall.toml:2:1: unknown key 'extend-per-file-ignores' (did you mean 'per-file-ignores'?)"])
expect("unknown key far from every key", pitfall_toml('line-length = 88\n'),
       ["pitfall.toml:1:1: unknown key 'line-length'"])
expect("unknown key in [tool.pitfall]", {"x.py": SRC, "pyproject.toml": '[tool.pitfall]\nper-file-ignore = {}\n'},
       ["pyproject.toml:2:1: unknown key 'per-file-ignore' in [tool.pitfall] (did you mean 'per-file-ignores'?)"])
expect("unknown sub-table", {"x.py": SRC, "pyproject.toml": '[tool.pitfall.lint]\nselect = []\n'},
       ["pyproject.toml:1:15: unknown key 'lint' in [tool.pitfall]"])
expect("pyproject layout in pitfall.toml", pitfall_toml('[tool.pitfall]\nselect = ["PF001"]\n'),
       ["pitfall.toml:1:2: unknown key 'tool' (outside pyproject.toml the keys go at the top level, "
        "without [tool.pitfall])"])
expect("unknown dotted key", pitfall_toml('severity.PF001 = "error"\nrules.PF001 = false\n'),
       ["pitfall.toml:2:1: unknown key 'rules'"])

# Wrong types.
expect("select must be an array", pitfall_toml('select = "PF001"\n'),
       ["pitfall.toml:1:10: 'select' must be an array of rule codes, found a string"])
expect("array items must be strings", pitfall_toml('ignore = ["PF001", 1, true]\n'),
       ["pitfall.toml:1:20: 'ignore' must hold only strings (rule codes), found an integer",
        "pitfall.toml:1:23: 'ignore' must hold only strings (rule codes), found a boolean"])
expect("respect-gitignore must be a boolean", pitfall_toml('respect-gitignore = "no"\n'),
       ["pitfall.toml:1:21: 'respect-gitignore' must be true or false, found a string"])
expect("exclude must be an array", pitfall_toml('exclude = { a = 1 }\n'),
       ["pitfall.toml:1:11: 'exclude' must be an array of path patterns, found a table"])
expect("extend-exclude: an empty pattern", pitfall_toml('extend-exclude = ["ok", "./"]\n'),
       ["pitfall.toml:1:25: 'extend-exclude' holds an invalid pattern: empty pattern"])
expect("exclude: an unclosed bracket", pitfall_toml('exclude = ["ok[ab]", "[abc", "[]x", "\\\\[", "[!]a]"]\n'),
       ["pitfall.toml:1:22: 'exclude' holds an invalid pattern: unclosed '[' in '[abc' (write '[[]' for a "
        "literal '[')",
        "pitfall.toml:1:30: 'exclude' holds an invalid pattern: unclosed '[' in '[]x' (write '[[]' for a "
        "literal '[')"])
expect("exclude: a bracket closed only after a slash", pitfall_toml('exclude = ["src/[ab/c]"]\n'),
       ["pitfall.toml:1:12: 'exclude' holds an invalid pattern: unclosed '[' in 'src/[ab/c]' (write '[[]' for "
        "a literal '[')"])
expect("per-file-ignores: an unclosed bracket", pitfall_toml('[per-file-ignores]\n"tests/[ab" = ["PF001"]\n'),
       ["pitfall.toml:2:1: 'per-file-ignores' holds an invalid pattern 'tests/[ab': unclosed '[' in 'tests/[ab' "
        "(write '[[]' for a literal '[')"])
expect("--exclude: an unclosed bracket", {"x.py": SRC}, ["pitfall: error: --exclude: unclosed '[' in 'a[' "
                                                         "(write '[[]' for a literal '[')"],
       "--isolated", "--exclude", "a[")
expect("per-file-ignores must be a table", pitfall_toml('per-file-ignores = ["tests/*"]\n'),
       ["pitfall.toml:1:20: 'per-file-ignores' must be a table of path patterns to arrays of rule codes, "
        "found an array"])
expect("per-file-ignores values must be arrays of codes",
       pitfall_toml('[per-file-ignores]\n"tests/*" = "PF001"\n"docs/*" = ["PF01x"]\n'),
       ["pitfall.toml:2:13: 'per-file-ignores' must be an array of rule codes, found a string",
        "pitfall.toml:3:13: unknown rule code or prefix 'PF01x' in 'per-file-ignores' (`pitfall rules` lists them)"])
expect("severity must be a table", pitfall_toml('severity = "error"\n'),
       ["pitfall.toml:1:12: 'severity' must be a table of rule codes to \"error\" or \"warning\", found a string"])
expect("severity values", pitfall_toml('[severity]\nPF001 = "fatal"\nPF000 = 2\nPF999 = "error"\n'),
       ["pitfall.toml:2:9: the severity of 'PF001' must be \"error\" or \"warning\", found \"fatal\"",
        "pitfall.toml:3:9: the severity of 'PF000' must be \"error\" or \"warning\", found an integer",
        "pitfall.toml:4:1: unknown rule code or prefix 'PF999' in 'severity' (`pitfall rules` lists them)"])
expect("dotted names", pitfall_toml('extend-mutable-calls = ["ok.Name", "bad..name", "1st", ""]\n'
                                    'path-calls = 3\n'),
       ["pitfall.toml:1:36: 'extend-mutable-calls' entries must be dotted names such as 'mypackage.Registry', "
        "found 'bad..name'",
        "pitfall.toml:1:49: 'extend-mutable-calls' entries must be dotted names such as 'mypackage.Registry', "
        "found '1st'",
        "pitfall.toml:1:56: 'extend-mutable-calls' entries must be dotted names such as 'mypackage.Registry', "
        "found ''",
        "pitfall.toml:2:14: 'path-calls' must be an array of dotted names, found an integer"])
expect("[tool.pitfall] must be a table", {"x.py": SRC, "pyproject.toml": '[tool]\npitfall = ["PF001"]\n'},
       ["pyproject.toml:2:11: [tool.pitfall] must be a table, found an array"])

# Unknown rule codes: not a rule, another tool's code, a prefix of nothing.
expect("unknown codes", pitfall_toml('select = ["PF001", "PF999", "E501", "PF9", "P"]\n'),
       ["pitfall.toml:1:20: unknown rule code or prefix 'PF999' in 'select' (`pitfall rules` lists them)",
        "pitfall.toml:1:29: unknown rule code or prefix 'E501' in 'select' (`pitfall rules` lists them)",
        "pitfall.toml:1:37: unknown rule code or prefix 'PF9' in 'select' (`pitfall rules` lists them)",
        "pitfall.toml:1:44: unknown rule code or prefix 'P' in 'select' (`pitfall rules` lists them)"])

# Columns count code points.
expect("columns in code points", pitfall_toml('# é\n"é" = 1\nignore = ["é", "PF0é"]\n'),
       ["pitfall.toml:2:1: unknown key 'é'",
        "pitfall.toml:3:11: unknown rule code or prefix 'é' in 'ignore' (`pitfall rules` lists them)",
        "pitfall.toml:3:16: unknown rule code or prefix 'PF0é' in 'ignore' (`pitfall rules` lists them)"])

# TOML syntax errors and TOML's own rules: one line, the first problem.
expect("syntax: unquoted string", pitfall_toml('select = [PF001]\n'),
       ["pitfall.toml:1:11: TOML syntax error: unexpected 'PF001' in the array"])
expect("syntax: value missing", pitfall_toml('ignore =\n'),
       ["pitfall.toml:1:9: TOML syntax error: expected a value after '='"])
expect("syntax: unclosed header", {"x.py": SRC, "pyproject.toml": '[tool.pitfall\nselect = []\n'},
       ["pyproject.toml:1:14: TOML syntax error: expected ']' to close the table header"])
expect("syntax: unclosed array", pitfall_toml('select = ["PF001"\nignore = []\n'),
       ["pitfall.toml:2:1: TOML syntax error: unexpected 'ignore' in the array"])
expect("TOML: duplicate key", pitfall_toml('select = []\nselect = ["PF001"]\n'),
       ["pitfall.toml:2:1: invalid TOML: duplicate key select (first defined at 1:1)"])
expect("TOML: invalid UTF-8", {"x.py": SRC, "pitfall.toml": b'select = ["PF\xff"]\n'},
       ["pitfall.toml:1:14: invalid TOML: the file is not valid UTF-8"])
expect("a file too large", pitfall_toml("# " + "x" * (1024 * 1024) + "\n"),
       ["pitfall.toml:1:1: the file is larger than 1024 KiB, too large for a configuration file"])

# A pyproject.toml that cannot be parsed is reported when it mentions pitfall, and skipped
# otherwise, like any pyproject.toml without [tool.pitfall].
expect("broken pyproject.toml mentioning pitfall", {"x.py": SRC, "pyproject.toml": '[tool.pitfall\n'},
       ["pyproject.toml:1:14: TOML syntax error: expected ']' to close the table header"])
result = errors_of({"x.py": SRC, "pyproject.toml": '[project\nname = "other"\n'})
check("broken pyproject.toml of another tool is skipped", result.returncode == 1 and b"x.py:1:9: PF001" in result.stdout,
      result.stderr)

# The same goes for a pyproject.toml too large to be read as a configuration: skipped unless
# it mentions pitfall somewhere (here across the boundary of the 64 KiB pieces it is read in).
big = '[project]\nname = "other"\n# ' + "x" * (2 * 1024 * 1024) + "\n"
result = errors_of({"x.py": SRC, "pyproject.toml": big})
check("a large pyproject.toml of another tool is skipped", result.returncode == 1 and
      b"x.py:1:9: PF001" in result.stdout, result.stderr)
straddling = "#" * (65536 - 3) + " pitfall\n" + big
expect("a large pyproject.toml mentioning pitfall", {"x.py": SRC, "pyproject.toml": straddling},
       ["pyproject.toml:1:1: the file is larger than 1024 KiB, too large for a configuration file"])

# Several files, several problems: every line, in the order found; paths relative to the
# working directory, or absolute when outside it.
expect("problems in two configurations", {
    "a/x.py": SRC, "a/pitfall.toml": 'selct = []\n', "b/y.py": SRC, "b/pitfall.toml": 'ignore = "PF001"\n',
}, ["a/pitfall.toml:1:1: unknown key 'selct' (did you mean 'select'?)",
    "b/pitfall.toml:1:10: 'ignore' must be an array of rule codes, found a string"])
tree = temporary_tree({"sub/x.py": SRC, "pitfall.toml": 'selct = []\n'})
result = run("check", cwd=os.path.join(tree, "sub"), env=ENV)
check("a configuration above the working directory is named by its absolute path",
      result.returncode == 2 and result.stderr.decode().splitlines() ==
      [f"{os.path.realpath(tree)}/pitfall.toml:1:1: unknown key 'selct' (did you mean 'select'?)"], result.stderr)
remove_tree(tree)

# Odd files: a byte order mark and CRLF line endings are TOML; deep nesting is a type error,
# not a crash; a configuration that cannot be read is an error, not skipped; a directory
# with a configuration's name is no configuration.
expect("BOM and CRLF: rows and columns as written",
       {"x.py": SRC, "pitfall.toml": b'\xef\xbb\xbfignore = []\r\nselect = [\r\n  "PF01"]\r\n'},
       ["pitfall.toml:3:3: unknown rule code or prefix 'PF01' in 'select' (`pitfall rules` lists them)"])
expect("deeply nested arrays", pitfall_toml("select = " + "[" * 100000 + "]" * 100000 + "\n"),
       ["pitfall.toml:1:11: 'select' must hold only strings (rule codes), found an array"])
expect("deeply nested, never closed", pitfall_toml("select = " + "[" * 100000 + "\n"),
       ["pitfall.toml:1:1: TOML syntax error: cannot parse the text from here (too many tokens out of place)"])
tree = temporary_tree({"x.py": SRC, "pyproject.toml": '[tool.pitfall]\nselect = []\n'})
os.chmod(tree, 0o755)
os.chmod(os.path.join(tree, "pyproject.toml"), 0)
prefix = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups") if os.geteuid() == 0 else ()
result = run("check", "--no-cache", cwd=tree, env=ENV, prefix=prefix)
check("an unreadable pyproject.toml is an error", result.returncode == 2 and result.stdout == b"" and
      result.stderr.decode().splitlines() == ["pyproject.toml:1:1: cannot read the file: Permission denied"],
      result.stderr)
remove_tree(tree)
tree = temporary_tree({"x.py": SRC, "pitfall.toml/x": "", "pyproject.toml": '[tool.pitfall]\nselect = []\n'})
result = run("check", cwd=tree, env=ENV)
check("a directory named pitfall.toml is skipped", result.returncode == 0 and result.stderr ==
      b"No problems found (1 file checked).\n", result.stderr)
result = run("check", "--config", "pitfall.toml", cwd=tree, env=ENV)
check("--config naming a directory", result.returncode == 2 and result.stderr ==
      b"pitfall: error: --config: cannot read 'pitfall.toml': not a regular file\n", result.stderr)
remove_tree(tree)

# --config with a broken file; --isolated never reads it.
expect("--config with a broken file", {"x.py": SRC, "conf/strict.toml": 'select = "ALL"\n'},
       ["conf/strict.toml:1:10: 'select' must be an array of rule codes, found a string"], "--config",
       "conf/strict.toml")
result = errors_of(pitfall_toml('selct = []\n'), "--isolated")
check("--isolated does not read a broken configuration", result.returncode == 1, result.stderr)

# Only configurations that apply to a linted file are read.
result = errors_of({"ok/x.py": SRC, "broken/pitfall.toml": 'selct = []\n', "broken/y.py": SRC}, "ok")
check("a broken configuration elsewhere is not read", result.returncode == 1, result.stderr)

finish()
