#!/usr/bin/env python3
"""The results cache: where it lives, hits by stat and by content, misses on change, pruning,
findings identical to a fresh run in every format, and robustness: a truncated, garbled or
foreign cache file is ignored and rewritten, never fatal, and concurrent runs never corrupt it.

Statistics come from `pitfall check -v`:
  pitfall: cache: H hits (S by stat, C by content), M misses, P pruned, saved|unchanged|not saved; DIR
"""
import os
import shutil

from clitest import CACHE_STATS as STATS, PAST, check, finish, remove_tree, run, run_at_once, settle, temporary_tree

BAD = "def f(x=[]):\n    return x\n"
GOOD = "def f(x=None):\n    return x\n"


def stats(result):
    match = STATS.search(result.stderr)
    if not match:
        return None
    hits, by_stat, by_content, misses, pruned = (int(x) for x in match.groups()[:5])
    return {"hits": hits, "stat": by_stat, "content": by_content, "misses": misses, "pruned": pruned,
            "state": match.group(6).decode(), "dir": match.group(7).decode()}


def fresh(cwd, *arguments):
    return run("check", "--no-cache", *arguments, cwd=cwd)


files = {
    "pyproject.toml": "[project]\nname = 'demo'\n",
    "pkg/a.py": BAD,
    "pkg/b.py": GOOD,
    "pkg/c.py": b"def g(y=[]):\n    return '\xff'\n",  # undecodable
    "pkg/d.py": "def broken(:\n    pass\n" + BAD,  # syntax error and a finding
    "pkg/e.py": "caf\u00e9 = 1\ndef \u00e9t\u00e9(d=dict()):\n    d['k'] = 1\n",
    "pkg/sub/f.pyi": BAD,
}
project = temporary_tree(files)
settle(project)
pkg = os.path.join(project, "pkg")
cache_dir = os.path.join(project, ".pitfall_cache")

# Location: the project root (closest pyproject.toml), from a subdirectory.
first = run("check", "-v", ".", cwd=pkg)
s = stats(first)
check("first run: statistics printed", s is not None, first.stderr)
check("first run: all misses", s and s["misses"] == 6 and s["hits"] == 0 and s["state"] == "saved", s)
check("cache in the project root", s and s["dir"] == cache_dir and os.path.isdir(cache_dir), s)
with open(os.path.join(cache_dir, ".gitignore")) as handle:
    check(".gitignore holds *", handle.read() == "*\n")
check("CACHEDIR.TAG written", os.path.isfile(os.path.join(cache_dir, "CACHEDIR.TAG")))
check("nothing cached in the subdirectory", not os.path.exists(os.path.join(pkg, ".pitfall_cache")))
reference = {fmt: fresh(pkg, "--output-format", fmt, ".") for fmt in ("concise", "json")}
check("first run prints what a fresh run prints", first.stdout == reference["concise"].stdout
      and first.returncode == reference["concise"].returncode == 1, (first.stdout, reference["concise"].stdout))

# Warm: every file by stat, nothing rewritten, the same output in every format.
for fmt in ("concise", "json"):
    warm = run("check", "-v", "--output-format", fmt, ".", cwd=pkg)
    s = stats(warm)
    check(f"warm {fmt}: all hits by stat", s and s["stat"] == 6 and s["misses"] == 0 and s["state"] == "unchanged", s)
    check(f"warm {fmt}: same output as fresh", warm.stdout == reference[fmt].stdout, (warm.stdout, reference[fmt].stdout))
    check(f"warm {fmt}: same exit status", warm.returncode == reference[fmt].returncode)
    check(f"warm {fmt}: same summary", warm.stderr.splitlines()[-1] == reference[fmt].stderr.splitlines()[-1],
          (warm.stderr, reference[fmt].stderr))

# Touching every mtime (a checkout, a clone, a CI cache restore): hits by content, then by stat.
settle(project, PAST + 60)
touched = run("check", "-v", "--output-format", "json", ".", cwd=pkg)
s = stats(touched)
check("touched: all hits by content", s and s["content"] == 6 and s["misses"] == 0 and s["state"] == "saved", s)
check("touched: same output", touched.stdout == reference["json"].stdout)
s = stats(run("check", "-v", ".", cwd=pkg))
check("after touched: the new stamps hit", s and s["stat"] == 6, s)

# A changed file is linted again; the others still hit.
with open(os.path.join(pkg, "b.py"), "w") as handle:
    handle.write(BAD.replace("f(", "q("))  # same size as GOOD? no matter: content differs
