#!/usr/bin/env python3
"""Scale and memory: a tree of 20,000 small files, a single 40 MB file, and a file of a million
lines all work, with findings at the right rows; peak RSS does not grow with the number of
files (20,000 files cost about what 2,000 do). No timing assertions. The RSS comparison is
skipped for sanitizer builds, whose allocator keeps freed memory in quarantine."""
import os
import subprocess
import tempfile

from clitest import BINARY, check, finish, remove_tree, temporary_tree

BAD = "def f(x=[]):\n    return x\n"


def run_measured(arguments, cwd):
    """Runs pitfall; returns (exit status, stdout, stderr, peak RSS in MB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # No parse budget: this test is about size, and a loaded machine running a sanitizer
        # build could otherwise give up on the largest files (parse_budget.h).
        environment = dict(os.environ, PITFALL_PARSE_BUDGET_MS="0")
        process = subprocess.Popen([BINARY, *arguments], cwd=cwd, stdout=out, stderr=err, env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        out.seek(0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), out.read(), err.read(), usage.ru_maxrss / 1024


def sanitized():
    with open(BINARY, "rb") as handle:
        return b"__asan_init" in handle.read()


def small_tree(count):
    files = {}
    for index in range(count):
        body = BAD if index % 10 == 0 else f"value_{index} = {index}\n\ndef g(a=None):\n    return a\n"
        files[f"d{index // 500:02d}/m{index:05d}.py"] = body
    return temporary_tree(files)


# 20,000 small files, and 2,000 for comparison, on two threads, without and with the cache.
peaks = {}
for count in (2000, 20000):
    root = small_tree(count)
    status, out, err, peak = run_measured(["check", "--no-cache", "-j", "2", "."], root)
    peaks[count] = peak
    lines = out.decode().splitlines()
    check(f"{count} files: exit 1", status == 1, err[-300:])
    check(f"{count} files: every one checked", f"({count} files checked)".encode() in err, err[-300:])
    check(f"{count} files: one finding per tenth file", len(lines) == count // 10
          and all(":1:9: PF001 " in line for line in lines), lines[:3])
    check(f"{count} files: sorted by path", lines == sorted(lines))
    if count == 20000:
        cache = os.path.join(root, ".cache")
        cold = run_measured(["check", "-j", "2", "--cache-dir", cache, "-v", "."], root)
        warm = run_measured(["check", "-j", "2", "--cache-dir", cache, "-v", "."], root)
        check("20,000 files cached: same findings", cold[1] == out and warm[1] == out)
        check("20,000 files cached: all hits", b"20000 hits" in warm[2], warm[2][-300:])
    remove_tree(root)
print(f"peak RSS: {peaks[2000]:.1f} MB for 2,000 files, {peaks[20000]:.1f} MB for 20,000")
if not sanitized():
    # What grows is the file list and the findings (a few hundred bytes a file), not sources.
    check("peak RSS does not grow with the number of files", peaks[20000] < peaks[2000] + 16, peaks)
    check("peak RSS for 20,000 small files under 64 MB", peaks[20000] < 64, peaks)

# A single 40 MB file: long lines, with a finding at its very end.
root = temporary_tree({})
line = "s = '" + "abcdefghij" * 99 + "'\n"
repeat = 40 * 1024 * 1024 // len(line) + 1
with open(os.path.join(root, "big.py"), "w") as handle:
    handle.write(line * repeat)
    handle.write(BAD)
check("the big file is over 40 MB", os.path.getsize(os.path.join(root, "big.py")) > 40 * 1024 * 1024)
status, out, err, peak = run_measured(["check", "--no-cache", "big.py"], root)
check("40 MB file: the finding on its last lines", status == 1
      and out.startswith(f"big.py:{repeat + 1}:9: PF001 ".encode()) and out.count(b"\n") == 1, (out, err[-300:]))
print(f"peak RSS: {peak:.1f} MB for a {os.path.getsize(os.path.join(root, 'big.py')) / 1e6:.0f} MB file")

# A file of a million lines of ordinary code: 125,000 functions of 8 lines, then a finding.
function = 'def f{0}(a, b=None):\n    """Docstring.\n    More text.\n    """\n    # a comment\n    c = a\n    return c\n\n'
with open(os.path.join(root, "million.py"), "w") as handle:
    for index in range(125000):
        handle.write(function.format(index))
    handle.write(BAD)
status, out, err, peak = run_measured(["check", "--no-cache", "million.py"], root)
check("a million lines: the finding at row 1,000,001", status == 1
      and out.startswith(b"million.py:1000001:9: PF001 ") and out.count(b"\n") == 1, (out, err[-300:]))
print(f"peak RSS: {peak:.1f} MB for a file of a million lines")
remove_tree(root)
finish()
