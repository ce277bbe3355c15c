#!/usr/bin/env python3
"""Output options of `pitfall check`: every format keeps stdout for findings and the summary
on stderr, the JSON fields editor plugins read, json-lines, GitHub escaping, --output-file
(atomic: a new file renamed over the old one, never a half-written one; symlinks followed,
special files written directly; no temporary file left by a signal), --color with
NO_COLOR and terminals, and --statistics."""
import json
import os
import pty
import signal
import socket
import stat
import subprocess
import time

from clitest import BINARY, check, finish, remove_tree, run, temporary_tree

BAD = "def f(x=[]):\n    return x\n"
BROKEN = "def g(y={}:\n    return y\n"
FORMATS = ["concise", "full", "json", "json-lines", "sarif", "github"]
ANSI = b"\x1b["

root = temporary_tree({"bad.py": BAD, "broken.py": BROKEN, "ok.py": "x = 1\n"})

# Every format: findings on stdout only, the summary on stderr only; a clean run prints no
# findings (an empty JSON array / a SARIF log without results).
for name in FORMATS:
    result = run("check", "--output-format", name, ".", cwd=root)
    check(f"{name}: exit 1", result.returncode == 1, result.stderr)
    check(f"{name}: summary on stderr", result.stderr == b"Found 3 problems in 2 files (3 files checked).\n",
          result.stderr)
    check(f"{name}: no summary on stdout", b"Found 3 problems" not in result.stdout, result.stdout[-200:])
    check(f"{name}: findings on stdout", b"PF001" in result.stdout and b"PF000" in result.stdout, result.stdout[:200])
    clean = run("check", "--output-format", name, "ok.py", cwd=root)
    check(f"{name}: clean run exit 0", clean.returncode == 0, clean.stderr)
    check(f"{name}: clean summary on stderr", clean.stderr == b"No problems found (1 file checked).\n", clean.stderr)
    if name == "json":
        check("json: clean run prints []", json.loads(clean.stdout) == [], clean.stdout)
    elif name == "sarif":
        check("sarif: clean run has no results", json.loads(clean.stdout)["runs"][0]["results"] == [])
    else:
        check(f"{name}: clean run prints nothing", clean.stdout == b"", clean.stdout)

help_text = run("check", "--help").stdout.decode()
check("--help lists every format and the new options",
      all(name in help_text for name in FORMATS) and "--output-file" in help_text and "--color" in help_text and
      "--statistics" in help_text, help_text)
result = run("check", "--output-format", "xml", cwd=root)
check("unknown format lists the six", result.returncode == 2 and
      b"concise, full, json, json-lines, sarif, github" in result.stderr, result.stderr)

# The fields nvim-lint, ALE and flycheck read from ruff's JSON are never null for a real
# finding; `fix` is present and null (no automatic fix), as ruff writes it.
findings = json.loads(run("check", "--output-format", "json", ".", cwd=root).stdout)
check("json: three findings", len(findings) == 3, findings)
for finding in findings:
    where = f"json {finding.get('code')} {finding.get('location')}"
    for key in ("code", "message", "filename", "location", "end_location"):
        check(f"{where}: {key} is not null", finding.get(key) is not None, finding)
    check(f"{where}: fix present (null)", "fix" in finding and finding["fix"] is None, finding)
    check(f"{where}: rows and columns are positive integers",
          all(isinstance(finding[k][c], int) and finding[k][c] >= 1 for k in ("location", "end_location")
              for c in ("row", "column")), finding)
    check(f"{where}: filename absolute", os.path.isabs(finding["filename"]) and "/./" not in finding["filename"])
zero_width = [f for f in findings if f["code"] == "PF000"]
check("json: a missing token is a zero-width range", zero_width and zero_width[0]["location"] ==
      zero_width[0]["end_location"] == {"row": 1, "column": 11}, zero_width)

# json-lines: the same objects, one per line.
lines = run("check", "--output-format", "json-lines", ".", cwd=root).stdout.decode().splitlines()
check("json-lines: one object per line, same as json", [json.loads(line) for line in lines] == findings, lines)

