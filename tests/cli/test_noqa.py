#!/usr/bin/env python3
"""Suppression end to end: noqa_row in JSON, noqa on standard input and in files too deeply
nested to parse, PF100's rule text, --force-exclude being accepted, and --add-noqa: exact
edits, idempotence, encodings, line endings, permissions, symlinks, and the files it must
refuse to touch."""
import ast
import json
import os
import re
import stat

from clitest import SOURCE_DIR, check, finish, remove_tree, run, temporary_tree

BAD = "def f(x=[]):\n    return x\n"


def findings(result):
    return [(d["location"]["row"], d["location"]["column"], d["code"], d["noqa_row"])
            for d in json.loads(result.stdout)]


# noqa_row in the JSON output: the line where a finding's noqa belongs.
root = temporary_tree({"rows.py": 'def f(x=[], doc="""\nbody\n"""):\n    return x\n\n\nhandler = lambda y={}: \\\n    y\n'})
result = run("check", "--output-format", "json", "rows.py", cwd=root)
check("noqa_row after a multi-line string and a continuation",
      findings(result) == [(1, 9, "PF001", 3), (7, 20, "PF001", 8)], findings(result))

# Standard input is suppressed like a file.
result = run("check", "-", stdin=b"def f(x=[]):  # noqa: PF001\n    return x\n")
check("noqa on stdin", result.returncode == 0 and result.stdout == b"", result)
result = run("check", "--output-format", "json", "-", stdin=b"count = 0  # noqa: PF001\n")
check("PF100 on stdin", findings(result) == [(1, 20, "PF100", 1)], result.stdout)

# A `noqa:` whose first word only starts like a code names that word, so the reader sees why
# it suppresses nothing; one followed by no code-like word says so plainly.
source = (b"count = 0  # noqa: PF001: the reason\nsize = 0  # noqa:PF001;PF004\nwidth = 0  # noqa: the reason\n"
          b"# pitfall: noqa: PF003.\n")
result = run("check", "--isolated", "-", stdin=source)
check("PF100 on a noqa: whose code is run together with other text", result.stdout.decode().splitlines() == [
    "-:1:12: PF100 `# noqa:` lists no rule code: `PF001:` is not one (a code is letters then digits, separated "
    "from the next by a comma or a space)",
    "-:2:11: PF100 `# noqa:` lists no rule code: `PF001;PF004` is not one (a code is letters then digits, "
    "separated from the next by a comma or a space)",
    "-:3:12: PF100 `# noqa:` lists no rule code, so it suppresses nothing (list codes such as `PF001`, or drop the "
    "colon to suppress every finding)",
    "-:4:1: PF100 `# pitfall: noqa:` lists no rule code: `PF003.` is not one (a code is letters then digits, "
    "separated from the next by a comma or a space)"], result.stdout)

# A file too deeply nested to parse still honours noqa (comments are found lexically).
deep = "x = " + "(" * 20001 + ")" * 20001
tree = temporary_tree({
    "deep.py": deep + "\n",
    "deep_noqa.py": deep + "  # noqa: PF000\n",
    "deep_string.py": "s = '# noqa'; " + deep + "\n",
    "deep_file.py": "# pitfall: noqa\n" + deep + "\n",
})
for name, expected in (("deep.py", 1), ("deep_noqa.py", 0), ("deep_string.py", 1), ("deep_file.py", 0)):
    result = run("check", name, cwd=tree)
    check(f"too deep to parse: {name}", result.returncode == expected, (result.returncode, result.stdout[:200]))
remove_tree(tree)

# The rule is registered and explained.
result = run("rule", "PF100")
text = result.stdout.decode()
check("pitfall rule PF100", result.returncode == 0 and "# PF100 unused-noqa" in text and "## Why is this bad?" in text,
      text[:200])
check("pitfall rules lists PF100", b"PF100  unused-noqa" in run("rules").stdout)

# --force-exclude is accepted; with no excludes configured it changes nothing.
result = run("check", "--force-exclude", "rows.py", cwd=root)
plain = run("check", "rows.py", cwd=root)
check("--force-exclude accepted", result.returncode == 1 and result.stdout == plain.stdout, result.stderr)
check("--force-exclude in help", b"--force-exclude" in run("check", "--help").stdout)
remove_tree(root)

# The suppression fixtures are not vacuous: without their directives they have findings.
fixture = os.path.join(SOURCE_DIR, "fixtures", "noqa", "line_forms.py")
with open(fixture, encoding="utf-8") as handle:
    source = handle.read()
