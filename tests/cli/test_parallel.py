#!/usr/bin/env python3
"""The worker pool: output is byte-identical whatever the thread count (every output format,
with and without the cache), the --threads/-j forms, and their usage errors."""
import os
import random

from clitest import check, finish, remove_tree, run, temporary_tree

BAD = "def f(x=[]):\n    return x\n"
rng = random.Random(7)
files = {}
for index in range(240):
    kind = index % 8
    name = f"pkg{index % 5}/sub{index % 3}/module_{index:03d}.py"
    if kind == 0:
        # A big file, with findings spread through it: the largest files go first.
        body = "".join(f"def f{i}(a, b={'[]' if i % 97 == 0 else 'None'}):\n    return a, b\n"
                       for i in range(rng.randrange(300, 1500)))
    elif kind == 1:
        body = "x = 1\n" * rng.randrange(1, 50)
    elif kind == 2:
        body = "# -*- coding: latin-1 -*-\ns = '\xe9t\xe9'\ndef g(y={}):\n    y.update(a=1)\n"
        files[name] = body.encode("latin-1")
        continue
    elif kind == 3:
        files[name] = b"def h(z=[]):\n    return '\xff'\n"  # undecodable: a PF000 at the bad byte
        continue
    elif kind == 4:
        body = "def broken(:\n    pass\n" + BAD
    elif kind == 5:
        body = "caf\u00e9 = 1\ndef \u00e9t\u00e9(d=dict()):\n    return d\n"
    elif kind == 6:
        body = ""
    else:
        body = BAD * rng.randrange(1, 20)
    files[name] = body
files["stubs/api.pyi"] = BAD
root = temporary_tree(files)

runs = {}
for arguments in (["-j", "1"], ["-j", "2"], ["-j", "8"], ["--threads=3"], ["-j5"], ["--threads", "64"]):
    for output_format in ("concise", "json"):
        result = run("check", "--no-cache", "--output-format", output_format, *arguments, ".", cwd=root)
        runs[(tuple(arguments), output_format)] = result
for output_format in ("concise", "json"):
    reference = runs[(("-j", "1"), output_format)]
    check(f"{output_format}: findings reported", reference.returncode == 1 and reference.stdout.count(b"PF001") > 100,
          reference.stderr[-500:])
    check(f"{output_format}: every file checked", b"(241 files checked)" in reference.stderr, reference.stderr[-300:])
    for (arguments, fmt), result in runs.items():
        if fmt != output_format:
            continue
        check(f"{output_format} {' '.join(arguments)}: same stdout as one thread", result.stdout == reference.stdout)
        check(f"{output_format} {' '.join(arguments)}: same stderr as one thread", result.stderr == reference.stderr,
              (result.stderr[-300:], reference.stderr[-300:]))
        check(f"{output_format} {' '.join(arguments)}: same exit status", result.returncode == reference.returncode)

# Every format, and --statistics, on one thread and on eight: byte for byte the same.
SHADOW = 'class C:\n    def m(self):\n        pass\n\n    def __init__(self):\n        self.m = 1\n'
with open(os.path.join(root, "pkg0", "shadow.py"), "w", encoding="utf-8") as handle:
    handle.write(SHADOW)  # a related location too (PF002)
for output_format in ("concise", "full", "json", "json-lines", "sarif", "github"):
    for extra in ([], ["--statistics"]):
        one, eight = (run("check", "--no-cache", "--color", "never", "--output-format", output_format, *extra,
                          "-j", threads, ".", cwd=root) for threads in ("1", "8"))
        name = f"{output_format}{' --statistics' if extra else ''}"
        check(f"{name}: findings on one thread", one.returncode == 1 and b"PF002" in one.stdout and
              (extra or one.stdout.count(b"PF001") > 100), one.stderr[-300:])
        check(f"{name}: -j8 stdout identical to -j1", one.stdout == eight.stdout)
        check(f"{name}: -j8 stderr identical to -j1", one.stderr == eight.stderr, (one.stderr[-300:], eight.stderr[-300:]))
        check(f"{name}: -j8 exit status identical", one.returncode == eight.returncode)