# PF002's related location (the shadowed method): `related` in JSON and json-lines, beside
# ruff's fields (an empty list for findings without one), and a note in `full`.
SHADOW = 'class Greeter:\n    def greet(self):\n        return "hi"\n\n    def __init__(self):\n        self.greet = "x"\n'
shadow_root = temporary_tree({"shadow.py": SHADOW, "bad.py": BAD})
shadow_path = os.path.join(os.path.realpath(shadow_root), "shadow.py")
shadow_json = json.loads(run("check", "--output-format", "json", ".", cwd=shadow_root).stdout)
check("json: related is a list on every finding", all(isinstance(f.get("related"), list) for f in shadow_json),
      shadow_json)
check("json: no related location, empty list", [f["related"] for f in shadow_json if f["code"] == "PF001"] == [[]],
      shadow_json)
check("json: PF002's related location, exact", [f["related"] for f in shadow_json if f["code"] == "PF002"] == [[{
    "message": "method `Greeter.greet` is defined here", "filename": shadow_path,
    "location": {"row": 2, "column": 9}, "end_location": {"row": 2, "column": 14}}]], shadow_json)
check("json: ruff's fields unchanged beside it", sorted(shadow_json[0]) == sorted(
    ["cell", "code", "end_location", "filename", "fix", "location", "message", "name", "noqa_row", "related",
     "severity", "url"]), sorted(shadow_json[0]))
shadow_lines = run("check", "--output-format", "json-lines", ".", cwd=shadow_root).stdout.decode().splitlines()
check("json-lines: related too", [json.loads(line) for line in shadow_lines] == shadow_json, shadow_lines)
result = run("check", "--output-format", "full", "--color", "never", "shadow.py", cwd=shadow_root)
check("full: PF002's note names the method's place", result.stdout.decode() ==
      "shadow.py:6:14: PF002 Instance attribute `greet` shadows method `Greeter.greet` (line 2); `obj.greet()` will "
      "call the attribute\n  |\n6 |         self.greet = \"x\"\n  |              ^^^^^ PF002\n  |\n"
      "  = note: shadow.py:2:9: method `Greeter.greet` is defined here\n"
      "  = help: Instance attribute assigned with the name of a method, which it hides for that instance; "
      "see `pitfall rule PF002`\n\n", result.stdout.decode())
remove_tree(shadow_root)

# github: control characters from the source (a PF003 message quotes the list) never reach
# the workflow log raw: C0 controls become their pictures, C1 controls U+FFFD.
control = temporary_tree({"esc.py": b'T = (1, ["\x1b[31m\x07\xc2\x9b\x7f"])\n'})
result = run("check", "--output-format", "github", "esc.py", cwd=control)
check("github: control characters replaced", b"contains `[\"\xe2\x90\x9b[31m\xe2\x90\x87\xef\xbf\xbd\xe2\x90\xa1\"]`"
      in result.stdout and not any(byte < 0x20 and byte != 0x0A for byte in result.stdout), result.stdout)
remove_tree(control)

# A file name that is not UTF-8: U+FFFD for the bad byte in concise and full.
legacy = temporary_tree({b"caf\xe9.py".decode("utf-8", "surrogateescape"): BAD})
for name in ("concise", "full"):
    result = run("check", "--output-format", name, "--color", "never", ".", cwd=legacy)
    check(f"{name}: a bad byte in a file name shows as U+FFFD",
          result.stdout.startswith("caf\ufffd.py:1:9: PF001".encode()), result.stdout[:80])
remove_tree(legacy)

# github: workflow commands with GitHub's escaping of file names.
odd = temporary_tree({"a,b:c%d.py": BAD})
result = run("check", "--output-format", "github", ".", cwd=odd)
check("github: escaped properties", result.stdout.decode().startswith(
    "::warning title=pitfall (PF001),file=a%2Cb%3Ac%25d.py,line=1,col=9,endLine=1,endColumn=11::Mutable default"),
    result.stdout)