stripped = re.sub(r"#[^\n]*noqa[^\n]*", "", source, flags=re.IGNORECASE)
result = run("check", "--output-format", "json", "-", stdin=stripped.encode())
check("line_forms.py without its directives: one PF001 per default",
      len([f for f in findings(result) if f[2] == "PF001"]) == 17, findings(result))

# --add-noqa
BEFORE = {
    "plain.py": "def f(x=[], y={}):\n    return x, y\n",
    "extend.py": "def f(x=[]):  # noqa: E501\n    return x\n\n\ndef g(x=[]):  # noqa: E501 W291\n    return x\n",
    "comment.py": "def f(x=[]):  # type: ignore\n    return x\n",
    "string.py": 'def f(x=[], doc="""\nbody\n"""):\n    return x, doc\n',
    "continued.py": "handler = lambda y={}: \\\n    y\n",
    "unused.py": "def f(x=[]):  # noqa: PF999\n    return x\n",
    "clean.py": "def f(x=None):\n    return x\n",
    "crlf.py": b"\xef\xbb\xbfdef f(x=[]):\r\n    return x\r\n",
    "latin1.py": b"# -*- coding: latin-1 -*-\ndef f(x=[], s='caf\xe9'):\n    return x\n",
    "latin1_after.py": b"# -*- coding: latin-1 -*-\ndef f(x=[]):  # noqa: E501 caf\xe9\n    return x\n",
    "broken.py": "def f(x=[]):\n    return x\n\n\ndef g(:\n    pass\n",
    "misplaced.py": "def f(x=[]):  # pitfall: noqa\n    return x\n",
    "stub.pyi": "def f(x: list = []) -> None: ...\n",
}
AFTER = {
    "plain.py": "def f(x=[], y={}):  # noqa: PF001\n    return x, y\n",
    "extend.py": "def f(x=[]):  # noqa: E501, PF001\n    return x\n\n\ndef g(x=[]):  # noqa: E501 W291 PF001\n    return x\n",
    "comment.py": "def f(x=[]):  # type: ignore  # noqa: PF001\n    return x\n",
    "string.py": 'def f(x=[], doc="""\nbody\n"""):  # noqa: PF001\n    return x, doc\n',
    "continued.py": "handler = lambda y={}: \\\n    y  # noqa: PF001\n",
    "unused.py": "def f(x=[]):  # noqa: PF999, PF001\n    return x\n",
    "clean.py": BEFORE["clean.py"],
    "crlf.py": b"\xef\xbb\xbfdef f(x=[]):  # noqa: PF001\r\n    return x\r\n",
    "latin1.py": b"# -*- coding: latin-1 -*-\ndef f(x=[], s='caf\xe9'):  # noqa: PF001\n    return x\n",
    "latin1_after.py": BEFORE["latin1_after.py"],  # non-ASCII after the insertion point
    "broken.py": BEFORE["broken.py"],  # a syntax error: refused
    "misplaced.py": BEFORE["misplaced.py"],  # the added noqa would not be the comment's directive
    "stub.pyi": "def f(x: list = []) -> None: ...  # noqa: PF001\n",
}
tree = temporary_tree(BEFORE)
os.chmod(os.path.join(tree, "plain.py"), 0o640)
os.symlink("comment.py", os.path.join(tree, "link.py"))
result = run("check", "--add-noqa", "--output-format", "json", ".", cwd=tree)
stderr = result.stderr.decode()
for name, expected in AFTER.items():
    with open(os.path.join(tree, name), "rb") as handle:
        content = handle.read()
    expected = expected.encode() if isinstance(expected, str) else expected
    check(f"--add-noqa result: {name}", content == expected, content)
check("--add-noqa summary", "Added 10 noqa comments (3 by extending an existing `# noqa:`) to 9 files." in stderr
      and "3 files were left untouched" in stderr, stderr)
for name in ("broken.py", "misplaced.py", "latin1_after.py"):
    check(f"--add-noqa names the refused {name}", f"{name}: not edited:" in stderr, stderr)
check("--add-noqa: syntax errors are refused with the reason", "has a syntax error (PF000)" in stderr, stderr)
left = sorted((os.path.basename(d["filename"]), d["code"]) for d in json.loads(result.stdout))
check("--add-noqa prints what is left",
      left == [("broken.py", "PF000"), ("broken.py", "PF001"), ("latin1_after.py", "PF001"),
               ("misplaced.py", "PF001"), ("misplaced.py", "PF100"), ("unused.py", "PF100")], left)