os.unlink(os.path.join(root, "pkg0", "shadow.py"))

# With the cache: a cold and a warm run on 1 and on 8 threads print the same as --no-cache.
reference = runs[(("-j", "1"), "json")].stdout
uncached = {fmt: run("check", "--no-cache", "--color", "never", "--output-format", fmt, "-j", "1", ".", cwd=root).stdout
            for fmt in ("full", "sarif")}
for threads in ("1", "8"):
    cache = os.path.join(root, f".cache-{threads}")
    cold = run("check", "--cache-dir", cache, "-j", threads, "--output-format", "json", ".", cwd=root)
    warm = run("check", "--cache-dir", cache, "-j", threads, "--output-format", "json", ".", cwd=root)
    check(f"cached cold run on {threads} threads matches", cold.stdout == reference)
    check(f"cached warm run on {threads} threads matches", warm.stdout == reference)
    # Formats that read the file again on a hit (full's source lines, SARIF's fingerprints).
    for output_format in ("full", "sarif"):
        expected = uncached[output_format]
        warm = run("check", "--cache-dir", cache, "--color", "never", "-j", threads, "--output-format",
                   output_format, ".", cwd=root)
        check(f"cached warm {output_format} on {threads} threads matches -j1 without the cache",
              warm.stdout == expected and warm.returncode == 1)

# One file on many threads, and the verbose line.
result = run("check", "--no-cache", "-j", "16", "-v", "stubs/api.pyi", cwd=root)
check("more threads than files", result.returncode == 1 and b"stubs/api.pyi:1:9: PF001" in result.stdout, result)
check("-v names files and threads", b"pitfall: 1 file, 16 threads" in result.stderr, result.stderr)
check("-v with --no-cache", b"pitfall: cache: off" in result.stderr, result.stderr)

# The default: one thread per online CPU.
result = run("check", "--no-cache", "-v", ".", cwd=root)
online = os.sysconf("SC_NPROCESSORS_ONLN")
check("default thread count: the online CPUs", f"pitfall: 241 files, {online} thread".encode() in result.stderr,
      (online, result.stderr[-300:]))

# Out of range or not a number: one clear message, nothing linted.
for value in ("0", "-1", "abc", "100000", "1025", "99999999999999999999", "2.5", " 2", ""):
    result = run("check", "-j", value, ".", cwd=root)
    check(f"-j '{value}': the message", result.returncode == 2 and result.stdout == b"" and result.stderr ==
          f"pitfall: error: option --threads needs a whole number from 1 to 1024, not '{value}'\n".encode(),
          result.stderr)
result = run("check", "--no-cache", "-j", "1024", "stubs/api.pyi", cwd=root)
check("-j 1024: the largest accepted", result.returncode == 1 and b"stubs/api.pyi:1:9: PF001" in result.stdout)

# Usage errors.
for arguments in (["-j", "0"], ["-j", "abc"], ["--threads", "1025"], ["--threads=-2"], ["-j2x"], ["-j"],
                  ["--threads"], ["--cache-dir="]):
    result = run("check", *arguments, ".", cwd=root) if arguments[-1] not in ("-j", "--threads") else \
        run("check", *arguments, cwd=root)
    check(f"{' '.join(arguments)} is a usage error", result.returncode == 2 and b"pitfall: error:" in result.stderr
          and result.stdout == b"", (result.returncode, result.stderr))
result = run("check", "--help")
check("--help documents the options", all(option in result.stdout for option in
                                          (b"--threads", b"--no-cache", b"--cache-dir", b"--verbose")), result.stdout)
check("--help hides --parse-only", b"--parse-only" not in result.stdout)

# --parse-only (the benchmark's floor) reads and parses but reports nothing.
result = run("check", "--parse-only", "-j", "2", ".", cwd=root)
check("--parse-only reports no findings", result.returncode == 0 and result.stdout == b"", result)
check("--parse-only writes no cache", not os.path.exists(os.path.join(root, ".pitfall_cache")))

remove_tree(root)
finish()