remove_tree(odd)
result = run("check", "--output-format", "github", "broken.py", cwd=root)
check("github: severity chooses ::warning or ::error", result.stdout.startswith(b"::warning title=pitfall (PF001)") and
      b"\n::error title=pitfall (PF000),file=broken.py,line=1,col=11,endLine=1,endColumn=11::Syntax error: expected `)`\n"
      in result.stdout, result.stdout)

# --output-file: the report goes to the file, nothing to stdout, the summary still to stderr.
target = os.path.join(root, "out", "report.sarif")
os.makedirs(os.path.dirname(target))
expected = run("check", "--output-format", "sarif", ".", cwd=root).stdout
result = run("check", "--output-format", "sarif", "--output-file", target, ".", cwd=root)
check("--output-file: exit status unchanged", result.returncode == 1, result.stderr)
check("--output-file: stdout empty", result.stdout == b"", result.stdout)
check("--output-file: summary on stderr", b"Found 3 problems" in result.stderr, result.stderr)
with open(target, "rb") as handle:
    check("--output-file: same bytes as stdout would get", handle.read() == expected)
check("--output-file: no temporary file left", os.listdir(os.path.dirname(target)) == ["report.sarif"],
      os.listdir(os.path.dirname(target)))
umask = os.umask(0o022)
os.umask(umask)
check("--output-file: a new file gets 0666 less the umask",
      stat.S_IMODE(os.stat(target).st_mode) == 0o666 & ~umask, oct(os.stat(target).st_mode))

# Replacing a file: a new inode is renamed over it (a hard link to the old one still holds the
# old report, so nobody could have read a half-written file), and its mode is kept.
os.chmod(target, 0o640)
old_link = target + ".old"
os.link(target, old_link)
with open(target, "wb") as handle:
    handle.write(b"previous report\n")
result = run("check", "--output-format", "concise", "--output-file", target, ".", cwd=root)
with open(old_link, "rb") as handle:
    check("--output-file: the old file is replaced, not rewritten in place", handle.read() == b"previous report\n")
with open(target, "rb") as handle:
    check("--output-file: new content", handle.read() == run("check", ".", cwd=root).stdout)
check("--output-file: mode of the replaced file kept", stat.S_IMODE(os.stat(target).st_mode) == 0o640,
      oct(os.stat(target).st_mode))
os.unlink(old_link)

# --output-file failures: exit 2 with the path named, before any linting, nothing left behind.
result = run("check", "--output-file", os.path.join(root, "no", "such", "dir", "r.txt"), ".", cwd=root)
check("--output-file in a missing directory: exit 2", result.returncode == 2, result.returncode)
check("--output-file in a missing directory: named", b"no/such/dir/r.txt" in result.stderr, result.stderr)
check("--output-file failure: no findings printed", result.stdout == b"", result.stdout)
result = run("check", "--output-file", os.path.join(root, "out"), ".", cwd=root)
check("--output-file naming a directory: exit 2", result.returncode == 2 and b"Is a directory" in result.stderr,
      result.stderr)
check("--output-file naming a directory: nothing left", sorted(os.listdir(os.path.join(root, "out"))) ==
      ["report.sarif"], os.listdir(os.path.join(root, "out")))
result = run("check", "--output-file=", ".", cwd=root)
check("--output-file with an empty name: exit 2", result.returncode == 2, result.stderr)
result = run("check", "--output-file", "relative.txt", "bad.py", cwd=root)
check("--output-file relative to the working directory", os.path.exists(os.path.join(root, "relative.txt")))

# --output-file onto a symlink: the report is written beside the real file and renamed over
# it, so the link stays a link; a chain of links and a dangling link are followed too.
concise_report = run("check", ".", cwd=root).stdout
links = os.path.join(root, "links")
os.makedirs(os.path.join(links, "real"))
with open(os.path.join(links, "real", "report.txt"), "wb") as handle:
    handle.write(b"previous\n")
