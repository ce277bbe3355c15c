#!/usr/bin/env python3
"""The cache's keys and places: per-file configuration (two subprojects in one run, each with
its own cache beside its configuration), every settings change misses while the output format
does not matter, runs from another directory or naming a file another way neither prune nor
replace the other entries, renamed files, a file rewritten within the same mtime, concurrent
pairs of runs, --add-noqa and --statistics with a warm cache.

Statistics come from `pitfall check -v`, one line per cache used:
  pitfall: cache: H hits (S by stat, C by content), M misses, P pruned, saved|unchanged|not saved; DIR
"""
import os
import shutil
import time

from clitest import CACHE_STATS as STATS, PAST, check, finish, remove_tree, run, run_at_once, settle, temporary_tree

BAD = "def f(x=[]):\n    return x\n"
CALLS = "def f(x=[]):\n    return x\n\n\ndef g(y=registry_default()):\n    return y\n"


def all_stats(result):
    """{cache directory: (hits by stat, hits by content, misses, pruned)} for every line."""
    return {match.group(7).decode(): tuple(int(match.group(i)) for i in (2, 3, 4, 5))
            for match in STATS.finditer(result.stderr)}


def write(path, text):
    with open(path, "w") as handle:
        handle.write(text)


# ---- two subprojects with their own configuration, linted in one run from their parent ----
tree = temporary_tree({
    "one/pyproject.toml": "[tool.pitfall]\nextend-mutable-calls = [\"registry_default\"]\n",
    "one/a.py": CALLS,
    "one/pkg/b.py": BAD,
    "two/pitfall.toml": "[severity]\nPF001 = \"error\"\n",
    "two/a.py": CALLS,
    "loose/c.py": BAD,  # no configuration, no marker: the working directory's root
})
settle(tree)
one, two = os.path.join(tree, "one"), os.path.join(tree, "two")
one_cache, two_cache = os.path.join(one, ".pitfall_cache"), os.path.join(two, ".pitfall_cache")
loose_cache = os.path.join(tree, ".pitfall_cache")
fresh = run("check", "--no-cache", "--output-format", "json", "one", "two", "loose", cwd=tree)
first = run("check", "-v", "--output-format", "json", "one", "two", "loose", cwd=tree)
check("two projects: the fresh output", first.stdout == fresh.stdout and first.returncode == 1, first.stderr)
check("two projects: one cache beside each configuration, one in the root",
      all_stats(first) == {one_cache: (0, 0, 2, 0), two_cache: (0, 0, 1, 0), loose_cache: (0, 0, 1, 0)},
      all_stats(first))
check("two projects: the statistics lines in the order of their directories",
      [m.group(7).decode() for m in STATS.finditer(first.stderr)] == sorted([one_cache, two_cache, loose_cache]))
check("per-file settings: one's extra mutable call, not two's", first.stdout.count(b"`registry_default()`") == 1
      and b"one/a.py" in first.stdout, first.stdout[:200])
check("per-file settings: two's PF001 is an error", first.stdout.count(b'"severity":\t"error"') >= 1)
second = run("check", "-v", "--output-format", "json", "one", "two", "loose", cwd=tree)
check("two projects, warm: every file by stat in its own cache",
      all_stats(second) == {one_cache: (2, 0, 0, 0), two_cache: (1, 0, 0, 0), loose_cache: (1, 0, 0, 0)},
      all_stats(second))
check("two projects, warm: the fresh output", second.stdout == fresh.stdout)
# Each project's own runs use the cache beside its configuration.
inside = run("check", "-v", ".", cwd=one)
check("inside a project: its cache", set(all_stats(inside)) == {one_cache}, all_stats(inside))
inside = run("check", "-v", ".", cwd=one)
check("inside a project, again: hits", all_stats(inside) == {one_cache: (2, 0, 0, 0)}, all_stats(inside))
again = run("check", "-v", "one", "two", "loose", cwd=tree)
check("the parent's run kept its entries (nothing pruned)",
      all_stats(again) == {one_cache: (2, 0, 0, 0), two_cache: (1, 0, 0, 0), loose_cache: (1, 0, 0, 0)},
      all_stats(again))
# --isolated and --config find no configuration by location: the project root of each file.
isolated = run("check", "-v", "--isolated", "one/a.py", "two/a.py", cwd=tree)
check("--isolated: each file's project root", set(all_stats(isolated)) == {one_cache, two_cache},
      all_stats(isolated))
check("--isolated: other settings, so misses", all(s[2] == 1 for s in all_stats(isolated).values()),
      all_stats(isolated))
forced = run("check", "-v", "--config", "two/pitfall.toml", "one/a.py", cwd=tree)
check("--config: the file's project root", set(all_stats(forced)) == {one_cache}, all_stats(forced))
# --cache-dir: one cache for all, keyed relative to the working directory's root.
shared = os.path.join(tree, "shared-cache")
for attempt in ("cold", "warm"):
    result = run("check", "-v", "--cache-dir", shared, "one", "two", "loose", cwd=tree)
    expected = (0, 0, 4, 0) if attempt == "cold" else (4, 0, 0, 0)
    check(f"--cache-dir, {attempt}: one cache for every project", all_stats(result) == {shared: expected},
          all_stats(result))
