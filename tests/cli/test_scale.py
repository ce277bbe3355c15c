#!/usr/bin/env python3
"""Scale and memory: a tree of 20,000 small files, a single 40 MB file, and a file of a million
lines all work, cold and warm (with the cache, and by content after a touch), with findings
at the right rows; peak RSS does not grow with the number of files beyond the few hundred
bytes of results each file keeps (20,000 files cost a few MB more than 2,000). No timing
assertions. RSS comes from GNU time (/usr/bin/time): the rusage of a child Python forks counts
Python's own pages (the exec records the old address space's high-water mark), which hid
pitfall's figures under Python's. The RSS assertions are skipped without GNU time and for
sanitizer builds, whose allocator keeps freed memory in quarantine."""
import os
import re
import subprocess
import tempfile

from clitest import BINARY, check, finish, remove_tree, temporary_tree

BAD = "def f(x=[]):\n    return x\n"
GNU_TIME = "/usr/bin/time"
HAVE_TIME = os.access(GNU_TIME, os.X_OK)
PAST = 1_000_000_000  # an mtime the cache trusts as a stamp
RSS_LINE = re.compile(rb"\npitfall-test-peak-rss-kb (\d+)\n?$")  # GNU time's line, last
CACHE_LINE = re.compile(rb"pitfall: cache: (\d+) hits \((\d+) by stat, (\d+) by content\), (\d+) misses")