os.symlink("real/report.txt", os.path.join(links, "one"))
os.symlink("one", os.path.join(links, "two"))
os.symlink("real/not-yet.txt", os.path.join(links, "dangling"))
for name, real in (("one", "report.txt"), ("two", "report.txt"), ("dangling", "not-yet.txt")):
    result = run("check", "--output-file", os.path.join("links", name), ".", cwd=root)
    check(f"--output-file onto symlink {name}: exit 1", result.returncode == 1, result.stderr)
    check(f"--output-file onto symlink {name}: still a symlink", os.path.islink(os.path.join(links, name)))
    with open(os.path.join(links, "real", real), "rb") as handle:
        check(f"--output-file onto symlink {name}: the real file holds the report", handle.read() == concise_report)
    check(f"--output-file onto symlink {name}: no temporary file left",
          sorted(os.listdir(links)) == ["dangling", "one", "real", "two"] and
          all(not entry.startswith(".") for entry in os.listdir(os.path.join(links, "real"))),
          (os.listdir(links), os.listdir(os.path.join(links, "real"))))
os.symlink("loop_b", os.path.join(links, "loop_a"))
os.symlink("loop_a", os.path.join(links, "loop_b"))
result = run("check", "--output-file", os.path.join("links", "loop_a"), ".", cwd=root)
check("--output-file onto a symlink loop: exit 2, named", result.returncode == 2 and
      b"links/loop_a: Too many levels of symbolic links" in result.stderr, result.stderr)
os.unlink(os.path.join(links, "loop_a"))
os.unlink(os.path.join(links, "loop_b"))

# --output-file onto special files: written directly, never replaced.
result = run("check", "--output-format", "json", "--output-file", "/dev/null", ".", cwd=root)
check("--output-file /dev/null: exit 1, nothing on stdout", result.returncode == 1 and result.stdout == b"",
      result.stderr)
check("--output-file /dev/null: still the null device", stat.S_ISCHR(os.stat("/dev/null").st_mode))
result = run("check", "--output-file", "/dev/full", ".", cwd=root)
check("--output-file /dev/full: a write error, exit 2, named, the device left alone",
      result.returncode == 2 and b"cannot write /dev/full: No space left on device" in result.stderr and
      stat.S_ISCHR(os.stat("/dev/full").st_mode), result.stderr)
result = run("check", "--output-file", "/dev/stdout", ".", cwd=root)
check("--output-file /dev/stdout: the report on stdout (a pipe)", result.stdout == concise_report, result.stdout)
fifo = os.path.join(root, "report.fifo")
os.mkfifo(fifo)
reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
result = run("check", "--output-format", "sarif", "--output-file", fifo, ".", cwd=root)
received = reader.communicate(timeout=60)[0]
check("--output-file onto a FIFO: the reader gets the whole report",
      result.returncode == 1 and received == run("check", "--output-format", "sarif", ".", cwd=root).stdout,
      (result.stderr, received[:200]))
check("--output-file onto a FIFO: still a FIFO, nothing left beside it", stat.S_ISFIFO(os.stat(fifo).st_mode) and
      not [entry for entry in os.listdir(root) if entry.startswith(".report.fifo")], os.listdir(root))
# A crash makes the supervisor start a second checking process: the FIFO stays open for it.
reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
result = run("check", "--no-cache", "--output-file", fifo, ".", cwd=root, env={"PITFALL_DEBUG_CRASH_ON": "broken.py"})
received = reader.communicate(timeout=60)[0]
check("--output-file onto a FIFO after a crash: one whole report",
      received.count(b"PF001") == 1 and b"broken.py:1:1: PF000" in received, (result.stderr, received))
os.unlink(fifo)

# A Unix socket cannot be opened as a file: exit status 2, an error naming the path, nothing
# left beside it.
socket_path = os.path.join(root, "report.sock")
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(socket_path)
result = run("check", "--output-file", socket_path, ".", cwd=root)
check("--output-file onto a socket: exit 2 and an error naming it",
      result.returncode == 2 and f"cannot write {socket_path}: it is a socket".encode() in result.stderr,
      (result.returncode, result.stderr))
check("--output-file onto a socket: nothing left beside it",
      not [entry for entry in os.listdir(root) if entry.startswith(".report.sock")], os.listdir(root))
listener.close()
os.unlink(socket_path)