os.utime(os.path.join(pkg, "b.py"), (PAST + 120, PAST + 120))
changed = run("check", "-v", ".", cwd=pkg)
s = stats(changed)
check("changed file: one miss", s and s["misses"] == 1 and s["hits"] == 5, s)
check("changed file: its new finding", b"b.py:1:9: PF001" in changed.stdout, changed.stdout)
check("changed file: same as fresh", changed.stdout == fresh(pkg, ".").stdout)

# Same size and stamp but another inode (the file was replaced): content decides.
path = os.path.join(pkg, "a.py")
os.rename(path, path + ".old")
with open(path, "w") as handle:
    handle.write(BAD.replace("[]", "{}"))
os.utime(path, (PAST, PAST))
os.unlink(path + ".old")
replaced = run("check", "-v", ".", cwd=pkg)
s = stats(replaced)
check("replaced file: a miss", s and s["misses"] == 1, s)
check("replaced file: same as fresh", replaced.stdout == fresh(pkg, ".").stdout)

# A deleted file's entry is pruned.
os.unlink(os.path.join(pkg, "e.py"))
s = stats(run("check", "-v", ".", cwd=pkg))
check("deleted file pruned", s and s["pruned"] == 1 and s["hits"] == 5, s)
with open(os.path.join(pkg, "e.py"), "w") as handle:
    handle.write(files["pkg/e.py"])
settle(project)
run("check", ".", cwd=pkg)

# A fresh clone elsewhere, with the cache restored: every mtime and inode differ, content hits.
clone = temporary_tree({})
shutil.rmtree(clone)
shutil.copytree(project, clone)  # new inodes; copytree keeps mtimes, so move them
settle(clone, PAST + 200)
s = stats(run("check", "-v", ".", cwd=os.path.join(clone, "pkg")))
check("clone: all hits by content", s and s["content"] == 6 and s["misses"] == 0, s)
remove_tree(clone)

# Only a single file named: the others' entries are kept.
s = stats(run("check", "-v", "a.py", cwd=pkg))
check("single file: a hit", s and s["hits"] == 1 and s["pruned"] == 0, s)
s = stats(run("check", "-v", ".", cwd=pkg))
check("single file run kept the others", s and s["hits"] == 6, s)

# Standard input is never cached: a run over it alone opens no cache and writes none.
stdin_tree = temporary_tree({"pyproject.toml": "", "x.py": BAD})
result = run("check", "-v", "-", stdin=BAD.encode(), cwd=stdin_tree)
check("stdin: no cache", b"pitfall: cache: off" in result.stderr and stats(result) is None
      and result.returncode == 1 and result.stdout.startswith(b"-:1:9: PF001"), result.stderr)
check("stdin: no cache directory written", not os.path.exists(os.path.join(stdin_tree, ".pitfall_cache")))
result = run("check", "-v", "--stdin-filename", "x.py", "-", stdin=BAD.encode(), cwd=stdin_tree)
check("stdin with --stdin-filename: not cached either", b"pitfall: cache: off" in result.stderr
      and not os.path.exists(os.path.join(stdin_tree, ".pitfall_cache")), result.stderr)
s = stats(run("check", "-v", "-", "x.py", stdin=BAD.encode(), cwd=stdin_tree))
check("stdin beside a file: only the file is cached", s and s["misses"] == 1 and s["hits"] == 0, s)
s = stats(run("check", "-v", "-", "x.py", stdin=BAD.encode(), cwd=stdin_tree))
check("stdin beside a file: the file hits", s and s["hits"] == 1 and s["misses"] == 0, s)
remove_tree(stdin_tree)

# Robustness: every kind of broken cache file is ignored, rewritten, and never fatal.
cache_file = os.path.join(cache_dir, "results.cache")
expected = fresh(pkg, ".").stdout
with open(cache_file, "rb") as handle:
    good = handle.read()


def flip(data, offset):
    return data[:offset] + bytes([data[offset] ^ 0x40]) + data[offset + 1:]


