#!/usr/bin/env python3
"""No crash on any input: deep nesting, broken syntax, encodings, binary junk."""
import json
import os

from clitest import SOURCE_DIR, check, finish, remove_tree, run, temporary_tree

DEPTH = 500_000
root = temporary_tree({
    "deep_parens.py": "x = " + "(" * DEPTH + "1" + ")" * DEPTH + "\n",
    "deep_lists.py": "x = " + "[" * 100_000 + "]" * 100_000 + "\n",
    "deep_unclosed.py": "def f(a=" + "(" * DEPTH + "\n",
    "junk.py": bytes(range(256)) * 64,
    "nul.py": b"x = 1\x00\ndef f(a=[]): pass\n",
    "empty.py": b"",
    "only_bom.py": b"\xef\xbb\xbf",
    "crlf.py": b"x = 1\r\ndef f(a=[]):\r\n    pass\r\n",
    "latin1.py": "# -*- coding: latin-1 -*-\ns = '\u00e9\u00e9'; f = lambda a=[]: a\n".encode("latin-1"),
    "bom.py": b"\xef\xbb\xbf" + "s = '\u00e9'; f = lambda a=[]: a\n".encode(),
    "emoji.py": "s = '\U0001F600\u4e2d'; f = lambda a=[]: a\n",
})
for name in ("deep_parens.py", "deep_lists.py", "deep_unclosed.py", "junk.py", "empty.py", "only_bom.py"):
    result = run("check", "--output-format", "json", name, cwd=root)
    check(f"{name}: no crash", result.returncode in (0, 1, 2) and result.returncode >= 0, result.returncode)
    check(f"{name}: output is JSON", isinstance(json.loads(result.stdout or b"[]"), list), result.stdout[:200])


def positions(name):
    result = run("check", "--output-format", "json", name, cwd=root)
    return sorted((f["location"]["row"], f["location"]["column"], f["code"]) for f in json.loads(result.stdout))


# CPython refuses more than 200 nested brackets; so does pitfall, once, at the 201st, and still
# parses, walks and checks the file: the findings before and after a deep expression are there.
MUTATED = "def f(a=[]):\n    a.append(1)\n"
AFTER = "\ndef g(b={}): pass\n"
deep = temporary_tree({
    "parens.py": MUTATED + "x = " + "(" * DEPTH + "1" + ")" * DEPTH + AFTER,
    "lists.py": MUTATED + "x = " + "[" * 100_000 + "]" * 100_000 + AFTER,
    "calls.py": MUTATED + "x = " + "f(" * 100_000 + ")" * 100_000 + AFTER,
    "unary.py": MUTATED + "x = " + "-" * DEPTH + "1" + AFTER,
    "binary.py": MUTATED + "x = 1" + " + 1" * DEPTH + AFTER,
    "error_inside.py": MUTATED + "x = " + "(" * DEPTH + "1 2" + ")" * DEPTH + AFTER,
    "unclosed.py": MUTATED + "x = " + "[" * 100_000 + AFTER,
    "mismatched.py": MUTATED + "x = " + "(" * 100_000 + "]" * 100_000 + AFTER,
})
# No parse budget: these parses take seconds, and a test must not depend on the machine's speed.
NO_BUDGET = {"PITFALL_PARSE_BUDGET_MS": "0"}


def deep_findings(name):
    result = run("check", "--no-cache", "--output-format", "json", name, cwd=deep, env=NO_BUDGET)
    findings = json.loads(result.stdout or b"[]")
    return result.returncode, sorted((f["location"]["row"], f["location"]["column"], f["code"]) for f in findings), \
        [f["message"] for f in findings if f["code"] == "PF000"]


AROUND = [(1, 9, "PF001"), (4, 9, "PF001")]
for name, too_deep_column in (("parens.py", 205), ("lists.py", 205), ("calls.py", 406)):
    status, found, _ = deep_findings(name)
    check(f"deep {name}: PF000 at the 201st bracket, the rules run around it",
          status == 1 and found == sorted(AROUND + [(3, too_deep_column, "PF000")]), (status, found))
for name in ("unary.py", "binary.py"):
    status, found, _ = deep_findings(name)
    check(f"deep {name}: no crash, the rules run around it", status == 1 and found == AROUND, (status, found))
status, found, _ = deep_findings("error_inside.py")
check("an error inside 500,000 parentheses is reported where it is",
      found == sorted(AROUND + [(3, 205, "PF000"), (3, 5 + DEPTH + 2, "PF000")]), found)
# Error recovery with that many brackets open would corrupt the runtime's heap: such a file is
# reported once and not parsed.
for name in ("unclosed.py", "mismatched.py"):
    status, found, messages = deep_findings(name)
    check(f"{name}: one PF000, not parsed", found == [(3, 205, "PF000")] and "not checked further" in messages[0],
          (found, messages))
remove_tree(deep)

# The brackets of f-string replacement fields count, nested f-strings too: 70,000 nested
# f-strings are balanced for Python, but the grammar's scanner follows at most 255 open strings,
# and its error recovery then builds an ERROR node too big for the runtime (a heap corruption).
# Such a file is reported once and not parsed; no supervisor, so that a crash would show.
# Ordinary f-strings (format specs, nested fields, escaped braces, \N{...}, nested quotes) and a
# few hundred nested f-strings are still parsed and checked.
NESTED = 70_000
fstrings = temporary_tree({
    "nested_fstrings.py": "x = " + 'f"{' * NESTED + "a" + '}"' * NESTED + "\n",
    "field_unclosed.py": 'x = f"{' + "(" * NESTED + '"\n',
    "few_nested.py": MUTATED + "x = " + 'f"{' * 300 + "a" + '}"' * 300 + "\n",
    "ordinary.py": MUTATED + (
        "x = f\"{a:>{width}} {b!r:^10} {{literal}} \\N{BULLET} {c:#x} {d['k']:{'<'}{w}}\"\n"
        "y = rf\"\\d{a}\" f'{\"nested\"}' f\"\"\"{\n    a\n}\"\"\" F'{a:%Y-%m-%d}' f\"{'}'}\"\n"
        "z = f\"{(lambda: 1)()}\" + f\"{x:=10}\" + f\"{ {'a': 1}['a'] }\" + f'{a!r}' + f\"\\{x}\"\n"
    ) + AFTER,
})
NO_SUPERVISOR = {"PITFALL_NO_SUPERVISOR": "1", **NO_BUDGET}