# A signal that ends the run (CI cancelling it) removes the temporary file: sent to the whole
# process group, to the supervising parent alone, or to an unsupervised run. The run is held
# in progress by standard input, which stays open until the signal is sent.
signal_dir = os.path.join(root, "signalled")
os.makedirs(signal_dir)
for whom, signal_number, extra in (("group", signal.SIGINT, {}), ("group", signal.SIGTERM, {}),
                                   ("parent", signal.SIGTERM, {}), ("parent", signal.SIGHUP, {}),
                                   ("group", signal.SIGINT, {"PITFALL_NO_SUPERVISOR": "1"})):
    where = f"{signal.Signals(signal_number).name} to the {whom}{' (unsupervised)' if extra else ''}"
    process = subprocess.Popen([BINARY, "check", "--output-format", "sarif", "--output-file",
                                os.path.join(signal_dir, "r.sarif"), "-"], stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, **extra})
    while not os.listdir(signal_dir):  # the temporary file is made before linting starts
        time.sleep(0.01)
    if whom == "group":
        os.killpg(process.pid, signal_number)
    else:
        os.kill(process.pid, signal_number)
    status = process.wait(timeout=60)
    process.stdin.close()
    check(f"{where}: pitfall dies of the signal", status == -signal_number, status)
    deadline = 0
    while os.listdir(signal_dir) and deadline < 500:  # a killed child may still be going away
        time.sleep(0.01)
        deadline += 1
    check(f"{where}: no temporary file left", os.listdir(signal_dir) == [], os.listdir(signal_dir))

# --color: never, always, auto (a pipe is not a terminal), NO_COLOR, TERM=dumb.
plain_env = {"NO_COLOR": "", "TERM": "xterm"}
for name in ("concise", "full"):
    always = run("check", "--output-format", name, "--color", "always", ".", cwd=root, env=plain_env).stdout
    never = run("check", "--output-format", name, "--color", "never", ".", cwd=root, env=plain_env).stdout
    auto = run("check", "--output-format", name, ".", cwd=root, env=plain_env).stdout
    check(f"{name} --color always: ANSI colours", ANSI in always, always[:200])
    check(f"{name} --color never: none", ANSI not in never, never[:200])
    check(f"{name} --color auto through a pipe: none", auto == never, auto[:200])
    stripped = always
    for code in (b"\x1b[0m", b"\x1b[1m", b"\x1b[36m", b"\x1b[1;31m", b"\x1b[1;33m", b"\x1b[1;34m", b"\x1b[1;36m"):
        stripped = stripped.replace(code, b"")
    check(f"{name}: colours only decorate the same text", stripped == never, (stripped[:300], never[:300]))
    forced = run("check", "--output-format", name, "--color", "always", ".", cwd=root, env={"NO_COLOR": "1"})
    check(f"{name}: --color always wins over NO_COLOR", ANSI in forced.stdout)
for name in ("json", "json-lines", "sarif", "github"):
    output = run("check", "--output-format", name, "--color", "always", ".", cwd=root).stdout
    check(f"{name}: never coloured", ANSI not in output, output[:200])
result = run("check", "--color", "sometimes", ".", cwd=root)
check("--color with a bad value: exit 2", result.returncode == 2 and b"--color" in result.stderr, result.stderr)


def on_terminal(env):
    """Runs pitfall with stdout on a pseudo-terminal; returns what it wrote there."""
    leader, follower = pty.openpty()
    full_env = dict(os.environ)
    full_env.update(env)
    process = subprocess.Popen([BINARY, "check", "bad.py"], cwd=root, stdout=follower, stderr=subprocess.DEVNULL,
                               env=full_env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks)


check("--color auto on a terminal: coloured", ANSI in on_terminal({"TERM": "xterm", "NO_COLOR": ""}))
check("--color auto on a terminal with NO_COLOR: plain", ANSI not in on_terminal({"TERM": "xterm", "NO_COLOR": "1"}))
check("--color auto on a dumb terminal: plain", ANSI not in on_terminal({"TERM": "dumb", "NO_COLOR": ""}))
target = os.path.join(root, "colour.txt")
run("check", "--output-file", target, "bad.py", cwd=root, env={"TERM": "xterm", "NO_COLOR": ""})
with open(target, "rb") as handle:
    check("--color auto into --output-file: plain", ANSI not in handle.read())

