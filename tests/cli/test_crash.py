#!/usr/bin/env python3
"""A file that crashes the tree-sitter runtime, or makes its parse run for minutes, costs only
its own findings: the crash supervisor (src/supervisor.h) and the parse budget
(src/parse_budget.h).

The real crash (libtree-sitter 0.20.7 frees memory twice once an ERROR node has more than
65,535 children) takes about 25 seconds of error recovery to reach, a minute or two under
AddressSanitizer, so it is run once, with the parse budget off; the other cases crash through
PITFALL_DEBUG_CRASH_ON, which makes linting one file abort at once. Independent runs go in
parallel to keep the test short."""
import json
import os
import signal
from concurrent.futures import ThreadPoolExecutor

from clitest import check, finish, remove_tree, run, temporary_tree

CRASHER = "def f(:\n" + "a b\n" * 70000 + "\n"  # the real reproducer
SLOW = "x = (\n" + "a b\n" * 70000 + "\n"  # error recovery goes quadratic
ORDINARY = {
    "a.py": "def f(x=[]):\n    pass\n",
    "b.py": "def g(y={}):\n    pass\n",
}
CRASH_MESSAGE = "Syntax error: the parser (libtree-sitter 0.20.7) crashed on this file"
GAVE_UP_MESSAGE = "Syntax error: the parser gave up after 0.3 seconds"
ORDINARY_FINDINGS = [("a.py", 1, 9, "PF001"), ("b.py", 1, 9, "PF001")]


def findings(stdout):
    return sorted((os.path.basename(f["filename"]), f["location"]["row"], f["location"]["column"], f["code"])
                  for f in json.loads(stdout))


def message_of(stdout, name):
    return [f["message"] for f in json.loads(stdout) if os.path.basename(f["filename"]) == name]


def stderr_lines(result):
    return result.stderr.decode(errors="replace").splitlines()


def no_duplicates(lines):
    ours = [line for line in lines if line.startswith(("pitfall:", "Found ", "No problems"))]
    return len(ours) == len(set(ours))


real = temporary_tree({**ORDINARY, "crash.py": CRASHER})
hooked = temporary_tree({**ORDINARY, "c.py": "def h(z=set()):\n    pass\n"})
noqa = temporary_tree({**ORDINARY, "c.py": "def h(z=set()):\n    pass\n"})
outdir = temporary_tree({**ORDINARY, "c.py": "x = 1\n"})
slow = temporary_tree({**ORDINARY, "slow.py": SLOW, "slow_noqa.py": "x = (  # noqa: PF000\n" + "a b\n" * 70000})
cache = os.path.join(slow, ".cache")
crash_c = {"PITFALL_DEBUG_CRASH_ON": "c.py"}
budget = {"PITFALL_PARSE_BUDGET_MS": "300"}

jobs = {
    "real": lambda: run("check", "--no-cache", "-j2", "--output-format", "json", ".", cwd=real,
                        env={"PITFALL_PARSE_BUDGET_MS": "0"}),
    "j1": lambda: run("check", "--no-cache", "-j1", "--output-format", "json", "a.py", "b.py", "c.py",
                      "missing.py", cwd=hooked, env=crash_c),
    "j2": lambda: run("check", "--no-cache", "-j2", "--output-format", "json", ".", cwd=hooked, env=crash_c),
    "concise": lambda: run("check", "--no-cache", "-j2", ".", cwd=hooked, env=crash_c),
    "unsupervised": lambda: run("check", "--no-cache", "-j1", ".", cwd=hooked,
                                env={**crash_c, "PITFALL_NO_SUPERVISOR": "1"}),
    "slow": lambda: run("check", "--cache-dir", cache, "-v", "-j2", "--output-format", "json", ".", cwd=slow,
                        env=budget),
    "parse_only": lambda: run("check", "--parse-only", "slow.py", "a.py", cwd=slow, env=budget),
}
with ThreadPoolExecutor(max_workers=len(jobs)) as executor:
    futures = {name: executor.submit(job) for name, job in jobs.items()}
    results = {name: future.result() for name, future in futures.items()}

# The real runtime crash, next to two ordinary files.
r = results["real"]
check("real crash: exit 1", r.returncode == 1, (r.returncode, r.stderr[-2000:]))
check("real crash: every finding, JSON", findings(r.stdout) == sorted(ORDINARY_FINDINGS + [("crash.py", 1, 1, "PF000")]),
      r.stdout[:500])
check("real crash: the message says so", message_of(r.stdout, "crash.py")[0].startswith(CRASH_MESSAGE),
      message_of(r.stdout, "crash.py"))
check("real crash: named once on stderr",
      sum("crash.py: the parser crashed" in line for line in stderr_lines(r)) == 1, r.stderr[-2000:])
check("real crash: nothing duplicated", no_duplicates(stderr_lines(r)), r.stderr[-2000:])
remove_tree(real)

