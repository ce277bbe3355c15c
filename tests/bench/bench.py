#!/usr/bin/env python3
"""bench.py: pitfall against the parse floor, cold, warm and after touching every mtime.

Copies the *.py and *.pyi files of a corpus (default: the standard library of the python3
running this script) into a temporary directory, skipping the directories pitfall skips, then
runs, alternating and ROUNDS times each (the median is reported):

  parse     pitfall check --parse-only   read and parse every file, no rules (the floor)
  cold      pitfall check --no-cache     the whole lint, nothing cached
  cold-1    the same on one thread       (for the thread speedup)
  warm      pitfall check                with the cache of the previous run
  touched   pitfall check                after giving every file a new mtime (content unchanged)

and prints files, lines, MB/s, peak RSS (the children's ru_maxrss) and the ratios the project
targets: cold/parse <= 1.15, warm/cold <= 0.05, touched/cold <= 0.10, peak RSS <= 64 MB,
cold-1/cold >= 1.8 on 2 threads. It also checks that every run printed the same findings.
Wall times on a shared machine are noisy: compare the ratios, which come from one run.

Usage: bench.py [--binary build/pitfall] [--corpus DIR] [--threads N] [--rounds N] [--keep]
"""
import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time

# pitfall's default directory excludes (src/discover.c), so the copy holds what it lints.
EXCLUDED = {
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox",
    ".pants.d", ".pitfall_cache", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv",
    ".vscode", "__pycache__", "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules",
    "site-packages", "venv",
}
TARGETS = {"cold/parse": ("<=", 1.15), "warm/cold": ("<=", 0.05), "touched/cold": ("<=", 0.10),
           "speedup 1->N threads": (">=", 1.8)}


def copy_corpus(corpus, destination):
    files = lines = size = 0
    for directory, subdirectories, names in os.walk(corpus):
        subdirectories[:] = sorted(d for d in subdirectories if d not in EXCLUDED)
        relative = os.path.relpath(directory, corpus)
        for name in sorted(names):
            if not (name.endswith(".py") or name.endswith(".pyi")) or name in (".py", ".pyi"):
                continue
            source = os.path.join(directory, name)
            if not os.path.isfile(source):
                continue
            target = os.path.join(destination, relative, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(source, target)
            with open(target, "rb") as handle:
                data = handle.read()
            files += 1
            size += len(data)
            lines += data.count(b"\n")
    return files, lines, size


def run(binary, arguments, cwd):
    """Runs pitfall; returns (wall seconds, user+sys seconds, max RSS in KB, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen([binary, *arguments], cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode not in (0, 1):
        sys.exit(f"bench: {binary} {' '.join(arguments)} exited {process.returncode}:\n{stderr.decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stdout, stderr


def touch_all(root, when):
    for directory, _, names in os.walk(root):
        if os.path.basename(directory) == ".pitfall_cache":
            continue
        for name in names:
            os.utime(os.path.join(directory, name), (when, when))


def machine():
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} online CPUs, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "pitfall")
    parser.add_argument("--binary", default=default_binary)
    parser.add_argument("--corpus", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the copied corpus")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)

    work = tempfile.mkdtemp(prefix="pitfall-bench-")
    root = os.path.join(work, "corpus")
    cache = os.path.join(work, "cache")
    try:
        files, lines, size = copy_corpus(options.corpus, root)
        # Settle the copy's mtimes in the past, so that the cache trusts their stamps.
        base = int(time.time()) - 86400
        touch_all(root, base)
        threads = str(options.threads)
        modes = {
            "parse": ["check", "--parse-only", "-j", threads, "."],
            "cold": ["check", "--no-cache", "-j", threads, "."],
            "cold-1": ["check", "--no-cache", "-j", "1", "."],
            "warm": ["check", "--cache-dir", cache, "-j", threads, "."],
            "touched": ["check", "--cache-dir", cache, "-j", threads, "."],
        }
        _, _, _, reference, stderr = run(binary, modes["warm"], root)  # fills the cache
        checked = [line for line in stderr.decode().splitlines() if "checked" in line]
        load = os.getloadavg()
        results = {mode: [] for mode in modes}
        for round_number in range(options.rounds):
            for mode, arguments in modes.items():
                if mode == "touched":
                    touch_all(root, base + 1 + round_number)
                wall, cpu, rss, stdout, _ = run(binary, arguments, root)
                results[mode].append((wall, cpu, rss))
                if mode != "parse" and stdout != reference:
                    sys.exit(f"bench: the {mode} run printed different findings")
        load_after = os.getloadavg()

        median = {mode: statistics.median(w for w, _, _ in runs) for mode, runs in results.items()}
        best = {mode: min(w for w, _, _ in runs) for mode, runs in results.items()}
        cpu = {mode: statistics.median(c for _, c, _ in runs) for mode, runs in results.items()}
        peak = {mode: max(r for _, _, r in runs) for mode, runs in results.items()}
        megabytes = size / 1e6
        print(f"pitfall benchmark, {datetime.date.today().isoformat()}")
        print(f"machine: {machine()}; load average {load[0]:.2f} before, {load_after[0]:.2f} after")
        print(f"corpus: {options.corpus}: {files} files, {lines} lines, {megabytes:.1f} MB "
              f"({checked[0] if checked else 'no summary'})")
        print(f"threads: {threads}; {options.rounds} rounds, alternating\n")
        print(f"{'mode':<8} {'median s':>9} {'best s':>7} {'worst s':>8} {'cpu s':>7} {'MB/s':>8} {'peak RSS MB':>12}")
        for mode, runs in results.items():
            walls = [w for w, _, _ in runs]
            print(f"{mode:<8} {median[mode]:>9.3f} {best[mode]:>7.3f} {max(walls):>8.3f} {cpu[mode]:>7.2f} "
                  f"{megabytes / median[mode]:>8.1f} {peak[mode] / 1024:>12.1f}")

        def ratios(times):
            return {
                "cold/parse": times["cold"] / times["parse"],
                "warm/cold": times["warm"] / times["cold"],
                "touched/cold": times["touched"] / times["cold"],
                "speedup 1->N threads": times["cold-1"] / times["cold"],
            }

        by_median, by_best, by_cpu = ratios(median), ratios(best), ratios(cpu)
        print(f"\n{'ratio':<22} {'median':>8} {'best':>8} {'cpu':>8}   target")
        for name in by_median:
            relation, target = TARGETS[name]
            met = by_median[name] <= target if relation == "<=" else by_median[name] >= target
            cpu_column = f"{by_cpu[name]:8.3f}" if name != "speedup 1->N threads" else f"{'':>8}"
            print(f"{name:<22} {by_median[name]:8.3f} {by_best[name]:8.3f} {cpu_column}   {relation} {target:<5} "
                  f"{'met' if met else 'NOT met'} (median)")
        rss = max(peak.values()) / 1024
        print(f"{'peak RSS MB':<22} {rss:8.1f} {'':>8} {'':>8}   <= 64    {'met' if rss <= 64 else 'NOT met'}")
        print("\nmedian and best: wall-clock ratios; cpu: user+system time of the children (robust to\n"
              "other load, but blind to parallelism). On a loaded machine the wall-clock ratios, the\n"
              "thread speedup above all, measure the other load as much as pitfall.")
    finally:
        if options.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