remove_tree(tree)

# ---- every settings change misses; the output format does not ----
project = temporary_tree({"pyproject.toml": "[tool.pitfall]\n", "a.py": CALLS, "b.py": BAD,
                          "tests/c.py": BAD})
settle(project)
config = os.path.join(project, "pyproject.toml")


def counts(*arguments):
    result = run("check", "-v", *arguments, ".", cwd=project)
    fresh_result = run("check", "--no-cache", *arguments, ".", cwd=project)
    check(f"{' '.join(arguments) or 'defaults'}: the fresh output", result.stdout == fresh_result.stdout
          and result.returncode == fresh_result.returncode, (result.stdout[:300], fresh_result.stdout[:300]))
    stats = list(all_stats(result).values())
    return stats[0][:3] if stats else None


check("first run: misses", counts() == (0, 0, 3))
for output_format in ("full", "json", "json-lines", "sarif", "github", "concise"):
    check(f"--output-format {output_format}: still hits", counts("--output-format", output_format) == (3, 0, 0))
check("--statistics: still hits", counts("--statistics") == (3, 0, 0))
check("--select on the command line: misses", counts("--select", "PF001") == (0, 0, 3))
check("--select again: hits", counts("--select", "PF001") == (3, 0, 0))
check("another command line with the same rules on: hits",
      counts("--select", "PF001", "--ignore", "PF002") == (3, 0, 0))
check("back to the defaults: misses (one entry per file, last settings win)", counts() == (0, 0, 3))
changes = [
    ("extend-mutable-calls", "[tool.pitfall]\nextend-mutable-calls = [\"registry_default\"]\n"),
    ("severity", "[tool.pitfall]\nextend-mutable-calls = [\"registry_default\"]\n"
                 "[tool.pitfall.severity]\nPF001 = \"error\"\n"),
    ("ignore", "[tool.pitfall]\nignore = [\"PF001\"]\n"),
    ("per-file-ignores", "[tool.pitfall]\n[tool.pitfall.per-file-ignores]\n\"tests/*\" = [\"PF001\"]\n"),
]
for name, text in changes:
    write(config, text)
    # From `ignore = ["PF001"]` to per-file-ignores of tests/*, tests/c.py keeps its settings.
    expected = (1, 0, 2) if name == "per-file-ignores" else (0, 0, 3)
    check(f"configuration {name} changed: the files whose settings changed miss", counts() == expected)
    check(f"configuration {name} unchanged: every file hits", counts() == (3, 0, 0))
check("per-file-ignores: the test file has no finding", b"tests/c.py" not in
      run("check", ".", cwd=project).stdout)
write(config, changes[-1][1] + "# a comment only\n")
check("a configuration edit that changes no setting: hits", counts() == (3, 0, 0))

# ---- other working directories and other names for the same file ----
os.makedirs(os.path.join(project, "sub"))
write(os.path.join(project, "sub", "d.py"), BAD)
settle(project)
check("root run: the new file misses", counts() == (3, 0, 1))
for cwd, name in ((os.path.join(project, "sub"), "."), (project, "./sub/d.py"), (project, os.path.join(project, "sub", "d.py"))):
    result = run("check", "-v", name, cwd=cwd)
    stats = list(all_stats(result).values())
    check(f"{name} from {os.path.relpath(cwd, project)}: its own entry, nothing pruned",
          stats == [(0, 0, 1, 0)], stats)
    result = run("check", "-v", name, cwd=cwd)
    check(f"{name} from {os.path.relpath(cwd, project)}: then a hit", list(all_stats(result).values()) == [(1, 0, 0, 0)],
          all_stats(result))
check("the root run still hits every file", counts() == (4, 0, 0))
# A clone elsewhere with the cache copied along: relative keys, so hits by content.
clone = project + "-clone"
shutil.copytree(project, clone)
settle(clone, PAST + 100)
result = run("check", "-v", ".", cwd=clone)
check("a clone elsewhere: every file by content", list(all_stats(result).values()) == [(0, 4, 0, 0)],
      all_stats(result))
remove_tree(clone)

# ---- a renamed file: the new name misses, the old entry is pruned ----
os.rename(os.path.join(project, "b.py"), os.path.join(project, "renamed.py"))
result = run("check", "-v", ".", cwd=project)
check("renamed: one miss, one pruned, the others hit", list(all_stats(result).values()) == [(3, 0, 1, 1)],
      all_stats(result))
check("renamed: reported under its new name", b"renamed.py:1:9: PF001" in result.stdout
      and b"b.py" not in result.stdout.replace(b"renamed.py", b""))