def run_measured(arguments, cwd):
    """Runs pitfall; returns (exit status, stdout, stderr, peak RSS in MB or None)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # No parse budget: this test is about size, and a loaded machine running a sanitizer
        # build could otherwise give up on the largest files (parse_budget.h).
        environment = dict(os.environ, PITFALL_PARSE_BUDGET_MS="0")
        prefix = [GNU_TIME, "-f", "\npitfall-test-peak-rss-kb %M"] if HAVE_TIME else []
        process = subprocess.Popen([*prefix, BINARY, *arguments], cwd=cwd, stdout=out, stderr=err, env=environment)
        status = process.wait()
        out.seek(0)
        err.seek(0)
        stderr = err.read()
        peak = None
        match = RSS_LINE.search(stderr)
        if match:
            peak = int(match.group(1)) / 1024
            stderr = stderr[:match.start()] + b"\n"
            stderr = re.sub(rb"Command exited with non-zero status \d+\n$", b"", stderr)
        return status, out.read(), stderr, peak


def cache_counts(stderr):
    """(hits by stat, hits by content, misses) from -v, or None."""
    match = CACHE_LINE.search(stderr)
    return tuple(int(match.group(i)) for i in (2, 3, 4)) if match else None


def sanitized():
    with open(BINARY, "rb") as handle:
        return b"__asan_init" in handle.read()


def small_tree(count):
    files = {}
    for index in range(count):
        body = BAD if index % 10 == 0 else f"value_{index} = {index}\n\ndef g(a=None):\n    return a\n"
        files[f"d{index // 500:02d}/m{index:05d}.py"] = body
    return temporary_tree(files)


def settle(root):
    for directory, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(directory, name), (PAST, PAST))


# 20,000 small files, and 2,000 for comparison, on two threads: without the cache, then a cold
# cached run, a warm one (every stamp trusted) and one after touching every file (by content).
peaks = {}
for count in (2000, 20000):
    root = small_tree(count)
    settle(root)
    status, out, err, peak = run_measured(["check", "--no-cache", "-j", "2", "."], root)
    peaks[count, "no cache"] = peak
    lines = out.decode().splitlines()
    check(f"{count} files: exit 1", status == 1, err[-300:])
    check(f"{count} files: every one checked", f"({count} files checked)".encode() in err, err[-300:])
    check(f"{count} files: one finding per tenth file", len(lines) == count // 10
          and all(":1:9: PF001 " in line for line in lines), lines[:3])
    check(f"{count} files: sorted by path", lines == sorted(lines))
    cache = os.path.join(root, ".cache")
    for label, expected_counts in (("cold", (0, 0, count)), ("warm", (count, 0, 0)), ("touched", (0, count, 0))):
        if label == "touched":
            for directory, _, names in os.walk(root):
                for name in names:
                    if name.endswith(".py"):
                        os.utime(os.path.join(directory, name), (PAST + 10, PAST + 10))
        result = run_measured(["check", "-j", "2", "--cache-dir", cache, "-v", "."], root)
        peaks[count, label] = result[3]
        check(f"{count} files, {label}: same findings and status", result[1] == out and result[0] == 1, result[2][-300:])
        check(f"{count} files, {label}: cache counts", cache_counts(result[2]) == expected_counts,
              (cache_counts(result[2]), expected_counts))
    remove_tree(root)
if HAVE_TIME:
    print("peak RSS (MB): " + ", ".join(f"{count} files {label}: {peak:.1f}" for (count, label), peak in peaks.items()))
if HAVE_TIME and not sanitized():
    # What grows is what each file keeps until the sorted report: its path and findings (about
    # 0.2 KB without the cache), and with the cache its entry, read and written (about 0.5 KB
    # more). 18,000 more files may so cost up to about 13 MB; never their sources.
    for label in ("no cache", "cold", "warm", "touched"):
        check(f"{label}: peak RSS does not grow with the number of files beyond the results",
              peaks[20000, label] < peaks[2000, label] + (8 if label == "no cache" else 20), peaks)
        check(f"{label}: peak RSS for 20,000 small files under 64 MB", peaks[20000, label] < 64, peaks)

# A single 40 MB file: long lines, with a finding at its very end.
root = temporary_tree({})
line = "s = '" + "abcdefghij" * 99 + "'\n"
repeat = 40 * 1024 * 1024 // len(line) + 1
with open(os.path.join(root, "big.py"), "w") as handle:
    handle.write(line * repeat)
    handle.write(BAD)
check("the big file is over 40 MB", os.path.getsize(os.path.join(root, "big.py")) > 40 * 1024 * 1024)


def cold_and_warm(name, first_line, rss_limit):
    """Lints `name` cold (a cache miss), warm (by stat), warm in `full` (which reads the file
    again for its source lines) and after a touch (by content): the same finding every time."""
    path = os.path.join(root, name)
    os.utime(path, (PAST, PAST))
    cache = os.path.join(root, ".cache-" + name)
    runs = (("cold", [], (0, 0, 1)), ("warm", [], (1, 0, 0)), ("warm full", ["--output-format", "full"], (1, 0, 0)),
            ("touched full", ["--output-format", "full"], (0, 1, 0)))
    for label, extra, expected_counts in runs:
        if label == "touched full":
            os.utime(path, (PAST + 10, PAST + 10))
        status, out, err, peak = run_measured(["check", "-v", "--cache-dir", cache, *extra, name], root)
        check(f"{name} {label}: exit 1, one finding at {first_line}", status == 1 and out.startswith(first_line)
              and out.count(first_line) == 1 and (extra or out.count(b"\n") == 1), (out[:300], err[-300:]))
        if extra:
            check(f"{name} {label}: the source line shown", b"| def f(x=[]):\n" in out, out[:400])
        check(f"{name} {label}: cache counts", cache_counts(err) == expected_counts, (cache_counts(err), err[-300:]))
        if peak is not None:
            print(f"peak RSS: {peak:.1f} MB for {name}, {label}")
            if not sanitized():
                check(f"{name} {label}: peak RSS under {rss_limit} MB", peak < rss_limit, peak)


cold_and_warm("big.py", f"big.py:{repeat + 1}:9: PF001 ".encode(), 400)

# A file of a million lines of ordinary code: 125,000 functions of 8 lines, then a finding.
function = 'def f{0}(a, b=None):\n    """Docstring.\n    More text.\n    """\n    # a comment\n    c = a\n    return c\n\n'
with open(os.path.join(root, "million.py"), "w") as handle:
    for index in range(125000):
        handle.write(function.format(index))
    handle.write(BAD)
cold_and_warm("million.py", b"million.py:1000001:9: PF001 ", 1024)
remove_tree(root)
finish()