corruptions = {
    "empty": b"",
    "truncated to 7 bytes": good[:7],
    "truncated header": good[:40],
    "truncated by half": good[:len(good) // 2],
    "one byte short": good[:-1],
    "one byte more": good + b"\0",
    "a flipped byte in the payload": flip(good, len(good) - 5),
    "a flipped byte in the count": flip(good, 24),
    "wrong magic": b"XFCACHE\0" + good[8:],
    "another format version": good[:8] + bytes([good[8] + 1]) + good[9:],
    "another engine (version, rules or build)": flip(good, 16),
    "another program's file": b"SQLite format 3\0" + os.urandom(4000),
    "random bytes": os.urandom(len(good)),
    "text": b"# not a cache\n" * 100,
}
for name, data in corruptions.items():
    with open(cache_file, "wb") as handle:
        handle.write(data)
    result = run("check", "-v", ".", cwd=pkg)
    s = stats(result)
    check(f"{name}: same output", result.stdout == expected and result.returncode == 1, (result.returncode, result.stderr))
    check(f"{name}: ignored (all misses) and rewritten", s and s["misses"] == 6 and s["hits"] == 0
          and s["state"] == "saved", s)
    s = stats(run("check", "-v", ".", cwd=pkg))
    check(f"{name}: the rewritten cache hits", s and s["stat"] == 6, s)

# A directory where the cache file should be: read as an empty cache, never fatal; the save
# fails, which is one warning on stderr (the exit status is the findings').
os.unlink(cache_file)
os.mkdir(cache_file)
result = run("check", "-v", ".", cwd=pkg)
s = stats(result)
check("cache file is a directory: same output", result.stdout == expected and result.returncode == 1, result.stderr)
check("cache file is a directory: all misses, not saved", s and s["misses"] == 6 and s["state"] == "not saved", s)
WARNING = b"pitfall: warning: cache not saved (the next run is not faster): cannot write "
quiet = run("check", ".", cwd=pkg)
check("cache not saved: one warning, without -v too", quiet.stderr.count(WARNING) == 1
      and b"results.cache: Is a directory" in quiet.stderr and quiet.returncode == 1, quiet.stderr)
check("cache not saved: still the summary", quiet.stderr.endswith(b"(6 files checked).\n"), quiet.stderr)
quiet = run("check", "--exit-zero", ".", cwd=pkg)
check("cache not saved: --exit-zero still exits 0", quiet.returncode == 0 and WARNING in quiet.stderr, quiet.stderr)
os.rmdir(cache_file)

# A regular file where the cache directory should be: the lint works, one warning naming it.
shutil.rmtree(cache_dir)
with open(cache_dir, "w") as handle:
    handle.write("not a directory\n")
result = run("check", ".", cwd=pkg)
check("cache directory is a file: same output and status", result.stdout == expected and result.returncode == 1)
check("cache directory is a file: a warning naming it", result.stderr.count(b"pitfall: warning: cache not saved") == 1
      and f"cannot create the cache directory {cache_dir}: Not a directory".encode() in result.stderr, result.stderr)
with open(cache_dir) as handle:
    check("cache directory is a file: the file is left alone", handle.read() == "not a directory\n")
os.unlink(cache_dir)
result = run("check", "--cache-dir", "/proc/pitfall-cannot-exist", ".", cwd=pkg)
check("--cache-dir that cannot be created: lint works, a warning", result.stdout == expected
      and result.returncode == 1 and b"cannot create the cache directory /proc/pitfall-cannot-exist" in result.stderr,
      result.stderr)
if os.geteuid() != 0:  # root writes into a read-only directory anyway
    os.makedirs(cache_dir)
    os.chmod(cache_dir, 0o555)
    result = run("check", ".", cwd=pkg)
    os.chmod(cache_dir, 0o755)
    check("read-only cache directory: lint works, a warning", result.stdout == expected and result.returncode == 1
          and b"pitfall: warning: cache not saved" in result.stderr, result.stderr)
run("check", ".", cwd=pkg)

# --cache-dir beats PITFALL_CACHE_DIR beats the project root; --no-cache writes nothing.
elsewhere = temporary_tree({})
from_env = os.path.join(elsewhere, "env-cache")
from_option = os.path.join(elsewhere, "deep", "option-cache")
s = stats(run("check", "-v", ".", cwd=pkg, env={"PITFALL_CACHE_DIR": from_env}))
check("PITFALL_CACHE_DIR used", s and s["dir"] == from_env and os.path.isfile(os.path.join(from_env, "results.cache")), s)
s = stats(run("check", "-v", "--cache-dir", from_option, ".", cwd=pkg, env={"PITFALL_CACHE_DIR": from_env}))
check("--cache-dir wins and is created", s and s["dir"] == from_option
      and os.path.isfile(os.path.join(from_option, ".gitignore")), s)
s = stats(run("check", "-v", ".", cwd=pkg, env={"PITFALL_CACHE_DIR": ""}))
check("an empty PITFALL_CACHE_DIR means the default", s and s["dir"] == cache_dir, s)
remove_tree(elsewhere)

# Without pyproject.toml, pitfall.toml, .pitfall.toml or .git above it: the working directory.
# With .git (or pitfall.toml) above it: that directory.
loose = temporary_tree({"a.py": BAD, "deeper/b.py": BAD})
nested = os.path.join(loose, "deeper")
s = stats(run("check", "-v", ".", cwd=nested))
check("no marker: the working directory", s and s["dir"] == os.path.join(nested, ".pitfall_cache"), s)
shutil.rmtree(os.path.join(nested, ".pitfall_cache"))
os.mkdir(os.path.join(loose, ".git"))
s = stats(run("check", "-v", ".", cwd=nested))
check(".git marks the root", s and s["dir"] == os.path.join(loose, ".pitfall_cache"), s)
os.rmdir(os.path.join(loose, ".git"))
shutil.rmtree(os.path.join(loose, ".pitfall_cache"))
with open(os.path.join(loose, ".pitfall.toml"), "w") as handle:
    handle.write("")
s = stats(run("check", "-v", ".", cwd=nested))
check(".pitfall.toml marks the root", s and s["dir"] == os.path.join(loose, ".pitfall_cache"), s)
shutil.rmtree(os.path.join(loose, ".pitfall_cache"))
result = run("check", "--no-cache", ".", cwd=nested)
check("--no-cache writes nothing", result.returncode == 1 and not os.path.exists(os.path.join(loose, ".pitfall_cache"))
      and not os.path.exists(os.path.join(nested, ".pitfall_cache")))
remove_tree(loose)

# Concurrent runs: several processes on one cache while files change between rounds. Every
# run prints what a fresh run prints, and the cache stays valid and complete.
tree = {f"m{i:03d}.py": (BAD if i % 3 == 0 else GOOD) * (1 + i % 7) for i in range(150)}
tree["pitfall.toml"] = ""
busy = temporary_tree(tree)
settle(busy)
for round_number in range(5):
    name = os.path.join(busy, f"m{round_number:03d}.py")
    with open(name, "a") as handle:
        handle.write(BAD.replace("f(", f"r{round_number}("))
    os.utime(name, (PAST + round_number + 1, PAST + round_number + 1))
    expected = fresh(busy, ".").stdout
    outputs = run_at_once(4, "check", "-j", "2", ".", cwd=busy)
    check(f"concurrent round {round_number}: every run correct",
          all(out == expected and status == 1 for status, out, _ in outputs),
          [err[-200:] for _, _, err in outputs])
s = stats(run("check", "-v", ".", cwd=busy))
check("after concurrent runs: the cache is valid and complete", s and s["hits"] == 150 and s["misses"] == 0, s)
leftovers = [n for n in os.listdir(os.path.join(busy, ".pitfall_cache")) if n.startswith(".results.cache.")]
check("no temporary files left behind", not leftovers, leftovers)
remove_tree(busy)

remove_tree(project)
# Formats that show source lines (full) or fingerprint them (sarif): a cached result gets
# them from the file again, so warm output is the fresh output byte for byte, by stat and
# by content.
formats_tree = temporary_tree(files)
settle(formats_tree)
for output_format in ("full", "sarif", "github", "json-lines"):
    cold = fresh(formats_tree, "--output-format", output_format, ".")
    run("check", "--output-format", output_format, ".", cwd=formats_tree)
    warm = run("check", "-v", "--output-format", output_format, ".", cwd=formats_tree)
    warm_stats = stats(warm)
    check(f"{output_format}: warm run hits by stat", warm_stats and warm_stats["stat"] == 6, warm_stats)
    check(f"{output_format}: warm output is the fresh output", warm.stdout == cold.stdout,
          (cold.stdout[:300], warm.stdout[:300]))
settle(formats_tree, PAST + 60)
cold = fresh(formats_tree, "--output-format", "full", ".")
warm = run("check", "-v", "--output-format", "full", ".", cwd=formats_tree)
check("full: hits by content after touching", (stats(warm) or {}).get("content") == 6, stats(warm))
check("full: output by content is the fresh output", warm.stdout == cold.stdout)
remove_tree(formats_tree)

finish()
