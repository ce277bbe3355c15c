#!/usr/bin/env python3
"""CLI behaviour of `pitfall check`: exit codes, stdin, directory walks and excludes,
unreadable and missing paths among good ones, output order, help and rule commands."""
import json
import os
import stat
import subprocess

from clitest import (BINARY, check, check_no_sanitizer_report, finish, remove_tree, run, sanitizer_report_in,
                     temporary_tree)

BAD = "def f(x=[]):\n    return x\n"
GOOD = "def f(x=None):\n    return x\n"

# Exit codes: 0 clean, 1 findings, 2 usage or I/O error.
root = temporary_tree({"good.py": GOOD, "bad.py": BAD})
result = run("check", "good.py", cwd=root)
check("clean file exits 0", result.returncode == 0, result.stderr)
check("clean file prints nothing on stdout", result.stdout == b"", result.stdout)
result = run("check", "bad.py", cwd=root)
check("finding exits 1", result.returncode == 1, result.stderr)
check("concise format", result.stdout.decode().startswith("bad.py:1:9: PF001 "), result.stdout)
check("summary on stderr", b"Found 1 problem in 1 file" in result.stderr, result.stderr)
result = run("check", "--exit-zero", "bad.py", cwd=root)
check("--exit-zero exits 0 with findings", result.returncode == 0 and result.stdout, result)
result = run("check", "--no-such-flag", cwd=root)
check("unknown flag exits 2", result.returncode == 2 and b"unknown option" in result.stderr, result.stderr)
result = run("check", "--output-format", "xml", cwd=root)
check("unknown format exits 2", result.returncode == 2 and b"unknown output format" in result.stderr, result.stderr)
result = run("frobnicate", cwd=root)
check("unknown command exits 2", result.returncode == 2, result.stderr)

# What an unknown first argument suggests: the command it misspells, `pitfall check ...` for
# a path or a real check option, nothing for an option `check` does not know either.
for arguments, message in (
        (("chek", "good.py"), "unknown command 'chek' (did you mean `pitfall check`?)"),
        (("rulees",), "unknown command 'rulees' (did you mean `pitfall rules`?)"),
        (("verison",), "unknown command 'verison' (did you mean `pitfall version`?)"),
        (("good.py",), "unknown command 'good.py' (did you mean `pitfall check good.py`?)"),
        (("--bogus",), "unknown option '--bogus' (see `pitfall --help`)"),
        (("--select", "PF001", "good.py"), "unknown command '--select' (did you mean `pitfall check --select`?)"),
        (("--exit-zero", "--bogus"), "unknown command '--exit-zero' (did you mean `pitfall check --exit-zero`?)"),
        (("--version", "extra"), "`pitfall --version` takes no arguments"),
        (("-V", "extra"), "`pitfall -V` takes no arguments"),
        (("rules", "extra"), "`pitfall rules` takes no arguments")):
    result = run(*arguments, cwd=root)
    check(f"pitfall {' '.join(arguments)}: exit 2 and the right hint",
          result.returncode == 2 and result.stdout == b"" and
          result.stderr.decode().strip() == f"pitfall: error: {message}", (result.returncode, result.stderr))
result = run("--version", cwd=root)
check("pitfall --version alone exits 0", result.returncode == 0 and result.stdout.startswith(b"pitfall "),
      result)

# A missing path is an error (exit 2) but the other files are still linted and reported.
result = run("check", "bad.py", "missing.py", cwd=root)
check("missing path exits 2", result.returncode == 2, result.returncode)
check("missing path named", b"missing.py" in result.stderr, result.stderr)
check("findings of other files still reported", b"bad.py:1:9: PF001" in result.stdout, result.stdout)
check("--exit-zero does not hide errors",
      run("check", "--exit-zero", "missing.py", cwd=root).returncode == 2)

