"""clitest.py: the small harness the tests/cli/test_*.py scripts share.

Each script calls check(name, condition, detail) for every assertion and ends with
finish(), which prints 'N passed, N failed' and exits non-zero on any failure. run() also
fails the script when the binary's standard error holds a sanitizer report.
"""
import os
import re
import shutil
import subprocess
import sys
import time
import tempfile

# The cache statistics line that `pitfall check -v` prints for each cache it used.
CACHE_STATS = re.compile(rb"pitfall: cache: (\d+) hits \((\d+) by stat, (\d+) by content\), (\d+) misses, "
                         rb"(\d+) pruned, (saved|unchanged|not saved); (.*)")
PAST = int(time.time()) - 3600


def settle(root, when=PAST):
    """Gives every file under root (but the cache's) an mtime in the past, so the cache may
    trust its stamp."""
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != ".pitfall_cache"]
        for name in names:
            os.utime(os.path.join(directory, name), (when, when))


BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "pitfall"
SOURCE_DIR = os.environ.get("PITFALL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
_passed = 0
_failed = 0


# What AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer print when they find
# something. The crash supervisor turns a crashing child into a PF000 finding and a normal exit
# status, so a sanitizer report must be caught here, in every run's standard error.
SANITIZER_REPORTS = (b"ERROR: AddressSanitizer", b"runtime error:", b"ERROR: LeakSanitizer")
# Scripts that crash the runtime on purpose: test_crash.py feeds libtree-sitter the input it
# frees twice, which AddressSanitizer reports (PITFALL_DEBUG_CRASH_ON only calls abort(),
# which it does not).
DELIBERATE_CRASH_SCRIPTS = {"test_crash.py"}


def sanitizer_report_in(stderr):
    """Where a sanitizer report starts in `stderr` (bytes), or -1."""
    places = [stderr.find(marker) for marker in SANITIZER_REPORTS if stderr and marker in stderr]
    return min(places) if places else -1


def check_no_sanitizer_report(what, stderr):
    """Fails the test when `stderr` (bytes) holds a sanitizer report."""
    if os.path.basename(sys.argv[0]) in DELIBERATE_CRASH_SCRIPTS:
        return
    at = sanitizer_report_in(stderr)
    if at >= 0:
        check(f"no sanitizer report: {what}", False, stderr[max(0, at - 200):at + 1500].decode(errors="replace"))


def run(*arguments, cwd=None, stdin=None, env=None, binary=None, prefix=()):
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    result = subprocess.run([*prefix, binary or BINARY, *arguments], cwd=cwd, input=stdin, capture_output=True,
                            env=full_env, timeout=300)
    check_no_sanitizer_report(" ".join(str(argument) for argument in arguments), result.stderr)
    return result


def run_at_once(count, *arguments, cwd=None, timeout=300):
    """Starts `count` runs of the binary with the same arguments together and waits for all;
    returns [(returncode, stdout, stderr)], each stderr checked for sanitizer reports."""
    processes = [subprocess.Popen([BINARY, *arguments], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(count)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=timeout)
        check_no_sanitizer_report(" ".join(arguments), err)
        results.append((process.returncode, out, err))
    return results


def check(name, condition, detail=""):
    global _passed, _failed
    if condition:
        _passed += 1
    else:
        _failed += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def temporary_tree(files):
    """Creates a temporary directory holding {relative path: bytes or str}; returns its path."""
    root = tempfile.mkdtemp(prefix="pitfall-test-")
    for relative, content in files.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content.encode() if isinstance(content, str) else content)
    return root


def remove_tree(root):
    shutil.rmtree(root, ignore_errors=True)


def finish():
    name = os.path.basename(sys.argv[0])
    print(f"{name}: {_passed} passed, {_failed} failed")
    sys.exit(1 if _failed or not _passed else 0)
