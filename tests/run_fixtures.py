#!/usr/bin/env python3
"""Fixture runner: every fixture produces exactly the findings its .expected file lists.

Each fixture is a Python file under fixtures/ (``*.py`` or ``*.pyi``) with a sibling
``<name>.expected`` (``defaults.py`` -> ``defaults.expected``, ``stub.pyi`` ->
``stub.pyi.expected``). Each non-blank, non-comment line of an expected file is

    ROW:COLUMN CODE [SEVERITY]

with 1-based rows and columns counted in Unicode code points. The runner lints each fixture
on its own with ``--output-format json`` and fails on any expected finding that is missing,
any finding that is not expected, a severity that differs, or an exit status that does not
match (1 when findings are expected, 0 when none are). A fixture without an expected file
is an error, so nothing is skipped silently.

Usage: run_fixtures.py PITFALL_BINARY FIXTURES_DIR
"""
import json
import os
import subprocess
import sys


def expected_path(fixture):
    base, ext = os.path.splitext(fixture)
    return base + ".expected" if ext == ".py" else fixture + ".expected"


def parse_expected(path):
    findings = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) not in (2, 3) or ":" not in parts[0]:
                raise SystemExit(f"{path}:{number}: expected 'ROW:COLUMN CODE [SEVERITY]', got {line!r}")
            row, column = (int(x) for x in parts[0].split(":"))
            key = (row, column, parts[1])
            if key in findings:
                raise SystemExit(f"{path}:{number}: {key} listed twice")
            findings[key] = parts[2] if len(parts) == 3 else None
    return findings


def lint(binary, fixture):
    directory, name = os.path.split(fixture)
    process = subprocess.run(
        [binary, "check", "--output-format", "json", name],
        cwd=directory or ".", capture_output=True, text=True, timeout=120,
    )
    try:
        findings = json.loads(process.stdout)
    except json.JSONDecodeError as error:
        raise SystemExit(f"{fixture}: output is not JSON ({error}); stderr: {process.stderr}")
    return process.returncode, findings, process.stderr


def main():
    binary, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    fixtures = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        for name in sorted(files):
            if name.endswith((".py", ".pyi")):
                fixtures.append(os.path.join(directory, name))
    passed = failed = 0
    total_expected = 0
    for fixture in fixtures:
        problems = []
        expected_file = expected_path(fixture)
        if not os.path.exists(expected_file):
            problems.append(f"no expected file {expected_file}")
            expected = {}
        else:
            expected = parse_expected(expected_file)
        total_expected += len(expected)
        status, findings, stderr = lint(binary, fixture)
        actual = {}
        for finding in findings:
            key = (finding["location"]["row"], finding["location"]["column"], finding["code"])
            actual[key] = finding
        for key, severity in sorted(expected.items()):
            if key not in actual:
                problems.append("missing   %d:%d %s" % key)
            elif severity and actual[key]["severity"] != severity:
                problems.append("severity  %d:%d %s is %s, expected %s" % (*key, actual[key]["severity"], severity))
        for key in sorted(actual):
            if key not in expected:
                problems.append("unexpected %d:%d %s %s" % (*key, actual[key]["message"]))
        want_status = 1 if expected else 0
        if status != want_status:
            problems.append(f"exit status {status}, expected {want_status}; stderr: {stderr.strip()}")
        if problems:
            failed += 1
            print(f"FAIL {fixture}")
            for problem in problems:
                print(f"  {problem}")
        else:
            passed += 1
    print(f"fixtures: {passed} passed, {failed} failed ({total_expected} expected findings in {len(fixtures)} files)")
    return 1 if failed or not fixtures else 0


if __name__ == "__main__":
    sys.exit(main())