def unsupervised_findings(name):
    result = run("check", "--no-cache", "--output-format", "json", name, cwd=fstrings, env=NO_SUPERVISOR)
    findings = json.loads(result.stdout or b"[]")
    return result.returncode, sorted((f["location"]["row"], f["location"]["column"], f["code"]) for f in findings), \
        [f["message"] for f in findings if f["code"] == "PF000"]


for name, column in (("nested_fstrings.py", 5 + 3 * 200 + 2), ("field_unclosed.py", 7 + 200)):
    status, found, messages = unsupervised_findings(name)
    check(f"{name}: one PF000, not parsed, no crash", status == 1 and found == [(1, column, "PF000")] and
          "not checked further" in messages[0], (status, found, messages))
status, found, messages = unsupervised_findings("few_nested.py")
check("300 nested f-strings: too deep for Python, still parsed", status == 1 and (3, 5 + 3 * 200 + 2, "PF000") in found
      and not any("not checked further" in message for message in messages), (status, found, messages))
status, found, messages = unsupervised_findings("ordinary.py")
check("ordinary f-strings: parsed and checked", status == 1 and found == [(1, 9, "PF001"), (7, 75, "PF006"), (9, 9, "PF001")],
      (status, found, messages))
remove_tree(fstrings)
root_ok = temporary_tree({"nested_ok.py": "x = " + "(" * 200 + "1" + ")" * 200 + "\ny = '(((' # ((((\n"})
check("200 levels are fine", run("check", "nested_ok.py", cwd=root_ok).returncode == 0)
remove_tree(root_ok)
check("NUL byte reported, rest still linted", positions("nul.py") == [(1, 6, "PF000"), (2, 9, "PF001")],
      positions("nul.py"))
check("CRLF positions", positions("crlf.py") == [(2, 9, "PF001")], positions("crlf.py"))
check("latin-1 decoded, columns in code points", positions("latin1.py") == [(2, 24, "PF001")],
      positions("latin1.py"))
check("BOM does not shift columns", positions("bom.py") == [(1, 23, "PF001")], positions("bom.py"))
check("emoji and CJK count one column each", positions("emoji.py") == [(1, 24, "PF001")], positions("emoji.py"))
# Many findings on one long line: positions are converted incrementally, and each column is
# still exact (14 code points per lambda plus ", ").
many = temporary_tree({"one_line.py": "x = [" + ", ".join("lambda \u00e9=[]: 0" for _ in range(20000)) + "]\n"})
found = run("check", "--output-format", "json", "one_line.py", cwd=many)
columns = [f["location"]["column"] for f in json.loads(found.stdout)]
check("20,000 findings on one line", len(columns) == 20000 and columns[0] == 15 and
      columns[-1] == 15 + 19999 * 16, (len(columns), columns[:2], columns[-1:]))
remove_tree(many)
check("empty file clean", run("check", "empty.py", cwd=root).returncode == 0)
remove_tree(root)

# A file's findings do not depend on what the same thread parsed before it: prev.py ends inside
# a broken f-string, which tree-sitter-python's scanner used to carry into the next parse.
state = os.path.join(SOURCE_DIR, "tests", "cli", "parser_state")
alone = run("check", "--no-cache", "-j1", "victim.py", cwd=state).stdout.decode().splitlines()
after = run("check", "--no-cache", "-j1", "prev.py", "victim.py", cwd=state).stdout.decode().splitlines()
victim_after = [line for line in after if line.startswith("victim.py:")]
check("parser state: victim.py alone has findings", len(alone) == 6, alone)
check("parser state: victim.py after prev.py on one thread, same findings", victim_after == alone,
      (alone, victim_after))
# The other order: the file list is sorted, so a copy of prev.py named to sort after
# victim.py is parsed after it on the one thread; its findings are those of prev.py alone.
with open(os.path.join(state, "prev.py"), "rb") as handle:
    prev_source = handle.read()
with open(os.path.join(state, "victim.py"), "rb") as handle:
    victim_source = handle.read()
ordered = temporary_tree({"victim.py": victim_source, "z_prev.py": prev_source})
prev_alone = run("check", "--no-cache", "-j1", "z_prev.py", cwd=ordered).stdout.decode().splitlines()
prev_after = run("check", "--no-cache", "-j1", "victim.py", "z_prev.py", cwd=ordered).stdout.decode().splitlines()
check("parser state: prev.py alone has findings", any(line.startswith("z_prev.py:") for line in prev_alone),
      prev_alone)
check("parser state: prev.py after victim.py on one thread, same findings",
      [line for line in prev_after if line.startswith("z_prev.py:")] ==
      [line for line in prev_alone if line.startswith("z_prev.py:")], (prev_alone, prev_after))
check("parser state: victim.py before prev.py on one thread, same findings",
      [line for line in prev_after if line.startswith("victim.py:")] == alone, (alone, prev_after))
remove_tree(ordered)
finish()