# Crashes through the hook: -j1 with a discovery error printed before the fork, -j2, concise.
r = results["j1"]
check("-j1: exit 2 (a missing path)", r.returncode == 2, (r.returncode, r.stderr))
check("-j1: findings", findings(r.stdout) == sorted(ORDINARY_FINDINGS + [("c.py", 1, 1, "PF000")]), r.stdout)
check("-j1: the discovery error once",
      sum(line.startswith("pitfall: error: missing.py") for line in stderr_lines(r)) == 1, r.stderr)
check("-j1: nothing duplicated", no_duplicates(stderr_lines(r)), r.stderr)
r = results["j2"]
check("-j2: exit 1", r.returncode == 1, (r.returncode, r.stderr))
check("-j2: findings", findings(r.stdout) == sorted(ORDINARY_FINDINGS + [("c.py", 1, 1, "PF000")]), r.stdout)
check("-j2: message", message_of(r.stdout, "c.py")[0].startswith(CRASH_MESSAGE), r.stdout)
check("-j2: nothing duplicated", no_duplicates(stderr_lines(r)), r.stderr)
r = results["concise"]
out = r.stdout.decode().splitlines()
check("concise: three lines, once each", len(out) == 3 and out[0].startswith("a.py:1:9: PF001")
      and out[1].startswith("b.py:1:9: PF001") and out[2].startswith("c.py:1:1: PF000 " + CRASH_MESSAGE), out)
check("concise: one summary", stderr_lines(r).count("Found 3 problems in 3 files (3 files checked).") == 1,
      r.stderr)
r = results["unsupervised"]
check("PITFALL_NO_SUPERVISOR=1: the crash kills the run", r.returncode == -signal.SIGABRT, r.returncode)
check("PITFALL_NO_SUPERVISOR=1: nothing reported", r.stdout == b"", r.stdout)

# --output-file: the report lands in the file, no temporary file is left behind.
r = run("check", "--no-cache", "-j2", "--output-format", "json", "--output-file", "report.json", "a.py", "b.py",
        "c.py", cwd=outdir, env=crash_c)
check("--output-file: exit 1", r.returncode == 1, (r.returncode, r.stderr))
check("--output-file: nothing on stdout", r.stdout == b"", r.stdout)
with open(os.path.join(outdir, "report.json"), "rb") as handle:
    report = handle.read()
check("--output-file: the report",
      findings(report) == sorted(ORDINARY_FINDINGS + [("c.py", 1, 1, "PF000")]), report[:500])
check("--output-file: no temporary file left", sorted(os.listdir(outdir)) == ["a.py", "b.py", "c.py", "report.json"],
      os.listdir(outdir))
remove_tree(outdir)

# --add-noqa: the crashed file is not edited, the others are.
r = run("check", "--no-cache", "-j1", "--add-noqa", ".", cwd=noqa, env=crash_c)
with open(os.path.join(noqa, "c.py")) as handle:
    check("--add-noqa: the crashed file is untouched", handle.read() == "def h(z=set()):\n    pass\n")
with open(os.path.join(noqa, "a.py")) as handle:
    check("--add-noqa: the others are edited", "# noqa: PF001" in handle.read())
check("--add-noqa: the crash is still a finding", r.returncode == 1, (r.returncode, r.stderr))
remove_tree(noqa)

# A crashed file is not cached: without the hook, it is linted.
crash_cache = os.path.join(hooked, ".cache")
run("check", "--cache-dir", crash_cache, ".", cwd=hooked, env=crash_c)
r = run("check", "--cache-dir", crash_cache, "--output-format", "json", ".", cwd=hooked)
check("a crash is not cached", ("c.py", 1, 9, "PF001") in findings(r.stdout), r.stdout)
remove_tree(hooked)

# The parse budget: the slow file gives up, the others are checked; noqa applies without a tree.
r = results["slow"]
check("budget: exit 1", r.returncode == 1, (r.returncode, r.stderr))
check("budget: findings", findings(r.stdout) == sorted(ORDINARY_FINDINGS + [("slow.py", 1, 1, "PF000")]),
      r.stdout[:500])
check("budget: message", message_of(r.stdout, "slow.py")[0].startswith(GAVE_UP_MESSAGE),
      message_of(r.stdout, "slow.py"))
r = run("check", "--cache-dir", cache, "-v", "-j2", "--output-format", "json", ".", cwd=slow, env=budget)
check("budget: not cached (two hits of four files)", any("cache: 2 hits" in line for line in stderr_lines(r)),
      r.stderr)
check("budget: the same findings again",
      findings(r.stdout) == sorted(ORDINARY_FINDINGS + [("slow.py", 1, 1, "PF000")]), r.stdout[:500])
r = results["parse_only"]
check("--parse-only: budget too", r.returncode == 0
      and any("slow.py: the parser gave up" in line for line in stderr_lines(r)), (r.returncode, r.stderr))
remove_tree(slow)

finish()