# Default path is "." and paths print without a "./" prefix; output sorted by path.
tree = temporary_tree({
    "b.py": BAD, "a.py": BAD + BAD.replace("f(", "g("), "pkg/c.py": BAD, "pkg/notes.txt": BAD,
    ".venv/lib/d.py": BAD, "venv/e.py": BAD, "build/f.py": BAD, "node_modules/g.py": BAD,
    "__pycache__/h.py": BAD, "stubs/i.pyi": BAD,
})
result = run("check", cwd=tree)
lines = result.stdout.decode().splitlines()
files = [line.split(":")[0] for line in lines]
check("walk finds .py and .pyi, skips excluded dirs",
      files == ["a.py", "a.py", "b.py", "pkg/c.py", "stubs/i.pyi"], lines)
check("walk sorted by path then row", lines[0].startswith("a.py:1:9") and lines[1].startswith("a.py:3:9"), lines)
result = run("check", "venv", cwd=tree)
check("an excluded directory named explicitly is linted", b"venv/e.py:1:9" in result.stdout, result.stdout)
result = run("check", "pkg/notes.txt", cwd=tree)
check("a file named explicitly is linted whatever its extension", result.returncode == 1, result.stdout)

# Symlink cycles terminate.
os.symlink("..", os.path.join(tree, "pkg", "loop"))
result = run("check", cwd=tree)
check("symlink cycle terminates", result.returncode == 1 and result.stdout.count(b"pkg/c.py") == 1, result.stdout)
remove_tree(tree)

# stdin, with and without --stdin-filename.
result = run("check", "-", stdin=BAD.encode(), cwd=root)
check("stdin linted", result.returncode == 1 and result.stdout.startswith(b"-:1:9: PF001"), result.stdout)
result = run("check", "--stdin-filename", "src/app.py", "-", stdin=BAD.encode(), cwd=root)
check("--stdin-filename names stdin", result.stdout.startswith(b"src/app.py:1:9: PF001"), result.stdout)
result = run("check", "--output-format=json", "--stdin-filename=app.py", "-", stdin=BAD.encode(), cwd=root)
findings = json.loads(result.stdout)
check("stdin json filename", findings and findings[0]["filename"].endswith("app.py"), findings)
# --stdin-filename without a path reads stdin (as ruff does), not the current directory.
result = run("check", "--stdin-filename", "piped.py", stdin=BAD.encode(), cwd=root)
check("--stdin-filename alone reads stdin",
      result.returncode == 1 and result.stdout.decode().splitlines() == [
          line for line in result.stdout.decode().splitlines() if line.startswith("piped.py:1:9: PF001")]
      and result.stdout, result.stdout)
check("--stdin-filename alone: one file checked", b"(1 file checked)" in result.stderr, result.stderr)

# The same file named twice is linted once, under the first name given.
same = temporary_tree({"here/a.py": BAD})
result = run("check", "--no-cache", "a.py", "./a.py", cwd=os.path.join(same, "here"))
check("a.py ./a.py: linted once", result.stdout.decode().splitlines() == [
    line for line in result.stdout.decode().splitlines() if line.startswith("a.py:1:9: PF001")]
    and len(result.stdout.splitlines()) == 1 and b"(1 file checked)" in result.stderr, (result.stdout, result.stderr))
result = run("check", "--no-cache", ".", "../here", cwd=os.path.join(same, "here"))
check(". ../here: linted once", len(result.stdout.splitlines()) == 1 and result.stdout.startswith(b"a.py:1:9: PF001")
      and b"(1 file checked)" in result.stderr, (result.stdout, result.stderr))
os.symlink("a.py", os.path.join(same, "here", "link.py"))
result = run("check", "--no-cache", "link.py", "a.py", cwd=os.path.join(same, "here"))
check("a symlink and its target: linted once, under the first name",
      len(result.stdout.splitlines()) == 1 and result.stdout.startswith(b"link.py:1:9: PF001"), result.stdout)
remove_tree(same)