# --statistics: one line per code that fired, sorted by code; exit status as usual.
stats_root = temporary_tree({"a.py": BAD * 3, "b.py": BROKEN + BAD, "c.py": "x = (\n"})
result = run("check", "--statistics", ".", cwd=stats_root)
check("--statistics: counts sorted by code", result.stdout == b"2  PF000  syntax-error\n5  PF001  mutable-default-argument\n",
      result.stdout)
check("--statistics: exit 1 with findings", result.returncode == 1)
check("--statistics: summary on stderr", b"Found 7 problems in 3 files" in result.stderr, result.stderr)
STATISTICS_JSON = [{"code": "PF000", "name": "syntax-error", "count": 2, "fixable": False},
                   {"code": "PF001", "name": "mutable-default-argument", "count": 5, "fixable": False}]
for name in ("json", "json-lines"):
    result = run("check", "--statistics", "--output-format", name, ".", cwd=stats_root)
    check(f"--statistics {name}: JSON as ruff prints it", json.loads(result.stdout) == STATISTICS_JSON, result.stdout)
for name in ("concise", "full", "sarif", "github"):
    result = run("check", "--statistics", "--output-format", name, ".", cwd=stats_root)
    check(f"--statistics {name}: the text table", result.stdout ==
          b"2  PF000  syntax-error\n5  PF001  mutable-default-argument\n", result.stdout)
many = temporary_tree({"many.py": BAD * 12})
result = run("check", "--statistics", ".", cwd=many)
check("--statistics: counts right-aligned", result.stdout == b"12  PF001  mutable-default-argument\n", result.stdout)
result = run("check", "--statistics", "--output-format", "json", cwd=temporary_tree({"ok.py": "x = 1\n"}))
check("--statistics json with no findings: []", json.loads(result.stdout) == [] and result.returncode == 0)
remove_tree(many)
remove_tree(stats_root)

# full: the source line with carets; an undecodable file has no source to show.
undecodable = temporary_tree({"latin.py": b"x = 'caf\xe9'\n"})
result = run("check", "--output-format", "full", "latin.py", cwd=undecodable)
check("full: undecodable file without an excerpt", result.stdout.decode() ==
      "latin.py:1:9: PF000 Syntax error: the file cannot be decoded: invalid UTF-8 at line 1, column 9 (byte 0xe9)\n"
      "  = help: Source that does not parse as Python; see `pitfall rule PF000`\n\n", result.stdout)
remove_tree(undecodable)
result = run("check", "--output-format", "full", "broken.py", cwd=root)
check("full: zero-width range gets one caret", "1 | def g(y={}:\n  |           ^ PF000\n" in result.stdout.decode(),
      result.stdout)
control = temporary_tree({"esc.py": "s = '\x1b[31m'; f = lambda a=[]: a\n"})
result = run("check", "--output-format", "full", "esc.py", cwd=control)
check("full: control characters in source are shown, not sent to the terminal",
      b"\x1b" not in result.stdout and "s = '\u241b[31m'" in result.stdout.decode(), result.stdout)
remove_tree(control)
# A long line is cut to a window around the range, with an ellipsis where it goes on.
long_line = temporary_tree({"long.py": "x = '" + "\u4e2d" * 300 + "'; f = lambda a=[]: a  # " + "z" * 500 + "\n"})
result = run("check", "--output-format", "full", "long.py", cwd=long_line)
shown = result.stdout.decode().splitlines()
check("full: long line cut to a window with ellipses", shown[2] == "1 | \u2026" + "\u4e2d" * 24 + "'; f = lambda a=[]: a  # " +
      "z" * 111 + "\u2026", shown[2:4])
check("full: carets under the range in the window (wide characters count two cells)",
      shown[3] == "  | " + " " * (1 + 48 + 16) + "^^ PF001", shown[3])
check("full: the header keeps the true column", shown[0].startswith("long.py:1:322: PF001"), shown[0])
remove_tree(long_line)

remove_tree(root)
finish()