check("--add-noqa exits 1 when findings are left", result.returncode == 1, result.returncode)
# CPython agrees that nothing but comments changed: the same AST before and after.
for name in AFTER:
    before = BEFORE[name].encode() if isinstance(BEFORE[name], str) else BEFORE[name]
    with open(os.path.join(tree, name), "rb") as handle:
        after = handle.read()
    try:
        expected_ast = ast.dump(ast.parse(before))
    except SyntaxError:
        continue  # broken.py
    check(f"--add-noqa keeps CPython's AST: {name}", ast.dump(ast.parse(after)) == expected_ast)
check("--add-noqa keeps permissions", stat.S_IMODE(os.stat(os.path.join(tree, "plain.py")).st_mode) == 0o640)
check("--add-noqa keeps a symlink a symlink", os.path.islink(os.path.join(tree, "link.py")))
check("--add-noqa leaves no temporary file", not [n for n in os.listdir(tree) if "pitfall-" in n], os.listdir(tree))

# Idempotent: a second run adds nothing and changes nothing.
snapshot = {name: open(os.path.join(tree, name), "rb").read() for name in AFTER}
result = run("check", "--add-noqa", ".", cwd=tree)
check("--add-noqa twice adds nothing", b"Added 0 noqa comments to 0 files." in result.stderr, result.stderr)
check("--add-noqa twice changes nothing",
      all(open(os.path.join(tree, name), "rb").read() == content for name, content in snapshot.items()))

# Once the refused files are dealt with, the tree is clean.
for name in ("broken.py", "misplaced.py", "latin1_after.py", "unused.py"):
    os.remove(os.path.join(tree, name))
result = run("check", ".", cwd=tree)
check("after --add-noqa the tree is clean", result.returncode == 0, result.stdout)
remove_tree(tree)

# A clean file is not rewritten (its mtime does not move).
tree = temporary_tree({"clean.py": "x = 1\n"})
path = os.path.join(tree, "clean.py")
os.utime(path, (1_000_000_000, 1_000_000_000))
result = run("check", "--add-noqa", "clean.py", cwd=tree)
check("--add-noqa on a clean file", result.returncode == 0 and os.stat(path).st_mtime == 1_000_000_000, result)
remove_tree(tree)

# Standard input cannot be edited in place.
result = run("check", "--add-noqa", "-", stdin=BAD.encode())
check("--add-noqa with stdin is a usage error", result.returncode == 2 and b"standard input" in result.stderr,
      result.stderr)

# A file in a directory that cannot be written is reported and left alone. Root can write
# anywhere, so when running as root the binary runs as `nobody` here.
tree = temporary_tree({"ro/bad.py": BAD})
os.chmod(tree, 0o755)
os.chmod(os.path.join(tree, "ro", "bad.py"), 0o666)  # writable: the directory is what stops it
os.chmod(os.path.join(tree, "ro"), 0o555)
prefix = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups") if os.geteuid() == 0 else ()
result = run("check", "--add-noqa", "ro/bad.py", cwd=tree, prefix=prefix)
check("--add-noqa in a read-only directory", result.returncode == 1 and
      b"ro/bad.py: not edited: cannot create a temporary file beside it" in result.stderr, result.stderr)
with open(os.path.join(tree, "ro", "bad.py")) as handle:
    check("--add-noqa left the unwritable file alone", handle.read() == BAD)
os.chmod(os.path.join(tree, "ro"), 0o755)
remove_tree(tree)

# A read-only file in a writable directory is left alone too: the rename that replaces a file
# needs only the directory, but a file that could not be written in place is not replaced.
tree = temporary_tree({"rw/bad.py": BAD})
os.chmod(tree, 0o755)
os.chmod(os.path.join(tree, "rw"), 0o777)
os.chmod(os.path.join(tree, "rw", "bad.py"), 0o444)
result = run("check", "--add-noqa", "rw/bad.py", cwd=tree, prefix=prefix)
check("--add-noqa on a read-only file", result.returncode == 1 and
      b"rw/bad.py: not edited: it is not writable: Permission denied" in result.stderr, result.stderr)
with open(os.path.join(tree, "rw", "bad.py")) as handle:
    check("--add-noqa left the read-only file alone", handle.read() == BAD)
check("--add-noqa left the read-only file's owner", os.stat(os.path.join(tree, "rw", "bad.py")).st_uid == os.geteuid())
check("--add-noqa on a read-only file leaves no temporary file", os.listdir(os.path.join(tree, "rw")) == ["bad.py"],
      os.listdir(os.path.join(tree, "rw")))
remove_tree(tree)

finish()