# An unreadable file among good ones: reported with its path, exit 2, other findings kept.
# Root can read anything, so when running as root the binary runs as `nobody` here.
secret = os.path.join(root, "secret.py")
with open(secret, "w") as handle:
    handle.write(BAD)
os.chmod(secret, 0)
os.chmod(root, 0o755)
for name in ("good.py", "bad.py"):
    os.chmod(os.path.join(root, name), 0o644)
prefix = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups") if os.geteuid() == 0 else ()
result = run("check", "bad.py", "secret.py", "good.py", cwd=root, prefix=prefix)
check("unreadable file exits 2", result.returncode == 2, (result.returncode, result.stderr))
check("unreadable file named in the error", b"secret.py" in result.stderr and b"ermission" in result.stderr,
      result.stderr)
check("other files still reported", b"bad.py:1:9: PF001" in result.stdout, result.stdout)
remove_tree(root)

# JSON fields in ruff's schema.
root = temporary_tree({"bad.py": BAD})
findings = json.loads(run("check", "--output-format", "json", "bad.py", cwd=root).stdout)
first = findings[0]
check("json fields", set(first) >= {"code", "message", "filename", "location", "end_location", "fix", "url",
                                    "noqa_row", "cell", "name", "severity"}, first)
check("json filename absolute", os.path.isabs(first["filename"]), first["filename"])
check("json location", first["location"] == {"row": 1, "column": 9} and
      first["end_location"] == {"row": 1, "column": 11}, first)
check("json fix and cell null", first["fix"] is None and first["cell"] is None, first)
result = run("check", "--output-format", "json", cwd=temporary_tree({"ok.py": GOOD}))
check("json clean run prints []", json.loads(result.stdout) == [] and result.returncode == 0, result.stdout)
remove_tree(root)

# A report that cannot be written (a full disk) is an error, not a clean run.
if os.path.exists("/dev/full"):
    root = temporary_tree({"bad.py": BAD})
    with open("/dev/full", "w") as full:
        result = subprocess.run([BINARY, "check", "--no-cache", "bad.py"], cwd=root, stdout=full,
                                stderr=subprocess.PIPE, timeout=60)
    check_no_sanitizer_report("check bad.py > /dev/full", result.stderr)
    check("write error on stdout exits 2", result.returncode == 2, (result.returncode, result.stderr))
    check("write error named", b"cannot write the report" in result.stderr, result.stderr)
    remove_tree(root)

# The harness fails any run whose standard error holds a sanitizer report (the crash
# supervisor would otherwise turn an AddressSanitizer abort into an ordinary PF000 finding).
check("sanitizer reports recognised",
      sanitizer_report_in(b"x\n==12==ERROR: AddressSanitizer: heap-use-after-free on address") > 0 and
      sanitizer_report_in(b"src/lint.c:10:5: runtime error: signed integer overflow") > 0 and
      sanitizer_report_in(b"==3==ERROR: LeakSanitizer: detected memory leaks") > 0 and
      sanitizer_report_in(b"Found 1 problem in 1 file (1 file checked).\n") == -1)

# Help, version, rules.
result = run("--help")
check("--help exits 0 and explains", result.returncode == 0 and b"pitfall check" in result.stdout, result.stdout)
result = run("check", "--help")
check("check --help lists options", result.returncode == 0 and b"--output-format" in result.stdout)
result = run("--version")
check("--version", result.returncode == 0 and result.stdout.startswith(b"pitfall "), result.stdout)
result = run("rule", "PF001")
check("rule PF001 explains", result.returncode == 0 and b"## Why is this bad?" in result.stdout, result.stdout)
result = run("rule", "pf001")
check("rule code is case-insensitive", result.returncode == 0)
result = run("rule", "PF999")
check("unknown rule exits 2", result.returncode == 2 and b"PF999" in result.stderr, result.stderr)
result = run("rules")
check("rules lists every rule", result.returncode == 0 and b"PF000" in result.stdout and b"PF001" in result.stdout)

finish()
