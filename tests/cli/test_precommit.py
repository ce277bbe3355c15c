#!/usr/bin/env python3
"""The pre-commit hook (.pre-commit-hooks.yaml) through the real pre-commit (Debian's
`pre-commit` package, listed in .ci/packages): in a temporary git repository,
`pre-commit try-repo <this repository> pitfall` fails on a staged file with a finding and
passes once it is fixed. The built binary is put first on PATH, as the hook's
`language: system` expects an installed pitfall. HOME, PRE_COMMIT_HOME and XDG_CACHE_HOME
point into the temporary directory, so the user's pre-commit cache is never touched, and a
`language: system` hook needs no network.

try-repo clones the hook repository. This repository is used as it is when it is a git
checkout that tracks .pre-commit-hooks.yaml (uncommitted changes to tracked files are
included: try-repo makes a shadow commit of them); otherwise (an unpacked tarball, or the
file not yet added) the hook file is copied into a throwaway git repository first."""
import os
import shutil
import subprocess
import tempfile

from clitest import BINARY, SOURCE_DIR, check, finish

work = tempfile.mkdtemp(prefix="pitfall-precommit-")
home = os.path.join(work, "home")
os.makedirs(home)
env = dict(os.environ)
env.update({
    "HOME": home,
    "PRE_COMMIT_HOME": os.path.join(work, "pre-commit-cache"),
    "XDG_CACHE_HOME": os.path.join(work, "cache"),
    "PATH": os.path.dirname(BINARY) + os.pathsep + os.environ.get("PATH", ""),
    "GIT_AUTHOR_NAME": "pitfall tests", "GIT_AUTHOR_EMAIL": "tests@pitfall.invalid",
    "GIT_COMMITTER_NAME": "pitfall tests", "GIT_COMMITTER_EMAIL": "tests@pitfall.invalid",
    # A checkout owned by another user is still usable with HOME replaced.
    "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory", "GIT_CONFIG_VALUE_0": "*",
    "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1",
})
env.pop("PRE_COMMIT", None)
env.pop("GIT_DIR", None)
env.pop("GIT_INDEX_FILE", None)


def sh(*arguments, cwd):
    return subprocess.run(arguments, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


if shutil.which("pre-commit", path=env["PATH"]) is None:
    check("pre-commit is installed (Debian package pre-commit, see .ci/packages)", False)
    finish()

check("the hook runs the binary under test",
      shutil.which("pitfall", path=env["PATH"]) == os.path.abspath(BINARY), shutil.which("pitfall", path=env["PATH"]))

source = os.path.realpath(SOURCE_DIR)
hooks_file = os.path.join(source, ".pre-commit-hooks.yaml")
check(".pre-commit-hooks.yaml exists at the repository root", os.path.isfile(hooks_file))
# The hook as the issue specifies it (a line-by-line check: no YAML library is required).
with open(hooks_file, encoding="utf-8") as handle:
    hook_lines = [line.strip() for line in handle if line.strip() and not line.lstrip().startswith("#")]
for wanted in ("- id: pitfall", "entry: pitfall check --force-exclude", "language: system", "types_or: [python, pyi]",
               "require_serial: true"):
    check(f".pre-commit-hooks.yaml has '{wanted}'", wanted in hook_lines, hook_lines)
tracked = sh("git", "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml", cwd=source).returncode == 0
if tracked:
    hook_repository = source
else:
    hook_repository = os.path.join(work, "hook-repo")
    os.makedirs(hook_repository)
    shutil.copy(hooks_file, hook_repository)
    for command in (("git", "init", "-q"), ("git", "add", ".pre-commit-hooks.yaml"),
                    ("git", "commit", "-q", "-m", "hook")):
        result = sh(*command, cwd=hook_repository)
        check(f"hook repository: {' '.join(command)}", result.returncode == 0, result.stderr)
print(f"test_precommit.py: hooks from {'this checkout' if tracked else 'a copy of the hook file'}")

project = os.path.join(work, "project")
os.makedirs(project)
result = sh("git", "init", "-q", cwd=project)
check("git init", result.returncode == 0, result.stderr)


def try_repo():
    return sh("pre-commit", "try-repo", hook_repository, "pitfall", cwd=project)


# A staged file with a finding: the hook fails and shows the finding.
write(os.path.join(project, "app.py"), "def add(item, items=[]):\n    items.append(item)\n    return items\n")
write(os.path.join(project, "notes.txt"), "def not_python(x=[]): pass\n")
sh("git", "add", "app.py", "notes.txt", cwd=project)
result = try_repo()
output = result.stdout + result.stderr
check("a staged finding fails the hook", result.returncode == 1, output)
check("the hook prints the finding", "app.py:1:21: PF001" in output, output)
check("the hook is reported as failed", "Failed" in output, output)
check("only Python files are passed to the hook", "notes.txt" not in output, output)

# Fixed and staged again: the hook passes.
write(os.path.join(project, "app.py"),
      "def add(item, items=None):\n    items = [] if items is None else items\n    items.append(item)\n"
      "    return items\n")
sh("git", "add", "app.py", cwd=project)
result = try_repo()
output = result.stdout + result.stderr
check("a fixed file passes the hook", result.returncode == 0 and "Passed" in output, output)

# Stubs are checked too (types_or: [python, pyi]), and a noqa is honoured.
write(os.path.join(project, "api.pyi"), "def load(path: str, seen: list = []) -> None: ...\n")
sh("git", "add", "api.pyi", cwd=project)
result = try_repo()
output = result.stdout + result.stderr
check("a staged stub with a finding fails the hook", result.returncode == 1 and "api.pyi:1:" in output, output)
write(os.path.join(project, "api.pyi"), "def load(path: str, seen: list = []) -> None: ...  # noqa: PF001\n")
sh("git", "add", "api.pyi", cwd=project)
result = try_repo()
output = result.stdout + result.stderr
check("a suppressed finding passes the hook", result.returncode == 0 and "Passed" in output, output)

# The project's configuration applies, and --force-exclude keeps an excluded staged file out
# (pre-commit names every staged file, so without it the exclude would not count).
os.makedirs(os.path.join(project, "migrations"))
write(os.path.join(project, "migrations", "0001_initial.py"), "def up(ops=[]):\n    return ops\n")
write(os.path.join(project, "pyproject.toml"), '[tool.pitfall]\nextend-exclude = ["migrations"]\n')
sh("git", "add", "migrations/0001_initial.py", "pyproject.toml", cwd=project)
result = try_repo()
output = result.stdout + result.stderr
check("an excluded staged file passes the hook (--force-exclude)", result.returncode == 0 and "Passed" in output,
      output)
write(os.path.join(project, "pyproject.toml"), '[tool.pitfall]\nextend-exclude = ["other"]\n')
sh("git", "add", "pyproject.toml", cwd=project)
result = try_repo()
output = result.stdout + result.stderr
check("the same file fails once the exclude is gone",
      result.returncode == 1 and "migrations/0001_initial.py:1:12: PF001" in output, output)
write(os.path.join(project, "pyproject.toml"), '[tool.pitfall]\nextend-exclud = ["migrations"]\n')
sh("git", "add", "pyproject.toml", cwd=project)
result = try_repo()
output = result.stdout + result.stderr
check("a broken configuration fails the hook with its message", result.returncode == 1 and
      "pyproject.toml:2:1: unknown key 'extend-exclud' in [tool.pitfall] (did you mean 'extend-exclude'?)" in output,
      output)

shutil.rmtree(work, ignore_errors=True)
finish()
