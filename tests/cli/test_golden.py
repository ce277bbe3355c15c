#!/usr/bin/env python3
"""Golden output: every format over the same fixture set (tests/golden/input), compared
exactly with tests/golden/expected/*. The inputs hold one-line, multi-line and elided
ranges, syntax errors (a missing token, an unparsable line), an undecodable file, a clean
file, a file with a BOM, CRLF endings, tabs, and CJK and emoji text before a finding, a
finding on the line that starts with a BOM (the BOM is not a column), and a finding of
every rule (PF002's related location included).

Absolute paths are written as $ROOT (and the version as $VERSION) in the expected files.
In the SARIF log the driver's rule descriptors are left out of the comparison, so that
adding a rule elsewhere does not rewrite this file; test_sarif.py checks that they list
every rule of `pitfall rules` and match `pitfall rule CODE`.

After an intended change of output, regenerate with PITFALL_UPDATE_GOLDEN=1 and read the
diff before committing it.
"""
import difflib
import json
import os
import urllib.parse

from clitest import SOURCE_DIR, check, finish, run

GOLDEN = os.path.join(SOURCE_DIR, "tests", "golden")
INPUT = os.path.realpath(os.path.join(GOLDEN, "input"))
EXPECTED = os.path.join(GOLDEN, "expected")
UPDATE = os.environ.get("PITFALL_UPDATE_GOLDEN") == "1"

CASES = [
    ("concise.txt", ["--output-format", "concise"]),
    ("full.txt", ["--output-format", "full"]),
    ("json.json", ["--output-format", "json"]),
    ("json-lines.jsonl", ["--output-format", "json-lines"]),
    ("sarif.json", ["--output-format", "sarif"]),
    ("github.txt", ["--output-format", "github"]),
    ("statistics.txt", ["--statistics"]),
    ("statistics.json", ["--statistics", "--output-format", "json"]),
]

VERSION = run("--version").stdout.decode().split()[-1]
ENVIRONMENT = {"NO_COLOR": "", "TERM": "xterm"}


def normalise(name, text):
    for form in (INPUT, urllib.parse.quote(INPUT, safe="/")):
        text = text.replace(form, "$ROOT")
    if name == "sarif.json":
        log = json.loads(text)
        driver = log["runs"][0]["tool"]["driver"]
        check("sarif: version is pitfall's", driver["version"] == VERSION, driver["version"])
        driver["version"] = driver["semanticVersion"] = "$VERSION"
        driver["rules"] = "(every rule: checked against `pitfall rules` by test_sarif.py)"
        text = json.dumps(log, indent=2, ensure_ascii=False) + "\n"
    return text


for name, arguments in CASES:
    result = run("check", "--color", "never", *arguments, ".", cwd=INPUT, env=ENVIRONMENT)
    check(f"{name}: exit status 1 (findings)", result.returncode == 1, (result.returncode, result.stderr))
    check(f"{name}: summary on stderr", result.stderr.decode() ==
          "Found 19 problems in 6 files (7 files checked).\n", result.stderr)
    actual = normalise(name, result.stdout.decode("utf-8"))
    path = os.path.join(EXPECTED, name)
    if UPDATE:
        os.makedirs(EXPECTED, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(actual)
    with open(path, encoding="utf-8", newline="") as handle:
        expected = handle.read()
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "expected/" + name,
                                        "actual", n=1))
    check(f"{name}: output matches the golden file exactly", actual == expected, "\n" + diff[:6000])

# Every rule fires somewhere in the inputs, so every rule's output is pinned.
with open(os.path.join(EXPECTED, "concise.txt"), encoding="utf-8") as handle:
    fired = sorted({line.split(": ")[1].split()[0] for line in handle if line.strip()})
codes = [line.split()[0] for line in run("rules").stdout.decode().splitlines()]
check("every rule has a finding in the golden inputs", fired == codes, (fired, codes))
with open(os.path.join(EXPECTED, "concise.txt"), encoding="utf-8") as handle:
    check("the finding on the BOM line: the BOM is not a column",
          "bom_first_line.py:1:24: PF001" in handle.read())

# The same report through --output-file: the file holds exactly what stdout would.
for name, arguments in CASES[:6]:
    target = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"pitfall-golden-{os.getpid()}-{name}")
    result = run("check", "--color", "never", *arguments, "--output-file", target, ".", cwd=INPUT, env=ENVIRONMENT)
    check(f"{name}: --output-file leaves stdout empty", result.stdout == b"", result.stdout[:200])
    with open(target, encoding="utf-8", newline="") as handle:
        written = normalise(name, handle.read())
    os.unlink(target)
    with open(os.path.join(EXPECTED, name), encoding="utf-8", newline="") as handle:
        check(f"{name}: --output-file content matches the golden file", written == handle.read())

finish()
