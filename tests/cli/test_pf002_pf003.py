"""test_pf002_pf003.py: PF002 and PF003 through the binary: the rule explanations, the rules
list, concise and JSON output of a file with both, severities and `--exit-zero`."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from clitest import check, finish, remove_tree, run, temporary_tree  # noqa: E402

for code, name, runtime in (("PF002", "shadowed-method", b"TypeError: 'bool' object is not callable"),
                            ("PF003", "mutable-in-tuple", b"TypeError: unhashable type: 'list'")):
    result = run("rule", code)
    text = result.stdout
    check(f"rule {code} exits 0", result.returncode == 0, result.stderr)
    for section in (b"## What it does", b"## Why is this bad?", b"## Example", b"## Fix", b"## Not flagged",
                    b"## References"):
        check(f"rule {code} has {section.decode()}", section in text, text)
    check(f"rule {code} shows the runtime error", runtime in text, text)
    result = run("rules")
    check(f"rules lists {code} {name}", code.encode() in result.stdout and name.encode() in result.stdout,
          result.stdout)

source = """\
class Factory:
    @classmethod
    def create(cls):
        return cls()

    def __init__(self, create=True):
        self.create = create


LIMITS = (1, [2])
seen = {(1, [2]): 3}
"""
root = temporary_tree({"app.py": source})
result = run("check", "app.py", cwd=root)
lines = result.stdout.decode().splitlines()
check("exit 1 with findings", result.returncode == 1, result.stderr)
check("concise PF002 line", lines[0] == "app.py:7:14: PF002 Instance attribute `create` shadows classmethod "
      "`Factory.create` (line 3); `obj.create()` will call the attribute", lines)
check("concise PF003 lines", [line.split(" ")[0:2] for line in lines[1:]] ==
      [["app.py:10:14:", "PF003"], ["app.py:11:13:", "PF003"]], lines)

result = run("check", "--output-format", "json", "app.py", cwd=root)
findings = json.loads(result.stdout)
summary = [(f["code"], f["location"]["row"], f["location"]["column"], f["end_location"]["column"], f["severity"],
            f["name"]) for f in findings]
check("json findings", summary == [
    ("PF002", 7, 14, 20, "error", "shadowed-method"),
    ("PF003", 10, 14, 17, "warning", "mutable-in-tuple"),
    ("PF003", 11, 13, 16, "error", "mutable-in-tuple"),
], summary)

result = run("check", "--exit-zero", "app.py", cwd=root)
check("--exit-zero", result.returncode == 0 and b"PF002" in result.stdout, result.returncode)
remove_tree(root)

finish()
