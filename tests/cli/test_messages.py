#!/usr/bin/env python3
"""The full text of PF004 and PF005 messages: what each escape became, the raw and
forward-slash spellings offered (or why not), the note on raw strings and trailing
backslashes; the call that loses a default (through the class for __init__, through the
assigned name for a lambda) and the keyword-only signature."""
import json
import os

from clitest import SOURCE_DIR, check, finish, remove_tree, run, temporary_tree

SOURCE = r'''a = "C:\new\table.txt"
b = "C:\temp\\"
c = "C:\Users\name"
d = "\\server\share\new.txt"
e = "C:\a\b\f\n\r\t\v\1.txt"
f = "C:\new\caf\xe9.txt"
g = b"C:\x64\new"
h = "C:\new\caf\xe9\\"
def log(message, level="info", *details):
    pass
class Point:
    def __init__(self, x, y=0, *rest):
        pass
    def move(self, dx=0, *more):
        pass
k = lambda a, b=1, *c: 0
print(lambda a=1, *c: 0)
m = "\\server\\new\bin\\report.csv"
'''

DRIVE = "Backslash escapes change this path-like string (it starts with a drive letter): "
EXPECTED = {
    1: DRIVE + '`\\n` is a newline, `\\t` is a tab; write r"C:\\new\\table.txt" or "C:/new/table.txt", '
               'or use pathlib',
    2: DRIVE + '`\\t` is a tab; write "C:/temp/" (a raw string cannot end in an odd number of backslashes), '
               'or use pathlib',
    3: "Backslash escapes break this path-like string (it starts with a drive letter): `\\U` is a SyntaxError "
       '(`\\U` needs eight hex digits), `\\n` is a newline; write r"C:\\Users\\name" or "C:/Users/name", '
       "or use pathlib",
    4: "Backslash escapes change this path-like string (it starts with a UNC prefix): `\\s` is not an escape "
       '(Python keeps the backslash and warns), `\\n` is a newline; write r"\\\\server\\share\\new.txt" or '
       '"//server/share/new.txt", or use pathlib',
    5: DRIVE + "`\\a` is a bell (BEL), `\\b` is a backspace, `\\f` is a form feed, `\\n` is a newline, `\\r` is a "
               'carriage return, `\\t` is a tab, and 2 more; write r"C:\\a\\b\\f\\n\\r\\t\\v\\1.txt" or '
               '"C:/a/b/f/n/r/t/v/1.txt", or use pathlib',
    6: DRIVE + "`\\n` is a newline, `\\c` is not an escape (Python keeps the backslash and warns), `\\xe9` is "
               "`é` (U+00E9); use a raw string, forward slashes or pathlib",
    7: DRIVE + '`\\x64` is `d`, `\\n` is a newline; write rb"C:\\x64\\new" or b"C:/x64/new", or use pathlib',
    8: DRIVE + "`\\n` is a newline, `\\c` is not an escape (Python keeps the backslash and warns), `\\xe9` is "
               "`é` (U+00E9); use forward slashes or pathlib (a raw string cannot end in an odd number of "
               "backslashes)",
    9: 'Default of `level` is unreachable when `*details` is used: `log(1, 2, 3)` binds `level=2`; make it '
       'keyword-only: `def log(message, *details, level="info")`',
    12: "Default of `y` is unreachable when `*rest` is used: `Point(1, 2, 3)` binds `y=2`; make it keyword-only: "
        "`def __init__(self, x, *rest, y=0)`",
    14: "Default of `dx` is unreachable when `*more` is used: `obj.move(1, 2)` binds `dx=1`; make it "
        "keyword-only: `def move(self, *more, dx=0)`",
    16: "Default of `b` is unreachable when `*c` is used: `k(1, 2, 3)` binds `b=2`; make it keyword-only: "
        "`lambda a, *c, b=1: ...`",
    17: "Default of `a` is unreachable when `*c` is used: `(lambda ...)(1, 2)` binds `a=1`; make it "
        "keyword-only: `lambda *c, a=1: ...`",
    18: "Backslash escapes change this path-like string (it is backslash-separated names ending in a file "
        'extension): `\\b` is a backspace; write r"\\\\server\\new\\bin\\report.csv" or '
        '"//server/new/bin/report.csv", or use pathlib',
}

tree = temporary_tree({"m.py": SOURCE})
result = run("check", "--isolated", "--select", "PF004,PF005", "--output-format", "json", "m.py", cwd=tree)
messages = {f["location"]["row"]: f["message"] for f in json.loads(result.stdout)}
check("one finding on each expected row", sorted(messages) == sorted(EXPECTED), sorted(messages))
for row, text in EXPECTED.items():
    check(f"message on row {row}", messages.get(row) == text, f"\n  got      {messages.get(row)!r}\n  expected {text!r}")
remove_tree(tree)

# A long invalid character name is quoted as a prefix cut between code points, with an
# ellipsis and the closing backtick, in PF006 and PF004; the JSON, SARIF and GitHub outputs
# are valid UTF-8.
NAME = "\u00e9" * 200
tree = temporary_tree({"n.py": 'x = "\\N{' + NAME + '}"\nopen("C:\\N{' + NAME + '}")\n'})
result = run("check", "--isolated", "--select", "PF004,PF006", "--output-format", "json", "n.py", cwd=tree)
findings = json.loads(result.stdout)
by_code = {f["code"]: f["message"] for f in findings}
QUOTED = "`\\N{" + "\u00e9" * 22 + "\u2026`"
NAME_PART = "(`" + "\u00e9" * 24 + "\u2026` is not a valid character name)"
check("PF006 quotes a cut name", by_code.get("PF006") == f"Malformed escape sequence {QUOTED}: a SyntaxError {NAME_PART}",
      by_code.get("PF006"))
check("PF004 quotes a cut name", by_code.get("PF004", "").startswith(
    "Backslash escapes break this path-like string (it starts with a drive letter): "
    f"{QUOTED} is a SyntaxError {NAME_PART};"), by_code.get("PF004"))
for output_format in ("json", "json-lines", "sarif", "github"):
    result = run("check", "--isolated", "--select", "PF004,PF006", "--output-format", output_format, "n.py",
                 cwd=tree)
    try:
        valid = "\ufffd" not in result.stdout.decode("utf-8", errors="strict")
    except UnicodeError:
        valid = False
    check(f"{output_format} output of a long character name is valid UTF-8", valid, result.stdout[-200:])
remove_tree(tree)

# PF000 names an async statement missing its colon by both keywords.
ASYNC_HEADERS = {
    "async_def.py": (2, 21, "async def"),
    "async_for.py": (3, 28, "async for"),
    "async_with.py": (3, 20, "async with"),
}
fixtures = os.path.join(SOURCE_DIR, "fixtures", "pf000")
for name, (row, column, header) in ASYNC_HEADERS.items():
    result = run("check", "--isolated", "--output-format", "json", name, cwd=fixtures)
    found = [(f["location"]["row"], f["location"]["column"], f["message"]) for f in json.loads(result.stdout)]
    want = [(row, column, f"Syntax error: expected `:` at the end of the `{header}` header")]
    check(f"PF000 message for {name}", found == want, found)
finish()
