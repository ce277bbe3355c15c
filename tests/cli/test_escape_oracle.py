#!/usr/bin/env python3
"""PF006 and PF004 against CPython itself: for every string literal in the escape fixtures,
pitfall reports an invalid or malformed escape exactly when the machine's Python warns about
one ("invalid escape sequence", "invalid octal escape sequence") or refuses to compile it.

Each literal is found with the tokenize module (a STRING token, or an FSTRING_START ...
FSTRING_END group on Python 3.12+) and compiled on its own, so files that do not compile as a
whole (malformed escapes) are covered too. A literal counts as reported when a PF006 finding,
or a PF004 finding that names an unrecognised or malformed escape, starts inside it. The
fixtures must include bytes literals with `N`, `u` and `U` escapes (unrecognised in bytes)
and str literals with named escapes, good and bad names (fixtures/pf006/names.py).
"""
import json
import os
import tokenize
import warnings

from clitest import SOURCE_DIR, check, finish, run

FIXTURE_DIRS = ["fixtures/pf004", "fixtures/pf006", "fixtures/demo"]
FSTRING_START = getattr(tokenize, "FSTRING_START", None)
FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def literals(path):
    """Yields (start, end, text) for each string literal token; positions are (row, column)
    with 1-based code point columns, end exclusive."""
    with tokenize.open(path) as handle:
        source = handle.read()
    lines = source.splitlines(True)
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Python 3.12's tokenizer warns about the escapes itself
        tokens = list(tokenize.tokenize(handle.readline))
    depth = 0
    start = None
    for token in tokens:
        if token.type == FSTRING_START:
            if depth == 0:
                start = token.start
            depth += 1
        elif token.type == FSTRING_END:
            depth -= 1
            if depth == 0:
                yield start, token.end, lines
        elif token.type == tokenize.STRING and depth == 0:
            yield token.start, token.end, lines


def text_between(lines, start, end):
    (row, column), (end_row, end_column) = start, end
    if row == end_row:
        return lines[row - 1][column:end_column]
    return lines[row - 1][column:] + "".join(lines[row:end_row - 1]) + lines[end_row - 1][:end_column]


def python_complains(text):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            compile("(\n" + text + "\n)", "literal", "eval")
        except SyntaxError as error:
            message = str(error)
            return "escape" in message or "unicode error" in message or "invalid \\x" in message
    return any("escape sequence" in str(warning.message) for warning in caught)


def pitfall_findings(path):
    result = run("check", "--output-format", "json", "--exit-zero", path)
    findings = []
    for finding in json.loads(result.stdout):
        message = finding["message"]
        if finding["code"] == "PF006" or (finding["code"] == "PF004" and (
                "not an escape" in message or "SyntaxError" in message or "with a warning" in message)):
            findings.append((finding["location"]["row"], finding["location"]["column"]))
    return findings


compared = complained = 0
bytes_unicode = named = 0  # literals of the kinds whose handling differs from other linters
for directory in FIXTURE_DIRS:
    root = os.path.join(SOURCE_DIR, directory)
    for name in sorted(os.listdir(root)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(root, name)
        findings = pitfall_findings(path)
        for start, end, lines in literals(path):
            text = text_between(lines, start, end)
            python = python_complains(text)
            first, last = (start[0], start[1] + 1), (end[0], end[1] + 1)
            ours = any(first <= finding < last for finding in findings)
            compared += 1
            prefix = text[:len(text) - len(text.lstrip("rRbBuUfF"))].lower()
            if "b" in prefix and any(e in text for e in ("\\N", "\\u", "\\U")):
                bytes_unicode += 1
            if "b" not in prefix and "\\N{" in text:
                named += 1
            complained += python
            check(f"{directory}/{name}:{start[0]}:{start[1] + 1} {text[:60]!r}", python == ours,
                  f"python complains: {python}, pitfall reports: {ours}")

# Guard against comparing nothing: the fixtures hold well over a hundred literals, dozens bad.
check("literals compared", compared >= 150, compared)
check("literals Python complains about", complained >= 40, complained)
check("bytes literals with \\N, \\u or \\U compared", bytes_unicode >= 5, bytes_unicode)
check("str literals with \\N{name} compared", named >= 15, named)
finish()
