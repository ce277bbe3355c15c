"""clitest.py: the small harness the tests/cli/test_*.py scripts share.

Each script calls check(name, condition, detail) for every assertion and ends with
finish(), which prints 'N passed, N failed' and exits non-zero on any failure.
"""
import os
import shutil
import subprocess
import sys
import tempfile

BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "pitfall"
SOURCE_DIR = os.environ.get("PITFALL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
_passed = 0
_failed = 0


def run(*arguments, cwd=None, stdin=None, env=None, binary=None, prefix=()):
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([*prefix, binary or BINARY, *arguments], cwd=cwd, input=stdin, capture_output=True,
                          env=full_env, timeout=300)


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