# ---- a file rewritten after the cache was written, with the very same mtime ----
# A stamp is trusted only when its mtime is settled (two seconds before the run): a file written
# in the same clock tick as the run that cached it may change again without the mtime showing
# it. An mtime in the future is never settled, so this does not depend on the machine's speed.
target = os.path.join(project, "racy.py")
write(target, "def f(x=None):\n    return x\n")
future = time.time_ns() + 3600 * 10**9
os.utime(target, ns=(future, future))
result = run("check", "-v", "racy.py", cwd=project)
check("racy: clean at first", result.returncode == 0, result.stdout)
write(target, "def f(x=[]):\n    return xx\n")  # same size
os.utime(target, ns=(future, future))
result = run("check", "-v", "racy.py", cwd=project)
check("racy: an unsettled stamp is not trusted, the content decides", result.returncode == 1
      and b"racy.py:1:9: PF001" in result.stdout and list(all_stats(result).values()) == [(0, 0, 1, 0)],
      (result.stdout, all_stats(result)))
settle(project)
run("check", "racy.py", cwd=project)
# A settled stamp: a change of size alone, with the mtime put back, is seen (by the stamp, then
# the hash).
write(target, "def f(x=[]):\n    return x\n")  # one byte shorter
os.utime(target, (PAST, PAST))
result = run("check", "-v", "racy.py", cwd=project)
check("size changed, same mtime: a miss", list(all_stats(result).values()) == [(0, 0, 1, 0)]
      and b"racy.py:1:9: PF001" in result.stdout, (result.stdout, all_stats(result)))
# An old file rewritten to the same size with its mtime put back is the documented blind spot of
# any stat fast path (as in git and make): not tested here.

# ---- --statistics and --add-noqa with a warm cache ----
settle(project)
run("check", ".", cwd=project)
warm = run("check", "--statistics", ".", cwd=project)
cold = run("check", "--no-cache", "--statistics", ".", cwd=project)
check("--statistics warm: the fresh counts", warm.stdout == cold.stdout and warm.returncode == cold.returncode
      and b"PF001" in warm.stdout, (warm.stdout, cold.stdout))
copy = project + "-noqa"
shutil.copytree(project, copy)
warm_edit = run("check", "--add-noqa", ".", cwd=project)
cold_edit = run("check", "--add-noqa", "--no-cache", ".", cwd=copy)
check("--add-noqa warm: the same summary", warm_edit.stderr == cold_edit.stderr and warm_edit.returncode
      == cold_edit.returncode, (warm_edit.stderr, cold_edit.stderr))
for name in ("a.py", "renamed.py", "tests/c.py", "sub/d.py", "racy.py"):
    with open(os.path.join(project, name), "rb") as left, open(os.path.join(copy, name), "rb") as right:
        edited = left.read()
        check(f"--add-noqa warm: {name} edited as a fresh run edits it", edited == right.read()
              and (b"# noqa: PF001" in edited or name == "tests/c.py"), edited)
result = run("check", "-v", ".", cwd=project)
check("after --add-noqa: the edited files miss, and nothing is left to report", result.returncode == 0
      and list(all_stats(result).values())[0][2] >= 4, (result.stdout, all_stats(result)))
remove_tree(copy)
remove_tree(project)

# ---- concurrent pairs: ten pairs of runs at once on one cache, files changing between pairs ----
tree = {f"m{i:03d}.py": BAD if i % 4 == 0 else "x = 1\n" * (1 + i % 5) for i in range(120)}
tree["pitfall.toml"] = ""
busy = temporary_tree(tree)
settle(busy)
cache_file = os.path.join(busy, ".pitfall_cache", "results.cache")
for pair in range(10):
    changed = os.path.join(busy, f"m{pair * 7:03d}.py")
    with open(changed, "a") as handle:
        handle.write(f"def p{pair}(a={{}}):\n    pass\n")
    os.utime(changed, (PAST + pair + 1, PAST + pair + 1))
    expected = run("check", "--no-cache", ".", cwd=busy).stdout
    outputs = run_at_once(2, "check", "-j", "2", ".", cwd=busy)
    check(f"pair {pair}: both runs print the fresh output",
          all(out == expected and status == 1 for status, out, _ in outputs),
          [err[-300:] for _, _, err in outputs])
    check(f"pair {pair}: no warning", all(b"warning" not in err for _, _, err in outputs),
          [err for _, _, err in outputs])
    with open(cache_file, "rb") as handle:
        check(f"pair {pair}: the cache file is whole (magic)", handle.read(8) == b"PFCACHE\0")
    after = run("check", "-v", ".", cwd=busy)
    check(f"pair {pair}: the cache is valid and complete", list(all_stats(after).values()) == [(120, 0, 0, 0)],
          all_stats(after))
leftovers = [n for n in os.listdir(os.path.dirname(cache_file)) if n.startswith(".results.cache.")]
check("no temporary files left behind", not leftovers, leftovers)
remove_tree(busy)

finish()
